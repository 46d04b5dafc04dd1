"""Contact details in free text: e-mail addresses, French phone numbers, street addresses.

One home for the patterns: the pseudonymiser
(:mod:`rd_territoriale.privacy.pseudonymise`) *redacts* them (an address
becomes ``[adresse]``), the leak scan of built pages
(:mod:`rd_territoriale.privacy.scan`) *refuses* a page that still shows an
e-mail address or a phone number.

Forms recognised
----------------
- **E-mail**: ``jp.martin@exemple.fr``, and the spellings that hide the
  at sign from robots: ``jp.martin [at] exemple.fr``, ``jp.martin (arobase)
  exemple.fr``.
- **Phone** (France): ten digits starting with ``0[1-9]``, or ``+33`` /
  ``0033`` then nine digits (``+33 (0)6 …`` too), in pairs or not, separated
  by spaces (also non-breaking), dots or hyphens (not slashes: « 01/02/2023 » is a date):
  ``06 12 34 56 78``, ``06.12.34.56.78``, ``0612345678``,
  ``+33 6 12 34 56 78``, ``+33612345678``, ``0033 6 12 34 56 78``. Never
  inside a longer run of digits or letters (a fingerprint in hex is no phone).
- **Street address**: a number (``12``, ``12 bis``, ``12b``), a street type
  (``rue``, ``avenue``, ``av.``, ``boulevard``, ``bd``, ``place``, ``chemin``,
  ``route``, ``impasse``, ``allée``, ``quai``, ``lieu-dit``…) and the street's
  name, up to the next punctuation or linking word, then the postcode and
  town when they follow (``12, rue des Lilas, 39000 Lons-le-Saunier``).
"""

from __future__ import annotations

import re
from collections import Counter

EMAIL_TOKEN = "[courriel]"
PHONE_TOKEN = "[téléphone]"
ADDRESS_TOKEN = "[adresse]"

_AT = r"(?:@|\s?[\[(]\s?(?:at|arobase)\s?[\])]\s?)"
EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:\.[\w-]+)*\.[a-z]{{2,}}(?![\w])", re.IGNORECASE)
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?![\w])")

_STREET_TYPES = (
    "rue",
    "ruelle",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "bld",
    "bvd",
    "place",
    "chemin",
    "route",
    "rte",
    "impasse",
    "imp",
    "allée",
    "allee",
    "quai",
    "square",
    "faubourg",
    "fbg",
    "sentier",
    "hameau",
    "lieu-dit",
    "lieudit",
    "lotissement",
    "résidence",
    "residence",
    "cité",
    "cite",
    "esplanade",
    "promenade",
    "rond-point",
    "parvis",
    "montée",
    "montee",
    "venelle",
    "chaussée",
    "chaussee",
    "grande rue",
    "grand'rue",
    "grand’rue",
    "zone artisanale",
    "zone industrielle",
)
_TYPES = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(_STREET_TYPES, key=len, reverse=True))
_SUFFIX = r"(?:\s?(?:bis|ter|quater|[a-dA-D])\b)?"
# « 12, rue … » but not « En 2019, place … »: a comma only after 1 to 3 digits.
_NUMBER = rf"(?<![\w,.])(?:\d{{1,3}}{_SUFFIX}\s*,?|\d{{4}}{_SUFFIX})"
_ADDRESS_HEAD = re.compile(rf"{_NUMBER}\s+(?:{_TYPES})\b\.?", re.IGNORECASE)
# Words that end a street's name: « 12 rue des Lilas à Lons », « … et la mairie ».
_STOP = frozenset(
    """
à a au aux avec chez dans pour par sur sous vers et ou où mais donc car qui que quand
lorsque puis je tu il elle on nous vous ils elles ce c cela ça est sont était fut a ont
avait le la les un une des du de en y ne pas plus depuis pendant entre après avant
""".split()
)
_PARTICLES = frozenset("de du des la le les l d".split())
_WORD = re.compile(r"\s*([\w'’\-]+)")
_POSTCODE = re.compile(r"\s*,?\s*(?:\d{5}|\d{2}\s\d{3})(?:\s+[A-ZÀ-Þ][\w'’\-]*(?:\s+[A-ZÀ-Þ][\w'’\-]*){0,3})?")


def _address_end(text: str, end: int) -> int:
    """Where a street's name (and the postcode and town after it) ends."""
    words = 0
    last = end
    pos = end
    while words < 8:
        m = _WORD.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        low = word.lower().rstrip("'’")
        if low in _STOP and not (low in _PARTICLES and words < 6 and _next_is_name(text, m.end())):
            break
        pos = m.end()
        words += 1
        if low not in _PARTICLES:
            last = pos
    post = _POSTCODE.match(text, last)
    if post is not None and post.group(0).strip(" ,"):
        last = post.end()
    return last


def _next_is_name(text: str, pos: int) -> bool:
    """Whether a street's name goes on after a particle (« de la gare », « des Lilas »)."""
    m = _WORD.match(text, pos)
    if m is None:
        return False
    low = m.group(1).lower().rstrip("'’")
    return low in _PARTICLES or low not in _STOP


def find_contacts(text: str) -> list[tuple[int, int, str]]:
    """Every contact detail in ``text``, in order, overlaps removed.

    Returns
    -------
    list of (start, end, token)
        ``token`` is what replaces the span: ``[courriel]``, ``[téléphone]``
        or ``[adresse]``.

    Examples
    --------
    >>> [t for _, _, t in find_contacts("jp@exemple.fr, 06 12 34 56 78, 3 bis rue du Lac.")]
    ['[courriel]', '[téléphone]', '[adresse]']
    """
    spans = [(m.start(), m.end(), EMAIL_TOKEN) for m in EMAIL.finditer(text)]
    spans += [(m.start(), m.end(), PHONE_TOKEN) for m in PHONE.finditer(text)]
    for m in _ADDRESS_HEAD.finditer(text):
        end = _address_end(text, m.end())
        if end > m.end():  # a street type alone (« 3 places ») is no address
            spans.append((m.start(), end, ADDRESS_TOKEN))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int, str]] = []
    for span in spans:
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def redact_contacts(text: str) -> tuple[str, Counter]:
    """``text`` with every contact detail replaced by its token, and the count per token."""
    spans = find_contacts(text)
    if not spans:
        return text, Counter()
    parts, last = [], 0
    for start, end, token in spans:
        parts += [text[last:start], token]
        last = end
    parts.append(text[last:])
    return "".join(parts), Counter(token for _, _, token in spans)
