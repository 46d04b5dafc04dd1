"""French presentation of the reflexivity report (report.reflexivity)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.report import reflexivity as R

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


def trend(significant: bool, direction: str = "hausse") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "measure": "acteur",
                "testable": True,
                "significant": significant,
                "direction": direction,
                "verdict": "La part … augmente.",
            }
        ]
    )


def voices(flags) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["P1", "P1", "P1"],
            "label": ["Salariés", "ESS", "Citoyens"],
            "share": [0.6, 0.1, 0.3],
            "membership_share": [0.1, 0.5, 0.4],
            "representation": [6.0, 0.2, 0.75],
            "flag": flags,
        }
    )


NO_FEU = pd.DataFrame({"name": ["A"], "flagged": [False], "reason": ["r"]})


class TestRecommendations:
    def test_evidence_drives_the_advice(self):
        recs = R.recommendations(
            trend=trend(True),
            voices=voices(["sur-représentation", "sous-représentation", ""]),
            uptake=["chaîne de valeur élargie"],
            signal={"flagged": True, "reason": "×13,6"},
            feu=pd.DataFrame({"name": ["Légumerie"], "flagged": [True], "reason": "pic en P1"}),
            quotes={"discernement": "> « note »"},
        )
        assert [r.key for r in recs] == ["discernement", "finalite", "organisation"]
        posture, purpose, organisation = recs
        assert posture.evidence[0] == "La part … augmente."
        assert "« chaîne de valeur élargie »" in posture.evidence[1]
        assert any("moments de réflexivité" in a for a in posture.advice)
        assert posture.quote == "> « note »" and purpose.quote == ""
        assert purpose.evidence == [
            "Salariés : 60\u00a0% des paroles en P1 pour 10\u00a0% des membres.",
            "ESS : seulement 10\u00a0% des paroles en P1 pour 50\u00a0% des membres.",
        ]
        assert any(a.endswith("moins entendues : ESS, Citoyens.") for a in purpose.advice)
        assert any("charge de travail des salariés" in a for a in organisation.advice)
        assert any("points d'étape" in a for a in organisation.advice)
        text = posture.markdown()
        assert text.index("Ce que montrent les données") < text.index("Ce que nous recommandons") < text.index("note")

    def test_no_signal_no_alarm(self):
        recs = R.recommendations(
            trend=trend(False, "stable"),
            voices=voices(["", "", ""]),
            uptake=[],
            signal={"flagged": False},
            feu=NO_FEU,
            quotes={},
        )
        posture, purpose, organisation = recs
        assert posture.evidence == ["La part … augmente."] and not any("réflexivité :" in a for a in posture.advice)
        assert purpose.evidence == [] and "Aucun signal particulier" in purpose.markdown()
        assert any("Garder l'équilibre" in a for a in purpose.advice)
        assert organisation.evidence == [] and len(organisation.advice) == 1


def test_voices_display_and_findings():
    frame = voices(["sur-représentation", "", ""])
    table = R.voices_display(frame)
    assert table.iloc[0].tolist() == ["P1", "Salariés", "60\u00a0%", "10\u00a0%", "×6,00", "sur-représentée"]
    assert table.iloc[1]["Lecture"] == "conforme au poids"
    assert R.voices_findings(frame) == (
        "- **Salariés** en P1 : 60\u00a0% des paroles d'acteurs pour 10\u00a0% des "
        "membres, soit 6,0 fois son poids (sur-représentation)."
    )
    assert R.voices_findings(voices(["", "", ""])).startswith("Aucune catégorie")


@pytest.fixture(scope="module")
def case():
    from rd_territoriale import load_case

    return load_case(EXAMPLE)


def test_reflexive_quote_respects_consent(case):
    notes = case.journal[case.journal["kind"] == R.REFLEXIVE_KIND]
    refused = set(notes.loc[notes["quote_consent"] == False, "text"])  # noqa: E712
    assert refused, "the example has reflexive notes without consent"
    quote = R.reflexive_quote(case, R.QUOTE_CODES["discernement"], "partenaires")
    assert quote.startswith("> « ") and "Note réflexive du journal de terrain" in quote
    passage = quote.split("« ", 1)[1].split(" »", 1)[0]
    source = case.segments[case.segments["text"].str.strip() == passage]["source"]
    assert set(source) <= set(notes.loc[notes["quote_consent"] == True, "id"])  # noqa: E712
    # With every note refused, nothing is quoted, to anyone.
    import copy

    closed = copy.copy(case)
    closed.journal = case.journal.assign(quote_consent=False)
    for audience in ("partenaires", "equipe"):
        assert R.reflexive_quote(closed, R.QUOTE_CODES["discernement"], audience) == ""


def test_lexicon_displays_and_key_points():
    from rd_territoriale.analysis.lexicon import ALREADY_USED, UPTAKE

    summary = pd.DataFrame(
        {
            "term": ["cve", "méta"],
            "researcher_first_date": pd.to_datetime(["2019-10-15", "2018-03-24"]),
            "actor_first_date": pd.to_datetime(["2019-11-15", "2018-02-05"]),
            "actor_first_category": ["ent", "sal"],
            "actor_share_before": [0.0, 0.033],
            "actor_share_after": [0.064, 0.037],
            "verdict": [UPTAKE, ALREADY_USED],
        }
    )
    assert R.uptake_terms(summary) == ["cve"]
    table = R.lexicon_display(summary, {"ent": "Entreprises"})
    assert table.iloc[0].tolist() == ["cve", "15/10/2019", "15/11/2019 (Entreprises)", "0\u00a0%", "6\u00a0%", UPTAKE]
    assert table.iloc[1]["Première utilisation par un acteur"] == "05/02/2018 (sal)"
    categories = pd.DataFrame(
        {
            "term": ["cve", "cve"],
            "category_label": ["Salariés", "ESS"],
            "first_period": ["P3", None],
            "before_researcher": [False, None],
        }
    )
    assert R.first_use_by_category(categories, "cve").to_dict("list") == {
        "Catégorie": ["Salariés", "ESS"],
        "Première utilisation": ["P3", "—"],
    }
    text = R.key_points(trend(True), voices(["sur-représentation", "", ""]), summary)
    lines = text.splitlines()
    assert lines[0] == "- **Posture** : La part … augmente."
    assert lines[1] == "- **Voix** : Salariés en P1 (6,0 fois son poids, sur-représentation)."
    assert lines[2].startswith(
        "- **Empreinte de la recherche** : « cve », employé d'abord par le chercheur le "
        "15/10/2019, puis par 6\u00a0% des passages d'acteurs"
    )
    quiet = R.key_points(trend(False), voices(["", "", ""]), summary.assign(verdict=ALREADY_USED))
    assert "aucune catégorie" in quiet and "aucun terme" in quiet


def test_notes_per_period():
    periods = pd.DataFrame({"id": ["P1", "P2", "P3"], "label": ["a", "b", "c"]})
    notes = pd.DataFrame({"period": ["P1", "P1", "P3"]})
    journal = pd.DataFrame({"period": ["P1"] * 8 + ["P3"] * 2})
    table = R.notes_per_period(notes, journal, periods)
    assert table.to_dict("list") == {
        "Période": ["P1 a", "P2 b", "P3 c"],
        "Notes réflexives": [2, 0, 1],
        "Part des entrées du journal": ["25\u00a0%", "—", "50\u00a0%"],
    }


def test_talk_and_evenness():
    talk = pd.DataFrame({"words": [100, 200], "researcher_share_words": [0.066, 0.087]})
    assert R.talk_sentence(talk).startswith("Dans les entretiens, le chercheur prend de 7\u00a0% à 9\u00a0% des mots")
    assert "prend 7\u00a0% des mots" in R.talk_sentence(talk.assign(researcher_share_words=0.07))
    assert "pas mesurable" in R.talk_sentence(talk.iloc[0:0])
    evenness = pd.DataFrame(
        {"period": ["P3"], "groups": [6], "heard_groups": [5], "similarity": [0.554], "pielou_j": [0.776]}
    )
    assert R.evenness_display(evenness).iloc[0].tolist() == ["P3", "5 sur 6", "55\u00a0%", "0,78"]


def test_colleges_table_only_when_colleges_group_categories(case):
    import copy

    assert R.colleges_table(case) is None  # the example: one college per category
    grouped = copy.copy(case)
    grouped.study = copy.copy(case.study)
    grouped.study.categories = case.study.categories.assign(
        college=["Salariés", "Entreprises", "Entreprises", "Public", "Public", "Citoyens"]
    )
    grouped.people = case.people.assign(
        college=case.people["category"].map(
            dict(zip(grouped.study.categories["id"], grouped.study.categories["college"]))
        )
    )
    table = R.colleges_table(grouped, period="P3")
    assert sorted(table["Catégorie"]) == ["Citoyens", "Entreprises", "Public", "Salariés"]
    assert table.set_index("Catégorie").loc["Salariés", "Lecture"] == "sur-représentée"


def test_trend_markdown_and_lexicon_trend():
    from types import SimpleNamespace

    frame = pd.DataFrame({"testable": [True, False, True, True], "verdict": ["a", "b", "c", "d"]})
    assert R.trend_markdown(frame, limit=2) == "- a\n- c"
    diffusion = SimpleNamespace(
        periods=pd.DataFrame({"term": ["t", "t"], "period": ["P1", "P2"], "actor_share": [0.0, 0.1]}),
        summary=pd.DataFrame({"term": ["t"], "researcher_first_period": ["P2"]}),
    )
    shown, first = R.lexicon_trend(diffusion, ["P2"])
    assert shown[["term", "period", "share"]].values.tolist() == [["t", "P2", 0.1]] and first == {"t": "P2"}
