"""Formula-safe spreadsheet exports (OWASP CSV injection): nothing from a study runs in Excel."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from rd_territoriale.io.cells import FORMULA_TRIGGERS, guard, unguard
from rd_territoriale.io.csv import read_csv
from rd_territoriale.io.export import write_table

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x.example","clic")',
    "+33 6 00",
    "-2 points",
    "@SUM(A1)",
    "\tdécalé",
    "\rretour",
    "'déjà cité",
    "''=double",
    "l'eau",
    "a = b",
    "",
    "ordinaire",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_guard_is_reversible_and_neutralises_every_trigger(text):
    written = guard(text)
    assert unguard(written) == text
    assert written[:1] not in FORMULA_TRIGGERS


def frame():
    return pd.DataFrame({"texte": PAYLOADS, "n": range(len(PAYLOADS)), "valeur": [-1.5] * len(PAYLOADS)})


def test_csv_cells_are_neutralised_and_read_back_as_written(tmp_path):
    path = write_table(frame(), tmp_path / "citations.csv")
    raw = path.read_text(encoding="utf-8-sig")
    cells = [line.split(";")[0] for line in raw.split("\r\n")[1:] if line]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    back = read_csv(path, "citations")
    # the reader trims the spaces around a cell (tab included) and reads line ends as « \n »
    assert back.frame["texte"].fillna("").tolist() == [p.strip() for p in PAYLOADS]
    assert back.frame["valeur"].tolist()[0] == "-1.5"  # numbers are numbers, not guarded


def test_xlsx_has_no_formula_and_reads_back_as_written(tmp_path):
    path = write_table(frame(), tmp_path / "citations.xlsx")
    sheet = load_workbook(path).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    for cell in cells:
        if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert [c.value or "" for c in cells] == [p.replace("\r", "\n") for p in PAYLOADS]  # XML keeps no lone CR


def test_quotes_and_disagreements_exports_of_a_hostile_study_hold_no_formula(tmp_path, capsys):
    """Acceptance (issue 15): passages that begin with « = », « + », « - », « @ » never become formulas."""
    import shutil
    from pathlib import Path

    from rd_territoriale.cli import main

    study = tmp_path / "etude"
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "data" / "exemple",
        study,
        ignore=shutil.ignore_patterns("processed", "README.md"),
    )
    segments = pd.read_csv(study / "segments.csv", dtype=str, keep_default_na=False)
    planted = ["=1+1", "+33 6 12", "-5 points", "@SOMME(A1)", '=HYPERLINK("https://x.example";"clic")']
    segments.loc[:99, "text"] = [planted[i % len(planted)] for i in range(100)]
    segments.to_csv(study / "segments.csv", index=False, lineterminator="\n")
    xlsx, csv, disagreements = tmp_path / "citations.xlsx", tmp_path / "citations.csv", tmp_path / "desaccords.xlsx"
    for argv in (
        ["exporter", "citations", str(study), "--sortie", str(xlsx)],
        ["exporter", "citations", str(study), "--sortie", str(csv)],
        ["desaccords", str(study), "--sortie", str(disagreements)],
    ):
        assert main(argv) == 0, capsys.readouterr().err
    risky_seen = 0
    for path in (xlsx, disagreements):
        cells = [c for row in load_workbook(path).active.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], path.name
        risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@")]
        assert all(c.data_type == "s" and c.quotePrefix for c in risky), path.name
        risky_seen += len(risky)
    assert risky_seen >= 100  # the planted passages are there, as text
    import csv as csv_module
    import io

    text = csv.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv_module.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], [c for c in cells if c[:1] in "=+-@"][:5]
    back = read_csv(csv, "citations").frame
    assert set(planted) <= set(back.stack().tolist())  # the project's reader gives the original text back
