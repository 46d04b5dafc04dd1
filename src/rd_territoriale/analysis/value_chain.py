"""The « chaîne de valeur élargie » (La Fonda): stages, co-construction, trajectories, evidence, cycle.

Social impact is measured along a chain whose value several actors
co-produce: resources (monetary, human, volunteer, material, relational,
territorial commons) feed activities (main and support), which give
réalisations, then résultats for someone, then impacts — and impacts
regenerate the territory's common resources: a cycle, not a line. This
module reads the ``indicators`` table (:mod:`rd_territoriale.study.contract`) and
says, with stated rules, what the chain holds, who brings what, how each
indicator moved against its baseline, which results and impacts rest on
evidence, and which resources the impacts are said to regenerate.

The rules (explicit, so that a partner can check them)
------------------------------------------------------
- **Input.** Every function takes a loaded case or the ``indicators`` table
  itself (a plain DataFrame: list cells as Python lists or ``|``-separated
  text). The optional columns ``indicator``, ``resource_kind``,
  ``activity_kind``, ``regenerates`` (and ``baseline``, ``unit``,
  ``contributors``, ``beneficiaries``, ``source``, ``evidence``) may be
  absent: a missing column is read as empty everywhere
  (:func:`indicator_table`). Periods keep the study's order (the order of
  first appearance for a bare table); ``unit=`` keeps the rows of one
  project (or a list), ``period=`` one period (or a list).
- **Indicator.** An indicator is followed across periods by its
  ``indicator`` id, or by its ``label`` when the column is absent or the
  cell empty. One row of the table is one indicator in one period.
- **Stage totals.** Per stage × period × measurement unit (``measure``):
  the number of indicator rows and the sum of their values. Values are
  never added across measures (no hours + euros). Within one measure, a
  sum is only made of additive quantities: a measure that reads as a score,
  a rate, a mean, a share or an index (« score sur 10 », « % », « taux »,
  « moyenne »…) gives a value only when one indicator carries it, NaN
  otherwise. A sum of different indicators in the same measure (« nombre »
  of ideas + of workshops) is an order of magnitude, not a measure: the
  ``labels`` column says what was added. A stage with no indicator in a
  period keeps one row, with 0 indicators: an empty stage is a finding.
- **Contributions (who brings what).** An indicator with *n* contributor
  categories counts **once for each** of them (``contributes``); the
  same for beneficiaries (``benefits``). ``co_produced`` counts the
  contributed indicators that have at least two contributors.
  ``contribution_share`` (and ``benefit_share``) attributes 1/*n* of the
  indicator to each category, so that shares add up to the number of
  indicators that name a contributor: **this is a convention, not a
  measurement** — nothing in the data says that each partner brought an
  equal part, and attributing co-produced value is precisely what cannot be
  read from the table. A category named twice in one cell counts once; an
  indicator without contributors counts for no category.
- **Trajectories.** Change is computed **only against a recorded
  baseline** (the row's own ``baseline``): ``change = value − baseline``
  and ``ratio = value / baseline`` (NaN when the baseline is 0). Without a
  baseline the row says « pas de situation de référence » and no change is
  computed: a baseline is never borrowed from another period nor guessed
  from the first value. Periods in which an indicator was not measured
  keep a row without value (a gap, not a zero).
- **Evidence.** An evidence id *resolves* when it names a coded segment or
  a journal entry of the case. A result or impact row is ``unsupported``
  when none of its evidence ids resolves (no evidence at all, or only ids
  that name nothing). An evidence passage is *quotable* for an audience by
  the rules of :func:`rd_territoriale.privacy.quotes.quotable` — the
  source's consent (interview or journal entry), the study's quote policy;
  a journal entry without recorded consent is never quotable for partners
  — counted as distinct passages. Across periods, an indicator unsupported
  in every period is flagged « impact sans preuve » (or « résultat sans
  preuve »).
- **Cycle.** ``regenerates`` lists, on impact rows, the ``indicator`` ids
  of the resources the impact regenerates. The link is **declared** by
  whoever filled the table: :func:`value_cycle` shows it beside the
  resource's trajectory (first and last measured values), and that a
  resource grows while an impact is reported is a co-occurrence, not a
  proof that the impact regenerated it. The impact's own evidence is
  checked by :func:`evidence_coverage`.

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rd_territoriale.privacy.quotes import AUDIENCES, quotable
from rd_territoriale.study.contract import LIST_SEPARATOR, VALUE_CHAIN_STAGES

#: French names of the stages, as a reader sees them.
STAGE_LABELS = {
    "ressources": "Ressources",
    "activités": "Activités",
    "réalisations": "Réalisations",
    "résultats": "Résultats",
    "impacts": "Impacts",
}
#: One of each stage, for verdicts (« impact sans preuve »).
STAGE_SINGULAR = {
    "ressources": "ressource",
    "activités": "activité",
    "réalisations": "réalisation",
    "résultats": "résultat",
    "impacts": "impact",
}
#: Stages whose evidence :func:`evidence_coverage` checks by default.
CLAIM_STAGES = ("résultats", "impacts")
#: Columns the analyses need; the others are optional.
REQUIRED_COLUMNS = ("id", "stage", "label", "period", "value", "measure")
OPTIONAL_COLUMNS = ("indicator", "resource_kind", "activity_kind", "unit", "baseline", "source")
LIST_COLUMNS = ("contributors", "beneficiaries", "evidence", "regenerates")
#: A measure containing one of these reads as a score, a rate, a mean or a share: never summed.
NON_ADDITIVE_HINTS = (
    "score",
    "sur 10",
    "sur 20",
    "sur 100",
    "%",
    "pour cent",
    "pourcentage",
    "taux",
    "moyen",
    "indice",
    "ratio",
    "part des",
    "proportion",
    "note ",
)

NO_BASELINE_NOTE = "pas de situation de référence"
ZERO_BASELINE_NOTE = "situation de référence nulle : écart calculé, pas de rapport"
NOT_MEASURED_NOTE = "pas de mesure pour cette période"

STAGE_TOTAL_COLUMNS = [
    "stage",
    "stage_label",
    "period",
    "measure",
    "indicators",
    "value",
    "additive",
    "labels",
    "stage_indicators",
]
CONTRIBUTION_COLUMNS = [
    "category",
    "category_label",
    "stage",
    "period",
    "contributes",
    "benefits",
    "co_produced",
    "contribution_share",
    "benefit_share",
]
TRAJECTORY_COLUMNS = [
    "indicator",
    "label",
    "stage",
    "kind",
    "unit",
    "measure",
    "period",
    "id",
    "value",
    "baseline",
    "has_baseline",
    "change",
    "ratio",
    "note",
]
COVERAGE_COLUMNS = [
    "id",
    "indicator",
    "label",
    "stage",
    "unit",
    "period",
    "evidence",
    "n_evidence",
    "n_segments",
    "n_journal",
    "n_resolved",
    "n_unresolved",
    "n_quotable",
    "unsupported",
    "verdict",
]
INDICATOR_COVERAGE_COLUMNS = [
    "indicator",
    "label",
    "stage",
    "unit",
    "periods",
    "supported_periods",
    "unsupported_periods",
    "n_evidence",
    "n_resolved",
    "n_quotable",
    "unsupported",
    "verdict",
]
CYCLE_COLUMNS = [
    "impact",
    "impact_label",
    "resource",
    "resource_label",
    "resource_stage",
    "resource_kind",
    "period",
    "impact_value",
    "impact_measure",
    "impact_evidence",
    "resource_value",
    "resource_measure",
    "resource_baseline",
    "resource_change",
    "resource_trend",
    "note",
]
QUOTE_COLUMNS = ["indicator", "label", "period", "evidence", "evidence_kind", "attribution", "text"]


# --------------------------------------------------------------------------- input


def _as_list(value) -> list[str]:
    """A list cell as a list of distinct non-empty strings (lists, ``a|b`` text or NA)."""
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(LIST_SEPARATOR)
    elif isinstance(value, (list, tuple, set, np.ndarray, pd.Series, pd.Index)):
        items = list(value)
    else:
        try:
            if pd.isna(value):
                return []
        except (TypeError, ValueError):
            pass
        items = [value]
    out: list[str] = []
    for item in items:
        if item is None or (not isinstance(item, str) and pd.isna(item)):
            continue
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def _split(case_or_indicators):
    """``(case or None, indicators frame)``."""
    if isinstance(case_or_indicators, pd.DataFrame):
        return None, case_or_indicators
    frame = getattr(case_or_indicators, "indicators", None)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError("attendu : un cas chargé (load_case) ou la table des indicateurs (DataFrame).")
    return case_or_indicators, frame


def indicator_table(case_or_indicators) -> pd.DataFrame:
    """The ``indicators`` table, completed and typed for the analyses of this module.

    Parameters
    ----------
    case_or_indicators : Case or pandas.DataFrame
        A loaded case, or its ``indicators`` table.

    Returns
    -------
    pandas.DataFrame
        The table with every column of the contract, optional ones included
        (an absent column is all-NA): list columns (``contributors,
        beneficiaries, evidence, regenerates``) as lists of distinct
        strings, ``value`` and ``baseline`` as floats, and ``indicator``
        filled with the ``label`` where it is absent or empty.

    Raises
    ------
    ValueError
        When a required column (``id, stage, label, period, value,
        measure``) is missing, or a stage is not a stage of the chain.
    """
    _, frame = _split(case_or_indicators)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing and not frame.empty:
        raise ValueError("colonnes absentes de la table des indicateurs : " + ", ".join(missing) + ".")
    out = pd.DataFrame(index=range(len(frame)))
    for col in ("id", "stage", "label", "period", "measure") + OPTIONAL_COLUMNS:
        if col in ("baseline",):
            continue
        values = frame[col].to_numpy() if col in frame.columns else [pd.NA] * len(frame)
        out[col] = pd.array(values, dtype="string")
        out[col] = out[col].str.strip().replace("", pd.NA)
    for col in ("value", "baseline"):
        values = frame[col].to_numpy() if col in frame.columns else [np.nan] * len(frame)
        out[col] = pd.to_numeric(pd.Series(values, index=out.index), errors="coerce").astype(float)
    for col in LIST_COLUMNS:
        values = frame[col].tolist() if col in frame.columns else [None] * len(frame)
        out[col] = pd.Series([_as_list(v) for v in values], index=out.index, dtype=object)
    out["indicator"] = out["indicator"].fillna(out["label"])
    bad = sorted(set(out["stage"].dropna()) - set(VALUE_CHAIN_STAGES))
    if bad:
        raise ValueError(
            f"étape inconnue : « {bad[0]} » ; étapes de la chaîne de valeur : " + ", ".join(VALUE_CHAIN_STAGES) + "."
        )
    order = [
        "id",
        "indicator",
        "stage",
        "resource_kind",
        "activity_kind",
        "label",
        "unit",
        "contributors",
        "beneficiaries",
        "period",
        "value",
        "measure",
        "baseline",
        "source",
        "evidence",
        "regenerates",
    ]
    return out[order]


def _periods(case, frame: pd.DataFrame) -> list[str]:
    """Period ids: the study's, then any other found in the table; else order of first appearance."""
    seen = list(dict.fromkeys(frame["period"].dropna().astype(str)))
    if case is None:
        return seen
    study = [str(p) for p in case.study.periods["id"]]
    return study + [p for p in seen if p not in study]


def _wanted(value) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _prepare(case_or_indicators, unit=None, period=None) -> tuple[object, pd.DataFrame, list[str]]:
    """``(case or None, selected indicators, selected periods)``."""
    case, _ = _split(case_or_indicators)
    frame = indicator_table(case_or_indicators)
    periods = _periods(case, frame)
    chosen = _wanted(period)
    if chosen is not None:
        unknown = [p for p in chosen if p not in periods]
        if unknown:
            raise ValueError(f"période inconnue : « {unknown[0]} » ; périodes de l'étude : {', '.join(periods)}.")
        periods = [p for p in periods if p in chosen]
        frame = frame[frame["period"].isin(periods).fillna(False).to_numpy()]
    units = _wanted(unit)
    if units is not None:
        if case is not None and not case.units.empty:
            known = [str(u) for u in case.units["id"]]
            unknown = [u for u in units if u not in known]
            if unknown:
                raise ValueError(f"projet inconnu : « {unknown[0]} » ; projets de l'étude : {', '.join(known)}.")
        frame = frame[frame["unit"].isin(units).fillna(False).to_numpy()]
    return case, frame.reset_index(drop=True), periods


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with NA as ``None`` (small tables: plain Python is faster than masks)."""
    out = []
    for rec in frame.to_dict("records"):
        out.append({k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in rec.items()})
    return out


def _sum(values: list) -> float:
    """Sum of the known values, NaN when none is known."""
    known = [float(v) for v in values if v is not None and not np.isnan(v)]
    return float(sum(known)) if known else np.nan


def _stage_rank(stages: pd.Series) -> pd.Series:
    return stages.map({s: i for i, s in enumerate(VALUE_CHAIN_STAGES)})


# --------------------------------------------------------------------------- French numbers


def _number(value) -> str:
    """``1450.0`` → ``1 450``, ``6.15`` → ``6,15`` (French, for notes and verdicts)."""
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    decimals = 0 if value.is_integer() else (1 if round(value, 1) == value else 2)
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return ("\u2212" if value < 0 else "") + text


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def is_additive(measure) -> bool:
    """Whether values in ``measure`` may be added (module docstring: not a score, rate, mean, share)."""
    if measure is None or pd.isna(measure):
        return True
    text = f" {str(measure).lower()} "
    return not any(hint in text for hint in NON_ADDITIVE_HINTS)


# --------------------------------------------------------------------------- stage totals


def stage_totals(case_or_indicators, unit=None, period=None) -> pd.DataFrame:
    """Indicators and summed values per stage × period × measurement unit (module docstring).

    Parameters
    ----------
    case_or_indicators : Case or pandas.DataFrame
        A loaded case, or its ``indicators`` table.
    unit : str or list of str, optional
        Project id(s) whose indicators are kept; all rows by default
        (indicators of the whole organisation and of each project).
    period : str or list of str, optional
        Period id(s) to keep.

    Returns
    -------
    pandas.DataFrame
        Columns ``STAGE_TOTAL_COLUMNS``, stages in chain order, periods in
        study order, measures in order of first appearance:

        - ``stage_label``: the stage's French name;
        - ``measure``: the measurement unit (NA on the single row of a stage
          without indicator in the period);
        - ``indicators``: indicator rows of the stage, period and measure;
        - ``value``: their sum; NaN when the measure is not additive and
          several indicators carry it, and on an empty stage's row;
        - ``additive``: whether the measure may be summed;
        - ``labels``: list of the indicators' labels that were added;
        - ``stage_indicators``: indicator rows of the stage and period,
          every measure together.

    Raises
    ------
    ValueError
        For an unknown period or project.
    """
    _, frame, periods = _prepare(case_or_indicators, unit, period)
    rows = []
    cells: dict[tuple, list[dict]] = {}
    for rec in _records(frame):
        cells.setdefault((rec["stage"], rec["period"]), []).append(rec)
    for stage in VALUE_CHAIN_STAGES:
        for p in periods:
            part = cells.get((stage, p), [])
            if not part:
                rows.append(
                    {
                        "stage": stage,
                        "period": p,
                        "measure": pd.NA,
                        "indicators": 0,
                        "value": np.nan,
                        "additive": pd.NA,
                        "labels": [],
                        "stage_indicators": 0,
                    }
                )
                continue
            for measure in dict.fromkeys(r["measure"] or "" for r in part):
                group = [r for r in part if (r["measure"] or "") == measure]
                additive = is_additive(measure or None)
                n = len(group)
                value = _sum([r["value"] for r in group]) if (additive or n == 1) else np.nan
                rows.append(
                    {
                        "stage": stage,
                        "period": p,
                        "measure": measure or pd.NA,
                        "indicators": n,
                        "value": value,
                        "additive": additive,
                        "labels": list(dict.fromkeys(r["label"] for r in group if r["label"])),
                        "stage_indicators": len(part),
                    }
                )
    out = pd.DataFrame(rows, columns=[c for c in STAGE_TOTAL_COLUMNS if c != "stage_label"])
    out.insert(1, "stage_label", out["stage"].map(STAGE_LABELS))
    out["indicators"] = out["indicators"].astype(int)
    out["stage_indicators"] = out["stage_indicators"].astype(int)
    out["value"] = out["value"].astype(float)
    out["additive"] = out["additive"].astype("boolean")
    for col in ("stage", "stage_label", "period", "measure"):
        out[col] = out[col].astype("string")
    return out[STAGE_TOTAL_COLUMNS]


# --------------------------------------------------------------------------- contributions


def _category_order(case, frame: pd.DataFrame) -> tuple[list[str], dict]:
    """Category ids (study order, then any other named in the table) and their French labels."""
    named = list(dict.fromkeys(c for col in ("contributors", "beneficiaries") for cell in frame[col] for c in cell))
    if case is None:
        return named, {c: c for c in named}
    cats = case.study.categories
    ids = [str(c) for c in cats["id"]]
    labels = dict(zip(ids, cats["label"].astype(str)))
    extra = [c for c in named if c not in ids]
    return ids + extra, {**{c: c for c in extra}, **labels}


def contributions(case_or_indicators, unit=None, period=None) -> pd.DataFrame:
    """Co-construction: what each stakeholder category contributes to, and benefits from, per stage and period.

    Shared contributions follow the rule of the module docstring: an
    indicator with *n* contributors counts once for each; the 1/*n*
    ``contribution_share`` is a convention, not a measurement.

    Parameters
    ----------
    case_or_indicators : Case or pandas.DataFrame
        A loaded case (categories in study order, with their labels), or
        the ``indicators`` table (categories in order of first appearance,
        labelled by their id).
    unit, period : str or list of str, optional
        As in :func:`stage_totals`.

    Returns
    -------
    pandas.DataFrame
        One row per category × stage × period (zeros included), columns
        ``CONTRIBUTION_COLUMNS``:

        - ``contributes``: indicator rows whose ``contributors`` name the
          category;
        - ``benefits``: indicator rows whose ``beneficiaries`` name it;
        - ``co_produced``: contributed rows with at least two contributors;
        - ``contribution_share``, ``benefit_share``: sums of 1/*n* over
          those rows (*n* = number of contributors, resp. beneficiaries).
    """
    case, frame, periods = _prepare(case_or_indicators, unit, period)
    categories, labels = _category_order(case, frame)
    grid = pd.MultiIndex.from_product(
        [categories, list(VALUE_CHAIN_STAGES), periods], names=["category", "stage", "period"]
    )
    out = pd.DataFrame(index=grid)
    for column, count, share in (
        ("contributors", "contributes", "contribution_share"),
        ("beneficiaries", "benefits", "benefit_share"),
    ):
        n = frame[column].map(len)
        long = frame.assign(category=frame[column], _n=n).explode("category").dropna(subset=["category"])
        long = long.assign(_share=1.0 / long["_n"].astype(float), _co=(long["_n"] >= 2))
        grouped = long.groupby(["category", "stage", "period"])
        out[count] = grouped.size().reindex(grid, fill_value=0).astype(int)
        out[share] = grouped["_share"].sum().reindex(grid, fill_value=0.0).astype(float)
        if column == "contributors":
            out["co_produced"] = grouped["_co"].sum().reindex(grid, fill_value=0).astype(int)
    out = out.reset_index()
    out.insert(1, "category_label", out["category"].map(labels))
    for col in ("category", "category_label", "stage", "period"):
        out[col] = out[col].astype("string")
    return out[CONTRIBUTION_COLUMNS]


# --------------------------------------------------------------------------- trajectories


def _indicator_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Distinct indicator × project pairs, in chain order then order of first appearance."""
    keys = frame.assign(kind=frame["resource_kind"].fillna(frame["activity_kind"]))
    keys = keys.drop_duplicates(["indicator", "unit"])[["indicator", "unit", "label", "stage", "kind", "measure"]]
    keys = keys.assign(_rank=_stage_rank(keys["stage"]), _pos=range(len(keys)))
    return keys.sort_values(["_rank", "_pos"], kind="mergesort").drop(columns=["_rank", "_pos"])


def indicator_trajectories(case_or_indicators, unit=None, period=None) -> pd.DataFrame:
    """Each indicator period by period, with its change against the baseline where one is recorded.

    Parameters
    ----------
    case_or_indicators : Case or pandas.DataFrame
        A loaded case, or its ``indicators`` table.
    unit, period : str or list of str, optional
        As in :func:`stage_totals`.

    Returns
    -------
    pandas.DataFrame
        One row per indicator × project × period (every selected period,
        a period without a measure kept as a gap), indicators in chain
        order, columns ``TRAJECTORY_COLUMNS``:

        - ``indicator``: the ``indicator`` id, or the label;
        - ``kind``: ``resource_kind`` or ``activity_kind`` (NA when absent);
        - ``id``: the row of ``indicators`` (NA for a gap);
        - ``value``, ``baseline``: as recorded (NaN when absent);
        - ``has_baseline``: whether the row records a baseline;
        - ``change`` = value − baseline and ``ratio`` = value / baseline,
          only where a baseline exists (``ratio`` NaN for a baseline of 0);
        - ``note``: « pas de situation de référence », « situation de
          référence nulle… », « pas de mesure pour cette période », or NA.
    """
    _, frame, periods = _prepare(case_or_indicators, unit, period)
    keys = _indicator_keys(frame)
    cells: dict[tuple, list[dict]] = {}
    for rec in _records(frame):
        cells.setdefault((rec["indicator"], rec["unit"], rec["period"]), []).append(rec)
    rows = []
    for key in _records(keys):
        for p in periods:
            here = cells.get((key["indicator"], key["unit"], p), [])
            base = {
                "indicator": key["indicator"],
                "label": key["label"],
                "stage": key["stage"],
                "kind": key["kind"],
                "unit": key["unit"],
                "measure": key["measure"],
                "period": p,
            }
            if not here:
                rows.append({**base, "id": pd.NA, "value": np.nan, "baseline": np.nan, "note": NOT_MEASURED_NOTE})
            for r in here:
                rows.append(
                    {
                        **base,
                        "measure": r["measure"],
                        "id": r["id"],
                        "value": r["value"],
                        "baseline": np.nan if r["baseline"] is None else r["baseline"],
                        "note": pd.NA,
                    }
                )
    out = pd.DataFrame(rows, columns=[c for c in TRAJECTORY_COLUMNS if c not in ("has_baseline", "change", "ratio")])
    out["value"] = out["value"].astype(float)
    out["baseline"] = out["baseline"].astype(float)
    out["has_baseline"] = out["baseline"].notna()
    out["change"] = np.where(out["has_baseline"], out["value"] - out["baseline"], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(out["has_baseline"] & (out["baseline"] != 0), out["value"] / out["baseline"], np.nan)
    measured = out["id"].notna()
    out.loc[(measured & ~out["has_baseline"]).to_numpy(), "note"] = NO_BASELINE_NOTE
    out.loc[(measured & out["has_baseline"] & (out["baseline"] == 0)).to_numpy(), "note"] = ZERO_BASELINE_NOTE
    for col in ("indicator", "label", "stage", "kind", "unit", "measure", "period", "id", "note"):
        out[col] = out[col].astype("string")
    return out[TRAJECTORY_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- evidence


def _journal_as_segments(case) -> pd.DataFrame:
    """Journal entries shaped as segments (one passage per entry), for :func:`quotable`."""
    j = case.journal
    return pd.DataFrame(
        {
            "id": j["id"].astype("string").to_numpy(),
            "source": j["id"].astype("string").to_numpy(),
            "coder": pd.array([pd.NA] * len(j), dtype="string"),
            "code": pd.array([pd.NA] * len(j), dtype="string"),
            "start": pd.array([pd.NA] * len(j), dtype="Int64"),
            "end": pd.array([pd.NA] * len(j), dtype="Int64"),
            "text": j["text"].astype("string").to_numpy(),
            "speaker": j["author"].astype("string").to_numpy(),
            "period": j["period"].astype("string").to_numpy(),
            "source_kind": pd.array(["journal"] * len(j), dtype="string"),
        }
    )


def _evidence_passages(case, ids, audience: str) -> tuple[set, set, pd.DataFrame]:
    """``(segment ids, journal ids, quotable passages)`` among ``ids``.

    The quotable passages are :func:`quotable`'s rows (``id, source, code,
    period, text, attribution``) plus ``evidence_kind`` (``segment`` or
    ``journal``), distinct passages only.
    """
    ids = set(ids)
    segments = case.segments[case.segments["id"].astype(str).isin(ids).to_numpy()]
    seg_ids = set(segments["id"].astype(str))
    journal = _journal_as_segments(case)
    journal = journal[journal["id"].isin(ids - seg_ids).to_numpy()]
    jour_ids = set(journal["id"].astype(str))
    parts = []
    for kind, rows in (("segment", segments), ("journal", journal)):
        if not rows.empty:
            parts.append(quotable(case, rows, audience).assign(evidence_kind=kind))
    if parts:
        ok = pd.concat(parts, ignore_index=True)
    else:
        ok = pd.DataFrame(
            {
                c: pd.Series(dtype="string")
                for c in ["id", "source", "code", "period", "text", "attribution", "evidence_kind"]
            }
        )
    return seg_ids, jour_ids, ok


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"audience inconnue : « {audience} » ; attendu : {' ou '.join(AUDIENCES)}.")


def _row_verdict(stage: str, n_evidence: int, n_resolved: int, n_unresolved: int, n_quotable: int) -> str:
    what = STAGE_SINGULAR.get(stage, "indicateur")
    if n_evidence == 0:
        return f"{what} sans preuve : aucune preuve déclarée"
    if n_resolved == 0:
        return (
            f"{what} sans preuve : {_plural(n_evidence, 'preuve déclarée', 'preuves déclarées')}, "
            f"{'introuvable' if n_evidence == 1 else 'toutes introuvables'} dans les données"
        )
    text = f"étayé par {_plural(n_resolved, 'preuve')}, "
    text += "aucune citable pour ce public" if n_quotable == 0 else f"dont {_plural(n_quotable, 'citable')}"
    if n_unresolved:
        text += f" ; {_plural(n_unresolved, 'identifiant introuvable', 'identifiants introuvables')}"
    return text


def evidence_coverage(
    case, audience: str = "partenaires", stages=CLAIM_STAGES, by: str = "row", unit=None, period=None
) -> pd.DataFrame:
    """Which results and impacts rest on evidence, and how much of it may be quoted.

    Parameters
    ----------
    case : Case
        The loaded case (indicators, segments, journal, documents, people).
    audience : str
        ``partenaires`` or ``equipe`` (quotability, see
        :func:`rd_territoriale.privacy.quotes.quotable`).
    stages : tuple of str
        Stages checked: results and impacts by default (the claims);
        ``VALUE_CHAIN_STAGES`` checks every row.
    by : str
        ``row``: one row per indicator row (indicator × period);
        ``indicator``: one row per indicator across the periods.
    unit, period : str or list of str, optional
        As in :func:`stage_totals`.

    Returns
    -------
    pandas.DataFrame
        With ``by="row"``, columns ``COVERAGE_COLUMNS``, in chain order:

        - ``evidence``: the listed ids; ``n_evidence`` their number;
        - ``n_segments``, ``n_journal``: ids naming a coded segment, a
          journal entry; ``n_resolved`` their sum, ``n_unresolved`` the
          ids naming nothing;
        - ``n_quotable``: distinct evidence passages quotable for the
          audience;
        - ``unsupported``: no id resolves (no evidence at all, or only ids
          that name nothing);
        - ``verdict``: in French (« impact sans preuve : aucune preuve
          déclarée », « étayé par 3 preuves, dont 2 citables »…).

        With ``by="indicator"``, columns ``INDICATOR_COVERAGE_COLUMNS``:
        ``periods`` (rows), ``supported_periods`` (their number),
        ``unsupported_periods`` (list of period ids), summed counts,
        ``unsupported`` (in every period) and a French ``verdict``
        (« impact sans preuve : aucune preuve à aucune période », « sans
        preuve en P4 », « étayé à chaque période… »).

    Raises
    ------
    ValueError
        For an unknown audience, stage, ``by``, period or project.
    """
    _check_audience(audience)
    if by not in ("row", "indicator"):
        raise ValueError(f"regroupement inconnu : « {by} » ; attendu : row ou indicator.")
    stages = [stages] if isinstance(stages, str) else list(stages)
    bad = [s for s in stages if s not in VALUE_CHAIN_STAGES]
    if bad:
        raise ValueError(f"étape inconnue : « {bad[0]} » ; étapes : {', '.join(VALUE_CHAIN_STAGES)}.")
    _, frame, periods = _prepare(case, unit, period)
    frame = frame[frame["stage"].isin(stages).fillna(False).to_numpy()]
    frame = frame.assign(_rank=_stage_rank(frame["stage"]), _pos=range(len(frame)))
    frame = frame.sort_values(["_rank", "_pos"], kind="mergesort").reset_index(drop=True)
    all_ids = {e for cell in frame["evidence"] for e in cell}
    seg_ids, jour_ids, ok = _evidence_passages(case, all_ids, audience)
    quotable_ids = set(ok["id"].astype(str))
    rows = []
    for r in frame.itertuples(index=False):
        ev = list(r.evidence)
        n_seg = sum(e in seg_ids for e in ev)
        n_jour = sum(e in jour_ids and e not in seg_ids for e in ev)
        n_res = n_seg + n_jour
        n_q = sum(e in quotable_ids for e in ev)
        rows.append(
            {
                "id": r.id,
                "indicator": r.indicator,
                "label": r.label,
                "stage": r.stage,
                "unit": r.unit,
                "period": r.period,
                "evidence": ev,
                "n_evidence": len(ev),
                "n_segments": n_seg,
                "n_journal": n_jour,
                "n_resolved": n_res,
                "n_unresolved": len(ev) - n_res,
                "n_quotable": n_q,
                "unsupported": n_res == 0,
                "verdict": _row_verdict(r.stage, len(ev), n_res, len(ev) - n_res, n_q),
            }
        )
    out = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    for col in ("n_evidence", "n_segments", "n_journal", "n_resolved", "n_unresolved", "n_quotable"):
        out[col] = out[col].astype(int)
    out["unsupported"] = out["unsupported"].astype(bool)
    for col in ("id", "indicator", "label", "stage", "unit", "period", "verdict"):
        out[col] = out[col].astype("string")
    return out if by == "row" else _by_indicator(out, periods)


def _by_indicator(coverage: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Per indicator × project across periods (see :func:`evidence_coverage`)."""
    rows = []
    for (_, _), group in coverage.groupby(["indicator", "unit"], sort=False, dropna=False):
        first = group.iloc[0]
        order = {p: i for i, p in enumerate(periods)}
        group = group.assign(_p=group["period"].map(order)).sort_values("_p", kind="mergesort")
        missing = [str(p) for p in group.loc[group["unsupported"].to_numpy(), "period"]]
        n, n_missing = len(group), len(missing)
        what = STAGE_SINGULAR.get(str(first["stage"]), "indicateur")
        n_res, n_q = int(group["n_resolved"].sum()), int(group["n_quotable"].sum())
        if n_missing == n:
            verdict = (
                f"{what} sans preuve : aucune preuve à aucune période"
                if n > 1
                else f"{what} sans preuve : aucune preuve"
            )
        elif n_missing:
            verdict = f"sans preuve en {', '.join(missing)}"
        else:
            verdict = f"étayé à chaque période ({_plural(n_res, 'preuve')}, " + (
                "aucune citable pour ce public)" if n_q == 0 else f"dont {_plural(n_q, 'citable')})"
            )
        rows.append(
            {
                "indicator": first["indicator"],
                "label": first["label"],
                "stage": first["stage"],
                "unit": first["unit"],
                "periods": n,
                "supported_periods": n - n_missing,
                "unsupported_periods": missing,
                "n_evidence": int(group["n_evidence"].sum()),
                "n_resolved": n_res,
                "n_quotable": n_q,
                "unsupported": n_missing == n,
                "verdict": verdict,
            }
        )
    out = pd.DataFrame(rows, columns=INDICATOR_COVERAGE_COLUMNS)
    for col in ("periods", "supported_periods", "n_evidence", "n_resolved", "n_quotable"):
        out[col] = out[col].astype(int)
    out["unsupported"] = out["unsupported"].astype(bool)
    for col in ("indicator", "label", "stage", "unit", "verdict"):
        out[col] = out[col].astype("string")
    return out


def evidence_quotes(
    case, indicator_or_label: str, audience: str = "partenaires", limit: int | None = 3, period=None
) -> pd.DataFrame:
    """Quotable evidence passages of an indicator, attributed by stakeholder category, for a report.

    Parameters
    ----------
    case : Case
        The loaded case.
    indicator_or_label : str
        The indicator's ``indicator`` id, its label, or the ``id`` of one of
        its rows.
    audience : str
        ``partenaires`` or ``equipe``
        (:func:`rd_territoriale.privacy.quotes.quotable`).
    limit : int or None
        Most passages returned (all with ``None``). They are spread over the
        periods: the first passage of each period in turn (periods in study
        order, passages in the order of the ``evidence`` cell), then the
        second…
    period : str or list of str, optional
        Period id(s) whose evidence is read.

    Returns
    -------
    pandas.DataFrame
        Columns ``QUOTE_COLUMNS``: ``period`` (of the indicator row),
        ``evidence`` (the segment or journal id), ``evidence_kind``
        (``segment`` or ``journal``), ``attribution`` (a category label,
        never a person), ``text``; in period order. Empty when nothing may
        be quoted.

    Raises
    ------
    ValueError
        For an unknown indicator or audience.
    """
    _check_audience(audience)
    _, frame, periods = _prepare(case, None, period)
    key = str(indicator_or_label)
    mine = frame[
        ((frame["indicator"] == key) | (frame["label"] == key) | (frame["id"] == key)).fillna(False).to_numpy()
    ]
    if mine.empty:
        known = ", ".join(dict.fromkeys(frame["indicator"].dropna()))
        raise ValueError(f"indicateur inconnu : « {key} » ; indicateurs : {known}.")
    if key in set(mine["id"]) and key not in set(mine["indicator"]) and key not in set(mine["label"]):
        mine = frame[(frame["indicator"] == mine["indicator"].iloc[0]).fillna(False).to_numpy()]
    order = {p: i for i, p in enumerate(periods)}
    mine = mine.assign(rank=mine["period"].map(order)).sort_values("rank", kind="mergesort")
    _, _, ok = _evidence_passages(case, {e for cell in mine["evidence"] for e in cell}, audience)
    ok = ok.drop_duplicates("id").set_index("id")
    queues, seen = [], set()
    for r in mine.itertuples(index=False):
        queue = []
        for e in r.evidence:
            if e in ok.index and e not in seen:
                text = str(ok.at[e, "text"])
                if text in seen:
                    continue
                seen.update({e, text})
                queue.append(
                    {
                        "indicator": r.indicator,
                        "label": r.label,
                        "period": r.period,
                        "evidence": e,
                        "evidence_kind": ok.at[e, "evidence_kind"],
                        "attribution": ok.at[e, "attribution"],
                        "text": text,
                        "rank": r.rank,
                    }
                )
        queues.append(queue)
    chosen = []
    depth = max((len(q) for q in queues), default=0)
    for k in range(depth):
        for q in queues:
            if k < len(q) and (limit is None or len(chosen) < limit):
                chosen.append(q[k])
    out = pd.DataFrame(chosen, columns=QUOTE_COLUMNS + ["rank"])
    out = out.sort_values("rank", kind="mergesort").drop(columns="rank").reset_index(drop=True)
    return out.astype({c: "string" for c in QUOTE_COLUMNS})


# --------------------------------------------------------------------------- cycle


def _trend(values: pd.Series) -> str:
    """« en hausse », « en baisse », « stable », « une seule mesure » or « pas de mesure »."""
    v = values.dropna()
    if v.empty:
        return "pas de mesure"
    if len(v) == 1:
        return "une seule mesure"
    first, last = float(v.iloc[0]), float(v.iloc[-1])
    return "en hausse" if last > first else ("en baisse" if last < first else "stable")


def value_cycle(case_or_indicators, unit=None, period=None) -> pd.DataFrame:
    """Which impacts regenerate which resources, beside the resources' trajectories.

    Parameters
    ----------
    case_or_indicators : Case or pandas.DataFrame
        A loaded case, or its ``indicators`` table.
    unit : str or list of str, optional
        Project id(s) whose impacts are kept; the regenerated resources are
        looked up in the whole table (they are often the organisation's).
    period : str or list of str, optional
        Period id(s) to keep (for impacts and resources alike).

    Returns
    -------
    pandas.DataFrame
        One row per link (impact → resource) × period, links in the order of
        the impacts, columns ``CYCLE_COLUMNS``; empty (with these columns)
        when the table has no ``regenerates`` column or no link:

        - ``impact``, ``resource``: ``indicator`` ids (labels when the
          column is absent); ``resource_stage`` NA when the id names no
          indicator;
        - ``impact_value``, ``resource_value``: per period (rows of one
          indicator in several projects are summed), NaN when not measured;
        - ``impact_evidence``: evidence ids listed on the impact's row (not
          checked here: see :func:`evidence_coverage`);
        - ``resource_change``: value − baseline, only where the resource
          records a baseline;
        - ``resource_trend``: the resource from its first to its last
          measured period — « en hausse », « en baisse », « stable »,
          « une seule mesure », « pas de mesure », « indicateur
          introuvable » or « pas une ressource »;
        - ``note``: a French sentence stating the declared link and the
          trend; a link, not a proof.
    """
    _, frame, periods = _prepare(case_or_indicators, None, period)
    empty = pd.DataFrame({c: pd.Series(dtype="string") for c in CYCLE_COLUMNS})
    impacts = frame[(frame["stage"] == "impacts").fillna(False).to_numpy()]
    units = _wanted(unit)
    if units is not None:
        impacts = impacts[impacts["unit"].isin(units).fillna(False).to_numpy()]
    links: dict[tuple[str, str], None] = {}
    for r in impacts.itertuples(index=False):
        for item in r.regenerates:
            links[(r.indicator, item)] = None
    if not links:
        return _type_cycle(empty)

    by_key: dict[str, list[dict]] = {}
    for rec in _records(frame):
        by_key.setdefault(rec["indicator"], []).append(rec)

    def per_period(key: str) -> pd.DataFrame:
        rows = by_key.get(key, [])
        return pd.DataFrame(
            {
                "value": [_sum([r["value"] for r in rows if r["period"] == p]) for p in periods],
                "baseline": [_sum([r["baseline"] for r in rows if r["period"] == p]) for p in periods],
                "evidence": [
                    sum(len(r["evidence"]) for r in rows if r["period"] == p)
                    if any(r["period"] == p for r in rows)
                    else pd.NA
                    for p in periods
                ],
            },
            index=periods,
        )

    out = []
    for impact, resource in links:
        irows = frame[(frame["indicator"] == impact).fillna(False).to_numpy()]
        rrows = frame[(frame["indicator"] == resource).fillna(False).to_numpy()]
        iv, rv = per_period(impact), per_period(resource)
        r_stage = rrows["stage"].iloc[0] if len(rrows) else pd.NA
        if rrows.empty:
            trend = "indicateur introuvable"
        elif r_stage != "ressources":
            trend = "pas une ressource"
        else:
            trend = _trend(rv["value"])
        i_label = irows["label"].iloc[0]
        r_label = rrows["label"].iloc[0] if len(rrows) else pd.NA
        r_measure = rrows["measure"].iloc[0] if len(rrows) else pd.NA
        kinds = rrows["resource_kind"].dropna() if len(rrows) else pd.Series(dtype="string")
        if trend in ("indicateur introuvable", "pas une ressource"):
            what = (
                "aucun indicateur ne porte cet identifiant"
                if trend == "indicateur introuvable"
                else f"cet indicateur est de l'étape « {r_stage} », pas une ressource"
            )
            note = f"« {i_label} » déclare régénérer « {resource} » : {what}."
        else:
            measured = rv["value"].dropna()
            unit_text = f" {r_measure}" if pd.notna(r_measure) else ""
            if len(measured) >= 2:
                detail = (
                    f"passe de {_number(measured.iloc[0])}{unit_text} ({measured.index[0]}) à "
                    f"{_number(measured.iloc[-1])}{unit_text} ({measured.index[-1]}) : {trend}"
                )
            elif len(measured) == 1:
                detail = f"n'a qu'une mesure ({_number(measured.iloc[0])}{unit_text} en {measured.index[0]})"
            else:
                detail = "n'est mesurée à aucune période"
            note = (
                f"« {i_label} » déclare régénérer « {r_label} » ; la ressource {detail}. "
                "Lien déclaré, que ces chiffres ne démontrent pas."
            )
        for p in periods:
            base = rv.loc[p, "baseline"]
            value = rv.loc[p, "value"]
            out.append(
                {
                    "impact": impact,
                    "impact_label": i_label,
                    "resource": resource,
                    "resource_label": r_label,
                    "resource_stage": r_stage,
                    "resource_kind": kinds.iloc[0] if len(kinds) else pd.NA,
                    "period": p,
                    "impact_value": iv.loc[p, "value"],
                    "impact_measure": irows["measure"].iloc[0],
                    "impact_evidence": iv.loc[p, "evidence"],
                    "resource_value": value,
                    "resource_measure": r_measure,
                    "resource_baseline": base,
                    "resource_change": value - base if pd.notna(base) else np.nan,
                    "resource_trend": trend,
                    "note": note,
                }
            )
    return _type_cycle(pd.DataFrame(out, columns=CYCLE_COLUMNS))


def _type_cycle(out: pd.DataFrame) -> pd.DataFrame:
    for col in ("impact_value", "resource_value", "resource_baseline", "resource_change"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["impact_evidence"] = pd.to_numeric(out["impact_evidence"], errors="coerce").astype("Int64")
    for col in (
        "impact",
        "impact_label",
        "resource",
        "resource_label",
        "resource_stage",
        "resource_kind",
        "period",
        "impact_measure",
        "resource_measure",
        "resource_trend",
        "note",
    ):
        out[col] = out[col].astype("string")
    return out[CYCLE_COLUMNS].reset_index(drop=True)
