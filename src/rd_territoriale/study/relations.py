"""Rules that tie columns or tables together, checked in a vectorised way.

Column-by-column rules live in pandera schemas (:mod:`rd_territoriale.study.schema`);
this module adds what a single column cannot see: an end before its start,
an interview without a respondent, a parent code from another codebook
version, overlapping periods, a researcher missing from ``people``, an
indicator's kind of resource on an activity row, an impact that regenerates
something other than a resource indicator…
Cells that are unreadable on their own are left to the column rules.
"""

from __future__ import annotations

from typing import TypeGuard

import pandas as pd

from rd_territoriale.errors import Problem
from rd_territoriale.io import RawTable
from rd_territoriale.study import parsing as P
from rd_territoriale.study.contract import INTERVIEW_KINDS, LIST_SEPARATOR, VALUE_CHAIN_STAGES
from rd_territoriale.study.definition import STUDY_FILE, StudyFile


def _has(raw: RawTable | None, *columns: str) -> TypeGuard[RawTable]:
    """``raw`` is there and holds ``columns``."""
    return raw is not None and set(columns) <= set(raw.frame.columns)


def _positions(mask: pd.Series):
    return mask.to_numpy().nonzero()[0]


def _end_after_start(raw: RawTable, kind: str, strict: bool, what: str) -> list[Problem]:
    if not _has(raw, "start", "end"):
        return []
    parse = P.parse_date if kind == "date" else P.parse_number
    start, end = parse(raw.frame["start"]), parse(raw.frame["end"])
    bad = (end < start) if not strict else (end <= start)
    bad = bad.fillna(False)
    pos = _positions(bad)
    starts = raw.frame["start"].iloc[pos].tolist()
    return [
        q
        for p, s in zip(pos, starts)
        for q in raw.problem(
            [p],
            "end",
            [raw.frame["end"].iloc[p]],
            f"{what} {'postérieure' if kind == 'date' else 'supérieure'} "
            f"{'ou égale ' if not strict else ''}au début (start = {s})",
        )
    ]


def _periods(sections: dict) -> list[Problem]:
    raw = sections.get("periods")
    if not _has(raw, "start", "end"):
        return []
    out = _end_after_start(raw, "date", False, "une date de fin")
    frame = pd.DataFrame(
        {
            "start": P.parse_date(raw.frame["start"]),
            "end": P.parse_date(raw.frame["end"]),
            "id": raw.frame.get("id"),
            "pos": range(len(raw.frame)),
        }
    ).dropna()
    frame = frame.sort_values("start")
    previous_end = frame["end"].shift()
    previous_id = frame["id"].shift()
    overlap = frame["start"] <= previous_end
    for row, prev, prev_end in zip(frame[overlap].itertuples(), previous_id[overlap], previous_end[overlap]):
        out += raw.problem(
            [row.pos],
            "start",
            [raw.frame["start"].iloc[row.pos]],
            f"une date postérieure à la fin de la période {prev} ({prev_end:%Y-%m-%d}) : "
            "les périodes ne se chevauchent pas",
        )
    return out


def _interviews_have_respondent(raw: RawTable | None) -> list[Problem]:
    if not _has(raw, "kind", "respondent"):
        return []
    kind = P.parse_enum(raw.frame["kind"], INTERVIEW_KINDS)
    bad = kind.notna() & raw.frame["respondent"].isna()
    return raw.problem(
        _positions(bad),
        "respondent",
        [None] * int(bad.sum()),
        "la personne interrogée : un entretien a toujours un·e répondant·e",
    )


def _college_matches(raw: RawTable | None, sections: dict) -> list[Problem]:
    cats = sections.get("stakeholder_categories")
    if not _has(raw, "category", "college") or not _has(cats, "id", "college"):
        return []
    college = dict(zip(cats.frame["id"], cats.frame["college"]))
    expected = raw.frame["category"].map(college)
    given = raw.frame["college"]
    bad = given.notna() & expected.notna() & (P.fold_series(given) != P.fold_series(expected.astype("string")))
    pos = _positions(bad.fillna(False))
    return [
        q
        for p in pos
        for q in raw.problem(
            [p],
            "college",
            [given.iloc[p]],
            f"le collège de la catégorie « {raw.frame['category'].iloc[p]} » dans study.yml (« {expected.iloc[p]} »)",
        )
    ]


def _codebook(raw: RawTable | None) -> list[Problem]:
    if not _has(raw, "code", "version"):
        return []
    frame = raw.frame
    version = P.parse_int(frame["version"])
    pairs = set(zip(frame["code"], version))
    out = []
    if "parent" in frame:
        has_parent = frame["parent"].notna() & version.notna()
        ok = pd.Series([(p, v) in pairs for p, v in zip(frame["parent"], version)], index=frame.index)
        bad = has_parent & ~ok
        for p in _positions(bad):
            out += raw.problem(
                [p],
                "parent",
                [frame["parent"].iloc[p]],
                f"un code de la même version du codebook (version {version.iloc[p]})",
            )
    if "replaces" in frame:
        items = P.explode_list(frame["replaces"])
        earlier: dict[str, list[int]] = {}
        for code, v in pairs:
            if pd.notna(v):
                earlier.setdefault(code, []).append(int(v))
        for idx, item in items.items():
            v = version.loc[idx]
            if pd.isna(v) or not any(e < v for e in earlier.get(item, [])):
                p = frame.index.get_loc(idx)
                out += raw.problem(
                    [p],
                    "replaces",
                    [frame["replaces"].iloc[p]],
                    f"des codes d'une version antérieure du codebook ; « {item} » "
                    "n'existe dans aucune version précédente",
                )
    return out


def _id_collision(raws: dict) -> list[Problem]:
    docs, journal = raws.get("documents"), raws.get("journal")
    if not _has(docs, "id") or not _has(journal, "id"):
        return []
    shared = P.member_of(journal.frame["id"], docs.frame["id"].dropna())
    return journal.problem(
        _positions(shared),
        "id",
        journal.frame["id"][shared].tolist(),
        "un identifiant distinct de ceux de documents : les segments citent leur source par cet identifiant",
    )


def _researchers(sf: StudyFile, raws: dict) -> list[Problem]:
    listed = [r for r in (sf.scalars.get("researchers") or "").split("|") if r]
    people = raws.get("people")
    if not listed or not _has(people, "id"):
        return []
    ids = people.frame["id"]
    flags = {}
    if "is_researcher" in people.frame:
        flags = dict(zip(ids, P.parse_bool(people.frame["is_researcher"])))
    out = []
    line = sf.scalar_lines.get("researchers")
    for r in listed:
        if r not in set(ids):
            out.append(Problem(STUDY_FILE, line, "researchers", r, "une personne définie dans people (colonne id)"))
        elif flags.get(r) is False:
            out.append(
                Problem(STUDY_FILE, line, "researchers", r, "une personne marquée is_researcher = oui dans people")
            )
    return out


# Columns of ``indicators`` that only make sense at one stage of the value chain.
_STAGE_ONLY = (
    ("resource_kind", "ressources", "le type de ressource ne concerne que les lignes de l'étape"),
    ("activity_kind", "activités", "le type d'activité (principale ou support) ne concerne que les lignes de l'étape"),
    ("regenerates", "impacts", "seules les lignes de l'étape"),
)


def _stage_only(raw: RawTable, stage: pd.Series) -> list[Problem]:
    """Kinds and regenerated resources filled in on a row of another stage."""
    out = []
    for column, wanted, what in _STAGE_ONLY:
        if column not in raw.frame:
            continue
        cells = raw.frame[column]
        bad = cells.notna() & stage.notna() & (stage != wanted)
        pos = _positions(bad.fillna(False))
        tail = " régénèrent des ressources" if column == "regenerates" else ""
        for p in pos:
            out += raw.problem(
                [p],
                column,
                [cells.iloc[p]],
                f"une cellule vide : {what} « {wanted} »{tail} (cette ligne est à l'étape « {stage.iloc[p]} »)",
            )
    return out


def _regenerated(raw: RawTable, stage: pd.Series) -> list[Problem]:
    """Items of ``regenerates`` that are not the indicator of a resource row."""
    frame = raw.frame
    if "regenerates" not in frame:
        return []
    # rows of another stage are reported by _stage_only, once per cell
    own = frame["regenerates"].notna() & ~(stage.notna() & (stage != "impacts")).fillna(False)
    rule = (
        f"une liste séparée par « {LIST_SEPARATOR} » d'indicateurs de l'étape « ressources » "
        "(identifiants de la colonne indicator)"
    )
    if "indicator" not in frame:
        return raw.problem(
            _positions(own),
            "regenerates",
            frame["regenerates"][own].tolist(),
            f"{rule} ; la colonne indicator est absente de la table",
        )
    indicator = frame["indicator"]
    resources = set(indicator[(stage == "ressources").fillna(False) & indicator.notna()])
    pairs = pd.DataFrame({"ind": indicator, "stage": stage}).dropna().drop_duplicates()
    stages = pairs.groupby("ind", sort=False)["stage"].agg(list).to_dict()
    items = P.explode_list(frame["regenerates"][own])
    bad = items[~P.member_of(items, resources).to_numpy()]
    out = []
    for idx, group in bad.groupby(level=0, sort=True):
        why = []
        for item in dict.fromkeys(group.tolist()):
            if item in stages:
                where = "de l'étape" if len(stages[item]) == 1 else "des étapes"
                why.append(f"« {item} » est un indicateur {where} " + ", ".join(f"« {st} »" for st in stages[item]))
            else:
                hint = P.closest(item, resources)
                why.append(
                    f"« {item} » n'est l'identifiant d'aucun indicateur"
                    + (f" (vouliez-vous dire « {hint} » ?)" if hint else "")
                )
        p = frame.index.get_loc(idx)
        out += raw.problem([p], "regenerates", [frame["regenerates"].iloc[p]], f"{rule} ; " + " ; ".join(why))
    return out


def _one_meaning(raw: RawTable, stage: pd.Series) -> list[Problem]:
    """An ``indicator`` id keeps one label and one stage across its rows."""
    frame = raw.frame
    if "indicator" not in frame:
        return []
    out = []
    checks = (("label", "le même libellé", frame.get("label")), ("stage", "la même étape", stage))
    for column, what, values in checks:
        if values is None or column not in frame:
            continue
        rows = pd.DataFrame({"ind": frame["indicator"], "value": values, "line": raw.lines}).reset_index(drop=True)
        rows["pos"] = range(len(rows))
        rows = rows.dropna(subset=["ind", "value"])
        first = rows.drop_duplicates("ind", keep="first").set_index("ind")
        bad = rows[rows["value"].to_numpy() != rows["ind"].map(first["value"]).to_numpy()]
        for row in bad.itertuples():
            ref, line = first.loc[row.ind, "value"], first.loc[row.ind, "line"]
            out += raw.problem(
                [row.pos],
                column,
                [frame[column].iloc[row.pos]],
                f"{what} que la ligne {line} pour l'indicateur « {row.ind} » "
                f"(« {ref} ») : un identifiant d'indicateur désigne un seul "
                "libellé et une seule étape",
            )
    return out


def _indicators(raw: RawTable | None) -> list[Problem]:
    """Value-chain rules of ``indicators``: kinds, regenerated resources, stable ids."""
    if not _has(raw, "stage"):
        return []
    # unreadable stages are left to the column rule (NA here)
    stage = P.parse_enum(raw.frame["stage"], VALUE_CHAIN_STAGES)
    return _stage_only(raw, stage) + _regenerated(raw, stage) + _one_meaning(raw, stage)


def relation_problems(raws: dict, sections: dict, sf: StudyFile, ctx) -> list[Problem]:
    """Every cross-column and cross-table problem of a study."""
    out = _periods(sections)
    if raws.get("units") is not None:
        out += _end_after_start(raws["units"], "date", False, "une date de fin")
    if raws.get("segments") is not None:
        out += _end_after_start(raws["segments"], "int", True, "une position de fin")
    out += _interviews_have_respondent(raws.get("documents"))
    out += _college_matches(raws.get("people"), sections)
    out += _codebook(raws.get("codebook"))
    out += _id_collision(raws)
    out += _researchers(sf, raws)
    out += _indicators(raws.get("indicators"))
    return out
