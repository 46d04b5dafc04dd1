"""XLSX reading: one table per workbook, on the sheet named after the table.

A workbook ``segments.xlsx`` holds the ``segments`` table on its sheet named
``segments`` or, when it has a single sheet, on that sheet. Cells typed by
Excel (dates, numbers, booleans) are written back as the strings the CSV
contract uses, so that one validator serves both formats.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

from rd_territoriale.errors import Problem
from rd_territoriale.io.raw import RawTable, empty_raw, normalise_header, tidy_frame


def _to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_xlsx(path: Path, name: str) -> RawTable:
    """Read the table ``name`` from the workbook at ``path``.

    Returns
    -------
    RawTable
        Cells as strings; problems (unreadable workbook, missing sheet,
        empty sheet) in ``problems``.
    """
    from openpyxl import load_workbook

    file = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        return empty_raw(
            name, file, [Problem(file, None, None, None, f"un classeur Excel .xlsx lisible ({type(err).__name__})")]
        )
    try:
        sheets = book.sheetnames
        chosen = next((s for s in sheets if s.strip().lower() == name), None)
        if chosen is None and len(sheets) == 1:
            chosen = sheets[0]
        if chosen is None:
            return empty_raw(
                name,
                file,
                [
                    Problem(
                        file,
                        None,
                        None,
                        None,
                        f"une feuille nommée « {name} » (feuilles présentes : "
                        f"{', '.join('« ' + s + ' »' for s in sheets)})",
                    )
                ],
            )
        rows = [[_to_text(v) for v in row] for row in book[chosen].iter_rows(values_only=True)]
    finally:
        book.close()
    shown = f"{file} [{chosen}]" if len(sheets) > 1 else file
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        return empty_raw(
            name, shown, [Problem(shown, None, None, None, "une feuille non vide, avec une ligne d'en-tête")]
        )
    header = rows[0]
    while header and header[-1] == "":
        header = header[:-1]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=str)
    names = normalise_header(header)
    frame.columns = names
    frame, lines = tidy_frame(frame)
    return RawTable(name, shown, frame, lines, names, [])
