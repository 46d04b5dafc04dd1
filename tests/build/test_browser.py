"""Every page of the example site, opened in a real browser as a partner would open it.

The example site (``conftest.py``: every report of ``reports.yml`` built
once per session by ``rd-territoriale build --root`` in a throw-away copy of
the project, its example planted with hostile field text) is opened page by
page in headless Chromium and put through every check of
:mod:`browser_checks` (docs/architecture.md §5), one test per check and per
page. Its PDF copies and the index's search are tested here too. Real QDA
exports and sparse studies go through the same checks in
``test_browser_studies.py``.

Chromium is looked for in ``$CHROMIUM``, then ``chromium`` on the ``PATH``,
then ``/usr/bin/chromium``; when none is found the test fails (it never
skips) and says what to install. ``make test`` installs it with apt-get when
it runs as root.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

import pytest
from browser_checks import (
    ALLOWED_SCHEMES,
    ARTIFACTS,
    BLOCKING_IMPACTS,
    CHECKS,
    PHONE,
    Visit,
    accessibility_problems,
    broken_images,
    console_errors,
    hostile_text,
    outside_requests,
    phone_problems,
    report,
    structure_problems,
    visit_page,
)
from payloads import PLAIN
from report_pages import Build, cli_command

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 900  # seconds, for a second build of the site (the PDF copies)


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


@pytest.fixture(scope="session", params=PAGES)
def visit(request, build, browser, artifacts) -> Visit:
    name = request.param
    path = build.reports / f"{name}.html"
    if not path.is_file():
        pytest.fail(
            f"{path.name} n'a pas été construit (rd-territoriale build a rendu {build.returncode}) :\n{build.tail()}"
        )
    return visit_page(browser, artifacts, name, path)


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
    minor = [
        f"{v['id']} ({v['impact']}, sur {v['vue']}, {len(v['nodes'])} élément(s))"
        for v in visit.violations
        if v["impact"] not in BLOCKING_IMPACTS
    ]
    if minor:
        warnings.warn(f"{visit.path.name} : accessibilité, défauts mineurs (axe) : {', '.join(minor)}", stacklevel=1)
    assert not problems, report(visit, "violations d'accessibilité graves (axe-core)", problems) + (
        f"\n  détail : {ARTIFACTS / (visit.name + '-axe.json')}"
    )


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
    assert found["tableaux"] == [
        "tableau 1 : sans titre <caption>",
        'tableau 1 : ligne « Salariés » sans en-tête de ligne <th scope="row">',
    ]
    assert visit.desktop_png.is_file() and visit.phone_png.is_file()


def test_contrast_is_checked_on_every_look_of_a_page(tmp_path, browser):
    """axe's colour contrast runs on one text of each look (browser_checks.contrast_violations): a pale
    cell among three hundred, and a paragraph like the others but on a dark block, are each still
    found, and the page's hundreds of texts come down to a handful of looks."""
    from browser_checks import CONTRAST_SAMPLES_SCRIPT, contrast_violations, tabs

    pale = ' style="color:#bbb"'
    rows = "".join(f'<tr><th scope="row">Ligne {i}</th><td{pale if i == 250 else ""}>{i}</td></tr>' for i in range(300))
    page = tmp_path / "contraste.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Contraste</title></head><body>'
        f"<main><h1>Contraste</h1><table><caption>Lignes</caption><tbody>{rows}</tbody></table>"
        '<p>Texte sur fond blanc</p><div style="background:#222"><p>Sombre sur sombre</p></div></main></body></html>',
        encoding="utf-8",
    )
    desktop = tabs(browser)[0]
    tab = desktop.open(Visit("contraste", page, tmp_path / "a.png", tmp_path / "b.png"))
    texts, looks = tab.evaluate(CONTRAST_SAMPLES_SCRIPT)
    assert texts > 600 and looks <= 8, (texts, looks)
    tab.goto(page.as_uri())
    found = [node["html"] for v in contrast_violations(tab, "ordinateur") for node in v["nodes"]]
    assert any(">250<" in html for html in found) and any("Sombre sur sombre" in html for html in found), found


# --- PDF copies (issue 16) ------------------------------------------------------------------


@pytest.fixture(scope="session")
def pdfs(build):
    """``build --pdf`` on the site already built: the pages are up to date, only the PDFs are printed."""
    if build.returncode != 0:
        pytest.fail(f"la construction des pages a échoué :\n{build.tail()}")
    return subprocess.run(
        [*cli_command(), "build", "--root", str(build.root), "--pdf"],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        cwd=build.root,
    )


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
    again = subprocess.run(
        [*cli_command(), "build", "--root", str(build.root), "--pdf"],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        cwd=build.root,
    )
    assert again.returncode == 0 and "Copies PDF déjà à jour" in again.stdout, again.stdout + again.stderr


def test_pdf_without_chromium_says_what_to_install_and_builds_nothing(build):
    env = {**os.environ, "CHROMIUM": "/nulle-part/chromium"}
    result = subprocess.run(
        [*cli_command(), "build", "--root", str(build.root), "--pdf"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=build.root,
        env=env,
    )
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
