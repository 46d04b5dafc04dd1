"""CSV reading: UTF-8 or French Excel (``;``, Windows-1252, CRLF), detected.

Excel in a French locale writes CSV with ``;`` as separator, Windows-1252
encoding, decimal commas and dates as ``JJ/MM/AAAA``. This reader detects the
encoding and the separator and hands back strings; decimal commas and French
dates are understood later, when :mod:`rd_territoriale.schema` types the
cells.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .raw import RawTable, column_letter, empty_raw, normalise_header, tidy_frame

SEPARATORS = (";", ",", "\t")
_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}


def decode(data: bytes, file: str) -> tuple[str | None, str | None, Problem | None]:
    """Decode file bytes as UTF-8 (BOM or not), UTF-16 with BOM, or Windows-1252.

    Returns
    -------
    text, encoding, problem
        ``problem`` is set (and ``text`` is ``None``) when no encoding fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, None, Problem(
            file, line, None, None,
            "un fichier texte CSV (UTF-8 ou Windows-1252) ; ce fichier contient des octets "
            "nuls (fichier binaire, ou encodage non pris en charge)",
        )
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, None, Problem(
            file, line, None, repr(data[err.start : err.start + 1])[2:-1],
            "un encodage lisible : UTF-8 ou Windows-1252 (CSV d'Excel) ; "
            "réenregistrez le fichier en « CSV UTF-8 »",
        )


def sniff_separator(first_line: str) -> str:
    """The separator that splits the header line into the most fields."""
    counts = {sep: _count_outside_quotes(first_line, sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: (counts[s], s == ","))
    return best if counts[best] else ","


def _count_outside_quotes(line: str, sep: str) -> int:
    inside = False
    n = 0
    for ch in line:
        if ch == '"':
            inside = not inside
        elif ch == sep and not inside:
            n += 1
    return n


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
    if not text.strip():
        return empty_raw(name, file, [Problem(file, None, None, None,
                                              "un fichier non vide, avec une ligne d'en-tête")])
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    sep = sniff_separator(first)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:
        return empty_raw(name, file, _ragged_rows(text, sep, file))
    header = normalise_header(frame.columns)
    frame.columns = header
    problems = []
    seen = set()
    for pos, col in enumerate(header):
        if col in seen or col == "" or col.startswith("unnamed:"):
            what = "vide" if col == "" or col.startswith("unnamed:") else "en double"
            problems.append(Problem(file, 1, col or None, col or None,
                                    f"un nom de colonne unique et non vide (nom {what})",
                                    column_letter(pos)))
        seen.add(col)
    frame, lines = tidy_frame(frame)
    return RawTable(name, file, frame, lines, header, problems)


def _ragged_rows(text: str, sep: str, file: str) -> list[Problem]:
    """Every row whose number of fields differs from the header's."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    problems = []
    width = None
    record = 0
    for row in reader:
        record += 1
        if width is None:
            width = len(row)
            continue
        if row and len(row) > width:
            problems.append(Problem(
                file, record, None, sep.join(row)[:80],
                f"{width} champs séparés par « {sep} » ({_NAMES[sep]}) comme l'en-tête ; "
                f"cette ligne en a {len(row)} (séparateur en trop, ou guillemets manquants "
                f"autour d'un texte qui contient « {sep} »)",
            ))
    return problems or [Problem(file, None, None, None, "un CSV bien formé (guillemets équilibrés)")]
