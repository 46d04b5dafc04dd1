"""Errors of the report build, all subclasses of ``RdTerritorialeError``.

Every message is French and names the file (and the cell, for a notebook)
that caused it, so that the person who reads it knows where to look.
"""

from __future__ import annotations

from rd_territoriale.errors import RdTerritorialeError


class ReportError(RdTerritorialeError):
    """Base class of the errors raised while building reports."""


class ManifestError(ReportError):
    """``reports.yml`` is missing, malformed or names an unknown notebook."""


class ParameterError(ReportError):
    """A notebook has no ``parameters`` cell, or is given an unknown parameter."""


class KernelError(ReportError):
    """The ``rd-territoriale`` Jupyter kernel is missing or cannot be used."""


class ExecutionError(ReportError):
    """A notebook raised an exception while running.

    Attributes
    ----------
    notebook : str
        The notebook that failed, relative to the project root.
    cell : int or None
        Number of the failing cell (1-based, in the source notebook).
    executed : str or None
        Where the executed notebook was kept for inspection.
    """

    def __init__(self, message: str, notebook: str = "", cell: int | None = None, executed: str | None = None):
        super().__init__(message)
        self.notebook = notebook
        self.cell = cell
        self.executed = executed


class PageError(ReportError):
    """The HTML export failed or produced a page that is not self-contained."""
