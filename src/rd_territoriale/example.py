"""Generate the synthetic example case: a fictional Clus'Ter Jura study.

:func:`generate` writes ``study.yml`` and the seven tables of the data
contract (:mod:`rd_territoriale.study.contract`) into a folder. Everything in it is
invented: pseudonyms only, no real person, no real interview. The data carry
*planted effects* (a code that rises in one period, a project that fades, a
period where employees' voices dominate, a research term that spreads into
actors' words after the researcher's first use, an unreliable code, null
codes...) so that the analyses and reports can be checked against a known
answer key, written in ``data/exemple/README.md``.

How the data are drawn
----------------------
Counts are Poisson with rate x exposure: for interviews the exposure is the
number of words / 1000, for the field journal the number of months a project
is active in a period. A code without a planted effect has the same rate in
every period and every stakeholder category, so a "null" is truly null.
French texts are assembled from templates with fill-ins. Interview
transcripts themselves are not part of the case: the ``start``/``end`` of an
interview segment are code-point offsets in a notional transcript of about
six code points per word (segments in order, never overlapping for a coder);
journal segments are exact slices of the journal text. Other documents
(comptes rendus, internal notes, press) are listed but not coded.

Regeneration is deterministic: one ``numpy.random.default_rng(seed)`` (plus a
dedicated stream, ``default_rng([seed, CYCLE_STREAM])``, for the evidence of
the indicators added when the value chain became a cycle), a fixed
order of draws, explicit number formatting, ``\\n`` line ends. The same
``seed`` and ``scale`` give byte-identical files (with the same numpy
release: numpy does not promise identical streams across versions for every
distribution). ``scale`` multiplies the
volume of qualitative data (interviews, journal entries, hence segments);
people, projects, the codebook and the value-chain indicators do not scale.

This module never reads data, never writes ``README.md`` and never deletes a
file.

Examples
--------
>>> from rd_territoriale.example import generate
>>> counts = generate("/tmp/exemple")              # doctest: +SKIP
>>> counts["segments"]                              # doctest: +SKIP
4452

From the shell::

    python -m rd_territoriale.example --out data/exemple --scale 1 --seed 2018
"""

from __future__ import annotations

import argparse
import bisect
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rd_territoriale.study.contract import LIST_SEPARATOR, STUDY_FILE, TABLES

__all__ = ["DEFAULT_SEED", "DEFAULT_OUT", "DIFFUSION_DATE", "build", "generate", "main",
           "study_yaml"]

DEFAULT_SEED = 2018
DEFAULT_OUT = "data/exemple"
CASE = "Clus'Ter Jura"
TERRITORY = "Pays Lédonien (Jura)"

#: Date of the researcher's first written use of « chaîne de valeur élargie »
#: (a reflexive note in the field journal). No actor uses it before.
DIFFUSION_DATE = "2019-10-15"

# --------------------------------------------------------------------------
# The study
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    id: str
    label: str
    start: str
    end: str
    opening_event: str


PERIODS = (
    _Period("P1", "Émergence du pôle", "2018-01-01", "2019-03-31",
            "Signature de la convention CIFRE et lancement de la démarche de R&D territoriale"),
    _Period("P2", "Structuration en SCIC", "2019-04-01", "2020-03-15",
            "Transformation en SCIC SA et ouverture des collèges d'associés"),
    _Period("P3", "Crise sanitaire et relance", "2020-03-16", "2021-06-30",
            "Premier confinement : suspension des ateliers, bascule vers les plans de relance"),
    _Period("P4", "Consolidation", "2021-07-01", "2022-12-31",
            "Renouvellement du conseil d'administration et nouvelle feuille de route"),
)
_PIDX = {p.id: i for i, p in enumerate(PERIODS)}

# id, label, college, members, lower-case label for sentences, pseudonym prefix, people
CATEGORIES = (
    ("salaries", "Salariés", "Collège des salariés", 12, "salariés", "SAL", 12),
    ("ess", "Structures de l'ESS", "Collège des structures de l'ESS", 38,
     "structures de l'ESS", "ESS", 18),
    ("entreprises", "Entreprises", "Collège des entreprises", 30, "entreprises", "ENT", 14),
    ("collectivites", "Collectivités locales", "Collège des collectivités locales", 14,
     "collectivités locales", "COL", 8),
    ("partenaires", "Partenaires et financeurs", "Collège des partenaires", 10,
     "partenaires financeurs", "PAR", 6),
    ("citoyens", "Citoyens·bénévoles", "Collège des citoyens et bénévoles", 26,
     "citoyens·bénévoles", "CIT", 14),
)
CAT_IDS = tuple(c[0] for c in CATEGORIES)
_CIDX = {c: i for i, c in enumerate(CAT_IDS)}
_MEMBERS = np.array([c[3] for c in CATEGORIES], dtype=float)
MEMBER_SHARE = dict(zip(CAT_IDS, _MEMBERS / _MEMBERS.sum()))

_ROLES = {
    "salaries": ("chargé·e de mission", "animateur·rice de réseau", "coordinateur·rice de projets",
                 "assistant·e administratif·ve", "chargé·e de développement"),
    "ess": ("directeur·rice d'association", "administrateur·rice bénévole",
            "encadrant·e technique d'insertion", "responsable de structure"),
    "entreprises": ("chef·fe d'entreprise", "responsable RSE", "artisan·e", "gérant·e de PME"),
    "collectivites": ("élu·e communautaire", "maire d'une commune rurale",
                      "chargé·e de mission développement économique"),
    "partenaires": ("chargé·e d'affaires d'un financeur", "représentant·e d'une fondation",
                    "conseiller·ère d'un réseau d'accompagnement"),
    "citoyens": ("bénévole", "habitant·e associé·e", "bénévole retraité·e"),
}

# The lexicon: term, variants declared in study.yml.
LEXICON = (
    ("méta-organisation", ("méta-organisations", "meta-organisation", "meta-organisations")),
    ("entrepreneuriat coopératif de territoire", ("ECT", "entrepreneuriats coopératifs de territoire")),
    ("chaîne de valeur élargie", ("chaînes de valeur élargies", "chaine de valeur elargie",
                                  "chaines de valeur elargies")),
    ("R&D territoriale", ("R & D territoriale", "recherche et développement territoriale")),
    ("intrapreneur", ("intrapreneurs", "intrapreneuriat")),
)

# id, name, kind, start, end, short ("la recyclerie"), "de" form, description
UNITS = (
    ("U01", "Recyclerie du Pays Lédonien", "filière réemploi", "2018-02-01", "",
     "la recyclerie", "de la recyclerie",
     "Collecte, tri et revente d'objets de seconde main, avec des salariés en insertion."),
    ("U02", "Légumerie solidaire des cantines", "filière alimentaire", "2018-03-01", "2022-03-31",
     "la légumerie", "de la légumerie",
     "Transformation de légumes locaux pour la restauration collective du territoire."),
    ("U03", "Mobilité solidaire rurale", "service", "2018-06-01", "",
     "la mobilité solidaire", "de la mobilité solidaire",
     "Transport à la demande et prêt de véhicules pour les personnes sans solution de mobilité."),
    ("U04", "Tiers-lieu de la gare", "tiers-lieu", "2019-05-01", "",
     "le tiers-lieu", "du tiers-lieu",
     "Espace partagé de travail, de fabrication et de rencontre dans une ancienne halle."),
    ("U05", "Filière bois local", "filière", "2018-04-01", "",
     "la filière bois", "de la filière bois",
     "Valorisation des bois et des chutes de scierie du Jura dans la construction locale."),
    ("U06", "Conciergerie d'entreprises", "service aux entreprises", "2019-09-01", "",
     "la conciergerie", "de la conciergerie",
     "Services mutualisés aux salariés des entreprises d'une zone d'activités."),
    ("U07", "Atelier vélo solidaire", "insertion", "2020-06-01", "",
     "l'atelier vélo", "de l'atelier vélo",
     "Réparation et revente de vélos, parcours d'insertion et ateliers d'autoréparation."),
    ("U08", "Reconditionnement numérique", "filière réemploi", "2021-09-01", "",
     "le reconditionnement numérique", "du reconditionnement numérique",
     "Reconditionnement d'ordinateurs pour les associations et les familles."),
    ("U09", "Groupement d'employeurs", "emploi partagé", "2020-10-01", "",
     "le groupement d'employeurs", "du groupement d'employeurs",
     "Emplois partagés entre exploitations agricoles et petites entreprises."),
)
UNIT_IDS = tuple(u[0] for u in UNITS)
_UNIT = {u[0]: u for u in UNITS}
FADING_UNIT = "U02"

# Journal entries per month of activity, by unit (None = the pole as a whole)
# and period. U02 is the feu de paille; the others are stable or growing.
JOURNAL_RATES = {
    None: (1.7, 1.7, 1.7, 1.7),
    "U01": (0.7, 0.7, 0.7, 0.7),
    "U02": (2.2, 1.8, 0.3, 0.12),
    "U03": (0.3, 0.5, 0.7, 0.9),
    "U04": (0.0, 0.6, 0.8, 0.8),
    "U05": (0.55, 0.55, 0.55, 0.55),
    "U06": (0.0, 0.5, 0.5, 0.6),
    "U07": (0.0, 0.0, 0.6, 0.7),
    "U08": (0.0, 0.0, 0.0, 0.8),
    "U09": (0.0, 0.0, 0.4, 0.5),
}

# Interviews per period and category at scale 1. P3 is the period where the
# research listens mostly to employees (planted effect 3).
_ALLOC_STD = {"salaries": 1, "ess": 4, "entreprises": 3, "collectivites": 1,
              "partenaires": 1, "citoyens": 3}
_ALLOC_P3 = {"salaries": 7, "ess": 2, "entreprises": 2, "collectivites": 1,
             "partenaires": 1, "citoyens": 1}
INTERVIEW_ALLOC = (_ALLOC_STD, _ALLOC_STD, _ALLOC_P3, _ALLOC_STD)
EMPLOYEE_WORD_SHARE_P3 = 0.5
MEAN_WORDS = 4400
FADING_INTERVIEWS = (4, 3, 1, 1)  # interviews about U02 per period

# --------------------------------------------------------------------------
# The codebook: three versions, churn documented in ``replaces``
# --------------------------------------------------------------------------

# theme code, label, dimension, definition
THEMES = (
    ("dynamiques_projets", "Dynamiques des projets collectifs", "ECT",
     "Trajectoires des projets collectifs : élan, coopération, essoufflement, concurrence."),
    ("fonctionnement_pole", "Fonctionnement de la méta-organisation", "méta-organisation",
     "Comment le pôle gouverne, anime et se positionne vis-à-vis des projets."),
    ("ressources_territoire", "Ressources et besoins du territoire", "ECT",
     "Ressources latentes, besoins sociaux non couverts, ancrage local."),
    ("modele_economique", "Modèle socio-économique", "chaîne de valeur élargie",
     "Financement, trésorerie, hybridation des ressources."),
    ("travail_engagement", "Travail et engagement", "travail",
     "Conditions de travail des salariés et engagement des bénévoles."),
    ("impact_social", "Impact social", "chaîne de valeur élargie",
     "Ce que les projets produisent et changent pour le territoire."),
    ("recherche", "Recherche-intervention", "réflexivité",
     "Place du chercheur, effets de la recherche sur le terrain."),
)

# code, theme, label, definition, versions present (first..last), replaces (in first version)
CODES = (
    ("enthousiasme", "dynamiques_projets", "Enthousiasme initial",
     "Élan, envie, mobilisation spontanée autour d'un projet.", (1, 2, 3), ""),
    ("cooperation_interne", "dynamiques_projets", "Coopération interne",
     "Coopération entre membres d'un même projet.", (1,), ""),
    ("cooperation_externe", "dynamiques_projets", "Coopération externe",
     "Coopération avec des structures extérieures au projet.", (1,), ""),
    ("cooperation", "dynamiques_projets", "Coopération entre acteurs",
     "Mutualisation, entraide, travail commun entre structures (fusion de deux codes).",
     (2, 3), "cooperation_interne|cooperation_externe"),
    ("essoufflement", "dynamiques_projets", "Essoufflement",
     "Baisse de participation, lassitude, élan retombé (effet « feu de paille »).", (1, 2, 3), ""),
    ("concurrence_projets", "dynamiques_projets", "Concurrence entre projets",
     "Rivalité entre projets du pôle pour les financements, les bénévoles, les clients.", (3,), ""),
    ("temporalite_lente", "dynamiques_projets", "Lenteur des temps multi-acteurs",
     "Délais de décision et désynchronisation des temps des acteurs.", (1, 2, 3), ""),
    ("gouvernance_partagee", "fonctionnement_pole", "Gouvernance partagée",
     "Décision collective, collèges, consentement, place des associés.", (1, 2, 3), ""),
    ("role_flou", "fonctionnement_pole", "Rôle flou du pôle",
     "Ambiguïté du rôle du pôle : facilitateur ou porteur, animateur ou opérateur.", (2, 3), ""),
    ("animation_reseau", "fonctionnement_pole", "Animation du réseau",
     "Mises en relation, relances, préparation des réunions par l'équipe du pôle.", (1, 2, 3), ""),
    ("ancrage_territorial", "ressources_territoire", "Ancrage territorial",
     "Lien du projet aux ressources, aux acteurs et à l'identité du territoire.", (1, 2, 3), ""),
    ("ressource_latente", "ressources_territoire", "Ressource latente révélée",
     "Ressource locale inexploitée identifiée puis valorisée.", (1, 2, 3), ""),
    ("besoin_social", "ressources_territoire", "Besoin social non couvert",
     "Besoin des habitants ou des entreprises auquel personne ne répondait.", (1, 2, 3), ""),
    ("innovation_sociale", "ressources_territoire", "Innovation sociale",
     "Code abandonné en version 2 : trop général, recouvrait tous les autres.", (1,), ""),
    ("difficultes_financieres", "modele_economique", "Difficultés financières",
     "Problèmes d'argent (renommé en version 2).", (1,), ""),
    ("tension_financement", "modele_economique", "Tension sur le financement",
     "Trésorerie tendue, dépendance aux appels à projets, fonctionnement non financé.",
     (2, 3), "difficultes_financieres"),
    ("hybridation_ressources", "modele_economique", "Hybridation des ressources",
     "Combinaison de ventes, subventions, mécénat, bénévolat.", (1, 2, 3), ""),
    ("epuisement", "travail_engagement", "Épuisement",
     "Fatigue et surcharge (scindé en version 3).", (1, 2), ""),
    ("pression_salaries", "travail_engagement", "Pression sur les salariés",
     "Objectifs à tenir « coûte que coûte », charge imposée aux salariés.", (3,), "epuisement"),
    ("surinvestissement", "travail_engagement", "Surinvestissement",
     "Engagement personnel au-delà du raisonnable, difficulté à poser des limites.",
     (3,), "epuisement"),
    ("engagement_benevole", "travail_engagement", "Engagement bénévole",
     "Temps et énergie donnés par les bénévoles et les habitants.", (1, 2, 3), ""),
    ("utilite_sociale", "impact_social", "Utilité sociale",
     "Sens du projet, ce qu'il change pour les personnes.", (1, 2, 3), ""),
    ("effets_emploi", "impact_social", "Effets sur l'emploi",
     "Emplois créés, consolidés, parcours d'insertion.", (1, 2, 3), ""),
    ("reconnaissance_externe", "impact_social", "Reconnaissance externe",
     "Visibilité, essaimage, reconnaissance par les institutions.", (2, 3), ""),
    ("posture_chercheur", "recherche", "Posture du chercheur",
     "Double position salarié-chercheur, distance, effets de la présence du chercheur.",
     (1, 2, 3), ""),
    ("apport_recherche", "recherche", "Apports de la recherche",
     "Restitutions, outils et grilles de la recherche repris par les acteurs.", (2, 3), ""),
)
LAST_VERSION = 3
LEAF_CODES = tuple(c[0] for c in CODES if LAST_VERSION in c[4])
_KIDX = {c: i for i, c in enumerate(LEAF_CODES)}

RISING_CODE = "tension_financement"
UNRELIABLE_CODE = "role_flou"
NULL_CODES = ("ancrage_territorial", "gouvernance_partagee", "utilite_sociale")
PRESSURE_CODES = ("pression_salaries", "surinvestissement")

# Rates per 1,000 interview words for actors (respondents), before effects.
BASE_RATES = {
    "enthousiasme": 0.6, "cooperation": 0.8, "essoufflement": 0.3,
    "concurrence_projets": 0.25, "temporalite_lente": 0.4,
    "gouvernance_partagee": 0.9, "role_flou": 0.7, "animation_reseau": 0.5,
    "ancrage_territorial": 1.0, "ressource_latente": 0.4, "besoin_social": 0.5,
    "tension_financement": 1.0, "hybridation_ressources": 0.4,
    "pression_salaries": 0.25, "surinvestissement": 0.2, "engagement_benevole": 0.4,
    "utilite_sociale": 0.8, "effets_emploi": 0.3, "reconnaissance_externe": 0.3,
    "posture_chercheur": 0.1, "apport_recherche": 0.2,
}
RISING_FACTOR = 4.0            # tension_financement in P3
PRESSURE_FACTOR = 5.0          # pression/surinvestissement, employees, P3-P4
# Category-specific (non-null) codes, for a less flat role-ordered matrix.
CATEGORY_FACTORS = {
    ("citoyens", "engagement_benevole"): 2.5,
    ("partenaires", "hybridation_ressources"): 2.0,
    ("collectivites", "hybridation_ressources"): 2.0,
    ("entreprises", "effets_emploi"): 1.5,
}
# U02 interviews: enthusiasm and cooperation early, fading and competition late.
FADING_FACTORS = {
    "early": {"enthousiasme": 3.5, "cooperation": 2.5, "essoufflement": 0.2,
              "concurrence_projets": 0.2},
    "late": {"enthousiasme": 0.15, "cooperation": 0.3, "essoufflement": 8.0,
             "concurrence_projets": 8.0},
}
INTERVIEWER_RATE = 1.3         # interviewer's coded talk per 1,000 words
INTERVIEWER_CODES = {"posture_chercheur": 0.30, "apport_recherche": 0.20,
                     "role_flou": 0.25, "animation_reseau": 0.25}

# Research lexicon in actors' interview segments: probability per segment.
CVE_SHARE = (0.0, 0.01, 0.045, 0.10)       # after DIFFUSION_DATE only
META_SHARE = 0.03                           # control term, stable
ECT_SHARE = 0.01
RD_SHARE = 0.015

# Researcher's roles in the journal, by period (planted effect 8).
ROLE_PROBS = (
    (0.60, 0.30, 0.03, 0.07),
    (0.38, 0.40, 0.12, 0.10),
    (0.20, 0.35, 0.35, 0.10),
    (0.10, 0.20, 0.55, 0.15),
)
ROLES = ("observateur", "facilitateur", "acteur", "évaluateur")
KINDS = ("réunion", "atelier", "comité", "événement", "informel", "note réflexive")
KIND_PROBS_POLE = (0.25, 0.15, 0.15, 0.08, 0.15, 0.22)
KIND_PROBS_UNIT = (0.38, 0.20, 0.14, 0.06, 0.14, 0.08)

# Journal segments: null codes have a fixed probability per coded sentence.
JOURNAL_NULL_PROBS = {"ancrage_territorial": 0.06, "gouvernance_partagee": 0.06,
                      "utilite_sociale": 0.06}
JOURNAL_WEIGHTS = {
    "enthousiasme": 6, "cooperation": 6, "essoufflement": 3, "concurrence_projets": 2,
    "temporalite_lente": 5, "role_flou": 5, "animation_reseau": 8,
    "ressource_latente": 4, "besoin_social": 4, "tension_financement": 4,
    "hybridation_ressources": 3, "pression_salaries": 2, "surinvestissement": 2,
    "engagement_benevole": 4, "effets_emploi": 3, "reconnaissance_externe": 3,
    "posture_chercheur": 5, "apport_recherche": 4,
}

FADING_JOURNAL_FACTORS = {
    "early": {"enthousiasme": 4.0, "cooperation": 3.0, "essoufflement": 0.1,
              "concurrence_projets": 0.1},
    "late": {"enthousiasme": 0.1, "cooperation": 0.3, "essoufflement": 6.0,
             "concurrence_projets": 6.0},
}
JOURNAL_CVE_SHARE = (0.15, 0.15, 0.20, 0.25)   # after DIFFUSION_DATE only

# Second coder: probability of the same code, another code, omission.
R02_AGREE = 0.88
R02_OTHER = 0.07
R02_AGREE_UNRELIABLE = 0.40
R02_OTHER_UNRELIABLE = 0.40
R02_EXTRA_RATE = 0.04
DOUBLE_CODED_TARGET = 0.20
CONFUSIONS = {
    "enthousiasme": ("cooperation",), "cooperation": ("enthousiasme", "animation_reseau"),
    "essoufflement": ("concurrence_projets", "temporalite_lente"),
    "concurrence_projets": ("essoufflement",), "temporalite_lente": ("essoufflement",),
    "gouvernance_partagee": ("animation_reseau",),
    "role_flou": ("animation_reseau", "gouvernance_partagee", "posture_chercheur",
                  "concurrence_projets"),
    "animation_reseau": ("cooperation", "gouvernance_partagee"),
    "ancrage_territorial": ("ressource_latente",), "ressource_latente": ("ancrage_territorial",),
    "besoin_social": ("utilite_sociale",), "tension_financement": ("hybridation_ressources",),
    "hybridation_ressources": ("tension_financement",),
    "pression_salaries": ("surinvestissement",), "surinvestissement": ("pression_salaries",),
    "engagement_benevole": ("surinvestissement",), "utilite_sociale": ("besoin_social",),
    "effets_emploi": ("utilite_sociale",), "reconnaissance_externe": ("utilite_sociale",),
    "posture_chercheur": ("apport_recherche",), "apport_recherche": ("posture_chercheur",),
}

# --------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------

# Actors' spoken French, per code. Templates start in lower case (a spoken
# opener may precede them); the first letter is raised when it starts the text.
INTERVIEW_TEMPLATES = {
    "enthousiasme": (
        "au début, sur {projet}, on y croyait tous, il y avait une énergie folle dans les ateliers.",
        "moi j'ai tout de suite accroché, je me suis dit : enfin un projet qui part du territoire.",
        "les premières réunions, c'était plein, les gens restaient même après pour continuer à discuter.",
        "on sortait des ateliers avec plein d'idées, on avait envie d'y aller tout de suite.",
        "ça a créé un vrai élan, même des gens {de_lieu} qu'on ne voyait jamais sont venus.",
        "il y avait de l'enthousiasme, vraiment. Tout le monde voulait mettre la main à la pâte.",
        "pour {projet}, on a eu {n} fois plus d'inscrits que prévu à la première réunion.",
    ),
    "cooperation": (
        "on a appris à travailler avec {acteurs}, alors qu'avant chacun restait dans son coin.",
        "on a mutualisé un local et un véhicule avec deux autres structures. Ça n'aurait jamais existé sans le pôle.",
        "quand on a eu un souci de planning, {acteurs} nous ont dépannés tout de suite.",
        "ce qui marche, c'est qu'on se connaît maintenant, on s'appelle directement.",
        "on a monté la réponse à l'appel à projets à quatre structures, chacun a apporté sa pièce.",
        "les échanges avec {acteurs} sont devenus naturels, on partage nos contacts et nos outils.",
    ),
    "essoufflement": (
        "là, honnêtement, on est moins nombreux aux réunions, les gens se sont un peu lassés.",
        "ça s'est essoufflé. Il y a eu des départs et personne n'a vraiment repris derrière.",
        "au bout de {duree}, on tournait en rond, les mêmes trois personnes portaient tout.",
        "les bénévoles du début ne viennent plus, on a du mal à remobiliser.",
        "on sent que l'élan est retombé, c'est devenu une réunion parmi d'autres.",
        "{projet}, aujourd'hui, ça tient à un fil, il n'y a plus la même dynamique.",
    ),
    "concurrence_projets": (
        "on s'est retrouvés en concurrence avec un autre projet du pôle sur le même financement.",
        "il y a eu des frictions, parce que deux projets visaient les mêmes clients {a_lieu}.",
        "chacun défend son projet maintenant, ce n'est plus vraiment collectif.",
        "quand {partenaire} a dit qu'il n'y aurait qu'un seul dossier retenu, ça a tendu les relations.",
        "on a eu l'impression qu'un autre projet récupérait nos bénévoles et nos partenaires.",
    ),
    "temporalite_lente": (
        "tout prend un temps fou, il faut attendre que chaque structure valide en interne.",
        "entre l'idée et le démarrage, il s'est passé {duree}. C'est long pour les gens qui attendent.",
        "avec {partenaire}, on attend toujours la délibération, ça décale tout.",
        "le temps des élus, le temps des associations, le temps des entreprises, ça ne colle jamais.",
        "on avance, mais au rythme du plus lent, c'est le prix quand on est nombreux autour de la table.",
    ),
    "gouvernance_partagee": (
        "les décisions se prennent en collège, chacun a voix au chapitre, même les petits.",
        "au conseil, on décide au consentement. Ça prend du temps mais personne n'est écrasé.",
        "le fait d'être associé à la SCIC, ça change tout, on n'est pas juste un client.",
        "on a notre mot à dire sur les orientations, on l'a vu à la dernière assemblée.",
        "la gouvernance à plusieurs collèges, au début je n'y croyais pas, mais ça fonctionne.",
    ),
    "role_flou": (
        "je ne sais plus très bien si Clus'Ter nous accompagne ou s'il porte le projet à notre place.",
        "des fois on se demande qui est le porteur : nous, le pôle, ou les salariés du pôle ?",
        "Clus'Ter est à la fois animateur, financeur et un peu concurrent, c'est ambigu.",
        "pour les partenaires extérieurs, {projet}, c'est Clus'Ter, alors que pour nous c'est notre projet.",
        "le pôle devait juste faciliter, et au final il gère directement une activité.",
    ),
    "animation_reseau": (
        "c'est Clus'Ter qui nous a mis en relation avec {acteurs}, on ne se connaissait pas.",
        "les ateliers thématiques, c'est là que j'ai rencontré la moitié de mes partenaires actuels.",
        "l'équipe du pôle fait le lien, elle relance, elle prépare les réunions. Sans ça rien ne bougerait.",
        "on reçoit la lettre d'information et les invitations, ça permet de rester dans la boucle.",
        "ils ont organisé une visite {a_lieu} pour nous faire rencontrer d'autres porteurs.",
    ),
    "ancrage_territorial": (
        "ce projet, il ne pourrait exister qu'ici, il part des gens et des ressources {de_lieu}.",
        "on travaille avec des producteurs à moins de trente kilomètres, c'est ça le sens.",
        "l'idée, c'est que la richesse reste sur le territoire, qu'elle ne parte pas ailleurs.",
        "on est d'ici, on connaît les gens, les élus, les associations, c'est notre force.",
        "le Jura, c'est rural, c'est dispersé, il faut des solutions pensées pour ici.",
    ),
    "ressource_latente": (
        "il y avait un bâtiment vide {a_lieu}, personne n'y pensait, et maintenant c'est un atelier.",
        "les chutes de bois des scieries partaient en déchet, on en a fait une ressource.",
        "des compétences de retraités dormaient, on les a remises en mouvement.",
        "on a découvert que plusieurs entreprises avaient des besoins qu'on pouvait couvrir ensemble.",
        "les invendus, les surplus, il y en avait partout, il fallait juste les voir.",
    ),
    "besoin_social": (
        "il y a des gens sans voiture {a_lieu} qui ne peuvent pas aller travailler, c'est un vrai besoin.",
        "les cantines voulaient du local, mais personne ne pouvait fournir des légumes prêts à cuisiner.",
        "des personnes éloignées de l'emploi n'avaient aucune solution près de chez elles.",
        "les habitants demandaient un lieu pour se retrouver, il n'y avait plus rien au village.",
        "les petites entreprises n'arrivaient pas à recruter ni à garder leurs salariés.",
    ),
    "tension_financement": (
        "le financement, c'est la galère : on a {montant} de trou et on ne sait pas comment le combler.",
        "on vit d'appels à projets, et quand {partenaire} ne renouvelle pas, tout vacille.",
        "la trésorerie est tendue, on a dû avancer des salaires avant de toucher la subvention.",
        "on nous demande d'être autonomes en {duree}, c'est impossible avec ce modèle.",
        "les financeurs veulent de la nouveauté, mais personne ne finance le fonctionnement.",
        "on a passé plus de temps à monter des dossiers qu'à faire vivre {projet}.",
    ),
    "hybridation_ressources": (
        "on combine de la vente, des subventions et du mécénat, c'est un équilibre fragile.",
        "une partie vient des prestations aux entreprises, une partie {de_partenaire}.",
        "le bénévolat compte aussi dans le modèle, même s'il n'apparaît pas dans les comptes.",
        "on a ouvert le capital de la SCIC aux habitants, ça fait une ressource de plus.",
    ),
    "pression_salaries": (
        "on est trois salariés pour porter une quinzaine de projets, c'est intenable.",
        "la pression est énorme, il faut que ça marche coûte que coûte, sinon on perd les financements.",
        "les objectifs tombent d'en haut et c'est nous qui devons tenir les délais.",
        "on nous demande d'être partout : sur le terrain, en réunion, sur les dossiers.",
        "je ne compte plus les soirs où je finis à vingt-deux heures.",
    ),
    "surinvestissement": (
        "je travaille aussi le week-end, parce que si je ne le fais pas, personne ne le fera.",
        "on s'investit énormément, presque trop, c'est difficile de poser des limites.",
        "j'ai failli craquer l'an dernier, j'avais mis toute ma vie dans {projet}.",
        "on se sent responsables de tout : des bénévoles, des partenaires, des résultats.",
    ),
    "engagement_benevole": (
        "je donne à peu près {n} heures par semaine, je le fais parce que j'y crois.",
        "les bénévoles tiennent les permanences, sans eux il n'y aurait pas d'ouverture le samedi.",
        "on s'est engagés comme habitants, pas comme experts, et ça compte.",
        "je suis venu donner un coup de main une fois et je ne suis jamais reparti.",
    ),
    "utilite_sociale": (
        "ce qu'on fait sert vraiment aux gens d'ici, on le voit tous les jours.",
        "des personnes ont retrouvé du lien, une place, c'est ça l'utilité du projet.",
        "on répond à un besoin que ni le marché ni la collectivité ne couvraient.",
        "pour moi, la réussite, ce n'est pas le chiffre d'affaires, c'est ce que ça change pour les habitants.",
    ),
    "effets_emploi": (
        "on a créé {n} postes, dont plusieurs pour des personnes en insertion.",
        "deux personnes ont été embauchées en CDI après leur parcours chez nous.",
        "le projet a permis de maintenir des emplois qui allaient disparaître {a_lieu}.",
        "ça a surtout consolidé des emplois existants dans les structures partenaires.",
    ),
    "reconnaissance_externe": (
        "on a été cités en exemple à la Région, ça fait plaisir et ça ouvre des portes.",
        "des gens d'autres départements viennent voir comment on fait.",
        "les élus parlent de nous maintenant, avant on était invisibles.",
        "on a eu un article dans la presse locale, les habitants nous en parlent.",
    ),
    "posture_chercheur": (
        "avec la thèse, on ne sait pas toujours si on parle au chercheur ou au collègue.",
        "c'est bien d'avoir quelqu'un qui prend du recul, mais il est aussi dans l'action avec nous.",
        "je me demande ce que vous allez écrire sur nous, honnêtement.",
    ),
    "apport_recherche": (
        "les restitutions de la recherche nous ont aidés à mettre des mots sur ce qu'on vivait.",
        "les schémas présentés en atelier, on les a repris pour expliquer le projet aux élus.",
        "la recherche nous oblige à regarder ce qui a marché et ce qui n'a pas marché.",
    ),
}

# The interviewer's own talk (questions, framing), per code and interviewer.
INTERVIEWER_TEMPLATES = {
    ("R01", "posture_chercheur"): (
        "Je vous pose la question en tant que chercheur, même si je suis aussi salarié du pôle.",
        "Vous pouvez me parler franchement, l'entretien est anonymisé, même si on se croise souvent.",
        "Je précise que je suis partie prenante de {projet}, donc n'hésitez pas à me contredire.",
    ),
    ("R02", "posture_chercheur"): (
        "Je viens du laboratoire partenaire, je ne travaille pas pour le pôle, vous pouvez être direct.",
        "Je ne connais pas le dossier de l'intérieur, alors racontez-moi comme à quelqu'un d'extérieur.",
    ),
    ("R01", "apport_recherche"): (
        "L'idée, c'est aussi de vous restituer ce qu'on observe, pour que ça serve au collectif.",
        "On fera une restitution des entretiens en atelier, vous y serez invité.",
    ),
    ("R02", "apport_recherche"): (
        "Les résultats seront d'abord discutés avec les associés avant toute publication.",
    ),
    ("*", "role_flou"): (
        "Et Clus'Ter, vous le voyez plutôt comme un animateur ou comme un porteur de projet ?",
        "Quand vous dites « on », vous parlez de votre structure ou du pôle ?",
        "Est-ce que vous savez toujours qui décide, entre le pôle et {projet} ?",
    ),
    ("*", "animation_reseau"): (
        "Comment êtes-vous arrivé dans la boucle, au départ ? Par un atelier ?",
        "Qui vous a mis en relation avec {acteurs} ?",
    ),
}

# The researcher's field-journal voice, per code.
JOURNAL_TEMPLATES = {
    "enthousiasme": (
        "L'ambiance est très enthousiaste : chacun veut s'impliquer dans {projet}.",
        "Beaucoup d'énergie dans la salle, les propositions fusent et personne ne veut partir.",
        "Forte adhésion à l'idée ; plusieurs participants proposent déjà de donner du temps.",
    ),
    "cooperation": (
        "Les structures présentes proposent spontanément de mutualiser moyens et contacts.",
        "Belle séquence de coopération : {acteurs} et l'équipe salariée construisent le planning ensemble.",
        "Deux structures qui ne se parlaient pas décident de répondre ensemble à un appel à projets.",
    ),
    "essoufflement": (
        "Moins de monde que d'habitude ; plusieurs membres se sont excusés au dernier moment.",
        "Le groupe {de_projet} peine à trouver de nouveaux volontaires, la dynamique retombe.",
        "Les mêmes trois personnes portent tout ; les autres ne répondent plus aux relances.",
    ),
    "concurrence_projets": (
        "Tension palpable : deux projets du pôle visent le même financement {de_partenaire}.",
        "Un porteur reproche à un autre projet de lui prendre ses bénévoles.",
        "Chacun défend désormais son projet ; la logique collective s'efface derrière la compétition.",
    ),
    "temporalite_lente": (
        "Décision encore reportée : il faut attendre la délibération {de_partenaire}.",
        "Le calendrier glisse de {duree} ; les délais de validation de chaque structure s'additionnent.",
    ),
    "gouvernance_partagee": (
        "Décisions prises au consentement ; chaque collège a pu s'exprimer avant le vote.",
        "Le conseil a pris un long temps pour écouter les petits associés, ce qui a été apprécié.",
    ),
    "role_flou": (
        "Les partenaires ne savent plus très bien si Clus'Ter accompagne {projet} ou le porte.",
        "On m'a présenté comme « le porteur du projet », ce qui brouille encore le rôle du pôle.",
        "Le pôle se retrouve à gérer directement une activité : facilitateur ou opérateur ?",
    ),
    "animation_reseau": (
        "Mise en relation de {acteurs} avec une structure d'insertion du territoire.",
        "Relances téléphoniques et préparation de l'ordre du jour : le travail invisible de l'animation.",
        "Visite organisée {a_lieu} pour faire se rencontrer des porteurs de projets.",
    ),
    "ancrage_territorial": (
        "Le projet s'appuie sur des ressources {de_lieu} que personne n'avait encore valorisées.",
        "Les participants insistent : la richesse créée doit rester sur le territoire.",
    ),
    "ressource_latente": (
        "Un local inoccupé {a_lieu} est repéré comme support possible d'une activité.",
        "Les surplus de production repérés chez trois entreprises pourraient nourrir un nouveau projet.",
    ),
    "besoin_social": (
        "Les élus présents confirment le besoin de solutions de mobilité pour les personnes sans voiture.",
        "Remontée d'un besoin non couvert : des personnes éloignées de l'emploi sans solution de proximité.",
    ),
    "tension_financement": (
        "Le budget {de_projet} n'est pas bouclé : il manque environ {montant}.",
        "Inquiétude sur la trésorerie ; la subvention {de_partenaire} arrivera avec plusieurs mois de retard.",
        "Longue discussion sur le modèle économique : personne ne finance le fonctionnement.",
    ),
    "hybridation_ressources": (
        "Le plan de financement mêle ventes, subventions {de_partenaire} et apports en nature.",
        "Proposition d'ouvrir le capital aux habitants pour diversifier les ressources.",
    ),
    "pression_salaries": (
        "Les salariés enchaînent les réunions le soir ; l'un d'eux parle ouvertement de fatigue.",
        "La direction rappelle que les objectifs doivent être tenus « coûte que coûte ».",
    ),
    "surinvestissement": (
        "Une salariée explique qu'elle a travaillé tous les week-ends du mois.",
        "Je remarque que l'équipe accepte toutes les sollicitations, sans jamais arbitrer.",
    ),
    "engagement_benevole": (
        "Les bénévoles ont assuré toutes les permanences de la semaine.",
        "Un habitant propose de prendre en charge la logistique du prochain événement.",
    ),
    "utilite_sociale": (
        "Témoignage d'une bénéficiaire sur ce que le projet a changé dans son quotidien.",
        "Le groupe revient sur le sens du projet : répondre à des besoins que personne ne couvrait.",
    ),
    "effets_emploi": (
        "Annonce de {n} recrutements, dont plusieurs en insertion.",
        "Un poste est consolidé grâce à la mutualisation entre deux structures.",
    ),
    "reconnaissance_externe": (
        "Une délégation d'un autre territoire est venue étudier la démarche.",
        "Le projet est cité en exemple lors d'une rencontre régionale.",
    ),
    "posture_chercheur": (
        "Je m'interroge sur ma double position de salarié et de chercheur dans ce dossier.",
        "Difficile de garder la distance : on attend de moi des réponses, pas des questions.",
        "Je note que ma présence modifie sans doute ce qui se dit autour de la table.",
    ),
    "apport_recherche": (
        "La grille d'analyse proposée la semaine dernière a été reprise par le groupe.",
        "Restitution intermédiaire des entretiens : les participants se reconnaissent dans les constats.",
        "Le groupe me demande un schéma pour expliquer la démarche aux partenaires.",
    ),
}

JOURNAL_INTROS = {
    "réunion": (
        "Réunion de travail {sur_projet} {a_lieu}, {n_part} personnes autour de la table ({cats}).",
        "Point d'étape {sur_projet} avec {n_part} personnes ({cats}).",
    ),
    "atelier": (
        "Atelier thématique {sur_projet} : {n_part} participants ({cats}).",
        "Atelier collectif d'émergence {a_lieu}, {n_part} participants de plusieurs collèges ({cats}).",
    ),
    "comité": (
        "Comité de pilotage {sur_projet} : {n_part} membres présents ({cats}).",
        "Comité technique {sur_projet}, {n_part} personnes ({cats}).",
    ),
    "événement": (
        "Soirée de présentation publique {a_lieu}, environ {n_part} personnes ({cats}).",
        "Forum des acteurs du territoire {a_lieu} : environ {n_part} personnes ({cats}).",
    ),
    "informel": (
        "Échange informel après une réunion, avec {n_part} membres ({cats}).",
        "Discussion à la pause café avec {n_part} associés ({cats}).",
    ),
    "note réflexive": (
        "Note réflexive, à froid, après une semaine chargée.",
        "Note pour moi-même après les derniers entretiens.",
        "Relecture de mes notes du mois, {sur_projet}.",
    ),
}
ROLE_SENTENCES = {
    "observateur": (
        "Je suis resté en retrait et j'ai pris des notes.",
        "Posture d'observation : je ne suis pas intervenu sur le fond.",
        "J'ai surtout écouté, sans prendre position.",
    ),
    "facilitateur": (
        "J'ai animé la séance et reformulé les propositions.",
        "Mon rôle : distribuer la parole et tenir le temps.",
        "J'ai proposé une méthode pour faire émerger les idées de chacun.",
    ),
    "acteur": (
        "J'ai porté moi-même la proposition au nom du pôle.",
        "J'ai pris en charge la rédaction du dossier de financement.",
        "Je me suis retrouvé à défendre le projet face aux élus.",
    ),
    "évaluateur": (
        "J'ai présenté une première lecture des indicateurs.",
        "J'ai proposé une grille pour évaluer ce qui a été produit.",
        "J'ai restitué les résultats intermédiaires de l'évaluation.",
    ),
}
CLOSINGS = (
    "", "", "Prochaine étape : {suite}.", "À suivre au prochain comité.",
    "Compte rendu envoyé le lendemain.", "Je reviendrai sur ce point dans les entretiens.",
)
NEXT_STEPS = ("relancer les partenaires", "finaliser le budget", "organiser une visite",
              "préparer la restitution", "rédiger la note de cadrage")

OPENERS = ("", "", "", "", "Alors, ", "Bon, ", "Franchement, ", "Euh... ", "Ben, ", "En fait, ",
           "Vous savez, ", "Honnêtement, ", "Oui, ", "Alors là, ")
TRAILERS = ("", "", "", "", "", " Voilà.", " C'est comme ça.", " Enfin, c'est mon ressenti.",
            " Vous voyez ?", " Je ne sais pas si c'est clair.", " C'est vrai, hein.")

FILLS = {
    "acteurs": ("les maraîchers", "les cantines scolaires", "les élus de l'agglomération",
                "les chefs d'entreprise du club local", "les structures d'insertion",
                "l'association des habitants", "les artisans du bois", "les communes rurales",
                "les commerçants du centre-ville"),
    "partenaire": ("la Région", "le Département", "l'agglomération", "la fondation",
                   "l'État", "la banque coopérative", "la caisse de retraite"),
    "de_partenaire": ("de la Région", "du Département", "de l'agglomération", "de la fondation",
                      "de l'État", "de la banque coopérative", "de la caisse de retraite"),
    "a_lieu": ("à Lons", "à Montmorot", "à Perrigny", "à Conliège", "à Bletterans",
               "à Orgelet", "à Champagnole", "en Bresse jurassienne", "en Petite Montagne",
               "dans le Revermont"),
    "de_lieu": ("de Lons", "de Montmorot", "de Perrigny", "de Conliège", "de Bletterans",
                "d'Orgelet", "de Champagnole", "de la Bresse jurassienne",
                "de la Petite Montagne", "du Revermont"),
    "duree": ("six mois", "un an", "dix-huit mois", "deux ans", "trois mois", "huit mois"),
    "montant": ("15 000 €", "8 000 €", "30 000 €", "12 000 €", "45 000 €", "20 000 €"),
    "n": ("deux", "trois", "quatre", "cinq", "six"),
    "suite": NEXT_STEPS,
}
_FILL_KEYS = tuple(FILLS)

# Lexicon sentences. {t} is replaced by one of the written forms.
CVE_FORMS = ("chaîne de valeur élargie", "chaîne de valeur élargie", "Chaîne de valeur élargie",
             "chaînes de valeur élargies", "chaine de valeur elargie",
             "chaines de valeur elargies", "CHAÎNE DE VALEUR ÉLARGIE")
META_FORMS = ("méta-organisation", "méta-organisation", "Méta-organisation",
              "méta-organisations", "meta-organisation")
ECT_FORMS = ("ECT", "entrepreneuriat coopératif de territoire")
RD_FORMS = ("R&D territoriale", "R&D territoriale")
ACTOR_LEXICON_SENTENCES = {
    "cve": (
        "maintenant on raisonne en {t}, avec tout le monde autour de la table.",
        "le mot qui revient, c'est {t}, on l'a repris dans nos bilans.",
        "on a refait le tableau de bord façon {t}, pour les financeurs.",
        "avec cette histoire de {t}, on voit mieux qui apporte quoi.",
        "ce qu'on appelle {t}, pour moi, c'est montrer que la valeur se crée à plusieurs.",
    ),
    "meta": (
        "on parle beaucoup de {t} aux assemblées, c'est le vocabulaire du pôle.",
        "pour moi, le terme {t}, ça veut dire qu'on est une organisation faite d'organisations.",
        "l'histoire de {t}, ça résume bien ce que fait Clus'Ter.",
    ),
    "ect": (
        "c'est ce qu'ils appellent l'{t}, monter des activités à plusieurs.",
        "on fait de l'{t} sans le savoir, comme monsieur Jourdain.",
    ),
    "rd": (
        "la {t}, au départ je ne voyais pas ce que c'était.",
        "avec la {t}, on prend le temps de regarder ce qui marche.",
    ),
}
INTERVIEWER_CVE = (
    "Est-ce que la chaîne de valeur élargie vous parle, comme façon de présenter le bilan ?",
    "Si on reprend la chaîne de valeur élargie, qui contribue à ce projet, selon vous ?",
)
JOURNAL_LEXICON = {
    "meta": (
        "Clus'Ter fonctionne ici pleinement comme une méta-organisation.",
        "Cela confirme la lecture du pôle comme méta-organisation, organisation d'organisations.",
        "Les méta-organisations ont ce problème classique de légitimité auprès de leurs membres.",
    ),
    "cve": (
        "Piste : relire ces éléments avec la chaîne de valeur élargie de La Fonda.",
        "Je propose de présenter le bilan selon la chaîne de valeur élargie, maillon par maillon.",
        "Dans la chaîne de valeur élargie, ces acteurs seraient des contributeurs, pas seulement des bénéficiaires.",
    ),
    "ect": (
        "On retrouve la logique de l'entrepreneuriat coopératif de territoire.",
        "Exemple typique d'ECT : le projet part d'une ressource repérée collectivement.",
    ),
    "rd": (
        "C'est précisément l'enjeu de la R&D territoriale : apprendre en faisant.",
        "La R&D territoriale reste difficile à expliquer aux nouveaux associés.",
    ),
    "intra": (
        "Le salarié joue ici un rôle d'intrapreneur au service du territoire.",
        "Les intrapreneurs du pôle portent des projets qui les dépassent.",
    ),
}
FIRST_CVE_TEXT = (
    "Note réflexive, à froid, après la lecture des travaux de La Fonda.",
    "Première formulation, pour moi-même, du cadre de la chaîne de valeur élargie : "
    "ressources, activités, réalisations, résultats et impacts, avec les contributeurs de chaque maillon.",
    "Je pourrais proposer ce cadre au prochain comité pour relire nos indicateurs.",
    "J'ai proposé une grille pour évaluer ce qui a été produit.",
)

DOC_TITLES = {
    "entretien": "Entretien individuel ({cat}) — {about}",
    "entretien collectif": "Entretien collectif ({cat}) — {about}",
    "compte rendu": ("Compte rendu du comité de pilotage — {about}",
                     "Compte rendu de l'atelier thématique — {about}",
                     "Compte rendu du conseil d'administration"),
    "document interne": ("Note de cadrage interne — {about}", "Bilan d'activité intermédiaire",
                         "Feuille de route du pôle"),
    "presse": ("Article de la presse locale — {about}", "Portrait dans le bulletin intercommunal"),
}

# --------------------------------------------------------------------------
# Value-chain indicators (La Fonda): totals land near the public figures
# (130+ project ideas, 71 workshops, 22 projects started, 200+ meetings,
# 3,000+ actors mobilised, about 50 jobs).
# --------------------------------------------------------------------------

# indicator, stage, kind (resource_kind for « ressources », activity_kind for
# « activités », "" otherwise), label, unit, contributors, beneficiaries,
# measure, values P1..P4, baseline ("" = none), source, evidence rule,
# regenerates (resource indicators an impact regenerates, "" = none)
INDICATORS = (
    ("benevolat_heures", "ressources", "bénévole", "Heures de bénévolat mobilisées", "",
     "citoyens|ess", "ess|citoyens", "heures", (1450, 1720, 1180, 1390), 900,
     "Tableau de suivi du bénévolat", ("code", "engagement_benevole"), ""),
    ("financements_mobilises", "ressources", "monétaire", "Financements publics et privés mobilisés",
     "", "collectivites|partenaires", "ess|entreprises", "€", (182000, 246000, 315000, 288000),
     95000, "Comptabilité analytique", ("code", "hybridation_ressources"), ""),
    ("temps_salarie_animation", "ressources", "humaine",
     "Temps salarié consacré à l'animation du pôle", "", "salaries",
     "ess|entreprises|collectivites", "heures", (2100, 2600, 3400, 3500), 1200,
     "Feuilles de temps", ("code", "pression_salaries"), ""),
    ("idees_projets", "activités", "principale", "Idées de projets recueillies (activité principale)",
     "", "ess|entreprises|collectivites|citoyens", "", "nombre", (48, 37, 29, 22), 0,
     "Registre des idées", ("journal", "atelier"), ""),
    ("ateliers_thematiques", "activités", "principale",
     "Ateliers thématiques animés (activité principale)", "",
     "salaries|ess|entreprises|citoyens", "ess|entreprises|citoyens", "nombre",
     (24, 19, 16, 12), 0, "Tableau de suivi des ateliers", ("journal", "atelier"), ""),
    ("reunions_travail", "activités", "support", "Réunions de travail (activité support)", "",
     "salaries|ess|entreprises|collectivites", "", "nombre", (55, 49, 52, 61), 10,
     "Agenda partagé", ("journal", "réunion"), ""),
    ("projets_demarres", "réalisations", "", "Projets collectifs démarrés", "",
     "salaries|ess|entreprises|collectivites", "citoyens|ess", "nombre", (6, 6, 5, 5), 0,
     "Bilan d'activité", ("code", "ressource_latente"), ""),
    ("acteurs_mobilises", "réalisations", "", "Acteurs mobilisés dans les ateliers et les projets",
     "", "salaries|ess|entreprises|collectivites|partenaires|citoyens", "", "personnes",
     (850, 760, 690, 820), 120, "Listes d'émargement", ("journal", "événement"), ""),
    ("dechets_detournes", "réalisations", "", "Déchets détournés de l'enfouissement", "U01",
     "ess|citoyens", "collectivites", "tonnes", (18, 42, 55, 61), 0, "Pesées de la recyclerie",
     ("unit", "U01"), ""),
    ("repas_servis", "réalisations", "", "Repas servis avec des légumes de la légumerie", "U02",
     "ess|entreprises", "collectivites|citoyens", "repas", (9500, 14200, 3100, 400), 0,
     "Factures aux cantines", ("unit", "U02"), ""),
    ("emplois", "résultats", "", "Emplois créés ou consolidés", "", "ess|entreprises|salaries",
     "salaries|citoyens", "ETP", (6, 11, 15, 19), 0, "Registre du personnel des projets",
     ("code", "effets_emploi"), ""),
    ("premieres_cooperations", "résultats", "", "Structures coopérant pour la première fois", "",
     "ess|entreprises|collectivites", "ess|entreprises", "nombre", (14, 18, 11, 9), 2,
     "Enquête auprès des associés", ("code", "cooperation"), ""),
    ("personnes_transportees", "résultats", "", "Personnes transportées par la mobilité solidaire",
     "U03", "salaries|citoyens|collectivites", "citoyens", "personnes", (120, 340, 410, 620), "",
     "Registre des trajets", ("unit", "U03"), ""),
    ("cooperations_durables", "impacts", "", "Coopérations durables entre structures du territoire",
     "", "ess|entreprises|collectivites", "ess|entreprises|collectivites|citoyens", "nombre",
     (3, 7, 9, 12), 1, "Enquête auprès des associés", ("code", "cooperation"),
     "reseau_partenaires"),
    ("ressources_communes", "impacts", "",
     "Ressources communes régénérées (locaux, matériel, compétences partagés)", "",
     "ess|entreprises|collectivites|citoyens", "ess|entreprises|collectivites|citoyens",
     "nombre", (2, 4, 6, 8), "", "Inventaire des ressources partagées",
     ("code", "ancrage_territorial"), "benevolat_heures|reseau_partenaires"),
    ("attractivite_territoire", "impacts", "",
     "Attractivité perçue du territoire (score moyen sur 10)", "",
     "ess|entreprises|collectivites|citoyens", "citoyens", "score sur 10",
     (6.1, 6.4, 6.0, 6.6), 5.8, "Enquête annuelle auprès des habitants", None, ""),
)

# Indicators added once the value chain was read as a cycle (a relational
# resource that the impacts regenerate). Their evidence is drawn from a
# dedicated stream, so that the rows above keep their ids and draws.
CYCLE_INDICATORS = (
    ("reseau_partenaires", "ressources", "relationnelle",
     "Structures partenaires engagées dans le réseau du pôle", "",
     "ess|entreprises|collectivites|partenaires", "ess|entreprises|collectivites", "structures",
     (34, 52, 61, 74), 20, "Registre des associés et des conventions de partenariat",
     ("code", "animation_reseau"), ""),
)
CYCLE_STREAM = 1  # the dedicated stream is default_rng([seed, CYCLE_STREAM])


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _d(iso: str) -> np.datetime64:
    return np.datetime64(iso, "D")


def _iso(day) -> str:
    return str(np.datetime64(day, "D"))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _bool(flag) -> str:
    return "oui" if flag else "non"


def _num(value) -> str:
    """Explicit, locale-free number formatting (integers without decimals)."""
    if value == "" or value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _width(n: int, minimum: int) -> int:
    return max(minimum, len(str(n)))


def _unit_window(unit_id, period: _Period):
    """First and last active day of a unit within a period (None if inactive)."""
    start, end = _d(period.start), _d(period.end)
    if unit_id is not None:
        u = _UNIT[unit_id]
        start = max(start, _d(u[3]))
        if u[4]:
            end = min(end, _d(u[4]))
    if end < start:
        return None
    return start, end


def _active_units(day) -> list:
    """Units running on ``day``."""
    out = []
    for u in UNITS:
        if _d(u[3]) <= day and (not u[4] or day <= _d(u[4])):
            out.append(u[0])
    return out


def _unit_phrases(unit_id):
    if unit_id is None:
        return {"projet": "le projet", "de_projet": "du projet",
                "sur_projet": "sur la stratégie du pôle"}
    u = _UNIT[unit_id]
    return {"projet": u[5], "de_projet": u[6], "sur_projet": f"sur {u[5]}"}


class _Picker:
    """Pre-drawn random integers, turned into choices among lists of any length."""

    def __init__(self, rng: np.random.Generator, n: int, k: int):
        self.r = rng.integers(0, 2**31 - 1, size=(max(n, 1), k)).tolist()

    def pick(self, i: int, j: int, options):
        return options[self.r[i][j] % len(options)]

    def fills(self, i: int, j0: int) -> dict:
        return {key: self.pick(i, j0 + m, FILLS[key]) for m, key in enumerate(_FILL_KEYS)}


def _bisect(cum: list, x: float) -> int:
    """Index drawn from cumulative probabilities ``cum`` with a uniform ``x``."""
    return min(bisect.bisect_right(cum, x), len(cum) - 1)


def _journal_code_cum(pi: int, reflexive: bool, fading: bool):
    """Codes and cumulative probabilities of a coded journal sentence.

    Null codes keep a fixed probability; the others are reweighted by period,
    kind of entry and the fading project (U02).
    """
    w = dict(JOURNAL_WEIGHTS)
    if pi == 2:
        w["tension_financement"] *= 3
    if pi >= 2:
        w["pression_salaries"] *= 2.5
        w["surinvestissement"] *= 2.0
    if reflexive:
        w["posture_chercheur"] *= 4
        w["apport_recherche"] *= 3
        w["role_flou"] *= 2
    if fading:
        factors = FADING_JOURNAL_FACTORS["early" if pi < 2 else "late"]
        for code, f in factors.items():
            w[code] *= f
    null_total = sum(JOURNAL_NULL_PROBS.values())
    total = sum(w.values())
    codes = tuple(JOURNAL_NULL_PROBS) + tuple(w)
    probs = list(JOURNAL_NULL_PROBS.values()) + [v / total * (1 - null_total) for v in w.values()]
    return codes, np.cumsum(probs).tolist()


def _categories_phrase(cats) -> str:
    labels = [CATEGORIES[_CIDX[c]][4] for c in cats]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " et " + labels[-1]


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


def _people() -> pd.DataFrame:
    rows = [
        ("R01", "salaries", "Collège des salariés", "oui",
         "doctorant CIFRE, chargé de R&D territoriale du pôle"),
        ("R02", "partenaires", "Collège des partenaires", "oui",
         "chercheuse du laboratoire partenaire, second codage"),
    ]
    for cid, _label, college, _m, _low, prefix, n in CATEGORIES:
        roles = _ROLES[cid]
        for i in range(1, n + 1):
            rows.append((f"{prefix}{i:02d}", cid, college, "non", roles[(i - 1) % len(roles)]))
    return pd.DataFrame(rows, columns=TABLES["people"].names)


def _units() -> pd.DataFrame:
    rows = [(u[0], u[1], u[2], u[3], u[4], u[7]) for u in UNITS]
    return pd.DataFrame(rows, columns=TABLES["units"].names)


def _codebook() -> pd.DataFrame:
    rows = []
    theme_dim = {t[0]: t[2] for t in THEMES}
    for version in (1, 2, 3):
        for theme, label, dim, definition in THEMES:
            if any(c[1] == theme and version in c[4] for c in CODES):
                rows.append((theme, label, "", dim, definition, str(version), ""))
            for code, parent, clabel, cdef, versions, replaces in CODES:
                if parent != theme or version not in versions:
                    continue
                rep = replaces if version == versions[0] and version > 1 else ""
                rows.append((code, clabel, parent, theme_dim[parent], cdef, str(version), rep))
    return pd.DataFrame(rows, columns=TABLES["codebook"].names)


@dataclass
class _Seg:
    """Segments under construction, one list per column."""

    source: list
    coder: list
    code: list
    start: list
    end: list
    text: list
    speaker: list

    @classmethod
    def empty(cls):
        return cls([], [], [], [], [], [], [])

    def add(self, source, coder, code, start, end, text, speaker):
        self.source.append(source)
        self.coder.append(coder)
        self.code.append(code)
        self.start.append(int(start))
        self.end.append(int(end))
        self.text.append(text)
        self.speaker.append(speaker)


class _Builder:
    def __init__(self, seed: int, scale: int):
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.scale = scale
        self.people = _people()
        self.person_category = dict(zip(self.people["id"], self.people["category"]))
        actors = self.people[self.people["is_researcher"] == "non"]
        self.by_category = {c: actors.loc[actors["category"] == c, "id"].tolist() for c in CAT_IDS}

    # ---------------------------------------------------------------- documents
    def documents(self) -> pd.DataFrame:
        rng, s = self.rng, self.scale
        rows = []  # dicts; ids assigned after sorting by date
        for pi, period in enumerate(PERIODS):
            p_start, p_end = _d(period.start), _d(period.end)
            days = int((p_end - p_start).astype(int)) + 1
            alloc = INTERVIEW_ALLOC[pi]
            n_total = sum(alloc.values())
            total_words = n_total * MEAN_WORDS
            if pi == 2:
                others = sum(MEMBER_SHARE[c] for c in CAT_IDS if c != "salaries")
                share = {c: (EMPLOYEE_WORD_SHARE_P3 if c == "salaries"
                             else (1 - EMPLOYEE_WORD_SHARE_P3) * MEMBER_SHARE[c] / others)
                         for c in CAT_IDS}
            else:
                share = MEMBER_SHARE
            period_rows = []
            for cat in CAT_IDS:
                k = alloc[cat] * s
                target = total_words * s * share[cat] * rng.uniform(0.95, 1.05)
                split = rng.uniform(0.8, 1.2, size=k)
                words = np.clip(np.round(target * split / split.sum() / 10) * 10, 3000, 9000)
                pool = self.by_category[cat]
                order = rng.permutation(len(pool))
                collective = rng.random(k) < 0.15
                for j in range(k):
                    respondent = pool[order[j % len(pool)]]
                    group = [respondent]
                    if collective[j] and len(pool) > 2:
                        extra = int(rng.integers(1, 4))
                        others_ = [p for p in pool if p != respondent]
                        idx = rng.choice(len(others_), size=min(extra, len(others_)), replace=False)
                        group += [others_[i] for i in sorted(idx)]
                    period_rows.append({
                        "kind": "entretien collectif" if len(group) > 1 else "entretien",
                        "category": cat, "respondent": respondent, "group": group,
                        "words": int(words[j]), "period": pi,
                        "interviewer": "R01" if rng.random() < 0.9 else "R02",
                        "quote_consent": bool(rng.random() < 0.75),
                    })
            # Units: a quota of interviews about the fading project (taken in
            # categories with several interviews, so that its content does not
            # distort the voices of small categories), the rest spread over the
            # projects active at the interview date.
            n_fading = FADING_INTERVIEWS[pi] * s
            eligible = [j for j, r in enumerate(period_rows) if alloc[r["category"]] >= 2]
            fading_idx = set(np.asarray(eligible)[
                rng.choice(len(eligible), size=n_fading, replace=False)].tolist())
            for j, row in enumerate(period_rows):
                if j in fading_idx:
                    lo, hi = _unit_window(FADING_UNIT, period)
                    row["unit"] = FADING_UNIT
                else:
                    lo, hi = p_start, p_end
                    row["unit"] = None
                span = int((hi - lo).astype(int)) + 1
                row["date"] = lo + np.timedelta64(int(rng.integers(0, span)), "D")
                if row["unit"] is None and rng.random() < 0.7:
                    active = [u for u in _active_units(row["date"]) if u != FADING_UNIT]
                    if active:
                        row["unit"] = active[int(rng.integers(0, len(active)))]
            # Other documents (not coded): comptes rendus, internal notes, press.
            for kind, k in (("compte rendu", 2), ("document interne", 1), ("presse", 1)):
                for _ in range(k * s):
                    date = p_start + np.timedelta64(int(rng.integers(0, days)), "D")
                    active = _active_units(date)
                    r_unit, r_pick = rng.random(2)
                    unit = active[int(r_pick * len(active))] if active and r_unit < 0.6 else None
                    lo_w, hi_w = {"compte rendu": (800, 2500), "document interne": (1200, 4000),
                                  "presse": (400, 900)}[kind]
                    period_rows.append({
                        "kind": kind, "category": None, "respondent": None, "group": [],
                        "words": int(rng.integers(lo_w, hi_w) // 10 * 10), "period": pi,
                        "interviewer": None, "quote_consent": True, "unit": unit, "date": date,
                        "title_pick": int(rng.integers(0, 1000)),
                    })
            rows += period_rows
        order = sorted(range(len(rows)), key=lambda i: (rows[i]["date"], i))
        width = _width(len(rows), 3)
        out = []
        for new, i in enumerate(order, start=1):
            row = rows[i]
            row["id"] = f"D{new:0{width}d}"
            about = _UNIT[row["unit"]][1] if row["unit"] else "Clus'Ter Jura"
            if row["kind"] in ("entretien", "entretien collectif"):
                title = DOC_TITLES[row["kind"]].format(
                    cat=CATEGORIES[_CIDX[row["category"]]][4], about=about)
            else:
                options = DOC_TITLES[row["kind"]]
                title = options[row["title_pick"] % len(options)].format(about=about)
            row["title"] = title
            out.append(row)
        self.doc_rows = out
        frame = pd.DataFrame({
            "id": [r["id"] for r in out],
            "kind": [r["kind"] for r in out],
            "date": [_iso(r["date"]) for r in out],
            "unit": [r["unit"] or "" for r in out],
            "respondent": [r["respondent"] or "" for r in out],
            "interviewer": [r["interviewer"] or "" for r in out],
            "quote_consent": [_bool(r["quote_consent"]) for r in out],
            "words": [str(r["words"]) for r in out],
            "title": [r["title"] for r in out],
        })
        return frame[[c for c in TABLES["documents"].names if c in frame]]

    # ------------------------------------------------------ interview segments
    def interview_segments(self, seg: _Seg) -> None:
        rng = self.rng
        docs = [r for r in self.doc_rows if r["kind"] in ("entretien", "entretien collectif")]
        n_docs, n_codes = len(docs), len(LEAF_CODES)
        rates = np.tile(np.array([BASE_RATES[c] for c in LEAF_CODES]), (n_docs, 1))
        for i, r in enumerate(docs):
            p, cat = r["period"], r["category"]
            if p == 2:
                rates[i, _KIDX[RISING_CODE]] *= RISING_FACTOR
            if cat == "salaries" and p >= 2:
                for c in PRESSURE_CODES:
                    rates[i, _KIDX[c]] *= PRESSURE_FACTOR
            for (fc, code), f in CATEGORY_FACTORS.items():
                if fc == cat:
                    rates[i, _KIDX[code]] *= f
            if r["unit"] == FADING_UNIT:
                for code, f in FADING_FACTORS["early" if p < 2 else "late"].items():
                    rates[i, _KIDX[code]] *= f
        exposure = np.array([r["words"] for r in docs], dtype=float) / 1000.0
        counts = rng.poisson(rates * exposure[:, None])
        iv_counts = rng.poisson(INTERVIEWER_RATE * exposure)
        iv_codes_list = tuple(INTERVIEWER_CODES)
        iv_probs = np.array([INTERVIEWER_CODES[c] for c in iv_codes_list])

        # One flat list of (doc, code, speaker kind) then texts, then offsets.
        doc_idx, codes, is_iv = [], [], []
        for i in range(n_docs):
            row_codes = np.repeat(np.arange(n_codes), counts[i])
            ivc = rng.choice(len(iv_codes_list), size=iv_counts[i], p=iv_probs)
            all_codes = [LEAF_CODES[k] for k in row_codes] + [iv_codes_list[k] for k in ivc]
            flags = [False] * len(row_codes) + [True] * len(ivc)
            perm = rng.permutation(len(all_codes))
            for j in perm:
                doc_idx.append(i)
                codes.append(all_codes[j])
                is_iv.append(flags[j])
        n = len(codes)
        pick = _Picker(rng, n, 6 + len(_FILL_KEYS))
        lex_u = rng.random(n).tolist()
        diffusion = _d(DIFFUSION_DATE)
        texts, speakers = [], []
        for m in range(n):
            r = docs[doc_idx[m]]
            fills = pick.fills(m, 6)
            fills.update(_unit_phrases(r["unit"]))
            code = codes[m]
            if is_iv[m]:
                who = r["interviewer"]
                options = INTERVIEWER_TEMPLATES.get((who, code)) or INTERVIEWER_TEMPLATES[("*", code)]
                text = pick.pick(m, 0, options).format(**fills)
                if who == "R01" and r["period"] >= 2 and lex_u[m] < 0.05:
                    text += " " + pick.pick(m, 1, INTERVIEWER_CVE)
                texts.append(text)
                speakers.append(who)
                continue
            body = pick.pick(m, 0, INTERVIEW_TEMPLATES[code]).format(**fills)
            opener = pick.pick(m, 1, OPENERS)
            text = opener + body if opener else _cap(body)
            lex = None
            u = lex_u[m]
            cve_p = CVE_SHARE[r["period"]] if r["date"] > diffusion else 0.0
            if u < cve_p:
                lex = ("cve", CVE_FORMS)
            elif u < cve_p + META_SHARE:
                lex = ("meta", META_FORMS)
            elif u < cve_p + META_SHARE + ECT_SHARE:
                lex = ("ect", ECT_FORMS)
            elif u < cve_p + META_SHARE + ECT_SHARE + RD_SHARE:
                lex = ("rd", RD_FORMS)
            if lex is not None:
                sentence = pick.pick(m, 3, ACTOR_LEXICON_SENTENCES[lex[0]])
                text += " " + _cap(sentence.format(t=pick.pick(m, 4, lex[1])))
            else:
                text += pick.pick(m, 2, TRAILERS)
            texts.append(text)
            group = r["group"]
            speakers.append(group[pick.r[m][5] % len(group)] if len(group) > 1
                            else r["respondent"])
        # Offsets: segments placed in order inside a transcript of ~6 code
        # points per word, separated by random uncoded gaps.
        doc_idx_arr = np.asarray(doc_idx, dtype=int)
        lengths = np.array([len(t) for t in texts], dtype=int)
        starts = np.zeros(n, dtype=int)
        self.doc_layout = {}
        bounds = np.searchsorted(doc_idx_arr, np.arange(n_docs + 1))
        for i in range(n_docs):
            a, b = bounds[i], bounds[i + 1]
            chars = docs[i]["words"] * 6
            k = b - a
            free = max(chars - int(lengths[a:b].sum()), 0)
            gaps = np.floor(rng.dirichlet(np.ones(k + 1)) * free).astype(int)
            starts[a:b] = np.cumsum(gaps[:k]) + np.concatenate(([0], np.cumsum(lengths[a:b])[:-1]))
            self.doc_layout[docs[i]["id"]] = chars
        for m in range(n):
            r = docs[doc_idx[m]]
            seg.add(r["id"], "R01", codes[m], starts[m], starts[m] + lengths[m], texts[m],
                    speakers[m])
        self.interview_docs = docs

    # ------------------------------------------------------------------ journal
    def journal(self, seg: _Seg) -> pd.DataFrame:
        rng, s = self.rng, self.scale
        entries = []
        for unit_id, rates in JOURNAL_RATES.items():
            for pi, period in enumerate(PERIODS):
                window = _unit_window(unit_id, period)
                if window is None or rates[pi] == 0:
                    continue
                lo, hi = window
                span = int((hi - lo).astype(int)) + 1
                n = rng.poisson(rates[pi] * span / 30.44 * s)
                days = rng.integers(0, span, size=n)
                for d in days.tolist():
                    entries.append({"date": lo + np.timedelta64(d, "D"), "unit": unit_id,
                                    "period": pi, "first_cve": False})
        entries.append({"date": _d(DIFFUSION_DATE), "unit": None,
                        "period": _PIDX["P2"], "first_cve": True})
        diffusion = _d(DIFFUSION_DATE)
        unit_rank = {None: 0, **{u: i + 1 for i, u in enumerate(UNIT_IDS)}}
        order = sorted(range(len(entries)),
                       key=lambda i: (entries[i]["date"], not entries[i]["first_cve"],
                                      unit_rank[entries[i]["unit"]], i))
        entries = [entries[i] for i in order]
        n = len(entries)
        width = _width(n, 4)
        # All randomness drawn up front, in a fixed order.
        pick = _Picker(rng, n, 40)
        u = rng.random((n, 12)).tolist()
        n_body_all = (1 + np.minimum(rng.poisson(0.7, size=n), 3)).tolist()
        # Weighted sampling of participant categories without replacement
        # (Gumbel top-k), weights = SCIC membership.
        gumbel = rng.gumbel(size=(n, len(CAT_IDS))) + np.log(_MEMBERS)
        cat_order = np.argsort(-gumbel, axis=1, kind="stable").tolist()
        kind_cum = {False: np.cumsum(KIND_PROBS_POLE).tolist(),
                    True: np.cumsum(KIND_PROBS_UNIT).tolist()}
        role_cum = [np.cumsum(p).tolist() for p in ROLE_PROBS]
        code_cache = {}
        rows = []
        for m, e in enumerate(entries):
            jid = f"J{m + 1:0{width}d}"
            pi, unit_id = e["period"], e["unit"]
            fading = unit_id == FADING_UNIT
            early = pi < 2
            um = u[m]
            if e["first_cve"]:
                kind, role = "note réflexive", "évaluateur"
            else:
                kind = KINDS[_bisect(kind_cum[unit_id is not None], um[0])]
                role = ROLES[_bisect(role_cum[pi], um[1])]
            # Participants
            if kind == "note réflexive":
                cats, n_part = [], None
            else:
                if fading and early:
                    k_cats, lo_n, hi_n = 4 + int(um[2] * 3), 14, 32
                elif fading:
                    k_cats, lo_n, hi_n = 1 + int(um[2] * 2), 2, 6
                else:
                    k_cats = 2 + int(um[2] * 3)
                    lo_n, hi_n = {"réunion": (4, 12), "atelier": (8, 25), "comité": (6, 14),
                                  "événement": (20, 80), "informel": (2, 5)}[kind]
                chosen = set(cat_order[m][:k_cats])
                if um[3] < 0.8 or (fading and not early):
                    chosen.add(_CIDX["salaries"])
                cats = [CAT_IDS[c] for c in sorted(chosen)]
                n_part = max(lo_n + int(um[4] * (hi_n - lo_n + 1)), len(cats))
            fills = pick.fills(m, 20)
            fills.update(_unit_phrases(unit_id))
            fills["n_part"] = str(n_part) if n_part is not None else ""
            fills["cats"] = _categories_phrase(cats) if cats else ""
            # Coded body sentences
            key = (pi, kind == "note réflexive", fading)
            if key not in code_cache:
                code_cache[key] = _journal_code_cum(*key)
            all_codes, cum = code_cache[key]
            body_codes = [all_codes[_bisect(cum, um[5 + b])] for b in range(n_body_all[m])]
            if e["first_cve"]:
                sentences = [(FIRST_CVE_TEXT[0], None), (FIRST_CVE_TEXT[1], "apport_recherche"),
                             (FIRST_CVE_TEXT[2], None), (FIRST_CVE_TEXT[3], None)]
            else:
                body = [pick.pick(m, 3 + b, JOURNAL_TEMPLATES[c]).format(**fills)
                        for b, c in enumerate(body_codes)]
                lex_key = None
                r_lex = um[10]
                cve_p = 0.0 if e["date"] <= diffusion else JOURNAL_CVE_SHARE[pi]
                for lkey, p in (("cve", cve_p), ("meta", 0.12), ("rd", 0.08), ("ect", 0.06),
                                ("intra", 0.05 if pi >= 1 else 0.0)):
                    if r_lex < p:
                        lex_key = lkey
                        break
                    r_lex -= p
                if lex_key is not None:
                    body[0] += " " + pick.pick(m, 8, JOURNAL_LEXICON[lex_key])
                intro = pick.pick(m, 0, JOURNAL_INTROS[kind]).format(**fills)
                role_sentence = pick.pick(m, 1, ROLE_SENTENCES[role])
                closing = pick.pick(m, 2, CLOSINGS).format(**fills)
                sentences = [(intro, None)] + list(zip(body, body_codes)) + [(role_sentence, None)]
                if closing:
                    sentences.append((closing, None))
            text, pos = "", 0
            for sentence, code in sentences:
                if text:
                    text += " "
                    pos += 1
                if code is not None:
                    seg.add(jid, "R01", code, pos, pos + len(sentence), sentence, "R01")
                text += sentence
                pos += len(sentence)
            rows.append({
                "id": jid, "date": _iso(e["date"]), "author": "R01", "unit": unit_id or "",
                "kind": kind, "researcher_role": role, "participants": LIST_SEPARATOR.join(cats),
                "n_participants": "" if n_part is None else str(n_part), "text": text,
                "quote_consent": _bool(um[11] < 0.85),
            })
        return pd.DataFrame(rows)[TABLES["journal"].names]

    # ------------------------------------------------------------ second coder
    def second_coding(self, seg: _Seg) -> None:
        """R02 codes again whole interviews: ~20 % of R01's segments."""
        rng = self.rng
        src = np.asarray(seg.source, dtype=object)
        total = len(src)
        per_doc = pd.Series(src).value_counts()
        by_period = [[r["id"] for r in self.interview_docs if r["period"] == p]
                     for p in range(len(PERIODS))]
        shuffled = [list(np.asarray(ids, dtype=object)[rng.permutation(len(ids))])
                    for ids in by_period]
        chosen, covered, turn = [], 0, 0
        while covered < DOUBLE_CODED_TARGET * total and any(shuffled):
            lst = shuffled[turn % len(shuffled)]
            turn += 1
            if lst:
                doc = lst.pop(0)
                chosen.append(doc)
                covered += int(per_doc.get(doc, 0))
        chosen_set = set(chosen)
        idx = [i for i in range(total) if src[i] in chosen_set and seg.coder[i] == "R01"]
        u = rng.random((len(idx), 2))
        pick = _Picker(rng, len(idx), 1)
        new = _Seg.empty()
        for n, i in enumerate(idx):
            code = seg.code[i]
            agree, other = ((R02_AGREE_UNRELIABLE, R02_OTHER_UNRELIABLE) if code == UNRELIABLE_CODE
                            else (R02_AGREE, R02_OTHER))
            if u[n, 0] < agree:
                code2 = code
            elif u[n, 0] < agree + other:
                code2 = pick.pick(n, 0, CONFUSIONS[code])
            else:
                continue
            new.add(seg.source[i], "R02", code2, seg.start[i], seg.end[i], seg.text[i],
                    seg.speaker[i])
        # A few passages R01 left uncoded, coded by R02 only (in the gaps).
        docs = {r["id"]: r for r in self.interview_docs}
        by_doc = {}
        for i in idx:
            by_doc.setdefault(src[i], []).append(i)
        for doc in sorted(chosen_set):
            mask = by_doc.get(doc, [])
            k = rng.poisson(R02_EXTRA_RATE * len(mask))
            if k == 0:
                continue
            spans = sorted((seg.start[i], seg.end[i]) for i in mask)
            edges = [0] + [e for _, e in spans]
            nexts = [s for s, _ in spans] + [self.doc_layout[doc]]
            r = docs[doc]
            for _ in range(k):
                code = LEAF_CODES[int(rng.integers(0, len(LEAF_CODES)))]
                body = INTERVIEW_TEMPLATES[code][int(rng.integers(0, 1000))
                                                 % len(INTERVIEW_TEMPLATES[code])]
                fills = {key: FILLS[key][int(rng.integers(0, len(FILLS[key])))] for key in _FILL_KEYS}
                fills.update(_unit_phrases(r["unit"]))
                text = _cap(body.format(**fills))
                room = [g for g in range(len(edges)) if nexts[g] - edges[g] >= len(text) + 2]
                if not room:
                    continue
                g = room[int(rng.integers(0, len(room)))]
                start = edges[g] + 1 + int(rng.integers(0, nexts[g] - edges[g] - len(text) - 1))
                new.add(doc, "R02", code, start, start + len(text), text, r["respondent"])
                edges.insert(g + 1, start + len(text))
                nexts.insert(g, start)
        for col in ("source", "coder", "code", "start", "end", "text", "speaker"):
            getattr(seg, col).extend(getattr(new, col))
        self.double_coded = chosen

    # ------------------------------------------------------------------ segments
    def segments_frame(self, seg: _Seg, documents: pd.DataFrame,
                       journal: pd.DataFrame) -> pd.DataFrame:
        frame = pd.DataFrame({
            "source": seg.source, "coder": seg.coder, "code": seg.code,
            "start": seg.start, "end": seg.end, "text": seg.text, "speaker": seg.speaker,
        })
        rank = {sid: i for i, sid in enumerate(list(documents["id"]) + list(journal["id"]))}
        frame["_src"] = frame["source"].map(rank)
        frame["_coder"] = (frame["coder"] != "R01").astype(int)
        frame = frame.sort_values(["_src", "_coder", "start"], kind="mergesort")
        frame = frame.drop(columns=["_src", "_coder"]).reset_index(drop=True)
        width = _width(len(frame), 5)
        frame.insert(0, "id", [f"S{i + 1:0{width}d}" for i in range(len(frame))])
        frame["start"] = frame["start"].astype(str)
        frame["end"] = frame["end"].astype(str)
        return frame[TABLES["segments"].names]

    # ---------------------------------------------------------------- indicators
    def indicators(self, segments: pd.DataFrame, documents: pd.DataFrame,
                   journal: pd.DataFrame) -> pd.DataFrame:
        src_date = pd.concat([documents.set_index("id")["date"], journal.set_index("id")["date"]])
        src_unit = pd.concat([documents.set_index("id")["unit"], journal.set_index("id")["unit"]])
        prim = segments[segments["coder"] == "R01"]
        dates = prim["source"].map(src_date).to_numpy()
        seg_period = np.full(len(prim), "", dtype=object)
        jdates = journal["date"].to_numpy()
        j_period = np.full(len(journal), "", dtype=object)
        for p in PERIODS:
            seg_period[(dates >= p.start) & (dates <= p.end)] = p.id
            j_period[(jdates >= p.start) & (jdates <= p.end)] = p.id
        prim = prim.assign(_period=seg_period, _unit=prim["source"].map(src_unit).to_numpy())
        jr = journal.assign(_period=j_period)
        rows = self._indicator_rows(INDICATORS, self.rng, prim, jr)
        cycle_rng = np.random.default_rng([self.seed, CYCLE_STREAM])
        rows += self._indicator_rows(CYCLE_INDICATORS, cycle_rng, prim, jr)
        frame = pd.DataFrame(rows)
        frame.insert(0, "id", [f"I{i + 1:03d}" for i in range(len(frame))])
        return frame[TABLES["indicators"].names]

    @staticmethod
    def _indicator_rows(specs, rng: np.random.Generator, prim: pd.DataFrame,
                        jr: pd.DataFrame) -> list[dict]:
        """One row per indicator and period, evidence drawn from ``rng``."""
        rows = []
        for spec in specs:
            (indicator, stage, kind, label, unit, contrib, benef, measure, values, baseline,
             source, rule, regenerates) = spec
            for pi, period in enumerate(PERIODS):
                if unit and _unit_window(unit, period) is None:
                    continue
                candidates = []
                if rule is not None and rule[0] == "code":
                    sel = prim[(prim["_period"] == period.id) & (prim["code"] == rule[1])]
                    candidates = sel["id"].tolist()
                elif rule is not None and rule[0] == "journal":
                    sel = jr[(jr["_period"] == period.id) & (jr["kind"] == rule[1])]
                    candidates = sel["id"].tolist()
                elif rule is not None and rule[0] == "unit":
                    sel = jr[(jr["_period"] == period.id) & (jr["unit"] == rule[1])]
                    candidates = sel["id"].tolist()
                k = min(len(candidates), 1 + int(rng.integers(0, 3)))
                evidence = ""
                if k:
                    chosen = rng.choice(len(candidates), size=k, replace=False)
                    evidence = LIST_SEPARATOR.join(sorted(candidates[i] for i in chosen))
                rows.append({
                    "indicator": indicator, "stage": stage,
                    "resource_kind": kind if stage == "ressources" else "",
                    "activity_kind": kind if stage == "activités" else "",
                    "label": label, "unit": unit, "contributors": contrib,
                    "beneficiaries": benef, "period": period.id, "value": _num(values[pi]),
                    "measure": measure, "baseline": _num(baseline), "source": source,
                    "evidence": evidence, "regenerates": regenerates,
                })
        return rows


# --------------------------------------------------------------------------
# study.yml
# --------------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def study_yaml(seed: int = DEFAULT_SEED, scale: int = 1) -> str:
    """The text of the example ``study.yml``.

    Parameters
    ----------
    seed, scale : int
        Recorded in the header comment only.

    Returns
    -------
    str
        YAML text, dates as quoted ISO strings, ``\\n`` line ends.
    """
    lines = [
        "# Cas d'exemple SYNTHÉTIQUE : rien n'est réel (personnes pseudonymisées, textes inventés).",
        f"# Généré par « python -m rd_territoriale.example » (graine {seed}, échelle {scale}).",
        "# Ne pas modifier à la main : régénérer avec « rd-territoriale exemple ».",
        "case: " + _q(CASE),
        "territory: " + _q(TERRITORY),
        "description: " + _q(
            "Recherche-intervention (CIFRE) dans un pôle territorial de coopération économique "
            "organisé en SCIC SA. Cas unique enchâssé : l'organisation et ses projets collectifs "
            "(unités enchâssées), suivis sur quatre périodes de 2018 à 2022. Données synthétiques "
            "avec effets plantés (voir README.md)."),
        "researchers: [R01, R02]",
        "periods:",
    ]
    for p in PERIODS:
        lines.append(f"  - {{id: {p.id}, label: {_q(p.label)}, start: {_q(p.start)}, "
                     f"end: {_q(p.end)}, opening_event: {_q(p.opening_event)}}}")
    lines.append("stakeholder_categories:")
    for cid, label, college, members, *_ in CATEGORIES:
        lines.append(f"  - {{id: {cid}, label: {_q(label)}, college: {_q(college)}, "
                     f"members: {members}}}")
    lines.append("research_lexicon:")
    for term, variants in LEXICON:
        lines.append(f"  - {{term: {_q(term)}, variants: [{', '.join(_q(v) for v in variants)}]}}")
    lines.append("privacy: {min_cell_size: 5, quote_policy: consentement}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def build(scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build the example tables in memory, without writing anything.

    Parameters
    ----------
    scale : int, default 1
        Volume multiplier for interviews and journal entries (``30`` gives
        about 11,000 journal entries and 110,000 primary coded segments,
        130,000 with the second coder's, in a few seconds).
    seed : int, default :data:`DEFAULT_SEED`
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table of the contract, every cell a string (``""`` for
        a missing value), columns in contract order.
    """
    if int(scale) != scale or scale < 1:
        raise ValueError(f"scale doit être un entier >= 1 (reçu : {scale!r})")
    scale = int(scale)
    b = _Builder(int(seed), scale)
    seg = _Seg.empty()
    documents = b.documents()
    b.interview_segments(seg)
    journal = b.journal(seg)
    b.second_coding(seg)
    segments = b.segments_frame(seg, documents, journal)
    indicators = b.indicators(segments, documents, journal)
    return {
        "units": _units(),
        "people": b.people,
        "documents": documents,
        "journal": journal,
        "codebook": _codebook(),
        "segments": segments,
        "indicators": indicators,
    }


def generate(out_dir, scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the synthetic example case into ``out_dir``.

    Writes ``study.yml`` and ``units.csv, people.csv, documents.csv,
    journal.csv, codebook.csv, segments.csv, indicators.csv`` (UTF-8, comma,
    header, ``\\n`` line ends). Existing files of those names are replaced;
    nothing else in ``out_dir`` is touched (``README.md`` is never written
    nor deleted).

    Parameters
    ----------
    out_dir : str or Path
        Target folder, created if needed.
    scale : int, default 1
        Volume multiplier (interviews, journal entries, segments).
    seed : int, default :data:`DEFAULT_SEED`
        Seed; the same seed and scale give byte-identical files.

    Returns
    -------
    dict of str to int
        Number of rows written per table.

    Examples
    --------
    >>> counts = generate(tmp_path / "exemple")           # doctest: +SKIP
    >>> counts["journal"] >= 300                           # doctest: +SKIP
    True
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = build(scale=scale, seed=seed)
    (out / STUDY_FILE).write_bytes(study_yaml(seed, scale).encode("utf-8"))
    counts = {}
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
        counts[name] = len(frame)
    return counts


def main(argv=None) -> int:
    """Command line: ``python -m rd_territoriale.example [--out DIR] [--scale N] [--seed S]``."""
    parser = argparse.ArgumentParser(
        prog="python -m rd_territoriale.example",
        add_help=False,
        description=("Génère le cas d'exemple synthétique (Clus'Ter Jura fictif) : study.yml et "
                     "les tables CSV du contrat de données, avec des effets plantés documentés "
                     "dans data/exemple/README.md. Le README n'est jamais écrit ni effacé."),
    )
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    parser.add_argument("--out", default=DEFAULT_OUT, metavar="DOSSIER",
                        help=f"dossier de sortie (défaut : {DEFAULT_OUT})")
    parser.add_argument("--scale", type=int, default=1, metavar="N",
                        help="facteur de volume : entretiens, journal et segments sont multipliés "
                             "(30 donne environ 11 000 entrées de journal et 110 000 segments "
                             "du codeur principal ; défaut : 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="GRAINE",
                        help=f"graine du générateur aléatoire (défaut : {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale doit être un entier >= 1")
    counts = generate(args.out, scale=args.scale, seed=args.seed)
    print(f"Cas d'exemple écrit dans {args.out} (graine {args.seed}, échelle {args.scale}) :")
    for name, n in counts.items():
        print(f"  {name + '.csv':<16} {n:>8} lignes")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
