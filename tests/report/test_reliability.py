"""Reliability report: French tables, first screen, and the disagreement export command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from minimal_study import write_minimal_study

from rd_territoriale.cli import main
from rd_territoriale.report import reliability as R

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


def agreement_row(code, label, alpha, status, kappa=None, reason=""):
    kappa = alpha if kappa is None else kappa
    return {
        "code": code,
        "label": label,
        "units": 100,
        "units_coded": 20,
        "primary_confirmed": 0.5,
        "percent_agreement": 0.95,
        "cohen_kappa": kappa,
        "kappa_ci_low": kappa - 0.1,
        "kappa_ci_high": kappa + 0.1,
        "krippendorff_alpha": alpha,
        "status": status,
        "reason": reason,
    }


AGREEMENT = pd.DataFrame(
    [
        agreement_row("a", "Alpha", 0.91, "fiable"),
        agreement_row("b", "Bêta", 0.54, "non fiable"),
        agreement_row("c", "Gamma", 0.72, "conclusions provisoires"),
        agreement_row("d", "Delta", np.nan, "non calculable", kappa=np.nan, reason="moins de 5 passages"),
        agreement_row("ensemble", "Ensemble des codes", 0.84, "fiable"),
    ]
)


def test_agreement_table_least_reliable_first_overall_last():
    table = R.agreement_display(AGREEMENT)
    assert table["Code"].tolist() == ["Delta", "Bêta", "Gamma", "Alpha", "Ensemble des codes"]
    row = table.iloc[1]
    assert row["Kappa de Cohen (IC 95 %)"] == "0,54 (0,44 à 0,64)" and row["Alpha de Krippendorff"] == "0,540"
    assert (
        table.iloc[0]["Statut"] == "non calculable : moins de 5 passages"
        and table.iloc[0]["Alpha de Krippendorff"] == "—"
    )


def test_key_points():
    lines = R.key_points(AGREEMENT).splitlines()
    assert lines[0] == (
        "- **Ensemble des codes** : alpha de Krippendorff 0,840, fiable (seuils 0,667 et 0,800), sur 100 passages."
    )
    assert "« Bêta » (0,54)" in lines[1] and lines[1].startswith("- **Non fiables**")
    assert "« Gamma » (0,72)" in lines[2] and lines[3] == "- **Fiables** : 1 code(s) sur 3 atteignent 0,800."


def test_drift_keeps_the_codes_that_dip_and_the_overall_row():
    by_period = pd.DataFrame(
        {
            "period": ["P1", "P2"] * 3,
            "code": ["a", "a", "b", "b", "ensemble", "ensemble"],
            "label": ["A", "A", "B", "B", "Ensemble", "Ensemble"],
            "krippendorff_alpha": [0.9, 0.85, 0.9, 0.6, 0.88, 0.8],
        }
    )
    table = R.drift_display(by_period, pd.DataFrame({"id": ["P1", "P2"]}))
    assert table.index.tolist() == ["B", "Ensemble"] and table.loc["B"].tolist() == ["0,90", "0,60"]


def test_passages_reach_the_team_only():
    found = pd.DataFrame(
        {
            "source": ["D1"],
            "period": ["P1"],
            "start": [0],
            "end": [9],
            "label": ["Bêta"],
            "R01": ["b"],
            "R02": ["—"],
            "text": ["Un passage verbatim"],
            "segments": ["S1"],
        }
    )
    assert R.disagreement_coders(found) == ["R01", "R02"]
    assert R.disagreements_display(found)["Passage"].tolist() == ["Un passage verbatim"]
    partners = R.disagreements_display(found, audience="partenaires")
    assert "Passage" not in partners.columns and partners["Codé par R02"].tolist() == ["—"]


def test_disagreements_command_writes_xlsx_with_role_flou_first(tmp_path, capsys):
    out = tmp_path / "desaccords.xlsx"
    assert main(["desaccords", str(EXAMPLE), "--sortie", str(out)]) == 0
    table = pd.read_excel(out)
    assert list(table.columns) == [
        "Code discuté",
        "Source",
        "Période",
        "Position",
        "Codé par R01",
        "Codé par R02",
        "Passage",
    ]
    assert table["Code discuté"].iloc[0] == "Rôle flou du pôle"
    assert (table["Code discuté"] == "Rôle flou du pôle").sum() == 37  # 61 passages of R01, 24 confirmed
    assert f"{len(table)} désaccord(s)" in capsys.readouterr().out


def test_disagreements_command_refuses_bad_data_and_writes_nothing(tmp_path, capsys):
    folder = write_minimal_study(tmp_path / "etude")
    segments = folder / "segments.csv"
    segments.write_text(
        segments.read_text(encoding="utf-8").replace(",cooperation,", ",code_inconnu,", 1), encoding="utf-8"
    )
    out = tmp_path / "d.csv"
    assert main(["desaccords", str(folder), "--sortie", str(out)]) == 1
    err = capsys.readouterr().err
    assert "segments.csv" in err and "Aucun fichier n'a été écrit" in err and not out.exists()
    assert main(["desaccords", str(folder), "--sortie", str(tmp_path / "d.ods")]) == 2
