"""Write imported codings (Taguette…) into a study folder, all or nothing.

The study folder must already hold ``study.yml`` (periods, stakeholder
categories: what no QDA export knows). The imported tables (``codebook``,
``documents``, ``segments``) replace the folder's; the coder is added to
``people`` when absent; required tables the folder lacks (``units``,
``journal``) are written empty. Everything is first written to a staging
copy and validated with :func:`rd_territoriale.schema.validate_study`: when
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

from .contract import TABLES
from .errors import RdTerritorialeError, ValidationError
from .io.tables import find_table_file, read_table

IMPORTED = ("codebook", "documents", "segments")


class StudyImportError(RdTerritorialeError):
    """The import cannot start (no ``study.yml``, unknown category…)."""


@dataclass
class ImportReport:
    """What was written, in French."""

    written: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _header_only(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[c.name for c in TABLES[name].columns if c.required])


def _people(folder: Path, coder: str, category: str | None, study_categories: list[str]) -> pd.DataFrame:
    raw = read_table(folder, "people", required=False)  # CSV (UTF-8 or French Excel) or XLSX, like validation
    people = raw.frame if raw is not None and len(raw.frame.columns) else pd.DataFrame(
        {"id": pd.Series(dtype=str), "category": pd.Series(dtype=str), "is_researcher": pd.Series(dtype=str)})
    if (people["id"] == coder).any():
        return people
    category = category or (study_categories[0] if study_categories else "")
    if category not in study_categories:
        raise StudyImportError(f"catégorie inconnue pour le codeur « {coder} » : « {category} » ; catégories de "
                           f"study.yml : {', '.join(study_categories)}.")
    row = {c: "" for c in people.columns}
    row.update(id=coder, category=category, is_researcher="oui")
    return pd.concat([people, pd.DataFrame([row])], ignore_index=True)


def _respondents(documents: pd.DataFrame, people: pd.DataFrame, category: str | None,
                 study_categories: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One new respondent per interview that has none, when a category is given."""
    if category is None:
        return documents, people
    if category not in study_categories:
        raise StudyImportError(f"catégorie inconnue pour les personnes interrogées : « {category} » ; catégories "
                               f"de study.yml : {', '.join(study_categories)}.")
    missing = documents["kind"].isin(["entretien", "entretien collectif"]) & (
        documents["respondent"].isna() | (documents["respondent"].astype(str) == ""))
    ids = documents.loc[missing, "id"].astype(str) + "_r"
    documents = documents.assign(respondent=documents["respondent"].astype("object"))
    documents.loc[missing, "respondent"] = ids.to_numpy()
    added = pd.DataFrame({c: "" for c in people.columns}, index=range(len(ids)))
    added["id"], added["category"], added["is_researcher"] = ids.to_numpy(), category, "non"
    return documents, pd.concat([people, added], ignore_index=True)


def import_tables(tables: dict[str, pd.DataFrame], into, coder: str, category: str | None = None,
                  respondent_category: str | None = None) -> ImportReport:
    """Write ``tables`` into the study folder ``into``, validated, or nothing at all.

    Parameters
    ----------
    tables : dict
        ``codebook``, ``documents``, ``segments`` frames of strings, shaped
        like the study's CSV files (e.g. :attr:`rd_territoriale.io.taguette.TaguetteImport.tables`).
    into : str or pathlib.Path
        A study folder holding ``study.yml``.
    coder : str
        The coder's id (added to ``people`` as a researcher when absent).
    category : str, optional
        The coder's stakeholder category when added (the study's first by default).
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
    study_file = folder / "study.yml"
    if not study_file.is_file():
        raise StudyImportError(f"« {study_file} » est introuvable : écrivez d'abord study.yml (périodes, catégories de "
                           "parties prenantes), que les logiciels d'analyse qualitative ne connaissent pas.")
    study = yaml.safe_load(study_file.read_text(encoding="utf-8")) or {}
    categories = [str(c.get("id")) for c in study.get("stakeholder_categories", []) or []]
    frames = {name: tables[name].copy() for name in IMPORTED}
    frames["people"] = _people(folder, coder, category, categories)
    frames["documents"], frames["people"] = _respondents(frames["documents"], frames["people"], respondent_category,
                                                         categories)
    for name in ("units", "journal"):
        if not find_table_file(folder, name)[1]:
            frames[name] = _header_only(name)
    with tempfile.TemporaryDirectory(prefix=".import-", dir=folder) as staging:
        staging = Path(staging)
        for item in folder.iterdir():
            if item.is_file() and item.suffix.lower() in (".yml", ".yaml", ".csv", ".xlsx"):
                shutil.copy2(item, staging / item.name)
        for name, frame in frames.items():
            frame.to_csv(staging / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        from .schema import validate_study

        validation = validate_study(staging)
        if not validation.ok:
            raise ValidationError(validation.problems, str(folder))
        report = ImportReport()
        for name in frames:
            os.replace(staging / f"{name}.csv", folder / f"{name}.csv")
            report.written.append(f"{name}.csv")
    report.lines.append(f"Écrit dans {folder} : " + ", ".join(report.written) + ".")
    return report
