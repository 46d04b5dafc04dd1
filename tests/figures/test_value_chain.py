"""Figures of the « chaîne de valeur élargie » (figures.value_chain): the chain as a cycle, the trajectories."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from PIL import Image

from rd_territoriale import load_case
from rd_territoriale.analysis import value_chain as vc
from rd_territoriale.figures import ReportFigure
from rd_territoriale.figures.value_chain import (
    CYCLE_LABEL,
    NO_BASELINE_TEXT,
    chain_diagram,
    trajectory_plot,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"

TINY = pd.DataFrame(
    [
        ("T1", "ressources", "Heures bénévoles", None, "citoyens|ess", "P1", 100, "heures", 80),
        ("T2", "ressources", "Financements", None, "collectivites", "P1", 1000, "€", None),
        ("T3", "ressources", "Heures salariées", None, "salaries", "P1", 50, "heures", 40),
        ("T4", "activités", "Ateliers", None, "salaries|ess", "P1", 4, "nombre", 0),
        ("T5", "impacts", "Score A", None, "ess", "P1", 6.5, "score sur 10", 5),
        ("T6", "ressources", "Heures bénévoles", None, "citoyens|ess", "P2", 120, "heures", 80),
        ("T7", "résultats", "Personnes transportées", "U03", "salaries", "P2", 30, "personnes", None),
        ("T8", "résultats", "Personnes transportées", "U03", "salaries", "P1", 20, "personnes", None),
    ],
    columns=["id", "stage", "label", "unit", "contributors", "period", "value", "measure", "baseline"],
)


def rendered(fig) -> Image.Image:
    assert isinstance(fig, ReportFigure)
    assert plt.get_fignums() == []  # never pyplot
    image = Image.open(io.BytesIO(fig.to_png()))
    assert image.size[0] > 500
    return image


def _boxes(fig):
    return [
        p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch) and (p.get_gid() or "").startswith("etape|")
    ]


def _arrows(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]


def _texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.axes[0].texts)


def test_chain_diagram_five_boxes_four_arrows_and_the_return_arrow():
    fig = chain_diagram(vc.stage_totals(TINY), period="P1")
    rendered(fig)
    boxes = _boxes(fig)
    assert [b.get_gid() for b in boxes] == [f"etape|{s}" for s in vc.VALUE_CHAIN_STAGES]
    arrows = _arrows(fig)
    assert len(arrows) == 5
    assert [a.get_gid() for a in arrows] == [
        "fleche|ressources|activités",
        "fleche|activités|réalisations",
        "fleche|réalisations|résultats",
        "fleche|résultats|impacts",
        "cycle",
    ]
    texts = _texts(fig)
    for name in ("Ressources", "Activités", "Réalisations", "Résultats", "Impacts"):
        assert name in texts
    # Resources in P1: 3 indicators, 150 hours (T1 + T3), 1 000 € — never added together.
    assert "3 indicateurs\n150 heures\n1\u202f000\u00a0€" in texts
    assert "1\u202f150" not in texts
    assert texts.count("aucun indicateur") == 1  # réalisations: no indicator in P1
    assert CYCLE_LABEL in texts.replace("\n", " ")
    # Without a cycle frame the return arrow is the model's, drawn dashed.
    assert arrows[-1].get_linestyle() not in ("-", "solid")
    alt = fig.alt
    assert alt.startswith("Schéma de la chaîne de valeur élargie en P1 : cinq étapes")
    assert "Ressources : 3 indicateurs, 150 heures, 1\u202f000\u00a0€" in alt
    assert "Réalisations : aucun indicateur" in alt
    assert "Impacts : 1 indicateur, 6,5 (score sur 10)" in alt
    assert f"« {CYCLE_LABEL} »" in alt


def test_chain_diagram_uses_the_last_period_by_default_and_one_row_on_a_wide_page():
    totals = vc.stage_totals(TINY)
    fig = chain_diagram(totals, columns=5, period_labels={"P2": "Structuration"})
    rendered(fig)
    assert "P2 (Structuration)" in fig.axes[0].get_title(loc="left")
    assert "Ressources : 1 indicateur, 120 heures" in fig.alt
    assert len(_boxes(fig)) == 5 and len(_arrows(fig)) == 5
    # One row: all boxes at the same height.
    assert len({round(b.get_y(), 6) for b in _boxes(fig)}) == 1
    narrow = chain_diagram(totals)
    assert len({round(b.get_y(), 6) for b in _boxes(narrow)}) == 2  # wrapped onto two rows for a phone
    with pytest.raises(ValueError):
        chain_diagram(totals, columns=4)
    with pytest.raises(ValueError, match="période absente"):
        chain_diagram(totals, period="P9")


def test_chain_diagram_with_declared_links_draws_a_solid_cycle():
    frame = TINY.assign(
        indicator=["benevolat", "fin", "sal", "ateliers", "score", "benevolat", "transport", "transport"],
        regenerates=[None, None, None, None, "benevolat", None, None, None],
    )
    cycle = vc.value_cycle(frame)
    fig = chain_diagram(vc.stage_totals(frame), cycle=cycle)
    rendered(fig)
    assert _arrows(fig)[-1].get_linestyle() in ("-", "solid")
    assert "1 lien renseigné" in _texts(fig)
    assert "« Score A » → « Heures bénévoles » (ressource en hausse)" in fig.alt
    empty = chain_diagram(vc.stage_totals(TINY), cycle=vc.value_cycle(TINY))
    assert "aucun lien renseigné" in _texts(empty)
    assert _arrows(empty)[-1].get_linestyle() not in ("-", "solid")


def _panels(fig):
    return [ax for ax in fig.axes if ax.get_visible() and ax.axison]


def _references(ax):
    return [a for a in ax.get_children() if (a.get_gid() or "").startswith("reference|")]


def test_trajectory_plot_draws_the_baseline_only_where_it_exists():
    tr = vc.indicator_trajectories(TINY)
    fig = trajectory_plot(tr)
    rendered(fig)
    panels = _panels(fig)
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in panels]
    assert len(panels) == 6  # 6 indicators (Personnes transportées: one, in project U03)
    by_title = dict(zip(titles, panels))
    hours = by_title["Heures bénévoles"]
    refs = _references(hours)
    assert len(refs) == 1 and list(refs[0].get_ydata()) == [80, 80]
    for name in ("Financements", "Personnes transportées (U03)"):
        ax = by_title[name]
        assert _references(ax) == []
        assert NO_BASELINE_TEXT in [t.get_text() for t in ax.texts]
    assert NO_BASELINE_TEXT not in [t.get_text() for t in hours.texts]
    value = [line for line in hours.get_lines() if line.get_gid() == "valeur|Heures bénévoles"][0]
    assert list(value.get_ydata()) == [100, 120]
    # Financements has no P2 measure: a gap, not a zero.
    money = [line for line in by_title["Financements"].get_lines() if (line.get_gid() or "").startswith("valeur|")]
    assert np.isnan(money[0].get_ydata()[1])
    assert fig.alt.startswith("Petits graphiques, un par indicateur (6)")
    assert "Heures bénévoles (heures) : de 100 en P1 à 120 en P2, référence 80" in fig.alt
    assert (
        "Sans situation de référence (aucune évolution calculée) : Financements, Personnes transportées (U03)."
        in fig.alt
    )


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


def test_figures_on_the_example(case):
    raw = pd.read_csv(EXAMPLE / "indicators.csv", dtype=str, keep_default_na=False)
    fig = chain_diagram(vc.stage_totals(case), cycle=vc.value_cycle(case))
    rendered(fig)
    assert len(_boxes(fig)) == 5 and len(_arrows(fig)) == 5
    p4 = raw[raw["period"] == "P4"]
    for stage, label in (("ressources", "Ressources"), ("impacts", "Impacts")):
        n = int((p4["stage"] == stage).sum())
        assert f"{label} : {n} indicateurs" in fig.alt
    tr = vc.indicator_trajectories(case)
    traj = trajectory_plot(tr)
    assert isinstance(traj, ReportFigure) and plt.get_fignums() == []
    traj.savefig(io.BytesIO(), format="png", dpi=30)  # drawn and laid out; full-size PNG: /tmp/vc_*.png
    panels = _panels(traj)
    key = raw["indicator"] if "indicator" in raw else raw["label"]
    assert len(panels) == len(set(zip(key, raw["unit"])))
    without = {
        ax.get_title(loc="left").replace("\n", " "): ax
        for ax in panels
        if NO_BASELINE_TEXT in [t.get_text() for t in ax.texts]
    }
    transport = [t for t in without if t.startswith("Personnes transportées par la mobilité solidaire")]
    assert len(transport) == 1 and _references(without[transport[0]]) == []
    # Exactly the indicators whose baseline is empty in the CSV have no baseline line.
    no_baseline = set(raw.loc[raw["baseline"] == "", "label"])
    assert len(without) == len(no_baseline)
    assert all(_references(ax) for ax in panels if ax not in without.values())
    assert "Personnes transportées par la mobilité solidaire (U03)" in traj.alt.split("Sans situation de référence")[-1]
