"""French presentation of the value-chain report (report.value_chain)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rd_territoriale.report import value_chain as R

COVERAGE = pd.DataFrame(
    {
        "label": ["Emplois", "Attractivité", "Repas"],
        "stage": ["résultats", "impacts", "réalisations"],
        "periods": [4, 4, 4],
        "supported_periods": [4, 0, 3],
        "unsupported": [False, True, False],
        "n_resolved": [7, 0, 3],
        "n_quotable": [5, 0, 1],
        "verdict": [
            "étayé à chaque période",
            "impact sans preuve : aucune preuve à aucune période",
            "sans preuve en P4",
        ],
    }
)
TRAJECTORIES = pd.DataFrame(
    {
        "indicator": ["a", "a", "b", "b"],
        "label": ["Heures", "Heures", "Personnes", "Personnes"],
        "stage": ["ressources"] * 2 + ["résultats"] * 2,
        "measure": ["heures", "heures", "personnes", "personnes"],
        "period": ["P1", "P2", "P1", "P2"],
        "value": [100.0, 150.0, 30.0, np.nan],
        "baseline": [80.0, 80.0, np.nan, np.nan],
        "has_baseline": [True, True, False, False],
        "ratio": [1.25, 1.875, np.nan, np.nan],
        "note": ["", "", "pas de situation de référence", "pas de situation de référence"],
    }
)
CYCLE = pd.DataFrame(
    {
        "impact": ["i", "i"],
        "resource": ["a", "a"],
        "impact_label": ["Impact"] * 2,
        "resource_label": ["Heures"] * 2,
        "resource_trend": ["en hausse"] * 2,
        "note": ["Lien déclaré, que ces chiffres ne démontrent pas"] * 2,
    }
)


def test_key_points_flag_missing_evidence_and_baselines():
    lines = R.key_points(COVERAGE, TRAJECTORIES, CYCLE).splitlines()
    assert lines[0] == (
        "- **Sans preuve** : « Attractivité » (impacts) — impact sans preuve : aucune preuve à aucune période."
    )
    assert lines[1] == "- **Preuve incomplète** : « Repas » — sans preuve en P4."
    assert lines[2].endswith(": « Personnes ».") and "Sans situation de référence" in lines[2]
    assert lines[3].startswith("- **Cycle** : 1 lien(s) déclaré(s)")


def test_baseline_is_never_invented():
    table = R.baseline_display(TRAJECTORIES)
    assert table["Indicateur"].tolist() == ["Heures", "Personnes"]
    assert (
        table.iloc[0]["Dernière valeur"] == "150 heures (P2)"
        and table.iloc[0]["Situation de référence"] == "80 au départ (×1,88)"
    )
    # The last measured value (P1) is shown, and no baseline is made up.
    assert table.iloc[1]["Dernière valeur"] == "30 personnes (P1)"
    assert table.iloc[1]["Situation de référence"] == "pas de situation de référence"


def test_contributions_and_evidence_tables():
    contributions = pd.DataFrame(
        {
            "category_label": ["Salariés", "Salariés", "ESS"],
            "stage": ["ressources", "impacts", "ressources"],
            "contributes": [2, 1, 3],
        }
    )
    table = R.contributions_display(contributions)
    assert table.columns.tolist() == ["Ressources", "Impacts"]
    assert table.loc["Salariés"].tolist() == [2, 1] and table.loc["ESS"].tolist() == [3, 0]
    evidence = R.evidence_display(COVERAGE)
    assert evidence.iloc[1].tolist() == [
        "Impacts",
        "Attractivité",
        "0 sur 4",
        "0 (0)",
        "impact sans preuve : aucune preuve à aucune période",
    ]
    assert R.cycle_display(CYCLE).shape == (1, 4)
    empty = R.evidence_markdown(pd.DataFrame(columns=["text", "attribution", "period"]), "Attractivité")
    assert "aucun passage ne peut être cité" in empty


def test_scope_sentence():
    one = TRAJECTORIES[TRAJECTORIES["indicator"] == "a"]
    assert R.scope_sentence(TRAJECTORIES, None).endswith(": 2 indicateurs suivis.")
    assert R.scope_sentence(one, "U1") == "Ce rapport couvre le seul indicateur propre à ce projet."
    assert R.scope_sentence(TRAJECTORIES, "U1") == "Ce rapport couvre les 2 indicateurs propres à ce projet."
    assert R.scope_sentence(TRAJECTORIES.iloc[0:0], "U4").startswith("Aucun indicateur propre à ce projet")


def test_evidence_quotes_for_supported_indicators_only():
    from pathlib import Path

    from rd_territoriale import load_case
    from rd_territoriale.analysis.value_chain import evidence_coverage

    case = load_case(Path(__file__).resolve().parents[2] / "data" / "exemple")
    coverage = evidence_coverage(case, audience="partenaires", by="indicator")
    text = R.evidence_quotes_markdown(case, coverage, "partenaires")
    assert "**Emplois créés ou consolidés**" in text and "> « " in text
    assert "Attractivité perçue" not in text  # no evidence: nothing to quote
