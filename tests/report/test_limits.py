"""Limits of the analysis stated from the data: by hand on the minimal study, and on the example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from minimal_study import TABLES, write_minimal_study

from rd_territoriale import load_case
from rd_territoriale.privacy.masking import mask_for_audience
from rd_territoriale.report.limits import (
    LIMIT_COLUMNS,
    LIMIT_KEYS,
    interviews_per_category,
    reliability_status,
    study_limits,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


@pytest.fixture(scope="module")
def tiny_case(tmp_path_factory):
    return load_case(write_minimal_study(tmp_path_factory.mktemp("limits")), cache=False)


@pytest.fixture(scope="module")
def double_coded_case(tmp_path_factory):
    """The minimal study with a second coder (R02) on interview D2."""
    folder = write_minimal_study(tmp_path_factory.mktemp("limits2"))
    people = pd.concat([TABLES["people"], pd.DataFrame({"id": ["R02"], "category": ["ess"], "is_researcher": ["oui"]})])
    segments = pd.concat(
        [
            TABLES["segments"],
            pd.DataFrame(
                {
                    "id": ["S5"],
                    "source": ["D2"],
                    "coder": ["R02"],
                    "code": ["cooperation"],
                    "start": ["10"],
                    "end": ["50"],
                    "text": ["Ça coopère."],
                    "speaker": ["ESS01"],
                }
            ),
        ]
    )
    for name, frame in {"people": people, "segments": segments}.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return load_case(folder, cache=False)


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


def by_key(limits: pd.DataFrame) -> pd.DataFrame:
    return limits.set_index("key")


class TestByHand:
    def test_shape(self, tiny_case):
        limits = study_limits(tiny_case)
        assert list(limits.columns) == LIMIT_COLUMNS
        from rd_territoriale.study.gaps import study_gaps

        assert limits["key"].tolist()[: len(LIMIT_KEYS)] == list(LIMIT_KEYS)
        # then what the study lacks, one row per gap (a study that lacks nothing has none)
        gaps = study_gaps(tiny_case)
        assert limits["key"].tolist()[len(LIMIT_KEYS) :] == [f"gap_{k}" for k in gaps]
        assert limits.set_index("key").loc[[f"gap_{k}" for k in gaps], "sentence"].tolist() == list(gaps.values())
        assert limits["value"].dtype == float
        assert limits["sentence"].map(lambda s: not s[0].islower() and s.endswith(".")).all()

    def test_case_periods_units(self, tiny_case):
        limits = by_key(study_limits(tiny_case))
        assert limits.loc["cases", "value"] == 1
        assert limits.loc["cases", "sentence"].startswith(
            "Un seul cas (Cas minimal), sur un seul territoire (Territoire d'essai)"
        )
        assert limits.loc["periods", "value"] == 2
        assert limits.loc["periods", "sentence"].startswith(
            "2 périodes, du 1er janvier 2020 au 31 décembre 2021 (2 ans), de 12 mois chacune"
        )
        units = limits.loc["units", "figures"]
        # U1 starts 2020-02, U2 2021-03: one project in P1, two in P2
        assert units["active"] == {"P1": 1, "P2": 2} and units["active_all_periods"] == 1
        assert units["observed"] == {"P1": 1, "P2": 1}  # J1 and D1 on U1, D3 on U2
        assert "1 en P1 et 2 en P2 ; seul 1 est en activité sur les 2 périodes" in limits.loc["units", "sentence"]

    def test_interviews(self, tiny_case):
        limits = by_key(study_limits(tiny_case))
        assert limits.loc["interviews", "value"] == 2  # the meeting report D3 is not an interview
        assert limits.loc["interviews", "sentence"].startswith("2 entretiens, 1 par période")
        table = interviews_per_category(tiny_case)
        assert table.index.tolist() == ["salaries", "ess"] and table.columns.tolist() == ["P1", "P2"]
        assert table.values.tolist() == [[1, 0], [0, 1]]
        per_cat = limits.loc["interviews_per_category"]
        assert per_cat["value"] == 4  # four cells below 5
        assert per_cat["figures"]["table"].equals(table)  # raw counts, for the report to mask
        assert per_cat["sentence"].startswith(
            "Aucun entretien avec les salariés en P2 et avec les structures de l'ESS en P1"
        )
        assert "dans les 4 cases" in per_cat["sentence"]

    def test_small_counts_are_not_written_for_partners(self, tiny_case):
        partners = by_key(study_limits(tiny_case)).loc["interviews_per_category", "sentence"]
        team = by_key(study_limits(tiny_case, audience="equipe")).loc["interviews_per_category", "sentence"]
        assert "un seul" not in partners.lower() and "seuil de confidentialité" in partners
        assert "un seul entretien pour les salariés en P1 et pour les structures de l'ESS en P2" in team
        with pytest.raises(ValueError, match="public inconnu"):
            study_limits(tiny_case, audience="grand public")

    def test_viewpoint(self, tiny_case):
        limits = by_key(study_limits(tiny_case))
        assert limits.loc["viewpoint", "sentence"].startswith(
            "Les 2 entrées du journal de terrain sont écrites par une seule personne (R01), qui a aussi mené "
            "les 2 entretiens ; R01 est à la fois chercheur·e et membre de la catégorie « Salariés »"
        )
        assert limits.loc["viewpoint", "value"] == 1.0

    def test_no_double_coding(self, tiny_case):
        limits = by_key(study_limits(tiny_case))
        assert limits.loc["double_coding", "value"] == 0
        assert limits.loc["double_coding", "sentence"].startswith("Aucun entretien n'a été codé par une seconde")
        assert limits.loc["reliability", "sentence"] == (
            "Fiabilité inter-codeurs non encore mesurée : aucun passage n'a été codé par deux personnes."
        )
        assert np.isnan(limits.loc["reliability", "value"])

    def test_double_coding(self, double_coded_case):
        limits = by_key(study_limits(double_coded_case))
        figures = limits.loc["double_coding", "figures"]
        assert (figures["double_coded_interviews"], figures["interviews"]) == (1, 2)
        # R01 coded 3 interview segments, one of them in D2
        assert figures["primary_interview_segments"] == 3 and figures["segments_in_double_coded"] == 1
        assert limits.loc["double_coding", "value"] == pytest.approx(0.5)
        assert limits.loc["double_coding", "sentence"].startswith(
            "1 des 2 entretiens (50\u00a0%) ont aussi été codés par une seconde personne, soit 33\u00a0%"
        )
        assert "le double codage de 1 entretien le permettrait" in limits.loc["reliability", "sentence"]

    def test_masked_cells(self, tiny_case):
        none = by_key(study_limits(tiny_case)).loc["masked_cells"]
        assert none["value"] == 0 and none["sentence"].startswith("Aucune case n'a été masquée")
        three = by_key(study_limits(tiny_case, masked_cells=3)).loc["masked_cells"]
        assert three["value"] == 3 and three["sentence"].startswith("3 cases masquées dans les tableaux")
        assert "moins de 5 personnes" in three["sentence"]
        masked = mask_for_audience(pd.DataFrame({"P1": [3, 12, 20], "P2": [10, 15, 30]}), "partenaires")
        assert by_key(study_limits(tiny_case, masked_cells=masked)).loc["masked_cells", "value"] == masked.n_masked
        both = by_key(study_limits(tiny_case, masked_cells=[masked, 2])).loc["masked_cells", "value"]
        assert both == masked.n_masked + 2
        with pytest.raises(ValueError, match="négatif"):
            study_limits(tiny_case, masked_cells=-1)


class TestReliability:
    def test_status_thresholds(self):
        assert reliability_status(0.80) == "fiable"
        assert reliability_status(0.667) == "conclusions provisoires"
        assert reliability_status(0.5) == "non fiable"

    def test_none_vs_dict(self, case):
        none = by_key(study_limits(case)).loc["reliability"]
        assert "fiabilité inter-codeurs non encore mesurée" in none["sentence"].lower()
        assert none["figures"] == {"measured": False}
        given = by_key(study_limits(case, reliability={"alpha": 0.74, "codes_below": ["role_flou"]})).loc["reliability"]
        assert given["value"] == pytest.approx(0.74)
        assert given["sentence"] == (
            "Fiabilité inter-codeurs : alpha de Krippendorff de 0,74 sur l'ensemble des "
            "codes, conclusions provisoires (seuils 0,667 et "
            "0,800) ; 1 code sous 0,667 : « Rôle flou du pôle »."
        )
        assert "non encore mesurée" not in given["sentence"]

    def test_frame_without_any_value(self, case):
        empty = pd.DataFrame({"code": ["ensemble"], "krippendorff_alpha": [float("nan")]})
        sentence = by_key(study_limits(case, reliability=empty)).loc["reliability", "sentence"]
        assert sentence == "Fiabilité inter-codeurs : non calculable sur les données fournies (aucun coefficient)."

    def test_frame_per_code(self, case):
        per_code = pd.DataFrame(
            {"code": ["role_flou", "cooperation", "enthousiasme"], "cohen_kappa": [0.30, 0.85, 0.90]}
        )
        row = by_key(study_limits(case, reliability=per_code)).loc["reliability"]
        assert row["sentence"] == (
            "Fiabilité inter-codeurs : kappa de Cohen de 0,30 à 0,90 selon les codes "
            "(médiane 0,85 ; seuils 0,667 et 0,800) ; 1 code sous 0,667 : "
            "« Rôle flou du pôle »."
        )
        assert row["value"] == pytest.approx(0.30)
        with_overall = pd.concat([per_code, pd.DataFrame({"code": ["ensemble"], "cohen_kappa": [0.81]})])
        row = by_key(study_limits(case, reliability=with_overall)).loc["reliability"]
        assert row["value"] == pytest.approx(0.81) and "0,81 sur l'ensemble des codes, fiable" in row["sentence"]

    def test_unreadable(self, case):
        with pytest.raises(ValueError, match="fiabilité illisible"):
            study_limits(case, reliability=pd.DataFrame({"code": ["a"], "score": [0.5]}))
        with pytest.raises(ValueError, match="fiabilité illisible"):
            study_limits(case, reliability={"n": 3})


class TestExample:
    """README: « Limites à faire apparaître dans les rapports »."""

    def test_one_case_four_periods(self, case):
        limits = by_key(study_limits(case))
        assert limits.loc["cases", "value"] == 1
        assert limits.loc["periods", "value"] == 4
        assert limits.loc["periods", "sentence"].startswith(
            "4 périodes, du 1er janvier 2018 au 31 décembre 2022 (5 ans)"
        )
        assert limits.loc["periods", "figures"]["months"] == 60

    def test_nine_units(self, case):
        units = by_key(study_limits(case)).loc["units"]
        assert units["value"] == 9
        assert units["figures"]["active"] == {"P1": 4, "P2": 6, "P3": 8, "P4": 9}
        assert units["figures"]["active_all_periods"] == 4  # U01, U02, U03, U05

    def test_interviews(self, case):
        limits = by_key(study_limits(case))
        assert limits.loc["interviews", "value"] == 53
        assert limits.loc["interviews", "figures"]["per_period"] == {"P1": 13, "P2": 13, "P3": 14, "P4": 13}
        assert limits.loc["interviews", "sentence"].startswith(
            "53 entretiens (47 individuels, 6 collectifs), de 13 à 14 par période"
        )
        table = interviews_per_category(case)
        assert table.loc[["salaries", "collectivites", "partenaires"]].values.tolist() == [
            [1, 1, 7, 1],
            [1, 1, 1, 1],
            [1, 1, 1, 1],
        ]
        assert int(table.to_numpy().sum()) == 53

    def test_one_interview_per_period_outside_p3(self, case):
        team = by_key(study_limits(case, audience="equipe")).loc["interviews_per_category"]
        assert team["sentence"].startswith(
            "Un seul entretien par période pour les collectivités locales et les partenaires et financeurs, "
            "pour les salariés hors P3"
        )
        assert "moins de 5 entretiens dans 23 des 24 cases" in team["sentence"]
        partners = by_key(study_limits(case)).loc["interviews_per_category"]
        assert partners["sentence"].startswith("Moins de 5 entretiens (seuil de confidentialité) dans 23 des 24")
        assert "un seul" not in partners["sentence"].lower()
        # the raw table, masked as a partners' report would: small cells hidden
        masked = mask_for_audience(partners["figures"]["table"], "partenaires", min_size=5)
        assert masked.n_masked == 24

    def test_double_coding(self, case):
        row = by_key(study_limits(case)).loc["double_coding"]
        figures = row["figures"]
        assert (figures["double_coded_interviews"], figures["interviews"]) == (14, 53)
        assert row["value"] == pytest.approx(14 / 53)  # 26 % of the interviews
        assert figures["share_segments"] == pytest.approx(782 / 3078)  # 25 % of R01's interview segments
        assert round(figures["share_all_primary_segments"], 3) == 0.212  # README: 21,2 % of R01's segments
        assert figures["second_coders"] == ["R02"] and figures["double_coded_journal_entries"] == 0
        assert row["sentence"].startswith("14 des 53 entretiens (26\u00a0%) ont aussi été codés")

    def test_viewpoint(self, case):
        row = by_key(study_limits(case)).loc["viewpoint"]
        assert row["value"] == pytest.approx(47 / 53)  # README: 89 % of the interviews
        assert "Les 365 entrées du journal de terrain sont écrites par une seule personne (R01)" in row["sentence"]
        assert "47 des 53 entretiens (89\u00a0%)" in row["sentence"]
