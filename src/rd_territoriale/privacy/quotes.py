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

from rd_territoriale.study.contract import AUDIENCES

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
    consent = pd.concat(
        [
            case.documents.set_index("id")["quote_consent"].astype("boolean"),
            case.journal.set_index("id")["quote_consent"].astype("boolean"),
        ]
    )
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


def pick_passages(quotes: pd.DataFrame, by: list[str], limit: int = 3) -> pd.DataFrame:
    """Up to ``limit`` passages per group of ``by``, the most telling first.

    Within a group: actors' words before the researcher's, one passage per
    source before a second from the same source, then the length nearest the
    median of the actors' passages (the researcher's when no actor speaks),
    then the segment id. The first passage of a group is the one quote that
    :func:`~rd_territoriale.analysis.matrices.time_ordered_matrix` shows.

    Parameters
    ----------
    quotes : pandas.DataFrame
        :func:`quotable` output (only consented passages).
    by : list of str
        Grouping columns, e.g. ``["code", "period"]``.
    limit : int
        At most this many passages per group.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``quotes``, group by group, with ``rank`` (0 first)
        and ``quotable`` (consented passages of the group, shown or not).
    """
    if quotes.empty:
        return quotes.assign(rank=pd.Series(dtype="int64"), quotable=pd.Series(dtype="int64"))
    q = quotes.reset_index(drop=True)
    keys = [q[c].astype(str) for c in by]
    researcher = q["attribution"].isin([RESEARCHER_LABEL, JOURNAL_LABEL]).to_numpy()
    q = q.assign(_r=researcher.astype(int), _len=q["text"].astype(str).str.len())
    actors_in_group = q.groupby(keys)["_r"].transform("min").to_numpy() == 0
    pool = (q["_r"].to_numpy() == 0) | ~actors_in_group
    median = q["_len"].where(pool).groupby(keys).transform("median")
    q["_d"] = (q["_len"] - median).abs()
    q = q.sort_values(by + ["_r", "_d", "id"], kind="mergesort")
    q["_w"] = q.groupby(by + ["source"], sort=False).cumcount()
    q = q.sort_values(by + ["_r", "_w", "_d", "id"], kind="mergesort")
    q["quotable"] = q.groupby(by, sort=False)["id"].transform("size").astype("int64")
    q["rank"] = q.groupby(by, sort=False).cumcount().astype("int64")
    return q[q["rank"] < limit].drop(columns=["_r", "_len", "_d", "_w"]).reset_index(drop=True)
