"""French formatting of numbers and dates, for everything a researcher or partner reads.

One place for the decimal comma, the narrow no-break space between
thousands, the no-break space before « % », and dates written
« 1er mars 2020 ». Standard library only (the build's index imports it and
must start fast); used by ``analysis`` (sentences), ``figures`` (labels)
and ``report``.
"""

from __future__ import annotations

import math

#: Every character that writes an apostrophe in French text (typographic,
#: modifier letter, opening quote, acute accent, backtick, prime): folded to
#: « ' » when texts are compared (names in the keys, the research lexicon).
APOSTROPHES = "\u2019\u2018\u02bc\u00b4`\u2032"

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """``n`` and the word, singular below 2 as French wants (« 0 code », « 1 code », « 3 codes »).

    Examples
    --------
    >>> plural(1, "rapport"), plural(3, "copie"), plural(2, "cas", "cas")
    ('1 rapport', '3 copies', '2 cas')
    """
    return f"{n} {word if abs(n) < 2 else (plural_form or word + 's')}"


def plural_s(n) -> str:
    """« s » when ``n`` asks for the plural in French (2 or more), else « » : for agreements.

    Examples
    --------
    >>> n = 3
    >>> f"{n} cellule{plural_s(n)} encadrée{plural_s(n)}"
    '3 cellules encadrées'
    """
    return "s" if abs(n) >= 2 else ""


def french_number(value, decimals: int = 0) -> str:
    """``12345.6`` → ``12 345,6`` (narrow no-break space, decimal comma); missing → ``""``."""
    if _missing(value):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def french_percent(share: float) -> str:
    """``0.257`` → ``26 %`` (with a no-break space); missing → ``""``, like :func:`french_number`."""
    if _missing(share):
        return ""
    return f"{round(100 * share):d}\u00a0%"


def french_date(moment) -> str:
    """``23 novembre 2025`` (``1er`` for the first day of a month)."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[moment.month - 1]} {moment.year}"


def french_month(moment) -> str:
    """``mars 2020``."""
    return f"{MONTHS[moment.month - 1]} {moment.year}"


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA, without importing pandas."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return type(value).__name__ in ("NAType", "NaTType")
