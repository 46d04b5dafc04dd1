"""Real QDA exports and sparse studies, built with ``--study`` and opened in a real browser.

Each real export (qc's ``.qdpx``, two Taguette exports from
``../shared/data/external``) is imported into an ``init`` study, and each
sparse study is made from the example (:mod:`sparse_studies`); every report
of the manifest is built for it with the real command. Of each kind of
page (a manifest entry: the synthesis, a period, a project…), the lightest
and the heaviest page go through every check of :mod:`browser_checks`: the
one that says most often what is missing, and the one most likely to overflow a
phone; the other pages of a kind run the same cells on other data, and every
page of the example site is checked (``test_browser.py``).
``RDT_TOUTES_LES_PAGES=1`` checks every page. They are built in a project
copy of their own, apart from the example site, so that the two run side by
side on two cores.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from browser_checks import CHECKS, report, visit_page
from report_pages import Build, cli_command, copy_project, researcher_environment

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 900  # seconds, for each build of a study


@pytest.fixture(scope="session")
def build(tmp_path_factory, rd_kernel) -> Build:
    """A copy of the project (manifest, notebooks, no study): the studies below are built into it."""
    return Build(copy_project(tmp_path_factory.mktemp("projet-etudes")), 0, "")


# --- real QDA exports, imported into an `init` study and built with --study (issue 14) -------

EXTERNAL = ROOT.parent / "shared" / "data" / "external"
TAGUETTE = EXTERNAL / "taguette-swj2022"
#: Each real export: (study folder name, import arguments, period dates for the init study).
REAL_EXPORTS = [
    ("qc-demo", [str(EXTERNAL / "qc-demo" / "demo.qdpx"), "--date", f"{date.today().year}-06-01"], None),
    (
        "taguette-20220301",
        [
            str(TAGUETTE / "tags" / "all_tags_20220301.csv"),
            "--codebook",
            str(TAGUETTE / "codebooks" / "codebook_20220301_7.csv"),
            "--date",
            "2021-11-30",
        ],
        ("2021-11-01", "2022-03-31"),
    ),
    (
        "taguette-20220303",
        [
            str(TAGUETTE / "tags" / "all_tags_20220303.csv"),
            "--codebook",
            str(TAGUETTE / "codebooks" / "codebook_20220303_8.csv"),
        ],
        ("2021-11-01", "2022-03-31"),
    ),
]


@pytest.fixture(scope="session")
def real_builds(build) -> dict[str, subprocess.CompletedProcess]:
    """The real exports, each: init, import, build --study, in the browser test's project copy."""
    if not EXTERNAL.is_dir():
        pytest.skip("données externes absentes (../shared/data/external) : exports réels non testés")
    out = {}
    for name, arguments, dates in REAL_EXPORTS:
        folder = build.root / "data" / name
        steps = [["init", str(folder)]]
        steps.append(["import", *arguments, "--into", str(folder), "--repondants", "partenaires"])
        steps.append(["build", "--root", str(build.root), "--study", str(folder)])
        for number, step in enumerate(steps):
            if number == 1 and dates:
                study = folder / "study.yml"
                year = date.today().year  # init's placeholder period covers this year
                study.write_text(
                    study.read_text(encoding="utf-8")
                    .replace(f"start: {year}-01-01", f"start: {dates[0]}")
                    .replace(f"end: {year}-12-31", f"end: {dates[1]}"),
                    encoding="utf-8",
                )
            result = subprocess.run(
                [*cli_command(), *step],
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT,
                cwd=build.root,
                env=researcher_environment(),
            )
            out[name] = result
            if result.returncode != 0:
                break
    return out


def pages_to_check(folder: Path, specs) -> list[Path]:
    """The pages of ``folder`` opened in the browser: its index, and the lightest and the heaviest page
    of each kind of the manifest ``specs`` (every page when ``RDT_TOUTES_LES_PAGES`` is set)."""
    if os.environ.get("RDT_TOUTES_LES_PAGES"):
        return sorted(folder.glob("*.html"))
    kinds: dict[str, list[Path]] = {}
    for spec in specs:
        kinds.setdefault(spec.kind, []).append(folder / spec.html_name)
    chosen = {folder / "index.html"}
    for pages in kinds.values():
        by_size = sorted(pages, key=lambda page: (page.stat().st_size, page.name))
        chosen |= {by_size[0], by_size[-1]}
    return sorted(chosen)


def study_page_problems(build, browser, artifacts, name: str, result) -> list[str]:
    """Build ``result`` of ``--study data/<name>``: every report written, the pages of
    :func:`pages_to_check` through every check."""
    from rd_territoriale.build.manifest import load_manifest

    assert result.returncode == 0, f"{name} : {result.args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    folder = build.reports / name
    specs = load_manifest(build.root, study=build.root / "data" / name)
    built = {p.name for p in folder.glob("*.html")}
    missing = sorted(({spec.html_name for spec in specs} | {"index.html"}) - built)
    assert not missing, missing
    failures = []
    for path in pages_to_check(folder, specs):
        visit = visit_page(browser, artifacts, f"{name}-{path.stem}", path)
        for what, check in CHECKS.items():
            problems = check(visit)
            if problems:
                failures.append(report(visit, what, problems))
    top = (build.reports / "index.html").read_text(encoding="utf-8")
    if f'href="{name}/index.html"' not in top:
        failures.append(f"reports/index.html ne renvoie pas vers {name}/index.html")
    return failures


@pytest.mark.parametrize("name", [r[0] for r in REAL_EXPORTS])
def test_real_exports_build_every_report_and_pass_the_browser_checks(real_builds, build, browser, artifacts, name):
    """A real QDA export in an `init` study: every report of the manifest builds and passes every check."""
    failures = study_page_problems(build, browser, artifacts, name, real_builds[name])
    assert not failures, "\n\n".join(failures)


# --- sparse studies made from the example, built with --study (issue 14) ---------------------

#: Sparse studies built and opened in the browser by every `make test`: what they lack covers every
#: gap of tests/sparse_studies.py. The empty period goes without projects: with them it would be the
#: example's 32 reports again, and une-periode-sans-segments builds the project pages of a sparse study.
#: RDT_TOUTES_LES_ETUDES_CREUSES=1 builds each variant on its own instead.
SPARSE_BUILT = {
    "etude-creuse": "sans-journal+sans-projets+un-codeur+sans-locuteurs+sans-consentement+sans-indicateurs",
    "periode-vide": "periode-vide+sans-projets",
    "une-periode-sans-segments": "une-periode+sans-segments+sans-citations",
}
if os.environ.get("RDT_TOUTES_LES_ETUDES_CREUSES"):
    from sparse_studies import SPARSE

    SPARSE_BUILT = {name: name for name in SPARSE}


@pytest.fixture(scope="session")
def sparse_builds(build) -> dict[str, subprocess.CompletedProcess]:
    """Each sparse study written into the browser test's project copy, then ``build --study``."""
    from sparse_studies import make_sparse

    out = {}
    for name, recipe in SPARSE_BUILT.items():
        folder = make_sparse(recipe, build.root / "data" / name)
        out[name] = subprocess.run(
            [*cli_command(), "build", "--root", str(build.root), "--study", str(folder)],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            cwd=build.root,
            env=researcher_environment(),
        )
    return out


@pytest.mark.parametrize("name", sorted(SPARSE_BUILT))
def test_sparse_studies_build_every_report_and_pass_the_browser_checks(sparse_builds, build, browser, artifacts, name):
    """A sparse study: every report builds, and every page passes every check."""
    failures = study_page_problems(build, browser, artifacts, name, sparse_builds[name])
    assert not failures, "\n\n".join(failures)
