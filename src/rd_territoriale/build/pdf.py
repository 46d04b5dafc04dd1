"""PDF copies of the built pages, printed by Chromium from the same HTML.

Partners file PDFs (funders, local authorities, boards). Each page
``reports/<id>.html`` gets ``reports/<id>.pdf``: A4, page numbers, a
bookmark per heading, a tagged PDF (its structure read by screen readers),
fonts embedded, no figure or table row cut across two pages (the print
style sheet of the reports), and the provenance at the end, as on the page.

Why Chromium, driven by playwright: it is the browser the tests already
open every page with, so the PDF is the page as partners see it; its
``printToPDF`` writes tagged PDF and an outline from the headings
(``tagged``, ``outline``), which WeasyPrint does too but with its own
layout engine and system libraries (Pango) to install. The HTML build never
needs a browser; only ``--pdf`` does, and without one it says what to
install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from rd_territoriale.build.errors import ReportError

#: Flags that work headless as root, with none of Chromium's own traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Les copies PDF sont imprimées par le navigateur Chromium. Installez-le : sous Debian ou "
    "Ubuntu, « sudo apt-get install chromium » ; ailleurs, installez Chromium et donnez son "
    "chemin : CHROMIUM=/chemin/vers/chromium make pdf. Les pages HTML, elles, se construisent "
    "sans navigateur (make reports)."
)
#: Page numbers at the foot of every page (Chromium fills the two spans).
FOOTER = (
    '<div style="width:100%;font-size:8px;font-family:sans-serif;color:#5a5a60;text-align:center;">'
    'page <span class="pageNumber"></span> sur <span class="totalPages"></span></div>'
)
MARGINS = {"top": "1.5cm", "bottom": "1.8cm", "left": "1.6cm", "right": "1.6cm"}
#: Before printing: the folded table of contents is unfolded (the PDF has bookmarks too).
UNFOLD = "() => document.querySelectorAll('nav.rdt-toc details').forEach(d => { d.open = true; })"
PAGE_TIMEOUT = 60_000  # milliseconds


class BrowserMissing(ReportError):
    """No Chromium (or no playwright) to print the PDF copies with."""


def find_chromium() -> str:
    """The Chromium to print with: ``$CHROMIUM``, else ``chromium`` on the PATH.

    Raises
    ------
    BrowserMissing
        In French, with what to install.
    """
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        path = shutil.which(wanted)
        if path is None:
            raise BrowserMissing(
                f"CHROMIUM={wanted} : ce navigateur est introuvable ou n'est pas exécutable. {INSTALL_HINT}"
            )
        return path
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    raise BrowserMissing(f"Chromium est introuvable. {INSTALL_HINT}")


def pdf_path(page: Path) -> Path:
    """``reports/<id>.pdf`` for ``reports/<id>.html``."""
    return page.with_suffix(".pdf")


def is_current(page: Path) -> bool:
    """True when the page's PDF exists and is not older than the page."""
    pdf = pdf_path(page)
    return pdf.is_file() and page.is_file() and pdf.stat().st_mtime >= page.stat().st_mtime


class Printer:
    """One Chromium, started once, that prints pages to PDF.

    Use as a context manager: the browser is closed on the way out, also on
    Ctrl-C, so no Chromium is left behind.
    """

    def __init__(self, chromium: str | None = None):
        self.chromium = chromium or find_chromium()
        self._playwright = None
        self._browser = None

    def __enter__(self) -> "Printer":
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise BrowserMissing(
                "le paquet Python « playwright » manque : réinstallez le projet (make venv, ou pip install -e .)."
            ) from exc
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure is the same advice
            self._playwright.stop()
            raise BrowserMissing(f"Chromium ({self.chromium}) ne démarre pas : {exc}. {INSTALL_HINT}") from exc
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()

    def print(self, page: Path) -> Path:
        """Print ``page`` to ``pdf_path(page)``, atomically (a half-written PDF is never left)."""
        out = pdf_path(page)
        partial = out.with_name(f".{out.name}.partiel")
        tab = self._browser.new_page()
        try:
            tab.set_default_timeout(PAGE_TIMEOUT)
            tab.goto(page.resolve().as_uri(), wait_until="load")
            tab.evaluate(UNFOLD)
            tab.pdf(
                path=str(partial),
                format="A4",
                margin=MARGINS,
                print_background=True,
                tagged=True,
                outline=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
            )
            os.replace(partial, out)
        finally:
            tab.close()
            partial.unlink(missing_ok=True)
        return out
