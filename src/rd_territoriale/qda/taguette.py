"""Import of Taguette CSV exports: highlights and codebook.

Taguette exports two CSV files that matter here:

* « all highlights » (``id,document,tag,content``): one row per (highlight,
  tag) pair — a highlight carrying two tags appears on two rows with the same
  ``id``;
* the codebook (``tag,description,number of highlights``).

:func:`read_taguette` turns them into frames shaped like the project's
``codebook``, ``documents`` and ``segments`` tables (columns in contract
order, every cell a string or ``<NA>``, as a study's CSV files hold them), so
that they can be written into a study folder and validated like any other
data. Nothing is written to disk here.

What a Taguette export does not hold, and how it is filled:

* the full text of the documents: ``documents.words`` counts the words of the
  document's distinct highlights only — a lower bound of its length;
* positions of highlights: ``segments.start`` and ``segments.end`` are empty;
* speakers, respondents, interviewers, units: empty;
* the consent to quote: ``quote_consent`` is « non » unless told otherwise;
* dates: read from the document name (``P2_GMT20211119.odt`` → 2021-11-19);
  a name without a date gives an empty date and a warning.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.io.csv import read_csv, read_csv_header
from rd_territoriale.qda.common import contract_strings, date_from_name, iso_date, plural, slugify_id, unique_ids
from rd_territoriale.study.contract import DOCUMENT_KINDS

__all__ = [
    "TaguetteError",
    "TaguetteImport",
    "check_counts",
    "date_from_name",
    "is_codebook_export",
    "read_taguette",
    "read_taguette_codebook",
    "slugify_id",
]

HIGHLIGHT_COLUMNS = ("id", "document", "tag", "content")
CODEBOOK_TAG = "tag"
CODEBOOK_DESCRIPTION = "description"
CODEBOOK_COUNT = "number of highlights"

# Hierarchy in tag names: ``parent/child`` or ``parent.child`` (no space around).
_HIERARCHY = re.compile(r"(?<=\S)[/.](?=\S)")


class TaguetteError(RdTerritorialeError):
    """A Taguette export cannot be read (message in French)."""


@dataclass
class TaguetteImport:
    """What :func:`read_taguette` produced.

    Attributes
    ----------
    codebook, documents, segments : pandas.DataFrame
        Frames with the columns of the project's tables, in contract order;
        cells are strings (``string`` dtype) or ``<NA>``.
    summary : list of str
        French lines: what was imported and what was not.
    expected_counts : pandas.Series or None
        The codebook's ``number of highlights`` per tag (index = tag as
        written in Taguette); ``None`` without codebook or without that column.
    imported_counts : pandas.Series
        Number of imported segments per tag.
    undated : list of str
        Names of the documents whose date could not be read.
    """

    codebook: pd.DataFrame
    documents: pd.DataFrame
    segments: pd.DataFrame
    summary: list[str] = field(default_factory=list)
    expected_counts: pd.Series | None = None
    imported_counts: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    undated: list[str] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The three frames by table name."""
        return {"codebook": self.codebook, "documents": self.documents, "segments": self.segments}


def _read(path, what: str, required: tuple[str, ...]) -> pd.DataFrame:
    """Read one Taguette CSV with the project's reader; raise in French."""
    path = Path(path)
    if not path.is_file():
        raise TaguetteError(f"Fichier {what} introuvable : {path}")
    raw = read_csv(path, what)
    if raw.problems:
        detail = "\n".join(f"  - {p}" for p in raw.problems[:10])
        raise TaguetteError(f"Le fichier {what} {path.name} ne peut pas être lu :\n{detail}")
    missing = [c for c in required if c not in raw.header]
    if missing:
        found = ", ".join(raw.header) or "aucune"
        raise TaguetteError(
            f"Le fichier {what} {path.name} n'a pas la forme d'un export Taguette : "
            f"colonne(s) manquante(s) {', '.join(missing)} (colonnes trouvées : {found})"
        )
    if raw.frame.empty:
        raise TaguetteError(f"Le fichier {what} {path.name} ne contient aucune ligne de données.")
    frame = raw.frame.copy()
    for col in frame.columns:  # line breaks inside cells: CRLF or CR → LF
        frame[col] = frame[col].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    frame["_line"] = raw.lines
    return frame


def _split_tag(tag: str, hierarchy: bool) -> list[str]:
    """The path of a tag: ``a/b/c`` → ``["a", "a/b", "a/b/c"]`` (prefixes as written)."""
    if not hierarchy:
        return [tag]
    cuts = [m.start() for m in _HIERARCHY.finditer(tag)]
    return [tag[:c] for c in cuts] + [tag]


def _read_book(codebook_csv, summary: list[str]) -> tuple[pd.DataFrame, pd.Series | None]:
    """The codebook export's rows (one per tag) and its « number of highlights » per tag."""
    book = _read(codebook_csv, "de codebook Taguette", (CODEBOOK_TAG,))
    book = book.loc[book[CODEBOOK_TAG].notna()].drop_duplicates(CODEBOOK_TAG).reset_index(drop=True)
    expected = None
    if CODEBOOK_COUNT in book:
        counts = pd.to_numeric(book[CODEBOOK_COUNT], errors="coerce")
        if counts.isna().any():
            bad = ", ".join(book.loc[counts.isna(), CODEBOOK_TAG].head(5))
            summary.append(f"Codebook : nombre de surlignages illisible pour {bad}.")
        expected = (
            pd.Series(counts.to_numpy(), index=book[CODEBOOK_TAG].to_numpy(), name="expected").dropna().astype("int64")
        )
    return book, expected


def _codebook(book: pd.DataFrame | None, used_tags: list[str], hierarchy: bool):
    """The study codebook of the codebook's tags then the used ones; tag → code; parents added."""
    book_tags = list(book[CODEBOOK_TAG]) if book is not None else []
    all_tags = list(dict.fromkeys(book_tags + used_tags))
    paths = {t: _split_tag(t, hierarchy) for t in all_tags}
    every = list(dict.fromkeys(p for t in all_tags for p in paths[t]))
    codes = unique_ids(every, "code")
    descriptions = {}
    if book is not None and CODEBOOK_DESCRIPTION in book:
        descriptions = dict(zip(book[CODEBOOK_TAG], book[CODEBOOK_DESCRIPTION]))
    codebook = pd.DataFrame(
        {
            "code": [codes[t] for t in every],
            "label": every,
            "parent": [
                codes[_split_tag(t, hierarchy)[-2]] if len(_split_tag(t, hierarchy)) > 1 else pd.NA for t in every
            ],
            "dimension": [_split_tag(t, hierarchy)[0] if len(_split_tag(t, hierarchy)) > 1 else pd.NA for t in every],
            "definition": [descriptions.get(t, pd.NA) for t in every],
            "version": "1",
        }
    )
    return codebook, codes, [p for p in every if p not in paths]


def is_codebook_export(path) -> bool:
    """True when a Taguette CSV is a codebook export (``tag`` column, no ``document``)."""
    header = read_csv_header(Path(path))
    return CODEBOOK_TAG in header and "document" not in header


def read_taguette_codebook(codebook_csv, hierarchy: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """Read a Taguette codebook export alone: the study ``codebook`` and a French summary.

    Parameters
    ----------
    codebook_csv : str or Path
        The codebook export (``tag,description,number of highlights``).
    hierarchy : bool
        Read ``parent/child`` tag names as a hierarchy, as in :func:`read_taguette`.

    Returns
    -------
    tuple
        The ``codebook`` frame (strings, contract order) and the summary lines.

    Raises
    ------
    TaguetteError
        When the file is missing, unreadable, empty or has no ``tag`` column.
    """
    summary: list[str] = []
    book, _ = _read_book(codebook_csv, summary)
    codebook, _, added = _codebook(book, [], hierarchy)
    summary.insert(
        0,
        f"Codebook Taguette {Path(codebook_csv).name} : {plural(len(book), 'étiquette')} "
        "(le codebook seul remplace celui de l'étude).",
    )
    if added:
        summary.append(f"Codes parents ajoutés d'après les noms hiérarchiques : {', '.join(added)}.")
    return contract_strings(codebook, "codebook"), summary


def read_taguette(
    highlights_csv,
    codebook_csv=None,
    coder: str = "taguette",
    kind: str = "entretien",
    quote_consent: str = "non",
    hierarchy: bool = True,
    default_date: str | None = None,
) -> TaguetteImport:
    """Read a Taguette « all highlights » export, with its codebook if given.

    Parameters
    ----------
    highlights_csv : str or Path
        The highlights export (``id,document,tag,content``). UTF-8 with or
        without BOM, or Windows-1252; LF or CRLF; separator sniffed.
    codebook_csv : str or Path, optional
        The codebook export (``tag,description,number of highlights``).
    coder : str
        Identifier written in ``segments.coder`` (must be a person of the
        study once the tables are written into it).
    kind : str
        ``documents.kind`` of every document (one of the contract's kinds).
    quote_consent : str
        ``documents.quote_consent`` of every document (« oui » / « non »);
        Taguette does not record consent, so « non » by default.
    hierarchy : bool
        Read ``parent/child`` and ``parent.child`` tag names as a hierarchy
        (``codebook.parent``; ``dimension`` = the root tag). Parents missing
        from the export are added to the codebook.
    default_date : str, optional
        ISO date (``AAAA-MM-JJ``) of the documents without a date in their name.

    Returns
    -------
    TaguetteImport
        The ``codebook``, ``documents`` and ``segments`` frames and a French
        ``summary``.

    Raises
    ------
    TaguetteError
        When a file is missing, unreadable, empty or lacks Taguette's columns.

    Warns
    -----
    UserWarning
        When documents have no date in their name.
    """
    if kind not in DOCUMENT_KINDS:
        raise TaguetteError(f"Type de document inconnu « {kind} » ; attendu : {', '.join(DOCUMENT_KINDS)}")
    if default_date is not None and iso_date(default_date) is None:
        raise TaguetteError(f"Date par défaut illisible « {default_date} » : attendu AAAA-MM-JJ.")
    name = Path(highlights_csv).name
    rows = _read(highlights_csv, "de surlignages Taguette", ("document", "tag", "content"))
    if "id" not in rows:
        rows["id"] = pd.NA
    summary: list[str] = []

    # Rows that cannot become segments.
    incomplete = rows["document"].isna() | rows["tag"].isna() | rows["content"].isna()
    if incomplete.any():
        lines = ", ".join(str(x) for x in rows.loc[incomplete, "_line"].head(10))
        summary.append(
            f"{plural(int(incomplete.sum()), 'surlignage')} non importé(s) : document, "
            f"étiquette ou texte vide (lignes {lines}{'…' if incomplete.sum() > 10 else ''})."
        )
    rows = rows.loc[~incomplete].reset_index(drop=True)
    if rows.empty:
        raise TaguetteError(f"Le fichier {name} ne contient aucun surlignage complet (document, étiquette et texte).")

    # Codebook.
    book, expected = (None, None) if codebook_csv is None else _read_book(codebook_csv, summary)
    book_tags = list(book[CODEBOOK_TAG]) if book is not None else []
    used_tags = list(dict.fromkeys(rows["tag"]))
    codebook, codes, added_parents = _codebook(book, used_tags, hierarchy)

    # Documents.
    doc_names = list(dict.fromkeys(rows["document"]))
    doc_ids = unique_ids(doc_names, "document", strip_extension=True)
    dates = {d: date_from_name(d) for d in doc_names}
    undated = [d for d in doc_names if dates[d] is None]
    if undated and default_date is not None:
        dates.update({d: iso_date(default_date) for d in undated})
        summary.append(
            f"{plural(len(undated), 'document')} sans date dans son nom daté(s) du "
            f"{iso_date(default_date)} (date par défaut) : {', '.join(undated)}."
        )
        undated = []
    distinct = rows.drop_duplicates(["document", "id"]) if rows["id"].notna().all() else rows
    words = distinct["content"].str.split().str.len().groupby(distinct["document"]).sum()
    documents = pd.DataFrame(
        {
            "id": [doc_ids[d] for d in doc_names],
            "kind": kind,
            "date": [dates[d] if dates[d] else pd.NA for d in doc_names],
            "unit": pd.NA,
            "respondent": pd.NA,
            "interviewer": pd.NA,
            "quote_consent": quote_consent,
            "words": [str(int(words.get(d, 0))) for d in doc_names],
            "title": doc_names,
        }
    )

    # Segments.
    seg_codes = rows["tag"].map(codes)
    base = [
        "tg" + slugify_id(h, "") + "_" + c if pd.notna(h) else f"tgl{line}_{c}"
        for h, line, c in zip(rows["id"], rows["_line"], seg_codes)
    ]
    seen: dict[str, int] = {}
    seg_ids = []
    for b in base:
        seen[b] = seen.get(b, 0) + 1
        seg_ids.append(b if seen[b] == 1 else f"{b}_{seen[b]}")
    segments = pd.DataFrame(
        {
            "id": seg_ids,
            "source": rows["document"].map(doc_ids),
            "coder": coder,
            "code": seg_codes,
            "start": pd.NA,
            "end": pd.NA,
            "text": rows["content"],
            "speaker": pd.NA,
        }
    )
    imported = rows["tag"].value_counts().rename("imported")

    # Summary.
    n_h = rows["id"].nunique() if rows["id"].notna().all() else len(rows)
    summary.insert(
        0,
        (
            f"Import Taguette de {name} : {plural(len(segments), 'segment codé', 'segments codés')} "
            f"({plural(int(n_h), 'surlignage')} distinct(s)), "
            f"{plural(len(used_tags), 'étiquette')} utilisée(s), {plural(len(doc_names), 'document')}."
        ),
    )
    if book is not None:
        summary.append(f"Codebook {Path(codebook_csv).name} : {plural(len(book_tags), 'étiquette')}.")
        absent = [t for t in used_tags if t not in set(book_tags)]
        if absent:
            n_abs = int(rows["tag"].isin(absent).sum())
            summary.append(
                f"{plural(n_abs, 'surlignage')} porte(nt) une étiquette absente du codebook "
                f"({', '.join(absent)}) : étiquette(s) ajoutée(s) au codebook sans définition."
            )
        unused = [t for t in book_tags if t not in imported.index]
        if unused:
            summary.append(
                f"{plural(len(unused), 'étiquette')} du codebook sans aucun surlignage : "
                f"{', '.join(unused)} (conservée(s) dans le codebook)."
            )
    else:
        summary.append(
            "Aucun codebook fourni : les codes n'ont pas de définition et les effectifs ne peuvent pas être vérifiés."
        )
    if added_parents:
        summary.append(f"Codes parents ajoutés d'après les noms hiérarchiques : {', '.join(added_parents)}.")
    if undated:
        summary.append(
            f"{plural(len(undated), 'document')} sans date dans son nom (date laissée vide, "
            f"à compléter) : {', '.join(undated)}."
        )
        warnings.warn(
            f"Taguette : {plural(len(undated), 'document')} sans date lisible dans le nom : {', '.join(undated)}",
            UserWarning,
            stacklevel=2,
        )
    summary.append(
        "Non importé (absent des exports Taguette) : le texte intégral des documents "
        "(« words » ne compte que les mots des surlignages), les positions des segments "
        "(start/end vides), les locuteurs, les personnes interrogées et le consentement "
        f"à la citation (« {quote_consent} » par défaut)."
    )

    return TaguetteImport(
        codebook=contract_strings(codebook, "codebook"),
        documents=contract_strings(documents, "documents"),
        segments=contract_strings(segments, "segments"),
        summary=summary,
        expected_counts=expected,
        imported_counts=imported,
        undated=undated,
    )


def check_counts(result: TaguetteImport) -> pd.DataFrame:
    """Compare, per tag, imported highlights with the codebook's count.

    Parameters
    ----------
    result : TaguetteImport
        What :func:`read_taguette` returned, with a codebook.

    Returns
    -------
    pandas.DataFrame
        One row per mismatching tag: ``tag``, ``code``, ``expected`` (the
        codebook's ``number of highlights``, ``<NA>`` for a tag absent from the
        codebook), ``imported``. Empty when every count agrees.

    Raises
    ------
    TaguetteError
        When the import had no codebook with a ``number of highlights`` column.
    """
    if result.expected_counts is None:
        raise TaguetteError(
            f"Vérification impossible : aucun codebook Taguette avec la colonne « {CODEBOOK_COUNT} » n'a été importé."
        )
    tags = list(dict.fromkeys(list(result.expected_counts.index) + list(result.imported_counts.index)))
    frame = pd.DataFrame(
        {
            "tag": tags,
            "expected": pd.array([result.expected_counts.get(t, pd.NA) for t in tags], dtype="Int64"),
            "imported": pd.array([int(result.imported_counts.get(t, 0)) for t in tags], dtype="Int64"),
        }
    )
    codes = dict(zip(result.codebook["label"], result.codebook["code"]))
    frame.insert(1, "code", [codes.get(t, pd.NA) for t in tags])
    bad = frame["expected"].isna() | (frame["expected"] != frame["imported"]).fillna(True)
    return frame.loc[bad].reset_index(drop=True)
