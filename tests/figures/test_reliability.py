"""Figure of the reliability report (figures.reliability)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from PIL import Image

from rd_territoriale.figures import ReportFigure
from rd_territoriale.figures.reliability import ZONES, alpha_plot


def test_alpha_plot_zones_order_and_alt():
    table = pd.DataFrame(
        {"label": ["Rôle flou", "Coopération", "Utilité", "Rare"], "alpha": [0.31, 0.91, 0.72, np.nan]}
    )
    fig = alpha_plot(table)
    assert isinstance(fig, ReportFigure)
    Image.open(io.BytesIO(fig.to_png())).verify()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Coopération", "Utilité", "Rôle flou"]
    # One scatter per zone, each point in its zone's scatter.
    points = {c.get_label(): c.get_offsets()[:, 0].round(2).tolist() for c in ax.collections if len(c.get_offsets())}
    assert points == {"Fiable": [0.91], "Conclusions provisoires": [0.72], "Non fiable": [0.31]}
    assert sorted(round(line.get_xdata()[0], 3) for line in ax.get_lines()) == [0.667, 0.8]
    assert fig.alt.startswith("Points : alpha de Krippendorff de 3 codes")
    assert "« Rôle flou » (0,31)" in fig.alt and "1 code(s) non calculable(s)" in fig.alt
    assert len({zone[2] for zone in ZONES}) == 3  # three marker shapes: readable without colour


def test_alpha_plot_takes_the_agreement_table_as_it_is():
    agreement = pd.DataFrame(
        {
            "code": ["a", "b", "ensemble"],
            "label": ["A", "B", "Ensemble des codes"],
            "krippendorff_alpha": [0.5, 0.9, 0.8],
        }
    )
    fig = alpha_plot(agreement)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["B", "A"]  # the overall row is not a code
