"""Table cells that open onto their passages, without script.

A number in a partner table (passages of a code in a period, sources where
two codes meet) is a ``<details>`` element: its ``<summary>`` is the number,
and opening it shows up to three passages that may be quoted, attributed by
stakeholder category, with the count of the others. This is MAXQDA's
Interactive Quote Matrix in a page that works offline, on a phone and with a
keyboard (``<details>`` needs no script).

Which passages may be shown is decided upstream
(:func:`rd_territoriale.privacy.quotes.quotable`, through
:func:`rd_territoriale.analysis.matrices.cell_passages` and
:func:`rd_territoriale.analysis.cooccurrence.pair_passages`): this module only
writes HTML, and every string of the study in it is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from rd_territoriale.french import french_number, plural_s

#: A passage longer than this (characters) is cut at a word, with « […] ».
MAX_CHARS = 280


@dataclass(frozen=True)
class Opening:
    """A table cell: a number that opens onto a few passages.

    :func:`~rd_territoriale.report.overview.french_table` writes ``html``
    as is (it is built escaped) and reads ``summary`` as the cell's value
    (a number: right-aligned).
    """

    summary: str
    html: str

    def __str__(self) -> str:
        return self.summary


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters, the cut marked « […] »."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut} […]"


def opening(
    count: int,
    passages: pd.DataFrame,
    noun: tuple[str, str] = ("passage", "passages"),
    labels: dict[str, str] | None = None,
    total: int | None = None,
) -> Opening | int:
    """The cell for ``count`` items whose quotable passages are ``passages``.

    Parameters
    ----------
    count : int
        What the cell counts (shown as the summary).
    passages : pandas.DataFrame
        The passages to show, in order (``text, attribution``, and ``code``
        when ``labels`` is given), already limited to what may be quoted.
    noun : tuple of str
        Singular and plural of what the cell counts, for screen readers.
    labels : dict, optional
        Code → label: each passage is then followed by its code.
    total : int, optional
        The passages behind the cell, quotable or not (``count`` by
        default, when the cell counts passages): the others are
        ``total`` minus those shown.

    Returns
    -------
    Opening, or int
        ``count`` itself when it is zero (nothing to open).
    """
    count = int(count)
    if count == 0:
        return 0
    shown = french_number(count)
    what = noun[0] if count == 1 else noun[1]
    items = []
    for row in passages.itertuples(index=False):
        code = f" ({html.escape(str(labels.get(row.code, row.code)))})" if labels is not None else ""
        items.append(
            f"<li>« {html.escape(shorten(row.text))} » "
            f'<span class="rdt-by">— {html.escape(str(row.attribution))}{code}</span></li>'
        )
    total = count if total is None else int(total)
    return Opening(shown, _details(shown, what, items, total, len(items)))


def _details(shown: str, what: str, items: list[str], count: int, n_shown: int) -> str:
    summary = f'<summary>{shown}<span class="rdt-sr"> {what} : ouvrir pour lire des extraits</span></summary>'
    if not items:
        body = "<p>Aucun de ces passages ne peut être cité ici : leurs sources n'autorisent pas la citation.</p>"
    else:
        body = f"<ul>{''.join(items)}</ul>"
        others = count - n_shown
        if others > 0:
            body += (
                f"<p>… et {french_number(others)} autre{plural_s(others)} passage"
                f"{plural_s(others)}, non montré{plural_s(others)}.</p>"
            )
    return f'<details class="rdt-open">{summary}{body}</details>'


def by_cell(passages: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """``{(code, period): passages}`` of :func:`~rd_territoriale.analysis.matrices.cell_passages`, and the empty frame."""
    return dict(iter(passages.groupby(["code", "period"], sort=False))), passages.iloc[0:0]


def matrix_openings(
    matrix: pd.DataFrame, passages: pd.DataFrame, labels: dict[str, str], period_labels: dict[str, str]
) -> pd.DataFrame:
    """The time-ordered matrix as a table whose every cell opens onto its passages.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`~rd_territoriale.analysis.matrices.time_ordered_matrix`.
    passages : pandas.DataFrame
        :func:`~rd_territoriale.analysis.matrices.cell_passages` (same audience).
    labels, period_labels : dict
        Code → label, period id → label.

    Returns
    -------
    pandas.DataFrame
        Index « Code » (labels), one column per period (« P1 Émergence… »),
        cells :class:`Opening` (or 0); empty when nothing is coded.
    """
    if matrix.empty or int(matrix["count"].sum()) == 0:
        return pd.DataFrame()
    cells, none = by_cell(passages)
    periods = list(dict.fromkeys(matrix["period"].astype(str)))
    codes = list(dict.fromkeys(matrix["code"].astype(str)))
    counts = matrix.set_index(["code", "period"])["count"]
    columns = {p: f"{p} {period_labels.get(p, '')}".strip() for p in periods}
    table = pd.DataFrame(
        [[opening(counts[(c, p)], cells.get((c, p), none)) for p in periods] for c in codes],
        index=pd.Index([labels.get(c, c) for c in codes], name="Code"),
        columns=list(columns.values()),
    )
    return table


def pair_opening(
    count: int, period: str, code_a: str, code_b: str, passages: pd.DataFrame, labels: dict[str, str]
) -> Opening | int:
    """The « sources in common » cell of a co-occurrence pair, opening onto its passages.

    ``passages`` is :func:`~rd_territoriale.analysis.cooccurrence.pair_passages`;
    the count of the others is the pair's passages in its shared sources.
    """
    mine = passages[(passages["period"] == period) & (passages["code_a"] == code_a) & (passages["code_b"] == code_b)]
    total = passages.attrs.get("passages", {}).get((period, code_a, code_b), len(mine))
    return opening(count, mine, ("source", "sources"), labels, total=total)
