"""Build records: what the last build of each report did, in ``.build/``.

``.build/`` (git-ignored) is the build's working folder:

``.build/executed/<id>.ipynb``
    the executed notebook of the last run (kept when it failed, to inspect);
``.build/state/<id>.json``
    a :class:`BuildRecord`: last attempt, last success, data fingerprint;
``.build/etudes/<name>/…``
    the same, for the reports of another study than the manifest's
    (``rd-territoriale build --study data/<name>``), whose pages go to
    ``reports/<name>/``.

The incremental build compares each report's content key with the one
stored here. ``reports/``
itself only ever holds the published pages.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

BUILD_DIR = ".build"
REPORTS_DIR = "reports"
STUDIES_DIR = "etudes"


@dataclass
class BuildRecord:
    """The outcome of the last build of one report.

    Attributes
    ----------
    id : str
    status : str
        ``ok`` or ``échec``.
    attempted_at : str
        ISO date-time of the last attempt.
    built_at : str or None
        ISO date-time of the last success (the page in ``reports/``).
    study, fingerprint : str
        Case name and data fingerprint of the last success.
    error : str
        French message of the last failure (empty after a success).
    seconds : float
        Duration of the last attempt.
    key : str
        Content key of the last success (notebook, parameters, data, code):
        the build skips the report while it does not change.
    """

    id: str
    status: str = "ok"
    attempted_at: str = ""
    built_at: str | None = None
    study: str = ""
    fingerprint: str = ""
    error: str = ""
    seconds: float = 0.0
    key: str = ""


def build_dir(root: Path, site: str = "") -> Path:
    """``<root>/.build``, or ``<root>/.build/etudes/<site>`` for another study's reports."""
    base = Path(root) / BUILD_DIR
    return base / STUDIES_DIR / site if site else base


def reports_dir(root: Path, site: str = "") -> Path:
    """``<root>/reports``, or ``<root>/reports/<site>`` for another study's reports."""
    base = Path(root) / REPORTS_DIR
    return base / site if site else base


def executed_path(root: Path, report_id: str, site: str = "") -> Path:
    """Where the executed notebook of a report is kept."""
    return build_dir(root, site) / "executed" / f"{report_id}.ipynb"


def read_record(root: Path, report_id: str, site: str = "") -> BuildRecord | None:
    """The last record of a report, or ``None`` (never built, unreadable)."""
    path = build_dir(root, site) / "state" / f"{report_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {f.name for f in fields(BuildRecord)}
        return BuildRecord(**{k: v for k, v in data.items() if k in names})
    except (OSError, ValueError, TypeError):
        return None


def write_record(root: Path, record: BuildRecord, site: str = "") -> None:
    """Store a record (atomically)."""
    path = build_dir(root, site) / "state" / f"{record.id}.json"
    write_atomic(path, json.dumps(asdict(record), ensure_ascii=False, indent=2))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    A reader never sees a half-written file, and a failure leaves the
    previous file in place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
