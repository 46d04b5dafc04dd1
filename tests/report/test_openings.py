"""Matrix cells and co-occurrence pairs that open onto their passages (issue 16).

The passages shown must be consented ones, at most three, attributed by
category, with the count of the others; a source that refuses quoting never
gives a passage, whatever the cell.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale import load_case
from rd_territoriale.analysis import cooccurrence, matrices
from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.analysis.models import successive_effects
from rd_territoriale.report import displays
from rd_territoriale.report.openings import MAX_CHARS, Opening, matrix_openings, opening, shorten
from rd_territoriale.report.overview import french_table

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


@pytest.fixture(scope="module")
def refusing():
    """The example case where the three interviews with the most segments refuse quoting.

    Returns the case and the texts of the refused passages that no consented
    segment repeats word for word (the synthetic texts reuse phrasings).
    """
    case = load_case(EXAMPLE)
    per_source = case.segments.groupby("source").size()
    interviews = case.documents.loc[case.documents["quote_consent"].fillna(False).astype(bool), "id"]
    refused = list(per_source.reindex(interviews).sort_values(ascending=False).index[:3])
    documents = case.documents.copy()
    documents.loc[documents["id"].isin(refused), "quote_consent"] = False
    case.documents = documents
    consent = pd.concat([documents.set_index("id")["quote_consent"], case.journal.set_index("id")["quote_consent"]])
    allowed = case.segments["source"].map(consent).fillna(False).astype(bool)
    refused_texts = set(case.segments.loc[case.segments["source"].isin(refused), "text"])
    refused_texts -= set(case.segments.loc[allowed, "text"])
    assert len(refused_texts) > 50  # the test has something to find
    return case, refused_texts


def test_a_refusing_source_never_gives_a_passage_to_a_cell(refusing):
    case, refused_texts = refusing
    passages = matrices.cell_passages(case)
    assert len(passages) and not set(passages["text"]) & refused_texts
    assert passages.groupby(["code", "period"]).size().max() == 3
    matrix = matrices.time_ordered_matrix(case)
    labels = code_labels(case.codebook)
    period_labels = dict(zip(case.study.periods["id"], case.study.periods["label"]))
    page = french_table(matrix_openings(matrix, passages, labels, period_labels), caption="Matrice").to_html()
    effects = successive_effects(case)
    for period in case.study.periods["id"]:
        page += french_table(displays.period_codes_table(matrix, effects, labels, period, passages=passages)).to_html()
    shown = {html_unescape(t) for t in re.findall(r"<li>« (.*?) » <span", page)}
    assert shown and not {shorten(t) for t in refused_texts} & shown


def test_a_refusing_source_never_gives_a_passage_to_a_pair(refusing):
    case, refused_texts = refusing
    pairs = cooccurrence.cooccurrence(case)
    top = pd.concat([displays.top_pairs(pairs, p) for p in case.study.periods["id"]])
    passages = cooccurrence.pair_passages(case, top)
    assert len(passages) and not set(passages["text"]) & refused_texts
    # each passage is of one of the pair's two codes, from a source where both are applied
    assert (passages["code"].eq(passages["code_a"]) | passages["code"].eq(passages["code_b"])).all()
    assert (passages["passages"] >= passages["quotable"]).all()


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_cells_show_three_passages_the_count_of_the_others_and_are_text():
    passages = pd.DataFrame(
        {
            "text": ["<script>alert(1)</script>", "a & b", "x " * 200],
            "attribution": ["Salariés <b>", "Élus", "Citoyens"],
        }
    )
    cell = opening(57, passages)
    assert isinstance(cell, Opening) and str(cell) == "57"
    assert "<script>" not in cell.html and "&lt;script&gt;" in cell.html and "Salariés &lt;b&gt;" in cell.html
    assert cell.html.count("<li>") == 3 and "… et 54 autres passages, non montrés." in cell.html
    assert cell.html.startswith('<details class="rdt-open"><summary>57<span class="rdt-sr">')
    assert len(shorten("x " * 200)) <= MAX_CHARS + 4 and shorten("x " * 200).endswith("[…]")
    one = opening(1, passages.head(1))
    assert "autre" not in one.html and '1<span class="rdt-sr"> passage :' in one.html
    none = opening(4, passages.head(0))
    assert "ne peut être cité" in none.html and "<li>" not in none.html
    assert opening(0, passages) == 0  # nothing to open


def test_french_table_writes_openings_as_html_and_aligns_them_as_numbers():
    table = pd.DataFrame(
        {"P1": [opening(2, pd.DataFrame({"text": ["oui"], "attribution": ["Élus"]})), 0]},
        index=pd.Index(["Code <a>", "Autre"], name="Code"),
    )
    out = french_table(table, caption="Matrice").to_html()
    assert '<details class="rdt-open">' in out and "Code &lt;a&gt;" in out
    assert re.search(r"#T_\w+ th\.col_heading\.col1", out)  # right-aligned like numbers
