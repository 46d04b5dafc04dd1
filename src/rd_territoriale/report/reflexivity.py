"""French presentation of the reflexivity report: findings, limits and recommendations.

Takes the outputs of :mod:`rd_territoriale.analysis` (:mod:`~.analysis.voices`,
:mod:`~.analysis.posture`, :mod:`~.analysis.lexicon`, :mod:`~.analysis.codebook`,
:mod:`~.report.limits`, :mod:`~.analysis.signals`, :mod:`~.analysis.trajectories`)
and returns the tables and Markdown that partners read. The three
recommendations follow the field's own reflexive programme: a critical
posture of discernment, a conscious purpose aligned with the configuration
of third-party actors, a healthy and durable organisation. Each states the
evidence it rests on, computed from the data, and quotes the researcher's
reflexive notes only where consent allows (:func:`reflexive_quote`, through
:func:`rd_territoriale.privacy.quotes.quotable`). Nothing is written to a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rd_territoriale.markup import md
from rd_territoriale.privacy.quotes import quotable
from rd_territoriale.report.overview import french_number, french_percent

#: Codes whose reflexive notes illustrate each recommendation.
QUOTE_CODES = {
    "discernement": ("posture_chercheur", "apport_recherche"),
    "finalite": ("role_flou", "gouvernance_partagee", "animation_reseau"),
    "organisation": ("pression_salaries", "surinvestissement", "essoufflement", "tension_financement"),
}
REFLEXIVE_KIND = "note réflexive"


@dataclass
class Recommendation:
    """One recommendation of the report, with the evidence it rests on.

    ``evidence`` and ``advice`` are plain text (they carry labels from the
    study): :meth:`markdown` escapes them. ``quote`` is Markdown already.
    """

    key: str
    title: str
    evidence: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    quote: str = ""

    def markdown(self) -> str:
        """The recommendation as Markdown: evidence, then what to do, then a note of the researcher."""
        parts = ["**Ce que montrent les données**", ""]
        parts += [f"- {md(e)}" for e in self.evidence] or ["- Aucun signal particulier dans les données."]
        parts += ["", "**Ce que nous recommandons**", ""] + [f"- {md(a)}" for a in self.advice]
        if self.quote:
            parts += ["", self.quote]
        return "\n".join(parts)


def voices_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Voices against membership, as a French table (shares, not persons: nothing to mask)."""
    verdict = frame["flag"].replace(
        {"sur-représentation": "sur-représentée", "sous-représentation": "sous-représentée"}
    )
    return pd.DataFrame(
        {
            "Période": frame["period"],
            "Catégorie": frame["label"],
            "Part des paroles d'acteurs": frame["share"].map(lambda v: french_percent(v) if pd.notna(v) else "—"),
            "Part des membres": frame["membership_share"].map(french_percent),
            "Rapport": frame["representation"].map(lambda v: f"×{french_number(v, 2)}" if pd.notna(v) else "—"),
            "Lecture": verdict.replace("", "conforme au poids").fillna("conforme au poids"),
        }
    ).reset_index(drop=True)


def voices_findings(frame: pd.DataFrame) -> str:
    """The flagged over- and under-representations, as Markdown bullets, or a sentence."""
    flagged = frame[frame["flag"] != ""]
    if flagged.empty:
        return (
            "Aucune catégorie n'est nettement sur- ou sous-représentée dans la parole recueillie, "
            "au regard de son poids parmi les membres."
        )
    return "\n".join(
        f"- **{md(r['label'])}** en {md(r['period'])} : {french_percent(r['share'])} des paroles d'acteurs pour "
        f"{french_percent(r['membership_share'])} des membres, soit {french_number(r['representation'], 1)} "
        f"fois son poids ({md(r['flag'])})."
        for _, r in flagged.iterrows()
    )


def source_mix_sentence(mix: pd.DataFrame) -> str:
    """Whose words the analysis rests on: the researcher's notes against the actors' words."""
    from rd_territoriale.study.gaps import GAPS

    mix = mix[mix["researcher_share_segments"].notna()]
    if len(mix) == 0:
        return GAPS["segments"]
    lows, highs = mix["researcher_share_segments"].min(), mix["researcher_share_segments"].max()
    top = mix.loc[mix["researcher_share_segments"].idxmax()]
    return (
        f"Selon la période, de {french_percent(lows)} à {french_percent(highs)} des passages codés "
        f"viennent du chercheur (journal de terrain et questions posées en entretien) ; le reste est la "
        f"parole des acteurs. La part la plus haute est en {md(top['period'])}."
    )


def churn_display(churn: pd.DataFrame) -> pd.DataFrame:
    """Codebook changes, version by version, as a French table."""
    return pd.DataFrame(
        {
            "Versions": [f"{a} → {b}" for a, b in zip(churn["from_version"], churn["to_version"])],
            "Changement": churn["change"],
            "Description": churn["description"],
        }
    ).reset_index(drop=True)


def limits_markdown(limits: pd.DataFrame) -> str:
    """The limits of the analysis, one bullet each, as the data state them."""
    return "\n".join(
        f"- **{md(topic)}** : {md(sentence)}" for topic, sentence in zip(limits["topic"], limits["sentence"])
    )


def reflexive_quote(case, codes, audience: str, period: str | None = None) -> str:
    """The most recent quotable reflexive note coded with one of ``codes``, as a Markdown blockquote.

    Only notes whose consent allows quoting for ``audience`` are considered
    (:func:`~rd_territoriale.privacy.quotes.quotable`); the passage quoted is
    the coded segment, attributed to the researcher's journal. Empty string
    when no such note may be quoted.
    """
    journal = case.journal
    notes = journal[(journal["kind"] == REFLEXIVE_KIND).fillna(False).to_numpy()]
    if period is not None:
        notes = notes[notes["period"] == period]
    segments = case.segments[
        case.segments["source"].isin(list(notes["id"])).to_numpy() & case.segments["code"].isin(list(codes)).to_numpy()
    ]
    allowed = quotable(case, segments, audience)
    if allowed.empty:
        return ""
    dates = dict(zip(notes["id"], notes["date"]))
    allowed = allowed.assign(date=allowed["source"].map(dates)).sort_values(["date", "id"], ascending=[False, True])
    row = allowed.iloc[0]
    when = row["date"].strftime("%m/%Y") if pd.notna(row["date"]) else row["period"]
    return f"> « {md(str(row['text']).strip())} »\n>\n> — *Note réflexive du journal de terrain, {md(when)}*"


def recommendations(
    *,
    trend: pd.DataFrame,
    voices: pd.DataFrame,
    uptake: list[str],
    signal: dict,
    feu: pd.DataFrame,
    quotes: dict[str, str],
) -> list[Recommendation]:
    """The three recommendations of the reflexivity report, each with its evidence.

    Parameters
    ----------
    trend : pandas.DataFrame
        :func:`~rd_territoriale.analysis.posture.role_trend`.
    voices : pandas.DataFrame
        :func:`~rd_territoriale.analysis.voices.voices`.
    uptake : list of str
        Terms of the research lexicon that actors took up after the
        researcher's first use (from :mod:`~rd_territoriale.analysis.lexicon`).
    signal : dict
        :func:`~rd_territoriale.analysis.signals.cout_que_coute`.
    feu : pandas.DataFrame
        :func:`~rd_territoriale.analysis.trajectories.feu_de_paille`.
    quotes : dict
        Recommendation key (``discernement``, ``finalite``, ``organisation``)
        → a quote from :func:`reflexive_quote` (may be empty).

    Returns
    -------
    list of Recommendation
    """
    return [
        _discernment(trend, uptake, quotes.get("discernement", "")),
        _purpose(voices, quotes.get("finalite", "")),
        _organisation(signal, feu, quotes.get("organisation", "")),
    ]


def _row(trend: pd.DataFrame, measure: str):
    rows = trend[trend["measure"] == measure]
    return rows.iloc[0] if len(rows) else None


def _discernment(trend, uptake, quote) -> Recommendation:
    rec = Recommendation("discernement", "Adopter une posture critique de discernement")
    acting = _row(trend, "acteur")
    if acting is not None and acting["testable"]:
        rec.evidence.append(acting["verdict"])
    if uptake:
        terms = ", ".join(f"« {t} »" for t in uptake)
        rec.evidence.append(
            f"Des mots apportés par la recherche sont repris par les acteurs après que le "
            f"chercheur les a employés : {terms}."
        )
    drifting = acting is not None and acting["significant"] and acting["direction"] == "hausse"
    if drifting:
        rec.advice.append(
            "Ménager des moments de réflexivité : après chaque comité ou atelier où le chercheur "
            "agit, une note réflexive qui distingue ce qu'il a observé de ce qu'il a proposé."
        )
        rec.advice.append(
            "Faire relire ces notes par une personne extérieure au pôle (comité de suivi de la "
            "thèse, laboratoire partenaire) au moins une fois par période."
        )
    else:
        rec.advice.append(
            "Continuer à tenir des notes réflexives et à dire, en réunion, quand le chercheur "
            "observe et quand il propose."
        )
    if uptake:
        rec.advice.append(
            "Signaler, dans les documents partagés, les mots qui viennent de la recherche, pour "
            "que chacun sache d'où vient le vocabulaire qu'il emploie."
        )
    rec.quote = quote
    return rec


def _purpose(voices, quote) -> Recommendation:
    rec = Recommendation("finalite", "Aligner une finalité consciente avec la configuration des acteurs tiers")
    over = voices[voices["flag"] == "sur-représentation"]
    under = voices[voices["flag"] == "sous-représentation"]
    for _, r in over.iterrows():
        rec.evidence.append(
            f"{r['label']} : {french_percent(r['share'])} des paroles en {r['period']} pour "
            f"{french_percent(r['membership_share'])} des membres."
        )
    for _, r in under.iterrows():
        rec.evidence.append(
            f"{r['label']} : seulement {french_percent(r['share'])} des paroles en {r['period']} "
            f"pour {french_percent(r['membership_share'])} des membres."
        )
    if len(over) or len(under):
        quiet = voices[voices["period"].isin(set(over["period"]) | set(under["period"]))]
        quiet = quiet[quiet["representation"] < 1]["label"].drop_duplicates().tolist()
        if quiet:
            rec.advice.append(
                "Rééquilibrer les entretiens de la prochaine période vers les catégories moins "
                "entendues : " + ", ".join(quiet) + "."
            )
        rec.advice.append(
            "Présenter chaque résultat avec la part de chaque collège dans la parole recueillie, "
            "pour que les membres et partenaires voient d'où il vient."
        )
    else:
        rec.advice.append(
            "Garder l'équilibre actuel des voix : à chaque période, choisir les entretiens en "
            "regardant le poids de chaque collège de la SCIC."
        )
    rec.advice.append(
        "Associer les collèges peu entendus à la restitution des résultats et à la définition "
        "des questions de la période suivante."
    )
    rec.quote = quote
    return rec


def _organisation(signal, feu, quote) -> Recommendation:
    rec = Recommendation("organisation", "Choisir de construire une organisation saine et durable")
    if signal.get("flagged"):
        rec.evidence.append(f"Logique du « coûte que coûte » : {signal['reason']}.")
    for _, r in feu[feu["flagged"]].iterrows():
        rec.evidence.append(f"{r['name']} : schéma du feu de paille ({r['reason']}).")
    if signal.get("flagged"):
        rec.advice.append(
            "Suivre la charge de travail des salariés comme un indicateur du pôle, discuté en "
            "conseil d'administration, et fixer ce qui ne sera pas fait quand la charge dépasse "
            "ce qui a été convenu."
        )
    if feu["flagged"].any():
        rec.advice.append(
            "Prévoir pour chaque projet des points d'étape où l'on décide, ensemble, de "
            "poursuivre, de transformer ou d'arrêter, plutôt que de laisser l'élan s'éteindre."
        )
    if not rec.advice:
        rec.advice.append("Continuer à suivre la charge des salariés et l'élan des projets à chaque période.")
    rec.quote = quote
    return rec


def uptake_terms(summary: pd.DataFrame) -> list[str]:
    """Terms that actors took up after the researcher's first use (lexicon summary)."""
    from rd_territoriale.analysis.lexicon import UPTAKE

    return summary.loc[summary["verdict"] == UPTAKE, "term"].tolist()


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if pd.notna(value) else "—"


def lexicon_display(summary: pd.DataFrame, categories: dict[str, str]) -> pd.DataFrame:
    """The research lexicon, term by term: first uses, actors' share before and after, verdict."""
    first_actor = [
        f"{_date(d)} ({categories.get(c, c)})" if pd.notna(d) else "—"
        for d, c in zip(summary["actor_first_date"], summary["actor_first_category"])
    ]
    return pd.DataFrame(
        {
            "Terme": summary["term"],
            "Première utilisation par le chercheur": summary["researcher_first_date"].map(_date),
            "Première utilisation par un acteur": first_actor,
            "Passages d'acteurs qui l'emploient, avant": summary["actor_share_before"].map(
                lambda v: french_percent(v) if pd.notna(v) else "—"
            ),
            "… et après": summary["actor_share_after"].map(lambda v: french_percent(v) if pd.notna(v) else "—"),
            "Lecture": summary["verdict"],
        }
    ).reset_index(drop=True)


def first_use_by_category(categories: pd.DataFrame, term: str) -> pd.DataFrame:
    """When each stakeholder category first used a term (periods only: no count of persons)."""
    rows = categories[categories["term"] == term]
    when = [
        ("—" if pd.isna(p) else f"{p}, avant le chercheur" if before else p)
        for p, before in zip(rows["first_period"], rows["before_researcher"].fillna(False))
    ]
    return pd.DataFrame({"Catégorie": rows["category_label"], "Première utilisation": when}).reset_index(drop=True)


def key_points(trend: pd.DataFrame, voices: pd.DataFrame, summary: pd.DataFrame) -> str:
    """The reflexivity report's first screen: posture, voices, lexicon, as Markdown bullets."""
    bullets = []
    acting = _row(trend, "acteur")
    if acting is not None and acting["testable"]:
        bullets.append(f"**Posture** : {md(acting['verdict'])}")
    flagged = voices[voices["flag"] != ""]
    if len(flagged):
        said = " ; ".join(
            f"{md(r['label'])} en {md(r['period'])} ({french_number(r['representation'], 1)} fois "
            f"son poids, {md(r['flag'])})"
            for _, r in flagged.iterrows()
        )
        bullets.append(f"**Voix** : {said}.")
    else:
        bullets.append(
            "**Voix** : aucune catégorie nettement sur- ou sous-représentée au regard de son poids parmi les membres."
        )
    taken = uptake_terms(summary)
    if taken:
        rows = summary[summary["term"].isin(taken)]
        said = " ; ".join(
            f"« {md(r['term'])} », employé d'abord par le chercheur le {_date(r['researcher_first_date'])}, "
            f"puis par {french_percent(r['actor_share_after'])} des passages d'acteurs"
            for _, r in rows.iterrows()
        )
        bullets.append(f"**Empreinte de la recherche** : {said}.")
    else:
        bullets.append(
            "**Empreinte de la recherche** : aucun terme du lexique de la recherche n'a été repris par "
            "les acteurs après son introduction par le chercheur."
        )
    return "\n".join(f"- {b}" for b in bullets)


def notes_per_period(notes: pd.DataFrame, journal: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Reflexive notes per period, and their share of the period's journal entries."""
    ids = [str(p) for p in periods["id"]]
    count = notes["period"].value_counts().reindex(ids, fill_value=0)
    entries = journal["period"].value_counts().reindex(ids, fill_value=0)
    return pd.DataFrame(
        {
            "Période": [f"{p} {label}" for p, label in zip(periods["id"], periods["label"])],
            "Notes réflexives": count.to_numpy().astype(int),
            "Part des entrées du journal": [french_percent(n / e) if e else "—" for n, e in zip(count, entries)],
        }
    )


def talk_sentence(talk: pd.DataFrame) -> str:
    """The researcher's share of the coded talk inside interviews, from least to most."""
    if talk.empty or talk["words"].sum() == 0:
        from rd_territoriale.study.gaps import GAPS

        return (
            "Aucun entretien dont les personnes qui parlent sont connues : la part du chercheur n'est pas "
            "mesurable. " + GAPS["speakers"]
        )
    low, high = talk["researcher_share_words"].min(), talk["researcher_share_words"].max()
    span = (
        french_percent(low)
        if round(100 * low) == round(100 * high)
        else f"de {french_percent(low)} à {french_percent(high)}"
    )
    return (
        f"Dans les entretiens, le chercheur prend {span} des mots des passages codés selon la période "
        f"(ses questions et relances) : le reste est la parole des personnes interrogées."
    )


def evenness_display(evenness: pd.DataFrame) -> pd.DataFrame:
    """How close the voices heard are to the membership, period by period, as a French table."""
    return pd.DataFrame(
        {
            "Période": evenness["period"],
            "Catégories entendues": [f"{h} sur {g}" for h, g in zip(evenness["heard_groups"], evenness["groups"])],
            "Proximité avec les membres": evenness["similarity"].map(
                lambda v: french_percent(v) if pd.notna(v) else "—"
            ),
            "Équitabilité des voix (Pielou)": evenness["pielou_j"].map(
                lambda v: french_number(v, 2) if pd.notna(v) else "—"
            ),
        }
    ).reset_index(drop=True)


def colleges_table(case, period: str | None = None) -> pd.DataFrame | None:
    """Voices by SCIC college, when colleges group several categories; ``None`` when they match one to one.

    A college that holds a single category would repeat the category table:
    the report shows the college view only when it says something new.
    """
    from rd_territoriale.analysis.voices import voices

    categories = case.study.categories
    if "college" not in categories or categories["college"].nunique() >= len(categories):
        return None
    return voices_display(voices(case, by="college", period=period))


def trend_markdown(trend, limit: int = 3) -> str:
    """The verdicts of the role trends that could be tested, as Markdown bullets (the main ones first)."""
    return "\n".join(f"- {md(v)}" for v in trend.loc[trend["testable"], "verdict"].head(limit))


def lexicon_trend(diffusion, periods) -> tuple[pd.DataFrame, dict[str, str]]:
    """What :func:`rd_territoriale.figures.lexicon_plot` draws, for the periods shown.

    Returns
    -------
    frame : pandas.DataFrame
        ``term, period, share`` (actors' share) for ``periods``.
    first_use : dict
        Term → period of the researcher's first use (NA when never used).
    """
    shown = diffusion.periods[diffusion.periods["period"].isin(list(periods))]
    first_use = dict(zip(diffusion.summary["term"], diffusion.summary["researcher_first_period"]))
    return shown.rename(columns={"actor_share": "share"}), first_use
