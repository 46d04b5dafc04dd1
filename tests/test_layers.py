"""The package's layers (pyproject.toml, [tool.importlinter]) hold, and the check is not blind (issue 17)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.is_file(), reason="import-linter absent : pip install -e '.[dev]'")


def lint_imports(source: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package found in ``source`` (a ``src`` folder), with the project's contract."""
    env = {"PYTHONPATH": str(source), "PATH": str(LINT_IMPORTS.parent), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module, planted",
    [
        (
            "study/definition.py",
            "from rd_territoriale.report import overview  # planted",
        ),  # the study model reads a report
        (
            "io/csv.py",
            "from rd_territoriale.analysis import material  # planted",
        ),  # a file reader reaches up to the analyses
        ("analysis/material.py", "from rd_territoriale import cli  # planted"),  # an analysis imports the command line
        (
            "report/overview.py",
            "from rd_territoriale.build import html  # planted",
        ),  # a notebook helper imports the build
        (
            "study/contract.py",
            "from rd_territoriale.study import case  # planted",
        ),  # the contract reads the loaded case
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, planted):
    shutil.copytree(
        ROOT / "src" / "rd_territoriale", tmp_path / "rd_territoriale", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tmp_path / "rd_territoriale" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout + result.stderr


def test_no_module_imports_itself_back():
    """No import cycle between two modules of the package, lazy imports included."""
    import grimp

    graph = grimp.build_graph("rd_territoriale", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.find_shortest_chain(importer=imported, imported=module):
                cycles.append(f"{module} → {imported} → … → {module}")
    assert not cycles, "\n".join(cycles[:10])
