"""Write a table for people who work in a spreadsheet: CSV for French Excel, or XLSX.

Used for lists meant to be worked on by hand (the disagreement list of a
consensus meeting). The format follows the file's extension:

- ``.csv``: separator ``;``, UTF-8 with a byte-order mark (French Excel
  then reads accents and columns correctly), one header line;
- ``.xlsx``: one sheet, bold frozen header, wrapped text, column widths fitted
  to the content (up to a maximum), an auto-filter on the header.

Cells are formula-safe (:mod:`rd_territoriale.io.cells`, OWASP): in a CSV,
text that a spreadsheet would evaluate (« =… », « +… », « -… », « @… ») gets
a leading apostrophe, which the project's CSV reader takes off again; in an
XLSX, every text cell is stored as text, never as a formula, and such a cell
is marked « quote prefix » as Excel marks text typed after an apostrophe.

The file is written through a temporary file and renamed: a reader never
sees half a file and a failure leaves the previous one in place. Takes a
DataFrame; never reads data.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.io.cells import guard, needs_guard

FORMATS = (".csv", ".xlsx")
MAX_WIDTH = 60


class ExportError(RdTerritorialeError, ValueError):
    """The table cannot be written where or how it was asked."""


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file next to ``path``, moved onto it when the block ends without error.

    A reader never sees half a file; on error the temporary file is removed
    and the previous ``path`` is left in place. Missing folders are created.

    Parameters
    ----------
    path : pathlib.Path
        The file to write.

    Yields
    ------
    pathlib.Path
        The temporary file to write (same folder and extension as ``path``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path, sheet: str = "Tableau") -> Path:
    """Write ``frame`` to ``path`` (``.csv`` or ``.xlsx``), atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not written.
    path : str or pathlib.Path
        Destination; the extension chooses the format.
    sheet : str
        Sheet name for XLSX (at most 31 characters).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ExportError
        In French, for an extension other than ``.csv`` or ``.xlsx``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"format de fichier non pris en charge : « {path.name} » ; "
            f"attendu : un nom finissant par {' ou '.join(FORMATS)}."
        )
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            texts = [
                c
                for c in frame.columns
                if not pd.api.types.is_numeric_dtype(frame[c]) and frame[c].map(needs_guard).any()
            ]
            safe = frame.assign(**{str(c): frame[c].map(guard) for c in texts}) if texts else frame
            safe.to_csv(tmp, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
        else:
            _write_xlsx(frame, tmp, sheet[:31])
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for cells in ws.iter_rows():
        for cell in cells:  # text is text: openpyxl would store « =… » as a formula
            if cell.data_type == "f" or (isinstance(cell.value, str) and needs_guard(cell.value)):
                cell.data_type = "s"
                cell.quotePrefix = True
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, name in enumerate(frame.columns, start=1):
        values = [str(name)] + ["" if v is None else str(v) for v in frame.iloc[:, column - 1].map(_cell)]
        width = min(MAX_WIDTH, max(len(line) for v in values for line in (v.splitlines() or [""])) + 2)
        ws.column_dimensions[get_column_letter(column)].width = max(width, 8)
        for cell in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell[0].alignment = wrap
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    book.save(path)


def _cell(value):
    """A value openpyxl can store: missing → empty, lists joined, timestamps as dates."""
    if isinstance(value, (list, tuple)):
        return " | ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
