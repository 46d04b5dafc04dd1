"""Period effects (count models), BH correction, adjusted residuals."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from rd_territoriale.analysis.models import (
    POISSON,
    QUASI_POISSON,
    benjamini_hochberg,
    contingency_residuals,
    period_effects,
    successive_effects,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


def fake_case(docs: list[tuple], periods=("P1", "P2")):
    """docs: (id, period, words, {code: count}); segments coded by R01 (and a few by R02)."""
    documents = pd.DataFrame(
        {"id": [d[0] for d in docs], "kind": "entretien", "period": [d[1] for d in docs], "words": [d[2] for d in docs]}
    )
    rows = []
    for doc_id, period, _, counts in docs:
        for code, n in counts.items():
            rows += [{"source": doc_id, "coder": "R01", "code": code, "period": period}] * n
    # A second coder recoding the first document must not change anything.
    rows += [
        {"source": docs[0][0], "coder": "R02", "code": c, "period": docs[0][1]}
        for c in docs[0][3]
        for _ in range(docs[0][3][c])
    ]
    segments = pd.DataFrame(rows)
    segments["id"] = [f"S{i}" for i in range(len(segments))]
    return SimpleNamespace(
        periods=pd.DataFrame({"id": list(periods)}),
        documents=documents,
        segments=segments,
        journal=pd.DataFrame({"id": [], "period": []}),
    )


def test_adjusted_residuals_by_hand():
    table = pd.DataFrame([[10, 20], [30, 15]], index=["a", "b"], columns=["P1", "P2"])
    out = contingency_residuals(table).set_index(["row", "column"])
    o = table.to_numpy(float)
    n = o.sum()
    r, c = o.sum(1), o.sum(0)
    for i, code in enumerate(table.index):
        for j, per in enumerate(table.columns):
            e = r[i] * c[j] / n
            adj = (o[i, j] - e) / math.sqrt(e * (1 - r[i] / n) * (1 - c[j] / n))
            assert out.loc[(code, per), "expected"] == pytest.approx(e)
            assert out.loc[(code, per), "residual"] == pytest.approx(adj, abs=1e-10)
    # 2x2: every adjusted residual has the same magnitude; chi2 = residual**2 (no correction).
    assert out["residual"].abs().nunique() == 1 or np.allclose(out["residual"].abs(), out["residual"].abs().iloc[0])
    assert out.attrs["chi2"]["statistic"] == pytest.approx(out["residual"].iloc[0] ** 2)
    assert out.attrs["chi2"]["df"] == 1
    assert out["reliable"].all()


def test_small_expected_flagged():
    table = pd.DataFrame([[1, 2], [30, 15]], index=["a", "b"], columns=["P1", "P2"])
    out = contingency_residuals(table)
    small = out["expected"] < 5
    assert small.any()
    assert (~out.loc[small, "reliable"]).all()
    assert out.loc[small, "note"].str.contains("peu fiable").all()


def test_bh_by_hand():
    p = [0.01, 0.04, 0.03, 0.005, np.nan]
    # sorted 0.005, 0.01, 0.03, 0.04 (m=4): 0.02, 0.02, 0.04, 0.04 after monotonicity.
    adj = benjamini_hochberg(p)
    assert adj.iloc[:4].to_numpy() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert np.isnan(adj.iloc[4])


def test_poisson_irr_is_ratio_of_rates():
    docs = [
        ("D1", "P1", 1000, {"x": 3}),
        ("D2", "P1", 2000, {"x": 6}),
        ("D5", "P1", 1000, {"x": 3}),
        ("D3", "P2", 1000, {"x": 4}),
        ("D4", "P2", 3000, {"x": 11}),
        ("D6", "P2", 1000, {"x": 4}),
    ]
    out = period_effects(fake_case(docs))
    row = out.iloc[0]
    assert row["period"] == "P2" and row["reference"] == "P1"
    assert row["model"] == POISSON and row["testable"]
    expected = (19 / 5000) / (12 / 4000)
    assert row["irr"] == pytest.approx(expected, abs=1e-6)
    assert row["ci_low"] < row["irr"] < row["ci_high"]
    assert 0 < row["p_value"] <= 1
    # Reference changes the direction.
    rev = period_effects(fake_case(docs), reference="P2").iloc[0]
    assert rev["irr"] == pytest.approx(1 / expected, abs=1e-6)


def test_successive_effects_compare_each_period_with_the_previous():
    docs = [
        ("D1", "P1", 1000, {"x": 4}),
        ("D2", "P1", 1000, {"x": 6}),
        ("D3", "P2", 2000, {"x": 20}),
        ("D4", "P2", 1000, {"x": 10}),
        ("D5", "P3", 1000, {"x": 5}),
        ("D6", "P3", 1000, {"x": 3}),
    ]
    out = successive_effects(fake_case(docs, periods=("P1", "P2", "P3"))).set_index("period")
    assert list(out.index) == ["P2", "P3"]
    assert out.loc["P2", "reference"] == "P1" and out.loc["P3", "reference"] == "P2"
    # Rates per word: P1 10/2000, P2 30/3000, P3 8/2000.
    assert out.loc["P2", "irr"] == pytest.approx((30 / 3000) / (10 / 2000), abs=1e-6)
    assert out.loc["P3", "irr"] == pytest.approx((8 / 2000) / (30 / 3000), abs=1e-6)
    # One correction across both transitions (two tests).
    raw = out["p_value"].sort_values()
    assert out.loc[raw.index[0], "p_adjusted"] == pytest.approx(min(1.0, raw.iloc[0] * 2, raw.iloc[1]))


def test_overdispersion_widens_the_interval_by_the_pearson_dispersion():
    """Quasi-Poisson by hand: Poisson estimates, standard error × sqrt(chi2/df), Student's t."""
    import statsmodels.api as sm
    from scipy.stats import t as student

    counts = [0, 25, 1, 0, 30, 2, 40, 0, 3, 60, 0, 1]
    docs = [(f"D{i}", "P1" if i < 6 else "P2", 1000, {"x": n}) for i, n in enumerate(counts)]
    row = period_effects(fake_case(docs)).iloc[0]
    assert row["model"] == QUASI_POISSON
    X = np.column_stack([np.ones(12), [0] * 6 + [1] * 6])
    poisson = sm.GLM(np.array(counts, float), X, family=sm.families.Poisson(), offset=np.log(np.full(12, 1000.0))).fit()
    dispersion = poisson.pearson_chi2 / 10
    assert row["dispersion"] == pytest.approx(dispersion)
    assert row["irr"] == pytest.approx(104 / 58)  # the Poisson estimate (rates 104 and 58 per 6,000 words)
    se = poisson.bse[1] * np.sqrt(dispersion)
    assert row["p_value"] == pytest.approx(2 * student.sf(abs(poisson.params[1]) / se, df=10))
    assert row["ci_high"] == pytest.approx(np.exp(poisson.params[1] + student.ppf(0.975, 10) * se))
    assert row["p_value"] > 0.05  # a Poisson test would call this 1.8-fold difference certain
    assert poisson.pvalues[1] < 0.001


def test_no_overdispersion_is_plain_poisson_never_narrower():
    docs = [
        ("D1", "P1", 1000, {"x": 5}),
        ("D2", "P1", 1000, {"x": 6}),
        ("D5", "P1", 1000, {"x": 5}),
        ("D3", "P2", 1000, {"x": 10}),
        ("D4", "P2", 1000, {"x": 11}),
        ("D6", "P2", 1000, {"x": 10}),
    ]
    row = period_effects(fake_case(docs)).iloc[0]
    assert row["model"] == POISSON and row["dispersion"] < 1  # under-dispersed: scale stays 1


def test_too_few_interviews_to_estimate_their_variation_are_said_not_tested():
    """One interview per period: a Poisson test would call 10 against 30 certain (p < 0.001)."""
    docs = [("D1", "P1", 1000, {"x": 10}), ("D2", "P2", 1000, {"x": 30})]
    row = period_effects(fake_case(docs)).iloc[0]
    assert not row["testable"] and "trop peu d'entretiens" in row["reason"]
    assert np.isnan(row["p_value"]) and not row["significant"]


def test_untestable_rows():
    docs = [
        ("D1", "P1", 1000, {"rare": 2, "x": 8}),
        ("D2", "P2", 1000, {"rare": 1, "x": 9}),
        ("D3", "P1", 1000, {"x": 7}),
        ("D4", "P2", 1000, {"x": 8}),
        ("D5", "P1", 1000, {"x": 9}),
    ]
    out = period_effects(fake_case(docs, periods=("P1", "P2", "P3"))).set_index(["code", "period"])
    rare = out.loc[("rare", "P2")]
    assert not rare["testable"] and "effectif trop faible" in rare["reason"]
    assert np.isnan(rare["irr"]) and np.isnan(rare["p_adjusted"]) and not rare["significant"]
    empty = out.loc[("x", "P3")]
    assert not empty["testable"] and "exposition nulle" in empty["reason"]
    assert out.loc[("x", "P2"), "testable"]


def test_unknown_reference():
    docs = [("D1", "P1", 1000, {"x": 8}), ("D2", "P2", 1000, {"x": 9})]
    with pytest.raises(ValueError):
        period_effects(fake_case(docs), reference="P9")


@pytest.fixture(scope="module")
def effects():
    import rd_territoriale

    return period_effects(rd_territoriale.load_case(EXAMPLE)).set_index(["code", "period"])


def test_example_planted_rise(effects):
    row = effects.loc[("tension_financement", "P3")]
    assert row["testable"] and row["significant"]
    assert row["irr"] > 2.5 and row["p_adjusted"] < 0.05
    assert not effects.loc[("tension_financement", "P2"), "significant"]


@pytest.mark.parametrize("code", ["ancrage_territorial", "gouvernance_partagee", "utilite_sociale"])
def test_example_null_codes(effects, code):
    rows = effects.loc[code]
    assert len(rows) == 3
    assert rows["testable"].all()
    assert not rows["significant"].any()
    assert (rows["p_adjusted"] >= 0.05).all()


def test_example_successive_changes():
    """tension_financement rises into P3 and falls back in P4; the null codes never move."""
    import rd_territoriale

    out = successive_effects(rd_territoriale.load_case(EXAMPLE)).set_index(["code", "period"])
    rise, fall = out.loc[("tension_financement", "P3")], out.loc[("tension_financement", "P4")]
    assert rise["significant"] and rise["irr"] > 2.5 and rise["reference"] == "P2"
    assert fall["significant"] and fall["irr"] < 0.4 and fall["reference"] == "P3"
    assert not out.loc[("tension_financement", "P2"), "significant"]
    nulls = out.loc[["ancrage_territorial", "gouvernance_partagee", "utilite_sociale"]]
    assert len(nulls) == 9 and nulls["testable"].all() and not nulls["significant"].any()
