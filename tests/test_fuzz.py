"""No traceback for any input (issue 15): 200 seeded damaged copies of the example, located French answers only.

Each copy has one to three of its files damaged (:mod:`mutations`: lines
dropped or duplicated, truncation, garbage cells, shuffled headers,
re-encoding, random bytes, odd YAML shapes). ``load_case`` must either load
the study (when it is valid) or raise :class:`~rd_territoriale.errors.ValidationError`
with the problems ``validate_study`` found, each naming its file: any other
exception fails the test, with the seed that reproduces it.
``benchmarks/fuzz.py`` runs 2,000 of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mutations import mutate

from rd_territoriale.errors import ValidationError

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "exemple"
#: 200 seeds, plus those with which benchmarks/fuzz.py once found an exception (kept as regressions).
SEEDS = [*range(200), 1071, 1478]


def check_one(seed: int, folder: Path) -> str | None:
    """The unexpected exception a damaged copy raises, or ``None`` (what happened, with the seed).

    ``load_case`` validates the study (``validate_study``) before it reads
    anything: one call covers both, and the study is read once, as a
    researcher's notebook reads it.
    """
    from rd_territoriale import load_case

    what = mutate(EXAMPLE, folder, seed)
    try:
        load_case(folder)
    except ValidationError as error:
        unlocated = [str(problem) for problem in error.problems if not (problem.file and problem.message())]
        if not error.problems or unlocated:
            return f"{what} : problème sans fichier ni message : {unlocated or 'aucun problème listé'}"
    except Exception as exc:  # noqa: BLE001 — what the test is looking for
        return f"{what} : {type(exc).__name__} : {exc}"
    return None


#: Blocks of seeds, each a test that xdist may give to either core: small enough that the
#: suite does not end with one core idle while the other finishes a long block.
BLOCKS = 8


@pytest.mark.parametrize("block", range(BLOCKS))
def test_damaged_studies_get_located_problems_never_an_exception(tmp_path, block):
    failures = [f for seed in SEEDS[block::BLOCKS] if (f := check_one(seed, tmp_path / "etude")) is not None]
    assert not failures, "\n".join(failures)


EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "external"
EXPORTS = [EXTERNAL / "taguette-swj2022" / "tags" / "all_tags_20220303.csv", EXTERNAL / "qc-demo" / "demo.qdpx"]


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="données externes absentes (../shared/data/external)")
def test_damaged_qda_exports_are_refused_in_french_never_as_a_bug(tmp_path, capsys):
    """A damaged Taguette export or REFI-QDA archive: a French refusal (status 1), never status 3 (a bug)."""
    from mutations import damage_file

    from rd_territoriale.cli import main
    from rd_territoriale.study.skeleton import write_skeleton

    failures = []
    for seed in range(40):
        source = EXPORTS[seed % 2]
        folder = tmp_path / f"etude-{seed}"
        write_skeleton(folder, year=2021)
        damaged = tmp_path / f"{seed}-{source.name}"
        what = damage_file(source, damaged, seed)
        code = main(["import", str(damaged), "--into", str(folder), "--date", "2021-11-30", "--repondants", "salaries"])
        err = capsys.readouterr().err
        if code not in (0, 1) or "Traceback" in err:
            failures.append(f"{what} : code {code} : {err.strip().splitlines()[0] if err.strip() else ''}")
    assert not failures, "\n".join(failures)
