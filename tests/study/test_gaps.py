"""What a study lacks, said once (rd_territoriale.study.gaps), on the tiny study of tests/minimal_study.py."""

from __future__ import annotations

import pytest
from minimal_study import write_minimal_study

from rd_territoriale.study.gaps import GAPS, Gap, first_gap, indicators_gap, study_gaps


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from rd_territoriale import load_case

    return load_case(write_minimal_study(tmp_path_factory.mktemp("mini") / "etude"))


def test_the_tiny_study_lacks_a_second_coder_only(tiny):
    assert list(study_gaps(tiny)) == ["coders"]  # one coder (R01); two periods, units, journal, consent…


def test_first_gap_names_the_gap_that_explains_an_empty_section(tiny):
    assert first_gap(tiny, "periods", "coders") == Gap(GAPS["coders"])
    assert first_gap(tiny, "periods", "segments") is None


def test_indicators_gap_is_the_study_s_for_the_whole_study_and_the_project_s_for_a_project(tiny):
    assert indicators_gap(tiny).text == GAPS["indicators"]
    assert indicators_gap(tiny, "U1").text == GAPS["unit_indicators"]
    assert indicators_gap(tiny, "U1", "evidence").text == GAPS["evidence"]


def test_a_gap_is_text_in_html_and_markdown():
    shown = Gap("a < b & [lien](https://x.example) $x$")
    assert "&lt;" in shown._repr_html_() and "<a" not in shown._repr_html_()
    assert shown._repr_markdown_() == "*a \\< b \\& \\[lien\\](https\\://x.example) \\$x\\$*"
