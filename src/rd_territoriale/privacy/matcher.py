"""The name matcher of the pseudonymiser: every form of the key found in a text, on whole words.

Case and accents forgiven, after an elision, before an apostrophe, longest form
first, with the civility written before a name (:mod:`.pseudonymise` says what
is replaced and why). :class:`Pseudonymiser` finds and replaces; the helpers
below let the whole column be searched at once before any cell is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rd_territoriale.privacy.key import (
    APOSTROPHES,
    HYPHENS,
    PARTICLES,
    PUNCTUATION_TABLE,
    SPACES,
    Key,
    NameForm,
    canonical,
    fold,
)
from rd_territoriale.privacy.names import CIVILITIES, sentence_start

# Civilities, folded (lower case, no accents), longest first (one list: names.CIVILITIES).
FOLDED_CIVILITIES = tuple(sorted({fold(c) for c in CIVILITIES}, key=lambda c: (-len(c), c)))
CIVILITY = "(?:" + "|".join(FOLDED_CIVILITIES) + r")(?:\.\s*|\s+)"


@dataclass(frozen=True)
class Hit:
    """One occurrence of a key form in a text.

    Attributes
    ----------
    start, end : int
        Position in the (NFC) text given to :meth:`Pseudonymiser.replace_text`.
    found : str
        The text matched, civility included when there is one.
    replacement : str
        The pseudonym (or ``[A ou B]``) put in its place.
    replaced : bool
        ``False`` for a common word left in lower case.
    note : str
        Why the occurrence needs a look (French), empty when it does not.
    form : NameForm
        The key form matched.
    """

    start: int
    end: int
    found: str
    replacement: str
    replaced: bool
    note: str
    form: NameForm

    @property
    def review(self) -> bool:
        """Whether a human should look at this occurrence."""
        return bool(self.note)


def _re2_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(set(chars))) + "]"


# For the wide search (RE2), text is decomposed, lower-cased and stripped of
# its combining marks: accents are gone, while typographic apostrophes,
# hyphens and spaces are still there, hence these classes.
_PY_SPACES = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())  # what Python's \s takes
_RE2_SEPARATORS = r"[\-" + _re2_class(HYPHENS + SPACES + _PY_SPACES)[1:]
_RE2_APOSTROPHE = _re2_class("'" + APOSTROPHES)
_RE2_MARKS = r"[\x{300}-\x{36f}\x{1ab0}-\x{1aff}\x{1dc0}-\x{1dff}\x{20d0}-\x{20ff}\x{fe20}-\x{fe2f}]"


def _fragments(form: str, flavour: str = "python") -> tuple[str, ...]:
    """Regex pieces of a folded form: letters literal, separators flexible.

    A space or hyphen between words matches any run of spaces and hyphens
    (``Jean-Pierre`` = ``Jean Pierre``); after an initial's dot the run may
    be empty (``J.-P.`` = ``J.P.`` = ``J. P.``).

    ``flavour="python"`` gives pieces for Python's ``re`` on folded text;
    ``flavour="re2"`` pieces for pyarrow's RE2 on text decomposed, lower-cased
    and without accents (:func:`_wide_text`).
    """
    re2 = flavour == "re2"
    sep = _RE2_SEPARATORS if re2 else r"[\s\-]"
    out: list[str] = []
    i = 0
    while i < len(form):
        ch = form[i]
        if ch in " -":
            j = i
            while j < len(form) and form[j] in " -":
                j += 1
            out.append(sep + ("*" if out and out[-1] == r"\." else "+"))
            i = j
            continue
        if ch == ".":
            out.append(r"\.")
        elif ch == "'" and re2:
            out.append(_RE2_APOSTROPHE)
        elif re2 and not ch.isascii():
            out.append(_re2_class(ch))
        else:
            out.append(re.escape(ch))
        i += 1
    return tuple(out)


def _trie_regex(sequences) -> str:
    """One alternation, as a trie, of fragment sequences; longer paths tried first."""
    root: dict = {}
    for seq in sequences:
        node = root
        for frag in seq:
            node = node.setdefault(frag, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [frag + emit(child) for frag, child in sorted(node.items()) if frag]
        if "" in node:
            if not alts:
                return ""
            alts.append("")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(root)


def _significant_words(found: str) -> list[str]:
    words = [w for w in re.split(r"[\s\-'’.]+", found) if w]
    return [w for w in words if fold(w) not in PARTICLES] or words


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """The text around ``[start, end)``, on one line, for a report."""
    before = " ".join(text[max(0, start - width) : start].split())
    after = " ".join(text[end : end + width].split())
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    sep_b = " " if before and text[start - 1 : start].isspace() else ""
    sep_a = " " if after and text[end : end + 1].isspace() else ""
    return f"{lead}{before}{sep_b}{text[start:end]}{sep_a}{after}{tail}"


class Pseudonymiser:
    """Find and replace every name of a key in free text.

    Parameters
    ----------
    key : Key
    keep_civility : bool, default False
        Keep the civility before a name (``Mme SAL04``) instead of replacing
        it with the name (``SAL04``).

    Examples
    --------
    >>> from rd_territoriale.privacy.key import Key, KeyEntry
    >>> p = Pseudonymiser(Key([KeyEntry("Hélène Dupont", "SAL04", "personne")]))
    >>> p.replace_text("Mme DUPONT et d'Helene, pas Dupontel.")[0]
    "SAL04 et d'SAL04, pas Dupontel."
    """

    def __init__(self, key: Key, keep_civility: bool = False):
        self.key = key
        self.keep_civility = keep_civility
        self.records = key.form_records()
        self._by_canonical: dict[str, NameForm] = {}
        for record in self.records:
            self._by_canonical.setdefault(canonical(record.form), record)
        self.pseudonyms = frozenset(key.pseudonyms)
        forms = [unicodedata.normalize("NFC", r.form) for r in self.records]
        body = _trie_regex(sorted({_fragments(fold(f)) for f in forms}))
        if body:
            self.regex: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?<!\w-)(?:(?P<civ>{CIVILITY}))?(?P<name>{body})(?!\w)(?!-\w)"
            )
            wide = _trie_regex(sorted({_fragments(_wide(f), "re2") for f in forms}))
            # ASCII-only boundaries keep RE2's automaton small; any other
            # character counts as a boundary, so the search stays wider than
            # the exact expression.
            self.prefilter: str | None = rf"(?:^|[^a-z0-9_])(?:{wide})(?:$|[^a-z0-9_])"
        else:
            self.regex = None
            self.prefilter = None

    # -- one text ----------------------------------------------------------
    def _record(self, folded_name: str) -> NameForm:
        """The key form a match stands for (by its letters; else by its own pattern)."""
        record = self._by_canonical.get(canonical(folded_name))
        if record is not None:
            return record
        for record in self.records:  # never seen: kept as a safety net
            pattern = "".join(_fragments(fold(unicodedata.normalize("NFC", record.form))))
            if re.fullmatch(pattern, folded_name):
                return record
        raise AssertionError(f"forme introuvable : {folded_name!r}")

    def _classify(self, text: str, m: re.Match) -> Hit:
        n_start, n_end = m.span("name")
        record = self._record(m.group("name"))
        civ = m.group("civ")
        certain = bool(civ) and text[m.start()].isupper()
        start = m.start() if certain and not self.keep_civility else n_start
        found = text[start:n_end]
        notes = []
        replaced = True
        if record.common and not certain:
            words = _significant_words(text[n_start:n_end])
            if not all(w[0].isupper() for w in words):
                replaced = False
                notes.append("mot courant en minuscules")
            elif len(words) == 1 and len(words[0]) > 1 and words[0].isupper():
                notes.append("mot courant en capitales")
            elif len(words) == 1 and sentence_start(text, n_start):
                notes.append("mot courant en début de phrase")
        if record.shared and replaced:
            notes.append(f"forme partagée par {' et '.join(record.pseudonyms)}")
        return Hit(start, n_end, found, record.replacement, replaced, " ; ".join(notes), record)

    def _hits(self, text: str, folded: str) -> list[Hit]:
        assert self.regex is not None  # both callers skip an empty key first
        return [self._classify(text, m) for m in self.regex.finditer(folded)]

    def replace_text(self, text: str) -> tuple[str, list[Hit]]:
        """Replace every key form in ``text``.

        Parameters
        ----------
        text : str

        Returns
        -------
        new_text : str
            ``text`` in NFC form with the names replaced.
        hits : list of Hit
            Every occurrence found, replaced or left (``Hit.replaced``).
        """
        text = unicodedata.normalize("NFC", text)
        if self.regex is None:
            return text, []
        hits = self._hits(text, fold(text))
        return splice(text, hits), hits

    # -- a whole column ----------------------------------------------------
    def replace_series(self, series):
        """Replace names in a column of text, vectorised.

        Parameters
        ----------
        series : pandas.Series
            Strings (missing values allowed).

        Returns
        -------
        new : pandas.Series
            Same index; text in NFC form, names replaced; missing stay missing.
        hits : dict
            Row position -> list of Hit, for rows with at least one hit.
        """
        import pandas as pd
        import pyarrow as pa

        values = [
            None if v is None else unicodedata.normalize("NFC", v)
            for v in pa.array(series.astype("string[pyarrow]").array).to_pylist()
        ]
        hits: dict[int, list[Hit]] = {}
        new_values = list(values)
        if self.regex is not None and len(values):
            for pos in _matching(_wide_text(values), self.prefilter):
                found = self._hits(values[pos], fold(values[pos]))
                if found:
                    hits[pos] = found
                    new_values[pos] = splice(values[pos], found)
        new = pd.Series(new_values, index=series.index, dtype="string[pyarrow]")
        return new, hits


def pc_call(name: str, *args, **kwargs):
    """A pyarrow compute function (imported on first use)."""
    import pyarrow.compute as pc

    return getattr(pc, name)(*args, **kwargs)


_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _wide(form: str) -> str:
    """A form as the wide search sees it: what :func:`_wide_text` does to a text."""
    plain = _MARKS.sub("", unicodedata.normalize("NFD", form).lower())
    return plain.translate(PUNCTUATION_TABLE)


def _wide_text(values: list):
    """Texts decomposed (NFD), lower-cased, without combining marks, as a pyarrow array.

    Every accented letter becomes its base letter, as :func:`fold` does, so
    that the wide search needs no class of accented letters (which would
    make RE2's automaton too large to be fast).
    """
    import pyarrow as pa

    decomposed = pa.array([None if v is None else unicodedata.normalize("NFD", v).lower() for v in values], pa.string())
    return pc_call("replace_substring_regex", decomposed, _RE2_MARKS, "")


def _matching(values, pattern: str) -> list[int]:
    """Positions of the strings where ``pattern`` (RE2 syntax) matches, vectorised.

    pyarrow's RE2 engine runs the first, wide search over a whole column, so
    that the exact Python expression runs only on the few cells that may hold
    a name. (Called directly: pandas' ``str.contains`` re-parses a long
    pattern with Python's parser on every call.)
    """
    import pyarrow as pa

    if not len(values):
        return []
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(values, pa.string())
    mask = pc_call("match_substring_regex", values, pattern)
    mask = pc_call("fill_null", mask, False)
    return mask.to_numpy(zero_copy_only=False).nonzero()[0].tolist()


def splice(text: str, hits: list[Hit]) -> str:
    parts, last = [], 0
    for hit in hits:
        if not hit.replaced:
            continue
        parts.append(text[last : hit.start])
        parts.append(hit.replacement)
        last = hit.end
    parts.append(text[last:])
    return "".join(parts)
