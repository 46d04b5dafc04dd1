"""The review of names missing from the key: one decision per form, kept with the key.

A pseudonymisation run that finds person-like forms unknown to the key
(:mod:`rd_territoriale.privacy.names`) writes nothing and, with
``--relecture FICHIER.csv``, writes the list of those forms, one row per
distinct form, with its count and its first three places. The researcher
fills in one column per row, ``décision``:

- ``clé``: the form is a person (or an organisation): it goes into the key,
  with the ``pseudonyme`` given (an existing pseudonym adds the form to that
  entry's variants; a new one makes a new entry of ``type`` ``personne`` or
  ``organisation``);
- ``pas une personne``: a place, a word, a project (« Orgelet »,
  « Décision »): the form goes to the list ``pas-des-personnes.txt`` kept
  beside the key, and is never reported again;
- empty: not decided yet (reported again).

The next run with the same ``--relecture`` file applies the decisions
(every defect of the file is reported at once, with its line and column,
and then nothing is applied), then looks again.

The forms detected in the raw study are also kept beside the key, hashed
(``formes-detectees.txt``: BLAKE2b with a salt of the file), so that the
leak scan of built pages (:mod:`rd_territoriale.privacy.scan`) refuses a
page that shows one of them, without the forms ever being written in clear
outside ``data/private/``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from rd_territoriale.errors import Problem, RdTerritorialeError
from rd_territoriale.io.cells import guard, unguard
from rd_territoriale.io.text import decode, sniff_separator
from rd_territoriale.privacy.key import KIND_ALIASES, PSEUDONYM, VARIANT_SEPARATOR, canonical, fold, key_header

NOT_PERSONS_FILE = "pas-des-personnes.txt"
DETECTED_FILE = "formes-detectees.txt"
REVIEW_COLUMNS = (
    "forme",
    "décision",
    "pseudonyme",
    "type",
    "occurrences",
    "repérée par",
    "lieu 1",
    "contexte 1",
    "lieu 2",
    "contexte 2",
    "lieu 3",
    "contexte 3",
)
_TO_KEY = {"cle", "clé", "ajouter", "ajouter a la cle", "personne", "organisation", "oui"}
_NOT_PERSON = {"pas une personne", "pas un nom", "non", "pas une personne ni une organisation"}
_NOT_PERSONS_HEADER = (
    "# Formes qui ne sont pas des personnes (lieux, mots, projets), une par ligne.\n"
    "# Écrit par « rd-territoriale pseudonymise --relecture » ; modifiable à la main.\n"
    "# La casse et les accents ne comptent pas. Ne versionnez pas ce fichier.\n"
)


class ReviewError(RdTerritorialeError):
    """The review decisions cannot be applied (every defect listed, with its file); nothing was applied."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        files = ", ".join(dict.fromkeys(f"« {p.file} »" for p in problems))
        super().__init__(
            f"décisions de relecture non appliquées ({files}) :\n" + "\n".join(f"  - {p.message()}" for p in problems)
        )


@dataclass
class Decisions:
    """What a filled-in review file decides.

    Attributes
    ----------
    to_key : list of (form, pseudonym, kind)
    not_persons : list of str
    undecided : int
    """

    to_key: list = field(default_factory=list)
    not_persons: list = field(default_factory=list)
    undecided: int = 0


# -- the list of « not a person » forms --------------------------------------------


def not_persons_path(key_path: Path) -> Path:
    """The list of « not a person » forms kept beside the key."""
    return Path(key_path).parent / NOT_PERSONS_FILE


def read_not_persons(key_path: Path) -> frozenset:
    """Canonical forms (:func:`~rd_territoriale.privacy.key.canonical`) that are no person."""
    path = not_persons_path(key_path)
    if not path.is_file():
        return frozenset()
    text, _, problem = decode(path.read_bytes(), path.name)
    if problem is not None:
        raise ReviewError([problem])
    assert text is not None  # decode gives a text whenever it reports no problem
    return frozenset(
        canonical(line)
        for line in text.lstrip("\ufeff").splitlines()
        if line.strip() and not line.lstrip().startswith("#") and canonical(line)
    )


def add_not_persons(key_path: Path, forms) -> Path:
    """Add forms to the list (kept sorted, without repeats)."""
    path = not_persons_path(key_path)
    lines: list[str] = []
    if path.is_file():
        text, _, problem = decode(path.read_bytes(), path.name)
        if problem is not None:
            raise ReviewError([problem])
        assert text is not None  # decode gives a text whenever it reports no problem
        lines = [ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    seen = {canonical(ln) for ln in lines}
    for form in forms:
        if canonical(form) and canonical(form) not in seen:
            seen.add(canonical(form))
            lines.append(form.strip())
    lines.sort(key=lambda s: (fold(s), s))
    _atomic_write(path, (_NOT_PERSONS_HEADER + "\n".join(lines) + "\n").encode("utf-8"))
    return path


# -- the review file -------------------------------------------------------------------


def write_review(path, forms) -> Path:
    """Write the forms to review (``UnknownForm`` objects) as a CSV for a spreadsheet.

    UTF-8 with a byte-order mark, so that Excel shows the accents; the
    ``décision``, ``pseudonyme`` and ``type`` columns are left empty.
    """
    from rd_territoriale.privacy.names import HOW

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    for form in forms:
        places = []
        for o in form.places[:3]:
            places += [o.location(), o.context]
        places += [""] * (6 - len(places))
        row = [form.form, "", "", "", form.count, HOW.get(form.how, form.how), *places]
        writer.writerow([guard(c) for c in row])  # field text is text, never a formula
    path = Path(path)
    _atomic_write(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return path


def read_decisions(path, key) -> Decisions:
    """The decisions of a filled-in review file.

    Parameters
    ----------
    path : Path
    key : Key
        The current key (a new pseudonym must not be a name of it).

    Raises
    ------
    ReviewError
        Every defect, with its line and column: unknown decision, missing or
        malformed pseudonym, unknown type, a form given two decisions.
    """
    path = Path(path)
    file = path.name
    text, _, problem = decode(path.read_bytes(), file)
    if problem is not None:
        raise ReviewError([problem])
    assert text is not None  # decode gives a text whenever it reports no problem
    text = text.lstrip("\ufeff")
    if not text.strip():
        return Decisions()
    sep = sniff_separator(text.split("\n", 1)[0].rstrip("\r"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, previous = [], 0
    for row in reader:
        rows.append((previous + 1, [c.strip() for c in row]))
        previous = reader.line_num
    header = [fold(c).strip() for c in rows[0][1]]
    wanted = {c: fold(c) for c in ("forme", "décision", "pseudonyme", "type")}
    missing = [c for c, f in wanted.items() if f not in header]
    if missing:
        raise ReviewError([Problem(file, 1, c, None, f"la colonne « {c} » dans l'en-tête") for c in missing])
    pos = {c: header.index(f) for c, f in wanted.items()}

    def cell(row, col):
        i = pos[col]
        return row[i] if i < len(row) else ""

    out, problems = Decisions(), []
    seen: dict[str, tuple] = {}  # canonical form -> (decision, line)
    key_names = {canonical(f) for f in key.name_forms()}
    key_pseudonyms = {canonical(p): p for p in key.pseudonyms}
    for line, row in rows[1:]:
        if not any(row):
            continue
        form, decision = unguard(cell(row, "forme")), fold(cell(row, "décision")).strip()
        decision = " ".join(decision.replace("«", " ").replace("»", " ").split())
        if not canonical(form):
            if decision:
                problems.append(Problem(file, line, "forme", form or None, "la forme à décider"))
            continue
        if not decision:
            out.undecided += 1
            continue
        whole = (decision, cell(row, "pseudonyme").strip(), fold(cell(row, "type")).strip())
        first = seen.setdefault(canonical(form), (whole, line))
        if first[0] != whole:
            problems.append(
                Problem(
                    file,
                    line,
                    "décision",
                    cell(row, "décision"),
                    f"une seule décision par forme (autre décision ligne {first[1]})",
                )
            )
            continue
        if first[1] != line:
            continue  # the same decision twice
        if decision in _NOT_PERSON:
            out.not_persons.append(form)
        elif decision in {fold(d) for d in _TO_KEY}:
            pseudonym = cell(row, "pseudonyme")
            raw_kind = cell(row, "type") or ("organisation" if decision == "organisation" else "personne")
            kind = KIND_ALIASES.get(fold(raw_kind).strip())
            bad = False
            if not pseudonym or not PSEUDONYM.fullmatch(pseudonym):
                problems.append(
                    Problem(
                        file,
                        line,
                        "pseudonyme",
                        pseudonym or None,
                        "le pseudonyme à donner à cette forme (lettres, chiffres, « - », « _ », « . », "
                        "sans espace ; un pseudonyme de la clé ajoute la forme à ses variantes)",
                    )
                )
                bad = True
            elif canonical(pseudonym) in key_names:
                problems.append(
                    Problem(file, line, "pseudonyme", pseudonym, "un pseudonyme qui n'est pas un nom de la clé")
                )
                bad = True
            elif key_pseudonyms.get(canonical(pseudonym), pseudonym) != pseudonym:
                problems.append(
                    Problem(
                        file,
                        line,
                        "pseudonyme",
                        pseudonym,
                        f"le pseudonyme tel que la clé l'écrit : « {key_pseudonyms[canonical(pseudonym)]} »",
                    )
                )
                bad = True
            if kind is None:
                problems.append(Problem(file, line, "type", raw_kind, "personne ou organisation"))
                bad = True
            if not bad:
                out.to_key.append((form, pseudonym, kind))
        else:
            problems.append(
                Problem(
                    file,
                    line,
                    "décision",
                    cell(row, "décision"),
                    "« clé » (avec un pseudonyme), « pas une personne », ou rien (pas encore décidé)",
                )
            )
    if problems:
        raise ReviewError(problems)
    return out


def add_to_key(key_path: Path, additions) -> list[str]:
    """Write forms into the key file, in its own encoding, separator and line ends.

    A form whose pseudonym is already in the key joins that entry's
    ``variants``; a new pseudonym makes a new row. The file is replaced
    atomically.

    Returns
    -------
    list of str
        What was done, one French line per form.
    """
    from rd_territoriale.io.export import atomic_path
    from rd_territoriale.privacy.key import KeyFileError, read_key

    key_path = Path(key_path)
    data = key_path.read_bytes()
    text, encoding, problem = decode(data, key_path.name)
    if problem is not None:
        raise ReviewError([problem])
    assert text is not None  # decode gives a text whenever it reports no problem
    bom = data.startswith(b"\xef\xbb\xbf")
    text = text.lstrip("\ufeff")
    newline = "\r\n" if "\r\n" in text else "\n"
    sep, rows = _csv_rows(text)
    if encoding == "utf-8" and not bom and sep == ";" and text.isascii():
        encoding = "cp1252"  # what French Excel wrote (and will read back)
    header = key_header(rows[0])
    if "variants" not in header:
        rows[0].append("variants")
        header.append("variants")
    width = len(rows[0])
    col = {c: header.index(c) for c in ("name", "pseudonym", "kind", "variants")}
    done = []
    for form, pseudonym, kind in additions:
        target = next(
            (r for r in rows[1:] if len(r) > col["pseudonym"] and r[col["pseudonym"]].strip() == pseudonym), None
        )
        if target is not None:
            target += [""] * (width - len(target))
            variants = [v for v in target[col["variants"]].split(VARIANT_SEPARATOR) if v.strip()]
            if canonical(form) in {canonical(v) for v in variants} | {canonical(target[col["name"]])}:
                done.append(f"« {form} » était déjà dans la clé ({pseudonym})")
                continue
            variants.append(form)
            target[col["variants"]] = VARIANT_SEPARATOR.join(variants)
            done.append(f"« {form} » ajoutée aux variantes de {pseudonym}")
        else:
            row = [""] * width
            row[col["name"]], row[col["pseudonym"]], row[col["kind"]] = form, pseudonym, kind
            rows.append(row)
            done.append(f"« {form} » ajoutée à la clé comme {pseudonym} ({kind})")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator=newline).writerows(rows)
    try:
        payload = buffer.getvalue().encode(encoding or "utf-8")
    except UnicodeEncodeError as err:
        raise ReviewError(
            [
                Problem(
                    key_path.name,
                    None,
                    None,
                    err.object[err.start : err.end],
                    "des caractères que l'encodage de la clé (Windows-1252) peut écrire ; "
                    "réenregistrez la clé en « CSV UTF-8 »",
                )
            ]
        ) from None
    if bom:
        payload = b"\xef\xbb\xbf" + payload
    try:
        with atomic_path(key_path) as tmp:  # the key is replaced only if the new one is valid
            tmp.write_bytes(payload)
            read_key(tmp)
    except KeyFileError as err:
        raise ReviewError(
            [
                Problem(key_path.name, p.line, p.column, p.value, p.expected + " (après les décisions de relecture)")
                for p in err.problems
            ]
        ) from None
    return done


def _csv_rows(text: str) -> tuple[str, list[list[str]]]:
    """The separator of a CSV text (sniffed on its header, as the key's reader does) and its rows."""
    sep = sniff_separator(text.split("\n", 1)[0].rstrip("\r"))
    return sep, list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def drop_decided(path: Path) -> None:
    """Rewrite the review list without the rows already decided (so that they are not applied twice)."""
    text, _, _ = decode(Path(path).read_bytes(), Path(path).name)
    if text is None:
        return
    sep, rows = _csv_rows(text.lstrip("\ufeff"))
    if not rows:
        return
    header = [fold(c).strip() for c in rows[0]]
    if fold("décision") not in header:
        return
    i = header.index(fold("décision"))
    kept = [rows[0]] + [r for r in rows[1:] if any(r) and not (i < len(r) and r[i].strip())]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(kept)
    _atomic_write(Path(path), ("\ufeff" + buffer.getvalue()).encode("utf-8"))


# -- detected forms, hashed ------------------------------------------------------------


def detected_path(key_path: Path) -> Path:
    """The hashed list of the raw study's person forms, beside the key."""
    return Path(key_path).parent / DETECTED_FILE


def _digest(salt: bytes, ident: str) -> str:
    """The stored digest of a canonical form (:func:`~rd_territoriale.privacy.key.canonical`)."""
    return hashlib.blake2b(ident.encode("utf-8"), key=salt, digest_size=16).hexdigest()


def write_detected(key_path: Path, forms, not_persons=frozenset(), pseudonyms=()) -> Path:
    """Add the forms (hashed) to the list beside the key; drop the « not a person » ones.

    Each line holds the digest and the number of words of the form. A page
    matches a form only where it writes each of its words with a capital
    (« Poux », not « des poux »; « M.-A. », not « il m'a »).
    """
    path = detected_path(key_path)
    salt, entries = _read_detected(path)
    if salt is None:
        salt = secrets.token_bytes(16)
    pseudonyms = {canonical(p) for p in pseudonyms}
    for form in forms:
        ident = canonical(form)
        words = re.findall(r"\w+", form)
        if not ident or ident in not_persons or all(canonical(w) in pseudonyms for w in words):
            continue
        entries[_digest(salt, ident)] = (len(words), False)
    for ident in not_persons:
        entries.pop(_digest(salt, ident), None)
    lines = [
        "# Formes de personnes repérées dans les données brutes, hachées (BLAKE2b salé).",
        "# Écrit par « rd-territoriale pseudonymise » ; lu par le contrôle de fuite des pages.",
        f"sel {salt.hex()}",
    ]
    lines += [f"{d} {w}" for d, (w, _) in sorted(entries.items())]
    _atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _read_detected(path: Path):
    salt: bytes | None = None
    entries: dict = {}
    if not path.is_file():
        return salt, entries
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] == "sel" and len(parts) == 2:
            try:
                salt = bytes.fromhex(parts[1])
            except ValueError:
                salt = None
        elif len(parts) >= 2 and re.fullmatch(r"[0-9a-f]{32}", parts[0]) and parts[1].isdigit():
            entries[parts[0]] = (int(parts[1]), len(parts) > 2 and parts[2] == "m")
    return salt, entries


@dataclass(frozen=True)
class DetectedForms:
    """Hashed person forms a page must not show (see :func:`write_detected`)."""

    lists: tuple  # of (salt, {digest: (words, common)})

    @classmethod
    def load(cls, paths) -> "DetectedForms":
        lists = []
        for path in paths:
            salt, entries = _read_detected(Path(path))
            if salt is not None and entries:
                lists.append((salt, entries))
        return cls(tuple(lists))

    def __bool__(self) -> bool:
        return bool(self.lists)

    def hits(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` (NFC) that are one of the forms, each word written with a capital."""
        if not self.lists:
            return []
        words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\w+", text)]
        folded = ["".join(ch for ch in fold(w) if ch.isalnum()) for _, _, w in words]
        capital = [w[:1].isupper() for _, _, w in words]
        out = []
        for salt, entries in self.lists:
            longest = max(w for w, _ in entries.values())
            for i in range(len(words)):
                if not capital[i]:
                    continue
                joined = ""
                for n in range(1, longest + 1):
                    if i + n > len(words) or not capital[i + n - 1]:
                        break
                    if n > 1 and not re.fullmatch(r"[\s\-'’.]{1,3}", text[words[i + n - 2][1] : words[i + n - 1][0]]):
                        break
                    joined += folded[i + n - 1]
                    entry = entries.get(_digest(salt, joined))
                    if entry is not None and entry[0] == n:
                        start, end = words[i][0], words[i + n - 1][1]
                        if _glued(text, start, end):
                            continue  # « Saint-Martin » is not « Martin », as for the key
                        out.append((start, end))
        return sorted(set(out))


def _glued(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a hyphenated compound word."""
    before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum()
    return before or after


def _atomic_write(path: Path, payload: bytes) -> None:
    from rd_territoriale.io.export import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)
