"""``rd-territoriale init DOSSIER``: the skeleton of a new study, valid as it is.

It writes a commented ``study.yml`` (case, periods, stakeholder categories
with their membership, research lexicon, privacy) and every table of the
contract with its header row only. The skeleton validates as written; the
researcher then edits ``study.yml``, imports codings from QDA software
(``rd-territoriale import``) or fills the tables, validates, and builds the
reports (``make reports STUDY=...``).

Nothing is ever overwritten: a folder that already holds a file of the
skeleton is refused, with the list of those files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.study.contract import STUDY_FILE, TABLES

STUDY_TEMPLATE = """\
# Définition de l'étude : à compléter. Voir docs/donnees.md (les données d'une étude).
# Les lignes qui commencent par # sont des commentaires.

case: "{case}"                       # nom du cas étudié (l'organisation)
territory: ""                        # territoire (facultatif)
researchers: []                      # pseudonymes des chercheur·es (table people), ex. [R01]

# Le temps de l'étude, découpé en périodes : des épisodes continus, chacun
# ouvert par un événement qui marque une rupture. Les dates des documents et
# du journal doivent tomber dans une période. Une seule période suffit pour
# commencer ; il en faut deux pour voir ce qui change de l'une à l'autre.
periods:
  - id: P1
    label: "Première période"
    start: {start}
    end: {end}
    opening_event: "Début de l'étude"

# Qui parle : les catégories de parties prenantes, leur collège (SCIC) et le
# nombre de leurs membres (la référence pour « quelles voix sont entendues »).
stakeholder_categories:
  - {{id: salaries, label: "Salariés", college: "Collège des salariés", members: 1}}
  - {{id: partenaires, label: "Partenaires", college: "Collège des partenaires", members: 1}}

# Les termes que la recherche apporte, et leurs variantes : le rapport de
# réflexivité suit leur diffusion dans la parole des acteurs.
research_lexicon:
  - {{term: "méta-organisation", variants: ["méta-organisations"]}}

privacy:
  min_cell_size: 5                   # effectif minimal d'une case publiée
  quote_policy: consentement         # consentement (selon chaque source) ou aucune
"""


class InitError(RdTerritorialeError):
    """The skeleton cannot be written (files already there)."""


def skeleton_files(folder: Path) -> list[Path]:
    """The files :func:`write_skeleton` writes into ``folder``: ``study.yml``, then one CSV per table."""
    folder = Path(folder)
    return [folder / STUDY_FILE, *(folder / f"{name}.csv" for name in TABLES)]


def write_skeleton(folder: Path, case: str | None = None, year: int | None = None) -> list[Path]:
    """Write the skeleton of a study into ``folder`` (created if needed).

    Parameters
    ----------
    folder : pathlib.Path
        The new study's folder, e.g. ``data/mon-etude``.
    case : str, optional
        The case's name; the folder's name by default.
    year : int, optional
        The year the placeholder period covers; this year by default.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    InitError
        When any of them already exists (nothing is written then).
    """
    folder = Path(folder)
    files = skeleton_files(folder)
    existing = [p for p in files if p.exists()]
    existing += [folder / f"{name}.xlsx" for name in TABLES if (folder / f"{name}.xlsx").exists()]
    if existing:
        names = ", ".join(p.name for p in existing)
        raise InitError(
            f"« {folder} » contient déjà {names} : rien n'a été écrit (init ne remplace aucun "
            "fichier). Choisissez un nouveau dossier."
        )
    year = year or date.today().year
    name = (case or folder.name).replace("\\", "").replace('"', "'")
    folder.mkdir(parents=True, exist_ok=True)
    files[0].write_text(STUDY_TEMPLATE.format(case=name, start=f"{year}-01-01", end=f"{year}-12-31"), encoding="utf-8")
    for table, path in zip(TABLES.values(), files[1:]):
        header = [c.name for c in table.columns]
        path.write_text(",".join(header) + "\n", encoding="utf-8")
    return files
