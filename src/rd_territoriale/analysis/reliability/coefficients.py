"""Coefficients on plain matrices: Krippendorff's alpha, Cohen's and Fleiss' kappas, percent agreement.

Part of :mod:`rd_territoriale.analysis.reliability` (thresholds and references in its docstring).
"""

from __future__ import annotations

import warnings
from collections import namedtuple

import krippendorff as _krippendorff
import numpy as np
import pandas as pd
from statsmodels.stats import inter_rater

LEVELS = ("nominal", "ordinal", "interval", "ratio")
STATUSES = ("fiable", "conclusions provisoires", "non fiable", "non calculable")
RELIABLE_STATUS, TENTATIVE_STATUS, UNRELIABLE_STATUS, NOT_COMPUTABLE = STATUSES
#: Krippendorff's thresholds (2004, 2019): reliable from 0.800, tentative conclusions from 0.667.
#: The one home of these numbers (the limits, the figures and the tables read them here).
RELIABLE = 0.800
TENTATIVE = 0.667


def reliability_status(value: float) -> str:
    """French status of an agreement coefficient (thresholds 0.667 and 0.800).

    Examples
    --------
    >>> reliability_status(0.72)
    'conclusions provisoires'
    """
    if value >= RELIABLE:
        return RELIABLE_STATUS
    if value >= TENTATIVE:
        return TENTATIVE_STATUS
    return UNRELIABLE_STATUS


#: Cohen's kappa of two coders: the coefficient, its 95 % interval, pairs compared, raw agreement.
KappaResult = namedtuple("KappaResult", ["kappa", "ci_low", "ci_high", "n", "percent_agreement"])


def _numeric(data, level: str) -> np.ndarray:
    """A float matrix from numbers or (nominal only) labels, missing values as NaN."""
    if isinstance(data, np.ndarray) and data.dtype.kind == "f":
        return np.array(data, dtype=float)
    frame = pd.DataFrame(data)
    missing = frame.isna().to_numpy()
    try:
        values = np.array(frame.astype(float).to_numpy(), dtype=float)
    except (TypeError, ValueError):
        if level != "nominal":
            raise ValueError(
                f"le niveau « {level} » demande des valeurs numériques ; des libellés ne "
                "conviennent qu'au niveau « nominal »."
            ) from None
        flat = frame.to_numpy(dtype=object).ravel()
        codes, _ = pd.factorize(pd.Series(flat, dtype=object), use_na_sentinel=True)
        values = codes.reshape(frame.shape).astype(float)
    values[missing] = np.nan
    return values


def krippendorff_alpha(data, level: str = "nominal") -> float:
    """Krippendorff's alpha of a coders × units matrix (``krippendorff`` package).

    Parameters
    ----------
    data : array-like or pandas.DataFrame
        One row per coder, one column per unit; NaN (or None) where a coder
        gave no value. Numbers, or any labels for the nominal level.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement (Krippendorff 2011).

    Returns
    -------
    float
        Alpha; NaN when it is not defined (fewer than two distinct values, or
        no unit with two values).

    Raises
    ------
    ValueError
        In French, for an unknown level or labels at a non-nominal level.

    Examples
    --------
    >>> round(krippendorff_alpha([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    ...                           [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]), 3)
    0.095
    """
    if level not in LEVELS:
        raise ValueError(f"niveau de mesure inconnu : « {level} » ; attendu : {', '.join(LEVELS)}.")
    values = _numeric(data, level)
    if values.ndim != 2:
        raise ValueError("attendu un tableau codeurs × unités (deux dimensions).")
    pairable = (~np.isnan(values)).sum(axis=0) >= 2
    values = values[:, pairable]
    if values.size == 0 or len(np.unique(values[~np.isnan(values)])) < 2:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(_krippendorff.alpha(reliability_data=values, level_of_measurement=level))


def kappa_from_table(table: np.ndarray) -> KappaResult:
    """Cohen's kappa and its 95 % interval from a square contingency table (statsmodels)."""
    n = int(table.sum())
    if n == 0:
        return KappaResult(np.nan, np.nan, np.nan, 0, np.nan)
    observed = float(np.trace(table)) / n
    chance = float((table.sum(axis=0) / n) @ (table.sum(axis=1) / n))
    if len(table) < 2 or chance >= 1 - 1e-12:
        return KappaResult(np.nan, np.nan, np.nan, n, observed)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = inter_rater.cohens_kappa(table.astype(float))
    low, high = max(float(res.kappa_low), -1.0), min(float(res.kappa_upp), 1.0)
    return KappaResult(float(res.kappa), low, high, n, observed)


def cohen_kappa(a, b) -> KappaResult:
    """Cohen's kappa of two coders' labels, with its 95 % confidence interval.

    The contingency table covers the union of both coders' categories, so a
    category only one coder used still counts. Chance agreement is the sum,
    over categories, of the products of the two coders' shares (Cohen 1960):
    ``pe = Σ_k p_a(k) · p_b(k)`` — never a single product such as
    P(oui) × P(non), a mistake found in QDA software (QualCoder's coder
    comparison was cited for it). The interval is statsmodels' (asymptotic
    standard error, ``statsmodels.stats.inter_rater.cohens_kappa``), clipped
    to [-1, 1].

    Parameters
    ----------
    a, b : sequence
        The two coders' labels for the same units, same length; a pair where
        either label is missing (None, NaN, NA) is left out.

    Returns
    -------
    KappaResult
        ``kappa, ci_low, ci_high, n`` (pairs compared) and
        ``percent_agreement``; kappa and its interval are NaN when chance
        agreement is 1 (a single category) or no pair remains.

    Raises
    ------
    ValueError
        In French, when the two sequences differ in length.

    Examples
    --------
    >>> round(cohen_kappa([0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    ...                   [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]).kappa, 3)
    0.091
    """
    a = pd.Series(list(a), dtype=object)
    b = pd.Series(list(b), dtype=object)
    if len(a) != len(b):
        raise ValueError(f"les deux codeurs n'ont pas le même nombre d'unités : {len(a)} et {len(b)}.")
    keep = (a.notna() & b.notna()).to_numpy(dtype=bool)
    codes, cats = pd.factorize(pd.concat([a[keep], b[keep]], ignore_index=True))
    k, n = len(cats), int(keep.sum())
    table = np.bincount(codes[:n] * k + codes[n:], minlength=k * k).reshape(k, k) if k else np.zeros((0, 0))
    return kappa_from_table(table)


def fleiss_kappa(ratings, counts: bool = False) -> float:
    """Fleiss' kappa of several raters (statsmodels).

    Parameters
    ----------
    ratings : array-like or pandas.DataFrame
        By default, units × raters: the category each rater gave each unit
        (any labels). A unit with a missing rating is left out: Fleiss'
        kappa needs the same number of raters on every unit. With
        ``counts=True``, units × categories: how many raters chose each
        category (rows must sum to the same number).
    counts : bool
        ``ratings`` is already a units × categories count table.

    Returns
    -------
    float
        Fleiss' kappa (Fleiss 1971); NaN when fewer than two units remain or
        a single category is used.

    Raises
    ------
    ValueError
        In French, when the rows of a count table do not sum to the same
        number of raters.
    """
    if counts:
        table = np.asarray(pd.DataFrame(ratings).to_numpy(), dtype=float)
        if len(table) and not np.allclose(table.sum(axis=1), table.sum(axis=1)[0]):
            raise ValueError(
                "tableau d'effectifs illisible : chaque unité doit compter le même nombre "
                "d'évaluateurs (kappa de Fleiss)."
            )
    else:
        frame = pd.DataFrame(ratings)
        frame = frame.loc[frame.notna().all(axis=1).to_numpy()]
        if frame.empty:
            return float("nan")
        codes, _ = pd.factorize(pd.Series(frame.to_numpy(dtype=object).ravel(), dtype=object))
        table, _ = inter_rater.aggregate_raters(codes.reshape(frame.shape))
        table = table.astype(float)
    if len(table) < 2 or (table.sum(axis=0) > 0).sum() < 2 or table.sum(axis=1)[0] < 2:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(inter_rater.fleiss_kappa(table, method="fleiss"))


def percent_agreement(data, other=None) -> float:
    """Share of units on which all coders give the same value.

    Parameters
    ----------
    data : array-like or pandas.DataFrame
        A coders × units matrix (NaN or None where a coder gave no value), or,
        with ``other``, the first coder's labels.
    other : sequence, optional
        The second coder's labels (same length as ``data``).

    Returns
    -------
    float
        Agreement over the units with at least two values; NaN when none.

    Examples
    --------
    >>> percent_agreement([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    0.6
    """
    if other is not None:
        data = [list(data), list(other)]
    values = _numeric(data, "nominal")
    ok = ~np.isnan(values)
    pairable = ok.sum(axis=0) >= 2
    if not pairable.any():
        return float("nan")
    values = values[:, pairable]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        same = np.nanmax(values, axis=0) == np.nanmin(values, axis=0)
    return float(same.mean())


def agreement_status(alpha: float) -> str:
    """French status of a Krippendorff's alpha (thresholds 0.667 and 0.800).

    Examples
    --------
    >>> agreement_status(0.72)
    'conclusions provisoires'
    """
    if alpha is None or not np.isfinite(alpha):
        return NOT_COMPUTABLE
    return reliability_status(alpha)  # one wording of the thresholds, shared with the limits and the figures
