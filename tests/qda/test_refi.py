"""REFI-QDA import (io.refi): real exports from qc and NVivo, malicious archives, quirks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.qda.refi import (
    RefiError,
    UnsafeArchiveError,
    open_qdpx,
    read_codebook,
    read_project,
)

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "external"
QC_DEMO = EXTERNAL / "qc-demo" / "demo.qdpx"
NVIVO = EXTERNAL / "qc-demo" / "nvivo_mac_codebook_only.qdpx"

needs_demo = pytest.mark.skipif(not QC_DEMO.is_file(), reason="données externes qc-demo absentes")
needs_nvivo = pytest.mark.skipif(not NVIVO.is_file(), reason="données externes NVivo absentes")

NS = 'xmlns="urn:QDA-XML:project:1.0"'


def make_qdpx(path: Path, members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


# --------------------------------------------------------------------------- real exports


@pytest.fixture(scope="module")
def demo():
    return read_project(QC_DEMO)


@needs_demo
def test_qc_demo_counts(demo):
    assert len(demo.codes) == 262
    assert len(demo.sources) == 2 and set(demo.sources["kind"]) == {"text"}
    assert len(demo.selections) == 158
    assert len(demo.codings) == 205
    assert len(demo.users) == 1 and demo.users["name"].tolist() == ["cp"]
    assert demo.origin == "qc 1.3.2"
    assert demo.codes["guid"].is_unique
    # every coding points at a known selection, code and user
    assert set(demo.codings["selection_guid"]) <= set(demo.selections["guid"])
    assert set(demo.codings["code_guid"]) <= set(demo.codes["guid"])
    assert set(demo.codings["creator_guid"]) == set(demo.users["guid"])
    # qc quirk: plainTextPath without internal://, reported in French
    assert any("internal://" in w and "qc" in w for w in demo.warnings)


@needs_demo
def test_qc_demo_code_hierarchy(demo):
    codes = demo.codes
    name_of = dict(zip(codes["guid"], codes["name"]))
    parents: dict[str, set] = {}
    for row in codes.itertuples():
        parents.setdefault(row.name, set()).add(name_of.get(row.parent_guid))
    assert parents["competencies"] == {"rq1_definition"}
    assert parents["abstraction"] == {"concepts"}
    assert parents["concepts"] == {"rq1_definition"}
    assert parents["restructure_curriculum"] == {"restructuring_high_school"}
    assert parents["restructuring_high_school"] == {"defining_education"}
    # names are not unique (same name in two branches); the path is
    assert parents["programming"] == {"competencies", "cs_as_programming"}
    assert codes["name"].duplicated().any() and codes["path"].is_unique
    assert "rq1_definition > competencies > programming" in set(codes["path"])
    top = codes[codes["parent_guid"].isna()]
    assert top["name"].tolist() == ["rq1_definition", "rq2_curriculum_and_instruction", "rq3_process"]
    assert (top["depth"] == 0).all() and (codes.loc[codes["parent_guid"].notna(), "depth"] > 0).all()
    # every parent is a known code listed before its child
    position = {g: i for i, g in enumerate(codes["guid"])}
    for row in codes.dropna(subset=["parent_guid"]).itertuples():
        assert position[row.parent_guid] < position[row.guid]


@needs_demo
def test_qc_demo_selected_texts_match_positions(demo):
    texts = dict(zip(demo.sources["guid"], demo.sources["text"]))
    assert all(isinstance(t, str) and t for t in texts.values())
    assert demo.selections["text"].notna().all()
    for sel in demo.selections.itertuples():
        assert sel.text == texts[sel.source_guid][sel.start : sel.end]
        assert 0 <= sel.start < sel.end <= len(texts[sel.source_guid])
    first = demo.selections.iloc[0]
    assert first["start"] == 320 and first["end"] == 400
    assert first["text"].startswith("This district goal is engage every student")


@needs_nvivo
def test_nvivo_codebook_only_project():
    project = read_project(NVIVO)
    assert len(project.codes) == 262
    assert project.codes["parent_guid"].isna().sum() == 3
    assert len(project.sources) == 2 and len(project.selections) == 0 and len(project.codings) == 0
    assert project.sources["text"].str.strip().eq("").all()  # empty sources: no crash
    assert project.origin.startswith("NVivo")
    assert read_codebook(NVIVO).codes["guid"].tolist() == project.codes["guid"].tolist()


@needs_demo
def test_open_qdpx_lists_members_without_extracting(tmp_path):
    with open_qdpx(QC_DEMO) as archive:
        assert archive.qde_name == "project.qde"
        assert archive.find_source("board_2017.txt") == "sources/board_2017.txt"
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- malicious input


def test_path_traversal_rejected(tmp_path):
    for bad in ("../evil.txt", "sources/../../evil.txt", "/etc/evil.txt", "C:\\evil.txt"):
        path = make_qdpx(tmp_path / "bad.qdpx", {"project.qde": f"<Project {NS}/>", bad: "x"})
        with pytest.raises(UnsafeArchiveError, match="sort du dossier de l'archive") as err:
            open_qdpx(path)
        assert isinstance(err.value, RdTerritorialeError) and "refusée" in str(err.value)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_ratio_rejected(tmp_path):
    path = make_qdpx(
        tmp_path / "bomb.qdpx", {"project.qde": f"<Project {NS}/>", "sources/a.txt": b"\0" * (8 * 1024 * 1024)}
    )
    assert path.stat().st_size < 100_000
    with pytest.raises(UnsafeArchiveError, match="bombe ZIP"):
        read_project(path)


def test_oversized_entry_and_total_rejected(tmp_path):
    path = make_qdpx(tmp_path / "big.qdpx", {"project.qde": f"<Project {NS}/>", "sources/a.txt": "é" * 5000})
    with pytest.raises(UnsafeArchiveError, match="une fois décompressée .maximum 1000 octets"):
        open_qdpx(path, max_entry=1000)
    with pytest.raises(UnsafeArchiveError, match="au total"):
        open_qdpx(path, max_total=8000)
    with pytest.raises(UnsafeArchiveError, match="entrées dans l'archive .maximum 1"):
        open_qdpx(path, max_entries=1)


def test_billion_laughs_rejected(tmp_path):
    lol = (
        '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "lollollollollol">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><Project {NS} name="&j;"/>'
    )
    path = make_qdpx(tmp_path / "lol.qdpx", {"project.qde": lol})
    with pytest.raises(UnsafeArchiveError, match="bombe XML"):
        read_project(path)
    qdc = tmp_path / "lol.qdc"
    qdc.write_text(lol.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(UnsafeArchiveError, match="bombe XML"):
        read_codebook(qdc)


def test_not_a_project_rejected(tmp_path):
    notzip = tmp_path / "faux.qdpx"
    notzip.write_text("pas un zip", encoding="utf-8")
    with pytest.raises(RefiError, match="pas un ZIP valide"):
        read_project(notzip)
    noqde = make_qdpx(tmp_path / "vide.qdpx", {"sources/a.txt": "x"})
    with pytest.raises(RefiError, match="aucun fichier projet"):
        read_project(noqde)
    broken = make_qdpx(tmp_path / "casse.qdpx", {"project.qde": "<Project"})
    with pytest.raises(RefiError, match="XML mal formé"):
        read_project(broken)


# --------------------------------------------------------------------------- quirks


def test_bom_crlf_source_resolves_selections(tmp_path):
    text = "Première ligne\r\nDeuxième : le pôle 🙂 coordonne\r\nFin"
    words = ["Deuxième", "le pôle 🙂 coordonne", "ligne\r\nDeuxième", "Fin"]
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    sels = "".join(
        f'<PlainTextSelection guid="s{i}" startPosition="{a}" endPosition="{b}" creatingUser="u1">'
        f'<Coding guid="c{i}" creatingUser="u1"><CodeRef targetGUID="k1"/></Coding></PlainTextSelection>'
        for i, (a, b) in enumerate(spans)
    )
    qde = (
        f'<?xml version="1.0" encoding="UTF-8"?><Project {NS} name="essai" origin="ATLAS.ti">'
        '<Users><User guid="u1" name="Chercheuse"/></Users>'
        '<CodeBook><Codes><Code guid="k1" name="Coordination" isCodable="true" color="#FF0000">'
        "<Description>Le pôle coordonne</Description>"
        '<Code guid="k2" name="Sous-code" isCodable="false"/></Code></Codes></CodeBook>'
        f'<Sources><TextSource guid="t1" name="Entretien 1" plainTextPath="internal://t1.txt" '
        f'creationDateTime="2024-05-02T10:00:00Z">{sels}</TextSource>'
        '<AudioSource guid="a1" name="Enregistrement" path="internal://a1.mp3"/></Sources></Project>'
    )
    path = make_qdpx(
        tmp_path / "essai.qdpx",
        {
            "Mon projet.qde": qde,
            "Sources/t1.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
            "Sources/a1.mp3": b"ID3",
        },
    )
    project = read_project(path)
    source = project.sources.set_index("guid")
    assert source.loc["t1", "text"] == text  # BOM removed, CRLF kept
    assert source.loc["t1", "creation_date"].year == 2024
    assert source.loc["a1", "kind"] == "audio" and pd.isna(source.loc["a1", "text"])
    assert project.selections["text"].tolist() == words
    assert project.selections["start"].tolist() == [a for a, _ in spans]
    assert project.codings["code_guid"].tolist() == ["k1"] * 4
    codes = project.codes.set_index("guid")
    assert codes.loc["k1", "color"] == "#FF0000" and codes.loc["k1", "description"] == "Le pôle coordonne"
    assert codes.loc["k2", "parent_guid"] == "k1" and not codes.loc["k2", "is_codable"]
    joined = " | ".join(project.warnings)
    assert "Mon projet.qde" in joined and "ATLAS.ti" in joined
    assert "audio non importée" in joined


def test_selection_outside_text_is_warned(tmp_path):
    qde = (
        f'<Project {NS}><Sources><TextSource guid="t1" plainTextPath="internal://t1.txt">'
        '<PlainTextSelection guid="s1" startPosition="2" endPosition="99"/></TextSource></Sources></Project>'
    )
    project = read_project(make_qdpx(tmp_path / "p.qdpx", {"project.qde": qde, "sources/t1.txt": "court"}))
    assert project.selections["text"].isna().all()
    assert any("hors du texte" in w for w in project.warnings)


@pytest.mark.parametrize("ns", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0"])
def test_codebook_both_namespaces(tmp_path, ns):
    qdc = tmp_path / "livre.qdc"
    qdc.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{ns}" origin="NVivo"><Codes>'
        '<Code guid="g1" name="Gouvernance" isCodable="true"><Description>Qui décide</Description>'
        '<Code guid="g2" name="Pilotage" isCodable="true"/></Code>'
        '<Code guid="g3" name="Financement" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    book = read_codebook(qdc, schemas=False)  # guids « g1 »… are not REFI guids: no XSD check here
    assert book.codes["name"].tolist() == ["Gouvernance", "Pilotage", "Financement"]
    assert book.codes["parent_guid"].isna().tolist() == [True, False, True]
    assert book.codes["parent_guid"].iloc[1] == "g1"
    assert book.codes["path"].tolist() == ["Gouvernance", "Gouvernance > Pilotage", "Financement"]
    assert book.codes["description"].tolist()[0] == "Qui décide"
    assert bool(book.warnings) == ns.endswith("1:0")
    if book.warnings:
        assert "variante NVivo" in book.warnings[0]


def test_size_limit_enforced_while_decompressing(tmp_path):
    # a ZIP header may understate sizes: read() counts the bytes really produced
    path = make_qdpx(tmp_path / "p.qdpx", {"project.qde": f"<Project {NS}/>", "sources/a.txt": "x" * 5000})
    with open_qdpx(path) as archive:
        archive._max_entry = 1000
        with pytest.raises(UnsafeArchiveError, match="taille déclarée inexacte"):
            archive.read("sources/a.txt")
