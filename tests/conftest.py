"""What the whole suite shares: the project root, the project's kernel, and how tests spread over cores.

``make test`` runs ``pytest -n auto --dist loadgroup`` (pytest-xdist). Each
test module stays on one worker (its module fixtures are built once), except
the modules listed in :data:`SPREAD`, whose tests are independent and long;
every test that reads the built example site (:mod:`report_pages`) shares one
worker, so the site is built once per run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import __main__

ROOT = Path(__file__).resolve().parents[1]

#: Modules whose tests share nothing costly: spread test by test over the workers.
SPREAD = {"test_fuzz.py", "test_calibration.py", "test_sparse_studies.py", "test_interrupt.py"}

# An xdist worker's __main__ (execnet) has no __spec__, which the spawn start method of the build's
# process pool reads: give it the value a plain « python -c » has.
if not hasattr(__main__, "__spec__"):
    __main__.__spec__ = None


def pytest_collection_modifyitems(config, items):
    """One xdist group per test module (see the module docstring), the built site's readers together."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if "example_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("example_site"))
            continue
        path = Path(str(item.fspath))
        if path.name in SPREAD:
            continue
        item.add_marker(pytest.mark.xdist_group(path.relative_to(ROOT / "tests").as_posix()))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project root (holds pyproject.toml, Makefile, reports.yml)."""
    return ROOT


@pytest.fixture(scope="session")
def rd_kernel() -> str:
    """Name of the project's Jupyter kernel, registered in this environment if missing."""
    from rd_territoriale.build.execute import KERNEL_NAME, ensure_kernel

    ensure_kernel(install=True)
    return KERNEL_NAME


@pytest.fixture(scope="session")
def example_site(tmp_path_factory, rd_kernel):
    """The example site (:func:`report_pages.build_site`): built once per session, read by every page test."""
    from report_pages import build_site

    return build_site(tmp_path_factory.mktemp("site-exemple"))


@pytest.fixture(scope="session")
def example_pages(example_site) -> dict[str, str]:
    """The example site's pages by report id, unescaped, without the planted payloads."""
    from report_pages import site_pages

    return site_pages(example_site)
