"""Case-ordered meta-matrix (Miles, Huberman & Saldaña): embedded project × period.

Takes a loaded case and returns one row per project (embedded unit) and
period, in study order: the project's activity from
:func:`~rd_territoriale.analysis.trajectories.unit_trajectories` (journal
entries, meetings, mean participants, interviews, coded mentions), what was
said about it (its most frequent codes) and who took part (the stakeholder
categories present). :func:`meta_matrix_table` turns it into a wide French
table for a report.

Definitions (explicit, so that a partner can check them)
--------------------------------------------------------
- **The project's sources**: the documents (of any kind) and the journal
  entries whose ``unit`` is the project.
- **Top codes**: the ``top`` most frequent codes among the primary coder's
  segments of these sources dated in the period (every speaker, researcher
  included, as in ``coded_mentions``), ties broken by code id. Labels come
  from the latest codebook version that holds the code.
- **Categories present**: the stakeholder categories among the participants
  of the project's meetings (journal entries of kind réunion, atelier,
  comité) and among the respondents of its interviews (researchers
  excepted), in the period, in study order, as French labels.
- A period in which the project did not exist (``active`` false) has empty
  lists, whatever the sources say.

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

import pandas as pd

from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.analysis.matrices import coder_segments
from rd_territoriale.analysis.trajectories import MEETING_KINDS, unit_trajectories
from rd_territoriale.french import plural
from rd_territoriale.study.contract import INTERVIEW_KINDS

INACTIVE_MARK = "—"
SEPARATOR = " · "


def _unit_segments(case, coder: str | None) -> pd.DataFrame:
    """The primary coder's segments of each project's sources, with ``unit``."""
    sources = pd.concat([case.documents[["id", "unit"]], case.journal[["id", "unit"]]])
    sources = sources.dropna(subset=["unit"]).set_index("id")["unit"]
    seg = coder_segments(case, coder)
    return seg.assign(unit=seg["source"].map(sources)).dropna(subset=["unit", "code", "period"])


def _top_codes(segments: pd.DataFrame, top: int) -> dict[tuple, list[str]]:
    """The ``top`` most frequent codes per (unit, period) (ties by code id)."""
    counts = segments.groupby(["unit", "period", "code"]).size().rename("n").reset_index()
    counts = counts.sort_values(["unit", "period", "n", "code"], ascending=[True, True, False, True], kind="mergesort")
    return {key: [str(c) for c in part["code"].head(top)] for key, part in counts.groupby(["unit", "period"])}


def _present_categories(case) -> dict[tuple, set[str]]:
    """Category ids among meeting participants and interview respondents, per unit × period."""
    journal = case.journal
    meetings = journal[journal["unit"].notna() & journal["kind"].isin(MEETING_KINDS).fillna(False)]
    met = meetings[["unit", "period", "participants"]].explode("participants")
    met = met.rename(columns={"participants": "category"})
    docs = case.documents
    interviews = docs[docs["unit"].notna() & docs["kind"].isin(list(INTERVIEW_KINDS)).fillna(False)]
    people = case.people.set_index("id")
    researcher = interviews["respondent"].map(people["is_researcher"]).fillna(False).astype(bool)
    heard = interviews.loc[~researcher.to_numpy(), ["unit", "period", "respondent"]]
    heard = heard.assign(category=heard["respondent"].map(people["category"]))[["unit", "period", "category"]]
    both = pd.concat([met, heard]).dropna()
    return {key: set(part["category"].astype(str)) for key, part in both.groupby(["unit", "period"])}


def _ordered_labels(ids: set[str], categories: pd.DataFrame) -> list[str]:
    """Category labels in study order (unknown ids last, sorted)."""
    order = [str(c) for c in categories["id"]]
    labels = dict(zip(order, categories["label"].astype(str)))
    known = [labels[c] for c in order if c in ids]
    return known + sorted(i for i in ids if i not in labels)


def case_ordered_matrix(case, coder: str | None = None, top: int = 3) -> pd.DataFrame:
    """Case-ordered meta-matrix: project × period (module docstring).

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Whose codings count (the coder with most segments by default).
    top : int
        Number of codes kept per cell.

    Returns
    -------
    pandas.DataFrame
        One row per unit × period, in study order: ``unit, name, period,
        period_label, months, active, journal_entries, meetings,
        mean_participants, meeting_categories`` (number of categories among
        meeting participants), ``interviews, coded_mentions,
        entries_per_month`` (all from
        :func:`~rd_territoriale.analysis.trajectories.unit_trajectories`),
        then ``top_codes`` (list of code ids), ``top_code_labels`` (their
        labels) and ``categories`` (list of category labels); empty lists
        for an inactive project.
    """
    out = unit_trajectories(case, coder).rename(columns={"categories": "meeting_categories"})
    periods = case.study.periods
    out.insert(3, "period_label", out["period"].map(dict(zip(periods["id"], periods["label"]))))
    keys = list(zip(out["unit"], out["period"], out["active"]))
    tops = _top_codes(_unit_segments(case, coder), top)
    present = _present_categories(case)
    labels = code_labels(case.codebook)
    cats = case.study.categories
    out["top_codes"] = [tops.get((u, p), []) if a else [] for u, p, a in keys]
    out["top_code_labels"] = [[labels.get(c, c) for c in codes] for codes in out["top_codes"]]
    out["categories"] = [_ordered_labels(present.get((u, p), set()), cats) if a else [] for u, p, a in keys]
    return out


def _lower_first(label: str) -> str:
    """« Enthousiasme initial » → « enthousiasme initial »; acronyms (« ECT ») kept."""
    if len(label) > 1 and label[0].isupper() and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _cell(row) -> str:
    """Short French text of one project × period cell."""
    if not row["active"]:
        return INACTIVE_MARK
    parts = [plural(int(row["journal_entries"]), "entrée")]
    if row["interviews"] > 0:
        parts.append(plural(int(row["interviews"]), "entretien"))
    if pd.notna(row["mean_participants"]):
        parts.append(f"{int(row['mean_participants'] + 0.5)} part. moy.")
    if row["top_code_labels"]:
        parts.append(", ".join(_lower_first(label) for label in row["top_code_labels"]))
    return SEPARATOR.join(parts)


def meta_matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Wide French presentation of a case-ordered meta-matrix, for a report.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`case_ordered_matrix`.

    Returns
    -------
    pandas.DataFrame
        Project names as rows (index « Projet »), period labels as columns
        (« Période »), in the matrix's order; each cell reads like
        « 41 entrées · 4 entretiens · 24 part. moy. · enthousiasme initial,
        coopération entre acteurs » (entries, interviews when any, mean
        meeting participants when any meeting, top codes), « — » when the
        project did not exist in the period.
    """
    if len(matrix) == 0:
        empty = pd.DataFrame(index=pd.Index([], name="Projet"), columns=pd.Index([], name="Période"))
        return empty
    cells = matrix.assign(cell=matrix.apply(_cell, axis=1))
    rows = list(dict.fromkeys(cells["name"]))
    cols = list(dict.fromkeys(cells["period_label"]))
    wide = cells.pivot(index="name", columns="period_label", values="cell").reindex(index=rows, columns=cols)
    wide.index.name, wide.columns.name = "Projet", "Période"
    return wide
