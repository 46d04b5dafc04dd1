"""``study.yml``: the study definition, read with the line of every field.

The file declares the case, its periods (temporal bracketing), the
stakeholder categories with their SCIC college and member counts, the
research lexicon and the privacy settings. Its list sections are turned into
:class:`~rd_territoriale.io.RawTable` objects so that they are validated by
the same rules as the tables, with messages pointing at ``study.yml`` lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd
import yaml

from rd_territoriale.errors import Problem
from rd_territoriale.io import yaml_text
from rd_territoriale.io.raw import RawTable
from rd_territoriale.study.contract import (
    DEFAULT_MIN_CELL_SIZE,
    LIST_SEPARATOR,
    QUOTE_POLICIES,
    STUDY_FILE,
)

SECTIONS = ("periods", "stakeholder_categories", "research_lexicon")
KNOWN_KEYS = {"case", "territory", "description", "researchers", "privacy", *SECTIONS}


@dataclass
class Study:
    """The study definition, typed.

    Attributes
    ----------
    name : str
        The case (``Clus'Ter Jura``).
    territory : str
    description : str
    researchers : list of str
        Person ids of the researchers.
    periods : pandas.DataFrame
        ``id, label, start, end, opening_event``, sorted by start; dates as
        ``datetime64``.
    categories : pandas.DataFrame
        ``id, label, college, members``.
    lexicon : pandas.DataFrame
        ``term, variants`` (``variants`` holds lists).
    min_cell_size : int
    quote_policy : str
    path : Path
        The study folder.
    """

    name: str
    territory: str = ""
    description: str = ""
    researchers: list = field(default_factory=list)
    periods: pd.DataFrame = field(default_factory=pd.DataFrame)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)
    lexicon: pd.DataFrame = field(default_factory=pd.DataFrame)
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE
    quote_policy: str = "consentement"
    path: Path = Path(".")


def assign_periods(dates: pd.Series, periods: pd.DataFrame) -> pd.Series:
    """Vectorised period lookup: the period whose [start, end] holds each date.

    Parameters
    ----------
    dates : pandas.Series of datetime64
    periods : pandas.DataFrame
        ``id, start, end`` with datetime64 bounds, not overlapping.

    Returns
    -------
    pandas.Series of str
        Period ids, ``<NA>`` where a date falls in no period (or is missing).
    """
    p = periods.dropna(subset=["start", "end"]).sort_values("start")
    starts = p["start"].to_numpy(dtype="datetime64[ns]")
    ends = p["end"].to_numpy(dtype="datetime64[ns]")
    ids = p["id"].to_numpy(dtype=object)
    values = pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]")
    pos = np.searchsorted(starts, values, side="right") - 1
    ok = (pos >= 0) & ~np.isnat(values)
    safe = np.clip(pos, 0, max(len(p) - 1, 0))
    out = np.full(len(values), None, dtype=object)
    if len(p):
        ok &= values <= ends[safe]
        out[ok] = ids[safe][ok]
    return pd.Series(out, index=dates.index, dtype="string")


@dataclass
class StudyFile:
    """What reading ``study.yml`` gives before validation."""

    scalars: dict
    scalar_lines: dict
    sections: dict
    problems: list


@overload
def _line(node, default: int) -> int: ...
@overload
def _line(node, default: None = None) -> int | None: ...
def _line(node, default=None):
    """The 1-based line of a YAML node, or ``default`` when the node carries no position."""
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else default


def _scalar_text(node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":null") or (node.value in ("", "~", "null") and yaml_text.is_plain(node)):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        items = [_scalar_text(n) for n in node.value]
        return LIST_SEPARATOR.join(i for i in items if i)
    return None


def _section(name: str, node, problems: list) -> RawTable:
    """Turn a YAML sequence of mappings into a RawTable with per-cell lines."""
    if not isinstance(node, yaml.SequenceNode):
        problems.append(
            Problem(STUDY_FILE, _line(node), name, None, "une liste d'éléments (chaque élément commence par « - »)")
        )
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [])
    rows: list[dict] = []
    row_lines: list[int] = []
    cells: dict[str, dict[int, int]] = {}
    for i, item in enumerate(node.value):
        line = _line(item, 1)
        row_lines.append(line)
        row = {}
        if not isinstance(item, yaml.MappingNode):
            problems.append(
                Problem(STUDY_FILE, line, name, _scalar_text(item), "un élément avec des champs « clé: valeur »")
            )
        else:
            for key, value in item.value:
                k = str(key.value).strip().lower()
                row[k] = _scalar_text(value)
                cells.setdefault(k, {})[i] = _line(value, line)
        rows.append(row)
    frame = pd.DataFrame(rows, dtype="string") if rows else pd.DataFrame()
    for col in frame.columns:
        s = frame[col].str.strip()
        frame[col] = s.mask(s == "")
    lines = np.asarray(row_lines, dtype=int)
    cell_lines = {k: np.array([v.get(i, lines[i]) for i in range(len(rows))], dtype=int) for k, v in cells.items()}
    return RawTable(name, STUDY_FILE, frame, lines, list(frame.columns), [], cell_lines, header_line=_line(node, 1))


def read_study_file(folder: Path) -> StudyFile:
    """Read ``study.yml`` from ``folder`` keeping the line of every field.

    Never raises on bad content: problems are collected.
    """
    path = Path(folder) / STUDY_FILE
    problems: list[Problem] = []
    empty = StudyFile({}, {}, {}, problems)
    if not path.is_file():
        problems.append(
            Problem(STUDY_FILE, None, None, None, "le fichier study.yml qui définit l'étude (périodes, catégories…)")
        )
        return empty
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(STUDY_FILE, None, None, None, "un fichier YAML encodé en UTF-8"))
        return empty
    try:
        root = yaml_text.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problems.append(
            Problem(STUDY_FILE, line, None, None, f"une syntaxe YAML valide ({getattr(err, 'problem', err)})")
        )
        return empty
    if not isinstance(root, yaml.MappingNode):
        problems.append(
            Problem(STUDY_FILE, _line(root, 1), None, None, "des champs « clé: valeur » (case, periods, …)")
        )
        return empty
    scalars: dict = {}
    lines: dict[str, int | None] = {}
    sections: dict = {}
    for key, value in root.value:
        k = str(key.value).strip()
        line = _line(key, 1)
        if k in lines:
            problems.append(
                Problem(
                    STUDY_FILE, line, k, None, f"chaque champ une seule fois ; « {k} » figure déjà ligne {lines[k]}"
                )
            )
        lines[k] = line
        if k in SECTIONS:
            sections[k] = _section(k, value, problems)
        elif k == "privacy" and isinstance(value, yaml.MappingNode):
            for pk, pv in value.value:
                scalars[f"privacy.{pk.value}"] = _scalar_text(pv)
                lines[f"privacy.{pk.value}"] = _line(pv, line)
        else:
            scalars[k] = _scalar_text(value)
    return StudyFile(scalars, lines, sections, problems)


def check_study_scalars(sf: StudyFile) -> tuple[list[Problem], list[Problem]]:
    """Problems and warnings about the top-level fields of ``study.yml``."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not sf.scalar_lines and not sf.sections:
        return problems, warnings
    if not sf.scalars.get("case"):
        problems.append(
            Problem(
                STUDY_FILE,
                sf.scalar_lines.get("case", 1),
                "case",
                sf.scalars.get("case"),
                "le nom du cas étudié (champ « case »)",
            )
        )
    for key in ("periods", "stakeholder_categories"):
        if key not in sf.sections:
            problems.append(Problem(STUDY_FILE, 1, key, None, f"une section « {key} » (liste non vide)"))
        elif len(sf.sections[key].frame) == 0:
            problems.append(
                Problem(STUDY_FILE, sf.scalar_lines.get(key), key, None, f"au moins un élément dans « {key} »")
            )
    size = sf.scalars.get("privacy.min_cell_size")
    if size is not None and not (size.isdigit() and int(size) >= 1):
        problems.append(
            Problem(
                STUDY_FILE,
                sf.scalar_lines.get("privacy.min_cell_size"),
                "privacy.min_cell_size",
                size,
                "un entier ≥ 1 (5 par défaut)",
            )
        )
    policy = sf.scalars.get("privacy.quote_policy")
    if policy is not None and policy not in QUOTE_POLICIES:
        problems.append(
            Problem(
                STUDY_FILE,
                sf.scalar_lines.get("privacy.quote_policy"),
                "privacy.quote_policy",
                policy,
                f"l'une des valeurs {', '.join(QUOTE_POLICIES)}",
            )
        )
    for key in sf.scalar_lines:
        top = key.split(".")[0]
        if top not in KNOWN_KEYS:
            warnings.append(
                Problem(
                    STUDY_FILE,
                    sf.scalar_lines[key],
                    key,
                    None,
                    f"un champ connu ({', '.join(sorted(KNOWN_KEYS))}) ; champ ignoré",
                )
            )
    return problems, warnings


def build_study(sf: StudyFile, typed_sections: dict, folder: Path) -> Study:
    """The typed :class:`Study` from a validated study file."""
    periods = typed_sections["periods"].sort_values("start").reset_index(drop=True)
    if "opening_event" not in periods:
        periods["opening_event"] = pd.NA
    lexicon = typed_sections.get("research_lexicon")
    if lexicon is None:
        lexicon = pd.DataFrame({"term": pd.Series(dtype="string"), "variants": pd.Series(dtype=object)})
    elif "variants" not in lexicon:
        lexicon["variants"] = [[] for _ in range(len(lexicon))]
    researchers = sf.scalars.get("researchers") or ""
    return Study(
        name=sf.scalars.get("case") or "",
        territory=sf.scalars.get("territory") or "",
        description=sf.scalars.get("description") or "",
        researchers=[r for r in researchers.split(LIST_SEPARATOR) if r],
        periods=periods,
        categories=typed_sections["stakeholder_categories"].reset_index(drop=True),
        lexicon=lexicon.reset_index(drop=True),
        min_cell_size=int(sf.scalars.get("privacy.min_cell_size") or DEFAULT_MIN_CELL_SIZE),
        quote_policy=sf.scalars.get("privacy.quote_policy") or "consentement",
        path=Path(folder),
    )
