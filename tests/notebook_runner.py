"""Run a report notebook in this process, as its kernel would, without a kernel.

Starting a kernel costs seconds; running the same cells in an in-process
IPython shell costs what the analysis costs. Tests that run every notebook
on many studies use this; the build and the browser test still go through
real kernels. A cell fails the run when it raises, and so does a display
whose rich representation raises (IPython only prints those, so a real
report would carry their traceback as text).
"""

from __future__ import annotations

import io
import os
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Error\b.*\n.*File \"")


@dataclass
class Outcome:
    """What the cells showed: every display's HTML or Markdown, and their printed text."""

    displays: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def shown(self) -> str:
        return "\n".join(self.displays) + "\n" + self.text


class NotebookFailed(AssertionError):
    """A cell raised, or printed a traceback."""


def _shell():
    from IPython.core.interactiveshell import InteractiveShell

    # As in the report kernel (Agg backend, no inline PNG formatter): a figure shows what its own
    # _repr_mimebundle_ gives (SVG or palette PNG), and is not drawn a second time as a PNG.
    # No output cache (Out, _1, _2…): reset() would otherwise flush it with a gc.collect() of 0.2 s per notebook.
    shell = InteractiveShell.instance(colors="NoColor", cache_size=0)
    shell.reset(new_session=False)
    return shell


def run_inprocess(notebook: Path, parameters: dict) -> Outcome:
    """Execute ``notebook``'s code cells with ``parameters`` injected after its parameters cell.

    Raises
    ------
    NotebookFailed
        Naming the notebook, the cell and the error.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from IPython.core.formatters import DisplayFormatter

    notebook = Path(notebook)
    nb = nbformat.read(str(notebook), as_version=4)
    shell = _shell()
    outcome = Outcome()
    formatter: DisplayFormatter = shell.display_formatter

    def publish(data, metadata=None, **kwargs):
        for mime in ("text/html", "text/markdown", "text/plain"):
            if mime in data:
                outcome.displays.append(str(data[mime]))
                break

    shell.display_pub.publish = publish
    formatter.active_types = ["text/plain", "text/html", "text/markdown", "image/svg+xml", "image/png"]
    injected = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    cwd = os.getcwd()
    os.chdir(notebook.parent)
    try:
        number = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            number += 1
            source = cell.source
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                source = source + "\n" + injected
            out = io.StringIO()
            with redirect_stdout(out), redirect_stderr(io.StringIO()):
                result = shell.run_cell(source, store_history=False)
                for fig in map(plt.figure, plt.get_fignums()):
                    outcome.displays.append(f"<figure {fig.get_label()!r}>")
                plt.close("all")
            text = out.getvalue()
            outcome.text += text
            if result.error_before_exec or result.error_in_exec:
                import traceback

                error = result.error_in_exec or result.error_before_exec
                frames = "".join(f for f in traceback.format_tb(error.__traceback__) if "site-packages" not in f)[
                    -1500:
                ]
                raise NotebookFailed(
                    f"{notebook.name}, cellule de code {number} : {type(error).__name__} : {error}\n{frames}"
                ) from error
            if TRACEBACK.search(text):
                raise NotebookFailed(
                    f"{notebook.name}, cellule de code {number} : trace Python affichée :\n{text[-3000:]}"
                )
    finally:
        os.chdir(cwd)
    return outcome


def manifest_runs(study: Path, root: Path | None = None) -> list[tuple[str, Path, dict]]:
    """Every report of the project's manifest for ``study``: ``(id, notebook, parameters)``.

    ``foreach`` entries are expanded over the study's periods and units, as
    the build expands them.
    """
    from rd_territoriale.build.manifest import load_manifest

    root = Path(root or Path(__file__).resolve().parents[1])
    specs = load_manifest(root, study=Path(study).resolve())
    return [(spec.id, spec.notebook, dict(spec.parameters)) for spec in specs]
