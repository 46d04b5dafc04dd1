"""Export an executed notebook to one self-contained French HTML page.

The page is what a partner reads: narrative, tables and figures, never code.
It is built in-process with nbconvert's :class:`~nbconvert.HTMLExporter` and
the ``rd_territoriale`` template (``templates/rd_territoriale``, extending
JupyterLab's), then finished here:

- input cells, prompts, the ``parameters`` and ``injected-parameters`` cells,
  cells tagged ``remove-cell`` and outputs tagged ``remove-output`` are
  dropped, and so are stderr streams (warnings are for the researcher);
- the provenance recorded by the notebook
  (:func:`rd_territoriale.report.provenance.record`) leaves the body and
  fills the footer, with the parameters and the build facts;
- headings get stable ASCII anchors and a table of contents (``<nav>``);
- every image is a ``data:`` URI, and :func:`find_external_resources` must
  find nothing: a page that would fetch anything from the network is
  refused (:class:`~.errors.PageError`).

This module never runs a notebook and never writes a file.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from pathlib import Path

import nbformat

from rd_territoriale import __version__, french
from rd_territoriale.build.errors import PageError
from rd_territoriale.report.provenance import MIME_TYPE, french_datetime

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "rd_territoriale"
REMOVE_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell", "remove_cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})
TOC_LEVELS = ("h2", "h3")
NBCONVERT_ALT = "No description has been provided for this image"


def export_html(
    nb: nbformat.NotebookNode,
    title: str,
    *,
    report_id: str = "",
    parameters: dict[str, str] | None = None,
    commit: str | None = None,
    built_at: datetime | None = None,
    notebook_dir: Path | None = None,
) -> str:
    """Render an executed notebook as a partner-ready HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (it is not modified).
    title : str
        Page title (``<title>``; also the ``<h1>`` when the notebook has none).
    report_id : str, optional
        Identifier of the report (recorded in a ``<meta>``).
    parameters : dict, optional
        Effective parameters, ``{name: value as text}``, shown in the footer.
    commit : str, optional
        Git commit of the code, shown in the footer when known.
    built_at : datetime, optional
        Build moment (now by default).
    notebook_dir : pathlib.Path, optional
        Folder of the source notebook, to embed images that markdown cells
        reference by a relative path.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    PageError
        When nbconvert fails or the page would request an external resource.
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    built_at = (built_at or datetime.now()).astimezone()
    nb, provenance = _prepare(nb)
    # No code is shown, so the syntax-highlighting CSS is left out.
    config = Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}})
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="fr",
        filters={"svg_data_uri": svg_data_uri},
    )
    study = provenance.get("study") or ""
    resources = {
        "metadata": {"name": title, "path": str(notebook_dir or Path.cwd())},
        "rdt": {
            "title": title,
            "report_id": report_id,
            "version": __version__,
            "built_at_iso": built_at.isoformat(timespec="seconds"),
            "kicker": f"{study} — R&D territoriale" if study else "R&D territoriale",
            "footer": _footer(provenance, parameters or {}, commit, built_at),
        },
    }
    try:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    except Exception as exc:
        raise PageError(f"export HTML de « {title} » impossible : {type(exc).__name__} : {exc}") from exc
    page = finish_page(body, title)
    external = find_external_resources(page)
    if external:
        listed = ", ".join(external[:5])
        raise PageError(
            f"le rapport « {title} » chargerait des ressources externes ({listed}) ; "
            "un rapport doit se lire hors ligne : intégrez les images au carnet."
        )
    return page


_SVG_UNSAFE = re.compile(r'[%#<>"&\t\n\r]')


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml,…`` for an ``src="…"`` attribute, HTML-escaped already.

    Only what a data URI or a double-quoted attribute cannot hold is
    percent-encoded (``%``, ``#``, ``<``, ``>``, ``"``, ``&``, tab and line
    ends); everything else, accented letters included, stays as is. The page
    is about a quarter lighter than with base64, and the words of the figure
    stay readable to the leak scan and the search index.

    Examples
    --------
    >>> svg_data_uri('<svg><text>Élan & « a<b »</text></svg>')
    'data:image/svg+xml,%3Csvg%3E%3Ctext%3EÉlan %26 « a%3Cb »%3C/text%3E%3C/svg%3E'
    """
    if isinstance(svg, bytes):
        svg = svg.decode("utf-8")
    return "data:image/svg+xml," + _SVG_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", svg)


def extract_provenance(nb: nbformat.NotebookNode) -> dict:
    """The provenance a notebook recorded with ``provenance.record`` (or ``{}``)."""
    found: dict = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            if MIME_TYPE in output.get("data", {}):
                found.update(output["data"][MIME_TYPE])
    return found


def _prepare(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict]:
    """Drop what partners must not see; pull out the provenance record."""
    nb = copy.deepcopy(nb)
    provenance: dict = {}
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            outputs = []
            for output in cell.get("outputs", []):
                if tags & REMOVE_OUTPUT_TAGS:
                    continue
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                data = output.get("data", {})
                if MIME_TYPE in data:
                    provenance.update(data[MIME_TYPE])
                    continue
                outputs.append(output)
            cell.outputs = outputs
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("title", None)
    return nb, provenance


def _footer(provenance: dict, parameters: dict, commit: str | None, built_at: datetime) -> list:
    study = provenance.get("study") or "non indiquée"
    if provenance.get("territory"):
        study = f"{study} — {provenance['territory']}"
    rows = [("Étude", study, False)]
    if parameters:
        shown = " ; ".join(f"{k} = {v}" for k, v in parameters.items())
        rows.append(("Paramètres", shown, True))
    rows.append(("Empreinte des données", provenance.get("fingerprint") or "non enregistrée", True))
    rows.append(("Version de rd-territoriale", __version__, False))
    rows.append(("Version du code (git)", commit or "non disponible", bool(commit)))
    rows.append(("Construit le", french_datetime(built_at), False))
    return rows


def finish_page(html: str, title: str) -> str:
    """Anchor the headings, build the table of contents, frenchify alt texts.

    Parameters
    ----------
    html : str
        Page produced by the ``rd_territoriale`` template.
    title : str
        Inserted as ``<h1>`` when the main content has none.

    Returns
    -------
    str
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    if main is None:
        return html
    if main.find("h1") is None:
        h1 = soup.new_tag("h1")
        h1.string = title
        main.insert(0, h1)

    used: set[str] = set()
    entries = []
    for heading in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        for link in heading.find_all("a", class_="anchor-link"):
            link.decompose()
        text = heading.get_text(" ", strip=True)
        anchor = _unique(slugify(text) or "section", used)
        heading["id"] = anchor
        link = soup.new_tag("a", attrs={"class": "anchor-link", "href": f"#{anchor}", "aria-hidden": "true"})
        link.string = "#"
        heading.append(link)
        if heading.name in TOC_LEVELS:
            entries.append((heading.name, anchor, text))

    nav = soup.find("nav", class_="rdt-toc")
    if nav is not None:
        if entries:
            # Folded under the title, as Quarto does on narrow screens: the
            # first screen shows the report's opening, not its outline.
            details = soup.new_tag("details")
            summary = soup.new_tag("summary")
            summary.string = f"Sommaire ({len(entries)} sections)"
            details.append(summary)
            details.append(_toc_list(soup, entries))
            nav.append(details)
            main.find("h1").insert_after(nav.extract())
        else:
            nav.decompose()

    # Each scrollable table is a region: give each its own name (axe:
    # landmark-unique), numbered and tied to the section it belongs to.
    regions = main.find_all("div", attrs={"role": "region", "aria-label": "Tableau"})
    for number, region in enumerate(regions, start=1):
        section = region.find_previous(["h2", "h1"])
        where = f" : {section.get_text(' ', strip=True).rstrip('#').strip()}" if section else ""
        region["aria-label"] = f"Tableau {number}{where}"

    for img in soup.find_all("img"):
        if not img.get("alt") or img.get("alt") == NBCONVERT_ALT:
            img["alt"] = "Figure"
    return "<!DOCTYPE html>\n" + str(soup).removeprefix("<!DOCTYPE html>").lstrip("\n")


def _toc_list(soup, entries):
    top = soup.new_tag("ol")
    current_sub = None
    last_item = None
    for level, anchor, text in entries:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{anchor}")
        link.string = text
        item.append(link)
        if level == TOC_LEVELS[0] or last_item is None:
            top.append(item)
            last_item, current_sub = item, None
        else:
            if current_sub is None:
                current_sub = soup.new_tag("ol")
                last_item.append(current_sub)
            current_sub.append(item)
    return top


def slugify(text: str) -> str:
    """ASCII anchor for a heading: ``Les périodes de l'étude`` → ``les-periodes-de-l-etude``."""
    return french.slug(text)


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 2
    while candidate in used:
        candidate, n = f"{anchor}-{n}", n + 1
    used.add(candidate)
    return candidate


_CSS_URL = re.compile(r"""url\(\s*['"]?(?!data:|#)([^'")\s]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.IGNORECASE)
_RESOURCE_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "source": ("src", "srcset"),
    "track": ("src",),
    "input": ("src",),
    "link": ("href",),
}


def find_external_resources(html: str) -> list[str]:
    """Everything a browser would fetch to display the page.

    Hyperlinks (``<a href>``) are not resources: they are only followed when
    the reader clicks. Any ``src``/``href`` resource attribute that is not a
    ``data:`` URI or an in-page anchor is reported, and so are CSS ``url()``
    and ``@import`` references (in ``<style>`` and ``style=""``).

    Parameters
    ----------
    html : str

    Returns
    -------
    list of str
        The offending references (empty for a self-contained page).
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found: list[str] = []
    for tag, attrs in _RESOURCE_ATTRS.items():
        for element in soup.find_all(tag):
            for attr in attrs:
                value = (element.get(attr) or "").strip()
                if value and not value.startswith(("data:", "#")):
                    found.append(f"<{tag} {attr}={value[:80]}>")
    css = [s.get_text() for s in soup.find_all("style")]
    css += [e["style"] for e in soup.find_all(style=True)]
    for block in css:
        found += [f"url({u[:80]})" for u in _CSS_URL.findall(block)]
        found += [f"@import {u[:80]}" for u in _CSS_IMPORT.findall(block)]
    return found
