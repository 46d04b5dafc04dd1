"""Event listing and timeline lanes: by hand on tiny cases, and on the example."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from minimal_study import write_minimal_study

from rd_territoriale import load_case
from rd_territoriale.analysis.events import (
    COLUMNS,
    DEFAULT_KINDS,
    LANE_COLUMNS,
    event_listing,
    timeline_lanes,
)
from rd_territoriale.study.contract import JOURNAL_KINDS

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
T = pd.Timestamp


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    return load_case(write_minimal_study(tmp_path_factory.mktemp("minimal")))


@pytest.fixture(scope="module")
def example():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def listing(example):
    return event_listing(example)


def fake_case(min_cell_size: int = 5) -> SimpleNamespace:
    """A case made in code: one period, two projects, events on the same day."""
    periods = pd.DataFrame(
        {
            "id": ["P1"],
            "label": ["Unique"],
            "start": [T("2020-01-01")],
            "end": [T("2020-12-31")],
            "opening_event": ["Ouverture"],
        }
    )
    categories = pd.DataFrame(
        {"id": ["salaries", "ess", "citoyens"], "label": ["Salariés", "Structures de l'ESS", "Citoyens·bénévoles"]}
    )
    units = pd.DataFrame(
        {
            "id": ["A", "B"],
            "name": ["Projet A", "Projet B"],
            "start": [T("2020-01-01"), T("2019-06-01")],
            "end": [T("2020-01-01"), pd.NaT],
        }
    )
    journal = pd.DataFrame(
        {
            "id": ["J3", "J2", "J1", "J4"],
            "date": [T("2020-01-01"), T("2020-05-01"), T("2020-05-01"), T("2020-06-01")],
            "unit": pd.array(["A", "B", None, "B"], dtype="string"),
            "kind": ["comité", "événement", "comité", "réunion"],
            "participants": [["ess", "salaries"], ["salaries", "ess", "citoyens"], [], ["ess"]],
            "n_participants": pd.array([3, 12, None, 1], dtype="Int64"),
            "text": ["SECRET un", "SECRET deux", "SECRET trois", "SECRET quatre"],
        }
    )
    documents = pd.DataFrame(
        {
            "id": ["D1", "D2"],
            "kind": ["entretien collectif", "compte rendu"],
            "date": [T("2020-01-01"), T("2020-01-01")],
            "unit": pd.array(["A", "A"], dtype="string"),
            "respondent": ["X01", None],
        }
    )
    people = pd.DataFrame({"id": ["X01"], "category": ["citoyens"]})
    study = SimpleNamespace(periods=periods, categories=categories, min_cell_size=min_cell_size)
    return SimpleNamespace(study=study, units=units, journal=journal, documents=documents, people=people)


class TestByHand:
    def test_minimal_study_listing(self, minimal):
        events = event_listing(minimal, kinds=JOURNAL_KINDS)
        columns = ["date", "period", "lane", "kind", "description", "source"]
        got = [
            tuple(None if pd.isna(v) else v for v in row) for row in events[columns].itertuples(index=False, name=None)
        ]
        assert got == [
            (T("2020-01-01"), "P1", "pole", "Ouverture de période", "Création", None),
            (T("2020-02-01"), "P1", "U1", "Lancement de projet", "Lancement du projet", None),
            (T("2020-03-10"), "P1", "U1", "Entretien", "Entretien (Salariés)", "D1"),
            (T("2020-04-01"), "P1", "U1", "Réunion", "Réunion, participants : toutes les catégories", "J1"),
            (T("2021-01-01"), "P2", "pole", "Ouverture de période", "Début de la période P2 « Structuration »", None),
            (T("2021-03-01"), "P2", "U2", "Lancement de projet", "Lancement du projet", None),
            (T("2021-04-01"), "P2", "pole", "Note réflexive", "Note réflexive", "J2"),
            (T("2021-05-02"), "P2", "pole", "Entretien", "Entretien (Structures de l'ESS)", "D2"),
        ]
        assert list(events.columns) == COLUMNS
        assert events["lane_label"].tolist()[:3] == ["Le pôle", "Légumerie", "Légumerie"]
        assert events["period_label"].tolist()[4] == "Structuration"

    def test_default_kinds_leave_routine_out(self, minimal):
        events = event_listing(minimal)
        assert DEFAULT_KINDS == ("comité", "événement")
        assert events["source"].dropna().tolist() == ["D1", "D2"]  # the meeting and the note are left out
        assert event_listing(minimal, interviews=False)["source"].isna().all()

    def test_same_day_order(self):
        events = event_listing(fake_case(), kinds=JOURNAL_KINDS)
        first_day = events[events["date"] == T("2020-01-01")]
        # opening, start of A, A's committee, A's interview, A's end (B started before the study)
        assert first_day["kind"].tolist() == [
            "Ouverture de période",
            "Lancement de projet",
            "Comité",
            "Entretien collectif",
            "Fin de projet",
        ]
        may = events[events["date"] == T("2020-05-01")]
        assert may["lane"].tolist() == ["pole", "B"]  # the organisation's lane before the projects'
        b_start = events[(events["lane"] == "B") & (events["kind"] == "Lancement de projet")]
        assert b_start["date"].tolist() == [T("2019-06-01")] and b_start["period"].isna().all()

    def test_descriptions_without_text_nor_small_counts(self):
        events = event_listing(fake_case(), kinds=JOURNAL_KINDS).set_index("source")
        assert events.loc["J3", "description"] == "Comité, moins de 5 participants (Salariés, Structures de l'ESS)"
        assert events.loc["J2", "description"] == "Événement, 12 participants (toutes les catégories)"
        assert events.loc["J1", "description"] == "Comité"
        assert events.loc["J4", "description"] == "Réunion, moins de 5 participants (Structures de l'ESS)"
        assert events.loc["D1", "description"] == "Entretien collectif (Citoyens·bénévoles)"
        assert not events["description"].str.contains("SECRET|X01").any()
        assert "D2" not in events.index  # a report is not an interview
        tiny = event_listing(fake_case(min_cell_size=2), kinds=("comité",)).set_index("source")
        assert tiny.loc["J3", "description"].startswith("Comité, 3 participants")

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"unit": "U99"}, "projet inconnu"),
            ({"period": "P9"}, "période inconnue"),
            ({"kinds": ("meeting",)}, "type d'entrée de journal inconnu"),
        ],
    )
    def test_unknown_arguments(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            event_listing(fake_case(), **kwargs)


class TestExample:
    def test_columns_and_types(self, listing):
        assert list(listing.columns) == COLUMNS
        assert listing["date"].dtype == "datetime64[ns]"
        assert set(listing["family"]) == {"période", "projet", "terrain", "recherche"}

    def test_u02_end(self, listing):
        end = listing[(listing["lane"] == "U02") & (listing["kind"] == "Fin de projet")]
        assert end["date"].tolist() == [T("2022-03-31")]
        assert end["description"].tolist() == ["Fin du projet"]
        assert end["period"].tolist() == ["P4"]
        assert end["lane_label"].tolist() == ["Légumerie solidaire des cantines"]
        # The only project that ended; every project's start is listed.
        assert (listing["kind"] == "Fin de projet").sum() == 1
        assert (listing["kind"] == "Lancement de projet").sum() == 9

    def test_every_period_opening(self, example, listing):
        openings = listing[listing["kind"] == "Ouverture de période"]
        periods = example.study.periods
        assert openings["date"].tolist() == periods["start"].tolist()
        assert openings["period"].tolist() == ["P1", "P2", "P3", "P4"]
        assert openings["description"].tolist() == periods["opening_event"].tolist()
        assert (openings["lane"] == "pole").all() and (openings["lane_label"] == "Le pôle").all()
        assert openings["date"].tolist() == [T("2018-01-01"), T("2019-04-01"), T("2020-03-16"), T("2021-07-01")]

    def test_sorted(self, listing):
        assert listing["date"].is_monotonic_increasing
        assert listing.index.tolist() == list(range(len(listing)))

    def test_counts(self, example, listing):
        journal = example.journal
        for kind, label in [("comité", "Comité"), ("événement", "Événement")]:
            assert (listing["kind"] == label).sum() == (journal["kind"] == kind).sum()
        assert (listing["family"] == "recherche").sum() == 53  # 47 + 6 interviews (README)
        every = event_listing(example, kinds=JOURNAL_KINDS, interviews=False)
        assert (every["family"] == "terrain").sum() == len(journal) == 365

    def test_no_journal_text_leaks(self, example):
        events = event_listing(example, kinds=JOURNAL_KINDS)
        texts = example.journal.set_index("id")["text"]
        field = events[events["family"] == "terrain"]
        for source, description in zip(field["source"], field["description"]):
            assert texts[source][:25] not in description
        labels = "|".join(map(re.escape, example.study.categories["label"]))
        pattern = (
            rf"^[^,]+(, (moins de 5 participants|\d+ participants?|participants :)"
            rf"( ?\(?(toutes les catégories|({labels})(, ({labels}))*)\)?)?)?$"
        )
        assert field["description"].str.fullmatch(pattern).all()
        # No person's pseudonym, no document title either.
        assert not events["description"].str.contains(r"\b[A-Z]{3}\d{2}\b|R0\d").any()
        titles = example.documents["title"].dropna()
        assert not events["description"].isin(titles).any()

    def test_unit_filter(self, listing, example):
        u02 = event_listing(example, unit="U02")
        assert set(u02["lane"]) == {"U02", "pole"}
        assert (u02.loc[u02["lane"] == "pole", "kind"] == "Ouverture de période").all()
        expected = listing[(listing["lane"] == "U02") | (listing["kind"] == "Ouverture de période")]
        pd.testing.assert_frame_equal(u02, expected.reset_index(drop=True))
        assert (u02["kind"] == "Fin de projet").sum() == 1

    def test_period_filter(self, listing, example):
        p3 = event_listing(example, period="P3")
        assert (p3["period"] == "P3").all() and (p3["period_label"] == "Crise sanitaire et relance").all()
        expected = listing[listing["period"] == "P3"].reset_index(drop=True)
        pd.testing.assert_frame_equal(p3, expected)
        both = event_listing(example, unit="U02", period="P4")
        assert both["kind"].tolist() == ["Ouverture de période", "Entretien", "Fin de projet"]


class TestLanes:
    def test_example_lanes(self, example):
        lanes = timeline_lanes(example)
        assert list(lanes.columns) == LANE_COLUMNS
        assert lanes["lane"].tolist() == ["pole", "U01", "U02", "U05", "U03", "U04", "U06", "U07", "U09", "U08"]
        pole = lanes.iloc[0]
        assert (pole["lane_label"], pole["start"], pole["end"], pole["ongoing"]) == (
            "Le pôle",
            T("2018-01-01"),
            T("2022-12-31"),
            False,
        )
        u02 = lanes.set_index("lane").loc["U02"]
        assert (u02["start"], u02["end"], u02["ongoing"]) == (T("2018-03-01"), T("2022-03-31"), False)
        others = lanes[~lanes["lane"].isin(["pole", "U02"])]
        assert others["ongoing"].all() and others["end"].isna().all()
        assert lanes["start"].iloc[1:].is_monotonic_increasing

    def test_one_unit(self, example):
        assert timeline_lanes(example, unit="U07")["lane"].tolist() == ["pole", "U07"]
        with pytest.raises(ValueError, match="projet inconnu"):
            timeline_lanes(example, unit="U99")
