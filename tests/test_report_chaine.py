"""The value-chain reports (whole case and per project), built on the example case."""

from __future__ import annotations

import html as html_module
import re

import pytest

from test_report import assert_partner_page, copy_project, image_sources, write_manifest


@pytest.fixture(scope="module")
def pages(tmp_path_factory, rd_kernel):
    from rd_territoriale.report.build import build_reports

    root = copy_project(tmp_path_factory.mktemp("chaine"), with_example=True)
    write_manifest(root, """\
        reports:
          - {id: tout, title: Chaîne, notebook: notebooks/chaine_de_valeur.ipynb, audience: partenaires,
             parameters: {data_dir: ../data/exemple}}
          - {id: u02, title: Chaîne U02, notebook: notebooks/chaine_de_valeur.ipynb, audience: partenaires,
             parameters: {data_dir: ../data/exemple, unit: U02}}
          - {id: u04, title: Chaîne U04, notebook: notebooks/chaine_de_valeur.ipynb, audience: partenaires,
             parameters: {data_dir: ../data/exemple, unit: U04}}
        """)
    assert build_reports(root, jobs=2) == 0
    return {name: html_module.unescape((root / "reports" / f"{name}.html").read_text(encoding="utf-8"))
            for name in ("tout", "u02", "u04")}


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}')
    end = page.find("<h2", start + 1)
    return page[start:end if end > 0 else None]


def test_first_screen_flags_missing_evidence_and_baselines(pages):
    page = pages["tout"]
    assert_partner_page(page)
    brief = section(page, "en-bref")
    assert "Sans preuve" in brief and "« Attractivité perçue du territoire (score moyen sur 10) »" in brief
    assert "impact sans preuve" in brief
    assert "Sans situation de référence" in brief and "« Personnes transportées par la mobilité solidaire »" in brief
    assert "3 lien(s) déclaré(s)" in brief


def test_diagram_table_and_quotes(pages):
    page = pages["tout"]
    assert len(image_sources(page)) >= 2  # the chain diagram and the trajectories
    assert re.search(r'<img[^>]+alt="[^"]*Ressources[^"]*Impacts', page)
    baselines = section(page, "les-indicateurs")
    row = re.search(r"Personnes transportées par la mobilité solidaire</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]+)",
                    baselines)
    assert row and row.group(1) == "pas de situation de référence"
    evidence = section(page, "les-preuves")
    assert "0 sur 4" in evidence and evidence.count("<blockquote>") >= 4


def test_per_project(pages):
    assert "Repas servis avec des légumes de la légumerie" in pages["u02"]
    assert "Ce rapport couvre le seul indicateur propre à ce projet." in pages["u02"]
    assert "Aucun indicateur propre à ce projet" in pages["u04"]
