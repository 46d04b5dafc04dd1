"""Intercoder agreement: published values, the same values through segments, the example case."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import aggregate_raters

from rd_territoriale import load_case
from rd_territoriale.analysis.reliability import (
    AGREEMENT_COLUMNS,
    NOT_CODED,
    NOTHING,
    OVERALL,
    UNIT_COLUMNS,
    agreement,
    agreement_status,
    code_matrix,
    coding_units,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    krippendorff_alpha,
    nominal_matrix,
    percent_agreement,
)
from rd_territoriale.report.limits import study_limits

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example C:
# observers A, B, C, D over 12 units, values 1-5, missing values.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
K2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses (as in statsmodels' tests).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]

# Two coders, binary: alpha .095 and kappa .091 (not to be confused).
BIN_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
BIN_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def segs(rows) -> pd.DataFrame:
    """Segments from (source, coder, code, start, end[, period]) tuples."""
    rows = [r if len(r) == 6 else (*r, "P1") for r in rows]
    frame = pd.DataFrame(rows, columns=["source", "coder", "code", "start", "end", "period"])
    frame["start"] = frame["start"].astype("Int64")
    frame["end"] = frame["end"].astype("Int64")
    frame["id"] = [f"S{i:03d}" for i in range(len(frame))]
    frame["text"] = [f"texte {i}" for i in range(len(frame))]
    return frame


def row(table: pd.DataFrame, code: str, **group) -> pd.Series:
    hit = table[table["code"] == code]
    for key, value in group.items():
        hit = hit[hit[key] == value]
    assert len(hit) == 1
    return hit.iloc[0]


# --------------------------------------------------------------------------- published values


@pytest.mark.parametrize("level", list(K2011_ALPHA))
def test_krippendorff_2011_levels(level):
    assert round(krippendorff_alpha(K2011, level), 3) == K2011_ALPHA[level]
    frame = pd.DataFrame(K2011, index=list("ABCD"))
    assert krippendorff_alpha(frame, level) == pytest.approx(krippendorff_alpha(K2011, level))


def test_krippendorff_labels_nominal_only():
    labels = [[None if isinstance(v, float) and math.isnan(v) else f"v{int(v)}" for v in r] for r in K2011]
    assert round(krippendorff_alpha(labels, "nominal"), 3) == 0.743
    with pytest.raises(ValueError, match="numériques"):
        krippendorff_alpha(labels, "interval")
    with pytest.raises(ValueError, match="niveau de mesure inconnu"):
        krippendorff_alpha(K2011, "cardinal")
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation: not defined


def test_fleiss_1971():
    assert round(fleiss_kappa(FLEISS_1971), 3) == 0.430
    assert fleiss_kappa(FLEISS_1971) == pytest.approx(0.4302445, abs=1e-6)
    table, _ = aggregate_raters(np.asarray(FLEISS_1971))
    assert fleiss_kappa(table, counts=True) == pytest.approx(fleiss_kappa(FLEISS_1971))
    letters = [["abcde"[v - 1] for v in r] for r in FLEISS_1971]
    assert fleiss_kappa(letters) == pytest.approx(fleiss_kappa(FLEISS_1971))
    with pytest.raises(ValueError, match="même nombre"):
        fleiss_kappa([[3, 0], [2, 0]], counts=True)


def test_binary_alpha_and_kappa_differ():
    alpha = krippendorff_alpha([BIN_A, BIN_B])
    kappa = cohen_kappa(BIN_A, BIN_B)
    assert round(alpha, 3) == 0.095
    assert round(kappa.kappa, 3) == 0.091
    assert round(alpha, 3) != round(kappa.kappa, 3)
    # Cohen (1960): chance = sum over categories of the products of the coders' shares
    po, pe = 0.6, 0.8 * 0.6 + 0.2 * 0.4
    assert kappa.kappa == pytest.approx((po - pe) / (1 - pe))
    assert kappa.n == 10 and kappa.percent_agreement == pytest.approx(0.6)
    assert kappa.ci_low < kappa.kappa < kappa.ci_high
    assert kappa.kappa - kappa.ci_low == pytest.approx(kappa.ci_high - kappa.kappa)
    assert percent_agreement(BIN_A, BIN_B) == pytest.approx(0.6)
    assert percent_agreement([BIN_A, BIN_B]) == pytest.approx(0.6)


def test_cohen_kappa_union_of_categories_and_missing():
    # « z » is used by one coder only: the table is 3 × 3; the pair with a missing label is dropped
    res = cohen_kappa(["x", "y", "z", None], ["x", "y", "y", "x"])
    assert res.n == 3
    po, pe = 2 / 3, (1 / 3) * (1 / 3) + (1 / 3) * (2 / 3)
    assert res.kappa == pytest.approx((po - pe) / (1 - pe))
    same = cohen_kappa(["x", "x"], ["x", "x"])
    assert math.isnan(same.kappa) and same.percent_agreement == 1.0
    with pytest.raises(ValueError, match="même nombre"):
        cohen_kappa([1, 2], [1])


def test_status_thresholds():
    assert agreement_status(0.80) == "fiable"
    assert agreement_status(0.7999) == "conclusions provisoires"
    assert agreement_status(0.667) == "conclusions provisoires"
    assert agreement_status(0.6669) == "non fiable"
    assert agreement_status(float("nan")) == "non calculable"


# --------------------------------------------------------------------------- the same values through segments


def binary_segments(shift: int = 0) -> pd.DataFrame:
    """One source, 10 passages; each coder gives « x » (value 1) or « y » (value 0).

    R02's spans are shifted by ``shift`` characters (still the same passages).
    """
    rows = []
    for i, (a, b) in enumerate(zip(BIN_A, BIN_B)):
        rows.append(("D1", "R01", "x" if a else "y", 100 * i, 100 * i + 80))
        rows.append(("D1", "R02", "x" if b else "y", 100 * i + shift, 100 * i + 80 + shift))
    return segs(rows)


@pytest.mark.parametrize("shift", [0, 15])
def test_binary_through_passages(shift):
    table = agreement(binary_segments(shift), min_units=5)
    x = row(table, "x")
    assert x["units"] == 10 and x["n_coders"] == 2
    assert round(x["krippendorff_alpha"], 3) == 0.095
    assert round(x["cohen_kappa"], 3) == 0.091
    assert x["percent_agreement"] == pytest.approx(0.6)
    direct = cohen_kappa(BIN_A, BIN_B)
    assert (x["kappa_ci_low"], x["kappa_ci_high"]) == pytest.approx((direct.ci_low, direct.ci_high))
    assert x["status"] == "non fiable"
    assert math.isnan(x["fleiss_kappa"])
    # « y » is the complement of « x »: the same binary decisions
    assert row(table, "y")["krippendorff_alpha"] == pytest.approx(x["krippendorff_alpha"])
    assert list(table.columns) == AGREEMENT_COLUMNS and table["code"].iloc[-1] == OVERALL


def test_binary_through_sources():
    rows = [
        (f"D{i}", coder, "x" if v else "y", None, None)
        for i, (a, b) in enumerate(zip(BIN_A, BIN_B))
        for coder, v in (("R01", a), ("R02", b))
    ]
    x = row(agreement(segs(rows), unit="source", min_units=5), "x")
    assert x["units"] == 10
    assert round(x["krippendorff_alpha"], 3) == 0.095 and round(x["cohen_kappa"], 3) == 0.091


def k2011_segments() -> pd.DataFrame:
    """Krippendorff's 12 units as 12 sources; a missing value = the observer did not code the source."""
    rows = [
        (f"U{j:02d}", coder, f"v{int(v)}", None, None)
        for coder, values in zip("ABCD", K2011)
        for j, v in enumerate(values)
        if not math.isnan(v)
    ]
    return segs(rows)


def test_krippendorff_2011_through_sources():
    units = coding_units(k2011_segments(), unit="source")
    assert list(units.columns) == UNIT_COLUMNS
    # U11 was coded by B only: not a unit (no second coder)
    assert sorted(units["unit"].unique()) == [f"U{j:02d}" for j in range(11)]
    nominal = nominal_matrix(units)
    assert list(nominal.index) == list("ABCD")
    assert nominal.loc["A", "U09"] is None  # A did not code U09: missing
    numbers = nominal.apply(lambda col: col.str[1:].astype(float))
    for level, expected in K2011_ALPHA.items():
        assert round(krippendorff_alpha(numbers, level), 3) == expected
    overall = row(agreement(k2011_segments(), unit="source", pooled="nominal"), OVERALL)
    assert round(overall["krippendorff_alpha"], 3) == 0.743
    assert overall["n_coders"] == 4 and overall["units"] == 11
    # the per-code matrix: 1 where the observer gave the value, 0 otherwise, NaN when missing
    v3 = code_matrix(units, "v3")
    assert v3.loc["B", "U02"] == 1 and v3.loc["A", "U01"] == 0 and math.isnan(v3.loc["A", "U10"])


def test_fleiss_1971_through_sources():
    rows = [
        (f"P{u:02d}", f"R{r}", f"d{v}", None, None)
        for u, ratings in enumerate(FLEISS_1971)
        for r, v in enumerate(ratings)
    ]
    table = agreement(segs(rows), unit="source", pooled="nominal")
    overall = row(table, OVERALL)
    assert round(overall["fleiss_kappa"], 3) == 0.430
    assert overall["n_coders"] == 6 and math.isnan(overall["cohen_kappa"])
    assert table["fleiss_kappa"].notna().all()  # six coders: Fleiss for every code


# --------------------------------------------------------------------------- unit rules


def test_overlap_base_shorter_or_union():
    frame = segs([("D1", "R01", "a", 0, 100), ("D1", "R02", "a", 0, 300)])
    assert coding_units(frame)["unit"].nunique() == 1  # 100 / 100
    assert coding_units(frame, overlap="union")["unit"].nunique() == 2  # 100 / 300 < 0.5
    assert coding_units(frame, overlap="union", min_overlap=0.3)["unit"].nunique() == 1
    # [0, 5) and [5, 9) touch but do not overlap (end exclusive)
    touching = segs([("D1", "R01", "a", 0, 5), ("D1", "R02", "a", 5, 9)])
    assert coding_units(touching)["unit"].nunique() == 2
    with pytest.raises(ValueError, match="chevauchement minimal"):
        coding_units(frame, min_overlap=0)
    with pytest.raises(ValueError, match="base du chevauchement"):
        coding_units(frame, overlap="jaccard")


def test_passage_rules():
    frame = segs(
        [
            # one passage coded « a » + « b » by R01 and « a » by R02
            ("D1", "R01", "a", 0, 50),
            ("D1", "R01", "b", 0, 50),
            ("D1", "R02", "a", 5, 50),
            # R02 alone: R01 has « nothing » there
            ("D1", "R02", "c", 200, 260),
            # no position: a passage of its own
            ("D1", "R01", "c", None, None),
            # D2 coded by R01 only: not compared
            ("D2", "R01", "a", 0, 50),
            # D3: R03 coded it too, but not D1
            ("D3", "R01", "a", 0, 50),
            ("D3", "R03", "a", 0, 50),
        ]
    )
    units = coding_units(frame)
    assert set(units["source"]) == {"D1", "D3"}
    d1 = units[units["source"] == "D1"]
    assert d1["unit"].nunique() == 3
    assert set(d1["coder"]) == {"R01", "R02"}  # R03 did not code D1: missing
    first = d1[d1["unit"] == "D1/1"]
    assert (first["start"].iloc[0], first["end"].iloc[0]) == (0, 50)
    assert set(first.loc[first["present"], "coder"] + ":" + first.loc[first["present"], "code"]) == {
        "R01:a",
        "R01:b",
        "R02:a",
    }
    nominal = nominal_matrix(units)
    assert nominal.loc["R01", "D1/1"] == "a + b" and nominal.loc["R02", "D1/1"] == "a"
    assert nominal.loc["R01", "D1/2"] == NOTHING and nominal.loc["R02", "D1/2"] == "c"
    assert nominal.loc["R03", "D1/1"] is None
    assert code_matrix(units, "c").loc["R03"].isna().sum() == 3


def test_not_computable_and_errors():
    frame = segs([("D1", "R01", "a", 0, 50), ("D1", "R02", "a", 0, 50), ("D1", "R02", "b", 100, 150)])
    table = agreement(frame)
    a = row(table, "a")
    assert a["status"] == "non calculable" and "trop peu d'unités" in a["reason"]
    many = segs([("D1", coder, "a", 100 * i, 100 * i + 50) for i in range(12) for coder in ("R01", "R02")])
    a = row(agreement(many), "a")
    assert a["status"] == "non calculable" and a["reason"].startswith("aucune variation")
    assert a["same_code_share"] == 1.0 and a["percent_agreement"] == 1.0
    with pytest.raises(ValueError, match="unité d'analyse inconnue"):
        agreement(frame, unit="phrase")
    with pytest.raises(ValueError, match="regroupement inconnu"):
        agreement(frame, by="coder")
    with pytest.raises(ValueError, match="codeur inconnu"):
        agreement(frame, coders=["R01", "R09"])
    with pytest.raises(ValueError, match="mise en commun"):
        agreement(frame, pooled="moyenne")


def test_pairs_with_three_coders():
    frame = segs(
        [
            (f"D{i}", c, "x" if (i + k) % 3 else "y", 0, 10)
            for i in range(12)
            for k, c in enumerate(("R01", "R02", "R03"))
            if not (c == "R03" and i < 2)
        ]
    )
    pairs = agreement(frame, by="pair", unit="source", min_units=5, min_coded=1)
    assert list(pairs.columns[:2]) == ["coder_a", "coder_b"]
    assert len(pairs) == 3 * 3  # 3 pairs × (x, y, ensemble)
    r13 = row(pairs, "x", coder_a="R01", coder_b="R03")
    assert r13["units"] == 10  # R03 skipped D0 and D1
    overall = row(agreement(frame, unit="source", min_units=5), "x")
    assert overall["n_coders"] == 3 and math.isnan(overall["cohen_kappa"])
    assert not math.isnan(overall["fleiss_kappa"])


# --------------------------------------------------------------------------- the example case


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def table(case):
    return agreement(case)


def answer_key(case) -> pd.DataFrame:
    """As the example's README measures it: R01's segments of double-coded sources, R02's code on the same span."""
    seg = case.segments
    r01, r02 = seg[seg["coder"] == "R01"], seg[seg["coder"] == "R02"]
    dc = r01[r01["source"].isin(set(r02["source"]))]
    merged = dc.merge(
        r02[["source", "start", "end", "code"]], on=["source", "start", "end"], how="left", suffixes=("", "_r02")
    )
    return merged.assign(agree=(merged["code"] == merged["code_r02"]).fillna(False))


def test_example_every_code(case, table):
    codes = sorted(case.segments["code"].dropna().astype(str).unique())
    assert list(table["code"]) == [*codes, OVERALL]
    assert table.attrs["primary_coder"] == "R01" and table.attrs["coders"] == ["R01", "R02"]
    assert (table["n_coders"] == 2).all() and table["fleiss_kappa"].isna().all()
    assert table["krippendorff_alpha"].notna().all() and table["cohen_kappa"].notna().all()
    assert (table["kappa_ci_low"] <= table["cohen_kappa"]).all()
    assert (table["cohen_kappa"] <= table["kappa_ci_high"]).all()
    assert row(table, "role_flou")["label"] == "Rôle flou du pôle"


def test_example_role_flou_flagged(table):
    flou = row(table, "role_flou")
    others = table[~table["code"].isin(["role_flou", OVERALL])]
    assert flou["status"] in {"non fiable", "conclusions provisoires"}
    assert flou["krippendorff_alpha"] < 0.667
    assert flou["krippendorff_alpha"] < others["krippendorff_alpha"].min() - 0.1
    assert flou["krippendorff_alpha"] < others["krippendorff_alpha"].median() - 0.25
    assert (others["krippendorff_alpha"] >= 0.667).mean() >= 0.9
    assert flou["cohen_kappa"] < others["cohen_kappa"].min()


def test_example_same_passage_same_code(case, table):
    # README: 39 % for role_flou (24 of 61), 88 % for the other codes together
    flou = row(table, "role_flou")
    assert (flou["primary_units"], round(flou["primary_confirmed"] * flou["primary_units"])) == (61, 24)
    assert flou["primary_confirmed"] == pytest.approx(24 / 61)
    assert 0.30 < flou["same_code_share"] <= flou["primary_confirmed"]
    others = table[~table["code"].isin(["role_flou", OVERALL])]
    pooled = (others["primary_confirmed"] * others["primary_units"]).sum() / others["primary_units"].sum()
    assert 0.85 <= pooled <= 0.91
    assert (others["primary_confirmed"] >= 0.75).all()
    # code by code, the passages give exactly the answer key's « même passage, même code »
    key = answer_key(case).groupby("code")["agree"].agg(["mean", "size"])
    mine = table.set_index("code").loc[key.index]
    assert (mine["primary_units"].to_numpy() == key["size"].to_numpy()).all()
    assert mine["primary_confirmed"].to_numpy() == pytest.approx(key["mean"].to_numpy())


def test_example_feeds_study_limits(case, table):
    limits = study_limits(case, reliability=table).set_index("key")
    assert limits.at["reliability", "value"] == pytest.approx(row(table, OVERALL)["krippendorff_alpha"])
    figures = limits.at["reliability", "figures"]
    assert figures["measure"] == "krippendorff_alpha" and figures["codes_below"] == ["role_flou"]
    assert "Rôle flou du pôle" in limits.at["reliability", "sentence"]


def test_example_per_period(case, table):
    periods = [str(p) for p in case.study.periods["id"]]
    drift = agreement(case, by="period")
    assert list(drift.columns) == ["period", *AGREEMENT_COLUMNS]
    assert len(drift) == len(table) * len(periods)
    assert list(drift.loc[drift["code"] == "role_flou", "period"]) == periods
    flou = drift[drift["code"] == "role_flou"]
    assert (flou["krippendorff_alpha"] < 0.667).all()
    assert flou["units"].sum() == row(table, "role_flou")["units"]
    assert flou["primary_units"].sum() == 61


def test_example_per_pair(case, table):
    pairs = agreement(case, by="pair")
    assert list(pairs.columns) == ["coder_a", "coder_b", *AGREEMENT_COLUMNS]
    assert set(zip(pairs["coder_a"], pairs["coder_b"])) == {("R01", "R02")}
    assert pairs["krippendorff_alpha"].to_numpy() == pytest.approx(table["krippendorff_alpha"].to_numpy())


def test_example_source_units(case):
    by_source = agreement(case, unit="source")
    assert row(by_source, OVERALL)["units"] == 14  # R02 recoded 14 interviews
    assert set(by_source["status"]) <= {"fiable", "conclusions provisoires", "non fiable", "non calculable"}
    blank = by_source[by_source["status"] == "non calculable"]
    assert (blank["reason"] != "").all()


def test_example_disagreements(case, table):
    listed = disagreements(case)
    assert {"R01", "R02", "text", "segments", "label"} <= set(listed.columns)
    assert listed["code"].iloc[0] == "role_flou"
    flou = listed[listed["code"] == "role_flou"]
    assert len(flou) == 61 - 24
    assert flou.index.max() == len(flou) - 1  # role_flou rows come first
    assert (flou["R01"] == "role_flou").all()
    confusions = {NOTHING, "animation_reseau", "gouvernance_partagee", "posture_chercheur", "concurrence_projets"}
    assert set(flou["R02"]) <= confusions and (flou["R02"] != NOTHING).any()
    assert (flou["text"].str.len() > 0).all() and (flou["segments"] != "").all()
    assert not (listed[["R01", "R02"]] == NOT_CODED).any().any()
    alphas = listed["krippendorff_alpha"].to_numpy()
    assert (np.diff(alphas) >= 0).all()  # least reliable code first
    within = flou[["source", "start"]].to_records(index=False).tolist()
    assert within == sorted(within)
    # every disagreement is a unit × code where the coders' values differ
    per_code = table.set_index("code")
    counts = listed["code"].value_counts()
    for code, n in counts.items():
        r = per_code.loc[code]
        assert n == r["units"] - round(r["percent_agreement"] * r["units"])
