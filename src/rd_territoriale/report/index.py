"""``reports/index.html``: the list of reports, in French, readable offline.

Every report of the manifest is listed under its kind (the manifest entry it
comes from: the synthesis, the period reports, the project reports…) with
its period or project, its audience and the date of its last successful
build; a report never built yet is listed without a link. The page uses the
reports' style sheet, inline, and requests nothing from the network.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .. import __version__
from .manifest import ReportSpec
from .provenance import french_datetime
from .state import read_record, write_atomic

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSS_FILE = TEMPLATES_DIR / "rd_territoriale" / "static" / "report.css"
INDEX_FILE = "index.html"
SCOPE_LABELS = {"period": "un rapport par période", "unit": "un rapport par projet"}


def render_index(root: Path, specs: list[ReportSpec], now: datetime | None = None) -> str:
    """The index page for ``specs``, from what is in ``reports/`` now.

    Parameters
    ----------
    root : pathlib.Path
        Project root (reads ``reports/`` and the build records).
    specs : list of ReportSpec
        Every report of the manifest.
    now : datetime, optional
        Shown as the update date.

    Returns
    -------
    str
        HTML.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "site")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    reports_dir = Path(root) / "reports"
    groups: dict[str, dict] = {}
    latest = None
    for spec in specs:
        page = reports_dir / spec.html_name
        record = read_record(root, spec.id)
        built = None
        if page.is_file():
            if record is not None and record.built_at:
                built = datetime.fromisoformat(record.built_at)
            else:
                built = datetime.fromtimestamp(page.stat().st_mtime).astimezone()
            latest = built if latest is None or built > latest else latest
        group = groups.setdefault(spec.kind or spec.id, {
            "kind": spec.kind or spec.id,
            "label": _group_title(spec.kind_title) if spec.scope else (spec.kind_title or spec.title),
            "scope": SCOPE_LABELS.get(spec.scope, ""),
            "reports": [],
        })
        group["reports"].append({
            "title": spec.title,
            "scope_label": spec.scope_label,
            "scope_id": spec.scope_id,
            "description": spec.description,
            "href": spec.html_name,
            "audience_label": spec.audience_label,
            "available": built is not None,
            "built": french_datetime(built) if built else "",
        })
    for group in groups.values():  # one-report kinds read better under their own title
        if not group["scope"] and len(group["reports"]) == 1:
            group["label"] = group["reports"][0]["title"]
    # The page changes only when a report does: its date is the last build's.
    updated = latest or now or datetime.now().astimezone()
    return env.get_template("index.html.j2").render(
        groups=list(groups.values()),
        css=CSS_FILE.read_text(encoding="utf-8"),
        version=__version__,
        updated=french_datetime(updated),
    )


def _group_title(template: str) -> str:
    """A foreach entry's title without its ``{id}``/``{label}`` placeholders."""
    return re.sub(r"\{[^}]*\}", "", template).strip(" :—-–,") or template


def write_index(root: Path, specs: list[ReportSpec]) -> Path:
    """Write ``reports/index.html`` atomically (only when it changes) and return its path."""
    path = Path(root) / "reports" / INDEX_FILE
    html = render_index(root, specs)
    if not path.is_file() or path.read_text(encoding="utf-8") != html:
        write_atomic(path, html)
    return path
