"""Every report on every valid study: sparse studies say what they lack, never fail (issue 14).

The notebooks of the manifest run in this process (:mod:`notebook_runner`,
no kernel start-up) on sparse studies made from the example
(:mod:`sparse_studies`), on the empty skeleton ``rd-territoriale init``
writes, and on small random valid studies drawn by ``hypothesis``. A cell
that raises, or a display that prints a traceback, fails the test; so does
a section that should say what is missing and does not. The real QDA
exports go through the real build and the browser in ``test_browser.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from notebook_runner import manifest_runs, run_inprocess
from sparse_studies import SPARSE, make_sparse

from rd_territoriale.study.gaps import GAPS, empty_periods, study_gaps

#: The gap each sparse study must report, and the report ids where its sentence must be shown.
EXPECTED = {
    "sans-journal": ("journal", ["reflexivite"]),
    "sans-projets": ("units", ["synthese", "reflexivite"]),
    "une-periode": ("periods", ["synthese", "reflexivite"]),
    "un-codeur": ("coders", ["fiabilite", "reflexivite"]),
    "sans-locuteurs": ("speakers", ["reflexivite"]),
    "sans-citations": ("quotes", ["reflexivite"]),
    "sans-consentement": ("consent", ["reflexivite"]),
    "sans-indicateurs": ("indicators", ["chaine-de-valeur", "reflexivite"]),
    "sans-segments": ("segments", ["synthese", "reflexivite", "fiabilite"]),
}
NAN_CELL = re.compile(r">\s*(nan|NaN|<NA>|None)\s*<")


def markdown_plain(text: str) -> str:
    """Shown text with Markdown/HTML escapes and emphasis removed, for a sentence search."""
    text = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


def run_all(folder: Path, every: bool = False) -> dict[str, str]:
    """Run the reports of the manifest on ``folder``; what each showed, by report id.

    Every notebook of the manifest runs; of a ``foreach`` entry, only its
    first report unless ``every`` (the others run the same cells on another
    period or project, which the browser build covers).
    """
    shown, seen = {}, set()
    for report_id, notebook, parameters in manifest_runs(folder):
        kind = (notebook.name, "period" in parameters, "unit" in parameters)
        if kind in seen and not every:
            continue
        seen.add(kind)
        outcome = run_inprocess(notebook, {**parameters, "data_dir": str(folder)})
        shown[report_id] = outcome.shown
    return shown


@pytest.fixture(scope="module", params=sorted(SPARSE))
def sparse(request, tmp_path_factory):
    folder = make_sparse(request.param, tmp_path_factory.mktemp("etudes") / request.param)
    return request.param, folder, run_all(folder)


def test_sparse_studies_are_valid(tmp_path):
    from rd_territoriale.study.schema import validate_study

    for name in SPARSE:
        result = validate_study(make_sparse(name, tmp_path / name))
        assert result.ok, (name, [p.message() for p in result.problems][:5])


def test_every_report_builds_and_says_what_is_missing(sparse):
    name, folder, shown = sparse
    assert shown, f"{name} : aucun rapport"
    for report_id, text in shown.items():
        assert "Traceback" not in text, (name, report_id)
        assert not NAN_CELL.search(text), (name, report_id, NAN_CELL.search(text).group(0))
    if name in EXPECTED:
        key, where = EXPECTED[name]
        from rd_territoriale import load_case

        assert key in study_gaps(load_case(folder)), (name, key)
        sentence = GAPS[key]
        for report_id in where:
            assert sentence in markdown_plain(shown[report_id]), f"{name} : {report_id} ne dit pas « {sentence} »"


def test_a_study_without_projects_has_no_project_report_and_says_so(tmp_path):
    from rd_territoriale.build.manifest import load_manifest

    folder = make_sparse("sans-projets", tmp_path / "sans-projets")
    reports = load_manifest(Path(__file__).resolve().parents[2], study=folder)
    assert not [r for r in reports if r.scope == "unit"]
    assert {e.kind for e in reports.empty} == {"projet", "chaine-de-valeur-projet"}


def test_an_empty_period_is_shown_and_said_to_be_empty(tmp_path):
    from rd_territoriale import load_case

    folder = make_sparse("periode-vide", tmp_path / "periode-vide")
    assert empty_periods(load_case(folder)) == ["P1b"]
    runs = {rid: (nb, p) for rid, nb, p in manifest_runs(folder)}
    assert "periode-P1b" in runs
    notebook, parameters = runs["periode-P1b"]
    shown = markdown_plain(run_inprocess(notebook, {**parameters, "data_dir": str(folder)}).shown)
    assert "Cette période n'a aucun matériau" in shown
    notebook, parameters = runs["reflexivite"]
    shown = markdown_plain(run_inprocess(notebook, {**parameters, "data_dir": str(folder)}).shown)
    assert "La période P1b (Entre-deux) n’a aucun matériau" in shown


def test_the_init_skeleton_builds_every_report(tmp_path):
    from rd_territoriale.study.skeleton import write_skeleton

    folder = tmp_path / "vide"
    write_skeleton(folder)
    shown = run_all(folder, every=True)
    assert set(shown) == {
        "synthese",
        "periode-P1",
        "reflexivite",
        "reflexivite-periode-P1",
        "fiabilite",
        "chaine-de-valeur",
    }
    assert GAPS["segments"] in markdown_plain(shown["synthese"])


# --- random small valid studies -------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def small_studies(draw):
    """A small valid study as ``(study.yml text, {table: DataFrame})``: 1–4 periods, 0–n rows per table."""
    n_periods = draw(st.integers(1, 4))
    starts = pd.date_range("2020-01-01", periods=n_periods + 1, freq="6MS")
    periods = [
        {
            "id": f"P{i + 1}",
            "label": f"Période {i + 1}",
            "start": str(starts[i].date()),
            "end": str((starts[i + 1] - pd.Timedelta(days=1)).date()),
        }
        for i in range(n_periods)
    ]
    n_cats = draw(st.integers(1, 3))
    cats = [f"c{i}" for i in range(n_cats)]
    people = pd.DataFrame({"id": ["R01"] + [f"A{i}" for i in range(draw(st.integers(0, 5)))]})
    people["category"] = [cats[draw(st.integers(0, n_cats - 1))] for _ in range(len(people))]
    people["is_researcher"] = ["oui"] + ["non"] * (len(people) - 1)
    actors = list(people["id"][1:])
    n_units = draw(st.integers(0, 3))
    units = pd.DataFrame(
        {
            "id": [f"U{i}" for i in range(n_units)],
            "name": [f"Projet {i}" for i in range(n_units)],
            "kind": ["filière"] * n_units,
            "start": [periods[0]["start"]] * n_units,
            "end": [""] * n_units,
        }
    )
    day = st.integers(0, (starts[-1] - starts[0]).days - 1).map(
        lambda d: str((starts[0] + pd.Timedelta(days=d)).date())
    )
    n_docs = draw(st.integers(0, 6))
    kinds = [draw(st.sampled_from(["entretien", "compte rendu"])) if actors else "compte rendu" for _ in range(n_docs)]
    documents = pd.DataFrame(
        {
            "id": [f"D{i}" for i in range(n_docs)],
            "kind": kinds,
            "date": [draw(day) for _ in range(n_docs)],
            "unit": [draw(st.sampled_from(["", *units["id"]])) for _ in range(n_docs)],
            "respondent": [draw(st.sampled_from(actors)) if k == "entretien" else "" for k in kinds],
            "interviewer": ["R01" if k == "entretien" else "" for k in kinds],
            "quote_consent": [draw(st.sampled_from(["oui", "non"])) for _ in range(n_docs)],
            "words": [draw(st.integers(0, 3000)) for _ in range(n_docs)],
        }
    )
    n_entries = draw(st.integers(0, 6))
    journal = pd.DataFrame(
        {
            "id": [f"J{i}" for i in range(n_entries)],
            "date": [draw(day) for _ in range(n_entries)],
            "author": ["R01"] * n_entries,
            "unit": [draw(st.sampled_from(["", *units["id"]])) for _ in range(n_entries)],
            "kind": [draw(st.sampled_from(["réunion", "comité", "note réflexive"])) for _ in range(n_entries)],
            "researcher_role": [draw(st.sampled_from(["observateur", "acteur"])) for _ in range(n_entries)],
            "participants": [
                "|".join(draw(st.lists(st.sampled_from(cats), max_size=2, unique=True))) for _ in range(n_entries)
            ],
            "text": [f"Note {i} sur la méta-organisation." for i in range(n_entries)],
        }
    )
    n_codes = draw(st.integers(1, 5))
    codes = [f"k{i}" for i in range(n_codes)]
    codebook = pd.DataFrame(
        {
            "code": codes,
            "label": [f"Code {c}" for c in codes],
            "parent": [""] * n_codes,
            "dimension": [""] * n_codes,
            "definition": [""] * n_codes,
            "version": [1] * n_codes,
        }
    )
    sources = list(documents["id"]) + list(journal["id"])
    coders = ["R01"] + actors[:1]
    n_seg = draw(st.integers(0, 25)) if sources else 0
    segments = pd.DataFrame(
        {
            "id": [f"S{i}" for i in range(n_seg)],
            "source": [draw(st.sampled_from(sources)) for _ in range(n_seg)] if n_seg else [],
            "coder": [draw(st.sampled_from(coders)) for _ in range(n_seg)],
            "code": [draw(st.sampled_from(codes)) for _ in range(n_seg)],
            "start": [""] * n_seg,
            "end": [""] * n_seg,
            "text": [f"passage {i}" for i in range(n_seg)],
            "speaker": [draw(st.sampled_from(["", *actors])) for _ in range(n_seg)],
        }
    )
    study = {
        "case": "Étude tirée au hasard",
        "researchers": ["R01"],
        "periods": periods,
        "stakeholder_categories": [{"id": c, "label": f"Catégorie {c}", "college": c, "members": 3} for c in cats],
        "research_lexicon": [{"term": "méta-organisation"}],
        "privacy": {"min_cell_size": 5, "quote_policy": draw(st.sampled_from(["consentement", "aucune"]))},
    }
    return study, {
        "units": units,
        "people": people,
        "documents": documents,
        "journal": journal,
        "codebook": codebook,
        "segments": segments,
    }


def write_study(folder: Path, study: dict, tables: dict) -> Path:
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.yml").write_text(yaml.safe_dump(study, allow_unicode=True), encoding="utf-8")
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(drawn=small_studies())
def test_random_small_valid_studies_build_every_report(tmp_path_factory, drawn):
    from rd_territoriale.study.schema import validate_study

    folder = write_study(tmp_path_factory.mktemp("hasard"), *drawn)
    result = validate_study(folder)
    assert result.ok, [p.message() for p in result.problems][:5]
    run_all(folder)
