"""Figures of the reports: DataFrame in, :class:`~matplotlib.figure.Figure` out.

One visual style for every figure (:data:`STYLE`, applied by
:func:`style`), French labels, and a colour-blind-safe palette (Okabe & Ito,
2008) where a given meaning keeps its colour across figures
(:data:`SOURCE_KIND_COLOURS`).

Figures are :class:`ReportFigure` objects (a :class:`matplotlib.figure.Figure`)
built without ``pyplot``: nothing is left in pyplot's global state, and a
notebook shows a figure once, when it is the last expression of a cell (or
through ``display(fig)``), as a sharp PNG with a French alternative text,
whatever the matplotlib backend.

This module never computes (that is ``analysis``/helpers' job) and never
writes a file.

Examples
--------
>>> from rd_territoriale.analysis.material import segments_by_source
>>> fig = segments_per_period(segments_by_source(periods, segments))  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import io
import textwrap
from contextlib import contextmanager

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

#: Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # bleu
    "#E69F00",  # orange
    "#009E73",  # vert
    "#CC79A7",  # rose
    "#56B4E9",  # bleu ciel
    "#D55E00",  # vermillon
    "#F0E442",  # jaune
    "#000000",  # noir
)

#: The same source kind has the same colour in every figure.
SOURCE_KIND_COLOURS = {
    "Entretiens et documents": PALETTE[0],
    "Journal de terrain": PALETTE[1],
}

#: The single visual style of the reports.
STYLE = {
    "seaborn_style": "whitegrid",
    "seaborn_context": "notebook",
    "rc": {
        "font.family": "DejaVu Sans",
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "axes.formatter.use_locale": False,
    },
}
FIGSIZE = (8.0, 4.5)
#: PNG pixels per displayed pixel: sharp on high-density (phone) screens.
PIXEL_RATIO = 2


class ReportFigure(Figure):
    """A matplotlib figure that shows itself in notebooks as an embedded PNG.

    Attributes
    ----------
    alt : str
        French alternative text of the image (for screen readers and when
        the image cannot be shown); the axes titles when empty.
    """

    alt: str = ""

    def to_png(self) -> bytes:
        """The figure as PNG bytes, at :data:`PIXEL_RATIO` times its dpi."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=self.dpi * PIXEL_RATIO, facecolor="white")
        return buffer.getvalue()

    def alt_text(self) -> str:
        """:attr:`alt`, or the axes titles, or ``Figure``."""
        if self.alt:
            return self.alt
        titles = [ax.get_title() or ax.get_title("left") for ax in self.axes]
        titles = [t for t in titles if t]
        return f"Figure : {' ; '.join(titles)}" if titles else "Figure"

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = base64.b64encode(self.to_png()).decode("ascii")
        alt = self.alt_text()
        width, height = (round(v) for v in self.get_size_inches() * self.dpi)
        data = {"image/png": png, "text/plain": alt}
        metadata = {"image/png": {"alt": alt, "width": width, "height": height}}
        return data, metadata


@contextmanager
def style():
    """Context in which every figure of the reports is drawn."""
    with sns.axes_style(STYLE["seaborn_style"]), sns.plotting_context(STYLE["seaborn_context"]):
        with mpl.rc_context(STYLE["rc"]):
            yield


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> tuple[ReportFigure, object]:
    """An empty figure with one axes, in the reports' style.

    Call it inside :func:`style` so that the axes take the style.
    """
    fig = ReportFigure(figsize=figsize, dpi=STYLE["rc"]["figure.dpi"], layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


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
            ax.bar_label(container, fmt=_thousands, padding=2, fontsize=9)
        ax.set_title(title or "Segments codés par période et par source")
        ax.set_xlabel("Période")
        ax.set_ylabel("Nombre de segments codés")
        ax.set_xticks(range(len(periods)), [textwrap.fill(str(p), 18) for p in periods])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _thousands(v)))
        ax.margins(y=0.12)
        _legend_below(fig, ax, ncol=len(kinds))
    fig.alt = (
        "Diagramme en barres : nombre de segments codés pour chaque période ("
        + ", ".join(periods)
        + "), selon la source : "
        + " ou ".join(k.lower() for k in kinds)
        + "."
    )
    return fig


def _legend_below(fig: Figure, ax, ncol: int) -> None:
    """Move the axes legend under the figure: the plot keeps its width on a phone."""
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=max(1, ncol))


def _thousands(value) -> str:
    """``12345`` → ``12 345`` (narrow no-break space, French style)."""
    return f"{value:,.0f}".replace(",", "\u202f")
