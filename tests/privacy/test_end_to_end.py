"""End to end: raw data with real-looking names -> pseudonymise -> build -> scan.

The raw study of ``test_pseudonymise`` carries invented names for 30 people
in the person columns and 56 planted name occurrences in free text, in many
forms. After ``pseudonymise`` and a build of a notebook that prints every
free-text column of the case (the worst case for a leak), no planted form
may appear in any page; and a name put back into a built page is caught by
the scan of the next build.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from planted_names import CONTACTS, FORMS, SENTENCES
from raw_studies import PLANTED_FORMS, make_raw_study, snapshot

from rd_territoriale.build.pipeline import build_reports
from rd_territoriale.privacy.contacts import ADDRESS_TOKEN, EMAIL_TOKEN, PHONE_TOKEN
from rd_territoriale.privacy.key import canonical, fold
from rd_territoriale.privacy.pseudonymise import pseudonymise
from rd_territoriale.privacy.scan import load_patterns, scan_html

DUMPED_COLUMNS = ("id", "name", "description", "title", "text", "speaker", "respondent", "author", "coder")
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
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Tout le texte de l'étude"),
            new_code_cell('data_dir = "../data/etude"', metadata={"tags": ["parameters"]}),
            new_code_cell(DUMP),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "rd-territoriale",
        "display_name": "Python (rd-territoriale)",
        "language": "python",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def plant_unknown_names_and_contacts(frames):
    """Names absent from the key and contact details, in texts the dump shows."""
    for i, (sentence, _) in enumerate(SENTENCES):
        table, column, pos = ("segments", "text", 300 + 9 * i) if i % 3 else ("journal", "text", 120 + i)
        frames[table].at[pos, column] = f"{frames[table].at[pos, column]} {sentence}"
    for i, (text, _) in enumerate(CONTACTS):
        frames["journal"].at[200 + i, "text"] = f"{frames['journal'].at[200 + i, 'text']} {text}"


def words_of(form: str) -> list[str]:
    """The words of a planted form that name someone (initials and particles aside)."""
    return [w for w in re.findall(r"\w+", fold(form)) if len(w) > 2 and w not in ("de", "le")]


def test_no_planted_name_reaches_a_report_and_an_injected_one_is_caught(tmp_path, rd_kernel, capsys):
    root = tmp_path / "projet"
    made = make_raw_study(tmp_path / "brut", extra=plant_unknown_names_and_contacts)
    # The project's layout: raw data, key and decisions where git never sees them.
    private = root / "data" / "private" / "etude"
    private.mkdir(parents=True)
    for path in made["key"].parent.iterdir():
        if path.is_file():
            shutil.copy(path, private / path.name)
    key, review, out = private / "cle.csv", private / "relecture.csv", root / "data" / "etude"

    # 1. Every name absent from the key is listed, by distinct form, and nothing is written.
    first = pseudonymise(made["raw"], out, key, review=review)
    assert not first.written and not out.exists()
    listed = {canonical(u.form): u for u in first.unknown}
    assert {canonical(f) for f in FORMS} <= set(listed), sorted(set(map(canonical, FORMS)) - set(listed))
    assert len(FORMS) >= 40
    for form in FORMS:
        place = listed[canonical(form)].places[0]
        assert place.file in ("segments.csv", "journal.csv") and place.line and place.column == "text"
    false_alarms = set(listed) - {canonical(f) for f in FORMS}
    assert false_alarms == set(), false_alarms

    # 2. The researcher decides in the review list: every form goes into the key.
    rows = list(csv.reader(review.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["forme", "décision", "pseudonyme", "type"] and len(rows) == len(listed) + 1
    for i, row in enumerate(rows[1:], 1):
        row[1], row[2] = "clé", f"NEW{i:02d}"
    review.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\n", encoding="utf-8")
    report = pseudonymise(made["raw"], out, key, review=review)
    assert report.exit_code == 0, report.to_french_text()
    assert len(report.decisions) == len(listed) and report.unknown == []

    # 3. No planted name, e-mail, phone or address is left in any output table.
    tables = {p.name: fold(p.read_text(encoding="utf-8")) for p in out.iterdir() if p.is_file()}
    for form in FORMS:
        for word in words_of(form):
            assert not any(re.search(rf"\b{re.escape(word)}\b", t) for t in tables.values()), (form, word)
    journal = (out / "journal.csv").read_text(encoding="utf-8")
    for _, gone in CONTACTS:
        for text in gone:
            assert fold(text) not in fold(journal), text
    for token in (EMAIL_TOKEN, PHONE_TOKEN, ADDRESS_TOKEN):
        assert token in journal
    assert report.contacts == {
        ("journal.csv", EMAIL_TOKEN): 2,
        ("journal.csv", PHONE_TOKEN): 8,
        ("journal.csv", ADDRESS_TOKEN): 4,
    }

    # 4. The same raw study, key and decisions give the same bytes.
    before = snapshot(out)
    assert pseudonymise(made["raw"], out, key, review=review).written
    assert snapshot(out) == before

    # The scan really sees the planted names: on the raw texts, it finds them.
    raw_segments = pd.read_csv(made["raw"] / "segments.csv", dtype=str, keep_default_na=False)
    raw_html = raw_segments[["text", "speaker"]].to_html()
    patterns = load_patterns(root)
    assert len(scan_html(raw_html, patterns)) >= 50

    dump_notebook(root / "notebooks" / "tout.ipynb")
    shutil.copy(
        Path(__file__).resolve().parents[2] / "notebooks" / "synthese.ipynb", root / "notebooks" / "synthese.ipynb"
    )
    (root / "reports.yml").write_text(
        textwrap.dedent("""\
        reports:
          - {id: tout, title: Tout le texte, notebook: notebooks/tout.ipynb, audience: equipe}
          - {id: synthese, title: Synthèse, notebook: notebooks/synthese.ipynb,
             parameters: {data_dir: ../data/etude}}
        """),
        encoding="utf-8",
    )
    assert build_reports(root) == 0, capsys.readouterr().err
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
    visible = " ".join(re.findall(r"\w+", everything))
    leaked = sorted({f for f in FORMS for w in words_of(f) if re.search(rf"\b{re.escape(w)}\b", visible)})
    assert leaked == []

    # Put one name back into a built page: the next build refuses it.
    page = root / "reports" / "tout.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "Tout le texte de l'étude", "Tout le texte de l'étude, relu par Jean-Pierre Dupont"
        ),
        encoding="utf-8",
    )
    hits = scan_html(page.read_text(encoding="utf-8"), load_patterns(root))
    assert hits and hits[0].kind == "nom" and "dupont" not in hits[0].context.lower()
