"""Study-wide analyses are computed once per study, data and code, and never served stale (issue 18)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pandas as pd
import pytest
from minimal_study import write_minimal_study

from rd_territoriale import load_case
from rd_territoriale.analysis import memo, models, roles
from rd_territoriale.analysis.memo import MEMO_DIR, per_study


@pytest.fixture
def study(tmp_path) -> Path:
    return write_minimal_study(tmp_path / "etude")


def counted(log: Path):
    """A study-wide analysis that notes each time it is really computed."""

    @per_study
    def segments_per_period(case, period=None):
        with open(log, "a", encoding="utf-8") as stream:
            stream.write("calcul\n")
        counts = case.segments.groupby("period").size().rename("segments").reset_index()
        return counts[counts["period"] == period] if isinstance(period, str) else counts

    return segments_per_period


def computations(log: Path) -> int:
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def entries(study: Path) -> list[Path]:
    return sorted((study / MEMO_DIR).glob("*/*.pickle"))


def test_a_result_is_computed_once_then_read_by_any_later_load(study, tmp_path):
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    first = analysis(load_case(study))
    again = analysis(load_case(study))  # another report: another load of the same study
    assert computations(log) == 1
    pd.testing.assert_frame_equal(first, again)
    assert first is not again  # each caller gets its own copy to change
    assert len(entries(study)) == 1


def test_other_arguments_are_other_entries(study, tmp_path):
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    case = load_case(study)
    analysis(case, period="P1")
    analysis(case, period="P2")
    analysis(case, "P1")  # the same value given by position is another call: computed, never confused
    assert computations(log) == 3
    assert analysis(case, period="P2")["period"].tolist() == ["P2"]
    assert computations(log) == 3


def test_changed_data_are_computed_again_and_the_old_entries_removed(study, tmp_path):
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    analysis(load_case(study))
    old = entries(study)
    segments = study / "segments.csv"
    rows = segments.read_text(encoding="utf-8").splitlines()
    segments.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")  # one segment fewer
    fewer = analysis(load_case(study))
    assert computations(log) == 2
    assert fewer["segments"].sum() == len(rows) - 2
    assert not any(p.exists() for p in old) and len(entries(study)) == 1


def test_a_case_changed_after_loading_gets_its_own_result(study, tmp_path):
    """A notebook that keeps one period of ``case.segments`` must not be served the whole study's result."""
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    whole = analysis(load_case(study))
    case = load_case(study)
    case.segments = case.segments[case.segments["period"] == "P1"]
    part = analysis(case)
    assert computations(log) == 2
    assert part["period"].tolist() == ["P1"] and whole["period"].tolist() == ["P1", "P2"]
    case.segments.loc[case.segments.index[0], "code"] = "autre"  # changed in place
    analysis(case)
    assert computations(log) == 3


def test_changed_code_is_computed_again(study, tmp_path, monkeypatch):
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    analysis(load_case(study))
    monkeypatch.setattr(memo, "code_fingerprint", lambda: "un autre code")
    memo._environment_key.cache_clear()
    try:
        analysis(load_case(study))
    finally:
        memo._environment_key.cache_clear()
    assert computations(log) == 2


def test_cases_made_in_memory_and_odd_arguments_are_never_kept(study, tmp_path):
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    uncached = load_case(study, cache=False)
    analysis(uncached)
    analysis(uncached)
    cached = load_case(study)
    analysis(cached, period=object())  # not a plain value: no key can be trusted for it
    analysis(cached, period=object())
    assert computations(log) == 4
    assert entries(study) == []


def test_two_processes_asking_at_once_compute_once(study, tmp_path):
    log = tmp_path / "calculs.txt"

    @per_study
    def slow(case):
        with open(log, "a", encoding="utf-8") as stream:
            stream.write("calcul\n")
        time.sleep(1.0)
        return case.segments["period"].value_counts().sort_index()

    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=slow, args=(load_case(study),)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [w.exitcode for w in workers] == [0, 0]
    assert computations(log) == 1


def test_a_folder_that_cannot_be_written_only_costs_the_saving(study, tmp_path):
    log = tmp_path / "calculs.txt"
    analysis = counted(log)
    case = load_case(study)
    (study / "processed").mkdir(exist_ok=True)
    (study / MEMO_DIR).write_text("un fichier à la place du dossier", encoding="utf-8")
    assert analysis(case)["segments"].sum() > 0
    assert analysis(case)["segments"].sum() > 0
    assert computations(log) == 2


def test_the_memoised_analyses_give_what_they_compute(study):
    case = load_case(study)
    pd.testing.assert_frame_equal(models.successive_effects(case), models.successive_effects.computed(case))
    pd.testing.assert_frame_equal(models.successive_effects(case), models.successive_effects.computed(case))
    whole = roles._whole_study.computed(case, None)
    for period in ("P1", "P2"):
        expected = whole[whole["period"] == period].reset_index(drop=True)
        pd.testing.assert_frame_equal(roles.role_ordered_matrix(case, period=period), expected)
    assert {p.name.split("-")[0] for p in entries(study)} == {"successive_effects", "_whole_study"}
