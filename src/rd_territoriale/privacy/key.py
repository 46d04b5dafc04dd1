"""The pseudonym key: real names and the pseudonyms that replace them.

The key is a CSV file kept out of git (``data/private/cle.csv``), written by
hand or with Excel (UTF-8 or French Excel: ``;`` and Windows-1252 are
detected). One row per person or organisation:

========== =========================================================
name       the real name as written: ``Jean-Pierre Dupont``,
           ``Boulangerie Martin``
pseudonym  the pseudonym used in the study: ``SAL03``, ``ORG05``
           (letters, digits, ``-``, ``_``, ``.``; no space)
kind       ``personne`` or ``organisation``
variants   optional: other forms separated by ``|`` (nicknames, maiden
           names, ``JP``, ``Hélène Martin``)
========== =========================================================

French column names (``nom``, ``pseudonyme``, ``type``, ``variantes``) are
accepted too. :func:`read_key` reports every defect of the file at once, with
its line as a spreadsheet shows it (header = line 1), in a
:class:`KeyFileError`.

From each row, :meth:`Key.forms` derives every textual form under which the
person may appear in free text: the full name, the name reversed
(``Dupont Jean-Pierre``), the last name alone, the first name alone,
initials (``J. Dupont``, ``J.-P. Dupont``, ``JP Dupont``, ``Jean-Pierre D.``)
and the variants. A person's name is split into first and last name so: the
words written in capitals are the last name (``Anne Marie DUPONT``);
otherwise the last word with the particles before it (``Yann Le Goff``,
``Marie De La Tour``). A civility before a name (``Mme Dupont``) is the
matcher's business (:mod:`rd_territoriale.privacy.pseudonymise`).

A form derived for several people with different pseudonyms (two Dupont, two
Marie) cannot name one of them: it is replaced by ``[SAL03 ou SAL07]`` and
listed in the run's report. A name or variant written in the key wins over a
derived form of someone else.

This module uses the standard library only (no pandas), so that the leak
scan of built reports loads it fast.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rd_territoriale.errors import Problem, RdTerritorialeError
from rd_territoriale.french import plural_s
from rd_territoriale.io.text import decode, sniff_separator
from rd_territoriale.privacy.french_words import COMMON_WORDS

KINDS = ("personne", "organisation")
KIND_ALIASES = {
    "personne": "personne",
    "person": "personne",
    "p": "personne",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "structure": "organisation",
    "o": "organisation",
}
_COLUMN_ALIASES = {
    "name": "name",
    "nom": "name",
    "pseudonym": "pseudonym",
    "pseudonyme": "pseudonym",
    "pseudo": "pseudonym",
    "kind": "kind",
    "type": "kind",
    "variants": "variants",
    "variantes": "variants",
    "variant": "variants",
}
REQUIRED_COLUMNS = ("name", "pseudonym", "kind")
VARIANT_SEPARATOR = "|"

# Particles that belong to the last name (« Le Goff », « De La Tour », « van Dam »).
PARTICLES = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "le",
        "la",
        "les",
        "l",
        "van",
        "von",
        "der",
        "den",
        "ten",
        "ter",
        "di",
        "da",
        "del",
        "della",
        "dos",
        "das",
        "do",
        "ben",
        "ibn",
        "bin",
        "el",
        "al",
        "mac",
        "san",
    }
)
PSEUDONYM = re.compile(r"[^\W][\w.\-]*")

# Text folding has one home (french.fold): lower case, accents dropped, typographic apostrophes,
# hyphens and spaces made plain, one character for one.
from rd_territoriale.french import APOSTROPHES, HYPHENS, PUNCTUATION_TABLE, SPACES, fold  # noqa: E402,F401


def canonical(text: str) -> str:
    """Letters and digits of the folded text: the identity of a name form.

    ``J.-P. Dupont``, ``JP  Dupont`` and ``jp dupont`` share one canonical
    form, ``jpdupont``.
    """
    return "".join(ch for ch in fold(unicodedata.normalize("NFC", text)) if ch.isalnum())


def _normalise(text: str) -> str:
    """NFC, typographic spaces made plain, runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    for ch in SPACES:
        text = text.replace(ch, " ")
    return " ".join(text.split())


def _tokens(form: str) -> list[str]:
    """Words of a form (split on spaces, hyphens and apostrophes), folded."""
    return [t for t in re.split(r"[\s\-']+", fold(form)) if t]


def _is_common(form: str, kind: str = "personne") -> bool:
    """A form made only of common French words (``Pierre``, ``La Tour``, ``La Ruche``).

    A person's form with two words or more that are not particles
    (``Pierre Blanc``) is a full name, never a phrase: not common.
    """
    tokens = [t.strip(".") for t in _tokens(form)]
    if not tokens or not all(t in COMMON_WORDS for t in tokens):
        return False
    significant = [t for t in tokens if t not in PARTICLES]
    return kind != "personne" or len(significant) < 2


class KeyFileError(RdTerritorialeError):
    """The key file cannot be used; ``problems`` lists every defect with its line."""

    def __init__(self, problems: list[Problem], path: str = ""):
        self.problems = list(problems)
        self.path = path
        n = len(self.problems)
        head = f"{n} problème{plural_s(n)} dans la clé de pseudonymisation{f' « {path} »' if path else ''}"
        body = "\n".join(f"  - {p.message(with_file=False)}" for p in self.problems)
        super().__init__(f"{head} (ligne = numéro de ligne du tableur, en-tête = ligne 1) :\n{body}")


@dataclass(frozen=True)
class KeyEntry:
    """One row of the key.

    Attributes
    ----------
    name : str
        The real name, as written in the key (spaces normalised).
    pseudonym : str
    kind : str
        ``personne`` or ``organisation``.
    variants : tuple of str
        Other forms of the name.
    line : int
        Line of the key file (header = 1).
    """

    name: str
    pseudonym: str
    kind: str
    variants: tuple = ()
    line: int = 0

    def split_name(self, name: str | None = None) -> tuple[str, str]:
        """``(first names, last name)`` of a person's name (``("", name)`` if one word).

        Words in capitals are the last name (``Anne Marie DUPONT``); otherwise
        the last word and the particles before it (``Marie De La Tour``).
        """
        words = (name or self.name).split()
        if len(words) < 2:
            return "", " ".join(words)
        caps = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 2 and w.isupper()]
        if caps and len(caps) < len(words) and caps == list(range(caps[0], caps[-1] + 1)):
            last = " ".join(words[i] for i in caps)
            first = " ".join(w for i, w in enumerate(words) if i not in caps)
            return first, last
        start = len(words) - 1
        while start > 1 and fold(words[start - 1]).rstrip("'") in PARTICLES:
            start -= 1
        return " ".join(words[:start]), " ".join(words[start:])


@dataclass(frozen=True)
class NameForm:
    """One textual form to look for, and what replaces it.

    Attributes
    ----------
    form : str
        The form as built from the key (``J.-P. Dupont``).
    replacement : str
        The pseudonym, or ``[SAL03 ou SAL07]`` for a form shared by several
        entries.
    pseudonyms : tuple of str
        Every pseudonym the form may stand for (one unless shared).
    origin : str
        ``nom``, ``variante`` (written in the key) or ``dérivée`` (built from
        a name: last name alone, initials…).
    common : bool
        Made only of common French words (``Pierre``, ``Rose``, ``La Tour``):
        replaced only where written with a capital.
    """

    form: str
    replacement: str
    pseudonyms: tuple
    origin: str
    common: bool

    @property
    def shared(self) -> bool:
        """Whether several entries of the key share this form."""
        return len(self.pseudonyms) > 1


@dataclass
class Key:
    """The pseudonym key, read by :func:`read_key`.

    Attributes
    ----------
    entries : list of KeyEntry
    path : Path or None
    """

    entries: list = field(default_factory=list)
    path: Path | None = None

    # -- forms -------------------------------------------------------------
    def _derived(self, entry: KeyEntry) -> list[tuple[str, str]]:
        """``(form, origin)`` pairs of one entry."""
        out = [(entry.name, "nom")] + [(v, "variante") for v in entry.variants]
        if entry.kind != "personne":
            return out
        for name in [entry.name] + [v for v in entry.variants if len(v.split()) >= 2]:
            first, last = entry.split_name(name)
            if not first:
                continue
            out.append((f"{last} {first}", "dérivée"))
            out.append((last, "dérivée"))
            words = last.split()
            if len(words) >= 3 and fold(words[0]) == "de":
                out.append((" ".join(words[1:]), "dérivée"))  # De La Tour -> La Tour
            out.append((first, "dérivée"))
            parts = [p for p in re.split(r"[\s\-]+", first) if p and p[0].isalpha()]
            initials = [p[0].upper() for p in parts]
            if initials and initials[0] != "M":  # « M. Dupont » is Monsieur Dupont
                out.append((f"{initials[0]}. {last}", "dérivée"))
            if len(initials) >= 2:
                out.append(("-".join(f"{i}." for i in initials) + f" {last}", "dérivée"))
                out.append(("".join(initials) + f" {last}", "dérivée"))
                out.append(("-".join(initials) + f" {last}", "dérivée"))
            letters = [w for w in words if fold(w).rstrip("'") not in PARTICLES] or words
            out.append((f"{first} {letters[0][0].upper()}.", "dérivée"))
        return out

    def form_records(self) -> list[NameForm]:
        """Every form to look for, with its replacement, longest first.

        Forms written in the key (names, variants) win over forms derived
        for another entry; a derived form that several entries share is
        replaced by ``[A ou B]``.

        Returns
        -------
        list of NameForm
            Sorted by decreasing length, then alphabetically (stable).
        """
        explicit: dict[str, dict] = {}
        derived: dict[str, dict] = {}
        shown: dict[tuple, str] = {}
        for entry in self.entries:
            for form, origin in self._derived(entry):
                form = _normalise(form)
                key = canonical(form)
                if len(key) < 2:
                    continue
                target = derived if origin == "dérivée" else explicit
                target.setdefault(key, {}).setdefault(entry.pseudonym, origin)
                shown.setdefault((key, form), entry.kind)
        records = []
        for (key, form), kind in shown.items():
            owners = explicit.get(key) or derived[key]
            pseudonyms = tuple(sorted(owners))
            origin = owners[pseudonyms[0]] if len(pseudonyms) == 1 else "dérivée"
            replacement = pseudonyms[0] if len(pseudonyms) == 1 else f"[{' ou '.join(pseudonyms)}]"
            records.append(NameForm(form, replacement, pseudonyms, origin, _is_common(form, kind)))
        records.sort(key=lambda r: (-len(r.form), r.form))
        return records

    def forms(self, common: bool = True) -> list[tuple[str, str]]:
        """``(form, replacement)`` of every textual form to look for, longest first.

        Parameters
        ----------
        common : bool, default True
            Include the forms made only of common French words (``Pierre``,
            ``Rose``): a case-insensitive search finds them as words too
            (« un mur en pierre »), so a scanner may prefer to look for them
            only where they are capitalised (see :attr:`NameForm.common`).

        Returns
        -------
        list of (str, str)
            The replacement is the pseudonym, or ``[SAL03 ou SAL07]`` for a
            form that several entries share.

        Examples
        --------
        >>> key = Key([KeyEntry("Jean-Pierre Dupont", "SAL03", "personne")])
        >>> ("J.-P. Dupont", "SAL03") in key.forms()
        True
        """
        return [(r.form, r.replacement) for r in self.form_records() if common or not r.common]

    def name_forms(self, common: bool = True) -> list[str]:
        """Sorted distinct textual forms (for the leak scan of built reports)."""
        return sorted({form for form, _ in self.forms(common=common)})

    # -- person-reference columns -------------------------------------------
    def lookup(self) -> dict[str, str]:
        """Canonical exact name -> pseudonym, for person-reference cells.

        A cell maps when it is, apart from case, accents and spaces, a name
        of the key, one of its variants, the name reversed
        (``DUPONT Jean-Pierre``) or a pseudonym of the key.
        """
        table: dict[str, str] = {}
        for entry in self.entries:
            table.setdefault(_exact(entry.pseudonym), entry.pseudonym)
        for entry in self.entries:
            names = [entry.name, *entry.variants]
            if entry.kind == "personne":
                first, last = entry.split_name()
                if first:
                    names.append(f"{last} {first}")
            for name in names:
                table.setdefault(_exact(name), entry.pseudonym)
        return table

    @property
    def pseudonyms(self) -> list[str]:
        """Distinct pseudonyms, in key order."""
        return list(dict.fromkeys(e.pseudonym for e in self.entries))

    def __len__(self) -> int:
        return len(self.entries)


def _exact(text: str) -> str:
    """How a person-reference cell is compared: letters and digits, folded."""
    return canonical(text)


def key_header(row: list[str]) -> list[str]:
    return [_COLUMN_ALIASES.get(c.replace("\ufeff", "").strip().lower(), c.strip().lower()) for c in row]


def read_key(path) -> Key:
    """Read and check a pseudonym key file.

    Parameters
    ----------
    path : str or Path
        CSV file with columns ``name, pseudonym, kind`` and optionally
        ``variants``.

    Returns
    -------
    Key

    Raises
    ------
    KeyFileError
        Listing every defect with its line: missing column, empty name or
        pseudonym, pseudonym with a space, unknown kind, a name given two
        pseudonyms, a pseudonym given to two names, a variant claimed by two
        entries.

    Examples
    --------
    >>> key = read_key("data/private/cle.csv")  # doctest: +SKIP
    >>> key.entries[0].pseudonym  # doctest: +SKIP
    'SAL03'
    """
    path = Path(path)
    file = path.name
    try:
        data = path.read_bytes()
    except OSError as err:
        raise KeyFileError(
            [Problem(file, None, None, None, f"un fichier de clé lisible ({err.strerror or err})")], str(path)
        )
    text, _, problem = decode(data, file)
    if problem is not None:
        raise KeyFileError([problem], str(path))
    assert text is not None  # decode gives a text whenever it reports no problem
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise KeyFileError(
            [Problem(file, None, None, None, "un fichier non vide, avec l'en-tête name, pseudonym, kind")], str(path)
        )
    sep = sniff_separator(text.split("\n", 1)[0].rstrip("\r"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows = []
    previous_end = 0
    for row in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        rows.append((start, [c.strip() for c in row]))
    header_line, header = rows[0][0], key_header(rows[0][1])
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise KeyFileError(
            [
                Problem(
                    file,
                    header_line,
                    c,
                    None,
                    f"la colonne « {c} » dans l'en-tête (colonnes trouvées : {', '.join(header) or 'aucune'} ; "
                    "attendues : name, pseudonym, kind et, si besoin, variants)",
                )
                for c in missing
            ],
            str(path),
        )
    pos = {c: header.index(c) for c in (*REQUIRED_COLUMNS, "variants") if c in header}

    def cell(row, col):
        i = pos.get(col)
        return row[i] if i is not None and i < len(row) else ""

    entries: list[KeyEntry] = []
    names: dict[str, tuple[int, str]] = {}
    owners: dict[str, int] = {}
    claimed: dict[str, tuple[int, str]] = {}
    for line, row in rows[1:]:
        if not any(row):
            continue
        name, pseudonym = _normalise(cell(row, "name")), cell(row, "pseudonym")
        raw_kind = cell(row, "kind")
        bad = False
        if not name:
            problems.append(Problem(file, line, "name", None, "le nom réel (cellule obligatoire)"))
            bad = True
        if not pseudonym:
            problems.append(Problem(file, line, "pseudonym", None, "un pseudonyme (cellule obligatoire)"))
            bad = True
        elif not PSEUDONYM.fullmatch(pseudonym):
            problems.append(
                Problem(
                    file,
                    line,
                    "pseudonym",
                    pseudonym,
                    "un pseudonyme sans espace (lettres, chiffres, « - », « _ », « . »)",
                )
            )
            bad = True
        kind = KIND_ALIASES.get(fold(raw_kind).strip())
        if kind is None:
            problems.append(Problem(file, line, "kind", raw_kind or None, "personne ou organisation"))
            bad = True
        variants = tuple(
            dict.fromkeys(_normalise(v) for v in cell(row, "variants").split(VARIANT_SEPARATOR) if v.strip())
        )
        for v in variants:
            if len(canonical(v)) < 2:
                problems.append(
                    Problem(file, line, "variants", v, "des variantes d'au moins deux lettres, séparées par « | »")
                )
                bad = True
        if bad:
            continue
        key = _exact(name)
        if key in names:
            first_line, first_pseudonym = names[key]
            if first_pseudonym != pseudonym:
                problems.append(
                    Problem(
                        file,
                        line,
                        "name",
                        name,
                        f"un nom présent une seule fois ; déjà ligne {first_line} avec le pseudonyme "
                        f"{first_pseudonym}, ici {pseudonym}",
                    )
                )
            continue  # an exact repeat of a row is harmless
        names[key] = (line, pseudonym)
        if pseudonym in owners:
            first_line = owners[pseudonym]
            problems.append(
                Problem(
                    file,
                    line,
                    "pseudonym",
                    pseudonym,
                    f"un pseudonyme propre à une seule personne ou organisation ; déjà donné ligne "
                    f"{first_line} à un autre nom (les autres écritures d'un même nom vont dans la "
                    "colonne variants, séparées par « | »)",
                )
            )
            continue
        owners[pseudonym] = line
        for form in (name, *variants):
            c = canonical(form)
            if c in claimed and claimed[c][1] != pseudonym:
                problems.append(
                    Problem(
                        file,
                        line,
                        "variants" if form != name else "name",
                        form,
                        f"une forme propre à une seule entrée ; « {form} » est déjà le nom ou une variante "
                        f"de la ligne {claimed[c][0]} ({claimed[c][1]})",
                    )
                )
                bad = True
            claimed.setdefault(c, (line, pseudonym))
        if not bad and kind is not None:
            entries.append(KeyEntry(name, pseudonym, kind, variants, line))
    # A pseudonym must never look like a name of the key (it would be replaced again).
    for entry in entries:
        other = claimed.get(canonical(entry.pseudonym))
        if other is not None and other[1] != entry.pseudonym:
            problems.append(
                Problem(
                    file,
                    entry.line,
                    "pseudonym",
                    entry.pseudonym,
                    f"un pseudonyme qui n'est pas un nom de la clé (ligne {other[0]})",
                )
            )
    if problems:
        raise KeyFileError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")), str(path))
    if not entries:
        raise KeyFileError([Problem(file, None, None, None, "au moins une ligne nom / pseudonyme")], str(path))
    return Key(entries, path)
