"""Role-ordered matrix (Miles, Huberman & Saldaña): stakeholder category × code, per period.

Takes a loaded case and returns, period by period, how often each
stakeholder category speaks of each code in the interviews, per 1,000
interview words, and how much more (or less) than all the other categories
together — what MAXQDA's crosstab shows as the over-representation of a code
in a group.

Definitions (explicit, so that a partner can check them)
--------------------------------------------------------
- **Actors' words.** Segments of interviews (individual and group) coded by
  the primary coder (:func:`~rd_territoriale.analysis.matrices.coder_segments`,
  so that double coding never inflates counts) whose speaker is a person of
  ``people`` who is not a researcher. The speaker's category is read from
  ``people``; a segment whose speaker is unknown or has no category is
  counted nowhere.
- **Exposure.** The words of the interviews whose *respondent* belongs to the
  category, in the period. In a group interview ``documents.respondent``
  names one member of the group and the others speak as members of the same
  category, so the whole interview is the category's exposure. (In a group
  mixing categories, the speakers of another category than the respondent's
  would be counted against an exposure that does not include them: the
  contract does not record who else was in the group.)
- **Over-representation.** The category's rate divided by the rate of all
  the other categories of the study together (their counts over their
  words), in the same period and for the same code: 1 means « as often as
  the others ». NaN when it is undefined (no exposure on one side, or the
  code used by nobody), ``inf`` when only this category uses the code.
- **Uncertainty.** Given the count of the code in the category and in the
  others, the category's share follows a binomial law (ratio of two Poisson
  rates, conditional test): ``ci_low, ci_high`` are the exact
  (Clopper–Pearson) 95 % bounds of the over-representation and ``p_value``
  the exact two-sided test of a ratio of 1; ``p_adjusted`` applies the
  Benjamini–Hochberg correction across every row returned. Counts are
  pooled across interviews: the test ignores the variation between
  interviews and is therefore a screening tool, not a model (see
  :mod:`~rd_territoriale.analysis.models` for count models).

``speakers`` counts persons: a report for partners must mask it
(:func:`speaker_table` then
:func:`~rd_territoriale.privacy.masking.mask_for_audience`).

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import beta, binomtest

from .material import period_ids
from .matrices import coder_segments, interview_documents
from .models import benjamini_hochberg

ALPHA = 0.05

ROLE_COLUMNS = [
    "period", "category", "category_label", "code", "count", "words", "interviews", "speakers",
    "rate_per_1000_words", "other_count", "other_words", "other_rate_per_1000_words",
    "over_representation", "ci_low", "ci_high", "p_value", "p_adjusted",
]


def _categories_of(case, persons: pd.Series) -> pd.Series:
    """Category of each person id, NA for researchers and unknown persons."""
    people = case.people.set_index("id")
    researcher = persons.map(people["is_researcher"]).fillna(False).astype(bool)
    return persons.map(people["category"]).astype("string").mask(researcher.to_numpy())


def actor_segments(case, coder: str | None = None) -> pd.DataFrame:
    """The primary coder's interview segments spoken by actors (not researchers).

    Returns
    -------
    pandas.DataFrame
        The segments, with ``period`` (the interview's) and ``category`` (the
        speaker's) added; segments without a category are dropped.
    """
    docs = interview_documents(case).set_index("id")
    seg = coder_segments(case, coder)
    seg = seg.loc[seg["source"].astype(str).isin(set(docs.index)).to_numpy()]
    out = seg.assign(period=seg["source"].astype(str).map(docs["period"]),
                     category=_categories_of(case, seg["speaker"]))
    return out.dropna(subset=["category", "code"])


def _interviews_by_category(case) -> pd.DataFrame:
    """Interviews with their respondent's category (NA when unknown or a researcher)."""
    docs = interview_documents(case)
    respondent = docs["id"].map(case.documents.set_index("id")["respondent"])
    return docs.assign(respondent=respondent.to_numpy(),
                       category=_categories_of(case, respondent).to_numpy())


def _speakers(actors: pd.DataFrame, interviews: pd.DataFrame) -> pd.Series:
    """Distinct persons per period × category: actors who spoke, and respondents."""
    spoke = actors[["period", "category", "speaker"]].rename(columns={"speaker": "person"})
    answered = interviews[["period", "category", "respondent"]].rename(columns={"respondent": "person"})
    persons = pd.concat([spoke, answered]).dropna()
    return persons.groupby(["period", "category"])["person"].nunique()


def exact_rate_ratio(count: int, other: int, words: float, other_words: float) -> tuple[float, float, float]:
    """Exact 95 % interval and p-value of the ratio of two Poisson rates (conditional test).

    Given ``n = count + other``, ``count`` is binomial with probability
    ``words * r / (words * r + other_words)`` where ``r`` is the rate ratio:
    the Clopper–Pearson interval of that probability gives the interval of
    ``r``, and the exact binomial test of ``r = 1`` the two-sided p-value
    (the same as statsmodels' ``test_poisson_2indep(method="exact-cond")``).
    Use it to pool codes or periods of a role-ordered matrix.

    Parameters
    ----------
    count, other : int
        Segments in the category and in the others.
    words, other_words : float
        Their exposures.

    Returns
    -------
    tuple of float
        ``(ci_low, ci_high, p_value)``; NaN when no segment or no exposure,
        ``ci_high`` is ``inf`` when ``other`` is 0.
    """
    n = count + other
    if n == 0 or words <= 0 or other_words <= 0:
        return np.nan, np.nan, np.nan
    odds = other_words / words
    low = beta.ppf(ALPHA / 2, count, n - count + 1) if count > 0 else 0.0
    high = beta.ppf(1 - ALPHA / 2, count + 1, n - count) if count < n else 1.0
    ci_low = low / (1 - low) * odds
    ci_high = high / (1 - high) * odds if high < 1 else np.inf
    p_value = binomtest(count, n, words / (words + other_words)).pvalue
    return float(ci_low), float(ci_high), float(p_value)


def _add_comparison(out: pd.DataFrame) -> pd.DataFrame:
    """Rates of the other categories, over-representation, exact interval and test."""
    totals = out.groupby(["period", "code"])[["count", "words"]].transform("sum")
    out["other_count"] = (totals["count"] - out["count"]).astype(int)
    out["other_words"] = totals["words"] - out["words"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate_per_1000_words"] = np.where(out["words"] > 0, 1000 * out["count"] / out["words"], np.nan)
        out["other_rate_per_1000_words"] = np.where(
            out["other_words"] > 0, 1000 * out["other_count"] / out["other_words"], np.nan)
        ratio = out["rate_per_1000_words"] / out["other_rate_per_1000_words"]
    out["over_representation"] = ratio
    tests = [exact_rate_ratio(*row) for row in
             out[["count", "other_count", "words", "other_words"]].itertuples(index=False)]
    out[["ci_low", "ci_high", "p_value"]] = pd.DataFrame(tests, index=out.index, dtype=float)
    out["p_adjusted"] = benjamini_hochberg(out["p_value"]).to_numpy()
    return out


def role_ordered_matrix(case, coder: str | None = None, period=None) -> pd.DataFrame:
    """Role-ordered matrix: stakeholder category × code, per period (module docstring).

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted (the coder with most segments by
        default).
    period : str or list of str, optional
        Period id(s) to keep; all periods by default. The Benjamini–Hochberg
        family is the rows returned.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per period × category × code (zeros included;
        periods and categories in study order, codes sorted), columns
        ``ROLE_COLUMNS``:

        - ``category_label``: the category's French label;
        - ``count``: actors' segments of the code by persons of the category;
        - ``words``, ``interviews``: the category's exposure (interviews whose
          respondent is of the category) and their number;
        - ``speakers``: distinct persons of the category heard in the
          period's interviews (respondents and speakers) — persons, to mask;
        - ``rate_per_1000_words`` (NaN when ``words`` is 0);
        - ``other_count, other_words, other_rate_per_1000_words``: all the
          other categories together;
        - ``over_representation, ci_low, ci_high, p_value, p_adjusted``.

    Raises
    ------
    ValueError
        For an unknown period or coder.
    """
    periods = period_ids(case, period)
    cats = case.study.categories
    categories = [str(c) for c in cats["id"]]
    actors = actor_segments(case, coder)
    codes = sorted(coder_segments(case, coder)["code"].dropna().astype(str).unique())
    interviews = _interviews_by_category(case)
    grid = pd.MultiIndex.from_product([periods, categories, codes], names=["period", "category", "code"])
    if len(grid) == 0:  # no code applied yet (or no category): typed, with no row
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in ROLE_COLUMNS})
        for c in ("period", "category", "category_label", "code"):
            empty[c] = empty[c].astype(object)
        for c in ("count", "interviews", "speakers"):
            empty[c] = empty[c].astype("int64")
        return empty
    out = pd.DataFrame(index=grid)
    out["count"] = actors.groupby(["period", "category", "code"]).size().reindex(grid, fill_value=0)
    pc = pd.MultiIndex.from_arrays([grid.get_level_values("period"), grid.get_level_values("category")])
    exposure = interviews.groupby(["period", "category"]).agg(words=("words", "sum"), interviews=("id", "size"))
    out["words"] = exposure["words"].reindex(pc).fillna(0.0).to_numpy(dtype=float)
    out["interviews"] = exposure["interviews"].reindex(pc).fillna(0).to_numpy(dtype=int)
    out["speakers"] = _speakers(actors, interviews).reindex(pc).fillna(0).to_numpy(dtype=int)
    out = out.reset_index()
    out["count"] = out["count"].astype(int)
    out.insert(2, "category_label", out["category"].map(dict(zip(categories, cats["label"]))))
    return _add_comparison(out)[ROLE_COLUMNS]


def rate_table(matrix: pd.DataFrame, period: str, value: str = "rate_per_1000_words") -> pd.DataFrame:
    """Wide category × code table of one period, from a long role-ordered matrix.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`role_ordered_matrix`.
    period : str
        The period id.
    value : str
        Column to spread (the rate by default; ``count``,
        ``over_representation``… also work).

    Returns
    -------
    pandas.DataFrame
        Category labels as rows (study order), codes as columns (sorted).

    Raises
    ------
    ValueError
        When the matrix does not hold the period.
    """
    part = matrix[matrix["period"] == period]
    if matrix.empty:  # nothing coded: an empty table, not an error
        return pd.DataFrame(index=pd.Index([], name="category_label"), columns=pd.Index([], name="code"),
                            dtype=float)
    if part.empty:
        raise ValueError(f"période absente de la matrice : « {period} ».")
    return _ordered_pivot(part, "category_label", "code", value)


def _ordered_pivot(frame: pd.DataFrame, index: str, columns: str, values: str) -> pd.DataFrame:
    """``frame.pivot`` with rows and columns in their order of first appearance in ``frame``."""
    wide = frame.pivot(index=index, columns=columns, values=values)
    return wide.reindex(index=list(dict.fromkeys(frame[index])), columns=list(dict.fromkeys(frame[columns])))


def speaker_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Persons heard, category × period, ready for :func:`~rd_territoriale.privacy.masking.mask_for_audience`.

    Returns
    -------
    pandas.DataFrame
        Integer counts, category labels as rows, period ids as columns.
    """
    first = matrix.drop_duplicates(["period", "category"])
    return _ordered_pivot(first, "category_label", "period", "speakers").fillna(0).astype(int)


def role_summary(matrix: pd.DataFrame, period: str, top: int = 3, min_count: int = 5) -> pd.DataFrame:
    """For each category of a period, the codes it uses most relative to the others.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`role_ordered_matrix`.
    period : str
        The period id.
    top : int
        Codes kept per category.
    min_count : int
        Fewest segments of the code in the category for it to be ranked (a
        ratio on two or three segments says nothing).

    Returns
    -------
    pandas.DataFrame
        ``category, category_label, rank, code, count, rate_per_1000_words,
        over_representation, ci_low, ci_high, p_adjusted``: categories in
        study order, codes by decreasing over-representation (ties by code);
        a category with no code reaching ``min_count`` has no row.
    """
    part = matrix[(matrix["period"] == period) & (matrix["count"] >= min_count)
                  & matrix["over_representation"].notna()]
    order = {c: i for i, c in enumerate(dict.fromkeys(matrix["category"]))}
    part = part.assign(_cat=part["category"].map(order)).sort_values(
        ["_cat", "over_representation", "code"], ascending=[True, False, True], kind="mergesort")
    part = part.groupby("category", sort=False).head(top)
    part = part.assign(rank=part.groupby("category", sort=False).cumcount() + 1)
    columns = ["category", "category_label", "rank", "code", "count", "rate_per_1000_words",
               "over_representation", "ci_low", "ci_high", "p_adjusted"]
    return part[columns].reset_index(drop=True)
