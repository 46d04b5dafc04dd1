"""Checking REFI-QDA documents against the official XSD schemas, as warnings.

The REFI-QDA 1.0 standard ships two XML schemas, ``Project.xsd`` (namespace
``urn:QDA-XML:project:1.0``) and ``Codebook.xsd``
(``urn:QDA-XML:codebook:1.0``). They are not copied into this project: the
folder holding them is found by :func:`find_schemas`.

:func:`schema_warnings` validates an element **already parsed** by
:func:`rd_territoriale.qda.refi.parse_xml` (defusedxml, DTDs and entities
forbidden): the untrusted bytes are never parsed again by another parser.
Only the schema files, which are trusted, are loaded by :mod:`xmlschema`,
from local files only, and location hints written in the document
(``xsi:schemaLocation``) are ignored, so a document cannot make the check
fetch anything.

Each deviation becomes one French warning naming the file, the element
path and the reason. A deviation never raises: real exports deviate from
the standard and stay usable.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from rd_territoriale.french import plural_s

#: REFI-QDA namespaces: the project (``.qdpx``'s ``project.qde``) and the codebook (``.qdc``).
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
CODEBOOK_NS_VARIANTS = ("urn:QDA-XML:codebook:1:0",)  # NVivo

__all__ = ["ENV_VAR", "SCHEMA_FILES", "find_schemas", "schema_warnings"]

ENV_VAR = "RD_TERRITORIALE_SCHEMAS_REFI"
"""Environment variable naming the folder of the REFI-QDA schemas."""

SCHEMA_FILES = {"project": "Project.xsd", "codebook": "Codebook.xsd"}
"""Schema file of each kind of document."""

NO_SCHEMAS = (
    f"schémas REFI-QDA introuvables : vérification XSD non faite (indiquez le dossier avec --schemas ou {ENV_VAR})"
)

_MAX_VALUE = 40
_XSD = "{http://www.w3.org/2001/XMLSchema}"
_BUILTIN_EXPECTED = {
    "integer": "entier attendu",
    "int": "entier attendu",
    "long": "entier attendu",
    "nonNegativeInteger": "entier positif ou nul attendu",
    "positiveInteger": "entier strictement positif attendu",
    "decimal": "nombre décimal attendu",
    "float": "nombre attendu",
    "double": "nombre attendu",
    "boolean": "booléen attendu (true ou false)",
    "date": "date attendue (AAAA-MM-JJ)",
    "dateTime": "date et heure attendues (AAAA-MM-JJThh:mm:ss)",
    "anyURI": "adresse (URI) attendue",
}


def _default_schemas() -> Path:
    """``<project root>/../shared/data/external/refi-schemas``."""
    root = Path(__file__).resolve().parents[3]
    return root.parent / "shared" / "data" / "external" / "refi-schemas"


def _holds_schemas(folder: Path) -> bool:
    return all((folder / name).is_file() for name in SCHEMA_FILES.values())


def find_schemas(explicit: str | os.PathLike | None = None) -> Path | None:
    """Find the folder holding ``Project.xsd`` and ``Codebook.xsd``.

    The first place given is the only one tried: ``explicit`` if given, else
    the folder named by the environment variable
    ``RD_TERRITORIALE_SCHEMAS_REFI`` if set, else
    ``<project root>/../shared/data/external/refi-schemas`` (the project
    root being found from this package's location). A folder that was
    asked for explicitly is never silently replaced by another one.

    Parameters
    ----------
    explicit : str or os.PathLike, optional
        A folder given by the user (``--schemas``).

    Returns
    -------
    pathlib.Path or None
        The folder, or ``None`` when it does not hold both schema files.
    """
    if explicit is not None:
        folder = Path(explicit)
    elif os.environ.get(ENV_VAR):
        folder = Path(os.environ[ENV_VAR])
    else:
        folder = _default_schemas()
    folder = folder.expanduser()
    return folder if _holds_schemas(folder) else None


@functools.lru_cache(maxsize=8)
def _load_schema(path: str):
    """The :class:`xmlschema.XMLSchema` of a trusted XSD file (cached by path)."""
    import xmlschema

    return xmlschema.XMLSchema(path, allow="local")


def _split(tag: str) -> tuple[str, str]:
    if isinstance(tag, str) and tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", str(tag)


def _short(tag: str | None) -> str:
    """A qualified name without its namespace."""
    return _split(tag)[1] if tag else "?"


def _quote(value) -> str:
    text = str(value)
    if len(text) > _MAX_VALUE:
        text = text[: _MAX_VALUE - 1] + "…"
    return f"« {text} »"


def _rename_namespace(root: Element, old: str, new: str) -> Element:
    """A deep copy of ``root`` with every tag of namespace ``old`` moved to ``new``."""
    clone = copy.deepcopy(root)
    prefix, replacement = "{" + old + "}", "{" + new + "}"
    for el in clone.iter():
        if isinstance(el.tag, str) and el.tag.startswith(prefix):
            el.tag = replacement + el.tag[len(prefix) :]
        for key in [k for k in el.attrib if k.startswith(prefix)]:
            el.attrib[replacement + key[len(prefix) :]] = el.attrib.pop(key)
    return clone


def _element_path(error, root: Element) -> str:
    """Readable path of the element in error: ``/Project/CodeBook/Codes/Code « a »``."""
    path = getattr(error, "path", None)
    elem = getattr(error, "elem", None)
    if path:
        text = re.sub(r"\{[^}]*\}", "", path)
    elif elem is not None:
        text = "/" + _short(elem.tag)
    else:
        text = "/" + _short(root.tag)
    if elem is not None and hasattr(elem, "get"):
        name, guid = elem.get("name"), elem.get("guid")
        if name:
            text += f" {_quote(name)}"
        elif guid:
            text += f" (guid {guid})"
    return text


def _expected_names(error) -> list[str]:
    names: list[str] = []
    for item in getattr(error, "expected", None) or []:
        name = getattr(item, "name", None)
        if name:
            names.append(_short(name))
    return names


def _value_expected(validator) -> str | None:
    """What a simple-type validator expects, in French (``None`` if unknown)."""
    kind = type(validator).__name__
    if kind == "XsdEnumerationFacets":
        values = list(getattr(validator, "enumeration", None) or [])
        if values:
            return "valeur attendue parmi " + ", ".join(_quote(v) for v in values)
        return "valeur non autorisée"
    if kind == "XsdPatternFacets":
        patterns = " ".join(str(p) for p in (getattr(validator, "regexps", None) or []))
        if "{8}-" in patterns:
            return "identifiant GUID attendu (forme 8-4-4-4-12, chiffres hexadécimaux)"
        if patterns.startswith("#"):
            return "couleur attendue sous la forme #RRGGBB"
        return "valeur non conforme au motif du schéma"
    name = getattr(validator, "name", None)
    if isinstance(name, str) and name.startswith(_XSD):
        local = name[len(_XSD) :]
        return _BUILTIN_EXPECTED.get(local, f"valeur de type « xsd:{local} » attendue")
    return None


def _french_reason(error, root: Element) -> str:
    """The reason of one :mod:`xmlschema` error, in a short French sentence."""
    reason = getattr(error, "reason", None) or getattr(error, "message", None) or str(error)
    elem = getattr(error, "elem", None)

    if type(error).__name__ == "XMLSchemaChildrenValidationError":
        child = getattr(error, "invalid_child", None)
        if child is not None:
            return f"élément inattendu {_quote(_short(child.tag))}"
        if m := re.match(r"Unexpected child with tag '([^']+)'", reason):
            return f"élément inattendu {_quote(_short(m.group(1)))}"
        names = _expected_names(error)
        if len(names) == 1:
            return f"contenu incomplet : élément {_quote(names[0])} attendu"
        if names:
            return "contenu incomplet : un élément parmi " + ", ".join(_quote(n) for n in names) + " attendu"
        return "contenu incomplet"

    if m := re.match(r"missing required attribute '([^']+)'", reason):
        return f"attribut obligatoire {_quote(_short(m.group(1)))} absent"
    if m := re.match(r"'([^']+)' attribute not allowed", reason):
        return f"attribut {_quote(_short(m.group(1)))} non prévu par le schéma"
    if "is not an element of the schema" in reason and elem is not None:
        ns, local = _split(elem.tag)
        where = f"espace de noms {_quote(ns)}" if ns else "sans espace de noms"
        what = "élément racine" if elem is root else "élément"
        return f"{what} {_quote(local)} inconnu du schéma ({where})"
    if reason.startswith("character data"):
        return "texte non prévu dans cet élément"

    expected = _value_expected(getattr(error, "validator", None))
    if expected is not None:
        value = getattr(error, "obj", None)
        value_text = f"valeur {_quote(value)}" if isinstance(value, str) else "valeur"
        if m := re.match(r"attribute ([^\s=]+)=", reason):
            return f"attribut {_quote(_short(m.group(1)))}, {value_text} : {expected}"
        return f"{value_text} : {expected}"
    return f"écart non traduit : {_quote(reason.strip())}"


def schema_warnings(
    root: Element,
    kind: str,
    schemas: str | os.PathLike | None,
    label: str,
    limit: int = 20,
) -> list[str]:
    """Validate a parsed REFI-QDA document against its XSD; deviations as French warnings.

    Parameters
    ----------
    root : xml.etree.ElementTree.Element
        The root element, as returned by
        :func:`rd_territoriale.qda.refi.parse_xml` (it is not parsed again).
    kind : {"project", "codebook"}
        Which schema applies: ``Project.xsd`` or ``Codebook.xsd``.
    schemas : str, os.PathLike or None
        Folder holding the schema files (see :func:`find_schemas`); ``None``
        when it was not found.
    label : str
        File name used in messages (``project.qde``, ``codes.qdc``).
    limit : int
        Largest number of deviations reported one by one; the others are
        counted in a last line ``… et N autres écarts au schéma``.

    Returns
    -------
    list of str
        One French warning per deviation (empty when the document is
        valid). When the root is in NVivo's codebook namespace
        ``urn:QDA-XML:codebook:1:0``, a copy moved to the official namespace
        is validated and a first warning says so. When ``schemas`` is
        ``None`` or a schema cannot be loaded, a single warning says that
        the check was not done.

    Raises
    ------
    ValueError
        ``kind`` is neither ``"project"`` nor ``"codebook"`` (a programming
        error, not a deviation of the document).
    """
    if kind not in SCHEMA_FILES:
        raise ValueError(f"type de document REFI-QDA inconnu : {kind!r} (attendu : « project » ou « codebook »)")
    if schemas is None:
        return [NO_SCHEMAS]
    xsd = Path(schemas).expanduser().resolve() / SCHEMA_FILES[kind]
    try:
        schema = _load_schema(str(xsd))
    except Exception as exc:  # a missing or broken schema must not stop the import
        return [f"schéma REFI-QDA illisible ({xsd}) : vérification XSD non faite ({type(exc).__name__})."]

    warnings: list[str] = []
    ns, _ = _split(root.tag)
    if ns in CODEBOOK_NS_VARIANTS:
        warnings.append(
            f"{label} : espace de noms {_quote(ns)} (variante NVivo) remplacé par {_quote(CODEBOOK_NS)} "
            "pour la vérification XSD ; les écarts signalés portent sur le reste du document."
        )
        root = _rename_namespace(root, ns, CODEBOOK_NS)

    limit = max(0, int(limit))
    extra = 0
    for error in schema.iter_errors(root, use_location_hints=False):
        if len(warnings) - (1 if ns in CODEBOOK_NS_VARIANTS else 0) < limit:
            warnings.append(
                f"{label} : écart au schéma REFI-QDA en {_element_path(error, root)} : {_french_reason(error, root)}."
            )
        else:
            extra += 1
    if extra:
        warnings.append(f"… et {extra} autre{plural_s(extra)} écart{plural_s(extra)} au schéma")
    return warnings
