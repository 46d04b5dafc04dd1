"""Write imported codings (Taguette, REFI-QDA) into a study folder, all or nothing.

The study folder must already hold ``study.yml`` (periods, stakeholder
categories: what no QDA export knows). The imported tables (``codebook``,
``documents``, ``segments``, ``attributes``) replace the folder's; imported
``units`` (REFI-QDA cases) are added to the folder's, whose rows win for a
shared id; the coders are added to ``people`` when absent; required tables
the folder lacks (``units``, ``journal``…) are written empty. Everything is first written to a staging
copy and validated with :func:`rd_territoriale.study.schema.validate_study`: when
a problem is found, every problem is reported and the study folder is left
untouched. Only then are the files moved in, one ``os.replace`` each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rd_territoriale.errors import RdTerritorialeError, ValidationError
from rd_territoriale.io.export import write_table
from rd_territoriale.io.tables import find_table_file, read_table
from rd_territoriale.study.contract import STUDY_FILE, TABLES

IMPORTED = ("documents", "segments", "attributes")
COMPARED = ("code", "label", "parent", "definition")
"""What a QDA codebook carries: a version that differs in these becomes a new version."""
MERGED = ("units",)


class StudyImportError(RdTerritorialeError):
    """The import cannot start (no ``study.yml``, unknown category…)."""


@dataclass
class ImportReport:
    """What was written, in French."""

    written: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _header_only(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[c.name for c in TABLES[name].columns if c.required])


def _existing(folder: Path, name: str) -> pd.DataFrame | None:
    """The folder's table as strings (CSV, French Excel CSV or XLSX, like validation), or ``None``."""
    raw = read_table(folder, name, required=False)
    return raw.frame if raw is not None and len(raw.frame.columns) else None


def study_code_ids(folder) -> list[str]:
    """The code ids of every version of the study's codebook (none when it has no codebook yet)."""
    codebook = _existing(Path(folder), "codebook")
    return [] if codebook is None or "code" not in codebook else list(codebook["code"].dropna().unique())


def _people(folder: Path, coders: list[str], category: str | None, study_categories: list[str]) -> pd.DataFrame:
    people = _existing(folder, "people")
    if people is None:
        people = pd.DataFrame(
            {"id": pd.Series(dtype=str), "category": pd.Series(dtype=str), "is_researcher": pd.Series(dtype=str)}
        )
    missing = [c for c in coders if not (people["id"] == c).any()]
    if not missing:
        return people
    category = category or (study_categories[0] if study_categories else "")
    if category not in study_categories:
        raise StudyImportError(
            f"catégorie inconnue pour le codeur « {missing[0]} » : « {category} » ; catégories de "
            f"study.yml : {', '.join(study_categories)}."
        )
    rows = []
    for coder in missing:
        row = {c: "" for c in people.columns}
        row.update(id=coder, category=category, is_researcher="oui")
        rows.append(row)
    return pd.concat([people, pd.DataFrame(rows)], ignore_index=True)


def _merge(folder: Path, name: str, imported: pd.DataFrame) -> pd.DataFrame:
    """The folder's rows, then the imported rows whose id it does not have."""
    existing = _existing(folder, name)
    if existing is None:
        return imported
    new = imported.loc[~imported["id"].isin(existing["id"])]
    return pd.concat([existing, new], ignore_index=True)


def _codebook(folder: Path, imported: pd.DataFrame) -> tuple[pd.DataFrame | None, str]:
    """The study's codebook with the imported one as its latest version, and a French note.

    Versions are kept (the study's codebook history feeds the codebook-churn
    analysis): an imported codebook equal to the latest version in code,
    label, parent and definition changes nothing (``None``); a different one
    is added as the next version. A code keeps its study ``dimension`` (QDA
    software has none; the imported root name is used for new codes).
    """
    existing = _existing(folder, "codebook")
    if existing is None or existing.empty or "version" not in existing:
        return imported, f"Livre de codes écrit (version 1, {len(imported)} codes)."
    versions = pd.to_numeric(existing["version"], errors="coerce")
    latest = int(versions.max())
    current = existing.loc[versions == latest]

    def key(frame: pd.DataFrame) -> set:
        cols = [
            frame[c].fillna("").astype(str).str.strip() if c in frame else pd.Series("", index=frame.index)
            for c in COMPARED
        ]
        return set(zip(*cols))

    if key(current) == key(imported):
        return None, f"Livre de codes inchangé (identique à la version {latest} de l'étude)."
    dimensions = dict(zip(existing["code"], existing.get("dimension", pd.Series(pd.NA, index=existing.index))))
    new = imported.assign(version=str(latest + 1))
    new["dimension"] = [
        dimensions.get(c) if isinstance(dimensions.get(c), str) and dimensions.get(c) else d
        for c, d in zip(new["code"], new["dimension"])
    ]
    added = len(set(imported["code"]) - set(current["code"]))
    dropped = len(set(current["code"]) - set(imported["code"]))
    combined = pd.concat([existing, new], ignore_index=True)
    return combined[[c for c in existing.columns] + [c for c in new.columns if c not in existing.columns]], (
        f"Livre de codes : nouvelle version {latest + 1} ({len(imported)} codes ; {added} ajouté(s), "
        f"{dropped} retiré(s) par rapport à la version {latest}, conservée)."
    )


def _respondents(
    documents: pd.DataFrame, people: pd.DataFrame, category: str | None, study_categories: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One new respondent per interview that has none, when a category is given."""
    if category is None:
        return documents, people
    if category not in study_categories:
        raise StudyImportError(
            f"catégorie inconnue pour les personnes interrogées : « {category} » ; catégories "
            f"de study.yml : {', '.join(study_categories)}."
        )
    missing = documents["kind"].isin(["entretien", "entretien collectif"]) & (
        documents["respondent"].isna() | (documents["respondent"].astype(str) == "")
    )
    ids = documents.loc[missing, "id"].astype(str) + "_r"
    documents = documents.assign(respondent=documents["respondent"].astype("object"))
    documents.loc[missing, "respondent"] = ids.to_numpy()
    new = ids.loc[~ids.isin(people["id"])]  # a re-import (an updated project) finds them already there
    added = pd.DataFrame({c: "" for c in people.columns}, index=range(len(new)))
    added["id"], added["category"], added["is_researcher"] = new.to_numpy(), category, "non"
    return documents, pd.concat([people, added], ignore_index=True)


def import_tables(
    tables: dict[str, pd.DataFrame],
    into,
    coder: str | list[str] = (),
    category: str | None = None,
    respondent_category: str | None = None,
) -> ImportReport:
    """Write ``tables`` into the study folder ``into``, validated, or nothing at all.

    Parameters
    ----------
    tables : dict
        Frames of strings shaped like the study's CSV files: any of
        ``codebook``, ``documents``, ``segments``, ``attributes`` (replacing
        the folder's) and ``units`` (added to the folder's), e.g.
        :attr:`rd_territoriale.qda.taguette.TaguetteImport.tables`. A
        codebook alone replaces only the codebook.
    into : str or pathlib.Path
        A study folder holding ``study.yml``.
    coder : str or list of str
        The coders' ids (added to ``people`` as researchers when absent).
    category : str, optional
        The stakeholder category of added coders (the study's first by default).
    respondent_category : str, optional
        QDA exports do not say who was interviewed. When given, each
        interview without a respondent gets one, a new person of this
        category whose id is ``<document id>_r`` (one person per interview:
        say so when reading the voices). Without it, such interviews fail
        validation and nothing is written.

    Returns
    -------
    ImportReport

    Raises
    ------
    StudyImportError
        No ``study.yml``, or an unknown category.
    ValidationError
        The imported study does not pass validation; nothing was written.
    """
    import yaml

    folder = Path(into)
    study_file = folder / STUDY_FILE
    if not study_file.is_file():
        raise StudyImportError(
            f"« {study_file} » est introuvable : commencez l'étude avec « rd-territoriale init "
            f"{folder} », qui écrit study.yml (périodes, catégories de parties prenantes, que "
            "les logiciels d'analyse qualitative ne connaissent pas) et les tables vides, puis "
            "relancez l'import."
        )
    study = yaml.safe_load(study_file.read_text(encoding="utf-8")) or {}
    categories = [str(c.get("id")) for c in study.get("stakeholder_categories", []) or []]
    coders = [coder] if isinstance(coder, str) else list(coder)
    frames = {name: tables[name].copy() for name in IMPORTED if name in tables}
    notes = []
    if "codebook" in tables:
        codebook, note = _codebook(folder, tables["codebook"])
        notes.append(note)
        if codebook is not None:
            frames["codebook"] = codebook
    frames.update({name: _merge(folder, name, tables[name]) for name in MERGED if name in tables})
    if coders or respondent_category is not None:
        frames["people"] = _people(folder, coders, category, categories)
    if "documents" in frames:
        frames["documents"], people = _respondents(
            frames["documents"], frames.get("people"), respondent_category, categories
        )
        if people is not None:
            frames["people"] = people
        if "attributes" not in frames and find_table_file(folder, "attributes")[1]:
            frames["attributes"] = _header_only("attributes")  # they described the documents replaced
    for name, table in TABLES.items():
        if table.required and name not in frames and not find_table_file(folder, name)[1]:
            frames[name] = _header_only(name)
    with tempfile.TemporaryDirectory(prefix=".import-", dir=folder) as staging:
        staging = Path(staging)
        for item in folder.iterdir():
            if item.is_file() and item.suffix.lower() in (".yml", ".yaml", ".csv", ".xlsx"):
                shutil.copy2(item, staging / item.name)
        files = {}
        for name, frame in frames.items():
            existing = find_table_file(folder, name)[0]
            files[name] = existing.name if existing is not None else f"{name}.csv"  # keep the researcher's format
            if files[name].endswith(".xlsx"):
                write_table(frame, staging / files[name], sheet=name)
            else:
                frame.to_csv(staging / files[name], index=False, encoding="utf-8", lineterminator="\n")
        from rd_territoriale.study.schema import validate_study

        validation = validate_study(staging)
        if not validation.ok:
            raise ValidationError(validation.problems, str(folder))
        report = ImportReport()
        for name in frames:
            os.replace(staging / files[name], folder / files[name])
            report.written.append(files[name])
    report.lines += notes
    report.lines.append(
        f"Écrit dans {folder} : " + ", ".join(report.written) + "."
        if report.written
        else f"Rien n'a changé dans {folder} : l'étude est déjà à jour."
    )
    return report
