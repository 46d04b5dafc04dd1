"""Whose voices does the analysis carry? Source mix and voices against SCIC membership.

Two reflexivity signals (docs/architecture.md §4), computed from the primary
coder's segments (:func:`~rd_territoriale.analysis.matrices.coder_segments`,
so that double coding never inflates counts):

- :func:`source_mix` and :func:`researcher_talk_share`: how much of the
  coded material is the researcher's own (field journal, questions and
  remarks in interviews) against the actors' words, per period;
- :func:`voices` and :func:`evenness`: which stakeholder categories (or
  SCIC colleges) are heard, per period, against their weight among the
  members declared in ``study.yml``; :func:`voices_table` spreads a count of
  persons for :func:`~rd_territoriale.privacy.masking.mask_for_audience`.

Takes a loaded case (or, for :func:`evenness` and :func:`voices_table`, the
frame :func:`voices` returns) and returns DataFrames. DataFrames in,
DataFrames out; no plotting, no file I/O; nothing here masks small counts
(a report for partners masks ``persons`` through :func:`voices_table`).

Definitions (explicit, so that a partner can check them)
--------------------------------------------------------
- **Researcher.** A person of ``people`` with ``is_researcher`` true, or
  named in ``study.yml`` ``researchers``.
- **Words of a segment.** The number of words of its ``text``: a word is a
  run of characters between spaces that holds at least one letter or digit
  (« l'ESS » is one word, a lone « ? » none). For an interview, ``text`` is
  the coded passage, not the whole interview.
- **The researcher's notes.** Every coded segment of the field journal
  (whoever the ``speaker``: the journal is the researcher's writing), and
  every coded segment of a document (interview, meeting report…) whose
  ``speaker`` is a researcher (questions, reformulations).
- **Actors' words.** Coded segments of documents whose ``speaker`` is a
  person of ``people`` who is not a researcher. A document segment with no
  speaker, or a speaker unknown to ``people``, is *unattributed*: counted
  apart, in neither side.
- **Shares of the source mix.** Researcher / (researcher + actors), in
  segments and in words; unattributed segments are left out of both.
- **The researcher's talk in interviews.** Among the segments of interviews
  (``entretien``, ``entretien collectif``) whose speaker is a known person,
  the share spoken by a researcher (segments, words). Interviews with no
  such segment do not count.
- **Voices.** The actors' segments of a period, by the speaker's category
  (or college: the ``college`` of the category in ``study.yml``; several
  categories may share a college). ``share`` is the group's part of the
  period's actors' segments.
- **Membership share.** The group's ``members`` in ``study.yml`` over the
  members of all categories (a college: the sum of its categories).
  ``representation = share / membership_share``: 1 means « heard as much as
  its weight among the members », 2 twice as much, 0.5 half.
- **Persons heard.** Distinct non-researchers of the group who spoke a
  coded segment in the period, or who answered an interview of the period
  (``documents.respondent``). These are persons: mask them for partners.
- **Interviews.** Distinct interviews of the period in which the group
  spoke, or whose respondent belongs to the group.

The flag rule (:func:`voices`)
------------------------------
Segments are **not independent**: an interview gives tens of segments of
one person (or one group of the same category), so a test on segment counts
would read one more interview of an employee as eighty independent
employees and flag the slightest imbalance. The test is therefore made at
the level of the **sources** (interviews and other documents), in the most
conservative way, as if all the segments of a source were one voice
(intra-class correlation 1, Kish design effect = segments per source):

1. ``sources``: the sources of the period in which at least one actor is
   heard; ``source_equivalents``: ``share × sources``, rounded to the
   nearest integer (half up) — the group's weight in « interviews ».
2. ``p_value``: exact two-sided binomial test (``scipy.stats.binomtest``)
   of ``source_equivalents`` out of ``sources`` against
   ``membership_share``; ``p_adjusted``: Benjamini–Hochberg across every
   row returned.
3. ``flag`` = « sur-représentation » when ``representation ≥ 1.5`` and
   ``p_adjusted < 0.05``; « sous-représentation » when ``representation ≤
   1/1.5`` and ``p_adjusted < 0.05``; empty otherwise.

Both conditions are needed: the ratio says the imbalance is large enough to
matter, the test that it is more than the draw of a dozen interviews. With
13 or 14 interviews a period, only a large imbalance can be flagged; a
category at half its weight usually is not (read ``representation``).

DataFrames in, DataFrames out; no plotting, no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from rd_territoriale.analysis.material import period_ids, researcher_ids
from rd_territoriale.analysis.matrices import INTERVIEW_KINDS, coder_segments
from rd_territoriale.analysis.models import benjamini_hochberg

__all__ = [
    "ALPHA",
    "BY",
    "EVENNESS_COLUMNS",
    "FLAG_OVER",
    "FLAG_UNDER",
    "RATIO",
    "SOURCE_MIX_COLUMNS",
    "TALK_COLUMNS",
    "VOICE_COLUMNS",
    "evenness",
    "researcher_talk_share",
    "source_mix",
    "voices",
    "voices_table",
    "word_counts",
]

ALPHA = 0.05
RATIO = 1.5
BY = ("category", "college")
FLAG_OVER = "sur-représentation"
FLAG_UNDER = "sous-représentation"

SOURCE_MIX_COLUMNS = [
    "period",
    "journal_segments",
    "journal_words",
    "researcher_spoken_segments",
    "researcher_spoken_words",
    "researcher_segments",
    "researcher_words",
    "actor_segments",
    "actor_words",
    "unattributed_segments",
    "unattributed_words",
    "researcher_share_segments",
    "researcher_share_words",
    "actor_share_segments",
    "actor_share_words",
]
TALK_COLUMNS = [
    "period",
    "interviews",
    "segments",
    "words",
    "researcher_segments",
    "researcher_words",
    "researcher_share_segments",
    "researcher_share_words",
]
VOICE_COLUMNS = [
    "period",
    "group",
    "label",
    "segments",
    "words",
    "persons",
    "interviews",
    "share",
    "word_share",
    "members",
    "membership_share",
    "representation",
    "sources",
    "source_equivalents",
    "p_value",
    "p_adjusted",
    "flag",
]
EVENNESS_COLUMNS = [
    "period",
    "groups",
    "heard_groups",
    "pielou_j",
    "membership_pielou_j",
    "similarity",
    "total_variation",
    "kl_divergence",
]
TABLE_VALUES = ("persons", "segments", "words", "interviews")

_WORD = r"\S*[^\W_]\S*"  # a run between spaces holding at least one letter or digit


# --- helpers ------------------------------------------------------------------


def word_counts(text: pd.Series) -> pd.Series:
    """Words of each text: runs between spaces holding a letter or a digit (module docstring).

    Parameters
    ----------
    text : pandas.Series
        Texts; missing texts count 0 words.

    Returns
    -------
    pandas.Series
        Integer counts, same index.

    Examples
    --------
    >>> word_counts(pd.Series(["Qui vous a mis en relation ?", "l'ESS", None])).tolist()
    [6, 1, 0]
    """
    counts = text.astype("string").str.count(_WORD)
    return counts.fillna(0).astype(int)


def _interview_ids(case) -> set[str]:
    docs = case.documents
    kinds = docs["kind"].isin(list(INTERVIEW_KINDS)).fillna(False).to_numpy()
    return set(docs.loc[kinds, "id"].astype(str))


def _classified(case, coder) -> pd.DataFrame:
    """The primary coder's segments with a period, their words and their voice.

    ``voice`` is ``journal``, ``researcher`` (a document segment spoken by a
    researcher), ``actor`` or ``unattributed``; ``interview`` tells whether
    the source is an interview; ``category`` is the actor's category.
    """
    seg = coder_segments(case, coder)
    seg = seg.loc[seg["period"].notna().to_numpy() & seg["source_kind"].notna().to_numpy()]
    researchers = researcher_ids(case)
    people = case.people.assign(id=case.people["id"].astype(str)).set_index("id")
    speaker = seg["speaker"].astype("string")
    journal = (seg["source_kind"] == "journal").to_numpy(dtype=bool)
    spoken_by_researcher = speaker.isin(researchers).fillna(False).to_numpy(dtype=bool)
    known = speaker.isin(set(people.index)).fillna(False).to_numpy(dtype=bool)
    voice = np.select(
        [journal, spoken_by_researcher, known], ["journal", "researcher", "actor"], default="unattributed"
    )
    category = speaker.map(people["category"]).astype("string")
    out = pd.DataFrame(
        {
            "source": seg["source"].astype(str).to_numpy(),
            "period": seg["period"].astype(str).to_numpy(),
            "speaker": speaker.to_numpy(),
            "voice": voice,
            "known_speaker": known | spoken_by_researcher,
            "interview": seg["source"].astype(str).isin(_interview_ids(case)).to_numpy(),
            "category": category.where(pd.Series(voice == "actor", index=category.index)).to_numpy(),
            "words": word_counts(seg["text"]).to_numpy(),
        }
    )
    return out


def _share(part, whole) -> np.ndarray:
    part = np.asarray(part, dtype=float)
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / whole, np.nan)


# --- source mix -----------------------------------------------------------------


def source_mix(case, coder: str | None = None) -> pd.DataFrame:
    """The researcher's notes against the actors' words, per period.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted (the coder with most segments by
        default).

    Returns
    -------
    pandas.DataFrame
        One row per study period (study order, zeros included), columns
        ``SOURCE_MIX_COLUMNS``:

        - ``journal_segments, journal_words``: coded segments of the field
          journal;
        - ``researcher_spoken_segments, researcher_spoken_words``: coded
          segments of documents (interviews…) spoken by a researcher;
        - ``researcher_segments, researcher_words``: the two together, the
          researcher's notes;
        - ``actor_segments, actor_words``: the actors' words;
        - ``unattributed_segments, unattributed_words``: document segments
          with no known speaker (in neither side);
        - ``researcher_share_segments, researcher_share_words`` and
          ``actor_share_segments, actor_share_words``: researcher (actors)
          over researcher + actors; NaN when nothing was coded.

    Raises
    ------
    ValueError
        For an unknown coder.
    """
    periods = period_ids(case, None)
    seg = _classified(case, coder)
    grouped = seg.groupby(["period", "voice"])["words"].agg(["size", "sum"])
    out = pd.DataFrame({"period": periods})

    def take(voice: str, stat: str) -> np.ndarray:
        key = pd.MultiIndex.from_product([periods, [voice]])
        return grouped[stat].reindex(key).fillna(0).to_numpy(dtype=int)

    for voice, name in [
        ("journal", "journal"),
        ("researcher", "researcher_spoken"),
        ("actor", "actor"),
        ("unattributed", "unattributed"),
    ]:
        out[f"{name}_segments"] = take(voice, "size")
        out[f"{name}_words"] = take(voice, "sum")
    for unit in ("segments", "words"):
        out[f"researcher_{unit}"] = out[f"journal_{unit}"] + out[f"researcher_spoken_{unit}"]
        total = out[f"researcher_{unit}"] + out[f"actor_{unit}"]
        out[f"researcher_share_{unit}"] = _share(out[f"researcher_{unit}"], total)
        out[f"actor_share_{unit}"] = _share(out[f"actor_{unit}"], total)
    return out[SOURCE_MIX_COLUMNS]


def researcher_talk_share(case, coder: str | None = None) -> pd.DataFrame:
    """The researcher's share of the coded talk inside interviews, per period.

    Only interview segments whose speaker is a known person (a researcher
    or a person of ``people``) count; interviews without such a segment are
    left out.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted (the coder with most segments by
        default).

    Returns
    -------
    pandas.DataFrame
        One row per study period, columns ``TALK_COLUMNS``: ``interviews``
        (with at least one segment of known speaker), ``segments, words``
        (all such segments), ``researcher_segments, researcher_words`` (those
        spoken by a researcher) and ``researcher_share_segments,
        researcher_share_words`` (NaN when the period has no such segment).
    """
    periods = period_ids(case, None)
    seg = _classified(case, coder)
    seg = seg[seg["interview"] & seg["known_speaker"]]
    seg = seg.assign(
        r_words=np.where(seg["voice"] == "researcher", seg["words"], 0),
        r_seg=(seg["voice"] == "researcher").astype(int),
    )
    agg = seg.groupby("period").agg(
        interviews=("source", "nunique"),
        segments=("source", "size"),
        words=("words", "sum"),
        researcher_segments=("r_seg", "sum"),
        researcher_words=("r_words", "sum"),
    )
    out = agg.reindex(periods).fillna(0).astype(int).rename_axis("period").reset_index()
    out["researcher_share_segments"] = _share(out["researcher_segments"], out["segments"])
    out["researcher_share_words"] = _share(out["researcher_words"], out["words"])
    return out[TALK_COLUMNS]


# --- voices ---------------------------------------------------------------------


def _groups(case, by: str) -> tuple[pd.DataFrame, pd.Series]:
    """Groups in study order (``group, label, members``) and the group of each category id."""
    cats = case.study.categories
    members = pd.to_numeric(cats["members"], errors="coerce").fillna(0).astype(int).to_numpy()
    ids = cats["id"].astype(str).to_numpy()
    if by == "category":
        groups = pd.DataFrame({"group": ids, "label": cats["label"].astype(str).to_numpy(), "members": members})
        return groups, pd.Series(ids, index=ids)
    college = cats["college"].astype("string").fillna("").to_numpy()
    college = np.where(college == "", ids, college)  # a category without college stands alone
    table = pd.DataFrame({"group": college, "members": members})
    groups = table.groupby("group", sort=False)["members"].sum().reset_index()
    groups.insert(1, "label", groups["group"])
    return groups, pd.Series(college, index=ids)


def _binomial_p(k: int, n: int, p: float) -> float:
    if n <= 0 or not np.isfinite(p):
        return np.nan
    return float(binomtest(int(k), int(n), float(p)).pvalue)


def voices(
    case, coder: str | None = None, by: str = "category", period=None, ratio: float = RATIO, alpha: float = ALPHA
) -> pd.DataFrame:
    """Voices heard per period × stakeholder category (or college), against membership.

    The definitions and the flag rule are in the module docstring.

    Parameters
    ----------
    case : Case
        The loaded case.
    coder : str, optional
        Coder whose segments are counted (the coder with most segments by
        default).
    by : {"category", "college"}
        Group the speakers by stakeholder category, or by SCIC college (the
        ``college`` of their category in ``study.yml``).
    period : str or list of str, optional
        Period id(s) to keep; all by default. The Benjamini–Hochberg family
        is the rows returned.
    ratio : float, default 1.5
        Representation from which a group may be flagged over-represented
        (``1 / ratio`` for under-represented).
    alpha : float, default 0.05
        Level of the Benjamini–Hochberg adjusted p-value.

    Returns
    -------
    pandas.DataFrame
        One row per period × group (zeros included; periods and groups in
        study order), columns ``VOICE_COLUMNS``:

        - ``group``: category id (or college name); ``label``: its French
          label (the college name);
        - ``segments, words``: the actors' segments of the group and their
          words;
        - ``persons``: distinct persons heard — persons, to mask for partners;
        - ``interviews``: interviews where the group is heard or answers;
        - ``share``, ``word_share``: the group's part of the period's actors'
          segments (words); NaN when no actor is heard in the period;
        - ``members``, ``membership_share``: from ``study.yml``;
        - ``representation``: ``share / membership_share`` (``inf`` for a
          group heard with no member; NaN when undefined);
        - ``sources``, ``source_equivalents``: the test at the level of the
          sources (module docstring);
        - ``p_value``, ``p_adjusted``: exact binomial test, Benjamini–Hochberg;
        - ``flag``: « sur-représentation », « sous-représentation » or ``""``.

    Raises
    ------
    ValueError
        For an unknown period, coder or ``by``.

    Examples
    --------
    >>> v = voices(case)                                     # doctest: +SKIP
    >>> v.loc[v["flag"] != "", ["period", "label", "representation"]]  # doctest: +SKIP
    """
    if by not in BY:
        raise ValueError(f"regroupement inconnu : {by!r} ; attendu : {' ou '.join(BY)}.")
    periods = period_ids(case, period)
    groups, group_of = _groups(case, by)
    seg = _classified(case, coder)
    actors = seg[(seg["voice"] == "actor") & seg["period"].isin(periods)]
    actors = actors.assign(group=actors["category"].map(group_of)).dropna(subset=["group"])

    docs = case.documents
    interviews = docs.loc[
        docs["id"].astype(str).isin(_interview_ids(case)).to_numpy()
        & docs["period"].isin(periods).fillna(False).to_numpy()
    ]
    researchers = researcher_ids(case)
    respondent = interviews["respondent"].astype("string")
    answered = pd.DataFrame(
        {
            "period": interviews["period"].astype(str).to_numpy(),
            "source": interviews["id"].astype(str).to_numpy(),
            "person": respondent.to_numpy(),
            "group": respondent.map(case.people.assign(id=case.people["id"].astype(str)).set_index("id")["category"])
            .map(group_of)
            .to_numpy(),
        }
    )
    answered = answered[answered["person"].notna() & ~answered["person"].isin(researchers) & answered["group"].notna()]
    spoke = actors.rename(columns={"speaker": "person"})[["period", "source", "person", "group"]]
    heard = pd.concat([spoke, answered], ignore_index=True)
    in_interview = heard[heard["source"].isin(_interview_ids(case))]

    grid = pd.MultiIndex.from_product([periods, groups["group"].tolist()], names=["period", "group"])
    out = pd.DataFrame(index=grid)
    by_group = actors.groupby(["period", "group"])["words"].agg(["size", "sum"])
    out["segments"] = by_group["size"].reindex(grid).fillna(0).astype(int)
    out["words"] = by_group["sum"].reindex(grid).fillna(0).astype(int)
    out["persons"] = heard.groupby(["period", "group"])["person"].nunique().reindex(grid).fillna(0).astype(int)
    out["interviews"] = (
        in_interview.groupby(["period", "group"])["source"].nunique().reindex(grid).fillna(0).astype(int)
    )
    out = out.reset_index()
    out.insert(2, "label", out["group"].map(dict(zip(groups["group"], groups["label"]))))

    per = out.groupby("period", sort=False)[["segments", "words"]].transform("sum")
    out["share"] = _share(out["segments"], per["segments"])
    out["word_share"] = _share(out["words"], per["words"])
    out["members"] = out["group"].map(dict(zip(groups["group"], groups["members"]))).astype(int)
    total_members = int(groups["members"].sum())
    out["membership_share"] = _share(out["members"], np.full(len(out), total_members))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["representation"] = np.where(
            out["membership_share"] > 0,
            out["share"] / out["membership_share"],
            np.where((out["membership_share"] == 0) & (out["share"] > 0), np.inf, np.nan),
        )
    sources = actors.groupby("period")["source"].nunique()
    out["sources"] = out["period"].map(sources).fillna(0).astype(int)
    equivalents = np.floor(out["share"].fillna(0).to_numpy() * out["sources"].to_numpy() + 0.5)
    out["source_equivalents"] = equivalents.astype(int)
    out["p_value"] = [
        _binomial_p(k, n, p)
        for k, n, p in out[["source_equivalents", "sources", "membership_share"]].itertuples(index=False)
    ]
    out["p_adjusted"] = benjamini_hochberg(out["p_value"]).to_numpy()
    significant = (out["p_adjusted"] < alpha).to_numpy()
    rep = out["representation"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        over = significant & (rep >= ratio)
        under = significant & (rep <= 1 / ratio)
    out["flag"] = np.select([over, under], [FLAG_OVER, FLAG_UNDER], default="")
    return out[VOICE_COLUMNS]


# --- evenness -------------------------------------------------------------------


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def evenness(voices_frame: pd.DataFrame) -> pd.DataFrame:
    """How evenly the voices of each period are spread, alone and against membership.

    Within each period, the ``share`` and ``membership_share`` of the rows
    are first rescaled to sum to 1 (so a subset of groups may be passed).

    - ``pielou_j`` — *équitabilité de Pielou* : ``H / ln K`` with ``H = −Σ s
      ln s`` over the shares and ``K`` the number of groups. En clair : 1
      quand toutes les catégories ont la même part des paroles, 0 quand une
      seule parle. Il ignore le poids des catégories parmi les membres ;
      ``membership_pielou_j`` donne la même mesure pour la composition de la
      SCIC, le niveau qu'atteindraient des paroles proportionnelles.
    - ``similarity`` — *concordance avec la composition* : ``1 − TV`` where
      ``TV = ½ Σ |s − m|`` is the total variation distance between the
      shares and the membership shares (``similarity = Σ min(s, m)``). En
      clair : la part des paroles d'acteurs « à sa place » ; 1 quand chaque
      catégorie est entendue exactement selon son poids, 0,6 quand il
      faudrait réattribuer 40 % des segments (``total_variation``) pour
      retrouver la composition des membres.
    - ``kl_divergence`` — *divergence de Kullback–Leibler* ``Σ s ln(s / m)``
      (nats). En clair : l'information perdue quand on résume les voix
      entendues par la composition des membres ; 0 quand elles coïncident,
      sans borne supérieure (``inf`` si une catégorie sans membre parle).

    Parameters
    ----------
    voices_frame : pandas.DataFrame
        :func:`voices` output, or any frame with ``period, share,
        membership_share``.

    Returns
    -------
    pandas.DataFrame
        One row per period (in the frame's order), columns
        ``EVENNESS_COLUMNS``: ``groups`` (K), ``heard_groups`` (share > 0)
        and the measures above; NaN for a period where nobody is heard
        (and ``pielou_j`` NaN when K < 2).

    Raises
    ------
    ValueError
        When a needed column is missing.
    """
    missing = [c for c in ("period", "share", "membership_share") if c not in voices_frame.columns]
    if missing:
        raise ValueError(f"colonnes manquantes pour l'équitabilité : {', '.join(missing)}.")
    rows = []
    for period, part in voices_frame.groupby("period", sort=False):
        s = part["share"].astype(float).fillna(0).to_numpy()
        m = part["membership_share"].astype(float).fillna(0).to_numpy()
        k = len(part)
        row = {
            "period": period,
            "groups": k,
            "heard_groups": int((s > 0).sum()),
            "pielou_j": np.nan,
            "membership_pielou_j": np.nan,
            "similarity": np.nan,
            "total_variation": np.nan,
            "kl_divergence": np.nan,
        }
        if m.sum() > 0:
            m = m / m.sum()
            if k >= 2:
                row["membership_pielou_j"] = _entropy(m) / np.log(k)
        if s.sum() > 0:
            s = s / s.sum()
            if k >= 2:
                row["pielou_j"] = _entropy(s) / np.log(k)
            if m.sum() > 0:
                tv = 0.5 * float(np.abs(s - m).sum())
                row["total_variation"] = tv
                row["similarity"] = 1.0 - tv
                heard = s > 0
                if (m[heard] == 0).any():
                    row["kl_divergence"] = np.inf
                else:
                    row["kl_divergence"] = float((s[heard] * np.log(s[heard] / m[heard])).sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=EVENNESS_COLUMNS)


# --- table of persons -------------------------------------------------------------


def voices_table(frame: pd.DataFrame, value: str = "persons") -> pd.DataFrame:
    """Wide group (label) × period table of counts, ready for masking.

    ``persons`` counts persons: a report for partners passes the table to
    :func:`~rd_territoriale.privacy.masking.mask_for_audience` (small cells
    and their complements masked). A row total of ``persons`` adds periods:
    a person heard in two periods counts twice (person-periods, not distinct
    persons); say so under the table, or print it with ``totals=False``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`voices`.
    value : {"persons", "segments", "words", "interviews"}
        The count to spread.

    Returns
    -------
    pandas.DataFrame
        Integers, labels as rows (study order), period ids as columns.

    Raises
    ------
    ValueError
        For another ``value``.
    """
    if value not in TABLE_VALUES:
        raise ValueError(f"valeur inconnue : {value!r} ; attendu : {', '.join(TABLE_VALUES)}.")
    rows = list(dict.fromkeys(frame["label"]))
    cols = list(dict.fromkeys(frame["period"]))
    wide = frame.pivot(index="label", columns="period", values=value)
    wide = wide.reindex(index=rows, columns=cols).fillna(0).astype(int)
    wide.index.name, wide.columns.name = None, None
    return wide
