"""``reports.yml``: which notebook runs with which parameters, for whom.

The manifest is a YAML file at the project root. Its ``reports`` key (or the
whole file) is a list of reports::

    study: data/exemple                   # the default study, from the project root
    reports:
      - id: synthese                      # file name: reports/synthese.html
        title: Synthèse de l'étude        # page title and index entry
        notebook: notebooks/synthese.ipynb  # relative to the project root
        audience: partenaires             # partenaires | equipe
        parameters: {}                    # passed to the notebook (papermill)
      - id: periode                       # one report per period: periode-P1, periode-P2…
        title: "Période {label}"          # {id} and {label} name the period or unit
        notebook: notebooks/synthese.ipynb
        foreach: period                   # period | unit, read from the study at each build

An entry with ``foreach: period`` (or ``unit``) becomes one report per period
of the study's ``study.yml`` (or per embedded unit of its ``units`` table),
read at every build: a period added to the study gets its report with no
other edit. Each expanded report receives the parameter ``period`` (or
``unit``) with the item's id.

The study is named once, by the top-level ``study`` key; each report whose
notebook declares a ``data_dir`` parameter reads it (the path is given
relative to ``notebooks/``, where the notebook runs). ``load_manifest(...,
study=FOLDER)`` builds the same reports for another study without editing
the file (``rd-territoriale build --study``). An entry may still give its own
``data_dir``; a study chosen at build time replaces it.

This module only reads and checks the file; it never runs anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from rd_territoriale.build.errors import ManifestError, ReportError
from rd_territoriale.io.yaml_text import safe_load

MANIFEST_FILE = "reports.yml"
from rd_territoriale.study.contract import AUDIENCES  # noqa: E402 - one home for the audiences

AUDIENCE_LABELS = {"partenaires": "Partenaires", "equipe": "Équipe de recherche"}
REPORT_KEYS = {"id", "title", "notebook", "parameters", "audience", "description", "foreach"}
MANIFEST_KEYS = {"reports", "study"}
FOREACH = {"period": "périodes", "unit": "projets"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class ReportSpec:
    """One report of the manifest.

    Parameters
    ----------
    id : str
        Identifier, also the file name ``reports/<id>.html`` (lowercase
        letters, digits, ``-`` and ``_``).
    title : str
        French title of the page.
    notebook : pathlib.Path
        Absolute path of the notebook to run.
    parameters : dict
        Values given to the notebook's ``parameters`` cell.
    audience : str
        ``partenaires`` or ``equipe``.
    description : str
        Optional one-line French summary shown in the index.
    kind : str
        The manifest entry the report comes from (its ``id`` before a
        ``foreach`` expansion); the index groups reports by kind.
    kind_title : str
        The entry's title, for the index's group heading.
    scope : str
        ``period`` or ``unit`` for an expanded report, else ``""``.
    scope_id, scope_label : str
        The period or unit the report is about.
    study : pathlib.Path or None
        The study folder the report reads when its parameters do not name
        one (the manifest's ``study``, or the one chosen at build time).
    """

    id: str
    title: str
    notebook: Path
    parameters: dict = field(default_factory=dict)
    audience: str = "partenaires"
    description: str = ""
    kind: str = ""
    kind_title: str = ""
    scope: str = ""
    scope_id: str = ""
    scope_label: str = ""
    study: Path | None = None

    @property
    def audience_label(self) -> str:
        """The audience as people read it (``Partenaires``…)."""
        return AUDIENCE_LABELS.get(self.audience, self.audience)

    @property
    def html_name(self) -> str:
        """File name of the report in ``reports/``."""
        return f"{self.id}.html"


class Reports(list):
    """The reports of a manifest (a list of :class:`ReportSpec`), and what expanded to nothing.

    Attributes
    ----------
    empty : list of ReportSpec
        The ``foreach`` entries that gave no report (a study without
        projects has no project report): the build and the index say so.
    study : pathlib.Path or None
        The study folder the reports read.
    default_study : pathlib.Path or None
        The manifest's own ``study``.
    kinds : list of str
        The entries' ids in file order (the index lists its groups so).
    """

    def __init__(self, items=(), empty=(), study=None, default_study=None, kinds=()):
        super().__init__(items)
        self.empty = list(empty)
        self.kinds = list(kinds)
        self.study = study
        self.default_study = default_study


def load_manifest(root: Path, path: Path | None = None, study: Path | None = None) -> Reports:
    """Read and check the report manifest.

    Parameters
    ----------
    root : pathlib.Path
        Project root; notebook paths are resolved against it.
    path : pathlib.Path, optional
        Manifest file; ``root / "reports.yml"`` by default.
    study : pathlib.Path, optional
        Study folder every report reads instead of the manifest's ``study``
        (and of any entry's ``data_dir``).

    Returns
    -------
    Reports
        The reports in file order (a list), with the ``foreach`` entries
        that expanded to nothing in ``.empty``.

    Raises
    ------
    ManifestError
        With every problem found (French), naming the file and the report.

    Examples
    --------
    >>> specs = load_manifest(Path("."))  # doctest: +SKIP
    >>> [s.id for s in specs]  # doctest: +SKIP
    ['synthese']
    """
    root = Path(root).resolve()
    path = Path(path) if path is not None else root / MANIFEST_FILE
    where = _display(path, root)
    if not path.is_file():
        raise ManifestError(f"{where} : fichier introuvable (la liste des rapports à construire).")
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(f"{where} : YAML illisible ({exc}).") from exc
    default_study = None
    if isinstance(data, dict):
        unknown = set(data) - MANIFEST_KEYS
        if unknown:
            raise ManifestError(
                f"{where} : clé(s) inconnue(s) {_names(unknown)} ; attendu : {_names(sorted(MANIFEST_KEYS))}."
            )
        named = data.get("study")
        if named is not None:
            if not isinstance(named, str) or not named.strip():
                raise ManifestError(
                    f"{where} : « study » doit être le chemin du dossier de l'étude "
                    "(depuis la racine du projet), par exemple data/exemple."
                )
            default_study = (root / named).resolve()
        data = data.get("reports")
    if not isinstance(data, list) or not data:
        raise ManifestError(f"{where} : attendu une liste non vide de rapports sous la clé « reports ».")

    chosen = Path(study).resolve() if study is not None else default_study
    problems: list[str] = []
    specs: list[ReportSpec] = []
    empty: list[ReportSpec] = []
    seen: set[str] = set()
    for number, entry in enumerate(data, start=1):
        label = f"rapport n° {number}"
        if not isinstance(entry, dict):
            problems.append(f"{label} : attendu un ensemble de clés (id, title, notebook…).")
            continue
        rid = entry.get("id")
        if isinstance(rid, str):
            label = f"rapport « {rid} »"
        errors = _check_entry(entry, root, seen)
        problems.extend(f"{label} : {e}" for e in errors)
        if isinstance(rid, str):
            seen.add(rid)
        if errors:
            continue
        parameters = dict(entry.get("parameters") or {})
        if study is not None:
            parameters.pop("data_dir", None)  # the study chosen at build time wins
        spec = ReportSpec(
            id=rid,
            title=str(entry["title"]).strip(),
            notebook=(root / entry["notebook"]).resolve(),
            parameters=parameters,
            audience=entry.get("audience", "partenaires"),
            description=str(entry.get("description") or "").strip(),
            kind=rid,
            kind_title=str(entry["title"]).strip(),
            study=chosen,
        )
        if entry.get("foreach"):
            try:
                expanded = expand(spec, entry["foreach"])
            except ManifestError as exc:
                problems.append(f"{label} : {exc}")
                continue
            specs.extend(expanded)
            if not expanded:
                empty.append(replace(spec, scope=entry["foreach"]))
        else:
            specs.append(spec)
    ids = [s.id for s in specs]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"rapport « {dup} » : identifiant produit deux fois (après « foreach »).")
    if problems:
        body = "\n".join(f"  - {p}" for p in problems)
        raise ManifestError(f"{where} : {len(problems)} problème(s) :\n{body}")
    kinds = [e.get("id") for e in data if isinstance(e, dict)]
    return Reports(specs, empty, study=chosen, default_study=default_study, kinds=kinds)


def data_dir(spec: ReportSpec) -> Path | None:
    """The study folder a report reads.

    Its ``data_dir`` parameter, else the manifest's study, else the
    notebook's default. Paths are relative to the notebook's folder, where
    the notebook runs.
    """
    value = spec.parameters.get("data_dir")
    if value is None and spec.study is not None:
        return spec.study
    if value is None:
        import ast

        from rd_territoriale.build.execute import notebook_parameters

        try:
            value = ast.literal_eval(notebook_parameters(spec.notebook).get("data_dir", "None"))
        except (ValueError, SyntaxError, ReportError):
            value = None
    if not isinstance(value, str):
        return None
    return (spec.notebook.parent / value).resolve()


def expand(spec: ReportSpec, foreach: str) -> list[ReportSpec]:
    """One report per period (or unit) of the study the entry reads.

    The title may use ``{id}`` and ``{label}``; without them, the label is
    appended. Each report gets the parameter ``period`` (or ``unit``).

    Raises
    ------
    ManifestError
        Unknown ``foreach`` value, no study folder, unreadable outline.
    """
    from rd_territoriale.study import outline

    if foreach not in FOREACH:
        raise ManifestError(f"« foreach » vaut {foreach!r} ; attendu : {' ou '.join(FOREACH)}.")
    folder = data_dir(spec)
    if folder is None:
        raise ManifestError(
            "« foreach » demande une étude : la clé « study » du manifeste "
            "ou un paramètre « data_dir » (le dossier de l'étude)."
        )
    try:
        items = outline.periods(folder) if foreach == "period" else outline.units(folder)
    except outline.OutlineError as exc:
        raise ManifestError(f"impossible de lire les {FOREACH[foreach]} de l'étude : {exc}") from exc
    out = []
    for item in items:
        if not _ITEM_ID.match(item.id):
            raise ManifestError(f"identifiant {item.id!r} inutilisable dans un nom de fichier.")
        if "{" in spec.title:
            try:
                title = spec.title.format(id=item.id, label=item.label)
            except (KeyError, IndexError, ValueError) as exc:
                raise ManifestError(f"« title » : seuls {{id}} et {{label}} sont permis ({exc}).") from exc
        else:
            title = f"{spec.title} — {item.label}"
        out.append(
            replace(
                spec,
                id=f"{spec.id}-{item.id}",
                title=title,
                parameters={**spec.parameters, foreach: item.id},
                scope=foreach,
                scope_id=item.id,
                scope_label=item.label,
            )
        )
    return out


def family_title(template: str) -> str:
    """A ``foreach`` entry's title without its ``{id}``/``{label}`` placeholders (« Projet : {label} » → « Projet »)."""
    return re.sub(r"\{[^}]*\}", "", template).strip(" :—-–,") or template


def study_parameter(spec: ReportSpec) -> str | None:
    """The ``data_dir`` a notebook receives for the manifest's study: relative to ``notebooks/``.

    ``None`` when the entry gives its own ``data_dir`` or names no study.
    """
    import os

    if spec.study is None or "data_dir" in spec.parameters:
        return None
    return Path(os.path.relpath(spec.study, spec.notebook.parent)).as_posix()


def select(specs: list[ReportSpec], only: list[str] | None) -> list[ReportSpec]:
    """Keep the reports named in ``only`` (all when ``only`` is empty).

    A name is a report id (``periode-P1``) or the id of a manifest entry,
    which selects all its expanded reports (``periode``).

    Raises
    ------
    ManifestError
        When a name is not in the manifest.
    """
    if not only:
        return list(specs)
    known = {s.id for s in specs} | {s.kind for s in specs} | {e.kind for e in getattr(specs, "empty", [])}
    unknown = [o for o in only if o not in known]
    if unknown:
        raise ManifestError(
            f"rapport(s) inconnu(s) : {_names(unknown)} ; rapports du manifeste : {_names(sorted(known))}."
        )
    wanted = set(only)
    return [s for s in specs if s.id in wanted or s.kind in wanted]


def _check_entry(entry: dict, root: Path, seen: set[str]) -> list[str]:
    errors = []
    unknown = set(entry) - REPORT_KEYS
    if unknown:
        errors.append(f"clé(s) inconnue(s) {_names(unknown)} ; clés possibles : {_names(sorted(REPORT_KEYS))}.")
    rid = entry.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        errors.append(
            f"« id » vaut {rid!r} ; attendu : minuscules, chiffres, « - » ou « _ » (c'est le nom du fichier HTML)."
        )
    elif rid in seen:
        errors.append("« id » déjà utilisé par un autre rapport.")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append("« title » manque (le titre du rapport, en français).")
    notebook = entry.get("notebook")
    if not isinstance(notebook, str) or not notebook.strip():
        errors.append("« notebook » manque (chemin du carnet, depuis la racine du projet).")
    elif not notebook.endswith(".ipynb"):
        errors.append(f"« notebook » vaut « {notebook} » ; attendu un carnet .ipynb.")
    elif not (root / notebook).is_file():
        errors.append(f"carnet introuvable : {notebook}.")
    audience = entry.get("audience", "partenaires")
    if audience not in AUDIENCES:
        errors.append(f"« audience » vaut {audience!r} ; attendu : {' ou '.join(AUDIENCES)}.")
    foreach = entry.get("foreach")
    if foreach is not None and foreach not in FOREACH:
        errors.append(f"« foreach » vaut {foreach!r} ; attendu : {' ou '.join(FOREACH)}.")
    params = entry.get("parameters")
    if params is not None and not isinstance(params, dict):
        errors.append("« parameters » doit être un ensemble nom: valeur.")
    elif params and not all(isinstance(k, str) and k.isidentifier() for k in params):
        errors.append("« parameters » : chaque nom doit être un nom de variable Python.")
    return errors


def _names(items) -> str:
    return ", ".join(f"« {i} »" for i in items)


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)
