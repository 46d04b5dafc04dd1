"""A tiny, valid study written by code, for tests that break it on purpose.

Rows are few and known, so a test can say exactly which file, line and
column a planted defect must be reported at (header = line 1, so the row at
position ``i`` of a table sits on line ``i + 2``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

STUDY_YML = """\
case: "Cas minimal"
territory: "Territoire d'essai"
researchers: [R01]
periods:
  - id: P1
    label: "Émergence"
    start: 2020-01-01
    end: 2020-12-31
    opening_event: "Création"
  - id: P2
    label: "Structuration"
    start: 2021-01-01
    end: 2021-12-31
stakeholder_categories:
  - {id: salaries, label: "Salariés", college: "Salariés", members: 10}
  - {id: ess, label: "Structures de l'ESS", college: "ESS", members: 20}
research_lexicon:
  - term: "méta-organisation"
    variants: ["méta-organisations"]
privacy:
  min_cell_size: 5
  quote_policy: consentement
"""

TABLES = {
    "units": pd.DataFrame(
        {
            "id": ["U1", "U2"],
            "name": ["Légumerie", "Recyclerie"],
            "kind": ["filière", "service"],
            "start": ["2020-02-01", "2021-03-01"],
            "end": ["", ""],
        }
    ),
    "people": pd.DataFrame(
        {
            "id": ["R01", "SAL01", "ESS01"],
            "category": ["salaries", "salaries", "ess"],
            "is_researcher": ["oui", "non", "non"],
        }
    ),
    "documents": pd.DataFrame(
        {
            "id": ["D1", "D2", "D3"],
            "kind": ["entretien", "entretien", "compte rendu"],
            "date": ["2020-03-10", "2021-05-02", "2021-06-01"],
            "unit": ["U1", "", "U2"],
            "respondent": ["SAL01", "ESS01", ""],
            "interviewer": ["R01", "R01", ""],
            "quote_consent": ["oui", "non", "oui"],
            "words": ["4200", "3100", "800"],
        }
    ),
    "journal": pd.DataFrame(
        {
            "id": ["J1", "J2"],
            "date": ["2020-04-01", "2021-04-01"],
            "author": ["R01", "R01"],
            "unit": ["U1", ""],
            "kind": ["réunion", "note réflexive"],
            "researcher_role": ["observateur", "acteur"],
            "participants": ["salaries|ess", ""],
            "text": ["Réunion de lancement de la légumerie.", "Je prends part au comité."],
        }
    ),
    "codebook": pd.DataFrame(
        {
            "code": ["dynamique", "cooperation", "cooperation", "dynamique", "essoufflement"],
            "label": ["Dynamique", "Coopération", "Coopération", "Dynamique", "Essoufflement"],
            "parent": ["", "dynamique", "dynamique", "", "dynamique"],
            "dimension": ["dynamique"] * 5,
            "definition": [""] * 5,
            "version": ["1", "1", "2", "2", "2"],
        }
    ),
    "segments": pd.DataFrame(
        {
            "id": ["S1", "S2", "S3", "S4"],
            "source": ["D1", "D1", "D2", "J1"],
            "coder": ["R01", "R01", "R01", "R01"],
            "code": ["cooperation", "essoufflement", "cooperation", "cooperation"],
            "start": ["0", "120", "10", "0"],
            "end": ["80", "190", "50", "37"],
            "text": [
                "On travaille ensemble.",
                "On s'essouffle un peu.",
                "Ça coopère.",
                "Réunion de lancement de la légumerie.",
            ],
            "speaker": ["SAL01", "SAL01", "ESS01", "R01"],
        }
    ),
    "indicators": pd.DataFrame(
        {
            "id": ["I1"],
            "stage": ["réalisations"],
            "label": ["Projets démarrés"],
            "unit": [""],
            "contributors": ["salaries|ess"],
            "beneficiaries": ["ess"],
            "period": ["P1"],
            "value": ["3"],
            "measure": ["nombre"],
            "baseline": ["0"],
            "source": ["rapport d'activité"],
            "evidence": ["S1|J1"],
        }
    ),
}


def write_minimal_study(folder: Path) -> Path:
    """Write the tiny valid study into ``folder`` (UTF-8, comma) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.yml").write_text(STUDY_YML, encoding="utf-8")
    for name, frame in TABLES.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


def to_french_excel(src: Path, dst: Path) -> Path:
    """Copy a study as French Excel writes CSV.

    ``;`` separator, Windows-1252, CRLF line ends, decimal commas and dates
    as ``JJ/MM/AAAA``. ``study.yml`` is copied as is.
    """
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "study.yml").write_bytes((src / "study.yml").read_bytes())
    for path in sorted(src.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in frame.columns:
            s = frame[col]
            iso = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            frame[col] = s.where(~iso, s.str.slice(8, 10) + "/" + s.str.slice(5, 7) + "/" + s.str.slice(0, 4))
            dec = frame[col].str.fullmatch(r"-?\d+\.\d+")
            frame[col] = frame[col].where(~dec, frame[col].str.replace(".", ",", regex=False))
        text = frame.to_csv(index=False, sep=";", lineterminator="\r\n")
        (dst / path.name).write_bytes(text.encode("cp1252"))
    return dst
