"""The coûte-que-coûte signal, checked by hand and on the example's planted effect."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale import load_case
from rd_territoriale.analysis.signals import (
    _late_early_irr,
    cout_que_coute,
    pressure_rates,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


def test_irr_is_the_ratio_of_rates():
    # With late/early as the only predictor, the Poisson MLE of the rate ratio
    # is (late count / late words) / (early count / early words).
    rows = pd.DataFrame(
        {
            "count": [1, 2, 1, 2, 9, 7, 8, 8],
            "words": [4000.0, 6000.0, 4000.0, 6000.0, 5000.0, 3000.0, 5000.0, 3000.0],
            "late": [False] * 4 + [True] * 4,
        }
    )
    irr, low, high, p = _late_early_irr(rows)
    assert irr == pytest.approx((32 / 16000) / (6 / 20000), rel=1e-6)
    assert low < irr < high and p < 0.05


def test_no_estimate_without_counts():
    rows = pd.DataFrame({"count": [0, 0], "words": [10.0, 10.0], "late": [False, True]})
    assert all(pd.isna(v) for v in _late_early_irr(rows))


def test_rates_per_period_match_a_hand_count(case):
    rates = pressure_rates(case).set_index(["period", "group"])
    docs = case.documents[case.documents["kind"].isin(["entretien", "entretien collectif"])]
    employees = docs[docs["respondent"].map(case.people.set_index("id")["category"]) == "salaries"]
    p3 = employees[employees["period"] == "P3"]
    seg = case.segments[
        (case.segments["coder"] == "R01")
        & case.segments["source"].isin(list(p3["id"]))
        & case.segments["code"].isin(["pression_salaries", "surinvestissement"])
        & ~case.segments["speaker"].isin(["R01", "R02"])
    ]
    row = rates.loc[("P3", "Salariés")]
    assert row["interviews"] == len(p3) and row["words"] == p3["words"].sum()
    assert row["count"] == len(seg)
    assert row["rate_per_1000_words"] == pytest.approx(1000 * len(seg) / p3["words"].sum())


def test_planted_signal_is_found_for_employees_only(case):
    result = cout_que_coute(case)
    assert result["flagged"] and result["early"] == ["P1", "P2"] and result["late"] == ["P3", "P4"]
    assert result["category"]["ci_low"] > 1 and result["others"]["ci_low"] < 1 < result["others"]["ci_high"]
    assert "Salariés" in result["reason"]
    for other in ("ess", "entreprises", "collectivites", "partenaires", "citoyens"):
        assert not cout_que_coute(case, category=other)["flagged"], other
