"""The inferential claims the reports make, and the effects planted in the example.

Each claim is what a report states as a finding, read from the analysis
that makes it, exactly as the report reads it (same threshold, same
correction). :func:`claims_in` returns the claims one study makes;
``benchmarks/calibration.py`` and ``tests/analysis/test_calibration.py`` count how
often null studies (:mod:`~rd_territoriale.analysis.nulls`) make one.

:func:`planted_found` says which effects of the example's answer key
(``data/exemple/README.md``) a study shows, for the power of each claim.
"""

from __future__ import annotations

import pandas as pd

CLAIMS = {
    "periods": {"label": "changement de période (synthèse, période)", "null": "dates"},
    "roles": {"label": "qui parle de quoi (synthèse, période)", "null": "categories"},
    "voices": {"label": "voix sur- ou sous-représentées (réflexivité)", "null": "categories"},
    "lexicon": {"label": "reprise d'un terme (réflexivité)", "null": "dates"},
    "pairs": {"label": "paire de codes qui apparaît ou disparaît", "null": "codes"},
    "signal": {"label": "« coûte que coûte » : pression des salariés (synthèse)", "null": "dates"},
}

PLANTED = {
    "tension_p3": "1. tension_financement monte en P3 (changement de période)",
    "voices_p3": "3. salariés sur-représentés en P3 (voix)",
    "uptake": "4. « chaîne de valeur élargie » reprise par les acteurs (lexique)",
    "pressure_p3": "7. pression_salaries plus fréquent chez les salariés en P3 (qui parle de quoi)",
    "pressure_signal": "7. pression des salariés doublée en fin d'étude (« coûte que coûte »)",
    "null_codes": "6. aucun changement pour les codes nuls (ancrage, gouvernance, utilité)",
}
NULL_CODES = ("ancrage_territorial", "gouvernance_partagee", "utilite_sociale")


def claims_in(case, claim: str) -> pd.DataFrame:
    """The rows the reports would state as findings for ``claim`` (empty: no claim).

    Parameters
    ----------
    case : Case
    claim : str
        A key of :data:`CLAIMS`.
    """
    if claim == "periods":
        from rd_territoriale.analysis.models import successive_effects

        effects = successive_effects(case)
        return effects[effects["significant"]]
    if claim == "roles":
        from rd_territoriale.analysis.roles import role_ordered_matrix

        matrix = role_ordered_matrix(case)
        return matrix[(matrix["p_adjusted"] < 0.05).fillna(False)]
    if claim == "voices":
        from rd_territoriale.analysis.voices import voices

        frame = voices(case)
        return frame[frame["flag"].fillna("").astype(str) != ""]
    if claim == "lexicon":
        from rd_territoriale.analysis.lexicon import UPTAKE, lexicon_diffusion

        summary = lexicon_diffusion(case).summary
        return summary[summary["verdict"] == UPTAKE]
    if claim == "pairs":
        from rd_territoriale.analysis.cooccurrence import cooccurrence, pair_changes

        changes = pair_changes(cooccurrence(case))
        return changes[changes["significant"].fillna(False).astype(bool)]
    if claim == "signal":
        from rd_territoriale.analysis.signals import cout_que_coute

        result = cout_que_coute(case)
        return pd.DataFrame([result]) if result.get("flagged") else pd.DataFrame()
    raise ValueError(f"affirmation inconnue : « {claim} » ; attendu : {', '.join(CLAIMS)}.")


def planted_found(case) -> dict[str, bool]:
    """Which planted effects of the example ``case`` shows, as the reports would state them."""
    effects = claims_in(case, "periods")
    tension = effects[(effects["code"] == "tension_financement") & (effects["period"] == "P3")]
    voices = claims_in(case, "voices")
    salaried = voices[(voices["period"] == "P3") & (voices["group"].astype(str) == "salaries")]
    lexicon = claims_in(case, "lexicon")
    roles = claims_in(case, "roles")
    pressure = roles[
        (roles["period"] == "P3")
        & (roles["category"] == "salaries")
        & (roles["code"] == "pression_salaries")
        & (roles["over_representation"] > 1)
    ]
    return {
        "tension_p3": bool(len(tension) and (tension["irr"] > 1).all()),
        "voices_p3": bool(len(salaried) and (salaried["flag"] == "sur-représentation").any()),
        "uptake": bool((lexicon["term"].astype(str).str.contains("valeur", case=False)).any()),
        "pressure_p3": bool(len(pressure)),
        "pressure_signal": bool(len(claims_in(case, "signal"))),
        "null_codes": not effects["code"].isin(NULL_CODES).any(),
    }
