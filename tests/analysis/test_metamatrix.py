"""Case-ordered meta-matrix (project × period): by hand and on the example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from minimal_study import STUDY_YML, write_minimal_study

from rd_territoriale import load_case
from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.analysis.metamatrix import (
    case_ordered_matrix,
    meta_matrix_table,
)
from rd_territoriale.analysis.trajectories import unit_trajectories

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"

STUDY = STUDY_YML.replace(
    '  - {id: ess, label: "Structures de l\'ESS", college: "ESS", members: 20}\n',
    '  - {id: ess, label: "Structures de l\'ESS", college: "ESS", members: 20}\n'
    '  - {id: citoyens, label: "Citoyens·bénévoles", college: "Citoyens", members: 30}\n',
)

TABLES = {
    # U2 starts in P2 (2021): inactive in P1.
    "units": pd.DataFrame(
        {
            "id": ["U1", "U2"],
            "name": ["Légumerie", "Recyclerie"],
            "kind": ["filière", "service"],
            "start": ["2020-02-01", "2021-03-01"],
            "end": ["", ""],
        }
    ),
    "people": pd.DataFrame(
        {
            "id": ["R01", "R02", "SAL01", "ESS01", "CIT01"],
            "category": ["salaries", "ess", "salaries", "ess", "citoyens"],
            "is_researcher": ["oui", "oui", "non", "non", "non"],
        }
    ),
    "documents": pd.DataFrame(
        {
            "id": ["D1", "D2"],
            "kind": ["entretien", "entretien"],
            "date": ["2020-03-10", "2021-05-02"],
            "unit": ["U1", "U2"],
            "respondent": ["CIT01", "ESS01"],
            "interviewer": ["R01", "R01"],
            "quote_consent": ["oui", "oui"],
            "words": ["4000", "3000"],
        }
    ),
    "journal": pd.DataFrame(
        {
            "id": ["J1", "J2", "J3", "J4", "J5", "J6"],
            "date": ["2020-04-01", "2020-05-01", "2020-06-01", "2021-04-01", "2020-09-01", "2021-02-01"],
            "author": ["R01"] * 6,
            "unit": ["U1", "U1", "U1", "U2", "U2", "U1"],
            "kind": ["réunion", "atelier", "note réflexive", "réunion", "informel", "comité"],
            "researcher_role": ["observateur"] * 6,
            "participants": ["salaries|ess", "ess", "", "citoyens", "salaries", "salaries"],
            "n_participants": ["10", "4", "", "6", "2", "3"],
            "text": ["Réunion.", "Atelier.", "Note.", "Réunion.", "Échange.", "Comité."],
        }
    ),
    # v2 renames two labels, adds essoufflement and abandons innovation_sociale.
    "codebook": pd.DataFrame(
        {
            "code": [
                "cooperation",
                "enthousiasme",
                "innovation_sociale",
                "cooperation",
                "enthousiasme",
                "essoufflement",
            ],
            "label": [
                "Coopération interne",
                "Élan",
                "Innovation sociale",
                "Coopération entre acteurs",
                "Enthousiasme initial",
                "Essoufflement",
            ],
            "parent": [""] * 6,
            "dimension": ["dynamique"] * 6,
            "definition": [""] * 6,
            "version": ["1", "1", "1", "2", "2", "2"],
        }
    ),
}
# (source, coder, code, n). U1 in P1: cooperation 3 and enthousiasme 3 (tie: by code id),
# essoufflement 1. J5 (U2, P1) is before U2 exists. R02's codings never count.
CODINGS = [
    ("D1", "R01", "cooperation", 3),
    ("D1", "R01", "enthousiasme", 2),
    ("J1", "R01", "enthousiasme", 1),
    ("J2", "R01", "essoufflement", 1),
    ("J6", "R01", "essoufflement", 2),
    ("J5", "R01", "cooperation", 1),
    ("D2", "R01", "cooperation", 1),
    ("D1", "R02", "essoufflement", 5),
]


def segments() -> pd.DataFrame:
    rows = []
    for source, coder, code, n in CODINGS:
        speaker = "R01" if source.startswith("J") else "CIT01" if source == "D1" else "ESS01"
        rows += [{"source": source, "coder": coder, "code": code, "speaker": speaker}] * n
    out = pd.DataFrame(rows)
    out.insert(0, "id", [f"S{i + 1}" for i in range(len(out))])
    out["start"], out["end"] = "", ""
    out["text"] = "Un passage."
    return out


@pytest.fixture(scope="module")
def tiny_case(tmp_path_factory):
    folder = write_minimal_study(tmp_path_factory.mktemp("meta"))
    (folder / "study.yml").write_text(STUDY, encoding="utf-8")
    for name, frame in {**TABLES, "segments": segments()}.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return load_case(folder)


@pytest.fixture(scope="module")
def tiny(tiny_case):
    return case_ordered_matrix(tiny_case).set_index(["unit", "period"])


class TestByHand:
    def test_rows_and_activity(self, tiny):
        assert tiny.index.tolist() == [("U1", "P1"), ("U1", "P2"), ("U2", "P1"), ("U2", "P2")]
        u1 = tiny.loc[("U1", "P1")]
        assert (u1["journal_entries"], u1["meetings"], u1["interviews"]) == (3, 2, 1)
        assert u1["mean_participants"] == pytest.approx(7.0)
        assert u1["period_label"] == "Émergence"
        assert u1["coded_mentions"] == 7  # R02's five codings not counted

    def test_top_codes_ties_and_labels(self, tiny_case, tiny):
        assert tiny.loc[("U1", "P1"), "top_codes"] == ["cooperation", "enthousiasme", "essoufflement"]
        # labels of the latest version holding the code
        assert tiny.loc[("U1", "P1"), "top_code_labels"] == [
            "Coopération entre acteurs",
            "Enthousiasme initial",
            "Essoufflement",
        ]
        assert case_ordered_matrix(tiny_case, top=1).set_index(["unit", "period"]).loc[("U1", "P1"), "top_codes"] == [
            "cooperation"
        ]
        assert tiny.loc[("U1", "P2"), "top_codes"] == ["essoufflement"]
        assert tiny.loc[("U2", "P2"), "top_codes"] == ["cooperation"]

    def test_categories_from_meetings_and_respondents(self, tiny):
        # meetings J1, J2 (salaries, ess) and the respondent of D1 (citoyens), in study order;
        # not the informal exchange J5 nor the reflexive note J3.
        assert tiny.loc[("U1", "P1"), "categories"] == ["Salariés", "Structures de l'ESS", "Citoyens·bénévoles"]
        assert tiny.loc[("U1", "P2"), "categories"] == ["Salariés"]
        assert tiny.loc[("U2", "P2"), "categories"] == ["Structures de l'ESS", "Citoyens·bénévoles"]

    def test_inactive_period_has_empty_lists(self, tiny):
        u2 = tiny.loc[("U2", "P1")]
        assert not u2["active"] and u2["journal_entries"] == 1  # J5 exists, before the project
        assert u2["top_codes"] == [] and u2["top_code_labels"] == [] and u2["categories"] == []

    def test_code_labels(self, tiny_case):
        # the latest version's label; an abandoned code keeps its last label
        assert code_labels(tiny_case.codebook) == {
            "cooperation": "Coopération entre acteurs",
            "enthousiasme": "Enthousiasme initial",
            "essoufflement": "Essoufflement",
            "innovation_sociale": "Innovation sociale",
        }

    def test_presentation_table(self, tiny_case):
        table = meta_matrix_table(case_ordered_matrix(tiny_case))
        assert table.index.tolist() == ["Légumerie", "Recyclerie"]
        assert table.columns.tolist() == ["Émergence", "Structuration"]
        assert table.index.name == "Projet" and table.columns.name == "Période"
        assert table.loc["Légumerie", "Émergence"] == (
            "3 entrées · 1 entretien · 7 part. moy. · coopération entre acteurs, enthousiasme initial, essoufflement"
        )
        assert table.loc["Légumerie", "Structuration"] == "1 entrée · 3 part. moy. · essoufflement"
        assert table.loc["Recyclerie", "Émergence"] == "—"
        assert table.loc["Recyclerie", "Structuration"] == (
            "1 entrée · 1 entretien · 6 part. moy. · coopération entre acteurs"
        )


@pytest.fixture(scope="module")
def example():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def meta(example):
    return case_ordered_matrix(example)


def tops(meta, unit):
    return dict(zip(meta.loc[meta["unit"] == unit, "period"], meta.loc[meta["unit"] == unit, "top_codes"]))


class TestExample:
    def test_reuses_the_trajectories(self, example, meta):
        traj = unit_trajectories(example)
        assert len(meta) == 9 * 4
        for column in ["unit", "period", "journal_entries", "meetings", "interviews", "coded_mentions"]:
            assert meta[column].tolist() == traj[column].tolist()
        assert meta.loc[meta["unit"] == "U02", "journal_entries"].tolist() == [41, 22, 4, 0]
        inactive = meta[~meta["active"]]
        assert len(inactive) == 9 and (inactive["top_codes"].map(len) == 0).all()
        assert (meta.loc[meta["active"], "top_codes"].map(len) == 3).all()

    def test_u02_moves_from_enthusiasm_to_exhaustion(self, meta):
        u02 = tops(meta, "U02")
        early, late = {"enthousiasme", "cooperation"}, {"essoufflement", "concurrence_projets"}
        for period in ["P1", "P2"]:
            assert set(u02[period][:2]) == early and not late & set(u02[period])
        assert late <= set(u02["P3"]) and not early & set(u02["P3"])
        assert set(u02["P4"][:2]) == late

    def test_no_other_project_runs_out_of_steam(self, meta):
        # The exhaustion profile is planted in U02 only (README, effect 2).
        others = meta[meta["unit"] != "U02"]
        assert not others["top_codes"].map(lambda codes: "essoufflement" in codes).any()

    def test_u02_loses_its_stakeholders(self, meta):
        n = meta.loc[meta["unit"] == "U02", "categories"].map(len).tolist()
        assert n[0] >= 4 and n[1] >= 4 and n[2] <= 3 and n[3] <= 2

    def test_presentation_table(self, example, meta):
        table = meta_matrix_table(meta)
        assert table.shape == (9, 4)
        assert table.columns.tolist() == example.study.periods["label"].tolist()
        assert table.loc["Reconditionnement numérique"].tolist()[:3] == ["—"] * 3
        legumerie = table.loc["Légumerie solidaire des cantines"]
        assert legumerie.iloc[0].startswith("41 entrées · 4 entretiens · 24 part. moy. · ")
        assert "enthousiasme initial" in legumerie.iloc[0]
        assert legumerie.iloc[3].startswith("0 entrée · 1 entretien · essoufflement")
