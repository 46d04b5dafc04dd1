"""Search across a study's reports, from ``reports/index.html`` opened from disk.

Quarto's site search fetches its index, which a browser refuses for a page
opened with ``file://``. Here the index page carries its search data inline
(a ``<script type="application/json">``) and a small script that searches
it: no server, no request, and it works on a phone.

The data hold only what the pages show: for each section of each built
page (its ``h2``/``h3`` and what follows up to the next one), the visible
text of its paragraphs, list items, table cells and captions, the
alternative texts of its figures, never a script or style. Text blocks
repeated across pages (the same explanation in every period report) are
stored once. What is extracted from a page is cached beside the build
records, keyed by the page's size and modification time, so that the index
is rewritten in milliseconds when no page changed.
"""

from __future__ import annotations

import json
from pathlib import Path

#: Elements whose text is one searchable block.
BLOCKS = ("p", "li", "caption", "th", "td", "dt", "dd", "blockquote", "figcaption")
SECTION_LEVELS = ("h1", "h2", "h3")


def page_sections(html: str) -> list[dict]:
    """The sections of a built page and the text a reader sees in each.

    Parameters
    ----------
    html : str
        A page written by :func:`rd_territoriale.build.html.export_html`.

    Returns
    -------
    list of dict
        ``{"anchor", "heading", "blocks"}`` in page order; the text before
        the first ``h2`` belongs to the ``h1`` section.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    if main is None:
        return []
    for tag in main.find_all(["script", "style", "nav", "template"]):
        tag.decompose()
    for link in main.find_all("a", class_="anchor-link"):
        link.decompose()
    for hidden in main.find_all(class_="rdt-sr"):  # words for screen readers, not content
        hidden.decompose()
    sections: list[dict] = []
    current = None
    for element in main.find_all([*SECTION_LEVELS, *BLOCKS, "img"]):
        if element.name in SECTION_LEVELS:
            current = {"anchor": element.get("id", ""), "heading": _text(element), "blocks": []}
            sections.append(current)
            continue
        if current is None:
            current = {"anchor": "", "heading": "", "blocks": []}
            sections.append(current)
        if element.name == "img":
            text = " ".join(str(element.get("alt") or "").split())
        elif element.find_parent(BLOCKS) is not None:
            continue  # its text is in the enclosing block
        else:
            text = _text(element)
        if text and text not in current["blocks"]:
            current["blocks"].append(text)
    return [s for s in sections if s["heading"] or s["blocks"]]


def _text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def cached_sections(page: Path, cache_dir: Path) -> list[dict]:
    """:func:`page_sections` of ``page``, read again only when the page changed."""
    from rd_territoriale.build.state import write_atomic

    stat = page.stat()
    stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
    cache = cache_dir / f"{page.stem}.json"
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("stamp") == stamp:
            return saved["sections"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    sections = page_sections(page.read_text(encoding="utf-8"))
    write_atomic(cache, json.dumps({"stamp": stamp, "sections": sections}, ensure_ascii=False))
    return sections


def search_data(pages: list[tuple[str, str, Path]], cache_dir: Path) -> dict:
    """The search data of the index: pages, sections and unique text blocks.

    Parameters
    ----------
    pages : list of (href, title, path)
        The built pages to search, in the index's order.
    cache_dir : pathlib.Path
        Where the extracted sections are cached.

    Returns
    -------
    dict
        ``{"pages": [[href, title]], "sections": [[page, anchor, heading,
        [block, …]]], "blocks": [text]}``, indices into the lists.
    """
    blocks: dict[str, int] = {}
    out = {"pages": [], "sections": [], "blocks": []}
    for number, (href, title, path) in enumerate(pages):
        out["pages"].append([href, title])
        for section in cached_sections(path, cache_dir):
            ids = []
            for text in section["blocks"]:
                if text not in blocks:
                    blocks[text] = len(out["blocks"])
                    out["blocks"].append(text)
                ids.append(blocks[text])
            out["sections"].append([number, section["anchor"], section["heading"], ids])
    return out


def script_json(data: dict) -> str:
    """``data`` as JSON that is safe inside ``<script type="application/json">``.

    ``<`` and ``>`` are written ``\\u003c`` and ``\\u003e``, and ``&`` as
    ``\\u0026``: no study text can close the element or open a comment.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def searchable_text(data: dict) -> str:
    """Every word the search data hold, as plain text (what the leak scan reads)."""
    parts = [title for _, title in data["pages"]]
    parts += [heading for _, _, heading, _ in data["sections"]]
    return "\n".join(parts + data["blocks"])
