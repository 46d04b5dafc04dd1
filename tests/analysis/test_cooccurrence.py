"""Code co-occurrence per period: counts by hand, the change rule, the example case."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact

from rd_territoriale import load_case
from rd_territoriale.analysis.cooccurrence import (
    APPEARS,
    VANISHES,
    cooccurrence,
    cooccurrence_table,
    fisher_exact_two_sided,
    pair_changes,
    pool_periods,
)
from rd_territoriale.example import build
from rd_territoriale.study.definition import assign_periods

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
NULLS = ("ancrage_territorial", "gouvernance_partagee", "utilite_sociale")
PHASES = {"P1-P2": ["P1", "P2"], "P3-P4": ["P3", "P4"]}


def segs(rows) -> pd.DataFrame:
    """Segments from (source, period, code, start, end[, coder]) tuples; R01 by default."""
    rows = [r if len(r) == 6 else (*r, "R01") for r in rows]
    frame = pd.DataFrame(rows, columns=["source", "period", "code", "start", "end", "coder"])
    frame["start"] = frame["start"].astype("Int64")
    frame["end"] = frame["end"].astype("Int64")
    frame["id"] = [f"S{i}" for i in range(len(frame))]
    return frame


def row(cooc: pd.DataFrame, a: str, b: str, period: str | None = None) -> pd.Series:
    """The row of one pair (and one period) of a co-occurrence frame."""
    a, b = sorted((a, b))
    hit = cooc[(cooc["code_a"] == a) & (cooc["code_b"] == b)]
    if period is not None:
        hit = hit[hit["period"] == period]
    assert len(hit) == 1
    return hit.iloc[0]


# --------------------------------------------------------------------------- by hand


@pytest.fixture
def tiny() -> pd.DataFrame:
    """Two periods; positions unused (source mode). R02 recodes S6, and must not count."""
    return segs(
        [
            ("S1", "P1", "a", None, None),
            ("S1", "P1", "b", None, None),
            ("S1", "P1", "b", None, None),
            ("S2", "P1", "a", None, None),
            ("S2", "P1", "c", None, None),
            ("S3", "P1", "b", None, None),
            ("S3", "P1", "c", None, None),
            ("S4", "P1", "a", None, None),
            ("S4", "P1", "b", None, None),
            ("S4", "P1", "c", None, None),
            ("S5", "P1", "a", None, None),
            ("S5", "P1", "d", None, None),
            ("S6", "P2", "a", None, None),
            ("S6", "P2", "b", None, None),
            ("S6", "P2", "c", None, None, "R02"),
            ("S6", "P2", "d", None, None, "R02"),
        ]
    )


def test_source_mode_by_hand(tiny):
    cooc = cooccurrence(tiny)
    assert cooc.attrs["coder"] == "R01" and cooc.attrs["mode"] == "source"
    assert list(cooc.columns) == [
        "period",
        "code_a",
        "code_b",
        "count",
        "hits",
        "n_a",
        "n_b",
        "units",
        "jaccard",
        "expected",
        "lift",
    ]
    assert len(cooc) == 2 * 6  # 4 codes -> 6 pairs, zeros included, per period
    ab = row(cooc, "a", "b", "P1")  # S1 and S4; b twice in S1 counts once
    assert (ab["count"], ab["hits"], ab["n_a"], ab["n_b"], ab["units"]) == (2, 2, 4, 3, 5)
    assert ab["jaccard"] == pytest.approx(2 / (4 + 3 - 2))
    assert ab["expected"] == pytest.approx(4 * 3 / 5)
    assert ab["lift"] == pytest.approx(2 / 2.4)
    assert row(cooc, "a", "d", "P1")["jaccard"] == pytest.approx(1 / (4 + 1 - 1))
    # P2: R02's codes on S6 are left out, so c and d never occur there.
    p2 = cooc[cooc["period"] == "P2"].set_index(["code_a", "code_b"])
    assert p2["count"].to_dict() == {
        ("a", "b"): 1,
        ("a", "c"): 0,
        ("a", "d"): 0,
        ("b", "c"): 0,
        ("b", "d"): 0,
        ("c", "d"): 0,
    }
    assert p2.loc[("a", "b"), "jaccard"] == 1.0
    assert p2.loc[("a", "c"), "jaccard"] == 0.0
    assert math.isnan(p2.loc[("c", "d"), "jaccard"])  # neither code occurs: undefined


def test_coder_and_period_selection(tiny):
    r02 = cooccurrence(tiny, coder="R02")
    assert r02.attrs["coder"] == "R02"
    assert row(r02, "c", "d", "P2")["count"] == 1
    only = cooccurrence(tiny, period="P2")
    assert set(only["period"]) == {"P2"} and len(only) == 6
    with pytest.raises(ValueError, match="codeur inconnu"):
        cooccurrence(tiny, coder="R09")


@pytest.fixture
def spans() -> pd.DataFrame:
    """Positioned segments, ``[start, end)`` with an exclusive end."""
    return segs(
        [
            ("X", "P1", "a", 0, 5),
            ("X", "P1", "b", 5, 9),  # touching: no shared code point
            ("X", "P1", "c", 3, 7),  # overlaps a and b
            ("X", "P1", "d", None, None),  # no position: never overlaps
            ("X", "P1", "b", 0, 9, "R02"),  # another coder over a: must not count
            ("Y", "P1", "a", 0, 10),
            ("Y", "P1", "c", 2, 4),
            ("Y", "P1", "c", 5, 8),
            ("Y", "P1", "a", 9, 12),  # a over a: not a pair
        ]
    )


def test_overlap_mode_by_hand(spans):
    cooc = cooccurrence(spans, mode="overlap")
    assert row(cooc, "a", "b")["count"] == 0  # [0,5) and [5,9) only touch
    ac = row(cooc, "a", "c")
    assert (ac["count"], ac["hits"], ac["n_a"], ac["n_b"]) == (2, 3, 2, 2)
    assert ac["jaccard"] == 1.0  # counted in sources: X and Y
    assert (row(cooc, "b", "c")["count"], row(cooc, "b", "c")["hits"]) == (1, 1)
    assert row(cooc, "a", "d")["count"] == 0 and row(cooc, "a", "d")["n_b"] == 1
    assert cooc["expected"].isna().all() and cooc["lift"].isna().all()
    # R02 alone has one segment: nothing can overlap.
    assert cooccurrence(spans, mode="overlap", coder="R02").empty


def test_proximity_mode_by_hand(spans):
    touching = cooccurrence(spans, mode="proximity", within=0)
    assert row(touching, "a", "b")["count"] == 1  # gap 0: near
    assert row(touching, "a", "c")["hits"] == 3  # a[9,12) is 1 point away from c[5,8)
    near = cooccurrence(spans, mode="proximity", within=1)
    assert row(near, "a", "c")["hits"] == 4
    assert row(near, "a", "c")["count"] == 2  # still two sources
    assert row(near, "a", "d")["count"] == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "near"}, "mode inconnu"),
        ({"mode": "proximity"}, "demande une distance"),
        ({"mode": "proximity", "within": -1}, "demande une distance"),
        ({"mode": "overlap", "within": 5}, "ne s'emploie qu'avec"),
        ({"period": "P9"}, "période inconnue"),
        ({"source_kind": "presse"}, "type de source inconnu"),
    ],
)
def test_errors_are_in_french(tiny, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cooccurrence(tiny, **kwargs)


def test_table_is_symmetric_with_empty_diagonal(tiny):
    cooc = cooccurrence(tiny)
    table = cooccurrence_table(cooc, "P1")
    assert list(table.index) == list(table.columns) == ["a", "b", "c", "d"]
    assert np.allclose(table.fillna(-1).to_numpy(), table.fillna(-1).to_numpy().T)
    assert table.loc["b", "a"] == table.loc["a", "b"] == pytest.approx(0.4)
    assert np.isnan(np.diag(table.to_numpy())).all()
    assert cooccurrence_table(cooc, "P1", value="count").loc["c", "b"] == 2
    with pytest.raises(ValueError, match="période inconnue"):
        cooccurrence_table(cooc, "P3")
    with pytest.raises(ValueError, match="valeur inconnue"):
        cooccurrence_table(cooc, "P1", value="poids")


def test_pooling_sums_sources(tiny):
    pooled = pool_periods(cooccurrence(tiny), {"tout": ["P1", "P2"]})
    ab = row(pooled, "a", "b", "tout")
    assert (ab["count"], ab["n_a"], ab["n_b"], ab["units"]) == (3, 5, 4, 6)
    assert ab["jaccard"] == pytest.approx(3 / 6)
    assert ab["expected"] == pytest.approx(5 * 4 / 6)
    with pytest.raises(ValueError, match="un seul regroupement"):
        pool_periods(cooccurrence(tiny), {"x": ["P1"], "y": ["P1", "P2"]})
    with pytest.raises(ValueError, match="période inconnue"):
        pool_periods(cooccurrence(tiny), {"x": ["P7"]})


def test_fisher_matches_scipy():
    rng = np.random.default_rng(3)
    tables = np.vstack(
        [
            rng.integers(0, 15, (150, 4)),
            rng.integers(0, 400, (50, 4)),
            [[0, 20, 10, 10], [0, 0, 3, 4], [3, 0, 0, 3], [5, 5, 5, 5]],
        ]
    )
    ours = fisher_exact_two_sided(*tables.T)
    theirs = [fisher_exact(t.reshape(2, 2)).pvalue for t in tables]
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-300)
    # [[0, 20], [10, 10]]: symmetric hypergeometric, both extreme tables.
    assert ours[-4] == pytest.approx(2 * math.comb(20, 10) / math.comb(40, 10))


# --------------------------------------------------------------------------- the change rule


@pytest.fixture
def planted() -> pd.DataFrame:
    """20 sources per period: (a, b) appears, (e, f) vanishes, (c, d) is stable."""
    rows = []
    for i in range(1, 11):
        rows += [(f"S{i}", "P1", "e", None, None), (f"S{i}", "P1", "f", None, None)]
        rows += [(f"S{i + 20}", "P2", "a", None, None), (f"S{i + 20}", "P2", "b", None, None)]
    for i in range(11, 21):
        rows += [(f"S{i}", "P1", "c", None, None), (f"S{i}", "P1", "d", None, None)]
        rows += [(f"S{i + 20}", "P2", "c", None, None), (f"S{i + 20}", "P2", "d", None, None)]
    return cooccurrence(segs(rows))


def test_change_rule_finds_the_planted_pairs(planted):
    changes = pair_changes(planted, all_rows=True).set_index(["code_a", "code_b"])
    p = 2 * math.comb(20, 10) / math.comb(40, 10)  # [[0, 20], [10, 10]]
    assert changes.loc[("a", "b"), "p_value"] == pytest.approx(p)
    assert changes.loc[("a", "b"), "p_adjusted"] == pytest.approx(p * 3 / 2)  # BH over 3 tests
    assert changes.loc[("a", "b"), "change"] == APPEARS
    assert changes.loc[("e", "f"), "change"] == VANISHES
    stable = changes.loc[("c", "d")]
    assert (stable["count_before"], stable["count_after"], stable["p_value"]) == (10, 10, 1.0)
    assert stable["change"] == "" and not stable["significant"]
    assert changes["p_value"].notna().sum() == 3  # pairs seen on neither side: not tested
    flagged = pair_changes(planted)
    assert sorted(zip(flagged["code_a"], flagged["code_b"], flagged["change"])) == [
        ("a", "b", APPEARS),
        ("e", "f", VANISHES),
    ]
    assert "Benjamini" in flagged.attrs["rule"]
    assert pair_changes(planted, min_count=11).empty  # 10 sources: never "present"


def test_rising_count_with_falling_share_is_not_an_appearance():
    # 2 of 5 sources before, 3 of 100 after: the count crosses min_count but the share falls.
    cooc = pd.DataFrame(
        {
            "period": ["P1", "P2"],
            "code_a": "a",
            "code_b": "b",
            "count": [2, 3],
            "units": [5, 100],
            "jaccard": [0.5, 0.1],
        }
    )
    out = pair_changes(cooc, all_rows=True).iloc[0]
    assert out["significant"]
    assert out["change"] == ""


# --------------------------------------------------------------------------- the example case


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


def project_segments(case, unit: str) -> pd.DataFrame:
    """Segments of the documents and journal entries of one project."""
    ids = set(case.documents.loc[case.documents["unit"] == unit, "id"])
    ids |= set(case.journal.loc[case.journal["unit"] == unit, "id"])
    return case.segments[case.segments["source"].isin(ids).to_numpy()]


def test_example_coder_never_overlaps(case):
    overlap = cooccurrence(case, mode="overlap")
    assert overlap["count"].sum() == 0 and overlap["hits"].sum() == 0
    source = cooccurrence(case)
    assert overlap["n_a"].tolist() == source["n_a"].tolist()  # same unit: sources
    near = cooccurrence(case, mode="proximity", within=300)
    assert near["count"].sum() > 0


def test_example_u02_pairs_follow_the_planted_fade(case):
    cooc = cooccurrence(project_segments(case, "U02"), periods=list(case.periods["id"]))
    fading = cooc.set_index(["code_a", "code_b", "period"]).sort_index()
    assert cooc.drop_duplicates("period")["units"].tolist() == [45, 25, 5, 1]
    late = fading.loc[("concurrence_projets", "essoufflement")]
    assert late["count"].tolist() == [0, 0, 1, 1]
    assert late["jaccard"].tolist()[2:] == [0.5, 1.0] and late["jaccard"].iloc[0] == 0.0
    early = fading.loc[("cooperation", "enthousiasme")]
    assert early["count"].tolist() == [6, 3, 0, 0]
    assert early["jaccard"].iloc[:3].tolist() == pytest.approx([6 / 29, 3 / 13, 0.0])


def test_example_u02_too_thin_to_flag_at_scale_1(case):
    cooc = cooccurrence(project_segments(case, "U02"), periods=list(case.periods["id"]))
    changes = pair_changes(pool_periods(cooc, PHASES), all_rows=True)
    pair = row(changes, "concurrence_projets", "essoufflement")
    assert (pair["count_before"], pair["units_before"], pair["count_after"], pair["units_after"]) == (0, 70, 2, 6)
    assert pair["p_value"] == pytest.approx(math.comb(6, 2) / math.comb(76, 2))
    assert pair["p_adjusted"] > 0.05 and pair["change"] == ""
    assert pair_changes(pool_periods(cooc, PHASES)).empty


@pytest.mark.parametrize("mode, within", [("source", None), ("proximity", 300)])
def test_example_null_pairs_are_never_flagged(case, mode, within):
    cooc = cooccurrence(case, mode=mode, within=within)
    for frame in (cooc, pool_periods(cooc, PHASES)):
        flagged = pair_changes(frame)
        assert not (flagged["code_a"].isin(NULLS) & flagged["code_b"].isin(NULLS)).any()


@pytest.fixture(scope="module")
def scale10(case) -> pd.DataFrame:
    """Primary-coded segments of the example generated at scale 10, with period and unit."""
    tables = build(scale=10)
    sources = pd.concat(
        [tables["documents"][["id", "date", "unit"]], tables["journal"][["id", "date", "unit"]]]
    ).set_index("id")
    seg = tables["segments"].copy()
    seg["period"] = assign_periods(pd.to_datetime(seg["source"].map(sources["date"])), case.periods)
    seg["unit"] = seg["source"].map(sources["unit"])
    return seg


def test_example_scale10_u02_change_rule(scale10, case):
    periods = list(case.periods["id"])
    u02 = cooccurrence(scale10[scale10["unit"] == "U02"], periods=periods)
    changes = pair_changes(pool_periods(u02, PHASES), all_rows=True)
    rising = row(changes, "concurrence_projets", "essoufflement")
    assert rising["change"] == APPEARS
    fading = row(changes, "cooperation", "enthousiasme")
    assert fading["significant"] and fading["share_after"] < fading["share_before"] / 2
    everything = cooccurrence(scale10, periods=periods)
    for frame in (u02, pool_periods(u02, PHASES), everything, pool_periods(everything, PHASES)):
        flagged = pair_changes(frame)
        assert not (flagged["code_a"].isin(NULLS) & flagged["code_b"].isin(NULLS)).any()


@pytest.mark.parametrize("mode, within", [("overlap", None), ("proximity", 0), ("proximity", 7)])
def test_span_pairs_match_brute_force(mode, within):
    rng = np.random.default_rng(11)
    n = 300
    start = rng.integers(0, 120, n)
    frame = segs(
        [
            (f"D{s}", f"P{1 + s % 2}", f"k{c}", int(b), int(b + w), "R01")
            for s, c, b, w in zip(rng.integers(0, 12, n), rng.integers(0, 5, n), start, rng.integers(1, 30, n))
        ]
    )
    frame.loc[rng.choice(n, 15, replace=False), ["start", "end"]] = pd.NA
    cooc = cooccurrence(frame, mode=mode, within=within).set_index(["period", "code_a", "code_b"])
    gap_max = -1 if mode == "overlap" else within
    hits, sources = {}, {}
    pos = frame.dropna(subset=["start", "end"]).to_dict("records")
    for i, x in enumerate(pos):
        for y in pos[i + 1 :]:
            gap = max(x["start"], y["start"]) - min(x["end"], y["end"])
            if x["source"] == y["source"] and x["code"] != y["code"] and gap <= gap_max:
                key = (x["period"], *sorted((x["code"], y["code"])))
                hits[key] = hits.get(key, 0) + 1
                sources.setdefault(key, set()).add(x["source"])
    assert hits and cooc["hits"][cooc["hits"] > 0].to_dict() == hits
    assert cooc["count"][cooc["count"] > 0].to_dict() == {k: len(v) for k, v in sources.items()}
