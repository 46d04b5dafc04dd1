"""Validation of a study folder: every problem at once, exactly located, nothing written.

Each bad input breaks a tiny valid study (``minimal_study``) in one known
place; the test asserts the exact set of (file, line, column) reported, so
a missing report and a spurious cascade both fail.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from minimal_study import STUDY_YML, TABLES, to_french_excel, write_minimal_study

from rd_territoriale.cli import main
from rd_territoriale.study.case import load_case
from rd_territoriale.study.schema import validate_study


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def table(name: str) -> pd.DataFrame:
    return TABLES[name].copy()


def write(folder: Path, name: str, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


# --- the bad inputs ---------------------------------------------------------
# Each mutation breaks the study; ``expected`` is the exact set of
# (file, line, column) that must be reported, and ``words`` a piece of the rule.


def drop_column(d):
    write(d, "segments", table("segments").drop(columns=["coder"]))


def wrong_int(d):
    t = table("documents")
    t.loc[1, "words"] = "beaucoup"
    write(d, "documents", t)


def wrong_date(d):
    t = table("journal")
    t.loc[0, "date"] = "2020/04/01"
    write(d, "journal", t)


def impossible_date(d):
    t = table("units")
    t.loc[1, "start"] = "31/02/2021"
    write(d, "units", t)


def unknown_code(d):
    t = table("segments")
    t.loc[2, "code"] = "inconnu"
    write(d, "segments", t)


def orphan_source(d):
    t = table("segments")
    t.loc[1, "source"] = "D9"
    write(d, "segments", t)


def orphan_unit(d):
    t = table("documents")
    t.loc[0, "unit"] = "U9"
    write(d, "documents", t)


def duplicate_id(d):
    t = table("units")
    t.loc[1, "id"] = "U1"
    write(d, "units", t)


def outside_periods(d):
    t = table("documents")
    t.loc[2, "date"] = "2023-01-05"
    write(d, "documents", t)


def empty_file(d):
    (d / "journal.csv").write_bytes(b"")


def unreadable_encoding(d):
    (d / "people.csv").write_bytes(b"id,category,is_researcher\nR01,salaries,oui\nSAL\x81\x8d,salaries,non\n")


def binary_file(d):
    (d / "people.csv").write_bytes("id,category\n".encode("utf-16-le"))


def wrong_xlsx_sheet(d):
    (d / "units.csv").unlink()
    with pd.ExcelWriter(d / "units.xlsx") as xl:
        table("units").to_excel(xl, sheet_name="Feuil1", index=False)
        table("units").to_excel(xl, sheet_name="Feuil2", index=False)


def not_a_workbook(d):
    (d / "units.csv").unlink()
    (d / "units.xlsx").write_bytes(b"ceci n'est pas un classeur")


def unknown_coder(d):
    t = table("segments")
    t.loc[0, "coder"] = "X99"
    write(d, "segments", t)


def bad_bool(d):
    t = table("documents")
    t.loc[0, "quote_consent"] = "peut-être"
    write(d, "documents", t)


def bad_enum(d):
    t = table("journal")
    t.loc[1, "researcher_role"] = "espion"
    write(d, "journal", t)


def unknown_category_in_list(d):
    t = table("journal")
    t.loc[0, "participants"] = "salaries|elus"
    write(d, "journal", t)


def empty_required_cell(d):
    t = table("units")
    t.loc[1, "name"] = "  "
    write(d, "units", t)


def end_before_start(d):
    t = table("segments")
    t.loc[0, "end"] = "0"
    write(d, "segments", t)


def code_of_old_version(d):
    cb = pd.concat(
        [
            table("codebook"),
            pd.DataFrame(
                [{"code": "ancien", "label": "Ancien", "parent": "", "dimension": "", "definition": "", "version": "1"}]
            ),
        ],
        ignore_index=True,
    )
    write(d, "codebook", cb)
    t = table("segments")
    t.loc[3, "code"] = "ancien"
    write(d, "segments", t)


def parent_of_other_version(d):
    t = table("codebook")
    t.loc[4, "parent"] = "xx"
    write(d, "codebook", t)


def duplicate_key(d):
    t = table("codebook")
    write(d, "codebook", pd.concat([t, t.iloc[[1]]], ignore_index=True))


def ragged_rows(d):
    (d / "units.csv").write_text(
        "id,name,kind,start,end\nU1,Légumerie,filière,2020-02-01,\nU2,Recyclerie, ressourcerie,service,2021-03-01,\n",
        encoding="utf-8",
    )


def overlapping_periods(d):
    (d / "study.yml").write_text(STUDY_YML.replace("end: 2020-12-31", "end: 2021-02-01"), encoding="utf-8")


def yaml_syntax(d):
    (d / "study.yml").write_text(
        STUDY_YML.replace('label: "Structuration"', "label: Structuration: phase 2"), encoding="utf-8"
    )


def no_study_file(d):
    (d / "study.yml").unlink()


def interview_without_respondent(d):
    t = table("documents")
    t.loc[0, "respondent"] = ""
    write(d, "documents", t)


def two_files_one_table(d):
    table("units").to_excel(d / "units.xlsx", sheet_name="units", index=False)


def college_mismatch(d):
    t = table("people")
    t["college"] = ["Salariés", "ESS", "ESS"]
    write(d, "people", t)


def researcher_unknown(d):
    (d / "study.yml").write_text(STUDY_YML.replace("researchers: [R01]", "researchers: [R01, R07]"), encoding="utf-8")


def unknown_period(d):
    t = table("indicators")
    t.loc[0, "period"] = "P5"
    write(d, "indicators", t)


def negative_words(d):
    t = table("documents")
    t.loc[2, "words"] = "-5"
    write(d, "documents", t)


def id_with_space(d):
    t = table("people")
    t.loc[2, "id"] = "ESS 01"
    write(d, "people", t)
    s = table("segments")
    s.loc[2, "speaker"] = "ESS 01"
    write(d, "segments", s)
    doc = table("documents")
    doc.loc[1, "respondent"] = "ESS 01"
    write(d, "documents", doc)


def journal_id_reuses_document_id(d):
    t = table("journal")
    t.loc[1, "id"] = "D2"
    write(d, "journal", t)


def quoted_newline_then_error(d):
    t = table("journal")
    t.loc[0, "text"] = "Première ligne\nseconde ligne, avec virgule"
    t.loc[1, "kind"] = "pique-nique"
    write(d, "journal", t)


def cycle_indicators() -> pd.DataFrame:
    """A valid ``indicators`` table read as a cycle (lines 2 to 6).

    Line 2 a realisation, 3-4 a volunteer resource over two periods, 5 a
    support activity, 6 an impact that regenerates the volunteer resource.
    """
    base = table("indicators").iloc[0].to_dict()
    rows = [
        ("I1", "projets", "réalisations", "", "", "Projets démarrés", "P1", ""),
        ("I2", "benevolat", "ressources", "bénévole", "", "Heures de bénévolat", "P1", ""),
        ("I3", "benevolat", "ressources", "bénévole", "", "Heures de bénévolat", "P2", ""),
        ("I4", "coordination", "activités", "", "support", "Heures de coordination", "P1", ""),
        ("I5", "coop", "impacts", "", "", "Coopérations durables", "P2", "benevolat"),
    ]
    names = ("id", "indicator", "stage", "resource_kind", "activity_kind", "label", "period", "regenerates")
    return pd.DataFrame([{**base, **dict(zip(names, r))} for r in rows])[
        [
            "id",
            "indicator",
            "stage",
            "resource_kind",
            "activity_kind",
            "label",
            "unit",
            "contributors",
            "beneficiaries",
            "period",
            "value",
            "measure",
            "baseline",
            "source",
            "evidence",
            "regenerates",
        ]
    ]


def resource_kind_outside_resources(d):
    t = cycle_indicators()
    t.loc[3, "resource_kind"] = "humaine"
    write(d, "indicators", t)


def activity_kind_outside_activities(d):
    t = cycle_indicators()
    t.loc[0, "activity_kind"] = "principale"
    write(d, "indicators", t)


def regenerates_outside_impacts(d):
    t = cycle_indicators()
    t.loc[2, "regenerates"] = "benevolat"
    write(d, "indicators", t)


def regenerates_not_a_resource(d):
    t = cycle_indicators()
    t.loc[4, "regenerates"] = "benevolat|projets"
    write(d, "indicators", t)


def regenerates_unknown_indicator(d):
    t = cycle_indicators()
    t.loc[4, "regenerates"] = "benevolt"
    write(d, "indicators", t)


def regenerates_without_indicator_column(d):
    write(d, "indicators", cycle_indicators().drop(columns=["indicator"]))


def indicator_with_two_labels(d):
    t = cycle_indicators()
    t.loc[2, "label"] = "Heures bénévoles"
    write(d, "indicators", t)


def indicator_with_two_stages(d):
    t = cycle_indicators()
    t.loc[2, ["stage", "resource_kind"]] = ["activités", ""]
    write(d, "indicators", t)


def bad_resource_kind(d):
    t = cycle_indicators()
    t.loc[1, "resource_kind"] = "financière"
    write(d, "indicators", t)


BAD_INPUTS = [
    (drop_column, {("segments.csv", 1, "coder")}, "colonne obligatoire"),
    (wrong_int, {("documents.csv", 3, "words")}, "nombre entier"),
    (wrong_date, {("journal.csv", 2, "date")}, "AAAA-MM-JJ"),
    (impossible_date, {("units.csv", 3, "start")}, "AAAA-MM-JJ"),
    (unknown_code, {("segments.csv", 4, "code")}, "dernière version du codebook"),
    (orphan_source, {("segments.csv", 3, "source")}, "journal"),
    (orphan_unit, {("documents.csv", 2, "unit")}, "projet défini dans units"),
    # U2 disappears with the duplicate, so the document citing it is an orphan too.
    (duplicate_id, {("units.csv", 3, "id"), ("documents.csv", 4, "unit")}, "déjà utilisé ligne 2"),
    (outside_periods, {("documents.csv", 4, "date")}, "comprise dans une période"),
    (empty_file, {("journal.csv", None, None)}, "non vide"),
    (unreadable_encoding, {("people.csv", 3, None)}, "UTF-8"),
    (binary_file, {("people.csv", 1, None)}, "octets nuls"),
    (wrong_xlsx_sheet, {("units.xlsx", None, None)}, "feuille nommée « units »"),
    (not_a_workbook, {("units.xlsx", None, None)}, "classeur Excel"),
    (unknown_coder, {("segments.csv", 2, "coder")}, "personne définie"),
    (bad_bool, {("documents.csv", 2, "quote_consent")}, "oui ou non"),
    (bad_enum, {("journal.csv", 3, "researcher_role")}, "observateur"),
    (unknown_category_in_list, {("journal.csv", 2, "participants")}, "inconnu : elus"),
    (empty_required_cell, {("units.csv", 3, "name")}, "obligatoire"),
    (end_before_start, {("segments.csv", 2, "end")}, "supérieure au début"),
    (code_of_old_version, {("segments.csv", 5, "code")}, "n'existe que dans la version 1"),
    (parent_of_other_version, {("codebook.csv", 6, "parent")}, "même version"),
    (duplicate_key, {("codebook.csv", 7, "code")}, "(code, version) unique"),
    (ragged_rows, {("units.csv", 3, None)}, "5 champs"),
    (overlapping_periods, {("study.yml", 12, "start")}, "ne se chevauchent pas"),
    (yaml_syntax, {("study.yml", 11, None)}, "YAML"),
    (no_study_file, {("study.yml", None, None)}, "study.yml"),
    (interview_without_respondent, {("documents.csv", 2, "respondent")}, "répondant"),
    (two_files_one_table, {("units.csv", None, None)}, "un seul fichier"),
    (college_mismatch, {("people.csv", 3, "college")}, "collège"),
    (researcher_unknown, {("study.yml", 3, "researchers")}, "personne définie dans people"),
    (unknown_period, {("indicators.csv", 2, "period")}, "P1, P2"),
    (negative_words, {("documents.csv", 4, "words")}, "supérieur ou égal à 0"),
    (
        id_with_space,
        {("people.csv", 4, "id"), ("documents.csv", 3, "respondent"), ("segments.csv", 4, "speaker")},
        "sans espace",
    ),
    (journal_id_reuses_document_id, {("journal.csv", 3, "id")}, "distinct"),
    (quoted_newline_then_error, {("journal.csv", 3, "kind")}, "réunion"),
    (
        resource_kind_outside_resources,
        {("indicators.csv", 5, "resource_kind")},
        (
            "le type de ressource ne concerne que les lignes de l'étape « ressources » "
            "(cette ligne est à l'étape « activités »)"
        ),
    ),
    (
        activity_kind_outside_activities,
        {("indicators.csv", 2, "activity_kind")},
        ("ne concerne que les lignes de l'étape « activités » (cette ligne est à l'étape « réalisations »)"),
    ),
    (
        regenerates_outside_impacts,
        {("indicators.csv", 4, "regenerates")},
        "seules les lignes de l'étape « impacts » régénèrent des ressources",
    ),
    (
        regenerates_not_a_resource,
        {("indicators.csv", 6, "regenerates")},
        "« projets » est un indicateur de l'étape « réalisations »",
    ),
    (
        regenerates_unknown_indicator,
        {("indicators.csv", 6, "regenerates")},
        "« benevolt » n'est l'identifiant d'aucun indicateur (vouliez-vous dire « benevolat » ?)",
    ),
    (regenerates_without_indicator_column, {("indicators.csv", 6, "regenerates")}, "la colonne indicator est absente"),
    (
        indicator_with_two_labels,
        {("indicators.csv", 4, "label")},
        "le même libellé que la ligne 3 pour l'indicateur « benevolat » (« Heures de bénévolat »)",
    ),
    (
        indicator_with_two_stages,
        {("indicators.csv", 4, "stage")},
        "la même étape que la ligne 3 pour l'indicateur « benevolat » (« ressources »)",
    ),
    (
        bad_resource_kind,
        {("indicators.csv", 3, "resource_kind")},
        "monétaire, humaine, bénévole, matérielle, relationnelle, commun territorial",
    ),
]


class TestBadInputs:
    @pytest.mark.parametrize("mutate, expected, words", BAD_INPUTS, ids=[m.__name__ for m, _, _ in BAD_INPUTS])
    def test_exact_location_and_nothing_written(self, tmp_path, mutate, expected, words, capsys):
        folder = write_minimal_study(tmp_path / "etude")
        mutate(folder)
        before = snapshot(tmp_path)
        v = validate_study(folder)
        found = {(p.file, p.line, p.column) for p in v.problems}
        assert found == expected, "\n".join(map(str, v.problems))
        assert any(words in p.expected for p in v.problems), [p.expected for p in v.problems]
        assert main(["validate", str(folder)]) == 1
        err = capsys.readouterr().err
        assert "Aucun fichier n'a été écrit" in err
        for file, line, column in expected:
            assert file in err
            if line is not None:
                assert f"ligne {line}" in err
        assert snapshot(tmp_path) == before

    def test_bad_french_excel_file_keeps_spreadsheet_lines(self, tmp_path):
        folder = to_french_excel(write_minimal_study(tmp_path / "s"), tmp_path / "fr")
        text = (folder / "documents.csv").read_bytes().decode("cp1252")
        (folder / "documents.csv").write_bytes(text.replace("02/05/2021", "32/05/2021").encode("cp1252"))
        v = validate_study(folder)
        assert {(p.file, p.line, p.column, p.value) for p in v.problems} == {("documents.csv", 3, "date", "32/05/2021")}

    def test_bad_cell_in_xlsx(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        (folder / "units.csv").unlink()
        t = table("units")
        t.loc[1, "start"] = "bientôt"
        t.to_excel(folder / "units.xlsx", sheet_name="units", index=False)
        v = validate_study(folder)
        assert [(p.file, p.line, p.column, p.letter, p.value) for p in v.problems] == [
            ("units.xlsx", 3, "start", "D", "bientôt")
        ]

    def test_every_problem_at_once(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        # one defect in each file
        for mutate in (
            wrong_int,
            unknown_code,
            duplicate_id,
            bad_enum,
            overlapping_periods,
            unknown_period,
            college_mismatch,
            parent_of_other_version,
        ):
            mutate(folder)
        v = validate_study(folder)
        assert {(p.file, p.line, p.column) for p in v.problems} == {
            ("documents.csv", 3, "words"),
            ("segments.csv", 4, "code"),
            ("units.csv", 3, "id"),
            ("documents.csv", 4, "unit"),
            ("journal.csv", 3, "researcher_role"),
            ("study.yml", 12, "start"),
            ("indicators.csv", 2, "period"),
            ("people.csv", 3, "college"),
            ("codebook.csv", 6, "parent"),
        }

    def test_message_names_value_and_rule_in_french(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        unknown_code(folder)
        (p,) = validate_study(folder).problems
        assert str(p) == (
            "segments.csv, ligne 4, colonne D « code » : valeur « inconnu » — "
            "attendu : un code de la dernière version du codebook (version 2)"
        )

    def test_typo_in_column_name_is_pointed_out(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        write(folder, "segments", table("segments").rename(columns={"coder": "codeur"}))
        v = validate_study(folder)
        (p,) = v.problems
        assert "« codeur » serait-elle cette colonne" in p.expected
        assert [(w.column, w.letter) for w in v.warnings] == [("codeur", "C")]


class TestValidInputs:
    def test_minimal_study_is_valid(self, tmp_path, capsys):
        folder = write_minimal_study(tmp_path / "s")
        before = snapshot(tmp_path)
        assert main(["validate", str(folder)]) == 0
        out = capsys.readouterr().out
        assert "Données valides" in out and "segments    4 lignes" in out
        assert "P1 (01/01/2020 → 31/12/2020)" in out
        assert snapshot(tmp_path) == before

    def test_forgiving_spellings(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        t = table("journal")
        t.loc[1, "kind"] = "Note Reflexive"
        t.loc[0, "researcher_role"] = " OBSERVATEUR "
        write(folder, "journal", t)
        d = table("documents")
        d.loc[0, "quote_consent"] = "Oui"
        d.loc[1, "words"] = "3 100"
        write(folder, "documents", d)
        assert validate_study(folder).ok

    def test_optional_indicators_may_be_absent(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        (folder / "indicators.csv").unlink()
        assert validate_study(folder).ok

    def test_indicators_read_as_a_cycle(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        t = cycle_indicators()
        t.loc[1, "resource_kind"] = " BENEVOLE "
        t.loc[3, "activity_kind"] = "Support"
        t.loc[4, "regenerates"] = "benevolat | benevolat"
        write(folder, "indicators", t)
        before = snapshot(tmp_path)
        assert validate_study(folder).ok
        assert snapshot(tmp_path) == before
        ind = load_case(folder, cache=False).indicators
        assert ind["resource_kind"].tolist()[:3] == [pd.NA, "bénévole", "bénévole"]
        assert ind["activity_kind"].iloc[3] == "support"
        assert ind["regenerates"].iloc[4] == ["benevolat", "benevolat"]

    def test_cycle_columns_are_optional(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        assert not {"indicator", "resource_kind", "activity_kind", "regenerates"} & set(table("indicators").columns)
        assert validate_study(folder).ok
        ind = load_case(folder, cache=False).indicators
        assert ind[["indicator", "resource_kind", "activity_kind"]].isna().all().all()
        assert ind["regenerates"].tolist() == [[]]

    def test_xlsx_tables_are_accepted(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        for name in ("units", "documents"):
            (folder / f"{name}.csv").unlink()
            table(name).to_excel(folder / f"{name}.xlsx", sheet_name=name, index=False)
        assert validate_study(folder).ok
