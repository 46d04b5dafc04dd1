"""Formula-safe spreadsheet exports (OWASP CSV injection): nothing from a study runs in Excel."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from rd_territoriale.io.cells import FORMULA_TRIGGERS, guard, unguard
from rd_territoriale.io.csv import read_csv
from rd_territoriale.io.export import write_table

PAYLOADS = ["=1+1", "=HYPERLINK(\"http://x.example\",\"clic\")", "+33 6 00", "-2 points", "@SUM(A1)",
            "\tdécalé", "\rretour", "'déjà cité", "''=double", "l'eau", "a = b", "", "ordinaire"]


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
