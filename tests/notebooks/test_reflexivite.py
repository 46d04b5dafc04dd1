"""The reflexivity report, built on the example case for partners and for the team."""

from __future__ import annotations

import re

import pytest
from report_pages import ROOT, assert_partner_page, raw_page, section

EXAMPLE = ROOT / "data" / "exemple"


@pytest.fixture(scope="module")
def pages(example_pages):
    """The reflexivity report of the example site: for partners, for the team (an extra parameter set), for P3."""
    return {
        "partenaires": example_pages["reflexivite"],
        "equipe": example_pages["reflexivite-equipe"],
        "p3": example_pages["reflexivite-periode-P3"],
    }


def test_structure_and_partner_rules(pages, example_site):
    for report_id in ("reflexivite", "reflexivite-equipe", "reflexivite-periode-P3"):
        assert_partner_page(raw_page(example_site, report_id))
    text = pages["partenaires"]
    titles = re.findall(r"<h2[^>]*>([^<]+)", text)
    assert titles == [
        "En bref",
        "Posture et rôles du chercheur",
        "Quelles voix sont entendues",
        "L'empreinte de la recherche sur le vocabulaire",
        "L'évolution du dictionnaire de codes",
        "Limites de l'analyse",
        "Recommandations",
    ]
    recommendations = re.findall(r"<h3[^>]*>([^<]+)", section(text, "recommandations"))
    assert recommendations == [
        "1. Adopter une posture critique de discernement",
        "2. Aligner une finalité consciente avec la configuration des acteurs tiers",
        "3. Choisir de construire une organisation saine et durable",
    ]


def test_planted_effects_are_stated(pages):
    brief = section(pages["partenaires"], "en-bref")
    assert "Salariés en P3 (5,8 fois son poids, sur-représentation)" in brief
    assert "« chaîne de valeur élargie », employé d'abord par le chercheur le 15/10/2019" in brief
    assert "de 1\u00a0% en P1 à 60\u00a0% en P4" in brief
    lexicon = section(pages["partenaires"], "l-empreinte")
    assert "reprise après la première utilisation par le chercheur" in lexicon
    assert "déjà employé par les acteurs avant" in lexicon  # the control term
    churn = section(pages["partenaires"], "l-evolution")
    assert "« Épuisement » scindé en « Pression sur les salariés » et « Surinvestissement »" in churn


def test_small_cells_are_masked_for_partners_only(pages):
    partners = section(pages["partenaires"], "quelles-voix")
    team = section(pages["equipe"], "quelles-voix")
    # Persons heard per category: 1 employee in P1 (a category below the minimum size of 5).
    assert partners.count("<\u00a05</td>") >= 10
    assert "<\u00a05</td>" not in team and "Ne pas diffuser" in team
    limits = section(pages["partenaires"], "limites")
    assert re.search(r"\d+ cases masquées dans les tableaux de ce rapport", limits)
    assert "Un seul entretien" not in limits and "Un seul entretien" in section(pages["equipe"], "limites")
    # The reliability status is known (issue 7) and stated among the limits, with the unreliable code.
    assert "alpha de Krippendorff de 0,84" in limits and "« Rôle flou du pôle »" in limits


def test_one_period(pages):
    page = pages["p3"]
    assert "Ce rapport couvre la période « Crise sanitaire et relance »" in page
    voices = section(page, "quelles-voix")
    assert "P3" in voices and not re.search(r"<td>P1</td>", voices)
