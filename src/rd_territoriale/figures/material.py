"""Figures of the material collected: coded segments per period."""

from __future__ import annotations

import textwrap

import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter, MaxNLocator

from rd_territoriale.figures._style import (
    PALETTE,
    SOURCE_KIND_COLOURS,
    ReportFigure,
    legend_below,
    new_figure,
    or_gap,
    style,
    thousands,
)


def _no_count(counts: pd.DataFrame) -> bool:
    return len(counts) == 0 or not bool(counts["segments"].fillna(0).sum() > 0)


@or_gap(_no_count)
def segments_per_period(counts: pd.DataFrame, title: str | None = None) -> ReportFigure:
    """Coded segments per period, one bar per source kind.

    Parameters
    ----------
    counts : pandas.DataFrame
        Long format with ``period_label, source_label, segments`` (as
        returned by :func:`rd_territoriale.analysis.material.segments_by_source`);
        the order of the periods is kept.
    title : str, optional
        French title; a default one is used when omitted.

    Returns
    -------
    ReportFigure
    """
    periods = list(dict.fromkeys(counts["period_label"]))
    kinds = list(dict.fromkeys(counts["source_label"]))
    palette = {k: SOURCE_KIND_COLOURS.get(k, PALETTE[(i + 2) % len(PALETTE)]) for i, k in enumerate(kinds)}
    with style():
        fig, ax = new_figure()
        sns.barplot(
            data=counts,
            x="period_label",
            y="segments",
            hue="source_label",
            order=periods,
            hue_order=kinds,
            palette=palette,
            ax=ax,
            errorbar=None,
            saturation=1,
        )
        for container in ax.containers:
            ax.bar_label(container, fmt=thousands, padding=2, fontsize=9)
        ax.set_title(title or "Segments codés par période et par source")
        ax.set_xlabel("Période")
        ax.set_ylabel("Nombre de segments codés")
        ax.set_xticks(range(len(periods)), [textwrap.fill(str(p), 18) for p in periods])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: thousands(v)))
        ax.margins(y=0.12)
        legend_below(fig, ax, ncol=len(kinds))
    fig.alt = (
        "Diagramme en barres : nombre de segments codés pour chaque période ("
        + ", ".join(periods)
        + "), selon la source : "
        + " ou ".join(k.lower() for k in kinds)
        + "."
    )
    return fig
