"""Code co-occurrence per period (MAXQDA's Code Relations Browser, NVivo's coding matrix).

Takes a loaded case (or a frame of coded segments) and returns long frames:
one row per period × unordered code pair, how often the two codes meet, and
the pairs that appear or vanish from one period to the next.

DataFrames in, DataFrames out; no plotting, no file I/O.

What "co-occur" means (``mode``)
--------------------------------
Only one coder's segments are used (the primary coder by default, see
:func:`rd_territoriale.analysis.matrices.primary_coder`), so double coding
never inflates counts and one coder's passage never meets another coder's.

- ``source``: both codes are applied somewhere in the same source (interview,
  other document or journal entry).
- ``overlap``: a segment of one code and a segment of the other, in the same
  source, share at least one code point. Positions are ``[start, end)``,
  ``end`` exclusive (in the journal, ``text == journal.text[start:end]``), so
  ``[0, 5)`` and ``[5, 9)`` touch but do not overlap. Segments without a
  position (or with ``end <= start``) never overlap anything. A coder who
  never codes overlapping passages (as in the example case) gives zero.
- ``proximity``: the two segments overlap or are at most ``within`` code
  points apart, the gap being ``max(starts) - min(ends)`` (touching spans: 0,
  overlapping spans: negative), MAXQDA's "near".

What is counted
---------------
The unit is always the **source**, in every mode, so that counts, Jaccard
indices and the tests of :func:`pair_changes` mean the same thing:

- ``count``: sources in which the two codes co-occur (the same code twice in
  a source counts once; two overlapping pairs in a source count once);
- ``hits``: co-occurrences counted as MAXQDA does by default: segment pairs
  that overlap (or are near) in ``overlap``/``proximity`` mode, equal to
  ``count`` in ``source`` mode;
- ``n_a``, ``n_b``: sources in which each code is applied (whatever the mode);
- ``units``: sources of the period with at least one segment of the coder;
- ``jaccard = count / (n_a + n_b - count)`` (NaN when neither code occurs);
- ``expected = n_a * n_b / units`` and ``lift = count / expected``: sources
  with both codes expected if the codes were independent (``source`` mode
  only; NaN otherwise).

Caution: an interview carries dozens of codes and a journal entry one or two,
so in ``source`` mode nearly every pair meets in every interview. When the mix
of interviews and journal entries changes between periods, compare source
kinds separately (``source_kind="journal"`` or ``"document"``). Likewise, a pair
co-occurs more often as soon as one of its codes becomes more frequent (in the
example's U02 interviews, every pair with ``concurrence_projets`` "appears" in
P3-P4): read the changes with the codes' own frequencies (time-ordered
matrix) and the ``lift``.

The rule for appearing and vanishing pairs
------------------------------------------
See :data:`CHANGE_RULE` and :func:`pair_changes`.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import hypergeom

from rd_territoriale.analysis.matrices import primary_coder
from rd_territoriale.analysis.models import benjamini_hochberg
from rd_territoriale.privacy.quotes import pick_passages, quotable

MODES = ("source", "overlap", "proximity")
SOURCE_KINDS = ("document", "journal")
VALUES = ("count", "hits", "jaccard", "lift", "expected")
MIN_COUNT = 3
ALPHA = 0.05
APPEARS = "apparition"
VANISHES = "disparition"

COOC_COLUMNS = ["period", "code_a", "code_b", "count", "hits", "n_a", "n_b", "units", "jaccard", "expected", "lift"]
CHANGE_COLUMNS = [
    "before",
    "after",
    "code_a",
    "code_b",
    "count_before",
    "units_before",
    "share_before",
    "jaccard_before",
    "count_after",
    "units_after",
    "share_after",
    "jaccard_after",
    "p_value",
    "p_adjusted",
    "significant",
    "change",
]

CHANGE_RULE = (
    "Une paire de codes « apparaît » entre deux périodes successives quand elle est "
    "absente ou rare avant (moins de {min_count} sources où les deux codes se rencontrent), "
    "présente après (au moins {min_count} sources), et que la part des sources où elle "
    "apparaît augmente nettement : test exact de Fisher bilatéral sur le tableau 2 × 2 "
    "(période × sources avec / sans la paire), p-values corrigées par Benjamini–Hochberg "
    "sur toutes les paires et toutes les transitions testées, seuil {alpha:g}. Elle "
    "« disparaît » dans le cas symétrique (au moins {min_count} sources avant, moins de "
    "{min_count} après, baisse significative de la part)."
)


# --------------------------------------------------------------------------- segments


def _select(data, coder, periods, source_kind) -> tuple[pd.DataFrame, list[str], str | None]:
    """Segments of one coder (the primary coder by default), the period order and the coder id."""
    frame = data if isinstance(data, pd.DataFrame) else data.segments
    who = primary_coder(SimpleNamespace(segments=frame), coder)
    seg = frame.iloc[0:0] if who is None else frame.loc[(frame["coder"] == who).fillna(False).to_numpy()]
    if source_kind is not None:
        if source_kind not in SOURCE_KINDS:
            raise ValueError(f"type de source inconnu : « {source_kind} » ; attendu : {', '.join(SOURCE_KINDS)}.")
        seg = seg.loc[(seg["source_kind"] == source_kind).fillna(False).to_numpy()]
    if periods is None:
        periods = (
            sorted(frame["period"].dropna().astype(str).unique())
            if isinstance(data, pd.DataFrame)
            else data.periods["id"]
        )
    return seg, [str(p) for p in periods], who


def _tidy(seg: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Integer-coded segments: period index, source, code, start, end (positions may be NaN)."""
    keep = seg["source"].notna() & seg["code"].notna() & seg["period"].astype(str).isin(order)
    seg = seg.loc[keep.fillna(False).to_numpy()]
    return pd.DataFrame(
        {
            "p": pd.Categorical(seg["period"].astype(str), categories=order).codes.astype(np.int64),
            "source": seg["source"].astype(str).to_numpy(),
            "code": seg["code"].astype(str).to_numpy(),
            "start": pd.to_numeric(seg["start"], errors="coerce").astype(float).to_numpy(),
            "end": pd.to_numeric(seg["end"], errors="coerce").astype(float).to_numpy(),
        }
    )


# --------------------------------------------------------------------------- counting


def _pair_index(i: np.ndarray, j: np.ndarray, k: int) -> np.ndarray:
    """Position of the pair (i, j), i < j, in ``np.triu_indices(k, 1)`` order."""
    return i * k - i * (i + 1) // 2 + (j - i - 1)


def _source_counts(seg: pd.DataFrame, n_periods: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Sources with both codes (pairs) and with each code, per period, by sparse products.

    The same code twice in a source counts once (duplicates are dropped first).
    """
    pairs = np.zeros((n_periods, k * (k - 1) // 2), dtype=np.int64)
    single = np.zeros((n_periods, k), dtype=np.int64)
    iu, ju = np.triu_indices(k, 1)
    for p, sub in seg.drop_duplicates(["p", "source", "c"]).groupby("p", sort=True):
        rows = pd.factorize(sub["source"])[0]
        x = sparse.csr_matrix((np.ones(len(sub)), (rows, sub["c"].to_numpy())), shape=(rows.max() + 1, k))
        both = (x.T @ x).toarray()
        pairs[p] = np.rint(both[iu, ju]).astype(np.int64)
        single[p] = np.rint(np.diag(both)).astype(np.int64)
    return pairs, single


def _near_pairs(seg: pd.DataFrame, within: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (i, j) of the segment pairs of a source that overlap (or are near).

    Sorted by source then start, segment ``j`` after ``i`` meets ``i`` exactly
    when ``start_j < end_i`` (overlap) or ``start_j <= end_i + within``; the
    candidates of ``i`` are therefore a contiguous run found by binary search,
    and the pairs are produced without a loop over segments.
    """
    ok = np.isfinite(seg["start"].to_numpy()) & np.isfinite(seg["end"].to_numpy())
    ok &= seg["end"].to_numpy() > seg["start"].to_numpy()
    pos = np.flatnonzero(ok)
    if len(pos) < 2:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    src = pd.factorize(seg["source"].to_numpy()[pos])[0].astype(np.int64)
    start = seg["start"].to_numpy()[pos].astype(np.int64)
    reach = seg["end"].to_numpy()[pos].astype(np.int64) + (0 if within is None else within + 1)
    sort = np.lexsort((start, src))
    src, start, reach, pos = src[sort], start[sort], reach[sort], pos[sort]
    big = int(max(reach.max(), start.max())) + 1
    first_far = np.searchsorted(src * big + start, src * big + reach, side="left")
    n_near = np.maximum(first_far - np.arange(len(pos)) - 1, 0)
    i = np.repeat(np.arange(len(pos)), n_near)
    offset = np.arange(len(i)) - np.repeat(np.cumsum(n_near) - n_near, n_near)
    return pos[i], pos[i + 1 + offset]


def _span_counts(seg: pd.DataFrame, within, n_periods: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Sources with a meeting pair, and meeting segment pairs, per period × code pair."""
    i, j = _near_pairs(seg, within)
    ci, cj = seg["c"].to_numpy()[i], seg["c"].to_numpy()[j]
    keep = ci != cj  # a code meeting itself is not a co-occurrence
    i, ci, cj = i[keep], ci[keep], cj[keep]
    n_pairs = k * (k - 1) // 2
    cell = seg["p"].to_numpy()[i] * n_pairs + _pair_index(np.minimum(ci, cj), np.maximum(ci, cj), k)
    hits = np.bincount(cell, minlength=n_periods * n_pairs).reshape(n_periods, n_pairs)
    src = pd.factorize(seg["source"].to_numpy()[i])[0]
    units = pd.DataFrame({"cell": cell, "src": src}).drop_duplicates()["cell"].to_numpy()
    count = np.bincount(units, minlength=n_periods * n_pairs).reshape(n_periods, n_pairs)
    return count, hits


def _ratios(out: pd.DataFrame, with_expected: bool) -> pd.DataFrame:
    """Add ``jaccard``, ``expected`` and ``lift`` from the counts."""
    union = (out["n_a"] + out["n_b"] - out["count"]).to_numpy(dtype=float)
    count = out["count"].to_numpy(dtype=float)
    units = out["units"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["jaccard"] = np.where(union > 0, count / union, np.nan)
        expected = np.where(units > 0, out["n_a"].to_numpy(float) * out["n_b"].to_numpy(float) / units, np.nan)
        out["expected"] = expected if with_expected else np.nan
        out["lift"] = np.where(with_expected & (expected > 0), count / expected, np.nan)
    return out


def _check_mode(mode: str, within) -> None:
    if mode not in MODES:
        raise ValueError(f"mode inconnu : « {mode} » ; attendu : {', '.join(MODES)}.")
    if mode == "proximity" and (within is None or int(within) != within or within < 0):
        raise ValueError(
            "le mode « proximity » demande une distance « within » entière et positive (en points de code)."
        )
    if mode != "proximity" and within is not None:
        raise ValueError(f"« within » ne s'emploie qu'avec le mode « proximity » (mode demandé : « {mode} »).")


def cooccurrence(
    data,
    mode: str = "source",
    coder: str | None = None,
    period=None,
    within: int | None = None,
    periods=None,
    source_kind: str | None = None,
) -> pd.DataFrame:
    """Co-occurrence of every pair of codes, per period.

    Parameters
    ----------
    data : Case or pandas.DataFrame
        A loaded case, or a frame of segments with at least ``source, coder,
        code, period`` (and ``start, end`` for the positional modes), e.g. the
        segments of one project's sources.
    mode : {"source", "overlap", "proximity"}
        What "co-occur" means (see the module docstring).
    coder : str, optional
        Coder whose segments are used; by default the coder with the most
        segments in ``data``.
    period : str or list of str, optional
        Keep only these periods (the code pairs are still those of every
        period, so that tables stay comparable).
    within : int, optional
        Maximum gap in code points, ``proximity`` mode only (0: touching).
    periods : list of str, optional
        Period ids, in order; by default the study's periods for a case, the
        sorted periods of the frame otherwise. Segments without a period (or
        outside these periods) are left out.
    source_kind : {"document", "journal"}, optional
        Keep only one kind of source (interviews and journal entries carry
        very different numbers of codes; see the module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per period × pair of codes used by the coder (``code_a <
        code_b``, zeros included), in period then pair order: ``period,
        code_a, code_b, count, hits, n_a, n_b, units, jaccard, expected,
        lift`` (see the module docstring). ``attrs`` holds ``mode``,
        ``within``, ``coder`` and ``source_kind``.

    Raises
    ------
    ValueError
        For an unknown mode, period or source kind, a misused ``within``,
        or a coder who coded nothing.
    """
    _check_mode(mode, within)
    seg, order, who = _select(data, coder, periods, source_kind)
    wanted = _wanted(period, order)
    out = _long_frame(_tidy(seg, order), order, mode, within)
    out = out.loc[out["period"].isin(wanted).to_numpy(), COOC_COLUMNS].reset_index(drop=True)
    out.attrs.update(mode=mode, within=within, coder=who, source_kind=source_kind)
    return out


def _wanted(period, order: list[str]) -> list[str]:
    """The periods asked for (all by default), checked against the study's."""
    wanted = order if period is None else [period] if isinstance(period, str) else list(period)
    unknown = [str(p) for p in wanted if p not in order]
    if unknown:
        raise ValueError(f"période inconnue : {', '.join(unknown)} ; attendu : {', '.join(order)}.")
    return wanted


def _long_frame(seg: pd.DataFrame, order: list[str], mode: str, within) -> pd.DataFrame:
    """Counts and ratios of every period × code pair, from tidy segments."""
    codes = np.array(sorted(seg["code"].unique()), dtype=object)
    seg["c"] = np.searchsorted(codes, seg["code"].to_numpy()).astype(np.int64)
    k, n_p = len(codes), len(order)
    both, single = _source_counts(seg, n_p, k)
    count, hits = (
        (both, both) if mode == "source" else _span_counts(seg, within if mode == "proximity" else None, n_p, k)
    )
    units = seg.drop_duplicates(["p", "source"]).groupby("p").size().reindex(range(n_p), fill_value=0)
    iu, ju = np.triu_indices(k, 1)
    out = pd.DataFrame(
        {
            "period": np.repeat(order, len(iu)),
            "code_a": np.tile(codes[iu], n_p),
            "code_b": np.tile(codes[ju], n_p),
            "count": count.ravel(),
            "hits": hits.ravel(),
            "n_a": single[:, iu].ravel(),
            "n_b": single[:, ju].ravel(),
            "units": np.repeat(units.to_numpy(dtype=np.int64), len(iu)),
        }
    )
    return _ratios(out, mode == "source")


# --------------------------------------------------------------------------- pooling, tables


def pool_periods(cooc: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """Merge periods into phases (e.g. ``{"P1-P2": ["P1", "P2"], "P3-P4": ["P3", "P4"]}``).

    A source belongs to one period, so the counts of a phase are sums; the
    ratios are recomputed. Useful when periods hold too few sources to test.

    Parameters
    ----------
    cooc : pandas.DataFrame
        Output of :func:`cooccurrence`.
    groups : dict of str to list of str
        Phase label → period ids, in the order wanted; periods left out are
        dropped.

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`cooccurrence`, ``period`` holding the phase
        labels.

    Raises
    ------
    ValueError
        For an unknown period or one placed in two phases.
    """
    known = set(cooc["period"].astype(str))
    listed = [str(p) for members in groups.values() for p in members]
    if unknown := sorted(set(listed) - known):
        raise ValueError(f"période inconnue : {', '.join(unknown)} ; attendu : {', '.join(sorted(known))}.")
    if len(listed) != len(set(listed)):
        raise ValueError("une même période ne peut appartenir qu'à un seul regroupement.")
    phase = {str(p): label for label, members in groups.items() for p in members}
    sub = cooc.loc[cooc["period"].astype(str).isin(phase).to_numpy()]
    sub = sub.assign(period=pd.Categorical(sub["period"].astype(str).map(phase), categories=list(groups)))
    sums = ["count", "hits", "n_a", "n_b", "units"]
    out = sub.groupby(["period", "code_a", "code_b"], observed=True, sort=True)[sums].sum().reset_index()
    out["period"] = out["period"].astype(str)
    mode = cooc.attrs.get("mode", "source")
    out = _ratios(out, mode == "source")[COOC_COLUMNS]
    out.attrs.update(cooc.attrs)
    return out


def cooccurrence_table(cooc: pd.DataFrame, period: str, value: str = "jaccard") -> pd.DataFrame:
    """Symmetric code × code table of one period, for a heatmap.

    Parameters
    ----------
    cooc : pandas.DataFrame
        Output of :func:`cooccurrence` (or :func:`pool_periods`).
    period : str
        Period (or phase) to show.
    value : str
        Column to show: ``count``, ``hits``, ``jaccard``, ``lift`` or
        ``expected``.

    Returns
    -------
    pandas.DataFrame
        Codes (sorted) as rows and columns; the diagonal is NaN (a code with
        itself is not a co-occurrence).

    Raises
    ------
    ValueError
        For an unknown period or value.
    """
    if value not in VALUES:
        raise ValueError(f"valeur inconnue : « {value} » ; attendu : {', '.join(VALUES)}.")
    periods = list(dict.fromkeys(cooc["period"].astype(str)))
    if period not in periods:
        raise ValueError(f"période inconnue : « {period} » ; attendu : {', '.join(periods)}.")
    sub = cooc.loc[(cooc["period"].astype(str) == period).to_numpy()]
    codes = sorted(set(sub["code_a"].astype(str)) | set(sub["code_b"].astype(str)))
    index = pd.Index(codes, name="code")
    ia = index.get_indexer(sub["code_a"].astype(str).to_numpy())
    ib = index.get_indexer(sub["code_b"].astype(str).to_numpy())
    values = np.full((len(codes), len(codes)), np.nan)
    values[ia, ib] = values[ib, ia] = sub[value].to_numpy(dtype=float)
    return pd.DataFrame(values, index=index, columns=index.copy())


# --------------------------------------------------------------------------- changes


def _first_true(pred, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Smallest x in ``[lo, hi)`` with ``pred(x)`` (``hi`` when none), vectorised bisection.

    ``pred`` must be monotone on the interval (False, then True).
    """
    lo, hi = lo.copy(), hi.copy()
    while np.any(lo < hi):
        active = lo < hi
        mid = (lo + hi) // 2
        ok = pred(mid)
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid + 1, lo)
    return lo


def fisher_exact_two_sided(a, b, c, d) -> np.ndarray:
    """Two-sided Fisher exact test of many 2 × 2 tables ``[[a, b], [c, d]]`` at once.

    Same definition as R's ``fisher.test`` and :func:`scipy.stats.fisher_exact`:
    the p-value sums the hypergeometric probabilities of the tables (same
    margins) no more likely than the observed one (relative tolerance 1e-7, as
    in R).
    The far tail is found by bisection on each side of the mode.

    Parameters
    ----------
    a, b, c, d : array-like of int
        Cells of the tables.

    Returns
    -------
    numpy.ndarray
        P-values (1 when a margin is zero).
    """
    a, b, c, d = (np.asarray(x, dtype=np.int64) for x in (a, b, c, d))
    M, n, N = a + b + c + d, a + c, a + b
    degenerate = (n == 0) | (n == M) | (N == 0) | (N == M)
    M, n, N = np.where(degenerate, 2, M), np.where(degenerate, 1, n), np.where(degenerate, 1, N)
    a = np.where(degenerate, 0, a)
    lo, hi = np.maximum(0, N - (M - n)), np.minimum(n, N)
    mode = (n + 1) * (N + 1) // (M + 2)
    limit = hypergeom.logpmf(a, M, n, N) + 1e-7

    def as_likely(x):
        return hypergeom.logpmf(x, M, n, N) <= limit

    far_high = _first_true(as_likely, mode, hi + 1)
    far_low = _first_true(lambda x: ~as_likely(x), lo, mode + 1) - 1
    below = hypergeom.cdf(a, M, n, N) + hypergeom.sf(far_high - 1, M, n, N)
    above = hypergeom.sf(a - 1, M, n, N) + hypergeom.cdf(far_low, M, n, N)
    p = np.minimum(np.where(a < mode, below, above), 1.0)
    return np.where(degenerate, 1.0, p)


def _transition(cooc: pd.DataFrame, before: str, after: str, units: pd.Series) -> pd.DataFrame:
    """Counts of every pair in two periods, side by side."""
    cols = ["code_a", "code_b", "count", "jaccard"]
    b = cooc.loc[(cooc["period"] == before).to_numpy(), cols].set_index(cols[:2])
    a = cooc.loc[(cooc["period"] == after).to_numpy(), cols].set_index(cols[:2])
    out = b.merge(a, how="outer", left_index=True, right_index=True, suffixes=("_before", "_after")).reset_index()
    out[["count_before", "count_after"]] = out[["count_before", "count_after"]].fillna(0).astype(np.int64)
    out.insert(0, "before", before)
    out.insert(1, "after", after)
    out["units_before"], out["units_after"] = int(units[before]), int(units[after])
    return out


def pair_changes(
    cooc: pd.DataFrame, min_count: int = MIN_COUNT, alpha: float = ALPHA, all_rows: bool = False
) -> pd.DataFrame:
    """Pairs of codes that appear or vanish between consecutive periods.

    The rule (also in French in :data:`CHANGE_RULE` and ``attrs["rule"]``),
    for each pair and each period ``before`` followed by ``after``:

    1. the Fisher exact test (two-sided) compares the share of sources where
       the pair co-occurs: ``[[count_before, units_before - count_before],
       [count_after, units_after - count_after]]``;
    2. the p-values are corrected by Benjamini–Hochberg across every pair and
       every transition tested (rows where the pair occurs on at least one
       side), ``significant`` when ``p_adjusted < alpha``;
    3. « apparition »: significant, the share rises, ``count_before <
       min_count <= count_after``; « disparition »: significant, the share
       falls, ``count_after < min_count <= count_before``.

    A significant change where the pair stays present (or stays rare) on
    both sides is shown with ``significant`` but no ``change`` label: such
    shifts often come from a change in the mix of sources (interviews vs
    journal entries) rather than from the codes. When periods hold few
    sources, test phases instead (:func:`pool_periods`).

    Parameters
    ----------
    cooc : pandas.DataFrame
        Output of :func:`cooccurrence` or :func:`pool_periods`; periods are
        taken in their order of appearance.
    min_count : int
        Sources with the pair needed for it to be "present" in a period.
    alpha : float
        False discovery rate.
    all_rows : bool
        Return every pair × transition (to show why a pair is not flagged)
        instead of the flagged ones only.

    Returns
    -------
    pandas.DataFrame
        ``before, after, code_a, code_b, count_before, units_before,
        share_before, jaccard_before, count_after, units_after, share_after,
        jaccard_after, p_value, p_adjusted, significant, change``
        (``change``: « apparition », « disparition » or empty; ``p_value``
        NaN when the pair occurs on neither side).
    """
    order = list(dict.fromkeys(cooc["period"].astype(str)))
    units = cooc.groupby(cooc["period"].astype(str))["units"].max()
    frames = [_transition(cooc, b, a, units) for b, a in zip(order, order[1:])]
    if not frames:
        out = pd.DataFrame(columns=CHANGE_COLUMNS)
        out.attrs["rule"] = CHANGE_RULE.format(min_count=min_count, alpha=alpha)
        return out
    out = pd.concat(frames, ignore_index=True)
    cb, ca = out["count_before"].to_numpy(), out["count_after"].to_numpy()
    ub, ua = out["units_before"].to_numpy(), out["units_after"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_before"] = np.where(ub > 0, cb / ub, np.nan)
        out["share_after"] = np.where(ua > 0, ca / ua, np.nan)
    testable = (ub > 0) & (ua > 0) & (cb + ca > 0)
    p = np.full(len(out), np.nan)
    p[testable] = fisher_exact_two_sided(cb[testable], (ub - cb)[testable], ca[testable], (ua - ca)[testable])
    out["p_value"] = p
    out["p_adjusted"] = benjamini_hochberg(out["p_value"]).to_numpy()
    out["significant"] = (out["p_adjusted"] < alpha).fillna(False).astype(bool)
    rises = out["share_after"] > out["share_before"]
    appears = out["significant"] & rises & (cb < min_count) & (ca >= min_count)
    vanishes = out["significant"] & ~rises & (ca < min_count) & (cb >= min_count)
    out["change"] = np.select([appears, vanishes], [APPEARS, VANISHES], "")
    if not all_rows:
        out = out.loc[(out["change"] != "").to_numpy()]
    out = out[CHANGE_COLUMNS].reset_index(drop=True)
    out.attrs["rule"] = CHANGE_RULE.format(min_count=min_count, alpha=alpha)
    return out


# --------------------------------------------------------------------------- passages


def pair_passages(
    case, pairs: pd.DataFrame, audience: str = "partenaires", coder: str | None = None, limit: int = 3
) -> pd.DataFrame:
    """The passages behind co-occurrence pairs (``source`` mode), for a table that opens onto them.

    A pair's passages are the passages of either code in the sources of the
    period where both codes are applied (the sources its ``count`` counts).
    At most ``limit`` are returned per pair, among those whose source allows
    quoting to ``audience``, chosen by
    :func:`~rd_territoriale.privacy.quotes.pick_passages` (actors first,
    distinct sources first).

    Parameters
    ----------
    case : Case
    pairs : pandas.DataFrame
        Rows with ``period, code_a, code_b`` (e.g. the pairs a report shows).
    audience : str
        ``partenaires`` or ``equipe``.
    coder : str, optional
        The coder of :func:`cooccurrence` (the primary coder by default).
    limit : int
        At most this many passages per pair.

    Returns
    -------
    pandas.DataFrame
        ``period, code_a, code_b, rank, code, text, attribution, quotable,
        passages``: ``quotable`` counts the pair's consented passages,
        ``passages`` all of them, consented or not. ``attrs["passages"]``
        gives that count for every pair asked, ``{(period, code_a, code_b):
        n}``, including pairs with no passage that may be quoted.
    """
    columns = ["period", "code_a", "code_b", "rank", "code", "text", "attribution", "quotable", "passages"]
    seg, _, _ = _select(case, coder, None, None)
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    empty.attrs["passages"] = {}
    if seg.empty or pairs.empty:
        return empty
    seg = seg.assign(code=seg["code"].astype(str), period=seg["period"].astype(str), source=seg["source"].astype(str))
    quotes = quotable(case, seg, audience)
    quotes = quotes.assign(
        code=quotes["code"].astype(str), period=quotes["period"].astype(str), source=quotes["source"].astype(str)
    )
    sources = seg.groupby(["period", "code"])["source"].agg(set)
    chosen, totals = [], {}
    for period, a, b in pairs[["period", "code_a", "code_b"]].astype(str).itertuples(index=False):
        shared = sources.get((period, a), set()) & sources.get((period, b), set())
        both = seg["period"].eq(period) & seg["code"].isin([a, b]) & seg["source"].isin(shared)
        totals[(period, a, b)] = int(both.sum())
        keep = quotes["period"].eq(period) & quotes["code"].isin([a, b]) & quotes["source"].isin(shared)
        chosen.append(quotes.loc[keep.to_numpy()].assign(code_a=a, code_b=b))
    picked = pick_passages(pd.concat(chosen, ignore_index=True), ["period", "code_a", "code_b"], limit)
    picked["passages"] = [totals[key] for key in zip(picked["period"], picked["code_a"], picked["code_b"])]
    out = picked[columns].reset_index(drop=True)
    out.attrs["passages"] = totals
    return out
