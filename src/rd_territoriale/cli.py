"""The ``rd-territoriale`` command: validate a study, build the reports, make the example.

Messages are in French. Exit status: 0 on success, 1 when the data or a
report fail, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rd_territoriale.french import plural, plural_s
from rd_territoriale.study.contract import STUDY_FILE


def _print_problems(problems, stream) -> None:
    """Problems grouped by file, one per line."""
    current = None
    for p in problems:
        if p.file != current:
            current = p.file
            print(f"\n  {p.file}", file=stream)
        print(f"    - {p.message(with_file=False)}", file=stream)


def cmd_validate(args) -> int:
    """``rd-territoriale validate DOSSIER``."""
    from rd_territoriale.study.schema import validate_study

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"Erreur : le dossier « {folder} » n'existe pas.", file=sys.stderr)
        return 2
    v = validate_study(folder)
    if v.warnings:
        print(f"{len(v.warnings)} avertissement{plural_s(len(v.warnings))} :", file=sys.stderr)
        _print_problems(v.warnings, sys.stderr)
        print(file=sys.stderr)
    if not v.ok:
        n = len(v.problems)
        print(
            f"Données invalides dans « {folder} » : {n} problème{plural_s(n)} "
            "(ligne = numéro de ligne du tableur, en-tête = ligne 1).",
            file=sys.stderr,
        )
        _print_problems(v.problems, sys.stderr)
        print("\nAucun fichier n'a été écrit. Corrigez ces points puis relancez la validation.", file=sys.stderr)
        return 1
    from rd_territoriale.study.case import study_of
    from rd_territoriale.study.contract import TABLES

    study = study_of(v.study_file, folder)
    where = f" ({study.territory})" if study.territory else ""
    print(f"Données valides : {study.name}{where}")
    for name in TABLES:
        raw = v.raws.get(name)
        rows = "absente (facultative)" if raw is None else f"{len(raw.frame)} lignes"
        print(f"  {name:<11} {rows}")
    print(
        f"  périodes    {len(study.periods)} : "
        + ", ".join(f"{r.id} ({r.start:%d/%m/%Y} → {r.end:%d/%m/%Y})" for r in study.periods.itertuples())
    )
    names = v.raws["units"].frame["name"].astype(str).tolist()
    print(f"  projets     {len(names)} : " + ", ".join(names))
    return 0


def cmd_build(args) -> int:
    """``rd-territoriale build [RAPPORTS...] [-j N]``."""
    from rd_territoriale.build.pipeline import build_reports

    return build_reports(
        Path(args.root),
        only=args.reports or None,
        jobs=args.jobs,
        study=Path(args.study) if args.study else None,
        pdf=args.pdf,
    )


def cmd_init(args) -> int:
    """``rd-territoriale init DOSSIER``: the skeleton of a new study."""
    from rd_territoriale.errors import RdTerritorialeError
    from rd_territoriale.study.skeleton import write_skeleton

    folder = Path(args.folder)
    try:
        written = write_skeleton(folder, case=args.case)
    except RdTerritorialeError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Nouvelle étude dans {folder} : " + ", ".join(p.name for p in written) + ".")
    print(
        "La suite :\n"
        f"  1. complétez {folder / 'study.yml'} (périodes, catégories de parties prenantes, lexique) ;\n"
        f"  2. importez des codages (rd-territoriale import projet.qdpx --into {folder}) "
        "ou remplissez les tables ;\n"
        f"  3. validez : rd-territoriale validate {folder} ;\n"
        f"  4. construisez les rapports : make reports STUDY={folder}"
    )
    return 0


def cmd_pseudonymise(args) -> int:
    """``rd-territoriale pseudonymiser DOSSIER_BRUT DOSSIER_SORTIE --cle CLE``.

    Parameters
    ----------
    args : argparse.Namespace
        ``raw_dir``, ``out_dir``, ``key``, ``accept_unknown`` (bool) and,
        optionally, ``review``: the review list of the forms missing from the
        key, applied when it exists and (re)written when forms remain (real
        names inside: keep it in ``data/private/``).

    Returns
    -------
    int
        0 when the study was written, 1 when the data or the key stop it,
        2 when a folder is missing or must not be used.
    """
    from rd_territoriale.privacy.key import KeyFileError
    from rd_territoriale.privacy.names import ModelMissing
    from rd_territoriale.privacy.pseudonymise import pseudonymise
    from rd_territoriale.privacy.review import ReviewError
    from rd_territoriale.privacy.summary import PseudonymisationError

    review = getattr(args, "review", None)
    try:
        report = pseudonymise(
            args.raw_dir,
            args.out_dir,
            args.key,
            accept_unknown=bool(getattr(args, "accept_unknown", False)),
            review=review,
            progress=True,
        )
    except KeyFileError as err:
        print(f"Erreur : {err}\n\nAucun fichier n'a été écrit.", file=sys.stderr)
        return 1
    except ReviewError as err:
        print(f"Erreur : {err}\n\nAucune décision n'a été appliquée et l'étude n'a pas été écrite.", file=sys.stderr)
        return 1
    except OSError as err:
        print(
            f"Erreur : fichier illisible ou impossible à écrire « {err.filename} » "
            f"({err.strerror or err}). L'étude n'a pas été écrite.",
            file=sys.stderr,
        )
        return 2
    except (PseudonymisationError, ModelMissing) as err:
        print(f"Erreur : {err}.", file=sys.stderr)
        return 2
    stream = sys.stdout if report.written else sys.stderr
    print(report.to_french_text(limit=200), file=stream)
    if report.review_file is not None:
        n = len(report.unknown)
        print(
            f"\nListe de relecture écrite dans « {report.review_file} » : {plural(n, 'forme')} à décider "
            "(noms réels : gardez-la dans data/private/, ne la versionnez pas).",
            file=stream,
        )
    return report.exit_code


def cmd_disagreements(args) -> int:
    """``rd-territoriale desaccords DOSSIER --sortie FICHIER``: the list for a consensus meeting."""
    from rd_territoriale.errors import ValidationError

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"Erreur : le dossier « {folder} » n'existe pas.", file=sys.stderr)
        return 2
    if Path(args.out).suffix.lower() not in (".csv", ".xlsx"):
        print(f"Erreur : « {args.out} » : le fichier de sortie doit finir par .csv ou .xlsx.", file=sys.stderr)
        return 2
    from rd_territoriale import load_case
    from rd_territoriale.analysis.reliability import disagreements
    from rd_territoriale.io.export import write_table
    from rd_territoriale.report.reliability import disagreements_display

    try:
        case = load_case(folder)
    except ValidationError as exc:
        print(f"Données invalides dans « {folder} » : {len(exc.problems)} problème(s).", file=sys.stderr)
        _print_problems(exc.problems, sys.stderr)
        print("\nAucun fichier n'a été écrit.", file=sys.stderr)
        return 1
    found = disagreements(case, unit=args.unit, min_overlap=args.overlap)
    table = disagreements_display(found)
    path = write_table(table, args.out, sheet="Désaccords")
    codes = found["code"].nunique() if len(found) else 0
    print(
        f"{len(table)} désaccord(s) sur {codes} code(s) écrits dans {path} "
        "(codes les moins fiables d'abord, puis par source et position)."
    )
    return 0


def _read_import(source: Path, args):
    """The tables, coders and summary lines of the file to import."""
    suffix = source.suffix.lower()
    if suffix == ".csv":
        from rd_territoriale.qda import taguette

        if taguette.is_codebook_export(source):
            codebook, summary = taguette.read_taguette_codebook(source)
            return {"codebook": codebook}, [], summary, []
        imported = taguette.read_taguette(
            source, args.codebook, coder=args.coder, kind=args.kind, default_date=args.date
        )
        return imported.tables, [args.coder], imported.summary, imported.undated
    from rd_territoriale.qda import refi, refi_study
    from rd_territoriale.qda.importer import study_code_ids

    known = study_code_ids(args.into)  # codes this project exported keep their ids on the way back
    if suffix == ".qdc":
        book = refi.read_codebook(source, schemas=args.schemas)
        result = refi_study.codebook_tables(book, source.name, known_codes=known)
    else:
        project = refi.read_project(source, schemas=args.schemas)
        result = refi_study.project_tables(
            project,
            source.name,
            default_coder=args.coder,
            kind=args.kind,
            default_date=args.date,
            date_variable=args.date_variable,
            known_codes=known,
        )
    return result.tables, result.coders, result.summary, result.undated


def cmd_import(args) -> int:
    """``rd-territoriale import FICHIER --into DOSSIER``: codings from QDA software into a study."""
    from rd_territoriale.errors import RdTerritorialeError, ValidationError
    from rd_territoriale.qda.importer import import_tables

    if args.coder is None:
        args.coder = "taguette" if Path(args.file).suffix.lower() == ".csv" else "refi"
    source = Path(args.file)
    if not source.is_file():
        print(f"Erreur : le fichier « {source} » n'existe pas.", file=sys.stderr)
        return 2
    if source.suffix.lower() not in (".csv", ".qdpx", ".qdc"):
        print(
            f"Erreur : « {source.name} » : attendu un export Taguette (.csv), un projet REFI-QDA (.qdpx) ou "
            "un livre de codes REFI-QDA (.qdc).",
            file=sys.stderr,
        )
        return 2
    if not (Path(args.into) / STUDY_FILE).is_file():
        print(
            f"Erreur : « {args.into} » n'a pas de study.yml. Commencez l'étude avec :\n"
            f"  rd-territoriale init {args.into}\n"
            "(study.yml commenté et tables vides), complétez ses périodes, puis relancez l'import.",
            file=sys.stderr,
        )
        return 1
    try:
        tables, coders, summary, undated = _read_import(source, args)
        if undated:
            print(
                f"Erreur : {len(undated)} document(s) sans date : " + ", ".join(undated) + ".\n"
                "La date d'un document vient d'une variable de date (REFI-QDA), d'une date dans son nom "
                "(P2_GMT20211119, 2021-11-19…) ou de l'option --date AAAA-MM-JJ. Rien n'a été écrit.",
                file=sys.stderr,
            )
            return 1
        report = import_tables(
            tables, args.into, coder=coders, category=args.category, respondent_category=args.respondents
        )
    except ValidationError as exc:
        print(f"L'étude importée ne passe pas la validation : {len(exc.problems)} problème(s).", file=sys.stderr)
        _print_problems(exc.problems, sys.stderr)
        print("\nAucun fichier n'a été écrit dans l'étude.", file=sys.stderr)
        return 1
    except RdTerritorialeError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    for line in summary + report.lines:
        print(line)
    return 0


def cmd_export(args) -> int:
    """``rd-territoriale exporter citations|codes DOSSIER --sortie FICHIER``."""
    from rd_territoriale.errors import RdTerritorialeError, ValidationError
    from rd_territoriale.study.case import load_case

    out = Path(args.out)
    wanted = {"citations": (".csv", ".xlsx"), "codes": (".qdc",)}[args.what]
    if out.suffix.lower() not in wanted:
        print(
            f"Erreur : « {out.name} » : pour « {args.what} », attendu un fichier " + " ou ".join(wanted) + ".",
            file=sys.stderr,
        )
        return 2
    try:
        case = load_case(args.folder)
        if args.what == "codes":
            from rd_territoriale.qda.refi_codebook import codebook_to_qdc

            path = codebook_to_qdc(case.codebook, out)
            latest = case.codebook.loc[case.codebook["version"] == case.codebook["version"].max()]
            print(
                f"Livre de codes (version {int(latest['version'].max())}, {len(latest)} codes) écrit au format "
                f"REFI-QDA dans {path} : il s'importe dans NVivo, ATLAS.ti, MAXQDA, QualCoder…"
            )
        else:
            from rd_territoriale.io.export import write_table
            from rd_territoriale.qda.quotes import SHEET, quotes_table

            table = quotes_table(case, periods=args.periods, codes=args.codes, consented_only=args.consented)
            path = write_table(table, out, sheet=SHEET)
            print(
                f"{len(table)} citation(s) écrite(s) dans {path} (une ligne par segment codé, avec le chemin du code "
                "et les attributs du document)."
            )
    except ValidationError as exc:
        print(f"Les données de l'étude ne sont pas valides : {len(exc.problems)} problème(s).", file=sys.stderr)
        _print_problems(exc.problems, sys.stderr)
        return 1
    except RdTerritorialeError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_example(args) -> int:
    """``rd-territoriale exemple [--sortie DOSSIER] [--echelle N] [--graine S]``."""
    from rd_territoriale import example

    if args.scale < 1:
        print("Erreur : --echelle doit être un entier supérieur ou égal à 1.", file=sys.stderr)
        return 2
    seed = example.DEFAULT_SEED if args.seed is None else args.seed
    counts = example.generate(args.out, scale=args.scale, seed=seed)
    print(f"Cas d'exemple écrit dans {args.out} (graine {seed}, échelle {args.scale}) :")
    for name, n in counts.items():
        print(f"  {name + '.csv':<16} {n:>8} lignes")
    return 0


#: argparse's own words, in French: the help, the usage line and the errors a
#: researcher reads (argparse looks them up through its module's ``_``).
ARGPARSE_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r (choix : %(choices)s)",
    "show program's version number and exit": "afficher la version et quitter",
}


def _french(message: str) -> str:
    return ARGPARSE_FRENCH.get(message, message)


argparse._ = _french  # the command's help and errors are French (the rest of argparse is unchanged)


def parser() -> argparse.ArgumentParser:
    """The command-line parser (French help).

    The rule of the names: every command and option is French, with its
    English spelling as an alias (``valider``/``validate``,
    ``--sortie``/``--out``); the help shows the French one first.
    """
    p = argparse.ArgumentParser(
        prog="rd-territoriale",
        description="Carnets de données de la R&D territoriale : valider une étude, "
        "construire les rapports, générer le cas d'exemple.",
    )
    p.add_argument("--version", action="version", version=_version(), help="afficher la version et quitter")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    v = sub.add_parser(
        "valider", aliases=["validate"], help="vérifier les données d'une étude (tous les problèmes d'un coup)"
    )
    v.add_argument("folder", metavar="DOSSIER", help="dossier de l'étude (ex. data/exemple)")
    v.set_defaults(func=cmd_validate)
    i = sub.add_parser(
        "initialiser",
        aliases=["init"],
        help="commencer une étude : study.yml commenté et tables vides, valides tels quels",
    )
    i.add_argument("folder", metavar="DOSSIER", help="dossier de la nouvelle étude (ex. data/mon-etude)")
    i.add_argument("--cas", "--case", dest="case", default=None, help="nom du cas étudié (défaut : le nom du dossier)")
    i.set_defaults(func=cmd_init)
    b = sub.add_parser("construire", aliases=["build"], help="construire les rapports HTML")
    b.add_argument("reports", nargs="*", metavar="RAPPORT", help="identifiants des rapports (tous par défaut)")
    b.add_argument(
        "-j",
        "--paralleles",
        "--jobs",
        dest="jobs",
        type=int,
        default=None,
        metavar="N",
        help="rapports en parallèle (défaut : la variable RD_TERRITORIALE_PARALLELES, sinon le nombre de cœurs)",
    )
    b.add_argument(
        "--racine",
        "--root",
        dest="root",
        default=".",
        metavar="DOSSIER",
        help="racine du projet (défaut : dossier courant)",
    )
    b.add_argument(
        "--etude",
        "--study",
        dest="study",
        default=None,
        metavar="DOSSIER",
        help="étude pour laquelle construire les rapports (défaut : celle de reports.yml) ; "
        "les pages vont dans reports/<nom du dossier>/",
    )
    b.add_argument(
        "--pdf",
        action="store_true",
        help="imprimer aussi une copie PDF de chaque page (reports/<id>.pdf), avec Chromium",
    )
    b.set_defaults(func=cmd_build)
    ps = sub.add_parser(
        "pseudonymiser", aliases=["pseudonymise"], help="remplacer les noms réels par les pseudonymes de la clé"
    )
    ps.add_argument("raw_dir", metavar="BRUT", help="dossier des données réelles (ex. data/etude/raw)")
    ps.add_argument("out_dir", metavar="SORTIE", help="dossier de l'étude pseudonymisée (ex. data/etude)")
    ps.add_argument(
        "--cle",
        "--key",
        dest="key",
        required=True,
        metavar="CLE",
        help="clé de pseudonymisation (CSV hors du dépôt, ex. data/private/etude/cle.csv)",
    )
    ps.add_argument(
        "--accepter-inconnus",
        "--accept-unknown",
        dest="accept_unknown",
        action="store_true",
        help="écrire l'étude malgré des formes de personnes absentes de la clé (choix "
        "délibéré, nommé dans le bilan ; le contrôle de fuite des pages les cherche encore)",
    )
    ps.add_argument(
        "--relecture",
        "--review",
        dest="review",
        default=None,
        metavar="CSV",
        help="liste de relecture des formes de personnes absentes de la clé : écrite "
        "quand il en reste, ses décisions (« clé » + pseudonyme, ou « pas une "
        "personne ») appliquées à la relance (noms réels : à garder dans data/private/)",
    )
    ps.set_defaults(func=cmd_pseudonymise)
    d = sub.add_parser(
        "desaccords",
        aliases=["disagreements"],
        help="lister les désaccords entre codeurs pour une réunion de consensus (CSV ou XLSX)",
    )
    d.add_argument("folder", metavar="DOSSIER", help="dossier de l'étude (ex. data/exemple)")
    d.add_argument(
        "--sortie",
        "--out",
        dest="out",
        required=True,
        metavar="FICHIER",
        help="fichier à écrire : .xlsx (tableur) ou .csv (séparateur ;, pour Excel)",
    )
    d.add_argument(
        "--unite",
        "--unit",
        dest="unit",
        choices=("span", "source"),
        default="span",
        help="unité d'analyse : passages qui se chevauchent (span, défaut) ou source entière",
    )
    d.add_argument(
        "--chevauchement",
        "--overlap",
        dest="overlap",
        type=float,
        default=0.5,
        metavar="PART",
        help="part minimale de chevauchement de deux passages (défaut : 0,5 du plus court)",
    )
    d.set_defaults(func=cmd_disagreements)
    im = sub.add_parser(
        "importer",
        aliases=["import"],
        help="importer des codages (projet REFI-QDA .qdpx, livre de codes .qdc, export Taguette .csv)",
    )
    im.add_argument(
        "file",
        metavar="FICHIER",
        help="projet REFI-QDA (.qdpx : NVivo, ATLAS.ti, MAXQDA, QualCoder…), livre de codes (.qdc) "
        "ou export des surlignages Taguette (.csv)",
    )
    im.add_argument(
        "--dans",
        "--into",
        dest="into",
        required=True,
        metavar="DOSSIER",
        help="dossier de l'étude, qui contient déjà study.yml",
    )
    im.add_argument(
        "--livre-de-codes",
        "--codebook",
        "--codes",
        dest="codebook",
        default=None,
        metavar="CSV",
        help="export du livre de codes Taguette (.csv), pour les définitions et le contrôle des comptes",
    )
    im.add_argument(
        "--codeur",
        "--coder",
        dest="coder",
        default=None,
        help="identifiant de la personne qui a codé (Taguette, défaut : taguette), ou des codages "
        "REFI-QDA sans utilisateur (défaut : refi)",
    )
    im.add_argument(
        "--date",
        dest="date",
        default=None,
        metavar="AAAA-MM-JJ",
        help="date des documents qui n'en ont ni par une variable de date ni dans leur nom",
    )
    im.add_argument(
        "--variable-date",
        "--date-variable",
        dest="date_variable",
        default=None,
        metavar="NOM",
        help="variable REFI-QDA qui date les documents, si le projet en a plusieurs",
    )
    im.add_argument(
        "--type",
        "--kind",
        dest="kind",
        default="entretien",
        metavar="TYPE",
        help="type des documents importés (défaut : entretien)",
    )
    im.add_argument(
        "--schemas",
        dest="schemas",
        default=None,
        metavar="DOSSIER",
        help="dossier des schémas REFI-QDA (Project.xsd, Codebook.xsd) pour vérifier le fichier",
    )
    im.add_argument(
        "--categorie",
        "--category",
        dest="category",
        default=None,
        help="catégorie de parties prenantes du codeur s'il faut l'ajouter à people",
    )
    im.add_argument(
        "--repondants",
        "--respondents",
        dest="respondents",
        default=None,
        metavar="CATEGORIE",
        help="catégorie des personnes interrogées : une personne par entretien sans répondant·e",
    )
    im.set_defaults(func=cmd_import)
    x = sub.add_parser(
        "exporter", aliases=["export"], help="exporter les citations (CSV, XLSX) ou le livre de codes (REFI-QDA .qdc)"
    )
    x.add_argument(
        "what",
        choices=("citations", "codes"),
        metavar="QUOI",
        help="citations : une ligne par segment codé ; codes : le livre de codes en .qdc",
    )
    x.add_argument("folder", metavar="DOSSIER", help="dossier de l'étude (ex. data/exemple)")
    x.add_argument(
        "--sortie",
        "--out",
        dest="out",
        required=True,
        metavar="FICHIER",
        help="fichier à écrire : .xlsx ou .csv (citations), .qdc (codes)",
    )
    x.add_argument(
        "--periode",
        "--period",
        dest="periods",
        action="append",
        default=None,
        metavar="PERIODE",
        help="ne garder que cette période (répétable)",
    )
    x.add_argument(
        "--code",
        dest="codes",
        action="append",
        default=None,
        metavar="CODE",
        help="ne garder que ce code et ses sous-codes (répétable)",
    )
    x.add_argument(
        "--citables",
        "--quotable",
        dest="consented",
        action="store_true",
        help="ne garder que les citations dont la source autorise la citation",
    )
    x.set_defaults(func=cmd_export)
    e = sub.add_parser("exemple", aliases=["example"], help="générer le cas d'exemple synthétique")
    e.add_argument(
        "--sortie", "--out", dest="out", default="data/exemple", help="dossier de sortie (défaut : data/exemple)"
    )
    e.add_argument(
        "--echelle", "--scale", dest="scale", type=int, default=1, help="facteur d'échelle (30 : ~100 000 segments)"
    )
    e.add_argument(
        "--graine",
        "--seed",
        dest="seed",
        type=int,
        default=None,
        help="graine aléatoire (défaut : celle du cas d'exemple)",
    )
    e.set_defaults(func=cmd_example)
    return p


def _version() -> str:
    from rd_territoriale import __version__

    return f"rd-territoriale {__version__}"


def main(argv=None) -> int:
    """Entry point of the ``rd-territoriale`` console script.

    No Python traceback reaches the terminal: an unexpected exception is a
    bug, said in French in three lines (what failed, that it is a bug to
    report, where the full trace was saved under ``.build/erreurs/``), with
    exit status 3. Ctrl-C ends with status 130.
    """
    args = parser().parse_args(argv)
    try:
        status = args.func(args)
        if status in INTERRUPTED and argv is None:
            _leave_now(status)
        return status
    except KeyboardInterrupt:
        print("\nInterrompu (Ctrl-C).", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — the last net under every command
        where = _save_trace(exc, Path(getattr(args, "root", ".") or "."))
        print(
            f"Erreur inattendue pendant « rd-territoriale {args.command} » : {type(exc).__name__} : "
            f"{_one_line(exc)}\n"
            "C'est un défaut du logiciel, pas de vos données : merci de le signaler à l'équipe, avec le "
            f"fichier de trace.\nTrace complète : {where}",
            file=sys.stderr,
        )
        return 3


#: Exit statuses of a build stopped by Ctrl-C or SIGTERM.
INTERRUPTED = (130, 143)


def _leave_now(status: int) -> None:
    """End the process at once after an interrupted build has said what it did.

    Everything is already in place (pages written atomically, partial files
    removed, workers and kernels ended, the summary printed): the usual
    interpreter shutdown would only join the process pool's helper thread,
    which can wait on a worker that was just killed, and keep the terminal
    several seconds more. Only the console script does this; a call of
    :func:`main` from Python returns.
    """
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _save_trace(exc: BaseException, root: Path) -> str:
    """Write the full trace to ``.build/erreurs/<date>.log`` (or a temporary file) and say where."""
    import tempfile
    import traceback
    from datetime import datetime

    text = f"rd-territoriale {' '.join(sys.argv[1:])}\n{datetime.now().isoformat(timespec='seconds')}\n\n" + "".join(
        traceback.format_exception(exc)
    )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for folder in (root / ".build" / "erreurs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"rd-territoriale-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            return str(path)
        except OSError:
            continue
    return "(impossible d'écrire la trace)"


if __name__ == "__main__":
    sys.exit(main())
