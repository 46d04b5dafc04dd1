"""Figures of the reflexivity report (figures.reflexivity)."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd
from PIL import Image

from rd_territoriale.figures import ReportFigure
from rd_territoriale.figures.reflexivity import (
    ROLE_COLOURS,
    lexicon_plot,
    roles_plot,
    voices_plot,
)

PERIODS = ["P1", "P2"]


def rendered(fig) -> Image.Image:
    assert isinstance(fig, ReportFigure)
    assert plt.get_fignums() == []
    return Image.open(io.BytesIO(fig.to_png()))


def test_roles_plot_stacks_shares_in_role_order():
    roles = pd.DataFrame(
        {
            "period": ["P1"] * 4 + ["P2"] * 4,
            "role": ["acteur", "observateur", "facilitateur", "évaluateur"] * 2,
            "share": [0.1, 0.6, 0.2, 0.1, 0.5, 0.2, 0.2, 0.1],
        }
    )
    fig = roles_plot(roles)
    rendered(fig)
    ax = fig.axes[0]
    bars = [p for p in ax.patches]
    assert len(bars) == 8
    # Observer first from the left, actor last: the P1 actor bar starts at 0.9.
    actor_p1 = [
        b
        for b in bars
        if b.get_facecolor()[:3] == tuple(int(ROLE_COLOURS["acteur"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    ]
    assert sorted(round(b.get_x(), 6) for b in actor_p1) == [0.5, 0.9]
    assert "P1 : observateur 60\u00a0%, facilitateur 20\u00a0%, évaluateur 10\u00a0%, acteur 10\u00a0%" in fig.alt
    texts = [t.get_text() for t in ax.texts]
    assert "60\u00a0%" in texts and "50\u00a0%" in texts


def test_voices_plot_one_panel_per_category_with_membership_line():
    voices = pd.DataFrame(
        {
            "period": PERIODS * 3,
            "label": ["A", "A", "B", "B", "C", "C"],
            "share": [0.2, 0.6, 0.5, 0.3, 0.3, 0.1],
            "membership_share": [0.2] * 2 + [0.5] * 2 + [0.3] * 2,
        }
    )
    fig = voices_plot(voices)
    rendered(fig)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in shown] == ["A", "B", "C"]
    lines = [line.get_ydata()[0] for line in shown[1].get_lines()]
    assert lines == [0.5]  # B's membership share
    assert "A en P2, 60\u00a0% des paroles pour 20\u00a0% des membres" in fig.alt


def test_lexicon_plot_marks_the_first_use():
    diffusion = pd.DataFrame({"term": ["x"] * 2 + ["y"] * 2, "period": PERIODS * 2, "share": [0.0, 0.1, 0.03, 0.02]})
    fig = lexicon_plot(diffusion, {"x": "P2", "y": pd.NA})  # y: never used by the researcher
    rendered(fig)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["x", "y"]  # labels wrapped at 28 characters
    rings = [c for c in ax.collections if len(c.get_offsets())]
    assert len(rings) == 1 and tuple(rings[0].get_offsets()[0]) == (1.0, 0.1)
    assert fig.alt.endswith("En P2 : « x » 10\u00a0% ; « y » 2\u00a0%.")
