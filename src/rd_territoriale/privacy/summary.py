"""What a pseudonymisation run says: occurrences, forms missing from the key, the French summary.

:class:`PseudonymisationReport` is what :func:`~.pseudonymise.pseudonymise`
returns and what the command prints (every problem with file, line, column and
value, in French).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rd_territoriale.errors import Problem, RdTerritorialeError
from rd_territoriale.french import plural
from rd_territoriale.privacy.key import (
    NameForm,
    fold,
)


class PseudonymisationError(RdTerritorialeError):
    """The run cannot start (missing folder, output folder that must not be used)."""


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies under it."""
    return path == folder or folder in path.parents


@dataclass(frozen=True)
class Occurrence:
    """Where something in the data needs the researcher's attention.

    Attributes
    ----------
    file : str
    line : int or None
        As a spreadsheet shows it (header = 1); the line of ``study.yml``.
    column : str or None
    found : str
        The text found (a real name: shown in the terminal only).
    context : str
        The text around it, names of the key already replaced.
    replacement : str
        What replaced it (empty when left).
    note : str
    """

    file: str
    line: int | None
    column: str | None
    found: str
    context: str
    replacement: str = ""
    note: str = ""

    def location(self) -> str:
        """``fichier, ligne N, colonne « c »``."""
        return Problem(self.file, self.line, self.column, None, "").location()


@dataclass
class UnknownForm:
    """A person-like form absent from the key, with where it is written.

    Attributes
    ----------
    form : str
        The form as most often written (civility and elision left out).
    count : int
        Occurrences in the raw study.
    places : list of Occurrence
        The first three.
    how : str
        What found it: ``modèle`` (the French NER model), ``civilité``,
        ``initiales``, ``prénom``, ``nom``, ``après avec/chez/selon``,
        ``même nom`` (see :data:`rd_territoriale.privacy.names.HOW`).
    """

    form: str
    count: int = 0
    places: list = field(default_factory=list)
    how: str = ""
    writings: Counter = field(default_factory=Counter)


@dataclass
class PseudonymisationReport:
    """What a run did, found and refused; :meth:`to_french_text` for the terminal.

    Attributes
    ----------
    raw_dir, out_dir, key_path : Path
    key_size : int
        Entries in the key.
    written : bool
        Whether ``out_dir`` now holds the pseudonymised study.
    accept_unknown : bool
    references : Counter
        Table -> person-reference cells turned from a name into a pseudonym.
    replacements : Counter
        Table -> occurrences replaced in free text.
    by_pseudonym : Counter
        Pseudonym (or ``[A ou B]``) -> replacements (cells and text).
    missing : list of Problem
        Person-reference values absent from the key (blocking).
    unknown : list of UnknownForm
        Person-like forms of the free text (French NER and patterns,
        :mod:`~rd_territoriale.privacy.names`) that are neither in the key,
        nor a pseudonym, nor in the « not a person » list, by distinct form
        (blocking unless ``accept_unknown``).
    contacts : Counter
        ``(file, token)`` -> e-mail addresses, phone numbers and street
        addresses redacted (``[courriel]``, ``[téléphone]``, ``[adresse]``).
    decisions : list of str
        Review decisions applied before the run (French, one per form).
    review_file : Path or None
        The review list written for the unknown forms.
    detected : list of str
        Person forms found in the raw study (kept hashed beside the key).
    review : list of Occurrence
        Occurrences of ambiguous forms, replaced or left, to look at.
    ambiguous_forms : list of NameForm
        Forms of the key that are common words or shared by several entries.
    problems : list of Problem
        Files that cannot be read, and validation problems of the output
        (located in the raw files).
    leaks : list of Occurrence
        Names still found in the output after replacement (blocking).
    warnings : list of str
    skipped_files : list of str
        Entries of ``raw_dir`` outside the contract, not copied.
    files : list of str
        Files written (or that would have been).
    seconds : float
    """

    raw_dir: Path
    out_dir: Path
    key_path: Path
    key_size: int = 0
    written: bool = False
    accept_unknown: bool = False
    references: Counter = field(default_factory=Counter)
    replacements: Counter = field(default_factory=Counter)
    by_pseudonym: Counter = field(default_factory=Counter)
    missing: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    contacts: Counter = field(default_factory=Counter)
    decisions: list = field(default_factory=list)
    review_file: Path | None = None
    detected: list = field(default_factory=list)
    review: list = field(default_factory=list)
    ambiguous_forms: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    leaks: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped_files: list = field(default_factory=list)
    files: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def blocking(self) -> bool:
        """Whether something found forbids writing the study."""
        return bool(self.problems or self.missing or self.leaks or (self.unknown and not self.accept_unknown))

    @property
    def ok(self) -> bool:
        """Whether the pseudonymised study was written."""
        return self.written

    @property
    def exit_code(self) -> int:
        """0 when written, 1 otherwise."""
        return 0 if self.written else 1

    def to_french_text(self, limit: int | None = 50) -> str:
        """The report in French, for the researcher's terminal only (it shows real names).

        Parameters
        ----------
        limit : int or None, default 50
            Most items shown per list (``None``: all).
        """
        out: list[str] = []

        def listing(items, fmt):
            shown = items if limit is None else items[:limit]
            out.extend(f"  - {fmt(i)}" for i in shown)
            if len(items) > len(shown):
                out.append(f"  … et {len(items) - len(shown)} autres")

        out.append(
            f"Pseudonymisation de « {self.raw_dir} » vers « {self.out_dir} » "
            f"(clé « {self.key_path.name} », {self.key_size} entrées)."
        )
        n_refs, n_text = sum(self.references.values()), sum(self.replacements.values())
        if self.decisions:
            out.append(f"\nDécisions de relecture appliquées ({len(self.decisions)}) :")
            listing(self.decisions, str)
            out.append("")
        if self.written:
            out.append(
                f"Étude pseudonymisée écrite dans « {self.out_dir} » : {len(self.files)} fichiers, "
                f"{plural(n_refs, 'cellule')} de personnes et {plural(n_text, 'nom')} dans les "
                "textes remplacés "
                f"({_seconds(self.seconds)})."
            )
            if self.unknown:
                out.append(
                    f"ATTENTION, choix délibéré (--accepter-inconnus) : "
                    f"{plural(len(self.unknown), 'forme')} de personne absente(s) de la clé "
                    "laissée(s) telle(s) quelle(s) dans l'étude ; le contrôle de fuite refusera "
                    "les pages qui les montrent."
                )
        else:
            out.append(f"RIEN N'A ÉTÉ ÉCRIT dans « {self.out_dir} » : {self._why()}.")
        if self.contacts:
            by_token: Counter[str] = Counter()
            for (_, token), n in self.contacts.items():
                by_token[token] += n
            out.append(
                "Coordonnées masquées : " + ", ".join(f"{n} {token}" for token, n in sorted(by_token.items())) + "."
            )
        tables = sorted(set(self.references) | set(self.replacements))
        if tables:
            out.append("\nRemplacements par fichier :")
            for t in tables:
                out.append(
                    f"  {t:<16} {plural(self.references[t], 'cellule')} de personnes, "
                    f"{plural(self.replacements[t], 'nom')} dans les textes"
                )
        if self.by_pseudonym:
            out.append("\nRemplacements par pseudonyme :")
            out.append("  " + ", ".join(f"{p} {n}" for p, n in sorted(self.by_pseudonym.items())))
        if self.problems:
            out.append(
                f"\nProblèmes dans les données ({len(self.problems)}, bloquant ; "
                "ligne = numéro de ligne du tableur dans le dossier brut) :"
            )
            listing(self.problems, lambda p: p.message())
        if self.missing:
            groups = _group_missing(self.missing)
            out.append(
                f"\nPersonnes absentes de la clé ({plural(len(groups), 'nom')}, "
                f"{plural(len(self.missing), 'cellule')}, bloquant) : ajoutez-les à la clé "
                "(nom, pseudonyme, type) ou corrigez l'écriture du nom."
            )
            listing(groups, lambda g: g)
        if self.unknown:
            total = sum(u.count for u in self.unknown)
            how = "acceptées par choix (--accepter-inconnus)" if self.accept_unknown else "bloquant"
            out.append(
                f"\nFormes de personnes absentes de la clé ({plural(len(self.unknown), 'forme')}, "
                f"{plural(total, 'occurrence')}, {how}) :"
            )
            listing(self.unknown, _describe_unknown)
            if not self.accept_unknown:
                out.append(_REVIEW_HELP.format(file=self.review_file or Path(self.key_path).parent / "relecture.csv"))
        if self.leaks:
            out.append(f"\nNoms de la clé encore présents après remplacement ({len(self.leaks)}, bloquant) :")
            listing(self.leaks, lambda o: f"{o.location()} : « {o.found} » dans « {o.context} »")
        if self.ambiguous_forms:
            out.append(
                "\nFormes ambiguës de la clé (règle : un mot courant n'est remplacé que s'il porte "
                "une majuscule ; une forme partagée devient [A ou B]) :"
            )
            listing(self.ambiguous_forms, _describe_form)
        if self.review:
            out.append(f"\nOccurrences à vérifier ({len(self.review)}) :")
            listing(
                self.review,
                lambda o: (
                    f"{o.location()} : « {o.found} » "
                    f"{'remplacé par ' + o.replacement if o.replacement else 'laissé'} ({o.note}) "
                    f"dans « {o.context} »"
                ),
            )
        if self.skipped_files:
            out.append(
                "\nNon repris (hors du contrat de données ; ils peuvent contenir des noms) : "
                + ", ".join(self.skipped_files)
            )
        if self.warnings:
            out.append("\nAvertissements :")
            listing(self.warnings, str)
        return "\n".join(out)

    def _why(self) -> str:
        reasons = []
        if self.problems:
            reasons.append("des données sont invalides")
        if self.missing:
            reasons.append("des personnes manquent dans la clé")
        if self.unknown and not self.accept_unknown:
            reasons.append("des formes de personnes manquent dans la clé")
        if self.leaks:
            reasons.append("des noms resteraient dans la sortie")
        return ", ".join(reasons) or "arrêt avant l'écriture"

    def write_review(self, path) -> Path:
        """Write the forms to decide (:mod:`~rd_territoriale.privacy.review`) as a CSV.

        The file holds real names: refused inside ``out_dir``; keep it in
        ``data/private/``.
        """
        from rd_territoriale.privacy.review import write_review

        path = Path(path)
        if inside(path.resolve(), Path(self.out_dir).resolve()):
            raise PseudonymisationError(
                f"la liste de relecture contient des noms réels : elle ne peut pas être écrite dans « {self.out_dir} »"
            )
        self.review_file = write_review(path, self.unknown)
        return self.review_file


_REVIEW_HELP = (
    "  Pour chaque forme, une décision : l'ajouter à la clé (nom et pseudonyme), ou la marquer "
    "« pas une personne » (lieu, mot, projet).\n"
    "  Relancez avec --relecture {file} : la liste y est écrite ; remplissez la colonne « décision » "
    "(« clé » avec un pseudonyme, ou « pas une personne »), puis relancez la même commande, qui "
    "applique les décisions.\n"
    "  --accepter-inconnus écrit l'étude sans relecture (déconseillé : ces noms iraient dans l'étude)."
)


def _describe_unknown(u: "UnknownForm") -> str:
    places = " ; ".join(f"{o.location()} : « {o.context} »" for o in u.places[:3])
    more = f" ; … et {u.count - len(u.places[:3])} autres" if u.count > len(u.places[:3]) else ""
    from rd_territoriale.privacy.names import HOW

    how = HOW.get(u.how, u.how)
    return f"« {u.form} » ({u.count} fois ; {how}) : {places}{more}"


def _group_missing(problems: list, most: int = 12) -> list[str]:
    """Missing person references grouped by name, then by file and column, with their lines."""
    groups: dict[tuple[str, ...], dict] = {}
    for p in problems:
        words = tuple(sorted(re.findall(r"\w+", fold(p.value or ""))))  # DUPONT Jean = Jean Dupont
        group = groups.setdefault(words, {"values": [], "cells": {}})
        if p.value not in group["values"]:
            group["values"].append(p.value)
        column = f"colonne {p.letter} « {p.column} »" if p.letter else f"colonne « {p.column} »"
        group["cells"].setdefault((p.file, column), []).append(p.line)
    out = []
    for group in groups.values():
        for lines in group["cells"].values():
            lines.sort(key=lambda n: n or 0)
    for group in groups.values():
        written = " ou ".join(f"« {v} »" for v in group["values"])
        places = []
        for (file, column), lines in group["cells"].items():
            shown = ", ".join(str(n) for n in lines[:most] if n is not None)
            more = f" … et {len(lines) - most} autres" if len(lines) > most else ""
            word = "ligne" if len(lines) == 1 else "lignes"
            places.append(f"{file}, {column}, {word} {shown}{more}")
        out.append(f"{written} : " + " ; ".join(places))
    return out


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


def _describe_form(record: NameForm) -> str:
    what = []
    if record.common:
        what.append("mot courant : remplacé seulement avec une majuscule")
    if record.shared:
        what.append(f"forme partagée par {' et '.join(record.pseudonyms)}")
    return f"« {record.form} » → {record.replacement} ({' ; '.join(what)})"
