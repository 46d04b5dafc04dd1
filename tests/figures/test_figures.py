"""Figures of the matrices, the modelled effects and the projects' trajectories.

Each figure is checked on the example case (its planted effects must show in
the figure and in its French alternative text) and on tiny frames whose
cells can be checked by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import LogNorm, TwoSlopeNorm, same_color, to_rgba

from rd_territoriale import load_case
from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.analysis.matrices import count_table, time_ordered_matrix
from rd_territoriale.analysis.models import contingency_residuals, period_effects
from rd_territoriale.analysis.signals import pressure_rates
from rd_territoriale.analysis.trajectories import feu_de_paille, unit_trajectories
from rd_territoriale.figures import ReportFigure
from rd_territoriale.figures.effects import forest_plot, signal_plot
from rd_territoriale.figures.matrices import (
    MISSING_HATCH,
    category_heatmap,
    rate_heatmap,
    residual_heatmap,
)
from rd_territoriale.figures.trajectories import (
    FLAGGED_COLOUR,
    OTHER_COLOUR,
    trajectory_plot,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
PNG = b"\x89PNG\r\n\x1a\n"
NNBSP = "\u202f"


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def labels(case):
    return code_labels(case.codebook)


@pytest.fixture(scope="module")
def matrix(case):
    return time_ordered_matrix(case)


@pytest.fixture(scope="module")
def effects(case):
    return period_effects(case)


@pytest.fixture(scope="module")
def trajectories(case):
    return unit_trajectories(case)


def assert_french_figure(fig):
    """A ReportFigure that renders to PNG, with a French alternative text and no decimal point."""
    assert isinstance(fig, ReportFigure)
    assert fig.to_png().startswith(PNG)
    alt = fig.alt
    assert alt and alt == fig.alt_text()
    assert re.search(r"\d\.\d", alt) is None, alt  # decimal comma, never a point
    french = ("de", "des", "du", "la", "le", "les", "et", "en", "par", "pour", "sans", "aux")
    assert sum(f" {w} " in alt for w in french) >= 2, alt
    for word in (" the ", " rate ", " and ", " of "):
        assert word not in alt, alt
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    texts += [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert not [t for t in texts if re.search(r"\d\.\d", t)], texts


def cell_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def hatched(ax) -> list:
    return [p for p in ax.patches if p.get_hatch() == MISSING_HATCH]


def tiny_matrix() -> pd.DataFrame:
    """2 codes × 3 periods; P3 has no interview (rate NaN)."""
    return pd.DataFrame(
        {
            "code": ["a", "a", "a", "b", "b", "b"],
            "period": ["P1", "P2", "P3"] * 2,
            "count": [3, 0, 0, 1, 1234, 0],
            "words": [2000.0, 3000.0, 0.0, 2000.0, 3000.0, 0.0],
        }
    ).assign(
        rate_per_1000_words=lambda m: np.where(
            m["words"] > 0, 1000 * m["count"] / m["words"].where(m["words"] > 0, 1), np.nan
        )
    )


class TestRateHeatmap:
    def test_example_rows_columns_and_planted_peak(self, matrix, labels):
        fig = rate_heatmap(matrix, labels=labels)
        assert_french_figure(fig)
        ax = fig.axes[0]
        assert len(ax.get_yticklabels()) == matrix["code"].nunique() == 21
        assert [t.get_text() for t in ax.get_xticklabels()] == ["P1", "P2", "P3", "P4"]
        assert "Tension sur le financement" in [t.get_text() for t in ax.get_yticklabels()]
        texts = cell_texts(fig)
        assert len(texts) == 84
        # Rates of tension_financement from the example's README: 1,29 / 0,99 / 3,77 / 1,10.
        assert {"1,29", "0,99", "3,77", "1,10"} <= set(texts)
        assert "Tension sur le financement en P3 (3,77)" in fig.alt
        assert "21 codes" in fig.alt and not hatched(ax)

    def test_tiny_cells_by_hand(self):
        fig = rate_heatmap(tiny_matrix(), labels={"a": "Code A"}, period_labels={"P1": "Début", "P2": "Suite"})
        assert_french_figure(fig)
        ax = fig.axes[0]
        # 3 / 2000 words = 1,50 ; 0 ; 1 / 2000 = 0,50 ; 1234 / 3000 = 411,33 (narrow space for thousands).
        assert cell_texts(fig) == ["1,50", "0,00", "0,50", "411,33"]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Code A", "b"]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["P1\nDébut", "P2\nSuite", "P3"]
        assert len(hatched(ax)) == 2  # P3, no interview: no value, hatched
        assert "2 cellules sans valeur (hachurées)" in fig.alt
        assert "b en P2 (411,33)" in fig.alt

    def test_counts_are_whole_with_french_thousands(self):
        fig = rate_heatmap(tiny_matrix(), value="count")
        assert cell_texts(fig) == ["3", "0", "0", "1", f"1{NNBSP}234", "0"]
        assert f"b en P2 (1{NNBSP}234)" in fig.alt

    def test_height_grows_with_rows(self, matrix):
        small = rate_heatmap(matrix[matrix["code"].isin(["cooperation", "role_flou"])])
        large = rate_heatmap(matrix)
        assert len(small.axes[0].get_yticklabels()) == 2
        assert large.get_size_inches()[1] > small.get_size_inches()[1] + 5


class TestResidualHeatmap:
    def test_example_marks_the_cells_beyond_196(self, matrix, labels):
        residuals = contingency_residuals(count_table(matrix))
        fig = residual_heatmap(residuals, labels=labels)
        assert_french_figure(fig)
        ax = fig.axes[0]
        assert len(ax.get_yticklabels()) == 21 and len(ax.get_xticklabels()) == 4
        bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
        beyond = residuals[residuals["residual"].abs() > 1.96]
        assert len(bold) == len(beyond) > 0
        assert sorted(bold) == sorted(f"{v:+.1f}".replace(".", ",").replace("-", "\u2212") for v in beyond["residual"])
        framed = [p for p in ax.patches if p.get_linewidth() == 2.0 and not p.get_fill()]
        assert len(framed) == len(beyond)
        assert "Tension sur le financement en P3 (+10,6)" in fig.alt
        assert "khi-deux" in fig.alt and "p < 0,001" in fig.alt

    def test_tiny_diverging_untested_and_marked(self):
        residuals = pd.DataFrame(
            {
                "code": ["a", "a", "b", "b"],
                "period": ["P1", "P2", "P1", "P2"],
                "observed": [9, 1, 1, 2],
                "expected": [6.0, 4.0, 1.5, 1.5],
                "residual": [2.5, -1.0, 3.0, 0.4],
                "reliable": [True, True, False, False],
            }
        )
        fig = residual_heatmap(residuals)
        assert_french_figure(fig)
        ax = fig.axes[0]
        texts = {t.get_text(): t for t in ax.texts}
        assert list(texts) == ["+2,5", "\u22121,0", "non testé"]
        assert texts["+2,5"].get_fontweight() == "bold"
        assert texts["\u22121,0"].get_fontweight() == "normal"
        # 3,0 is beyond 1,96 but its expected count is too small: not tested, not marked.
        assert len(hatched(ax)) == 2 and "+3,0" not in texts
        norm = ax.collections[0].norm
        assert isinstance(norm, TwoSlopeNorm) and norm(0.0) == pytest.approx(0.5)
        assert "1 cellule au-delà de ±1,96" in fig.alt and "b en P1" not in fig.alt
        assert "a en P1 (+2,5)" in fig.alt and "2 cellules non testées" in fig.alt

    def test_keys_other_than_code_and_period(self):
        table = pd.DataFrame(
            [[20, 5], [5, 20]],
            index=pd.Index(["x", "y"], name="categorie"),
            columns=pd.Index(["c1", "c2"], name="theme"),
        )
        fig = residual_heatmap(contingency_residuals(table))
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["x", "y"]
        assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["c1", "c2"]


class TestCategoryHeatmap:
    def test_ratio_on_a_log_scale_centred_at_one(self):
        table = pd.DataFrame({"a": [2.0, 0.5], "b": [1.0, 0.0], "c": [np.nan, np.inf]}, index=["salaries", "ess"])
        fig = category_heatmap(table, labels={"salaries": "Salariés", "a": "Code A"}, scale="ratio")
        assert_french_figure(fig)
        ax = fig.axes[0]
        # Three codes, two categories: the longer side goes down the page.
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Code A", "b", "c"]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["Salariés", "ess"]
        assert cell_texts(fig) == ["2,00", "0,50", "1,00", "0,00", "\u221e"]
        norm = ax.collections[0].norm
        assert isinstance(norm, LogNorm)
        assert norm(1.0) == pytest.approx(0.5) and norm(2.0) - 0.5 == pytest.approx(0.5 - norm(0.5))
        assert len(hatched(ax)) == 1
        assert "Code A × Salariés (2,00)" in fig.alt and "infini" in fig.alt
        assert "1 cellule sans valeur" in fig.alt

    def test_rates_kept_as_given_and_marked_cells(self):
        table = pd.DataFrame({"a": [1.25, 0.5], "b": [3.0, 0.0]}, index=["x", "y"])
        marked = pd.DataFrame({"a": [False, False], "b": [True, False]}, index=["x", "y"])
        fig = category_heatmap(table, transpose=False, marked=marked, value_label="Passages pour 1 000 mots")
        assert_french_figure(fig)
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["x", "y"]
        assert cell_texts(fig) == ["1,25", "3,00", "0,50", "0,00"]
        bold = [t.get_text() for t in fig.axes[0].texts if t.get_fontweight() == "bold"]
        assert bold == ["3,00"]
        assert "x × b (3,00)" in fig.alt and "1 cellule encadrée" in fig.alt

    def test_unknown_scale(self):
        with pytest.raises(ValueError, match="échelle inconnue"):
            category_heatmap(pd.DataFrame({"a": [1.0]}), scale="log")


def markers(fig, significant: bool) -> list:
    kind = "significatif" if significant else "non significatif"
    return [
        line
        for line in fig.axes[0].get_lines()
        if (line.get_gid() or "").startswith("irr|") and line.get_gid().endswith(f"|{kind}")
    ]


def points(lines) -> int:
    return sum(len(line.get_xdata()) for line in lines)


class TestForestPlot:
    def test_example_highlights_the_planted_rise(self, effects, labels):
        fig = forest_plot(effects, labels=labels)
        assert_french_figure(fig)
        ax = fig.axes[0]
        assert len(ax.get_yticklabels()) == 21
        filled, empty = markers(fig, True), markers(fig, False)
        assert points(filled) == int(effects["significant"].sum()) >= 1
        assert points(filled) + points(empty) == int(effects["testable"].sum()) == 63
        p3 = [line for line in filled if line.get_gid() == "irr|P3|significatif"]
        irr = effects.query("code == 'tension_financement' and period == 'P3'")["irr"].iloc[0]
        assert p3 and np.isclose(p3[0].get_xdata(), irr).sum() == 1
        significant_part = fig.alt.split("Benjamini–Hochberg : ")[1]
        # Quasi-Poisson with Student's t (issue 20): the interval is a little wider than the former z one.
        assert re.search(r"Tension sur le financement en P3 \(×2,91, IC à 95 % 2,2\d à 3,8\d\)", significant_part)
        assert "Rôle flou du pôle" not in significant_part
        bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
        assert "Tension sur le financement" in bold and "Rôle flou du pôle" not in bold

    def test_tiny_filled_open_omitted_and_french_ticks(self):
        effects = pd.DataFrame(
            {
                "code": ["a", "a", "b", "b"],
                "period": ["P2", "P3", "P2", "P3"],
                "reference": "P1",
                "irr": [2.0, 0.8, np.nan, 1.1],
                "ci_low": [1.4, 0.5, np.nan, 0.6],
                "ci_high": [2.9, 1.3, np.nan, 2.0],
                "p_adjusted": [0.001, 0.4, np.nan, 0.8],
                "testable": [True, True, False, True],
                "significant": [True, False, False, False],
            }
        )
        fig = forest_plot(effects, labels={"a": "Code A"})
        assert_french_figure(fig)
        filled, empty = markers(fig, True), markers(fig, False)
        assert points(filled) == 1 and points(empty) == 2  # the untestable row is left out
        for line in filled:
            assert same_color(line.get_markerfacecolor(), line.get_markeredgecolor())
        for line in empty:
            assert to_rgba(line.get_markerfacecolor()) == to_rgba("white")
            assert not same_color(line.get_markeredgecolor(), "white")
        ax = fig.axes[0]
        assert ax.get_xscale() == "log"
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        assert {"×0,5", "×1", "×2"} <= set(ticks)
        assert any(list(line.get_xdata()) == [1, 1] for line in ax.get_lines())  # line at ×1
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Code A", "b"]
        assert "Code A en P2 (×2,00, IC à 95 % 1,40 à 2,90)" in fig.alt
        assert "1 comparaison non estimable" in fig.alt and "à P1" in fig.alt
        assert "×2,00" in cell_texts(fig)

    def test_height_grows_with_rows(self, effects):
        few = forest_plot(effects[effects["code"] == "cooperation"])
        assert len(few.axes[0].get_yticklabels()) == 1 and points(markers(few, True) + markers(few, False)) == 3
        assert forest_plot(effects).get_size_inches()[1] > few.get_size_inches()[1] + 5

    def test_nothing_testable(self):
        effects = pd.DataFrame(
            {
                "code": ["a"],
                "period": ["P2"],
                "reference": ["P1"],
                "irr": [np.nan],
                "ci_low": [np.nan],
                "ci_high": [np.nan],
                "p_adjusted": [np.nan],
                "testable": [False],
                "significant": [False],
            }
        )
        shown = forest_plot(effects, empty="Une seule période : rien à comparer.")
        from rd_territoriale.study.gaps import Gap

        # no empty figure: the sentence saying what is missing, escaped as text
        assert isinstance(shown, Gap) and "rien à comparer" in shown._repr_html_()
        assert isinstance(forest_plot(effects), Gap)


class TestSignalPlot:
    def test_example_rates_per_period(self, case):
        fig = signal_plot(pressure_rates(case))
        assert_french_figure(fig)
        lines = [line for line in fig.axes[0].get_lines() if line.get_label().startswith(("Salariés", "Autres"))]
        assert len(lines) == 2
        assert "Salariés : 0,19 en P1, 0,20 en P2, 2,78 en P3, 1,84 en P4." in fig.alt
        assert "Écart le plus fort en P3" in fig.alt
        assert {"2,78", "1,84", "0,36"} <= set(cell_texts(fig))
        assert lines[0].get_label() == "Salariés (entretiens par période : 1, 1, 7 et 1)"

    def test_tiny_gap_where_no_interview(self):
        rates = pd.DataFrame(
            {
                "period": ["P1", "P1", "P2", "P2"],
                "group": ["Salariés", "Autres catégories"] * 2,
                "interviews": [0, 3, 2, 3],
                "words": [0.0, 9000.0, 4000.0, 9000.0],
                "count": [0, 9, 12, 9],
                "rate_per_1000_words": [np.nan, 1.0, 3.0, 1.0],
            }
        )
        fig = signal_plot(rates)
        assert_french_figure(fig)
        employees = next(line for line in fig.axes[0].get_lines() if line.get_label().startswith("Salariés"))
        assert np.isnan(employees.get_ydata()[0]) and employees.get_ydata()[1] == 3.0
        assert cell_texts(fig) == ["3,00", "1,00", "1,00"]
        assert "Écart le plus fort en P2 : salariés 3,0 fois" in fig.alt


def panels(fig) -> list:
    return [ax for ax in fig.axes if ax.axison]


class TestTrajectoryPlot:
    def test_example_nine_panels_and_the_feu_de_paille(self, trajectories):
        flags = feu_de_paille(trajectories)
        fig = trajectory_plot(trajectories, flags)
        assert_french_figure(fig)
        shown = panels(fig)
        assert len(shown) == trajectories["unit"].nunique() == 9
        lines = {
            line.get_gid().split("|")[1]: line
            for ax in shown
            for line in ax.get_lines()
            if (line.get_gid() or "").startswith("trajectoire|")
        }
        assert same_color(lines["U02"].get_color(), FLAGGED_COLOUR)
        assert all(same_color(lines[u].get_color(), OTHER_COLOUR) for u in lines if u != "U02")
        # U08 starts in P4: a gap (no point) in P1-P3, not zeros.
        assert np.isnan(lines["U08"].get_ydata()[:3]).all() and np.isfinite(lines["U08"].get_ydata()[3])
        u02 = next(ax for ax in shown if "Légumerie" in ax.get_title(loc="left"))
        assert "feu de paille" in [t.get_text() for t in u02.texts]
        assert "Projet signalé « feu de paille », Légumerie solidaire des cantines" in fig.alt
        assert "3,2 en P1" in fig.alt and "Reconditionnement numérique" in fig.alt
        assert fig.get_size_inches()[0] <= 6.5  # three panels per row fit a phone

    def test_tiny_ids_gaps_and_layout(self):
        rows = []
        for unit, values, active in (
            ("A", [5, 1], [True, True]),
            ("B", [0, 4], [False, True]),
            ("C", [2, 2], [True, True]),
            ("D", [0, 0], [False, False]),
        ):
            for period, value, on in zip(["P1", "P2"], values, active):
                rows.append(
                    {"unit": unit, "name": f"Projet {unit}", "period": period, "active": on, "journal_entries": value}
                )
        fig = trajectory_plot(pd.DataFrame(rows), flagged=["A"], value="journal_entries")
        assert_french_figure(fig)
        assert len(fig.axes) == 6 and len(panels(fig)) == 4  # 2 rows of 3, two empty slots
        line = {ln.get_gid(): ln for ax in panels(fig) for ln in ax.get_lines()}
        assert np.isnan(line["trajectoire|B"].get_ydata()[0])  # inactive: a gap, not a zero
        assert np.isnan(line["trajectoire|D"].get_ydata()).all()
        assert same_color(line["trajectoire|A"].get_color(), FLAGGED_COLOUR)
        assert "Projet A (5 en P1, 1 en P2)" in fig.alt
        assert "Projet B, Projet D" in fig.alt

    def test_no_flag(self, trajectories):
        fig = trajectory_plot(trajectories, flagged=[])
        assert "Aucun projet n'est signalé" in fig.alt
        assert not any(same_color(line.get_color(), FLAGGED_COLOUR) for ax in panels(fig) for line in ax.get_lines())


def test_no_pyplot_state():
    import matplotlib.pyplot as plt

    plt.close("all")
    rate_heatmap(tiny_matrix())
    trajectory_plot(
        pd.DataFrame({"unit": ["A"], "name": ["A"], "period": ["P1"], "active": [True], "entries_per_month": [1.0]})
    )
    assert plt.get_fignums() == []


class TestEmbedding:
    """A figure is embedded as SVG, or as a palette PNG when that is lighter (issue 16)."""

    def test_a_chart_is_svg_with_its_words_as_text_and_the_same_bytes_twice(self, case):
        from rd_territoriale.analysis.material import segments_by_source
        from rd_territoriale.figures import segments_per_period

        fig = segments_per_period(segments_by_source(case.study.periods, case.segments))
        mime, svg = fig.embedded()
        assert mime == "image/svg+xml"
        assert "text{font-family: DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif}" in svg
        assert "<metadata>" not in svg and "DOCTYPE" not in svg and "\n" not in svg
        assert "Entretiens et documents" in svg  # legend words are text, not outlines
        assert fig.to_svg() == svg  # no date, salted ids
        assert len(svg.encode()) < len(fig.to_png()) / 2

    def test_compacting_rounds_the_geometry_never_the_words(self):
        from rd_territoriale.figures import new_figure, style

        with style():
            fig, ax = new_figure()
            ax.bar(["Version 2.0.15", "x"], [1.23456, 2])
            ax.set_title("Taux 3.14159 < 4")
        svg = fig.to_svg()
        assert ">Version 2.0.15<" in svg and ">Taux 3.14159 &lt; 4<" in svg
        geometry = re.findall(r'\s(?:d|x|y|transform)="([^"]*)"', svg)
        assert geometry and not any(re.search(r"\d\.\d\d", g) for g in geometry)

    def test_a_dense_figure_falls_back_to_the_lighter_png(self):
        from rd_territoriale.figures import new_figure, style

        with style():
            fig, ax = new_figure()
            rng = np.random.default_rng(0)
            ax.scatter(rng.normal(size=6000), rng.normal(size=6000), s=2)
        mime, payload = fig.embedded()
        assert mime == "image/png"
        assert len(payload) < len(fig.to_svg().encode())


class TestStudyTextIsText:
    """Labels from a study never turn on mathtext, and never crash it (issue 15)."""

    @pytest.mark.parametrize("label", ["$x_1$", "coût en $", "$\\frac{a}{", "a < b & c > d", "50 % ^_^"])
    def test_labels_with_dollars_draw_as_written(self, label):
        from matplotlib.text import Text

        matrix = pd.DataFrame({"code": ["a", "b"], "period": ["P1", "P1"], "rate_per_1000_words": [1.0, 2.0]})
        fig = rate_heatmap(matrix, labels={"a": label, "b": "autre"}, period_labels={"P1": label})
        png = fig.to_png()  # draws: a mathtext parse error would raise here
        assert png.startswith(b"\x89PNG")
        shown = [t for t in fig.findobj(Text) if t.get_text() == label]
        assert shown and not any(t.get_parse_math() for t in shown)
        svg = fig.to_svg()  # the SVG the page embeds writes the label as escaped text
        import html

        assert f">{html.escape(label, quote=False)}<" in svg.replace("\n", "")
