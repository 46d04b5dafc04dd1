"""The researcher's posture: roles per period, acting shares, trend test, reflexive notes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from minimal_study import TABLES, write_minimal_study
from scipy.stats import norm

from rd_territoriale import load_case
from rd_territoriale.analysis.posture import (
    NOTE_COLUMNS,
    ROLE_COLUMNS,
    SHARE_COLUMNS,
    TREND_COLUMNS,
    cochran_armitage,
    intervention_shares,
    reflexive_notes,
    researcher_roles,
    role_trend,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
ROLES = ["observateur", "facilitateur", "acteur", "évaluateur"]

# P1: R01 observes 3 times, facilitates once; P2: 1 obs, 1 fac, 2 act, 1 éval;
# R02 writes two more P2 entries (acteur), counted only without an author filter.
JOURNAL = pd.DataFrame(
    {
        "id": [f"J{i}" for i in range(1, 12)],
        "date": [
            "2020-02-01",
            "2020-03-01",
            "2020-04-01",
            "2020-05-01",
            "2021-02-01",
            "2021-03-01",
            "2021-04-01",
            "2021-05-01",
            "2021-06-01",
            "2021-07-01",
            "2021-08-01",
        ],
        "author": ["R01"] * 9 + ["R02"] * 2,
        "unit": ["U1", "", "U1", "", "", "U2", "U2", "", "", "", ""],
        "kind": [
            "réunion",
            "note réflexive",
            "atelier",
            "comité",
            "réunion",
            "atelier",
            "note réflexive",
            "comité",
            "note réflexive",
            "réunion",
            "réunion",
        ],
        "researcher_role": [
            "observateur",
            "observateur",
            "observateur",
            "facilitateur",
            "observateur",
            "facilitateur",
            "acteur",
            "acteur",
            "évaluateur",
            "acteur",
            "acteur",
        ],
        "participants": ["salaries|ess", "", "ess", "salaries", "ess", "salaries", "", "ess", "", "ess", "ess"],
        "text": [f"Entrée {i}." for i in range(1, 12)],
        "quote_consent": ["oui", "non", "oui", "oui", "oui", "oui", "oui", "oui", "non", "oui", "oui"],
    }
)
PEOPLE = pd.DataFrame(
    {
        "id": ["R01", "R02", "SAL01", "ESS01"],
        "category": ["salaries", "ess", "salaries", "ess"],
        "is_researcher": ["oui", "oui", "non", "non"],
    }
)


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval, written out by hand."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture(scope="module")
def tiny_case(tmp_path_factory):
    folder = write_minimal_study(tmp_path_factory.mktemp("posture"))
    for name, frame in {**TABLES, "journal": JOURNAL, "people": PEOPLE}.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return load_case(folder, cache=False)


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def roles(case):
    return researcher_roles(case)


class TestRolesByHand:
    def test_grid_counts_and_shares(self, tiny_case):
        roles = researcher_roles(tiny_case, author="R01")
        assert list(roles.columns) == ROLE_COLUMNS
        assert roles[["period", "role"]].values.tolist() == [[p, r] for p in ["P1", "P2"] for r in ROLES]
        table = roles.set_index(["period", "role"])
        assert table["entries"].tolist() == [3, 1, 0, 0, 1, 1, 2, 1]
        assert table["period_entries"].tolist() == [4, 4, 4, 4, 5, 5, 5, 5]
        assert table.loc[("P1", "observateur"), "share"] == pytest.approx(0.75)
        assert table.loc[("P2", "acteur"), "share"] == pytest.approx(0.4)
        assert table.loc[("P1", "acteur"), "share"] == 0.0
        assert table.loc[("P1", "acteur"), "period_label"] == "Émergence"
        assert table.groupby("period")["share"].sum().tolist() == pytest.approx([1.0, 1.0])

    def test_wilson_intervals(self, tiny_case):
        table = researcher_roles(tiny_case, author="R01").set_index(["period", "role"])
        for (period, role), k, n in [(("P1", "observateur"), 3, 4), (("P2", "acteur"), 2, 5), (("P1", "acteur"), 0, 4)]:
            low, high = wilson(k, n)
            assert table.loc[(period, role), "ci_low"] == pytest.approx(max(low, 0.0), abs=1e-12)
            assert table.loc[(period, role), "ci_high"] == pytest.approx(high)

    def test_author_filter(self, tiny_case):
        everyone = researcher_roles(tiny_case).set_index(["period", "role"])
        assert everyone.loc[("P2", "acteur"), "entries"] == 4
        assert everyone.loc[("P2", "acteur"), "period_entries"] == 7
        with pytest.raises(ValueError, match="auteur inconnu.*R01, R02"):
            researcher_roles(tiny_case, author="R09")

    def test_acting_and_intervening_shares(self, tiny_case):
        shares = intervention_shares(researcher_roles(tiny_case, author="R01")).set_index("period")
        assert list(shares.reset_index().columns) == SHARE_COLUMNS
        assert shares["acting"].tolist() == [0, 2]
        assert shares["intervening"].tolist() == [1, 4]  # facilitateur and évaluateur intervene
        assert shares["acting_share"].tolist() == pytest.approx([0.0, 0.4])
        assert shares["intervening_share"].tolist() == pytest.approx([0.25, 0.8])
        assert shares.loc["P2", "intervening_ci_low"] == pytest.approx(wilson(4, 5)[0])
        assert shares.loc["P1", "period_label"] == "Émergence"

    def test_period_without_entries(self):
        roles = pd.DataFrame(
            {"period": ["P1"] * 4 + ["P2"] * 4, "role": ROLES * 2, "entries": [2, 0, 0, 0, 0, 0, 0, 0]}
        )
        shares = intervention_shares(roles)
        assert np.isnan(shares.loc[1, "acting_share"]) and np.isnan(shares.loc[1, "acting_ci_low"])


class TestTrendByHand:
    def test_cochran_armitage_formula(self):
        # p = 0.5; T = 2 * (9 - 5) = 8; Var = 0.25 * (10 * 5 - 30**2 / 30) = 5.
        z, p = cochran_armitage([1, 5, 9], [10, 10, 10])
        assert z == pytest.approx(8 / math.sqrt(5))
        assert p == pytest.approx(2 * norm.sf(8 / math.sqrt(5)))
        assert all(np.isnan(cochran_armitage([0, 0], [5, 5])))  # overall share 0
        assert all(np.isnan(cochran_armitage([3], [5])))  # one group

    def test_two_periods_odds_ratio_is_the_sample_odds_ratio(self):
        # acteur 2/10 then 6/10: odds ratio (6/4) / (2/8) = 6, Woolf interval.
        roles = pd.DataFrame(
            {"period": ["P1", "P1", "P2", "P2"], "role": ["acteur", "observateur"] * 2, "entries": [2, 8, 6, 4]}
        )
        row = role_trend(roles).set_index("measure").loc["acteur"]
        assert row["odds_ratio"] == pytest.approx(6.0, rel=1e-6)
        se = math.sqrt(1 / 2 + 1 / 8 + 1 / 6 + 1 / 4)
        assert row["or_ci_low"] == pytest.approx(math.exp(math.log(6) - 1.959963984540054 * se), rel=1e-5)
        assert row["or_ci_high"] == pytest.approx(math.exp(math.log(6) + 1.959963984540054 * se), rel=1e-5)
        assert (row["first_period"], row["last_period"]) == ("P1", "P2")
        assert (row["first_share"], row["last_share"]) == pytest.approx((0.2, 0.6))

    def test_empty_period_keeps_its_place_in_the_scores(self):
        # P2 has no entry: P1 and P3 are two steps apart, the odds ratio per step is sqrt(6).
        roles = pd.DataFrame(
            {
                "period": ["P1", "P1", "P2", "P2", "P3", "P3"],
                "role": ["acteur", "observateur"] * 3,
                "entries": [2, 8, 0, 0, 6, 4],
            }
        )
        row = role_trend(roles).set_index("measure").loc["acteur"]
        assert row["periods"] == 2
        assert row["odds_ratio"] == pytest.approx(math.sqrt(6), rel=1e-6)

    def test_rows_and_untestable(self, tiny_case):
        trend = role_trend(researcher_roles(tiny_case, author="R01"))
        assert list(trend.columns) == TREND_COLUMNS
        assert trend["measure"].tolist() == ["acteur", "intervention", "observateur", "facilitateur", "évaluateur"]
        single = pd.DataFrame({"period": ["P1"] * 4, "role": ROLES, "entries": [5, 1, 1, 0]})
        row = role_trend(single).set_index("measure").loc["acteur"]
        assert not row["testable"] and not row["significant"] and row["direction"] == "stable"
        assert row["verdict"].startswith("Tendance non testable") and "moins de deux périodes" in row["verdict"]

    def test_no_trend_verdict(self):
        roles = pd.DataFrame(
            {
                "period": ["P1", "P1", "P2", "P2", "P3", "P3"],
                "role": ["acteur", "observateur"] * 3,
                "entries": [3, 7, 3, 7, 3, 7],
            }
        )
        row = role_trend(roles).set_index("measure").loc["acteur"]
        assert row["testable"] and not row["significant"] and row["direction"] == "stable"
        assert row["z"] == pytest.approx(0.0) and row["p_value"] == pytest.approx(1.0)
        assert row["verdict"].startswith("Pas de tendance nette pour la part des entrées où le chercheur est acteur")


class TestExample:
    """Planted effect 8: from observer to actor (README, answer key)."""

    def test_shares_match_the_answer_key(self, roles):
        wide = roles.pivot(index="period", columns="role", values="share").round(2)
        assert wide["observateur"].tolist() == [0.71, 0.34, 0.20, 0.12]
        assert wide["facilitateur"].tolist() == [0.23, 0.44, 0.29, 0.21]
        assert wide["acteur"].tolist() == [0.01, 0.11, 0.39, 0.60]
        assert wide["évaluateur"].tolist() == [0.05, 0.10, 0.12, 0.07]
        assert roles.groupby("period")["period_entries"].first().tolist() == [83, 70, 95, 117]

    def test_acting_share_rises(self, roles):
        shares = intervention_shares(roles)
        assert shares["acting"].tolist() == [1, 8, 37, 70]
        assert shares["acting_share"].is_monotonic_increasing
        assert shares["intervening_share"].round(2).tolist() == [0.29, 0.66, 0.80, 0.88]
        # the intervals of P1 and P4 are far apart
        assert shares.loc[0, "acting_ci_high"] < shares.loc[3, "acting_ci_low"]

    def test_trend_is_found(self, roles):
        trend = role_trend(roles).set_index("measure")
        acting = trend.loc["acteur"]
        assert acting["significant"] and acting["direction"] == "hausse" and acting["p_value"] < 1e-6
        assert acting["odds_ratio"] > 2 and acting["or_ci_low"] > 1
        assert acting["verdict"].startswith(
            "La part des entrées où le chercheur est acteur augmente d'une période à l'autre : "
            "de 1\u00a0% en P1 à 60\u00a0% en P4"
        )
        assert "Cochran–Armitage, p < 0,001" in acting["verdict"]
        observer = trend.loc["observateur"]
        assert observer["significant"] and observer["direction"] == "baisse" and observer["or_ci_high"] < 1
        assert "diminue" in observer["verdict"] and "de 71\u00a0% en P1 à 12\u00a0% en P4" in observer["verdict"]
        assert trend.loc["intervention", "direction"] == "hausse"
        # facilitation and evaluation are not planted as trends
        assert not trend.loc["facilitateur", "significant"]
        assert not trend.loc["évaluateur", "significant"]


class TestReflexiveNotes:
    def test_by_hand(self, tiny_case):
        notes = reflexive_notes(tiny_case)
        assert list(notes.columns) == NOTE_COLUMNS
        assert notes["id"].tolist() == ["J2", "J7", "J9"]
        assert notes["quote_consent"].tolist() == [False, True, False]  # plain selection, no consent filter
        assert reflexive_notes(tiny_case, period="P2")["id"].tolist() == ["J7", "J9"]
        with pytest.raises(ValueError, match="période inconnue.*P1, P2"):
            reflexive_notes(tiny_case, period="P9")

    def test_example(self, case):
        notes = reflexive_notes(case)
        assert len(notes) == 44
        assert notes.groupby("period").size().to_dict() == {"P1": 9, "P2": 9, "P3": 14, "P4": 12}
        assert notes["date"].is_monotonic_increasing
        assert (~notes["quote_consent"].astype(bool)).sum() == 8
        # the researcher's first use of « chaîne de valeur élargie » (effect 4) is a reflexive note
        first = notes[notes["date"] == "2019-10-15"]
        assert len(first) == 1 and "chaîne de valeur élargie" in first["text"].iloc[0]
