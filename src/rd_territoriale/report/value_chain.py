"""French presentation of the value-chain report (La Fonda's chaîne de valeur élargie).

Takes the outputs of :mod:`rd_territoriale.analysis.value_chain` and returns
the tables and Markdown partners read: who brings what, which indicators
have no baseline, which results and impacts rest on evidence and which do
not, and the declared cycle. Nothing is computed beyond choosing and
formatting rows; nothing is written to a file.
"""

from __future__ import annotations

import pandas as pd

from rd_territoriale.analysis.value_chain import STAGE_LABELS
from rd_territoriale.french import french_number
from rd_territoriale.markup import md
from rd_territoriale.study.contract import VALUE_CHAIN_STAGES


def key_points(coverage: pd.DataFrame, trajectories: pd.DataFrame, cycle: pd.DataFrame) -> str:
    """The report's first screen: evidence gaps, missing baselines, the declared cycle."""
    bullets = []
    unsupported = coverage[coverage["unsupported"]]
    if len(unsupported):
        bullets.append(
            "**Sans preuve** : "
            + " ; ".join(
                f"« {md(r['label'])} » ({md(r['stage'])}) — {md(r['verdict'])}" for _, r in unsupported.iterrows()
            )
            + "."
        )
    else:
        bullets.append(
            f"**Preuves** : chacun des {len(coverage)} résultats et impacts s'appuie sur au moins un "
            "passage codé ou une entrée du journal de terrain."
        )
    partial = coverage[(~coverage["unsupported"]) & (coverage["supported_periods"] < coverage["periods"])]
    for _, r in partial.iterrows():
        bullets.append(f"**Preuve incomplète** : « {md(r['label'])} » — {md(r['verdict'])}.")
    missing = trajectories[~trajectories["has_baseline"]]["label"].drop_duplicates().tolist()
    if missing:
        bullets.append(
            "**Sans situation de référence** (l'évolution ne peut pas être mesurée par rapport à un "
            "point de départ) : " + ", ".join(f"« {md(m)} »" for m in missing) + "."
        )
    links = cycle.drop_duplicates(["impact", "resource"]) if len(cycle) else cycle
    if len(links):
        bullets.append(
            f"**Cycle** : {len(links)} lien(s) déclaré(s) entre un impact et la ressource qu'il "
            "régénère ; ces liens sont déclarés par l'équipe, les chiffres ne les démontrent pas."
        )
    return "\n".join(f"- {b}" for b in bullets)


def contributions_display(contributions: pd.DataFrame) -> pd.DataFrame:
    """Who brings what: indicators each category contributes to, per stage (all periods added)."""
    wide = contributions.pivot_table(
        index="category_label", columns="stage", values="contributes", aggfunc="sum", sort=False, observed=True
    )
    wide = wide.reindex(columns=[s for s in VALUE_CHAIN_STAGES if s in wide.columns]).fillna(0).astype(int)
    wide = wide.rename(columns=STAGE_LABELS)
    return wide.rename_axis(index="Catégorie", columns="Étape")


def baseline_display(trajectories: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's last value against its baseline, or « pas de situation de référence »."""
    order = {key: i for i, key in enumerate(dict.fromkeys(trajectories["indicator"]))}
    last = trajectories.dropna(subset=["value"]).sort_values("period", kind="mergesort")
    last = last.groupby("indicator", sort=False).tail(1)
    last = last.sort_values("indicator", key=lambda s: s.map(order), kind="mergesort")

    def against(row) -> str:
        if not row["has_baseline"]:
            return row["note"] or "pas de situation de référence"
        ratio = f" (×{row['ratio']:.2f})".replace(".", ",") if pd.notna(row["ratio"]) else ""
        return f"{_value(row['baseline'])} au départ{ratio}"

    return pd.DataFrame(
        {
            "Étape": last["stage"].map(STAGE_LABELS),
            "Indicateur": last["label"],
            "Dernière valeur": [
                f"{_value(v)}{'' if m == 'nombre' else ' ' + str(m)} ({p})"
                for v, m, p in zip(last["value"], last["measure"], last["period"])
            ],
            "Situation de référence": [against(r) for _, r in last.iterrows()],
        }
    ).reset_index(drop=True)


def evidence_display(coverage: pd.DataFrame) -> pd.DataFrame:
    """Results and impacts, with how much qualitative evidence supports them."""
    return pd.DataFrame(
        {
            "Étape": coverage["stage"].map(STAGE_LABELS),
            "Résultat ou impact": coverage["label"],
            "Périodes étayées": [f"{s} sur {n}" for s, n in zip(coverage["supported_periods"], coverage["periods"])],
            "Preuves (citables)": [f"{e} ({q})" for e, q in zip(coverage["n_resolved"], coverage["n_quotable"])],
            "Lecture": coverage["verdict"],
        }
    ).reset_index(drop=True)


def cycle_display(cycle: pd.DataFrame) -> pd.DataFrame:
    """The declared cycle: each impact, the resource it regenerates, and how that resource moved."""
    links = cycle.drop_duplicates(["impact", "resource"])
    return pd.DataFrame(
        {
            "Impact": links["impact_label"],
            "Ressource régénérée": links["resource_label"],
            "Évolution de la ressource": links["resource_trend"],
            "Lecture": links["note"],
        }
    ).reset_index(drop=True)


def evidence_markdown(quotes: pd.DataFrame, label: str) -> str:
    """Quotable evidence passages of one indicator, as Markdown blockquotes."""
    if quotes.empty:
        return f"*« {md(label)} » : aucun passage ne peut être cité ici (pas de preuve, ou citation non autorisée).*"
    blocks = [
        f"> « {md(str(r['text']).strip())} »\n>\n> — *{md(r['attribution'])}, {md(r['period'])}*"
        for _, r in quotes.iterrows()
    ]
    return f"**{md(label)}**\n\n" + "\n\n".join(blocks)


def scope_sentence(trajectories: pd.DataFrame, unit: str | None) -> str:
    """What the report covers: the whole case or one project, and how many indicators."""
    n = trajectories["indicator"].nunique()
    if unit is None:
        return f"Ce rapport couvre l'ensemble du pôle et de ses projets : {n} indicateurs suivis."
    if n == 0:
        return (
            "Aucun indicateur propre à ce projet n'est renseigné : sa contribution se lit dans le rapport "
            "de l'ensemble du pôle."
        )
    if n == 1:
        return "Ce rapport couvre le seul indicateur propre à ce projet."
    return f"Ce rapport couvre les {n} indicateurs propres à ce projet."


def _value(value) -> str:
    """A measured value in French: whole numbers without decimals, others with one; missing → « — »."""
    if pd.isna(value):
        return "—"
    return french_number(value, 0 if float(value).is_integer() else 1)


def evidence_quotes_markdown(case, coverage: pd.DataFrame, audience: str, limit: int = 2) -> str:
    """Quotable evidence of every supported result and impact, as Markdown (consent applies)."""
    from rd_territoriale.analysis.value_chain import evidence_quotes

    return "\n\n".join(
        evidence_markdown(evidence_quotes(case, label, audience=audience, limit=limit), label)
        for label in coverage.loc[~coverage["unsupported"], "label"]
    )
