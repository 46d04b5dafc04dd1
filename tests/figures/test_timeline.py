"""The multi-lane timeline figure, drawn from the example case."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.container import BarContainer

from rd_territoriale import load_case
from rd_territoriale.analysis.events import (
    INTERVIEW_KIND_LABELS,
    JOURNAL_KIND_LABELS,
    event_listing,
    timeline_lanes,
)
from rd_territoriale.figures import ReportFigure
from rd_territoriale.figures.timeline import KIND_PLURALS, KIND_STYLES, timeline

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
T = pd.Timestamp


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def events(case):
    return event_listing(case)


@pytest.fixture(scope="module")
def fig(case, events):
    return timeline(events, case.study.periods, timeline_lanes(case))


def dashed_dates(ax) -> list[pd.Timestamp]:
    dates = {
        mdates.num2date(line.get_xdata()[0]).replace(tzinfo=None) for line in ax.lines if line.get_linestyle() == "--"
    }
    return sorted(pd.Timestamp(d).round("h") for d in dates)


class TestTimeline:
    def test_is_a_report_figure_without_pyplot(self, fig):
        assert isinstance(fig, ReportFigure)
        assert "matplotlib.pyplot" not in sys.modules or not sys.modules["matplotlib.pyplot"].get_fignums()

    def test_one_lane_per_project_and_the_organisation(self, fig, case):
        ax = fig.axes[0]
        labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
        names = case.units.sort_values("start", kind="stable")["name"].tolist()
        assert labels == ["Le pôle"] + names
        bars = [c for c in ax.containers if isinstance(c, BarContainer)]
        assert sum(len(c) for c in bars) == len(case.units) + 1

    def test_u02_bar_stops_at_its_end(self, fig, case):
        ax = fig.axes[0]
        rects = [r for c in ax.containers if isinstance(c, BarContainer) for r in c]
        u02 = rects[2]  # pole, U01, U02 (lanes by start date)
        assert mdates.num2date(u02.get_x()).date() == T("2018-03-01").date()
        assert mdates.num2date(u02.get_x() + u02.get_width()).date() == T("2022-04-01").date()
        ongoing = rects[1]
        assert mdates.num2date(ongoing.get_x() + ongoing.get_width()).date() == T("2023-01-01").date()

    def test_period_boundaries_at_the_right_dates(self, fig):
        ax = fig.axes[0]
        # Each period's start, and the end of the last day of the study.
        assert dashed_dates(ax) == [T("2018-01-01"), T("2019-04-01"), T("2020-03-16"), T("2021-07-01"), T("2023-01-01")]

    def test_period_ids_and_labels_on_top(self, fig, case):
        top = fig.axes[0].child_axes[0]
        labels = [t.get_text().replace("\n", " ") for t in top.get_xticklabels()]
        periods = case.study.periods
        assert labels == [f"{p} {label}" for p, label in zip(periods["id"], periods["label"])]
        for tick, start, end in zip(top.get_xticks(), periods["start"], periods["end"]):
            assert start <= mdates.num2date(tick).replace(tzinfo=None) <= end + pd.Timedelta(days=1)

    def test_years_on_the_date_axis(self, fig):
        ax = fig.axes[0]
        fig.canvas.draw()
        low, high = ax.get_xlim()
        years = [t.get_text() for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
        assert years == ["2018", "2019", "2020", "2021", "2022", "2023"]

    def test_markers_by_kind(self, fig, events):
        ax = fig.axes[0]
        marked = events[events["family"].isin(["terrain", "recherche"])]
        drawn = {c.get_label(): len(c.get_offsets()) for c in ax.collections if not c.get_label().startswith("_")}
        expected = marked["kind"].value_counts().to_dict()
        assert {k: drawn[k] for k in expected} == expected
        assert drawn["Fin de projet"] == 1
        shapes = [KIND_STYLES[k]["marker"] for k in expected]
        assert len(set(shapes)) == len(shapes)  # distinguishable without colour

    def test_every_listed_kind_has_a_style(self):
        for label in [*JOURNAL_KIND_LABELS.values(), *INTERVIEW_KIND_LABELS.values()]:
            assert label in KIND_STYLES and label in KIND_PLURALS
        assert len({s["marker"] for s in KIND_STYLES.values()}) == len(KIND_STYLES)

    def test_legend_below(self, fig):
        assert fig.axes[0].get_legend() is None
        texts = [t.get_text() for t in fig.legends[0].get_texts()]
        assert texts[:2] == ["Comité", "Événement"]
        assert {"Entretien", "Entretien collectif", "Fin de projet", "Projet en activité"} <= set(texts)

    def test_alt_text(self, fig, case):
        alt = fig.alt_text()
        assert alt.startswith("Frise chronologique")
        for p in case.study.periods.itertuples():
            assert f"{p.id} « {p.label} »" in alt
        assert "P3 « Crise sanitaire et relance » (mars 2020 – juin 2021)" in alt
        assert "Légumerie solidaire des cantines (mars 2018 – fin en mars 2022)" in alt
        assert "62 comités, 22 événements, 47 entretiens individuels, 6 entretiens collectifs" in alt
        assert "une ligne pour le pôle et une ligne par projet (9 projets)" in alt

    def test_size_for_a_phone(self, fig, case, events):
        width, height = fig.get_size_inches()
        assert width == 8.0
        one = timeline(
            event_listing(case, unit="U02"),
            case.study.periods,
            timeline_lanes(case, unit="U02"),
            title="Légumerie solidaire des cantines",
        )
        assert one.get_size_inches()[1] < height
        assert [t.get_text().replace("\n", " ") for t in one.axes[0].get_yticklabels()] == [
            "Le pôle",
            "Légumerie solidaire des cantines",
        ]
        assert "« Légumerie solidaire des cantines »" in one.alt

    def test_png_renders(self, fig):
        png = fig.to_png()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width = int.from_bytes(png[16:20], "big")
        assert width == round(8.0 * fig.dpi * 2)
        _, metadata = fig._repr_mimebundle_()
        assert [m["alt"] for m in metadata.values()] == [fig.alt]

    def test_no_events(self, case):
        empty = event_listing(case, kinds=(), interviews=False)
        fig = timeline(empty, case.study.periods, timeline_lanes(case))
        assert "Aucun événement" in fig.alt
        assert fig.to_png().startswith(b"\x89PNG")
