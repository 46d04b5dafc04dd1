"""Tables written for spreadsheet users (io.export)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rd_territoriale.io.export import ExportError, write_table

FRAME = pd.DataFrame(
    {
        "Code": ["Rôle flou du pôle", "Coopération"],
        "R01": ["role_flou", "—"],
        "R02": [None, "cooperation"],
        "Passages": [np.int64(3), np.int64(1)],
        "Texte": ["« Le pôle devait juste faciliter ; et après… »", "a\nb"],
        "Date": pd.to_datetime(["2020-03-16", "2021-01-05"]),
        "Sources": [["D1", "D2"], []],
    }
)


def test_csv_for_french_excel(tmp_path):
    path = write_table(FRAME, tmp_path / "desaccords.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))  # BOM: Excel reads UTF-8 accents
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "Code;R01;R02;Passages;Texte;Date;Sources"
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert back["Code"].tolist() == ["Rôle flou du pôle", "Coopération"]
    assert back["Texte"].tolist() == FRAME["Texte"].tolist()  # ';' and newlines quoted, not split
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_xlsx_with_header_and_widths(tmp_path):
    from openpyxl import load_workbook

    path = write_table(FRAME, tmp_path / "sous-dossier" / "desaccords.xlsx", sheet="Désaccords à discuter en réunion")
    ws = load_workbook(path).active
    assert ws.title == "Désaccords à discuter en réunion"[:31]
    assert [c.value for c in ws[1]] == list(FRAME.columns) and ws["A1"].font.bold
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G3"
    assert ws["A2"].value == "Rôle flou du pôle" and ws["C2"].value is None and ws["D2"].value == 3
    assert ws["F2"].value.year == 2020 and ws["G2"].value == "D1 | D2" and ws["G3"].value in ("", None)
    assert ws.column_dimensions["E"].width > ws.column_dimensions["D"].width
    assert pd.read_excel(path)["Texte"].tolist() == FRAME["Texte"].tolist()


def test_unknown_format_and_atomic_replace(tmp_path):
    with pytest.raises(ExportError, match="« table.ods »"):
        write_table(FRAME, tmp_path / "table.ods")
    target = tmp_path / "t.csv"
    target.write_text("ANCIEN", encoding="utf-8")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError("disque plein")

    with pytest.raises(OSError):
        write_table(Broken(FRAME), target)
    assert target.read_text(encoding="utf-8") == "ANCIEN" and [p.name for p in tmp_path.iterdir()] == ["t.csv"]
