"""Provenance: what a report was built from.

Two sides, both light (no papermill, no nbconvert here):

- in the notebook, :func:`record` declares the case the notebook loaded.
  It displays one output carrying a private MIME type; JupyterLab shows its
  plain-text line, the HTML export removes it and moves its content into
  the page footer;
- in the build, :func:`git_commit` and :func:`french_datetime` describe the
  code and the moment of the build.

Examples
--------
In a notebook, right after loading the case::

    case = load_case(data_dir)
    provenance.record(case)
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from rd_territoriale.french import french_date

MIME_TYPE = "application/vnd.rd-territoriale.provenance+json"


def case_provenance(case) -> dict:
    """The facts about a case that a report footer shows.

    Parameters
    ----------
    case : rd_territoriale.Case
        A loaded case.

    Returns
    -------
    dict
        ``study`` (case name), ``territory``, ``fingerprint`` (hex hash of the
        data files). Never a path, never a person.
    """
    study = case.study
    return {
        "study": str(getattr(study, "name", "") or ""),
        "territory": str(getattr(study, "territory", "") or ""),
        "fingerprint": str(getattr(case, "fingerprint", "") or ""),
    }


def record(case) -> None:
    """Declare, from a notebook, the case this report is built on.

    Displays one output: a French line in JupyterLab (``Données : …``), and
    a machine-readable record that the HTML export turns into the footer.

    Parameters
    ----------
    case : rd_territoriale.Case
        The case the notebook loaded.
    """
    from IPython.display import display

    info = case_provenance(case)
    short = info["fingerprint"][:12] or "inconnue"
    text = f"Données : {info['study'] or 'étude sans nom'} — empreinte {short}"
    display({MIME_TYPE: info, "text/plain": text}, raw=True)


def git_commit(root: Path) -> str | None:
    """Short commit of the project's git checkout, or ``None``.

    A ``+`` is appended when tracked files have uncommitted changes, so a
    report built from modified code says so.
    """
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if head.returncode != 0:
            return None
        commit = head.stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if status.returncode == 0 and status.stdout.strip():
            commit += "+"
        return commit or None
    except (OSError, subprocess.SubprocessError):
        return None


def french_datetime(moment: datetime) -> str:
    """``23 novembre 2025 à 14 h 05``."""
    return f"{french_date(moment)} à {moment.hour} h {moment.minute:02d}"
