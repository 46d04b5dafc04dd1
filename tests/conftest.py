"""What the whole suite shares: the project root, the project's kernel, and how tests spread over cores.

``make test`` runs ``pytest -n auto`` (pytest-xdist) with the work units of
:func:`work_unit`: each test module stays on one worker (its module fixtures
are built once), except the modules of :data:`SPREAD`, whose tests are
independent and long; the tests that read the built example site
(:data:`SITE_READERS`, the ``example_site`` fixture) share one worker, so the
site is built once per run. A new reader of the site belongs in
:data:`SITE_READERS` (the collection stops and says so otherwise). The units
of :data:`LONG_UNITS` start first, and builds run one report at a time unless
a test asks for more (:func:`pytest_configure`).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Modules whose tests share nothing costly: spread test by test over the workers.
SPREAD = {"test_fuzz.py", "test_calibration.py", "test_sparse_studies.py", "test_interrupt.py"}


def pytest_configure(config):
    """Builds run one report at a time, unless a test asks for more (``jobs=2``, ``-j 2``).

    Under ``pytest -n auto`` the test workers already keep every core busy: a build's own pool of
    workers ran no report sooner, and each of its processes imported papermill, nbconvert and the
    package again (41 workers, about 75 s of processor per run, measured with psutil). The tests of
    the pool ask for it, and the example site is built as a researcher builds it (``build_site``).
    """
    from rd_territoriale.build.pipeline import JOBS_VARIABLE

    os.environ.setdefault(JOBS_VARIABLE, "1")


def pytest_runtest_setup(item):
    """An xdist worker's ``__main__`` (execnet's) has no ``__spec__``, which the spawn start method of the
    build's process pool reads: give it the value a plain ``python -c`` has."""
    main = sys.modules.get("__main__")
    if main is not None and not hasattr(main, "__spec__"):
        main.__spec__ = None


#: Test modules and classes that read the example site: one work unit, so the site is built once.
SITE_READERS = (
    "tests/build/test_browser.py",
    "tests/build/test_build.py::TestExampleReport",
    "tests/notebooks/test_chaine_de_valeur.py",
    "tests/notebooks/test_reflexivite.py",
    "tests/notebooks/test_fiabilite.py",
)


def pytest_collection_modifyitems(config, items):
    """A test that reads the example site outside :data:`SITE_READERS` would build the site a second time."""
    strays = [
        item.nodeid
        for item in items
        if "example_site" in getattr(item, "fixturenames", ()) and not item.nodeid.startswith(SITE_READERS)
    ]
    if strays:
        raise pytest.UsageError(
            "Ces tests lisent le site d'exemple sans figurer dans SITE_READERS (tests/conftest.py) : "
            + ", ".join(strays[:5])
        )


def work_unit(nodeid: str) -> str:
    """The xdist work unit of a test: the example site, the test itself (:data:`SPREAD`), or its module."""
    if nodeid.startswith(SITE_READERS):
        return "example_site"
    module = nodeid.split("::", 1)[0]
    return nodeid if Path(module).name in SPREAD else module


#: Work units that take half a minute or more of one core (measured), started first and longest first:
#: the run then ends on short units, with both cores busy, instead of one core finishing a long one.
LONG_UNITS = (
    "example_site",
    "tests/build/test_browser_studies.py",
    "tests/notebooks/test_sparse_studies.py::test_random_small_valid_studies_build_every_report",
    "tests/privacy/test_end_to_end.py",
)


def long_units_first(units: list[str]) -> list[str]:
    """``units`` with those of :data:`LONG_UNITS` first, in its order; the others keep theirs."""
    rank = {unit: number for number, unit in enumerate(LONG_UNITS)}
    return sorted(units, key=lambda unit: rank.get(unit, len(LONG_UNITS)))


if importlib.util.find_spec("xdist") is not None:

    def pytest_xdist_make_scheduler(config, log):
        """Work units of :func:`work_unit`: the long ones first, then the largest (xdist's ``loadscope``)."""
        from collections import OrderedDict

        from xdist.scheduler import LoadScopeScheduling

        class Scheduling(LoadScopeScheduling):
            ordered = False

            def _split_scope(self, nodeid: str) -> str:
                return work_unit(nodeid)

            def _assign_work_unit(self, node) -> None:
                if not self.ordered:  # the queue is full at the first assignment
                    self.ordered = True
                    self.workqueue = OrderedDict(
                        (unit, self.workqueue[unit]) for unit in long_units_first(list(self.workqueue))
                    )
                super()._assign_work_unit(node)

        return Scheduling(config, log)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project root (holds pyproject.toml, Makefile, reports.yml)."""
    return ROOT


@pytest.fixture(scope="session")
def rd_kernel():
    """Name of the project's Jupyter kernel, registered in this environment if missing.

    It also starts one kernel template for the test process and names it in
    ``RD_TERRITORIALE_GABARIT`` (build/kernels.py): every build of the tests,
    in this process or a command it runs, forks its kernels from it instead of
    importing pandas, statsmodels and seaborn again in a template of its own
    (about 3 s of processor time, some forty builds). The tests of the
    build's own template (``test_kernels.py``, ``test_interrupt.py``) take the
    variable out of their builds' environment.
    """
    from rd_territoriale.build.execute import KERNEL_NAME, ensure_kernel
    from rd_territoriale.build.kernels import SHARED_VARIABLE, Template

    template = Template(ensure_kernel(install=True), ROOT / "notebooks").start()
    if template.address is not None:
        os.environ[SHARED_VARIABLE] = template.address
    try:
        yield KERNEL_NAME
    finally:
        os.environ.pop(SHARED_VARIABLE, None)
        template.stop()


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


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (the system's, driven by playwright), for the session; fails in French when missing."""
    from browser_checks import INSTALL_HINT, find_chromium

    from rd_territoriale.build.pdf import CHROMIUM_ARGS

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Le paquet Python « playwright » manque : pip install -e '.[dev]' (ou make test).")
    executable = find_chromium()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001
        playwright.stop()
        pytest.fail(f"Chromium ({executable}) ne démarre pas : {exc}\n{INSTALL_HINT}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``tests/artifacts/``: screenshots and axe reports of the pages that fail (emptied by the first worker)."""
    from browser_checks import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0":
        for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*-axe.json")]:
            old.unlink(missing_ok=True)
    return ARTIFACTS
