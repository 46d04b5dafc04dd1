"""Multi-lane timeline of the case: projects' spans, events and period brackets.

Takes the event listing, the periods and the lanes (as returned by
:func:`rd_territoriale.analysis.events.event_listing`,
``case.study.periods`` and :func:`rd_territoriale.analysis.events.timeline_lanes`)
and returns a :class:`~rd_territoriale.figures.ReportFigure` with a French
alternative text. It never computes the listing, never reads the journal and
never writes a file.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd

from rd_territoriale.figures._style import PALETTE, ReportFigure, legend_below, new_figure, style
from rd_territoriale.french import french_month, plural_s

#: Marker of each event kind: colour (Okabe–Ito) and a shape that tells kinds
#: apart without colour. Interviews keep the colour of interviews in the other
#: figures (``SOURCE_KIND_COLOURS``).
KIND_STYLES = {
    "Comité": {"color": PALETTE[1], "marker": "s", "size": 42},
    "Événement": {"color": PALETTE[5], "marker": "*", "size": 110},
    "Atelier": {"color": PALETTE[2], "marker": "^", "size": 48},
    "Réunion": {"color": PALETTE[3], "marker": "o", "size": 38},
    "Échange informel": {"color": PALETTE[4], "marker": "v", "size": 42},
    "Note réflexive": {"color": PALETTE[7], "marker": "P", "size": 48},
    "Entretien": {"color": PALETTE[0], "marker": "D", "size": 30},
    "Entretien collectif": {"color": PALETTE[0], "marker": "h", "size": 60},
}
_FALLBACK_MARKERS = ("X", "p", "<", ">", "d", "8")

#: French plural of each kind, for the alternative text.
KIND_PLURALS = {
    "Comité": "comités",
    "Événement": "événements",
    "Atelier": "ateliers",
    "Réunion": "réunions",
    "Échange informel": "échanges informels",
    "Note réflexive": "notes réflexives",
    "Entretien": "entretiens individuels",
    "Entretien collectif": "entretiens collectifs",
}

#: Event families drawn as markers; period openings are drawn as the bands'
#: boundaries and project milestones as the ends of the bars.
MARKER_FAMILIES = ("terrain", "recherche")

BAND_COLOURS = ("#EDEDED", "#FFFFFF")
BAR_COLOUR = "#BDBDBD"
POLE_BAR_COLOUR = "#8C8C8C"
BOUNDARY_COLOUR = "#555555"
END_LABEL = "Fin de projet"
BAR_LABEL = "Projet en activité"


def period_boundaries(periods: pd.DataFrame) -> list[pd.Timestamp]:
    """Where the dashed period boundaries are drawn.

    Each period's start, and the day after its last day where no period
    follows at once (a period runs from ``start`` 00:00 to the end of
    ``end``).
    """
    p = periods.sort_values("start")
    dates = []
    for start, end in zip(p["start"], p["end"]):
        dates.extend([pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)])
    return sorted(set(dates))


def timeline(
    events: pd.DataFrame, periods: pd.DataFrame, lanes: pd.DataFrame, title: str | None = None
) -> ReportFigure:
    """Multi-lane timeline: one lane per project and one for the organisation.

    Parameters
    ----------
    events : pandas.DataFrame
        ``date, lane, kind, family`` (the event listing). Rows of family
        ``terrain`` and ``recherche`` are drawn as markers, one shape and
        colour per ``kind`` (:data:`KIND_STYLES`); period openings and
        project milestones are shown by the bands and the bars. Events on a
        lane missing from ``lanes`` are not drawn.
    periods : pandas.DataFrame
        ``id, label, start, end`` in study order: alternating light bands,
        dashed boundaries, ids and labels at the top.
    lanes : pandas.DataFrame
        ``lane, lane_label, start, end, ongoing``, top to bottom (the lane
        ``pole``, the whole organisation, is drawn darker). Each lane's span is drawn as a bar (to the end of the study when
        ``ongoing``); a project that ended is marked « Fin de projet ».
    title : str, optional
        French title; a default one is used when omitted.

    Returns
    -------
    ReportFigure
        About 8 in wide, its height growing with the number of lanes,
        legend below the plot, French :attr:`~ReportFigure.alt` text.
    """
    periods = periods.sort_values("start").reset_index(drop=True)
    lanes = lanes.reset_index(drop=True)
    boundaries = period_boundaries(periods)
    study_start, study_end = boundaries[0], boundaries[-1]
    lane_pos = {lane: i for i, lane in enumerate(lanes["lane"])}
    shown = events[events["family"].isin(MARKER_FAMILIES) & events["lane"].isin(list(lane_pos))]
    kinds = _kinds_in_order(shown["kind"])
    styles = _styles(kinds)

    height = 1.9 + 0.42 * len(lanes) + 0.25 * ((len(kinds) + 2 + 2) // 3)
    with style():
        fig, ax = new_figure(figsize=(8.0, height))
        num = mdates.date2num
        for i, row in periods.iterrows():
            ax.axvspan(
                num(row["start"]), num(row["end"] + pd.Timedelta(days=1)), color=BAND_COLOURS[i % 2], zorder=0, lw=0
            )
        for date in boundaries:
            ax.axvline(num(date), color=BOUNDARY_COLOUR, linestyle="--", linewidth=1.0, zorder=1)

        # Markers first: the legend lists the kinds of events before the bars.
        for kind in kinds:
            rows = shown[shown["kind"] == kind]
            s = styles[kind]
            ax.scatter(
                num(pd.to_datetime(rows["date"])),
                rows["lane"].map(lane_pos).to_numpy(),
                marker=s["marker"],
                s=s["size"],
                color=s["color"],
                edgecolors="white",
                linewidths=0.6,
                zorder=3,
                label=kind,
            )

        ended = []
        first_project = next((lane for lane in lanes["lane"] if lane != "pole"), None)
        for lane in lanes.itertuples():
            y = lane_pos[lane.lane]
            end = study_end if lane.ongoing or pd.isna(lane.end) else lane.end + pd.Timedelta(days=1)
            colour = POLE_BAR_COLOUR if lane.lane == "pole" else BAR_COLOUR
            ax.barh(
                y,
                num(end) - num(lane.start),
                left=num(lane.start),
                height=0.34,
                color=colour,
                zorder=2,
                label=BAR_LABEL if lane.lane == first_project else None,
            )
            if not lane.ongoing and not pd.isna(lane.end) and lane.end < study_end - pd.Timedelta(days=1):
                ended.append((num(end), y))
        if ended:
            xs, ys = zip(*ended)
            ax.scatter(xs, ys, marker="|", s=260, linewidths=2.5, color=PALETTE[7], zorder=4, label=END_LABEL)

        ax.set_yticks(range(len(lanes)), [textwrap.fill(str(t), 20) for t in lanes["lane_label"]])
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0, labelsize=10)
        if len(lanes) and lanes["lane"].iloc[0] == "pole":
            ax.get_yticklabels()[0].set_fontweight("bold")
        pad = pd.Timedelta(days=20)
        first = min(study_start, lanes["start"].min())
        ax.set_xlim(num(first - pad), num(study_end + pad))
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
        ax.tick_params(axis="x", which="minor", length=3)
        ax.tick_params(axis="x", which="major", length=6, labelsize=10)
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("")

        top = ax.secondary_xaxis("top")
        mids = [num(s + (e + pd.Timedelta(days=1) - s) / 2) for s, e in zip(periods["start"], periods["end"])]
        top.set_xticks(
            mids, [f"{p}\n" + textwrap.fill(str(label), 19) for p, label in zip(periods["id"], periods["label"])]
        )
        top.tick_params(length=0, labelsize=9)
        top.spines["top"].set_visible(False)
        ax.set_title(title or "Frise chronologique : projets, événements et périodes")

        legend_below(fig, ax, ncol=3)
    fig.alt = _alt_text(shown, periods, lanes, kinds, title)
    return fig


def _kinds_in_order(kinds: pd.Series) -> list[str]:
    """Known kinds in :data:`KIND_STYLES` order, then the others alphabetically."""
    present = set(kinds.dropna())
    known = [k for k in KIND_STYLES if k in present]
    return known + sorted(present - set(known))


def _styles(kinds: list[str]) -> dict:
    """Style of every kind, unknown kinds getting the remaining shapes."""
    out = {}
    extra = 0
    for kind in kinds:
        if kind in KIND_STYLES:
            out[kind] = KIND_STYLES[kind]
        else:
            out[kind] = {"color": PALETTE[(extra + 2) % 8], "marker": _FALLBACK_MARKERS[extra % 6], "size": 45}
            extra += 1
    return out


def _alt_text(
    shown: pd.DataFrame, periods: pd.DataFrame, lanes: pd.DataFrame, kinds: list[str], title: str | None
) -> str:
    """French alternative text: lanes, periods, projects' spans, counts of events."""
    projects = lanes[lanes["lane"] != "pole"]
    has_pole = len(projects) < len(lanes)
    years = f"de {periods['start'].min().year} à {periods['end'].max().year}"
    parts = [f"Frise chronologique{f' « {title} »' if title else ''}, {years}"]
    lane_text = []
    if has_pole:
        lane_text.append("une ligne pour le pôle")
    n = len(projects)
    if n == 1:
        lane_text.append("une ligne pour le projet")
    elif n:
        lane_text.append(f"une ligne par projet ({n} projets)")
    if lane_text:
        parts[0] += " : " + " et ".join(lane_text)
    parts[0] += "."
    spans = [f"{p.id} « {p.label} » ({french_month(p.start)} – {french_month(p.end)})" for p in periods.itertuples()]
    parts.append(
        f"{len(periods)} période{plural_s(len(periods))}, séparées par des tirets : " + " ; ".join(spans) + "."
    )
    if n:
        described = []
        for p in projects.itertuples():
            end = "en cours" if p.ongoing or pd.isna(p.end) else f"fin en {french_month(p.end)}"
            described.append(f"{p.lane_label} ({french_month(p.start)} – {end})")
        parts.append(
            f"Barre{plural_s(n)} : période d'activité "
            f"{'de chaque projet' if n > 1 else 'du projet'}, " + " ; ".join(described) + "."
        )
    if kinds:
        counts = shown["kind"].value_counts()
        listed = [f"{counts[k]} {KIND_PLURALS.get(k, k.lower()) if counts[k] > 1 else k.lower()}" for k in kinds]
        parts.append("Marqueurs : " + ", ".join(listed) + ".")
    else:
        parts.append("Aucun événement n'est marqué.")
    return " ".join(parts)
