"""Figures of the reflexivity report: whose voices, the researcher's roles, the lexicon's spread.

Each function takes a long DataFrame from :mod:`rd_territoriale.analysis`
(:mod:`~rd_territoriale.analysis.voices`, :mod:`~rd_territoriale.analysis.posture`,
:mod:`~rd_territoriale.analysis.lexicon`) and returns a :class:`ReportFigure`
with French labels and a French alternative text. Nothing is computed here
beyond ordering rows; nothing is written to a file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, PercentFormatter

from rd_territoriale.figures._style import (
    NARROW_WIDTH,
    PALETTE,
    STYLE,
    ReportFigure,
    decimal,
    legend_below,
    or_gap,
    style,
    title_text,
    wrap,
)

#: One colour per researcher role, from observing (blue) to acting (vermillion).
ROLE_COLOURS = {
    "observateur": PALETTE[0],
    "facilitateur": PALETTE[4],
    "évaluateur": PALETTE[2],
    "acteur": PALETTE[5],
}
ROLE_LABELS = {
    "observateur": "Observateur",
    "facilitateur": "Facilitateur",
    "évaluateur": "Évaluateur",
    "acteur": "Acteur",
}


def _percent(value: float) -> str:
    return f"{decimal(100 * value, 0)}\u00a0%"


@or_gap()
def roles_plot(roles: pd.DataFrame, title: str | None = None) -> ReportFigure:
    """The researcher's roles per period, as 100 % stacked bars.

    Parameters
    ----------
    roles : pandas.DataFrame
        Long format ``period, role, share`` (share of the period's journal
        entries), periods in study order.
    title : str, optional
        French title.

    Returns
    -------
    ReportFigure
    """
    periods = list(dict.fromkeys(roles["period"]))
    order = [r for r in ROLE_COLOURS if r in set(roles["role"])]
    wide = roles.pivot(index="period", columns="role", values="share").reindex(index=periods, columns=order)
    wide = wide.fillna(0.0)
    with style():
        fig = ReportFigure(
            figsize=(NARROW_WIDTH, 1.6 + 0.55 * len(periods)), dpi=STYLE["rc"]["figure.dpi"], layout="constrained"
        )
        ax = fig.add_subplot()
        left = np.zeros(len(periods))
        y = np.arange(len(periods))
        for role in order:
            values = wide[role].to_numpy()
            ax.barh(
                y,
                values,
                left=left,
                color=ROLE_COLOURS[role],
                label=ROLE_LABELS.get(role, role),
                edgecolor="white",
                height=0.7,
            )
            for i, (v, start) in enumerate(zip(values, left)):
                if v >= 0.08:
                    ax.text(
                        start + v / 2,
                        i,
                        _percent(v),
                        ha="center",
                        va="center",
                        fontsize=9,
                        color="white" if role in ("observateur", "acteur") else "black",
                    )
            left += values
        ax.set_yticks(y, periods)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol="\u00a0%"))
        ax.set_xlabel("Part des entrées du journal de terrain")
        ax.set_title(title_text(title or "Rôle du chercheur dans les moments notés au journal"))
        ax.grid(axis="y", visible=False)
        legend_below(fig, ax, ncol=len(order))
    parts = []
    for period in periods:
        shares = ", ".join(f"{ROLE_LABELS.get(r, r).lower()} {_percent(wide.loc[period, r])}" for r in order)
        parts.append(f"{period} : {shares}")
    fig.alt = "Barres empilées : rôle du chercheur par période. " + " ; ".join(parts) + "."
    return fig


@or_gap()
def voices_plot(voices: pd.DataFrame, title: str | None = None) -> ReportFigure:
    """Share of actors' words per stakeholder category and period, against its membership share.

    Parameters
    ----------
    voices : pandas.DataFrame
        Long format ``period, label, share, membership_share`` (shares in
        0–1; ``label`` the category or college label), in study order.
    title : str, optional
        French title.

    Returns
    -------
    ReportFigure
        One panel per category: bars for the periods, a dashed line at the
        membership share.
    """
    labels = list(dict.fromkeys(voices["label"]))
    periods = list(dict.fromkeys(voices["period"]))
    columns = 2 if len(labels) > 3 else 1
    rows = int(np.ceil(len(labels) / columns))
    with style():
        fig = ReportFigure(
            figsize=(NARROW_WIDTH, 1.4 + 1.7 * rows), dpi=STYLE["rc"]["figure.dpi"], layout="constrained"
        )
        axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, sharey=True)).ravel()
        top = float(np.nanmax(np.r_[voices["share"].to_numpy(float), voices["membership_share"].to_numpy(float)]))
        for ax, label in zip(axes, labels):
            part = voices[voices["label"] == label].set_index("period").reindex(periods)
            ax.bar(
                range(len(periods)),
                part["share"].fillna(0).to_numpy(),
                color=PALETTE[0],
                width=0.7,
                label="Part des paroles d'acteurs",
            )
            member = (
                float(part["membership_share"].dropna().iloc[0]) if part["membership_share"].notna().any() else np.nan
            )
            if np.isfinite(member):
                ax.axhline(member, color=PALETTE[5], linestyle="--", linewidth=1.6, label="Part des membres")
            ax.set_title(wrap(label, 26), fontsize=10, loc="left")
            ax.set_xticks(range(len(periods)), periods)
            ax.set_ylim(0, max(top * 1.1, 0.05))
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol="\u00a0%"))
            ax.grid(axis="x", visible=False)
        for ax in axes[len(labels) :]:
            ax.set_visible(False)
        fig.suptitle(
            title_text(title or "Qui parle ? Part des paroles d'acteurs et part des membres"),
            x=0.01,
            ha="left",
            fontweight="bold",
            fontsize=STYLE["rc"]["axes.titlesize"],
        )
        legend_below(fig, axes[0], ncol=2)
    ratio = voices.assign(r=voices["share"] / voices["membership_share"]).replace([np.inf, -np.inf], np.nan)
    extreme = ratio.dropna(subset=["r"]).sort_values("r", ascending=False)
    said = ""
    if len(extreme):
        row = extreme.iloc[0]
        said = (
            f" L'écart le plus fort : {row['label']} en {row['period']}, {_percent(row['share'])} des "
            f"paroles pour {_percent(row['membership_share'])} des membres."
        )
    fig.alt = (
        "Petits graphiques en barres, un par catégorie de parties prenantes : part des paroles "
        "d'acteurs par période (" + ", ".join(periods) + "), et en pointillé la part de la catégorie "
        "parmi les membres." + said
    )
    return fig


@or_gap()
def lexicon_plot(
    diffusion: pd.DataFrame, first_use: dict[str, str] | None = None, title: str | None = None
) -> ReportFigure:
    """Share of actors' passages using each term of the research lexicon, period by period.

    Parameters
    ----------
    diffusion : pandas.DataFrame
        Long format ``term, period, share`` (share of actors' segments
        using the term), periods in study order.
    first_use : dict, optional
        Term → period of the researcher's first use, marked by a ring.
    title : str, optional
        French title.

    Returns
    -------
    ReportFigure
    """
    terms = list(dict.fromkeys(diffusion["term"]))
    periods = list(dict.fromkeys(diffusion["period"]))
    first_use = first_use or {}
    markers = ("o", "s", "D", "^", "v", "P", "X")
    with style():
        fig = ReportFigure(figsize=(NARROW_WIDTH, 4.6), dpi=STYLE["rc"]["figure.dpi"], layout="constrained")
        ax = fig.add_subplot()
        x = np.arange(len(periods))
        for i, term in enumerate(terms):
            part = diffusion[diffusion["term"] == term].set_index("period").reindex(periods)
            colour = PALETTE[i % 6]
            ax.plot(
                x,
                part["share"].to_numpy(float),
                marker=markers[i % len(markers)],
                color=colour,
                linewidth=2,
                markersize=7,
                label=wrap(term, 28),
            )
            when = first_use.get(term)
            if isinstance(when, str) and when in periods:  # NA: the researcher never used it
                j = periods.index(when)
                value = part["share"].iloc[j]
                ax.scatter(
                    [j],
                    [0 if pd.isna(value) else value],
                    s=220,
                    facecolors="none",
                    edgecolors=colour,
                    linewidths=1.6,
                    zorder=5,
                )
        ax.set_xticks(x, periods)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _percent(v)))
        ax.set_ylabel("Part des passages d'acteurs")
        ax.set_title(title_text(title or "Les mots de la recherche dans la bouche des acteurs"))
        if first_use:
            ax.scatter(
                [],
                [],
                s=220,
                facecolors="none",
                edgecolors="black",
                linewidths=1.6,
                label="1re utilisation\npar le chercheur",
            )
        legend_below(fig, ax, ncol=2)
    last = periods[-1] if periods else ""
    ends = diffusion[diffusion["period"] == last].sort_values("share", ascending=False)
    said = " ; ".join(f"« {r['term']} » {_percent(r['share'])}" for _, r in ends.iterrows())
    fig.alt = (
        "Courbes : part des passages d'acteurs qui emploient chaque terme du lexique de la recherche, "
        f"période par période. En {last} : {said}."
    )
    return fig
