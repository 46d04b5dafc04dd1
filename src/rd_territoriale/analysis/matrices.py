"""Matrix displays (Miles, Huberman & Saldaña) computed from the coded data.

Only the primary coder's segments are counted (by default the coder with the
most segments), so that double coding does not inflate counts. Interviews
(documents of kind ``entretien`` or ``entretien collectif``) are the only
exposure in words; journal entries are counted separately, per entry.

DataFrames in, DataFrame out; no plotting, no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rd_territoriale.privacy.quotes import pick_passages, quotable
from rd_territoriale.study.contract import INTERVIEW_KINDS

MATRIX_COLUMNS = [
    "code",
    "period",
    "count",
    "words",
    "interviews",
    "rate_per_1000_words",
    "rate_per_interview",
    "journal_count",
    "journal_entries",
    "rate_per_entry",
    "quote",
]


def primary_coder(case, coder: str | None = None) -> str | None:
    """The coder whose segments are analysed.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        An explicit coder id; by default the coder with the most segments
        (ties broken by id).

    Returns
    -------
    str or None
        The coder id, ``None`` when there are no segments.

    Raises
    ------
    ValueError
        When ``coder`` has coded no segment.
    """
    coders = case.segments["coder"].dropna()
    if coder is not None:
        if not (coders == coder).any():
            raise ValueError(f"codeur inconnu : « {coder} » n'a codé aucun segment.")
        return coder
    if coders.empty:
        return None
    counts = coders.astype(str).value_counts()
    best = counts.max()
    return min(counts[counts == best].index)


def interview_documents(case) -> pd.DataFrame:
    """The interviews (individual and group), with their words and period.

    Returns
    -------
    pandas.DataFrame
        ``id, period, words`` for interviews with a period; missing word
        counts are taken as 0.
    """
    docs = case.documents
    out = docs.loc[
        docs["kind"].isin(list(INTERVIEW_KINDS)).fillna(False).to_numpy() & docs["period"].notna().to_numpy(),
        ["id", "period", "words"],
    ].copy()
    out["id"] = out["id"].astype(str)
    out["period"] = out["period"].astype(str)
    out["words"] = pd.to_numeric(out["words"], errors="coerce").fillna(0).astype(float)
    return out.reset_index(drop=True)


def coder_segments(case, coder: str | None = None) -> pd.DataFrame:
    """The primary coder's segments (see :func:`primary_coder`)."""
    who = primary_coder(case, coder)
    seg = case.segments
    if who is None:
        return seg.iloc[0:0]
    return seg.loc[(seg["coder"] == who).fillna(False).to_numpy()]


def study_codes(case, segments: pd.DataFrame) -> list[str]:
    """Codes to show: those used in ``segments``, sorted."""
    return sorted(segments["code"].dropna().astype(str).unique())


def _quote_text(row) -> str:
    return f"« {str(row['text']).strip()} » — {row['attribution']}"


def _interview_segments(case, coder: str | None) -> pd.DataFrame:
    """The primary coder's segments in interviews: what the time-ordered matrix counts."""
    seg = coder_segments(case, coder)
    interview_ids = set(interview_documents(case)["id"])
    return seg.loc[seg["source"].astype(str).isin(interview_ids).to_numpy()]


def cell_passages(case, coder: str | None = None, audience: str = "partenaires", limit: int = 3) -> pd.DataFrame:
    """The passages behind each code × period cell of :func:`time_ordered_matrix`.

    Only passages whose source allows quoting to ``audience`` are returned
    (:func:`~rd_territoriale.privacy.quotes.quotable`), at most ``limit`` per
    cell, chosen by :func:`~rd_territoriale.privacy.quotes.pick_passages`
    (actors first, distinct sources first); the first is the matrix's quote.

    Returns
    -------
    pandas.DataFrame
        ``code, period, rank, text, attribution, quotable``: ``quotable``
        counts the consented passages of the cell, shown or not (the cell's
        ``count`` in the matrix counts every passage).
    """
    picked = pick_passages(quotable(case, _interview_segments(case, coder), audience), ["code", "period"], limit)
    out = picked.assign(code=picked["code"].astype(str), period=picked["period"].astype(str))
    return out[["code", "period", "rank", "text", "attribution", "quotable"]]


def time_ordered_matrix(case, coder: str | None = None, audience: str = "partenaires") -> pd.DataFrame:
    """Time-ordered matrix: code × period, counts, rates per exposure, a quote.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted; by default the coder with the most
        segments (double coding never inflates counts).
    audience : str
        ``partenaires`` or ``equipe``: who may read the quotes (see
        :func:`rd_territoriale.privacy.quotes.quotable`).

    Returns
    -------
    pandas.DataFrame
        Long format, one row for every code × period (zeros included), in
        code then period order, with columns

        - ``count``: segments of the code in the period's interviews;
        - ``words``: exposure, interview words in the period (from
          ``documents``);
        - ``interviews``: number of interviews in the period;
        - ``rate_per_1000_words``, ``rate_per_interview`` (NaN when the
          exposure is zero);
        - ``journal_count``, ``journal_entries``, ``rate_per_entry``: the same
          code in the field journal, per journal entry;
        - ``quote``: « text » — attribution, one quotable interview segment of
          the cell (actors' words preferred), or an empty string.
    """
    periods = [str(p) for p in case.periods["id"]]
    seg = coder_segments(case, coder)
    codes = study_codes(case, seg)
    docs = interview_documents(case)
    iseg = _interview_segments(case, coder)
    journal_ids = set(case.journal["id"].astype(str))
    jseg = seg.loc[seg["source"].astype(str).isin(journal_ids).to_numpy()]

    grid = pd.MultiIndex.from_product([codes, periods], names=["code", "period"])
    count = iseg.groupby([iseg["code"].astype(str), iseg["period"].astype(str)]).size()
    jcount = jseg.groupby([jseg["code"].astype(str), jseg["period"].astype(str)]).size()
    out = pd.DataFrame(index=grid)
    out["count"] = count.reindex(grid, fill_value=0).astype(int)
    exposure = docs.groupby("period")["words"].sum().reindex(periods, fill_value=0.0)
    interviews = docs.groupby("period").size().reindex(periods, fill_value=0)
    entries = case.journal["period"].dropna().astype(str).value_counts().reindex(periods, fill_value=0)
    per = out.index.get_level_values("period")
    out["words"] = exposure.reindex(per).to_numpy().astype(float)
    out["interviews"] = interviews.reindex(per).to_numpy().astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate_per_1000_words"] = np.where(out["words"] > 0, out["count"] * 1000 / out["words"], np.nan)
        out["rate_per_interview"] = np.where(out["interviews"] > 0, out["count"] / out["interviews"], np.nan)
    out["journal_count"] = jcount.reindex(grid, fill_value=0).astype(int).to_numpy()
    out["journal_entries"] = entries.reindex(per).to_numpy().astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate_per_entry"] = np.where(
            out["journal_entries"] > 0, out["journal_count"] / out["journal_entries"], np.nan
        )

    first = pick_passages(quotable(case, iseg, audience), ["code", "period"], limit=1)
    picked = {(str(row["code"]), str(row["period"])): _quote_text(row) for _, row in first.iterrows()}
    out["quote"] = [picked.get(key, "") for key in out.index]
    return out.reset_index()[MATRIX_COLUMNS]


def count_table(matrix: pd.DataFrame, value: str = "count") -> pd.DataFrame:
    """Wide code × period table from a long matrix (for contingency analysis).

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`time_ordered_matrix`.
    value : str
        Column to spread (``count`` by default).

    Returns
    -------
    pandas.DataFrame
        Codes as rows, periods as columns, in the matrix's order.
    """
    periods = list(dict.fromkeys(matrix["period"]))
    codes = list(dict.fromkeys(matrix["code"]))
    wide = matrix.pivot(index="code", columns="period", values=value)
    return wide.reindex(index=codes, columns=periods)
