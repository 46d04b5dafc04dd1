"""The data contract: which tables a study holds, their columns and rules.

This module is pure data. It says what a study folder must contain; it never
reads a file. :mod:`rd_territoriale.study.schema` turns it into pandera schemas and
:mod:`rd_territoriale.example` writes data that follow it.

Conventions (docs/architecture.md §3): identifiers and column names are English, values
people read are French, dates are ``AAAA-MM-JJ`` (``JJ/MM/AAAA`` accepted on
input), list cells separate their items with ``|``.

Column kinds
------------
``id``
    a non-empty identifier (letters, digits, ``-``, ``_``, ``.``).
``text``
    free text.
``date``
    a calendar date.
``int`` / ``float``
    numbers; a decimal comma and thin/non-breaking thousands separators are
    accepted on input.
``bool``
    ``oui``/``non`` (also ``vrai``/``faux``, ``true``/``false``, ``1``/``0``).
``enum``
    one of a closed list of French values (case and accents are forgiven on
    input and the canonical spelling is kept).
``list``
    items separated by ``|``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIST_SEPARATOR = "|"

DOCUMENT_KINDS = (
    "entretien",
    "entretien collectif",
    "compte rendu",
    "document interne",
    "presse",
    "autre",
)
INTERVIEW_KINDS = ("entretien", "entretien collectif")
#: Who reads a report: the partners (small counts masked, consented quotes
#: only) or the research team.
AUDIENCES = ("partenaires", "equipe")
#: The file that defines a study, at the root of its folder.
STUDY_FILE = "study.yml"
JOURNAL_KINDS = (
    "réunion",
    "atelier",
    "comité",
    "événement",
    "informel",
    "note réflexive",
)
RESEARCHER_ROLES = ("observateur", "facilitateur", "acteur", "évaluateur")
VALUE_CHAIN_STAGES = (
    "ressources",
    "activités",
    "réalisations",
    "résultats",
    "impacts",
)
# Kinds of resources and of activities in La Fonda's « chaîne de valeur
# élargie »: support activities (governance, coordination, fundraising) create
# value too, and impacts regenerate the territory's resources (a cycle).
RESOURCE_KINDS = (
    "monétaire",
    "humaine",
    "bénévole",
    "matérielle",
    "relationnelle",
    "commun territorial",
)
ACTIVITY_KINDS = ("principale", "support")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        Column name in the file (English).
    kind : str
        One of ``id, text, date, int, float, bool, enum, list``.
    required : bool
        Whether the column must be present in the file.
    nullable : bool
        Whether a cell may be empty.
    unique : bool
        Whether values must be unique in the table.
    choices : tuple of str
        Allowed values for ``enum`` columns.
    ref : str or None
        What the values (or list items) must refer to: ``"units"``,
        ``"people"``, ``"sources"`` (documents or journal), ``"codes"``,
        ``"categories"``, ``"periods"``, ``"evidence"`` (segments or journal).
    minimum : float or None
        Smallest allowed number.
    in_period : bool
        For dates: the date must fall inside a period of the study.
    typed : bool
        For lists: the items are words a person typed (group names), not
        identifiers, so pseudonymisation treats them like text.
    description : str
        What the column holds, in French (shown in messages and in docs/donnees.md).
    """

    name: str
    kind: str
    required: bool = True
    nullable: bool = False
    unique: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    minimum: float | None = None
    in_period: bool = False
    typed: bool = False
    description: str = ""


@dataclass(frozen=True)
class Table:
    """One table of a study: its file stem, key and columns."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    required: bool = True
    description: str = ""
    extra: dict = field(default_factory=dict)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        """Column names in contract order."""
        return [c.name for c in self.columns]


C = Column

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "units",
            (
                C("id", "id", unique=True, description="identifiant du projet"),
                C("name", "text", description="nom du projet collectif"),
                C("kind", "text", description="type de projet (filière, service, tiers-lieu…)"),
                C("start", "date", description="date de démarrage"),
                C("end", "date", nullable=True, description="date de fin (vide si en cours)"),
                C("description", "text", required=False, nullable=True),
            ),
            description="unités enchâssées : les projets collectifs",
        ),
        Table(
            "people",
            (
                C("id", "id", unique=True, description="pseudonyme de la personne"),
                C("category", "id", ref="categories", description="catégorie de parties prenantes"),
                C(
                    "college",
                    "text",
                    required=False,
                    nullable=True,
                    description="collège de la SCIC (doit correspondre à la catégorie)",
                ),
                C("is_researcher", "bool", description="oui pour les chercheur·es"),
                C("role", "text", required=False, nullable=True),
            ),
            description="personnes pseudonymisées",
        ),
        Table(
            "documents",
            (
                C("id", "id", unique=True),
                C("kind", "enum", choices=DOCUMENT_KINDS),
                C("date", "date", in_period=True),
                C("unit", "id", nullable=True, ref="units"),
                C("respondent", "id", nullable=True, ref="people"),
                C("interviewer", "id", nullable=True, ref="people"),
                C("quote_consent", "bool", description="citation verbatim autorisée"),
                C("words", "int", minimum=0, description="nombre de mots"),
                C("title", "text", required=False, nullable=True),
                C(
                    "groups",
                    "list",
                    required=False,
                    nullable=True,
                    typed=True,
                    description="groupes de documents (ensembles REFI-QDA, groupes de documents de MAXQDA…)",
                ),
            ),
            description="entretiens et autres sources",
        ),
        Table(
            "journal",
            (
                C("id", "id", unique=True),
                C("date", "date", in_period=True),
                C("author", "id", ref="people"),
                C("unit", "id", nullable=True, ref="units"),
                C("kind", "enum", choices=JOURNAL_KINDS),
                C("researcher_role", "enum", choices=RESEARCHER_ROLES),
                C("participants", "list", nullable=True, ref="categories"),
                C("n_participants", "int", required=False, nullable=True, minimum=0),
                C("text", "text"),
                C("quote_consent", "bool", required=False, nullable=True),
            ),
            description="journal de terrain du ou de la chercheur·e",
        ),
        Table(
            "codebook",
            (
                C("code", "id"),
                C("label", "text"),
                C("parent", "id", nullable=True, ref="codes"),
                C("dimension", "text", nullable=True),
                C("definition", "text", nullable=True),
                C("version", "int", minimum=1),
                C("replaces", "list", required=False, nullable=True),
            ),
            key=("code", "version"),
            description="dictionnaire des codes, toutes versions conservées",
        ),
        Table(
            "segments",
            (
                C("id", "id", unique=True),
                C("source", "id", ref="sources"),
                C("coder", "id", ref="people"),
                C("code", "id", ref="codes"),
                C("start", "int", nullable=True, minimum=0),
                C("end", "int", nullable=True, minimum=0),
                C("text", "text"),
                C("speaker", "id", nullable=True, ref="people"),
            ),
            description="segments codés des documents et du journal",
        ),
        Table(
            "indicators",
            (
                C("id", "id", unique=True),
                C(
                    "indicator",
                    "id",
                    required=False,
                    nullable=True,
                    description="identifiant stable de l'indicateur d'une période à l'autre "
                    "(à défaut, les analyses regroupent les lignes par libellé)",
                ),
                C("stage", "enum", choices=VALUE_CHAIN_STAGES),
                C(
                    "resource_kind",
                    "enum",
                    required=False,
                    nullable=True,
                    choices=RESOURCE_KINDS,
                    description="type de ressource, pour les lignes de l'étape « ressources »",
                ),
                C(
                    "activity_kind",
                    "enum",
                    required=False,
                    nullable=True,
                    choices=ACTIVITY_KINDS,
                    description="activité principale ou de support, pour l'étape « activités »",
                ),
                C("label", "text"),
                C("unit", "id", nullable=True, ref="units"),
                C("contributors", "list", nullable=True, ref="categories"),
                C("beneficiaries", "list", nullable=True, ref="categories"),
                C("period", "id", ref="periods"),
                C("value", "float"),
                C("measure", "text"),
                C("baseline", "float", required=False, nullable=True),
                C("source", "text", nullable=True),
                C("evidence", "list", nullable=True, ref="evidence"),
                C(
                    "regenerates",
                    "list",
                    required=False,
                    nullable=True,
                    description="indicateurs de ressources (colonne indicator) qu'un impact "
                    "régénère : la chaîne de valeur se referme en cycle",
                ),
            ),
            required=False,
            description="indicateurs de la chaîne de valeur élargie",
        ),
        Table(
            "attributes",
            (
                C("source", "id", ref="sources", description="document ou entrée du journal décrit"),
                C(
                    "attribute",
                    "text",
                    description="nom de l'attribut (variable REFI-QDA, attribut de classification NVivo…)",
                ),
                C("value", "text", nullable=True, description="valeur, telle qu'écrite"),
            ),
            key=("source", "attribute"),
            required=False,
            description="attributs des documents (une ligne par document et attribut)",
        ),
    )
}

# study.yml sections that are lists of records, validated like tables.
STUDY_PERIOD = Table(
    "periods",
    (
        C("id", "id", unique=True),
        C("label", "text"),
        C("start", "date"),
        C("end", "date"),
        C("opening_event", "text", nullable=True, required=False),
    ),
)
STUDY_CATEGORY = Table(
    "stakeholder_categories",
    (
        C("id", "id", unique=True),
        C("label", "text"),
        C("college", "text"),
        C("members", "int", minimum=0),
    ),
)
STUDY_LEXICON = Table(
    "research_lexicon",
    (
        C("term", "text", unique=True),
        C("variants", "list", required=False, nullable=True),
    ),
    key=("term",),
)

SECTION_TABLES = {t.name: t for t in (STUDY_PERIOD, STUDY_CATEGORY, STUDY_LEXICON)}

DEFAULT_MIN_CELL_SIZE = 5
QUOTE_POLICIES = ("consentement", "aucune")
