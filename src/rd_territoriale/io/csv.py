"""CSV reading: UTF-8 or French Excel (``;``, Windows-1252, CRLF), detected.

Excel in a French locale writes CSV with ``;`` as separator, Windows-1252
encoding, decimal commas and dates as ``JJ/MM/AAAA``. This reader detects the
encoding and the separator and hands back strings; decimal commas and French
dates are understood later, when :mod:`rd_territoriale.study.schema` types the
cells.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from rd_territoriale.errors import Problem
from rd_territoriale.io.cells import GUARD, unguard
from rd_territoriale.io.raw import RawTable, column_letter, empty_raw, normalise_header, tidy_frame
from rd_territoriale.io.text import SEPARATOR_NAMES, decode, sniff_separator


def read_csv_header(path: Path) -> list[str]:
    """The column names of a CSV file (as :func:`read_csv` names them), without parsing its rows.

    Returns an empty list when the file cannot be decoded or is empty.
    """
    text, _, problem = decode(Path(path).read_bytes(), Path(path).name)
    if problem is not None or text is None or not text.strip():
        return []
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        return normalise_header(next(csv.reader([first], delimiter=sniff_separator(first))))
    except (csv.Error, StopIteration):  # a header the csv module cannot split is no known header
        return []


def read_csv(path: Path, name: str) -> RawTable:
    """Read one CSV table file into a :class:`RawTable`.

    Parameters
    ----------
    path : Path
        The file.
    name : str
        Table name.

    Returns
    -------
    RawTable
        Cells as strings; reading problems in ``problems`` (never raised).
    """
    file = path.name
    data = path.read_bytes()
    text, _, problem = decode(data, file)
    if problem is not None:
        return empty_raw(name, file, [problem])
    assert text is not None  # decode gives a text whenever it reports no problem
    if not text.strip():
        return empty_raw(name, file, [Problem(file, None, None, None, "un fichier non vide, avec une ligne d'en-tête")])
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    sep = sniff_separator(first)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError:
        return empty_raw(name, file, _ragged_rows(text, sep, file))
    header = normalise_header(frame.columns)
    frame.columns = header
    for column in frame.columns:  # the apostrophe write_table put before « =… » comes off again
        quoted = frame[column].str.startswith(GUARD, na=False).fillna(False).astype(bool)
        if quoted.any():
            frame.loc[quoted, column] = frame.loc[quoted, column].map(unguard)
    problems = []
    seen = set()
    for pos, col in enumerate(header):
        if col in seen or col == "" or col.startswith("unnamed:"):
            what = "vide" if col == "" or col.startswith("unnamed:") else "en double"
            problems.append(
                Problem(
                    file,
                    1,
                    col or None,
                    col or None,
                    f"un nom de colonne unique et non vide (nom {what})",
                    column_letter(pos),
                )
            )
        seen.add(col)
    frame, lines = tidy_frame(frame)
    return RawTable(name, file, frame, lines, header, problems)


def _ragged_rows(text: str, sep: str, file: str) -> list[Problem]:
    """Every row whose number of fields differs from the header's."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    problems = []
    width = None
    record = 0
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # a NUL byte, a lone carriage return inside a field…
            problems.append(
                Problem(
                    file, record + 1, None, None, f"un CSV bien formé (caractère illisible dans cette ligne : {exc})"
                )
            )
            break
        record += 1
        if width is None:
            width = len(row)
            continue
        if row and len(row) > width:
            problems.append(
                Problem(
                    file,
                    record,
                    None,
                    sep.join(row)[:80],
                    f"{width} champs séparés par « {sep} » ({SEPARATOR_NAMES[sep]}) comme l'en-tête ; "
                    f"cette ligne en a {len(row)} (séparateur en trop, ou guillemets manquants "
                    f"autour d'un texte qui contient « {sep} »)",
                )
            )
    return problems or [Problem(file, None, None, None, "un CSV bien formé (guillemets équilibrés)")]
