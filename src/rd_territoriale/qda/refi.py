"""Reading REFI-QDA exchange files (``.qdpx`` projects, ``.qdc`` codebooks).

A ``.qdpx`` file is a ZIP archive holding one XML project file
(``project.qde``; ATLAS.ti writes ``<Project>.qde``) and the plain-text
copies of the sources in ``sources/`` (or ``Sources/``). A ``.qdc`` file is a
bare codebook XML document.

These files come from other people's tools and are treated as untrusted:

* :func:`open_qdpx` checks the whole ZIP directory before reading anything
  (path traversal, symbolic links, encrypted entries, number of entries,
  size of each entry, total size, compression ratio) and reads entries in
  memory only, never extracting them to disk; the size limit is enforced
  again while decompressing, because a ZIP header may lie;
* XML is parsed with :mod:`defusedxml.ElementTree` with DTDs forbidden, so
  entity-expansion bombs ("billion laughs") and external entities are
  rejected before any expansion.

Every rejection is a :class:`RefiError` (a
:class:`~rd_territoriale.errors.RdTerritorialeError`) with a French message.

Positions and newlines
----------------------
REFI-QDA positions count Unicode code points from 0 in the plain text *as
stored* in the archive. The source text is therefore kept exactly as stored:
only a leading UTF-8 byte-order mark is removed (it is an encoding marker,
not text), and CRLF line ends are **kept**. A selection's text is
``source_text[start:end]`` on that string; callers who want LF line ends
should normalise the resolved texts afterwards, not the source before
slicing.

The XML is also checked against the official REFI-QDA XSD files when they
can be found (:mod:`rd_territoriale.qda.refi_schema`, with ``xmlschema`` on
the tree defusedxml built): real exports deviate, so deviations are French
warnings, never errors. The reader relies only on what it checks itself
(required attributes, integer positions, positions within the text).
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from rd_territoriale.errors import RdTerritorialeError

# The namespaces live with the schemas that define them: refi imports refi_schema, never the reverse.
from rd_territoriale.qda.refi_schema import CODEBOOK_NS, CODEBOOK_NS_VARIANTS, PROJECT_NS

__all__ = [
    "QdpxArchive",
    "RefiCodebook",
    "RefiError",
    "RefiProject",
    "UnsafeArchiveError",
    "open_qdpx",
    "parse_xml",
    "read_codebook",
    "read_project",
]

MiB = 1024 * 1024
MAX_ENTRY = 200 * MiB
MAX_TOTAL = 1024 * MiB
MAX_RATIO = 100.0
MAX_ENTRIES = 10_000
RATIO_MIN_SIZE = 1 * MiB
"""Entries smaller than this are not checked for their compression ratio
(tiny files compress oddly and cannot be bombs)."""


PATH_SEPARATOR = " > "

SOURCE_KINDS = {
    "TextSource": "text",
    "PDFSource": "pdf",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
KIND_LABELS = {"pdf": "PDF", "picture": "image", "audio": "audio", "video": "vidéo"}

CODE_COLUMNS = ["guid", "name", "parent_guid", "depth", "path", "description", "color", "is_codable"]
USER_COLUMNS = ["guid", "name", "id"]
SOURCE_COLUMNS = ["guid", "name", "kind", "path", "text", "creation_date", "creator_guid"]
SELECTION_COLUMNS = ["guid", "source_guid", "name", "start", "end", "creator_guid", "creation_date", "text"]
CODING_COLUMNS = ["guid", "selection_guid", "code_guid", "creator_guid", "creation_date"]
VARIABLE_COLUMNS = ["guid", "name", "type", "description"]
VALUE_COLUMNS = ["owner", "owner_guid", "variable_guid", "variable", "type", "value"]
CASE_COLUMNS = ["guid", "name", "description"]
CASE_SOURCE_COLUMNS = ["case_guid", "source_guid"]
SET_COLUMNS = ["guid", "name", "description"]
SET_MEMBER_COLUMNS = ["set_guid", "kind", "target_guid"]
VALUE_ELEMENTS = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}


class RefiError(RdTerritorialeError):
    """A REFI-QDA file cannot be read (invalid, incomplete or unsafe)."""


class UnsafeArchiveError(RefiError):
    """A REFI-QDA archive or XML document is refused as potentially malicious."""


# --------------------------------------------------------------------------- archive


def _unsafe_name(name: str) -> bool:
    """True when a ZIP member name could escape an extraction folder."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":") or "\x00" in norm:
        return True
    return ".." in norm.split("/")


class QdpxArchive:
    """A checked ``.qdpx`` archive, read in memory (see :func:`open_qdpx`).

    Attributes
    ----------
    path : pathlib.Path
        The archive.
    names : list of str
        Member names (directories excluded).
    qde_name : str
        Name of the project XML member.
    warnings : list of str
        French notes on quirks met while opening.
    """

    def __init__(self, path: Path, zf: zipfile.ZipFile, max_entry: int, qde_name: str, warnings: list[str]):
        self.path = path
        self._zf = zf
        self._max_entry = max_entry
        self.names = [i.filename for i in zf.infolist() if not i.is_dir()]
        self.qde_name = qde_name
        self.warnings = warnings

    def read(self, name: str) -> bytes:
        """Bytes of one member, decompressed with the size limit enforced.

        Raises
        ------
        UnsafeArchiveError
            The member decompresses to more than ``max_entry`` bytes.
        """
        chunks, size = [], 0
        try:
            with self._zf.open(name) as fh:
                while chunk := fh.read(MiB):
                    size += len(chunk)
                    if size > self._max_entry:
                        raise UnsafeArchiveError(
                            f"{self.path.name} : l'entrée « {name} » dépasse {_size(self._max_entry)} une fois "
                            "décompressée (taille déclarée inexacte) ; archive refusée."
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError) as exc:
            raise RefiError(
                f"{self.path.name} : l'entrée « {name} » de l'archive est endommagée et ne se lit pas "
                f"({type(exc).__name__} : {exc}). Exportez de nouveau le projet depuis le logiciel "
                "d'analyse qualitative."
            ) from exc
        return b"".join(chunks)

    def find_source(self, path: str) -> str | None:
        """Member name of a source file referenced as ``path`` (without ``internal://``).

        Looks in ``sources/`` and ``Sources/`` (any case), then at the root.
        """
        target = path.replace("\\", "/").lstrip("/")
        by_lower = {n.lower(): n for n in self.names}
        for candidate in (f"sources/{target}", target):
            if candidate.lower() in by_lower:
                return by_lower[candidate.lower()]
        return None

    def close(self) -> None:
        """Close the underlying ZIP file."""
        self._zf.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _size(n: int) -> str:
    return f"{n / MiB:.0f} Mo" if n >= MiB else f"{n} octets"


def open_qdpx(
    path: str | Path,
    max_entry: int = MAX_ENTRY,
    max_total: int = MAX_TOTAL,
    max_ratio: float = MAX_RATIO,
    max_entries: int = MAX_ENTRIES,
) -> QdpxArchive:
    """Open a ``.qdpx`` archive after checking its whole directory.

    Nothing is extracted to disk; members are read in memory through
    :meth:`QdpxArchive.read`.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.qdpx`` file.
    max_entry : int
        Largest uncompressed size accepted for one member, in bytes.
    max_total : int
        Largest total uncompressed size, in bytes.
    max_ratio : float
        Largest compression ratio (uncompressed / compressed) accepted for a
        member of at least 1 Mo (zip bomb).
    max_entries : int
        Largest number of members.

    Returns
    -------
    QdpxArchive

    Raises
    ------
    RefiError
        Missing file, not a ZIP archive, no project ``.qde`` file.
    UnsafeArchiveError
        A check failed (path traversal, symbolic link, encryption, too many
        entries, entry or total too large, compression ratio too high).
    """
    path = Path(path)
    if not path.is_file():
        raise RefiError(f"Fichier REFI-QDA introuvable : {path}")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RefiError(
            f"{path.name} n'est pas une archive REFI-QDA (.qdpx) lisible : ce n'est pas un ZIP valide ({exc})."
        ) from exc
    try:
        qde, warnings = _check_directory(path.name, zf, max_entry, max_total, max_ratio, max_entries)
    except BaseException:
        zf.close()
        raise
    return QdpxArchive(path, zf, max_entry, qde, warnings)


def _check_directory(label, zf, max_entry, max_total, max_ratio, max_entries) -> tuple[str, list[str]]:
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise UnsafeArchiveError(
            f"{label} : {len(infos)} entrées dans l'archive (maximum {max_entries}) ; archive refusée."
        )
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise UnsafeArchiveError(
                f"{label} : l'entrée « {name} » sort du dossier de l'archive (chemin absolu ou « .. ») ; "
                "archive refusée."
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchiveError(f"{label} : l'entrée « {name} » est un lien symbolique ; archive refusée.")
        if info.flag_bits & 0x1:
            raise UnsafeArchiveError(f"{label} : l'entrée « {name} » est chiffrée ; archive refusée.")
        if info.file_size > max_entry:
            raise UnsafeArchiveError(
                f"{label} : l'entrée « {name} » fait {_size(info.file_size)} une fois décompressée "
                f"(maximum {_size(max_entry)}) ; archive refusée."
            )
        total += info.file_size
        if total > max_total:
            raise UnsafeArchiveError(
                f"{label} : le contenu décompressé dépasse {_size(max_total)} au total ; archive refusée."
            )
        if info.file_size >= RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > max_ratio:
                raise UnsafeArchiveError(
                    f"{label} : l'entrée « {name} » est compressée {ratio:.0f} fois (maximum {max_ratio:.0f}) : "
                    "possible « bombe ZIP » ; archive refusée."
                )
    names = [i.filename for i in infos if not i.is_dir()]
    warnings: list[str] = []
    if "project.qde" in names:
        return "project.qde", warnings
    root_qde = [n for n in names if "/" not in n and n.lower().endswith(".qde")]
    if len(root_qde) == 1:
        warnings.append(
            f"Fichier projet nommé « {root_qde[0]} » au lieu de « project.qde » (export ATLAS.ti) : accepté."
        )
        return root_qde[0], warnings
    if not root_qde:
        raise RefiError(
            f"{label} : aucun fichier projet « project.qde » dans l'archive ; ce n'est pas un projet REFI-QDA."
        )
    raise RefiError(f"{label} : plusieurs fichiers projet .qde dans l'archive ({', '.join(root_qde)}) ; lequel lire ?")


# --------------------------------------------------------------------------- XML


def parse_xml(data: bytes, label: str) -> Element:
    """Parse untrusted XML with :mod:`defusedxml`, DTDs and entities forbidden.

    Parameters
    ----------
    data : bytes
        The XML document.
    label : str
        File name used in messages.

    Returns
    -------
    xml.etree.ElementTree.Element
        The root element.

    Raises
    ------
    UnsafeArchiveError
        The document declares a DTD, entities or external references.
    RefiError
        The document is not well-formed XML.
    """
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeArchiveError(
            f"{label} : le XML déclare une DTD ou des entités (risque de « bombe XML » ou d'accès "
            f"à des fichiers externes) ; fichier refusé ({type(exc).__name__})."
        ) from exc
    except ParseError as exc:
        raise RefiError(f"{label} : XML mal formé ({exc}).") from exc


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _local(el: Element) -> str:
    return _split(el.tag)[1]


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c) == name]


def _child(el: Element, name: str) -> Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _check_ns(root: Element, expected: str, variants: tuple[str, ...], label: str, warnings: list[str]) -> None:
    ns, _ = _split(root.tag)
    if ns == expected:
        return
    if ns in variants:
        warnings.append(f"{label} : espace de noms « {ns} » au lieu de « {expected} » (variante NVivo) : accepté.")
    elif not ns:
        warnings.append(f"{label} : aucun espace de noms XML (attendu « {expected} ») : lu quand même.")
    else:
        warnings.append(f"{label} : espace de noms inattendu « {ns} » (attendu « {expected} ») : lu quand même.")


def _date(value: str | None):
    if not value:
        return pd.NaT
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        return pd.NaT


def _desc(el: Element) -> str | None:
    d = _child(el, "Description")
    return d.text.strip() if d is not None and d.text and d.text.strip() else None


def _codes(codes_el: Element | None, label: str, warnings: list[str]) -> pd.DataFrame:
    rows: list[dict] = []
    if codes_el is None:
        return pd.DataFrame(rows, columns=CODE_COLUMNS)

    def walk(el: Element, parent: str | None, depth: int, prefix: str) -> None:
        for code in _children(el, "Code"):
            guid = code.get("guid")
            if not guid:
                warnings.append(f"{label} : code « {code.get('name', '?')} » sans identifiant (guid) : ignoré.")
                continue
            rows.append(
                {
                    "guid": guid,
                    "name": code.get("name"),
                    "parent_guid": parent,
                    "depth": depth,
                    "path": prefix + (code.get("name") or ""),
                    "description": _desc(code),
                    "color": code.get("color"),
                    "is_codable": (code.get("isCodable", "true").strip().lower() in ("true", "1")),
                }
            )
            walk(code, guid, depth + 1, prefix + (code.get("name") or "") + PATH_SEPARATOR)

    walk(codes_el, None, 0, "")
    frame = pd.DataFrame(rows, columns=CODE_COLUMNS)
    if frame["guid"].duplicated().any():
        warnings.append(
            f"{label} : identifiants de code en double : {sorted(set(frame.loc[frame['guid'].duplicated(), 'guid']))}."
        )
    return frame


# --------------------------------------------------------------------------- results


@dataclass
class RefiCodebook:
    """A REFI-QDA codebook.

    Attributes
    ----------
    codes : pandas.DataFrame
        One row per code in document order (a parent before its children):
        ``guid``, ``name``, ``parent_guid`` (``None`` at top level),
        ``depth`` (0 at top level), ``path`` (names from the top joined by
        ``" > "``; code names alone need not be unique), ``description``, ``color`` (``#RRGGBB``
        or ``None``), ``is_codable``.
    origin : str or None
        The exporting tool, as written.
    warnings : list of str
        French notes on quirks met.
    """

    codes: pd.DataFrame
    origin: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RefiProject:
    """A REFI-QDA project read from a ``.qdpx`` archive.

    Attributes
    ----------
    codes : pandas.DataFrame
        As in :class:`RefiCodebook`.
    users : pandas.DataFrame
        ``guid``, ``name``, ``id`` (short id, if any).
    sources : pandas.DataFrame
        ``guid``, ``name`` (the file name stem when the tool writes none),
        ``kind`` (``text``, ``pdf``, ``picture``, ``audio``, ``video``),
        ``path`` (``plainTextPath`` as written), ``text`` (text sources only:
        the plain text as stored, BOM removed, CRLF kept; ``None`` when not
        read), ``creation_date`` (Timestamp or NaT), ``creator_guid``.
    selections : pandas.DataFrame
        Plain-text selections: ``guid``, ``source_guid``, ``name``,
        ``start``, ``end`` (code points from 0, end excluded),
        ``creator_guid``, ``creation_date``, ``text`` (``source text[start:end]``,
        ``None`` when the positions fall outside the text).
    codings : pandas.DataFrame
        ``guid``, ``selection_guid``, ``code_guid``, ``creator_guid``,
        ``creation_date``.
    variables : pandas.DataFrame
        ``guid``, ``name``, ``type`` (``typeOfVariable``: Text, Boolean,
        Integer, Float, Date, DateTime), ``description``.
    values : pandas.DataFrame
        Variable values of sources and cases: ``owner`` (``source`` or
        ``case``), ``owner_guid``, ``variable_guid``, ``variable`` (name),
        ``type`` (of the value element), ``value`` (text as written).
    cases : pandas.DataFrame
        ``guid``, ``name``, ``description``.
    case_sources : pandas.DataFrame
        ``case_guid``, ``source_guid``: the sources each case refers to.
    sets : pandas.DataFrame
        ``guid``, ``name``, ``description``.
    set_members : pandas.DataFrame
        ``set_guid``, ``kind`` (``source``, ``code`` or ``note``), ``target_guid``.
    name, origin : str or None
        Project name and exporting tool, as written.
    warnings : list of str
        French notes on quirks met and on what was not imported.

    Notes
    -----
    Missing values are pandas missing values (``None``, ``NaN`` or ``NaT``
    depending on the column's dtype): test them with :func:`pandas.isna`.
    """

    codes: pd.DataFrame
    users: pd.DataFrame
    sources: pd.DataFrame
    selections: pd.DataFrame
    codings: pd.DataFrame
    variables: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=VARIABLE_COLUMNS))
    values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=VALUE_COLUMNS))
    cases: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CASE_COLUMNS))
    case_sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CASE_SOURCE_COLUMNS))
    sets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SET_COLUMNS))
    set_members: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SET_MEMBER_COLUMNS))
    name: str | None = None
    origin: str | None = None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- readers


def _schema_check(root: Element, kind: str, schemas, label: str, warnings: list[str]) -> None:
    """Append the deviations from the official XSD (``schemas=False``: no check)."""
    if schemas is False:
        return
    from rd_territoriale.qda.refi_schema import find_schemas, schema_warnings

    warnings += schema_warnings(root, kind, find_schemas(schemas), label)


def read_codebook(path: str | Path, max_size: int = 50 * MiB, schemas=None) -> RefiCodebook:
    """Read a REFI-QDA codebook (``.qdc``), or the codebook of a ``.qdpx`` project.

    Both namespace spellings are accepted (``urn:QDA-XML:codebook:1.0`` and
    NVivo's ``urn:QDA-XML:codebook:1:0``), with a warning for the variant.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.qdc`` file (a ``.qdpx`` archive is read with :func:`read_project`).
    max_size : int
        Largest file size accepted, in bytes.
    schemas : str, pathlib.Path, None or False
        Folder of the REFI-QDA XSD files, to report deviations as warnings
        (``None``: looked up, see :func:`rd_territoriale.qda.refi_schema.find_schemas`;
        ``False``: no check).

    Returns
    -------
    RefiCodebook

    Raises
    ------
    RefiError
        Missing, too large, malformed or unsafe file, or no ``CodeBook`` root.
    """
    path = Path(path)
    if not path.is_file():
        raise RefiError(f"Fichier de livre de codes introuvable : {path}")
    if zipfile.is_zipfile(path):
        project = read_project(path, schemas=schemas)
        return RefiCodebook(project.codes, project.origin, project.warnings)
    if path.stat().st_size > max_size:
        raise UnsafeArchiveError(
            f"{path.name} : fichier de {_size(path.stat().st_size)} (maximum {_size(max_size)}) ; refusé."
        )
    root = parse_xml(path.read_bytes(), path.name)
    warnings: list[str] = []
    if _local(root) != "CodeBook":
        raise RefiError(
            f"{path.name} : l'élément racine est « {_local(root)} », pas « CodeBook » ; ce n'est pas un livre de codes REFI-QDA."
        )
    _check_ns(root, CODEBOOK_NS, CODEBOOK_NS_VARIANTS, path.name, warnings)
    _schema_check(root, "codebook", schemas, path.name, warnings)
    codes = _codes(_child(root, "Codes"), path.name, warnings)
    return RefiCodebook(codes, root.get("origin"), warnings)


def _decode_text(data: bytes, label: str, warnings: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(
            f"{label} : texte non UTF-8 ; caractères invalides remplacés (les positions peuvent être décalées)."
        )
        return data.decode("utf-8", errors="replace")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _variable_values(
    owner: str, owner_guid: str | None, el: Element, variables: dict, label: str, warnings: list[str]
) -> list[dict]:
    """The ``VariableValue`` children of a source or a case."""
    rows = []
    for vv in _children(el, "VariableValue"):
        ref = _child(vv, "VariableRef")
        target = ref.get("targetGUID") if ref is not None else None
        if target not in variables:
            warnings.append(f"{label} : valeur d'une variable inconnue ({target}) : ignorée.")
            continue
        value_el = next((c for c in vv if _local(c) in VALUE_ELEMENTS), None)
        rows.append(
            {
                "owner": owner,
                "owner_guid": owner_guid,
                "variable_guid": target,
                "variable": variables[target]["name"],
                "type": VALUE_ELEMENTS[_local(value_el)] if value_el is not None else variables[target]["type"],
                "value": (value_el.text or "").strip() if value_el is not None else None,
            }
        )
    return rows


def _cases_and_sets(root: Element, variables: dict, label: str, warnings: list[str]) -> tuple:
    """Cases (with their sources and values) and sets (with their members)."""
    cases, case_sources, values, sets, members = [], [], [], [], []
    for cases_el in _children(root, "Cases"):
        for case in _children(cases_el, "Case"):
            guid = case.get("guid")
            cases.append({"guid": guid, "name": case.get("name"), "description": _desc(case)})
            case_sources += [
                {"case_guid": guid, "source_guid": r.get("targetGUID")} for r in _children(case, "SourceRef")
            ]
            values += _variable_values("case", guid, case, variables, f"{label} : cas « {case.get('name')} »", warnings)
            n_sel = len(_children(case, "SelectionRef"))
            if n_sel:
                warnings.append(
                    f"{label} : cas « {case.get('name')} » : {n_sel} référence(s) à des sélections "
                    "ignorée(s) (seules les sources entières rattachent un document à un cas)."
                )
    kinds = {"MemberSource": "source", "MemberCode": "code", "MemberNote": "note"}
    for sets_el in _children(root, "Sets"):
        for st in _children(sets_el, "Set"):
            guid = st.get("guid")
            sets.append({"guid": guid, "name": st.get("name"), "description": _desc(st)})
            members += [
                {"set_guid": guid, "kind": kinds[_local(m)], "target_guid": m.get("targetGUID")}
                for m in st
                if _local(m) in kinds
            ]
    return (
        pd.DataFrame(cases, columns=CASE_COLUMNS),
        pd.DataFrame(case_sources, columns=CASE_SOURCE_COLUMNS),
        values,
        pd.DataFrame(sets, columns=SET_COLUMNS),
        pd.DataFrame(members, columns=SET_MEMBER_COLUMNS),
    )


def read_project(
    path: str | Path,
    max_entry: int = MAX_ENTRY,
    max_total: int = MAX_TOTAL,
    max_ratio: float = MAX_RATIO,
    max_entries: int = MAX_ENTRIES,
    schemas=None,
) -> RefiProject:
    """Read a REFI-QDA project (``.qdpx``): codes, users, sources, selections, codings.

    Only plain-text sources and their ``PlainTextSelection`` elements are
    imported; PDF, picture, audio and video sources are listed in
    ``sources`` (without text) and their selections are skipped, with a
    warning. Source texts are read from the archive (``internal://`` paths,
    or bare paths as qc writes them) or from ``PlainTextContent``.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.qdpx`` archive.
    max_entry, max_total, max_ratio, max_entries
        Safety limits, see :func:`open_qdpx`.
    schemas : str, pathlib.Path, None or False
        Folder of the REFI-QDA XSD files, as in :func:`read_codebook`.

    Returns
    -------
    RefiProject

    Raises
    ------
    RefiError
        Unreadable, unsafe or non-REFI archive (see :func:`open_qdpx` and
        :func:`parse_xml`).
    """
    with open_qdpx(path, max_entry, max_total, max_ratio, max_entries) as archive:
        warnings = list(archive.warnings)
        qde = archive.qde_name
        root = parse_xml(archive.read(qde), qde)
        if _local(root) != "Project":
            raise RefiError(
                f"{qde} : l'élément racine est « {_local(root)} », pas « Project » ; ce n'est pas un projet REFI-QDA."
            )
        _check_ns(root, PROJECT_NS, (), qde, warnings)
        _schema_check(root, "project", schemas, qde, warnings)

        users = pd.DataFrame(
            [
                {"guid": u.get("guid"), "name": u.get("name"), "id": u.get("id")}
                for users_el in _children(root, "Users")
                for u in _children(users_el, "User")
            ],
            columns=USER_COLUMNS,
        )
        codebook = _child(root, "CodeBook")
        codes = _codes(_child(codebook, "Codes") if codebook is not None else None, qde, warnings)
        variables = {
            v.get("guid"): {
                "guid": v.get("guid"),
                "name": v.get("name"),
                "type": v.get("typeOfVariable"),
                "description": _desc(v),
            }
            for vars_el in _children(root, "Variables")
            for v in _children(vars_el, "Variable")
        }
        cases, case_sources, values, sets, set_members = _cases_and_sets(root, variables, qde, warnings)

        sources, selections, codings = [], [], []
        bare_paths, skipped = [], {}
        sources_el = _child(root, "Sources")
        for src in list(sources_el) if sources_el is not None else []:
            kind = SOURCE_KINDS.get(_local(src))
            if kind is None:
                continue
            guid = src.get("guid")
            ref = src.get("plainTextPath")
            name = src.get("name") or (
                posixpath.splitext(posixpath.basename(ref.split("://", 1)[-1]))[0] if ref else None
            )
            row = {
                "guid": guid,
                "name": name,
                "kind": kind,
                "path": ref,
                "text": None,
                "creation_date": _date(src.get("creationDateTime")),
                "creator_guid": src.get("creatingUser"),
            }
            sources.append(row)
            values += _variable_values("source", guid, src, variables, f"source « {name} »", warnings)
            if kind != "text":
                n_sel = sum(1 for c in src if _local(c).endswith("Selection"))
                skipped[kind] = skipped.get(kind, 0) + 1
                if n_sel:
                    skipped[kind + "_selections"] = skipped.get(kind + "_selections", 0) + n_sel
                continue
            label = f"source « {name} »"
            content = _child(src, "PlainTextContent")
            if content is not None:
                row["text"] = content.text or ""
            elif ref:
                if ref.startswith("internal://"):
                    inner = ref[len("internal://") :]
                elif "://" in ref:
                    inner = None
                    warnings.append(f"{label} : texte hors de l'archive ({ref}) : non lu.")
                else:
                    inner = ref
                    bare_paths.append(ref)
                if inner is not None:
                    member = archive.find_source(inner)
                    if member is None:
                        warnings.append(f"{label} : fichier texte « {inner} » absent de l'archive : texte non lu.")
                    else:
                        row["text"] = _decode_text(archive.read(member), label, warnings)
            else:
                warnings.append(f"{label} : ni plainTextPath ni PlainTextContent : texte non lu.")
            if _children(src, "Coding"):
                warnings.append(f"{label} : {len(_children(src, 'Coding'))} codage(s) de la source entière ignoré(s).")
            text = row["text"]
            for sel in _children(src, "PlainTextSelection"):
                start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
                resolved = None
                if start is None or end is None:
                    warnings.append(f"{label} : sélection {sel.get('guid')} sans positions entières valides.")
                elif text is not None and 0 <= start <= end <= len(text):
                    resolved = text[start:end]
                else:
                    size = "texte non lu" if text is None else f"texte de {len(text)} caractères"
                    warnings.append(
                        f"{label} : sélection {sel.get('guid')} [{start}, {end}] hors du texte ({size}) : texte non résolu."
                    )
                selections.append(
                    {
                        "guid": sel.get("guid"),
                        "source_guid": guid,
                        "name": sel.get("name"),
                        "start": start,
                        "end": end,
                        "creator_guid": sel.get("creatingUser"),
                        "creation_date": _date(sel.get("creationDateTime")),
                        "text": resolved,
                    }
                )
                for coding in _children(sel, "Coding"):
                    ref_el = _child(coding, "CodeRef")
                    codings.append(
                        {
                            "guid": coding.get("guid"),
                            "selection_guid": sel.get("guid"),
                            "code_guid": ref_el.get("targetGUID") if ref_el is not None else None,
                            "creator_guid": coding.get("creatingUser"),
                            "creation_date": _date(coding.get("creationDateTime")),
                        }
                    )

    if bare_paths:
        warnings.append(
            f"{len(bare_paths)} chemin(s) plainTextPath sans préfixe « internal:// » (export qc) : "
            "lus dans le dossier sources/ de l'archive."
        )
    for kind in ("pdf", "picture", "audio", "video"):
        if skipped.get(kind):
            extra = skipped.get(kind + "_selections", 0)
            more = f" et leurs {extra} sélection(s)" if extra else ""
            warnings.append(
                f"{skipped[kind]} source(s) {KIND_LABELS[kind]} non importée(s){more} : seules les sources texte le sont."
            )

    selections_df = pd.DataFrame(selections, columns=SELECTION_COLUMNS).astype({"start": "Int64", "end": "Int64"})
    codings_df = pd.DataFrame(codings, columns=CODING_COLUMNS)
    unknown = set(codings_df["code_guid"].dropna()) - set(codes["guid"])
    if unknown:
        warnings.append(f"{len(unknown)} code(s) référencé(s) par des codages mais absent(s) du livre de codes.")
    return RefiProject(
        codes=codes,
        users=users,
        sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS),
        selections=selections_df,
        codings=codings_df,
        variables=pd.DataFrame(list(variables.values()), columns=VARIABLE_COLUMNS),
        values=pd.DataFrame(values, columns=VALUE_COLUMNS),
        cases=cases,
        case_sources=case_sources,
        sets=sets,
        set_members=set_members,
        name=root.get("name"),
        origin=root.get("origin"),
        warnings=warnings,
    )
