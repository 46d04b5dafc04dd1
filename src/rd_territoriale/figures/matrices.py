"""Heatmaps of the matrix displays: rates per code and period, residuals, categories.

Three figures, each drawn from a table that ``analysis`` computed:

- :func:`rate_heatmap`: the time-ordered matrix (code × period), a rate or a
  count per cell, sequential colours;
- :func:`residual_heatmap`: the adjusted standardized residuals of a code ×
  period contingency table, diverging colours centred at 0, the cells beyond
  ±1,96 outlined, the cells whose expected count is too small shown as not
  tested;
- :func:`category_heatmap`: any wide table (e.g. stakeholder category × code,
  the role-ordered matrix), as rates (sequential) or as ratios to what is
  expected (log scale centred at 1).

Every cell is written in the French way (decimal comma), missing cells are
hatched and named in a note under the figure, and the height grows with the
number of rows so that about twenty codes stay legible on a phone. The
colour maps are colour-blind safe (``mako`` is monotonic in lightness; the
diverging map goes from the palette's blue to its vermillion), and the
numbers in the cells carry the information without colour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import (
    LinearSegmentedColormap,
    LogNorm,
    Normalize,
    TwoSlopeNorm,
    to_rgb,
)
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from rd_territoriale.figures._style import (
    NARROW_WIDTH,
    PALETTE,
    STYLE,
    ReportFigure,
    decimal,
    label_map,
    log_ticks,
    or_gap,
    ratio_label,
    style,
    title_text,
    wrap,
)
from rd_territoriale.french import plural_s

#: Width of the heatmaps (inches): narrow, so that a phone shrinks them little.
WIDTH = NARROW_WIDTH
#: Height of one row (inches).
ROW_HEIGHT = 0.34
#: Row labels are wrapped at this many characters.
ROW_WRAP = 30
#: Estimated width of one character of a 9-point column label (inches).
CHAR_INCHES = 0.066
#: Sequential colour map of rates (light = low, dark = high).
SEQUENTIAL = "mako_r"
#: Diverging colour map: palette blue (below) → near white (0 or 1) → palette vermillion (above).
DIVERGING = LinearSegmentedColormap.from_list("rdt_bleu_vermillon", [PALETTE[0], "#f7f7f7", PALETTE[5]])
#: Fill and hatch of the cells without a value, or not tested.
MISSING_FACE = "#e4e4e4"
MISSING_HATCH = "////"
MISSING_EDGE = "#9a9a9a"
#: Threshold of an adjusted residual (two-sided 5 %).
RESIDUAL_THRESHOLD = 1.96
#: Residuals beyond ± this value get the strongest colour.
RESIDUAL_COLOUR_LIMIT = 5.0

#: French names of the columns of the time-ordered matrix (colour-bar labels).
VALUE_LABELS = {
    "rate_per_1000_words": "Passages codés pour 1\u202f000 mots d'entretien",
    "count": "Passages codés dans les entretiens",
    "rate_per_interview": "Passages codés par entretien",
    "journal_count": "Passages codés dans le journal de terrain",
    "rate_per_entry": "Passages codés par entrée du journal de terrain",
    "words": "Mots d'entretien",
    "interviews": "Entretiens",
    "journal_entries": "Entrées du journal de terrain",
}
#: Columns holding whole numbers (no decimals in the cells).
_COUNT_VALUES = {"count", "journal_count", "words", "interviews", "journal_entries"}


def _luminance(rgb) -> float:
    """Relative luminance (WCAG) of an RGB colour."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(rgb)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _text_colour(face) -> str:
    """Dark text on light cells, white text on dark ones: whichever contrasts more (WCAG).

    Dark text (#1d1d1f) and white contrast equally on a background of
    luminance about 0,2.
    """
    return "#1d1d1f" if _luminance(face) > 0.2 else "white"


# --------------------------------------------------------------------------- drawing


def _column_ticks(row_texts: list[str], column_labels) -> tuple[list[str], int]:
    """Column labels wrapped to fit their column, or slanted (angle > 0) when no wrap fits.

    The widths are estimates (DejaVu Sans at 9 and 10 points): good enough
    to avoid overlaps at :data:`WIDTH`.
    """
    longest_row = max((len(line) for r in row_texts for line in r.splitlines()), default=0)
    column_inches = (WIDTH - 0.35 - 0.082 * longest_row) / max(len(column_labels), 1)
    for width in range(14, 7, -1):
        tops = [wrap(c, width) for c in column_labels]
        longest = max((len(line) for t in tops for line in t.splitlines()), default=0)
        if longest * CHAR_INCHES + 0.06 <= column_inches and max(len(t.splitlines()) for t in tops) <= 4:
            return tops, 0
    return [" ".join(str(c).split()) for c in column_labels], 40


def _heatmap(
    values: pd.DataFrame,
    texts: np.ndarray,
    cmap,
    norm,
    row_labels,
    column_labels,
    *,
    title: str,
    colorbar_label: str,
    missing_label: str | None,
    colorbar_ticks=None,
    colorbar_format=None,
    bold=None,
    outline=None,
    extra_handles=(),
):
    """Draw a heatmap with our own cell texts, hatched missing cells and a legend note.

    ``values`` may hold NaN (hatched, no text); ``texts`` has the same shape.
    ``bold``/``outline`` are boolean arrays (cells written in bold / framed).
    Returns the figure and the axes.
    """
    n_rows, n_cols = values.shape
    lefts = [wrap(r, ROW_WRAP) for r in row_labels]
    tops, slant = _column_ticks(lefts, column_labels)
    if slant:
        header = 0.2 + max(len(t) for t in tops) * CHAR_INCHES * np.sin(np.radians(slant))
    else:
        header = 0.17 * max(len(t.splitlines()) for t in tops)
    height = 1.75 + ROW_HEIGHT * n_rows + header
    fig = ReportFigure(figsize=(WIDTH, height), dpi=STYLE["rc"]["figure.dpi"], layout="constrained")
    ax = fig.add_subplot()
    data = values.to_numpy(dtype=float)
    mask = np.isnan(data)
    # An infinite value (e.g. a ratio when only one side uses a code) takes the end colour.
    colours = np.clip(data, norm.vmin, norm.vmax) if np.isinf(data).any() else data
    sns.heatmap(
        colours, mask=mask, cmap=cmap, norm=norm, cbar=False, ax=ax, linewidths=1.0, linecolor="white", square=False
    )
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    mesh = ax.collections[0]
    for i in range(n_rows):
        for j in range(n_cols):
            if mask[i, j]:
                ax.add_patch(
                    Rectangle(
                        (j, i),
                        1,
                        1,
                        facecolor=MISSING_FACE,
                        edgecolor=MISSING_EDGE,
                        hatch=MISSING_HATCH,
                        linewidth=0,
                        zorder=1.5,
                    )
                )
                ax.add_patch(Rectangle((j, i), 1, 1, fill=False, edgecolor="white", linewidth=1.0, zorder=1.6))
                if texts[i, j]:
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        texts[i, j],
                        ha="center",
                        va="center",
                        fontsize=9,
                        color="#3a3a3a",
                        fontstyle="italic",
                        zorder=3,
                        bbox={"facecolor": MISSING_FACE, "edgecolor": "none", "pad": 1},
                    )
                continue
            face = mesh.cmap(mesh.norm(colours[i, j]))
            weight = "bold" if bold is not None and bold[i, j] else "normal"
            ax.text(
                j + 0.5,
                i + 0.5,
                texts[i, j],
                ha="center",
                va="center",
                fontsize=10,
                color=_text_colour(face),
                fontweight=weight,
                zorder=3,
            )
            if outline is not None and outline[i, j]:
                ax.add_patch(
                    Rectangle(
                        (j + 0.04, i + 0.06), 0.92, 0.88, fill=False, edgecolor="#1d1d1f", linewidth=2.0, zorder=2.5
                    )
                )
    if slant:
        ax.set_xticks(np.arange(n_cols) + 0.5, tops, rotation=slant, ha="left", rotation_mode="anchor", fontsize=9)
    else:
        ax.set_xticks(np.arange(n_cols) + 0.5, tops, rotation=0, fontsize=9)
    ax.set_yticks(np.arange(n_rows) + 0.5, lefts, rotation=0, fontsize=10)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0, pad=3)
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.suptitle(
        title_text(title),
        x=0.01,
        ha="left",
        fontsize=STYLE["rc"]["axes.titlesize"],
        fontweight=STYLE["rc"]["axes.titleweight"],
    )
    shown = data[~mask]
    below = bool(shown.size and shown.min() < norm.vmin - 1e-12)
    above = bool(shown.size and shown.max() > norm.vmax + 1e-12)
    extend = {(True, True): "both", (True, False): "min", (False, True): "max"}.get((below, above), "neither")
    cbar = fig.colorbar(mesh, ax=ax, location="bottom", shrink=0.95, aspect=38, pad=0.02, extend=extend)
    cbar.set_label(wrap(colorbar_label, 52), fontsize=10)
    cbar.outline.set_visible(False)
    cbar.ax.tick_params(labelsize=9)
    if colorbar_ticks is not None:
        cbar.ax.xaxis.set_major_locator(FixedLocator(colorbar_ticks))
        cbar.ax.xaxis.set_minor_locator(NullLocator())
    cbar.ax.xaxis.set_major_formatter(FuncFormatter(colorbar_format or (lambda v, _: decimal(v, 1))))
    handles = list(extra_handles)
    if mask.any() and missing_label:
        handles.append(
            Patch(facecolor=MISSING_FACE, edgecolor=MISSING_EDGE, hatch=MISSING_HATCH, linewidth=0, label=missing_label)
        )
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=1, fontsize=9, handlelength=1.6, handleheight=1.2)
    return fig, ax


def _wide(frame: pd.DataFrame, row: str, column: str, value: str) -> pd.DataFrame:
    """Long → wide, rows and columns in their order of first appearance."""
    rows = list(dict.fromkeys(frame[row]))
    columns = list(dict.fromkeys(frame[column]))
    wide = frame.pivot(index=row, columns=column, values=value)
    return wide.reindex(index=rows, columns=columns)


def _column_labels(columns, column_labels) -> list[str]:
    names = label_map(column_labels)
    return [f"{c}\n{names[c]}" if c in names and names[c] != c else str(c) for c in columns]


# --------------------------------------------------------------------------- figures


@or_gap()
def rate_heatmap(
    matrix: pd.DataFrame,
    value: str = "rate_per_1000_words",
    labels=None,
    title: str | None = None,
    period_labels=None,
    decimals: int | None = None,
) -> ReportFigure:
    """Code × period heatmap of the time-ordered matrix, each cell written out.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Long format with ``code``, ``period`` and ``value`` (as returned by
        :func:`rd_territoriale.analysis.matrices.time_ordered_matrix`); the
        order of the codes and of the periods is kept. A NaN value (no
        exposure, or a cell masked for privacy) is drawn hatched grey.
    value : str
        Column to draw: ``rate_per_1000_words`` by default, or ``count``,
        ``rate_per_interview``, ``rate_per_entry``…
    labels : dict or pandas.Series, optional
        Code → French label (e.g. from the codebook); the code when missing.
    title : str, optional
        French title; a default one is used when omitted.
    period_labels : dict, optional
        Period id → label, written under the id at the top of each column.
    decimals : int, optional
        Decimals in the cells: 0 for counts, 2 for rates by default.

    Returns
    -------
    ReportFigure
        One row per code, one column per period; ``alt`` names the highest
        cells.

    Examples
    --------
    >>> rate_heatmap(time_ordered_matrix(case), labels=code_labels)  # doctest: +SKIP
    """
    names = label_map(labels)
    wide = _wide(matrix, "code", "period", value).astype(float)
    if decimals is None:
        decimals = 0 if value in _COUNT_VALUES else 2
    texts = np.vectorize(lambda v: "" if pd.isna(v) else decimal(v, decimals), otypes=[object])(wide.to_numpy())
    finite = wide.to_numpy()[np.isfinite(wide.to_numpy())]
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    value_label = VALUE_LABELS.get(value, value)
    row_labels = [names.get(c, c) for c in wide.index]
    with style():
        fig, _ = _heatmap(
            wide,
            texts,
            sns.color_palette(SEQUENTIAL, as_cmap=True),
            Normalize(0, vmax),
            row_labels,
            _column_labels(wide.columns, period_labels),
            title=title or "Fréquence des codes, période par période",
            colorbar_label=value_label,
            colorbar_format=lambda v, _: decimal(v, 0 if decimals == 0 or vmax >= 10 else 1),
            missing_label="Hachuré : pas de valeur (aucun entretien dans la période, ou cellule masquée)",
        )
    long = wide.stack().dropna().sort_values(ascending=False, kind="mergesort")
    top = [
        f"{names.get(code, code)} en {period} ({decimal(v, decimals)})" for (code, period), v in long.head(3).items()
    ]
    missing = int((~np.isfinite(wide.to_numpy())).sum())
    fig.alt = (
        f"Carte de chaleur : {value_label[0].lower() + value_label[1:]}, pour {len(wide)} codes (lignes) "
        f"et {wide.shape[1]} périodes (colonnes : {', '.join(map(str, wide.columns))}). "
        + (f"Valeurs les plus élevées : {' ; '.join(top)}." if top else "Aucune valeur.")
        + (f" {missing} cellule{plural_s(missing)} sans valeur (hachurée{plural_s(missing)})." if missing else "")
    )
    return fig


@or_gap()
def residual_heatmap(
    residuals: pd.DataFrame,
    labels=None,
    title: str | None = None,
    row: str | None = None,
    column: str | None = None,
    column_labels=None,
    threshold: float = RESIDUAL_THRESHOLD,
) -> ReportFigure:
    """Adjusted standardized residuals of a contingency table, as a diverging heatmap.

    Blue: fewer passages than if codes and periods were independent;
    vermillion: more. Cells beyond ±``threshold`` are outlined and written in
    bold; cells whose expected count is too small (``reliable`` false) are
    hatched grey and marked « non testé ».

    Parameters
    ----------
    residuals : pandas.DataFrame
        Long format as returned by
        :func:`rd_territoriale.analysis.models.contingency_residuals`: a row
        key and a column key (``code`` and ``period`` when the table came
        from :func:`~rd_territoriale.analysis.matrices.count_table`),
        ``observed, expected, residual, reliable``; optionally ``chi2,
        chi2_df, chi2_p_value`` (repeated), used in the alternative text.
    labels : dict or pandas.Series, optional
        Row key → French label (e.g. code → label).
    title : str, optional
        French title; a default one is used when omitted.
    row, column : str, optional
        Names of the row and column keys; by default the first two columns
        that are not among the computed ones.
    column_labels : dict, optional
        Column key → label (e.g. period id → period label).
    threshold : float
        Absolute residual beyond which a cell is marked (1,96: 5 %, two-sided).

    Returns
    -------
    ReportFigure
        ``alt`` names the cells beyond the threshold, largest first, and the
        chi2 test.
    """
    computed = {"observed", "expected", "residual", "reliable", "note", "chi2", "chi2_df", "chi2_p_value"}
    keys = [c for c in residuals.columns if c not in computed]
    row = row or keys[0]
    column = column or keys[1]
    names = label_map(labels)
    frame = residuals.copy()
    if "reliable" not in frame:
        frame["reliable"] = True
    frame["reliable"] = frame["reliable"].fillna(False).astype(bool)
    res = _wide(frame, row, column, "residual").astype(float)
    reliable = _wide(frame, row, column, "reliable").reindex_like(res).fillna(False).astype(bool).to_numpy()
    shown = res.where(reliable)
    data = res.to_numpy()
    texts = np.empty(data.shape, dtype=object)
    for (i, j), v in np.ndenumerate(data):
        texts[i, j] = "non testé" if not reliable[i, j] else decimal(v, 1, sign=True)
    beyond = reliable & (np.abs(np.nan_to_num(data)) > threshold)
    finite = np.abs(shown.to_numpy()[np.isfinite(shown.to_numpy())])
    # Colours saturate at ±RESIDUAL_COLOUR_LIMIT so that moderate residuals stay visible; the
    # numbers in the cells give the exact values.
    vlim = min(max(float(finite.max()) if finite.size else 0.0, threshold + 1.0), RESIDUAL_COLOUR_LIMIT)
    limit = f"±{decimal(threshold, 2)}"
    handles = []
    if beyond.any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#1d1d1f",
                linewidth=2.0,
                label=f"Encadré, en gras : écart significatif (résidu au-delà de {limit})",
            )
        )
    with style():
        fig, _ = _heatmap(
            shown,
            texts,
            DIVERGING,
            TwoSlopeNorm(0.0, -vlim, vlim),
            [names.get(r, r) for r in res.index],
            _column_labels(res.columns, column_labels),
            title=title or "Écarts à l'indépendance entre codes et périodes",
            colorbar_label="Résidu standardisé ajusté : bleu, moins de passages que prévu ; vermillon, plus que prévu",
            colorbar_format=lambda v, _: decimal(v, 0, sign=True),
            missing_label="Hachuré, « non testé » : effectif attendu trop faible",
            bold=beyond,
            outline=beyond,
            extra_handles=handles,
        )
    marked = [(res.index[i], res.columns[j], data[i, j]) for i, j in zip(*np.nonzero(beyond))]
    marked.sort(key=lambda t: -abs(t[2]))

    def cells(items):
        return " ; ".join(f"{names.get(r, r)} en {c} ({decimal(v, 1, sign=True)})" for r, c, v in items[:6])

    over = [m for m in marked if m[2] > 0]
    under = [m for m in marked if m[2] < 0]
    parts = [
        (
            f"Carte des résidus standardisés ajustés : {res.shape[0]} lignes × {res.shape[1]} colonnes "
            f"({', '.join(map(str, res.columns))}), bleu en dessous de ce qu'on attendrait sans lien entre "
            f"lignes et colonnes, vermillon au-dessus."
        )
    ]
    if marked:
        parts.append(f"{len(marked)} cellule{plural_s(len(marked))} au-delà de {limit}.")
        if over:
            parts.append(f"Plus que prévu : {cells(over)}.")
        if under:
            parts.append(f"Moins que prévu : {cells(under)}.")
    else:
        parts.append(f"Aucune cellule au-delà de {limit}.")
    untested = int((~reliable).sum())
    if untested:
        parts.append(
            f"{untested} cellule{plural_s(untested)} non testée{plural_s(untested)} (effectif attendu trop faible)."
        )
    if {"chi2", "chi2_df", "chi2_p_value"} <= set(frame.columns) and len(frame):
        first = frame.iloc[0]
        p = float(first["chi2_p_value"])
        p_text = "p < 0,001" if p < 0.001 else f"p = {decimal(p, 3)}"
        parts.append(
            f"Test du khi-deux d'indépendance : khi-deux = {decimal(first['chi2'], 1)}, "
            f"{int(first['chi2_df'])} degrés de liberté, {p_text}."
        )
    fig.alt = " ".join(parts)
    return fig


@or_gap()
def category_heatmap(
    table: pd.DataFrame,
    labels=None,
    title: str | None = None,
    scale: str = "rate",
    value_label: str | None = None,
    decimals: int = 2,
    transpose: bool | None = None,
    marked: pd.DataFrame | None = None,
) -> ReportFigure:
    """Heatmap of a wide table, e.g. stakeholder category × code (role-ordered matrix).

    Parameters
    ----------
    table : pandas.DataFrame
        Wide: one row per row key, one column per column key, numbers in the
        cells (e.g. :func:`rd_territoriale.analysis.roles.rate_table`). NaN
        (a missing or masked cell) is drawn hatched grey; ``inf`` (a ratio
        when only this category uses the code) takes the end colour and is
        written « ∞ ». Order kept.
    labels : dict or pandas.Series, optional
        Key → French label, applied to the row and the column keys (codes
        and category ids do not collide); keys without a label are shown as
        they are.
    title : str, optional
        French title; a default one is used when omitted.
    scale : {"rate", "ratio"}
        ``rate``: sequential colours from 0. ``ratio``: over- or
        under-representation (e.g. ``over_representation``, 1 = as often as
        the others), on a log scale centred at 1 (blue below, vermillion
        above): ``×2`` and ``×0,5`` get the same strength of colour. A zero
        ratio takes the lowest colour.
    value_label : str, optional
        French name of the values (under the colour bar).
    decimals : int
        Decimals written in the cells.
    transpose : bool, optional
        Swap rows and columns. By default the longer side goes down the
        page, so that the figure fits a phone's width (e.g. 21 codes as
        rows and 6 categories as columns).
    marked : pandas.DataFrame, optional
        Booleans, same rows and columns as ``table`` (e.g.
        ``p_adjusted < 0.05``): those cells are framed and written in bold.

    Returns
    -------
    ReportFigure
        ``alt`` names the highest values (``rate``) or the ratios furthest
        from 1 (``ratio``).

    Raises
    ------
    ValueError
        For an unknown ``scale``.
    """
    if scale not in ("rate", "ratio"):
        raise ValueError(f"échelle inconnue : « {scale} » ; attendu : rate ou ratio.")
    names = label_map(labels)
    wide = pd.DataFrame(table).astype(float)
    flags = None
    if marked is not None:
        flags = pd.DataFrame(marked).reindex(index=wide.index, columns=wide.columns)
        flags = flags.fillna(False).astype(bool)
    if transpose is None:
        transpose = wide.shape[1] > wide.shape[0]
    if transpose:
        wide = wide.T
        flags = flags.T if flags is not None else None
    data = wide.to_numpy()
    finite = data[np.isfinite(data)]
    texts = np.vectorize(lambda v: _cell(v, decimals), otypes=[object])(data)
    if scale == "ratio":
        positive = finite[finite > 0]
        spread = float(np.max(np.abs(np.log2(positive)))) if positive.size else 1.0
        limit = 2.0 ** min(max(1.0, np.ceil(spread)), 5.0)
        norm = LogNorm(1 / limit, limit, clip=True)
        cmap = DIVERGING
        ticks = log_ticks(1 / limit, limit)

        def fmt(v, _):
            return ratio_label(v)

        default_label = "Rapport aux autres catégories (×1 : autant ; échelle logarithmique)"
    else:
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        norm = Normalize(0, vmax)
        cmap = sns.color_palette(SEQUENTIAL, as_cmap=True)
        ticks = None

        def fmt(v, _):
            return decimal(v, 0 if vmax >= 10 else 1)

        default_label = "Valeur"
    label = value_label or default_label
    bold = flags.to_numpy() & ~np.isnan(data) if flags is not None else None
    handles = []
    if bold is not None and bold.any():
        handles.append(
            Patch(facecolor="white", edgecolor="#1d1d1f", linewidth=2.0, label="Encadré, en gras : écart significatif")
        )
    with style():
        fig, _ = _heatmap(
            wide,
            texts,
            cmap,
            norm,
            [names.get(r, r) for r in wide.index],
            [names.get(c, c) for c in wide.columns],
            title=title or ("Sur- et sous-représentation" if scale == "ratio" else "Valeurs par catégorie"),
            colorbar_label=label,
            colorbar_ticks=ticks,
            colorbar_format=fmt,
            missing_label="Hachuré : pas de valeur (cellule vide ou masquée)",
            bold=bold,
            outline=bold,
            extra_handles=handles,
        )
    long = wide.stack().dropna()
    if scale == "ratio":
        distance = np.abs(np.log(long.where(long > 0)))
        zeros = long[long == 0]
        order = list(zeros.index[:2]) + list(distance.dropna().sort_values(ascending=False, kind="mergesort").index)
        picked = [(key, long[key]) for key in order[:5]]
        lead = "Rapports les plus éloignés de 1"
    else:
        picked = list(long.sort_values(ascending=False, kind="mergesort").head(4).items())
        lead = "Valeurs les plus élevées"
    described = [f"{names.get(r, r)} × {names.get(c, c)} ({_cell(v, decimals, spoken=True)})" for (r, c), v in picked]
    missing = int(np.isnan(data).sum())
    rows = ", ".join(str(names.get(r, r)) for r in wide.index[:3]) + ("…" if wide.shape[0] > 3 else "")
    fig.alt = (
        f"Carte de chaleur : {label[0].lower() + label[1:]}, {wide.shape[0]} lignes ({rows}) "
        f"× {wide.shape[1]} colonnes. "
        + (f"{lead} : {' ; '.join(described)}." if described else "Aucune valeur.")
        + (
            f" {int(bold.sum())} cellule{plural_s(bold.sum())} encadrée{plural_s(bold.sum())} (écart significatif)."
            if bold is not None and bold.any()
            else ""
        )
        + (f" {missing} cellule{plural_s(missing)} sans valeur (hachurée{plural_s(missing)})." if missing else "")
    )
    return fig


def _cell(value, decimals: int, spoken: bool = False) -> str:
    """Text of a cell: French decimal, « ∞ » for an infinite value (« infini » when read aloud)."""
    if pd.isna(value):
        return ""
    if np.isinf(value):
        sign = "" if value > 0 else "\u2212"
        return sign + ("infini" if spoken else "\u221e")
    return decimal(value, decimals)
