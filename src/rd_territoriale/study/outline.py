"""A study's outline: its periods and embedded units, read without pandas.

The report manifest expands ``foreach: period | unit`` entries from this
outline at every build, so it must stay cheap: ``study.yml`` is read with
PyYAML and ``units.csv`` with the standard library (an ``units.xlsx`` falls
back to the full reader). Nothing is validated here; a study with problems
fails in its report, where ``load_case`` says what is wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.io.text import decode, sniff_separator
from rd_territoriale.io.yaml_text import safe_load
from rd_territoriale.study.contract import STUDY_FILE


class OutlineError(RdTerritorialeError):
    """The periods or units of a study cannot be read."""


@dataclass(frozen=True)
class Item:
    """A period or a unit: its id and the label people read."""

    id: str
    label: str


def _study_yml(folder) -> dict:
    path = Path(folder) / STUDY_FILE
    try:
        data = safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise OutlineError(f"{path} illisible : {exc}") from exc
    return data if isinstance(data, dict) else {}


def case_name(folder) -> str:
    """The ``case`` of ``study.yml`` (the study's name), or the folder's name when it has none."""
    try:
        name = _study_yml(folder).get("case")
    except OutlineError:
        name = None
    return str(name).strip() if name and str(name).strip() else Path(folder).name


def periods(folder) -> list[Item]:
    """Periods of ``study.yml`` in file order (id, label)."""
    path = Path(folder) / STUDY_FILE
    data = _study_yml(folder)
    entries = (data or {}).get("periods") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise OutlineError(f"{path} : pas de section « periods » lisible")
    out = []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("id") is not None:
            out.append(Item(str(entry["id"]), str(entry.get("label") or entry["id"])))
    return out


def units(folder) -> list[Item]:
    """Embedded units of ``units.csv`` (or ``units.xlsx``) in file order (id, name)."""
    folder = Path(folder)
    path = folder / "units.csv"
    if not path.is_file():
        if (folder / "units.xlsx").is_file():
            from rd_territoriale.io import read_table

            raw = read_table(folder, "units")
            frame = raw.frame
            if "id" not in frame:
                raise OutlineError(f"{folder / 'units.xlsx'} : colonne « id » absente")
            names = frame["name"] if "name" in frame else frame["id"]
            return [Item(str(i), str(n)) for i, n in zip(frame["id"], names) if isinstance(i, str)]
        raise OutlineError(f"{path} introuvable")
    text, _, problem = decode(path.read_bytes(), path.name)
    if problem is not None:
        raise OutlineError(str(problem))
    assert text is not None  # decode gives a text whenever it reports no problem
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=sniff_separator(first))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    if "id" not in reader.fieldnames:
        raise OutlineError(f"{path} : colonne « id » absente")
    out = []
    for row in reader:
        uid = (row.get("id") or "").strip()
        if uid:
            out.append(Item(uid, (row.get("name") or uid).strip()))
    return out
