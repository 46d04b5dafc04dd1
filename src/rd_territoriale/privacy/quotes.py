"""Which coded segments may be quoted verbatim, and how they are attributed.

A verbatim quote appears in a report only where its source allows it: the
document's ``quote_consent`` (an interview, a document), or the journal
entry's ``quote_consent`` (a field note; an entry that does not say is not
quoted to partners). The study's ``quote_policy: aucune`` forbids every
quote. A quote is attributed by stakeholder category (« Salariés »,
« Collectivités locales »…), never by person: the speaker's id never leaves
this module.

DataFrames in, DataFrame out; no file I/O.
"""

from __future__ import annotations

import pandas as pd

AUDIENCES = ("partenaires", "equipe")
RESEARCHER_LABEL = "Chercheur·e"
JOURNAL_LABEL = "Chercheur·e (journal de terrain)"


def quotable(case, segments: pd.DataFrame | None = None, audience: str = "partenaires") -> pd.DataFrame:
    """The segments that may be quoted, with their attribution.

    Parameters
    ----------
    case : Case
        The loaded case (documents, journal, people, study categories).
    segments : pandas.DataFrame, optional
        The segments to consider (all of ``case.segments`` by default).
    audience : str
        ``partenaires`` or ``equipe``. Both follow consent; for the team, a
        journal entry whose consent is not recorded may be quoted (the team
        wrote it), never for partners.

    Returns
    -------
    pandas.DataFrame
        ``id, source, code, period, text, attribution`` for the quotable
        segments only, in the input order, a passage coded twice with the
        same code counted once. ``attribution`` is the speaker's stakeholder
        category label, « Chercheur·e » for the researcher's own words in an
        interview, « Chercheur·e (journal de terrain) » for field notes.

    Raises
    ------
    ValueError
        For an unknown audience.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience inconnue : « {audience} » ; attendu : {' ou '.join(AUDIENCES)}.")
    segments = case.segments if segments is None else segments
    columns = ["id", "source", "code", "period", "text", "attribution"]
    if case.study.quote_policy == "aucune" or segments.empty:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    consent = pd.concat([
        case.documents.set_index("id")["quote_consent"].astype("boolean"),
        case.journal.set_index("id")["quote_consent"].astype("boolean"),
    ])
    allowed = segments["source"].map(consent)
    journal = (segments["source_kind"] == "journal").fillna(False)  # derived by load_case
    if audience == "equipe":
        allowed = allowed.where(~(allowed.isna() & journal), True)
    keep = allowed.fillna(False).astype(bool)
    chosen = segments.loc[keep.to_numpy()]
    labels = dict(zip(case.study.categories["id"], case.study.categories["label"]))
    people = case.people.set_index("id")
    category = chosen["speaker"].map(people["category"])
    is_researcher = chosen["speaker"].map(people["is_researcher"]).fillna(False).astype(bool)
    attribution = category.map(labels).astype("string")
    in_journal = journal[keep].to_numpy()
    attribution = attribution.mask(is_researcher.to_numpy() & ~in_journal, RESEARCHER_LABEL)
    attribution = attribution.mask(is_researcher.to_numpy() & in_journal, JOURNAL_LABEL)
    attribution = attribution.fillna("Source non attribuée")
    out = chosen.assign(attribution=attribution)
    # A passage coded twice with the same code (double coding) is one quote.
    out = out.drop_duplicates(subset=["source", "start", "end", "code", "text"])
    return out[columns].reset_index(drop=True)
