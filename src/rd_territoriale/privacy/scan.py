"""The leak scan: a built page is published only if it names nobody.

Every HTML page the build produces is searched, before it is written to
``reports/``, for

- the names of the pseudonym key(s) (every form the key knows: full name,
  last name, unambiguous first name, variants), compared after folding case
  and accents, on word boundaries;
- the person forms that the pseudonymiser detected in the raw study (French
  NER and patterns), kept hashed beside the key in ``formes-detectees.txt``
  (:mod:`rd_territoriale.privacy.review`): a name that a researcher let
  through with ``--accepter-inconnus`` is still refused on a page, and the
  forms are never written in clear outside ``data/private/``;
- e-mail addresses;
- French phone numbers (``06 12 34 56 78``, ``06.12.34.56.78``,
  ``+33 6 12 34 56 78``, ``0033612345678``…).

A hit fails the report: the page is not published and the message says where
the hit is (line of the HTML and the text around it), with the leaked name
shown by its pseudonym so that the terminal and the build records never
repeat it.

Keys are CSV files kept out of git: every ``*.csv`` under ``data/private/``
of the project, plus the file named by the ``RD_TERRITORIALE_CLE``
environment variable. Images embedded as ``data:`` URIs are skipped, except
SVG images (base64 or URL-encoded), whose text is decoded and scanned.
"""

from __future__ import annotations

import base64
import html as html_lib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from rd_territoriale.french import plural_s
from rd_territoriale.privacy.contacts import EMAIL, PHONE
from rd_territoriale.privacy.key import fold
from rd_territoriale.privacy.review import DETECTED_FILE, DetectedForms

KEY_ENV = "RD_TERRITORIALE_CLE"
PRIVATE_DIR = Path("data") / "private"
_DATA_URI = re.compile(r"data:([\w/+.-]+);base64,([A-Za-z0-9+/=\s]+)")
#: An SVG image written as a URL-encoded data URI (``report.html.svg_data_uri``).
_SVG_URI = re.compile(r'data:image/svg\+xml,([^"]*)')
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One thing found in a page that must not be published.

    Attributes
    ----------
    kind : str
        ``nom``, ``e-mail`` or ``téléphone``.
    shown : str
        What to print: the pseudonym of a leaked name (never the name), or
        the address or number found.
    line : int
        Line of the HTML file (1-based).
    context : str
        A few words around the hit, with the name replaced by its pseudonym.
    """

    kind: str
    shown: str
    line: int
    context: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.kind} « {self.shown} » dans « {self.context} »"


def _alternation(forms) -> re.Pattern:
    """Whole-word alternation, with the pseudonymiser's boundaries.

    A form glued by a hyphen to another word (« Saint-Martin »,
    « Martin-pêcheur ») is a compound word, not the name: the scan sees
    words exactly as :mod:`~rd_territoriale.privacy.pseudonymise` does.
    """
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?<!\w-)(?:{alternation})(?!\w)(?!-\w)")


@dataclass
class NamePatterns:
    """Compiled name forms of the keys, on text folded as the pseudonymiser folds it.

    ``regex`` finds every folded form; ``pseudonyms`` maps a folded form to
    its pseudonym. A form made only of common French words (« Pierre »,
    « Rose », « Blanc ») would also match « un mur en pierre »: those forms
    (``common``) count only where the page writes them with a capital.
    """

    regex: re.Pattern | None
    pseudonyms: dict
    common: frozenset = frozenset()
    detected: DetectedForms | None = None

    @classmethod
    def from_forms(cls, forms, common_forms=()) -> "NamePatterns":
        """Build from ``(form, pseudonym)`` pairs, and the common-word forms apart."""
        table: dict = {}
        common: set = set()
        for pairs, is_common in ((forms, False), (common_forms, True)):
            for form, pseudonym in pairs:
                folded = fold(unicodedata.normalize("NFC", form)).strip()
                if len(folded) >= 2:
                    table.setdefault(folded, pseudonym)
                    if is_common:
                        common.add(folded)
        return cls(_alternation(table) if table else None, table, frozenset(common))

    def masked(self, text: str, detected=None) -> str:
        """``text`` with the detected forms blanked out, same length (same positions)."""
        detected = self.detected.hits(text) if detected is None and self.detected else detected or []
        if not detected:
            return text
        chars = list(text)
        for start, end in detected:
            chars[start:end] = "•" * (end - start)
        return "".join(chars)

    def hits(self, text: str) -> list["Hit"]:
        """Every form in ``text`` (NFC), located in it; contexts never show a name."""
        detected = self.detected.hits(text) if self.detected else []
        shown = self.masked(text, detected)
        hits = []
        for m in self.regex.finditer(fold(text)) if self.regex is not None else ():
            if m.group(0) in self.common and not text[m.start()].isupper():
                continue  # « un mur en pierre »
            pseudonym = self.pseudonyms[m.group(0)]
            line, context = _line_and_context(shown, m.start(), m.end(), pseudonym)
            hits.append(Hit("nom", pseudonym, line, self.hide(context)))
        for start, end in detected:
            line, context = _line_and_context(shown, start, end, "[forme détectée]")
            hits.append(Hit("nom", "[forme détectée dans les données brutes]", line, self.hide(context)))
        return hits

    def hide(self, text: str) -> str:
        """``text`` folded, every name form replaced by its pseudonym."""
        if self.regex is None:
            return fold(text)
        return self.regex.sub(lambda m: self.pseudonyms[m.group(0)], fold(text))


def _is_review_list(path: Path) -> bool:
    """Whether a CSV of ``data/private/`` is the review list of names (not a key).

    The list written by ``pseudonymise --relecture``
    (:mod:`~rd_territoriale.privacy.review`) has the columns « forme » and
    « décision »; every other CSV there is read as a key, so that a key with
    a wrong header is reported, never skipped.
    """
    import csv

    from rd_territoriale.io.text import decode, sniff_separator
    from rd_territoriale.privacy.key import fold

    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # read_key will say why
    text, _, _ = decode(head.split(b"\n", 1)[0], path.name)
    if text is None:
        return False
    first = text.lstrip("\ufeff").rstrip("\r")
    header = {fold(c).strip() for c in next(csv.reader([first], delimiter=sniff_separator(first)), [])}
    return {"forme", "decision"} <= header


def key_files(root: Path) -> list[Path]:
    """The pseudonym keys the scan uses: ``data/private/**/*.csv`` and ``$RD_TERRITORIALE_CLE``."""
    private = Path(root) / PRIVATE_DIR
    files = sorted(p for p in private.rglob("*.csv") if not _is_review_list(p)) if private.is_dir() else []
    extra = os.environ.get(KEY_ENV)
    if extra and Path(extra).is_file() and Path(extra) not in files:
        files.append(Path(extra))
    return files


def load_patterns(root: Path) -> NamePatterns:
    """Name patterns of every key found for the project at ``root``."""
    from rd_territoriale.privacy.key import read_key

    forms: list = []
    common: list = []
    keys = key_files(root)
    for path in keys:
        for record in read_key(path).form_records():
            (common if record.common else forms).append((record.form, record.replacement))
    patterns = NamePatterns.from_forms(forms, common)
    private = Path(root) / PRIVATE_DIR
    lists = sorted(private.rglob(DETECTED_FILE)) if private.is_dir() else []
    lists += [
        p.parent / DETECTED_FILE
        for p in keys
        if (p.parent / DETECTED_FILE).is_file() and p.parent / DETECTED_FILE not in lists
    ]
    patterns.detected = DetectedForms.load(lists) or None
    return patterns


_BLOCK = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_READ_ATTRIBUTES = re.compile(
    r"""\b(?:alt|title|aria-label|content|placeholder)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE
)


def _keep_lines(text: str) -> str:
    return "\n" * text.count("\n")


def _tag_text(match: re.Match) -> str:
    """What a reader can see of a tag: its alt, title, aria-label… values."""
    tag = match.group(0)
    values = [v[1:-1] for v in _READ_ATTRIBUTES.findall(tag)]
    return (" " + " ".join(values) + " " if values else " ") + _keep_lines(tag)


def _visible_text(html: str) -> str:
    """What a reader of the page can see, with the page's line breaks kept.

    Style sheets, scripts and markup are dropped (a CSS class is nobody's
    name), attribute values a reader sees (``alt``, ``title``,
    ``aria-label``, ``content``) are kept, embedded images are blanked out
    except SVG images, whose words are decoded (base64 or URL-encoded).
    """

    def image(match: re.Match) -> str:
        tag = match.group(0)
        words = [_svg_words(unquote(html_lib.unescape(m.group(1)))) for m in _SVG_URI.finditer(tag)]
        for m in _DATA_URI.finditer(tag):
            if m.group(1) == "image/svg+xml":
                try:
                    words.append(_svg_words(base64.b64decode(m.group(2)).decode("utf-8", "replace")))
                except ValueError:
                    pass
        return _tag_text(match).rstrip("\n") + " " + " ".join(words) + " " + _keep_lines(tag)

    text = _IMG.sub(image, html)
    text = _DATA_URI.sub(lambda m: "data:" + _keep_lines(m.group(2)), text)
    text = _BLOCK.sub(_block_text, text)
    return _TAG.sub(_tag_text, text)


def _block_text(match: re.Match) -> str:
    """Styles and scripts are dropped, except JSON data that a page shows (the index's search)."""
    block = match.group(0)
    opening = block[: block.index(">") + 1]
    if "application/json" in opening.lower():
        body = block[len(opening) : block.rindex("<")]
        for escaped, plain in (("\\u003c", " "), ("\\u003e", " "), ("\\u0026", "&"), ('\\"', '"'), ("\\n", " ")):
            body = body.replace(escaped, plain)
        return " " + body.replace("<", " ").replace(">", " ") + _keep_lines(block)
    return _keep_lines(block)


def _svg_words(svg: str) -> str:
    """The words an SVG image shows, on one line (no ``<`` or ``>`` left to read as markup)."""
    words = html_lib.unescape(re.sub(r"<[^>]*>", " ", svg))
    return " ".join(words.replace("<", " ").replace(">", " ").split())


def _line_and_context(text: str, start: int, end: int, shown: str) -> tuple[int, str]:
    line = text.count("\n", 0, start) + 1
    before = re.sub(r"\s+", " ", text[max(0, start - 60) : start])[-40:]
    after = re.sub(r"\s+", " ", text[end : end + 60])[:40]
    return line, f"…{before}{shown}{after}…".strip()


def scan_html(html: str, names: NamePatterns | None = None) -> list[Hit]:
    """Every name of the keys, e-mail address and French phone number in ``html``.

    Parameters
    ----------
    html : str
        A built page.
    names : NamePatterns, optional
        Compiled key names (:func:`load_patterns`); without it only e-mail
        addresses and phone numbers are looked for.

    Returns
    -------
    list of Hit
        In page order; empty when the page can be published.

    Examples
    --------
    >>> patterns = NamePatterns.from_forms([("Hélène Dupont", "SAL03")])
    >>> [h.shown for h in scan_html("<p>Mme HELENE DUPONT l'a dit</p>", patterns)]
    ['SAL03']
    """
    # NFC first: the key's folding keeps every position of NFC text.
    text = unicodedata.normalize("NFC", _visible_text(html))
    hits = names.hits(text) if names is not None else []
    shown = names.masked(text) if names is not None else text
    for kind, regex in (("e-mail", EMAIL), ("téléphone", PHONE)):
        for m in regex.finditer(text):
            line, context = _line_and_context(shown, m.start(), m.end(), m.group(0))
            if names is not None:  # the names around an address are no more shown than elsewhere
                context = names.hide(context).replace(fold(m.group(0)), m.group(0))
            hits.append(Hit(kind, m.group(0), line, context))
    return sorted(hits, key=lambda h: h.line)


def describe_hits(hits: list[Hit], limit: int = 10) -> str:
    """A French message listing the hits (at most ``limit``)."""
    head = f"fuite de données personnelles : {len(hits)} occurrence{plural_s(len(hits))}"
    body = "\n".join(f"    - {h}" for h in hits[:limit])
    more = f"\n    … et {len(hits) - limit} autres" if len(hits) > limit else ""
    return (
        f"{head} ; la page n'est pas publiée.\n{body}{more}\n"
        "  Corrigez la source (pseudonymisation, texte du carnet) puis relancez la construction."
    )
