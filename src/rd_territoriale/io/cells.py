"""Spreadsheet cells that never run: the OWASP CSV-injection rule, and its reverse for reading.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, LibreOffice or Google Sheets as a formula. Text
from a study (a passage that begins with « = », a label « +3 % ») must stay
text, so the project writes such a cell with a leading apostrophe, as
OWASP's CSV-injection guidance says, and the project's own CSV reader takes
that apostrophe off again: what was written reads back as it was.

A cell that already begins with an apostrophe gets a second one, so that the
rule can be reversed exactly.
"""

from __future__ import annotations

#: First characters a spreadsheet reads as the start of a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def needs_guard(text: str) -> bool:
    """True when ``text`` would be read as a formula (or begins with the guard itself)."""
    return isinstance(text, str) and text[:1] in (*FORMULA_TRIGGERS, GUARD)


def guard(value):
    """``value`` safe for a CSV cell: a string that a spreadsheet would evaluate gets a leading ``'``.

    >>> guard("=1+1"), guard("a = b"), guard(3), guard("'x")
    ("'=1+1", 'a = b', 3, "''x")
    """
    return GUARD + value if needs_guard(value) else value


def unguard(text: str) -> str:
    """The reverse of :func:`guard`, for a cell read from a CSV file.

    >>> unguard("'=1+1"), unguard("''x"), unguard("'bonjour"), unguard("l'eau")
    ('=1+1', "'x", "'bonjour", "l'eau")
    """
    if isinstance(text, str) and text[:1] == GUARD and needs_guard(text[1:]):
        return text[1:]
    return text
