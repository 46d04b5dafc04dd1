"""French presentation of the cross-period displays (report.displays)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rd_territoriale.report import displays

PERIODS = pd.DataFrame(
    {
        "id": ["P1", "P2"],
        "label": ["Début", "Suite"],
        "start": pd.to_datetime(["2020-01-01", "2020-03-16"]),
        "end": pd.to_datetime(["2020-03-15", "2021-06-30"]),
        "opening_event": ["Lancement", ""],
    }
)


def test_french_dates_and_header():
    assert displays.french_date(pd.Timestamp("2020-03-01")) == "1er mars 2020"
    assert displays.french_date(pd.Timestamp("2021-06-30")) == "30 juin 2021"
    header = displays.period_header(PERIODS, "P1")
    assert header.startswith("**P1 — Début**, du 1er janvier 2020 au 15 mars 2020 (période 1 sur 2).")
    assert "*Lancement*" in header
    assert "rupture" not in displays.period_header(PERIODS, "P2")  # no opening event recorded


def test_period_codes_table():
    matrix = pd.DataFrame(
        {
            "code": ["a", "b", "c", "a"],
            "period": ["P2", "P2", "P2", "P1"],
            "count": [3, 8, 0, 5],
            "rate_per_1000_words": [0.5, 1.25, 0.0, 1.0],
            "quote": ["« x » — Salariés", "", "", "« y »"],
        }
    )
    effects = pd.DataFrame(
        {
            "code": ["a", "b"],
            "period": ["P2", "P2"],
            "irr": [0.5, np.nan],
            "significant": [True, False],
            "testable": [True, False],
            "reason": ["", "effectif trop faible"],
        }
    )
    table = displays.period_codes_table(matrix, effects, {"a": "Alpha"}, "P2")
    assert table["Code"].tolist() == ["b", "Alpha"]  # highest rate first; a code absent from the period is left out
    assert table.loc[0, "Pour 1\u00a0000 mots"] == "1,25"
    assert table.loc[0, "Par rapport à la période précédente"] == "non testé : effectif trop faible"
    assert table.loc[1, "Par rapport à la période précédente"] == "×0,50 (net)"
    assert table.loc[0, "Citation"] == "—" and table.loc[1, "Citation"] == "« x » — Salariés"


def test_role_findings():
    matrix = pd.DataFrame(
        {
            "period": ["P1", "P1", "P2"],
            "category_label": ["Salariés", "Citoyens", "Salariés"],
            "code": ["a", "b", "a"],
            "over_representation": [4.0, 0.2, 1.1],
            "ci_low": [2.0, 0.1, 0.8],
            "ci_high": [8.0, 0.5, 1.5],
            "p_adjusted": [0.001, 0.01, 0.6],
            "speakers": [6, 2, 7],
        }
    )
    text = displays.role_findings(matrix, {"a": "Alpha"})
    lines = text.splitlines()
    # Strongest first: ×5 fewer (0.2) before ×4 more; the P2 row stays within chance.
    assert len(lines) == 2
    assert lines[0].startswith("- **Citoyens** en P1 : « b » revient 5,0 fois moins souvent")
    assert lines[0].endswith("(sur la parole de peu de personnes).")
    # No interval: the bootstrap interval of a handful of persons is only indicative.
    assert lines[1] == "- **Salariés** en P1 : « Alpha » revient 4,0 fois plus souvent que chez les autres catégories."
    assert displays.role_findings(matrix, {}, period="P2").startswith("Aucune catégorie")
    # Categories heard through too few persons are said, not tested (and never silently dropped).
    matrix["reason"] = ["", "non testé : moins de 3 personnes entendues dans la période", ""]
    text = displays.role_findings(matrix.assign(p_adjusted=[0.001, None, 0.6]), {"a": "Alpha"})
    assert text.endswith(
        "Catégories entendues à travers moins de trois personnes, non testées : Citoyens en P1. "
        "Leurs écarts ne sont ni retenus ni écartés."
    )


def test_projects_and_feu_tables():
    meta = pd.DataFrame(
        {
            "name": ["A", "B"],
            "period": ["P1", "P1"],
            "active": [True, False],
            "journal_entries": [4, 0],
            "meetings": [2, 0],
            "mean_participants": [7.6, np.nan],
            "top_code_labels": [["X", "Y"], []],
            "categories": [["Salariés"], []],
        }
    )
    table = displays.projects_in_period(meta, "P1")
    assert table.to_dict("records") == [
        {
            "Projet": "A",
            "Entrées du journal": 4,
            "Réunions": 2,
            "Participants par réunion": "8",
            "Thèmes principaux": "X, Y",
            "Catégories présentes": "Salariés",
        }
    ]
    feu = pd.DataFrame(
        {
            "name": ["A"],
            "active_periods": [3],
            "peak_period": ["P1"],
            "last_to_peak": [0.25],
            "flagged": [True],
            "reason": ["r"],
        }
    )
    assert displays.feu_table(feu).iloc[0].tolist() == ["A", 3, "P1", "25\u00a0%", "oui", "r"]


def test_cooccurrence_displays():
    cooc = pd.DataFrame(
        {
            "period": ["P1", "P1", "P1", "P2"],
            "code_a": ["a", "a", "b", "a"],
            "code_b": ["b", "c", "c", "b"],
            "count": [4, 2, 6, 5],
            "jaccard": [0.5, 0.9, 0.25, 0.3],
            "lift": [2.0, 9.0, 1.5, 1.1],
        }
    )
    table = displays.top_pairs_table(cooc, "P1", {"a": "Alpha"})
    # (a, c) met in 2 sources only: left out whatever its lift.
    assert table["Codes"].tolist() == ["Alpha + b", "b + c"]
    assert table.iloc[0, 1:].tolist() == [4, "0,50", "×2,0"]
    changes = pd.DataFrame(
        {
            "before": ["P1", "P1"],
            "after": ["P2", "P2"],
            "code_a": ["a", "b"],
            "code_b": ["b", "c"],
            "count_before": [0, 9],
            "count_after": [7, 1],
            "change": ["apparition", "disparition"],
        }
    )
    text = displays.pair_changes_text(changes, {"a": "Alpha"})
    assert text.splitlines() == [
        "- « Alpha » et « b » : la paire apparaît en P2 (0 source(s) en commun en P1, 7 en P2).",
        "- « b » et « c » : la paire disparaît en P2 (9 source(s) en commun en P1, 1 en P2).",
    ]
    assert displays.pair_changes_text(changes, {}, after="P1").startswith("Aucune paire")


def test_unit_periods_table():
    meta = pd.DataFrame(
        {
            "unit": ["U1", "U1", "U2"],
            "period": ["P1", "P2", "P1"],
            "period_label": ["Début", "Suite", "Début"],
            "active": [False, True, True],
            "journal_entries": [0, 5, 1],
            "meetings": [0, 2, 1],
            "mean_participants": [np.nan, 12.4, 3.0],
            "top_code_labels": [[], ["X"], ["Y"]],
            "categories": [[], ["Salariés", "Citoyens"], []],
        }
    )
    table = displays.unit_periods_table(meta, "U1")
    assert table["Période"].tolist() == ["P1 Début", "P2 Suite"]
    assert table.iloc[0, 1:].tolist() == ["—"] * 5  # the project did not exist yet
    assert table.iloc[1, 1:].tolist() == ["5", "2", "12", "X", "Salariés, Citoyens"]


def test_report_period_defaults_to_the_last():
    from rd_territoriale.analysis.material import report_period

    assert report_period(PERIODS) == "P2" and report_period(PERIODS, "P1") == "P1"
    with pytest.raises(ValueError, match="période inconnue"):
        report_period(PERIODS, "P9")


def test_french_table_shows_study_text_as_written_never_as_markup():
    """Cells and headers from a study are escaped (issue 15): no element, no handler comes from the data."""
    import pandas as pd

    from rd_territoriale.report.overview import french_table

    payload = '<img src=x onerror="alert(1)"> a < b & c > d'
    table = pd.DataFrame({"<script>alert(1)</script>": [payload], "n": [3]})
    html = french_table(table, {"n": "Nombre <b>"}).to_html()
    assert "<img" not in html and "<script>" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; a &lt; b &amp; c &gt; d" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Nombre &lt;b&gt;" in html
