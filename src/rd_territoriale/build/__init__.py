"""The build: ``reports.yml`` → papermill → HTML page → ``reports/index.html``.

The flow (docs/architecture.md §2 and §5)::

    reports.yml --manifest--> papermill run --execute--> nbconvert HTML --html-->
    atomic write in reports/<id>.html --pipeline--> reports/index.html --index-->

Modules
-------
manifest
    reads ``reports.yml`` into :class:`~.manifest.ReportSpec` records.
execute
    runs one notebook with papermill on the ``rd-territoriale`` kernel.
html
    exports an executed notebook to a self-contained French HTML page.
index, search
    writes ``reports/index.html`` and the search it carries.
pdf
    the PDF copies printed by the system Chromium.
pipeline
    :func:`~.pipeline.build_reports`, the whole pipeline (the ``construire`` command).
state, interrupt
    build records and executed notebooks in ``.build/``; atomic writes; Ctrl-C.
errors
    the exceptions of the build (French messages naming file and cell).

Importing this package is cheap: the heavy modules (papermill, nbconvert) are
imported only when :func:`build_reports` or :func:`load_manifest` is used.
"""

from __future__ import annotations

__all__ = ["build_reports", "load_manifest", "ReportSpec"]


def __getattr__(name):
    if name == "build_reports":
        from rd_territoriale.build.pipeline import build_reports

        return build_reports
    if name in ("load_manifest", "ReportSpec"):
        from rd_territoriale.build import manifest

        return getattr(manifest, name)
    raise AttributeError(name)
