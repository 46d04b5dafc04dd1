"""Time-ordered matrix: grid, exposure, primary coder, quotes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.analysis.matrices import (
    INTERVIEW_KINDS,
    count_table,
    primary_coder,
    time_ordered_matrix,
)
from rd_territoriale.privacy.quotes import quotable

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


@pytest.fixture(scope="module")
def case():
    import rd_territoriale

    return rd_territoriale.load_case(EXAMPLE)


@pytest.fixture(scope="module")
def matrix(case):
    return time_ordered_matrix(case)


def test_every_code_by_period(case, matrix):
    codes = set(case.segments.loc[case.segments["coder"] == "R01", "code"])
    periods = list(case.periods["id"])
    assert len(matrix) == len(codes) * len(periods)
    assert set(matrix["code"]) == codes
    assert not matrix.duplicated(["code", "period"]).any()
    assert (matrix.groupby("code").size() == len(periods)).all()


def test_exposure_is_interview_words(case, matrix):
    docs = case.documents[case.documents["kind"].isin(list(INTERVIEW_KINDS))]
    words = docs.groupby("period")["words"].sum().astype(float)
    n = docs.groupby("period").size()
    for _, row in matrix.iterrows():
        assert row["words"] == pytest.approx(words[row["period"]])
        assert row["interviews"] == n[row["period"]]
    assert matrix["rate_per_1000_words"].to_numpy() == pytest.approx(
        (matrix["count"] * 1000 / matrix["words"]).to_numpy()
    )


def test_primary_coder_counts_match_answer_key(case, matrix):
    assert primary_coder(case) == "R01"
    tf = matrix[matrix["code"] == "tension_financement"].set_index("period")["count"]
    assert tf.to_dict() == {"P1": 72, "P2": 57, "P3": 230, "P4": 62}
    # 3 078 interview segments of R01 (README), none of R02 counted.
    assert matrix["count"].sum() == 3078
    # Journal counts: R01's 612 journal segments.
    assert matrix["journal_count"].sum() == 612
    other = time_ordered_matrix(case, coder="R02")
    assert other["count"].sum() < matrix["count"].sum()


def test_quotes_come_from_quotable_segments(case, matrix):
    seg = case.segments[case.segments["coder"] == "R01"]
    q = quotable(case, seg, "partenaires")
    allowed = {(r.code, r.period, f"« {str(r.text).strip()} » — {r.attribution}") for r in q.itertuples()}
    quoted = matrix[matrix["quote"] != ""]
    assert len(quoted) > 0
    for r in quoted.itertuples():
        assert (r.code, r.period, r.quote) in allowed
    # No quote in a cell without segments.
    assert (matrix.loc[matrix["count"] == 0, "quote"] == "").all()


def test_count_table_is_wide(matrix):
    wide = count_table(matrix)
    assert list(wide.columns) == ["P1", "P2", "P3", "P4"]
    assert wide.to_numpy().sum() == matrix["count"].sum()
    assert isinstance(wide, pd.DataFrame)


def test_unknown_coder(case):
    with pytest.raises(ValueError):
        time_ordered_matrix(case, coder="R99")
