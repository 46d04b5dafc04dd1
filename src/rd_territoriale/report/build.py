"""Build the reports of ``reports.yml`` into ``reports/`` (``rd-territoriale build``).

For each report: check its parameters, run its notebook with papermill on
the ``rd-territoriale`` kernel (in ``notebooks/``), export the executed
notebook to a self-contained French HTML page, and write it atomically to
``reports/<id>.html``. Then write ``reports/index.html``.

A failed report never breaks the others: its previous page stays in place,
its executed notebook stays in ``.build/executed/<id>.ipynb`` for
inspection, and the exit code is 1. Reports run in parallel, one kernel per
worker process, when ``jobs`` allows it.

Still to come (DESIGN §5): incremental builds keyed by content hash
(notebook, parameters, data, package code), ``foreach: period | unit`` in
the manifest, and the privacy scan of every page before it is published.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import ReportError
from .manifest import ReportSpec, load_manifest, select
from .provenance import git_commit
from .state import BuildRecord, executed_path, read_record, write_atomic, write_record


@dataclass(frozen=True)
class ReportResult:
    """Outcome of one report: ``ok``, a French ``message`` and the duration."""

    id: str
    ok: bool
    message: str
    seconds: float


def build_reports(root: Path, only: list[str] | None = None, jobs: int | None = None) -> int:
    """Build the reports of the manifest and the index.

    Parameters
    ----------
    root : pathlib.Path
        Project root (holds ``reports.yml``, ``notebooks/``, ``reports/``).
    only : list of str, optional
        Ids of the reports to build; all of them when empty or ``None``.
        The index always lists every report of the manifest.
    jobs : int, optional
        Reports built at once (one kernel each); by default as many as
        processor cores, at most the number of reports.

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
    from .execute import ensure_kernel
    from .index import write_index

    root = Path(root).resolve()
    try:
        specs = load_manifest(root)
        chosen = select(specs, only)
        ensure_kernel()
    except ReportError as exc:
        _err(f"Erreur : {exc}")
        return 2

    workers = _workers(jobs, len(chosen))
    commit = git_commit(root)
    plural = "s" if len(chosen) > 1 else ""
    extra = f", {workers} à la fois" if workers > 1 else ""
    _out(f"Construction de {len(chosen)} rapport{plural}{extra}…")

    results: list[ReportResult] = []
    if workers == 1:
        for spec in chosen:
            results.append(build_one(root, spec, commit))
            _report(results[-1])
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(build_one, root, spec, commit): spec for spec in chosen}
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # a worker died
                    result = ReportResult(spec.id, False, f"processus de construction interrompu : {exc}", 0.0)
                results.append(result)
                _report(result)

    index = write_index(root, specs)
    failed = [r for r in results if not r.ok]
    _out(f"Index : {_rel(index, root)}")
    if failed:
        _err(f"{len(failed)} rapport(s) en échec : {', '.join(r.id for r in failed)}.")
        return 1
    return 0


def build_one(root: Path, spec: ReportSpec, commit: str | None = None) -> ReportResult:
    """Run, export and publish one report; never raises for a report error.

    Parameters
    ----------
    root : pathlib.Path
        Project root.
    spec : ReportSpec
        The report.
    commit : str, optional
        Git commit shown in the footer.

    Returns
    -------
    ReportResult
    """
    from .execute import check_parameters, execute_notebook
    from .html import export_html, extract_provenance

    start = time.monotonic()
    attempted = datetime.now().astimezone()
    record = read_record(root, spec.id) or BuildRecord(id=spec.id)
    record.attempted_at = attempted.isoformat(timespec="seconds")
    target = Path(root) / "reports" / spec.html_name
    try:
        defaults = check_parameters(spec.notebook, spec.parameters)
        nb = execute_notebook(
            spec.notebook,
            executed_path(root, spec.id),
            parameters=spec.parameters,
            cwd=spec.notebook.parent,
        )
        built_at = datetime.now().astimezone()
        html = export_html(
            nb,
            spec.title,
            report_id=spec.id,
            parameters=effective_parameters(defaults, spec.parameters),
            commit=commit,
            built_at=built_at,
            notebook_dir=spec.notebook.parent,
        )
        write_atomic(target, html)
    except Exception as exc:
        message = str(exc) if isinstance(exc, ReportError) else f"erreur inattendue : {type(exc).__name__} : {exc}"
        record.status, record.error = "échec", message
        record.seconds = round(time.monotonic() - start, 1)
        write_record(root, record)
        return ReportResult(spec.id, False, message, record.seconds)

    provenance = extract_provenance(nb)
    record.status, record.error = "ok", ""
    record.built_at = built_at.isoformat(timespec="seconds")
    record.study = provenance.get("study", "")
    record.fingerprint = provenance.get("fingerprint", "")
    record.seconds = round(time.monotonic() - start, 1)
    write_record(root, record)
    return ReportResult(spec.id, True, _rel(target, root), record.seconds)


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


def _workers(jobs: int | None, n: int) -> int:
    if n <= 1:
        return 1
    if jobs is None or jobs <= 0:
        jobs = os.cpu_count() or 1
    return max(1, min(jobs, n))


def _report(result: ReportResult) -> None:
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    if result.ok:
        _out(f"  ✓ {result.id} → {result.message} ({seconds} s)")
    else:
        _err(f"  ✗ {result.id} ({seconds} s) : {result.message}")


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def _out(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
