"""The search data of ``reports/index.html`` (issue 16): what the pages show, nothing else, escaped."""

from __future__ import annotations

import json
import re

from rd_territoriale.build.search import page_sections, script_json, search_data, searchable_text
from rd_territoriale.privacy.scan import NamePatterns, scan_html

PAGE = """<!DOCTYPE html><html><head><style>.x{}</style><title>T</title></head><body>
<nav class="rdt-toc"><a href="#a">Sommaire</a></nav>
<main><h1 id="titre">Synthèse<a class="anchor-link" href="#titre">#</a></h1>
<p>Introduction &lt;b&gt; du rapport.</p>
<h2 id="themes">Les thèmes</h2>
<p>Premier paragraphe.</p><script>var secret = "caché";</script>
<table><caption>Passages codés</caption><tbody><tr><th scope="row">Tension</th>
<td><details class="rdt-open"><summary>57<span class="rdt-sr"> passages : ouvrir</span></summary>
<ul><li>« On vit d'appels à projets » — Salariés</li></ul></details></td></tr></tbody></table>
<img alt="Carte de chaleur : fréquence" src="data:image/png;base64,AAAA">
<h3 id="detail">Détail</h3><ul><li>Un point.</li></ul>
</main><footer><p>Provenance</p></footer></body></html>"""


def test_sections_hold_what_the_page_shows_and_nothing_else():
    sections = page_sections(PAGE)
    assert [(s["anchor"], s["heading"]) for s in sections] == [
        ("titre", "Synthèse"),
        ("themes", "Les thèmes"),
        ("detail", "Détail"),
    ]
    assert sections[0]["blocks"] == ["Introduction <b> du rapport."]
    themes = " | ".join(sections[1]["blocks"])
    assert "Premier paragraphe." in themes and "Passages codés" in themes and "Tension" in themes
    assert "« On vit d'appels à projets » — Salariés" in themes  # the passages a cell opens onto
    assert "Carte de chaleur : fréquence" in themes  # a figure's alternative text
    assert "caché" not in themes and "ouvrir" not in themes and "Sommaire" not in themes
    assert "Provenance" not in str(sections)  # the footer is the same on every page: not searched


def test_blocks_repeated_across_pages_are_stored_once(tmp_path):
    one, two = tmp_path / "a.html", tmp_path / "b.html"
    one.write_text(PAGE, encoding="utf-8")
    two.write_text(PAGE.replace("Synthèse", "Période P1"), encoding="utf-8")
    data = search_data([("a.html", "A", one), ("b.html", "B", two)], tmp_path / "cache")
    assert [p for p in data["pages"]] == [["a.html", "A"], ["b.html", "B"]]
    assert len(data["sections"]) == 6 and data["blocks"].count("Premier paragraphe.") == 1
    assert (tmp_path / "cache" / "a.json").is_file()
    two.write_text(PAGE.replace("Synthèse", "Période P2"), encoding="utf-8")  # a changed page is read again
    again = search_data([("b.html", "B", two)], tmp_path / "cache")
    assert again["sections"][0][2] == "Période P2"


def test_json_cannot_close_its_script_and_the_leak_scan_reads_it():
    data = {
        "pages": [["a.html", "A"]],
        "sections": [[0, "x", "Titre", [0]]],
        "blocks": ["</script><script>alert(1)</script> & Hélène Dupont l'a dit"],
    }
    text = script_json(data)
    assert "<" not in text and ">" not in text and json.loads(text) == data
    page = f'<main></main><script type="application/json" id="d">{text}</script>'
    patterns = NamePatterns.from_forms([("Hélène Dupont", "SAL03")])
    assert [h.shown for h in scan_html(page, patterns)] == ["SAL03"]
    assert "Hélène Dupont" in searchable_text(data)
    assert re.search(r"\\u003c/script", text)
