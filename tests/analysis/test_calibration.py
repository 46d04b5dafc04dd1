"""Claims that hold under the null: a fast version of ``benchmarks/calibration.py``.

For every claim the reports make, 30 null studies made from the example
(dates shuffled among sources, categories among persons, codes among the
segments of a period; seeds 0 to 29, not the benchmark's) may make a claim
in at most 5 of them. The former code claimed « who speaks of what » in 85 %
of such studies (100 studies in the benchmark). The example's answer key is checked too: what the reports
find now, and what is too weak at scale 1.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from rd_territoriale import load_case
from rd_territoriale.analysis.calibration import CLAIMS, claims_in, planted_found
from rd_territoriale.analysis.matrices import coder_segments
from rd_territoriale.analysis.nulls import null_case

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
STUDIES = 30
MOST = 5

pytestmark = pytest.mark.skipif(not (EXAMPLE / "study.yml").is_file(), reason="data/exemple absent")


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.mark.parametrize("claim", list(CLAIMS))
def test_null_studies_rarely_make_a_claim(case, claim):
    kind = CLAIMS[claim]["null"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        made = [len(claims_in(null_case(case, kind, seed), claim)) > 0 for seed in range(STUDIES)]
    assert sum(made) <= MOST, f"{claim} : {sum(made)} études nulles sur {STUDIES} font une affirmation"


def test_the_answer_key_agrees_with_what_is_found(case):
    """data/exemple/README.md: effects 1, 3, 4 and 6 are found; effect 7 by the « coûte que coûte »
    signal, but too weak, person by person, for « qui parle de quoi » once every cell is corrected."""
    assert planted_found(case) == {
        "tension_p3": True,
        "voices_p3": True,
        "uptake": True,
        "pressure_p3": False,
        "pressure_signal": True,
        "null_codes": True,
    }


class TestShuffles:
    def test_dates_move_between_sources_and_periods_follow(self, case):
        null = null_case(case, "dates", 3)
        for name in ("documents", "journal"):  # each kind of source keeps its own dates
            assert sorted(getattr(null, name)["date"].dropna()) == sorted(getattr(case, name)["date"].dropna())
            assert not getattr(null, name)["date"].equals(getattr(case, name)["date"])
        merged = null.segments.merge(null.documents[["id", "period"]], left_on="source", right_on="id")
        assert (merged["period_x"] == merged["period_y"]).all()  # segments follow their source

    def test_categories_move_between_persons_only(self, case):
        null = null_case(case, "categories", 3)
        actors = ~case.people["is_researcher"].astype(bool)
        assert (
            null.people.loc[actors, "category"]
            .value_counts()
            .equals(case.people.loc[actors, "category"].value_counts())
        )
        assert null.people.loc[~actors, "category"].equals(case.people.loc[~actors, "category"])
        assert (null.people.loc[actors, "category"] != case.people.loc[actors, "category"]).any()

    def test_codes_move_within_a_period(self, case):
        null = null_case(case, "codes", 3)
        before, after = coder_segments(case), coder_segments(null)
        count = lambda s: s.groupby(["period", "source_kind", "code"]).size()  # noqa: E731
        assert count(before).equals(count(after))
        assert (before["code"].to_numpy() != after["code"].to_numpy()).mean() > 0.5

    def test_the_same_seed_gives_the_same_study(self, case):
        a, b = null_case(case, "dates", 7), null_case(case, "dates", 7)
        assert a.documents["date"].equals(b.documents["date"])
        assert not np.array_equal(a.documents["date"], null_case(case, "dates", 8).documents["date"])
