"""The material of the study, counted: interviews, journal entries, coded segments.

What was collected and coded in each period, for the whole case or for one
embedded unit (project). DataFrames in, DataFrames out; no plotting, no file
I/O. The French presentation of these counts lives in
:mod:`rd_territoriale.report.overview`.
"""

from __future__ import annotations

import pandas as pd

from rd_territoriale.study.contract import INTERVIEW_KINDS

SOURCE_KINDS = ("document", "journal")
SOURCE_KIND_LABELS = {
    "document": "Entretiens et documents",
    "journal": "Journal de terrain",
}


def select_periods(periods: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """All periods, or only the one whose id is ``period``.

    Raises
    ------
    ValueError
        In French, listing the known ids, when ``period`` is unknown.
    """
    return _select_one(periods, period, "période inconnue", "périodes de l'étude").reset_index(drop=True)


def _select_one(frame: pd.DataFrame, wanted: str | None, unknown: str, known: str) -> pd.DataFrame:
    """``frame``, or its rows whose ``id`` is ``wanted``; a French ``ValueError`` listing the ids if none."""
    if wanted is None:
        return frame
    chosen = frame[frame["id"] == wanted]
    if chosen.empty:
        raise ValueError(f"{unknown} : « {wanted} » ; {known} : {', '.join(map(str, frame['id']))}.")
    return chosen


def period_overview(
    periods: pd.DataFrame,
    documents: pd.DataFrame,
    journal: pd.DataFrame,
    segments: pd.DataFrame,
) -> pd.DataFrame:
    """One row per period: dates, interviews, journal entries, coded segments.

    Parameters
    ----------
    periods : pandas.DataFrame
        ``id, label, start, end`` (study order is kept).
    documents : pandas.DataFrame
        ``kind, period``; only interviews (``entretien``, ``entretien
        collectif``) are counted.
    journal : pandas.DataFrame
        ``period``.
    segments : pandas.DataFrame
        ``period``.

    Returns
    -------
    pandas.DataFrame
        ``period, label, start, end, interviews, journal_entries, segments``;
        counts are ``int64`` and a period without data counts 0.

    Examples
    --------
    >>> periods = pd.DataFrame({"id": ["p1"], "label": ["Émergence"],
    ...     "start": pd.to_datetime(["2019-01-01"]), "end": pd.to_datetime(["2019-12-31"])})
    >>> docs = pd.DataFrame({"kind": ["entretien", "presse"], "period": ["p1", "p1"]})
    >>> empty = pd.DataFrame({"period": pd.Series([], dtype=str)})
    >>> period_overview(periods, docs, empty, empty)["interviews"].tolist()
    [1]
    """
    interviews = documents[documents["kind"].isin(INTERVIEW_KINDS)]
    out = periods[["id", "label", "start", "end"]].rename(columns={"id": "period"}).reset_index(drop=True)
    for column, table in (("interviews", interviews), ("journal_entries", journal), ("segments", segments)):
        counts = table.groupby("period", observed=True).size() if len(table) else pd.Series(dtype="int64")
        out[column] = out["period"].map(counts).fillna(0).astype("int64")
    return out


def segments_by_source(periods: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Coded segments per period and source kind, zeros included.

    Parameters
    ----------
    periods : pandas.DataFrame
        ``id, label`` (study order is kept).
    segments : pandas.DataFrame
        ``period, source_kind`` (``document`` or ``journal``).

    Returns
    -------
    pandas.DataFrame
        Long format: ``period, period_label, source_kind, source_label,
        segments`` with one row per period × source kind, in study order.
    """
    grid = pd.MultiIndex.from_product([list(periods["id"]), list(SOURCE_KINDS)], names=["period", "source_kind"])
    counts = (
        segments.groupby(["period", "source_kind"], observed=True).size() if len(segments) else pd.Series(dtype="int64")
    )
    out = counts.reindex(grid, fill_value=0).rename("segments").reset_index()
    out["segments"] = out["segments"].astype("int64")
    labels = dict(zip(periods["id"], periods["label"]))
    out.insert(1, "period_label", out["period"].map(labels))
    out.insert(3, "source_label", out["source_kind"].map(SOURCE_KIND_LABELS))
    return out


def select_units(units: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """All units (projects), or only the one whose id is ``unit``.

    Raises
    ------
    ValueError
        In French, listing the known ids, when ``unit`` is unknown.
    """
    return _select_one(units, unit, "projet inconnu", "projets de l'étude")


def unit_slice(case, unit: str) -> dict:
    """The documents, journal entries and segments about one embedded unit.

    Parameters
    ----------
    case : Case
        A loaded case.
    unit : str
        Id of the unit (project).

    Returns
    -------
    dict
        ``unit`` (its row as a Series), ``documents``, ``journal`` and
        ``segments`` (segments whose source is one of those documents or
        journal entries).

    Raises
    ------
    ValueError
        In French, listing the known ids, when ``unit`` is unknown.
    """
    row = select_units(case.units, unit)
    documents = case.documents[case.documents["unit"] == unit]
    journal = case.journal[case.journal["unit"] == unit]
    sources = set(documents["id"]) | set(journal["id"])
    segments = case.segments[case.segments["source"].isin(list(sources))]
    return {"unit": row.iloc[0], "documents": documents, "journal": journal, "segments": segments}


def period_ids(case, period=None) -> list[str]:
    """Period ids to compute, in study order.

    Parameters
    ----------
    case : Case
    period : str or list of str, optional
        ``None`` for every period, one id, or several.

    Raises
    ------
    ValueError
        In French, naming the unknown ids and the study's, for an unknown period.
    """
    known = [str(p) for p in case.study.periods["id"]]
    if period is None:
        return known
    wanted = [period] if isinstance(period, str) else [str(p) for p in period]
    unknown = [p for p in wanted if p not in known]
    if unknown:
        raise ValueError(f"période inconnue : {', '.join(unknown)} ; attendu : {', '.join(known)}.")
    return [p for p in known if p in wanted]


def researcher_ids(case) -> set[str]:
    """The researchers: persons of ``people`` with ``is_researcher``, and those listed in ``study.yml``."""
    people = case.people
    flagged = people.loc[people["is_researcher"].fillna(False).astype(bool).to_numpy(), "id"]
    return {str(p) for p in flagged} | {str(r) for r in (case.study.researchers or [])}


def report_period(periods: pd.DataFrame, period: str | None = None) -> str:
    """The period a period report covers: ``period`` when given (checked), else the study's last.

    Raises
    ------
    ValueError
        In French, for an unknown period (see :func:`select_periods`).
    """
    if period:
        return str(select_periods(periods, period)["id"].iloc[0])
    return str(periods["id"].iloc[-1])
