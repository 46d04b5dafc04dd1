"""The value-chain reports (whole case and per project), built on the example case."""

from __future__ import annotations

import re

import pytest
from report_pages import assert_partner_page, image_sources, raw_page, section


@pytest.fixture(scope="module")
def pages(example_pages):
    """The value-chain reports of the example site: the whole case, and projects U02 and U04."""
    return {
        "tout": example_pages["chaine-de-valeur"],
        "u02": example_pages["chaine-de-valeur-projet-U02"],
        "u04": example_pages["chaine-de-valeur-projet-U04"],
    }


def test_first_screen_flags_missing_evidence_and_baselines(pages, example_site):
    page = pages["tout"]
    assert_partner_page(raw_page(example_site, "chaine-de-valeur"))
    brief = section(page, "en-bref")
    assert "Sans preuve" in brief and "« Attractivité perçue du territoire (score moyen sur 10) »" in brief
    assert "impact sans preuve" in brief
    assert "Sans situation de référence" in brief and "« Personnes transportées par la mobilité solidaire »" in brief
    assert "3 lien(s) déclaré(s)" in brief


def test_diagram_table_and_quotes(pages):
    page = pages["tout"]
    assert len(image_sources(page)) >= 2  # the chain diagram and the trajectories
    alts = re.findall(r"<img[^>]+alt=(?:\"([^\"]*)\"|'([^']*)')", page)
    assert any(re.search("Ressources.*Impacts", "".join(alt)) for alt in alts), alts
    baselines = section(page, "les-indicateurs")
    row = re.search(
        r"Personnes transportées par la mobilité solidaire</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]+)", baselines
    )
    assert row and row.group(1) == "pas de situation de référence"
    evidence = section(page, "les-preuves")
    assert "0 sur 4" in evidence and evidence.count("<blockquote>") >= 4


def test_per_project(pages):
    assert "Repas servis avec des légumes de la légumerie" in pages["u02"]
    assert "Ce rapport couvre le seul indicateur propre à ce projet." in pages["u02"]
    assert "Aucun indicateur propre à ce projet" in pages["u04"]
