"""Figure of the projects' trajectories across periods, with the feu-de-paille projects highlighted.

Small multiples rather than one line plot: with nine projects, nine lines on
one axes cross and hide each other (and need nine colours), whereas one
panel per project, with a shared y axis, lets a reader compare shapes at a
glance and still read each project's name. Three panels per row fit a
phone's width. Periods in which a project did not exist are greyed and left
without a point (a gap, not a zero); projects flagged by the feu-de-paille
rule are drawn in vermillion, with a French note.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

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

#: Width of the figure (inches) and height of one row of panels.
WIDTH = NARROW_WIDTH
PANEL_HEIGHT = 1.75
#: Panels per row.
COLUMNS = 3
FLAGGED_COLOUR = PALETTE[5]
OTHER_COLOUR = PALETTE[0]
INACTIVE_FACE = "#ececee"

#: French names of the columns of :func:`~rd_territoriale.analysis.trajectories.unit_trajectories`.
VALUE_LABELS = {
    "entries_per_month": "Entrées du journal par mois d'existence",
    "journal_entries": "Entrées du journal de terrain",
    "meetings": "Réunions, ateliers et comités",
    "mean_participants": "Participants par réunion (moyenne)",
    "categories": "Catégories d'acteurs aux réunions",
    "interviews": "Entretiens sur le projet",
    "coded_mentions": "Passages codés des sources du projet",
}
_COUNTS = {"journal_entries", "meetings", "categories", "interviews", "coded_mentions"}


def _flagged_units(flagged) -> dict:
    """Flagged unit id → reason (possibly empty), from feu_de_paille's frame or an iterable of ids."""
    if flagged is None:
        return {}
    if isinstance(flagged, pd.DataFrame):
        rows = flagged[flagged["flagged"].fillna(False).astype(bool)] if "flagged" in flagged else flagged
        reasons = rows["reason"] if "reason" in rows else pd.Series("", index=rows.index)
        return dict(zip(rows["unit"], reasons.fillna("")))
    if isinstance(flagged, str):
        return {flagged: ""}
    return {unit: "" for unit in flagged}


@or_gap()
def trajectory_plot(
    trajectories: pd.DataFrame,
    flagged=None,
    value: str = "entries_per_month",
    title: str | None = None,
    period_labels=None,
) -> ReportFigure:
    """Small multiples of the projects' activity across periods, feu-de-paille projects highlighted.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        As returned by
        :func:`rd_territoriale.analysis.trajectories.unit_trajectories`: one
        row per unit × period with ``unit, name, period, active`` and
        ``value``; units and periods keep their order.
    flagged : pandas.DataFrame or iterable of str, optional
        Projects to highlight: the output of
        :func:`~rd_territoriale.analysis.trajectories.feu_de_paille` (rows
        with ``flagged`` true; their ``reason`` goes in the alternative
        text) or unit ids.
    value : str
        Column to draw: ``entries_per_month`` (journal entries per month of
        existence) by default, or ``journal_entries``, ``meetings``,
        ``mean_participants``, ``categories``, ``interviews``,
        ``coded_mentions``.
    title : str, optional
        French title; a default one is used when omitted.
    period_labels : dict, optional
        Period id → label (only in the alternative text: the panels are too
        narrow for more than the ids).

    Returns
    -------
    ReportFigure
        One panel per project (three per row, shared y axis), periods in
        which the project did not exist greyed and without a point.
    """
    flags = _flagged_units(flagged)
    periods = list(dict.fromkeys(trajectories["period"].astype(str)))
    units = list(dict.fromkeys(trajectories["unit"]))
    names = dict(zip(trajectories["unit"], trajectories["name"])) if "name" in trajectories else {}
    frame = trajectories.copy()
    frame["period"] = frame["period"].astype(str)
    active = frame["active"].fillna(False).astype(bool) if "active" in frame else pd.Series(True, frame.index)
    frame["_y"] = pd.to_numeric(frame[value], errors="coerce").where(active)
    top = float(np.nanmax(frame["_y"].to_numpy(float))) if frame["_y"].notna().any() else 1.0
    top = top if top > 0 else 1.0
    decimals = 0 if value in _COUNTS else 1
    n = max(len(units), 1)
    columns = min(COLUMNS, n)
    rows = math.ceil(n / columns)
    label = VALUE_LABELS.get(value, value)
    x = np.arange(len(periods))

    with style():
        fig = ReportFigure(
            figsize=(WIDTH, 1.5 + PANEL_HEIGHT * rows), dpi=STYLE["rc"]["figure.dpi"], layout="constrained"
        )
        axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)).ravel()
        for ax, unit in zip(axes, units):
            t = frame[frame["unit"] == unit].set_index("period").reindex(periods)
            y = t["_y"].to_numpy(float)
            is_active = t["active"].fillna(False).astype(bool).to_numpy() if "active" in t else np.isfinite(y)
            flagged_here = unit in flags
            colour = FLAGGED_COLOUR if flagged_here else OTHER_COLOUR
            for k, on in enumerate(is_active):
                if not on:
                    ax.axvspan(k - 0.5, k + 0.5, color=INACTIVE_FACE, linewidth=0, zorder=0)
            ax.plot(
                x,
                y,
                color=colour,
                linewidth=2.6 if flagged_here else 1.8,
                marker="o",
                markersize=5 if flagged_here else 4,
                zorder=3,
                gid=f"trajectoire|{unit}",
            )
            name = names.get(unit, unit)
            ax.set_title(
                wrap(name, 24),
                fontsize=9.5,
                loc="left",
                fontweight="bold" if flagged_here else "normal",
                color=FLAGGED_COLOUR if flagged_here else "#1d1d1f",
            )
            if flagged_here:
                ax.text(
                    0.97,
                    0.93,
                    "feu de paille",
                    transform=ax.transAxes,
                    ha="right",
                    va="top",
                    fontsize=9,
                    fontweight="bold",
                    color="white",
                    zorder=5,
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": FLAGGED_COLOUR, "edgecolor": "none"},
                )
                finite = np.flatnonzero(np.isfinite(y))
                if finite.size:
                    peak = finite[np.argmax(y[finite])]
                    last = finite[-1]
                    for k in {peak, last}:
                        ax.annotate(
                            decimal(y[k], decimals),
                            (x[k], y[k]),
                            xytext=(0, 6),
                            textcoords="offset points",
                            ha="center",
                            va="bottom",
                            fontsize=8.5,
                            color=FLAGGED_COLOUR,
                            fontweight="bold",
                            zorder=4,
                        )
            ax.grid(axis="x", visible=False)
            ax.tick_params(labelsize=9)
        for ax in axes[len(units) :]:
            ax.set_axis_off()
        axes[0].set_xlim(-0.5, len(periods) - 0.5)
        axes[0].set_ylim(-0.06 * top, top * 1.3)  # a point at 0 is drawn whole
        axes[0].set_xticks(x, periods)
        axes[0].yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], integer=value in _COUNTS))
        axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, _: decimal(v, 0 if float(v).is_integer() else 1)))
        # Ticks on the outer panels only (shared axes), the last row's being the lowest panel of each column.
        for i, ax in enumerate(axes[: len(units)]):
            below = i + columns
            ax.tick_params(labelbottom=below >= len(units), labelleft=i % columns == 0)
        fig.supylabel(wrap(label, 40), fontsize=10)
        fig.suptitle(
            title_text(title or "Activité des projets, période par période"),
            x=0.01,
            ha="left",
            fontsize=STYLE["rc"]["axes.titlesize"],
            fontweight=STYLE["rc"]["axes.titleweight"],
        )
        handles = [Line2D([], [], color=OTHER_COLOUR, linewidth=1.8, marker="o", markersize=4, label="Projet")]
        if flags:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=FLAGGED_COLOUR,
                    linewidth=2.6,
                    marker="o",
                    markersize=5,
                    label="Projet signalé « feu de paille » : élan initial qui s'éteint",
                )
            )
        if "active" in frame and not frame["active"].fillna(False).astype(bool).all():
            handles.append(
                Patch(
                    facecolor=INACTIVE_FACE,
                    edgecolor="none",
                    label="Période où le projet n'existait pas (pas encore lancé ou arrêté)",
                )
            )
        fig.legend(handles=handles, loc="outside lower center", ncol=1, fontsize=9)

    plabels = {str(k): v for k, v in (period_labels or {}).items()}
    span = f"{periods[0]} à {periods[-1]}" if len(periods) > 1 else "".join(periods)
    if plabels and periods:
        span += " (" + ", ".join(f"{p} : {plabels.get(p, p)}" for p in periods) + ")"
    parts = [
        (
            f"Petits graphiques, un par projet ({len(units)} projets) : "
            f"{label[0].lower() + label[1:]}, période par période, de {span} ; même échelle pour tous."
        )
    ]
    for unit in units:
        if unit in flags:
            t = frame[frame["unit"] == unit].set_index("period").reindex(periods)
            values = ", ".join(f"{decimal(v, decimals)} en {p}" for p, v in t["_y"].items() if pd.notna(v))
            reason = f" : {flags[unit]}" if flags[unit] else ""
            parts.append(f"Projet signalé « feu de paille », {names.get(unit, unit)}{reason} ({values}).")
    if not flags:
        parts.append("Aucun projet n'est signalé « feu de paille »." if flagged is not None else "")
    late = [
        names.get(u, u)
        for u in units
        if "active" in frame and not frame.loc[frame["unit"] == u, "active"].fillna(False).astype(bool).all()
    ]
    if late:
        parts.append(f"Projets absents d'au moins une période (zones grisées) : {', '.join(late)}.")
    fig.alt = " ".join(p for p in parts if p)
    return fig
