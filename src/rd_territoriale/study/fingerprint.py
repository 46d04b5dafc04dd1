"""Content hashes: of a study's data files and of the package's own code.

Both are made from bytes, never from modification times, and this module
imports nothing heavy, so that a build with nothing to do stays fast.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rd_territoriale.study.contract import STUDY_FILE, TABLES

TABLE_EXTENSIONS = (".csv", ".xlsx")
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/rd_territoriale


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


def code_fingerprint(package_dir: Path = PACKAGE_DIR, files=None) -> str:
    """Content hash of the package's code.

    Parameters
    ----------
    package_dir : Path
        The package folder.
    files : iterable of str, optional
        Paths relative to ``package_dir`` to hash; by default every ``.py``
        file, template and style sheet (a change anywhere in the package code
        rebuilds every report).
    """
    if files is None:
        paths = [
            p
            for p in sorted(package_dir.rglob("*"))
            if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json", ".tpl") and "__pycache__" not in p.parts
        ]
    else:
        paths = [package_dir / f for f in files]
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(package_dir)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
