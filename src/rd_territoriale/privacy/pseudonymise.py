"""Pseudonymise a raw study: real names out, pseudonyms in, nothing half-written.

``rd-territoriale pseudonymise RAW_DIR OUT_DIR --key KEYFILE`` reads a raw
study (``data/<étude>/raw/``: the tables of the data contract, where
person-reference columns and free text may hold real names), replaces every
name of the key (:mod:`rd_territoriale.privacy.key`) and writes a
pseudonymised study that passes ``rd-territoriale validate``.

What is replaced
----------------
- **Person-reference cells** (``people.id`` and every contract column whose
  ``ref`` is ``people``: respondent, interviewer, author, coder, speaker; the
  ``researchers`` of ``study.yml``): the whole cell must be, apart from case,
  accents and spaces, a name of the key, one of its variants, the name
  reversed (``DUPONT Jean-Pierre``) or already a pseudonym of the key. Any
  other value is reported (file, line as a spreadsheet shows it, column,
  value) and **nothing is written**.
- **Free text** (every contract column of kind ``text``: texts of segments
  and journal, titles, unit names and descriptions, labels, roles…, every
  column outside the contract, and the whole of ``study.yml``, comments
  included): every form of :meth:`Key.form_records` is replaced by its
  pseudonym, on whole words (a name inside a longer word, ``Martineau`` for
  ``Martin``, or after a hyphen, ``Saint-Martin``, is left), case and accents
  forgiven (``HÉLÈNE``, ``Helene``), after an elision (``d'Hélène``), before
  an apostrophe (``Dupont's``: the suffix is kept), longest form first
  (``Jean-Pierre Dupont`` before ``Dupont``). A civility written before a
  name (``M.``, ``Mme``, ``Madame``, ``Monsieur``, ``Mlle``, ``Dr``, ``Me``,
  ``Pr``…) goes with it: ``Mme Vercel`` becomes ``SAL04``, because a gender
  in a small college can be enough to identify someone.

Rules chosen
------------
*Names missing from the key.* Every free-text cell and ``study.yml`` are
read by a French named-entity model with patterns
(:mod:`~rd_territoriale.privacy.names`: spaCy ``fr_core_news_sm``,
civilities, initials, known first names and surnames, words after « avec »,
« chez », « selon »). A person-like form that is neither covered by the key,
nor a pseudonym, nor in the list of « not a person » forms kept beside the
key (``pas-des-personnes.txt``) is listed by distinct form, with its count
and its first three places, and **blocks** the run (nothing written). With
``--relecture FICHIER.csv`` the list is written for a quick review: one
decision per form, « clé » (with a pseudonym) or « pas une personne »,
applied by the next run (:mod:`~rd_territoriale.privacy.review`).
``--accepter-inconnus`` writes the study all the same; the summary says so,
and the forms found stay, hashed, in ``formes-detectees.txt`` beside the key,
where the leak scan of every build looks for them.

*Contact details.* E-mail addresses, French phone numbers and street
addresses with a number, in free text, become ``[courriel]``,
``[téléphone]`` and ``[adresse]`` (:mod:`~rd_territoriale.privacy.contacts`)
before names are replaced (so that ``jp.martin@…`` never becomes
``jp.SAL03@…``).

*Ambiguous forms.* A form made only of common French words
(:mod:`~rd_territoriale.privacy.french_words`: ``Pierre``, ``Rose``,
``Blanc``, ``La Tour``) is replaced wherever it is written with a capital
(or after a civility), and left where it is written in lower case
(« un mur en pierre »). Every occurrence that needs a human look is listed
in the report: a capitalised one at the start of a sentence or in capitals
(replaced: it may be the word), a lower-case one (left: it may be the name).
A form that several entries share (two Dupont) is replaced by
``[SAL03 ou SAL07]`` and each occurrence is listed too. The report also
lists the ambiguous forms of the key itself.

Guarantees
----------
- Byte-stable: the same raw study and key give byte-identical files (UTF-8,
  ``,``, ``\\n`` line ends, the raw column order, text in NFC form). XLSX or
  French-Excel tables are written as UTF-8 CSV.
- Valid or nothing: the study is built in a hidden folder next to
  ``OUT_DIR``, validated (:func:`rd_territoriale.study.schema.validate_study`; a
  problem is reported at its line in the *raw* file and blocks), scanned
  once more for every name of the key, then renamed into place; ``OUT_DIR``
  is never half-written. An existing ``OUT_DIR`` is replaced (two renames:
  for an instant it is absent, never partial) only when an earlier run made
  it (it holds the marker file ``.rd-territoriale-pseudonymise``) or it is
  empty.
- Refused: ``OUT_DIR`` equal to, inside, or holding ``RAW_DIR``; ``OUT_DIR``
  holding the key.
- Real names appear only in the terminal report (which the researcher alone
  reads), never in a file under ``OUT_DIR``. Files of ``RAW_DIR`` outside the
  contract (notes, transcripts) are not copied; the report lists them.

Speed
-----
One Python regular expression, compiled once, holds every form as a trie
(``b(?:lanc|oulangerie martin)|…``), so that its cost hardly grows with the
key. Per column, a first vectorised pass of pyarrow's RE2 engine (on the
text decomposed, lower-cased, without accents) keeps only the cells that
may hold a name; the exact expression runs on those only. On the example at
scale 30 (133,000 segments, 76 key entries): 1.1 s for the segments' text
against 2.4 s cell by cell, and about 5 s for the whole run, of which
reading and validating take 3.5 s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import uuid
from pathlib import Path

from rd_territoriale.errors import Problem
from rd_territoriale.privacy.key import (
    PARTICLES,
    Key,
    NameForm,
    canonical,
    fold,
    read_key,
)
from rd_territoriale.privacy.matcher import Pseudonymiser, context, splice
from rd_territoriale.privacy.summary import (
    Occurrence,
    PseudonymisationError,
    PseudonymisationReport,
    UnknownForm,
    inside,
)

MARKER = ".rd-territoriale-pseudonymise"
MARKER_TEXT = (
    "Étude pseudonymisée produite par « rd-territoriale pseudonymise ».\n"
    "Ce dossier est remplacé en entier à chaque exécution : n'y saisissez rien.\n"
)
from rd_territoriale.study.contract import STUDY_FILE  # noqa: E402 - one home for the name


def _check_paths(raw_dir: Path, out_dir: Path, key_path: Path) -> None:
    if not raw_dir.is_dir():
        raise PseudonymisationError(f"le dossier brut « {raw_dir} » n'existe pas")
    if not key_path.is_file():
        raise PseudonymisationError(f"le fichier de clé « {key_path} » n'existe pas")
    raw, out, key = raw_dir.resolve(), out_dir.resolve(), key_path.resolve()
    if raw == out:
        raise PseudonymisationError(
            "le dossier de sortie est le dossier brut : les données brutes ne sont jamais "
            "modifiées ; choisissez un autre dossier (ex. data/<étude>)"
        )
    if inside(out, raw):
        raise PseudonymisationError(
            f"le dossier de sortie « {out_dir} » est dans le dossier brut « {raw_dir} » : "
            "choisissez un dossier hors des données brutes"
        )
    if inside(raw, out):
        raise PseudonymisationError(
            f"le dossier brut « {raw_dir} » est dans le dossier de sortie « {out_dir} », qui est "
            "remplacé en entier : choisissez un autre dossier de sortie"
        )
    if inside(key, out):
        raise PseudonymisationError(
            f"la clé « {key_path} » est dans le dossier de sortie « {out_dir} », qui est remplacé "
            "en entier : rangez la clé dans data/private/"
        )
    if out.exists() and not out.is_dir():
        raise PseudonymisationError(f"« {out_dir} » existe et n'est pas un dossier")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PseudonymisationError(
            f"le dossier de sortie « {out_dir} » existe, n'est pas vide et n'a pas été produit par "
            "la pseudonymisation : il ne sera pas remplacé ; choisissez un dossier nouveau ou vide"
        )


def _git_warnings(raw_dir: Path, key_path: Path, review: Path | None = None) -> list[str]:
    """Warn when the key, the raw data or the review list are not ignored by git."""
    out: list[str] = []
    paths = [(key_path, "la clé"), (raw_dir, "le dossier brut")]
    if review is not None:
        paths.append((review, "la liste de relecture"))
    for path, what in paths:
        try:
            done = subprocess.run(
                ["git", "-C", str(path.resolve().parent), "check-ignore", "-q", str(path.resolve())],
                capture_output=True,
                timeout=10,
            )
        except (OSError, subprocess.SubprocessError):
            return out
        if done.returncode == 1:  # inside a repository, not ignored (or tracked)
            out.append(
                f"git n'ignore pas {what} « {path} » : ce qui contient des noms réels ne doit "
                "jamais être versionné (ajoutez ce chemin à .gitignore, comme data/*/raw/ "
                "et data/private/)"
            )
    return out


class Run:
    """State of one run: the raw tables read, the frames to write, the report."""

    def __init__(
        self,
        raw_dir: Path,
        out_dir: Path,
        key: Key,
        report: PseudonymisationReport,
        not_persons: frozenset = frozenset(),
    ):
        self.raw_dir, self.out_dir, self.key, self.report = raw_dir, out_dir, key, report
        self.matcher = Pseudonymiser(key)
        self.lookup = key.lookup()
        self.not_persons = not_persons
        self.raws: dict = {}
        self.outputs: dict = {}
        self.study_text: str | None = None
        self.changed_rows: dict = {}  # (table, column) -> positions of free-text cells replaced
        # Free texts as read (contacts redacted), for the search of names the key lacks:
        # (file, line or None, column, text, hits of the key).
        self.texts: list = []

    # person-reference cells
    def _map_people(self, raw, column: str, list_kind: bool):
        import pandas as pd

        from rd_territoriale.study.contract import LIST_SEPARATOR

        values = raw.frame[column]
        present = values.dropna()
        if list_kind:

            def map_one(v):
                items = [i.strip() for i in v.split(LIST_SEPARATOR)]
                mapped = [self.lookup.get(canonical(i)) for i in items if i]
                return None if any(m is None for m in mapped) else LIST_SEPARATOR.join(mapped)
        else:

            def map_one(v):
                return self.lookup.get(canonical(v))

        mapping = {v: map_one(v) for v in present.unique().tolist()}
        new = values.map(lambda v: v if pd.isna(v) else mapping[v])
        missing = (values.notna() & new.isna()).to_numpy(bool).nonzero()[0]
        if len(missing):
            self.report.missing += raw.problem(
                missing,
                column,
                values.iloc[missing].tolist(),
                "un nom (ou un pseudonyme) de la clé de pseudonymisation",
            )
        changed = values.notna() & new.notna() & (values != new)
        changed = changed.fillna(False)
        n = int(changed.sum())
        if n:
            self.report.references[raw.file] += n
            self.report.by_pseudonym.update(new[changed].tolist())
        return new.astype("string")

    # free text
    def _replace_column(self, raw, column: str):
        original = self._redact(raw.file, raw.frame[column])
        new, hits = self.matcher.replace_series(original)
        self.changed_rows[(raw.name, column)] = sorted(hits)
        lines = raw.lines
        for pos, found in hits.items():
            text = unicodedata.normalize("NFC", original.iloc[pos])
            self._account(raw.file, int(lines[pos]), column, text, found)
        values = original.tolist()
        for pos, value in enumerate(values):
            if isinstance(value, str) and value.strip():
                self.texts.append(
                    (raw.file, int(lines[pos]), column, unicodedata.normalize("NFC", value), hits.get(pos, ()))
                )
        return new.astype("string")

    def _redact(self, file: str, series):
        """The column with e-mail addresses, phone numbers and street addresses redacted."""
        import pandas as pd

        from rd_territoriale.privacy.contacts import redact_contacts

        values = series.tolist()
        out = []
        for value in values:
            if isinstance(value, str) and any(ch.isdigit() or ch in "@[(" for ch in value):
                value, counts = redact_contacts(value)
                for token, n in counts.items():
                    self.report.contacts[(file, token)] += n
            out.append(value if isinstance(value, str) else None)
        return pd.Series(out, index=series.index, dtype="string[pyarrow]")

    def _account(self, file: str, line: int | None, column: str | None, text: str, hits: list, line_of=None):
        replaced = splice(text, hits)
        # Positions in ``replaced`` of each hit, for the context shown.
        shift = 0
        for hit in hits:
            new_start = hit.start + shift
            shown = hit.replacement if hit.replaced else hit.found
            if hit.replaced:
                shift += len(hit.replacement) - (hit.end - hit.start)
                self.report.replacements[file] += 1
                self.report.by_pseudonym[hit.replacement] += 1
            if hit.review:
                where = line if line_of is None else line_of(hit.start)
                self.report.review.append(
                    Occurrence(
                        file,
                        where,
                        column,
                        hit.found,
                        context(replaced, new_start, new_start + len(shown)),
                        hit.replacement if hit.replaced else "",
                        hit.note,
                    )
                )

    def tables(self) -> None:
        from rd_territoriale.io import read_table
        from rd_territoriale.study.contract import TABLES

        for name, table in TABLES.items():
            raw = read_table(self.raw_dir, name, table.required)
            if raw is None:
                continue
            self.raws[name] = raw
            if raw.problems:
                self.report.problems += raw.problems
                continue
            frame = raw.frame.copy()
            for column in raw.header:
                col = table.column(column) if column in table.names else None
                if col is not None and (col.ref == "people" or (name == "people" and column == "id")):
                    frame[column] = self._map_people(raw, column, col.kind == "list")
                elif col is None or col.kind == "text" or col.typed:  # a group may be « Entretiens de Mme X »
                    frame[column] = self._replace_column(raw, column)
            self.outputs[name] = frame

    def study(self) -> None:
        path = self.raw_dir / STUDY_FILE
        if not path.is_file():
            self.report.problems.append(
                Problem(STUDY_FILE, None, None, None, "le fichier study.yml qui définit l'étude")
            )
            return
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.report.problems.append(Problem(STUDY_FILE, None, None, None, "un fichier YAML encodé en UTF-8"))
            return
        researchers = self._study_researchers(unicodedata.normalize("NFC", text))
        if researchers is None:
            return
        text = researchers
        from rd_territoriale.privacy.contacts import redact_contacts

        text, counts = redact_contacts(text)
        for token, n in counts.items():
            self.report.contacts[(STUDY_FILE, token)] += n
        new, hits = self.matcher.replace_text(text)

        def line_of(pos: int) -> int:
            return text.count("\n", 0, pos) + 1

        self._account(STUDY_FILE, None, None, text, hits, line_of=line_of)
        self.texts.append((STUDY_FILE, None, None, text, hits))
        self.study_text = new

    def _study_researchers(self, text: str) -> str | None:
        """Map the person ids of ``researchers`` (exact names), keeping the YAML as written."""
        import yaml

        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            self.report.problems.append(
                Problem(
                    STUDY_FILE,
                    mark.line + 1 if mark else None,
                    None,
                    None,
                    f"une syntaxe YAML valide ({getattr(err, 'problem', err)})",
                )
            )
            return None
        if not isinstance(root, yaml.MappingNode):
            return text
        node = next((v for k, v in root.value if str(k.value).strip() == "researchers"), None)
        if node is None:
            return text
        scalars = node.value if isinstance(node, yaml.SequenceNode) else [node]
        edits = []
        for item in scalars:
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                continue
            pseudonym = self.lookup.get(canonical(str(item.value)))
            if pseudonym is None:
                self.report.missing.append(
                    Problem(
                        STUDY_FILE,
                        item.start_mark.line + 1,
                        "researchers",
                        str(item.value),
                        "un nom (ou un pseudonyme) de la clé de pseudonymisation",
                    )
                )
                continue
            if pseudonym == item.value:
                continue
            start, end = item.start_mark.index, item.end_mark.index
            if item.style in ("'", '"'):
                start, end = start + 1, end - 1
            edits.append((start, end, pseudonym))
            self.report.references[STUDY_FILE] += 1
            self.report.by_pseudonym[pseudonym] += 1
        for start, end, pseudonym in sorted(edits, reverse=True):
            text = text[:start] + pseudonym + text[end:]
        return text

    def detect(self, progress=None) -> None:
        """Person-like forms of the free text that the key, the pseudonyms and the list lack."""
        from rd_territoriale.privacy.names import NameDetector

        if not self.texts:  # no free text: nothing to read, no model to load
            return
        found = NameDetector().detect([t[3] for t in self.texts], progress=progress)
        pseudonyms = {fold(p) for p in self.key.pseudonyms}
        groups: dict[str, UnknownForm] = {}
        detected: dict[str, str] = {}
        for (file, line, column, text, hits), candidates in zip(self.texts, found):
            covered = [(h.start, h.end) for h in hits if h.replaced]
            for c in candidates:
                ident = canonical(c.form)
                if not ident or ident in self.not_persons:
                    continue
                words = [
                    (m.start() + c.start, m.end() + c.start, m.group(0)) for m in re.finditer(r"[^\W\d_][\w]*", c.form)
                ]
                words = [w for w in words if fold(w[2]) not in PARTICLES]
                if all(fold(w) in pseudonyms for _, _, w in words):
                    continue  # « Mme SAL03 »: already a pseudonym
                detected.setdefault(ident, c.form)
                if all(any(s <= w0 and w1 <= e for s, e in covered) or fold(w) in pseudonyms for w0, w1, w in words):
                    continue
                group = groups.get(ident)
                if group is None:
                    group = groups[ident] = UnknownForm(c.form, how=c.how)
                group.count += 1
                group.writings[c.form] += 1
                if len(group.places) < 3:
                    where = line if file != STUDY_FILE else text.count("\n", 0, c.start) + 1
                    group.places.append(Occurrence(file, where, column, c.found, context(text, c.found_start, c.end)))
        for group in groups.values():
            group.form = group.writings.most_common(1)[0][0]
        self.report.unknown = sorted(groups.values(), key=lambda g: (-g.count, fold(g.form)))
        self.report.detected = sorted(set(detected.values()))

    def skipped(self) -> None:
        from rd_territoriale.io.tables import READERS
        from rd_territoriale.study.contract import TABLES

        used = {STUDY_FILE} | {f"{n}{ext}" for n in TABLES for ext in READERS}
        for entry in sorted(self.raw_dir.iterdir()):
            if entry.name not in used and not entry.name.startswith("."):
                self.report.skipped_files.append(entry.name + ("/" if entry.is_dir() else ""))

    # writing
    def write(self, folder: Path) -> None:
        (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8", newline="\n")
        assert self.study_text is not None  # written only after a complete read
        (folder / STUDY_FILE).write_text(self.study_text, encoding="utf-8", newline="\n")
        files = [STUDY_FILE]
        for name, frame in self.outputs.items():
            frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
            files.append(f"{name}.csv")
        self.report.files = files

    def validate(self, folder: Path) -> None:
        from rd_territoriale.study.schema import validate_study

        v = validate_study(folder)
        for p in v.problems:
            self.report.problems.append(self._raw_location(p))
        for w in v.warnings:
            self.report.warnings.append(str(self._raw_location(w)))

    def _raw_location(self, p: Problem) -> Problem:
        """A problem of the output, located in the raw file it comes from."""
        stem = p.file.split(".")[0]
        raw = self.raws.get(stem)
        if raw is None or p.file == STUDY_FILE:
            return p
        line = p.line
        if line is not None and line >= 2 and line - 2 < len(raw.lines):
            line = int(raw.lines[line - 2])
        return Problem(raw.file, line, p.column, p.value, p.expected, p.letter)

    def leak_check(self) -> None:
        """Search the output once more: no form of the key may be left to replace.

        A free-text cell where nothing was found stays as it was, so only the
        cells that were changed are searched again; every other column
        (identifiers, references, dates…) is searched through its distinct
        values, joined in one text; ``study.yml`` as a whole.
        """
        for name, frame in self.outputs.items():
            raw = self.raws[name]
            for column in frame.columns:
                values = frame[column]
                rows = self.changed_rows.get((name, column))
                if rows is not None:
                    for pos in rows:
                        self._leaks(raw.file, int(raw.lines[pos]), column, values.iloc[pos])
                    continue
                distinct = [v for v in values.dropna().unique().tolist() if "\n" not in v]
                joined = "\n".join(distinct)
                hits = [h for h in self.matcher.replace_text(joined)[1] if h.replaced]
                for value in {joined[: h.start].count("\n") for h in hits}:
                    for pos in (values == distinct[value]).fillna(False).to_numpy(bool).nonzero()[0]:
                        self._leaks(raw.file, int(raw.lines[pos]), column, distinct[value])
                for value in [v for v in values.dropna().unique().tolist() if "\n" in v]:
                    for pos in (values == value).fillna(False).to_numpy(bool).nonzero()[0]:
                        self._leaks(raw.file, int(raw.lines[pos]), column, value)
        if self.study_text is not None:
            self._leaks(STUDY_FILE, None, None, self.study_text)

    def _leaks(self, file: str, line: int | None, column: str | None, text: str) -> None:
        for hit in self.matcher.replace_text(text)[1]:
            if hit.replaced:
                where = line if line is not None else text.count("\n", 0, hit.start) + 1
                self.report.leaks.append(Occurrence(file, where, column, hit.found, context(text, hit.start, hit.end)))


def _ambiguous_forms(key: Key) -> list[NameForm]:
    seen, out = set(), []
    for record in sorted(key.form_records(), key=lambda r: (r.replacement, r.form)):
        if (record.common or record.shared) and canonical(record.form) not in seen:
            seen.add(canonical(record.form))
            out.append(record)
    return out


def pseudonymise(
    raw_dir, out_dir, key_path, accept_unknown: bool = False, review=None, progress: bool = False
) -> PseudonymisationReport:
    """Turn a raw study into a pseudonymised study, atomically.

    Parameters
    ----------
    raw_dir : str or Path
        The raw study (``data/<étude>/raw``): ``study.yml`` and the tables
        (CSV or XLSX), where names may be real.
    out_dir : str or Path
        Where the pseudonymised study goes (``data/<étude>``). Replaced in
        whole when an earlier run made it; refused when it holds other files.
    key_path : str or Path
        The pseudonym key (see :func:`~rd_territoriale.privacy.key.read_key`).
        The list of « not a person » forms and the hashed list of detected
        forms live beside it (:mod:`~rd_territoriale.privacy.review`).
    accept_unknown : bool, default False
        Write the study even when person-like forms absent from the key were
        found in the free text (they are still reported, and the summary
        names the override).
    review : str or Path, optional
        The review file (:mod:`~rd_territoriale.privacy.review`): when it
        exists, its decisions are applied to the key and to the list first;
        when forms remain to decide, it is (re)written with them.
    progress : bool, default False
        Show a progress bar while the French model reads the texts (on a
        terminal only).

    Returns
    -------
    PseudonymisationReport
        ``written`` says whether ``out_dir`` was written; nothing is
        written when a person-reference value is not in the key, a form of
        person is unknown (unless ``accept_unknown``), the output would not
        validate, or a name would be left.

    Raises
    ------
    PseudonymisationError
        A folder is missing, or the output folder must not be used.
    KeyFileError
        The key file has defects (all listed).
    ReviewError
        The decisions cannot be applied: the review file has defects, or the
        key they would make is not valid, or the key or the « not a person »
        list cannot be read (all listed, each with its file; nothing applied).
    ModelMissing
        spaCy's French model is not installed.

    Examples
    --------
    >>> report = pseudonymise("data/terrain/raw", "data/terrain", "data/private/cle.csv")  # doctest: +SKIP
    >>> print(report.to_french_text())  # doctest: +SKIP
    """
    from rd_territoriale.privacy.review import (
        add_not_persons,
        add_to_key,
        drop_decided,
        read_decisions,
        read_not_persons,
        write_detected,
    )

    t0 = time.perf_counter()
    raw_dir, out_dir, key_path = Path(raw_dir), Path(out_dir), Path(key_path)
    _check_paths(raw_dir, out_dir, key_path)
    if review is not None:
        review = Path(review)
        if inside(review.resolve(), out_dir.resolve()):
            raise PseudonymisationError(
                f"la liste de relecture contient des noms réels : elle ne peut pas être dans « {out_dir} »"
            )
        if review.is_dir() or not review.parent.is_dir():
            raise PseudonymisationError(
                f"la liste de relecture « {review} » doit être un fichier CSV dans un dossier existant "
                "(ex. data/private/<etude>/relecture.csv)"
            )
    key = read_key(key_path)
    applied: list[str] = []
    if review is not None and review.is_file():
        decisions = read_decisions(review, key)
        if decisions.to_key:
            applied += add_to_key(key_path, decisions.to_key)
            key = read_key(key_path)
        if decisions.not_persons:
            where = add_not_persons(key_path, decisions.not_persons)
            applied += [f"« {f} » marquée « pas une personne » (dans {where.name})" for f in decisions.not_persons]
        if applied:
            drop_decided(review)  # a decision is applied once
            if decisions.undecided:
                applied.append(f"{decisions.undecided} forme(s) de la liste encore sans décision")
    not_persons = read_not_persons(key_path)
    report = PseudonymisationReport(raw_dir, out_dir, key_path, key_size=len(key), accept_unknown=accept_unknown)
    report.decisions = applied
    report.ambiguous_forms = _ambiguous_forms(key)
    report.warnings += _git_warnings(raw_dir, key_path, review)
    run = Run(raw_dir, out_dir, key, report, not_persons)
    run.study()
    run.tables()
    run.skipped()
    if report.problems:
        report.seconds = time.perf_counter() - t0
        return report
    with _progress(len(run.texts), progress) as advance:
        run.detect(advance)
    if review is not None and (report.unknown or review.is_file()):
        report.write_review(review)
    if report.missing or (report.unknown and not accept_unknown):
        report.seconds = time.perf_counter() - t0
        return report
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.en-cours-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        run.write(tmp)
        run.validate(tmp)
        run.leak_check()
        if not report.blocking:
            write_detected(key_path, report.detected, not_persons, key.pseudonyms)
            if out.exists():
                old = out.parent / f".{out.name}.ancien-{os.getpid()}-{uuid.uuid4().hex[:8]}"
                out.rename(old)
                tmp.rename(out)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(out)
            report.written = True
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    report.seconds = time.perf_counter() - t0
    return report


class _progress:
    """A progress bar (rich) over the texts read by the French model, on a terminal only."""

    def __init__(self, total: int, wanted: bool):
        self.live = wanted and total > 200 and sys.stderr.isatty() and not os.environ.get("CI")
        self.total = total
        self._bar = None

    def __enter__(self):
        if not self.live:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("Recherche des noms absents de la clé"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            console=Console(stderr=True),
        )
        self._bar.start()
        task = self._bar.add_task("noms", total=self.total)
        return lambda n: self._bar.advance(task, n)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
        return False
