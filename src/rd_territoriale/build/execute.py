"""Run one parameterised notebook with papermill on the project kernel.

A notebook is run top to bottom in its own folder (``notebooks/``), on the
Jupyter kernel ``rd-territoriale`` (the project's virtual environment, as
``make`` registers it). Before anything runs, the parameters are checked
against the notebook's ``parameters`` cell: a missing cell or an unknown
name is an error, never a warning, because a typo in ``reports.yml`` would
otherwise publish a report built on the default data.

This module never writes HTML and never touches ``reports/``.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import nbformat

from rd_territoriale.build.errors import ExecutionError, KernelError, ParameterError

KERNEL_NAME = "rd-territoriale"
KERNEL_DISPLAY_NAME = "Python (rd-territoriale)"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
DEFAULT_TIMEOUT = 1800  # seconds per cell

log = logging.getLogger(__name__)


def notebook_parameters(notebook: Path) -> dict[str, str]:
    """Names and default values (source text) of a notebook's parameters.

    Parameters
    ----------
    notebook : pathlib.Path
        The notebook.

    Returns
    -------
    dict
        ``{name: default}``, ``default`` as written in the cell (``"None"``).

    Raises
    ------
    ParameterError
        When no cell is tagged ``parameters``.
    """
    import papermill

    nb = nbformat.read(str(notebook), as_version=4)
    if not any(PARAMETERS_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise ParameterError(
            f"{_rel(notebook)} : aucune cellule n'a l'étiquette « parameters ». "
            "Dans JupyterLab, sélectionnez la cellule des paramètres, ouvrez l'inspecteur "
            "de propriétés (roue dentée) et ajoutez l'étiquette « parameters »."
        )
    params = papermill.inspect_notebook(str(notebook))
    return {name: info["default"] for name, info in params.items()}


def check_parameters(notebook: Path, parameters: dict) -> dict[str, str]:
    """Check that every given parameter exists in the notebook.

    Returns
    -------
    dict
        The notebook's parameters and defaults (see :func:`notebook_parameters`).

    Raises
    ------
    ParameterError
        Naming the notebook, the unknown parameters and the known ones.
    """
    known = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        listed = ", ".join(f"« {n} »" for n in unknown)
        allowed = ", ".join(f"« {n} »" for n in known) or "aucun"
        raise ParameterError(
            f"{_rel(notebook)} : paramètre(s) inconnu(s) {listed} ; paramètres de ce carnet : {allowed}."
        )
    return known


def ensure_kernel(install: bool = True) -> list[str]:
    """Make sure the ``rd-territoriale`` Jupyter kernel can be started; return its command.

    Parameters
    ----------
    install : bool
        When the kernel is missing, register it in the current environment
        (``python -m ipykernel install --sys-prefix``) instead of failing.

    Returns
    -------
    list of str
        The kernel spec's ``argv`` (interpreter, flags, launcher), from which
        :class:`~rd_territoriale.build.kernels.Template` starts its template.

    Raises
    ------
    KernelError
        When the kernel is missing and cannot be (or may not be) installed.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        if not install:
            raise KernelError(_missing_kernel_message()) from None
        _install_kernel()
        try:
            spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        except NoSuchKernel:
            raise KernelError(_missing_kernel_message()) from None
    python = spec.argv[0] if spec.argv else ""
    if python and os.path.isabs(python) and not os.path.exists(python):
        raise KernelError(
            f"Le noyau Jupyter « {KERNEL_NAME} » ({spec.resource_dir}) pointe vers un "
            f"interpréteur qui n'existe plus : {python}. {_install_hint()}"
        )
    return list(spec.argv)


def execute_notebook(
    notebook: Path,
    output: Path,
    parameters: dict | None = None,
    cwd: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    template: str | None = None,
) -> nbformat.NotebookNode:
    """Run a notebook with papermill and return the executed notebook.

    Parameters
    ----------
    notebook : pathlib.Path
        The source notebook (never modified).
    output : pathlib.Path
        Where papermill writes the executed notebook, cell after cell; it is
        kept when the run fails, for inspection.
    parameters : dict, optional
        Values for the notebook's ``parameters`` cell.
    cwd : pathlib.Path, optional
        Working directory of the kernel; the notebook's folder by default.
    timeout : int
        Seconds allowed per cell.
    template : str, optional
        Address of the build's kernel template
        (:class:`~rd_territoriale.build.kernels.Template`): the kernel is
        forked from it; a fresh kernel is started when ``None``.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (with papermill's ``injected-parameters`` cell).

    Raises
    ------
    ParameterError
        Missing ``parameters`` cell or unknown parameter (nothing is run).
    KernelError
        The kernel cannot be found.
    ExecutionError
        A cell raised an exception; the message names the notebook, the cell
        and the error, and where the executed notebook was kept.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from rd_territoriale.build.kernels import kernel_manager_class

    notebook = Path(notebook).resolve()
    output = Path(output).resolve()
    cwd = Path(cwd).resolve() if cwd is not None else notebook.parent
    parameters = dict(parameters or {})
    check_parameters(notebook, parameters)
    ensure_kernel()
    output.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("papermill").setLevel(logging.WARNING)

    def run():
        return papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            language="python",
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            # The kernel is local and short-lived: keep its start-up notices
            # (e.g. "running over TCP") out of the build's output.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            kernel_manager_class=kernel_manager_class(template),
            # Every cell has run and its outputs are in: the kernel has nothing
            # left to say, so it is ended at once rather than asked to stop.
            shutdown_kernel="immediate",
        )

    try:
        return _with_start_retries(run)
    except PapermillExecutionError as exc:
        cell = _source_cell_number(notebook, output, exc.cell_index)
        where = f"cellule {cell}" if cell else f"cellule [{exc.exec_count}]"
        raise ExecutionError(
            f"{_rel(notebook)}, {where} : {exc.ename} : {exc.evalue}\n"
            f"  Carnet exécuté conservé pour examen : {_rel(output)}",
            notebook=_rel(notebook),
            cell=cell,
            executed=_rel(output),
        ) from None
    except Exception as exc:  # kernel death, timeout, unreadable notebook…
        if isinstance(exc, (ParameterError, KernelError)):
            raise
        raise ExecutionError(
            f"{_rel(notebook)} : l'exécution a échoué ({type(exc).__name__} : {exc}).\n"
            f"  Carnet exécuté (partiel) : {_rel(output)}",
            notebook=_rel(notebook),
            executed=_rel(output),
        ) from exc


#: Kernel start-ups tried before a report fails: when kernels start in
#: parallel, two may draw the same free TCP port and one dies at start
#: ("Address already in use"), or survives without its socket and never
#: answers (nbclient's start-up timeout); no cell has run yet, so starting
#: again is safe.
KERNEL_START_ATTEMPTS = 3
_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")


def _with_start_retries(run, attempts: int = KERNEL_START_ATTEMPTS):
    """Call ``run()``, again when the kernel died while starting (before any cell ran)."""
    for attempt in range(1, attempts + 1):
        try:
            return run()
        except RuntimeError as exc:
            if not any(f in str(exc) for f in _START_FAILURES) or attempt == attempts:
                raise
            time.sleep(0.5 * attempt)


def _source_cell_number(notebook: Path, executed: Path, index: int) -> int | None:
    """1-based number, in the source notebook, of executed cell ``index``."""
    try:
        source = nbformat.read(str(notebook), as_version=4)
        ran = nbformat.read(str(executed), as_version=4)
        # papermill wrote error markers into ``ran``: one at the top, one
        # before the failing cell. Match by cell id, which papermill keeps.
        marked = [c for c in ran.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        target = marked[index] if index < len(marked) else None
        if target is None or "id" not in target:
            return None
        for number, cell in enumerate(source.cells, start=1):
            if cell.get("id") == target["id"]:
                return number
    except Exception:  # the number is a courtesy; never hide the real error
        return None
    return None


def _install_kernel() -> None:
    from ipykernel.kernelspec import install

    log.warning("Installation du noyau Jupyter « %s » dans %s", KERNEL_NAME, sys.prefix)
    install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix)


def _install_hint() -> str:
    return (
        "Lancez « make reports » (qui le déclare), ou dans l'environnement du projet : "
        f"python -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
        f'--display-name "{KERNEL_DISPLAY_NAME}".'
    )


def _missing_kernel_message() -> str:
    return f"Le noyau Jupyter « {KERNEL_NAME} » n'est pas installé. {_install_hint()}"


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
