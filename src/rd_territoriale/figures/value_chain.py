"""Figures of the « chaîne de valeur élargie »: the chain as a cycle, and the indicators' trajectories.

:func:`chain_diagram` draws the five stages as boxes (ressources →
activités → réalisations → résultats → impacts) with their key figures and
a curved arrow from impacts back to resources: in La Fonda's chain the
impacts regenerate the territory's common resources, a cycle, not a line.
On a phone's width the boxes wrap onto two rows (three, then two, read in
a loop). :func:`trajectory_plot` draws one small panel per indicator, with
the baseline as a dashed line only where one is recorded.

Both take the DataFrames of :mod:`rd_territoriale.analysis.value_chain`;
nothing is computed here beyond ordering and formatting; nothing is
written to a file.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from rd_territoriale.analysis.value_chain import STAGE_LABELS
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
from rd_territoriale.french import plural_s
from rd_territoriale.study.contract import VALUE_CHAIN_STAGES

#: One Okabe–Ito colour per stage, the same in both figures.
STAGE_COLOURS = {
    "ressources": PALETTE[0],
    "activités": PALETTE[4],
    "réalisations": PALETTE[3],
    "résultats": PALETTE[1],
    "impacts": PALETTE[5],
}
#: Colour of the return arrow (regeneration of the common resources).
CYCLE_COLOUR = PALETTE[2]
CYCLE_LABEL = "régénère les ressources communes"
NO_BASELINE_TEXT = "sans situation de référence"
BASELINE_COLOUR = "#444444"
TEXT_COLOUR = "#1d1d1f"
EMPTY_FACE = "#f2f2f2"
#: Measurement units shown with their value (« 4 890 heures »); others are put in brackets.
_BRACKETED = ("nombre",)
#: Key figures shown in a box besides the number of indicators.
HEADLINES = 3


def _tint(colour: str, keep: float = 0.16) -> tuple[float, float, float]:
    """``colour`` mixed with white (``keep`` of the colour): a pale box face."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(1 - keep * (1 - c) for c in rgb)


def _value(value) -> str:
    """A value in French: no decimal for whole numbers, else one or two."""
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    if value.is_integer():
        return decimal(value, 0)
    return decimal(value, 1 if round(value, 1) == value else 2)


def _quantity(value, measure) -> str:
    """``4890, 'heures'`` → ``4 890 heures``; ``95, 'nombre'`` → ``95 (nombre)``; ``6.6, 'score sur 10'`` →
    ``6,6 (score sur 10)``."""
    measure = "" if measure is None or pd.isna(measure) else str(measure).strip()
    if not measure:
        return _value(value)
    if measure in ("€", "%", "$"):
        return f"{_value(value)}\u00a0{measure}"
    if measure in _BRACKETED or " " in measure:
        return f"{_value(value)} ({measure})"
    return f"{_value(value)} {measure}"


def _stage_lines(part: pd.DataFrame) -> tuple[int, list[str]]:
    """Number of indicators and the key figures of one stage's rows (headline order)."""
    rows = part[part["measure"].notna() & (part["indicators"] > 0)]
    if rows.empty:
        return 0, []
    n = int(rows["stage_indicators"].iloc[0]) if "stage_indicators" in rows else int(rows["indicators"].sum())
    rows = rows.assign(_pos=range(len(rows))).sort_values(
        ["indicators", "_pos"], ascending=[False, True], kind="mergesort"
    )
    lines = []
    for r in rows.itertuples(index=False):
        if pd.isna(r.value):
            lines.append(f"{r.measure} : {r.indicators} indicateurs non additionnés")
        else:
            lines.append(_quantity(r.value, r.measure))
    return n, lines


def _indicators_text(n: int) -> str:
    return "aucun indicateur" if n == 0 else (f"{n} indicateur" if n == 1 else f"{n} indicateurs")


def _cycle_links(cycle) -> list[dict] | None:
    """Distinct declared links of a :func:`value_cycle` frame (``None`` when no frame was given)."""
    if cycle is None:
        return None
    if cycle.empty:
        return []
    links = cycle.drop_duplicates(["impact", "resource"])
    out = []
    for r in links.itertuples(index=False):
        out.append(
            {
                "impact": r.impact_label if pd.notna(r.impact_label) else r.impact,
                "resource": r.resource_label if pd.notna(r.resource_label) else r.resource,
                "trend": r.resource_trend if "resource_trend" in links else pd.NA,
            }
        )
    return out


@or_gap()
def chain_diagram(
    totals: pd.DataFrame,
    title: str | None = None,
    cycle: pd.DataFrame | None = None,
    period: str | None = None,
    columns: int = 3,
    period_labels=None,
) -> ReportFigure:
    """The value chain as five boxes with their key figures, closed by the return arrow of the cycle.

    Parameters
    ----------
    totals : pandas.DataFrame
        Output of :func:`rd_territoriale.analysis.value_chain.stage_totals`
        (``stage, period, measure, indicators, value, stage_indicators``).
    title : str, optional
        French title; a default one names the period.
    cycle : pandas.DataFrame, optional
        Output of :func:`rd_territoriale.analysis.value_chain.value_cycle`.
        Without it the return arrow is drawn dashed (the model's cycle, not
        documented here); with declared links it is drawn solid and says how
        many; with an empty frame it stays dashed and says « aucun lien
        renseigné ».
    period : str, optional
        Period shown; by default the only period of ``totals``, or the last
        one (values are never added across periods: hours are flows, but
        scores and stocks are not).
    columns : int
        Boxes per row: 3 (two rows read in a loop, for a phone's width, the
        default) or 5 (one row, for a wide page).
    period_labels : dict, optional
        Period id → label, for the default title.

    Returns
    -------
    ReportFigure
        Five boxes (patches with gid ``etape|<stage>``), four arrows between
        them (gid ``fleche|<stage>|<stage>``) and the return arrow (gid
        ``cycle``); a French alternative text lists every box's figures.

    Raises
    ------
    ValueError
        For another number of columns, or a period absent from ``totals``.
    """
    if columns not in (3, 5):
        raise ValueError("columns : 3 (deux rangées, pour un téléphone) ou 5 (une rangée).")
    periods = list(dict.fromkeys(totals["period"].dropna().astype(str)))
    if period is None:
        period = periods[-1] if periods else None
    elif period not in periods:
        raise ValueError(f"période absente des totaux : « {period} » ; périodes : {', '.join(periods)}.")
    part = totals[totals["period"].astype(str) == period] if period is not None else totals.iloc[0:0]
    links = _cycle_links(cycle)
    documented = bool(links)
    labels = {str(k): v for k, v in (period_labels or {}).items()}

    bw, bh = (1.86, 1.62) if columns == 3 else (1.72, 1.62)
    gx, gy, margin = (0.36, 0.62, 0.12) if columns == 3 else (0.38, 0.0, 0.12)
    rows = math.ceil(len(VALUE_CHAIN_STAGES) / columns)
    width = columns * bw + (columns - 1) * gx + 2 * margin
    below = 0.0 if columns == 3 else 1.0  # room for the return arc under a single row
    height = rows * bh + (rows - 1) * gy + 2 * margin + below
    centres = {}
    for i, stage in enumerate(VALUE_CHAIN_STAGES):
        r, k = divmod(i, columns)
        col = k if r % 2 == 0 else columns - 1 - k  # a loop: the second row is read right to left
        centres[stage] = (margin + col * (bw + gx) + bw / 2, height - margin - r * (bh + gy) - bh / 2)

    figure_width = 5.4 if columns == 3 else 10.0  # narrow: the text stays legible at phone width
    with style():
        fig = ReportFigure(
            figsize=(figure_width, figure_width * height / width + 0.75),
            dpi=STYLE["rc"]["figure.dpi"],
            layout="constrained",
        )
        ax = fig.add_subplot()
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.set_aspect("equal")
        ax.set_axis_off()
        alt_boxes = []
        for stage in VALUE_CHAIN_STAGES:
            x, y = centres[stage]
            n, lines = _stage_lines(part[part["stage"].astype(str) == stage])
            colour = STAGE_COLOURS[stage]
            box = FancyBboxPatch(
                (x - bw / 2, y - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor=_tint(colour) if n else EMPTY_FACE,
                edgecolor=colour,
                linewidth=2.2,
                linestyle="-" if n else "--",
                gid=f"etape|{stage}",
                zorder=2,
            )
            ax.add_patch(box)
            ax.text(
                x,
                y + bh / 2 - 0.14,
                STAGE_LABELS[stage],
                ha="center",
                va="top",
                fontsize=11,
                fontweight="bold",
                color=TEXT_COLOUR,
                zorder=3,
            )
            shown = [_indicators_text(n)] + lines[:HEADLINES]
            if len(lines) > HEADLINES:
                extra = len(lines) - HEADLINES
                shown.append(f"+ {extra} autre{plural_s(extra)} unité{plural_s(extra)}")
            body = "\n".join(wrap(line, 21) for line in shown)
            ax.text(
                x,
                y + bh / 2 - 0.48,
                body,
                ha="center",
                va="top",
                fontsize=9,
                linespacing=1.35,
                color=TEXT_COLOUR,
                zorder=3,
            )
            alt_boxes.append(f"{STAGE_LABELS[stage]} : " + ", ".join([_indicators_text(n)] + lines))
        for a, b in zip(VALUE_CHAIN_STAGES[:-1], VALUE_CHAIN_STAGES[1:]):
            (xa, ya), (xb, yb) = centres[a], centres[b]
            if abs(ya - yb) < 1e-9:
                step = bw / 2 if xb > xa else -bw / 2
                start, end = (xa + step, ya), (xb - step, yb)
            else:
                start, end = (xa, ya - bh / 2), (xb, yb + bh / 2)
            ax.add_patch(
                FancyArrowPatch(
                    start,
                    end,
                    arrowstyle="-|>",
                    mutation_scale=16,
                    linewidth=1.8,
                    color=TEXT_COLOUR,
                    shrinkA=2,
                    shrinkB=2,
                    gid=f"fleche|{a}|{b}",
                    zorder=1,
                )
            )
        first, last = VALUE_CHAIN_STAGES[0], VALUE_CHAIN_STAGES[-1]
        (xf, yf), (xl, yl) = centres[first], centres[last]
        if columns == 3:
            start, end = (xl - bw / 2, yl), (xf, yf - bh / 2)
            connection = "angle3,angleA=180,angleB=90"
            text_at, text_align = (xf - bw / 2 + 0.05, yl - 0.12), "left"
        else:
            start, end = (xl, yl - bh / 2), (xf, yf - bh / 2)
            connection = "arc3,rad=-0.16"
            text_at, text_align = ((xf + xl) / 2, yf - bh / 2 - 0.16 * (xl - xf) / 2 - 0.1), "center"
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=18,
                linewidth=2.4,
                color=CYCLE_COLOUR,
                linestyle="-" if documented else (0, (4, 3)),
                connectionstyle=connection,
                shrinkA=2,
                shrinkB=2,
                gid="cycle",
                zorder=1,
            )
        )
        label = CYCLE_LABEL
        if links is not None:
            label += (
                f"\n{len(links)} lien{plural_s(len(links))} renseigné{plural_s(len(links))}"
                if links
                else "\naucun lien renseigné"
            )
        label = "\n".join(wrap(line, 20) for line in label.splitlines()) if columns == 3 else label
        ax.text(
            *text_at,
            label,
            ha=text_align,
            va="top",
            fontsize=9.5,
            fontstyle="italic",
            fontweight="bold",
            color=TEXT_COLOUR,
            linespacing=1.3,
            zorder=3,
            gid="cycle-label",
        )
        when = f"{period} ({labels[period]})" if period in labels else (period or "")
        ax.set_title(title_text(title or ("La chaîne de valeur élargie" + (f" : {when}" if when else ""))))

    layout = (
        "de gauche à droite"
        if columns == 5
        else "les trois premières de gauche à droite, les deux dernières en dessous, de droite à gauche"
    )
    alt = (
        f"Schéma de la chaîne de valeur élargie{f' en {period}' if period else ''} : cinq étapes reliées par des flèches, "
        f"{layout}. " + ". ".join(alt_boxes) + ". Une flèche courbe revient des impacts aux ressources : "
        f"« {CYCLE_LABEL} »"
    )
    if links is None:
        alt += " (le cycle du modèle, non documenté dans cette figure)."
    elif not links:
        alt += " ; aucun lien entre un impact et une ressource n'est renseigné."
    else:
        said = " ; ".join(
            f"« {lk['impact']} » → « {lk['resource']} »"
            + (f" (ressource {lk['trend']})" if pd.notna(lk["trend"]) else "")
            for lk in links
        )
        alt += f". Liens renseignés, déclarés et non démontrés : {said}."
    fig.alt = alt
    return fig


# --------------------------------------------------------------------------- trajectories


@or_gap()
def trajectory_plot(
    trajectories: pd.DataFrame, title: str | None = None, columns: int = 2, period_labels=None
) -> ReportFigure:
    """Small multiples of the indicators across periods, the baseline dashed only where it exists.

    Parameters
    ----------
    trajectories : pandas.DataFrame
        Output of
        :func:`rd_territoriale.analysis.value_chain.indicator_trajectories`
        (``indicator, label, stage, unit, measure, period, value, baseline,
        has_baseline``); indicators and periods keep their order.
    title : str, optional
        French title.
    columns : int
        Panels per row (2 fits a phone's width).
    period_labels : dict, optional
        Period id → label (alternative text only).

    Returns
    -------
    ReportFigure
        One panel per indicator (and project), coloured by stage, y axes
        free (each indicator has its unit); the value line has gid
        ``valeur|<indicator>``, the baseline (only when recorded) gid
        ``reference|<indicator>``; a panel without baseline says « sans
        situation de référence ».
    """
    frame = trajectories.copy()
    frame["period"] = frame["period"].astype(str)
    periods = list(dict.fromkeys(frame["period"]))
    unit = frame["unit"] if "unit" in frame else pd.Series(pd.NA, index=frame.index)
    frame["_key"] = list(zip(frame["indicator"].astype(str), unit.fillna("").astype(str)))
    keys = list(dict.fromkeys(frame["_key"]))
    n = max(len(keys), 1)
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    x = np.arange(len(periods))
    has = frame["has_baseline"].fillna(False).astype(bool) if "has_baseline" in frame else frame["baseline"].notna()
    frame["_baseline"] = pd.to_numeric(frame["baseline"], errors="coerce").where(has)
    frame["_value"] = pd.to_numeric(frame["value"], errors="coerce")
    alt_parts, without, stages = [], [], []

    with style():
        fig = ReportFigure(
            figsize=(NARROW_WIDTH, 1.3 + 2.0 * rows), dpi=STYLE["rc"]["figure.dpi"], layout="constrained"
        )
        axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, squeeze=False)).ravel()
        for i, (ax, key) in enumerate(zip(axes, keys)):
            t = frame[frame["_key"] == key].drop_duplicates("period").set_index("period").reindex(periods)
            first = frame[frame["_key"] == key].iloc[0]
            stage = str(first["stage"]) if pd.notna(first.get("stage", pd.NA)) else ""
            if stage and stage not in stages:
                stages.append(stage)
            colour = STAGE_COLOURS.get(stage, PALETTE[0])
            y = t["_value"].to_numpy(float)
            b = t["_baseline"].to_numpy(float)
            ax.plot(x, y, color=colour, linewidth=2.0, marker="o", markersize=4.5, zorder=3, gid=f"valeur|{key[0]}")
            known = np.isfinite(b)
            if known.any():
                values = np.unique(b[known])
                if len(values) == 1 and known.all():
                    ax.axhline(
                        values[0],
                        color=BASELINE_COLOUR,
                        linestyle="--",
                        linewidth=1.3,
                        zorder=2,
                        gid=f"reference|{key[0]}",
                    )
                else:
                    ax.hlines(
                        b[known],
                        x[known] - 0.4,
                        x[known] + 0.4,
                        colors=BASELINE_COLOUR,
                        linestyles="--",
                        linewidth=1.3,
                        zorder=2,
                        gid=f"reference|{key[0]}",
                    )
                if known.all() and len(values) == 1 and values[0] == 0:
                    ax.text(
                        0.03,
                        0.96,
                        "situation de référence : 0",
                        transform=ax.transAxes,
                        ha="left",
                        va="top",
                        fontsize=8,
                        fontstyle="italic",
                        color=BASELINE_COLOUR,
                    )
                if not known.all():
                    lacking = ", ".join(p for p, k in zip(periods, known) if not k)
                    ax.text(
                        0.03,
                        0.96,
                        f"référence absente en {lacking}",
                        transform=ax.transAxes,
                        ha="left",
                        va="top",
                        fontsize=8,
                        fontstyle="italic",
                        color=BASELINE_COLOUR,
                    )
            else:
                ax.text(
                    0.03,
                    0.96,
                    NO_BASELINE_TEXT,
                    transform=ax.transAxes,
                    ha="left",
                    va="top",
                    fontsize=8.5,
                    fontstyle="italic",
                    color=BASELINE_COLOUR,
                    gid="sans-reference",
                )
            finite = np.flatnonzero(np.isfinite(y))
            if finite.size:
                k = finite[-1]
                ax.annotate(
                    _value(y[k]),
                    (x[k], y[k]),
                    xytext=(0, 6),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    color=TEXT_COLOUR,
                    zorder=4,
                )
            seen = np.r_[y[np.isfinite(y)], b[known]]
            top = float(seen.max()) if seen.size else 1.0
            low = float(seen.min()) if seen.size else 0.0
            top = top if top > 0 else 1.0
            ax.set_ylim(min(0.0, low * 1.1), top * 1.3)
            label = str(first["label"]) + (f" ({key[1]})" if key[1] else "")
            ax.set_title(wrap(label, 34), fontsize=9.5, loc="left", fontweight="normal")
            measure = str(first["measure"]) if pd.notna(first.get("measure", pd.NA)) else ""
            ax.set_ylabel(wrap(measure, 16), fontsize=8.5)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, steps=[1, 2, 2.5, 5, 10]))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _value(v)))
            ax.grid(axis="x", visible=False)
            ax.tick_params(labelsize=8.5, labelbottom=i + columns >= len(keys))
            ax.set_xticks(x, periods)
            measured = [(p, v) for p, v in zip(periods, y) if np.isfinite(v)]
            text = f"{label}" + (f" ({measure})" if measure else "")
            if measured:
                text += (
                    f" : de {_value(measured[0][1])} en {measured[0][0]} à {_value(measured[-1][1])} "
                    f"en {measured[-1][0]}"
                    if len(measured) > 1
                    else f" : {_value(measured[0][1])} en {measured[0][0]}"
                )
            else:
                text += " : aucune mesure"
            if known.any():
                refs = np.unique(b[known])
                text += (
                    f", référence {_value(refs[0])}"
                    if len(refs) == 1
                    else ", référence de " + " à ".join(_value(v) for v in (refs.min(), refs.max()))
                )
            else:
                without.append(label)
                text += ", sans situation de référence"
            alt_parts.append(text)
        for ax in axes[len(keys) :]:
            ax.set_axis_off()
        if not keys:
            axes[0].text(
                0.5,
                0.5,
                "Aucun indicateur à représenter",
                transform=axes[0].transAxes,
                ha="center",
                va="center",
                fontsize=10,
                color=TEXT_COLOUR,
            )
        if len(periods):
            axes[0].set_xlim(-0.5, len(periods) - 0.5)
        fig.suptitle(
            title_text(title or "Les indicateurs de la chaîne de valeur, période par période"),
            x=0.01,
            ha="left",
            fontsize=STYLE["rc"]["axes.titlesize"],
            fontweight=STYLE["rc"]["axes.titleweight"],
        )
        handles = [
            Line2D([], [], color=STAGE_COLOURS[s], linewidth=2, marker="o", markersize=4.5, label=STAGE_LABELS[s])
            for s in VALUE_CHAIN_STAGES
            if s in stages
        ]
        handles.append(
            Line2D([], [], color=BASELINE_COLOUR, linestyle="--", linewidth=1.3, label="Situation de référence")
        )
        fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=9)

    plabels = {str(k): v for k, v in (period_labels or {}).items()}
    span = f"{periods[0]} à {periods[-1]}" if len(periods) > 1 else "".join(periods)
    if plabels and periods:
        span += " (" + ", ".join(f"{p} : {plabels.get(p, p)}" for p in periods) + ")"
    if not keys:
        fig.alt = "Petits graphiques des indicateurs de la chaîne de valeur : aucun indicateur à représenter."
        return fig
    alt = (
        f"Petits graphiques, un par indicateur ({len(keys)}), période par période de {span}, couleur selon "
        "l'étape de la chaîne de valeur ; en pointillé la situation de référence, seulement quand elle "
        "existe. " + " ; ".join(alt_parts) + "."
    )
    if without:
        alt += " Sans situation de référence (aucune évolution calculée) : " + ", ".join(without) + "."
    fig.alt = alt
    return fig
