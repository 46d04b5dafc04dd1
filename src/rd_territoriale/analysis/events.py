"""Event listing and timeline lanes of the case (Miles, Huberman & Saldaña).

Takes a loaded :class:`~rd_territoriale.study.case.Case` and returns the
chronological list of what happened in the field and in the research:

- the opening event of each period (``study.yml``: the discontinuities of the
  temporal bracketing), on the lane of the whole organisation (« Le pôle ») ;
- each project's start and end (``units`` table), on the project's lane ;
- field events from the journal: by default committees and events
  (``comité``, ``événement``), the moments that mark a project's or the
  organisation's course; workshops and meetings (``atelier``, ``réunion``)
  are routine work and are listed only when asked for (``kinds``) ;
- interviews (``entretien``, ``entretien collectif``), as research moments.

It also gives the lanes of a multi-lane timeline: the organisation over the
study, each project over its active span (:func:`timeline_lanes`).

A journal entry is described from its kind, its number of participants and
their stakeholder categories, never from its text (a field note may not be
quotable); an interview from its kind and the respondent's category, never
from the respondent's id or the document title. A number of participants
under the study's ``min_cell_size`` is given as « moins de N participants ».

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from rd_territoriale.analysis.material import select_periods, select_units
from rd_territoriale.french import plural_s
from rd_territoriale.study.contract import INTERVIEW_KINDS, JOURNAL_KINDS
from rd_territoriale.study.definition import assign_periods

#: Lane id and label of the whole organisation (the meta-organisation).
POLE_LANE = "pole"
POLE_LABEL = "Le pôle"

#: Journal kinds listed by default: the moments that mark a course, not routine work.
DEFAULT_KINDS = ("comité", "événement")

#: French labels of the event kinds (the ``kind`` column of the listing).
OPENING_KIND = "Ouverture de période"
START_KIND = "Lancement de projet"
END_KIND = "Fin de projet"
JOURNAL_KIND_LABELS = {
    "réunion": "Réunion",
    "atelier": "Atelier",
    "comité": "Comité",
    "événement": "Événement",
    "informel": "Échange informel",
    "note réflexive": "Note réflexive",
}
INTERVIEW_KIND_LABELS = {
    "entretien": "Entretien",
    "entretien collectif": "Entretien collectif",
}

#: What a row is: a period bracket, a project milestone, a field event, a research moment.
FAMILIES = ("période", "projet", "terrain", "recherche")

COLUMNS = ["date", "period", "period_label", "lane", "lane_label", "kind", "family", "description", "source"]
LANE_COLUMNS = ["lane", "lane_label", "start", "end", "ongoing"]

# Order of rows that share a date: the bracket first, a project's end last.
_SAME_DAY_ORDER = {OPENING_KIND: 0, START_KIND: 1, END_KIND: 4}
_FAMILY_ORDER = {"terrain": 2, "recherche": 3}


def timeline_lanes(case, unit: str | None = None) -> pd.DataFrame:
    """The lanes of the case's timeline, each with its active span.

    Parameters
    ----------
    case : Case
        A loaded case (``study.periods``, ``units``).
    unit : str, optional
        Keep only this project's lane (and the organisation's).

    Returns
    -------
    pandas.DataFrame
        One row per lane, top to bottom: the organisation first (``lane`` =
        ``pole``, « Le pôle », spanning the study from the first period's
        start to the last period's end), then the projects by start date.
        Columns ``lane, lane_label, start, end, ongoing``; a project still
        running has ``end`` = ``NaT`` and ``ongoing`` = ``True``.

    Raises
    ------
    ValueError
        In French, when ``unit`` is not a project of the study.
    """
    periods = case.study.periods
    units = select_units(case.units, unit)
    units = units.sort_values("start", kind="stable")
    pole = pd.DataFrame(
        {
            "lane": [POLE_LANE],
            "lane_label": [POLE_LABEL],
            "start": [periods["start"].min()],
            "end": [periods["end"].max()],
            "ongoing": [False],
        }
    )
    projects = pd.DataFrame(
        {
            "lane": units["id"].astype("string"),
            "lane_label": units["name"].astype("string"),
            "start": units["start"],
            "end": units["end"],
            "ongoing": units["end"].isna(),
        }
    )
    out = pd.concat([pole, projects], ignore_index=True) if len(projects) else pole
    out["lane"] = out["lane"].astype("string")
    out["lane_label"] = out["lane_label"].astype("string")
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out["ongoing"] = out["ongoing"].astype(bool)
    return out[LANE_COLUMNS]


def event_listing(
    case,
    unit: str | None = None,
    period: str | None = None,
    kinds: Iterable[str] = DEFAULT_KINDS,
    interviews: bool = True,
) -> pd.DataFrame:
    """The chronological listing of the events of the case.

    Parameters
    ----------
    case : Case
        A loaded case (``study``, ``units``, ``journal``, ``documents``,
        ``people``).
    unit : str, optional
        Keep only this project's events; the period openings, which bracket
        every project, are kept too.
    period : str, optional
        Keep only the events dated in this period.
    kinds : iterable of str
        Journal kinds to list (``contract.JOURNAL_KINDS``); committees and
        events by default. Pass ``JOURNAL_KINDS`` for every entry, ``()``
        for none.
    interviews : bool
        Whether to list the interviews (``entretien``, ``entretien
        collectif``) as research moments.

    Returns
    -------
    pandas.DataFrame
        One row per event, sorted by date (on a same day: period opening,
        project start, field events, interviews, project end; then lane
        order as in :func:`timeline_lanes`; then source id). Columns:

        ``date``
            ``datetime64``.
        ``period``, ``period_label``
            The period that holds the date (``<NA>`` outside the study).
        ``lane``, ``lane_label``
            The project's id and name, or ``pole`` / « Le pôle » for the
            period openings and for what concerns the whole organisation.
        ``kind``
            French label: « Ouverture de période », « Lancement de projet »,
            « Fin de projet », « Comité », « Événement », « Atelier »,
            « Réunion », « Échange informel », « Note réflexive »,
            « Entretien », « Entretien collectif ».
        ``family``
            ``période``, ``projet``, ``terrain`` (journal) or ``recherche``
            (interviews).
        ``description``
            Short French text: the opening event; « Lancement du projet » /
            « Fin du projet »; for a journal entry its kind, number of
            participants and their categories; for an interview its kind
            and the respondent's category. Never the journal text.
        ``source``
            The journal entry's or document's id, ``<NA>`` for period
            openings and project milestones.

    Raises
    ------
    ValueError
        In French, for an unknown project, period or journal kind.

    Examples
    --------
    >>> events = event_listing(case, kinds=("comité", "événement", "atelier"))  # doctest: +SKIP
    >>> event_listing(case, unit="U02", period="P4")  # doctest: +SKIP
    """
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in JOURNAL_KINDS]
    if unknown:
        raise ValueError(
            f"type d'entrée de journal inconnu : « {unknown[0]} » ; types possibles : {', '.join(JOURNAL_KINDS)}."
        )
    periods = case.study.periods
    select_periods(periods, period)  # a French error for an unknown period
    select_units(case.units, unit)
    lanes = timeline_lanes(case)
    names = dict(zip(lanes["lane"], lanes["lane_label"]))
    categories = dict(zip(case.study.categories["id"], case.study.categories["label"]))
    order = list(case.study.categories["id"])

    frames = [
        _openings(periods),
        _milestones(case.units),
        _journal_events(case.journal, kinds, categories, order, case.study.min_cell_size),
    ]
    if interviews:
        frames.append(_interviews(case.documents, case.people, categories))
    events = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    events["date"] = pd.to_datetime(events["date"]).astype("datetime64[ns]")
    events["period"] = assign_periods(events["date"], periods)
    labels = dict(zip(periods["id"], periods["label"]))
    events["period_label"] = events["period"].map(labels).astype("string")
    events["lane_label"] = events["lane"].map(names).astype("string")

    if unit is not None:
        events = events[(events["lane"] == unit) | (events["kind"] == OPENING_KIND)]
    if period is not None:
        events = events[events["period"] == period]

    lane_rank = {lane: i for i, lane in enumerate(lanes["lane"])}
    events = events.assign(
        _day=events["kind"].map(_SAME_DAY_ORDER).fillna(events["family"].map(_FAMILY_ORDER)),
        _lane=events["lane"].map(lane_rank),
    )
    events = events.sort_values(["date", "_day", "_lane", "source"], kind="stable", na_position="first")
    out = events[COLUMNS].reset_index(drop=True)
    for col in COLUMNS[1:]:
        out[col] = out[col].astype("string")
    return out


def _openings(periods: pd.DataFrame) -> pd.DataFrame:
    """One row per period: its start, described by its opening event."""
    fallback = "Début de la période " + periods["id"].astype(str) + " « " + periods["label"].astype(str) + " »"
    return pd.DataFrame(
        {
            "date": periods["start"].to_numpy(),
            "lane": POLE_LANE,
            "kind": OPENING_KIND,
            "family": "période",
            "description": periods["opening_event"].astype("string").fillna(fallback).to_numpy(),
            "source": pd.NA,
        }
    )


def _milestones(units: pd.DataFrame) -> pd.DataFrame:
    """Each project's start and, when it has one, its end."""
    starts = pd.DataFrame(
        {
            "date": units["start"].to_numpy(),
            "lane": units["id"].to_numpy(),
            "kind": START_KIND,
            "family": "projet",
            "description": "Lancement du projet",
            "source": pd.NA,
        }
    )
    ended = units[units["end"].notna()]
    ends = pd.DataFrame(
        {
            "date": ended["end"].to_numpy(),
            "lane": ended["id"].to_numpy(),
            "kind": END_KIND,
            "family": "projet",
            "description": "Fin du projet",
            "source": pd.NA,
        }
    )
    return pd.concat([starts, ends], ignore_index=True)


def _participants_text(n, categories: list[str], min_cell_size: int) -> str:
    """« 12 participants (Salariés, Entreprises) », never an exact count under the threshold."""
    parts = []
    if not pd.isna(n):
        n = int(n)
        if n < min_cell_size:
            parts.append(f"moins de {min_cell_size} participants")
        else:
            parts.append(f"{n} participant{plural_s(n)}")
    if categories:
        listed = ", ".join(categories)
        parts.append(f"({listed})" if parts else f"participants : {listed}")
    return " ".join(parts)


def _journal_events(
    journal: pd.DataFrame, kinds: tuple[str, ...], categories: dict, order: list[str], min_cell_size: int
) -> pd.DataFrame:
    """The journal entries of the chosen kinds, described without their text."""
    chosen = journal[journal["kind"].isin(list(kinds))]
    rank = {c: i for i, c in enumerate(order)}
    descriptions = []
    for entry in chosen.itertuples():
        present = entry.participants if isinstance(entry.participants, (list, tuple)) else []
        present = sorted(dict.fromkeys(present), key=lambda c: rank.get(c, len(rank)))
        if len(order) > 1 and set(present) >= set(order):
            labels = ["toutes les catégories"]
        else:
            labels = [categories.get(c, c) for c in present]
        who = _participants_text(entry.n_participants, labels, min_cell_size)
        kind = JOURNAL_KIND_LABELS[entry.kind]
        descriptions.append(f"{kind}, {who}" if who else kind)
    return pd.DataFrame(
        {
            "date": chosen["date"].to_numpy(),
            "lane": chosen["unit"].astype("string").fillna(POLE_LANE).to_numpy(),
            "kind": chosen["kind"].map(JOURNAL_KIND_LABELS).to_numpy(),
            "family": "terrain",
            "description": descriptions,
            "source": chosen["id"].to_numpy(),
        }
    )


def _interviews(documents: pd.DataFrame, people: pd.DataFrame, categories: dict) -> pd.DataFrame:
    """The interviews, described by kind and the respondent's category (never the person)."""
    chosen = documents[documents["kind"].isin(list(INTERVIEW_KINDS))]
    category = chosen["respondent"].map(people.set_index("id")["category"]).map(categories)
    kind = chosen["kind"].map(INTERVIEW_KIND_LABELS)
    description = (kind + " (" + category.astype("string") + ")").fillna(kind)
    return pd.DataFrame(
        {
            "date": chosen["date"].to_numpy(),
            "lane": chosen["unit"].astype("string").fillna(POLE_LANE).to_numpy(),
            "kind": kind.to_numpy(),
            "family": "recherche",
            "description": description.to_numpy(),
            "source": chosen["id"].to_numpy(),
        }
    )
