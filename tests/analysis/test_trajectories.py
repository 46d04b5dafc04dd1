"""Projects' trajectories and the feu-de-paille rule, by hand and on the example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale import load_case
from rd_territoriale.analysis.trajectories import feu_de_paille, unit_trajectories


def trajectory(unit: str, entries, months=None) -> pd.DataFrame:
    """A hand-made trajectory: journal entries per period (None = not active)."""
    months = months or [12.0] * len(entries)
    rows = []
    for i, (n, m) in enumerate(zip(entries, months)):
        active = n is not None
        rows.append(
            {
                "unit": unit,
                "name": unit,
                "period": f"P{i + 1}",
                "months": m if active else 0.0,
                "active": active,
                "journal_entries": n or 0,
                "entries_per_month": (n / m) if active else float("nan"),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "entries, flagged, failing",
    [
        ([30, 20, 6, 2], True, set()),  # peak first, fades to 1/15, no revival
        ([12, 24, 8, 6], True, set()),  # peak second, last = 1/4 of the peak
        ([30, 20, 12, 11], False, {"faded"}),  # last = 11/30 > 1/3
        ([30, 5, 20, 2], False, {"no_revival"}),  # revival in P3
        ([5, 10, 30, 2], False, {"early_peak"}),  # peak in P3
        ([6, 4, 1, 0], False, {"enough_data"}),  # too few entries at the peak
        ([None, None, 30, 2], False, {"enough_data"}),  # two periods of existence only
    ],
)
def test_rule_by_hand(entries, flagged, failing):
    result = feu_de_paille(trajectory("X", entries)).iloc[0]
    assert bool(result["flagged"]) is flagged
    conditions = {"enough_data", "early_peak", "faded", "no_revival"}
    assert {c for c in conditions if not result[c]} == failing
    assert result["reason"]


def test_rates_use_months_of_existence():
    # 12 entries in 3 months is a higher rate than 20 entries in 12 months.
    result = feu_de_paille(trajectory("X", [20, 12, 6, 1], months=[12, 3, 12, 12])).iloc[0]
    assert result["peak_period"] == "P2"
    assert result["peak_rate"] == pytest.approx(4.0)
    assert result["last_to_peak"] == pytest.approx((1 / 12) / 4.0)


@pytest.fixture(scope="module")
def traj():
    return unit_trajectories(load_case(Path(__file__).resolve().parents[2] / "data" / "exemple"))


class TestExample:
    def test_counts_match_the_answer_key(self, traj):
        u02 = traj[traj["unit"] == "U02"]
        assert u02["journal_entries"].tolist() == [41, 22, 4, 0]  # data/exemple/README.md
        assert u02["interviews"].tolist() == [4, 3, 1, 1]
        assert u02["coded_mentions"].tolist() == [332, 208, 69, 58]
        late = traj[traj["unit"] == "U08"]
        assert late["active"].tolist() == [False, False, False, True]

    def test_only_the_planted_project_is_flagged(self, traj):
        result = feu_de_paille(traj)
        assert result.loc[result["flagged"], "unit"].tolist() == ["U02"]
        assert "P1" in result.set_index("unit").loc["U02", "reason"]
