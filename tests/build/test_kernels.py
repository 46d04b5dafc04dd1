"""Report kernels forked from one warm template stay isolated (issue 18).

One real ``rd-territoriale build -j 1`` runs, one after the other on the
same template, a report that changes every kind of state a notebook can
change (a module global, a registered module, ``rcParams``, a warnings
filter, the working directory, the environment, ``sys.path``, the random
state), then a report that looks for each trace. A third report does both
in one kernel: it must find every trace, or the check proves nothing. In
the same build a kernel dies, then a kernel kills the template: each time
the next report is built all the same, and nothing is left running.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from report_pages import cli_command, environment_without

POLLUTE = """\
import os, sys, types, warnings
import matplotlib
import numpy as np
import rd_territoriale.french as french

matplotlib.rcParams["figure.dpi"] = 17
warnings.simplefilter("error")
os.chdir("/")
os.environ["RDT_SALI"] = "oui"
french.RDT_SALI = "oui"
sys.modules["rdt_sali"] = types.ModuleType("rdt_sali")
sys.path.insert(0, "/rdt-sali")
np.random.seed(7)
"""

CHECK = """\
import os, sys, warnings
from pathlib import Path
import matplotlib
import numpy as np
import psutil
import rd_territoriale.french as french
from IPython.display import Markdown, display

traces = []
if matplotlib.rcParams["figure.dpi"] == 17:
    traces.append("rcParams")
if warnings.filters and warnings.filters[0][0] == "error" and warnings.filters[0][2] is Warning:
    traces.append("avertissements")
if Path.cwd().name != "notebooks":
    traces.append("dossier")
if os.environ.get("RDT_SALI"):
    traces.append("environnement")
if hasattr(french, "RDT_SALI"):
    traces.append("globale")
if "rdt_sali" in sys.modules:
    traces.append("modules")
if "/rdt-sali" in sys.path:
    traces.append("chemin")
if np.array_equal(np.random.get_state()[1], np.random.RandomState(7).get_state()[1]):
    traces.append("hasard")
kernel = "gabarit" if "rd_territoriale.build.template" in " ".join(psutil.Process().parent().cmdline()) else "neuf"
display(Markdown(f"Traces : {', '.join(traces) or 'aucune'}. Noyau : {kernel}."))
"""

PARENT = """\
import psutil
from IPython.display import Markdown, display
display(Markdown(f"Parent : {psutil.Process().parent().pid}."))
"""

DIE = "import os\nos._exit(1)"
KILL_TEMPLATE = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"

NOTEBOOKS = {
    "salir": [POLLUTE],
    "verifier": [CHECK],
    "salir_et_verifier": [POLLUTE, CHECK],
    "mourir": [DIE],
    "tuer_gabarit": [KILL_TEMPLATE],
    "parent": [PARENT],
}

#: In build order (``-j 1``): the check follows the polluter, on the same template.
REPORTS = [
    ("salir", "salir"),
    ("verifier", "verifier"),
    ("salir-et-verifier", "salir_et_verifier"),
    ("mourir", "mourir"),
    ("apres-mort", "verifier"),
    ("tuer-gabarit", "tuer_gabarit"),
    ("apres-gabarit", "verifier"),
]


def make_project(root: Path, reports: list[tuple[str, str]] = REPORTS) -> Path:
    (root / "notebooks").mkdir(parents=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(
            cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), *(new_code_cell(c) for c in cells)]
        )
        nb.metadata["kernelspec"] = {"name": "rd-territoriale", "display_name": "rd", "language": "python"}
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
    lines = [f"  - {{id: {rid}, title: {rid}, notebook: notebooks/{nb}.ipynb}}" for rid, nb in reports]
    (root / "reports.yml").write_text("reports:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return root


def left_running(root: Path) -> list[psutil.Process]:
    """Processes still working in this project (the template and its kernels start in ``notebooks/``)."""
    found = []
    for proc in psutil.process_iter(["cwd"]):
        cwd = proc.info.get("cwd") or ""
        if cwd.startswith(str(root)):
            found.append(proc)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory, rd_kernel):
    root = make_project(tmp_path_factory.mktemp("noyaux"))
    return root, run_build(root, "-j", "1")


def run_build(root: Path, *options: str, template: str | None = None) -> subprocess.CompletedProcess:
    """``rd-territoriale build`` on ``root``: with a template of its own (not the suite's shared one, see
    conftest), or with the running ``template`` named in ``RD_TERRITORIALE_GABARIT``."""
    from rd_territoriale.build.kernels import SHARED_VARIABLE

    env = environment_without(SHARED_VARIABLE)
    if template is not None:
        env[SHARED_VARIABLE] = template
    return subprocess.run(
        [*cli_command(), "build", "--root", str(root), *options],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env=env,
    )


def said(root: Path, report: str) -> str:
    page = (root / "reports" / f"{report}.html").read_text(encoding="utf-8")
    start = page.index("Traces :")
    return page[start : page.index(".</p>", start) + 1] if ".</p>" in page[start:] else page[start : start + 200]


def test_a_report_leaves_no_trace_in_the_next_one(built):
    root, result = built
    assert said(root, "verifier") == "Traces : aucune. Noyau : gabarit."


def test_the_check_finds_every_trace_in_one_kernel(built):
    """The control: polluting and checking in one kernel shows all eight traces."""
    root, result = built
    assert said(root, "salir-et-verifier") == (
        "Traces : rcParams, avertissements, dossier, environnement, globale, modules, chemin, hasard. Noyau : gabarit."
    )


def test_a_dead_kernel_fails_its_report_and_the_next_report_is_built(built):
    root, result = built
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 rapport(s) en échec : mourir" in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (root / "reports" / "mourir.html").exists()
    assert said(root, "apres-mort") == "Traces : aucune. Noyau : gabarit."


def test_a_killed_template_is_started_again(built):
    root, result = built
    assert (root / "reports" / "tuer-gabarit.html").exists() or "tuer-gabarit" in result.stderr
    assert said(root, "apres-gabarit") == "Traces : aucune. Noyau : gabarit."


def test_nothing_is_left_running(built):
    root, _ = built
    deadline = time.monotonic() + 3
    while left_running(root) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left_running(root)


def test_an_unreachable_template_gives_a_fresh_kernel(tmp_path, rd_kernel):
    from rd_territoriale.build.execute import execute_notebook

    root = make_project(tmp_path)
    executed = execute_notebook(
        root / "notebooks" / "verifier.ipynb", tmp_path / "sortie.ipynb", template=str(tmp_path / "absent.sock")
    )
    shown = executed.cells[-1].outputs[0]["data"]["text/markdown"]
    assert shown == "Traces : aucune. Noyau : neuf."


def test_a_template_that_keeps_dying_is_started_again_three_times_then_left(tmp_path, rd_kernel):
    from rd_territoriale.build.execute import ensure_kernel
    from rd_territoriale.build.kernels import REVIVALS, Template

    template = Template(ensure_kernel(), tmp_path).start()
    try:
        assert template.address is not None
        for expected in [*range(1, REVIVALS + 1), REVIVALS]:
            template.process.kill()
            template.process.wait()
            template.revive()
            assert template.revivals == expected
        assert template.address is None  # left dead: the remaining reports get fresh kernels
    finally:
        template.stop()


def test_a_build_forks_from_the_running_template_it_is_named_and_leaves_it_running(tmp_path, rd_kernel):
    """``RD_TERRITORIALE_GABARIT``: the build's kernels are this template's children, and it still runs after."""
    from rd_territoriale.build.execute import ensure_kernel
    from rd_territoriale.build.kernels import Template

    root = make_project(tmp_path / "projet", reports=[("parent", "parent"), ("verifier", "verifier")])
    template = Template(ensure_kernel(), tmp_path).start()
    try:
        assert template.address is not None
        result = run_build(root, "-j", "1", template=template.address)
        assert result.returncode == 0, result.stdout + result.stderr
        page = (root / "reports" / "parent.html").read_text(encoding="utf-8")
        assert f"Parent : {template.process.pid}." in page
        assert said(root, "verifier") == "Traces : aucune. Noyau : gabarit."
        assert template.process.poll() is None and template.address is not None
    finally:
        template.stop()


def test_a_named_template_that_is_gone_gives_fresh_kernels(tmp_path, rd_kernel):
    root = make_project(tmp_path / "projet", reports=[("verifier", "verifier")])
    result = run_build(root, template=str(tmp_path / "parti.sock"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert said(root, "verifier") == "Traces : aucune. Noyau : neuf."
