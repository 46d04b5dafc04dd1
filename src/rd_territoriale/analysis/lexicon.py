"""Diffusion of the research lexicon: do actors take up the researcher's terms?

The study declares, in ``study.yml`` (``research_lexicon``), the theoretical
terms the research brings to the field, each with its variants. This module
finds them in the coded material and measures the research's footprint on
the actors' vocabulary: who used a term first, when the actors' use rises,
and whether that rise follows the researcher's own first use.

It takes a loaded case (or texts and a lexicon) and returns DataFrames.
DataFrames in, DataFrames out; no plotting, no file I/O; it never edits the
case.

Normalisation (:func:`normalise`, :func:`normalise_series`)
-----------------------------------------------------------
Texts and lexicon forms are compared after the same French normalisation:

1. lower case (Unicode lower case; ``ß`` → ``ss``, ``œ`` → ``oe``,
   ``æ`` → ``ae``), accents stripped (NFKD, combining marks dropped; the
   compatibility forms such as ligatures and non-breaking spaces are
   unfolded);
2. typographic apostrophes (’ ‘ ʼ ´ ` ′) become ``'``;
3. elisions are dropped: ``l' d' j' m' n' s' t' c' qu' jusqu' lorsqu'
   puisqu'`` at the start of a word (« d'ECT » → « ect », « l’entrepreneuriat »
   → « entrepreneuriat »); an apostrophe inside a word
   (« aujourd'hui ») is punctuation;
4. every run of characters that are neither letters nor digits (hyphens,
   punctuation, ``&``, spaces) becomes one space, and the ends are trimmed.

So « Méta-Organisation », « méta organisation » and « meta  organisation »
all give ``meta organisation``, and « R&D » gives ``r d``.

Matching (:func:`term_patterns`, :func:`find_terms`, :func:`term_matches`)
---------------------------------------------------------------------------
Each term matches its own form and its listed variants, as **whole words** of
the normalised text (a match starts and ends at a space or at an end of the
text), under these equivalences:

- hyphen ≡ space: « méta-organisation » ≡ « méta organisation »;
- a hyphen written *in the lexicon* may also be omitted in the text:
  « méta-organisation » matches « métaorganisation »; a space written in the
  lexicon may not (« chaîne de valeur » does not match « chainedevaleur »);
- the regular French plural of every word of the form is accepted: ``s``
  added (« chaînes de valeur élargies »), ``x`` after ``au``/``eu``
  (« réseaux »), ``-al`` → ``-aux``; words that already end in ``s``, ``x``
  or ``z``, words of one or two letters (« r d ») and function words (« de »,
  « la », « et »…) stay as written.

Derived words do **not** match: « méta-organisationnel » or
« métaorganisationnelle » are not « méta-organisation » unless the lexicon
lists them, « ECT » is not found inside « projecteur » or « collecte », and
« chaîne de valeur » alone is not « chaîne de valeur élargie ». A passage
that holds a term several times counts once.

Whose words (:func:`lexicon_diffusion`)
---------------------------------------
Each **passage** is counted once. The passages are:

- the primary coder's segments
  (:func:`~rd_territoriale.analysis.matrices.coder_segments`) of documents,
  de-duplicated on ``source, start, end, text`` (a passage coded with several
  codes by the same coder is one passage). A passage spoken by a researcher
  (``people.is_researcher`` or listed in ``study.yml: researchers``) — an
  interview question — is the **researcher's**; one spoken by another person
  of ``people`` is an **actor's**, in the speaker's stakeholder category. A
  passage whose speaker is missing or unknown is counted nowhere.
- the entries of the field journal, whole (``journal.text``, uncoded
  sentences included): the researcher's notes, whoever the coder; a journal
  entry counts once however many of its segments hold the term.

Dates are the source's (the interview's or the entry's date); undated
passages are left out of every count over time.

The uptake rule
---------------
For a term, let *T* be the date of the researcher's first use (journal entry
or interview question). Actors' passages are split into **before** (dated
strictly before *T*) and **after** (dated *T* or later: an answer to the
question that brought the term is after it). The unit of the test is the
**person**, not the passage (the many passages of one talkative person are
not independent evidence), and each person counts once: in the **after**
group if heard at or after *T*, in the **before** group if heard only before.
``p_value`` is the one-sided Fisher exact test that the share of persons who
use the term is higher in the after group than in the before group; ``p_adjusted`` corrects it by Benjamini–Hochberg
across every term tested. The verdict, in this order:

1. the researcher never uses the term: « jamais employé par le chercheur »;
2. actors used it at least once before *T*: « déjà employé par les acteurs
   avant »;
3. no actor uses it after *T* either, over at least ``min_segments`` actors'
   passages after *T*: « pas repris »;
4. no actor uses it before *T*, at least ``min_uses`` of their passages use
   it after *T*, and ``p_adjusted < alpha``: « reprise après la première
   utilisation par le chercheur »;
5. otherwise (a few uses only, too few actors' passages after *T*, or none
   before *T* to compare with): « trop peu d'occurrences pour conclure ».

The rule reads the data, not intent: a term first written in the journal may
have been said aloud earlier. With the dates of the example's sources
shuffled (``benchmarks/calibration.py``), no more than about 5 % of null
studies show an uptake.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.stats import fisher_exact

from rd_territoriale.analysis.material import researcher_ids
from rd_territoriale.analysis.matrices import coder_segments
from rd_territoriale.analysis.memo import per_study
from rd_territoriale.analysis.models import benjamini_hochberg
from rd_territoriale.study.contract import LIST_SEPARATOR

__all__ = [
    "ALPHA",
    "CATEGORY_COLUMNS",
    "DIFFUSION_COLUMNS",
    "LexiconDiffusion",
    "MIN_SEGMENTS",
    "MIN_USES",
    "PERIOD_COLUMNS",
    "USE_COLUMNS",
    "VERDICTS",
    "find_terms",
    "lexicon_diffusion",
    "lexicon_terms",
    "lexicon_uses",
    "normalise",
    "normalise_series",
    "term_matches",
    "term_patterns",
]

ALPHA = 0.05
MIN_USES = 5
MIN_SEGMENTS = 30

UPTAKE = "reprise après la première utilisation par le chercheur"
ALREADY_USED = "déjà employé par les acteurs avant"
NOT_TAKEN_UP = "pas repris"
TOO_FEW = "trop peu d'occurrences pour conclure"
NEVER_BY_RESEARCHER = "jamais employé par le chercheur"
VERDICTS = (UPTAKE, ALREADY_USED, NOT_TAKEN_UP, TOO_FEW, NEVER_BY_RESEARCHER)

RESEARCHER = "chercheur"
ACTOR = "acteur"

USE_COLUMNS = ["term", "voice", "source_kind", "source", "segment", "date", "period", "speaker", "category", "form"]
PERIOD_COLUMNS = [
    "term",
    "period",
    "actor_count",
    "actor_segments",
    "actor_share",
    "question_count",
    "question_segments",
    "journal_count",
    "journal_entries",
    "journal_share",
]
CATEGORY_COLUMNS = [
    "term",
    "category",
    "category_label",
    "first_date",
    "first_period",
    "first_source",
    "uses",
    "speakers",
    "before_researcher",
]
DIFFUSION_COLUMNS = [
    "term",
    "researcher_first_date",
    "researcher_first_period",
    "researcher_first_source",
    "researcher_first_kind",
    "journal_count",
    "question_count",
    "actor_first_date",
    "actor_first_period",
    "actor_first_category",
    "actor_first_source",
    "actor_count_before",
    "actor_segments_before",
    "actor_share_before",
    "actor_count_after",
    "actor_segments_after",
    "actor_share_after",
    "actor_persons_before",
    "actor_users_before",
    "actor_persons_after",
    "actor_users_after",
    "p_value",
    "p_adjusted",
    "actor_forms",
    "verdict",
]

# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

from rd_territoriale.french import APOSTROPHES  # noqa: E402 - one home for the apostrophes

ELISIONS = ("jusqu", "lorsqu", "puisqu", "qu", "l", "d", "j", "m", "n", "s", "t", "c")
_ELISION_ALT = "|".join(ELISIONS)  # longest first
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"))
# Function words never put in the plural when a lexicon form is pluralised.
FUNCTION_WORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "de",
        "des",
        "du",
        "en",
        "et",
        "ou",
        "la",
        "le",
        "les",
        "un",
        "une",
        "par",
        "pour",
        "sur",
        "sous",
        "dans",
        "avec",
        "sans",
        "entre",
        "vers",
        "chez",
        "ni",
    }
)


def _normalise_arrow(values: pa.Array) -> pa.Array:
    """The normalisation (module docstring) over an Arrow string array, in C++."""
    a = pc.utf8_lower(values)
    a = pc.replace_substring_regex(a, f"[{APOSTROPHES}]", "'")
    a = pc.utf8_normalize(a, form="NFKD")
    a = pc.replace_substring_regex(a, r"\p{Mn}+", "")
    for src, dst in _LIGATURES:
        a = pc.replace_substring(a, src, dst)
    a = pc.replace_substring_regex(a, rf"(^|[^\pL\pN])(?:{_ELISION_ALT})'", r"\1")
    a = pc.replace_substring_regex(a, r"[^\pL\pN]+", " ")
    return pc.utf8_trim(a, " ")


def normalise(text: str) -> str:
    """French normalisation of one text for term matching (module docstring).

    Parameters
    ----------
    text : str
        A missing value (``None``, ``NA``) gives ``""``.

    Returns
    -------
    str
        Lower case, without accents, elisions or punctuation; words separated
        by single spaces.

    Examples
    --------
    >>> normalise("L’ÉCT, c'est la Méta-Organisation !")
    'ect est la meta organisation'
    >>> normalise("d'ECT")
    'ect'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _normalise_arrow(pa.array([str(text)], type=pa.string()))[0].as_py()


def normalise_series(texts) -> pd.Series:
    """Vectorised :func:`normalise`: each distinct text is normalised once.

    Parameters
    ----------
    texts : pandas.Series or sequence of str
        Missing values are allowed.

    Returns
    -------
    pandas.Series
        ``string`` dtype, same index as ``texts``; missing stays missing.
    """
    s = _as_series(texts)
    codes, uniques = _factorised(s)
    taken = _normalise_arrow(uniques).take(pa.array(codes, mask=codes < 0))
    out = taken.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    return pd.Series(out.array, index=s.index, dtype="string")


def _as_series(texts) -> pd.Series:
    return texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)


def _factorised(s: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes (``-1`` for missing) and distinct texts of ``s`` (an Arrow string array)."""
    codes, uniques = pd.factorize(s.astype("string"), use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), pa.array(uniques).cast(pa.string())


# --------------------------------------------------------------------------
# Lexicon and patterns
# --------------------------------------------------------------------------


def lexicon_terms(lexicon) -> dict[str, list[str]]:
    """Each term with its written forms (itself first, then its variants).

    Parameters
    ----------
    lexicon : pandas.DataFrame, mapping or iterable of str
        ``study.lexicon`` (columns ``term, variants``; variants as lists or
        as ``|``-separated text), a mapping ``{term: [variants]}``, or plain
        terms.

    Returns
    -------
    dict
        ``{term: [term, variant, …]}`` in lexicon order, blank forms dropped,
        duplicates merged.
    """
    if isinstance(lexicon, pd.DataFrame):
        variants = lexicon["variants"] if "variants" in lexicon else [None] * len(lexicon)
        pairs = zip(lexicon["term"], variants)
    elif isinstance(lexicon, Mapping):
        pairs = lexicon.items()
    else:
        pairs = ((t, None) for t in lexicon)
    out: dict[str, list[str]] = {}
    for term, var in pairs:
        if term is None or pd.isna(term) or not str(term).strip():
            continue
        term = str(term).strip()
        if isinstance(var, str):
            var = var.split(LIST_SEPARATOR)
        elif var is None or (not isinstance(var, Iterable)) or (np.ndim(var) == 0 and pd.isna(var)):
            var = []
        forms = out.setdefault(term, [term])
        for v in var:
            if v is not None and not pd.isna(v) and str(v).strip() and str(v).strip() not in forms:
                forms.append(str(v).strip())
    return out


def _structures(lexicon) -> dict[str, list[list[list[str]]]]:
    """Each term's written forms as hyphen-joined chunks of normalised words.

    All the chunks are normalised in one vectorised call.
    """
    terms = lexicon_terms(lexicon)
    split = {t: [re.split("[-\u2010\u2011]", f) for f in forms] for t, forms in terms.items()}
    chunks = [c for forms in split.values() for form in forms for c in form]
    normed = iter(normalise_series(pd.Series(chunks, dtype="string")).fillna("").tolist())
    out = {}
    for term, forms in split.items():
        structures = []
        for form in forms:
            words = [next(normed).split(" ") for _ in form]
            words = [w for w in words if w != [""]]
            if words and words not in structures:
                structures.append(words)
        out[term] = structures
    return out


def _plural_suffix(word: str) -> tuple[str, str]:
    """``(stem, suffix regex)`` of the regular French plural of a normalised word."""
    if len(word) < 3 or word in FUNCTION_WORDS or word[-1] in "sxz" or not word.isalpha():
        return word, ""
    if word.endswith("al"):
        return word[:-2], "(?:al|aux|als)"
    if word.endswith(("au", "eu")):
        return word, "[sx]?"
    return word, "s?"


def _accent_classes() -> dict[str, str]:
    """For each ASCII letter, a regex class of the letter and its accented forms."""
    letters: dict[str, list[str]] = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if ch.isalpha() and "a" <= base <= "z" and len(unicodedata.normalize("NFD", ch)) > 1:
            letters.setdefault(base, []).append(ch)
    return {b: "[" + b + "".join(sorted(set(extra))) + "]" for b, extra in letters.items()}


_ACCENTS = _accent_classes()
_LOOSE_APOSTROPHE = "['" + APOSTROPHES + "]"


def _loose_text(normalised: str) -> str:
    """Regex matching, case-insensitively, what ``normalised`` may have been written as."""
    out, i = [], 0
    while i < len(normalised):
        pair = normalised[i : i + 2]
        lig = {dst: src for src, dst in _LIGATURES}.get(pair)
        if lig:
            out.append(f"(?:{_ACCENTS.get(pair[0], pair[0])}{_ACCENTS.get(pair[1], pair[1])}|{lig})")
            i += 2
            continue
        ch = normalised[i]
        out.append(_ACCENTS.get(ch, re.escape(ch)))
        i += 1
    return "".join(out)


def _word_regex(word: str, loose: bool) -> str:
    stem, suffix = _plural_suffix(word)
    return (_loose_text(stem) if loose else re.escape(stem)) + suffix


def _form_regex(structure: list[list[str]], loose: bool) -> str:
    if loose:
        word_sep = rf"(?:[\W_]+(?:(?:{_ELISION_ALT}){_LOOSE_APOSTROPHE}[\W_]*)?)"
        chunk_sep = r"[\W_]*"
    else:
        word_sep, chunk_sep = " ", " ?"
    return chunk_sep.join(word_sep.join(_word_regex(w, loose) for w in chunk) for chunk in structure)


def _term_regex(structures: list[list[list[str]]], loose: bool) -> str:
    alternatives = sorted({_form_regex(st, loose) for st in structures}, key=lambda r: (-len(r), r))
    if not alternatives:
        return r"(?!x)x"
    if loose:
        return rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])"
    return rf"(?<![^ ])(?:{'|'.join(alternatives)})(?![^ ])"


def _compile(structures: dict, loose: bool) -> dict[str, re.Pattern]:
    flags = re.IGNORECASE if loose else 0
    return {term: re.compile(_term_regex(st, loose), flags) for term, st in structures.items()}


def _arrow_regex(pattern: re.Pattern) -> str:
    """The same search for RE2 (Arrow), which has no look-behind: spaces as boundaries."""
    body = pattern.pattern.removeprefix("(?<![^ ])").removesuffix("(?![^ ])")
    return f"(?:^| ){body}(?: |$)"


def term_patterns(lexicon) -> dict[str, re.Pattern]:
    """One compiled regex per term, to search in *normalised* text.

    Parameters
    ----------
    lexicon : pandas.DataFrame, mapping or iterable of str
        See :func:`lexicon_terms`.

    Returns
    -------
    dict
        ``{term: re.Pattern}`` in lexicon order. A pattern matches the term
        and its variants, with plurals, as whole words (module docstring).

    Examples
    --------
    >>> p = term_patterns({"méta-organisation": []})["méta-organisation"]
    >>> bool(p.search(normalise("les méta organisations"))), bool(p.search("meta organisationnel"))
    (True, False)
    """
    return _compile(_structures(lexicon), loose=False)


def _hits(normed: pa.Array, patterns: dict[str, re.Pattern]) -> dict[str, np.ndarray]:
    """For each term, a boolean per distinct normalised text (searched by Arrow's RE2)."""
    return {
        term: np.asarray(pc.match_substring_regex(normed, _arrow_regex(p)).to_numpy(zero_copy_only=False), dtype=bool)
        for term, p in patterns.items()
    }


def find_terms(texts, lexicon) -> pd.DataFrame:
    """Which texts use which term.

    Parameters
    ----------
    texts : pandas.Series or sequence of str
        Raw texts (normalised here); missing values use no term.
    lexicon : pandas.DataFrame, mapping or iterable of str
        See :func:`lexicon_terms`.

    Returns
    -------
    pandas.DataFrame
        Booleans, one row per text (the index of ``texts``), one column per
        term in lexicon order.
    """
    s = _as_series(texts)
    codes, uniques = _factorised(s)
    normed = _normalise_arrow(uniques)
    hits = _hits(normed, term_patterns(lexicon))
    safe = np.maximum(codes, 0)
    data = {term: (h[safe] if len(h) else np.zeros(len(s), bool)) & (codes >= 0) for term, h in hits.items()}
    return pd.DataFrame(data, index=s.index, columns=list(hits))


def _spelling(text: str, loose: re.Pattern, normalised_match: str) -> str:
    """The first spelling of a term in ``text`` as written there (NFC)."""
    nfc = unicodedata.normalize("NFC", text)
    m = loose.search(nfc)
    return nfc[m.start() : m.end()] if m else normalised_match


def term_matches(texts, lexicon) -> pd.DataFrame:
    """Long list of the terms used in each text, with their spelling.

    Parameters
    ----------
    texts : pandas.Series or sequence of str
        Raw texts.
    lexicon : pandas.DataFrame, mapping or iterable of str
        See :func:`lexicon_terms`.

    Returns
    -------
    pandas.DataFrame
        One row per text × term used (a text holding a term twice gives one
        row), columns ``index`` (the label of the text in ``texts``),
        ``term``, ``match`` (normalised), ``form`` (the first occurrence as
        written in the text: « CHAÎNE DE VALEUR ÉLARGIE », « d'ECT » gives
        « ECT ») and ``occurrences``; rows in text order, then lexicon order.
    """
    s = _as_series(texts)
    codes, arrow_uniques = _factorised(s)
    normed_arrow = _normalise_arrow(arrow_uniques)
    normed, uniques = normed_arrow.to_pylist(), arrow_uniques.to_pylist()
    structures = _structures(lexicon)
    patterns, loose = _compile(structures, loose=False), _compile(structures, loose=True)
    order = {t: i for i, t in enumerate(patterns)}
    hits = _hits(normed_arrow, patterns)
    rows = []
    for term, p in patterns.items():
        found = {}
        for u in np.flatnonzero(hits[term]):
            matches = p.findall(normed[u])
            if matches:
                found[u] = (matches[0], _spelling(uniques[u], loose[term], matches[0]), len(matches))
        if not found:
            continue
        pos = np.flatnonzero(np.isin(codes, list(found)))
        for i in pos:
            match, form, n = found[codes[i]]
            rows.append((i, order[term], s.index[i], term, match, form, n))
    rows.sort(key=lambda r: (r[0], r[1]))
    return pd.DataFrame([r[2:] for r in rows], columns=["index", "term", "match", "form", "occurrences"])


# --------------------------------------------------------------------------
# The case: passages, uses, diffusion
# --------------------------------------------------------------------------


def _passages(case, coder: str | None) -> pd.DataFrame:
    """Every passage counted: researcher's and actors' document passages, journal entries.

    Columns ``voice, source_kind, source, segment, date, period, speaker,
    category, kind, text``.
    """
    researchers = researcher_ids(case)
    people = case.people.assign(id=case.people["id"].astype(str)).set_index("id")
    seg = coder_segments(case, coder)
    doc_ids = set(case.documents["id"].astype(str))
    docs = seg.loc[seg["source"].astype(str).isin(doc_ids).to_numpy()]
    docs = docs.drop_duplicates(["source", "start", "end", "text"])
    speaker = docs["speaker"].astype("string")
    is_researcher = speaker.isin(list(researchers)).fillna(False).to_numpy()
    is_actor = speaker.isin(list(people.index)).fillna(False).to_numpy() & ~is_researcher
    kinds = case.documents.assign(id=case.documents["id"].astype(str)).set_index("id")["kind"]
    source = docs["source"].astype(str)
    spoken = pd.DataFrame(
        {
            "voice": np.where(is_researcher, RESEARCHER, ACTOR),
            "source_kind": "document",
            "source": source.to_numpy(),
            "segment": docs["id"].astype("string").to_numpy(),
            "date": pd.to_datetime(docs["date"]).to_numpy(),
            "period": docs["period"].astype("string").to_numpy(),
            "speaker": speaker.to_numpy(),
            "category": speaker.map(people["category"]).astype("string").mask(is_researcher).to_numpy(),
            "kind": source.map(kinds).astype("string").to_numpy(),
            "text": docs["text"].astype("string").to_numpy(),
        }
    )[is_researcher | is_actor]

    jour = case.journal
    text = jour["text"].astype("string")
    journal = pd.DataFrame(
        {
            "voice": RESEARCHER,
            "source_kind": "journal",
            "source": jour["id"].astype(str).to_numpy(),
            "segment": pd.array([pd.NA] * len(jour), dtype="string"),
            "date": pd.to_datetime(jour["date"]).to_numpy(),
            "period": jour["period"].astype("string").to_numpy(),
            "speaker": jour["author"].astype("string").to_numpy(),
            "category": pd.array([pd.NA] * len(jour), dtype="string"),
            "kind": jour["kind"].astype("string").to_numpy(),
            "text": text.to_numpy(),
        }
    )
    out = pd.concat([spoken, journal], ignore_index=True)
    for col in ("voice", "source_kind", "source", "segment", "period", "speaker", "category", "kind", "text"):
        out[col] = out[col].astype("string")
    out["date"] = out["date"].astype("datetime64[ns]")
    return out


def _uses(passages: pd.DataFrame, lexicon) -> pd.DataFrame:
    """One row per passage × term used (passage columns + ``term, form``)."""
    matches = term_matches(passages["text"], lexicon)
    uses = passages.loc[matches["index"].to_numpy()].reset_index(drop=True)
    uses.insert(0, "term", matches["term"].astype("string").to_numpy())
    uses["form"] = matches["form"].astype("string").to_numpy()
    return uses


def lexicon_uses(case, coder: str | None = None) -> pd.DataFrame:
    """Every use of a lexicon term: one row per passage × term.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose document segments are read (the primary coder by default).

    Returns
    -------
    pandas.DataFrame
        Columns ``USE_COLUMNS``: ``term``; ``voice`` (« chercheur » or
        « acteur »); ``source_kind`` (``document`` or ``journal``);
        ``source``; ``segment`` (the segment id, empty for a journal entry);
        ``date``, ``period``; ``speaker`` (the journal's author for an
        entry); ``category`` (the actor's); ``form`` (the spelling used).
        Sorted by term (lexicon order), date, source, segment.
    """
    return _sorted_uses(_uses(_passages(case, coder), case.study.lexicon), list(lexicon_terms(case.study.lexicon)))[
        USE_COLUMNS
    ]


def _sorted_uses(uses: pd.DataFrame, terms: list[str]) -> pd.DataFrame:
    rank = uses["term"].map({t: i for i, t in enumerate(terms)})
    return (
        uses.assign(_rank=rank.to_numpy())
        .sort_values(["_rank", "date", "source", "segment"], kind="mergesort", na_position="last")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class LexiconDiffusion:
    """The diffusion of the research lexicon (:func:`lexicon_diffusion`).

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per term, ``DIFFUSION_COLUMNS``, with the verdict.
    periods : pandas.DataFrame
        Term × period, ``PERIOD_COLUMNS``.
    categories : pandas.DataFrame
        Term × stakeholder category, first use by actors, ``CATEGORY_COLUMNS``.
    uses : pandas.DataFrame
        Every use, ``USE_COLUMNS`` (:func:`lexicon_uses`).
    """

    summary: pd.DataFrame
    periods: pd.DataFrame
    categories: pd.DataFrame
    uses: pd.DataFrame


def _first_rows(uses: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The earliest dated use per group (ties: journal first, then source, segment)."""
    dated = uses.dropna(subset=["date"])
    dated = dated.assign(_journal=(dated["source_kind"] != "journal").to_numpy())
    dated = dated.sort_values(["date", "_journal", "source", "segment"], kind="mergesort")
    return dated.drop_duplicates(by).set_index(by)


def _period_table(passages: pd.DataFrame, uses: pd.DataFrame, terms: list[str], periods: list[str]) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product([terms, periods], names=["term", "period"])
    out = pd.DataFrame(index=grid)
    groups = {
        "actor": (passages["voice"] == ACTOR) & (passages["source_kind"] == "document"),
        "question": (passages["voice"] == RESEARCHER) & (passages["source_kind"] == "document"),
        "journal": passages["source_kind"] == "journal",
    }
    per = grid.get_level_values("period")
    for name, mask in groups.items():
        base = passages.loc[mask.fillna(False).to_numpy()]
        total = base["period"].dropna().value_counts().reindex(periods, fill_value=0)
        used = uses.loc[
            uses["voice"].eq(ACTOR if name == "actor" else RESEARCHER).to_numpy()
            & uses["source_kind"].eq("journal" if name == "journal" else "document").to_numpy()
        ]
        count = used.dropna(subset=["period"]).groupby(["term", "period"]).size()
        denominator = "journal_entries" if name == "journal" else f"{name}_segments"
        out[f"{name}_count"] = count.reindex(grid, fill_value=0).astype(int).to_numpy()
        out[denominator] = total.reindex(per).to_numpy().astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["actor_share"] = np.where(out["actor_segments"] > 0, out["actor_count"] / out["actor_segments"], np.nan)
        out["journal_share"] = np.where(
            out["journal_entries"] > 0, out["journal_count"] / out["journal_entries"], np.nan
        )
    out = out.reset_index()
    out["term"] = out["term"].astype("string")
    out["period"] = out["period"].astype("string")
    return out[PERIOD_COLUMNS]


def _category_table(case, uses: pd.DataFrame, terms: list[str], first_researcher: pd.Series) -> pd.DataFrame:
    cats = case.study.categories
    categories = [str(c) for c in cats["id"]]
    grid = pd.MultiIndex.from_product([terms, categories], names=["term", "category"])
    actors = uses.loc[(uses["voice"] == ACTOR).to_numpy() & uses["category"].notna().to_numpy()]
    first = _first_rows(actors, ["term", "category"]).reindex(grid)
    out = pd.DataFrame(index=grid)
    out["first_date"] = first["date"].to_numpy()
    out["first_period"] = first["period"].astype("string").to_numpy()
    out["first_source"] = first["source"].astype("string").to_numpy()
    out["uses"] = actors.groupby(["term", "category"]).size().reindex(grid, fill_value=0).astype(int).to_numpy()
    out["speakers"] = (
        actors.groupby(["term", "category"])["speaker"].nunique().reindex(grid, fill_value=0).astype(int).to_numpy()
    )
    out = out.reset_index()
    dates = first_researcher.to_dict()
    t = pd.Series([dates.get(term, pd.NaT) for term in out["term"]], index=out.index, dtype="datetime64[ns]")
    before = (out["first_date"] < t).astype("boolean")
    out["before_researcher"] = before.mask(out["first_date"].isna() | t.isna())
    out.insert(2, "category_label", out["category"].map(dict(zip(categories, cats["label"].astype(str)))))
    for col in ("term", "category", "category_label"):
        out[col] = out[col].astype("string")
    out["first_date"] = out["first_date"].astype("datetime64[ns]")
    return out[CATEGORY_COLUMNS]


def _verdict(
    has_researcher: bool,
    k_before: int,
    n_before: int,
    k_after: int,
    n_after: int,
    p_value: float,
    alpha: float,
    min_uses: int,
    min_segments: int,
) -> str:
    """The uptake rule of the module docstring."""
    if not has_researcher:
        return NEVER_BY_RESEARCHER
    if k_before > 0:
        return ALREADY_USED
    if k_after == 0 and n_after >= min_segments:
        return NOT_TAKEN_UP
    if k_after >= min_uses and n_before > 0 and p_value < alpha:
        return UPTAKE
    return TOO_FEW


def _summary(
    passages: pd.DataFrame, uses: pd.DataFrame, terms: list[str], alpha: float, min_uses: int, min_segments: int
) -> pd.DataFrame:
    researcher = uses.loc[(uses["voice"] == RESEARCHER).to_numpy()]
    actor_uses = uses.loc[(uses["voice"] == ACTOR).to_numpy()]
    first_r = _first_rows(researcher, ["term"]).reindex(terms)
    first_a = _first_rows(actor_uses, ["term"]).reindex(terms)
    actors = passages.loc[(passages["voice"] == ACTOR).to_numpy() & passages["date"].notna().to_numpy()]
    dates = actors["date"].to_numpy(dtype="datetime64[ns]")
    speakers = actors["speaker"].astype("string").reset_index(drop=True)
    rows = []
    for term in terms:
        t = first_r.at[term, "date"]
        mine = researcher[researcher["term"] == term]
        theirs = actor_uses.loc[(actor_uses["term"] == term).to_numpy() & actor_uses["date"].notna().to_numpy()]
        row = {
            "term": term,
            "researcher_first_date": t,
            "researcher_first_period": first_r.at[term, "period"],
            "researcher_first_source": first_r.at[term, "source"],
            "researcher_first_kind": first_r.at[term, "kind"],
            "journal_count": int((mine["source_kind"] == "journal").sum()),
            "question_count": int((mine["source_kind"] == "document").sum()),
            "actor_first_date": first_a.at[term, "date"],
            "actor_first_period": first_a.at[term, "period"],
            "actor_first_category": first_a.at[term, "category"],
            "actor_first_source": first_a.at[term, "source"],
            "actor_forms": int(theirs["form"].nunique()),
        }
        if pd.isna(t):
            kb = nb = ka = na = 0
            persons = (0, 0, 0, 0)
            p = np.nan
        else:
            cut = np.datetime64(pd.Timestamp(t), "ns")
            nb = int((dates < cut).sum())
            na = int((dates >= cut).sum())
            used = theirs["date"].to_numpy(dtype="datetime64[ns]")
            kb = int((used < cut).sum())
            ka = int((used >= cut).sum())
            # Each person counts once: in « after » if heard at or after T, else in « before ».
            heard_after = set(speakers[dates >= cut].dropna())
            only_before = set(speakers[dates < cut].dropna()) - heard_after
            users_before = set(theirs["speaker"][used < cut].dropna()) & only_before
            persons = (len(only_before), len(users_before), len(heard_after), theirs["speaker"][used >= cut].nunique())
            pb, ub, pa, ua = persons
            p = (
                float(fisher_exact([[ua, pa - ua], [ub, pb - ub]], alternative="greater").pvalue)
                if pa > 0 and pb > 0
                else np.nan
            )
        row.update(
            {
                "actor_count_before": kb,
                "actor_segments_before": nb,
                "actor_share_before": kb / nb if nb else np.nan,
                "actor_count_after": ka,
                "actor_segments_after": na,
                "actor_share_after": ka / na if na else np.nan,
                "actor_persons_before": persons[0],
                "actor_users_before": persons[1],
                "actor_persons_after": persons[2],
                "actor_users_after": persons[3],
                "p_value": p,
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows, columns=DIFFUSION_COLUMNS)
    out["p_adjusted"] = benjamini_hochberg(out["p_value"]).to_numpy() if len(out) else []
    out["verdict"] = [
        _verdict(
            not pd.isna(r.researcher_first_date),
            r.actor_count_before,
            r.actor_segments_before,
            r.actor_count_after,
            r.actor_segments_after,
            r.p_adjusted,
            alpha,
            min_uses,
            min_segments,
        )
        for r in out.itertuples(index=False)
    ]
    for col in (
        "term",
        "researcher_first_period",
        "researcher_first_source",
        "researcher_first_kind",
        "actor_first_period",
        "actor_first_category",
        "actor_first_source",
        "verdict",
    ):
        out[col] = out[col].astype("string")
    for col in ("researcher_first_date", "actor_first_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ("actor_share_before", "actor_share_after", "p_value", "p_adjusted"):
        out[col] = out[col].astype(float)
    for col in ("actor_persons_before", "actor_users_before", "actor_persons_after", "actor_users_after"):
        out[col] = out[col].astype(int)
    return out


@per_study
def lexicon_diffusion(
    case, coder: str | None = None, alpha: float = ALPHA, min_uses: int = MIN_USES, min_segments: int = MIN_SEGMENTS
) -> LexiconDiffusion:
    """Diffusion of the research lexicon into the actors' words (module docstring).

    Parameters
    ----------
    case : Case
        The loaded case; its ``study.lexicon`` gives the terms.
    coder : str, optional
        Coder whose document segments are read (the primary coder by
        default); the journal is read whole, whoever coded it.
    alpha : float
        Level of the one-sided Fisher test for an uptake.
    min_uses : int
        Fewest actors' passages using the term after the researcher's first
        use for an uptake to be concluded.
    min_segments : int
        Fewest actors' passages after the researcher's first use for « pas
        repris » to be concluded from zero uses.

    Returns
    -------
    LexiconDiffusion
        - ``summary`` (one row per term, lexicon order), ``DIFFUSION_COLUMNS``:
          ``researcher_first_date, researcher_first_period,
          researcher_first_source`` (journal entry or document id) and
          ``researcher_first_kind`` (the entry's or document's kind: « note
          réflexive », « entretien »…); ``journal_count`` (journal entries
          using the term) and ``question_count`` (researcher's interview
          passages using it); ``actor_first_date, actor_first_period,
          actor_first_category, actor_first_source``; actors' passages before
          and after the researcher's first use: ``actor_count_*`` (using the
          term), ``actor_segments_*`` (all), ``actor_share_*`` (their ratio,
          0–1; NaN without passages); ``p_value`` (one-sided Fisher; NaN when
          a side has no passage); ``actor_forms`` (distinct spellings in the
          actors' words); ``verdict`` (French, one of ``VERDICTS``).
        - ``periods`` (term × period, study order), ``PERIOD_COLUMNS``:
          ``actor_count, actor_segments, actor_share`` (actors' passages),
          ``question_count, question_segments`` (researchers' passages in
          documents), ``journal_count, journal_entries, journal_share``.
        - ``categories`` (term × stakeholder category, study order),
          ``CATEGORY_COLUMNS``: the first actor's use in the category
          (``first_date, first_period, first_source``; missing when never),
          ``uses`` (passages), ``speakers`` (distinct persons — persons: mask
          for partners), ``before_researcher`` (first use strictly before the
          researcher's; missing when either is).
        - ``uses``: every use (:func:`lexicon_uses`).

    Raises
    ------
    ValueError
        For a coder who coded no segment.
    """
    terms = list(lexicon_terms(case.study.lexicon))
    passages = _passages(case, coder)
    uses = _sorted_uses(_uses(passages, case.study.lexicon), terms)
    periods = [str(p) for p in case.study.periods["id"]]
    summary = _summary(passages, uses, terms, alpha, min_uses, min_segments)
    first_researcher = summary.set_index("term")["researcher_first_date"]
    return LexiconDiffusion(
        summary=summary,
        periods=_period_table(passages, uses, terms, periods),
        categories=_category_table(case, uses, terms, first_researcher),
        uses=uses[USE_COLUMNS],
    )
