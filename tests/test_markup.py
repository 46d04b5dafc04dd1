"""Study text in the project's Markdown is text (issue 15): rendered by nbconvert, it shows as written."""

from __future__ import annotations

import html
import re

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from rd_territoriale.markup import md

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="https://x.example" onmouseover="alert(1)">survol</a>',
    "[clic](https://x.example)",
    "![image](https://x.example/i.png)",
    "$x_1$ et un $ seul",
    "a < b & c > d",
    "= SOMME(A1:A3)",
    "https://x.example/page et www.x.example",
    "écrire à moi@x.example",
    "**gras** _italique_ `code` ~~barré~~",
    "# titre",
    "1. premier",
    "- tiret",
    "> citation",
    "a | b | c",
    "chemin\\avec\\barres",
]


def rendered(text: str) -> str:
    """The text as the build renders it, inside the project's own Markdown (a bold label and a list)."""
    return markdown2html_mistune(f"- **Étiquette** : {md(text)}")


@pytest.mark.parametrize("text", PAYLOADS)
def test_study_text_renders_as_written_and_makes_no_element(text):
    out = rendered(text)
    tags = set(re.findall(r"<\s*([a-zA-Z]+)", out))
    assert tags <= {"ul", "li", "strong"}, (text, out)  # only the project's own markup
    shown = html.unescape(re.sub(r"<[^>]+>", "", out)).strip()
    assert shown == "Étiquette : " + " ".join(text.split()), (text, out)


def test_the_project_markdown_around_the_text_stays_markdown():
    out = markdown2html_mistune(f"**{md('Coopération')}** : *{md('a < b')}*")
    assert "<strong>Coopération</strong>" in out and "<em>a &lt; b</em>" in out


def test_without_escaping_the_payloads_would_be_markup():
    """The test sees what it guards against: the raw payloads do become elements or links."""
    assert "<img src=x" in markdown2html_mistune(f"texte {PAYLOADS[1]}")
    assert "<a " in markdown2html_mistune(PAYLOADS[3])
    assert "<img" in markdown2html_mistune(PAYLOADS[4])


def test_french_typography_is_kept():
    """No-break spaces (before « % », inside « 1 000 ») stay; only line breaks and tabs become spaces."""
    assert md("0\u00a0% et 1\u202f000\nsuite\tfin") == "0\u00a0% et 1\u202f000 suite fin"
