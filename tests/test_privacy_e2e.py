"""End to end: raw data with real-looking names -> pseudonymise -> build -> scan.

The raw study of ``test_pseudonymise`` carries invented names for 30 people
in the person columns and 56 planted name occurrences in free text, in many
forms. After ``pseudonymise`` and a build of a notebook that prints every
free-text column of the case (the worst case for a leak), no planted form
may appear in any page; and a name put back into a built page is caught by
the scan of the next build.
"""

from __future__ import annotations

import html
import shutil
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_pseudonymise import PLANTED_FORMS, make_raw_study

from rd_territoriale.privacy.key import fold
from rd_territoriale.privacy.pseudonymise import pseudonymise
from rd_territoriale.privacy.scan import load_patterns, scan_html
from rd_territoriale.report.build import build_reports

DUMPED_COLUMNS = ("id", "name", "description", "title", "text", "speaker", "respondent",
                  "author", "coder")
DUMP = f"""\
COLUMNS = {DUMPED_COLUMNS!r}
import pandas as pd
from IPython.display import Markdown, display
from rd_territoriale import load_case

pd.set_option("display.max_rows", None)
pd.set_option("display.max_colwidth", None)

case = load_case(data_dir)
display(Markdown("## Textes"))
for name in ("units", "documents", "journal", "segments"):
    table = getattr(case, name)
    columns = [c for c in COLUMNS if c in table]
    display(table[columns])
"""


def dump_notebook(path: Path) -> None:
    nb = new_notebook(cells=[
        new_markdown_cell("# Tout le texte de l'étude"),
        new_code_cell('data_dir = "../data/etude"', metadata={"tags": ["parameters"]}),
        new_code_cell(DUMP),
    ])
    nb.metadata["kernelspec"] = {"name": "rd-territoriale", "display_name": "Python (rd-territoriale)",
                                 "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_no_planted_name_reaches_a_report_and_an_injected_one_is_caught(tmp_path, rd_kernel, capsys):
    root = tmp_path / "projet"
    made = make_raw_study(tmp_path / "brut")
    # The project's layout: raw data and key where git never sees them.
    (root / "data" / "private" / "etude").mkdir(parents=True)
    shutil.copy(made["key"], root / "data" / "private" / "etude" / "cle.csv")
    report = pseudonymise(made["raw"], root / "data" / "etude", made["key"])
    assert report.exit_code == 0

    # The scan really sees the planted names: on the raw texts, it finds them.
    raw_segments = pd.read_csv(made["raw"] / "segments.csv", dtype=str, keep_default_na=False)
    raw_html = raw_segments[["text", "speaker"]].to_html()
    patterns = load_patterns(root)
    assert len(scan_html(raw_html, patterns)) >= 50

    dump_notebook(root / "notebooks" / "tout.ipynb")
    shutil.copy(Path(__file__).resolve().parents[1] / "notebooks" / "synthese.ipynb",
                root / "notebooks" / "synthese.ipynb")
    (root / "reports.yml").write_text(textwrap.dedent("""\
        reports:
          - {id: tout, title: Tout le texte, notebook: notebooks/tout.ipynb, audience: equipe}
          - {id: synthese, title: Synthèse, notebook: notebooks/synthese.ipynb,
             parameters: {data_dir: ../data/etude}}
        """), encoding="utf-8")
    assert build_reports(root, jobs=2) == 0, capsys.readouterr().err
    pages = sorted((root / "reports").glob("*.html"))
    assert [p.name for p in pages] == ["index.html", "synthese.html", "tout.html"]
    everything = fold(html.unescape(" ".join(p.read_text(encoding="utf-8") for p in pages)))
    # The dump really holds every planted cell, pseudonymised.
    dumped = {"units", "documents", "journal", "segments"}
    shown = [v for (t, c, _), v in made["planted"].items() if t in dumped and c in DUMPED_COLUMNS]
    assert len(shown) >= 12
    for expected in shown:
        assert fold(expected) in everything, expected
    forms = set(PLANTED_FORMS) | {n for n, _ in made["names"].values()}
    leaked = sorted(f for f in forms if f" {fold(f)} " in everything.replace("<", " ").replace(">", " "))
    assert leaked == []

    # Put one name back into a built page: the next build refuses it.
    page = root / "reports" / "tout.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Tout le texte de l'étude", "Tout le texte de l'étude, relu par Jean-Pierre Dupont"),
        encoding="utf-8")
    hits = scan_html(page.read_text(encoding="utf-8"), load_patterns(root))
    assert hits and hits[0].kind == "nom" and "dupont" not in hits[0].context.lower()
