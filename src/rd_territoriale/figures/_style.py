"""The single visual style of the reports' figures, and the figure class.

Okabe–Ito palette (colour-blind safe), French number formatting, and
:class:`ReportFigure`, which shows itself in a notebook as a sharp SVG (a
palette PNG when that is lighter) with a French alternative text. Figure functions live in the topic modules of
:mod:`rd_territoriale.figures`.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from contextlib import contextmanager

import matplotlib as mpl
import pandas as pd
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
        # Labels come from studies: « $x_1$ » or a lone « $ » is text, never mathtext.
        "text.parse_math": False,
    },
}
FIGSIZE = (8.0, 4.5)
#: Width of the figures with many rows (heatmaps, forest plot, small multiples), in inches.
NARROW_WIDTH = 6.4
#: PNG pixels per displayed pixel: sharp on high-density (phone) screens.
PIXEL_RATIO = 2
#: Fonts an SVG figure asks for, closest first: DejaVu Sans (what matplotlib
#: measured), Bitstream Vera Sans (its parent, same metrics), Verdana (close
#: metrics, on most phones and desktops), then any sans-serif.
SVG_FONTS = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif"
#: An SVG this small (characters) is always embedded as is; a larger one is
#: compared with the palette PNG, and the lighter of the two is embedded.
SVG_ALWAYS = 100_000
#: Fixed salt of the SVG element ids: the same figure gives the same bytes.
SVG_SALT = "rd-territoriale"


class ReportFigure(Figure):
    """A matplotlib figure that shows itself in notebooks as SVG (or PNG when lighter).

    Attributes
    ----------
    alt : str
        French alternative text of the image (for screen readers and when
        the image cannot be shown); the axes titles when empty.
    """

    alt: str = ""

    def to_png(self) -> bytes:
        """The figure as PNG bytes, at :data:`PIXEL_RATIO` times its dpi.

        The image is reduced to a 256-colour palette (median cut, no
        dithering): flat-coloured charts lose nothing visible and the page a
        partner opens on a phone weighs about a third as much.
        """
        from PIL import Image

        buffer = io.BytesIO()
        self._plain_text()
        with mpl.rc_context({"text.parse_math": False}):  # tick labels made while drawing, too
            self.savefig(buffer, format="png", dpi=self.dpi * PIXEL_RATIO, facecolor="white")
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        out = io.BytesIO()
        palette.save(out, format="PNG", optimize=True)
        return out.getvalue()

    def to_svg(self) -> str:
        """The figure as SVG text whose words stay text.

        Text is written as ``<text>`` (``svg.fonttype: none``), not as glyph
        outlines: the file is three to four times lighter than the palette
        PNG, sharp at any zoom and in print, and its words can be selected.
        Ids are salted with :data:`SVG_SALT` and no date is written, so the
        same figure always gives the same bytes; :func:`compact_svg` trims it. Study labels are escaped by
        matplotlib's SVG writer (a ``<`` in a code label stays text).
        """
        buffer = io.BytesIO()
        self._plain_text()
        rc = {"text.parse_math": False, "svg.fonttype": "none", "svg.hashsalt": SVG_SALT}
        with mpl.rc_context(rc):
            self.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
        return compact_svg(buffer.getvalue().decode("utf-8"))

    def embedded(self) -> tuple[str, str]:
        """What a report embeds: ``("image/svg+xml", svg)`` or ``("image/png", base64)``.

        SVG unless the palette PNG is lighter (a dense heatmap can be):
        pages stay light on a phone (issue 16: under 400 KB).
        """
        svg = self.to_svg()
        if len(svg) <= SVG_ALWAYS:
            return "image/svg+xml", svg
        png = base64.b64encode(self.to_png()).decode("ascii")
        return ("image/svg+xml", svg) if len(svg.encode("utf-8")) <= len(png) else ("image/png", png)

    def _plain_text(self) -> None:
        """Study text is text: no mathtext, whenever the label was made."""
        from matplotlib.text import Text

        for text in self.findobj(Text):
            text.set_parse_math(False)

    def alt_text(self) -> str:
        """:attr:`alt`, or the axes titles, or ``Figure``."""
        if self.alt:
            return self.alt
        titles = [ax.get_title() or ax.get_title("left") for ax in self.axes]
        titles = [t for t in titles if t]
        return f"Figure : {' ; '.join(titles)}" if titles else "Figure"

    def _repr_mimebundle_(self, include=None, exclude=None):
        mime, payload = self.embedded()
        alt = self.alt_text()
        width, height = (round(v) for v in self.get_size_inches() * self.dpi)
        data = {mime: payload, "text/plain": alt}
        metadata = {mime: {"alt": alt, "width": width, "height": height}}
        return data, metadata


_GEOMETRY = re.compile(r'(\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|viewBox|points|cx|cy|r)=")([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")


def compact_svg(svg: str) -> str:
    """Matplotlib's SVG, lighter and the same to the eye.

    - the XML prolog, the external DTD reference and the RDF metadata go;
    - coordinates keep one decimal (a tenth of a point, a fifth of a
      pixel on the page): only geometry attributes are rounded, never the
      words of the figure;
    - whitespace between elements and inside path data is one space (a line
      break costs three characters in a ``data:`` URI);
    - the font family is said once, in the SVG's style sheet, as
      :data:`SVG_FONTS`, instead of on every ``<text>``.
    """
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    svg = _GEOMETRY.sub(lambda m: m.group(1) + " ".join(_LONG_DECIMAL.sub(r"\1", m.group(2)).split()) + '"', svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = svg.replace("font-family: 'DejaVu Sans'; ", "").replace("; font-family: 'DejaVu Sans'", "")
    sheet = '<style type="text/css">'
    return svg.strip().replace(sheet, f"{sheet}text{{font-family: {SVG_FONTS}}}", 1)


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


def decimal(value, decimals: int = 2, sign: bool = False) -> str:
    """``3.7712`` → ``3,77``: decimal comma, narrow no-break space for thousands, true minus."""
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    if decimals == 0:
        text = thousands(round(value))
    else:
        text = f"{abs(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
        if value < 0 and text.strip("0,\u202f"):
            text = "\u2212" + text
    text = text.replace("-", "\u2212")
    if sign and value > 0 and text.strip("0,\u202f"):
        text = "+" + text
    return text


def ratio_label(value, decimals: int | None = None) -> str:
    """``0.5`` → ``×0,5``, ``2`` → ``×2``, ``0.25`` → ``×0,25`` (fewest decimals that are exact)."""
    if decimals is None:
        decimals = next((d for d in range(3) if abs(round(value, d) - value) < 1e-9), 2)
    return "\u00d7" + decimal(value, decimals)


def log_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Ticks of a log axis from ``low`` to ``high``: powers of 2, else 1-2-5, else powers of 10."""
    exponents = range(-12, 13)
    for series in (
        [2.0**k for k in exponents],
        sorted({m * 10.0**k for k in range(-4, 5) for m in (1, 2, 5)}),
        [10.0**k for k in exponents],
    ):
        ticks = [t for t in series if low * (1 - 1e-9) <= t <= high * (1 + 1e-9)]
        if len(ticks) <= most:
            return ticks
    return ticks


def label_map(labels) -> dict:
    """A code → label dict from a dict, a Series or ``None``."""
    if labels is None:
        return {}
    if isinstance(labels, pd.Series):
        return labels.to_dict()
    return dict(labels)


def wrap(text, width: int) -> str:
    """Wrap each line of ``text`` at ``width`` characters (words are never cut)."""
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
        for line in str(text).splitlines() or [""]
    )


def title_text(title: str) -> str:
    return wrap(title, 52)


#: What a figure says when it has nothing to draw and the notebook gave no reason.
NOTHING_TO_DRAW = "Cette figure n'a rien à montrer pour cette étude : le matériau qu'elle décrit n'a pas été recueilli."


def _blank(data) -> bool:
    """True when ``data`` (a DataFrame or Series) has no row, or no value at all."""
    if data is None:
        return True
    if len(data) == 0:
        return True
    if isinstance(data, pd.DataFrame):
        numeric = data.select_dtypes("number")
        return (
            bool(len(numeric.columns))
            and bool(numeric.isna().all().all())
            and len(numeric.columns) == len(data.columns)
        )
    return False


def or_gap(nothing=_blank):
    """Decorate a figure function: on data with nothing to draw, return a :class:`~rd_territoriale.study.gaps.Gap`.

    The decorated function takes an extra keyword, ``empty``: the Gap (or
    French sentence) to show instead of an empty figure, saying what is
    missing; :data:`NOTHING_TO_DRAW` when not given.

    Parameters
    ----------
    nothing : callable
        ``nothing(data) -> bool`` on the figure's first argument.
    """
    import functools

    def decorate(func):
        @functools.wraps(func)
        def wrapper(data, *args, empty=None, **kwargs):
            from rd_territoriale.study.gaps import Gap

            if nothing(data):
                return empty if isinstance(empty, Gap) else Gap(str(empty) if empty else NOTHING_TO_DRAW)
            return func(data, *args, **kwargs)

        return wrapper

    return decorate
