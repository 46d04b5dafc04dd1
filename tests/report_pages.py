"""Helpers shared by the tests that build the example's pages and check them as partners read them.

A copy of the project, a manifest written for the test, the built pages by
id, a section of a page, and what every published page must satisfy
(docs/architecture.md §5).
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "exemple"


def write_manifest(root: Path, text: str) -> Path:
    path = root / "reports.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def copy_project(dst: Path, with_example: bool = False) -> Path:
    """A throw-away copy of what a build reads: notebooks, manifest, data."""
    shutil.copytree(ROOT / "notebooks", dst / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(ROOT / "reports.yml", dst / "reports.yml")
    (dst / "reports").mkdir()
    if with_example:
        shutil.copytree(EXAMPLE, dst / "data" / "exemple", ignore=shutil.ignore_patterns("processed", "raw"))
    return dst


def image_sources(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", html)


def build_example_pages(root: Path, manifest: str) -> dict[str, str]:
    """Build ``manifest`` (YAML text) over a copy of the project with the example; pages by id, unescaped."""
    import html as html_module

    from rd_territoriale.build.pipeline import build_reports

    copy_project(root, with_example=True)
    write_manifest(root, manifest)
    assert build_reports(root, jobs=2) == 0
    return {page.stem: html_module.unescape(page.read_text(encoding="utf-8"))
            for page in (root / "reports").glob("*.html") if page.stem != "index"}


def section(page: str, anchor: str) -> str:
    """The part of a built page from the heading whose id starts with ``anchor`` to the next ``<h2``."""
    start = page.index(f'id="{anchor}')
    end = page.find("<h2", start + 1)
    return page[start:end if end > 0 else None]


def assert_partner_page(html: str) -> None:
    """What every published page must satisfy (docs/architecture.md §5)."""
    from rd_territoriale.build.html import find_external_resources

    assert re.search(r"<html[^>]*\blang=\"fr\"", html)
    assert re.search(r"<title>[^<]+</title>", html)
    assert 'name="viewport"' in html
    assert html.count("<h1") == 1
    assert "<script src" not in html and "<script" not in html
    assert "<link" not in html
    assert not re.search(r"(src|srcset|poster|data)=\"(https?:)?//", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@import" not in html
    assert find_external_resources(html) == []
    # no code: no input area, no prompt, no highlighted source
    assert "jp-InputArea-editor" not in html and 'class="highlight' not in html
    assert "In&nbsp;[" not in html and "In [" not in html
    assert "celltag_parameters" not in html and "celltag_injected-parameters" not in html
    assert "# Parameters" not in html
    for src in image_sources(html):
        assert src.startswith("data:image/")
    assert '<footer class="rdt-footer"' in html and "Provenance de ce rapport" in html
