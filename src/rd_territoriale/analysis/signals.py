"""The coûte-que-coûte signal: pressure and over-investment rising among employees.

The *coûte que coûte* logic (a project carried at any cost, by employees who
over-invest) shows in interviews as codes of pressure and over-investment.
The signal compares, in the interviews of one stakeholder category
(employees by default) and in those of everyone else, the rate of these
codes per 1,000 interview words in the late periods against the early ones.

The rule (explicit, so that a partner can check it)
---------------------------------------------------
With the study's periods split in two halves (early: the first half, late:
the second; the middle period goes to the late half when their number is
odd), the signal is raised when, for the category:

1. the late rate is at least ``ratio`` (2 by default) times the early rate;
2. the count model of :mod:`~rd_territoriale.analysis.models` (Poisson,
   negative binomial when overdispersed) on the counts per interview, with
   log(words) as offset and late/early as predictor, gives a rate ratio
   whose 95 % interval lies above 1;
3. the rate ratio of the category exceeds that of the other categories
   (otherwise the rise is general, not the employees').

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rd_territoriale.analysis.matrices import coder_segments, interview_documents
from rd_territoriale.analysis.models import fit_period_model

PRESSURE_CODES = ("pression_salaries", "surinvestissement")


def _per_interview(case, codes, coder) -> pd.DataFrame:
    """One row per interview: period, respondent's category, words, count of ``codes``."""
    docs = interview_documents(case)
    segments = coder_segments(case, coder)
    researchers = set(case.people.loc[case.people["is_researcher"].fillna(False).astype(bool), "id"])
    spoken = segments[segments["code"].isin(list(codes)) & ~segments["speaker"].isin(list(researchers))]
    counts = spoken.groupby("source").size()
    respondent = docs["id"].map(case.documents.set_index("id")["respondent"])
    category = respondent.map(case.people.set_index("id")["category"])
    return pd.DataFrame(
        {
            "document": docs["id"].to_numpy(),
            "period": docs["period"].to_numpy(),
            "category": category.to_numpy(),
            "words": docs["words"].astype(float).to_numpy(),
            "count": docs["id"].map(counts).fillna(0).astype(int).to_numpy(),
        }
    )


def pressure_rates(case, codes=PRESSURE_CODES, category: str = "salaries", coder: str | None = None) -> pd.DataFrame:
    """Rate of ``codes`` per 1,000 interview words, per period, for a category and the others.

    Returns
    -------
    pandas.DataFrame
        ``period, group`` (the category's label, or « Autres catégories »),
        ``interviews, words, count, rate_per_1000_words``; periods in study
        order, zeros included.
    """
    rows = _per_interview(case, codes, coder)
    labels = dict(zip(case.study.categories["id"], case.study.categories["label"]))
    rows["group"] = np.where(rows["category"] == category, labels.get(category, category), "Autres catégories")
    grid = pd.MultiIndex.from_product(
        [case.study.periods["id"], [labels.get(category, category), "Autres catégories"]], names=["period", "group"]
    )
    out = rows.groupby(["period", "group"]).agg(
        interviews=("document", "size"), words=("words", "sum"), count=("count", "sum")
    )
    out = out.reindex(grid, fill_value=0).reset_index()
    out["rate_per_1000_words"] = np.where(
        out["words"] > 0, 1000 * out["count"] / out["words"].where(out["words"] > 0, 1), np.nan
    )
    return out


def _late_early_irr(rows: pd.DataFrame) -> tuple[float, float, float, float]:
    """Rate ratio late vs early with its 95 % interval and p-value (NaN if not estimable).

    The count model of :func:`~rd_territoriale.analysis.models.fit_period_model`
    (quasi-Poisson, each interview one observation), with the two halves of
    the study as its periods; NaN with too few interviews to estimate it.
    """
    if rows["count"].sum() == 0 or rows["late"].nunique() < 2:
        return (np.nan,) * 4
    data = rows.assign(period=np.where(rows["late"], "late", "early"))
    try:
        res = fit_period_model(data, ["early", "late"])["results"]
    except ValueError:
        return (np.nan,) * 4
    low, high = np.asarray(res.conf_int(alpha=0.05).loc["late"])
    return (float(np.exp(res.params["late"])), float(np.exp(low)), float(np.exp(high)), float(res.pvalues["late"]))


def cout_que_coute(
    case, codes=PRESSURE_CODES, category: str = "salaries", ratio: float = 2.0, coder: str | None = None
) -> dict:
    """Apply the coûte-que-coûte rule (module docstring).

    Returns
    -------
    dict
        ``early`` and ``late`` (period ids), for the category and for the
        others: ``rate_early``, ``rate_late`` (per 1,000 words), ``irr``,
        ``ci_low``, ``ci_high``, ``p_value``; the three conditions
        (``doubled``, ``significant``, ``specific``), ``flagged`` and a French
        ``reason``.
    """
    periods = list(case.study.periods["id"])
    half = len(periods) // 2
    early, late = periods[:half], periods[half:]
    rows = _per_interview(case, codes, coder)
    rows = rows[rows["words"] > 0].assign(late=lambda r: r["period"].isin(late))
    result = {"early": early, "late": late}
    for name, part in (
        ("category", rows[rows["category"] == category]),
        ("others", rows[rows["category"] != category]),
    ):
        e, l_ = part[~part["late"]], part[part["late"]]
        rate_e = 1000 * e["count"].sum() / e["words"].sum() if e["words"].sum() else np.nan
        rate_l = 1000 * l_["count"].sum() / l_["words"].sum() if l_["words"].sum() else np.nan
        irr, low, high, p = _late_early_irr(part)
        result[name] = {
            "rate_early": rate_e,
            "rate_late": rate_l,
            "irr": irr,
            "ci_low": low,
            "ci_high": high,
            "p_value": p,
        }
    c, o = result["category"], result["others"]
    result["doubled"] = bool(c["rate_early"] > 0 and c["rate_late"] >= ratio * c["rate_early"])
    result["significant"] = bool(c["ci_low"] > 1)
    result["specific"] = bool(np.isnan(o["irr"]) or c["irr"] > o["irr"])
    result["flagged"] = result["doubled"] and result["significant"] and result["specific"]
    label = dict(zip(case.study.categories["id"], case.study.categories["label"])).get(category, category)
    if result["flagged"]:
        result["reason"] = (
            f"{label} : {c['rate_early']:.2f} puis {c['rate_late']:.2f} passages de pression ou de "
            f"surinvestissement pour 1 000 mots d'entretien ({', '.join(early)} puis {', '.join(late)}), "
            f"rapport {c['irr']:.1f} (IC 95 % {c['ci_low']:.1f} à {c['ci_high']:.1f}) ; "
            f"autres catégories : rapport {o['irr']:.1f}"
        ).replace(".", ",")
    else:
        missing = [
            text
            for key, text in (
                ("doubled", "le taux n'a pas doublé"),
                ("significant", "la hausse n'est pas établie (intervalle de confiance incluant 1)"),
                ("specific", "la hausse n'est pas propre à cette catégorie"),
            )
            if not result[key]
        ]
        result["reason"] = f"{label} : pas de signal ; " + " ; ".join(missing)
    return result
