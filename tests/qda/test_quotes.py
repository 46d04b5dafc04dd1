"""Coded segments exported as a quotes table (qda.quotes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from minimal_study import STUDY_YML

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.qda.quotes import (
    COLUMNS,
    QuotesError,
    code_ancestry,
    quotes_table,
    write_quotes,
)
from rd_territoriale.study.case import load_case

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"

# A quote with everything a CSV can trip on: separator, quotes, newline, accents, guillemets.
TRICKY = 'On dit « ensemble » ; c\'est "vrai"\net ça dure, à Lons-le-Saunier.'

TABLES = {
    "units": pd.DataFrame(
        {
            "id": ["U1", "U2"],
            "name": ["Légumerie", "Recyclerie"],
            "kind": ["filière", "service"],
            "start": ["2020-02-01", "2021-03-01"],
            "end": ["", ""],
        }
    ),
    "people": pd.DataFrame(
        {
            "id": ["R01", "SAL01", "ESS01"],
            "category": ["salaries", "salaries", "ess"],
            "is_researcher": ["oui", "non", "non"],
        }
    ),
    "documents": pd.DataFrame(
        {
            "id": ["D1", "D2"],
            "kind": ["entretien", "entretien collectif"],
            "date": ["2020-03-10", "2021-05-02"],
            "unit": ["U1", ""],
            "respondent": ["SAL01", "ESS01"],
            "interviewer": ["R01", "R01"],
            "quote_consent": ["oui", "non"],
            "words": ["4200", "3100"],
            "title": ["Entretien salariée", ""],
            "groups": ["pilote|vague 1", ""],
        }
    ),
    "journal": pd.DataFrame(
        {
            "id": ["J1"],
            "date": ["2020-04-01"],
            "author": ["R01"],
            "unit": ["U1"],
            "kind": ["réunion"],
            "researcher_role": ["observateur"],
            "participants": ["salaries"],
            "text": ["Réunion de lancement de la légumerie."],
            "quote_consent": [""],
        }
    ),
    # Version 2 renames the root « Dynamique », nests « Entraide » under « Coopération »,
    # adds « Gouvernance » and drops « Ancien code ».
    "codebook": pd.DataFrame(
        {
            "code": ["dynamique", "cooperation", "ancien", "dynamique", "cooperation", "entraide", "gouvernance"],
            "label": [
                "Dynamique",
                "Coopération",
                "Ancien code",
                "Dynamiques collectives",
                "Coopération",
                "Entraide",
                "Gouvernance",
            ],
            "parent": ["", "dynamique", "dynamique", "", "dynamique", "cooperation", ""],
            "dimension": [""] * 7,
            "definition": [""] * 7,
            "version": ["1", "1", "1", "2", "2", "2", "2"],
        }
    ),
    "segments": pd.DataFrame(
        {
            "id": ["S1", "S2", "S3", "S4", "S5"],
            "source": ["D1", "D1", "D2", "J1", "D1"],
            "coder": ["R01", "R01", "R01", "R01", "R01"],
            "code": ["cooperation", "entraide", "gouvernance", "cooperation", "dynamique"],
            "start": ["0", "120", "10", "0", "100"],
            "end": ["80", "190", "50", "37", "110"],
            "text": [
                TRICKY,
                "On s'entraide.",
                "Ça se décide à plusieurs.",
                "Réunion de lancement de la légumerie.",
                "Ça bouge.",
            ],
            "speaker": ["SAL01", "SAL01", "ESS01", "R01", ""],
        }
    ),
    "attributes": pd.DataFrame(
        {
            "source": ["D1", "D1"],
            "attribute": ["genre", "code"],
            "value": ["femme", "X12"],
        }
    ),
}

FIXED = [
    # document, titre, type, date, période, projet, nom du projet, groupes, code, libellé du code,
    # chemin du code, codeur, locuteur, début, fin, citation, citation autorisée, genre, attribut : code
    [
        "D1",
        "Entretien salariée",
        "entretien",
        "2020-03-10",
        "P1",
        "U1",
        "Légumerie",
        "pilote | vague 1",
        "cooperation",
        "Coopération",
        "Dynamiques collectives > Coopération",
        "R01",
        "SAL01",
        0,
        80,
        TRICKY,
        "oui",
        "femme",
        "X12",
    ],
    [
        "D1",
        "Entretien salariée",
        "entretien",
        "2020-03-10",
        "P1",
        "U1",
        "Légumerie",
        "pilote | vague 1",
        "dynamique",
        "Dynamiques collectives",
        "Dynamiques collectives",
        "R01",
        "",
        100,
        110,
        "Ça bouge.",
        "oui",
        "femme",
        "X12",
    ],
    [
        "D1",
        "Entretien salariée",
        "entretien",
        "2020-03-10",
        "P1",
        "U1",
        "Légumerie",
        "pilote | vague 1",
        "entraide",
        "Entraide",
        "Dynamiques collectives > Coopération > Entraide",
        "R01",
        "SAL01",
        120,
        190,
        "On s'entraide.",
        "oui",
        "femme",
        "X12",
    ],
    [
        "J1",
        "réunion",
        "journal",
        "2020-04-01",
        "P1",
        "U1",
        "Légumerie",
        "",
        "cooperation",
        "Coopération",
        "Dynamiques collectives > Coopération",
        "R01",
        "R01",
        0,
        37,
        "Réunion de lancement de la légumerie.",
        "non",
        "",
        "",
    ],
    [
        "D2",
        "",
        "entretien collectif",
        "2021-05-02",
        "P2",
        "",
        "",
        "",
        "gouvernance",
        "Gouvernance",
        "Gouvernance",
        "R01",
        "ESS01",
        10,
        50,
        "Ça se décide à plusieurs.",
        "non",
        "",
        "",
    ],
]


def write_study(folder: Path, tables: dict = TABLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.yml").write_text(STUDY_YML, encoding="utf-8")
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


@pytest.fixture
def case(tmp_path):
    return load_case(write_study(tmp_path / "etude"), cache=False)


@pytest.fixture(scope="module")
def example():
    return load_case(EXAMPLE)


def rows(table: pd.DataFrame) -> list[list]:
    """Cells as plain Python values, ``Int64`` numbers included."""
    return [
        [None if (not isinstance(v, str) and pd.isna(v)) else (int(v) if not isinstance(v, str) else v) for v in row]
        for row in table.astype(object).itertuples(index=False)
    ]


def test_exact_rows_and_cells(case):
    table = quotes_table(case)
    assert list(table.columns) == [*COLUMNS, "genre", "attribut : code"]
    assert rows(table) == FIXED
    assert str(table["début"].dtype) == "Int64" and str(table["fin"].dtype) == "Int64"


def test_code_path_follows_the_latest_version(case):
    assert code_ancestry(case.codebook) == {
        "dynamique": ["dynamique"],
        "cooperation": ["dynamique", "cooperation"],
        "ancien": ["dynamique", "ancien"],
        "entraide": ["dynamique", "cooperation", "entraide"],
        "gouvernance": ["gouvernance"],
    }
    # « ancien », gone from version 2 (segments cannot use it), keeps its last parent.
    paths = quotes_table(case)["chemin du code"].tolist()
    assert not any(p.startswith("Dynamique >") for p in paths)  # the root's old label is gone


def test_code_filter_keeps_descendants(case):
    assert quotes_table(case, codes="dynamique")["code"].tolist() == [
        "cooperation",
        "dynamique",
        "entraide",
        "cooperation",
    ]
    assert quotes_table(case, codes=["cooperation"])["document"].tolist() == ["D1", "D1", "J1"]
    assert quotes_table(case, codes=["entraide", "gouvernance"])["code"].tolist() == ["entraide", "gouvernance"]
    assert quotes_table(case, codes=[]).empty


def test_consented_only_and_periods(case):
    consented = quotes_table(case, consented_only=True)
    assert rows(consented) == FIXED[:3]  # D2 says « non », J1 does not say
    assert quotes_table(case, periods="P2")["document"].tolist() == ["D2"]
    assert quotes_table(case, periods=["P1"])["document"].tolist() == ["D1", "D1", "D1", "J1"]
    both = quotes_table(case, periods=["P2", "P1"], codes="dynamique", consented_only=True)
    assert both["code"].tolist() == ["cooperation", "dynamique", "entraide"]


def test_unknown_period_or_code_lists_the_known_ones(case):
    with pytest.raises(QuotesError, match="période inconnue : P9 ; attendu : P1, P2") as error:
        quotes_table(case, periods=["P1", "P9"])
    assert isinstance(error.value, RdTerritorialeError)
    with pytest.raises(
        QuotesError,
        match="code inconnu : « cooperaton » ; codes du dictionnaire : "
        "dynamique, cooperation, ancien, entraide, gouvernance.",
    ):
        quotes_table(case, codes="cooperaton")
    with pytest.raises(RdTerritorialeError, match="codes inconnus : « a », « b »"):
        quotes_table(case, codes=["a", "dynamique", "b"])


def test_study_without_attributes(tmp_path):
    tables = {name: frame for name, frame in TABLES.items() if name != "attributes"}
    case = load_case(write_study(tmp_path / "etude", tables), cache=False)
    table = quotes_table(case)
    assert list(table.columns) == COLUMNS
    assert rows(table) == [row[: len(COLUMNS)] for row in FIXED]


def test_tricky_text_survives_csv_and_xlsx(case, tmp_path):
    csv = write_quotes(case, tmp_path / "citations.csv", codes="cooperation")
    assert csv == tmp_path / "citations.csv" and csv.read_bytes().startswith("\ufeff".encode())
    back = pd.read_csv(csv, sep=";", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(back.columns) == [*COLUMNS, "genre", "attribut : code"]
    assert back["citation"].tolist() == [TRICKY, "On s'entraide.", "Réunion de lancement de la légumerie."]
    assert back["chemin du code"].tolist() == [
        "Dynamiques collectives > Coopération",
        "Dynamiques collectives > Coopération > Entraide",
        "Dynamiques collectives > Coopération",
    ]
    assert back["genre"].tolist() == ["femme", "femme", ""]
    xlsx = write_quotes(case, tmp_path / "citations.xlsx", consented_only=True)
    from openpyxl import load_workbook

    assert load_workbook(xlsx).active.title == "Citations"
    assert pd.read_excel(xlsx)["citation"].tolist() == [TRICKY, "Ça bouge.", "On s'entraide."]


def test_example_one_row_per_segment(example):
    table = quotes_table(example)
    segments = example.segments
    assert len(table) == len(segments)
    ordered = segments.sort_values(["date", "source", "start", "code", "id"], kind="mergesort")
    assert table["citation"].tolist() == ordered["text"].tolist()
    assert table["document"].tolist() == ordered["source"].tolist()
    assert table["code"].tolist() == ordered["code"].tolist()
    assert table["date"].tolist() == sorted(table["date"])
    assert set(table["citation autorisée"]) == {"oui", "non"}
    assert set(table.loc[table["type"] == "journal", "document"]) <= set(example.journal["id"])
    assert list(table.columns) == COLUMNS  # the example has no attributes
    assert table.notna().all().all()


def _as_text(table: pd.DataFrame) -> list[list[str]]:
    return [
        ["" if (not isinstance(v, str) and pd.isna(v)) else str(v) for v in row]
        for row in table.astype(object).itertuples(index=False)
    ]


def test_example_csv_and_xlsx_round_trip(example, tmp_path):
    table = quotes_table(example)
    csv = write_quotes(example, tmp_path / "citations.csv")
    back = pd.read_csv(csv, sep=";", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(back.columns) == list(table.columns)
    assert _as_text(back) == _as_text(table)
    xlsx = write_quotes(example, tmp_path / "citations.xlsx")
    sheet = pd.read_excel(xlsx, sheet_name="Citations", dtype=str, keep_default_na=False)
    assert list(sheet.columns) == list(table.columns)
    assert _as_text(sheet) == _as_text(table)
    assert not list(tmp_path.glob(".*"))  # no temporary file left
