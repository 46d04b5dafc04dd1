"""Intercoder agreement: how far two (or more) coders apply the codes alike.

Takes a loaded case (or a frame of coded segments with at least ``source,
coder, code`` and, for passages, ``start, end``; ``period``, ``id`` and
``text`` when present) and returns DataFrames: the units compared
(:func:`coding_units`), the agreement per code and overall
(:func:`agreement`, per period or per pair of coders with ``by``) and the
list of disagreements for a consensus meeting (:func:`disagreements`). The
coefficients are also public, on plain matrices: :func:`krippendorff_alpha`
(the ``krippendorff`` package), :func:`cohen_kappa`, :func:`fleiss_kappa`
(``statsmodels.stats.inter_rater``) and :func:`percent_agreement`.

Never plots, never reads or writes a file (the export of the disagreement
list lives elsewhere), never changes the segments.

Units of analysis (``unit``)
----------------------------
Only sources (interviews, other documents, journal entries) coded by at least
two of the coders compared are used; a coder *coded* a source when they have
at least one segment in it. A coder who did not code a source is *missing*
for its units (not « nothing »).

- ``source``: each such source is a unit. For each code, a coder's value is 1
  when they applied the code somewhere in the source, 0 otherwise.
- ``span`` (default), in the spirit of MAXQDA's segment-level comparison:
  units are *passages*. Two segments of the same source are the same
  passage when they overlap by at least ``min_overlap`` (default 0.5) of the
  **shorter** span
  (``overlap="shorter"``) or of their **union** (``overlap="union"``,
  stricter: a sentence inside a long paragraph does not match it). Positions
  are ``[start, end)``, ``end`` exclusive, as in
  :mod:`rd_territoriale.analysis.cooccurrence`. The rule links segments of
  any coders, a coder's own segments included (the same passage coded with
  two codes is one passage), and is transitive: a passage is a connected
  group of such segments, from the smallest start to the largest end. A
  segment no other segment overlaps enough is a passage of its own, where the
  other coders who coded the source have « nothing ». A segment without
  position (or with ``end <= start``) is always a passage of its own. For
  each code, a coder's value is 1 when one of their segments of the passage
  carries the code, 0 otherwise (1/0 per coder per passage, several codes
  per passage allowed).

The **nominal view** (:func:`nominal_matrix`, ``pooled="nominal"``) asks
instead « which code did each coder give to this unit? »: a coder's value is
the set of codes they applied there, sorted and joined by `` + `` (one
category: ``a + b`` differs from ``a``), or « — » for nothing. It suits
mutually exclusive codes (one code per passage); the per-code binary view
handles several codes per passage without penalising a coder who adds one.

Measures (:func:`agreement`)
----------------------------
Per code (binary values), computed on the units where at least two coders
have a value:

- ``percent_agreement``: share of units where all coders give the same value
  (units where nobody applied the code count as agreements: high for rare
  codes, hence the chance-corrected coefficients);
- ``same_code_share``: « même passage, même code » — of the units where at
  least one coder applied the code, share where all did (agreements over
  agreements and non-agreements, each passage counted once);
- ``primary_confirmed``: of the units where the primary coder (most segments,
  as :func:`rd_territoriale.analysis.matrices.primary_coder`) applied the
  code, share where every other coder did too;
- Cohen's kappa with a 95 % confidence interval (two coders; Cohen 1960),
  Fleiss' kappa (three coders or more, units rated by all; Fleiss 1971),
  Krippendorff's alpha (nominal; any number of coders, missing values
  allowed; Krippendorff 2011).

The overall row (``code`` « ensemble ») pools, with ``pooled="decisions"``
(default), every code × unit decision: the coders × units matrices of all
codes are put side by side and the same measures computed on them. With
``pooled="nominal"`` it uses the nominal view instead.

Thresholds (Krippendorff 2011; :mod:`rd_territoriale.analysis.limits`)
----------------------------------------------------------------------
The status follows Krippendorff's alpha: ≥ 0.800 « fiable », from 0.667 to
0.800 « conclusions provisoires », below 0.667 « non fiable ». « non
calculable », with a French reason, when fewer than ``min_units`` units
(default 10) are compared, when fewer than ``min_coded`` units (default 5)
carry the code, or when all values are the same (alpha is not defined).
Double coding is meant to discuss and learn from disagreements, not only to
reach a number (O'Connor & Joffe 2020): hence :func:`disagreements`.

References
----------
Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational
and Psychological Measurement*, 20(1), 37–46.
Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
*Psychological Bulletin*, 76(5), 378–382.
Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*.
University of Pennsylvania, Annenberg School for Communication.
O'Connor, C., & Joffe, H. (2020). Intercoder reliability in qualitative
research: debates and practical guidelines. *International Journal of
Qualitative Methods*, 19, 1–13.
"""

from __future__ import annotations

import itertools
import numbers
import warnings
from collections import namedtuple
from dataclasses import dataclass
from types import SimpleNamespace

import krippendorff as _krippendorff
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from statsmodels.stats import inter_rater

from .codebook import code_labels
from .limits import ACCEPTABLE, RELIABLE
from .material import period_ids
from .matrices import primary_coder

__all__ = [
    "AGREEMENT_COLUMNS",
    "BY",
    "DISAGREEMENT_COLUMNS",
    "KappaResult",
    "LEVELS",
    "OVERALL",
    "POOLED",
    "STATUSES",
    "UNITS",
    "UNIT_COLUMNS",
    "agreement",
    "agreement_status",
    "code_matrix",
    "coding_units",
    "cohen_kappa",
    "disagreements",
    "fleiss_kappa",
    "krippendorff_alpha",
    "nominal_matrix",
    "percent_agreement",
]

UNITS = ("span", "source")
OVERLAPS = ("shorter", "union")
BY = (None, "period", "pair")
POOLED = ("decisions", "nominal")
LEVELS = ("nominal", "ordinal", "interval", "ratio")
MIN_OVERLAP = 0.5
MIN_UNITS = 10
MIN_CODED = 5
OVERALL = "ensemble"
OVERALL_LABEL = "Ensemble des codes"
NOTHING = "—"
NOT_CODED = "source non codée"
STATUSES = ("fiable", "conclusions provisoires", "non fiable", "non calculable")
RELIABLE_STATUS, TENTATIVE_STATUS, UNRELIABLE_STATUS, NOT_COMPUTABLE = STATUSES

UNIT_COLUMNS = ["unit", "source", "period", "start", "end", "coder", "code", "present"]
AGREEMENT_COLUMNS = [
    "code", "label", "units", "decisions", "n_coders", "units_coded", "units_agreed", "same_code_share",
    "primary_units", "primary_confirmed", "percent_agreement", "cohen_kappa", "kappa_ci_low",
    "kappa_ci_high", "fleiss_kappa", "krippendorff_alpha", "status", "reason",
]
#: Columns of :func:`disagreements` (one column per coder goes between ``label`` and ``text``).
DISAGREEMENT_COLUMNS = ["unit", "source", "period", "start", "end", "code", "label", "text", "segments",
                        "krippendorff_alpha", "status"]

#: Cohen's kappa of two coders: the coefficient, its 95 % interval, pairs compared, raw agreement.
KappaResult = namedtuple("KappaResult", ["kappa", "ci_low", "ci_high", "n", "percent_agreement"])


# --------------------------------------------------------------------------- coefficients

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
            raise ValueError(f"le niveau « {level} » demande des valeurs numériques ; des libellés ne "
                             "conviennent qu'au niveau « nominal ».") from None
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


def _kappa_from_table(table: np.ndarray) -> KappaResult:
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
    return _kappa_from_table(table)


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
            raise ValueError("tableau d'effectifs illisible : chaque unité doit compter le même nombre "
                             "d'évaluateurs (kappa de Fleiss).")
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
    if alpha >= RELIABLE:
        return RELIABLE_STATUS
    if alpha >= ACCEPTABLE:
        return TENTATIVE_STATUS
    return UNRELIABLE_STATUS


# --------------------------------------------------------------------------- units

@dataclass
class _Units:
    """Units compared: one row per unit, and the coders' values per code."""

    unit: str
    table: pd.DataFrame          # unit, source, period, start, end (row i = unit i)
    coders: list[str]
    codes: list[str]
    values: np.ndarray           # (codes, coders, units): 1 applied, 0 not, NaN source not coded
    segments: pd.DataFrame       # segments compared, with "u" (unit) and "c" (coder) positions
    primary: str | None
    periods: list[str]
    n_segments: dict             # segments per coder (all sources), to rank the coders of a pair


def _frame(data) -> pd.DataFrame:
    frame = data if isinstance(data, pd.DataFrame) else data.segments
    missing = [c for c in ("source", "coder", "code") if c not in frame.columns]
    if missing:
        raise ValueError(f"segments illisibles : colonne(s) manquante(s) {', '.join(missing)}.")
    return frame


def _check(unit: str, min_overlap: float, overlap: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unité d'analyse inconnue : « {unit} » ; attendu : {', '.join(UNITS)}.")
    if overlap not in OVERLAPS:
        raise ValueError(f"base du chevauchement inconnue : « {overlap} » ; attendu : {', '.join(OVERLAPS)}.")
    if not isinstance(min_overlap, numbers.Real) or not 0 < min_overlap <= 1:
        raise ValueError(f"chevauchement minimal invalide : {min_overlap!r} ; attendu une part entre 0 "
                         "(exclu) et 1.")


def _span_groups(src: np.ndarray, start: np.ndarray, end: np.ndarray, min_overlap: float,
                 overlap: str) -> np.ndarray:
    """Passage label of each segment: connected groups of segments overlapping enough.

    Sorted by source then start, the segments that overlap segment ``i`` and
    start after it are a contiguous run (``start_j < end_i``), found by
    binary search: the pairs are produced without a loop over segments.
    """
    n = len(src)
    ok = np.isfinite(start) & np.isfinite(end) & (end > start)
    pos = np.flatnonzero(ok)
    labels = np.empty(n, dtype=np.int64)
    n_groups = 0
    if len(pos):
        order = np.lexsort((start[pos], src[pos]))
        pos = pos[order]
        g, s, e = src[pos].astype(np.int64), start[pos].astype(np.int64), end[pos].astype(np.int64)
        big = int(max(e.max(), s.max())) + 1
        first_far = np.searchsorted(g * big + s, g * big + e, side="left")
        n_near = np.maximum(first_far - np.arange(len(pos)) - 1, 0)
        i = np.repeat(np.arange(len(pos)), n_near)
        j = i + 1 + np.arange(len(i)) - np.repeat(np.cumsum(n_near) - n_near, n_near)
        shared = np.minimum(e[i], e[j]) - np.maximum(s[i], s[j])
        length_i, length_j = e[i] - s[i], e[j] - s[j]
        base = np.minimum(length_i, length_j) if overlap == "shorter" else length_i + length_j - shared
        keep = shared >= min_overlap * base - 1e-9
        graph = sparse.coo_matrix((np.ones(int(keep.sum())), (i[keep], j[keep])), shape=(len(pos), len(pos)))
        n_groups, comp = connected_components(graph.tocsr(), directed=False)
        labels[pos] = comp
    alone = np.flatnonzero(~ok)
    labels[alone] = n_groups + np.arange(len(alone))
    return labels


def _build(data, unit: str = "span", min_overlap: float = MIN_OVERLAP, overlap: str = "shorter",
           coders=None, codes=None) -> _Units:
    """The units compared and the coders' values (see the module docstring)."""
    _check(unit, min_overlap, overlap)
    frame = _frame(data)
    keep = frame["source"].notna() & frame["coder"].notna() & frame["code"].notna()
    seg = frame.loc[keep.fillna(False).to_numpy(dtype=bool)]
    known = sorted(seg["coder"].astype(str).unique())
    if coders is not None:
        wanted = [str(c) for c in coders]
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ValueError(f"codeur inconnu : {', '.join(unknown)} n'a codé aucun segment ; "
                             f"codeurs : {', '.join(known)}.")
        seg = seg.loc[seg["coder"].astype(str).isin(wanted).to_numpy()]
        known = sorted(set(wanted))
    primary = primary_coder(SimpleNamespace(segments=seg)) if len(seg) else None
    n_segments = seg["coder"].astype(str).value_counts().to_dict()
    all_codes = sorted(seg["code"].astype(str).unique())
    if codes is not None:
        wanted = [codes] if isinstance(codes, str) else [str(c) for c in codes]
        if unknown := [c for c in wanted if c not in all_codes]:
            raise ValueError(f"code inconnu : {', '.join(unknown)} n'est appliqué dans aucun segment.")
        all_codes = list(dict.fromkeys(wanted))
    if isinstance(data, pd.DataFrame):
        periods = sorted(frame["period"].dropna().astype(str).unique()) if "period" in frame.columns else []
    else:
        periods = period_ids(data)

    source = seg["source"].astype(str).to_numpy()
    coder = seg["coder"].astype(str).to_numpy()
    pairs = pd.DataFrame({"source": source, "coder": coder}).drop_duplicates()
    n_per_source = pairs.groupby("source").size()
    double = set(n_per_source.index[n_per_source >= 2])
    in_double = pd.Series(source).isin(double).to_numpy(dtype=bool)
    seg = seg.loc[in_double]
    source, coder = source[in_double], coder[in_double]
    seg_code = seg["code"].astype(str).to_numpy()
    src_index, src_names = pd.factorize(source, sort=True)
    c_index = np.searchsorted(np.asarray(known, dtype=object), coder) if len(coder) else np.zeros(0, int)

    if unit == "source":
        labels = src_index.astype(np.int64)
    else:
        start = pd.to_numeric(seg["start"], errors="coerce").astype(float).to_numpy() \
            if "start" in seg.columns else np.full(len(seg), np.nan)
        end = pd.to_numeric(seg["end"], errors="coerce").astype(float).to_numpy() \
            if "end" in seg.columns else np.full(len(seg), np.nan)
        labels = _span_groups(src_index, start, end, min_overlap, overlap)

    period_of = {}
    if "period" in seg.columns:
        per = pd.DataFrame({"source": source, "period": seg["period"].astype(object).to_numpy()}).dropna()
        period_of = per.drop_duplicates("source").set_index("source")["period"].astype(str).to_dict()
    info = pd.DataFrame({"label": labels, "source": source, "s": src_index})
    if unit == "span":
        info["start"], info["end"] = start, end
        grouped = info.groupby("label", sort=False).agg(source=("source", "first"), s=("s", "first"),
                                                       start=("start", "min"), end=("end", "max"))
    else:
        grouped = info.groupby("label", sort=False).agg(source=("source", "first"), s=("s", "first"))
        grouped["start"] = grouped["end"] = np.nan
    grouped = grouped.sort_values(["source", "start", "end"], kind="mergesort", na_position="last")
    rank = grouped.groupby("source", sort=False).cumcount() + 1
    order = pd.Series(np.arange(len(grouped)), index=grouped.index)
    u = order.reindex(labels).to_numpy()
    table = pd.DataFrame({
        "unit": pd.array(grouped["source"].to_numpy() if unit == "source"
                         else (grouped["source"] + "/" + rank.astype(str)).to_numpy(), dtype="string"),
        "source": pd.array(grouped["source"].to_numpy(), dtype="string"),
        "period": pd.array([period_of.get(s) for s in grouped["source"]], dtype="string"),
        "start": pd.array(grouped["start"].to_numpy(), dtype="Float64").astype("Int64"),
        "end": pd.array(grouped["end"].to_numpy(), dtype="Float64").astype("Int64"),
    })

    n_coders = len(known)
    coded = np.zeros((n_coders, len(src_names)), dtype=bool)
    coded[c_index, src_index] = True
    unit_source = grouped["s"].to_numpy(dtype=np.int64)
    values = np.where(coded[:, unit_source], 0.0, np.nan)[None].repeat(len(all_codes), axis=0)
    k_index = pd.Index(all_codes).get_indexer(seg_code)
    mine = k_index >= 0
    values[k_index[mine], c_index[mine], u[mine]] = 1.0
    used = seg.assign(u=u, c=c_index)
    return _Units(unit, table, known, all_codes, values, used, primary, periods, n_segments)


def _join(frame: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """``column`` joined by ``sep`` per group of ``keys``, in the frame's row order.

    Rows are stably sorted by ``keys`` first, so that each group is one run of
    rows; the joins are made on these runs (no pandas call per group).
    """
    frame = frame.sort_values(keys, kind="mergesort")
    n = len(frame)
    if n == 0:
        index = pd.MultiIndex.from_arrays([[] for _ in keys], names=keys) if len(keys) > 1 \
            else pd.Index([], name=keys[0])
        return pd.Series([], index=index, dtype=object)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        col = frame[key].to_numpy()
        change[1:] |= col[1:] != col[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    values = frame[column].astype(str).to_numpy(dtype=object)
    joined = [sep.join(values[a:b]) for a, b in zip(starts, ends)]
    heads = frame.iloc[starts]
    index = pd.MultiIndex.from_frame(heads[keys]) if len(keys) > 1 else pd.Index(heads[keys[0]], name=keys[0])
    return pd.Series(joined, index=index, dtype=object)


def coding_units(data, unit: str = "span", min_overlap: float = MIN_OVERLAP, overlap: str = "shorter",
                 coders=None, codes=None) -> pd.DataFrame:
    """The units compared, as a tidy frame: who applied which code where.

    Parameters
    ----------
    data : Case or pandas.DataFrame
        A loaded case, or segments (``source, coder, code``; ``start, end``
        for passages; ``period`` when known).
    unit : {"span", "source"}
        Passages or whole sources (see the module docstring).
    min_overlap : float
        Share of overlap needed for two segments to be one passage (0 < x ≤ 1).
    overlap : {"shorter", "union"}
        What ``min_overlap`` is a share of: the shorter span, or the union.
    coders : list of str, optional
        Coders compared (all by default).
    codes : list of str, optional
        Codes compared (every code applied by these coders by default).

    Returns
    -------
    pandas.DataFrame
        ``unit, source, period, start, end, coder, code, present``: one row
        per unit × coder who coded the unit's source × code, ``present``
        (bool) when the coder applied the code there. Units in source then
        position order; ``unit`` is the source id (``source``) or
        ``source/n``, the n-th passage of the source (``span``);
        ``start``/``end`` are the passage's extent (NA for sources).
        ``attrs``: ``unit, min_overlap, overlap, coders, codes,
        primary_coder``.

    Raises
    ------
    ValueError
        In French, for an unknown unit, overlap base, coder or code, or an
        invalid ``min_overlap``.
    """
    units = _build(data, unit, min_overlap, overlap, coders, codes)
    k, c, u = np.nonzero(~np.isnan(units.values))
    order = np.lexsort((k, c, u))
    k, c, u = k[order], c[order], u[order]
    out = units.table.iloc[u].reset_index(drop=True)
    out["coder"] = pd.array(np.asarray(units.coders, dtype=object)[c], dtype="string")
    out["code"] = pd.array(np.asarray(units.codes, dtype=object)[k], dtype="string")
    out["present"] = units.values[k, c, u] == 1
    out = out[UNIT_COLUMNS]
    out.attrs.update(unit=unit, min_overlap=min_overlap, overlap=overlap, coders=units.coders,
                     codes=units.codes, primary_coder=units.primary)
    return out


def code_matrix(units: pd.DataFrame, code: str) -> pd.DataFrame:
    """Coders × units matrix of one code: 1 applied, 0 not, NaN source not coded.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`coding_units`.
    code : str

    Returns
    -------
    pandas.DataFrame
        Coders as rows (sorted), units as columns (in the frame's order),
        ``float`` values, ready for :func:`krippendorff_alpha`.
    """
    sub = units.loc[(units["code"] == code).fillna(False).to_numpy(dtype=bool)]
    if sub.empty:
        raise ValueError(f"code inconnu : « {code} » n'est pas parmi les codes comparés.")
    order = list(dict.fromkeys(units["unit"]))
    wide = sub.pivot(index="coder", columns="unit", values="present").astype(float)
    wide = wide.reindex(columns=[u for u in order if u in wide.columns])
    wide.index.name, wide.columns.name = "coder", "unit"
    return wide.sort_index()


def nominal_matrix(units: pd.DataFrame) -> pd.DataFrame:
    """Coders × units matrix of the nominal view: which code(s) each coder gave.

    A coder's value is the set of codes applied to the unit, sorted and joined
    by `` + `` (one category), « — » when they applied none, missing (None)
    when they did not code the unit's source.

    Parameters
    ----------
    units : pandas.DataFrame
        Output of :func:`coding_units`.

    Returns
    -------
    pandas.DataFrame
        Coders as rows (sorted), units as columns, ``object`` labels, ready for
        ``krippendorff_alpha(..., level="nominal")`` or :func:`fleiss_kappa`
        (transposed).
    """
    order = list(dict.fromkeys(units["unit"]))
    present = units.loc[units["present"].to_numpy(dtype=bool)].sort_values("code", kind="mergesort")
    given = _join(present, ["coder", "unit"], "code", " + ")
    cells = units[["coder", "unit"]].drop_duplicates()
    keys = pd.MultiIndex.from_frame(cells)
    cells = cells.assign(value=given.reindex(keys).astype(object).fillna(NOTHING).to_numpy())
    wide = cells.pivot(index="coder", columns="unit", values="value").reindex(columns=order)
    wide = wide.astype(object).where(wide.notna(), None)
    wide.index.name, wide.columns.name = "coder", "unit"
    return wide.sort_index()


def _nominal_values(units: _Units) -> tuple[np.ndarray, float]:
    """Nominal view as floats (category numbers, NaN missing) and the number of « nothing »."""
    seg = units.segments
    given = pd.DataFrame({"c": seg["c"].to_numpy(), "u": seg["u"].to_numpy(),
                          "code": seg["code"].astype(str).to_numpy()})
    given = given.loc[given["code"].isin(units.codes).to_numpy()].drop_duplicates()
    given = _join(given.sort_values("code", kind="mergesort"), ["c", "u"], "code", " + ")
    labels, cats = pd.factorize(given, sort=True)
    empty = float(len(cats))
    out = np.where(np.isnan(units.values[0]), np.nan, empty) if len(units.codes) else \
        np.full((len(units.coders), len(units.table)), np.nan)
    if len(given):
        out[given.index.get_level_values("c"), given.index.get_level_values("u")] = labels
    return out, empty


# --------------------------------------------------------------------------- agreement

def _stats(matrix: np.ndarray, empty: float, ref: int | None, min_units: int, min_coded: int,
           decisions_per_unit: int = 1) -> dict:
    """All measures on a coders × units float matrix (NaN missing, ``empty`` = nothing applied)."""
    ok = ~np.isnan(matrix)
    pairable = ok.sum(axis=0) >= 2
    matrix, ok = matrix[:, pairable], ok[:, pairable]
    rows = ok.any(axis=1)
    ref = int(rows[:ref].sum()) if ref is not None and rows[ref] else None
    matrix, ok = matrix[rows], ok[rows]
    n = matrix.shape[1]
    out = {"units": n // decisions_per_unit, "decisions": n, "n_coders": int(rows.sum())}
    if n:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            hi, lo = np.nanmax(matrix, axis=0), np.nanmin(matrix, axis=0)
        same = hi == lo
        coded = (ok & (matrix != empty)).any(axis=0)
        agreed = same & (lo != empty)
    else:
        same = coded = agreed = np.zeros(0, dtype=bool)
    out["units_coded"], out["units_agreed"] = int(coded.sum()), int(agreed.sum())
    out["same_code_share"] = agreed.sum() / coded.sum() if coded.any() else np.nan
    if ref is not None:
        mine = ok[ref] & (matrix[ref] != empty)
        out["primary_units"] = int(mine.sum())
        out["primary_confirmed"] = (mine & same).sum() / mine.sum() if mine.any() else np.nan
    else:
        out["primary_units"], out["primary_confirmed"] = 0, np.nan
    out["percent_agreement"] = float(same.mean()) if n else np.nan
    kappa = KappaResult(np.nan, np.nan, np.nan, 0, np.nan)
    if out["n_coders"] == 2 and n:
        both = ok[0] & ok[1]
        x, y = matrix[0, both], matrix[1, both]
        cats = np.union1d(x, y)
        k = len(cats)
        cell = np.searchsorted(cats, x) * k + np.searchsorted(cats, y)
        kappa = _kappa_from_table(np.bincount(cell, minlength=k * k).reshape(k, k))
    out["cohen_kappa"], out["kappa_ci_low"], out["kappa_ci_high"] = kappa.kappa, kappa.ci_low, kappa.ci_high
    out["fleiss_kappa"] = np.nan
    if out["n_coders"] >= 3:
        complete = ok.all(axis=0)
        if complete.sum() >= 2:
            full = matrix[:, complete]
            cats = np.unique(full)
            table = (full[None, :, :] == cats[:, None, None]).sum(axis=1).T
            out["fleiss_kappa"] = fleiss_kappa(table, counts=True)
    variation = n > 0 and len(np.unique(matrix[ok])) > 1
    alpha = krippendorff_alpha(matrix) if variation else np.nan
    out["krippendorff_alpha"] = alpha
    if n == 0:
        reason = "aucune unité codée par au moins deux codeurs"
    elif out["units"] < min_units:
        reason = f"trop peu d'unités codées par au moins deux codeurs ({out['units']} < {min_units})"
    elif out["units_coded"] == 0:
        reason = "code appliqué par aucun codeur sur les unités comparées"
    elif out["units_coded"] < min_coded:
        reason = f"code appliqué sur trop peu d'unités ({out['units_coded']} < {min_coded})"
    elif not variation or not np.isfinite(alpha):
        reason = "aucune variation : tous les codeurs donnent partout la même valeur, l'alpha n'est pas défini"
    else:
        reason = ""
    out["status"] = agreement_status(alpha) if not reason else NOT_COMPUTABLE
    out["reason"] = reason
    return out


def _labels(data, labels) -> dict:
    found = {}
    if not isinstance(data, pd.DataFrame):
        book = getattr(data, "codebook", None)
        if book is not None and len(book):
            found = code_labels(book)
    found.update(labels or {})
    return found


def _groups(units: _Units, by):
    """(group values, coder rows, unit mask) for each group of ``by``."""
    every = np.ones(len(units.table), dtype=bool)
    rows = list(range(len(units.coders)))
    if by is None:
        yield {}, rows, every
    elif by == "period":
        period = units.table["period"].astype(object).to_numpy()
        for p in units.periods:
            yield {"period": p}, rows, period == p
    else:
        rank = sorted(range(len(units.coders)),
                      key=lambda c: (-int(units.n_segments.get(units.coders[c], 0)), units.coders[c]))
        for a, b in itertools.combinations(rank, 2):
            yield {"coder_a": units.coders[a], "coder_b": units.coders[b]}, [a, b], every


def _reference(units: _Units, rows: list[int], by) -> int | None:
    """Position, in ``rows``, of the reference coder: the primary coder, or the pair's first."""
    if by == "pair":
        return 0
    names = [units.coders[r] for r in rows]
    return names.index(units.primary) if units.primary in names else None


def _agreement_table(units: _Units, by, pooled: str, min_units: int, min_coded: int,
                     labels: dict) -> pd.DataFrame:
    group_cols = {None: [], "period": ["period"], "pair": ["coder_a", "coder_b"]}[by]
    nominal = _nominal_values(units) if pooled == "nominal" else None
    records = []
    for code_pos, code in enumerate([*units.codes, OVERALL]):
        for group, rows, mask in _groups(units, by):
            ref = _reference(units, rows, by)
            if code != OVERALL:
                stats = _stats(units.values[code_pos][np.ix_(rows, mask)], 0.0, ref, min_units, min_coded)
            elif pooled == "nominal":
                stats = _stats(nominal[0][np.ix_(rows, mask)], nominal[1], ref, min_units, min_coded)
            else:
                block = units.values[:, rows][:, :, mask]                      # codes × coders × units
                flat = block.transpose(1, 2, 0).reshape(len(rows), -1)         # unit-major, code-minor
                stats = _stats(flat, 0.0, ref, min_units, min_coded, max(len(units.codes), 1))
            label = OVERALL_LABEL if code == OVERALL else labels.get(code, code)
            records.append({**group, "code": code, "label": label, **stats})
    out = pd.DataFrame.from_records(records, columns=group_cols + AGREEMENT_COLUMNS)
    ints = ["units", "decisions", "n_coders", "units_coded", "units_agreed", "primary_units"]
    out[ints] = out[ints].astype("int64")
    floats = ["same_code_share", "primary_confirmed", "percent_agreement", "cohen_kappa", "kappa_ci_low",
              "kappa_ci_high", "fleiss_kappa", "krippendorff_alpha"]
    out[floats] = out[floats].astype(float)
    return out


def agreement(data, unit: str = "span", by=None, min_overlap: float = MIN_OVERLAP, overlap: str = "shorter",
              coders=None, codes=None, pooled: str = "decisions", min_units: int = MIN_UNITS,
              min_coded: int = MIN_CODED, labels: dict | None = None) -> pd.DataFrame:
    """Intercoder agreement per code and overall, optionally per period or per pair of coders.

    Parameters
    ----------
    data : Case or pandas.DataFrame
        A loaded case, or segments (see :func:`coding_units`).
    unit : {"span", "source"}
        Units of analysis: passages (default) or whole sources.
    by : {None, "period", "pair"}
        ``None``: one row per code; ``"period"``: per code × period (the
        source's period; drift across periods); ``"pair"``: per code × pair of
        coders, on the units both coded.
    min_overlap, overlap :
        Passage rule, see :func:`coding_units`.
    coders, codes : list of str, optional
        Coders and codes compared (all by default).
    pooled : {"decisions", "nominal"}
        How the overall « ensemble » row is computed: every code × unit
        decision side by side (default), or the nominal view (which code(s)
        each coder gave each unit, see :func:`nominal_matrix`).
    min_units, min_coded : int
        Below these numbers of units compared, or of units where the code is
        applied, the status is « non calculable ».
    labels : dict, optional
        ``{code: label}``; by default the codebook's latest labels for a case,
        the codes themselves for a frame.

    Returns
    -------
    pandas.DataFrame
        Group columns first (``period`` with ``by="period"``; ``coder_a,
        coder_b`` with ``by="pair"``, ``coder_a`` being the one with more
        segments), then :data:`AGREEMENT_COLUMNS`:

        - ``code`` (« ensemble » for the overall row, last), ``label``;
        - ``units``: units with at least two coders' values; ``decisions``:
          the values compared (= ``units`` for a code, code × unit
          decisions for « ensemble »); ``n_coders``;
        - ``units_coded``, ``units_agreed``, ``same_code_share``: units where
          at least one coder / every coder applied the code, and their ratio
          (« même passage, même code »);
        - ``primary_units``, ``primary_confirmed``: units where the primary
          coder (``coder_a`` for a pair) applied the code, and the share where
          every other coder did too;
        - ``percent_agreement``; ``cohen_kappa``, ``kappa_ci_low``,
          ``kappa_ci_high`` (two coders, else NaN); ``fleiss_kappa`` (three
          coders or more, else NaN); ``krippendorff_alpha`` (nominal);
        - ``status`` (« fiable », « conclusions provisoires », « non
          fiable », « non calculable ») and ``reason`` (French, empty when
          computed).

        Codes in sorted order, groups in study (or pair) order within a code.
        The ``by=None`` frame can be passed as is to
        ``analysis.limits.study_limits(reliability=...)``. ``attrs``: ``unit,
        min_overlap, overlap, by, pooled, coders, primary_coder``.

    Raises
    ------
    ValueError
        In French, for an unknown ``unit``, ``by``, ``pooled``, coder or code.
    """
    if by not in BY:
        raise ValueError(f"regroupement inconnu : « {by} » ; attendu : aucun, « period » ou « pair ».")
    if pooled not in POOLED:
        raise ValueError(f"mise en commun inconnue : « {pooled} » ; attendu : {', '.join(POOLED)}.")
    units = _build(data, unit, min_overlap, overlap, coders, codes)
    out = _agreement_table(units, by, pooled, min_units, min_coded, _labels(data, labels))
    out.attrs.update(unit=unit, min_overlap=min_overlap, overlap=overlap, by=by, pooled=pooled,
                     coders=units.coders, primary_coder=units.primary)
    return out


# --------------------------------------------------------------------------- disagreements

def _joined_texts(seg: pd.DataFrame, keys: list[str]) -> tuple[pd.Series, pd.Series]:
    """Distinct texts (position order, joined by « […] ») and segment ids of each key group."""
    frame = pd.DataFrame({k: seg[k].to_numpy() for k in keys})
    frame["text"] = seg["text"].astype(object).fillna("").astype(str).str.strip().to_numpy() \
        if "text" in seg.columns else ""
    frame["id"] = seg["id"].astype(str).to_numpy() if "id" in seg.columns else ""
    frame["pos"] = pd.to_numeric(seg["start"], errors="coerce").to_numpy(dtype=float) \
        if "start" in seg.columns else np.nan
    frame = frame.sort_values(["pos", "id"], kind="mergesort")
    texts = frame.loc[(frame["text"] != "").to_numpy()].drop_duplicates([*keys, "text"])
    return (_join(texts, keys, "text", " […] "),
            _join(frame.loc[(frame["id"] != "").to_numpy()], keys, "id", ", "))


def disagreements(data, unit: str = "span", min_overlap: float = MIN_OVERLAP, overlap: str = "shorter",
                  coders=None, codes=None, labels: dict | None = None) -> pd.DataFrame:
    """The disagreements to discuss in a consensus meeting: one row per unit × code.

    A unit × code is listed when the coders who coded the unit's source do not
    all give the same value (one applied the code, another did not).

    Parameters
    ----------
    data : Case or pandas.DataFrame
        A loaded case, or segments (see :func:`coding_units`).
    unit, min_overlap, overlap, coders, codes :
        As in :func:`coding_units`.
    labels : dict, optional
        ``{code: label}``; by default the codebook's latest labels.

    Returns
    -------
    pandas.DataFrame
        ``unit, source, period, start, end, code, label``, one column per
        coder (named by the coder's id), then ``text, segments,
        krippendorff_alpha, status``:

        - coder columns: for a passage, the code(s) the coder gave it (sorted,
          joined by `` + ``), « — » for none; for a source, the code itself or
          « — »; « source non codée » when the coder did not code the source;
        - ``text``: for a passage, the distinct texts of its segments (all
          coders), in position order, joined by « […] »; for a source, the
          texts of the segments carrying the code;
        - ``segments``: the ids of these segments (empty without ``id``);
        - ``krippendorff_alpha``, ``status``: the code's agreement
          (:func:`agreement`, same units).

        Ordered for a meeting: least reliable code first (alpha ascending,
        codes without alpha last), then code, source and position.
    """
    units = _build(data, unit, min_overlap, overlap, coders, codes)
    labels = _labels(data, labels)
    summary = _agreement_table(units, None, "decisions", MIN_UNITS, MIN_CODED, labels)
    summary = summary.loc[summary["code"] != OVERALL].set_index("code")
    values = units.values
    ok = ~np.isnan(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        split = (ok.sum(axis=1) >= 2) & (np.nanmax(values, axis=1) != np.nanmin(values, axis=1))
    k, u = np.nonzero(split)
    out = units.table.iloc[u].reset_index(drop=True)
    code_names = np.asarray(units.codes, dtype=object)
    out.insert(5, "code", pd.array(code_names[k], dtype="string"))
    out.insert(6, "label", [labels.get(c, c) for c in code_names[k]])
    seg = units.segments
    seg = seg.loc[np.isin(seg["u"].to_numpy(), u)]
    if unit == "span":
        given = pd.DataFrame({"c": seg["c"].to_numpy(), "u": seg["u"].to_numpy(),
                              "code": seg["code"].astype(str).to_numpy()})
        given = given.loc[given["code"].isin(units.codes).to_numpy()].drop_duplicates()
        given = _join(given.sort_values("code", kind="mergesort"), ["c", "u"], "code", " + ")
        text, ids = _joined_texts(seg, ["u"])
        out["text"] = text.reindex(u).fillna("").to_numpy()
        out["segments"] = ids.reindex(u).fillna("").to_numpy()
    else:
        seg = seg.assign(k=pd.Index(units.codes).get_indexer(seg["code"].astype(str)))
        text, ids = _joined_texts(seg.loc[seg["k"].to_numpy() >= 0], ["u", "k"])
        keys = pd.MultiIndex.from_arrays([u, k])
        out["text"] = text.reindex(keys).fillna("").to_numpy()
        out["segments"] = ids.reindex(keys).fillna("").to_numpy()
    for c, name in enumerate(units.coders):
        cell = values[k, c, u]
        if unit == "span":
            shown = given.reindex(pd.MultiIndex.from_arrays([np.full(len(u), c), u])).to_numpy(dtype=object)
            shown = np.where(pd.isna(shown), NOTHING, shown)
        else:
            shown = np.where(cell == 1, code_names[k], NOTHING)
        out.insert(7 + c, name, np.where(np.isnan(cell), NOT_CODED, shown).astype(object))
    out["krippendorff_alpha"] = summary["krippendorff_alpha"].reindex(code_names[k]).to_numpy(dtype=float)
    out["status"] = summary["status"].reindex(code_names[k]).to_numpy(dtype=object)
    alpha_key = out["krippendorff_alpha"].fillna(np.inf)
    start_key = out["start"].astype("Float64").fillna(np.inf).astype(float)
    out = out.assign(_a=alpha_key, _s=start_key).sort_values(
        ["_a", "code", "source", "_s", "unit"], kind="mergesort").drop(columns=["_a", "_s"])
    out = out.reset_index(drop=True)
    out.attrs.update(unit=unit, min_overlap=min_overlap, overlap=overlap, coders=units.coders,
                     primary_coder=units.primary)
    return out
