"""Export of the study codebook as a REFI-QDA .qdc file (io.qdc)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.io.export import ExportError
from rd_territoriale.qda.refi import PATH_SEPARATOR, parse_xml, read_codebook
from rd_territoriale.qda.refi_codebook import code_guid, codebook_to_qdc
from rd_territoriale.qda.refi_schema import schema_warnings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "exemple" / "codebook.csv"
EXTERNAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "external"
SCHEMAS = EXTERNAL / "refi-schemas"
CODEBOOK_XSD = SCHEMAS / "Codebook.xsd"

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def tiny() -> pd.DataFrame:
    """A nested codebook in two versions, typed, children listed before their parents' siblings."""
    rows = [
        # version 1, not exported
        ("ancien", "Ancien code", None, "vieux", 1),
        ("a", "Alpha", None, "premier niveau", 1),
        # version 2, exported
        ("a", "Alpha", None, "Premier niveau, avec « guillemets » & esperluette.", 2),
        ("b", "Bêta", None, None, 2),
        ("a1", "Alpha un", "a", "sous-code\nsur deux lignes", 2),
        ("a1x", "Alpha un x", "a1", "", 2),
        ("b1", "Bêta un", "b", "sous-code de b", 2),
        ("a2", "Alpha deux", "a", None, 2),
    ]
    frame = pd.DataFrame(rows, columns=["code", "label", "parent", "definition", "version"])
    frame["dimension"] = "ECT"
    return frame.astype({"version": "Int64"})


def latest(codebook: pd.DataFrame) -> pd.DataFrame:
    versions = pd.to_numeric(codebook["version"])
    return codebook[versions == versions.max()].reset_index(drop=True)


def expected_paths(codebook: pd.DataFrame) -> list[str]:
    """Label paths of the latest version, parents first then their children (depth first)."""
    rows = latest(codebook)
    label = dict(zip(rows["code"], rows["label"]))
    parent = {c: (p if isinstance(p, str) and p else None) for c, p in zip(rows["code"], rows["parent"])}

    def path(code):
        return (path(parent[code]) + PATH_SEPARATOR if parent[code] else "") + label[code]

    order: list[str] = []

    def walk(p):
        for c in rows["code"]:
            if parent[c] == p:
                order.append(path(c))
                walk(c)

    walk(None)
    return order


def definition(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, dtype=str)


@pytest.fixture(scope="module")
def xsd():
    if not CODEBOOK_XSD.is_file():
        pytest.skip("schéma REFI-QDA Codebook.xsd absent (../shared/data/external/refi-schemas)")
    import xmlschema

    return xmlschema.XMLSchema(str(CODEBOOK_XSD))


# --------------------------------------------------------------------------- example case


def test_example_is_valid_against_codebook_xsd(example, xsd, tmp_path):
    path = codebook_to_qdc(example, tmp_path / "codebook.qdc")
    assert path == tmp_path / "codebook.qdc"
    xsd.validate(str(path))  # raises on the first deviation
    assert xsd.is_valid(str(path))
    assert schema_warnings(parse_xml(path.read_bytes(), path.name), "codebook", SCHEMAS, path.name) == []


def test_example_reads_back(example, tmp_path):
    path = codebook_to_qdc(example, tmp_path / "codebook.qdc")
    book = read_codebook(path)
    assert book.warnings == []
    assert book.origin.startswith("rd-territoriale ")
    rows = latest(example)
    assert set(example["version"]) == {"1", "2", "3"} and len(rows) < len(example)
    codes = book.codes
    assert len(codes) == len(rows)
    assert codes["path"].tolist() == expected_paths(example)
    assert sorted(codes["name"]) == sorted(rows["label"])
    assert codes["guid"].tolist() == [code_guid(c) for c in _codes_in_tree_order(rows)]
    assert codes["is_codable"].all()
    by_code = dict(zip(rows["code"], rows["definition"]))
    assert [None if pd.isna(d) else d for d in codes["description"]] == [
        definition(by_code[c]) for c in _codes_in_tree_order(rows)
    ]
    # the nesting: parent labels match the table's parent column
    label_of_guid = dict(zip(codes["guid"], codes["name"]))
    label = dict(zip(rows["code"], rows["label"]))
    for code, parent in zip(rows["code"], rows["parent"]):
        got = codes.loc[codes["guid"] == code_guid(code), "parent_guid"].item()
        assert (label_of_guid.get(got) if got else None) == (label[parent] if isinstance(parent, str) else None)
    # codes dropped in version 3 are not exported
    assert "Innovation sociale" not in set(codes["name"])


def _codes_in_tree_order(rows: pd.DataFrame) -> list[str]:
    parent = {c: (p if isinstance(p, str) and p else None) for c, p in zip(rows["code"], rows["parent"])}
    order: list[str] = []

    def walk(p):
        for c in rows["code"]:
            if parent[c] == p:
                order.append(c)
                walk(c)

    walk(None)
    return order


def test_export_is_reproducible(example, tmp_path):
    first = codebook_to_qdc(example, tmp_path / "un.qdc").read_bytes()
    second = codebook_to_qdc(example, tmp_path / "deux.qdc").read_bytes()
    assert first == second
    again = codebook_to_qdc(example, tmp_path / "un.qdc").read_bytes()
    assert again == first
    assert first.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="rd-territoriale '
    )
    assert "Coopération entre acteurs".encode("utf-8") in first  # UTF-8, not character references
    assert [p.name for p in tmp_path.iterdir()] and not list(tmp_path.glob(".*"))  # no temporary file left


# --------------------------------------------------------------------------- hand-made codebook


def test_tiny_nested_codebook(xsd, tmp_path):
    path = codebook_to_qdc(tiny(), tmp_path / "sous" / "dossier" / "mini.qdc", origin="essai 1.0")
    assert xsd.is_valid(str(path))
    book = read_codebook(path)
    assert book.origin == "essai 1.0" and book.warnings == []
    codes = book.codes
    assert codes["path"].tolist() == [
        "Alpha",
        "Alpha > Alpha un",
        "Alpha > Alpha un > Alpha un x",
        "Alpha > Alpha deux",
        "Bêta",
        "Bêta > Bêta un",
    ]
    assert codes["depth"].tolist() == [0, 1, 2, 1, 0, 1]
    assert [None if pd.isna(d) else d for d in codes["description"]] == [
        "Premier niveau, avec « guillemets » & esperluette.",
        "sous-code\nsur deux lignes",
        None,  # empty definition: no Description element
        None,
        None,
        "sous-code de b",
    ]
    assert codes["guid"].tolist() == [code_guid(c) for c in ("a", "a1", "a1x", "a2", "b", "b1")]
    text = path.read_text(encoding="utf-8")
    assert text.count("<Description>") == 3
    assert "Ancien code" not in text


def test_same_result_from_strings_and_typed(tmp_path):
    typed = tiny()
    strings = typed.astype(str).replace({"None": "", "<NA>": "", "nan": ""})
    a = codebook_to_qdc(typed, tmp_path / "a.qdc").read_bytes()
    b = codebook_to_qdc(strings, tmp_path / "b.qdc").read_bytes()
    assert a == b


def test_guids_are_canonical_and_stable():
    guid = code_guid("essoufflement")
    assert GUID.match(guid)
    assert guid == code_guid("essoufflement") != code_guid("enthousiasme")
    assert guid == "a2ef99a7-261d-557c-a9c1-3b2a66023504"  # fixed namespace: stable across releases


# --------------------------------------------------------------------------- refusals


def test_unknown_parent_is_named(tmp_path):
    book = tiny()
    book.loc[book["code"] == "b1", "parent"] = "zeta"
    with pytest.raises(ExportError, match="« zeta » du code « b1 »"):
        codebook_to_qdc(book, tmp_path / "x.qdc")
    assert not list(tmp_path.iterdir())


def test_parent_only_in_an_older_version_is_refused(tmp_path):
    book = tiny()
    book.loc[book["code"] == "b1", "parent"] = "ancien"
    with pytest.raises(ExportError, match=r"« ancien » du code « b1 » n'existe pas dans la version 2"):
        codebook_to_qdc(book, tmp_path / "x.qdc")


def test_cycle_is_refused(tmp_path):
    book = tiny()
    book.loc[book["code"] == "a", "parent"] = "a1x"
    with pytest.raises(ExportError, match="tourne en rond") as info:
        codebook_to_qdc(book, tmp_path / "x.qdc")
    assert "« a »" in str(info.value) and "« a1x »" in str(info.value)
    book = tiny()
    book.loc[book["code"] == "b", "parent"] = "b"
    with pytest.raises(ExportError, match=r"« b » → « b »"):
        codebook_to_qdc(book, tmp_path / "x.qdc")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.assign(code=b["code"].replace("b1", "a2")), "« a2 » apparaît deux fois"),
        (lambda b: b.iloc[0:0], "vide"),
        (lambda b: b.drop(columns="label"), "colonne « label »"),
        (
            lambda b: b.astype({"version": object}).assign(version=["1", "1", "2", "2", "deux", "2", "2", "2"]),
            "version « deux » du code « a1 »",
        ),
        (lambda b: b.assign(definition=b["definition"].where(b["code"] != "b1", "bip\x07")), "caractère de contrôle"),
    ],
    ids=["doublon", "vide", "colonne", "version", "controle"],
)
def test_other_refusals(change, message, tmp_path):
    book = change(tiny())
    with pytest.raises(ExportError, match=message):
        codebook_to_qdc(book, tmp_path / "x.qdc")


def test_extension_must_be_qdc(tmp_path):
    with pytest.raises(ExportError, match=r"\.qdc"):
        codebook_to_qdc(tiny(), tmp_path / "codes.xml")


def test_failed_export_keeps_the_previous_file(tmp_path):
    path = codebook_to_qdc(tiny(), tmp_path / "codes.qdc")
    before = path.read_bytes()
    book = tiny()
    book.loc[book["code"] == "b1", "parent"] = "zeta"
    with pytest.raises(ExportError):
        codebook_to_qdc(book, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["codes.qdc"]
