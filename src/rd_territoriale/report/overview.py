"""The study at a glance: small pure helpers for the overview report.

DataFrames in, DataFrames (or French text) out; no plotting, no file I/O.
They take the typed tables of a :class:`~rd_territoriale.Case` so that a
test can call them on three-line frames.

The counts themselves come from :mod:`rd_territoriale.analysis.material`;
this module turns them into French text and tables.
"""

from __future__ import annotations

import hashlib
import html
import re

import pandas as pd

from rd_territoriale.analysis.material import SOURCE_KINDS
from rd_territoriale.french import french_number, french_percent  # noqa: F401 - re-exported: the reports import them from here
from rd_territoriale.markup import md
from rd_territoriale.report.openings import Opening

OVERVIEW_LABELS = {
    "label": "Période",
    "start": "Début",
    "end": "Fin",
    "interviews": "Entretiens",
    "journal_entries": "Entrées du journal",
    "segments": "Segments codés",
}


def describe_study(name: str, territory: str, periods: pd.DataFrame) -> str:
    """A French paragraph introducing the case and the periods shown.

    Parameters
    ----------
    name, territory : str
        The case and its territory (``Study.name``, ``Study.territory``).
    periods : pandas.DataFrame
        ``label, start, end`` of the periods the report covers.

    Returns
    -------
    str
        Markdown text.
    """
    from rd_territoriale.report.provenance import french_date

    where = f" ; territoire : {md(territory)}" if territory else ""
    text = f"L'étude porte sur **{md(name)}**{where}."
    n = len(periods)
    if n == 0:
        return text + " Aucune période n'est encore définie dans `study.yml`."
    first, last = periods["start"].min(), periods["end"].max()
    span = f"du {french_date(first)} au {french_date(last)}"
    if n == 1:
        return text + f" Ce rapport couvre la période « {md(periods['label'].iloc[0])} », {span}."
    labels = ", ".join(f"« {md(label)} »" for label in periods["label"])
    return text + f" Ce rapport couvre {n} périodes, {span} : {labels}."


def describe_source_mix(counts: pd.DataFrame) -> str:
    """A French sentence on the share of the field journal among coded segments.

    The researcher's own notes weigh on what the analysis sees: this is the
    first reflexivity signal of the reports (docs/architecture.md §4, *source mix*).

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`segments_by_source`.

    Returns
    -------
    str
        Markdown text, in French.
    """
    total = int(counts["segments"].sum())
    if total == 0:
        return "Aucun segment codé pour l'instant : la répartition des sources ne peut pas être décrite."
    journal = int(counts.loc[counts["source_kind"] == "journal", "segments"].sum())
    text = (
        f"Sur l'ensemble, **{french_number(total)} segments** ont été codés ; "
        f"**{french_percent(journal / total)}** viennent du journal de terrain du ou de la chercheur·e, "
        f"le reste des entretiens et documents."
    )
    per_period = counts.pivot_table(
        index=["period", "period_label"], columns="source_kind", values="segments", aggfunc="sum", sort=False
    ).reindex(columns=list(SOURCE_KINDS), fill_value=0)
    per_period = per_period[per_period.sum(axis=1) > 0]
    if len(per_period) > 1:
        share = per_period["journal"] / per_period.sum(axis=1)
        high, low = share.idxmax(), share.idxmin()
        if share[high] > share[low]:
            text += (
                f" La part du journal est la plus forte en période « {md(high[1])} » "
                f"({french_percent(share[high])}) et la plus faible en période « {md(low[1])} » "
                f"({french_percent(share[low])})."
            )
    return text


def french_table(
    df: pd.DataFrame,
    labels: dict[str, str] | None = None,
    hide: tuple[str, ...] = (),
    empty=None,
    caption: str | None = None,
):
    """A DataFrame ready to show to partners: French headers and formats, rows that say what they are.

    Dates become ``JJ/MM/AAAA``, integers get a narrow no-break space as
    thousands separator, floats a decimal comma, and numbers are
    right-aligned. A cell that is an :class:`~rd_territoriale.report.openings.Opening`
    is a number that opens onto its passages. A row's label is a row header (``<th scope="row">``), so
    that a reader, or a screen reader, can tell which row is which category,
    project or code: an index that labels the rows (named, or of text)
    becomes the first column, and a first column of text is the row header.
    An unnamed integer index (row positions) stays hidden.

    Parameters
    ----------
    df : pandas.DataFrame
    labels : dict, optional
        ``{column: French header}``; columns not listed keep their name.
    hide : tuple of str
        Columns left out.
    empty : rd_territoriale.study.gaps.Gap or str, optional
        Shown instead of the table when it has no row: what is missing
        (an empty table is never shown).
    caption : str, optional
        The table's caption (text, escaped).

    Returns
    -------
    FrenchTable or rd_territoriale.study.gaps.Gap
        A pandas Styler whose HTML has row and column headers.
    """
    from rd_territoriale.study.gaps import Gap

    if len(df) == 0 or len(df.columns) == 0:
        if isinstance(empty, Gap):
            return empty
        return Gap(str(empty) if empty else "Rien à montrer ici pour cette étude.")
    labels = labels or {}
    shown = df.drop(columns=list(hide))
    labelled = any(n is not None for n in shown.index.names) or not (
        pd.api.types.is_integer_dtype(shown.index) or isinstance(shown.index, pd.RangeIndex)
    )
    if labelled:  # a named or text index labels the rows: it becomes the first column, never lost
        shown = shown.rename_axis(columns=None).reset_index()
    shown.columns = [str(c) for c in shown.columns]
    formats = {}
    for column in shown.columns:
        series = shown[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            formats[column] = lambda v: "" if pd.isna(v) else v.strftime("%d/%m/%Y")
        elif pd.api.types.is_bool_dtype(series):
            formats[column] = lambda v: "oui" if v else "non"
        elif pd.api.types.is_integer_dtype(series):
            formats[column] = french_number
        elif pd.api.types.is_float_dtype(series):
            formats[column] = lambda v: "" if pd.isna(v) else french_number(v, 1)
        elif any(isinstance(v, Opening) for v in series):  # built escaped: written as is
            formats[column] = lambda v: v.html if isinstance(v, Opening) else v
    # Cells and headers come from the study: text, never markup (escaped for HTML).
    # Ids derive from the content, not from chance: the same data give the same page bytes.
    digest = hashlib.blake2b(f"{caption}\n{shown.to_csv()}".encode("utf-8"), digest_size=5).hexdigest()
    styler = FrenchTable(shown, uuid=digest)
    styler.row_header = not (
        pd.api.types.is_numeric_dtype(shown.iloc[:, 0]) or pd.api.types.is_datetime64_any_dtype(shown.iloc[:, 0])
    )
    styler = styler.format(formats, na_rep="", escape="html").hide(axis="index")
    numeric = [c for c in shown.columns if _numeric_column(shown[c])]
    if styler.row_header and numeric[:1] == [shown.columns[0]]:
        numeric = numeric[1:]  # a row label is read, not compared: it stays on the left
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
        positions = [list(shown.columns).index(c) for c in numeric]
        styler = styler.set_table_styles(
            [{"selector": f"th.col_heading.col{i}", "props": "text-align: right"} for i in positions], overwrite=False
        )
    if caption:
        styler = styler.set_caption(html.escape(str(caption)))
    return styler.relabel_index([html.escape(str(labels.get(c, c))) for c in shown.columns], axis="columns")


#: A cell that shows a number as French text: « 1 234 », « 3,5 % », « ×0,83 »,
#: « −2 », « < 5 » (masked), « 4 sur 4 ».
_NUMBER_TEXT = re.compile(r"^(?:[<>≤≥]\s?)?[+\u2212\-×]?\d[\d\u202f\u00a0 ]*(?:,\d+)?\s?%?(?: sur \d+)?$")
#: Cells that stand for a number that is not shown: masked (« s »), missing.
_NUMBER_GAPS = frozenset({"", "s", "–", "-", "—", "nd", "n.d."})


def _numeric_column(series: pd.Series) -> bool:
    """True for a column of numbers, or of numbers already written as French text (masked ones too)."""
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    values = [str(v).strip() for v in series if not (v is None or (isinstance(v, float) and pd.isna(v)))]
    found = [v for v in values if v not in _NUMBER_GAPS]
    return bool(found) and all(_NUMBER_TEXT.match(v) for v in found)


from pandas.io.formats.style import Styler  # noqa: E402 - after pandas, for FrenchTable only

_COLUMN_HEADER = re.compile(r'<th (?=[^>]*class="col_heading)')
_BODY_ROW = re.compile(r"(<tr>\s*)<td ([^>]*)>(.*?)</td>", re.DOTALL)


class FrenchTable(Styler):
    """A Styler whose HTML marks column headers ``scope="col"`` and row labels ``<th scope="row">``."""

    row_header = True

    def to_html(self, *args, **kwargs):
        """The Styler's HTML, with the row label of each body row as a row header."""
        out = super().to_html(*args, **kwargs)
        out = _COLUMN_HEADER.sub('<th scope="col" ', out)
        if not self.row_header or "<tbody>" not in out:
            return out
        head, body = out.split("<tbody>", 1)
        body = _BODY_ROW.sub(lambda m: f'{m.group(1)}<th scope="row" {m.group(2)}>{m.group(3)}</th>', body)
        return head + "<tbody>" + body

    def _repr_html_(self):
        return self.to_html()


def describe_unit(unit: pd.Series, periods: pd.DataFrame) -> str:
    """A French paragraph introducing a project: name, kind, dates, periods covered."""
    start = unit["start"]
    end = unit["end"]
    dates = f"démarré le {start:%d/%m/%Y}"
    dates += f", terminé le {end:%d/%m/%Y}" if pd.notna(end) else ", toujours en cours à la fin de l'étude"
    text = f"**{md(unit['name'])}** ({md(unit['kind'])}) : projet {dates}."
    if isinstance(unit.get("description"), str) and unit["description"]:
        text += f" {md(unit['description'])}"
    return text


def protect_person_counts(table: pd.DataFrame, columns, audience: str, min_size: int):
    """Mask the columns of ``table`` that count persons, by the audience's rules.

    For ``partenaires``, counts of 1 to ``min_size - 1`` persons are shown as
    « < 5 » (:mod:`rd_territoriale.privacy.masking`). The overview tables
    print no totals, so no cell can be recovered by difference and primary
    masking is enough; a table that prints totals must call
    :func:`~rd_territoriale.privacy.masking.mask_for_audience` with
    ``totals=True`` for complementary masking. For ``equipe`` nothing is
    masked.

    Returns
    -------
    table : pandas.DataFrame
        A copy, with the person-count columns as French strings.
    note : str
        The French note to print under the table (empty when nothing is
        masked for partners).
    """
    from rd_territoriale.privacy.masking import mask_for_audience

    columns = [c for c in columns if c in table.columns]  # a table with no row may lack some
    masked = mask_for_audience(table[columns], audience, min_size, totals=False)
    shown = masked.display()
    out = table.copy()
    for column in columns:
        out[column] = shown[column].to_numpy()
    note = masked.note() if (masked.n_masked or audience != "partenaires") else ""
    return out, note


def quotes_markdown(quotes: pd.DataFrame, periods: pd.DataFrame, limit: int = 5) -> str:
    """A few quotes as French Markdown, one per code, attributed by category.

    Parameters
    ----------
    quotes : pandas.DataFrame
        The output of :func:`rd_territoriale.privacy.quotes.quotable` (only
        segments whose source allows quoting, with their ``attribution``).
    periods : pandas.DataFrame
        ``id, label``: the period is named next to the attribution.
    limit : int
        At most this many quotes; the most frequent codes come first, and
        within a code the first quote in source order.

    Returns
    -------
    str
        Markdown blockquotes, or a French sentence saying that no quote may
        be shown.
    """
    if quotes.empty:
        return (
            "*Aucune citation ne peut être montrée ici : les personnes concernées n'ont pas "
            "autorisé la citation de leurs propos.*"
        )
    order = quotes["code"].value_counts(sort=True)
    ranked = sorted(order.index, key=lambda code: (-order[code], code))[:limit]
    labels = dict(zip(periods["id"], periods["label"]))
    blocks = []
    for code in ranked:
        row = quotes[quotes["code"] == code].iloc[0]
        period = labels.get(row["period"], row["period"])
        blocks.append(f"> « {md(row['text'])} »\n>\n> — *{md(row['attribution'])}, {md(period)}*")
    return "\n\n".join(blocks)
