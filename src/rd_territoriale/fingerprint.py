"""Content hashes: of a study's data files and of the package's own code.

Both are made from bytes, never from modification times, and this module
imports nothing heavy, so that a build with nothing to do stays fast.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .contract import TABLES

STUDY_FILE = "study.yml"
TABLE_EXTENSIONS = (".csv", ".xlsx")
PACKAGE_DIR = Path(__file__).resolve().parent


def data_files(folder) -> list[Path]:
    """The files a study is made of (``study.yml`` and table files), sorted."""
    folder = Path(folder)
    names = [STUDY_FILE] + [f"{t}{ext}" for t in TABLES for ext in TABLE_EXTENSIONS]
    return [folder / n for n in names if (folder / n).is_file()]


def fingerprint(folder) -> str:
    """Content hash of a study's data files (SHA-256, hex).

    File names and bytes enter the hash; modification times do not, so
    touching a file without changing it keeps the fingerprint.
    """
    h = hashlib.sha256()
    for path in data_files(folder):
        h.update(path.name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def code_fingerprint(package_dir: Path = PACKAGE_DIR) -> str:
    """Content hash of the package: every ``.py`` file, template and style sheet.

    A change anywhere in the package code rebuilds every report.
    """
    h = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json", ".tpl") \
                and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package_dir)).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
