"""Import of Taguette CSV exports, checked on real exports made by others."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.qda.taguette import (
    TaguetteError,
    check_counts,
    date_from_name,
    read_taguette,
    slugify_id,
)
from rd_territoriale.study.case import type_frame
from rd_territoriale.study.contract import TABLES

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "external"
TAGUETTE = EXTERNAL / "taguette-swj2022"
needs_data = pytest.mark.skipif(
    not TAGUETTE.is_dir(), reason="données externes Taguette absentes (../shared/data/external)"
)
ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def _days() -> dict[str, tuple[Path, Path]]:
    """Days with both a highlights export and a codebook (the day's last codebook)."""
    if not TAGUETTE.is_dir():
        return {}
    books = {}
    for path in sorted(
        (TAGUETTE / "codebooks").glob("codebook_*.csv"), key=lambda p: (p.stem.split("_")[1], int(p.stem.split("_")[2]))
    ):
        books[path.stem.split("_")[1]] = path
    out = {}
    for day, book in books.items():
        tags = TAGUETTE / "tags" / f"all_tags_{day}.csv"
        if tags.is_file():
            out[day] = (tags, book)
    return out


DAYS = _days()


@needs_data
def test_days_found():
    assert sorted(DAYS) == ["20220301", "20220303"]


@needs_data
@pytest.mark.parametrize("day", sorted(DAYS) or ["aucun"])
def test_counts_match_codebook(day):
    tags, book = DAYS[day]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_taguette(tags, book)
    undated = [w for w in caught if "sans date" in str(w.message)]
    assert len(undated) == (1 if day == "20220301" else 0)  # PSSUQ comments have no date
    assert check_counts(result).empty
    expected = pd.read_csv(book, dtype=str, keep_default_na=False)
    imported = result.segments["code"].value_counts()
    codes = dict(zip(result.codebook["label"], result.codebook["code"]))
    for tag, n in zip(expected["tag"], expected["number of highlights"]):
        assert imported.get(codes[tag], 0) == int(n), tag
    assert len(result.segments) == sum(int(n) for n in expected["number of highlights"])
    assert set(result.codebook["label"]) == set(expected["tag"])
    for name, frame in result.tables.items():
        assert list(frame.columns) == [c.name for c in TABLES[name].columns if c.required or c.name in frame]
        type_frame(frame, TABLES[name])  # the frames type like a study's tables
    assert result.segments["id"].is_unique
    assert result.segments["source"].isin(result.documents["id"]).all()
    assert result.segments["code"].isin(result.codebook["code"]).all()
    for col in ("id", "source", "code"):
        assert result.segments[col].str.fullmatch(ID.pattern).all()
    assert result.segments[["start", "end", "speaker"]].isna().all().all()
    assert (result.segments["coder"] == "taguette").all()


@needs_data
def test_20220303_oracle():
    tags, book = DAYS["20220303"]
    result = read_taguette(tags, book)
    assert len(result.segments) == 1930
    assert len(result.codebook) == 22
    assert len(result.documents) == 17
    assert (result.segments["code"] == "moderator_assist").sum() == 174
    moderator = result.codebook.set_index("code").loc["moderator_assist"]
    assert moderator["label"] == "Moderator assist"
    assert moderator["definition"].startswith("The moderator intervenes")
    assert moderator["version"] == "1" and pd.isna(moderator["parent"])
    assert "export_meta_data_useful" in set(result.codebook["code"])
    assert result.summary[0].startswith("Import Taguette de all_tags_20220303.csv : 1930 segments")
    assert any("texte intégral" in line for line in result.summary)


@needs_data
def test_document_dates_from_names():
    tags, book = DAYS["20220303"]
    docs = read_taguette(tags, book).documents.set_index("title")
    assert docs.loc["P2_GMT20211119.odt", "date"] == "2021-11-19"
    assert docs.loc["P2_GMT20211119.odt", "id"] == "p2_gmt20211119"
    assert docs.loc["P14_GMT20220124.odt", "date"] == "2022-01-24"
    assert (docs["kind"] == "entretien").all()
    assert (docs["quote_consent"] == "non").all()
    assert docs["words"].astype(int).gt(0).all()


@needs_data
def test_documents_without_date_warn():
    tags, book = DAYS["20220301"]
    with pytest.warns(UserWarning, match="sans date"):
        result = read_taguette(tags, book)
    docs = result.documents.set_index("title")
    assert pd.isna(docs.loc["P1_Nov21_PSSUQ_Comments.odt", "date"])
    assert len(result.undated) == 14
    assert any("14 documents sans date" in line for line in result.summary)


@needs_data
def test_bom_crlf_copy_gives_same_result(tmp_path):
    tags, book = DAYS["20220303"]
    copies = []
    for path in (tags, book):
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
        copy = tmp_path / path.name
        copy.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        copies.append(copy)
    original = read_taguette(tags, book)
    again = read_taguette(*copies)
    for name in ("codebook", "documents", "segments"):
        pd.testing.assert_frame_equal(original.tables[name], again.tables[name])
    assert check_counts(again).empty


# --- tiny hand-made exports -------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def tiny(tmp_path):
    tags = _write(
        tmp_path / "tags.csv",
        (
            "id,document,tag,content\n"
            "1,A_GMT20210301.odt,Coopération,On travaille ensemble.\n"
            "1,A_GMT20210301.odt,Inconnu,On travaille ensemble.\n"
            '2,Notes terrain.docx,Coopération,"Un texte, avec virgule"\n'
            "3,Notes terrain.docx,Dynamique/Essoufflement,On s'essouffle.\n"
        ),
    )
    book = _write(
        tmp_path / "book.csv",
        (
            "tag,description,number of highlights\n"
            "Coopération,Travail commun,2\n"
            "Dynamique/Essoufflement,Perte d'élan,1\n"
            "Jamais utilisé,,0\n"
        ),
    )
    return tags, book


def test_tag_absent_from_codebook(tiny):
    with pytest.warns(UserWarning):
        result = read_taguette(*tiny)
    mismatches = check_counts(result)
    assert list(mismatches["tag"]) == ["Inconnu"]
    assert pd.isna(mismatches.loc[0, "expected"]) and mismatches.loc[0, "imported"] == 1
    book = result.codebook.set_index("code")
    assert book.loc["inconnu", "label"] == "Inconnu" and pd.isna(book.loc["inconnu", "definition"])
    assert book.loc["cooperation", "definition"] == "Travail commun"
    assert any("absente du codebook" in line and "Inconnu" in line for line in result.summary)
    assert any("sans aucun surlignage" in line and "Jamais utilisé" in line for line in result.summary)


def test_hierarchy_and_parents(tiny):
    with pytest.warns(UserWarning):
        result = read_taguette(*tiny)
    book = result.codebook.set_index("code")
    assert book.loc["dynamique_essoufflement", "parent"] == "dynamique"
    assert book.loc["dynamique_essoufflement", "dimension"] == "Dynamique"
    assert book.loc["dynamique", "label"] == "Dynamique"  # parent added
    assert book["parent"].dropna().isin(book.index).all()
    with pytest.warns(UserWarning):
        flat = read_taguette(*tiny, hierarchy=False)
    assert flat.codebook["parent"].isna().all()


def test_document_without_date_and_segments(tiny):
    with pytest.warns(UserWarning, match="Notes terrain.docx"):
        result = read_taguette(*tiny, coder="R01")
    docs = result.documents.set_index("id")
    assert docs.loc["a_gmt20210301", "date"] == "2021-03-01"
    assert pd.isna(docs.loc["notes_terrain", "date"])
    # words count the distinct highlights only: highlight 1 is counted once
    assert docs.loc["a_gmt20210301", "words"] == "3"
    seg = result.segments
    assert list(seg["id"]) == ["tg1_cooperation", "tg1_inconnu", "tg2_cooperation", "tg3_dynamique_essoufflement"]
    assert seg.loc[2, "text"] == "Un texte, avec virgule"
    assert (seg["coder"] == "R01").all()


def test_without_codebook(tiny):
    with pytest.warns(UserWarning):
        result = read_taguette(tiny[0])
    assert result.codebook["definition"].isna().all()
    with pytest.raises(TaguetteError, match="Vérification impossible"):
        check_counts(result)


def test_empty_file_french_error(tmp_path):
    empty = _write(tmp_path / "vide.csv", "")
    with pytest.raises(TaguetteError, match="non vide"):
        read_taguette(empty)
    header_only = _write(tmp_path / "entete.csv", "id,document,tag,content\r\n")
    with pytest.raises(TaguetteError, match="aucune ligne de données"):
        read_taguette(header_only)


def test_wrong_columns_and_missing_file(tmp_path):
    other = _write(tmp_path / "autre.csv", "a,b\n1,2\n")
    with pytest.raises(TaguetteError, match="colonne\\(s\\) manquante\\(s\\) document, tag, content"):
        read_taguette(other)
    with pytest.raises(TaguetteError, match="introuvable"):
        read_taguette(tmp_path / "absent.csv")


def test_helpers():
    assert slugify_id("Export (meta)data useful") == "export_meta_data_useful"
    assert slugify_id("Coopération été") == "cooperation_ete"
    assert date_from_name("P2_GMT20211119.odt") == "2021-11-19"
    assert date_from_name("entretien 2021-03-05.docx") == "2021-03-05"
    assert date_from_name("P1_Nov21_PSSUQ_Comments.odt") is None
    assert date_from_name("code 20211399") is None
