"""The example's scenario: its periods, people, projects, codes and the effects planted in them.

Every rate, factor and share that makes the synthetic data say something is
here, with the answer key of ``data/exemple/README.md`` in mind; the builder
(:mod:`.builder`) only draws from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
class Period:
    id: str
    label: str
    start: str
    end: str
    opening_event: str


PERIODS = (
    Period(
        "P1",
        "Émergence du pôle",
        "2018-01-01",
        "2019-03-31",
        "Signature de la convention CIFRE et lancement de la démarche de R&D territoriale",
    ),
    Period(
        "P2",
        "Structuration en SCIC",
        "2019-04-01",
        "2020-03-15",
        "Transformation en SCIC SA et ouverture des collèges d'associés",
    ),
    Period(
        "P3",
        "Crise sanitaire et relance",
        "2020-03-16",
        "2021-06-30",
        "Premier confinement : suspension des ateliers, bascule vers les plans de relance",
    ),
    Period(
        "P4",
        "Consolidation",
        "2021-07-01",
        "2022-12-31",
        "Renouvellement du conseil d'administration et nouvelle feuille de route",
    ),
)
PERIOD_INDEX = {p.id: i for i, p in enumerate(PERIODS)}

# id, label, college, members, lower-case label for sentences, pseudonym prefix, people
CATEGORIES = (
    ("salaries", "Salariés", "Collège des salariés", 12, "salariés", "SAL", 12),
    ("ess", "Structures de l'ESS", "Collège des structures de l'ESS", 38, "structures de l'ESS", "ESS", 18),
    ("entreprises", "Entreprises", "Collège des entreprises", 30, "entreprises", "ENT", 14),
    (
        "collectivites",
        "Collectivités locales",
        "Collège des collectivités locales",
        14,
        "collectivités locales",
        "COL",
        8,
    ),
    ("partenaires", "Partenaires et financeurs", "Collège des partenaires", 10, "partenaires financeurs", "PAR", 6),
    ("citoyens", "Citoyens·bénévoles", "Collège des citoyens et bénévoles", 26, "citoyens·bénévoles", "CIT", 14),
)
CAT_IDS = tuple(c[0] for c in CATEGORIES)
CATEGORY_INDEX = {c: i for i, c in enumerate(CAT_IDS)}
MEMBERS = np.array([c[3] for c in CATEGORIES], dtype=float)
MEMBER_SHARE = dict(zip(CAT_IDS, MEMBERS / MEMBERS.sum()))

CATEGORY_ROLES = {
    "salaries": (
        "chargé·e de mission",
        "animateur·rice de réseau",
        "coordinateur·rice de projets",
        "assistant·e administratif·ve",
        "chargé·e de développement",
    ),
    "ess": (
        "directeur·rice d'association",
        "administrateur·rice bénévole",
        "encadrant·e technique d'insertion",
        "responsable de structure",
    ),
    "entreprises": ("chef·fe d'entreprise", "responsable RSE", "artisan·e", "gérant·e de PME"),
    "collectivites": (
        "élu·e communautaire",
        "maire d'une commune rurale",
        "chargé·e de mission développement économique",
    ),
    "partenaires": (
        "chargé·e d'affaires d'un financeur",
        "représentant·e d'une fondation",
        "conseiller·ère d'un réseau d'accompagnement",
    ),
    "citoyens": ("bénévole", "habitant·e associé·e", "bénévole retraité·e"),
}

# The lexicon: term, variants declared in study.yml.
LEXICON = (
    ("méta-organisation", ("méta-organisations", "meta-organisation", "meta-organisations")),
    ("entrepreneuriat coopératif de territoire", ("ECT", "entrepreneuriats coopératifs de territoire")),
    (
        "chaîne de valeur élargie",
        ("chaînes de valeur élargies", "chaine de valeur elargie", "chaines de valeur elargies"),
    ),
    ("R&D territoriale", ("R & D territoriale", "recherche et développement territoriale")),
    ("intrapreneur", ("intrapreneurs", "intrapreneuriat")),
)

# id, name, kind, start, end, short ("la recyclerie"), "de" form, description
UNITS = (
    (
        "U01",
        "Recyclerie du Pays Lédonien",
        "filière réemploi",
        "2018-02-01",
        "",
        "la recyclerie",
        "de la recyclerie",
        "Collecte, tri et revente d'objets de seconde main, avec des salariés en insertion.",
    ),
    (
        "U02",
        "Légumerie solidaire des cantines",
        "filière alimentaire",
        "2018-03-01",
        "2022-03-31",
        "la légumerie",
        "de la légumerie",
        "Transformation de légumes locaux pour la restauration collective du territoire.",
    ),
    (
        "U03",
        "Mobilité solidaire rurale",
        "service",
        "2018-06-01",
        "",
        "la mobilité solidaire",
        "de la mobilité solidaire",
        "Transport à la demande et prêt de véhicules pour les personnes sans solution de mobilité.",
    ),
    (
        "U04",
        "Tiers-lieu de la gare",
        "tiers-lieu",
        "2019-05-01",
        "",
        "le tiers-lieu",
        "du tiers-lieu",
        "Espace partagé de travail, de fabrication et de rencontre dans une ancienne halle.",
    ),
    (
        "U05",
        "Filière bois local",
        "filière",
        "2018-04-01",
        "",
        "la filière bois",
        "de la filière bois",
        "Valorisation des bois et des chutes de scierie du Jura dans la construction locale.",
    ),
    (
        "U06",
        "Conciergerie d'entreprises",
        "service aux entreprises",
        "2019-09-01",
        "",
        "la conciergerie",
        "de la conciergerie",
        "Services mutualisés aux salariés des entreprises d'une zone d'activités.",
    ),
    (
        "U07",
        "Atelier vélo solidaire",
        "insertion",
        "2020-06-01",
        "",
        "l'atelier vélo",
        "de l'atelier vélo",
        "Réparation et revente de vélos, parcours d'insertion et ateliers d'autoréparation.",
    ),
    (
        "U08",
        "Reconditionnement numérique",
        "filière réemploi",
        "2021-09-01",
        "",
        "le reconditionnement numérique",
        "du reconditionnement numérique",
        "Reconditionnement d'ordinateurs pour les associations et les familles.",
    ),
    (
        "U09",
        "Groupement d'employeurs",
        "emploi partagé",
        "2020-10-01",
        "",
        "le groupement d'employeurs",
        "du groupement d'employeurs",
        "Emplois partagés entre exploitations agricoles et petites entreprises.",
    ),
)
UNIT_IDS = tuple(u[0] for u in UNITS)
UNIT_BY_ID = {u[0]: u for u in UNITS}
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
ALLOC_STD = {"salaries": 1, "ess": 4, "entreprises": 3, "collectivites": 1, "partenaires": 1, "citoyens": 3}
ALLOC_P3 = {"salaries": 7, "ess": 2, "entreprises": 2, "collectivites": 1, "partenaires": 1, "citoyens": 1}
INTERVIEW_ALLOC = (ALLOC_STD, ALLOC_STD, ALLOC_P3, ALLOC_STD)
EMPLOYEE_WORD_SHARE_P3 = 0.5
MEAN_WORDS = 4400
FADING_INTERVIEWS = (4, 3, 1, 1)  # interviews about U02 per period

# --------------------------------------------------------------------------
# The codebook: three versions, churn documented in ``replaces``
# --------------------------------------------------------------------------

# theme code, label, dimension, definition
THEMES = (
    (
        "dynamiques_projets",
        "Dynamiques des projets collectifs",
        "ECT",
        "Trajectoires des projets collectifs : élan, coopération, essoufflement, concurrence.",
    ),
    (
        "fonctionnement_pole",
        "Fonctionnement de la méta-organisation",
        "méta-organisation",
        "Comment le pôle gouverne, anime et se positionne vis-à-vis des projets.",
    ),
    (
        "ressources_territoire",
        "Ressources et besoins du territoire",
        "ECT",
        "Ressources latentes, besoins sociaux non couverts, ancrage local.",
    ),
    (
        "modele_economique",
        "Modèle socio-économique",
        "chaîne de valeur élargie",
        "Financement, trésorerie, hybridation des ressources.",
    ),
    (
        "travail_engagement",
        "Travail et engagement",
        "travail",
        "Conditions de travail des salariés et engagement des bénévoles.",
    ),
    (
        "impact_social",
        "Impact social",
        "chaîne de valeur élargie",
        "Ce que les projets produisent et changent pour le territoire.",
    ),
    (
        "recherche",
        "Recherche-intervention",
        "réflexivité",
        "Place du chercheur, effets de la recherche sur le terrain.",
    ),
)

# code, theme, label, definition, versions present (first..last), replaces (in first version)
CODES = (
    (
        "enthousiasme",
        "dynamiques_projets",
        "Enthousiasme initial",
        "Élan, envie, mobilisation spontanée autour d'un projet.",
        (1, 2, 3),
        "",
    ),
    (
        "cooperation_interne",
        "dynamiques_projets",
        "Coopération interne",
        "Coopération entre membres d'un même projet.",
        (1,),
        "",
    ),
    (
        "cooperation_externe",
        "dynamiques_projets",
        "Coopération externe",
        "Coopération avec des structures extérieures au projet.",
        (1,),
        "",
    ),
    (
        "cooperation",
        "dynamiques_projets",
        "Coopération entre acteurs",
        "Mutualisation, entraide, travail commun entre structures (fusion de deux codes).",
        (2, 3),
        "cooperation_interne|cooperation_externe",
    ),
    (
        "essoufflement",
        "dynamiques_projets",
        "Essoufflement",
        "Baisse de participation, lassitude, élan retombé (effet « feu de paille »).",
        (1, 2, 3),
        "",
    ),
    (
        "concurrence_projets",
        "dynamiques_projets",
        "Concurrence entre projets",
        "Rivalité entre projets du pôle pour les financements, les bénévoles, les clients.",
        (3,),
        "",
    ),
    (
        "temporalite_lente",
        "dynamiques_projets",
        "Lenteur des temps multi-acteurs",
        "Délais de décision et désynchronisation des temps des acteurs.",
        (1, 2, 3),
        "",
    ),
    (
        "gouvernance_partagee",
        "fonctionnement_pole",
        "Gouvernance partagée",
        "Décision collective, collèges, consentement, place des associés.",
        (1, 2, 3),
        "",
    ),
    (
        "role_flou",
        "fonctionnement_pole",
        "Rôle flou du pôle",
        "Ambiguïté du rôle du pôle : facilitateur ou porteur, animateur ou opérateur.",
        (2, 3),
        "",
    ),
    (
        "animation_reseau",
        "fonctionnement_pole",
        "Animation du réseau",
        "Mises en relation, relances, préparation des réunions par l'équipe du pôle.",
        (1, 2, 3),
        "",
    ),
    (
        "ancrage_territorial",
        "ressources_territoire",
        "Ancrage territorial",
        "Lien du projet aux ressources, aux acteurs et à l'identité du territoire.",
        (1, 2, 3),
        "",
    ),
    (
        "ressource_latente",
        "ressources_territoire",
        "Ressource latente révélée",
        "Ressource locale inexploitée identifiée puis valorisée.",
        (1, 2, 3),
        "",
    ),
    (
        "besoin_social",
        "ressources_territoire",
        "Besoin social non couvert",
        "Besoin des habitants ou des entreprises auquel personne ne répondait.",
        (1, 2, 3),
        "",
    ),
    (
        "innovation_sociale",
        "ressources_territoire",
        "Innovation sociale",
        "Code abandonné en version 2 : trop général, recouvrait tous les autres.",
        (1,),
        "",
    ),
    (
        "difficultes_financieres",
        "modele_economique",
        "Difficultés financières",
        "Problèmes d'argent (renommé en version 2).",
        (1,),
        "",
    ),
    (
        "tension_financement",
        "modele_economique",
        "Tension sur le financement",
        "Trésorerie tendue, dépendance aux appels à projets, fonctionnement non financé.",
        (2, 3),
        "difficultes_financieres",
    ),
    (
        "hybridation_ressources",
        "modele_economique",
        "Hybridation des ressources",
        "Combinaison de ventes, subventions, mécénat, bénévolat.",
        (1, 2, 3),
        "",
    ),
    ("epuisement", "travail_engagement", "Épuisement", "Fatigue et surcharge (scindé en version 3).", (1, 2), ""),
    (
        "pression_salaries",
        "travail_engagement",
        "Pression sur les salariés",
        "Objectifs à tenir « coûte que coûte », charge imposée aux salariés.",
        (3,),
        "epuisement",
    ),
    (
        "surinvestissement",
        "travail_engagement",
        "Surinvestissement",
        "Engagement personnel au-delà du raisonnable, difficulté à poser des limites.",
        (3,),
        "epuisement",
    ),
    (
        "engagement_benevole",
        "travail_engagement",
        "Engagement bénévole",
        "Temps et énergie donnés par les bénévoles et les habitants.",
        (1, 2, 3),
        "",
    ),
    (
        "utilite_sociale",
        "impact_social",
        "Utilité sociale",
        "Sens du projet, ce qu'il change pour les personnes.",
        (1, 2, 3),
        "",
    ),
    (
        "effets_emploi",
        "impact_social",
        "Effets sur l'emploi",
        "Emplois créés, consolidés, parcours d'insertion.",
        (1, 2, 3),
        "",
    ),
    (
        "reconnaissance_externe",
        "impact_social",
        "Reconnaissance externe",
        "Visibilité, essaimage, reconnaissance par les institutions.",
        (2, 3),
        "",
    ),
    (
        "posture_chercheur",
        "recherche",
        "Posture du chercheur",
        "Double position salarié-chercheur, distance, effets de la présence du chercheur.",
        (1, 2, 3),
        "",
    ),
    (
        "apport_recherche",
        "recherche",
        "Apports de la recherche",
        "Restitutions, outils et grilles de la recherche repris par les acteurs.",
        (2, 3),
        "",
    ),
)
LAST_VERSION = 3
LEAF_CODES = tuple(c[0] for c in CODES if LAST_VERSION in c[4])
CODE_INDEX = {c: i for i, c in enumerate(LEAF_CODES)}

RISING_CODE = "tension_financement"
UNRELIABLE_CODE = "role_flou"
NULL_CODES = ("ancrage_territorial", "gouvernance_partagee", "utilite_sociale")
PRESSURE_CODES = ("pression_salaries", "surinvestissement")

# Rates per 1,000 interview words for actors (respondents), before effects.
BASE_RATES = {
    "enthousiasme": 0.6,
    "cooperation": 0.8,
    "essoufflement": 0.3,
    "concurrence_projets": 0.25,
    "temporalite_lente": 0.4,
    "gouvernance_partagee": 0.9,
    "role_flou": 0.7,
    "animation_reseau": 0.5,
    "ancrage_territorial": 1.0,
    "ressource_latente": 0.4,
    "besoin_social": 0.5,
    "tension_financement": 1.0,
    "hybridation_ressources": 0.4,
    "pression_salaries": 0.25,
    "surinvestissement": 0.2,
    "engagement_benevole": 0.4,
    "utilite_sociale": 0.8,
    "effets_emploi": 0.3,
    "reconnaissance_externe": 0.3,
    "posture_chercheur": 0.1,
    "apport_recherche": 0.2,
}
RISING_FACTOR = 4.0  # tension_financement in P3
PRESSURE_FACTOR = 5.0  # pression/surinvestissement, employees, P3-P4
# Category-specific (non-null) codes, for a less flat role-ordered matrix.
CATEGORY_FACTORS = {
    ("citoyens", "engagement_benevole"): 2.5,
    ("partenaires", "hybridation_ressources"): 2.0,
    ("collectivites", "hybridation_ressources"): 2.0,
    ("entreprises", "effets_emploi"): 1.5,
}
# U02 interviews: enthusiasm and cooperation early, fading and competition late.
FADING_FACTORS = {
    "early": {"enthousiasme": 3.5, "cooperation": 2.5, "essoufflement": 0.2, "concurrence_projets": 0.2},
    "late": {"enthousiasme": 0.15, "cooperation": 0.3, "essoufflement": 8.0, "concurrence_projets": 8.0},
}
INTERVIEWER_RATE = 1.3  # interviewer's coded talk per 1,000 words
INTERVIEWER_CODES = {"posture_chercheur": 0.30, "apport_recherche": 0.20, "role_flou": 0.25, "animation_reseau": 0.25}

# Research lexicon in actors' interview segments: probability per segment.
CVE_SHARE = (0.0, 0.01, 0.045, 0.10)  # after DIFFUSION_DATE only
META_SHARE = 0.03  # control term, stable
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
JOURNAL_NULL_PROBS = {"ancrage_territorial": 0.06, "gouvernance_partagee": 0.06, "utilite_sociale": 0.06}
JOURNAL_WEIGHTS = {
    "enthousiasme": 6,
    "cooperation": 6,
    "essoufflement": 3,
    "concurrence_projets": 2,
    "temporalite_lente": 5,
    "role_flou": 5,
    "animation_reseau": 8,
    "ressource_latente": 4,
    "besoin_social": 4,
    "tension_financement": 4,
    "hybridation_ressources": 3,
    "pression_salaries": 2,
    "surinvestissement": 2,
    "engagement_benevole": 4,
    "effets_emploi": 3,
    "reconnaissance_externe": 3,
    "posture_chercheur": 5,
    "apport_recherche": 4,
}

FADING_JOURNAL_FACTORS = {
    "early": {"enthousiasme": 4.0, "cooperation": 3.0, "essoufflement": 0.1, "concurrence_projets": 0.1},
    "late": {"enthousiasme": 0.1, "cooperation": 0.3, "essoufflement": 6.0, "concurrence_projets": 6.0},
}
JOURNAL_CVE_SHARE = (0.15, 0.15, 0.20, 0.25)  # after DIFFUSION_DATE only

# Second coder: probability of the same code, another code, omission.
R02_AGREE = 0.88
R02_OTHER = 0.07
R02_AGREE_UNRELIABLE = 0.40
R02_OTHER_UNRELIABLE = 0.40
R02_EXTRA_RATE = 0.04
DOUBLE_CODED_TARGET = 0.20
CONFUSIONS = {
    "enthousiasme": ("cooperation",),
    "cooperation": ("enthousiasme", "animation_reseau"),
    "essoufflement": ("concurrence_projets", "temporalite_lente"),
    "concurrence_projets": ("essoufflement",),
    "temporalite_lente": ("essoufflement",),
    "gouvernance_partagee": ("animation_reseau",),
    "role_flou": ("animation_reseau", "gouvernance_partagee", "posture_chercheur", "concurrence_projets"),
    "animation_reseau": ("cooperation", "gouvernance_partagee"),
    "ancrage_territorial": ("ressource_latente",),
    "ressource_latente": ("ancrage_territorial",),
    "besoin_social": ("utilite_sociale",),
    "tension_financement": ("hybridation_ressources",),
    "hybridation_ressources": ("tension_financement",),
    "pression_salaries": ("surinvestissement",),
    "surinvestissement": ("pression_salaries",),
    "engagement_benevole": ("surinvestissement",),
    "utilite_sociale": ("besoin_social",),
    "effets_emploi": ("utilite_sociale",),
    "reconnaissance_externe": ("utilite_sociale",),
    "posture_chercheur": ("apport_recherche",),
    "apport_recherche": ("posture_chercheur",),
}

# --------------------------------------------------------------------------
# Texts

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
    (
        "benevolat_heures",
        "ressources",
        "bénévole",
        "Heures de bénévolat mobilisées",
        "",
        "citoyens|ess",
        "ess|citoyens",
        "heures",
        (1450, 1720, 1180, 1390),
        900,
        "Tableau de suivi du bénévolat",
        ("code", "engagement_benevole"),
        "",
    ),
    (
        "financements_mobilises",
        "ressources",
        "monétaire",
        "Financements publics et privés mobilisés",
        "",
        "collectivites|partenaires",
        "ess|entreprises",
        "€",
        (182000, 246000, 315000, 288000),
        95000,
        "Comptabilité analytique",
        ("code", "hybridation_ressources"),
        "",
    ),
    (
        "temps_salarie_animation",
        "ressources",
        "humaine",
        "Temps salarié consacré à l'animation du pôle",
        "",
        "salaries",
        "ess|entreprises|collectivites",
        "heures",
        (2100, 2600, 3400, 3500),
        1200,
        "Feuilles de temps",
        ("code", "pression_salaries"),
        "",
    ),
    (
        "idees_projets",
        "activités",
        "principale",
        "Idées de projets recueillies (activité principale)",
        "",
        "ess|entreprises|collectivites|citoyens",
        "",
        "nombre",
        (48, 37, 29, 22),
        0,
        "Registre des idées",
        ("journal", "atelier"),
        "",
    ),
    (
        "ateliers_thematiques",
        "activités",
        "principale",
        "Ateliers thématiques animés (activité principale)",
        "",
        "salaries|ess|entreprises|citoyens",
        "ess|entreprises|citoyens",
        "nombre",
        (24, 19, 16, 12),
        0,
        "Tableau de suivi des ateliers",
        ("journal", "atelier"),
        "",
    ),
    (
        "reunions_travail",
        "activités",
        "support",
        "Réunions de travail (activité support)",
        "",
        "salaries|ess|entreprises|collectivites",
        "",
        "nombre",
        (55, 49, 52, 61),
        10,
        "Agenda partagé",
        ("journal", "réunion"),
        "",
    ),
    (
        "projets_demarres",
        "réalisations",
        "",
        "Projets collectifs démarrés",
        "",
        "salaries|ess|entreprises|collectivites",
        "citoyens|ess",
        "nombre",
        (6, 6, 5, 5),
        0,
        "Bilan d'activité",
        ("code", "ressource_latente"),
        "",
    ),
    (
        "acteurs_mobilises",
        "réalisations",
        "",
        "Acteurs mobilisés dans les ateliers et les projets",
        "",
        "salaries|ess|entreprises|collectivites|partenaires|citoyens",
        "",
        "personnes",
        (850, 760, 690, 820),
        120,
        "Listes d'émargement",
        ("journal", "événement"),
        "",
    ),
    (
        "dechets_detournes",
        "réalisations",
        "",
        "Déchets détournés de l'enfouissement",
        "U01",
        "ess|citoyens",
        "collectivites",
        "tonnes",
        (18, 42, 55, 61),
        0,
        "Pesées de la recyclerie",
        ("unit", "U01"),
        "",
    ),
    (
        "repas_servis",
        "réalisations",
        "",
        "Repas servis avec des légumes de la légumerie",
        "U02",
        "ess|entreprises",
        "collectivites|citoyens",
        "repas",
        (9500, 14200, 3100, 400),
        0,
        "Factures aux cantines",
        ("unit", "U02"),
        "",
    ),
    (
        "emplois",
        "résultats",
        "",
        "Emplois créés ou consolidés",
        "",
        "ess|entreprises|salaries",
        "salaries|citoyens",
        "ETP",
        (6, 11, 15, 19),
        0,
        "Registre du personnel des projets",
        ("code", "effets_emploi"),
        "",
    ),
    (
        "premieres_cooperations",
        "résultats",
        "",
        "Structures coopérant pour la première fois",
        "",
        "ess|entreprises|collectivites",
        "ess|entreprises",
        "nombre",
        (14, 18, 11, 9),
        2,
        "Enquête auprès des associés",
        ("code", "cooperation"),
        "",
    ),
    (
        "personnes_transportees",
        "résultats",
        "",
        "Personnes transportées par la mobilité solidaire",
        "U03",
        "salaries|citoyens|collectivites",
        "citoyens",
        "personnes",
        (120, 340, 410, 620),
        "",
        "Registre des trajets",
        ("unit", "U03"),
        "",
    ),
    (
        "cooperations_durables",
        "impacts",
        "",
        "Coopérations durables entre structures du territoire",
        "",
        "ess|entreprises|collectivites",
        "ess|entreprises|collectivites|citoyens",
        "nombre",
        (3, 7, 9, 12),
        1,
        "Enquête auprès des associés",
        ("code", "cooperation"),
        "reseau_partenaires",
    ),
    (
        "ressources_communes",
        "impacts",
        "",
        "Ressources communes régénérées (locaux, matériel, compétences partagés)",
        "",
        "ess|entreprises|collectivites|citoyens",
        "ess|entreprises|collectivites|citoyens",
        "nombre",
        (2, 4, 6, 8),
        "",
        "Inventaire des ressources partagées",
        ("code", "ancrage_territorial"),
        "benevolat_heures|reseau_partenaires",
    ),
    (
        "attractivite_territoire",
        "impacts",
        "",
        "Attractivité perçue du territoire (score moyen sur 10)",
        "",
        "ess|entreprises|collectivites|citoyens",
        "citoyens",
        "score sur 10",
        (6.1, 6.4, 6.0, 6.6),
        5.8,
        "Enquête annuelle auprès des habitants",
        None,
        "",
    ),
)

# Indicators added once the value chain was read as a cycle (a relational
# resource that the impacts regenerate). Their evidence is drawn from a
# dedicated stream, so that the rows above keep their ids and draws.
CYCLE_INDICATORS = (
    (
        "reseau_partenaires",
        "ressources",
        "relationnelle",
        "Structures partenaires engagées dans le réseau du pôle",
        "",
        "ess|entreprises|collectivites|partenaires",
        "ess|entreprises|collectivites",
        "structures",
        (34, 52, 61, 74),
        20,
        "Registre des associés et des conventions de partenariat",
        ("code", "animation_reseau"),
        "",
    ),
)
CYCLE_STREAM = 1  # the dedicated stream is default_rng([seed, CYCLE_STREAM])
