"""Decoding and separator sniffing of text tables, with the standard library only.

Kept free of pandas so that light readers (the report manifest's outline of
a study) start fast.
"""

from __future__ import annotations

from rd_territoriale.errors import Problem

SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}


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
        return (
            None,
            None,
            Problem(
                file,
                line,
                None,
                None,
                "un fichier texte CSV (UTF-8 ou Windows-1252) ; ce fichier contient des octets "
                "nuls (fichier binaire, ou encodage non pris en charge)",
            ),
        )
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return (
            None,
            None,
            Problem(
                file,
                line,
                None,
                repr(data[err.start : err.start + 1])[2:-1],
                "un encodage lisible : UTF-8 ou Windows-1252 (CSV d'Excel) ; réenregistrez le fichier en « CSV UTF-8 »",
            ),
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
