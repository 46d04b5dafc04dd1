"""Ctrl-C and SIGTERM stop a real build at once, leave no kernel and no partial page (issue 15).

A real ``rd-territoriale build`` runs in a subprocess over a project whose
reports sleep; once two kernels are busy, the signal is sent to the
build's process group (as a terminal's Ctrl-C is). Within 3 s the build
must be gone, with status 130 (143 for SIGTERM), every kernel it started
must be gone too, ``reports/`` must hold only complete pages, and the next
build must build only what is missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from report_pages import environment_without

MANIFEST = """\
reports:
  - {id: rapide-a, title: Rapide A, notebook: notebooks/attente.ipynb, parameters: {attente: 0}}
  - {id: rapide-b, title: Rapide B, notebook: notebooks/attente.ipynb, parameters: {attente: 0}}
  - {id: lent-1, title: Lent 1, notebook: notebooks/attente.ipynb}
  - {id: lent-2, title: Lent 2, notebook: notebooks/attente.ipynb}
  - {id: lent-3, title: Lent 3, notebook: notebooks/attente.ipynb}
  - {id: lent-4, title: Lent 4, notebook: notebooks/attente.ipynb}
"""


def make_project(root: Path) -> Path:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Attente"),
            new_code_cell("attente = 120", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import os, time\ntime.sleep(float(os.environ.get('RDT_TEST_ATTENTE', attente)))\n"
                "from IPython.display import Markdown\nMarkdown('## Fini')"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "rd-territoriale",
        "display_name": "Python (rd-territoriale)",
        "language": "python",
    }
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(nb, root / "notebooks" / "attente.ipynb")
    (root / "reports.yml").write_text(MANIFEST, encoding="utf-8")
    return root


def cli(root: Path) -> list[str]:
    script = Path(sys.executable).with_name("rd-territoriale")
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "rd_territoriale.cli"]
    return [*base, "build", "--root", str(root), "-j", "2"]


TEMPLATE = "rd_territoriale.build.template"


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def kernels_of(process: psutil.Process) -> list[psutil.Process]:
    """The build's kernels: forked by its kernel template, or started as ``ipykernel_launcher``."""
    found = []
    for child in process.children(recursive=True):
        try:
            forked = TEMPLATE in _command(child.parent())
        except psutil.Error:
            continue
        if forked or "ipykernel_launcher" in _command(child):
            found.append(child)
    return found


def templates_of(process: psutil.Process) -> list[psutil.Process]:
    """The build's kernel template (its forked kernels carry the same command line)."""
    kernels = {k.pid for k in kernels_of(process)}
    return [c for c in process.children(recursive=True) if TEMPLATE in _command(c) and c.pid not in kernels]


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_build_cleanly_and_the_next_build_does_what_is_missing(tmp_path, rd_kernel, sig, status):
    root = make_project(tmp_path)
    from rd_territoriale.build.kernels import SHARED_VARIABLE

    # The build's own template (not the suite's shared one): it must be gone with the build.
    env = {**environment_without(SHARED_VARIABLE), "CI": "1"}
    build = subprocess.Popen(
        cli(root), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    main = psutil.Process(build.pid)
    deadline = time.monotonic() + 120
    kernels = []
    while time.monotonic() < deadline:  # the two fast reports, then two slow kernels at work
        kernels = kernels_of(main)
        if len(kernels) == 2 and len(list((root / "reports").glob("rapide-*.html"))) == 2:
            break
        time.sleep(0.2)
    assert len(kernels) == 2, "les deux noyaux des rapports lents n'ont pas démarré"
    templates = templates_of(main)
    assert len(templates) == 1, "un gabarit de noyau par construction"
    time.sleep(1.0)  # the slow cells are running
    sent = time.monotonic()
    os.killpg(build.pid, sig) if sig == signal.SIGINT else build.send_signal(sig)
    try:
        out, err = build.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        build.kill()
        pytest.fail("la construction ne s'est pas arrêtée dans les 10 s")
    took = time.monotonic() - sent
    assert took < 3, f"arrêt en {took:.1f} s"
    assert build.returncode == status, (build.returncode, err)
    assert "Traceback" not in err + out, err
    assert "Construction interrompue" in err and "Non construits (4)" in err, err
    gone, alive = psutil.wait_procs(kernels + templates, timeout=2)
    assert not alive, f"noyaux restés en vie : {[k.pid for k in alive]}"
    pages = sorted(p.name for p in (root / "reports").iterdir())
    assert pages == ["index.html", "rapide-a.html", "rapide-b.html"], pages  # no temporary file, no partial page
    for page in pages:
        assert (root / "reports" / page).read_text(encoding="utf-8").rstrip().endswith("</html>")

    rebuilt = subprocess.run(
        cli(root), cwd=root, capture_output=True, text=True, timeout=300, env={**env, "RDT_TEST_ATTENTE": "0"}
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2 rapports déjà à jour" in rebuilt.stdout and "Construction de 4 rapports" in rebuilt.stdout, rebuilt.stdout
