"""Quote policy and leak scan: what may reach a partner, and what stops a page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from minimal_study import STUDY_YML, TABLES, write_minimal_study

from rd_territoriale import load_case
from rd_territoriale.privacy.quotes import quotable
from rd_territoriale.privacy.scan import NamePatterns, scan_html


class TestQuotes:
    def test_consent_and_category_attribution(self, tmp_path):
        case = load_case(write_minimal_study(tmp_path / "s"), cache=False)
        # D1 consents (S1, S2 by SAL01), D2 does not (S3), J1 has no consent recorded (S4).
        q = quotable(case, audience="partenaires")
        assert q["id"].tolist() == ["S1", "S2"]
        assert q["attribution"].tolist() == ["Salariés", "Salariés"]
        assert "SAL01" not in q.to_string()
        team = quotable(case, audience="equipe")
        assert team["id"].tolist() == ["S1", "S2", "S4"]
        assert team["attribution"].iloc[-1] == "Chercheur·e (journal de terrain)"

    def test_policy_none_forbids_every_quote(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        (folder / "study.yml").write_text(
            STUDY_YML.replace("quote_policy: consentement", "quote_policy: aucune"), encoding="utf-8"
        )
        assert quotable(load_case(folder, cache=False)).empty

    def test_journal_consent_is_honoured(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        journal = TABLES["journal"].copy()
        journal["quote_consent"] = ["oui", "non"]
        journal.to_csv(folder / "journal.csv", index=False)
        q = quotable(load_case(folder, cache=False))
        assert q["id"].tolist() == ["S1", "S2", "S4"]

    def test_unknown_audience(self, tmp_path):
        with pytest.raises(ValueError, match="audience inconnue"):
            quotable(load_case(write_minimal_study(tmp_path / "s"), cache=False), audience="public")


class TestScan:
    PATTERNS = NamePatterns.from_forms(
        [("Hélène Dupont", "SAL03"), ("Dupont", "SAL03"), ("Boulangerie Martin", "ORG01")]
    )

    @pytest.mark.parametrize(
        "text",
        [
            "Mme HÉLÈNE DUPONT",
            "helene dupont",
            "Dupont’s",
            "d'Hélène Dupont",
            "la Boulangerie Martin",
        ],
    )
    def test_names_in_any_case_and_accent(self, text):
        hits = scan_html(f"<p>{text} a parlé.</p>", self.PATTERNS)
        assert [h.kind for h in hits] == ["nom"]
        assert "dupont" not in hits[0].context.lower() and "martin" not in hits[0].context.lower()

    @pytest.mark.parametrize("text", ["Martineau", "Duponte", "la boulangerie du coin", "dupontel"])
    def test_no_false_positive_inside_words(self, text):
        assert scan_html(f"<p>{text}</p>", self.PATTERNS) == []

    @pytest.mark.parametrize(
        "text, kind",
        [
            ("prenom.nom@exemple.fr", "e-mail"),
            ("06 12 34 56 78", "téléphone"),
            ("06.12.34.56.78", "téléphone"),
            ("+33 6 12 34 56 78", "téléphone"),
            ("0033612345678", "téléphone"),
            ("03-84-47-12-34", "téléphone"),
        ],
    )
    def test_contacts(self, text, kind):
        hits = scan_html(f"<td>{text}</td>", None)
        assert [h.kind for h in hits] == [kind]

    @pytest.mark.parametrize(
        "text",
        [
            "520213cacd34b0ae3ece0612345678f98ad77d054f0afc",
            "1 450 heures",
            "2021-06-30",
            "12 345 678 €",
            "P3 : 3,77 pour 1 000 mots",
        ],
    )
    def test_numbers_that_are_not_phones(self, text):
        assert scan_html(f"<td>{text}</td>", None) == []

    def test_common_words_count_only_capitalised(self):
        patterns = NamePatterns.from_forms([("Pierre Blanc", "CIT02")], [("Pierre", "CIT02"), ("Blanc", "CIT02")])
        assert scan_html("<p>un mur en pierre, un fond blanc</p>", patterns) == []
        hits = scan_html("<p>Selon Pierre, le mur est beau. BLANC aussi.</p>", patterns)
        assert [h.shown for h in hits] == ["CIT02", "CIT02"]
        assert all("pierre" not in h.context and "blanc" not in h.context for h in hits)
        assert [h.shown for h in scan_html("<p>pierre blanc</p>", patterns)] == ["CIT02"]

    def test_patterns_come_from_the_project_keys(self, tmp_path):
        from rd_territoriale.privacy.scan import load_patterns

        private = tmp_path / "data" / "private" / "etude"
        private.mkdir(parents=True)
        (private / "cle.csv").write_text("name;pseudonym;kind\r\nRose Vercel;SAL04;personne\r\n", encoding="cp1252")
        patterns = load_patterns(tmp_path)
        assert [h.shown for h in scan_html("<p>Mme Vercel et Rose</p>", patterns)] == ["SAL04", "SAL04"]
        assert scan_html("<p>une façade rose</p>", patterns) == []

    def test_line_is_given_and_images_are_skipped(self):
        html = '<p>a</p>\n<img src="data:image/png;base64,ZHVwb250\n">\n<p>Dupont</p>'
        hits = scan_html(html, self.PATTERNS)
        assert [(h.kind, h.line) for h in hits] == [("nom", 4)]

    def test_svg_text_is_scanned(self):
        import base64

        svg = base64.b64encode("<svg><text>Hélène Dupont</text></svg>".encode()).decode()
        hits = scan_html(f'<img src="data:image/svg+xml;base64,{svg}">', self.PATTERNS)
        assert [h.shown for h in hits] == ["SAL03"]

    def test_url_encoded_svg_text_is_scanned_where_it_stands(self):
        from rd_territoriale.build.html import svg_data_uri

        svg = "<svg><text>l'équipe &amp; a&lt;b</text>\n<text>Hélène Dupont</text></svg>"
        html = f'<p>a</p>\n<img alt="Figure" src="{svg_data_uri(svg)}">\n<p>Dupont</p>'
        assert [(h.shown, h.line) for h in scan_html(html, self.PATTERNS)] == [("SAL03", 2), ("SAL03", 3)]


class TestAudienceRules:
    def test_person_counts_masked_for_partners_only(self):
        from rd_territoriale.report.overview import protect_person_counts

        table = pd.DataFrame({"period": ["P1", "P2", "P3"], "interviews": [4, 12, 0], "segments": [3, 2, 1]})
        shown, note = protect_person_counts(table, ["interviews"], "partenaires", 5)
        assert shown["interviews"].tolist() == ["<\u00a05", "12", "0"]
        assert shown["segments"].tolist() == [3, 2, 1]  # not a count of persons
        assert "<\u00a05" in note and "5 personnes" in note
        team, team_note = protect_person_counts(table, ["interviews"], "equipe", 5)
        assert team["interviews"].tolist() == ["4", "12", "0"]
        assert "équipe" in team_note

    def test_partner_project_report_masks_small_cells(self, tmp_path, rd_kernel):
        import shutil

        from rd_territoriale.build.pipeline import build_reports

        root = Path(__file__).resolve().parents[2]
        shutil.copytree(root / "notebooks", tmp_path / "notebooks")
        shutil.copytree(
            root / "data" / "exemple", tmp_path / "data" / "exemple", ignore=shutil.ignore_patterns("processed")
        )
        (tmp_path / "reports.yml").write_text(
            "reports:\n"
            "  - {id: partenaires, title: P, notebook: notebooks/projet.ipynb, audience: partenaires,"
            " parameters: {unit: U02}}\n"
            "  - {id: equipe, title: E, notebook: notebooks/projet.ipynb, audience: equipe,"
            " parameters: {unit: U02}}\n",
            encoding="utf-8",
        )
        assert build_reports(tmp_path) == 0
        partners = (tmp_path / "reports" / "partenaires.html").read_text(encoding="utf-8")
        team = (tmp_path / "reports" / "equipe.html").read_text(encoding="utf-8")
        # U02 has 4, 3, 1 and 1 interviews across the periods (a count of persons).
        assert partners.count("&lt;\u00a05</td>") == 4 and "masqué" in partners
        assert "&lt;\u00a05</td>" not in team and "équipe de recherche" in team
        # Quotes: only from sources that allow them, attributed by category.
        import html as html_module

        from rd_territoriale import load_case
        from rd_territoriale.analysis.material import unit_slice

        case = load_case(tmp_path / "data" / "exemple")
        segments = unit_slice(case, "U02")["segments"]
        allowed = set(quotable(case, segments, "partenaires")["text"])
        refused = set(segments["text"]) - allowed
        page = html_module.unescape(partners)
        shown = [t for t in set(segments["text"]) if f"« {t} »" in page]
        assert shown and set(shown) <= allowed
        assert not any(f"« {t} »" in page for t in refused)
        text = re.sub(r"data:image/[^\"]+", "", page)  # base64 images may hold any letters
        assert "SAL" not in text.split('id="paroles-d-acteurs"')[1].split("<footer")[0]


def test_scan_finds_both_kinds_of_forms_on_their_lines():
    patterns = NamePatterns.from_forms([("Dupont", "SAL03")], [("Rose", "SAL04")])
    hits = scan_html("<p>İ Dupont</p>\n<p>Rose İ</p>", patterns)
    assert sorted((h.shown, h.line) for h in hits) == [("SAL03", 1), ("SAL04", 2)]
