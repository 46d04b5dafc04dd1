"""A raw study with invented real names, and its key: what the pseudonymisation tests start from.

``make_raw_study`` writes the example's tables with names planted in their
free text (``PLANTED_FORMS``, all in the key) and the key beside them;
``snapshot`` records a folder's bytes to show that nothing was written.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale.privacy.review import NOT_PERSONS_FILE
from rd_territoriale.study.contract import TABLES

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "exemple"
needs_example = pytest.mark.skipif(
    not (EXAMPLE / "study.yml").is_file(), reason="data/exemple absent (rd-territoriale exemple)"
)

# --- an invented key ----------------------------------------------------------
# Every name below is invented for these tests.
SPECIAL = {
    "R01": ("Julien Fauconnet", ""),
    "R02": ("Sophie Lambrecht", ""),
    "SAL01": ("Jean-Pierre Dupont", "JP"),
    "SAL02": ("Hélène Vercel", "Hélène Martinot"),
    "SAL03": ("Yann Le Goff", ""),
    "SAL04": ("Anne-Sophie De La Tour", ""),
    "SAL05": ("Pierre Blanc", ""),
    "SAL06": ("Rose Marchand", ""),
    "ENT01": ("Paul Martin", ""),
    "ESS01": ("Luc Bernardet", ""),
    "ESS02": ("Cécile Bernardet", ""),
    "COL01": ("Gaëlle Bailly-Salins", ""),
    "CIT01": ("Éric N'Diaye", ""),
}
ORGANISATIONS = {"ORG01": "Boulangerie Martin", "ORG02": "Scierie Mougin"}
FIRST = [
    "Amandine",
    "Baptiste",
    "Corinne",
    "Damien",
    "Estelle",
    "Fabrice",
    "Gisèle",
    "Hugo",
    "Inès",
    "Jérôme",
    "Karine",
    "Lucien",
    "Maëlle",
    "Nathan",
    "Odile",
    "Quentin",
    "Régine",
    "Sébastien",
    "Thérèse",
    "Ulysse",
    "Valérie",
    "Xavier",
    "Yvette",
    "Zoé",
    "Adrien",
    "Bérénice",
    "Cyril",
    "Delphine",
    "Edmond",
    "Fanny",
    "Gaspard",
    "Héloïse",
    "Isidore",
    "Josiane",
    "Killian",
    "Laetitia",
    "Marius",
    "Nadège",
    "Octave",
    "Perrine",
    "Rodolphe",
    "Solène",
    "Timothée",
    "Vianney",
    "Wilfried",
    "Yolande",
    "Albane",
    "Bastien",
    "Capucin",
    "Dorian",
    "Elodie",
    "Florent",
    "Ghislaine",
    "Honorine",
    "Irène",
    "Joris",
    "Ludivine",
    "Maxence",
    "Noémie",
    "Oriane",
    "Prune",
    "Romane",
]
LAST = [
    "Arbezat",
    "Bourgeonnet",
    "Chauvelot",
    "Duraffourd",
    "Faivret",
    "Gindrey",
    "Jeunetot",
    "Lacroixet",
    "Mivelle",
    "Nicodin",
    "Ogierot",
    "Paget-Blanchin",
    "Quiquerez",
    "Rousselon",
    "Sirugue",
    "Tissotet",
    "Urbanot",
    "Vuillemey",
    "Wermeil",
    "Zanetot",
    "Amiotte",
    "Brocardet",
    "Cuynet",
    "Dromardet",
    "Epenoy",
    "Frachebois",
    "Grandvuinet",
    "Humbertet",
    "Jacquemet",
    "Lonchampt",
    "Mourey-Vichet",
    "Nappey",
    "Perrodin",
    "Receveurot",
    "Saillardet",
    "Tournier-Bey",
    "Vernerey",
    "Barthoulot",
    "Cretinot",
    "Dornier-Lasse",
    "Grosperrin",
    "Jouffroy-Mat",
    "Lhomme-Dru",
    "Marmier",
    "Pourcelot",
    "Regazzoni",
    "Sauterey",
    "Thevenin-Bo",
    "Vaufrey",
    "Billod-Morel",
    "Courvoisier-Lys",
    "Droz-Bartholet",
    "Feuvrier",
    "Girardot-Py",
    "Lamboley",
    "Maillot-Roz",
    "Parrenin",
    "Romanet-Dus",
    "Simonin-Ko",
    "Tatu-Gaillard",
    "Verdot-Nob",
]

# 30 people renamed in the raw person-reference columns (the others keep
# their pseudonym there, as a researcher who pseudonymised part of the data would).
RENAMED = [
    "R01",
    "R02",
    "SAL01",
    "SAL02",
    "SAL03",
    "SAL04",
    "SAL05",
    "SAL06",
    "ENT01",
    "ESS01",
    "ESS02",
    "COL01",
    "CIT01",
    "SAL07",
    "SAL08",
    "SAL09",
    "SAL10",
    "SAL11",
    "ESS03",
    "ESS04",
    "ESS05",
    "ESS06",
    "ENT02",
    "ENT03",
    "ENT04",
    "COL02",
    "COL03",
    "PAR01",
    "PAR02",
    "CIT02",
]

# --- planted sentences: (raw, expected) -------------------------------------------
SENTENCES = [
    ("Mme Vercel a relancé M. Dupont.", "SAL02 a relancé SAL01."),
    ("Madame Vercel et Monsieur Jean-Pierre Dupont étaient là.", "SAL02 et SAL01 étaient là."),
    ("M. J. Dupont l'avait dit à Hélène.", "SAL01 l'avait dit à SAL02."),
    ("Selon jean-pierre, JEAN-PIERRE DUPONT ne viendra pas.", "Selon SAL01, SAL01 ne viendra pas."),
    ("Helene et HÉLÈNE VERCEL, c'est la même personne.", "SAL02 et SAL02, c'est la même personne."),
    ("Le dossier d'Hélène est chez l’Hélène du bureau.", "Le dossier d'SAL02 est chez l’SAL02 du bureau."),
    ("C'est Dupont's idea, et le Dupont’s plan.", "C'est SAL01's idea, et le SAL01’s plan."),
    (
        "Yann Le Goff et M. Le Goff sont une seule personne ; Le Goff insiste.",
        "SAL03 et SAL03 sont une seule personne ; SAL03 insiste.",
    ),
    (
        "Anne-Sophie De La Tour (Mme de La Tour) préside ; A.-S. De La Tour signe.",
        "SAL04 (SAL04) préside ; SAL04 signe.",
    ),
    (
        "La Boulangerie Martin livre ; Paul Martin et M. Martin aussi, pas Martineau ni Saint-Martin.",
        "La ORG01 livre ; ENT01 et ENT01 aussi, pas Martineau ni Saint-Martin.",
    ),
    ("La Scierie Mougin fournit les planches.", "La ORG02 fournit les planches."),
    (
        "JP Dupont, J.-P. Dupont et J.P. Dupont : trois fois la même personne.",
        "SAL01, SAL01 et SAL01 : trois fois la même personne.",
    ),
    ("Entretien avec Mlle Marchand et Rose.", "Entretien avec SAL06 et SAL06."),
    ("Pierre a présenté le budget.", "SAL05 a présenté le budget."),
    ("Un muret en pierre sèche, une façade rose.", "Un muret en pierre sèche, une façade rose."),
    ("Avec Blanc et Pierre Blanc, le bureau est complet.", "Avec SAL05 et SAL05, le bureau est complet."),
    (
        "Luc Bernardet et Cécile Bernardet : Bernardet seul ne suffit pas.",
        "ESS01 et ESS02 : [ESS01 ou ESS02] seul ne suffit pas.",
    ),
    ("Dr Lambrecht et Sophie ont codé avec Julien Fauconnet.", "R02 et R02 ont codé avec R01."),
    ("Gaëlle Bailly-Salins, dite Mme Bailly-Salins, ou BAILLY-SALINS.", "COL01, dite COL01, ou COL01."),
    ("Éric N'Diaye et M. N’Diaye (n'diaye en minuscules).", "CIT01 et CIT01 (CIT01 en minuscules)."),
    ("Mme Martinot, née Vercel : c'est Hélène Martinot.", "SAL02, née SAL02 : c'est SAL02."),
    (
        "Le JP de la compta, c'est Jean-Pierre D., alias Jean Pierre Dupont.",
        "Le SAL01 de la compta, c'est SAL01, alias SAL01.",
    ),
    ("Yann et Anne-Sophie étaient d'accord avec Paul.", "SAL03 et SAL04 étaient d'accord avec ENT01."),
    ("Monsieur Quiquerez et Mme Zanetot ont écrit à Corinne.", None),  # filled in from the key
]
# Where each sentence goes: (table, column, row position).
PLACES = [("segments", "text", i * 7) for i in range(12)] + [
    ("journal", "text", 0),
    ("journal", "text", 3),
    ("journal", "text", 10),
    ("documents", "title", 0),
    ("documents", "title", 5),
    ("units", "description", 0),
    ("units", "name", 1),
    ("people", "role", 2),
    ("codebook", "definition", 1),
    ("indicators", "source", 0),
    ("segments", "text", 200),
    ("journal", "text", 50),
]
PLANTED_FORMS = [
    "Vercel",
    "Dupont",
    "Jean-Pierre Dupont",
    "Hélène",
    "Jean-Pierre",
    "Le Goff",
    "Yann Le Goff",
    "De La Tour",
    "Anne-Sophie",
    "Boulangerie Martin",
    "Paul Martin",
    "Scierie Mougin",
    "Marchand",
    "Blanc",
    "Bernardet",
    "Lambrecht",
    "Fauconnet",
    "Bailly-Salins",
    "N'Diaye",
    "Martinot",
    "Jean-Pierre D.",
    "Yann",
    "Paul",
    "A.-S. De La Tour",
    "J.-P. Dupont",
    "JP Dupont",
    "Quiquerez",
    "Zanetot",
    "Corinne",
]


NOT_PERSONS = [
    "Bletterans",
    "Champagnole",
    "Conliège",
    "Jourdain",
    "Lons",
    "Montmorot",
    "Pays",
    "Perrigny",
    "Recyclerie du Pays Lédonien",
    "Revermont",
    "Tiers-lieu",
    "Martineau",
    "Saint-Martin",
]


def invented_names() -> dict:
    """Person id -> (name, variants) for every person of the example."""
    people = pd.read_csv(EXAMPLE / "people.csv", dtype=str)
    names, i = {}, 0
    for pid in people["id"]:
        if pid in SPECIAL:
            names[pid] = SPECIAL[pid]
        else:
            names[pid] = (f"{FIRST[i]} {LAST[i]}", "")
            i += 1
    return names


def write_key(path: Path, names: dict, drop=()) -> None:
    """The key as French Excel writes it: ';', Windows-1252, CRLF."""
    rows = ["name;pseudonym;kind;variants"]
    for pid, (name, variants) in names.items():
        if pid not in drop:
            rows.append(f"{name};{pid};personne;{variants}")
    for pid, name in ORGANISATIONS.items():
        rows.append(f"{name};{pid};organisation;")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def sentences(names: dict) -> list[tuple[str, str]]:
    out = []
    for raw, expected in SENTENCES:
        if expected is None:  # people found by the generated names
            who = {n.split()[-1]: pid for pid, (n, _) in names.items()}
            first = {n.split()[0]: pid for pid, (n, _) in names.items()}
            expected = f"{who['Quiquerez']} et {who['Zanetot']} ont écrit à {first['Corinne']}."
        out.append((raw, expected))
    return out


def writing(name: str, i: int) -> str:
    """A person's name as a researcher may type it in a reference cell."""
    first, last = name.split(" ", 1)
    forms = [
        name,
        name.upper(),
        f"{last.upper()} {first}",
        "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c)),
    ]
    return forms[i % len(forms)]


def make_raw_study(root: Path, extra=None) -> dict:
    """Write ``root/raw`` (names in) and ``root/cle.csv``; return what to expect.

    Returns
    -------
    dict
        ``names`` (id -> (name, variants)), ``planted`` ((table, column,
        position) -> expected cell), ``key`` (path), ``raw`` (path).
    """
    raw = root / "raw"
    raw.mkdir(parents=True)
    names = invented_names()
    frames = {
        n: pd.read_csv(EXAMPLE / f"{n}.csv", dtype=str, keep_default_na=False)
        for n in TABLES
        if (EXAMPLE / f"{n}.csv").is_file()
    }
    # Person-reference columns: 30 people get their real (invented) name back.
    for name, table in TABLES.items():
        if name not in frames:
            continue
        for col in table.columns:
            if col.ref == "people" or (name == "people" and col.name == "id"):
                s = frames[name][col.name]
                frames[name][col.name] = [writing(names[v][0], i) if v in RENAMED else v for i, v in enumerate(s)]
    planted = {}
    for (raw_sentence, expected), (table, column, pos) in zip(sentences(names), PLACES):
        cell = frames[table].at[pos, column]
        sep = " " if cell else ""
        frames[table].at[pos, column] = f"{cell}{sep}{raw_sentence}"
        planted[(table, column, pos)] = f"{cell}{sep}{expected}"
    if extra:
        extra(frames)
    for name, frame in frames.items():
        frame.to_csv(raw / f"{name}.csv", index=False, lineterminator="\n")
    study = (EXAMPLE / "study.yml").read_text(encoding="utf-8")
    study = study.replace("researchers: [R01, R02]", 'researchers: [Julien Fauconnet, "SOPHIE LAMBRECHT"]')
    study = study.replace("# Ne pas modifier", "# Saisi par Mme Vercel. Ne pas modifier")
    (raw / "study.yml").write_text(study, encoding="utf-8")
    (raw / "notes_entretiens.txt").write_text("Notes de Jean-Pierre Dupont", encoding="utf-8")
    key = root / "cle.csv"
    write_key(key, names)
    # The researcher's review of the forms the French model flags in the
    # example's texts and in the planted sentences: places, a project, and
    # the two surnames planted to check word boundaries.
    (root / NOT_PERSONS_FILE).write_text("\n".join(NOT_PERSONS) + "\n", encoding="utf-8")
    return {"names": names, "planted": planted, "key": key, "raw": raw}


def snapshot(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}
