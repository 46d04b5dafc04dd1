"""Agreement per code and overall (per period or pair of coders), and the disagreements to discuss.

Part of :mod:`rd_territoriale.analysis.reliability` (measures, statuses and references in its docstring).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.analysis.reliability.coefficients import (
    NOT_COMPUTABLE,
    KappaResult,
    agreement_status,
    fleiss_kappa,
    kappa_from_table,
    krippendorff_alpha,
)
from rd_territoriale.analysis.reliability.units import MIN_OVERLAP, NOTHING, Units, build_units, join_codes

BY = (None, "period", "pair")
POOLED = ("decisions", "nominal")
MIN_UNITS = 10
MIN_CODED = 5
OVERALL = "ensemble"
OVERALL_LABEL = "Ensemble des codes"
NOT_CODED = "source non codée"

AGREEMENT_COLUMNS = [
    "code",
    "label",
    "units",
    "decisions",
    "n_coders",
    "units_coded",
    "units_agreed",
    "same_code_share",
    "primary_units",
    "primary_confirmed",
    "percent_agreement",
    "cohen_kappa",
    "kappa_ci_low",
    "kappa_ci_high",
    "fleiss_kappa",
    "krippendorff_alpha",
    "status",
    "reason",
]
#: Columns of :func:`disagreements` (one column per coder goes between ``label`` and ``text``).
DISAGREEMENT_COLUMNS = [
    "unit",
    "source",
    "period",
    "start",
    "end",
    "code",
    "label",
    "text",
    "segments",
    "krippendorff_alpha",
    "status",
]


# --------------------------------------------------------------------------- agreement


def _nominal_values(units: Units) -> tuple[np.ndarray, float]:
    """Nominal view as floats (category numbers, NaN missing) and the number of « nothing »."""
    seg = units.segments
    given = pd.DataFrame(
        {"c": seg["c"].to_numpy(), "u": seg["u"].to_numpy(), "code": seg["code"].astype(str).to_numpy()}
    )
    given = given.loc[given["code"].isin(units.codes).to_numpy()].drop_duplicates()
    given = join_codes(given.sort_values("code", kind="mergesort"), ["c", "u"], "code", " + ")
    labels, cats = pd.factorize(given, sort=True)
    empty = float(len(cats))
    out = (
        np.where(np.isnan(units.values[0]), np.nan, empty)
        if len(units.codes)
        else np.full((len(units.coders), len(units.table)), np.nan)
    )
    if len(given):
        out[given.index.get_level_values("c"), given.index.get_level_values("u")] = labels
    return out, empty


def _stats(
    matrix: np.ndarray, empty: float, ref: int | None, min_units: int, min_coded: int, decisions_per_unit: int = 1
) -> dict:
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
        kappa = kappa_from_table(np.bincount(cell, minlength=k * k).reshape(k, k))
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


def _groups(units: Units, by):
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
        rank = sorted(
            range(len(units.coders)), key=lambda c: (-int(units.n_segments.get(units.coders[c], 0)), units.coders[c])
        )
        for a, b in itertools.combinations(rank, 2):
            yield {"coder_a": units.coders[a], "coder_b": units.coders[b]}, [a, b], every


def _reference(units: Units, rows: list[int], by) -> int | None:
    """Position, in ``rows``, of the reference coder: the primary coder, or the pair's first."""
    if by == "pair":
        return 0
    names = [units.coders[r] for r in rows]
    return names.index(units.primary) if units.primary in names else None


def _agreement_table(units: Units, by, pooled: str, min_units: int, min_coded: int, labels: dict) -> pd.DataFrame:
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
                block = units.values[:, rows][:, :, mask]  # codes × coders × units
                flat = block.transpose(1, 2, 0).reshape(len(rows), block.shape[0] * block.shape[2])  # unit-major
                stats = _stats(flat, 0.0, ref, min_units, min_coded, max(len(units.codes), 1))
            label = OVERALL_LABEL if code == OVERALL else labels.get(code, code)
            records.append({**group, "code": code, "label": label, **stats})
    out = pd.DataFrame.from_records(records, columns=group_cols + AGREEMENT_COLUMNS)
    ints = ["units", "decisions", "n_coders", "units_coded", "units_agreed", "primary_units"]
    out[ints] = out[ints].astype("int64")
    floats = [
        "same_code_share",
        "primary_confirmed",
        "percent_agreement",
        "cohen_kappa",
        "kappa_ci_low",
        "kappa_ci_high",
        "fleiss_kappa",
        "krippendorff_alpha",
    ]
    out[floats] = out[floats].astype(float)
    return out


def agreement(
    data,
    unit: str = "span",
    by=None,
    min_overlap: float = MIN_OVERLAP,
    overlap: str = "shorter",
    coders=None,
    codes=None,
    pooled: str = "decisions",
    min_units: int = MIN_UNITS,
    min_coded: int = MIN_CODED,
    labels: dict | None = None,
) -> pd.DataFrame:
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
        ``report.limits.study_limits(reliability=...)``. ``attrs``: ``unit,
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
    units = build_units(data, unit, min_overlap, overlap, coders, codes)
    out = _agreement_table(units, by, pooled, min_units, min_coded, _labels(data, labels))
    out.attrs.update(
        unit=unit,
        min_overlap=min_overlap,
        overlap=overlap,
        by=by,
        pooled=pooled,
        coders=units.coders,
        primary_coder=units.primary,
    )
    return out


# --------------------------------------------------------------------------- disagreements


def _joined_texts(seg: pd.DataFrame, keys: list[str]) -> tuple[pd.Series, pd.Series]:
    """Distinct texts (position order, joined by « […] ») and segment ids of each key group."""
    frame = pd.DataFrame({k: seg[k].to_numpy() for k in keys})
    frame["text"] = (
        seg["text"].astype(object).fillna("").astype(str).str.strip().to_numpy() if "text" in seg.columns else ""
    )
    frame["id"] = seg["id"].astype(str).to_numpy() if "id" in seg.columns else ""
    frame["pos"] = (
        pd.to_numeric(seg["start"], errors="coerce").to_numpy(dtype=float) if "start" in seg.columns else np.nan
    )
    frame = frame.sort_values(["pos", "id"], kind="mergesort")
    texts = frame.loc[(frame["text"] != "").to_numpy()].drop_duplicates([*keys, "text"])
    return (
        join_codes(texts, keys, "text", " […] "),
        join_codes(frame.loc[(frame["id"] != "").to_numpy()], keys, "id", ", "),
    )


def disagreements(
    data,
    unit: str = "span",
    min_overlap: float = MIN_OVERLAP,
    overlap: str = "shorter",
    coders=None,
    codes=None,
    labels: dict | None = None,
) -> pd.DataFrame:
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
    units = build_units(data, unit, min_overlap, overlap, coders, codes)
    labels = _labels(data, labels)
    summary = _agreement_table(units, None, "decisions", MIN_UNITS, MIN_CODED, labels)
    summary = summary.loc[summary["code"] != OVERALL].set_index("code")
    values = units.values
    ok = ~np.isnan(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if values.shape[1] == 0:  # no coder at all: nothing can disagree
            split = np.zeros((values.shape[0], values.shape[2]), dtype=bool)
        else:
            split = (ok.sum(axis=1) >= 2) & (np.nanmax(values, axis=1) != np.nanmin(values, axis=1))
    k, u = np.nonzero(split)
    out = units.table.iloc[u].reset_index(drop=True)
    code_names = np.asarray(units.codes, dtype=object)
    out.insert(5, "code", pd.array(code_names[k], dtype="string"))
    out.insert(6, "label", [labels.get(c, c) for c in code_names[k]])
    seg = units.segments
    seg = seg.loc[np.isin(seg["u"].to_numpy(), u)]
    if unit == "span":
        given = pd.DataFrame(
            {"c": seg["c"].to_numpy(), "u": seg["u"].to_numpy(), "code": seg["code"].astype(str).to_numpy()}
        )
        given = given.loc[given["code"].isin(units.codes).to_numpy()].drop_duplicates()
        given = join_codes(given.sort_values("code", kind="mergesort"), ["c", "u"], "code", " + ")
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
    out = (
        out.assign(_a=alpha_key, _s=start_key)
        .sort_values(["_a", "code", "source", "_s", "unit"], kind="mergesort")
        .drop(columns=["_a", "_s"])
    )
    out = out.reset_index(drop=True)
    out.attrs.update(
        unit=unit, min_overlap=min_overlap, overlap=overlap, coders=units.coders, primary_coder=units.primary
    )
    return out
