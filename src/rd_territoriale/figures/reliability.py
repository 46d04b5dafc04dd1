"""Figure of the reliability report: Krippendorff's alpha per code, against the thresholds.

Takes a table of agreement per code (from
:mod:`rd_territoriale.analysis.reliability`) and returns a
:class:`ReportFigure`: one row per code, its alpha as a point, the thresholds
.667 and .800 (Krippendorff 2004) drawn as lines over shaded zones. The
status is told by the zone, by the marker shape and by colour, so that it
reads without colour. Computes nothing; writes no file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rd_territoriale.analysis.reliability.coefficients import RELIABLE, TENTATIVE
from rd_territoriale.figures._style import (
    NARROW_WIDTH,
    PALETTE,
    STYLE,
    ReportFigure,
    decimal,
    or_gap,
    style,
    title_text,
    wrap,
)

#: Marker and colour of each zone: reliable, tentative, unreliable.
ZONES = (
    ("fiable", RELIABLE, "o", PALETTE[2]),
    ("conclusions provisoires", TENTATIVE, "s", PALETTE[1]),
    ("non fiable", -np.inf, "X", PALETTE[5]),
)


def _zone(alpha: float):
    return next(zone for zone in ZONES if alpha >= zone[1])


def _no_alpha(agreement: pd.DataFrame) -> bool:
    """No code with a computed alpha (one coder, nothing coded): nothing to plot."""
    column = "krippendorff_alpha" if "krippendorff_alpha" in agreement else "alpha"
    return len(agreement) == 0 or column not in agreement or not bool(agreement[column].notna().any())


@or_gap(_no_alpha)
def alpha_plot(agreement: pd.DataFrame, title: str | None = None) -> ReportFigure:
    """Krippendorff's alpha of each code, lowest first, against the thresholds.

    Parameters
    ----------
    agreement : pandas.DataFrame
        ``label`` (code label) and ``alpha`` or ``krippendorff_alpha`` (NaN
        when not computable: the row is left out and counted in the
        alternative text), e.g. the output of
        :func:`rd_territoriale.analysis.reliability.agreement`, whose overall
        row (``code`` « ensemble ») is not a code and is left out.
    title : str, optional
        French title.

    Returns
    -------
    ReportFigure
    """
    if "code" in agreement.columns:
        agreement = agreement[agreement["code"] != "ensemble"]
    if "alpha" not in agreement.columns:
        agreement = agreement.rename(columns={"krippendorff_alpha": "alpha"})
    rows = agreement.dropna(subset=["alpha"]).sort_values("alpha", ascending=False)
    missing = len(agreement) - len(rows)
    with style():
        fig = ReportFigure(
            figsize=(NARROW_WIDTH, 1.5 + 0.3 * max(len(rows), 2)), dpi=STYLE["rc"]["figure.dpi"], layout="constrained"
        )
        ax = fig.add_subplot()
        low = min(0.0, float(rows["alpha"].min()) - 0.05) if len(rows) else 0.0
        ax.axvspan(low, TENTATIVE, color=PALETTE[5], alpha=0.07, linewidth=0)
        ax.axvspan(TENTATIVE, RELIABLE, color=PALETTE[1], alpha=0.10, linewidth=0)
        ax.axvspan(RELIABLE, 1.0, color=PALETTE[2], alpha=0.08, linewidth=0)
        for threshold in (TENTATIVE, RELIABLE):
            ax.axvline(threshold, color="#555555", linestyle="--", linewidth=1)
        y = np.arange(len(rows))
        for name, _, marker, colour in ZONES:
            mine = [i for i, a in enumerate(rows["alpha"]) if _zone(a)[0] == name]
            ax.scatter(
                rows["alpha"].to_numpy()[mine],
                y[mine],
                marker=marker,
                s=60,
                color=colour,
                edgecolors="black",
                linewidths=0.5,
                zorder=3,
                label=name.capitalize(),
            )
        ax.set_yticks(y, [wrap(label, 30) for label in rows["label"]], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(low, 1.0)
        ax.set_xticks(
            [t for t in (0, 0.2, 0.4, TENTATIVE, RELIABLE, 1.0) if t >= low],
            [decimal(t, 3 if t in (TENTATIVE,) else 1) for t in (0, 0.2, 0.4, TENTATIVE, RELIABLE, 1.0) if t >= low],
        )
        ax.set_xlabel("Alpha de Krippendorff (accord corrigé du hasard)")
        ax.set_title(title_text(title or "Fiabilité du codage, code par code"))
        ax.grid(axis="y", visible=False)
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="outside lower center", ncol=3)
    weak = rows[rows["alpha"] < TENTATIVE]
    said = ", ".join(f"« {r['label']} » ({decimal(r['alpha'], 2)})" for _, r in weak.iterrows())
    fig.alt = (
        f"Points : alpha de Krippendorff de {len(rows)} codes, seuils 0,667 et 0,800. "
        + (f"Sous 0,667 : {said}." if said else "Aucun code sous 0,667.")
        + (f" {missing} code(s) non calculable(s), non représenté(s)." if missing else "")
    )
    return fig
