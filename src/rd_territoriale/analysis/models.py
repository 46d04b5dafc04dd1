"""Change across periods, modelled rather than eyeballed (statsmodels).

:func:`period_effects` fits, code by code, a count model of the number of
segments per interview with the interview's words as exposure (log offset)
and the period as a categorical predictor: incidence rate ratios (IRR) with
95 % confidence intervals against a reference period, Benjamini–Hochberg
correction across every code × period; :func:`successive_effects` compares
each period with the one before it. :func:`contingency_residuals` gives
the adjusted standardized residuals of a code × period count table.

Choice of the model, checked against null studies. The unit of observation
is the interview: one row per interview, its count of the code, ``log(words)``
as offset. Interviews differ more than a Poisson law allows (a talkative
person, a meeting about one theme), so the standard errors are those of a
**quasi-Poisson** model: the Poisson estimates, with the variance scaled by
the Pearson dispersion ``chi2 / residual df`` whenever it exceeds 1 (never
shrunk below Poisson), and Student's *t* with the residual degrees of
freedom for intervals and p-values. With fewer than :data:`MIN_DF` residual
degrees of freedom (one or two interviews per period), the variation between
interviews cannot be estimated: the code is not tested, and the report says
why. Whatever the size of the overdispersion,
this keeps the promised error rate: with the dates of the example's sources
shuffled (``benchmarks/calibration.py``, 200 null studies), 2.5 % of null
studies show a change after correction, where the former rule (Poisson up
to a dispersion of 1.5, negative binomial above) showed one in 10.5 %.

DataFrames in, DataFrame out; no plotting, no file I/O.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from rd_territoriale.analysis.matrices import coder_segments, interview_documents
from rd_territoriale.analysis.memo import per_study

MIN_TOTAL = 10
MIN_DF = 3
ALPHA = 0.05
POISSON = "Poisson"
QUASI_POISSON = "quasi-Poisson"

EFFECT_COLUMNS = [
    "code",
    "period",
    "reference",
    "count",
    "words",
    "reference_count",
    "reference_words",
    "irr",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "model",
    "dispersion",
    "testable",
    "reason",
    "significant",
]
_EFFECT_TYPES = {
    "code": object,
    "period": object,
    "reference": object,
    "count": "int64",
    "words": "float64",
    "reference_count": "int64",
    "reference_words": "float64",
    "irr": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "p_value": "float64",
    "p_adjusted": "float64",
    "model": object,
    "dispersion": "float64",
    "testable": bool,
    "reason": object,
    "significant": bool,
}


def empty_effects() -> pd.DataFrame:
    """The result of :func:`successive_effects` when nothing can be compared: no row, typed columns."""
    return pd.DataFrame({c: pd.Series(dtype=_EFFECT_TYPES[c]) for c in EFFECT_COLUMNS})


def interview_counts(case, coder: str | None = None) -> pd.DataFrame:
    """Counts per interview × code (zeros included), the data of :func:`period_effects`.

    Returns
    -------
    pandas.DataFrame
        ``document, period, words, code, count``.
    """
    docs = interview_documents(case)
    seg = coder_segments(case, coder)
    seg = seg.loc[seg["source"].astype(str).isin(set(docs["id"])).to_numpy()]
    codes = sorted(seg["code"].dropna().astype(str).unique())
    counts = seg.groupby([seg["source"].astype(str), seg["code"].astype(str)]).size()
    grid = pd.MultiIndex.from_product([docs["id"], codes], names=["document", "code"])
    out = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    meta = docs.set_index("id")
    out["period"] = out["document"].map(meta["period"])
    out["words"] = out["document"].map(meta["words"]).astype(float)
    return out[["document", "period", "words", "code", "count"]]


def _design(periods: pd.Series, levels: list[str]) -> pd.DataFrame:
    """Intercept plus one dummy per non-reference level (levels[0] is the reference)."""
    values = periods.to_numpy()
    columns = {"const": np.ones(len(values))}
    for lev in levels[1:]:
        columns[lev] = (values == lev).astype(float)
    return pd.DataFrame(columns, index=periods.index)  # built at once: a column added at a time cost more


def fit_period_model(data: pd.DataFrame, levels: list[str]) -> dict:
    """Fit the count model of one code.

    Parameters
    ----------
    data : pandas.DataFrame
        ``count, words, period`` per interview (words > 0).
    levels : list of str
        Periods in the model, the reference first.

    Returns
    -------
    dict
        ``results`` (statsmodels GLM results, *t*-based), ``model``
        (« Poisson » when the dispersion is at most 1, « quasi-Poisson »
        otherwise), ``dispersion`` (Pearson chi2 / df of the Poisson fit).

    Raises
    ------
    ValueError
        With fewer than :data:`MIN_DF` residual degrees of freedom (French
        message, used as the row's ``reason``).
    """
    y = data["count"].astype(float)
    X = _design(data["period"].astype(str), levels)
    if len(y) - X.shape[1] < MIN_DF:
        raise ValueError(
            f"trop peu d'entretiens ({len(y)}) pour estimer l'écart entre entretiens "
            f"(au moins {MIN_DF} de plus que de périodes comparées)"
        )
    offset = np.log(data["words"].astype(float).to_numpy())
    model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    poisson = model.fit()
    dispersion = poisson.pearson_chi2 / poisson.df_resid
    scale = float(dispersion) if np.isfinite(dispersion) and dispersion > 1 else 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = model.fit(scale=scale, use_t=True)  # Student's t with the residual df, always
    return {"results": results, "model": QUASI_POISSON if scale > 1 else POISSON, "dispersion": float(dispersion)}


def period_effects(case, coder: str | None = None, reference: str | None = None) -> pd.DataFrame:
    """Incidence rate ratios of every code, each period against a reference.

    For each code: one row per interview with the code's count, ``log(words)``
    as offset and the period as a categorical predictor; quasi-Poisson GLM
    with *t* inference (see the module docstring).

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted; by default the coder with the most
        segments.
    reference : str, optional
        Reference period id; the first period of the study by default.

    Returns
    -------
    pandas.DataFrame
        One row per code × non-reference period: ``count``/``words`` of the
        period and of the reference, ``irr`` (exp of the coefficient),
        ``ci_low``/``ci_high`` (95 %), ``p_value``, ``p_adjusted``
        (Benjamini–Hochberg across all testable codes × periods), ``model``
        (« Poisson » or « quasi-Poisson »), ``dispersion`` (Pearson
        chi2/df of the Poisson fit), ``testable`` with a French ``reason``
        when it is not (then the estimates are NaN), ``significant``
        (``p_adjusted < 0.05``).

    Raises
    ------
    ValueError
        For an unknown reference period.
    """
    return _period_effects(case, interview_counts(case, coder), reference)


def _period_effects(case, counts: pd.DataFrame, reference: str | None) -> pd.DataFrame:
    """:func:`period_effects` on counts already computed (:func:`interview_counts`)."""
    periods = [str(p) for p in case.periods["id"]]
    if reference is None:
        reference = periods[0] if periods else None
    if reference not in periods:
        raise ValueError(f"période de référence inconnue : « {reference} » ; attendu : {', '.join(periods)}.")
    others = [p for p in periods if p != reference]
    data = counts[counts["words"] > 0]
    exposure = data.drop_duplicates("document").groupby("period")["words"].sum()
    exposure = exposure.reindex(periods, fill_value=0.0)

    rows = []
    for code, d in data.groupby("code", sort=True):
        by_period = d.groupby("period")["count"].sum().reindex(periods, fill_value=0)
        total = int(by_period.sum())
        base = {
            "code": code,
            "reference": reference,
            "reference_count": int(by_period[reference]),
            "reference_words": float(exposure[reference]),
        }
        code_reason = None
        if total < MIN_TOTAL:
            code_reason = f"effectif trop faible : {total} segment(s) au total (minimum {MIN_TOTAL})"
        elif exposure[reference] <= 0:
            code_reason = f"aucun entretien dans la période de référence {reference}"
        elif by_period[reference] == 0:
            code_reason = f"aucun segment dans la période de référence {reference} : rapport non estimable"
        reasons = {}
        for p in others:
            if code_reason:
                reasons[p] = code_reason
            elif exposure[p] <= 0:
                reasons[p] = f"aucun entretien en {p} (exposition nulle)"
            elif by_period[p] == 0:
                reasons[p] = f"aucun segment en {p} : rapport non estimable"
        fitted = [p for p in others if p not in reasons]
        fit = None
        if fitted:
            levels = [reference] + fitted
            sub = d[d["period"].isin(levels)]
            try:
                fit = fit_period_model(sub, levels)
            except ValueError as exc:  # too few interviews: said, not tested
                for p in fitted:
                    reasons[p] = str(exc)
                fit = None
            except Exception as exc:  # noqa: BLE001
                for p in fitted:
                    reasons[p] = f"échec de l'ajustement du modèle : {exc}"
                fit = None
        estimates = _estimates(fit["results"]) if fit is not None else None
        for p in others:
            row = dict(
                base,
                period=p,
                count=int(by_period[p]),
                words=float(exposure[p]),
                irr=np.nan,
                ci_low=np.nan,
                ci_high=np.nan,
                p_value=np.nan,
                model="",
                dispersion=np.nan,
                testable=False,
                reason=reasons.get(p, ""),
            )
            if fit is not None and p not in reasons:
                params, ci, p_values = estimates
                row.update(
                    irr=float(np.exp(params[p])),
                    ci_low=float(np.exp(ci[p][0])),
                    ci_high=float(np.exp(ci[p][1])),
                    p_value=float(p_values[p]),
                    model=fit["model"],
                    dispersion=fit["dispersion"],
                    testable=True,
                )
            rows.append(row)

    out = pd.DataFrame(rows, columns=[c for c in EFFECT_COLUMNS if c not in ("p_adjusted", "significant")])
    out["p_adjusted"] = benjamini_hochberg(out["p_value"]) if len(out) else pd.Series(dtype=float)
    out["significant"] = (out["p_adjusted"] < ALPHA).fillna(False).astype(bool)
    out["testable"] = out["testable"].astype(bool)
    return out[EFFECT_COLUMNS].reset_index(drop=True)


def _estimates(results) -> tuple[dict, dict, dict]:
    """A fit's coefficients, 95 % intervals and p-values by term, read once (statsmodels wraps each read)."""
    names = list(results.model.exog_names)
    intervals = np.asarray(results.conf_int(alpha=0.05))
    return (
        dict(zip(names, np.asarray(results.params))),
        dict(zip(names, intervals)),
        dict(zip(names, np.asarray(results.pvalues))),
    )


@per_study
def successive_effects(case, coder: str | None = None) -> pd.DataFrame:
    """Rate ratios of every code from each period to the next.

    Each period (from the second) is compared with the one before it, by the
    count model of :func:`period_effects` fitted with the previous period as
    reference; the Benjamini–Hochberg correction is then applied once across
    every code × transition, so that reading the transitions together does
    not multiply false alarms.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted; by default the coder with the most
        segments.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`period_effects` (``reference`` is the previous
        period), one row per code × period from the second, in period then
        code order; ``p_adjusted`` and ``significant`` are corrected across
        all the rows.
    """
    periods = [str(p) for p in case.periods["id"]]
    counts = interview_counts(case, coder)  # once, for every transition
    parts = [
        effects[effects["period"] == current]
        for previous, current in zip(periods, periods[1:])
        for effects in [_period_effects(case, counts, previous)]
    ]
    if not parts:
        return empty_effects()
    out = pd.concat(parts, ignore_index=True)
    out["p_adjusted"] = benjamini_hochberg(out["p_value"])
    out["significant"] = (out["p_adjusted"] < ALPHA).fillna(False).astype(bool)
    return out[EFFECT_COLUMNS]


def benjamini_hochberg(p_values) -> pd.Series:
    """Benjamini–Hochberg adjusted p-values; NaN entries stay NaN and are not counted.

    Parameters
    ----------
    p_values : array-like
        Raw p-values (NaN for untestable rows).

    Returns
    -------
    pandas.Series
        Adjusted p-values, same index/order as the input.
    """
    p = pd.Series(p_values, dtype=float)
    out = pd.Series(np.nan, index=p.index, dtype=float)
    ok = p.notna()
    if ok.any():
        out[ok] = multipletests(p[ok].to_numpy(), method="fdr_bh")[1]
    return out


def contingency_residuals(table: pd.DataFrame, min_expected: float = 5.0) -> pd.DataFrame:
    """Adjusted standardized residuals of a code × period count table.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts, codes as rows and periods as columns (e.g.
        :func:`rd_territoriale.analysis.matrices.count_table`). Rows and
        columns that are entirely zero are dropped (no expected count).
    min_expected : float
        Cells whose expected count is below this are flagged not reliable.

    Returns
    -------
    pandas.DataFrame
        Long format: ``row, column, observed, expected, residual`` (adjusted
        standardized residual ``(o - e) / sqrt(e (1 - r/n) (1 - c/n))``),
        ``reliable`` (expected ≥ ``min_expected``) and ``note`` (French).
        The chi2 test of independence is in ``attrs["chi2"]`` (``statistic``,
        ``df``, ``p_value``, ``share_expected_below``) and repeated as columns
        ``chi2``, ``chi2_df``, ``chi2_p_value``. With fewer than two
        non-empty rows or columns (one period, no segment), nothing can be
        tested: no row, the same columns, and ``attrs["chi2"]`` is ``None``.
    """
    t = pd.DataFrame(table).astype(float)
    t = t.loc[t.sum(axis=1) > 0, t.sum(axis=0) > 0]
    row_name = t.index.name or "row"
    col_name = t.columns.name or "column"
    if t.shape[0] < 2 or t.shape[1] < 2:
        empty = pd.DataFrame(
            {
                row_name: pd.Series(dtype=object),
                col_name: pd.Series(dtype=object),
                **{c: pd.Series(dtype=float) for c in ("observed", "expected", "residual")},
                "reliable": pd.Series(dtype=bool),
                "note": pd.Series(dtype=object),
                "chi2": pd.Series(dtype=float),
                "chi2_df": pd.Series(dtype="int64"),
                "chi2_p_value": pd.Series(dtype=float),
            }
        )
        empty.attrs["chi2"] = None
        return empty
    tab = Table(t.to_numpy(), shift_zeros=False)
    expected = pd.DataFrame(np.asarray(tab.fittedvalues), index=t.index, columns=t.columns)
    resid = pd.DataFrame(np.asarray(tab.standardized_resids), index=t.index, columns=t.columns)
    test = tab.test_nominal_association()
    long = pd.DataFrame(
        {
            row_name: np.repeat(t.index.to_numpy(), t.shape[1]),
            col_name: np.tile(t.columns.to_numpy(), t.shape[0]),
            "observed": t.to_numpy().ravel(),
            "expected": expected.to_numpy().ravel(),
            "residual": resid.to_numpy().ravel(),
        }
    )
    long["reliable"] = long["expected"] >= min_expected
    long["note"] = np.where(long["reliable"], "", f"effectif attendu inférieur à {min_expected:g} : résidu peu fiable")
    long["chi2"] = float(test.statistic)
    long["chi2_df"] = int(test.df)
    long["chi2_p_value"] = float(test.pvalue)
    long.attrs["chi2"] = {
        "statistic": float(test.statistic),
        "df": int(test.df),
        "p_value": float(test.pvalue),
        "share_expected_below": float((~long["reliable"]).mean()),
    }
    return long
