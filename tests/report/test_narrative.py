"""French narrative of the cross-period changes (report.narrative)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.report import narrative

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
PERIODS = pd.DataFrame({"id": ["P1", "P2", "P3"], "label": ["Début", "Milieu", "Fin"]})


def effect(code, period, reference, irr, low, high, significant, testable=True, reason=""):
    return {
        "code": code,
        "period": period,
        "reference": reference,
        "count": 10,
        "reference_count": 5,
        "irr": irr,
        "ci_low": low,
        "ci_high": high,
        "p_value": 0.001 if significant else 0.5,
        "p_adjusted": 0.01 if significant else 0.6,
        "testable": testable,
        "reason": reason,
        "significant": significant,
    }


EFFECTS = pd.DataFrame(
    [
        effect("a", "P2", "P1", 1.2, 0.8, 1.9, False),
        effect("a", "P3", "P2", 0.25, 0.12, 0.5, True),
        effect("b", "P2", "P1", 2.0, 1.3, 3.1, True),
        effect("b", "P3", "P2", 1.1, 0.7, 1.6, False),
        effect("c", "P2", "P1", np.nan, np.nan, np.nan, False, False, "effectif trop faible"),
        effect("c", "P3", "P2", np.nan, np.nan, np.nan, False, False, "effectif trop faible"),
    ]
)


class TestPhrases:
    def test_ratio_reads_falls_as_fewer(self):
        assert narrative.ratio_phrase(3.8) == "3,8 fois plus fréquent"
        assert narrative.ratio_phrase(0.25) == "4,0 fois moins fréquent"

    def test_interval_follows_the_direction(self):
        assert narrative.interval_phrase(2.8, 5.1).endswith("2,8 à 5,1 fois plus")
        assert narrative.interval_phrase(0.2, 0.5).endswith("2,0 à 5,0 fois moins")
        assert "de 2,0 fois moins à 1,5 fois plus" in narrative.interval_phrase(0.5, 1.5)


class TestKeyChanges:
    def test_only_significant_changes_strongest_first(self):
        bullets = narrative.code_changes(EFFECTS, {"a": "Alpha", "b": "Bêta"}, PERIODS)
        # |log 0.25| > |log 2|: « Alpha » first; « c » (untestable) and non-significant rows absent.
        assert len(bullets) == 2
        assert bullets[0].startswith("**Alpha** : en baisse en P3 « Fin » (4,0 fois moins fréquent qu'en P2")
        assert bullets[1].startswith("**Bêta** : en hausse en P2 « Milieu » (2,0 fois plus fréquent qu'en P1")

    def test_period_filter_and_first_period(self):
        text = narrative.key_changes(EFFECTS, {}, PERIODS, period="P2")
        assert "**b**" in text and "**a**" not in text
        first = narrative.key_changes(EFFECTS, {}, PERIODS, period="P1")
        assert "première période" in first

    def test_nothing_to_say(self):
        calm = EFFECTS.assign(significant=False)
        assert narrative.key_changes(calm, {}, PERIODS).startswith("Aucun changement net")

    def test_limit_says_how_many_are_left_out(self):
        text = narrative.key_changes(EFFECTS, {}, PERIODS, limit=1)
        assert "… et 1 autre(s) code(s)" in text

    def test_effects_table_in_french(self):
        table = narrative.effects_table(EFFECTS, {"a": "Alpha"}, PERIODS)
        row = table.iloc[1]
        assert row["code_label"] == "Alpha" and row["ratio"] == "×0,25" and row["interval"] == "0,12 à 0,50"
        assert row["verdict"] == "baisse nette" and row["p_adjusted"] == "0,010"
        assert table.iloc[4]["verdict"] == "effectif trop faible" and table.iloc[4]["ratio"] == ""


@pytest.fixture(scope="module")
def example_changes():
    import rd_territoriale
    from rd_territoriale.analysis import models, signals, trajectories

    case = rd_territoriale.load_case(EXAMPLE)
    effects = models.successive_effects(case)
    feu = trajectories.feu_de_paille(trajectories.unit_trajectories(case))
    labels = code_labels(case.codebook)
    return case, narrative.key_changes(effects, labels, case.study.periods, feu, signals.cout_que_coute(case)), labels


def test_example_key_changes_name_the_planted_effects(example_changes):
    case, text, labels = example_changes
    assert f"**{labels['tension_financement']}** : en hausse en P3" in text
    assert "**Légumerie solidaire des cantines** : schéma du *feu de paille*" in text
    assert "coûte que coûte" in text
    for null in ("ancrage_territorial", "gouvernance_partagee", "utilite_sociale"):
        assert labels[null] not in text


def test_code_labels_take_the_latest_version(example_changes):
    case, _, labels = example_changes
    assert labels["tension_financement"] == "Tension sur le financement"
    assert labels["cooperation_interne"] == "Coopération interne"  # dropped in v2: its own last label


def test_verdict_sentences():
    assert narrative.signal_sentence({"flagged": True, "reason": "Salariés : ×13,6"}) == (
        "**Signal levé.** Salariés : ×13,6."
    )
    assert narrative.signal_sentence({"flagged": False, "reason": "ESS : pas de signal"}).startswith(
        "**Pas de signal.** ESS"
    )
    feu = pd.DataFrame(
        {
            "unit": ["U1", "U2"],
            "name": ["Un", "Deux"],
            "flagged": [True, False],
            "reason": ["maximum en P1", "trop peu de périodes"],
        }
    )
    assert narrative.feu_sentence(feu) == "- **Un** : schéma du *feu de paille* (maximum en P1)."
    assert narrative.feu_sentence(feu, "U2") == "**Pas de feu de paille pour ce projet** : trop peu de périodes."


def test_net_effects_table_and_untested_note():
    table, note = narrative.net_effects(EFFECTS, {"a": "Alpha"}, PERIODS)
    assert table["code_label"].tolist() == ["Alpha", "b"]
    assert note.startswith("*2 comparaison(s) n'ont pas pu être testées")
    none, quiet = narrative.net_effects(EFFECTS[EFFECTS["testable"]].assign(significant=False), {}, PERIODS)
    assert none is None and quiet == ""
