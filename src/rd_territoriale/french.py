"""French formatting of numbers and dates, for everything a researcher or partner reads.

One place for the decimal comma, the narrow no-break space between
thousands, the no-break space before « % », and dates written
« 1er mars 2020 ». Standard library only (the build's index imports it and
must start fast); used by ``analysis`` (sentences), ``figures`` (labels)
and ``report``.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

#: Every character that writes an apostrophe in French text (typographic,
#: modifier letter, opening quote, acute accent, backtick, prime): folded to
#: « ' » when texts are compared (names in the keys, the research lexicon).
APOSTROPHES = "\u2019\u2018\u02bc\u00b4`\u2032"
#: Typographic hyphens (non-breaking, Unicode hyphen), folded to « - ».
HYPHENS = "\u2010\u2011"
#: Typographic spaces (no-break, narrow no-break, figure, thin, hair, en, em), folded to « ».
SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003"
#: Typographic apostrophes, hyphens and spaces -> their plain ASCII form.
PUNCTUATION_TABLE = {
    **{ord(c): "'" for c in APOSTROPHES},
    **{ord(c): "-" for c in HYPHENS},
    **{ord(c): " " for c in SPACES},
}


@functools.cache
def _fold_table() -> dict[int, str]:
    """Latin, Greek, Cyrillic… letters to their lower-case base letter, one character to one."""
    table: dict[int, str] = {}
    for code in range(0x0041, 0x2000):
        low = chr(code).lower()
        if len(low) != 1:
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
        if len(base) == 1 and base != chr(code):
            table[code] = base
    table.update(PUNCTUATION_TABLE)
    return table


def fold(text: str) -> str:
    """Text as compared, not as shown: lower case, accents dropped, typographic apostrophes, hyphens, spaces plain.

    The one text folding of the package: names in the pseudonym keys and
    the leak scan (:mod:`rd_territoriale.privacy`), closed lists of the data
    contract (:func:`rd_territoriale.study.parsing.fold`, after Unicode
    compatibility folding). The result has exactly the length of ``text``
    once ``text`` is in NFC form (each character is folded to one), so a
    match found in the folded text has the same position in the original.
    (The research lexicon's term matching, :mod:`rd_territoriale.analysis.lexicon`,
    goes further: it also drops elisions and punctuation, over whole columns.)

    Examples
    --------
    >>> fold("Hélène d’ÉMILE")
    "helene d'emile"
    """
    return text.translate(_fold_table())


def slug(text: str, separator: str = "-") -> str:
    """ASCII words of ``text``, lower case, joined by ``separator``: an anchor or an identifier.

    Examples
    --------
    >>> slug("Les périodes de l'étude"), slug("Export (meta)data", "_")
    ('les-periodes-de-l-etude', 'export_meta_data')
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
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
