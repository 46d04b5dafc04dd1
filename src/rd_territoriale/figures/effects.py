"""Figures of modelled change: rate ratios with their intervals, and the coûte-que-coûte rates.

- :func:`forest_plot`: the incidence rate ratios of
  :func:`rd_territoriale.analysis.models.period_effects`, one row per code ×
  period, grouped by code, on a log scale around ×1 (no change against the
  reference period). Significant rows (Benjamini–Hochberg) have filled
  markers, the others open ones, so that the figure reads without colour.
- :func:`signal_plot`: the rates of pressure and over-investment per period,
  one category (employees) against all the others, from
  :func:`rd_territoriale.analysis.signals.pressure_rates`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from rd_territoriale.figures._style import (
    NARROW_WIDTH,
    PALETTE,
    STYLE,
    ReportFigure,
    decimal,
    label_map,
    log_ticks,
    or_gap,
    ratio_label,
    style,
    title_text,
    wrap,
)
from rd_territoriale.french import plural, plural_s

#: Width of the figures (inches): narrow, so that a phone shrinks them little.
WIDTH = NARROW_WIDTH
#: Height of one code × period row of the forest plot (inches), and of the gap between codes (in rows).
FOREST_ROW = 0.125
FOREST_GAP = 0.7
#: Markers of the compared periods, in order: they tell periods apart without colour.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
#: Colours of the compared periods, in order (Okabe–Ito: orange, blue, green first).
PERIOD_COLOURS = (PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[3], PALETTE[5], PALETTE[4], PALETTE[7])
#: Ratios outside [1/LIMIT, LIMIT] are drawn at the edge, with an arrow.
LIMIT = 64.0
#: Colours of the signal plot: the category watched, and everyone else.
CATEGORY_COLOUR = PALETTE[5]
OTHERS_COLOUR = PALETTE[0]
OTHERS = "Autres catégories"


def _period_name(period, period_labels: dict) -> str:
    label = period_labels.get(period)
    return f"{period} · {label}" if label and label != period else str(period)


def _no_effect(effects: pd.DataFrame) -> bool:
    """No testable ratio with its interval: nothing to plot."""
    if len(effects) == 0:
        return True
    testable = effects["testable"].fillna(False).astype(bool)
    return not bool((testable & effects[["irr", "ci_low", "ci_high"]].notna().all(axis=1)).any())


@or_gap(_no_effect)
def forest_plot(effects: pd.DataFrame, labels=None, title: str | None = None, period_labels=None) -> ReportFigure:
    """Forest plot of incidence rate ratios with their 95 % intervals, per code and period.

    Parameters
    ----------
    effects : pandas.DataFrame
        As returned by :func:`rd_territoriale.analysis.models.period_effects`:
        ``code, period, reference, irr, ci_low, ci_high, p_adjusted,
        testable, significant`` (other columns ignored). Codes and periods
        keep their order. Untestable rows are left out (their number is in
        the alternative text).
    labels : dict or pandas.Series, optional
        Code → French label.
    title : str, optional
        French title; a default one is used when omitted.
    period_labels : dict, optional
        Period id → label, for the legend.

    Returns
    -------
    ReportFigure
        One row per testable code × period, markers filled when the ratio is
        significant after Benjamini–Hochberg correction (``significant``),
        open otherwise; a vertical line at ×1. ``alt`` names the significant
        ratios. The marker lines carry a ``gid``
        ``irr|<period>|significatif`` or ``irr|<period>|non significatif``.
    """
    names = label_map(labels)
    plabels = label_map(period_labels)
    effects = effects.copy()
    effects["testable"] = effects["testable"].fillna(False).astype(bool)
    effects["significant"] = effects["significant"].fillna(False).astype(bool) & effects["testable"]
    shown = effects[effects["testable"] & effects[["irr", "ci_low", "ci_high"]].notna().all(axis=1)]
    omitted = len(effects) - len(shown)
    references = list(dict.fromkeys(effects["reference"].dropna().astype(str)))
    reference = references[0] if len(references) == 1 else None
    periods = list(dict.fromkeys(effects["period"].astype(str)))
    # Each period's reference: one for all (period_effects), or the previous one (successive_effects).
    reference_of = dict(zip(effects["period"].astype(str), effects["reference"].astype(str)))
    successive = reference is None and all(
        reference_of.get(p) == prev for prev, p in zip([reference_of.get(periods[0])] + periods, periods)
    )
    against = (
        f"à {reference}" if reference else "à la période précédente" if successive else "à sa période de référence"
    )
    colours = {p: PERIOD_COLOURS[i % len(PERIOD_COLOURS)] for i, p in enumerate(periods)}
    markers = {p: MARKERS[i % len(MARKERS)] for i, p in enumerate(periods)}
    codes = list(dict.fromkeys(shown["code"]))

    # y positions: one row per code × period, a gap between codes.
    positions, centres, y = {}, {}, 0.0
    for code in codes:
        rows = shown[shown["code"] == code]
        first = y
        for period in periods:
            if (rows["period"].astype(str) == period).any():
                positions[(code, period)] = y
                y += 1
        centres[code] = (first, y - 1)
        y += FOREST_GAP
    n_rows = len(positions)
    height = 2.3 + FOREST_ROW * (n_rows + FOREST_GAP * max(len(codes) - 1, 0))

    with style():
        fig = ReportFigure(figsize=(WIDTH, max(height, 3.0)), dpi=STYLE["rc"]["figure.dpi"], layout="constrained")
        ax = fig.add_subplot()
        if shown.empty:
            ax.set_axis_off()
            ax.set_xticks([])
            ax.set_yticks([])
            ax.text(
                0.5,
                0.5,
                "Aucun rapport de taux estimable",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=11,
                color="#5a5a60",
            )
        else:
            low = float(np.clip(shown["ci_low"].min(), 1 / LIMIT, 1))
            high = float(np.clip(shown["ci_high"].max(), 1, LIMIT))
            xmin, xmax = min(low, 1 / 2) / 1.25, max(high, 2.0) * 1.25
            labelled = shown["significant"].any()
            if labelled:
                xmax *= 2.2  # room for the values written right of the significant intervals
            # Bands behind every other code, so that a row is read with its code.
            for k, code in enumerate(codes):
                if k % 2 == 0:
                    top, bottom = centres[code]
                    ax.axhspan(
                        top - 0.5 - FOREST_GAP / 2,
                        bottom + 0.5 + FOREST_GAP / 2,
                        color="#f1f1f3",
                        zorder=0,
                        linewidth=0,
                    )
            ax.axvline(1.0, color="#1d1d1f", linewidth=1.1, zorder=1)
            for period in periods:
                rows = shown[shown["period"].astype(str) == period]
                if rows.empty:
                    continue
                ys = np.array([positions[(c, period)] for c in rows["code"]])
                lo = np.clip(rows["ci_low"].to_numpy(float), 1 / LIMIT, LIMIT)
                hi = np.clip(rows["ci_high"].to_numpy(float), 1 / LIMIT, LIMIT)
                ax.hlines(ys, lo, hi, color=colours[period], linewidth=1.6, zorder=2)
                cut_low = rows["ci_low"].to_numpy(float) < 1 / LIMIT
                cut_high = rows["ci_high"].to_numpy(float) > LIMIT
                if cut_low.any():
                    ax.plot(lo[cut_low], ys[cut_low], marker="<", linestyle="none", color=colours[period])
                if cut_high.any():
                    ax.plot(hi[cut_high], ys[cut_high], marker=">", linestyle="none", color=colours[period])
                for significant in (False, True):
                    part = rows["significant"].to_numpy() == significant
                    if not part.any():
                        continue
                    ax.plot(
                        np.clip(rows["irr"].to_numpy(float)[part], 1 / LIMIT, LIMIT),
                        ys[part],
                        marker=markers[period],
                        markersize=6.5,
                        linestyle="none",
                        markeredgecolor=colours[period],
                        markeredgewidth=1.5,
                        markerfacecolor=colours[period] if significant else "white",
                        zorder=3,
                        gid=f"irr|{period}|{'significatif' if significant else 'non significatif'}",
                    )
                for (_, row), yy, h in zip(rows.iterrows(), ys, hi):
                    if row["significant"]:
                        ax.text(
                            h * 1.12,
                            yy,
                            ratio_label(row["irr"], 2),
                            va="center",
                            ha="left",
                            fontsize=9,
                            fontweight="bold",
                            color="#1d1d1f",
                            zorder=4,
                        )
            ax.set_xscale("log")
            ax.set_xlim(xmin, xmax)
            ax.xaxis.set_major_locator(FixedLocator(log_ticks(xmin, xmax if not labelled else xmax / 2.2)))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: ratio_label(v)))
            ax.tick_params(axis="x", labelsize=9.5)
            ax.set_ylim(y - FOREST_GAP + 0.3, -0.8)
            ax.set_yticks(
                [(a + b) / 2 for a, b in centres.values()], [wrap(names.get(c, c), 30) for c in codes], fontsize=9.5
            )
            bold = set(shown.loc[shown["significant"], "code"])
            for tick, code in zip(ax.get_yticklabels(), codes):
                if code in bold:
                    tick.set_fontweight("bold")
            ax.tick_params(axis="y", length=0)
            ax.grid(axis="y", visible=False)
            ax.grid(axis="x", color="#dcdcdf", linewidth=0.8)
            ax.spines["left"].set_visible(False)
            ax.set_xlabel(
                wrap(
                    f"Rapport des taux par rapport {against} (intervalle de confiance à 95 %, échelle logarithmique)",
                    58,
                ),
                fontsize=10,
            )
            handles = [
                Line2D(
                    [],
                    [],
                    marker=markers[p],
                    color=colours[p],
                    markerfacecolor=colours[p],
                    markersize=7,
                    linewidth=1.6,
                    label=_period_name(p, plabels) + ("" if reference else f" (contre {reference_of[p]})"),
                )
                for p in periods
                if (shown["period"].astype(str) == p).any()
            ]
            handles += [
                Line2D(
                    [],
                    [],
                    marker="o",
                    color="#1d1d1f",
                    markerfacecolor="#1d1d1f",
                    linestyle="none",
                    markersize=7,
                    label="Plein : significatif (p ajusté < 0,05)",
                ),
                Line2D(
                    [],
                    [],
                    marker="o",
                    color="#1d1d1f",
                    markerfacecolor="white",
                    linestyle="none",
                    markersize=7,
                    markeredgewidth=1.5,
                    label="Vide : non significatif",
                ),
            ]
            fig.legend(
                handles=handles, loc="outside lower center", ncol=2, fontsize=9, columnspacing=1.2, handletextpad=0.5
            )
        default = f"Évolution de chaque code par rapport {against}"
        fig.suptitle(
            title_text(title or default),
            x=0.01,
            ha="left",
            fontsize=STYLE["rc"]["axes.titlesize"],
            fontweight=STYLE["rc"]["axes.titleweight"],
        )

    significant = shown[shown["significant"]].sort_values("irr", key=lambda s: -np.abs(np.log(s)), kind="mergesort")
    parts = [
        (
            f"Graphique en forêt : rapports des taux de codage (passages pour 1\u202f000 mots d'entretien) "
            f"de {plural(len(codes), 'code')}, chaque période comparée {against}, avec leur intervalle "
            f"de confiance à 95 % ; échelle logarithmique, ×1 signifiant aucun changement."
        )
    ]
    if len(significant):
        items = [
            f"{names.get(r['code'], r['code'])} en {r['period']}"
            + ("" if reference else f" par rapport à {r['reference']}")
            + f" ({ratio_label(r['irr'], 2)}, "
            f"IC à 95 % {decimal(r['ci_low'])} à {decimal(r['ci_high'])})"
            for _, r in significant.iterrows()
        ]
        parts.append(
            f"Écarts significatifs après correction de Benjamini–Hochberg : {' ; '.join(items)}. "
            "Les autres écarts ne sont pas significatifs."
        )
    elif len(shown):
        parts.append("Aucun écart n'est significatif après correction de Benjamini–Hochberg.")
    if omitted:
        parts.append(
            f"{plural(omitted, 'comparaison')} non estimable{plural_s(omitted)} "
            f"(effectif trop faible ou aucun passage) non représentée{plural_s(omitted)}."
        )
    fig.alt = " ".join(parts)
    return fig


@or_gap()
def signal_plot(rates: pd.DataFrame, title: str | None = None, period_labels=None) -> ReportFigure:
    """The coûte-que-coûte signal: rate of pressure codes per period, a category against the others.

    Parameters
    ----------
    rates : pandas.DataFrame
        As returned by :func:`rd_territoriale.analysis.signals.pressure_rates`:
        ``period, group`` (the category's label, or « Autres catégories »),
        ``interviews, count, rate_per_1000_words``; periods in study order. A
        NaN rate (no interview) leaves a gap in the line.
    title : str, optional
        French title; a default one is used when omitted.
    period_labels : dict, optional
        Period id → label, written under the id on the x axis.

    Returns
    -------
    ReportFigure
        One line per group, each point labelled with its rate; the legend
        gives the number of interviews per period. ``alt`` gives every rate
        and the period where the category is furthest above the others.
    """
    plabels = label_map(period_labels)
    periods = list(dict.fromkeys(rates["period"].astype(str)))
    groups = list(dict.fromkeys(rates["group"]))
    groups = [g for g in groups if g != OTHERS] + [g for g in groups if g == OTHERS]
    x = np.arange(len(periods))
    table = {
        g: rates[rates["group"] == g].set_index(rates.loc[rates["group"] == g, "period"].astype(str)).reindex(periods)
        for g in groups
    }
    colours = {g: (OTHERS_COLOUR if g == OTHERS else CATEGORY_COLOUR) for g in groups}
    markers = {g: ("s" if g == OTHERS else "o") for g in groups}
    if len([g for g in groups if g != OTHERS]) > 1:
        for i, g in enumerate(g for g in groups if g != OTHERS):
            colours[g] = PERIOD_COLOURS[i % len(PERIOD_COLOURS)]
            markers[g] = MARKERS[i % len(MARKERS)]
    with style():
        fig = ReportFigure(figsize=(WIDTH, 4.6), dpi=STYLE["rc"]["figure.dpi"], layout="constrained")
        ax = fig.add_subplot()
        top = float(np.nanmax(rates["rate_per_1000_words"].to_numpy(float))) if len(rates) else 1.0
        top = top if np.isfinite(top) and top > 0 else 1.0
        for g in groups:
            t = table[g]
            values = t["rate_per_1000_words"].to_numpy(float)
            interviews = t["interviews"].fillna(0).astype(int).tolist() if "interviews" in t else []
            label = g if not interviews else f"{g} ({_entretiens(interviews)})"
            ax.plot(
                x,
                values,
                marker=markers[g],
                markersize=7,
                linewidth=2.2 if g != OTHERS else 1.8,
                color=colours[g],
                label=wrap(label, 60),
                zorder=3,
            )
            for xi, v in zip(x, values):
                if np.isfinite(v):
                    # The highest point of a period has its value above it, the others below.
                    level = [table[h]["rate_per_1000_words"].to_numpy(float)[xi] for h in groups]
                    above = v >= np.nanmax(level) or len(groups) == 1
                    ax.annotate(
                        decimal(v),
                        (xi, v),
                        xytext=(0, 8 if above else -9),
                        textcoords="offset points",
                        ha="center",
                        va="bottom" if above else "top",
                        fontsize=9.5,
                        color=colours[g],
                        fontweight="bold" if g != OTHERS else "normal",
                    )
        ax.set_xticks(
            x,
            [f"{p}\n{wrap(plabels[p], 14)}" if p in plabels and plabels[p] != p else p for p in periods],
            fontsize=9.5,
        )
        ax.set_xlim(-0.4, len(periods) - 0.6)
        # Room under 0 for the values written below the lowest points; the 0 line stays the base.
        ax.set_ylim(-0.1 * top, top * 1.2)
        ax.spines["bottom"].set_visible(False)
        ax.axhline(0, color="#bdbdc2", linewidth=1.0, zorder=1)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top * 1.2])
        ax.spines["left"].set_bounds(0, top * 1.2)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: decimal(v, 1)))
        ax.set_ylabel("Passages pour 1\u202f000 mots d'entretien")
        ax.set_xlabel("")
        ax.grid(axis="x", visible=False)
        fig.suptitle(
            title_text(title or "Pression et surinvestissement dans les entretiens"),
            x=0.01,
            ha="left",
            fontsize=STYLE["rc"]["axes.titlesize"],
            fontweight=STYLE["rc"]["axes.titleweight"],
        )
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=1, fontsize=9)

    parts = [
        "Courbes : passages de pression ou de surinvestissement pour 1\u202f000 mots "
        f"d'entretien, période par période ({', '.join(periods)}), "
        + " contre ".join(g[0].lower() + g[1:] if g == OTHERS else g for g in groups)
        + "."
    ]
    for g in groups:
        values = table[g]["rate_per_1000_words"].to_numpy(float)
        parts.append(f"{g} : " + ", ".join(f"{decimal(v)} en {p}" for p, v in zip(periods, values)) + ".")
    category = next((g for g in groups if g != OTHERS), None)
    if category is not None and OTHERS in table:
        mine = table[category]["rate_per_1000_words"].to_numpy(float)
        theirs = table[OTHERS]["rate_per_1000_words"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where((theirs > 0) & np.isfinite(mine), mine / theirs, np.nan)
        if np.isfinite(ratio).any():
            k = int(np.nanargmax(ratio))
            if ratio[k] > 1:
                parts.append(
                    f"Écart le plus fort en {periods[k]} : {category[0].lower() + category[1:]} "
                    f"{decimal(ratio[k], 1)} fois le taux des autres catégories."
                )
    fig.alt = " ".join(parts)
    return fig


def _entretiens(counts: list[int]) -> str:
    """``[1, 1, 7, 1]`` → ``entretiens par période : 1, 1, 7 et 1``."""
    words = [str(c) for c in counts]
    listed = ", ".join(words[:-1]) + " et " + words[-1] if len(words) > 1 else "".join(words)
    return f"entretiens par période : {listed}"
