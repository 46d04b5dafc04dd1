"""``reports/index.html``: the list of reports, in French, readable offline.

Every report of the manifest is listed under its kind (the manifest entry it
comes from: the synthesis, the period reports, the project reports…) with
its period or project, its audience and the date of its last successful
build, and a link to its PDF copy when one is as recent as the page
(``build --pdf``); a report never built yet is listed without a link, and a ``foreach``
entry that gave no report says why (no project, no period). The page uses
the reports' style sheet, inline, and requests nothing from the network.

The reports of another study (``build --study data/<name>``) have their own
index, ``reports/<name>/index.html``; ``reports/index.html`` lists every
study built this way, with a link to its index.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rd_territoriale import __version__
from rd_territoriale.build.manifest import ReportSpec, family_title
from rd_territoriale.build.pdf import is_current, pdf_path
from rd_territoriale.build.search import script_json, search_data
from rd_territoriale.build.state import build_dir, read_record, reports_dir, write_atomic
from rd_territoriale.report.provenance import french_datetime
from rd_territoriale.study import outline
from rd_territoriale.study.contract import STUDY_FILE

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSS_FILE = TEMPLATES_DIR / "rd_territoriale" / "static" / "report.css"
SEARCH_SCRIPT = TEMPLATES_DIR / "site" / "recherche.js"
INDEX_FILE = "index.html"
SCOPE_LABELS = {"period": "un rapport par période", "unit": "un rapport par projet"}
EMPTY_LABELS = {
    "period": "Aucun rapport : l'étude n'a aucune période.",
    "unit": "Aucun rapport : l'étude n'a aucun projet collectif (table units vide). "
    "Ajoutez ses projets à units.csv pour obtenir un rapport par projet.",
}


def _bytecode_cache(folder: Path):
    """Jinja's cache of compiled templates in ``build/jinja/``; none where that folder cannot be made."""
    import jinja2

    cache = folder / "jinja"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(cache))


def render_index(
    root: Path, specs: list[ReportSpec], now: datetime | None = None, site: str = "", search: bool = True
) -> str:
    """The index page for ``specs``, from what is in ``reports/`` now.

    Parameters
    ----------
    root : pathlib.Path
        Project root (reads ``reports/`` and the build records).
    specs : list of ReportSpec
        Every report of the manifest (a :class:`~.manifest.Reports`, whose
        ``empty`` entries are listed with the reason they have no report).
    now : datetime, optional
        Shown as the update date.
    site : str
        ``""`` for ``reports/index.html`` (which also lists the other
        studies built), else the study's folder name.
    search : bool
        Embed the search across the study's built pages
        (:mod:`~rd_territoriale.build.search`).

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
        # The compiled template is kept between builds (keyed by the template's
        # source): a build with nothing to do does not compile it again.
        bytecode_cache=_bytecode_cache(build_dir(root, site)),
    )
    folder = reports_dir(root, site)
    groups: dict[str, dict] = {}
    latest = None
    for spec in getattr(specs, "empty", []):
        groups[spec.kind] = {
            "kind": spec.kind,
            "label": family_title(spec.kind_title),
            "scope": SCOPE_LABELS.get(spec.scope, ""),
            "reports": [],
            "empty": EMPTY_LABELS.get(spec.scope, ""),
        }
    searchable = []
    for spec in specs:
        page = folder / spec.html_name
        if page.is_file():
            searchable.append((spec.html_name, spec.title, page))
        record = read_record(root, spec.id, site)
        built = None
        if page.is_file():
            if record is not None and record.built_at:
                built = datetime.fromisoformat(record.built_at)
            else:
                built = datetime.fromtimestamp(page.stat().st_mtime).astimezone()
            latest = built if latest is None or built > latest else latest
        group = groups.setdefault(
            spec.kind or spec.id,
            {
                "kind": spec.kind or spec.id,
                "label": family_title(spec.kind_title) if spec.scope else (spec.kind_title or spec.title),
                "scope": SCOPE_LABELS.get(spec.scope, ""),
                "reports": [],
                "empty": "",
            },
        )
        pdf = pdf_path(page) if built is not None and is_current(page) else None
        group["reports"].append(
            {
                "pdf_href": pdf.name if pdf else "",
                "pdf_size": f"{pdf.stat().st_size / 1024:.0f}\u202fKo" if pdf else "",
                "title": spec.title,
                "scope_label": spec.scope_label,
                "scope_id": spec.scope_id,
                "description": spec.description,
                "href": spec.html_name,
                "audience_label": spec.audience_label,
                "available": built is not None,
                "built": french_datetime(built) if built else "",
            }
        )
    for group in groups.values():  # one-report kinds read better under their own title
        if not group["scope"] and len(group["reports"]) == 1:
            group["label"] = group["reports"][0]["title"]
    order = {kind: n for n, kind in enumerate(getattr(specs, "kinds", []))}  # the manifest's order
    groups = dict(sorted(groups.items(), key=lambda item: order.get(item[0], len(order))))
    studies = [] if site else built_studies(root)
    for other in studies:
        latest = other["built_at"] if latest is None or other["built_at"] > latest else latest
    # The page changes only when a report does: its date is the last build's.
    updated = latest or now or datetime.now().astimezone()
    study = getattr(specs, "study", None)
    case = outline.case_name(study) if study is not None and (study / STUDY_FILE).is_file() else ""
    data = search_data(searchable, build_dir(root, site) / "recherche") if search and searchable else None
    return env.get_template("index.html.j2").render(
        search_json=script_json(data) if data else "",
        search_script=SEARCH_SCRIPT.read_text(encoding="utf-8") if data else "",
        groups=[g for g in groups.values() if g["reports"] or g["empty"]],
        studies=[{**s, "built": french_datetime(s["built_at"])} for s in studies],
        case=case,
        site=site,
        css=CSS_FILE.read_text(encoding="utf-8"),
        version=__version__,
        updated=french_datetime(updated),
    )


def built_studies(root: Path) -> list[dict]:
    """The other studies whose reports were built: ``reports/<name>/index.html``, by name.

    Each is ``{"name", "case", "href", "built_at"}``; ``case`` is the study's
    name recorded at its build (``.build/etudes/<name>/site.json``), else
    the folder's name.
    """
    import json

    out = []
    base = reports_dir(root)
    for index in sorted(base.glob(f"*/{INDEX_FILE}")):
        name = index.parent.name
        info = {}
        try:
            info = json.loads((build_dir(root, name) / "site.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        out.append(
            {
                "name": name,
                "case": str(info.get("case") or name),
                "href": f"{name}/{INDEX_FILE}",
                "built_at": datetime.fromtimestamp(index.stat().st_mtime).astimezone(),
            }
        )
    return out


def write_index(root: Path, specs: list[ReportSpec], site: str = "") -> Path:
    """Write the study's index atomically (only when it changes) and return its path.

    For another study than the manifest's (``site``), its own
    ``reports/<site>/index.html`` is written, then ``reports/index.html``
    again so that it lists the study.
    """
    import json

    path = reports_dir(root, site) / INDEX_FILE
    html = render_index(root, specs, site=site)
    if not path.is_file() or path.read_text(encoding="utf-8") != html:
        html = _scanned(root, specs, site, html)
        write_atomic(path, html)
    if site:
        study = getattr(specs, "study", None)
        info = {"name": site, "folder": str(study or ""), "case": outline.case_name(study) if study else site}
        write_atomic(build_dir(root, site) / "site.json", json.dumps(info, ensure_ascii=False, indent=2))
        write_atomic(reports_dir(root) / INDEX_FILE, render_index(root, _default_reports(root)))
    return path


def _scanned(root: Path, specs, site: str, html: str) -> str:
    """``html``, or the index without its search when the leak scan finds a name in it.

    The search data come from pages that passed the scan when they were
    built; a key that has gained a name since then is caught here too.
    """
    import sys

    from rd_territoriale.privacy.scan import describe_hits, load_patterns, scan_html

    hits = scan_html(html, load_patterns(root))
    if not hits:
        return html
    print(
        f"Attention : la recherche de l'index est retirée : le contrôle des fuites y trouve "
        f"{describe_hits(hits)}. Reconstruisez les rapports concernés.",
        file=sys.stderr,
    )
    return render_index(root, specs, site=site, search=False)


def _default_reports(root: Path) -> list[ReportSpec]:
    """The manifest's own reports, or none when its study cannot be read (the index still lists the others)."""
    from rd_territoriale.build.errors import ReportError
    from rd_territoriale.build.manifest import load_manifest

    try:
        return load_manifest(root)
    except ReportError:
        return []
