"""``reports/index.html``: the list of reports, in French, readable offline.

Every report of the manifest is listed under its audience (partners, then
the research team) with its title and the date of its last successful
build; a report never built yet is listed without a link. The page uses the
reports' style sheet, inline, and requests nothing from the network.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .. import __version__
from .manifest import AUDIENCE_LABELS, AUDIENCES, ReportSpec
from .provenance import french_datetime
from .state import read_record, write_atomic

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSS_FILE = TEMPLATES_DIR / "rd_territoriale" / "static" / "report.css"
INDEX_FILE = "index.html"


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
    groups = []
    for audience in AUDIENCES:
        entries = []
        for spec in (s for s in specs if s.audience == audience):
            page = reports_dir / spec.html_name
            record = read_record(root, spec.id)
            built = None
            if page.is_file():
                if record is not None and record.built_at:
                    built = datetime.fromisoformat(record.built_at)
                else:
                    built = datetime.fromtimestamp(page.stat().st_mtime).astimezone()
            entries.append(
                {
                    "title": spec.title,
                    "description": spec.description,
                    "href": spec.html_name,
                    "audience_label": spec.audience_label,
                    "available": built is not None,
                    "built": french_datetime(built) if built else "",
                }
            )
        groups.append({"audience": audience, "label": AUDIENCE_LABELS[audience], "reports": entries})
    # The team's section is shown only when the team has reports.
    groups = [g for g in groups if g["reports"] or g["audience"] == "partenaires"]
    return env.get_template("index.html.j2").render(
        groups=groups,
        css=CSS_FILE.read_text(encoding="utf-8"),
        version=__version__,
        updated=french_datetime((now or datetime.now()).astimezone()),
    )


def write_index(root: Path, specs: list[ReportSpec]) -> Path:
    """Write ``reports/index.html`` atomically and return its path."""
    path = Path(root) / "reports" / INDEX_FILE
    write_atomic(path, render_index(root, specs))
    return path
