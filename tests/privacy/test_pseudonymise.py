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

import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from raw_studies import (
    EXAMPLE,
    ORGANISATIONS,
    PLANTED_FORMS,
    make_raw_study,
    needs_example,
    sentences,
    snapshot,
    write_key,
)

from rd_territoriale.cli import cmd_pseudonymise
from rd_territoriale.privacy.key import (
    Key,
    KeyEntry,
    KeyFileError,
    canonical,
    fold,
    read_key,
)
from rd_territoriale.privacy.matcher import Pseudonymiser
from rd_territoriale.privacy.pseudonymise import MARKER, pseudonymise
from rd_territoriale.privacy.summary import PseudonymisationError
from rd_territoriale.study.contract import TABLES
from rd_territoriale.study.schema import validate_study


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
        path.write_bytes(
            "nom;pseudonyme;type;variantes\r\nJean-Pierre Dupont;SAL03;Personne;JP|Jipé\r\n"
            "Hélène Dupont;SAL04;personne;\r\nBoulangerie Martin;ORG01;Organisation;\r\n".encode("cp1252")
        )
        key = read_key(path)
        assert [e.pseudonym for e in key.entries] == ["SAL03", "SAL04", "ORG01"]
        assert key.entries[0].variants == ("JP", "Jipé")
        forms = dict(key.forms())
        for form in (
            "Jean-Pierre Dupont",
            "Dupont Jean-Pierre",
            "Jean-Pierre",
            "J.-P. Dupont",
            "J. Dupont",
            "JP Dupont",
            "JP",
            "Jipé",
        ):
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

    @pytest.mark.parametrize(
        "name, first, last",
        [
            ("Jean-Pierre Dupont", "Jean-Pierre", "Dupont"),
            ("Yann Le Goff", "Yann", "Le Goff"),
            ("Marie De La Tour", "Marie", "De La Tour"),
            ("Anne Marie DUPONT", "Anne Marie", "DUPONT"),
            ("Jeanne d'Arc", "Jeanne", "d'Arc"),
            ("Hélène", "", "Hélène"),
        ],
    )
    def test_split_name(self, name, first, last):
        assert KeyEntry(name, "X1", "personne").split_name() == (first, last)

    def test_every_problem_with_its_line(self, tmp_path):
        path = tmp_path / "cle.csv"
        path.write_text(
            "name,pseudonym,kind,variants\n"
            "Jean Dupont,SAL01,personne,\n"  # 2
            "Jean Dupont,SAL02,personne,\n"  # 3 same name, other pseudonym
            "Hélène Vercel,,personne,\n"  # 4 no pseudonym
            "Paul Martin,ENT 01,personne,\n"  # 5 space in pseudonym
            "Luc Arbez,ENT02,animal,\n"  # 6 unknown kind
            "Luc Gindre,SAL01,personne,\n"  # 7 pseudonym of another name
            "Rose Marchand,SAL09,personne,Jean Dupont\n",  # 8 variant that is another's name
            encoding="utf-8",
        )
        with pytest.raises(KeyFileError) as err:
            read_key(path)
        found = {(p.line, p.column) for p in err.value.problems}
        assert found == {
            (3, "name"),
            (4, "pseudonym"),
            (5, "pseudonym"),
            (6, "kind"),
            (7, "pseudonym"),
            (8, "variants"),
        }
        message = str(err.value)
        assert "ligne 3" in message and "SAL01" in message and "personne ou organisation" in message

    def test_missing_column(self, tmp_path):
        path = tmp_path / "cle.csv"
        path.write_text("name,kind\nJean Dupont,personne\n", encoding="utf-8")
        with pytest.raises(KeyFileError, match="pseudonym"):
            read_key(path)


# --- the matcher ------------------------------------------------------------------


def matcher() -> Pseudonymiser:
    return Pseudonymiser(
        Key(
            [
                KeyEntry("Jean-Pierre Dupont", "SAL03", "personne"),
                KeyEntry("Hélène Vercel", "SAL04", "personne"),
                KeyEntry("Yann Le Goff", "SAL05", "personne"),
                KeyEntry("Marie De La Tour", "ENT01", "personne"),
                KeyEntry("Boulangerie Martin", "ORG05", "organisation"),
                KeyEntry("Paul Martin", "ENT02", "personne"),
                KeyEntry("Pierre Blanc", "SAL06", "personne"),
            ]
        )
    )


class TestMatcher:
    @pytest.mark.parametrize(
        "text, expected",
        [
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
        ],
    )
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
                    changed = [
                        i
                        for i in range(len(original))
                        if original.at[i, col.name] != result.at[i, col.name] and (name, col.name, i) not in planted
                    ]
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
        assert files == sorted([MARKER, "study.yml"] + [f"{n}.csv" for n in TABLES if (EXAMPLE / f"{n}.csv").is_file()])
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
        planted = sum(
            len(re.findall(r"\[[^]]*\]|\b[A-Z]{1,3}\d\d\b", expected)) for _, expected in sentences(built["names"])
        )
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
            (ids.index("ESS02") + 2, "id", "cecilebernardet")
        ]
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
        assert (place.file, place.line, place.column, place.found) == ("segments.csv", 5, "text", "Mme Zorglub")
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

        assert cmd_pseudonymise(Args) == 0
        assert "Étude pseudonymisée écrite" in capsys.readouterr().out
        Args.out_dir = built["raw"]
        assert cmd_pseudonymise(Args) == 2
        Args.out_dir, Args.key = tmp_path / "x", tmp_path / "absente.csv"
        assert cmd_pseudonymise(Args) == 2
        bad = tmp_path / "bad.csv"
        bad.write_text("name,pseudonym,kind\nJean Dupont,,personne\n", encoding="utf-8")
        Args.key = bad
        assert cmd_pseudonymise(Args) == 1
        assert "ligne 2" in capsys.readouterr().err

    def test_name_in_an_identifier_is_a_leak(self, tmp_path):
        def unit_named_after_a_person(frames):
            for table, column in (("units", "id"), ("documents", "unit"), ("journal", "unit"), ("indicators", "unit")):
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
            frames["attributes"] = pd.DataFrame(
                {
                    "source": [frames["documents"].loc[0, "id"]] * 2,
                    "attribute": ["Contact", "Commune"],
                    "value": ["Mme Sophie Lambrecht", "Lons-le-Saunier"],
                }
            )

        made = make_raw_study(tmp_path, extra=groups_and_attributes)
        out = tmp_path / "etude"
        report = pseudonymise(made["raw"], out, made["key"])
        assert report.written, report.to_french_text()
        docs, attrs = out_table(out, "documents"), out_table(out, "attributes")
        everything = (out / "documents.csv").read_text(encoding="utf-8") + (out / "attributes.csv").read_text(
            encoding="utf-8"
        )
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
            ("study.yml", line, "researchers", "Odon Inconnu")
        ]
