"""Shared test fixtures (kept minimal: most fixtures are made in each test file)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
