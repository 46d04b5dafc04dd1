"""Every built report, opened in a real browser as a partner would open it.

The reports are built once per session (``rd-territoriale build --root``) in
a throw-away copy of what a build reads (``reports.yml``, ``notebooks/``, the
studies of ``data/``), so the test does not depend on a previous
``make reports``. Then headless Chromium (Debian's ``chromium`` package,
driven by playwright; ``playwright install`` is never needed) opens
``index.html`` and every ``<id>.html`` from ``file://`` and checks, page by
page (docs/architecture.md §5):

- no request other than ``file:`` and ``data:`` (the page works offline);
- no console error, no JavaScript error;
- every ``<img>`` decoded (``naturalWidth > 0``);
- exactly one ``<h1>``, ``<html lang="fr">``, the provenance footer;
- no *serious* or *critical* axe-core violation (axe-core is bundled in the
  ``axe-playwright-python`` wheel and injected into the page: nothing is
  downloaded at run time, which the request check itself verifies);
- on a phone (390 × 844), no horizontal scroll of the page.

Full-page screenshots (desktop and phone) of every page are written to
``tests/artifacts/`` (ignored by git) and named in the failure messages.

Chromium is looked for in ``$CHROMIUM``, then ``chromium`` on the ``PATH``,
then ``/usr/bin/chromium``; when none is found the test fails (it never
skips) and says what to install. ``make test`` installs it with apt-get when
it runs as root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from payloads import PLAIN
from report_pages import Build, cli_command

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

# Flags known to work headless as root, with nothing of Chromium's own traffic leaving the machine:
# the same as the PDF copies use (one list, in the package).
from rd_territoriale.build.pdf import CHROMIUM_ARGS  # noqa: E402

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ALLOWED_SCHEMES = ("file:", "data:")
BLOCKING_IMPACTS = ("serious", "critical")
BUILD_TIMEOUT = 900  # seconds, for each build of another study
PAGE_TIMEOUT = 30_000  # milliseconds, for one browser action

INSTALL_HINT = (
    "Installez Chromium : sous Debian, « apt-get install chromium » en root "
    "(ou lancez « make test » en root, qui l'installe) ; ailleurs, installez "
    "Chromium et donnez son chemin : CHROMIUM=/chemin/vers/chromium make test."
)


# --- which pages ---------------------------------------------------------------


def manifest_ids() -> tuple[list[str], str | None]:
    """Report ids of ``reports.yml`` (``foreach`` expanded), or the error that prevents reading it."""
    try:
        from rd_territoriale.build.manifest import load_manifest

        return [spec.id for spec in load_manifest(ROOT)], None
    except Exception as exc:  # noqa: BLE001 — reported by test_manifest_is_readable
        return [], f"{type(exc).__name__} : {exc}"


REPORT_IDS, MANIFEST_ERROR = manifest_ids()
PAGES = ["index", *REPORT_IDS]


# --- build ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def build(example_site) -> Build:
    """The example site (conftest.py): every report of reports.yml, built once per session."""
    return example_site


# --- browser -------------------------------------------------------------------


def find_chromium() -> str:
    """Path of the Chromium to drive (the package's own lookup); fails the test (in French) when there is none."""
    from rd_territoriale.build.pdf import BrowserMissing
    from rd_territoriale.build.pdf import find_chromium as lookup

    try:
        return lookup()
    except BrowserMissing as exc:
        pytest.fail(f"{exc}\n{INSTALL_HINT}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Le paquet Python « playwright » manque : pip install -e '.[dev]' (ou make test).")
    executable = find_chromium()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001
        playwright.stop()
        pytest.fail(f"Chromium ({executable}) ne démarre pas : {exc}\n{INSTALL_HINT}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``tests/artifacts/``, emptied of the screenshots of a previous run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*-axe.json")]:
        old.unlink()
    return ARTIFACTS


# --- one visit of one page -------------------------------------------------------


@dataclass
class Visit:
    """What the browser saw of one page, on a desktop and on a phone."""

    name: str
    path: Path
    desktop_png: Path
    phone_png: Path
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dom: dict = field(default_factory=dict)
    violations: list[dict] = field(default_factory=list)
    phone: dict = field(default_factory=dict)
    hostile: dict = field(default_factory=dict)

    @property
    def is_index(self) -> bool:
        return self.path.name == "index.html"  # reports/index.html, or a study's own index

    def where(self) -> str:
        rel = lambda p: p.relative_to(ROOT) if p.is_relative_to(ROOT) else p  # noqa: E731
        return (f"\n  page : {self.path}\n  captures : {rel(self.desktop_png)} (ordinateur), "
                f"{rel(self.phone_png)} (téléphone)")


DOM_SCRIPT = """async () => {
  const images = Array.from(document.images);
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  const footer = document.querySelector('footer.rdt-footer');
  const style = footer && getComputedStyle(footer);
  // Body rows of every table whose label is a plain cell: a row with a text label must say
  // what it is to a screen reader (issue 16), with a row header <th scope="row">.
  const number = /^[\\s\\d\u00a0\u202f.,%×<>+\\-–—sÉé()]*$/;
  const unlabelled = [];
  document.querySelectorAll('table').forEach((table, n) => {
    const caption = table.caption ? table.caption.textContent.trim() : '';
    if (!caption && unlabelled.length < 5) unlabelled.push(`tableau ${n + 1} : sans titre <caption>`);
    table.querySelectorAll('tbody tr').forEach(row => {
      const first = row.cells[0];
      if (!first || first.tagName === 'TH' && first.getAttribute('scope') === 'row') return;
      const label = first.textContent.trim();
      if (label && !number.test(label) && unlabelled.length < 5)
        unlabelled.push(`tableau ${n + 1} : ligne « ${label.slice(0, 40)} » sans en-tête de ligne <th scope="row">`);
    });
  });
  return {
    unlabelled,
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    h1: Array.from(document.querySelectorAll('h1')).map(h => h.textContent.trim()),
    images: images.map((img, n) => ({
      n: n + 1, alt: img.alt, src: (img.currentSrc || img.src || '').slice(0, 60),
      complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
    })),
    footer: footer ? {
      text: footer.innerText,
      visible: style.display !== 'none' && style.visibility !== 'hidden' && footer.offsetHeight > 0,
      items: footer.querySelectorAll('dt').length,
    } : null,
  };
}"""

# What text from a study must never do in the page (issue 15, tests/payloads.py).
HOSTILE_SCRIPT = """() => {
  const all = Array.from(document.querySelectorAll('*'));
  const handlers = all.filter(el => Array.from(el.attributes).some(a => a.name.toLowerCase().startsWith('on')))
                      .map(el => el.outerHTML.slice(0, 120));
  const outside = Array.from(document.querySelectorAll('[href],[src]'))
      .map(el => el.getAttribute('href') || el.getAttribute('src'))
      .filter(url => url && !url.startsWith('#') && !url.startsWith('data:') && /^[a-z]+:|^\\/\\//i.test(url)
                     && !url.startsWith('file:'));
  const text = document.body.innerText;
  return {
    pwned: typeof window.__rdt_pwned === 'undefined' ? null : String(window.__rdt_pwned),
    handlers, outside,
    traps: document.querySelectorAll('.rdt-piege').length,
    scripts: document.querySelectorAll('script:not([data-rdt="recherche"])').length,
    plain: text.includes(""" + json.dumps(PLAIN) + """),
    escaped: (text.match(/&lt;|&amp;|&gt;|\\\\[<>&\\[\\]*_$]/g) || []).slice(0, 5),
  };
}"""

# Horizontal overflow of the page, and the outermost elements that cause it
# (elements inside a scrolling or clipping box do not make the page scroll).
PHONE_SCRIPT = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 1;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [];
  if (root.scrollWidth > limit) {
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement;
      if (right > limit && parent && parent.getBoundingClientRect().right <= limit && !clipped(el)) {
        const cls = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean).join('.');
        culprits.push(`<${el.tagName.toLowerCase()}${cls ? ' class=' + cls : ''}> ` +
                      `(bord droit à ${Math.round(right)} px) : ${el.outerHTML.slice(0, 120)}`);
        if (culprits.length >= 5) break;
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, innerWidth: window.innerWidth,
          culprits};
}"""


def open_page(browser, visit: Visit, viewport: dict, mobile: bool):
    """A new context and page, recording requests and errors into ``visit``, at ``visit.path``."""
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile,
                                  device_scale_factor=1, locale="fr-FR")
    context.set_default_timeout(PAGE_TIMEOUT)
    label = "téléphone" if mobile else "ordinateur"
    context.on("request", lambda r: visit.requests.append(r.url))
    context.on("requestfailed", lambda r: visit.failed.append(f"{r.url[:120]} ({r.failure}) [{label}]"))
    # Whatever is not local is refused before it leaves (and still recorded above).
    context.route(lambda url: not url.startswith(ALLOWED_SCHEMES), lambda route: route.abort())
    page = context.new_page()
    page.on("console", lambda m: visit.console.append(f"console.{m.type} [{label}] : {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console.append(f"erreur JavaScript [{label}] : {e}"))
    page.goto(visit.path.as_uri(), wait_until="load")
    return context, page


#: axe rules whose verdict can change with the width of the screen: run again on the phone (the
#: whole rule set runs on the desktop).
PHONE_AXE_RULES = ["scrollable-region-focusable", "meta-viewport", "meta-viewport-large", "target-size",
                   "region", "landmark-one-main"]


def visit_page(browser, artifacts: Path, name: str, path: Path) -> Visit:
    """Open ``path`` on a desktop and on a phone and record what every check needs.

    Full-page screenshots cost more than the checks: they are taken only for a
    page that fails a check, and named in its failure message.
    """
    visit = Visit(name, path, artifacts / f"{name}-ordinateur.png", artifacts / f"{name}-telephone.png")

    context, page = open_page(browser, visit, DESKTOP, mobile=False)
    try:
        visit.dom = page.evaluate(DOM_SCRIPT)
        visit.hostile = page.evaluate(HOSTILE_SCRIPT)
        visit.violations += run_axe(page, "ordinateur")
    finally:
        context.close()

    context, page = open_page(browser, visit, PHONE, mobile=True)
    try:
        visit.phone = page.evaluate(PHONE_SCRIPT)
        # A table that fits a desktop may scroll sideways on a phone: the rules that depend on width, again.
        visit.violations += run_axe(page, "téléphone", rules=PHONE_AXE_RULES)
    finally:
        context.close()
    if visit.violations:
        (artifacts / f"{name}-axe.json").write_text(json.dumps(visit.violations, indent=2, ensure_ascii=False),
                                                    encoding="utf-8")
    if any(check(visit) for check in CHECKS.values()):
        screenshots(browser, visit)
    return visit


def screenshots(browser, visit: Visit) -> None:
    """Full-page screenshots of ``visit``'s page, desktop and phone, for its failure message."""
    for viewport, mobile, png in ((DESKTOP, False, visit.desktop_png), (PHONE, True, visit.phone_png)):
        context, page = open_page(browser, Visit(visit.name, visit.path, png, png), viewport, mobile)
        try:
            page.screenshot(path=png, full_page=True)
        finally:
            context.close()


def run_axe(page, view: str, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations on ``page`` (axe.min.js from the axe-playwright-python wheel), tagged with ``view``.

    ``rules``: only these rules (all of them when ``None``).
    """
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = Axe().run(page, options=options)
    return [{**violation, "vue": view} for violation in results.response["violations"]]


@pytest.fixture(scope="session", params=PAGES)
def visit(request, build, browser, artifacts) -> Visit:
    name = request.param
    path = build.reports / f"{name}.html"
    if not path.is_file():
        pytest.fail(f"{path.name} n'a pas été construit (rd-territoriale build a rendu {build.returncode}) :\n"
                    f"{build.tail()}")
    return visit_page(browser, artifacts, name, path)


# --- the checks (each returns its problems, in French) ----------------------------


def outside_requests(visit: Visit) -> list[str]:
    problems = [f"requête hors du fichier : {url[:160]}" for url in visit.requests
                if not url.startswith(ALLOWED_SCHEMES)]
    problems += [f"ressource locale introuvable : {failure}" for failure in visit.failed
                 if failure.startswith(ALLOWED_SCHEMES)]
    return problems


def console_errors(visit: Visit) -> list[str]:
    return list(visit.console)


def broken_images(visit: Visit) -> list[str]:
    return [f"image n° {img['n']} (alt « {img['alt']} », src {img['src']}…) non décodée : "
            f"naturalWidth = {img['width']}" for img in visit.dom["images"]
            if not img["complete"] or img["width"] <= 0]


def structure_problems(visit: Visit) -> list[str]:
    dom, problems = visit.dom, []
    if dom["lang"] != "fr":
        problems.append(f'<html lang="fr"> attendu, trouvé lang={dom["lang"]!r}')
    if not dom["title"].strip():
        problems.append("<title> vide")
    if len(dom["h1"]) != 1:
        problems.append(f"exactement un <h1> attendu, trouvé {len(dom['h1'])} : {dom['h1']}")
    elif not dom["h1"][0]:
        problems.append("le <h1> est vide")
    footer = dom["footer"]
    if footer is None:
        problems.append('pied de page <footer class="rdt-footer"> absent')
    elif not footer["visible"]:
        problems.append('pied de page <footer class="rdt-footer"> invisible')
    elif not visit.is_index and ("Provenance de ce rapport" not in footer["text"] or footer["items"] == 0):
        problems.append(f"le pied de page ne donne pas la provenance du rapport : {footer['text'][:200]!r}")
    return problems


def table_problems(visit: Visit) -> list[str]:
    """Tables without a caption, and table rows with a text label that is no row header."""
    return list(visit.dom.get("unlabelled", []))


def accessibility_problems(visit: Visit) -> list[str]:
    problems = []
    for violation in visit.violations:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        lines = [f"axe « {violation['id']} » ({violation['impact']}, sur {violation['vue']}) : "
                 f"{violation['help']} — {violation['helpUrl']}"]
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    élément {target} : {node['html'][:200]}\n      {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … et {len(violation['nodes']) - 10} autres éléments")
        problems.append("\n".join(lines))
    return problems


def phone_problems(visit: Visit) -> list[str]:
    phone, limit = visit.phone, PHONE["width"] + 1
    problems = []
    if phone["innerWidth"] > limit:
        problems.append(f"sur téléphone la page s'affiche sur {phone['innerWidth']} px au lieu de {PHONE['width']} "
                        f'(balise <meta name="viewport" content="width=device-width"> absente ?)')
    if phone["scrollWidth"] > limit:
        problems.append(f"défilement horizontal sur téléphone : la page mesure {phone['scrollWidth']} px "
                        f"de large pour un écran de {PHONE['width']} px")
        problems += [f"  déborde : {culprit}" for culprit in phone["culprits"]]
    return problems


def hostile_text(visit: Visit) -> list[str]:
    """Text from the study that ran, made an element or a link, or shows escaped instead of as written."""
    found, problems = visit.hostile, []
    if found["pwned"] is not None:
        problems.append(f"un script venu des données s'est exécuté (window.__rdt_pwned = {found['pwned']})")
    problems += [f"attribut d'événement dans la page : {h}" for h in found["handlers"]]
    problems += [f"lien ou ressource externe venu des données : {u}" for u in found["outside"]]
    if found["traps"]:
        problems.append(f"{found['traps']} élément(s) « rdt-piege » créé(s) par les données")
    if found["scripts"]:
        problems.append(f"{found['scripts']} élément(s) <script> dans la page")
    problems += [f"texte échappé deux fois, affiché tel quel : {e!r}" for e in found["escaped"]]
    return problems


CHECKS = {
    "texte venu des données": hostile_text,
    "requêtes": outside_requests,
    "console": console_errors,
    "images": broken_images,
    "structure": structure_problems,
    "tableaux": table_problems,
    "accessibilité": accessibility_problems,
    "téléphone": phone_problems,
}


def report(visit: Visit, what: str, problems: list[str]) -> str:
    return f"{visit.path.name} — {what} :\n" + "\n".join(f"- {p}" for p in problems) + visit.where()


# --- tests -------------------------------------------------------------------------


def test_manifest_is_readable():
    assert MANIFEST_ERROR is None, f"reports.yml ne se lit pas, aucun rapport n'est vérifié : {MANIFEST_ERROR}"
    assert REPORT_IDS, "reports.yml ne liste aucun rapport"


def test_build_succeeds(build):
    assert build.returncode == 0, f"rd-territoriale build a rendu {build.returncode} :\n{build.tail()}"
    built = sorted(p.stem for p in build.reports.glob("*.html"))
    assert "index" in built and set(REPORT_IDS) <= set(built), built


def test_nothing_leaves_the_file(visit):
    problems = outside_requests(visit)
    assert not problems, report(visit, "la page demande autre chose que file: et data:", problems)
    assert visit.requests, "aucune requête enregistrée : l'enregistrement ne fonctionne pas"


def test_no_console_error(visit):
    problems = console_errors(visit)
    assert not problems, report(visit, "erreurs dans la console du navigateur", problems)


def test_every_image_is_decoded(visit):
    problems = broken_images(visit)
    assert not problems, report(visit, "images cassées", problems)


def test_structure(visit):
    problems = structure_problems(visit)
    assert not problems, report(visit, "structure de la page", problems)


def test_accessibility(visit):
    problems = accessibility_problems(visit)
    minor = [f"{v['id']} ({v['impact']}, sur {v['vue']}, {len(v['nodes'])} élément(s))" for v in visit.violations
             if v["impact"] not in BLOCKING_IMPACTS]
    if minor:
        warnings.warn(f"{visit.path.name} : accessibilité, défauts mineurs (axe) : {', '.join(minor)}", stacklevel=1)
    assert not problems, report(visit, "violations d'accessibilité graves (axe-core)", problems) + (
        f"\n  détail : {ARTIFACTS / (visit.name + '-axe.json')}")


def test_field_text_is_text(visit):
    """No script, element, handler or link comes from the data, and nothing is escaped twice (issue 15)."""
    problems = hostile_text(visit)
    assert not problems, report(visit, "texte venu des données interprété comme du balisage", problems)


def test_field_text_shows_as_written_and_no_page_is_refused(build):
    """Every report built from the planted example (no page refused), and the plain sentence shows as written."""
    assert build.returncode == 0, f"une page a été refusée ou a échoué :\n{build.tail()}"
    pages = [p for p in build.reports.glob("*.html") if p.stem != "index"]
    raw = [p.stem for p in pages if "a &lt; b &amp; c &gt; d" in p.read_text(encoding="utf-8")]
    assert len(raw) >= 5, f"la phrase « {PLAIN} » n'apparaît que dans {raw}"


def test_phone_has_no_horizontal_scroll(visit):
    problems = phone_problems(visit)
    assert not problems, report(visit, f"affichage sur téléphone ({PHONE['width']} × {PHONE['height']})", problems)


def test_pages_outside_the_manifest(build, browser, artifacts):
    """Pages built but not listed when the test was collected get every check too (one test for all)."""
    others = sorted(p for p in build.reports.glob("*.html") if p.stem not in PAGES)
    failures = []
    for path in others:
        visit = visit_page(browser, artifacts, path.stem, path)
        for what, check in CHECKS.items():
            problems = check(visit)
            if problems:
                failures.append(report(visit, what, problems))
    assert not failures, "\n\n".join(failures)


# --- the test's own checks catch what they should --------------------------------


BAD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Mauvaise page</title>
<style>.pale { color: #ccc; background: #fff; }</style></head>
<body><h1>Un</h1><h1>Deux</h1>
<p class="pale">Texte trop pâle pour être lu.</p>
<img src="absente.png" alt="Figure absente">
<img src="https://cdn.example.org/figure.png" alt="Figure distante">
<div style="width: 900px">Trop large pour un téléphone.</div>
<div style="overflow-x: auto"><p style="width: 600px">Boîte qui défile, sans accès au clavier, sur téléphone.</p></div>
<p><b class="rdt-piege" onmouseover="x()">survol</b> <a href="https://x.example/piege">clic</a> &amp;lt;</p>
<table><thead><tr><th>Catégorie</th><th>P1</th></tr></thead><tbody><tr><td>Salariés</td><td>3</td></tr></tbody></table>
<script>window.__rdt_pwned = 1; console.error("erreur voulue"); undefinedFunction();</script>
</body></html>"""


def test_the_checks_catch_a_bad_page(tmp_path, browser):
    """A deliberately broken page fails every check: the test is not blind."""
    page = tmp_path / "mauvaise.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    visit = visit_page(browser, tmp_path, "mauvaise", page)
    found = {what: check(visit) for what, check in CHECKS.items()}
    assert any("cdn.example.org" in p for p in found["requêtes"]), found["requêtes"]
    assert any("absente.png" in p for p in found["requêtes"]), found["requêtes"]
    assert any("erreur voulue" in p for p in found["console"]), found["console"]
    assert any("undefinedFunction" in p for p in found["console"]), found["console"]
    assert len(found["images"]) == 2, found["images"]
    structure = " ".join(found["structure"])
    assert 'lang="fr"' in structure and "trouvé 2" in structure and "rdt-footer" in structure
    assert any("color-contrast" in p for p in found["accessibilité"]), found["accessibilité"]
    assert any("scrollable-region-focusable" in p and "sur téléphone" in p for p in found["accessibilité"])
    assert any("900 px" in p or "défilement" in p for p in found["téléphone"]), found["téléphone"]
    assert any("<div" in p for p in found["téléphone"]), found["téléphone"]
    hostile = " ".join(found["texte venu des données"])
    assert "__rdt_pwned = 1" in hostile and "onmouseover" in hostile and "x.example/piege" in hostile
    assert "rdt-piege" in hostile and "<script>" in hostile and "échappé deux fois" in hostile
    assert found["tableaux"] == ["tableau 1 : sans titre <caption>",
                                 'tableau 1 : ligne « Salariés » sans en-tête de ligne <th scope="row">']
    assert visit.desktop_png.is_file() and visit.phone_png.is_file()


# --- PDF copies (issue 16) ------------------------------------------------------------------


@pytest.fixture(scope="session")
def pdfs(build):
    """``build --pdf`` on the site already built: the pages are up to date, only the PDFs are printed."""
    if build.returncode != 0:
        pytest.fail(f"la construction des pages a échoué :\n{build.tail()}")
    return subprocess.run([*cli_command(), "build", "--root", str(build.root), "--pdf"], capture_output=True,
                          text=True, timeout=BUILD_TIMEOUT, cwd=build.root)


def _words(text: str) -> str:
    """Text as words, ligatures (« ﬂ ») and no-break spaces undone, for comparing a PDF with its page."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).split())


def _headings(page: Path) -> tuple[str, list[str]]:
    from bs4 import BeautifulSoup

    main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
    texts = {}
    for level in ("h1", "h2"):
        texts[level] = [_words(h.get_text(" ", strip=True).removesuffix("#")) for h in main.find_all(level)]
    return texts["h1"][0], texts["h2"]


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [_words(item.title)]
    return titles


def _fonts(reader) -> dict[str, bool]:
    """Every font of the PDF, and whether its file is embedded."""
    found = {}
    for pdf_page in reader.pages:
        for font in (pdf_page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font.get("/BaseFont"))] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pdf_copy_is_tagged_a4_numbered_bookmarked_with_fonts_and_provenance(pdfs, build, report_id):
    from pypdf import PdfReader

    assert pdfs.returncode == 0, pdfs.stdout + pdfs.stderr
    page = build.reports / f"{report_id}.html"
    pdf = page.with_suffix(".pdf")
    assert pdf.is_file(), f"{pdf.name} absent :\n{pdfs.stdout}"
    assert pdf.stat().st_size < 2 * 1024 * 1024
    reader = PdfReader(pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog  # tagged: « Tagged: yes »
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595.9) < 1 and abs(height - 842.9) < 1  # A4
    title, sections = _headings(page)
    text = _words(" ".join(p.extract_text() for p in reader.pages))
    assert title in text
    last = _words(reader.pages[-1].extract_text())
    assert "Provenance de ce rapport" in last and "Empreinte des données" in last
    assert f"page {len(reader.pages)} sur {len(reader.pages)}" in last
    bookmarks = _outline_titles(reader.outline)
    assert sections and all(section in bookmarks for section in sections), (sections, bookmarks)
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts


def test_index_links_every_pdf_and_a_second_run_prints_nothing(pdfs, build):
    index = (build.reports / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{report_id}.pdf"' in index for report_id in REPORT_IDS)
    again = subprocess.run([*cli_command(), "build", "--root", str(build.root), "--pdf"], capture_output=True,
                           text=True, timeout=BUILD_TIMEOUT, cwd=build.root)
    assert again.returncode == 0 and "Copies PDF déjà à jour" in again.stdout, again.stdout + again.stderr


def test_pdf_without_chromium_says_what_to_install_and_builds_nothing(build):
    env = {**os.environ, "CHROMIUM": "/nulle-part/chromium"}
    result = subprocess.run([*cli_command(), "build", "--root", str(build.root), "--pdf"], capture_output=True,
                            text=True, timeout=120, cwd=build.root, env=env)
    assert result.returncode == 2
    assert "apt-get install chromium" in result.stderr and "sans navigateur" in result.stderr
    assert "Traceback" not in result.stderr and "Construction" not in result.stdout


# --- search across the reports, from disk (issue 16) ----------------------------------------


def _search(page, query: str) -> list[str]:
    """Type ``query`` in the index's search as a keyboard user would; the hrefs of the results."""
    page.keyboard.press("/")  # the shortcut puts the focus in the field
    assert page.evaluate("document.activeElement.id") == "rdt-q"
    page.keyboard.press("Control+A")
    page.keyboard.type(query)
    page.wait_for_function("document.getElementById('rdt-count').textContent.length > 0")
    page.wait_for_timeout(200)
    return [a.get_attribute("href") for a in page.locator("#rdt-results a").all()]


def test_search_finds_codes_periods_and_projects_offline_with_the_keyboard(build, browser):
    import yaml

    from rd_territoriale import load_case

    if build.returncode != 0:
        pytest.fail(f"la construction a échoué :\n{build.tail()}")
    case = load_case(build.root / "data" / "exemple")
    code_label = case.codebook.loc[case.codebook["code"] == "pression_salaries", "label"].iloc[0]
    periods = yaml.safe_load((build.root / "data" / "exemple" / "study.yml").read_text(encoding="utf-8"))["periods"]
    period_label = next(p["label"] for p in periods if p["id"] == "P3")
    project = case.units.loc[case.units["id"] == "U02", "name"].iloc[0]
    context = browser.new_context(viewport=PHONE)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    try:
        page.goto((build.reports / "index.html").as_uri())
        found = _search(page, code_label)
        assert any(h.startswith("synthese.html#") for h in found), found
        assert any(h.startswith("periode-P3.html#") for h in found), found
        found = _search(page, period_label.lower())  # neither case nor accents matter
        assert {"periode-P3.html", "reflexivite-periode-P3.html"} <= {h.split("#")[0] for h in found}, found
        found = _search(page, project)
        assert {"projet-U02.html", "chaine-de-valeur-projet-U02.html"} <= {h.split("#")[0] for h in found}, found
        assert _search(page, "__rdt_pwned")  # field text with markup is found, and shown as text
        assert page.evaluate("typeof window.__rdt_pwned") == "undefined"
        assert page.locator("#rdt-results .rdt-piege, #rdt-results img, #rdt-results script").count() == 0
        assert "<script>" in page.locator("#rdt-results").text_content()
        assert _search(page, "zzzqqq introuvable") == []
        assert "Aucune section" in page.locator("#rdt-count").text_content()
        first = _search(page, project)[0]
        page.keyboard.press("Tab")  # from the field to the first result, then open it
        assert page.evaluate("document.activeElement.getAttribute('href')") == first
        with page.expect_navigation():
            page.keyboard.press("Enter")
        anchor = first.split("#", 1)[1]
        assert page.url.endswith(first) and page.locator(f"[id='{anchor}']").count() == 1
    finally:
        context.close()
    assert requests and all(u.startswith(ALLOWED_SCHEMES) for u in requests), requests


# --- real QDA exports, imported into an `init` study and built with --study (issue 14) -------

EXTERNAL = ROOT.parent / "shared" / "data" / "external"
TAGUETTE = EXTERNAL / "taguette-swj2022"
#: Each real export: (study folder name, import arguments, period dates for the init study).
REAL_EXPORTS = [
    ("qc-demo", [str(EXTERNAL / "qc-demo" / "demo.qdpx"), "--date", f"{date.today().year}-06-01"], None),
    ("taguette-20220301", [str(TAGUETTE / "tags" / "all_tags_20220301.csv"), "--codebook",
                           str(TAGUETTE / "codebooks" / "codebook_20220301_7.csv"), "--date", "2021-11-30"],
     ("2021-11-01", "2022-03-31")),
    ("taguette-20220303", [str(TAGUETTE / "tags" / "all_tags_20220303.csv"), "--codebook",
                           str(TAGUETTE / "codebooks" / "codebook_20220303_8.csv")], ("2021-11-01", "2022-03-31")),
]


@pytest.fixture(scope="session")
def real_builds(build) -> dict[str, subprocess.CompletedProcess]:
    """The real exports, each: init, import, build --study, in the browser test's project copy."""
    if not EXTERNAL.is_dir():
        pytest.skip("données externes absentes (../shared/data/external) : exports réels non testés")
    out = {}
    for name, arguments, dates in REAL_EXPORTS:
        folder = build.root / "data" / name
        steps = [["init", str(folder)]]
        steps.append(["import", *arguments, "--into", str(folder), "--repondants", "partenaires"])
        steps.append(["build", "--root", str(build.root), "--study", str(folder)])
        for number, step in enumerate(steps):
            if number == 1 and dates:
                study = folder / "study.yml"
                year = date.today().year  # init's placeholder period covers this year
                study.write_text(study.read_text(encoding="utf-8")
                                 .replace(f"start: {year}-01-01", f"start: {dates[0]}")
                                 .replace(f"end: {year}-12-31", f"end: {dates[1]}"), encoding="utf-8")
            result = subprocess.run([*cli_command(), *step], capture_output=True, text=True,
                                    timeout=BUILD_TIMEOUT, cwd=build.root)
            out[name] = result
            if result.returncode != 0:
                break
    return out


def study_page_problems(build, browser, artifacts, name: str, result) -> list[str]:
    """Build ``result`` of ``--study data/<name>``: every report written, every page through every check."""
    from rd_territoriale.build.manifest import load_manifest

    assert result.returncode == 0, f"{name} : {result.args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    folder = build.reports / name
    expected = {spec.id for spec in load_manifest(build.root, study=build.root / "data" / name)}
    built = {p.stem for p in folder.glob("*.html")}
    assert expected | {"index"} <= built, sorted(expected - built)
    failures = []
    for path in sorted(folder.glob("*.html")):
        visit = visit_page(browser, artifacts, f"{name}-{path.stem}", path)
        for what, check in CHECKS.items():
            problems = check(visit)
            if problems:
                failures.append(report(visit, what, problems))
    top = (build.reports / "index.html").read_text(encoding="utf-8")
    if f'href="{name}/index.html"' not in top:
        failures.append(f"reports/index.html ne renvoie pas vers {name}/index.html")
    return failures


@pytest.mark.parametrize("name", [r[0] for r in REAL_EXPORTS])
def test_real_exports_build_every_report_and_pass_the_browser_checks(real_builds, build, browser, artifacts, name):
    """A real QDA export in an `init` study: every report of the manifest builds and passes every check."""
    failures = study_page_problems(build, browser, artifacts, name, real_builds[name])
    assert not failures, "\n\n".join(failures)


# --- sparse studies made from the example, built with --study (issue 14) ---------------------

#: Sparse studies built and opened in the browser by every `make test`: what they lack covers every
#: gap of tests/sparse_studies.py. RDT_TOUTES_LES_ETUDES_CREUSES=1 builds each variant on its own instead.
SPARSE_BUILT = {
    "etude-creuse": "sans-journal+sans-projets+un-codeur+sans-locuteurs+sans-consentement+sans-indicateurs",
    "periode-vide": "periode-vide",
    "une-periode-sans-segments": "une-periode+sans-segments+sans-citations",
}
if os.environ.get("RDT_TOUTES_LES_ETUDES_CREUSES"):
    from sparse_studies import SPARSE

    SPARSE_BUILT = {name: name for name in SPARSE}


@pytest.fixture(scope="session")
def sparse_builds(build) -> dict[str, subprocess.CompletedProcess]:
    """Each sparse study written into the browser test's project copy, then ``build --study``."""
    from sparse_studies import make_sparse

    out = {}
    for name, recipe in SPARSE_BUILT.items():
        folder = make_sparse(recipe, build.root / "data" / name)
        out[name] = subprocess.run([*cli_command(), "build", "--root", str(build.root), "--study", str(folder)],
                                   capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=build.root)
    return out


@pytest.mark.parametrize("name", sorted(SPARSE_BUILT))
def test_sparse_studies_build_every_report_and_pass_the_browser_checks(sparse_builds, build, browser, artifacts,
                                                                       name):
    """A sparse study: every report builds, and every page passes every check."""
    failures = study_page_problems(build, browser, artifacts, name, sparse_builds[name])
    assert not failures, "\n\n".join(failures)
