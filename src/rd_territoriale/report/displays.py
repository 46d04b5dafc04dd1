"""French presentation of the cross-period displays: tables and sentences for partners.

Takes the outputs of :mod:`rd_territoriale.analysis` (time-ordered and
role-ordered matrices, meta-matrix, event listing, feu-de-paille rule) and
returns what a report shows: tables with French headers and numbers
(decimal comma, « × » ratios), and Markdown sentences. Nothing is computed
here beyond choosing and formatting rows; nothing is written to a file.
"""

from __future__ import annotations

import pandas as pd

from rd_territoriale.french import french_date, french_number
from rd_territoriale.markup import md
from rd_territoriale.report.narrative import ratio_phrase
from rd_territoriale.report.openings import by_cell, opening, pair_opening


def period_header(periods: pd.DataFrame, period: str, empty: bool = False) -> str:
    """A period introduced in French: id, label, dates, opening event, place in the study.

    With ``empty``, it also says that the period has no material at all.
    """
    order = [str(p) for p in periods["id"]]
    row = periods.iloc[order.index(period)]
    text = (
        f"**{md(row['id'])} — {md(row['label'])}**, du {french_date(row['start'])} au "
        f"{french_date(row['end'])} (période {order.index(period) + 1} sur {len(order)})."
    )
    event = row.get("opening_event")
    if isinstance(event, str) and event:
        text += f" Elle s'ouvre sur un événement qui marque une rupture : *{md(event)}*."
    if empty:
        text += (
            "\n\n*Cette période n'a aucun matériau : ni entretien, ni entrée du journal de terrain, ni "
            "indicateur. Les sections qui suivent le disent tour à tour ; recueillez du matériau daté "
            "dans la période pour les remplir.*"
        )
    return text


def period_codes_table(
    matrix: pd.DataFrame,
    effects: pd.DataFrame,
    labels: dict[str, str],
    period: str,
    passages: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The codes of one period: passages, rate, change from the previous period, a quote.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`~rd_territoriale.analysis.matrices.time_ordered_matrix` (its
        quotes already respect consent for the report's audience).
    effects : pandas.DataFrame
        :func:`~rd_territoriale.analysis.models.successive_effects`.
    labels : dict
        Code → French label.
    period : str
        The period shown.
    passages : pandas.DataFrame, optional
        :func:`~rd_territoriale.analysis.matrices.cell_passages`: each
        « Passages » cell then opens onto up to three of them
        (:class:`~rd_territoriale.report.openings.Opening`), and the
        « Citation » column, which they replace, is left out.

    Returns
    -------
    pandas.DataFrame
        French columns « Code », « Passages », « Pour 1 000 mots »,
        « Par rapport à la période précédente », « Citation », the most
        frequent codes first; codes never coded in the period are left out.
    """
    rows = matrix[(matrix["period"] == period) & (matrix["count"] > 0)]
    change = effects[effects["period"] == period].set_index("code")
    rows = rows.sort_values(["rate_per_1000_words", "code"], ascending=[False, True])
    table = pd.DataFrame(
        {
            "Code": rows["code"].map(lambda c: labels.get(c, c)),
            "Passages": rows["count"].astype(int),
            "Pour 1\u00a0000 mots": rows["rate_per_1000_words"].map(lambda v: french_number(v, 2)),
            "Par rapport à la période précédente": rows["code"].map(lambda c: _change_text(change, c)),
            "Citation": rows["quote"].fillna("").replace("", "—"),
        }
    ).reset_index(drop=True)
    if passages is None:
        return table
    cells, none = by_cell(passages)
    table["Passages"] = [
        opening(n, cells.get((c, period), none)) for c, n in zip(rows["code"], rows["count"].astype(int))
    ]
    return table.drop(columns="Citation")


def _change_text(change: pd.DataFrame, code: str) -> str:
    if code not in change.index:
        return "—"
    row = change.loc[code]
    if not row["testable"]:
        return f"non testé : {row['reason']}"
    text = f"×{french_number(row['irr'], 2)}"
    return text + (" (net)" if row["significant"] else " (dans le hasard)")


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The event listing as a French table: date, lane, kind, description."""
    return pd.DataFrame(
        {
            "Date": events["date"].map(lambda d: d.strftime("%d/%m/%Y")),
            "Où": events["lane_label"],
            "Événement": events["kind"],
            "Description": events["description"],
        }
    ).reset_index(drop=True)


def projects_in_period(meta: pd.DataFrame, period: str) -> pd.DataFrame:
    """The meta-matrix column of one period: active projects, activity, main codes, categories."""
    rows = meta[(meta["period"] == period) & meta["active"]]
    participants = rows["mean_participants"].map(lambda v: french_number(v, 0) if pd.notna(v) else "—")
    return pd.DataFrame(
        {
            "Projet": rows["name"],
            "Entrées du journal": rows["journal_entries"].astype(int),
            "Réunions": rows["meetings"].astype(int),
            "Participants par réunion": participants,
            "Thèmes principaux": rows["top_code_labels"].map(", ".join),
            "Catégories présentes": rows["categories"].map(", ".join),
        }
    ).reset_index(drop=True)


def feu_table(feu: pd.DataFrame) -> pd.DataFrame:
    """The feu-de-paille rule, project by project, with the reason in French."""
    return pd.DataFrame(
        {
            "Projet": feu["name"],
            "Périodes d'activité": feu["active_periods"].astype(int),
            "Pic d'activité": feu["peak_period"].fillna("—"),
            "Dernière période / pic": feu["last_to_peak"].map(
                lambda v: f"{round(100 * v)}\u00a0%" if pd.notna(v) else "—"
            ),
            "Feu de paille": feu["flagged"].map({True: "oui", False: "non"}),
            "Pourquoi": feu["reason"],
        }
    ).reset_index(drop=True)


def role_findings(
    matrix: pd.DataFrame, labels: dict[str, str], period: str | None = None, min_size: int = 5, alpha: float = 0.05
) -> str:
    """What a category says markedly more (or less) than the others, as Markdown bullets.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`~rd_territoriale.analysis.roles.role_ordered_matrix`.
    labels : dict
        Code → French label.
    period : str, optional
        Only this period (every period by default, the period then named).
    min_size : int
        Categories heard through fewer persons are flagged as such: the
        finding rests on few voices (the number itself is not printed).
    alpha : float
        Threshold on the Benjamini–Hochberg adjusted p-value.

    Returns
    -------
    str
        One bullet per over- or under-representation that stays after
        correction, strongest first, or a sentence saying there is none;
        then the categories not tested for want of persons, by period.
    """
    scope = matrix if period is None else matrix[matrix["period"] == period]
    untested = _untested_categories(scope, period)
    rows = scope[(scope["p_adjusted"] < alpha).fillna(False)]
    if rows.empty:
        return (
            "Aucune catégorie ne se distingue nettement des autres sur un code, une fois "
            "corrigées les comparaisons multiples." + untested
        )
    rows = rows.assign(_strength=rows["over_representation"].map(lambda v: max(v, 1 / v) if v > 0 else float("inf")))
    bullets = []
    for _, row in rows.sort_values(["_strength", "code"], ascending=[False, True]).iterrows():
        when = "" if period is not None else f" en {md(row['period'])}"
        few = " (sur la parole de peu de personnes)" if row["speakers"] < min_size else ""
        ratio = ratio_phrase(row["over_representation"]).replace("fréquent", "souvent")
        bullets.append(
            f"- **{md(row['category_label'])}**{when} : « {md(labels.get(row['code'], row['code']))} » revient "
            f"{ratio} que chez les autres catégories{few}."
        )
    return "\n".join(bullets) + ("\n\n" + untested.strip() if untested else "")


def _untested_categories(scope: pd.DataFrame, period: str | None) -> str:
    """« Non testées… »: the categories heard through too few persons to test, per period."""
    if "reason" not in scope:
        return ""
    few = scope[scope["reason"].astype(str).str.contains("personnes entendues dans la période", regex=False)]
    alone = scope[scope["reason"].astype(str).str.contains("dans les autres catégories", regex=False)]
    out = ""
    for rows, head in (
        (few, " Catégories entendues à travers moins de trois personnes, non testées : "),
        (alone, " Non testées faute d'autres catégories à comparer (moins de trois personnes entendues ailleurs) : "),
    ):
        if rows.empty:
            continue
        parts = []
        for when, part in rows.groupby("period", sort=False):
            labels = ", ".join(md(v) for v in dict.fromkeys(part["category_label"].astype(str)))
            parts.append(labels if period is not None else f"{labels} en {md(when)}")
        out += head + " ; ".join(parts) + "."
    return out + (" Leurs écarts ne sont ni retenus ni écartés." if out else "")


def top_pairs(cooc: pd.DataFrame, period: str, n: int = 8, min_count: int = 3) -> pd.DataFrame:
    """The rows of ``cooc`` that :func:`top_pairs_table` shows, in its order."""
    rows = cooc[(cooc["period"] == period) & (cooc["count"] >= min_count)]
    return rows.sort_values(["lift", "count", "code_a", "code_b"], ascending=[False, False, True, True]).head(n)


def top_pairs_table(
    cooc: pd.DataFrame,
    period: str,
    labels: dict[str, str],
    n: int = 8,
    min_count: int = 3,
    passages: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The pairs of codes that meet most often in a period, beyond what their frequencies explain.

    Parameters
    ----------
    cooc : pandas.DataFrame
        :func:`~rd_territoriale.analysis.cooccurrence.cooccurrence` in
        ``source`` mode (with ``lift``).
    period : str
        The period shown.
    labels : dict
        Code → French label.
    n : int
        At most this many pairs, highest ``lift`` first (ties: more sources).
    min_count : int
        Pairs met in fewer sources are left out (a lift on 1 or 2 sources
        means nothing).
    passages : pandas.DataFrame, optional
        :func:`~rd_territoriale.analysis.cooccurrence.pair_passages` of
        :func:`top_pairs` (same arguments): each « Sources en commun » cell
        then opens onto up to three passages of the pair.

    Returns
    -------
    pandas.DataFrame
        « Codes », « Sources en commun », « Indice de Jaccard », « Rapport à
        l'attendu ».
    """
    rows = top_pairs(cooc, period, n, min_count)
    shared = rows["count"].astype(int)
    if passages is not None:
        shared = [
            pair_opening(k, period, a, b, passages, labels)
            for k, a, b in zip(rows["count"].astype(int), rows["code_a"], rows["code_b"])
        ]
    return pd.DataFrame(
        {
            "Codes": [f"{labels.get(a, a)} + {labels.get(b, b)}" for a, b in zip(rows["code_a"], rows["code_b"])],
            "Sources en commun": shared,
            "Indice de Jaccard": rows["jaccard"].map(lambda v: french_number(v, 2)),
            "Rapport à l'attendu": rows["lift"].map(lambda v: f"×{french_number(v, 1)}" if pd.notna(v) else "—"),
        }
    ).reset_index(drop=True)


def pair_changes_text(changes: pd.DataFrame, labels: dict[str, str], after: str | None = None) -> str:
    """The pairs that appear or vanish between successive periods, as Markdown.

    Parameters
    ----------
    changes : pandas.DataFrame
        :func:`~rd_territoriale.analysis.cooccurrence.pair_changes` (flagged rows).
    labels : dict
        Code → French label.
    after : str, optional
        Only the transitions into this period.
    """
    rows = changes if after is None else changes[changes["after"] == after]
    rows = rows[rows["change"].isin(["apparition", "disparition"])]
    if rows.empty:
        return (
            "Aucune paire de codes n'apparaît ni ne disparaît nettement d'une période à la "
            "suivante : les rencontres entre codes restent dans les variations du hasard."
        )
    verbs = {"apparition": "apparaît", "disparition": "disparaît"}
    return "\n".join(
        f"- « {md(labels.get(r['code_a'], r['code_a']))} » et « {md(labels.get(r['code_b'], r['code_b']))} » : "
        f"la paire {verbs[r['change']]} en {md(r['after'])} ({r['count_before']} source(s) en commun en "
        f"{md(r['before'])}, {r['count_after']} en {md(r['after'])})."
        for _, r in rows.iterrows()
    )


def unit_periods_table(meta: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One project across the periods (its row of the meta-matrix), periods as rows."""
    rows = meta[meta["unit"] == unit]
    active = rows["active"].astype(bool)

    def when_active(values):
        return [v if ok else "—" for v, ok in zip(values, active)]

    participants = rows["mean_participants"].map(lambda v: french_number(v, 0) if pd.notna(v) else "—")
    return pd.DataFrame(
        {
            "Période": [f"{p} {label}" for p, label in zip(rows["period"], rows["period_label"])],
            "Entrées du journal": when_active(rows["journal_entries"].astype(int).astype(str)),
            "Réunions": when_active(rows["meetings"].astype(int).astype(str)),
            "Participants par réunion": when_active(participants),
            "Thèmes principaux": when_active(rows["top_code_labels"].map(", ".join)),
            "Catégories présentes": when_active(rows["categories"].map(", ".join)),
        }
    ).reset_index(drop=True)
