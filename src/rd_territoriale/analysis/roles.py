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
- **Uncertainty: the person is the unit.** Passages of one talkative person
  are not independent evidence: a category « speaks more » of a code only
  if its *persons* do. So the test is a permutation test that shuffles the
  categories among the persons heard in the period (speakers and
  respondents who are not researchers, :data:`PERMUTATIONS` shuffles, fixed
  seed), each person keeping their segments and their interviews' words;
  ``p_value`` is the share of shuffles whose log rate ratio (0.5 added to
  each count) is at least as far from 0 as the observed one. ``ci_low,
  ci_high`` are an *indicative* 95 % percentile interval of the
  over-representation when the persons of the category and those of the
  others are resampled (cluster bootstrap, :data:`BOOTSTRAPS` draws); with
  a handful of persons it is too narrow (about one null interval in six
  excludes 1), so no claim rests on it and the reports do not print it.
  ``p_adjusted`` applies the
  Benjamini–Hochberg correction across every row tested. A category heard
  through fewer than :data:`MIN_PERSONS` persons in the period (or whose
  others are fewer) is not tested: ``reason`` says so and the estimates
  stay NaN. Under the null of categories shuffled among persons, this keeps
  its error rate (``benchmarks/calibration.py``); the former test, which
  pooled passages as if independent, claimed a difference in 85 % of such
  null studies (100 studies). Limit: in a group interview the words go to
  the respondent alone, and the other speakers are shuffled as persons of
  their own.

``speakers`` counts persons: a report for partners must mask it
(:func:`speaker_table` then
:func:`~rd_territoriale.privacy.masking.mask_for_audience`).

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import beta, binomtest  # exact_rate_ratio: pooled screening of a few counts

from rd_territoriale.analysis.material import period_ids
from rd_territoriale.analysis.matrices import coder_segments, interview_documents
from rd_territoriale.analysis.memo import per_study
from rd_territoriale.analysis.models import benjamini_hochberg

ALPHA = 0.05
MIN_PERSONS = 3
MIN_TOTAL = 10
PERMUTATIONS = 9999
BOOTSTRAPS = 1999
SEED = 2018

ROLE_COLUMNS = [
    "period",
    "category",
    "category_label",
    "code",
    "count",
    "words",
    "interviews",
    "speakers",
    "rate_per_1000_words",
    "other_count",
    "other_words",
    "other_rate_per_1000_words",
    "over_representation",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "reason",
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
    out = seg.assign(
        period=seg["source"].astype(str).map(docs["period"]), category=_categories_of(case, seg["speaker"])
    )
    return out.dropna(subset=["category", "code"])


def _interviews_by_category(case) -> pd.DataFrame:
    """Interviews with their respondent's category (NA when unknown or a researcher)."""
    docs = interview_documents(case)
    respondent = docs["id"].map(case.documents.set_index("id")["respondent"])
    return docs.assign(respondent=respondent.to_numpy(), category=_categories_of(case, respondent).to_numpy())


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


def _rates(out: pd.DataFrame) -> pd.DataFrame:
    """Rates of the category and of all the other categories, and the over-representation."""
    totals = out.groupby(["period", "code"])[["count", "words"]].transform("sum")
    out["other_count"] = (totals["count"] - out["count"]).astype(int)
    out["other_words"] = totals["words"] - out["words"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate_per_1000_words"] = np.where(out["words"] > 0, 1000 * out["count"] / out["words"], np.nan)
        out["other_rate_per_1000_words"] = np.where(
            out["other_words"] > 0, 1000 * out["other_count"] / out["other_words"], np.nan
        )
        ratio = out["rate_per_1000_words"] / out["other_rate_per_1000_words"]
    out["over_representation"] = ratio
    return out


def _log_ratio(count, words, other, other_words):
    """Log rate ratio with 0.5 added to each count (finite when a side has no segment)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log((count + 0.5) / words) - np.log((other + 0.5) / other_words)


def _person_tests(persons: pd.DataFrame, counts: np.ndarray, rng) -> tuple[np.ndarray, ...]:
    """Permutation p-values and cluster-bootstrap intervals, category × code, for one period.

    Parameters
    ----------
    persons : pandas.DataFrame
        One row per person heard: ``category`` (index into the categories),
        ``words`` (words of the interviews they answered).
    counts : numpy.ndarray
        Persons × codes: their segments of each code.

    Returns
    -------
    p_value, ci_low, ci_high : numpy.ndarray
        Categories × codes (NaN where not tested).
    """
    cats = persons["category"].to_numpy()
    words = persons["words"].to_numpy(dtype=float)
    n_cat = int(cats.max()) + 1 if len(cats) else 0
    n_codes = counts.shape[1]
    shape = (n_cat, n_codes)
    p_value, ci_low, ci_high = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    total_c, total_w = counts.sum(axis=0), words.sum()
    one_hot = np.eye(n_cat)[cats]  # persons × categories
    obs_c, obs_w = one_hot.T @ counts, one_hot.T @ words  # categories × codes, categories
    observed = _log_ratio(obs_c, obs_w[:, None], total_c - obs_c, (total_w - obs_w)[:, None])
    perms = np.array([rng.permutation(cats) for _ in range(PERMUTATIONS)])  # B × persons
    hot = np.eye(n_cat)[perms].transpose(0, 2, 1)  # B × categories × persons
    # Sums by category of whole counts and word totals: exact in floating point, in any order,
    # so a matrix product (BLAS) gives the same numbers as einsum's loop, several times sooner.
    perm_c = hot @ counts
    perm_w = hot @ words
    null = _log_ratio(perm_c, perm_w[:, :, None], total_c - perm_c, (total_w - perm_w)[:, :, None])
    with np.errstate(invalid="ignore"):
        extreme = (np.abs(null) >= np.abs(observed)[None] - 1e-12).sum(axis=0)
    for k in range(n_cat):
        inside, outside = np.flatnonzero(cats == k), np.flatnonzero(cats != k)
        if len(inside) < MIN_PERSONS or len(outside) < MIN_PERSONS or obs_w[k] <= 0 or total_w - obs_w[k] <= 0:
            continue
        p_value[k] = (1 + extreme[k]) / (PERMUTATIONS + 1)
        a = rng.integers(0, len(inside), size=(BOOTSTRAPS, len(inside)))
        b = rng.integers(0, len(outside), size=(BOOTSTRAPS, len(outside)))
        ca, wa = counts[inside][a].sum(axis=1), words[inside][a].sum(axis=1)
        cb, wb = counts[outside][b].sum(axis=1), words[outside][b].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (ca / wa[:, None]) / (cb / wb[:, None])
        with np.errstate(invalid="ignore"):  # no interpolation: an infinite ratio stays infinite
            ci_low[k] = np.nanpercentile(ratio, 2.5, axis=0, method="lower")
            ci_high[k] = np.nanpercentile(ratio, 97.5, axis=0, method="higher")
    return p_value, ci_low, ci_high


def _add_tests(
    out: pd.DataFrame, actors: pd.DataFrame, interviews: pd.DataFrame, categories: list[str], codes: list[str]
) -> pd.DataFrame:
    """The person-level tests of every period (module docstring), Benjamini–Hochberg across all."""
    index = {c: i for i, c in enumerate(categories)}
    code_index = {c: j for j, c in enumerate(codes)}
    out["reason"] = ""
    keyed = out.set_index(["period", "category", "code"]).index
    # Filled position by position, written once: a pandas write per cell cost more than the tests.
    tested = {name: np.full(len(out), np.nan) for name in ("p_value", "ci_low", "ci_high")}
    for n, period in enumerate(dict.fromkeys(out["period"])):
        spoke = actors[actors["period"] == period]
        answered = interviews[(interviews["period"] == period) & interviews["category"].notna()]
        heard = pd.concat(
            [
                spoke[["speaker", "category"]].rename(columns={"speaker": "person"}),
                answered[["respondent", "category"]].rename(columns={"respondent": "person"}),
            ]
        )
        heard = heard.dropna().drop_duplicates("person")
        heard = heard[heard["category"].isin(index)]
        persons = heard.assign(
            category=heard["category"].map(index).astype(int),
            words=heard["person"].map(answered.groupby("respondent")["words"].sum()).fillna(0.0).to_numpy(),
        )
        position = {p: i for i, p in enumerate(persons["person"])}
        counts = np.zeros((len(persons), len(codes)))
        if len(persons) and len(spoke):
            rows = spoke["speaker"].map(position)
            cols = spoke["code"].astype(str).map(code_index)
            ok = rows.notna() & cols.notna()
            np.add.at(counts, (rows[ok].astype(int).to_numpy(), cols[ok].astype(int).to_numpy()), 1)
        in_period = (out["period"] == period).to_numpy()
        sizes = persons["category"].value_counts()
        for category in categories:
            mine = in_period & (out["category"] == category).to_numpy()
            k = int(sizes.get(index[category], 0))
            if k < MIN_PERSONS or len(persons) - k < MIN_PERSONS:
                out.loc[mine & (out["words"] > 0).to_numpy(), "reason"] = (
                    f"non testé : moins de {MIN_PERSONS} personnes entendues dans la période"
                    if k < MIN_PERSONS
                    else f"non testé : moins de {MIN_PERSONS} personnes entendues dans les autres catégories"
                )
        if not len(persons):
            continue
        rng = np.random.default_rng([SEED, n])
        p, low, high = _person_tests(persons[["category", "words"]], counts, rng)
        for category in categories:
            i = index[category]
            if i >= p.shape[0]:
                continue
            columns = np.flatnonzero(~np.isnan(p[i]))
            if not len(columns):
                continue
            where = keyed.get_indexer([(period, category, codes[j]) for j in columns])
            if (where < 0).any():
                raise KeyError((period, category))
            for name, values in (("p_value", p), ("ci_low", low), ("ci_high", high)):
                tested[name][where] = values[i, columns]
    for name, values in tested.items():
        out[name] = values
    undefined = out["over_representation"].isna() & out["p_value"].notna()
    out.loc[undefined, ["p_value", "ci_low", "ci_high"]] = np.nan  # nobody uses the code: nothing to test
    # Independent filtering (Bourgon et al. 2010): a code met fewer than MIN_TOTAL times in the
    # period cannot show a difference between persons; its total does not change when categories
    # are shuffled, so leaving it out of the family keeps the error rate and spares power.
    rare = (out["count"] + out["other_count"]) < MIN_TOTAL
    out.loc[rare & out["p_value"].notna(), "reason"] = (
        f"non testé : code rencontré moins de {MIN_TOTAL} fois dans la période"
    )
    out.loc[rare, ["p_value", "ci_low", "ci_high"]] = np.nan
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
        Period id(s) to keep; all periods by default. The tests are always
        those of the whole study (every period, one Benjamini–Hochberg
        family, one seed per period), so that a period's report and the
        synthesis state the same findings.

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
        - ``over_representation, ci_low, ci_high, p_value, p_adjusted``
          (person-level permutation test and cluster bootstrap, module
          docstring);
        - ``reason``: why a row with words is not tested (too few persons),
          empty otherwise.

    Raises
    ------
    ValueError
        For an unknown period or coder.
    """
    wanted = period_ids(case, period)
    whole = _whole_study(case, coder)
    return whole[whole["period"].isin(wanted)].reset_index(drop=True)


@per_study
def _whole_study(case, coder: str | None) -> pd.DataFrame:
    """:func:`role_ordered_matrix` over every period: computed once per study, data and code."""
    periods = period_ids(case)  # every period: one family and one seed per period, whatever is asked
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
        empty["reason"] = empty["reason"].astype(object)
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
    out = _rates(out)
    return _add_tests(out, actors, interviews, categories, codes)[ROLE_COLUMNS].reset_index(drop=True)


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
        return pd.DataFrame(index=pd.Index([], name="category_label"), columns=pd.Index([], name="code"), dtype=float)
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
    part = matrix[(matrix["period"] == period) & (matrix["count"] >= min_count) & matrix["over_representation"].notna()]
    order = {c: i for i, c in enumerate(dict.fromkeys(matrix["category"]))}
    part = part.assign(_cat=part["category"].map(order)).sort_values(
        ["_cat", "over_representation", "code"], ascending=[True, False, True], kind="mergesort"
    )
    part = part.groupby("category", sort=False).head(top)
    part = part.assign(rank=part.groupby("category", sort=False).cumcount() + 1)
    columns = [
        "category",
        "category_label",
        "rank",
        "code",
        "count",
        "rate_per_1000_words",
        "over_representation",
        "ci_low",
        "ci_high",
        "p_adjusted",
    ]
    return part[columns].reset_index(drop=True)
