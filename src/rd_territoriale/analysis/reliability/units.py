"""Units compared: passages (segments overlapping enough) or sources, and the coders × units matrices.

Part of :mod:`rd_territoriale.analysis.reliability` (the unit-of-analysis rules are in its docstring).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from rd_territoriale.analysis.material import period_ids
from rd_territoriale.analysis.matrices import primary_coder

UNITS = ("span", "source")
OVERLAPS = ("shorter", "union")
MIN_OVERLAP = 0.5
NOTHING = "—"

UNIT_COLUMNS = ["unit", "source", "period", "start", "end", "coder", "code", "present"]


@dataclass
class Units:
    """Units compared: one row per unit, and the coders' values per code."""

    unit: str
    table: pd.DataFrame  # unit, source, period, start, end (row i = unit i)
    coders: list[str]
    codes: list[str]
    values: np.ndarray  # (codes, coders, units): 1 applied, 0 not, NaN source not coded
    segments: pd.DataFrame  # segments compared, with "u" (unit) and "c" (coder) positions
    primary: str | None
    periods: list[str]
    n_segments: dict  # segments per coder (all sources), to rank the coders of a pair


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
        raise ValueError(f"chevauchement minimal invalide : {min_overlap!r} ; attendu une part entre 0 (exclu) et 1.")


def _span_groups(src: np.ndarray, start: np.ndarray, end: np.ndarray, min_overlap: float, overlap: str) -> np.ndarray:
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


def build_units(
    data, unit: str = "span", min_overlap: float = MIN_OVERLAP, overlap: str = "shorter", coders=None, codes=None
) -> Units:
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
            raise ValueError(
                f"codeur inconnu : {', '.join(unknown)} n'a codé aucun segment ; codeurs : {', '.join(known)}."
            )
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
        start = (
            pd.to_numeric(seg["start"], errors="coerce").astype(float).to_numpy()
            if "start" in seg.columns
            else np.full(len(seg), np.nan)
        )
        end = (
            pd.to_numeric(seg["end"], errors="coerce").astype(float).to_numpy()
            if "end" in seg.columns
            else np.full(len(seg), np.nan)
        )
        labels = _span_groups(src_index, start, end, min_overlap, overlap)

    period_of = {}
    if "period" in seg.columns:
        per = pd.DataFrame({"source": source, "period": seg["period"].astype(object).to_numpy()}).dropna()
        period_of = per.drop_duplicates("source").set_index("source")["period"].astype(str).to_dict()
    info = pd.DataFrame({"label": labels, "source": source, "s": src_index})
    if unit == "span":
        info["start"], info["end"] = start, end
        grouped = info.groupby("label", sort=False).agg(
            source=("source", "first"), s=("s", "first"), start=("start", "min"), end=("end", "max")
        )
    else:
        grouped = info.groupby("label", sort=False).agg(source=("source", "first"), s=("s", "first"))
        grouped["start"] = grouped["end"] = np.nan
    grouped = grouped.sort_values(["source", "start", "end"], kind="mergesort", na_position="last")
    rank = grouped.groupby("source", sort=False).cumcount() + 1
    order = pd.Series(np.arange(len(grouped)), index=grouped.index)
    u = order.reindex(labels).to_numpy()
    table = pd.DataFrame(
        {
            "unit": pd.array(
                grouped["source"].to_numpy()
                if unit == "source"
                else (grouped["source"] + "/" + rank.astype(str)).to_numpy(),
                dtype="string",
            ),
            "source": pd.array(grouped["source"].to_numpy(), dtype="string"),
            "period": pd.array([period_of.get(s) for s in grouped["source"]], dtype="string"),
            "start": pd.array(grouped["start"].to_numpy(), dtype="Float64").astype("Int64"),
            "end": pd.array(grouped["end"].to_numpy(), dtype="Float64").astype("Int64"),
        }
    )

    n_coders = len(known)
    coded = np.zeros((n_coders, len(src_names)), dtype=bool)
    coded[c_index, src_index] = True
    unit_source = grouped["s"].to_numpy(dtype=np.int64)
    values = np.where(coded[:, unit_source], 0.0, np.nan)[None].repeat(len(all_codes), axis=0)
    k_index = pd.Index(all_codes).get_indexer(seg_code)
    mine = k_index >= 0
    values[k_index[mine], c_index[mine], u[mine]] = 1.0
    used = seg.assign(u=u, c=c_index)
    return Units(unit, table, known, all_codes, values, used, primary, periods, n_segments)


def join_codes(frame: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """``column`` joined by ``sep`` per group of ``keys``, in the frame's row order.

    Rows are stably sorted by ``keys`` first, so that each group is one run of
    rows; the joins are made on these runs (no pandas call per group).
    """
    frame = frame.sort_values(keys, kind="mergesort")
    n = len(frame)
    if n == 0:
        index = (
            pd.MultiIndex.from_arrays([[] for _ in keys], names=keys) if len(keys) > 1 else pd.Index([], name=keys[0])
        )
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


def coding_units(
    data, unit: str = "span", min_overlap: float = MIN_OVERLAP, overlap: str = "shorter", coders=None, codes=None
) -> pd.DataFrame:
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
    units = build_units(data, unit, min_overlap, overlap, coders, codes)
    k, c, u = np.nonzero(~np.isnan(units.values))
    order = np.lexsort((k, c, u))
    k, c, u = k[order], c[order], u[order]
    out = units.table.iloc[u].reset_index(drop=True)
    out["coder"] = pd.array(np.asarray(units.coders, dtype=object)[c], dtype="string")
    out["code"] = pd.array(np.asarray(units.codes, dtype=object)[k], dtype="string")
    out["present"] = units.values[k, c, u] == 1
    out = out[UNIT_COLUMNS]
    out.attrs.update(
        unit=unit,
        min_overlap=min_overlap,
        overlap=overlap,
        coders=units.coders,
        codes=units.codes,
        primary_coder=units.primary,
    )
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
    given = join_codes(present, ["coder", "unit"], "code", " + ")
    cells = units[["coder", "unit"]].drop_duplicates()
    keys = pd.MultiIndex.from_frame(cells)
    cells = cells.assign(value=given.reindex(keys).astype(object).fillna(NOTHING).to_numpy())
    wide = cells.pivot(index="coder", columns="unit", values="value").reindex(columns=order)
    wide = wide.astype(object).where(wide.notna(), None)
    wide.index.name, wide.columns.name = "coder", "unit"
    return wide.sort_index()
