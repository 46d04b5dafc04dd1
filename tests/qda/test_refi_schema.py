"""XSD check of REFI-QDA documents (io.refi_schema): real exports, hand-made deviations."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

import pytest

from rd_territoriale.qda import refi_schema
from rd_territoriale.qda.refi import parse_xml
from rd_territoriale.qda.refi_schema import ENV_VAR, NO_SCHEMAS, find_schemas, schema_warnings

EXTERNAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "external"
SCHEMAS = EXTERNAL / "refi-schemas"
QC_DEMO = EXTERNAL / "qc-demo" / "demo.qdpx"
NVIVO = EXTERNAL / "qc-demo" / "nvivo_mac_codebook_only.qdpx"

needs_schemas = pytest.mark.skipif(
    not ((SCHEMAS / "Project.xsd").is_file() and (SCHEMAS / "Codebook.xsd").is_file()),
    reason="schémas REFI-QDA absents (../shared/data/external/refi-schemas)",
)
needs_demo = pytest.mark.skipif(not QC_DEMO.is_file(), reason="données externes qc-demo absentes")
needs_nvivo = pytest.mark.skipif(not NVIVO.is_file(), reason="données externes NVivo absentes")

NS = 'xmlns="urn:QDA-XML:project:1.0"'
G1 = "0a1b2c3d-0000-4000-8000-000000000001"
G2 = "0a1b2c3d-0000-4000-8000-000000000002"
G3 = "0a1b2c3d-0000-4000-8000-000000000003"
G4 = "0a1b2c3d-0000-4000-8000-000000000004"
G5 = "0a1b2c3d-0000-4000-8000-000000000005"


def project(codes: str = "", sources: str = "") -> Element:
    """A minimal project around the given codes and sources (valid when they are)."""
    codebook = f"<CodeBook><Codes>{codes}</Codes></CodeBook>" if codes else ""
    sources = f"<Sources>{sources}</Sources>" if sources else ""
    users = f'<Users><User guid="{G1}" name="ana"/></Users>'
    return parse_xml(
        f'<?xml version="1.0" encoding="UTF-8"?><Project {NS} name="essai" origin="test">'
        f"{users}{codebook}{sources}</Project>".encode(),
        "project.qde",
    )


VALID_CODES = (
    f'<Code guid="{G2}" name="parent" isCodable="true" color="#12AB34">'
    f"<Description>un code</Description>"
    f'<Code guid="{G3}" name="enfant" isCodable="false"/></Code>'
)
VALID_SOURCE = (
    f'<TextSource guid="{G4}" name="entretien" plainTextPath="internal://a.txt" '
    f'creatingUser="{G1}" creationDateTime="2024-01-02T10:00:00Z">'
    f'<PlainTextSelection guid="{G5}" startPosition="0" endPosition="5" creatingUser="{G1}">'
    f'<Coding guid="{G1}" creatingUser="{G1}"><CodeRef targetGUID="{G3}"/></Coding>'
    f"</PlainTextSelection></TextSource>"
)


def member(archive: Path, name: str = "project.qde") -> Element:
    with zipfile.ZipFile(archive) as zf:
        return parse_xml(zf.read(name), name)


# --------------------------------------------------------------------------- find_schemas


@needs_schemas
def test_find_schemas_default_is_the_shared_folder(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_schemas() == SCHEMAS.resolve()


def test_find_schemas_explicit_and_env(tmp_path, monkeypatch):
    folder = tmp_path / "xsd"
    folder.mkdir()
    (folder / "Project.xsd").write_text("<x/>")
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_schemas(folder) is None  # Codebook.xsd missing
    (folder / "Codebook.xsd").write_text("<x/>")
    assert find_schemas(folder) == folder
    assert find_schemas(str(folder)) == folder
    monkeypatch.setenv(ENV_VAR, str(folder))
    assert find_schemas() == folder
    # an explicit folder wins over the variable, and is not replaced when wrong
    assert find_schemas(tmp_path / "ailleurs") is None
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "ailleurs"))
    assert find_schemas() is None


def test_no_schemas_gives_one_warning():
    assert schema_warnings(project(), "project", None, "project.qde") == [NO_SCHEMAS]
    assert NO_SCHEMAS == (
        "schémas REFI-QDA introuvables : vérification XSD non faite "
        "(indiquez le dossier avec --schemas ou RD_TERRITORIALE_SCHEMAS_REFI)"
    )


def test_unreadable_schema_is_a_warning_not_an_error(tmp_path):
    for name in ("Project.xsd", "Codebook.xsd"):
        (tmp_path / name).write_text("ceci n'est pas un schéma")
    warnings = schema_warnings(project(), "project", tmp_path, "project.qde")
    assert len(warnings) == 1
    assert warnings[0].startswith("schéma REFI-QDA illisible (") and "vérification XSD non faite" in warnings[0]


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="inconnu"):
        schema_warnings(project(), "projet", None, "project.qde")


# --------------------------------------------------------------------------- real exports


@needs_schemas
@needs_demo
def test_qc_demo_is_valid():
    """qc 1.3.2's project.qde passes Project.xsd: its bare ``plainTextPath="board_2017.txt"``
    (no ``internal://``) is no deviation, the attribute being a plain ``xsd:string``;
    its TextSource without ``name`` neither (optional)."""
    root = member(QC_DEMO)
    assert any(s.get("plainTextPath") == "board_2017.txt" for s in root.iter("{urn:QDA-XML:project:1.0}TextSource"))
    assert schema_warnings(root, "project", SCHEMAS, "project.qde") == []


@needs_schemas
@needs_nvivo
def test_nvivo_project_is_valid():
    """NVivo for Mac 15's project.qde passes Project.xsd; its ``xsi:schemaLocation``
    hint is ignored (nothing is fetched). Its codebook sits in the project
    namespace: the ``codebook:1:0`` spelling does not occur in it."""
    root = member(NVIVO)
    assert root.get("origin") == "NVivo for Mac 15.0.0"
    assert schema_warnings(root, "project", SCHEMAS, "project.qde") == []


def _as_codebook(project_root: Element, namespace: str) -> Element:
    """The CodeBook of a project, moved into ``namespace`` as a stand-alone .qdc root."""
    book = next(project_root.iter("{urn:QDA-XML:project:1.0}CodeBook"))
    text = ET.tostring(book, encoding="unicode").replace("urn:QDA-XML:project:1.0", namespace)
    return parse_xml(text.encode(), "codes.qdc")


@needs_schemas
@needs_nvivo
def test_nvivo_codebook_namespace_variant():
    """NVivo's 262 codes as a .qdc in the ``urn:QDA-XML:codebook:1:0`` namespace:
    one note on the namespace, then the real deviations (none here)."""
    root = _as_codebook(member(NVIVO), "urn:QDA-XML:codebook:1:0")
    assert sum(1 for _ in root.iter("{urn:QDA-XML:codebook:1:0}Code")) == 262
    assert schema_warnings(root, "codebook", SCHEMAS, "codes.qdc") == [
        "codes.qdc : espace de noms « urn:QDA-XML:codebook:1:0 » (variante NVivo) remplacé par "
        "« urn:QDA-XML:codebook:1.0 » pour la vérification XSD ; les écarts signalés portent sur le reste du document."
    ]
    official = _as_codebook(member(NVIVO), "urn:QDA-XML:codebook:1.0")
    assert schema_warnings(official, "codebook", SCHEMAS, "codes.qdc") == []
    # the input element is left untouched
    assert root.tag == "{urn:QDA-XML:codebook:1:0}CodeBook"


@needs_schemas
def test_nvivo_variant_still_shows_real_deviations():
    root = parse_xml(
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
        + f'<Code guid="{G2}" name="a" isCodable="true"/><Code name="b" isCodable="true"/>'.encode()
        + b"</Codes></CodeBook>",
        "codes.qdc",
    )
    warnings = schema_warnings(root, "codebook", SCHEMAS, "codes.qdc")
    assert len(warnings) == 2 and "variante NVivo" in warnings[0]
    assert warnings[1] == (
        "codes.qdc : écart au schéma REFI-QDA en /CodeBook/Codes/Code[2] « b » : attribut obligatoire « guid » absent."
    )


# --------------------------------------------------------------------------- hand-made documents


@needs_schemas
def test_minimal_valid_project_gives_no_warning():
    assert schema_warnings(project(VALID_CODES, VALID_SOURCE), "project", SCHEMAS, "project.qde") == []
    assert schema_warnings(project(), "project", SCHEMAS, "project.qde") == []


@needs_schemas
def test_location_hints_are_ignored():
    root = parse_xml(
        f'<Project {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:QDA-XML:project:1.0 http://127.0.0.1:9/piege.xsd" name="p"/>'.encode(),
        "project.qde",
    )
    assert schema_warnings(root, "project", SCHEMAS, "project.qde") == []


@needs_schemas
def test_missing_required_attribute():
    root = project(f'<Code guid="{G2}" name="a" isCodable="true"/><Code name="sans guid" isCodable="true"/>')
    assert schema_warnings(root, "project", SCHEMAS, "project.qde") == [
        "project.qde : écart au schéma REFI-QDA en /Project/CodeBook/Codes/Code[2] « sans guid » : "
        "attribut obligatoire « guid » absent."
    ]


@needs_schemas
def test_wrong_type_attribute():
    source = VALID_SOURCE.replace('startPosition="0"', 'startPosition="abc"')
    warnings = schema_warnings(project(VALID_CODES, source), "project", SCHEMAS, "project.qde")
    assert warnings == [
        "project.qde : écart au schéma REFI-QDA en /Project/Sources/TextSource/PlainTextSelection "
        f"(guid {G5}) : attribut « startPosition », valeur « abc » : entier attendu."
    ]


@pytest.mark.parametrize(
    ("codes", "sources", "expected"),
    [
        (
            VALID_CODES.replace('isCodable="false"', 'isCodable="oui"'),
            "",
            "/Project/CodeBook/Codes/Code/Code « enfant » : attribut « isCodable », valeur « oui » : "
            "booléen attendu (true ou false)",
        ),
        (
            VALID_CODES.replace("#12AB34", "rouge"),
            "",
            "/Project/CodeBook/Codes/Code « parent » : attribut « color », valeur « rouge » : "
            "couleur attendue sous la forme #RRGGBB",
        ),
        (
            VALID_CODES.replace(G3, "code-7"),
            "",
            "/Project/CodeBook/Codes/Code/Code « enfant » : attribut « guid », valeur « code-7 » : "
            "identifiant GUID attendu (forme 8-4-4-4-12, chiffres hexadécimaux)",
        ),
        (
            VALID_CODES.replace('name="enfant"', 'name="enfant" poids="3"'),
            "",
            "/Project/CodeBook/Codes/Code/Code « enfant » : attribut « poids » non prévu par le schéma",
        ),
        (
            VALID_CODES.replace("<Description>un code</Description>", "<Note/>"),
            "",
            "/Project/CodeBook/Codes/Code « parent » : élément inattendu « Note »",
        ),
        (
            "",
            VALID_SOURCE.replace("2024-01-02T10:00:00Z", "hier"),
            "/Project/Sources/TextSource « entretien » : attribut « creationDateTime », valeur « hier » : "
            "date et heure attendues (AAAA-MM-JJThh:mm:ss)",
        ),
    ],
    ids=["booleen", "couleur", "guid", "attribut-inconnu", "element-inattendu", "date"],
)
@needs_schemas
def test_deviations_in_french(codes, sources, expected):
    warnings = schema_warnings(project(codes, sources), "project", SCHEMAS, "p.qde")
    assert warnings == [f"p.qde : écart au schéma REFI-QDA en {expected}."]


@needs_schemas
def test_incomplete_content_and_wrong_root():
    root = parse_xml(f"<Project {NS} name='p'><CodeBook/></Project>".encode(), "p.qde")
    assert schema_warnings(root, "project", SCHEMAS, "p.qde") == [
        "p.qde : écart au schéma REFI-QDA en /Project/CodeBook : contenu incomplet : élément « Codes » attendu."
    ]
    # a project checked against the codebook schema: its root is unknown there
    assert schema_warnings(project(), "codebook", SCHEMAS, "p.qde") == [
        "p.qde : écart au schéma REFI-QDA en /Project « essai » : élément racine « Project » inconnu du schéma "
        "(espace de noms « urn:QDA-XML:project:1.0 »)."
    ]
    bare = parse_xml(b"<Project name='p'/>", "p.qde")
    assert schema_warnings(bare, "project", SCHEMAS, "p.qde") == [
        "p.qde : écart au schéma REFI-QDA en /Project « p » : élément racine « Project » inconnu du schéma "
        "(sans espace de noms)."
    ]


@needs_schemas
def test_warnings_are_capped():
    codes = "".join(f'<Code name="c{i}" isCodable="true"/>' for i in range(25))
    warnings = schema_warnings(project(codes), "project", SCHEMAS, "p.qde", limit=20)
    assert len(warnings) == 21
    assert all("attribut obligatoire « guid » absent" in w for w in warnings[:20])
    assert warnings[-1] == "… et 5 autres écarts au schéma"
    one_more = schema_warnings(project(codes), "project", SCHEMAS, "p.qde", limit=24)
    assert one_more[-1] == "… et 1 autre écart au schéma"
    assert len(schema_warnings(project(codes), "project", SCHEMAS, "p.qde", limit=25)) == 25


@needs_schemas
def test_schemas_are_loaded_once():
    refi_schema._load_schema.cache_clear()
    for _ in range(3):
        schema_warnings(project(), "project", SCHEMAS, "p.qde")
    info = refi_schema._load_schema.cache_info()
    assert info.misses == 1 and info.hits == 2


def test_untranslated_reason_is_quoted():
    class Odd:
        reason = "something new in xmlschema"
        elem = None
        validator = None

    root = ET.Element("Project")
    assert refi_schema._french_reason(Odd(), root) == "écart non traduit : « something new in xmlschema »"
