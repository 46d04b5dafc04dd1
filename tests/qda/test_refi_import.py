"""REFI-QDA projects and codebooks imported into a study (io.refi_study, importer, CLI)."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET  # writing a test file only
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.cli import main
from rd_territoriale.qda.refi import read_project
from rd_territoriale.qda.refi_study import RefiImportError, code_ids, project_tables
from rd_territoriale.study.case import load_case

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "external"
QC_DEMO = EXTERNAL / "qc-demo" / "demo.qdpx"
NVIVO = EXTERNAL / "qc-demo" / "nvivo_mac_codebook_only.qdpx"
needs_external = pytest.mark.skipif(
    not QC_DEMO.is_file() or not NVIVO.is_file(), reason="données externes qc-demo absentes"
)

STUDY_YML = textwrap.dedent("""\
    case: "Étude d'import REFI-QDA"
    territory: "Essai"
    periods:
      - {id: P1, label: "Automne 2021", start: 2021-09-01, end: 2021-12-31}
      - {id: P2, label: "Hiver 2022", start: 2022-01-01, end: 2022-03-31}
    stakeholder_categories:
      - {id: chercheurs, label: "Chercheur·es", college: "Recherche", members: 3}
      - {id: acteurs, label: "Acteurs du territoire", college: "Acteurs", members: 20}
    privacy: {min_cell_size: 5, quote_policy: consentement}
    """)


def g(n: int) -> str:
    """A REFI guid."""
    return f"00000000-0000-4000-8000-{n:012d}"


# Source text as stored: BOM, CRLF, accents and a character outside the BMP, so
# that code-point positions differ from UTF-16 or byte positions.
TEXT_A = "\ufeffBonjour.\r\nLa coopérative 🌲 manque de financement.\r\nFin."
TEXT_B = "Deuxième entretien : tout va bien pour la filière bois."


def positions(text: str, part: str) -> tuple[int, int]:
    body = text.lstrip("\ufeff")
    start = body.index(part)
    return start, start + len(part)


def project_xml() -> str:
    fa, fb = positions(TEXT_A, "manque de financement"), positions(TEXT_B, "filière bois")
    fa2 = positions(TEXT_A, "La coopérative 🌲 manque")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Terrain" origin="Outil 1.0">
  <Users><User guid="{g(1)}" name="Alice Martin" id="AM"/><User guid="{g(2)}" name="Bruno"/></Users>
  <CodeBook><Codes>
    <Code guid="{g(10)}" name="Économie" isCodable="false">
      <Code guid="{g(11)}" name="Financement" isCodable="true"><Description>Argent qui manque</Description></Code>
    </Code>
    <Code guid="{g(12)}" name="Territoire" isCodable="true">
      <Code guid="{g(13)}" name="Financement" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{g(20)}" name="Date de l'entretien" typeOfVariable="Date"/>
    <Variable guid="{g(21)}" name="Commune" typeOfVariable="Text"/>
    <Variable guid="{g(22)}" name="Âge" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{g(31)}" name="Projet sans entretien"/>
    <Case guid="{g(30)}" name="Filière bois">
      <Description>Projet collectif de la filière bois</Description>
      <VariableValue><VariableRef targetGUID="{g(21)}"/><TextValue>Lons-le-Saunier</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{g(20)}"/><DateValue>2022-01-15</DateValue></VariableValue>
      <SourceRef targetGUID="{g(41)}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{g(40)}" name="Entretien A" plainTextPath="internal://{g(40)}.txt">
      <PlainTextSelection guid="{g(50)}" startPosition="{fa[0]}" endPosition="{fa[1]}" creatingUser="{g(1)}">
        <Coding guid="{g(60)}" creatingUser="{g(1)}"><CodeRef targetGUID="{g(11)}"/></Coding>
        <Coding guid="{g(61)}" creatingUser="{g(2)}"><CodeRef targetGUID="{g(13)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{g(51)}" startPosition="{fa2[0]}" endPosition="{fa2[1]}">
        <Coding guid="{g(62)}"><CodeRef targetGUID="{g(12)}"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="{g(20)}"/><DateValue>2021-11-19</DateValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{g(22)}"/><IntegerValue>47</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{g(21)}"/><TextValue>Dole</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="{g(41)}" name="Entretien B" plainTextPath="internal://{g(41)}.txt">
      <PlainTextSelection guid="{g(52)}" startPosition="{fb[0]}" endPosition="{fb[1]}" creatingUser="{g(2)}">
        <Coding guid="{g(63)}" creatingUser="{g(2)}"><CodeRef targetGUID="{g(12)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{g(53)}" startPosition="3" endPosition="3" creatingUser="{g(2)}">
        <Coding guid="{g(64)}" creatingUser="{g(2)}"><CodeRef targetGUID="{g(12)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <AudioSource guid="{g(42)}" name="Réunion enregistrée" path="internal://{g(42)}.m4a"/>
  </Sources>
  <Sets>
    <Set guid="{g(70)}" name="Vague 1"><MemberSource targetGUID="{g(40)}"/><MemberSource targetGUID="{g(41)}"/></Set>
    <Set guid="{g(71)}" name="Codes clés"><MemberCode targetGUID="{g(11)}"/></Set>
  </Sets>
</Project>"""


def make_project(path: Path, xml: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml or project_xml())
        zf.writestr(f"sources/{g(40)}.txt", TEXT_A.encode("utf-8"))
        zf.writestr(f"Sources/{g(41)}.txt", TEXT_B.encode("utf-8"))
    return path


@pytest.fixture
def study(tmp_path) -> Path:
    folder = tmp_path / "etude"
    folder.mkdir()
    (folder / "study.yml").write_text(STUDY_YML, encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path):
    return read_project(make_project(tmp_path / "terrain.qdpx"), schemas=False)


# --------------------------------------------------------------------------- mapping


def test_codes_get_unique_readable_ids_and_keep_their_hierarchy(project):
    tables = project_tables(project, "terrain.qdpx").tables
    book = tables["codebook"].set_index("code")
    # two codes named « Financement »: the parent's name tells them apart
    assert list(book.index) == ["economie", "economie_financement", "territoire", "territoire_financement"]
    assert book.loc["economie_financement", "parent"] == "economie"
    assert book.loc["territoire_financement", "parent"] == "territoire"
    assert book.loc["territoire_financement", "dimension"] == "Territoire"
    assert pd.isna(book.loc["economie", "dimension"])
    assert book.loc["economie_financement", "definition"] == "Argent qui manque"
    assert set(book["version"]) == {"1"}


def test_code_ids_are_numbered_when_parent_and_name_repeat():
    codes = pd.DataFrame(
        {"guid": ["a", "b", "c", "d"], "name": ["X", "Y", "Y", "Y"], "parent_guid": [None, "a", "a", None]}
    )
    assert code_ids(codes) == {"a": "x", "b": "x_y", "c": "x_y_2", "d": "y"}


def test_segments_carry_the_selected_text_the_code_and_the_refi_user(project):
    seg = project_tables(project, "terrain.qdpx", default_coder="inconnu").tables["segments"]
    assert len(seg) == 4
    fin = seg.loc[seg["code"] == "economie_financement"].iloc[0]
    assert fin["text"] == "manque de financement" and fin["coder"] == "am" and fin["source"] == "entretien_a"
    body = TEXT_A.lstrip("\ufeff")
    assert body[int(fin["start"]) : int(fin["end"])] == "manque de financement"
    # the same selection coded by a second user gives a second segment, with that coder
    assert seg.loc[seg["code"] == "territoire_financement", "coder"].tolist() == ["bruno"]
    # a coding that names no user goes to the default coder
    assert seg.loc[seg["text"].str.startswith("La coopérative"), "coder"].tolist() == ["inconnu"]
    assert seg.loc[seg["source"] == "entretien_b", "text"].tolist() == ["filière bois"]


def test_documents_dates_units_groups_and_attributes(project):
    result = project_tables(project, "terrain.qdpx")
    docs = result.tables["documents"].set_index("id")
    # a date variable of the source wins; the case's date variable dates the other document
    assert docs.loc["entretien_a", "date"] == "2021-11-19"
    assert docs.loc["entretien_b", "date"] == "2022-01-15"
    assert docs.loc["entretien_b", "unit"] == "filiere_bois" and pd.isna(docs.loc["entretien_a", "unit"])
    assert docs.loc["entretien_a", "groups"] == "Vague 1"
    assert docs.loc["entretien_a", "words"] == "7"  # whole text: Bonjour La coopérative manque de financement Fin
    units = result.tables["units"].set_index("id")
    assert units.loc["filiere_bois", "name"] == "Filière bois"
    assert units.loc["filiere_bois", "start"] == "2022-01-15"
    assert units.loc["filiere_bois", "description"] == "Projet collectif de la filière bois"
    attrs = {(r.source, r.attribute): r.value for r in result.tables["attributes"].itertuples()}
    # the source's own value wins over its case's; the date variable is the date, not an attribute
    assert attrs == {
        ("entretien_a", "Âge"): "47",
        ("entretien_a", "Commune"): "Dole",
        ("entretien_b", "Commune"): "Lons-le-Saunier",
    }
    text = "\n".join(result.summary)
    assert "1 source(s) audio non importée(s)" in text
    assert "ensembles de codes" in text
    assert "1 codage d'un passage vide" in text and "1 cas sans document texte (Projet sans entretien)" in text
    assert result.coders == ["am", "bruno", "refi"]


def test_dates_fall_back_on_names_then_on_the_default(tmp_path):
    xml = project_xml().replace(
        f'<Variable guid="{g(20)}" name="Date de l\'entretien" typeOfVariable="Date"/>',
        f'<Variable guid="{g(20)}" name="Date de l\'entretien" typeOfVariable="Text"/>',
    )
    xml = xml.replace('name="Entretien A"', 'name="P2_GMT20211119"')
    p = read_project(make_project(tmp_path / "x.qdpx", xml), schemas=False)
    result = project_tables(p, "x.qdpx")
    docs = result.tables["documents"].set_index("title")
    assert docs.loc["P2_GMT20211119", "date"] == "2021-11-19"
    assert result.undated == ["Entretien B"]
    assert project_tables(p, "x.qdpx", default_date="2021-10-01").tables["documents"]["date"].tolist() == [
        "2021-11-19",
        "2021-10-01",
    ]
    with pytest.raises(RefiImportError, match="Date par défaut illisible"):
        project_tables(p, "x.qdpx", default_date="hier")


def test_several_date_variables_need_a_choice(tmp_path):
    xml = project_xml().replace(
        '<Variable guid="' + g(21) + '" name="Commune" typeOfVariable="Text"/>',
        '<Variable guid="' + g(21) + '" name="Commune" typeOfVariable="Date"/>',
    )
    p = read_project(make_project(tmp_path / "x.qdpx", xml), schemas=False)
    with pytest.raises(RefiImportError, match="--variable-date"):
        project_tables(p, "x.qdpx")
    chosen = project_tables(p, "x.qdpx", date_variable="date de l'entretien").tables["documents"]
    assert chosen["date"].tolist() == ["2021-11-19", "2022-01-15"]


# --------------------------------------------------------------------------- into a study


def test_cli_imports_a_project_into_a_study_that_validates(tmp_path, study, capsys):
    path = make_project(tmp_path / "terrain.qdpx")
    code = main(["import", str(path), "--into", str(study), "--repondants", "acteurs", "--categorie", "chercheurs"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "4 codes, 2 documents texte, 4 segments codés" in out.out
    assert "1 source(s) audio non importée(s)" in out.out
    case = load_case(study)
    assert set(case.people.loc[case.people["is_researcher"], "id"]) == {"am", "bruno", "refi"}
    assert case.documents.set_index("id")["period"].to_dict() == {"entretien_a": "P1", "entretien_b": "P2"}
    assert case.documents.set_index("id").loc["entretien_a", "groups"] == ["Vague 1"]
    assert len(case.attributes) == 3 and case.units["id"].tolist() == ["filiere_bois"]
    assert main(["validate", str(study)]) == 0
    # importing the project again (updated in the QDA software) works and adds no one twice
    people = (study / "people.csv").read_bytes()
    assert main(["import", str(path), "--into", str(study), "--repondants", "acteurs"]) == 0, capsys.readouterr().err
    assert (study / "people.csv").read_bytes() == people


def test_cli_refuses_undated_documents_and_writes_nothing(tmp_path, study, capsys):
    xml = project_xml().replace('typeOfVariable="Date"', 'typeOfVariable="Text"')
    path = make_project(tmp_path / "x.qdpx", xml)
    before = sorted(p.name for p in study.iterdir())
    assert main(["import", str(path), "--into", str(study), "--repondants", "acteurs"]) == 1
    err = capsys.readouterr().err
    assert "2 document(s) sans date : Entretien A, Entretien B" in err and "--date" in err
    assert sorted(p.name for p in study.iterdir()) == before


def test_existing_units_are_kept_and_imported_cases_added(tmp_path, study, capsys):
    (study / "units.csv").write_text(
        "id,name,kind,start,end\nfiliere_bois,Filière bois (nom de l'étude),filière,"
        "2021-09-01,\nu9,Autre projet,service,2021-09-01,\n",
        encoding="utf-8",
    )
    path = make_project(tmp_path / "terrain.qdpx")
    assert main(["import", str(path), "--into", str(study), "--repondants", "acteurs"]) == 0, capsys.readouterr().err
    units = pd.read_csv(study / "units.csv", dtype=str).set_index("id")
    assert units.loc["filiere_bois", "name"] == "Filière bois (nom de l'étude)"
    assert list(units.index) == ["filiere_bois", "u9"]


@needs_external
def test_qc_demo_imported_into_a_study(tmp_path, study, capsys):
    """Acceptance: demo.qdpx, 262 codes with nesting, 2 sources, 205 codings by one coder."""
    code = main(["import", str(QC_DEMO), "--into", str(study), "--date", "2021-11-20", "--repondants", "acteurs"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "262 codes, 2 documents texte, 205 segments codés (158 sélections, 205 codages), 1 codeur (cp)" in out.out
    case = load_case(study)
    assert len(case.codebook) == 262 and case.codebook["code"].is_unique
    demo = read_project(QC_DEMO, schemas=False)
    depth = demo.codes.set_index("guid")["depth"]
    # nesting kept: every code's parent is the code of its REFI parent
    ids = code_ids(demo.codes)
    expected_parent = {
        ids[g_]: (ids[p] if isinstance(p, str) else None)
        for g_, p in zip(demo.codes["guid"], demo.codes["parent_guid"])
    }
    got = {c: (p if isinstance(p, str) else None) for c, p in zip(case.codebook["code"], case.codebook["parent"])}
    assert got == expected_parent and depth.max() >= 2
    assert len(case.segments) == 205 and set(case.segments["coder"]) == {"cp"}
    assert len(case.documents) == 2 and (case.documents["period"] == "P1").all()
    # the selected texts equal the source text at those positions (LF for CRLF; the
    # study's reader trims the spaces and line ends around a cell)
    texts = dict(zip(demo.sources["guid"], demo.sources["text"]))
    names = dict(zip(demo.sources["name"], demo.sources["guid"]))
    docs = dict(zip(case.documents["id"], case.documents["title"]))
    for seg in case.segments.itertuples():
        source = texts[names[docs[seg.source]]]
        assert source[seg.start : seg.end].replace("\r\n", "\n").strip() == seg.text


@needs_external
def test_nvivo_codebook_only_project_imports_without_codings(tmp_path, study, capsys):
    code = main(["import", str(NVIVO), "--into", str(study), "--date", "2021-11-20", "--repondants", "acteurs"])
    out = capsys.readouterr()
    assert code == 0, out.err
    case = load_case(study)
    assert len(case.codebook) == 262 and len(case.segments) == 0
    assert len(case.documents) == 2 and (case.documents["words"] == 0).all()


@needs_external
def test_round_trip_import_export_import_gives_the_same_codebook(tmp_path, capsys):
    """Acceptance: import → export the codebook (.qdc) → import again: the same codebook."""
    first, second = (tmp_path / "a", tmp_path / "b")
    for folder in (first, second):
        folder.mkdir()
        (folder / "study.yml").write_text(STUDY_YML, encoding="utf-8")
    assert main(["import", str(QC_DEMO), "--into", str(first), "--date", "2021-11-20", "--repondants", "acteurs"]) == 0
    qdc = tmp_path / "livre.qdc"
    assert main(["exporter", "codes", str(first), "--sortie", str(qdc)]) == 0
    assert "262 codes" in capsys.readouterr().out
    assert main(["import", str(qdc), "--into", str(second)]) == 0
    out = capsys.readouterr().out
    assert "Livre de codes REFI-QDA livre.qdc" in out and "262 codes" in out
    a = pd.read_csv(first / "codebook.csv", dtype=str, keep_default_na=False)
    b = pd.read_csv(second / "codebook.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(a, b)
    # exported twice, the file is the same (guids come from the codes)
    again = tmp_path / "encore.qdc"
    assert main(["exporter", "codes", str(second), "--sortie", str(again)]) == 0
    assert again.read_bytes() == qdc.read_bytes()


def test_codebook_alone_replaces_only_the_codebook(tmp_path, study, capsys):
    path = make_project(tmp_path / "terrain.qdpx")
    assert main(["import", str(path), "--into", str(study), "--repondants", "acteurs"]) == 0
    qdc = tmp_path / "livre.qdc"
    assert main(["exporter", "codes", str(study), "--sortie", str(qdc)]) == 0
    before = {p.name: p.read_bytes() for p in study.iterdir() if p.is_file() and p.name != "codebook.csv"}
    assert main(["import", str(qdc), "--into", str(study)]) == 0
    after = {p.name: p.read_bytes() for p in study.iterdir() if p.is_file() and p.name != "codebook.csv"}
    assert after == before
    # a codebook that drops a code used by segments is refused, and nothing is written
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    ET.register_namespace("", ns["q"])
    tree = ET.parse(qdc)
    codes = tree.getroot().find("q:Codes", ns)
    codes.remove(next(c for c in codes.findall("q:Code", ns) if c.get("name") == "Territoire"))
    tree.write(qdc, encoding="utf-8", xml_declaration=True)
    saved = (study / "codebook.csv").read_bytes()
    assert main(["import", str(qdc), "--into", str(study)]) == 1
    assert "segments" in capsys.readouterr().err
    assert (study / "codebook.csv").read_bytes() == saved


def test_quotes_export_carries_attributes_and_code_paths(tmp_path, study, capsys):
    path = make_project(tmp_path / "terrain.qdpx")
    assert main(["import", str(path), "--into", str(study), "--repondants", "acteurs"]) == 0
    out = tmp_path / "citations.xlsx"
    assert main(["exporter", "citations", str(study), "--sortie", str(out)]) == 0
    assert "4 citation(s)" in capsys.readouterr().out
    table = pd.read_excel(out, sheet_name="Citations", dtype=str).fillna("")
    row = table.loc[table["code"] == "economie_financement"].iloc[0]
    assert row["chemin du code"] == "Économie > Financement"
    assert row["citation"] == "manque de financement" and row["codeur"] == "am"
    assert (row["Commune"], row["Âge"], row["groupes"]) == ("Dole", "47", "Vague 1")
    other = table.loc[table["document"] == "entretien_b"].iloc[0]
    assert (other["Commune"], other["Âge"], other["nom du projet"]) == ("Lons-le-Saunier", "", "Filière bois")
    csv = tmp_path / "p2.csv"
    assert main(["exporter", "citations", str(study), "--sortie", str(csv), "--periode", "P2"]) == 0
    assert pd.read_csv(csv, sep=";", encoding="utf-8-sig", dtype=str)["document"].tolist() == ["entretien_b"]
    assert main(["exporter", "codes", str(study), "--sortie", str(tmp_path / "x.csv")]) == 2
    assert main(["exporter", "citations", str(study), "--sortie", str(csv), "--code", "inconnu"]) == 1
    assert "inconnu" in capsys.readouterr().err


EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


def test_a_codebook_sent_to_qda_software_and_back_keeps_the_study_ids_and_versions(tmp_path, capsys):
    """Export the example's codebook, edit it « in NVivo », import it: ids kept, a new version added."""
    import shutil

    from rd_territoriale.analysis.codebook import codebook_churn

    folder = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("processed"))
    qdc = tmp_path / "codes.qdc"
    assert main(["exporter", "codes", str(folder), "--sortie", str(qdc)]) == 0
    saved = (folder / "codebook.csv").read_bytes()
    # unchanged in the QDA software: nothing changes in the study
    assert main(["import", str(qdc), "--into", str(folder)]) == 0
    assert "Livre de codes inchangé (identique à la version 3" in capsys.readouterr().out
    assert (folder / "codebook.csv").read_bytes() == saved
    # a code renamed and a code added in the QDA software
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    ET.register_namespace("", ns["q"])
    tree = ET.parse(qdc)
    codes = tree.getroot().find("q:Codes", ns)
    first = codes.find("q:Code", ns)
    renamed = first.find("q:Code", ns)
    old_label = renamed.get("name")
    renamed.set("name", "Élan des débuts")
    ET.SubElement(
        first,
        f"{{{ns['q']}}}Code",
        guid="12345678-1234-4234-8234-123456789abc",
        name="Fatigue militante",
        isCodable="true",
    )
    tree.write(qdc, encoding="utf-8", xml_declaration=True)
    assert main(["import", str(qdc), "--into", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "nouvelle version 4 (29 codes ; 1 ajouté(s), 0 retiré(s) par rapport à la version 3" in out
    case = load_case(folder)
    v3 = case.codebook.loc[case.codebook["version"] == 3].set_index("code")
    v4 = case.codebook.loc[case.codebook["version"] == 4].set_index("code")
    assert set(v3.index) < set(v4.index) and "fatigue_militante" in v4.index
    assert (v4.loc[v3.index, "dimension"] == v3["dimension"]).all()  # the study's dimensions are kept
    assert len(case.segments) == len(load_case(EXAMPLE).segments)
    churn = codebook_churn(case.codebook)
    last = churn.loc[churn["to_version"] == 4]
    assert last.loc[last["change"] == "ajouté", "codes_after"].tolist() == [["fatigue_militante"]]
    code = v4.index[v4["label"] == "Élan des débuts"][0]
    assert v3.loc[code, "label"] == old_label
    # same id, new label: the churn analysis calls it « redéfini » (a rename is a new id there)
    renames = last.loc[last["change"] == "redéfini"]
    assert renames["codes_after"].tolist() == [[code]] and renames["labels_after"].tolist() == [["Élan des débuts"]]
    assert len(last) == 2  # nothing else changed
