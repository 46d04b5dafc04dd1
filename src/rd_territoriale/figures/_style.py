"""The single visual style of the reports' figures, and the figure class.

Okabe–Ito palette (colour-blind safe), French number formatting, and
:class:`ReportFigure`, which shows itself in a notebook as a sharp PNG with a
French alternative text. Figure functions live in the topic modules of
:mod:`rd_territoriale.figures`.
"""

from __future__ import annotations

import base64
import io
from contextlib import contextmanager

import matplotlib as mpl
import seaborn as sns
from matplotlib.figure import Figure

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


def legend_below(fig: Figure, ax, ncol: int) -> None:
    """Move the axes legend under the figure: the plot keeps its width on a phone."""
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=max(1, ncol))


def thousands(value) -> str:
    """``12345`` → ``12 345`` (narrow no-break space, French style)."""
    return f"{value:,.0f}".replace(",", "\u202f")
