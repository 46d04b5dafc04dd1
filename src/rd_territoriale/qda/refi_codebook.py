"""Export the study codebook as a REFI-QDA codebook (``.qdc``).

A ``.qdc`` file is the codebook exchange format of the REFI-QDA 1.0 standard,
read by ATLAS.ti, MAXQDA, NVivo, QDA Miner, qc and others::

    <?xml version="1.0" encoding="UTF-8"?>
    <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="rd-territoriale 0.1.0">
      <Codes>
        <Code guid="…" name="Dynamiques des projets collectifs" isCodable="true">
          <Description>Trajectoires des projets collectifs …</Description>
          <Code guid="…" name="Enthousiasme initial" isCodable="true">…</Code>
        </Code>
      </Codes>
    </CodeBook>

Only the latest version of the study codebook is exported (the rows whose
``version`` is the largest). Each code's ``guid`` is derived from its
identifier (:func:`code_guid`), so exporting again gives the same guids and,
for the same codebook, a byte-identical file. The file is written through a
temporary file in the same folder and renamed, like
:func:`rd_territoriale.io.export.write_table`.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from rd_territoriale.io.export import ExportError, atomic_path
from rd_territoriale.qda.refi import CODEBOOK_NS
from rd_territoriale.version import __version__

__all__ = ["GUID_NAMESPACE", "code_guid", "codebook_to_qdc"]

GUID_NAMESPACE = uuid.UUID("22fc6bba-cfe4-5680-9ac2-750fd80a4519")
"""Fixed namespace of the code guids (``uuid5(NAMESPACE_URL, "rd-territoriale:refi-qda:codebook")``)."""

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def code_guid(code: str) -> str:
    """The REFI-QDA guid of a code: a ``uuid5`` of its identifier, canonical 8-4-4-4-12 form.

    Parameters
    ----------
    code : str
        The code identifier (``codebook.code``).

    Returns
    -------
    str
        Lower-case ``xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx``; the same for the
        same identifier, whatever the version or the export.
    """
    return str(uuid.uuid5(GUID_NAMESPACE, code))


def _text(value) -> str | None:
    """A cell as stripped text; missing or blank → ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        if pd.isna(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    value = value.strip()
    return value or None


def _latest(codebook: pd.DataFrame) -> tuple[pd.DataFrame, int | None]:
    """Rows of the latest version, and that version (``None`` without a version column)."""
    if "version" not in codebook.columns:
        return codebook, None
    versions = []
    for _, row in codebook.iterrows():
        raw = _text(row["version"])
        code = _text(row["code"]) or "?"
        number = pd.to_numeric(raw, errors="coerce") if raw is not None else float("nan")
        if pd.isna(number) or float(number) != int(float(number)):
            shown = "vide" if raw is None else f"« {raw} »"
            raise ExportError(f"livre de codes : version {shown} du code « {code} » : un nombre entier est attendu.")
        versions.append(int(float(number)))
    versions = pd.Series(versions, index=codebook.index)
    latest = int(versions.max())
    return codebook[versions == latest], latest


def _check_xml_text(code: str, what: str, value: str | None) -> None:
    if value is not None and _INVALID_XML.search(value):
        raise ExportError(
            f"livre de codes : {what} du code « {code} » contient un caractère de contrôle "
            "interdit en XML ; corrigez-le avant l'export."
        )


def _codes(codebook: pd.DataFrame) -> tuple[list[dict], str]:
    """The codes to export, checked: ``[{code, label, parent, definition}]`` in table order."""
    for column in ("code", "label"):
        if column not in codebook.columns:
            raise ExportError(f"livre de codes : colonne « {column} » absente ; export .qdc impossible.")
    if codebook.empty:
        raise ExportError("livre de codes vide : un fichier .qdc doit contenir au moins un code.")
    rows, version = _latest(codebook)
    where = f"la version {version}" if version is not None else "le livre de codes"
    codes: list[dict] = []
    seen: set[str] = set()
    for _, row in rows.iterrows():
        code = _text(row["code"])
        if code is None:
            raise ExportError(f"livre de codes : une ligne de {where} n'a pas d'identifiant de code.")
        if code in seen:
            raise ExportError(f"livre de codes : le code « {code} » apparaît deux fois dans {where}.")
        seen.add(code)
        entry = {
            "code": code,
            "label": _text(row["label"]) or code,
            "parent": _text(row["parent"]) if "parent" in rows.columns else None,
            "definition": _text(row["definition"]) if "definition" in rows.columns else None,
        }
        _check_xml_text(code, "le libellé", entry["label"])
        _check_xml_text(code, "la définition", entry["definition"])
        codes.append(entry)
    for entry in codes:
        if entry["parent"] is not None and entry["parent"] not in seen:
            raise ExportError(
                f"livre de codes : le parent « {entry['parent']} » du code « {entry['code']} » "
                f"n'existe pas dans {where} ; export .qdc impossible."
            )
    parent_of = {e["code"]: e["parent"] for e in codes}
    for entry in codes:
        chain, current = [entry["code"]], entry["parent"]
        while current is not None:
            if current in chain:
                cycle = chain[chain.index(current) :] + [current]
                raise ExportError(
                    "livre de codes : la hiérarchie des codes tourne en rond ("
                    + " → ".join(f"« {c} »" for c in cycle)
                    + ") ; export .qdc impossible."
                )
            chain.append(current)
            current = parent_of[current]
    return codes, where


def _tree(codes: list[dict], origin: str) -> ET.Element:
    # Tags are written unqualified under a default ``xmlns``: ElementTree's
    # ``default_namespace`` option refuses the (unqualified) attributes.
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin})
    top = ET.SubElement(root, "Codes")
    children: dict[str | None, list[dict]] = {}
    for entry in codes:
        children.setdefault(entry["parent"], []).append(entry)

    def add(parent_el: ET.Element, parent: str | None) -> None:
        for entry in children.get(parent, []):
            el = ET.SubElement(
                parent_el, "Code", {"guid": code_guid(entry["code"]), "name": entry["label"], "isCodable": "true"}
            )
            if entry["definition"] is not None:
                ET.SubElement(el, "Description").text = entry["definition"]
            add(el, entry["code"])

    add(top, None)
    ET.indent(root, space="  ")
    return root


def codebook_to_qdc(codebook: pd.DataFrame, path, origin: str | None = None) -> Path:
    """Write the latest version of a study codebook as a REFI-QDA ``.qdc`` file, atomically.

    Parameters
    ----------
    codebook : pandas.DataFrame
        The study's ``codebook`` table, as strings or typed: columns
        ``code`` and ``label`` (required), ``parent``, ``definition`` and
        ``version`` (optional; other columns are ignored). When it holds
        several versions, only the rows of the largest ``version`` are
        exported.
    path : str or pathlib.Path
        Destination, a name ending in ``.qdc``; missing folders are created.
    origin : str, optional
        The ``origin`` attribute (the exporting tool); by default
        ``"rd-territoriale <version>"``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ExportError
        In French: a name not ending in ``.qdc``, a missing column, an
        empty codebook, a non-integer version, a code without identifier or
        listed twice, a parent missing from the exported version, a cycle in
        the hierarchy (each message names the code), a control character
        that XML cannot hold.

    Notes
    -----
    Each code becomes a ``Code`` element named after its ``label`` (its
    identifier when the label is empty), nested under its ``parent``,
    children in table order, with ``isCodable="true"`` and a
    ``Description`` only when it has a ``definition``. Its ``guid`` is
    :func:`code_guid` of its identifier, so a re-export gives the same
    guids and, for the same table, the same bytes.
    """
    path = Path(path)
    if path.suffix.lower() != ".qdc":
        raise ExportError(
            f"format de fichier non pris en charge : « {path.name} » ; attendu : un nom finissant par .qdc."
        )
    codes, _ = _codes(codebook)
    root = _tree(codes, origin if origin is not None else f"rd-territoriale {__version__}")
    body = ET.tostring(root, encoding="unicode")
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")

    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
