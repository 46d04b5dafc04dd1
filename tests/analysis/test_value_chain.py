"""The « chaîne de valeur élargie » (analysis.value_chain): totals, contributions, trajectories, evidence, cycle.

Two kinds of checks: a tiny indicators frame whose every number is counted
by hand in the comments, and the example case, whose expected numbers are
counted here from the CSV files with plain pandas, independently of the
functions under test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rd_territoriale import load_case
from rd_territoriale.analysis import value_chain as vc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "exemple"
NA = None

# --------------------------------------------------------------------------- tiny frame, counted by hand

TINY = pd.DataFrame(
    [
        # id, stage, label, unit, contributors, beneficiaries, period, value, measure, baseline, evidence
        ("T1", "ressources", "Heures bénévoles", NA, ["citoyens", "ess"], ["ess"], "P1", 100, "heures", 80, []),
        ("T2", "ressources", "Financements", NA, ["collectivites"], [], "P1", 1000, "€", NA, []),
        ("T3", "ressources", "Heures salariées", NA, ["salaries"], [], "P1", 50, "heures", 40, []),
        ("T4", "activités", "Ateliers", NA, ["salaries", "ess", "citoyens"], ["citoyens"], "P1", 4, "nombre", 0, []),
        ("T5", "impacts", "Score A", NA, ["ess"], ["citoyens"], "P1", 6.0, "score sur 10", 5, []),
        ("T6", "impacts", "Score B", NA, ["ess", "ess"], [], "P1", 7.0, "score sur 10", 5, []),
        ("T7", "ressources", "Heures bénévoles", NA, ["citoyens", "ess"], ["ess"], "P2", 120, "heures", 80, []),
        ("T8", "résultats", "Personnes transportées", "U03", ["salaries"], ["citoyens"], "P2", 30, "personnes", NA, []),
    ],
    columns=[
        "id",
        "stage",
        "label",
        "unit",
        "contributors",
        "beneficiaries",
        "period",
        "value",
        "measure",
        "baseline",
        "evidence",
    ],
)


def _row(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= (frame[col] == value).fillna(False) if value is not None else frame[col].isna()
    rows = frame[mask.to_numpy()]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


def test_stage_totals_on_a_tiny_frame_never_add_across_measures():
    t = vc.stage_totals(TINY)
    assert list(t.columns) == vc.STAGE_TOTAL_COLUMNS
    # P1 resources: heures = T1 + T3 = 100 + 50 (two indicators), € = T2 alone; never 1 150.
    heures = _row(t, stage="ressources", period="P1", measure="heures")
    assert (heures["indicators"], heures["value"], heures["stage_indicators"]) == (2, 150.0, 3)
    assert heures["labels"] == ["Heures bénévoles", "Heures salariées"]
    assert _row(t, stage="ressources", period="P1", measure="€")["value"] == 1000.0
    # Two scores on 10 are not summed (13 would mean nothing); one score alone keeps its value.
    scores = _row(t, stage="impacts", period="P1", measure="score sur 10")
    assert scores["indicators"] == 2 and np.isnan(scores["value"]) and not scores["additive"]
    alone = vc.stage_totals(TINY[TINY["id"] != "T6"], period="P1")
    assert _row(alone, stage="impacts", measure="score sur 10")["value"] == 6.0
    # A stage without indicator keeps one row with 0: réalisations in P1 and P2, impacts in P2.
    empty = _row(t, stage="réalisations", period="P1")
    assert empty["indicators"] == 0 and pd.isna(empty["measure"]) and np.isnan(empty["value"])
    # P1: ressources 2 rows (heures, €), activités 1, réalisations 1 (empty), résultats 1 (empty), impacts 1 -> 6
    # P2: ressources 1, activités 1 (empty), réalisations 1 (empty), résultats 1, impacts 1 (empty) -> 5
    assert (t["period"] == "P1").sum() == 6 and (t["period"] == "P2").sum() == 5 and len(t) == 11
    # Stages in chain order, then periods in order of appearance, then measures.
    assert list(dict.fromkeys(t["stage"])) == list(vc.VALUE_CHAIN_STAGES)
    assert list(t.loc[t["stage"] == "ressources", ["period", "measure"]].itertuples(index=False, name=None)) == [
        ("P1", "heures"),
        ("P1", "€"),
        ("P2", "heures"),
    ]


def test_stage_totals_filters_by_period_and_project():
    t = vc.stage_totals(TINY, period="P2")
    assert set(t["period"]) == {"P2"}
    u = vc.stage_totals(TINY, unit="U03")
    assert u["indicators"].sum() == 1
    assert _row(u, stage="résultats", period="P2", measure="personnes")["value"] == 30.0
    with pytest.raises(ValueError, match="période inconnue"):
        vc.stage_totals(TINY, period="P9")


def test_contributions_count_once_for_each_contributor_with_a_one_over_n_share():
    c = vc.contributions(TINY)
    assert list(c.columns) == vc.CONTRIBUTION_COLUMNS
    # Grid: 4 categories seen (citoyens, ess, collectivites, salaries) × 5 stages × 2 periods.
    assert len(c) == 4 * 5 * 2
    # T4 (3 contributors): each of salaries, ess, citoyens counts 1, with a share of 1/3.
    for cat in ("salaries", "ess", "citoyens"):
        row = _row(c, category=cat, stage="activités", period="P1")
        assert row["contributes"] == 1 and row["co_produced"] == 1
        assert row["contribution_share"] == pytest.approx(1 / 3)
    # P1 resources: citoyens and ess bring T1 (1/2 each); collectivites T2, salaries T3 alone (1 each).
    assert _row(c, category="ess", stage="ressources", period="P1")["contribution_share"] == pytest.approx(0.5)
    assert _row(c, category="collectivites", stage="ressources", period="P1")["contribution_share"] == 1.0
    assert _row(c, category="collectivites", stage="ressources", period="P1")["co_produced"] == 0
    # T6 names ess twice: counted once, share 1.
    impacts = _row(c, category="ess", stage="impacts", period="P1")
    assert impacts["contributes"] == 2 and impacts["contribution_share"] == pytest.approx(2.0)
    # Beneficiaries: citoyens benefit from T4 and T5 in P1, T8 in P2.
    assert _row(c, category="citoyens", stage="activités", period="P1")["benefits"] == 1
    assert _row(c, category="citoyens", stage="impacts", period="P1")["benefits"] == 1
    assert c.loc[c["category"] == "citoyens", "benefits"].sum() == 3
    # Shares add up to the rows that name a contributor (all 8 here): a convention, not a measure.
    assert c["contribution_share"].sum() == pytest.approx(8.0)
    # Plain counts: 2 + 1 + 1 + 3 + 1 + 1 + 2 + 1 = 12 (T6's double ess counted once).
    assert c["contributes"].sum() == 12


def test_list_cells_may_be_pipe_separated_text():
    text = TINY.assign(**{col: TINY[col].map("|".join) for col in ("contributors", "beneficiaries", "evidence")})
    pd.testing.assert_frame_equal(vc.contributions(text), vc.contributions(TINY))
    pd.testing.assert_frame_equal(vc.stage_totals(text), vc.stage_totals(TINY))


def test_trajectories_compute_change_only_against_a_recorded_baseline():
    tr = vc.indicator_trajectories(TINY)
    assert list(tr.columns) == vc.TRAJECTORY_COLUMNS
    # Every indicator has a row in every period (a gap is a row without value).
    assert len(tr) == 7 * 2
    p1 = _row(tr, indicator="Heures bénévoles", period="P1")
    p2 = _row(tr, indicator="Heures bénévoles", period="P2")
    assert (p1["change"], p1["ratio"]) == (20.0, 1.25) and (p2["change"], p2["ratio"]) == (40.0, 1.5)
    assert p1["has_baseline"] and pd.isna(p1["note"])
    # No baseline: flagged, nothing computed, no baseline borrowed.
    money = _row(tr, indicator="Financements", period="P1")
    assert not money["has_baseline"] and money["note"] == vc.NO_BASELINE_NOTE
    assert np.isnan(money["baseline"]) and np.isnan(money["change"]) and np.isnan(money["ratio"])
    gap = _row(tr, indicator="Financements", period="P2")
    assert gap["note"] == vc.NOT_MEASURED_NOTE and np.isnan(gap["value"]) and pd.isna(gap["id"])
    # A baseline of 0: the difference, never a ratio.
    ateliers = _row(tr, indicator="Ateliers", period="P1")
    assert ateliers["change"] == 4.0 and np.isnan(ateliers["ratio"]) and ateliers["note"] == vc.ZERO_BASELINE_NOTE
    # The project's indicator keeps its project.
    assert _row(tr, indicator="Personnes transportées", period="P2")["unit"] == "U03"


def test_the_indicator_column_when_present_and_the_label_otherwise():
    frame = TINY.assign(indicator=["benevolat", NA, NA, NA, NA, NA, "benevolat", NA])
    tr = vc.indicator_trajectories(frame)
    assert set(tr.loc[tr["label"] == "Heures bénévoles", "indicator"]) == {"benevolat"}
    assert set(tr.loc[tr["label"] == "Financements", "indicator"]) == {"Financements"}


def test_value_cycle_links_impacts_to_resource_trajectories():
    frame = TINY.assign(
        indicator=[
            "benevolat",
            "financements",
            "salaries_h",
            "ateliers",
            "score_a",
            "score_b",
            "benevolat",
            "transport",
        ],
        regenerates=[NA, NA, NA, NA, "benevolat|financements|ateliers|inconnu", NA, NA, NA],
    )
    cycle = vc.value_cycle(frame)
    assert list(cycle.columns) == vc.CYCLE_COLUMNS
    assert len(cycle) == 4 * 2  # 4 declared links × 2 periods
    links = cycle.drop_duplicates(["impact", "resource"]).set_index("resource")
    assert links.loc["benevolat", "resource_trend"] == "en hausse"  # 100 (P1) -> 120 (P2)
    assert "passe de 100 heures (P1) à 120 heures (P2) : en hausse" in links.loc["benevolat", "note"]
    assert "ne démontrent pas" in links.loc["benevolat", "note"]
    assert links.loc["financements", "resource_trend"] == "une seule mesure"
    assert links.loc["ateliers", "resource_trend"] == "pas une ressource"
    assert links.loc["inconnu", "resource_trend"] == "indicateur introuvable"
    row = _row(cycle, resource="benevolat", period="P2")
    assert row["resource_value"] == 120.0 and row["resource_change"] == 40.0 and np.isnan(row["impact_value"])
    # Without the column (or without any link): an empty frame with the right columns.
    for frame in (TINY, TINY.assign(regenerates=NA)):
        empty = vc.value_cycle(frame)
        assert empty.empty and list(empty.columns) == vc.CYCLE_COLUMNS


def test_missing_required_column_and_unknown_stage_are_refused():
    with pytest.raises(ValueError, match="colonnes absentes"):
        vc.stage_totals(TINY.drop(columns="measure"))
    with pytest.raises(ValueError, match="étape inconnue"):
        vc.stage_totals(TINY.assign(stage="moyens"))


# --------------------------------------------------------------------------- the example, counted from the CSV


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def raw():
    """indicators.csv read as text, lists split by hand."""
    frame = pd.read_csv(EXAMPLE / "indicators.csv", dtype=str, keep_default_na=False)
    for col in ("contributors", "beneficiaries", "evidence"):
        frame[col] = frame[col].map(lambda s: [x for x in s.split("|") if x])
    frame["value"] = frame["value"].astype(float)
    return frame


@pytest.fixture(scope="module")
def consent():
    """Source id -> quote consent (documents and journal), and segment id -> source."""
    docs = pd.read_csv(EXAMPLE / "documents.csv", dtype=str, keep_default_na=False)
    journal = pd.read_csv(EXAMPLE / "journal.csv", dtype=str, keep_default_na=False)
    segments = pd.read_csv(EXAMPLE / "segments.csv", dtype=str, keep_default_na=False, usecols=["id", "source"])
    allowed = dict(zip(docs["id"], docs["quote_consent"] == "oui"))
    allowed.update(zip(journal["id"], journal["quote_consent"] == "oui"))
    return allowed, dict(zip(segments["id"], segments["source"])), set(journal["id"])


def test_example_indicator_rows_per_stage_and_period(case, raw):
    t = vc.stage_totals(case)
    got = t.drop_duplicates(["stage", "period"]).set_index(["stage", "period"])["stage_indicators"]
    expected = raw.groupby(["stage", "period"]).size()
    assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    assert t["indicators"].sum() == len(raw)


def test_example_sums_per_measure(case, raw):
    t = vc.stage_totals(case)
    sums = raw.groupby(["stage", "period", "measure"])["value"].agg(["sum", "size"])
    for (stage, period, measure), row in sums.iterrows():
        got = _row(t, stage=stage, period=period, measure=measure)
        assert got["indicators"] == row["size"]
        if "score" in measure and row["size"] > 1:
            assert np.isnan(got["value"])
        else:
            assert got["value"] == pytest.approx(row["sum"])
    # The README's totals over the four periods, by hand: 136 ideas, 51 jobs.
    ideas = raw[raw["label"].str.startswith("Idées de projets")]["value"].sum()
    jobs = raw[raw["label"].str.startswith("Emplois créés")]["value"].sum()
    assert (ideas, jobs) == (136, 51)


def test_example_contributions_per_category(case, raw):
    c = vc.contributions(case)
    assert list(dict.fromkeys(c["category"])) == list(case.study.categories["id"])
    for cat in case.study.categories["id"]:
        contributes = raw["contributors"].map(lambda cell, cat=cat: cat in cell)
        benefits = raw["beneficiaries"].map(lambda cell, cat=cat: cat in cell)
        mine = c[c["category"] == cat]
        assert mine["contributes"].sum() == contributes.sum(), cat
        assert mine["benefits"].sum() == benefits.sum(), cat
        by_stage = raw[contributes].groupby(["stage", "period"]).size()
        for (stage, period), n in by_stage.items():
            assert _row(mine, stage=stage, period=period)["contributes"] == n
    # Shares add up to the rows that name at least one contributor.
    assert c["contribution_share"].sum() == pytest.approx((raw["contributors"].map(len) > 0).sum())


def test_example_indicators_without_baseline_are_reported_as_such(case, raw):
    tr = vc.indicator_trajectories(case)
    no_baseline = set(raw.loc[raw["baseline"] == "", "label"])
    assert {lab for lab in no_baseline if lab.startswith("Personnes transportées par la mobilité solidaire")}
    assert {lab for lab in no_baseline if lab.startswith("Ressources communes régénérées")}
    flagged = tr[tr["note"] == vc.NO_BASELINE_NOTE]
    assert set(flagged["label"]) == no_baseline
    assert flagged["change"].isna().all() and flagged["ratio"].isna().all() and flagged["baseline"].isna().all()
    transport = tr[tr["label"].str.startswith("Personnes transportées par la mobilité solidaire")]
    assert len(transport) == 4 and not transport["has_baseline"].any()
    # Where a baseline exists the change is value - baseline, row by row.
    with_base = raw[raw["baseline"] != ""].set_index("id")
    measured = tr.dropna(subset=["id"]).set_index("id")
    for rid, row in with_base.iterrows():
        assert measured.loc[rid, "change"] == pytest.approx(row["value"] - float(row["baseline"]))


def test_example_impact_without_evidence_is_flagged(case, raw):
    cov = vc.evidence_coverage(case)
    assert list(cov.columns) == vc.COVERAGE_COLUMNS
    claims = raw[raw["stage"].isin(["résultats", "impacts"])]
    assert len(cov) == len(claims)
    # Unsupported rows, counted from the CSV: no evidence listed (every listed id resolves in the example).
    assert set(cov.loc[cov["unsupported"], "id"]) == set(claims.loc[claims["evidence"].map(len) == 0, "id"])
    attract = cov[cov["label"].str.startswith("Attractivité perçue du territoire")]
    assert len(attract) == 4 and attract["unsupported"].all()
    assert (attract["verdict"] == "impact sans preuve : aucune preuve déclarée").all()
    per = vc.evidence_coverage(case, by="indicator")
    assert list(per.columns) == vc.INDICATOR_COVERAGE_COLUMNS
    row = per[per["label"].str.startswith("Attractivité perçue du territoire")].iloc[0]
    assert row["unsupported"] and row["verdict"].startswith("impact sans preuve")
    assert row["unsupported_periods"] == ["P1", "P2", "P3", "P4"] and row["supported_periods"] == 0
    assert per.loc[per["unsupported"], "label"].str.startswith("Attractivité").all()


def test_example_meals_in_p4_have_no_evidence_when_every_stage_is_checked(case):
    cov = vc.evidence_coverage(case, stages=vc.VALUE_CHAIN_STAGES)
    meals = cov[cov["label"].str.startswith("Repas servis")].set_index("period")
    assert meals.loc["P4", "unsupported"] and not meals.loc[["P1", "P2", "P3"], "unsupported"].any()
    assert meals.loc["P4", "verdict"] == "réalisation sans preuve : aucune preuve déclarée"
    per = vc.evidence_coverage(case, stages=vc.VALUE_CHAIN_STAGES, by="indicator")
    assert per.loc[per["label"].str.startswith("Repas servis"), "verdict"].iloc[0] == "sans preuve en P4"


def test_example_evidence_resolves_and_non_consented_sources_are_never_quotable_for_partners(case, consent):
    allowed, source_of, journal_ids = consent
    cov = vc.evidence_coverage(case, audience="partenaires")
    non_consented_rows = 0
    for row in cov.itertuples(index=False):
        ids = list(row.evidence)
        assert row.n_segments == sum(e in source_of for e in ids)
        assert row.n_journal == sum(e in journal_ids for e in ids)
        assert row.n_resolved == row.n_segments + row.n_journal and row.n_unresolved == 0
        consented = [e for e in ids if allowed.get(source_of.get(e, e), False)]
        # The researcher's journal and interviews alike: only consented sources count.
        assert row.n_quotable <= len(consented)
        if len(consented) < len(ids):
            non_consented_rows += 1
    assert non_consented_rows > 0  # the example does hold evidence from non-consented sources
    # The example's « coopérations durables » in P4: two passages of interviews without consent.
    coop = cov[cov["label"].str.startswith("Coopérations durables")].set_index("period").loc["P4"]
    assert not any(allowed[source_of[e]] for e in coop["evidence"])
    assert coop["n_quotable"] == 0 and "aucune citable" in coop["verdict"]
    quotes = vc.evidence_quotes(case, coop["indicator"], audience="partenaires", limit=None)
    assert len(quotes) > 0
    assert all(allowed[source_of.get(e, e)] for e in quotes["evidence"])
    assert not set(quotes["evidence"]) & set(coop["evidence"])


def test_journal_entry_without_recorded_consent_is_quoted_to_the_team_only(case):
    target = "J0021"  # evidence of « Personnes transportées » in P1
    journal = case.journal.copy()
    journal["quote_consent"] = journal["quote_consent"].mask(journal["id"] == target)
    assert journal.loc[journal["id"] == target, "quote_consent"].isna().all()
    edited = dataclasses.replace(case, journal=journal)
    label = "Personnes transportées par la mobilité solidaire"
    partners = vc.evidence_coverage(edited, audience="partenaires")
    team = vc.evidence_coverage(edited, audience="equipe")
    row_p = partners[partners["label"].str.startswith(label) & (partners["period"] == "P1")].iloc[0]
    row_t = team[team["label"].str.startswith(label) & (team["period"] == "P1")].iloc[0]
    assert list(row_p["evidence"]) == [target]
    assert (row_p["n_quotable"], row_t["n_quotable"]) == (0, 1)
    assert not row_p["unsupported"]  # not quotable is not unsupported
    team_quotes = vc.evidence_quotes(edited, label, audience="equipe", period="P1")
    assert list(team_quotes["evidence"]) == [target]
    assert team_quotes["attribution"].iloc[0] == "Chercheur·e (journal de terrain)"
    assert vc.evidence_quotes(edited, label, audience="partenaires", period="P1").empty


def test_quote_policy_none_forbids_every_quote(case):
    edited = dataclasses.replace(case, study=dataclasses.replace(case.study, quote_policy="aucune"))
    cov = vc.evidence_coverage(edited, audience="equipe")
    assert cov["n_quotable"].sum() == 0 and cov["n_resolved"].sum() > 0


def test_unknown_evidence_ids_do_not_support_a_claim(case):
    impacts = case.indicators[case.indicators["stage"] == "impacts"]
    extra = impacts.iloc[[0]].copy()
    extra["id"] = "I999"
    extra["evidence"] = [["S99999", "J9999"]]
    edited = dataclasses.replace(case, indicators=pd.concat([case.indicators, extra], ignore_index=True))
    cov = vc.evidence_coverage(edited)
    row = cov[cov["id"] == "I999"].iloc[0]
    assert (row["n_evidence"], row["n_resolved"], row["n_unresolved"]) == (2, 0, 2)
    assert row["unsupported"] and "introuvables" in row["verdict"]


def test_evidence_quotes_are_attributed_by_category_never_by_person(case, raw):
    quotes = vc.evidence_quotes(case, "Coopérations durables entre structures du territoire", limit=3)
    assert list(quotes.columns) == vc.QUOTE_COLUMNS
    assert len(quotes) == 3
    # Spread over periods (one per period first), in period order.
    assert list(quotes["period"]) == sorted(quotes["period"]) and quotes["period"].nunique() == 3
    people = set(pd.read_csv(EXAMPLE / "people.csv", dtype=str)["id"])
    assert not set(quotes["attribution"]) & people
    segments = case.segments.set_index("id")["text"]
    for e, text in zip(quotes["evidence"], quotes["text"]):
        assert segments[e] == text
    listed = {e for cell in raw.loc[raw["label"].str.startswith("Coopérations durables"), "evidence"] for e in cell}
    assert set(quotes["evidence"]) <= listed
    assert vc.evidence_quotes(case, "Attractivité perçue du territoire (score moyen sur 10)").empty
    with pytest.raises(ValueError, match="indicateur inconnu"):
        vc.evidence_quotes(case, "Indicateur qui n'existe pas")
    with pytest.raises(ValueError, match="audience inconnue"):
        vc.evidence_coverage(case, audience="public")


def test_example_works_with_and_without_the_optional_columns(case, raw):
    optional = ["indicator", "resource_kind", "activity_kind", "regenerates"]
    bare = dataclasses.replace(case, indicators=case.indicators.drop(columns=optional, errors="ignore"))
    tr = vc.indicator_trajectories(bare)
    pairs = raw[["label", "unit"]].drop_duplicates()
    assert len(tr) == len(pairs) * 4 and set(tr["indicator"]) == set(raw["label"])
    assert tr["kind"].isna().all()
    empty = vc.value_cycle(bare)
    assert empty.empty and list(empty.columns) == vc.CYCLE_COLUMNS
    pd.testing.assert_frame_equal(vc.stage_totals(bare), vc.stage_totals(case))
    pd.testing.assert_frame_equal(vc.contributions(bare), vc.contributions(case))
    if "regenerates" in raw:
        # With the column: every declared link is there, and the trend is read from the CSV.
        cycle = vc.value_cycle(case)
        declared = {(i, r) for i, cell in zip(raw["indicator"], raw["regenerates"]) for r in cell.split("|") if r}
        assert set(zip(cycle["impact"], cycle["resource"])) == declared
        for (impact, resource), link in cycle.groupby(["impact", "resource"]):
            values = raw.loc[raw["indicator"] == resource].set_index("period")["value"]
            first, last = values.iloc[0], values.iloc[-1]
            expected = "en hausse" if last > first else ("en baisse" if last < first else "stable")
            assert set(link["resource_trend"]) == {expected}
