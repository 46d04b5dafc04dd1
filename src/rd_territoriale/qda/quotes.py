"""Coded segments exported as a quotes table, one row per quote.

What MAXQDA calls « Exporter les segments codés » and NVivo an export of
coding: every coded segment with its source (title, kind, date, period,
project, groups), its code (label and path in the code tree), its coder and
speaker, its position, its text, whether its source allows quoting it, and
the source's attributes (one column per attribute). The table is meant to be
read, sorted and filtered in a spreadsheet (:func:`write_quotes` writes CSV
for French Excel or XLSX through :func:`rd_territoriale.io.export.write_table`).

Rules (explicit, so that a partner can check them)
--------------------------------------------------
- **Code names.** A code is named by the label of the latest codebook
  version that defines it (:func:`rd_territoriale.analysis.codebook.code_labels`),
  whatever version it was coded under.
- **Code path.** The labels from the root of the code tree down to the code,
  joined by « > ». Each code's parent is the one of the latest version that
  defines it (:func:`rd_territoriale.analysis.codebook.latest_definitions`):
  for a code of the latest version, the latest version's tree; a code
  absent from the latest version keeps its own latest label under its last
  known parent.
- **Code filter.** A code selects itself and its descendants in that tree
  (NVivo's « agréger »).
- **Consent.** « oui » when the document's ``quote_consent`` allows quoting;
  for a journal entry, its ``quote_consent``, an entry that does not say
  counting « non ». The study's ``quote_policy`` is not applied here: this
  is a working file for the research team, not a report for partners
  (:mod:`rd_territoriale.privacy.quotes` decides what a report quotes).
- **Order.** By date, source, start, code (then segment id).

Takes a loaded :class:`~rd_territoriale.study.case.Case`; never edits it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from rd_territoriale.analysis.codebook import code_ancestry, code_labels
from rd_territoriale.analysis.material import period_ids
from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.french import plural_s
from rd_territoriale.io.export import write_table

SHEET = "Citations"
PATH_SEPARATOR = " > "
GROUP_SEPARATOR = " | "
JOURNAL_TYPE = "journal"
ATTRIBUTE_PREFIX = "attribut : "

#: The fixed columns of :func:`quotes_table`, in order (attribute columns follow).
COLUMNS = [
    "document",
    "titre",
    "type",
    "date",
    "période",
    "projet",
    "nom du projet",
    "groupes",
    "code",
    "libellé du code",
    "chemin du code",
    "codeur",
    "locuteur",
    "début",
    "fin",
    "citation",
    "citation autorisée",
]


class QuotesError(RdTerritorialeError, ValueError):
    """A filter of the quotes export names a period or a code the study does not have."""


def _text(value) -> str:
    """A cell as text: missing → empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _wanted(value) -> list[str]:
    """One id or several, as a list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def _check_codes(codes, known: list[str]) -> set[str]:
    wanted = _wanted(codes)
    unknown = list(dict.fromkeys(c for c in wanted if c not in known))
    if unknown:
        names = ", ".join(f"« {c} »" for c in unknown)
        raise QuotesError(
            f"code{plural_s(len(unknown))} inconnu{plural_s(len(unknown))} : "
            f"{names} ; codes du dictionnaire : {', '.join(known)}."
        )
    return set(wanted)


def _sources(case) -> pd.DataFrame:
    """One row per document or journal entry: title, type, project, groups, consent."""
    docs = case.documents
    jour = case.journal
    frame = pd.DataFrame(
        {
            "id": [*docs["id"].astype(str), *jour["id"].astype(str)],
            "titre": [*map(_text, docs["title"]), *map(_text, jour["kind"])],
            "type": [*map(_text, docs["kind"]), *[JOURNAL_TYPE] * len(jour)],
            "projet": [*map(_text, docs["unit"]), *map(_text, jour["unit"])],
            "groupes": [
                *(
                    GROUP_SEPARATOR.join(map(str, g)) if isinstance(g, (list, tuple)) else _text(g)
                    for g in docs["groups"]
                ),
                *[""] * len(jour),
            ],
            "consent": [
                *map(bool, docs["quote_consent"].astype("boolean").fillna(False)),
                *map(bool, jour["quote_consent"].astype("boolean").fillna(False)),
            ],
        }
    )
    return frame.set_index("id")


def _attribute_columns(attributes: pd.DataFrame) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Attribute headers (first-appearance order, collisions prefixed) and ``{header: {source: value}}``."""
    used = set(COLUMNS)
    headers, values = [], {}
    names = list(dict.fromkeys(_text(a) for a in attributes["attribute"])) if len(attributes) else []
    header_of = {}
    for name in names:
        header = name
        while header in used:
            header = ATTRIBUTE_PREFIX + header
        used.add(header)
        headers.append(header)
        header_of[name] = header
        values[header] = {}
    for source, name, value in zip(attributes["source"], attributes["attribute"], attributes["value"]):
        values[header_of[_text(name)]][_text(source)] = _text(value)
    return headers, values


def quotes_table(case, periods=None, codes=None, consented_only: bool = False) -> pd.DataFrame:
    """Every coded segment as a quote, one row each, with its source, code and attributes.

    Parameters
    ----------
    case : Case
        A loaded case (:func:`rd_territoriale.study.case.load_case`).
    periods : str or list of str, optional
        Keep only the segments of these periods (ids of ``study.yml``);
        every period by default.
    codes : str or list of str, optional
        Keep only the segments coded with these codes or with one of their
        descendants in the code tree (see the module docstring); every code
        by default.
    consented_only : bool
        Keep only the quotes whose source allows quoting.

    Returns
    -------
    pandas.DataFrame
        One row per coded segment, ordered by date, source, start, code (then
        segment id), index reset. Columns :data:`COLUMNS`, in French:
        ``document`` (source id), ``titre`` (document title; the entry's kind
        for the journal), ``type`` (document kind or « journal »), ``date``
        (``AAAA-MM-JJ``), ``période``, ``projet`` (unit id), ``nom du
        projet``, ``groupes`` (joined by « | »), ``code``, ``libellé du
        code`` (latest label), ``chemin du code`` (labels from the root,
        joined by « > »), ``codeur``, ``locuteur``, ``début``, ``fin``
        (``Int64``, empty when unknown), ``citation`` (the segment's text),
        ``citation autorisée`` (« oui » / « non »); then one column per
        attribute of ``case.attributes``, in order of first appearance,
        headed by its name (prefixed with « attribut : » when the name is
        one of the fixed headers) and empty for a source without it. Text
        cells are strings, empty rather than missing.

    Raises
    ------
    QuotesError
        In French, listing the study's periods or codebook's codes, for an
        unknown period or code.

    Examples
    --------
    >>> table = quotes_table(case, periods="P2", codes="dynamiques_projets")  # doctest: +SKIP
    >>> table[["document", "chemin du code", "citation"]].head()  # doctest: +SKIP
    """
    seg = case.segments
    if periods is not None:
        try:
            chosen = period_ids(case, _wanted(periods))
        except ValueError as error:
            raise QuotesError(str(error)) from None
        seg = seg[seg["period"].isin(chosen).fillna(False).to_numpy()]
    ancestry = code_ancestry(case.codebook)
    if codes is not None:
        wanted = _check_codes(codes, list(ancestry))
        keep = [bool(wanted.intersection(ancestry.get(str(c), [str(c)]))) for c in seg["code"]]
        seg = seg[np.array(keep, dtype=bool)]
    sources = _sources(case)
    consent = seg["source"].astype(str).map(sources["consent"]).fillna(False).astype(bool)
    if consented_only:
        seg = seg[consent.to_numpy()]
        consent = consent[consent.to_numpy()]
    seg = seg.assign(_consent=consent.to_numpy())
    seg = seg.sort_values(["date", "source", "start", "code", "id"], na_position="last", kind="mergesort")

    labels = code_labels(case.codebook)
    unit_names = {str(u): _text(n) for u, n in zip(case.units["id"], case.units["name"])}
    info = sources.reindex(seg["source"].astype(str))
    code_ids = [str(c) for c in seg["code"]]
    out = pd.DataFrame(
        {
            "document": [str(s) for s in seg["source"]],
            "titre": info["titre"].fillna("").tolist(),
            "type": info["type"].fillna("").tolist(),
            "date": [d.strftime("%Y-%m-%d") if not pd.isna(d) else "" for d in seg["date"]],
            "période": list(map(_text, seg["period"])),
            "projet": info["projet"].fillna("").tolist(),
            "nom du projet": [unit_names.get(u, "") for u in info["projet"].fillna("")],
            "groupes": info["groupes"].fillna("").tolist(),
            "code": code_ids,
            "libellé du code": [labels.get(c, c) for c in code_ids],
            "chemin du code": [PATH_SEPARATOR.join(labels.get(a, a) for a in ancestry.get(c, [c])) for c in code_ids],
            "codeur": list(map(_text, seg["coder"])),
            "locuteur": list(map(_text, seg["speaker"])),
            "début": pd.array(seg["start"].tolist(), dtype="Int64"),
            "fin": pd.array(seg["end"].tolist(), dtype="Int64"),
            "citation": ["" if pd.isna(t) else str(t) for t in seg["text"]],
            "citation autorisée": ["oui" if c else "non" for c in seg["_consent"]],
        }
    )
    headers, values = _attribute_columns(case.attributes)
    for header in headers:
        out[header] = [values[header].get(s, "") for s in out["document"]]
    return out


def write_quotes(case, path, **filters) -> Path:
    """Write :func:`quotes_table` to ``path``: CSV for French Excel or XLSX (sheet « Citations »).

    Parameters
    ----------
    case : Case
        A loaded case.
    path : str or pathlib.Path
        Destination, ``.csv`` or ``.xlsx`` (see
        :func:`rd_territoriale.io.export.write_table`); written atomically.
    **filters
        ``periods``, ``codes``, ``consented_only``: passed to
        :func:`quotes_table`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    QuotesError
        For an unknown period or code.
    rd_territoriale.io.export.ExportError
        For an extension other than ``.csv`` or ``.xlsx``.
    """
    return write_table(quotes_table(case, **filters), path, sheet=SHEET)
