"""Trajectories of the embedded units (projects) across periods, and the feu-de-paille rule.

A project's activity in a period is read from the field journal (entries,
meetings, participants, stakeholder categories involved), the interviews
about it and the passages coded from its sources. Periods differ in length
and a project may start or stop inside one, so activity is also given per
month during which the project existed in the period.

DataFrames in, DataFrames out; no plotting, no file I/O.

The feu-de-paille rule (explicit, so that a partner can check it)
------------------------------------------------------------------
A project shows the *feu de paille* pattern (early enthusiasm that fades)
when, over the periods during which it exists:

1. it has at least three such periods and at least ``min_entries`` journal
   entries at its peak (a handful of entries is not a trajectory);
2. its activity (journal entries per month of existence) peaks in its first
   or second period;
3. its activity in its last period is at most ``fade`` (one third by
   default) of the peak;
4. after the peak, activity never rises again by more than ``tolerance``
   (10 %) from one period to the next.

Each condition is reported per project, so that the report can say why a
project is or is not flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rd_territoriale.analysis.matrices import coder_segments
from rd_territoriale.study.contract import INTERVIEW_KINDS

MEETING_KINDS = ("réunion", "atelier", "comité")
DAYS_PER_MONTH = 365.25 / 12


def _months_of_existence(units: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Months each unit existed in each period (0 when it did not)."""
    rows = []
    for unit in units.itertuples():
        for period in periods.itertuples():
            start = max(unit.start, period.start)
            end = period.end if pd.isna(unit.end) else min(unit.end, period.end)
            days = (end - start).days + 1
            rows.append((unit.id, period.id, max(days, 0) / DAYS_PER_MONTH))
    return pd.DataFrame(rows, columns=["unit", "period", "months"])


def unit_trajectories(case, coder: str | None = None) -> pd.DataFrame:
    """Activity of every project in every period.

    Parameters
    ----------
    case : Case
    coder : str, optional
        Whose codings count (the coder with most segments by default, so
        that double coding does not count a passage twice).

    Returns
    -------
    pandas.DataFrame
        One row per unit × period, in study order: ``unit, name, period,
        months`` (of existence in the period), ``active`` (months > 0),
        ``journal_entries, meetings, mean_participants, categories``
        (distinct stakeholder categories among meeting participants),
        ``interviews, coded_mentions`` and ``entries_per_month``.
    """
    periods = case.study.periods
    grid = _months_of_existence(case.units, periods)
    journal = case.journal[case.journal["unit"].notna()]
    meetings = journal[journal["kind"].isin(MEETING_KINDS)]
    docs = case.documents[case.documents["unit"].notna()]
    interviews = docs[docs["kind"].isin(list(INTERVIEW_KINDS))]
    sources = pd.concat([docs[["id", "unit"]], journal[["id", "unit"]]]).set_index("id")["unit"]
    segments = coder_segments(case, coder)
    mentions = segments.assign(unit=segments["source"].map(sources)).dropna(subset=["unit"])

    def count(frame):
        return frame.groupby(["unit", "period"], observed=True).size()

    categories = meetings.explode("participants").dropna(subset=["participants"])
    out = grid.set_index(["unit", "period"])
    out["journal_entries"] = count(journal)
    out["meetings"] = count(meetings)
    out["mean_participants"] = meetings.groupby(["unit", "period"])["n_participants"].mean().astype(float)
    out["categories"] = categories.groupby(["unit", "period"])["participants"].nunique()
    out["interviews"] = count(interviews)
    out["coded_mentions"] = count(mentions)
    counts = ["journal_entries", "meetings", "categories", "interviews", "coded_mentions"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out = out.reset_index()
    out["active"] = out["months"] > 0
    out["entries_per_month"] = np.where(
        out["active"], out["journal_entries"] / out["months"].where(out["active"], 1), np.nan
    )
    names = dict(zip(case.units["id"], case.units["name"]))
    out.insert(1, "name", out["unit"].map(names))
    order = {p: i for i, p in enumerate(periods["id"])}
    unit_order = {u: i for i, u in enumerate(case.units["id"])}
    out = out.sort_values(["unit", "period"], key=lambda s: s.map(order if s.name == "period" else unit_order))
    return out.reset_index(drop=True)


def feu_de_paille(
    trajectories: pd.DataFrame, min_entries: int = 10, fade: float = 1 / 3, tolerance: float = 0.10
) -> pd.DataFrame:
    """Apply the feu-de-paille rule (module docstring) to every project.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        Output of :func:`unit_trajectories`.
    min_entries : int
        Journal entries needed at the peak.
    fade : float
        Last activity at most this share of the peak.
    tolerance : float
        Largest rise allowed after the peak, as a share.

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``unit, name, active_periods, peak_period,
        peak_rate, last_rate, last_to_peak`` and one boolean per condition
        (``enough_data, early_peak, faded, no_revival``), ``flagged`` and a
        French ``reason``.
    """
    rows = []
    for unit, t in trajectories.groupby("unit", sort=False):
        t = t[t["active"]]
        rates = t["entries_per_month"].to_numpy()
        entries = t["journal_entries"].to_numpy()
        periods = t["period"].tolist()
        row = {"unit": unit, "name": t["name"].iloc[0] if len(t) else unit, "active_periods": len(t)}
        if len(t) == 0 or np.nanmax(rates) == 0:
            rows.append(
                {
                    **row,
                    "peak_period": None,
                    "peak_rate": 0.0,
                    "last_rate": 0.0,
                    "last_to_peak": np.nan,
                    "enough_data": False,
                    "early_peak": False,
                    "faded": False,
                    "no_revival": False,
                }
            )
            continue
        peak = int(np.nanargmax(rates))
        after = rates[peak:]
        rises = after[1:] > after[:-1] * (1 + tolerance)
        row.update(
            peak_period=periods[peak],
            peak_rate=float(rates[peak]),
            last_rate=float(rates[-1]),
            last_to_peak=float(rates[-1] / rates[peak]),
            enough_data=bool(len(t) >= 3 and entries[peak] >= min_entries),
            early_peak=peak <= 1,
            faded=bool(rates[-1] <= fade * rates[peak]),
            no_revival=not bool(rises.any()),
        )
        rows.append(row)
    conditions = ["enough_data", "early_peak", "faded", "no_revival"]
    out = pd.DataFrame(
        rows,
        columns=[
            "unit",
            "name",
            "active_periods",
            "peak_period",
            "peak_rate",
            "last_rate",
            "last_to_peak",
            *conditions,
        ],
    )
    out[conditions] = out[conditions].astype(bool)
    out["flagged"] = out[conditions].all(axis=1)
    out["reason"] = [_reason(row) for _, row in out.iterrows()] if len(out) else pd.Series(dtype=str)
    return out


def _reason(row) -> str:
    if row["flagged"]:
        return (
            f"activité maximale en {row['peak_period']}, puis dernière période à "
            f"{row['last_to_peak'] * 100:.0f}\u00a0% du maximum, sans reprise"
        )
    missing = {
        "enough_data": "trop peu de périodes ou d'entrées pour juger",
        "early_peak": "le maximum d'activité n'est pas au début",
        "faded": "l'activité de la dernière période reste au-dessus du tiers du maximum",
        "no_revival": "l'activité repart après le maximum",
    }
    return " ; ".join(text for key, text in missing.items() if not row[key])
