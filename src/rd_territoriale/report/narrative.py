"""French sentences that tell partners what changed from one period to the next.

Turns the outputs of :mod:`rd_territoriale.analysis.models`
(:func:`~rd_territoriale.analysis.models.successive_effects`),
:mod:`~rd_territoriale.analysis.trajectories` (the feu-de-paille rule) and
:mod:`~rd_territoriale.analysis.signals` (the coûte-que-coûte signal) into
Markdown a partner reads without statistics: « 3,8 fois plus fréquent qu'en
P2 », with the 95 % interval in parentheses. Only what the analyses flag is
said; nothing is computed here, and nothing is written to a file.
"""

from __future__ import annotations

import math

import pandas as pd

from rd_territoriale.markup import md
from rd_territoriale.report.overview import french_number

#: Column labels of :func:`effects_table`.
EFFECT_LABELS = {
    "code_label": "Code",
    "period_label": "Période",
    "reference": "Comparée à",
    "count": "Passages",
    "reference_count": "Passages (réf.)",
    "ratio": "Rapport des taux",
    "interval": "IC 95 %",
    "p_adjusted": "p ajusté (BH)",
    "verdict": "Lecture",
}


def ratio_phrase(irr: float) -> str:
    """``3.8`` → « 3,8 fois plus fréquent », ``0.29`` → « 3,4 fois moins fréquent »."""
    if irr >= 1:
        return f"{french_number(irr, 1)} fois plus fréquent"
    if not irr > 0:  # no passage at all on one side: no finite ratio to write
        return "absent ici, présent ailleurs (rapport non chiffrable)"
    return f"{french_number(1 / irr, 1)} fois moins fréquent"


def interval_phrase(low: float, high: float) -> str:
    """The 95 % interval of a rate ratio, in the words of :func:`ratio_phrase`.

    ``(2.8, 5.1)`` → « IC 95 % : 2,8 à 5,1 fois plus » ; a fall is read as
    « fois moins », ``(0.22, 0.39)`` → « IC 95 % : 2,6 à 4,5 fois moins ».
    """
    if high < 1:
        return f"IC 95\u00a0% : {french_number(1 / high, 1)} à {french_number(1 / low, 1)} fois moins"
    if low >= 1:
        return f"IC 95\u00a0% : {french_number(low, 1)} à {french_number(high, 1)} fois plus"
    return f"IC 95\u00a0% : de {french_number(1 / low, 1)} fois moins à {french_number(high, 1)} fois plus"


def _period_names(periods: pd.DataFrame) -> dict[str, str]:
    return {str(p): f"{md(p)} « {md(label)} »" for p, label in zip(periods["id"], periods["label"])}


def describe_change(row: pd.Series, periods: pd.DataFrame) -> str:
    """One transition of one code: direction, size, interval, against which period.

    Parameters
    ----------
    row : pandas.Series
        A row of :func:`~rd_territoriale.analysis.models.successive_effects`
        (or ``period_effects``).
    periods : pandas.DataFrame
        ``id, label`` of the study's periods.
    """
    names = _period_names(periods)
    direction = "en hausse" if row["irr"] >= 1 else "en baisse"
    return (
        f"{direction} en {names.get(row['period'], md(row['period']))} "
        f"({ratio_phrase(row['irr'])} qu'en {md(row['reference'])} ; "
        f"{interval_phrase(row['ci_low'], row['ci_high'])})"
    )


def _strength(rows: pd.DataFrame) -> float:
    return float(rows["irr"].map(lambda v: abs(math.log(v))).max())


def code_changes(
    effects: pd.DataFrame, labels: dict[str, str], periods: pd.DataFrame, period: str | None = None
) -> list[str]:
    """One Markdown bullet per code that changed significantly, strongest first.

    Parameters
    ----------
    effects : pandas.DataFrame
        :func:`~rd_territoriale.analysis.models.successive_effects`.
    labels : dict
        Code → French label (:func:`rd_territoriale.analysis.codebook.code_labels`).
    periods : pandas.DataFrame
        ``id, label`` of the periods.
    period : str, optional
        Keep only the changes into this period (a period's own report).

    Returns
    -------
    list of str
        Bullets such as « **Tension sur le financement** : en hausse en P3
        « … » (3,8 fois plus fréquent qu'en P2 ; IC 95 % : 2,8 à 5,1), puis
        en baisse en P4 … ».
    """
    flagged = effects[effects["significant"]]
    if period is not None:
        flagged = flagged[flagged["period"] == period]
    order = [str(p) for p in periods["id"]]
    groups = sorted(flagged.groupby("code", sort=True), key=lambda item: -_strength(item[1]))
    bullets = []
    for code, rows in groups:
        rows = rows.sort_values("period", key=lambda s: s.map(order.index))
        parts = [describe_change(row, periods) for _, row in rows.iterrows()]
        bullets.append(f"**{md(labels.get(code, code))}** : " + ", puis ".join(parts) + ".")
    return bullets


def project_changes(feu: pd.DataFrame) -> list[str]:
    """One bullet per project flagged by the feu-de-paille rule."""
    return [
        f"**{md(row['name'])}** : schéma du *feu de paille* ({md(row['reason'])})."
        for _, row in feu[feu["flagged"]].iterrows()
    ]


def signal_changes(signal: dict) -> list[str]:
    """One bullet when the coûte-que-coûte signal is raised, else none."""
    if not signal or not signal.get("flagged"):
        return []
    return [f"**Logique du « coûte que coûte »** : {md(signal['reason'])}."]


def signal_sentence(signal: dict) -> str:
    """The verdict of the coûte-que-coûte rule, in French, whether raised or not."""
    if signal.get("flagged"):
        return f"**Signal levé.** {md(signal['reason'])}."
    return f"**Pas de signal.** {md(signal.get('reason', ''))}."


def feu_sentence(feu: pd.DataFrame, unit: str | None = None) -> str:
    """The verdict of the feu-de-paille rule for the flagged projects, or for one project."""
    if unit is None:
        return "\n".join(f"- {bullet}" for bullet in project_changes(feu))
    row = feu[feu["unit"] == unit].iloc[0]
    if row["flagged"]:
        return f"**Ce projet suit le schéma du feu de paille** : {md(row['reason'])}."
    return f"**Pas de feu de paille pour ce projet** : {md(row['reason'])}."


def key_changes(
    effects: pd.DataFrame,
    labels: dict[str, str],
    periods: pd.DataFrame,
    feu: pd.DataFrame | None = None,
    signal: dict | None = None,
    period: str | None = None,
    limit: int = 6,
) -> str:
    """The main changes between periods, as a short Markdown list for a report's first screen.

    Parameters
    ----------
    effects, labels, periods, period
        See :func:`code_changes`.
    feu : pandas.DataFrame, optional
        :func:`~rd_territoriale.analysis.trajectories.feu_de_paille`.
    signal : dict, optional
        :func:`~rd_territoriale.analysis.signals.cout_que_coute`.
    limit : int
        At most this many code bullets (the strongest changes); the number
        left out is said.

    Returns
    -------
    str
        Markdown: the bullets, then one sentence saying how a change is
        retained; or a sentence saying that nothing changed significantly.
    """
    if len(periods) < 2:
        from rd_territoriale.study.gaps import GAPS

        return GAPS["periods"]
    if period is not None and str(periods["id"].iloc[0]) == period:
        return (
            "C'est la première période de l'étude : elle sert de point de départ, les périodes "
            "suivantes lui sont comparées."
        )
    codes = code_changes(effects, labels, periods, period)
    bullets = (
        codes[:limit]
        + project_changes(feu if feu is not None else pd.DataFrame(columns=["flagged"]))
        + signal_changes(signal or {})
    )
    rule = (
        "Un changement est retenu quand le rapport des taux (passages codés pour 1\u00a0000 mots "
        "d'entretien, d'une période à la précédente) reste net après correction pour comparaisons "
        "multiples (Benjamini-Hochberg, 5\u00a0%). Chaque entretien compte pour une observation, "
        "et l'incertitude tient compte des écarts entre entretiens ; une période ou un code avec trop "
        "peu d'entretiens n'est pas testé."
    )
    if not bullets:
        return (
            "Aucun changement net d'une période à la précédente : les écarts observés restent "
            "dans les variations attendues du hasard. " + rule
        )
    text = "\n".join(f"- {b}" for b in bullets)
    if len(codes) > limit:
        text += f"\n- … et {len(codes) - limit} autre(s) code(s) en hausse ou en baisse (voir plus bas)."
    return text + "\n\n" + rule


def effects_table(effects: pd.DataFrame, labels: dict[str, str], periods: pd.DataFrame) -> pd.DataFrame:
    """The rate ratios of every code, as a French table (one row per code × period).

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`EFFECT_LABELS` (rename them with it for display),
        strings formatted in French; untestable rows say why in ``verdict``.
    """
    names = dict(zip(periods["id"].astype(str), periods["label"]))
    out = pd.DataFrame(
        {
            "code_label": effects["code"].map(lambda c: labels.get(c, c)),
            "period_label": effects["period"].map(lambda p: f"{p} {names.get(p, '')}".strip()),
            "reference": effects["reference"],
            "count": effects["count"].astype(int),
            "reference_count": effects["reference_count"].astype(int),
        }
    )
    testable = effects["testable"].astype(bool)
    out["ratio"] = effects["irr"].map(lambda v: f"×{french_number(v, 2)}" if pd.notna(v) else "")
    out["interval"] = [
        f"{french_number(lo, 2)} à {french_number(hi, 2)}" if ok else ""
        for lo, hi, ok in zip(effects["ci_low"], effects["ci_high"], testable)
    ]
    out["p_adjusted"] = effects["p_adjusted"].map(_p_text)
    out["verdict"] = [
        ("hausse nette" if irr >= 1 else "baisse nette") if sig else ("pas d'écart net" if ok else reason)
        for irr, sig, ok, reason in zip(effects["irr"], effects["significant"], testable, effects["reason"])
    ]
    return out.reset_index(drop=True)


def _p_text(p: float) -> str:
    if pd.isna(p):
        return ""
    if p < 0.001:
        return "< 0,001"
    return french_number(p, 3)


def net_effects(effects: pd.DataFrame, labels: dict[str, str], periods: pd.DataFrame):
    """The table of changes that survive correction, and a note on the comparisons not tested.

    Returns
    -------
    table : pandas.DataFrame or None
        :func:`effects_table` of the significant rows, ``None`` when there is none.
    note : str
        French note counting the untestable comparisons, or ``""``.
    """
    net = effects[effects["significant"]]
    table = effects_table(net, labels, periods) if len(net) else None
    untested = int((~effects["testable"].astype(bool)).sum())
    note = (
        (
            f"*{untested} comparaison(s) n'ont pas pu être testées (trop peu de passages ou pas d'entretien dans "
            "une période) : elles ne figurent pas sur la figure.*"
        )
        if untested
        else ""
    )
    return table, note
