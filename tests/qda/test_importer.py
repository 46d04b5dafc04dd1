"""`rd-territoriale import`: Taguette codings into a study, validated, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.cli import main

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "external"
TAGUETTE = EXTERNAL / "taguette-swj2022"
TAGS = TAGUETTE / "tags" / "all_tags_20220303.csv"
CODEBOOK = TAGUETTE / "codebooks" / "codebook_20220303_8.csv"
pytestmark = pytest.mark.skipif(
    not TAGS.is_file(), reason="données externes Taguette absentes (../shared/data/external)"
)

STUDY = """\
case: "Tests d'utilisabilité (Taguette)"
territory: "Essai"
researchers: [taguette]
periods:
  - {id: N, label: "Novembre 2021", start: 2021-11-01, end: 2021-11-30}
  - {id: D, label: "Décembre 2021", start: 2021-12-01, end: 2021-12-31}
  - {id: J, label: "Janvier 2022", start: 2022-01-01, end: 2022-01-31}
stakeholder_categories:
  - {id: chercheurs, label: "Chercheurs", college: "Recherche", members: 2}
  - {id: usagers, label: "Usagers", college: "Usagers", members: 17}
research_lexicon:
  - {term: "tableau de bord", variants: ["dashboard"]}
privacy: {min_cell_size: 5, quote_policy: consentement}
"""


def study(tmp_path) -> Path:
    folder = tmp_path / "etude"
    folder.mkdir()
    (folder / "study.yml").write_text(STUDY, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def days() -> dict[str, tuple[Path, Path]]:
    """Every day with both a highlights export and a codebook (the day's last codebook)."""
    books = {}
    for path in sorted(
        (TAGUETTE / "codebooks").glob("codebook_*.csv"), key=lambda p: (p.stem.split("_")[1], int(p.stem.split("_")[2]))
    ):
        books[path.stem.split("_")[1]] = path
    return {
        day: (TAGUETTE / "tags" / f"all_tags_{day}.csv", book)
        for day, book in books.items()
        if (TAGUETTE / "tags" / f"all_tags_{day}.csv").is_file()
    }


DAYS = days() if TAGUETTE.is_dir() else {}


@pytest.mark.parametrize("day", sorted(DAYS) or ["aucun"])
def test_per_tag_counts_after_import_equal_the_codebook(tmp_path, capsys, day):
    """Acceptance: for each day with both files, counts in the imported study = « number of highlights »."""
    from rd_territoriale import load_case

    assert sorted(DAYS) == ["20220301", "20220303"]
    tags, book = DAYS[day]
    folder = study(tmp_path)
    # 2022-03-01 also holds questionnaire comments (« P1_Nov21_PSSUQ_Comments.odt »): no day in their names
    extra = ["--date", "2021-11-30"] if day == "20220301" else []
    code = main(
        [
            "import",
            str(tags),
            "--codebook",
            str(book),
            "--into",
            str(folder),
            "--categorie",
            "chercheurs",
            "--repondants",
            "usagers",
            *extra,
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    case = load_case(folder)
    expected = pd.read_csv(book).set_index("tag")["number of highlights"]
    labels = case.codebook.set_index("code")["label"]
    counted = case.segments["code"].map(labels).value_counts()
    assert counted.reindex(expected.index).fillna(0).astype(int).tolist() == expected.tolist()
    assert len(case.segments) == expected.sum()
    if extra:
        assert "datés du 2021-11-30" in out.out or "daté(s) du 2021-11-30" in out.out


def test_a_day_with_undated_documents_needs_a_default_date(tmp_path, capsys):
    tags, book = DAYS["20220301"]
    folder = study(tmp_path)
    before = snapshot(folder)
    with pytest.warns(UserWarning, match="sans date"):
        assert (
            main(["import", str(tags), "--codebook", str(book), "--into", str(folder), "--repondants", "usagers"]) == 1
        )
    err = capsys.readouterr().err
    assert "document(s) sans date" in err and "P1_Nov21_PSSUQ_Comments.odt" in err and "--date" in err
    assert snapshot(folder) == before


def test_a_taguette_codebook_alone_replaces_only_the_codebook(tmp_path, capsys):
    from rd_territoriale import load_case

    folder = study(tmp_path)
    assert (
        main(["import", str(TAGS), "--codebook", str(CODEBOOK), "--into", str(folder), "--repondants", "usagers"]) == 0
    )
    before = {k: v for k, v in snapshot(folder).items() if k != "codebook.csv"}
    assert main(["import", str(CODEBOOK), "--into", str(folder)]) == 0
    assert "Codebook Taguette codebook_20220303_8.csv : 22 étiquettes" in capsys.readouterr().out
    assert {k: v for k, v in snapshot(folder).items() if k != "codebook.csv"} == before
    assert len(load_case(folder).codebook) == 22
    # an older codebook lacks tags the highlights use: refused, nothing written
    old = TAGUETTE / "codebooks" / "codebook_20220223_0.csv"
    saved = snapshot(folder)
    assert main(["import", str(old), "--into", str(folder)]) == 1
    assert "segments.csv" in capsys.readouterr().err and snapshot(folder) == saved


def test_taguette_import_validates_and_the_cross_period_analysis_runs(tmp_path, capsys):
    from rd_territoriale import load_case
    from rd_territoriale.analysis import matrices, models

    folder = study(tmp_path)
    code = main(
        [
            "import",
            str(TAGS),
            "--codebook",
            str(CODEBOOK),
            "--into",
            str(folder),
            "--categorie",
            "chercheurs",
            "--repondants",
            "usagers",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "1930 segments codés" in out and "Écrit dans" in out
    assert main(["validate", str(folder)]) == 0
    case = load_case(folder)
    # Sessions from November 2021 to January 2022 fall into the study's periods, by the dates in their names.
    assert case.documents.groupby("period").size().to_dict() == {"D": 6, "J": 1, "N": 10}
    p2 = case.documents.set_index("title").loc["P2_GMT20211119.odt"]
    assert str(p2["date"].date()) == "2021-11-19" and p2["period"] == "N"
    matrix = matrices.time_ordered_matrix(case)
    assert matrix.groupby("period")["count"].sum().sum() == 1930
    effects = models.successive_effects(case)
    assert set(effects["period"]) == {"D", "J"} and effects["testable"].any()


def test_nothing_is_written_when_the_imported_study_is_invalid(tmp_path, capsys):
    folder = study(tmp_path)
    before = snapshot(folder)
    # Without --repondants, interviews have no respondent: every problem is listed, nothing written.
    assert main(["import", str(TAGS), "--into", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "documents.csv" in err and "respondent" in err and "Aucun fichier n'a été écrit" in err
    assert snapshot(folder) == before and not [p for p in folder.iterdir() if p.name.startswith(".import")]


def test_refusals(tmp_path, capsys):
    empty = tmp_path / "vide"
    empty.mkdir()
    assert main(["import", str(TAGS), "--into", str(empty)]) == 1
    assert "study.yml" in capsys.readouterr().err and not list(empty.iterdir())
    project = tmp_path / "p.qdpx"
    project.write_bytes(b"PK")
    folder = study(tmp_path)
    before = snapshot(folder)
    assert main(["import", str(project), "--into", str(folder)]) == 1
    assert "p.qdpx" in capsys.readouterr().err and snapshot(folder) == before
    assert main(["import", str(tmp_path / "notes.docx"), "--into", str(folder)]) == 2
    other = tmp_path / "notes.docx"
    other.write_bytes(b"x")
    assert main(["import", str(other), "--into", str(folder)]) == 2
    assert ".qdpx" in capsys.readouterr().err


def test_existing_people_in_french_excel_are_kept(tmp_path, capsys):
    folder = study(tmp_path)
    (folder / "study.yml").write_text(STUDY.replace("researchers: [taguette]", "researchers: [CH01]"), encoding="utf-8")
    (folder / "people.csv").write_bytes("id;category;is_researcher\r\nCH01;chercheurs;oui\r\n".encode("cp1252"))
    assert main(["import", str(TAGS), "--into", str(folder), "--codeur", "CH01", "--repondants", "usagers"]) == 0
    people = pd.read_csv(folder / "people.csv", dtype=str)
    assert people["id"].iloc[0] == "CH01" and (people["id"] == "CH01").sum() == 1  # the coder was already there
    assert len(people) == 1 + 17  # one respondent per session
