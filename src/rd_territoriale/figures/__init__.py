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

One module per topic (``material``, ``matrices``, ``effects``, ``trajectories``,
``timeline``, ``reflexivity``, ``reliability``); the shared style lives in
``_style``. This package never computes (that is ``analysis``' job) and never
writes a file.

Examples
--------
>>> from rd_territoriale.analysis.material import segments_by_source
>>> fig = segments_per_period(segments_by_source(periods, segments))  # doctest: +SKIP
"""

from rd_territoriale.figures._style import (
    FIGSIZE,
    PALETTE,
    PIXEL_RATIO,
    SOURCE_KIND_COLOURS,
    STYLE,
    ReportFigure,
    new_figure,
    style,
)
from rd_territoriale.figures.effects import forest_plot, signal_plot
from rd_territoriale.figures.material import segments_per_period
from rd_territoriale.figures.matrices import category_heatmap, rate_heatmap, residual_heatmap
from rd_territoriale.figures.reflexivity import lexicon_plot, roles_plot, voices_plot
from rd_territoriale.figures.reliability import alpha_plot
from rd_territoriale.figures.timeline import timeline
from rd_territoriale.figures.trajectories import trajectory_plot

__all__ = [
    "FIGSIZE",
    "PALETTE",
    "PIXEL_RATIO",
    "SOURCE_KIND_COLOURS",
    "STYLE",
    "ReportFigure",
    "new_figure",
    "style",
    "segments_per_period",
    "timeline",
    "rate_heatmap",
    "residual_heatmap",
    "category_heatmap",
    "forest_plot",
    "signal_plot",
    "trajectory_plot",
    "roles_plot",
    "voices_plot",
    "lexicon_plot",
    "alpha_plot",
]
