"""Partner reports: run the parameterised notebooks and publish offline HTML.

The flow (docs/architecture.md §2 and §5)::

    reports.yml --manifest--> papermill run --execute--> nbconvert HTML --html-->
    atomic write in reports/<id>.html --build--> reports/index.html --index-->

Modules
-------
manifest
    reads ``reports.yml`` into :class:`~.manifest.ReportSpec` records.
execute
    runs one notebook with papermill on the ``rd-territoriale`` kernel.
html
    exports an executed notebook to a self-contained French HTML page.
index
    writes ``reports/index.html``.
build
    :func:`~.build.build_reports`, the whole pipeline (the ``build`` command).
state
    build records and executed notebooks in ``.build/``; atomic writes.
provenance
    what a notebook records about the data it used (kernel side, light).
overview
    small pure helpers for the study overview shown in the reports.
errors
    the exceptions of the build (French messages naming file and cell).

Importing this package is cheap: the heavy modules (papermill, nbconvert) are
imported only when :func:`build_reports` or :func:`load_manifest` is used, so
notebooks can import :mod:`.provenance` and :mod:`.overview` freely.
"""

from __future__ import annotations

__all__ = ["build_reports", "load_manifest", "ReportSpec"]


def __getattr__(name):
    if name == "build_reports":
        from .build import build_reports

        return build_reports
    if name in ("load_manifest", "ReportSpec"):
        from . import manifest

        return getattr(manifest, name)
    raise AttributeError(name)
