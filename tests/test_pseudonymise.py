"""Pseudonymisation of a raw study: every name out, the study valid, nothing half-written.

The raw study is made in code from the shipped example ``data/exemple``: the
pseudonyms of 30 people are turned back into INVENTED full names (nobody
real) in every person-reference column, and 24 sentences holding 56 name
occurrences in many forms (civilities, initials, case and accents,
elision, apostrophe, hyphenated and compound names, organisations) are
planted in the free text of every table and of ``study.yml``. Each planted
sentence is written with the exact text expected after pseudonymisation, so
the output is compared cell by cell.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

from rd_territoriale.contract import TABLES
from rd_territoriale.privacy.key import (
    Key,
    KeyEntry,
    KeyFileError,
    canonical,
    fold,
    read_key,
)
from rd_territoriale.privacy.pseudonymise import (
    MARKER,
    PseudonymisationError,
    Pseudonymiser,
    main_pseudonymise,
    pseudonymise,
)
from rd_territoriale.privacy.review import NOT_PERSONS_FILE
from rd_territoriale.schema import validate_study

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "exemple"
needs_example = pytest.mark.skipif(not (EXAMPLE / "study.yml").is_file(),
                                   reason="data/exemple absent (rd-territoriale exemple)")

# --- an invented key ----------------------------------------------------------
# Every name below is invented for these tests.
SPECIAL = {
    "R01": ("Julien Fauconnet", ""),
    "R02": ("Sophie Lambrecht", ""),
    "SAL01": ("Jean-Pierre Dupont", "JP"),
    "SAL02": ("Hélène Vercel", "Hélène Martinot"),
    "SAL03": ("Yann Le Goff", ""),
    "SAL04": ("Anne-Sophie De La Tour", ""),
    "SAL05": ("Pierre Blanc", ""),
    "SAL06": ("Rose Marchand", ""),
    "ENT01": ("Paul Martin", ""),
    "ESS01": ("Luc Bernardet", ""),
    "ESS02": ("Cécile Bernardet", ""),
    "COL01": ("Gaëlle Bailly-Salins", ""),
    "CIT01": ("Éric N'Diaye", ""),
}
ORGANISATIONS = {"ORG01": "Boulangerie Martin", "ORG02": "Scierie Mougin"}
FIRST = ["Amandine", "Baptiste", "Corinne", "Damien", "Estelle", "Fabrice", "Gisèle", "Hugo",
         "Inès", "Jérôme", "Karine", "Lucien", "Maëlle", "Nathan", "Odile", "Quentin", "Régine",
         "Sébastien", "Thérèse", "Ulysse", "Valérie", "Xavier", "Yvette", "Zoé", "Adrien",
         "Bérénice", "Cyril", "Delphine", "Edmond", "Fanny", "Gaspard", "Héloïse", "Isidore",
         "Josiane", "Killian", "Laetitia", "Marius", "Nadège", "Octave", "Perrine", "Rodolphe",
         "Solène", "Timothée", "Vianney", "Wilfried", "Yolande", "Albane", "Bastien", "Capucin",
         "Dorian", "Elodie", "Florent", "Ghislaine", "Honorine", "Irène", "Joris", "Ludivine",
         "Maxence", "Noémie", "Oriane", "Prune", "Romane"]
LAST = ["Arbezat", "Bourgeonnet", "Chauvelot", "Duraffourd", "Faivret", "Gindrey", "Jeunetot",
        "Lacroixet", "Mivelle", "Nicodin", "Ogierot", "Paget-Blanchin", "Quiquerez", "Rousselon",
        "Sirugue", "Tissotet", "Urbanot", "Vuillemey", "Wermeil", "Zanetot", "Amiotte",
        "Brocardet", "Cuynet", "Dromardet", "Epenoy", "Frachebois", "Grandvuinet", "Humbertet",
        "Jacquemet", "Lonchampt", "Mourey-Vichet", "Nappey", "Perrodin", "Receveurot",
        "Saillardet", "Tournier-Bey", "Vernerey", "Barthoulot", "Cretinot", "Dornier-Lasse",
        "Grosperrin", "Jouffroy-Mat", "Lhomme-Dru", "Marmier", "Pourcelot", "Regazzoni",
        "Sauterey", "Thevenin-Bo", "Vaufrey", "Billod-Morel", "Courvoisier-Lys", "Droz-Bartholet",
        "Feuvrier", "Girardot-Py", "Lamboley", "Maillot-Roz", "Parrenin", "Romanet-Dus",
        "Simonin-Ko", "Tatu-Gaillard", "Verdot-Nob"]

# 30 people renamed in the raw person-reference columns (the others keep
# their pseudonym there, as a researcher who pseudonymised part of the data would).
RENAMED = ["R01", "R02", "SAL01", "SAL02", "SAL03", "SAL04", "SAL05", "SAL06", "ENT01", "ESS01",
           "ESS02", "COL01", "CIT01", "SAL07", "SAL08", "SAL09", "SAL10", "SAL11", "ESS03",
           "ESS04", "ESS05", "ESS06", "ENT02", "ENT03", "ENT04", "COL02", "COL03", "PAR01",
           "PAR02", "CIT02"]

# --- planted sentences: (raw, expected) -------------------------------------------
SENTENCES = [
    ("Mme Vercel a relancé M. Dupont.", "SAL02 a relancé SAL01."),
    ("Madame Vercel et Monsieur Jean-Pierre Dupont étaient là.", "SAL02 et SAL01 étaient là."),
    ("M. J. Dupont l'avait dit à Hélène.", "SAL01 l'avait dit à SAL02."),
    ("Selon jean-pierre, JEAN-PIERRE DUPONT ne viendra pas.", "Selon SAL01, SAL01 ne viendra pas."),
    ("Helene et HÉLÈNE VERCEL, c'est la même personne.", "SAL02 et SAL02, c'est la même personne."),
    ("Le dossier d'Hélène est chez l’Hélène du bureau.", "Le dossier d'SAL02 est chez l’SAL02 du bureau."),
    ("C'est Dupont's idea, et le Dupont’s plan.", "C'est SAL01's idea, et le SAL01’s plan."),
    ("Yann Le Goff et M. Le Goff sont une seule personne ; Le Goff insiste.",
     "SAL03 et SAL03 sont une seule personne ; SAL03 insiste."),
    ("Anne-Sophie De La Tour (Mme de La Tour) préside ; A.-S. De La Tour signe.",
     "SAL04 (SAL04) préside ; SAL04 signe."),
    ("La Boulangerie Martin livre ; Paul Martin et M. Martin aussi, pas Martineau ni Saint-Martin.",
     "La ORG01 livre ; ENT01 et ENT01 aussi, pas Martineau ni Saint-Martin."),
    ("La Scierie Mougin fournit les planches.", "La ORG02 fournit les planches."),
    ("JP Dupont, J.-P. Dupont et J.P. Dupont : trois fois la même personne.",
     "SAL01, SAL01 et SAL01 : trois fois la même personne."),
    ("Entretien avec Mlle Marchand et Rose.", "Entretien avec SAL06 et SAL06."),
    ("Pierre a présenté le budget.", "SAL05 a présenté le budget."),
    ("Un muret en pierre sèche, une façade rose.", "Un muret en pierre sèche, une façade rose."),
    ("Avec Blanc et Pierre Blanc, le bureau est complet.", "Avec SAL05 et SAL05, le bureau est complet."),
    ("Luc Bernardet et Cécile Bernardet : Bernardet seul ne suffit pas.",
     "ESS01 et ESS02 : [ESS01 ou ESS02] seul ne suffit pas."),
    ("Dr Lambrecht et Sophie ont codé avec Julien Fauconnet.", "R02 et R02 ont codé avec R01."),
    ("Gaëlle Bailly-Salins, dite Mme Bailly-Salins, ou BAILLY-SALINS.", "COL01, dite COL01, ou COL01."),
    ("Éric N'Diaye et M. N’Diaye (n'diaye en minuscules).", "CIT01 et CIT01 (CIT01 en minuscules)."),
    ("Mme Martinot, née Vercel : c'est Hélène Martinot.", "SAL02, née SAL02 : c'est SAL02."),
    ("Le JP de la compta, c'est Jean-Pierre D., alias Jean Pierre Dupont.",
     "Le SAL01 de la compta, c'est SAL01, alias SAL01."),
    ("Yann et Anne-Sophie étaient d'accord avec Paul.", "SAL03 et SAL04 étaient d'accord avec ENT01."),
    ("Monsieur Quiquerez et Mme Zanetot ont écrit à Corinne.", None),  # filled in from the key
]
# Where each sentence goes: (table, column, row position).
PLACES = [("segments", "text", i * 7) for i in range(12)] + [
    ("journal", "text", 0), ("journal", "text", 3), ("journal", "text", 10),
    ("documents", "title", 0), ("documents", "title", 5), ("units", "description", 0),
    ("units", "name", 1), ("people", "role", 2), ("codebook", "definition", 1),
    ("indicators", "source", 0), ("segments", "text", 200), ("journal", "text", 50),
]
PLANTED_FORMS = ["Vercel", "Dupont", "Jean-Pierre Dupont", "Hélène", "Jean-Pierre", "Le Goff",
                 "Yann Le Goff", "De La Tour", "Anne-Sophie", "Boulangerie Martin", "Paul Martin",
                 "Scierie Mougin", "Marchand", "Blanc", "Bernardet", "Lambrecht", "Fauconnet",
                 "Bailly-Salins", "N'Diaye", "Martinot", "Jean-Pierre D.", "Yann", "Paul",
                 "A.-S. De La Tour", "J.-P. Dupont", "JP Dupont", "Quiquerez", "Zanetot", "Corinne"]


NOT_PERSONS = ["Bletterans", "Champagnole", "Conliège", "Jourdain", "Lons", "Montmorot", "Pays", "Perrigny",
               "Recyclerie du Pays Lédonien", "Revermont", "Tiers-lieu", "Martineau", "Saint-Martin"]


def invented_names() -> dict:
    """Person id -> (name, variants) for every person of the example."""
    people = pd.read_csv(EXAMPLE / "people.csv", dtype=str)
    names, i = {}, 0
    for pid in people["id"]:
        if pid in SPECIAL:
            names[pid] = SPECIAL[pid]
        else:
            names[pid] = (f"{FIRST[i]} {LAST[i]}", "")
            i += 1
    return names


def write_key(path: Path, names: dict, drop=()) -> None:
    """The key as French Excel writes it: ';', Windows-1252, CRLF."""
    rows = ["name;pseudonym;kind;variants"]
    for pid, (name, variants) in names.items():
        if pid not in drop:
            rows.append(f"{name};{pid};personne;{variants}")
    for pid, name in ORGANISATIONS.items():
        rows.append(f"{name};{pid};organisation;")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def sentences(names: dict) -> list[tuple[str, str]]:
    out = []
    for raw, expected in SENTENCES:
        if expected is None:  # people found by the generated names
            who = {n.split()[-1]: pid for pid, (n, _) in names.items()}
            first = {n.split()[0]: pid for pid, (n, _) in names.items()}
            expected = f"{who['Quiquerez']} et {who['Zanetot']} ont écrit à {first['Corinne']}."
        out.append((raw, expected))
    return out


def writing(name: str, i: int) -> str:
    """A person's name as a researcher may type it in a reference cell."""
    first, last = name.split(" ", 1)
    forms = [name, name.upper(), f"{last.upper()} {first}",
             "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c))]
    return forms[i % len(forms)]


def make_raw_study(root: Path, extra=None) -> dict:
    """Write ``root/raw`` (names in) and ``root/cle.csv``; return what to expect.

    Returns
    -------
    dict
        ``names`` (id -> (name, variants)), ``planted`` ((table, column,
        position) -> expected cell), ``key`` (path), ``raw`` (path).
    """
    raw = root / "raw"
    raw.mkdir(parents=True)
    names = invented_names()
    frames = {n: pd.read_csv(EXAMPLE / f"{n}.csv", dtype=str, keep_default_na=False)
              for n in TABLES if (EXAMPLE / f"{n}.csv").is_file()}
    # Person-reference columns: 30 people get their real (invented) name back.
    for name, table in TABLES.items():
        if name not in frames:
            continue
        for col in table.columns:
            if col.ref == "people" or (name == "people" and col.name == "id"):
                s = frames[name][col.name]
                frames[name][col.name] = [
                    writing(names[v][0], i) if v in RENAMED else v for i, v in enumerate(s)]
    planted = {}
    for (raw_sentence, expected), (table, column, pos) in zip(sentences(names), PLACES):
        cell = frames[table].at[pos, column]
        sep = " " if cell else ""
        frames[table].at[pos, column] = f"{cell}{sep}{raw_sentence}"
        planted[(table, column, pos)] = f"{cell}{sep}{expected}"
    if extra:
        extra(frames)
    for name, frame in frames.items():
        frame.to_csv(raw / f"{name}.csv", index=False, lineterminator="\n")
    study = (EXAMPLE / "study.yml").read_text(encoding="utf-8")
    study = study.replace("researchers: [R01, R02]",
                          'researchers: [Julien Fauconnet, "SOPHIE LAMBRECHT"]')
    study = study.replace("# Ne pas modifier", "# Saisi par Mme Vercel. Ne pas modifier")
    (raw / "study.yml").write_text(study, encoding="utf-8")
    (raw / "notes_entretiens.txt").write_text("Notes de Jean-Pierre Dupont", encoding="utf-8")
    key = root / "cle.csv"
    write_key(key, names)
    # The researcher's review of the forms the French model flags in the
    # example's texts and in the planted sentences: places, a project, and
    # the two surnames planted to check word boundaries.
    (root / NOT_PERSONS_FILE).write_text("\n".join(NOT_PERSONS) + "\n", encoding="utf-8")
    return {"names": names, "planted": planted, "key": key, "raw": raw}


def snapshot(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The raw study pseudonymised once (shared by the tests that only read it)."""
    root = tmp_path_factory.mktemp("pseudo")
    made = make_raw_study(root)
    out = root / "etude"
    t0 = time.perf_counter()
    report = pseudonymise(made["raw"], out, made["key"])
    made.update(out=out, report=report, seconds=time.perf_counter() - t0)
    return made


# --- the key ----------------------------------------------------------------------

class TestKey:

    def test_reads_french_excel_and_derives_forms(self, tmp_path):
        path = tmp_path / "cle.csv"
        path.write_bytes("nom;pseudonyme;type;variantes\r\nJean-Pierre Dupont;SAL03;Personne;JP|Jipé\r\n"
                         "Hélène Dupont;SAL04;personne;\r\nBoulangerie Martin;ORG01;Organisation;\r\n"
                         .encode("cp1252"))
        key = read_key(path)
        assert [e.pseudonym for e in key.entries] == ["SAL03", "SAL04", "ORG01"]
        assert key.entries[0].variants == ("JP", "Jipé")
        forms = dict(key.forms())
        for form in ("Jean-Pierre Dupont", "Dupont Jean-Pierre", "Jean-Pierre", "J.-P. Dupont",
                     "J. Dupont", "JP Dupont", "JP", "Jipé"):
            assert forms[form] == "SAL03", form
        assert forms["Hélène"] == "SAL04"
        assert forms["Dupont"] == "[SAL03 ou SAL04]"  # shared: never one person's pseudonym
        assert forms["Boulangerie Martin"] == "ORG01"
        assert "Martin" not in forms  # an organisation's name is not split
        assert key.name_forms() == sorted(set(key.name_forms()))
        assert "J.-P. Dupont" in key.name_forms()

    def test_first_name_shared_is_not_one_persons(self):
        key = Key([KeyEntry("Marie Arbez", "A1", "personne"), KeyEntry("Marie Gindre", "A2", "personne")])
        assert dict(key.forms())["Marie"] == "[A1 ou A2]"

    @pytest.mark.parametrize("name, first, last", [
        ("Jean-Pierre Dupont", "Jean-Pierre", "Dupont"),
        ("Yann Le Goff", "Yann", "Le Goff"),
        ("Marie De La Tour", "Marie", "De La Tour"),
        ("Anne Marie DUPONT", "Anne Marie", "DUPONT"),
        ("Jeanne d'Arc", "Jeanne", "d'Arc"),
        ("Hélène", "", "Hélène"),
    ])
    def test_split_name(self, name, first, last):
        assert KeyEntry(name, "X1", "personne").split_name() == (first, last)

    def test_every_problem_with_its_line(self, tmp_path):
        path = tmp_path / "cle.csv"
        path.write_text(
            "name,pseudonym,kind,variants\n"
            "Jean Dupont,SAL01,personne,\n"       # 2
            "Jean Dupont,SAL02,personne,\n"       # 3 same name, other pseudonym
            "Hélène Vercel,,personne,\n"          # 4 no pseudonym
            "Paul Martin,ENT 01,personne,\n"      # 5 space in pseudonym
            "Luc Arbez,ENT02,animal,\n"           # 6 unknown kind
            "Luc Gindre,SAL01,personne,\n"        # 7 pseudonym of another name
            "Rose Marchand,SAL09,personne,Jean Dupont\n",  # 8 variant that is another's name
            encoding="utf-8")
        with pytest.raises(KeyFileError) as err:
            read_key(path)
        found = {(p.line, p.column) for p in err.value.problems}
        assert found == {(3, "name"), (4, "pseudonym"), (5, "pseudonym"), (6, "kind"),
                         (7, "pseudonym"), (8, "variants")}
        message = str(err.value)
        assert "ligne 3" in message and "SAL01" in message and "personne ou organisation" in message

    def test_missing_column(self, tmp_path):
        path = tmp_path / "cle.csv"
        path.write_text("name,kind\nJean Dupont,personne\n", encoding="utf-8")
        with pytest.raises(KeyFileError, match="pseudonym"):
            read_key(path)


# --- the matcher ------------------------------------------------------------------

def matcher() -> Pseudonymiser:
    return Pseudonymiser(Key([
        KeyEntry("Jean-Pierre Dupont", "SAL03", "personne"),
        KeyEntry("Hélène Vercel", "SAL04", "personne"),
        KeyEntry("Yann Le Goff", "SAL05", "personne"),
        KeyEntry("Marie De La Tour", "ENT01", "personne"),
        KeyEntry("Boulangerie Martin", "ORG05", "organisation"),
        KeyEntry("Paul Martin", "ENT02", "personne"),
        KeyEntry("Pierre Blanc", "SAL06", "personne"),
    ]))


class TestMatcher:

    @pytest.mark.parametrize("text, expected", [
        ("Mme Dupont", "SAL03"),
        ("Madame Dupont", "SAL03"),
        ("M. Dupont", "SAL03"),
        ("M. J. Dupont", "SAL03"),
        ("Monsieur Jean-Pierre Dupont", "SAL03"),
        ("Jean-Pierre", "SAL03"),
        ("jean-pierre", "SAL03"),
        ("JEAN-PIERRE DUPONT", "SAL03"),
        ("J.-P. Dupont et J.P. Dupont", "SAL03 et SAL03"),
        ("Hélène, Helene, HÉLÈNE", "SAL04, SAL04, SAL04"),
        ("d'Hélène et l'Hélène", "d'SAL04 et l'SAL04"),
        ("l’Hélène", "l’SAL04"),
        ("Dupont's et Dupont’s", "SAL03's et SAL03’s"),
        ("Le Goff, M. Le Goff et Yann Le Goff", "SAL05, SAL05 et SAL05"),
        ("De La Tour, Mme de la Tour", "ENT01, ENT01"),
        ("la Boulangerie Martin", "la ORG05"),
        ("Martin, Martineau, Saint-Martin, Martin-pêcheur", "ENT02, Martineau, Saint-Martin, Martin-pêcheur"),
        ("Dupontel et Vercelli", "Dupontel et Vercelli"),
        ("Hélène\u00a0Vercel", "SAL04"),
    ])
    def test_forms(self, text, expected):
        assert matcher().replace_text(text)[0] == expected

    def test_common_word_rule(self):
        new, hits = matcher().replace_text("Pierre a parlé. Un mur en pierre, avec Blanc et BLANC.")
        assert new == "SAL06 a parlé. Un mur en pierre, avec SAL06 et SAL06."
        notes = {(h.found, h.replaced): h.note for h in hits}
        assert "début de phrase" in notes[("Pierre", True)]
        assert "minuscules" in notes[("pierre", False)]
        assert "capitales" in notes[("BLANC", True)]
        assert notes[("Blanc", True)] == ""  # capitalised inside a sentence: a name, no doubt

    def test_civility_makes_a_common_word_certain(self):
        assert matcher().replace_text("avec M. blanc")[0] == "avec SAL06"

    def test_keeps_civility_when_asked(self):
        key = Key([KeyEntry("Hélène Vercel", "SAL04", "personne")])
        assert Pseudonymiser(key, keep_civility=True).replace_text("Mme Vercel")[0] == "Mme SAL04"

    def test_column_is_vectorised_and_keeps_missing(self):
        s = pd.Series(["Mme Vercel", None, "rien", "Mme Zorglub"], dtype="string")
        new, hits = matcher().replace_series(s)
        assert new.tolist()[0] == "SAL04" and pd.isna(new.iloc[1]) and new.iloc[2] == "rien"
        assert set(hits) == {0}


# --- a whole study ------------------------------------------------------------------

def out_table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


@needs_example
class TestPseudonymise:

    def test_written_and_valid(self, built):
        report = built["report"]
        assert report.written, report.to_french_text()
        assert report.exit_code == 0
        v = validate_study(built["out"])
        assert v.ok, v.problems[:5]

    def test_person_columns_equal_the_example(self, built):
        out = built["out"]
        for name, table in TABLES.items():
            if not (EXAMPLE / f"{name}.csv").is_file():
                continue
            original = pd.read_csv(EXAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
            result = out_table(out, name)
            assert list(result.columns) == list(original.columns)
            for col in table.columns:
                if col.ref == "people" or (name == "people" and col.name == "id"):
                    assert result[col.name].tolist() == original[col.name].tolist(), (name, col.name)
        study = yaml.safe_load((out / "study.yml").read_text(encoding="utf-8"))
        assert study["researchers"] == ["R01", "R02"]

    def test_planted_sentences_pseudonymised_exactly(self, built):
        for (table, column, pos), expected in built["planted"].items():
            assert out_table(built["out"], table).at[pos, column] == expected, (table, column, pos)

    def test_other_text_untouched(self, built):
        planted = {(t, c, p) for (t, c, p) in built["planted"]}
        for name, table in TABLES.items():
            if not (EXAMPLE / f"{name}.csv").is_file():
                continue
            original = pd.read_csv(EXAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
            result = out_table(built["out"], name)
            for col in table.columns:
                if col.kind == "text" and col.name in original:
                    changed = [i for i in range(len(original))
                               if original.at[i, col.name] != result.at[i, col.name]
                               and (name, col.name, i) not in planted]
                    assert changed == [], (name, col.name, changed[:3])

    def test_no_planted_form_left_anywhere(self, built):
        names = [n for n, _ in built["names"].values()] + list(ORGANISATIONS.values())
        forms = set(PLANTED_FORMS) | set(names) | {"Saisi par Mme Vercel"}
        folded = {p.name: fold(p.read_text(encoding="utf-8")) for p in built["out"].iterdir()}
        for form in forms:
            pattern = re.compile(rf"(?<![\w-]){re.escape(fold(form))}(?![\w-])")
            for file, text in folded.items():
                assert not pattern.search(text), (form, file)
        # The words that are not names stay.
        everything = "".join(p.read_text(encoding="utf-8") for p in built["out"].iterdir())
        for word in ("Martineau", "Saint-Martin", "pierre sèche", "façade rose"):
            assert word in everything

    def test_only_contract_files_and_the_marker(self, built):
        files = sorted(p.name for p in built["out"].iterdir())
        assert files == sorted([MARKER, "study.yml"] + [f"{n}.csv" for n in TABLES
                                                        if (EXAMPLE / f"{n}.csv").is_file()])
        assert "notes_entretiens.txt" in built["report"].skipped_files
        assert not list(built["out"].parent.glob(f".{built['out'].name}.*"))  # no temporary left

    def test_report_lists_ambiguity_and_counts(self, built):
        report = built["report"]
        ambiguous = {r.form: r for r in report.ambiguous_forms}
        assert ambiguous["Pierre"].common and ambiguous["Rose"].common
        assert ambiguous["Bernardet"].shared
        review = {(o.found, o.note.split(" :")[0]) for o in report.review}
        assert ("Pierre", "mot courant en début de phrase") in review
        assert ("pierre", "mot courant en minuscules") in review
        assert ("rose", "mot courant en minuscules") in review
        assert any(o.found == "Bernardet" and o.replacement == "[ESS01 ou ESS02]" for o in report.review)
        text = report.to_french_text()
        assert "Formes ambiguës" in text and "« Pierre » → SAL05" in text
        assert report.references["people.csv"] == 30
        planted = sum(len(re.findall(r"\[[^]]*\]|\b[A-Z]{1,3}\d\d\b", expected))
                      for _, expected in sentences(built["names"]))
        assert planted >= 50
        assert sum(report.replacements.values()) == planted + 1  # + « Mme Vercel » in study.yml
        assert report.by_pseudonym["SAL01"] >= 10
        assert report.unknown == [] and report.missing == [] and report.leaks == []

    def test_rerun_is_byte_identical(self, built, tmp_path):
        before = snapshot(built["out"])
        again = pseudonymise(built["raw"], built["out"], built["key"])  # replaces the earlier run
        assert again.written
        assert snapshot(built["out"]) == before
        elsewhere = tmp_path / "autre"
        assert pseudonymise(built["raw"], elsewhere, built["key"]).written
        assert snapshot(elsewhere) == before

    def test_missing_person_blocks_and_writes_nothing(self, built, tmp_path):
        key = tmp_path / "cle.csv"
        write_key(key, built["names"], drop={"ESS02"})
        out = tmp_path / "etude"
        report = pseudonymise(built["raw"], out, key)
        assert not report.written and report.exit_code == 1
        assert not out.exists() and list(tmp_path.iterdir()) == [key]
        people = [p for p in report.missing if p.file == "people.csv"]
        ids = pd.read_csv(EXAMPLE / "people.csv", dtype=str)["id"].tolist()
        assert [(p.line, p.column, canonical(p.value)) for p in people] == [
            (ids.index("ESS02") + 2, "id", "cecilebernardet")]
        assert {p.file for p in report.missing} >= {"people.csv", "documents.csv"}
        assert {canonical(p.value) for p in report.missing} == {"cecilebernardet", "bernardetcecile"}
        assert "Personnes absentes de la clé" in report.to_french_text()

    def test_unknown_name_blocks_unless_accepted(self, tmp_path):
        def plant(frames):
            frames["segments"].at[3, "text"] += " Mme Zorglub était présente."

        made = make_raw_study(tmp_path, extra=plant)
        out = tmp_path / "etude"
        report = pseudonymise(made["raw"], out, made["key"])
        assert not report.written and not out.exists()
        [unknown] = report.unknown
        assert (unknown.form, unknown.count, unknown.how) == ("Zorglub", 1, "civilité")
        [place] = unknown.places
        assert (place.file, place.line, place.column, place.found) == (
            "segments.csv", 5, "text", "Mme Zorglub")
        assert "Mme Zorglub était présente" in place.context
        assert "absentes de la clé" in report.to_french_text()
        accepted = pseudonymise(made["raw"], out, made["key"], accept_unknown=True)
        assert accepted.written and validate_study(out).ok
        summary = accepted.to_french_text()
        assert "choix délibéré (--accepter-inconnus)" in summary.split("Remplacements par fichier")[0]

    def test_refused_folders(self, built, tmp_path):
        raw, key = built["raw"], built["key"]
        for out in (raw, raw / "sortie", raw.parent):
            with pytest.raises(PseudonymisationError):
                pseudonymise(raw, out, key)
        foreign = tmp_path / "etude"
        foreign.mkdir()
        (foreign / "important.txt").write_text("à garder", encoding="utf-8")
        with pytest.raises(PseudonymisationError, match="pas été produit"):
            pseudonymise(raw, foreign, key)
        assert (foreign / "important.txt").read_text(encoding="utf-8") == "à garder"

    def test_main_exit_codes(self, built, tmp_path, capsys):
        class Args:
            raw_dir, out_dir, key, accept_unknown = built["raw"], tmp_path / "etude", built["key"], False

        assert main_pseudonymise(Args) == 0
        assert "Étude pseudonymisée écrite" in capsys.readouterr().out
        Args.out_dir = built["raw"]
        assert main_pseudonymise(Args) == 2
        Args.out_dir, Args.key = tmp_path / "x", tmp_path / "absente.csv"
        assert main_pseudonymise(Args) == 2
        bad = tmp_path / "bad.csv"
        bad.write_text("name,pseudonym,kind\nJean Dupont,,personne\n", encoding="utf-8")
        Args.key = bad
        assert main_pseudonymise(Args) == 1
        assert "ligne 2" in capsys.readouterr().err

    def test_name_in_an_identifier_is_a_leak(self, tmp_path):
        def unit_named_after_a_person(frames):
            for table, column in (("units", "id"), ("documents", "unit"), ("journal", "unit"),
                                  ("indicators", "unit")):
                frames[table][column] = frames[table][column].replace("U03", "VERCEL")

        made = make_raw_study(tmp_path, extra=unit_named_after_a_person)
        out = tmp_path / "etude"
        report = pseudonymise(made["raw"], out, made["key"])
        assert not report.written and not out.exists()
        assert {(o.file, o.column) for o in report.leaks} >= {("units.csv", "id"), ("journal.csv", "unit")}
        assert all(o.found == "VERCEL" for o in report.leaks)
        assert "encore présents" in report.to_french_text()

    def test_document_groups_and_attributes_are_pseudonymised(self, tmp_path):
        """What a REFI-QDA import brings (sets, variables) is free text a person typed."""
        def groups_and_attributes(frames):
            frames["documents"]["groups"] = ""
            frames["documents"].loc[0, "groups"] = "Entretiens suivis par Julien Fauconnet|Vague 1"
            frames["attributes"] = pd.DataFrame({
                "source": [frames["documents"].loc[0, "id"]] * 2, "attribute": ["Contact", "Commune"],
                "value": ["Mme Sophie Lambrecht", "Lons-le-Saunier"]})

        made = make_raw_study(tmp_path, extra=groups_and_attributes)
        out = tmp_path / "etude"
        report = pseudonymise(made["raw"], out, made["key"])
        assert report.written, report.to_french_text()
        docs, attrs = out_table(out, "documents"), out_table(out, "attributes")
        everything = (out / "documents.csv").read_text(encoding="utf-8") + (out / "attributes.csv").read_text(
            encoding="utf-8")
        assert "Fauconnet" not in everything and "Lambrecht" not in everything
        assert docs.at[0, "groups"].endswith("|Vague 1") and docs.at[0, "groups"].startswith("Entretiens suivis par ")
        assert attrs["value"].tolist()[1] == "Lons-le-Saunier"
        assert validate_study(out).ok

    def test_excel_workbook_in_written_as_csv(self, built, tmp_path):
        raw = tmp_path / "raw"
        shutil.copytree(built["raw"], raw)
        people = pd.read_csv(raw / "people.csv", dtype=str, keep_default_na=False)
        people.to_excel(raw / "people.xlsx", sheet_name="people", index=False)
        (raw / "people.csv").unlink()
        out = tmp_path / "etude"
        report = pseudonymise(raw, out, built["key"])
        assert report.written, report.to_french_text()
        assert (out / "people.csv").read_bytes() == (built["out"] / "people.csv").read_bytes()
        assert report.references["people.xlsx"] == 30

    def test_researcher_absent_from_the_key(self, built, tmp_path):
        raw = tmp_path / "raw"
        shutil.copytree(built["raw"], raw)
        study = (raw / "study.yml").read_text(encoding="utf-8")
        (raw / "study.yml").write_text(study.replace("Julien Fauconnet", "Odon Inconnu"), encoding="utf-8")
        line = next(i for i, text in enumerate(study.splitlines(), 1) if text.startswith("researchers:"))
        report = pseudonymise(raw, tmp_path / "etude", built["key"])
        assert not report.written
        assert [(p.file, p.line, p.column, p.value) for p in report.missing] == [
            ("study.yml", line, "researchers", "Odon Inconnu")]
