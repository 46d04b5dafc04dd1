"""French presentation of the reliability report: agreement tables, drift, disagreements.

Takes the outputs of :mod:`rd_territoriale.analysis.reliability` and returns
the tables and Markdown the research team reads before a consensus meeting.
Nothing is computed here beyond choosing and formatting rows; nothing is
written to a file (the full disagreement list is exported by
``rd-territoriale desaccords``).
"""

from __future__ import annotations

import pandas as pd

from rd_territoriale.markup import md
from rd_territoriale.report.overview import french_number, french_percent

OVERALL = "ensemble"


def _kappa(row) -> str:
    if pd.isna(row["cohen_kappa"]):
        return "—"
    return (
        f"{french_number(row['cohen_kappa'], 2)} ({french_number(row['kappa_ci_low'], 2)} à "
        f"{french_number(row['kappa_ci_high'], 2)})"
    )


def agreement_display(agreement: pd.DataFrame) -> pd.DataFrame:
    """Agreement per code (overall row last), as a French table, least reliable code first."""
    codes = agreement[agreement["code"] != OVERALL].sort_values(["krippendorff_alpha", "code"], na_position="first")
    rows = pd.concat([codes, agreement[agreement["code"] == OVERALL]])
    return pd.DataFrame(
        {
            "Code": rows["label"],
            "Passages codés": rows["units_coded"].astype(int),
            "Même passage, même code": rows["primary_confirmed"].map(
                lambda v: french_percent(v) if pd.notna(v) else "—"
            ),
            "Accord brut": rows["percent_agreement"].map(lambda v: french_percent(v) if pd.notna(v) else "—"),
            "Kappa de Cohen (IC 95 %)": [_kappa(r) for _, r in rows.iterrows()],
            "Alpha de Krippendorff": rows["krippendorff_alpha"].map(
                lambda v: french_number(v, 3) if pd.notna(v) else "—"
            ),
            "Statut": [s if not reason else f"{s} : {reason}" for s, reason in zip(rows["status"], rows["reason"])],
        }
    ).reset_index(drop=True)


def key_points(agreement: pd.DataFrame) -> str:
    """The report's first screen: overall alpha and status, then the codes below .667 and .800."""
    overall = agreement[agreement["code"] == OVERALL]
    codes = agreement[(agreement["code"] != OVERALL) & agreement["krippendorff_alpha"].notna()]
    bullets = []
    if len(overall) and pd.notna(overall["krippendorff_alpha"].iloc[0]):
        row = overall.iloc[0]
        bullets.append(
            f"**Ensemble des codes** : alpha de Krippendorff {french_number(row['krippendorff_alpha'], 3)}, "
            f"{md(row['status'])} (seuils 0,667 et 0,800), sur {row['units']} passages."
        )
    else:
        bullets.append(
            "**Ensemble des codes** : accord non calculable (il faut au moins deux codeurs sur les mêmes sources)."
        )
    weak = codes[codes["krippendorff_alpha"] < 0.667].sort_values("krippendorff_alpha")
    tentative = codes[(codes["krippendorff_alpha"] >= 0.667) & (codes["krippendorff_alpha"] < 0.8)]
    if len(weak):
        bullets.append(
            "**Non fiables** (alpha sous 0,667 : ces codes ne peuvent pas fonder de conclusion) : "
            + ", ".join(
                f"« {md(r['label'])} » ({french_number(r['krippendorff_alpha'], 2)})" for _, r in weak.iterrows()
            )
            + "."
        )
    if len(tentative):
        bullets.append(
            "**Conclusions provisoires** (alpha entre 0,667 et 0,800) : "
            + ", ".join(
                f"« {md(r['label'])} » ({french_number(r['krippendorff_alpha'], 2)})" for _, r in tentative.iterrows()
            )
            + "."
        )
    fine = len(codes) - len(weak) - len(tentative)
    bullets.append(f"**Fiables** : {fine} code(s) sur {len(codes)} atteignent 0,800.")
    return "\n".join(f"- {b}" for b in bullets)


def drift_display(by_period: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Krippendorff's alpha per code and period (the codes below .800 in some period, and the overall row)."""
    wide = by_period.pivot(index="label", columns="period", values="krippendorff_alpha")
    wide = wide.reindex(columns=[p for p in periods["id"] if p in wide.columns])
    overall_label = by_period.loc[by_period["code"] == OVERALL, "label"]
    keep = wide.index[(wide < 0.8).any(axis=1)].tolist()
    keep += [label for label in overall_label.unique() if label not in keep]
    shown = wide.loc[keep].map(lambda v: french_number(v, 2) if pd.notna(v) else "—")
    return shown.rename_axis(index="Code", columns="Période")


def pairs_display(by_pair: pd.DataFrame) -> pd.DataFrame:
    """Overall agreement of each pair of coders."""
    rows = by_pair[by_pair["code"] == OVERALL]
    return pd.DataFrame(
        {
            "Codeurs": [f"{a} et {b}" for a, b in zip(rows["coder_a"], rows["coder_b"])],
            "Passages": rows["units"].astype(int),
            "Kappa de Cohen (IC 95 %)": [_kappa(r) for _, r in rows.iterrows()],
            "Alpha de Krippendorff": rows["krippendorff_alpha"].map(
                lambda v: french_number(v, 3) if pd.notna(v) else "—"
            ),
            "Statut": rows["status"],
        }
    ).reset_index(drop=True)


def disagreement_coders(disagreements: pd.DataFrame) -> list[str]:
    """The coder columns of a disagreement list: those between ``label`` and ``text``."""
    columns = list(disagreements.columns)
    return columns[columns.index("label") + 1 : columns.index("text")]


def disagreements_display(
    disagreements: pd.DataFrame, limit: int | None = None, audience: str = "equipe"
) -> pd.DataFrame:
    """The disagreement list with French headers (who coded what, and the passage).

    The coders are read from the list itself (:func:`disagreement_coders`).
    The passages are verbatim text whatever the quote consent: they are shown
    to the research team only; for any other audience the column is left out.
    """
    rows = disagreements if limit is None else disagreements.head(limit)
    out = pd.DataFrame(
        {
            "Code discuté": rows["label"],
            "Source": rows["source"],
            "Période": rows["period"],
            "Position": [
                f"{int(s)}–{int(e)}" if pd.notna(s) and pd.notna(e) else "—" for s, e in zip(rows["start"], rows["end"])
            ],
        }
    )
    for coder in disagreement_coders(disagreements):
        out[f"Codé par {coder}"] = rows[coder].to_numpy()
    if audience == "equipe":
        out["Passage"] = rows["text"].to_numpy()
    return out.reset_index(drop=True)
