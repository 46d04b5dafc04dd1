"""What a study lacks, said in French: the gaps that empty a report's sections.

A first real study has no field journal, no projects, one period, one coder,
no speakers, no consent to quote, no indicators… Each analysis then returns
an empty, typed result, and the report section that would show it keeps its
heading and says, in one or two sentences, what is missing and what to
record to get it. Those sentences live here, once, so that the sections,
the figures and « Limites de l'analyse » say the same thing.

:class:`Gap` is what a section displays instead of an empty table or
figure: a short paragraph, escaped for HTML and Markdown (study text is
data, never markup). :func:`study_gaps` lists the gaps of a case.

This module reads nothing from disk and imports no report code.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from rd_territoriale.markup import md

#: One French explanation per gap: what is missing, then what to record.
GAPS: dict[str, str] = {
    "segments": (
        "Aucun passage codé pour l'instant (table segments vide) : les thèmes, leurs évolutions "
        "et les voix entendues ne peuvent pas être décrits. Codez les entretiens et le journal, ou "
        "importez des codages (rd-territoriale import)."
    ),
    "journal": (
        "Le journal de terrain est vide : les rôles du chercheur et les événements ne peuvent pas être "
        "décrits. Consignez réunions, ateliers, comités et notes réflexives dans journal.csv, avec le "
        "rôle tenu à chaque moment (researcher_role)."
    ),
    "units": (
        "L'étude n'a aucun projet collectif (table units vide) : ni suivi des projets, ni effet « feu de "
        "paille ». Ajoutez les projets à units.csv et rattachez-leur documents et entrées du journal "
        "(colonne unit)."
    ),
    "periods": (
        "L'étude n'a qu'une période : aucun changement d'une période à l'autre ne peut être mesuré. "
        "Découpez le temps de l'étude en au moins deux périodes dans study.yml."
    ),
    "coders": (
        "Un seul codeur : l'accord entre codeurs, donc la fiabilité du codage, ne peut pas être "
        "mesuré. Faites coder une partie des sources par une seconde personne, sans concertation."
    ),
    "speakers": (
        "Aucun passage n'indique qui parle (colonne speaker vide) : la part de parole de chaque "
        "catégorie ne peut pas être mesurée. Renseignez le locuteur des passages codés."
    ),
    "consent": (
        "Aucune source n'autorise la citation de ses propos : aucun extrait n'est montré. Recueillez "
        "le consentement à la citation (quote_consent) lors des entretiens."
    ),
    "quotes": (
        "La politique de l'étude exclut toute citation (quote_policy : aucune) : aucun extrait n'est "
        "montré. Changez quote_policy dans study.yml si les personnes ont consenti."
    ),
    "indicators": (
        "L'étude n'a pas d'indicateurs (table indicators absente ou vide) : la chaîne de valeur "
        "élargie ne peut pas être décrite. Relevez ressources, activités, réalisations, résultats "
        "et impacts, période par période, dans indicators.csv."
    ),
    "unit_indicators": (
        "Aucun indicateur n'est relevé pour ce projet à cette étape : rien à montrer ici. Rattachez "
        "ses mesures au projet dans indicators.csv (colonne unit)."
    ),
    "evidence": (
        "Aucun résultat ni impact n'est relevé pour ce périmètre : leurs preuves ne peuvent pas être "
        "examinées. Relevez résultats et impacts dans indicators.csv, avec les passages qui les "
        "étayent (colonne evidence)."
    ),
}


@dataclass(frozen=True)
class Gap:
    """A French paragraph shown where a table or a figure has nothing to show.

    In a notebook (and in the built page) it displays as an emphasised
    paragraph; its text is escaped, so a label taken from the study can
    never become markup.

    Parameters
    ----------
    text : str
        What is missing, and what to record to get it.

    Examples
    --------
    >>> Gap(GAPS["coders"]).text.startswith("Un seul codeur")
    True
    """

    text: str

    def _repr_html_(self) -> str:
        return f'<p class="rdt-gap"><em>{html.escape(self.text)}</em></p>'

    def _repr_markdown_(self) -> str:
        return f"*{md(self.text)}*"

    def __str__(self) -> str:
        return self.text


def indicators_gap(case, unit=None, key: str = "unit_indicators") -> Gap:
    """What a value-chain section lacks: the study's indicators, or (for a project, ``unit``) this section's own."""
    indicators = getattr(case, "indicators", None)
    if unit is None or indicators is None or len(indicators) == 0:
        return gap("indicators")
    return gap(key)


def gap(key: str) -> Gap:
    """The :class:`Gap` of ``key`` (a key of :data:`GAPS`)."""
    return Gap(GAPS[key])


def first_gap(case, *keys: str) -> Gap | None:
    """The :class:`Gap` of the first of ``keys`` the case lacks (:func:`study_gaps`), or ``None``.

    A section that several gaps can empty (a change between periods needs
    two periods *and* coded passages) shows the one that explains it.
    """
    found = study_gaps(case)
    return next((gap(key) for key in keys if key in found), None)


def study_gaps(case) -> dict[str, str]:
    """Every gap of a case, ``{key: French sentence}``, in the order of :data:`GAPS`.

    Parameters
    ----------
    case : rd_territoriale.study.case.Case

    Returns
    -------
    dict
        Empty when the study has everything the reports use.
    """
    found = {}
    segments, journal, documents = case.segments, case.journal, case.documents
    if len(segments) == 0:
        found["segments"] = GAPS["segments"]
    if len(journal) == 0:
        found["journal"] = GAPS["journal"]
    if len(case.units) == 0:
        found["units"] = GAPS["units"]
    if len(case.study.periods) < 2:
        found["periods"] = GAPS["periods"]
    if len(segments) and segments["coder"].nunique() < 2:
        found["coders"] = GAPS["coders"]
    if len(segments) and not segments["speaker"].notna().any():
        found["speakers"] = GAPS["speakers"]
    if getattr(case.study, "quote_policy", "consentement") == "aucune":
        found["quotes"] = GAPS["quotes"]
    elif not _any_consent(documents) and not _any_consent(journal):
        found["consent"] = GAPS["consent"]
    indicators = getattr(case, "indicators", None)
    if indicators is None or len(indicators) == 0:
        found["indicators"] = GAPS["indicators"]
    return found


def _any_consent(table) -> bool:
    if table is None or "quote_consent" not in table or len(table) == 0:
        return False
    return bool(table["quote_consent"].fillna(False).astype(bool).any())


def empty_periods(case) -> list[str]:
    """Ids of the periods with no document, no journal entry and no indicator."""
    periods = case.study.periods
    used = set()
    for table in (case.documents, case.journal, getattr(case, "indicators", None)):
        if table is not None and "period" in table:
            used |= set(table["period"].dropna().astype(str))
    return [str(p) for p in periods["id"] if str(p) not in used]
