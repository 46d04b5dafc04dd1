"""Build the reports of ``reports.yml`` into ``reports/`` (``rd-territoriale build``).

For each report: check its parameters, run its notebook with papermill on
the ``rd-territoriale`` kernel (in ``notebooks/``), export the executed
notebook to a self-contained French HTML page, and write it atomically to
``reports/<id>.html``. Then write ``reports/index.html``.

A failed report never breaks the others: its previous page stays in place,
its executed notebook stays in ``.build/executed/<id>.ipynb`` for
inspection, and the exit code is 1. Reports run in parallel, one kernel per
worker process, when ``jobs`` allows it.

The build is incremental: a report is rebuilt only when its content key
changes (notebook, parameters, title and audience, the data it reads, the
package code; see :func:`report_keys`), so a build with nothing to do
returns at once. Before a page is published it is scanned for the names of
the pseudonym keys, e-mail addresses and phone numbers
(:mod:`rd_territoriale.privacy.scan`); a hit fails the report.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

#: papermill and nbconvert read notebooks with nbformat, which validates them with jsonschema; when
#: ``rfc3987_syntax`` is installed (JupyterLab's jupyter-events asks for it), jsonschema imports it,
#: and it compiles some 35 Lark parsers at import: about 1 s of processor in the build and in each of
#: its workers, for the ``iri`` formats that no notebook schema uses
#: (python-jsonschema/jsonschema#1428). The build's processes go without it, as jsonschema does
#: wherever it is not installed. The kernels, which run the researcher's code, are left as they are.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from rd_territoriale.build.errors import ReportError  # noqa: E402 — after the line above
from rd_territoriale.build.manifest import Reports, ReportSpec, family_title, load_manifest, select, study_parameter
from rd_territoriale.build.state import (
    BuildRecord,
    build_dir,
    executed_path,
    read_record,
    reports_dir,
    write_atomic,
    write_record,
)
from rd_territoriale.french import plural_s
from rd_territoriale.report.provenance import git_commit
from rd_territoriale.study.contract import STUDY_FILE

#: How many reports a build runs at once when ``-j`` is not given (the number of cores when unset):
#: for a machine whose cores are already busy, such as the test suite's (``pytest -n auto``).
JOBS_VARIABLE = "RD_TERRITORIALE_PARALLELES"


@dataclass(frozen=True)
class ReportResult:
    """Outcome of one report: ``ok``, a French ``message`` and the duration."""

    id: str
    ok: bool
    message: str
    seconds: float


def site_of(reports: Reports) -> str:
    """Where a study's reports go: ``""`` (``reports/``) for the manifest's study, else its folder name.

    The pages of ``--study data/mon-etude`` go to ``reports/mon-etude/``.
    """
    if reports.study is None or reports.study == reports.default_study:
        return ""
    return reports.study.name


def build_reports(
    root: Path, only: list[str] | None = None, jobs: int | None = None, study: Path | None = None, pdf: bool = False
) -> int:
    """Build the reports of the manifest and the index.

    Parameters
    ----------
    root : pathlib.Path
        Project root (holds ``reports.yml``, ``notebooks/``, ``reports/``).
    only : list of str, optional
        Ids of the reports to build; all of them when empty or ``None``.
        The index always lists every report of the manifest.
    jobs : int, optional
        Reports built at once (one kernel each); by default
        ``$RD_TERRITORIALE_PARALLELES`` when set (:func:`default_jobs`), else
        as many as processor cores; at most the number of reports.
    study : pathlib.Path, optional
        Study folder to build the manifest's reports for, instead of the
        manifest's ``study``; its pages go to ``reports/<folder name>/``
        with their own index, listed by ``reports/index.html``.
    pdf : bool
        Also print each built page to ``<id>.pdf`` beside it
        (:mod:`~rd_territoriale.build.pdf`, with Chromium), when the PDF is
        missing or older than its page; the index links to the PDFs.

    Returns
    -------
    int
        Exit code: 0 when every report was built, 1 when at least one
        failed, 2 when nothing could start (manifest, unknown id, kernel).

    Examples
    --------
    >>> build_reports(Path("."), only=["synthese"])  # doctest: +SKIP
    0
    """
    from rd_territoriale.build.index import write_index

    root = Path(root).resolve()
    started = time.monotonic()
    if study is not None:
        study = Path(study).resolve()
        if not (study / STUDY_FILE).is_file():
            what = "n'existe pas" if not study.exists() else "n'a pas de study.yml"
            _err(
                f"Erreur : le dossier d'étude « {study} » {what}. Pour commencer une étude : "
                f"rd-territoriale init {_rel(study, root)}"
            )
            return 2
    try:
        if jobs is None or jobs <= 0:
            jobs = default_jobs()
        specs = load_manifest(root, study=study)
        chosen = select(specs, only)
    except ReportError as exc:
        _err(f"Erreur : {exc}")
        return 2
    site = site_of(specs)
    chromium = None
    if pdf:  # before any work: without a browser, say what to install and build nothing
        from rd_territoriale.build.pdf import find_chromium

        try:
            chromium = find_chromium()
        except ReportError as exc:
            _err(f"Erreur : {exc}")
            return 2
    if site:
        _out(f"Étude {_rel(specs.study, root)} : rapports dans {_rel(reports_dir(root, site), root)}/")
    for entry in specs.empty:
        if not only or entry.kind in only:
            what = "aucune période" if entry.scope == "period" else "aucun projet (table units vide)"
            _out(f"« {family_title(entry.kind_title)} » : aucun rapport, l'étude n'a {what}.")

    keys = report_keys(chosen, root)
    todo = [s for s in chosen if not _up_to_date(root, s, keys[s.id], site)]
    fresh = len(chosen) - len(todo)
    if fresh:
        _out(
            f"{fresh} rapport{plural_s(fresh)} déjà à jour (ni carnet, ni paramètres, "
            "ni données, ni code n'ont changé)."
        )
    results: list[ReportResult] = []
    if todo:
        from rd_territoriale.build.execute import ensure_kernel
        from rd_territoriale.errors import RdTerritorialeError
        from rd_territoriale.privacy.scan import load_patterns

        try:
            kernel_argv = ensure_kernel()
            names = load_patterns(root)  # read the keys once, not once per report
        except RdTerritorialeError as exc:
            _err(f"Erreur : {exc}")
            return 2
        workers = _workers(jobs, len(todo))
        commit = git_commit(root)
        plural = "s" if len(todo) > 1 else ""
        extra = f", {workers} à la fois" if workers > 1 else ""
        _out(f"Construction de {len(todo)} rapport{plural}{extra}…")
        from rd_territoriale.build.interrupt import (
            BuildInterrupted,
            end_children,
            ignore_sigint,
            remove_partial_files,
            stop_on_signals,
        )
        from rd_territoriale.build.kernels import SharedTemplate, Template

        pool = None
        # One warm template per build: each report's kernel is forked from it
        # (build/template.py), so no report pays for the imports again; or the
        # running template RD_TERRITORIALE_GABARIT names (build/kernels.py).
        template = SharedTemplate.from_environment() or Template(kernel_argv, todo[0].notebook.parent)
        try:
            with stop_on_signals(), template, Progress(len(todo), started) as progress:
                address = template.address
                if workers == 1:
                    for spec in todo:
                        results.append(build_one(root, spec, commit, keys[spec.id], names, site, address))
                        progress.done(results[-1])
                        template.revive()
                else:
                    import multiprocessing  # not on the path of a build with nothing to do
                    from concurrent.futures import ProcessPoolExecutor, as_completed

                    context = multiprocessing.get_context("spawn")
                    # Not a ``with`` block: on Ctrl-C it would wait for the running reports.
                    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=ignore_sigint)
                    futures = {
                        pool.submit(build_one, root, spec, commit, keys[spec.id], names, site, address): spec
                        for spec in todo
                    }
                    for future in as_completed(futures):
                        spec = futures[future]
                        try:
                            result = future.result()
                        except Exception as exc:  # a worker died
                            result = ReportResult(spec.id, False, f"processus de construction interrompu : {exc}", 0.0)
                        results.append(result)
                        progress.done(result)
                        template.revive()
                    pool.shutdown()
        except BuildInterrupted as stop:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            end_children()  # the workers and their kernels: nothing keeps running
            for folder in (reports_dir(root, site), build_dir(root, site) / "state"):
                remove_partial_files(folder)
            write_index(root, specs, site)
            _interrupted(stop, todo, results)
            return stop.exit_status

    if pdf:
        status = _print_pdfs(root, chosen, site, chromium)
        if status:
            write_index(root, specs, site)
            return status
    index = write_index(root, specs, site)
    failed = [r for r in results if not r.ok]
    _out(f"Index : {_rel(index, root)} ({_seconds(time.monotonic() - started)})")
    if failed:
        _err(
            f"{len(failed)} rapport(s) en échec : {', '.join(r.id for r in failed)}. "
            "Leur dernière version réussie reste en place."
        )
        return 1
    return 0


def _print_pdfs(root: Path, chosen: list[ReportSpec], site: str, chromium: str) -> int:
    """Print the built pages of ``chosen`` whose PDF is missing or stale; 0, or an exit status."""
    from rd_territoriale.build.interrupt import BuildInterrupted, stop_on_signals
    from rd_territoriale.build.pdf import Printer, is_current, pdf_path

    folder = reports_dir(root, site)
    pages = [folder / s.html_name for s in chosen if (folder / s.html_name).is_file()]
    todo = [page for page in pages if not is_current(page)]
    if not todo:
        if pages:
            _out(f"Copies PDF déjà à jour ({len(pages)}).")
        return 0
    started = time.monotonic()
    _out(f"Impression de {len(todo)} copie{plural_s(len(todo))} PDF avec Chromium…")
    done = 0
    try:
        with stop_on_signals(), Printer(chromium) as printer:
            for page in todo:
                out = printer.print(page)
                done += 1
                _out(f"[{done}/{len(todo)}] ✓ {_rel(out, root)} ({out.stat().st_size / 1024:.0f} Ko)")
    except BuildInterrupted as stop:
        _err(
            f"Impression interrompue ({stop.name}) : {done} PDF écrit{plural_s(done)} sur {len(todo)} ; "
            "aucun PDF n'est à moitié écrit. Relancez la même commande pour imprimer les autres."
        )
        return stop.exit_status
    except ReportError as exc:
        _err(f"Erreur : {exc}")
        return 2
    except Exception as exc:  # noqa: BLE001 - the browser failed: say it in French, pages stay
        _err(
            f"Erreur : l'impression PDF a échoué ({type(exc).__name__} : {exc}). Les pages HTML sont en place ; "
            f"{done} PDF sur {len(todo)} ont été écrits."
        )
        return 1
    _out(
        f"Copies PDF : {done} en {_seconds(time.monotonic() - started)}, à côté des pages "
        f"({_rel(pdf_path(todo[0]).parent, root)}/)."
    )
    return 0


def _interrupted(stop, todo: list[ReportSpec], results: list[ReportResult]) -> None:
    """Say in French what an interrupted build built, and what it did not."""
    built = [r.id for r in results if r.ok]
    failed = [r.id for r in results if not r.ok]
    missing = [s.id for s in todo if s.id not in set(built) | set(failed)]
    lines = [
        f"\nConstruction interrompue ({stop.name}) : aucun nouveau rapport n'a été lancé, les noyaux en "
        "cours ont été arrêtés et aucune page n'est restée à moitié écrite."
    ]
    lines.append(f"  Construits avant l'arrêt ({len(built)}) : {', '.join(built) or 'aucun'}.")
    if failed:
        lines.append(f"  En échec ({len(failed)}) : {', '.join(failed)}.")
    lines.append(
        f"  Non construits ({len(missing)}) : {', '.join(missing) or 'aucun'} ; leur dernière version reste en place."
    )
    lines.append("  Relancez la même commande : elle ne construira que ce qui manque.")
    _err("\n".join(lines))


def report_keys(specs: list[ReportSpec], root: Path | None = None) -> dict[str, str]:
    """The content key of each report: what its page is made from.

    The key hashes the notebook's bytes, the parameters, the title and
    audience, the fingerprint of the study folder the report reads (its
    ``data_dir``), the fingerprint of the package code and the pseudonym
    keys the leak scan uses (``root``; a new name rescans every page).
    Modification times never enter it.

    Returns
    -------
    dict
        ``{report id: hex key}``.
    """
    import hashlib
    import json

    from rd_territoriale import __version__
    from rd_territoriale.build.manifest import data_dir
    from rd_territoriale.privacy.scan import key_files
    from rd_territoriale.study.fingerprint import code_fingerprint, fingerprint

    code = code_fingerprint()
    keys_hash = hashlib.sha256()  # a new name in a key must rescan every page
    for path in key_files(root) if root is not None else []:
        keys_hash.update(hashlib.sha256(path.read_bytes()).digest())
    data_cache: dict[Path, str] = {}
    notebooks: dict[Path, str] = {}
    keys = {}
    for spec in specs:
        folder = data_dir(spec)
        if folder is not None and folder not in data_cache:
            data_cache[folder] = fingerprint(folder) if folder.is_dir() else "absent"
        if spec.notebook not in notebooks:
            notebooks[spec.notebook] = hashlib.sha256(spec.notebook.read_bytes()).hexdigest()
        study = study_parameter(spec)
        payload = {
            "notebook": notebooks[spec.notebook],
            "parameters": {**spec.parameters, **({"data_dir": study} if study else {})},
            "title": spec.title,
            "audience": spec.audience,
            "data": data_cache.get(folder, "aucune"),
            "code": code,
            "keys": keys_hash.hexdigest(),
            "version": __version__,
        }
        keys[spec.id] = hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()
    return keys


def _up_to_date(root: Path, spec: ReportSpec, key: str, site: str = "") -> bool:
    record = read_record(root, spec.id, site)
    page = reports_dir(root, site) / spec.html_name
    return record is not None and record.status == "ok" and record.key == key and page.is_file()


class Progress:
    """Report i/n and elapsed time as reports finish.

    On a terminal, a live bar (rich); under CI (``CI`` set) or when the
    output is not a terminal, one plain line per report and nothing else.
    """

    def __init__(self, total: int, started: float):
        self.total, self.started, self.count = total, started, 0
        self.live = sys.stdout.isatty() and not os.environ.get("CI")
        self._bar = None

    def __enter__(self):
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("Rapports"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
            )
            self._bar.start()
            self._task = self._bar.add_task("rapports", total=self.total)
        return self

    def done(self, result: "ReportResult") -> None:
        """Show one finished report."""
        self.count += 1
        elapsed = _seconds(time.monotonic() - self.started)
        line = f"[{self.count}/{self.total}] " + _describe(result) + f" — écoulé {elapsed}"
        if self._bar is not None:
            self._bar.console.print(line, highlight=False, markup=False)
            self._bar.advance(self._task)
        elif result.ok:
            _out(line)
        else:
            _err(line)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
        return False


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


def build_one(
    root: Path,
    spec: ReportSpec,
    commit: str | None = None,
    key: str = "",
    names=None,
    site: str = "",
    template: str | None = None,
) -> ReportResult:
    """Run, export and publish one report; never raises for a report error.

    Parameters
    ----------
    root : pathlib.Path
        Project root.
    spec : ReportSpec
        The report.
    commit : str, optional
        Git commit shown in the footer.
    key : str
        Content key of the report (see :func:`report_keys`), stored on success.
    names : NamePatterns, optional
        The pseudonym keys' names for the leak scan; read from ``root``
        when not given.
    site : str
        ``""`` for ``reports/``, else the study's folder name
        (``reports/<site>/``, see :func:`site_of`).
    template : str, optional
        Address of the build's kernel template (the kernel is forked from
        it, see :mod:`~rd_territoriale.build.kernels`); a fresh kernel when
        ``None``.

    Returns
    -------
    ReportResult
    """
    from rd_territoriale.build.execute import check_parameters, execute_notebook
    from rd_territoriale.build.html import export_html, extract_provenance
    from rd_territoriale.privacy.scan import describe_hits, load_patterns, scan_html

    start = time.monotonic()
    attempted = datetime.now().astimezone()
    record = read_record(root, spec.id, site) or BuildRecord(id=spec.id)
    record.attempted_at = attempted.isoformat(timespec="seconds")
    target = reports_dir(root, site) / spec.html_name
    try:
        defaults = check_parameters(spec.notebook, spec.parameters)
        parameters = with_audience(spec, defaults)
        nb = execute_notebook(
            spec.notebook,
            executed_path(root, spec.id, site),
            parameters=parameters,
            cwd=spec.notebook.parent,
            template=template,
        )
        built_at = datetime.now().astimezone()
        html = export_html(
            nb,
            spec.title,
            report_id=spec.id,
            parameters=effective_parameters(defaults, parameters),
            commit=commit,
            built_at=built_at,
            notebook_dir=spec.notebook.parent,
        )
        hits = scan_html(html, names if names is not None else load_patterns(root))
        if hits:
            rejected = build_dir(root, site) / "rejected" / spec.html_name
            write_atomic(rejected, html)
            raise ReportError(describe_hits(hits) + f"\n  Page refusée conservée pour examen : {_rel(rejected, root)}")
        write_atomic(target, html)
    except Exception as exc:
        message = str(exc) if isinstance(exc, ReportError) else f"erreur inattendue : {type(exc).__name__} : {exc}"
        record.status, record.error = "échec", message
        record.seconds = round(time.monotonic() - start, 1)
        write_record(root, record, site)
        return ReportResult(spec.id, False, message, record.seconds)

    provenance = extract_provenance(nb)
    record.status, record.error, record.key = "ok", "", key
    record.built_at = built_at.isoformat(timespec="seconds")
    record.study = provenance.get("study", "")
    record.fingerprint = provenance.get("fingerprint", "")
    record.seconds = round(time.monotonic() - start, 1)
    write_record(root, record, site)
    return ReportResult(spec.id, True, _rel(target, root), record.seconds)


def with_audience(spec: ReportSpec, defaults: dict) -> dict:
    """The report's parameters, plus ``audience`` and ``data_dir`` when the notebook declares them.

    ``data_dir`` is the manifest's study (or the one chosen at build time),
    relative to the notebook's folder.

    A notebook that applies the audience rules (small-cell masking and the
    quote policy for ``partenaires``) declares an ``audience`` parameter;
    the manifest's audience is then passed to it, so that a partner report
    can never run with the team's looser rules by mistake.
    """
    parameters = dict(spec.parameters)
    study = study_parameter(spec)
    if study is not None and "data_dir" in defaults:
        parameters["data_dir"] = study
    if "audience" in defaults:
        given = parameters.get("audience")
        if given is not None and given != spec.audience:
            raise ReportError(
                f"paramètre « audience » ({given!r}) différent de l'audience du rapport "
                f"({spec.audience!r}) dans reports.yml : retirez-le des paramètres."
            )
        parameters["audience"] = spec.audience
    return parameters


def effective_parameters(defaults: dict[str, str], given: dict) -> dict[str, str]:
    """Every parameter of a notebook with the value it ran with, as source text.

    Parameters
    ----------
    defaults : dict
        ``{name: default source text}`` from the ``parameters`` cell.
    given : dict
        Values from the manifest (they win).

    Returns
    -------
    dict
        ``{name: Python literal}`` in the notebook's order.
    """
    from papermill.translators import PythonTranslator

    out = {name: str(default) for name, default in defaults.items()}
    for name, value in given.items():
        out[name] = PythonTranslator.translate(value)
    return out


def default_jobs() -> int:
    """Reports built at once when ``-j`` is not given: ``$RD_TERRITORIALE_PARALLELES``, else the cores.

    Raises
    ------
    ReportError
        The variable is set to anything but a whole number of at least 1.
    """
    value = os.environ.get(JOBS_VARIABLE, "").strip()
    if not value:
        return os.cpu_count() or 1
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1 or not value.isascii():
        raise ReportError(
            f"{JOBS_VARIABLE} vaut « {value} » : un nombre entier de rapports construits à la fois (1 ou plus) "
            "est attendu."
        )
    return jobs


def _workers(jobs: int, n: int) -> int:
    """Worker processes for ``n`` reports, ``jobs`` at once (:func:`default_jobs` when ``-j`` is not given)."""
    return max(1, min(jobs, n))


def _describe(result: ReportResult) -> str:
    seconds = _seconds(result.seconds)
    if result.ok:
        return f"✓ {result.id} → {result.message} ({seconds})"
    return f"✗ {result.id} ({seconds}) : {result.message}"


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def _out(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
