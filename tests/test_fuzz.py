"""No traceback for any input (issue 15): 200 seeded damaged copies of the example, located French answers only.

Each copy has one to three of its files damaged (:mod:`mutations`: lines
dropped or duplicated, truncation, garbage cells, shuffled headers,
re-encoding, random bytes, odd YAML shapes). ``validate_study`` must return
its problems, each naming its file, and ``load_case`` must either load the
study (when it is valid) or raise :class:`~rd_territoriale.errors.ValidationError`:
any other exception fails the test, with the seed that reproduces it.
``benchmarks/fuzz.py`` runs 2,000 of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mutations import mutate
from rd_territoriale.errors import ValidationError
from rd_territoriale.schema import validate_study

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "exemple"
SEEDS = range(200)


def check_one(seed: int, folder: Path) -> str | None:
    """The unexpected exception a damaged copy raises, or ``None`` (what happened, with the seed)."""
    from rd_territoriale import load_case

    what = mutate(EXAMPLE, folder, seed)
    try:
        result = validate_study(folder)
        for problem in result.problems:
            assert problem.file and problem.message(), problem
        if result.ok:
            load_case(folder)
        else:
            try:
                load_case(folder)
            except ValidationError:
                pass
            else:
                return f"{what} : load_case accepte une étude invalide"
    except Exception as exc:  # noqa: BLE001 — what the test is looking for
        return f"{what} : {type(exc).__name__} : {exc}"
    return None


@pytest.mark.parametrize("block", range(4))
def test_damaged_studies_get_located_problems_never_an_exception(tmp_path, block):
    failures = [f for seed in SEEDS[block::4] if (f := check_one(seed, tmp_path / "etude")) is not None]
    assert not failures, "\n".join(failures)
