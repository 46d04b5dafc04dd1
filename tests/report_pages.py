"""Helpers shared by the tests that build the example's pages and check them as partners read them.

The **example site** (:func:`build_site`, the ``example_site`` fixture of
``conftest.py``): every report of ``reports.yml``, plus the extra parameter
sets of :data:`EXTRA_REPORTS`, built once per test session by the real
command (``rd-territoriale build --root``) over a copy of the project whose
example carries hostile field text (``payloads.plant``). The browser test
opens its pages; the tests of each notebook read them (:func:`site_pages`,
payloads taken out). Also: a copy of the project, a manifest written for a
test, a section of a page, and what every published page must satisfy
(docs/architecture.md §5).
"""

from __future__ import annotations

import html as html_module
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from payloads import PAYLOADS, plant

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "exemple"


def write_manifest(root: Path, text: str) -> Path:
    path = root / "reports.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def copy_project(dst: Path, with_example: bool = False) -> Path:
    """A throw-away copy of what a build reads: notebooks, manifest, data."""
    shutil.copytree(ROOT / "notebooks", dst / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(ROOT / "reports.yml", dst / "reports.yml")
    (dst / "reports").mkdir()
    if with_example:
        shutil.copytree(EXAMPLE, dst / "data" / "exemple", ignore=shutil.ignore_patterns("processed", "raw"))
    return dst


#: Parameter sets that reports.yml does not hold, added to the one build of the example site
#: (rather than built again by the test that reads them).
EXTRA_REPORTS = """\
  - id: reflexivite-equipe
    title: Rapport de réflexivité (équipe)
    notebook: notebooks/reflexivite.ipynb
    audience: equipe
"""
SITE_TIMEOUT = 900  # seconds, for the whole build


@dataclass
class Build:
    """A build of a project copy: its root, the command's status and output."""

    root: Path
    returncode: int
    output: str

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.strip().splitlines()[-lines:])


def cli_command() -> list[str]:
    """The installed ``rd-territoriale`` command (or the module, when the script is missing)."""
    script = Path(sys.executable).with_name("rd-territoriale")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rd_territoriale.cli"]


def copy_site_project(dst: Path) -> Path:
    """What a build reads: the manifest (with :data:`EXTRA_REPORTS`), the notebooks and the studies.

    Never ``raw/``, ``processed/`` or ``private/``. Field text is data (issue 15): the
    example's free text carries markup, links, math and formulas, so every page is also
    checked for what the data must never do in a browser.
    """
    copy_project(dst)
    manifest = dst / "reports.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + EXTRA_REPORTS, encoding="utf-8")
    for study in sorted((ROOT / "data").glob("*/study.yml")):
        shutil.copytree(
            study.parent,
            dst / "data" / study.parent.name,
            ignore=shutil.ignore_patterns("processed", "raw", ".ipynb_checkpoints"),
        )
    plant(dst / "data" / "exemple")
    return dst


def environment_without(*names: str) -> dict[str, str]:
    """This process's environment without the variables ``names``, for a command the test runs."""
    return {name: value for name, value in os.environ.items() if name not in names}


def researcher_environment() -> dict[str, str]:
    """This environment without the suite's ``RD_TERRITORIALE_PARALLELES=1`` (``conftest.py``).

    For the builds that go through the real command as a researcher runs it: as many reports at
    once as the machine has cores, so that the build's pool of workers runs on whole studies. It also
    keeps these long builds short in wall time, which the spreading of the suite over cores needs.
    """
    from rd_territoriale.build.pipeline import JOBS_VARIABLE

    return environment_without(JOBS_VARIABLE)


def build_site(root: Path) -> Build:
    """Copy the project into ``root`` and build every report with the real command (:func:`researcher_environment`)."""
    copy_site_project(root)
    try:
        result = subprocess.run(
            [*cli_command(), "build", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=SITE_TIMEOUT,
            cwd=root,
            env=researcher_environment(),
        )
    except subprocess.TimeoutExpired as exc:
        return Build(
            root, -1, f"rd-territoriale build n'a pas fini en {SITE_TIMEOUT} s dans {root}.\n{exc.stdout or ''}"
        )
    return Build(root, result.returncode, result.stdout + result.stderr)


def unplant(text: str) -> str:
    """``text`` without the planted payloads (and the space before each): the example's own words."""
    for payload in sorted(PAYLOADS, key=len, reverse=True):
        text = text.replace(" " + payload, "").replace(payload, "")
    return text


def raw_page(site: Build, report_id: str) -> str:
    """A page of the site as the browser reads it (escaped, payloads in): for :func:`assert_partner_page`."""
    return (site.reports / f"{report_id}.html").read_text(encoding="utf-8")


def site_pages(site: Build) -> dict[str, str]:
    """The example site's pages by id, unescaped, payloads taken out (what the example itself says)."""
    if site.returncode != 0:
        raise AssertionError(f"le site d'exemple ne s'est pas construit :\n{site.tail()}")
    return {
        page.stem: unplant(html_module.unescape(page.read_text(encoding="utf-8")))
        for page in site.reports.glob("*.html")
        if page.stem != "index"
    }


def image_sources(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", html)


def section(page: str, anchor: str) -> str:
    """The part of a built page from the heading whose id starts with ``anchor`` to the next ``<h2``."""
    start = page.index(f'id="{anchor}')
    end = page.find("<h2", start + 1)
    return page[start : end if end > 0 else None]


def assert_partner_page(html: str) -> None:
    """What every published page must satisfy (docs/architecture.md §5)."""
    from rd_territoriale.build.html import find_external_resources

    assert re.search(r"<html[^>]*\blang=\"fr\"", html)
    assert re.search(r"<title>[^<]+</title>", html)
    assert 'name="viewport"' in html
    assert html.count("<h1") == 1
    assert "<script src" not in html and "<script" not in html
    assert "<link" not in html
    assert not re.search(r"(src|srcset|poster|data)=\"(https?:)?//", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@import" not in html
    assert find_external_resources(html) == []
    # no code: no input area, no prompt, no highlighted source
    assert "jp-InputArea-editor" not in html and 'class="highlight' not in html
    assert "In&nbsp;[" not in html and "In [" not in html
    assert "celltag_parameters" not in html and "celltag_injected-parameters" not in html
    assert "# Parameters" not in html
    for src in image_sources(html):
        assert src.startswith("data:image/")
    assert '<footer class="rdt-footer"' in html and "Provenance de ce rapport" in html
