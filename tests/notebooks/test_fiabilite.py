"""The reliability report, built on the example case (audience: research team)."""

from __future__ import annotations

import re

import pytest
from report_pages import assert_partner_page, raw_page, section


@pytest.fixture(scope="module")
def page(example_site, example_pages):
    """The reliability report of the example site, and the site's index."""
    index = (example_site.reports / "index.html").read_text(encoding="utf-8")
    return example_pages["fiabilite"], index


def test_unreliable_code_flagged_on_the_first_screen(page, example_site):
    text, _ = page
    assert_partner_page(raw_page(example_site, "fiabilite"))  # offline, no code, French
    brief = section(text, "en-bref")
    assert "alpha de Krippendorff 0,843, fiable" in brief
    assert re.search(r"Non fiables.*« Rôle flou du pôle » \(0,54\)", brief, re.S)
    assert "14 des 53 entretiens (26\u00a0%)" in brief and "O'Connor et Joffe" in brief


def test_every_code_is_reported_with_its_values(page):
    text, _ = page
    table = text[text.index('id="accord-code-par-code') : text.index('id="derive')]
    rows = re.findall(r'<th (?=[^>]*scope="row")[^>]*class="data row\d+ col0"[^>]*>([^<]+)</th>', table)  # row headers
    assert len(rows) == 22 and rows[0] == "Rôle flou du pôle" and rows[-1] == "Ensemble des codes"
    assert "0,541" in table and "non fiable" in table


def test_for_the_team_only(page):
    text, index = page
    assert "réservé à l'équipe de recherche" in text
    assert 'href="fiabilite.html"' in index and "Équipe de recherche" in index
