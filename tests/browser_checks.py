"""What a partner's browser must find on a built page, and how the tests look (docs/architecture.md §5).

Headless Chromium (Debian's ``chromium`` package, driven by playwright;
``playwright install`` is never needed) opens a page from ``file://`` on a
desktop and on a phone, and :func:`visit_page` records what each check of
:data:`CHECKS` needs:

- no request other than ``file:`` and ``data:`` (the page works offline);
- no console error, no JavaScript error;
- every ``<img>`` decoded (``naturalWidth > 0``);
- exactly one ``<h1>``, ``<html lang="fr">``, the provenance footer;
- every table with its caption, every text row label a row header;
- no *serious* or *critical* axe-core violation (axe-core is bundled in the
  ``axe-playwright-python`` wheel and injected into the page: nothing is
  downloaded at run time, which the request check itself verifies); colour
  contrast on one text of each look (:func:`contrast_violations`);
- on a phone (390 × 844), no horizontal scroll of the page;
- field text stays text: no script from the data runs, no element or link comes from it.

A page that fails a check gets full-page screenshots (desktop and phone) in
``tests/artifacts/`` (ignored by git), named in the failure message. Used by
``tests/build/test_browser.py`` (the example site) and
``tests/build/test_browser_studies.py`` (real exports and sparse studies).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from payloads import PLAIN

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"

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


def find_chromium() -> str:
    """Path of the Chromium to drive (the package's own lookup); fails the test (in French) when there is none."""
    from rd_territoriale.build.pdf import BrowserMissing
    from rd_territoriale.build.pdf import find_chromium as lookup

    try:
        return lookup()
    except BrowserMissing as exc:
        pytest.fail(f"{exc}\n{INSTALL_HINT}")


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
        return (
            f"\n  page : {self.path}\n  captures : {rel(self.desktop_png)} (ordinateur), "
            f"{rel(self.phone_png)} (téléphone)"
        )


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
HOSTILE_SCRIPT = (
    """() => {
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
    plain: text.includes("""
    + json.dumps(PLAIN)
    + """),
    escaped: (text.match(/&lt;|&amp;|&gt;|\\\\[<>&\\[\\]*_$]/g) || []).slice(0, 5),
  };
}"""
)

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


class Tab:
    """One browser tab of one view (desktop or phone), kept for the session and led from page to page.

    Opening a context and a tab for each page cost twice what the checks
    cost; the report pages keep no state (no storage, no cookie), and a
    navigation starts a new document, so one tab per view serves them all.
    Requests, failures and errors go to the visit being made
    (:attr:`visit`). A tab that fails (a page that hangs or closes itself)
    is dropped, and the next page gets a new one.
    """

    def __init__(self, browser, viewport: dict, mobile: bool):
        self.browser, self.viewport, self.mobile = browser, viewport, mobile
        self.label = "téléphone" if mobile else "ordinateur"
        self.visit: Visit | None = None
        self.context = self.page = None

    def open(self, visit: Visit):
        """The tab, at ``visit.path``, recording into ``visit``."""
        self.visit = visit
        if self.page is None or self.page.is_closed():
            self._new()
        try:
            self.page.goto(visit.path.as_uri(), wait_until="load")
        except Exception:
            self.drop()
            raise
        return self.page

    def _new(self) -> None:
        self.drop()
        self.context = self.browser.new_context(
            viewport=self.viewport, is_mobile=self.mobile, has_touch=self.mobile, device_scale_factor=1, locale="fr-FR"
        )
        self.context.set_default_timeout(PAGE_TIMEOUT)
        self.context.on("request", lambda r: self.visit.requests.append(r.url))
        self.context.on(
            "requestfailed", lambda r: self.visit.failed.append(f"{r.url[:120]} ({r.failure}) [{self.label}]")
        )
        # Whatever is not local is refused before it leaves (and still recorded above).
        self.context.route(lambda url: not url.startswith(ALLOWED_SCHEMES), lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on(
            "console",
            lambda m: (
                self.visit.console.append(f"console.{m.type} [{self.label}] : {m.text}") if m.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda e: self.visit.console.append(f"erreur JavaScript [{self.label}] : {e}"))

    def drop(self) -> None:
        if self.context is not None:
            try:
                self.context.close()
            except Exception:  # noqa: BLE001 — the browser may already be gone
                pass
        self.context = self.page = None


_TABS: dict[int, tuple[Tab, Tab]] = {}


def tabs(browser) -> tuple[Tab, Tab]:
    """The desktop and phone tabs of ``browser`` (made at its first visit)."""
    if id(browser) not in _TABS:
        _TABS[id(browser)] = (Tab(browser, DESKTOP, mobile=False), Tab(browser, PHONE, mobile=True))
    return _TABS[id(browser)]


#: axe rules whose verdict can change with the width of the screen: run again on the phone (the
#: whole rule set runs on the desktop).
PHONE_AXE_RULES = [
    "scrollable-region-focusable",
    "meta-viewport",
    "meta-viewport-large",
    "target-size",
    "region",
    "landmark-one-main",
]


def visit_page(browser, artifacts: Path, name: str, path: Path) -> Visit:
    """Open ``path`` on a desktop and on a phone and record what every check needs.

    Full-page screenshots cost more than the checks: they are taken only for a
    page that fails a check, and named in its failure message.
    """
    visit = Visit(name, path, artifacts / f"{name}-ordinateur.png", artifacts / f"{name}-telephone.png")
    desktop, phone = tabs(browser)

    page = desktop.open(visit)
    try:
        visit.dom = page.evaluate(DOM_SCRIPT)
        visit.hostile = page.evaluate(HOSTILE_SCRIPT)
        visit.violations += run_axe(page, "ordinateur", skip=["color-contrast"])
        visit.violations += contrast_violations(page, "ordinateur")
    except Exception:
        desktop.drop()
        raise

    page = phone.open(visit)
    try:
        visit.phone = page.evaluate(PHONE_SCRIPT)
        # A table that fits a desktop may scroll sideways on a phone: the rules that depend on width, again.
        visit.violations += run_axe(page, "téléphone", rules=PHONE_AXE_RULES)
    except Exception:
        phone.drop()
        raise
    if visit.violations:
        (artifacts / f"{name}-axe.json").write_text(
            json.dumps(visit.violations, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    if any(check(visit) for check in CHECKS.values()):
        screenshots(browser, visit)
    return visit


def screenshots(browser, visit: Visit) -> None:
    """Full-page screenshots of ``visit``'s page, desktop and phone, for its failure message."""
    for viewport, mobile, png in ((DESKTOP, False, visit.desktop_png), (PHONE, True, visit.phone_png)):
        tab = Tab(browser, viewport, mobile)  # a tab of its own: the shared ones keep their place
        try:
            tab.open(Visit(visit.name, visit.path, png, png)).screenshot(path=png, full_page=True)
        finally:
            tab.drop()


def run_axe(
    page, view: str, rules: list[str] | None = None, skip: list[str] | None = None, context: dict | None = None
) -> list[dict]:
    """axe-core's violations on ``page`` (axe.min.js from the axe-playwright-python wheel), tagged with ``view``.

    ``rules``: only these rules (all of them when ``None``); ``skip``: not these; ``context``: axe's
    ``include``/``exclude`` (the whole page when ``None``).
    """
    from axe_playwright_python.sync_playwright import Axe

    options: dict = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    if skip:
        options["rules"] = {rule: {"enabled": False} for rule in skip}
    if not page.evaluate("typeof axe !== 'undefined'"):  # once per document: 570 kB to send and compile
        page.evaluate(Axe().axe_script)
    response = page.evaluate("([context, options]) => axe.run(context || document, options)", [context, options])
    return [{**violation, "vue": view} for violation in response["violations"]]


#: Marks, with ``data-rdt-contraste``, the first element holding text of each look: the same tag, text
#: colour, size, weight, shadow, opacity and position, over the same chain of backgrounds (colour,
#: image, opacity, blend, filter of each ancestor). axe's ``color-contrast`` verdict on a text is made of
#: these: texts that share them share it. Returns how many texts there are and how many looks.
CONTRAST_SAMPLES_SCRIPT = """() => {
  const chains = new Map();
  const chain = el => {
    if (!el || el === document.documentElement.parentNode) return '';
    if (chains.has(el)) return chains.get(el);
    const s = getComputedStyle(el);
    const key = [s.backgroundColor, s.backgroundImage, s.opacity, s.mixBlendMode, s.filter, s.position].join('|')
                + '<' + chain(el.parentElement);
    chains.set(el, key);
    return key;
  };
  const looks = new Set();
  let texts = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.nodeValue.trim()) continue;
    texts++;
    const s = getComputedStyle(el);
    const look = [el.tagName, s.color, s.fontSize, s.fontWeight, s.textShadow, s.visibility, chain(el)].join('|');
    if (looks.has(look)) continue;
    looks.add(look);
    el.setAttribute('data-rdt-contraste', '');
  }
  return [texts, looks.size];
}"""


def contrast_violations(page, view: str) -> list[dict]:
    """axe's ``color-contrast`` on one text of each look of ``page`` (:data:`CONTRAST_SAMPLES_SCRIPT`).

    On a report, hundreds of table cells share one look; the rule, two thirds of axe's time on
    a page, then runs on a few dozen texts instead of thousands, and still on every look of
    every page. ``RDT_TOUT_LE_CONTRASTE=1`` runs it on every text.
    """
    import os

    if os.environ.get("RDT_TOUT_LE_CONTRASTE"):
        return run_axe(page, view, rules=["color-contrast"])
    page.evaluate(CONTRAST_SAMPLES_SCRIPT)
    return run_axe(page, view, rules=["color-contrast"], context={"include": ["[data-rdt-contraste]"]})


# --- the checks (each returns its problems, in French) ----------------------------


def outside_requests(visit: Visit) -> list[str]:
    problems = [
        f"requête hors du fichier : {url[:160]}" for url in visit.requests if not url.startswith(ALLOWED_SCHEMES)
    ]
    problems += [
        f"ressource locale introuvable : {failure}" for failure in visit.failed if failure.startswith(ALLOWED_SCHEMES)
    ]
    return problems


def console_errors(visit: Visit) -> list[str]:
    return list(visit.console)


def broken_images(visit: Visit) -> list[str]:
    return [
        f"image n° {img['n']} (alt « {img['alt']} », src {img['src']}…) non décodée : naturalWidth = {img['width']}"
        for img in visit.dom["images"]
        if not img["complete"] or img["width"] <= 0
    ]


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
        lines = [
            f"axe « {violation['id']} » ({violation['impact']}, sur {violation['vue']}) : "
            f"{violation['help']} — {violation['helpUrl']}"
        ]
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
        problems.append(
            f"sur téléphone la page s'affiche sur {phone['innerWidth']} px au lieu de {PHONE['width']} "
            f'(balise <meta name="viewport" content="width=device-width"> absente ?)'
        )
    if phone["scrollWidth"] > limit:
        problems.append(
            f"défilement horizontal sur téléphone : la page mesure {phone['scrollWidth']} px "
            f"de large pour un écran de {PHONE['width']} px"
        )
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
