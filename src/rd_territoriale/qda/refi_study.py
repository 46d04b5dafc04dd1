"""A REFI-QDA project or codebook turned into the study's tables.

:func:`project_tables` maps what :func:`rd_territoriale.qda.refi.read_project`
read onto the data contract, the way NVivo, MAXQDA or QualCoder users
expect their work to arrive:

* **codes** → ``codebook`` (one version, ``1``): the hierarchy is kept in
  ``parent`` and ``dimension`` (the root code's name); code names need not be
  unique in REFI-QDA, so an identifier is made from the name, then from the
  parent's name and the name, then numbered (see :func:`code_ids`);
* **text sources** → ``documents``: ``words`` counts the words of the whole
  text, ``title`` is the source's name; PDF, picture, audio and video sources
  are not imported (stated in the summary);
* **plain-text selections × codings** → ``segments``: one segment per
  coding, ``start``/``end`` in code points as in the archive, ``text`` the
  selected text with CRLF made LF, ``coder`` the REFI user who coded
  (``creatingUser`` of the coding, else of the selection);
* **users** → coders (people who are researchers);
* **cases** → ``units`` (collective projects) and each document of a case
  gets that ``unit``;
* **sets** of sources → ``documents.groups``; sets of codes are not imported;
* **variables** of sources, and of their case → ``attributes`` (one row per
  document and variable; a source's own value wins over its case's).

A document's **date** comes, in this order, from a date variable of the
source, a date variable of its case, a date in the source's name
(``P2_GMT20211119`` → 2021-11-19), or the default date given by the user.
A project with several date variables needs the one to use to be named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.qda.common import (
    contract_strings,
    date_from_name,
    free_id,
    iso_date,
    plural,
    slugify_id,
    unique_ids,
)
from rd_territoriale.qda.refi import RefiCodebook, RefiProject
from rd_territoriale.study.contract import DOCUMENT_KINDS

DATE_TYPES = ("Date", "DateTime")
DEFAULT_UNIT_KIND = "cas REFI-QDA"
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


class RefiImportError(RdTerritorialeError):
    """The REFI-QDA project cannot be mapped onto a study (message in French)."""


@dataclass
class RefiTables:
    """The study tables made from a REFI-QDA file.

    Attributes
    ----------
    tables : dict of pandas.DataFrame
        ``codebook`` always; ``documents``, ``segments``, ``units`` and
        ``attributes`` for a project. Columns in contract order, cells
        strings or ``<NA>``.
    coders : list of str
        Identifiers of the people who coded (to add to ``people``).
    summary : list of str
        French lines: what was imported and what was not.
    undated : list of str
        Names of the text sources that got no date.
    """

    tables: dict[str, pd.DataFrame]
    coders: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)


def code_ids(codes: pd.DataFrame, known=()) -> dict[str, str]:
    """A study identifier for every REFI code, keyed by guid.

    A code whose guid is the one :func:`rd_territoriale.qda.refi_codebook.code_guid`
    gives to an identifier in ``known`` keeps that identifier: a codebook
    exported by this project, used in NVivo or MAXQDA and brought back, keeps
    the study's code identifiers. Any other code gets the slug of its name;
    when taken, the slug of the parent's name and the name
    (``concepts_abstraction``); when still taken, numbered (``_2``). Codes
    are taken in document order, so the same codebook always gives the same
    identifiers.

    Parameters
    ----------
    codes : pandas.DataFrame
        ``RefiCodebook.codes`` (``guid``, ``name``, ``parent_guid``).
    known : iterable of str
        Code identifiers of the study (all versions of its codebook).

    Returns
    -------
    dict
    """
    from rd_territoriale.qda.refi_codebook import code_guid

    ours = {code_guid(k): k for k in known}
    out = {g: ours[str(g).strip("{}").lower()] for g in codes["guid"] if str(g).strip("{}").lower() in ours}
    names = dict(zip(codes["guid"], codes["name"].fillna("")))
    base = {g: slugify_id(n, "code") for g, n in names.items()}
    taken = pd.Series(list(base.values())).value_counts()
    used: set[str] = set(out.values())
    for guid, parent in zip(codes["guid"], codes["parent_guid"]):
        if guid in out:
            continue
        candidate = base[guid]
        if taken[candidate] > 1 and isinstance(parent, str) and parent in names:
            candidate = slugify_id(f"{names[parent]} {names[guid]}", "code")
        out[guid] = free_id(candidate, used)
    return out


def codebook_table(codes: pd.DataFrame, known=()) -> tuple[pd.DataFrame, dict[str, str]]:
    """The study ``codebook`` (version 1) of REFI codes, and the guid → code map (see :func:`code_ids`)."""
    ids = code_ids(codes, known)
    roots = {}
    for guid, parent in zip(codes["guid"], codes["parent_guid"]):
        roots[guid] = roots.get(parent, guid) if isinstance(parent, str) else guid
    names = dict(zip(codes["guid"], codes["name"]))
    frame = pd.DataFrame(
        {
            "code": [ids[g] for g in codes["guid"]],
            "label": codes["name"].fillna("").to_numpy(),
            "parent": [ids.get(p, pd.NA) if isinstance(p, str) else pd.NA for p in codes["parent_guid"]],
            "dimension": [names[roots[g]] if roots[g] != g else pd.NA for g in codes["guid"]],
            "definition": codes["description"].to_numpy(),
            "version": "1",
        }
    )
    return contract_strings(frame, "codebook"), ids


def codebook_tables(book: RefiCodebook, name: str, known_codes=()) -> RefiTables:
    """The study tables of a REFI-QDA codebook (``.qdc``): only ``codebook`` (ids: see :func:`code_ids`)."""
    codebook, _ = codebook_table(book.codes, known_codes)
    depth = int(book.codes["depth"].max()) + 1 if len(book.codes) else 0
    summary = [
        f"Livre de codes REFI-QDA {name} ({book.origin or 'logiciel non indiqué'}) : "
        f"{plural(len(codebook), 'code')} sur {plural(depth, 'niveau')}."
    ]
    return RefiTables({"codebook": codebook}, summary=summary + list(book.warnings))


def _words(text) -> int:
    return len(_WORD.findall(text)) if isinstance(text, str) else 0


def _pick_date_variable(project: RefiProject, date_variable: str | None) -> str | None:
    """The guid of the variable that dates documents, or ``None``."""
    variables = project.variables
    if date_variable is not None:
        match = variables.loc[variables["name"].str.casefold() == date_variable.casefold()]
        if match.empty:
            known = ", ".join(variables["name"].astype(str)) or "aucune"
            raise RefiImportError(f"Variable de date « {date_variable} » absente du projet ; variables : {known}.")
        return str(match["guid"].iloc[0])
    dated = variables.loc[variables["type"].isin(DATE_TYPES)]
    if len(dated) == 1:
        return str(dated["guid"].iloc[0])
    if len(dated) > 1:
        named = dated.loc[dated["name"].str.strip().str.casefold() == "date"]
        if len(named) == 1:
            return str(named["guid"].iloc[0])
        raise RefiImportError(
            "Plusieurs variables de date dans le projet ("
            + ", ".join(dated["name"])
            + ") : indiquez celle qui date les documents (--variable-date)."
        )
    return None


def _segments(
    project: RefiProject, doc_of: dict, code_of: dict, coder_of: dict, default_coder: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """One segment per coding of a resolved, non-empty selection; and what was left out, counted."""
    sel = project.selections.set_index("guid")
    rows = []
    dropped = {"text": 0, "blank": 0, "code": 0, "fallback": 0}
    for coding in project.codings.itertuples():
        s = sel.loc[coding.selection_guid] if coding.selection_guid in sel.index else None
        if s is None or s["source_guid"] not in doc_of or not isinstance(s["text"], str):
            dropped["text"] += 1
            continue
        if not s["text"].strip():
            dropped["blank"] += 1
            continue
        if coding.code_guid not in code_of:
            dropped["code"] += 1
            continue
        creator = coding.creator_guid if isinstance(coding.creator_guid, str) else s["creator_guid"]
        coder = coder_of.get(creator) if isinstance(creator, str) else None
        if coder is None:
            coder = default_coder
            dropped["fallback"] += 1
        seg_id = slugify_id(coding.guid, "") if isinstance(coding.guid, str) and coding.guid else ""
        rows.append(
            {
                "id": "c" + (seg_id or f"{slugify_id(coding.selection_guid)}_{code_of[coding.code_guid]}"),
                "source": doc_of[s["source_guid"]],
                "coder": coder,
                "code": code_of[coding.code_guid],
                "start": str(int(s["start"])),
                "end": str(int(s["end"])),
                "text": s["text"].replace("\r\n", "\n").replace("\r", "\n"),
                "speaker": pd.NA,
            }
        )
    segments = pd.DataFrame(rows, columns=["id", "source", "coder", "code", "start", "end", "text", "speaker"])
    duplicated = segments["id"].duplicated(keep=False)
    if duplicated.any():  # a tool that reuses coding guids: make ids unique, stably
        segments.loc[duplicated, "id"] = (
            segments.loc[duplicated, "id"] + "_" + segments.loc[duplicated].groupby("id").cumcount().add(1).astype(str)
        )
    return segments, dropped


def _dates(
    text: pd.DataFrame, values: pd.DataFrame, case_of: dict, date_guid: str | None, default_date: str | None
) -> tuple[dict, dict[str, int]]:
    """Each text source's ISO date (or ``None``), and how many got it from where.

    In order: the date variable of the source, that of its case, a date in
    the source's name, the default date.
    """
    dates, origins = {}, {"variable": 0, "cas": 0, "nom": 0, "défaut": 0}
    dated = values.loc[values["variable_guid"] == date_guid] if date_guid is not None else values.iloc[:0]
    value_of = {o: iso_date(v) for o, v in zip(dated["owner_guid"], dated["value"]) if iso_date(v)}
    for guid, src_name in zip(text["guid"], text["name"].fillna("")):
        date = None
        for owner, how in ((guid, "variable"), (case_of.get(guid), "cas")):
            if owner in value_of:
                date = value_of[owner]
                origins[how] += 1
                break
        if date is None and (date := date_from_name(src_name)):
            origins["nom"] += 1
        if date is None and default_date is not None:
            date = iso_date(default_date)
            origins["défaut"] += 1
        dates[guid] = date
    return dates, origins


def project_tables(
    project: RefiProject,
    name: str,
    default_coder: str = "refi",
    kind: str = "entretien",
    quote_consent: str = "non",
    default_date: str | None = None,
    date_variable: str | None = None,
    known_codes=(),
) -> RefiTables:
    """Map a REFI-QDA project onto the study's tables.

    Parameters
    ----------
    project : RefiProject
        What :func:`rd_territoriale.qda.refi.read_project` returned.
    name : str
        The file name, for the summary.
    default_coder : str
        Coder of the codings that name no REFI user.
    kind : str
        ``documents.kind`` of every document (REFI-QDA does not say).
    quote_consent : str
        ``documents.quote_consent`` of every document (« oui » / « non »).
    default_date : str, optional
        ISO date of the documents that get no date from a variable or their name.
    date_variable : str, optional
        Name of the variable that dates documents, when the project has several.
    known_codes : iterable of str
        Code identifiers of the study: codes this project exported keep
        theirs (see :func:`code_ids`).

    Returns
    -------
    RefiTables

    Raises
    ------
    RefiImportError
        Unknown kind or date variable, several date variables, or an
        unreadable default date.
    """
    if kind not in DOCUMENT_KINDS:
        raise RefiImportError(f"Type de document inconnu « {kind} » ; attendu : {', '.join(DOCUMENT_KINDS)}")
    if default_date is not None and iso_date(default_date) is None:
        raise RefiImportError(f"Date par défaut illisible « {default_date} » : attendu AAAA-MM-JJ.")
    summary: list[str] = []
    codebook, code_of = codebook_table(project.codes, known_codes)

    # Text sources become documents; the others are counted, not imported.
    text = project.sources.loc[project.sources["kind"] == "text"].reset_index(drop=True)
    doc_ids = unique_ids(text["name"].fillna(text["guid"]), "document")
    doc_of = {g: doc_ids[n] for g, n in zip(text["guid"], text["name"].fillna(text["guid"]))}

    # Variables: a source's own values, then its case's.
    values = project.values
    case_of: dict[str, str] = {}
    for case_guid, source_guid in zip(project.case_sources["case_guid"], project.case_sources["source_guid"]):
        case_of.setdefault(source_guid, case_guid)
    multi = project.case_sources.groupby("source_guid")["case_guid"].nunique()
    multi = multi[multi > 1]
    own = dict(zip(zip(values["owner_guid"], values["variable"].astype(str).str.casefold()), values["value"]))
    date_guid = _pick_date_variable(project, date_variable)

    dates, origins = _dates(text, values, case_of, date_guid, default_date)
    undated = [n for g, n in zip(text["guid"], text["name"].fillna(text["guid"])) if dates[g] is None]

    # Cases become units.
    case_ids = unique_ids(project.cases["name"].fillna(project.cases["guid"]), "cas")
    unit_of_case = {
        g: case_ids[n] for g, n in zip(project.cases["guid"], project.cases["name"].fillna(project.cases["guid"]))
    }
    unit_rows, empty_cases = [], []
    for case in project.cases.itertuples():
        members = [g for g, c in case_of.items() if c == case.guid and g in doc_of]
        if not members:  # no document to date it or to hang codings on
            empty_cases.append(case.name or case.guid)
            continue
        starts = sorted(d for g in members if (d := dates.get(g)))
        kind_value = own.get((case.guid, "type")) or DEFAULT_UNIT_KIND
        unit_rows.append(
            {
                "id": unit_of_case[case.guid],
                "name": case.name or case.guid,
                "kind": kind_value,
                "start": starts[0] if starts else (iso_date(default_date) if default_date else pd.NA),
                "end": pd.NA,
                "description": case.description,
            }
        )

    # Sets of sources become document groups.
    set_names = dict(zip(project.sets["guid"], project.sets["name"]))
    groups: dict[str, list[str]] = {}
    members = project.set_members
    for set_guid, target in zip(
        members.loc[members["kind"] == "source", "set_guid"], members.loc[members["kind"] == "source", "target_guid"]
    ):
        groups.setdefault(target, []).append(set_names.get(set_guid, set_guid))

    documents = pd.DataFrame(
        {
            "id": [doc_of[g] for g in text["guid"]],
            "kind": kind,
            "date": [dates[g] if dates[g] else pd.NA for g in text["guid"]],
            "unit": [unit_of_case.get(case_of.get(g), pd.NA) for g in text["guid"]],
            "respondent": pd.NA,
            "interviewer": pd.NA,
            "quote_consent": quote_consent,
            "words": [str(_words(t)) for t in text["text"]],
            "title": text["name"].to_numpy(),
            "groups": ["|".join(groups[g]) if g in groups else pd.NA for g in text["guid"]],
        }
    )

    # Variables become attributes; the date variable is the document's date, not an attribute.
    attr_rows: dict[tuple[str, str], str] = {}
    for owner_kind in ("case", "source"):  # the source's own value is written last and wins
        part = values.loc[(values["owner"] == owner_kind) & (values["variable_guid"] != date_guid)]
        for owner, variable, value in zip(part["owner_guid"], part["variable"], part["value"]):
            targets = [owner] if owner_kind == "source" else [g for g, c in case_of.items() if c == owner]
            for g in targets:
                if g in doc_of:
                    attr_rows[(doc_of[g], str(variable))] = value
    attributes = pd.DataFrame(
        [{"source": s, "attribute": a, "value": v} for (s, a), v in attr_rows.items()],
        columns=["source", "attribute", "value"],
    )

    # Coders: REFI users, by their short id or name.
    users = project.users
    user_ids = unique_ids(users["id"].fillna(users["name"]).fillna(users["guid"]), "codeur")
    coder_of = {g: user_ids[n] for g, n in zip(users["guid"], users["id"].fillna(users["name"]).fillna(users["guid"]))}

    # Segments: one per coding of a resolved selection of a text source.
    segments, dropped = _segments(project, doc_of, code_of, coder_of, default_coder)
    dropped_text, blank, dropped_code, fallback = (dropped[k] for k in ("text", "blank", "code", "fallback"))
    coders = list(dict.fromkeys(segments["coder"]))

    # Summary.
    summary.append(
        f"Projet REFI-QDA {name} ({project.origin or 'logiciel non indiqué'}) : "
        f"{plural(len(codebook), 'code')}, {plural(len(documents), 'document')} texte, "
        f"{plural(len(segments), 'segment codé', 'segments codés')} "
        f"({plural(len(project.selections), 'sélection')}, {plural(len(project.codings), 'codage')}), "
        f"{plural(len(coders), 'codeur')} ({', '.join(coders) or 'aucun'})."
    )
    if len(unit_rows) or len(attributes) or groups:
        summary.append(
            f"{plural(len(unit_rows), 'cas')} → projets (units), "
            f"{plural(len(set(project.set_members.loc[project.set_members['kind'] == 'source', 'set_guid'])), 'ensemble')} "
            f"de documents → groupes, {plural(len(attributes), 'valeur')} de variables → attributs."
        )
    told = [
        f"{n} {how}"
        for how, n in (
            ("par une variable de date", origins["variable"]),
            ("par la variable de leur cas", origins["cas"]),
            ("par leur nom", origins["nom"]),
            ("par la date par défaut", origins["défaut"]),
        )
        if n
    ]
    if told:
        summary.append("Dates des documents : " + ", ".join(told) + ".")
    empty = [n for n, t in zip(text["name"].fillna(text["guid"]), text["text"]) if isinstance(t, str) and not t.strip()]
    if empty:
        summary.append(
            f"{plural(len(empty), 'source')} texte vide(s) dans l'export (importée(s) avec 0 mot) : "
            + ", ".join(empty[:10])
            + ("…" if len(empty) > 10 else "")
            + "."
        )
    if dropped_text:
        summary.append(
            f"Non importé : {plural(dropped_text, 'codage')} dont le texte sélectionné n'a pas pu "
            "être lu (position hors du texte ou source non texte)."
        )
    if blank:
        summary.append(
            f"Non importé : {plural(blank, 'codage')} d'un passage vide (sélection de longueur nulle "
            "ou d'espaces seulement)."
        )
    if empty_cases:
        summary.append(
            f"Non importé : {plural(len(empty_cases), 'cas')} sans document texte ("
            + ", ".join(empty_cases[:10])
            + ("…" if len(empty_cases) > 10 else "")
            + ")."
        )
    if dropped_code:
        summary.append(f"Non importé : {plural(dropped_code, 'codage')} vers un code absent du livre de codes.")
    if fallback:
        summary.append(f"{plural(fallback, 'codage')} sans utilisateur REFI : attribué(s) à « {default_coder} ».")
    n_code_sets = int((project.set_members["kind"] != "source").sum())
    if n_code_sets:
        summary.append(f"Non importé : {plural(n_code_sets, 'membre')} d'ensembles de codes ou de notes.")
    if len(multi):
        summary.append(f"{plural(len(multi), 'document')} dans plusieurs cas : rattaché(s) au premier.")
    summary.append(
        "Non importé (absent de REFI-QDA) : les personnes interrogées, les locuteurs et le "
        f"consentement à la citation (« {quote_consent} » par défaut)."
    )
    summary += list(project.warnings)

    tables = {
        "codebook": codebook,
        "documents": contract_strings(documents, "documents"),
        "segments": contract_strings(segments, "segments"),
        "attributes": contract_strings(attributes, "attributes"),
    }
    if unit_rows:
        tables["units"] = contract_strings(pd.DataFrame(unit_rows), "units")
    return RefiTables(tables, coders=coders, summary=summary, undated=undated)
