"""Small-cell masking of tables of person counts, with complementary suppression.

A table that counts *persons* (stakeholder category × period, college × kind
of meeting…) may let a partner recognise someone when a cell holds very few
people. Reports for partners therefore mask every such cell, as statistical
offices do (*secret statistique*), and mask enough other cells (or totals)
that the published cells and totals never give a masked value back by
subtraction. Reports for the research team may show small cells.

What this module does, in order (:func:`mask_counts`):

1. **Primary suppression.** A cell with ``0 < count < min_size`` is masked.
   A zero is published by default: it designates nobody (``zero_is_safe``;
   set it to ``False`` to mask zeros as small cells too).
2. **Complementary (secondary) suppression, classic rule.** Every row and
   every column whose total is published and which holds a masked cell must
   hold at least two. The complement is the smallest *non-zero* published
   cell of the line (least information lost); ties go first to a cell whose
   crossing line also holds a single masked cell (one complement then
   protects two lines), then to the first in table order. Repeated until
   stable. A zero is never used as a complement: when the line has no other
   non-zero published cell, the line's **total is masked** instead.
3. **Verification by linear programming.** For each masked cell, the least
   and the greatest value it can take are computed (:func:`scipy.optimize.linprog`,
   HiGHS, integer variables) given everything a reader sees: the published
   cells, the published row, column and grand totals (as equalities) and what
   the marks themselves say — « < 5 » means 1 to 4 persons, « s » means a
   cell of at least 5 (complements are non-zero published-size cells). A
   masked cell whose interval holds a single value is *exposed*: the smallest
   non-zero published cell of its row or column is masked in addition (or, if
   there is none, its row total, then its column total, then the grand total)
   and steps 2–3 start again. Among these options, the first that frees the
   exposed cell (after the classic rule) wins, the one hiding the smallest
   count first. Each round masks one more item, so the loop ends; masking
   everything around a cell always protects it.
4. **Clean-up.** The greedy steps may mask more than needed: each
   complementary cell, largest first, then each masked total, is published
   again when every masked cell stays protected without it.

The check in step 3 is stricter than "non-negative values consistent with the
totals" (the marks narrow what a reader can infer), so a table that passes it
also passes the weaker check (:func:`feasible_intervals` offers both). It
does not model a reader who replays the choice order of the complements.

Conventions of the French display (:meth:`MaskedTable.display`, :meth:`MaskedTable.note`):

- « < 5 » (with the study's threshold): a small cell (primary suppression);
- « s »: a cell or a total masked so that a small cell cannot be recomputed
  (INSEE's mark for *secret statistique*; « - » is avoided, it reads as zero
  in French statistical tables);
- the margins are labelled « Total »; thousands are separated by a narrow
  no-break space (``1 234``).

When the threshold is so low that « < N » would give the value away
(``min_size`` 2 with zeros published: « < 2 » means 1), every masked cell is
shown « s » and the verification assumes nothing more of it.

DataFrames in, :class:`MaskedTable` out; no file I/O, no plotting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.french import plural_s
from rd_territoriale.study.contract import DEFAULT_MIN_CELL_SIZE

__all__ = [
    "AUDIENCES",
    "MaskedTable",
    "MaskingError",
    "SECONDARY_MARK",
    "TOTAL_LABEL",
    "feasible_intervals",
    "mask_counts",
    "mask_for_audience",
    "primary_mark",
]

from rd_territoriale.study.contract import AUDIENCES  # noqa: E402 - re-exported (__all__)

SECONDARY_MARK = "s"
TOTAL_LABEL = "Total"
DISPLAY_FORMATS = ("français", "brut")
_NBSP = "\u00a0"  # keeps « < 5 » on one line in an HTML cell
_THOUSANDS = "\u202f"  # narrow no-break space, the French thousands separator
_TOL = 1e-6


class MaskingError(RdTerritorialeError, ValueError):
    """A table cannot be masked (not a table of counts, bad threshold or audience)."""


def primary_mark(min_size: int) -> str:
    """The mark of a small cell: ``< 5`` (no-break space) for ``min_size=5``."""
    return f"<{_NBSP}{int(min_size)}"


def _format_count(value: int, fmt: str) -> str:
    if fmt == "brut":
        return str(int(value))
    return f"{int(value):,}".replace(",", _THOUSANDS)


@dataclass(eq=False)
class MaskedTable:
    """A table of person counts as it may be published, with its masks.

    Built by :func:`mask_counts` or :func:`mask_for_audience`; never holds the
    value of a masked cell or of a masked total.

    Attributes
    ----------
    values : pandas.DataFrame
        The counts, ``Int64``, masked cells as ``pd.NA``; same index and
        columns as the input table.
    masked : pandas.DataFrame
        ``True`` where a cell is masked (primary or secondary).
    primary : pandas.DataFrame
        ``True`` where a cell is masked because it is small.
    row_totals, col_totals : pandas.Series
        Published totals (``Int64``), ``pd.NA`` where a total is masked or
        when totals are not published (``totals=False``).
    grand_total : int or pandas.NA
        Published grand total.
    min_size : int
        The threshold (``study.yml`` ``privacy.min_cell_size``).
    zero_is_safe : bool
        Whether zeros are published.
    totals : bool
        Whether the margins are published (and shown by :meth:`display`).
    audience : str or None
        ``partenaires``, ``equipe`` or ``None`` (called directly).
    shows_small_cells : bool
        ``True`` for a team table that shows small cells unmasked.
    n_small : int
        Number of small cells (``0 < count < min_size``, or ``count <
        min_size`` with ``zero_is_safe=False``) in the input.
    distinguishes_primary : bool
        Whether small cells are shown « < N » (else every masked cell is « s »).
    """

    values: pd.DataFrame
    masked: pd.DataFrame
    primary: pd.DataFrame
    row_totals: pd.Series
    col_totals: pd.Series
    grand_total: object
    min_size: int
    zero_is_safe: bool = True
    totals: bool = True
    audience: str | None = None
    shows_small_cells: bool = False
    n_small: int = 0
    distinguishes_primary: bool = True

    # --- counts -------------------------------------------------------------
    @property
    def secondary(self) -> pd.DataFrame:
        """``True`` where a cell is masked as a complement."""
        return self.masked & ~self.primary

    @property
    def n_masked(self) -> int:
        """Number of masked cells (primary and secondary, totals excluded)."""
        return int(self.masked.to_numpy().sum())

    @property
    def n_primary(self) -> int:
        """Number of cells masked because they are small."""
        return int(self.primary.to_numpy().sum())

    @property
    def n_secondary(self) -> int:
        """Number of cells masked as complements."""
        return self.n_masked - self.n_primary

    @property
    def n_masked_totals(self) -> int:
        """Number of masked totals (row, column and grand total) when totals are published."""
        if not self.totals:
            return 0
        return int(
            self.row_totals.isna().sum() + self.col_totals.isna().sum() + (1 if pd.isna(self.grand_total) else 0)
        )

    # --- display ------------------------------------------------------------
    def display(self, fmt: str = "français") -> pd.DataFrame:
        """The table as strings, ready for a report.

        Parameters
        ----------
        fmt : {"français", "brut"}
            ``français`` separates thousands with a narrow no-break space
            (``1 234``); ``brut`` writes plain digits.

        Returns
        -------
        pandas.DataFrame
            Same index and columns as the input, plus a row and a column
            labelled « Total » when totals are published. A small cell reads
            « < 5 », a complementary cell or a masked total « s »; no masked
            value ever appears.

        Examples
        --------
        >>> t = pd.DataFrame({"P1": [3, 12, 20], "P2": [10, 15, 30]}, index=["A", "B", "C"])
        >>> mask_counts(t).display().loc["A", "P1"] == primary_mark(5)
        True
        """
        if fmt not in DISPLAY_FORMATS:
            raise MaskingError(
                f"format d'affichage inconnu : {fmt!r} ; attendu : " + " ou ".join(DISPLAY_FORMATS) + "."
            )
        small = primary_mark(self.min_size)
        masked = self.masked.to_numpy()
        primary = self.primary.to_numpy()
        values = self.values.to_numpy()
        cells = np.empty(masked.shape, dtype=object)
        for (i, j), is_masked in np.ndenumerate(masked):
            if not is_masked:
                cells[i, j] = _format_count(values[i, j], fmt)
            elif primary[i, j] and self.distinguishes_primary:
                cells[i, j] = small
            else:
                cells[i, j] = SECONDARY_MARK
        index, columns = self.values.index, self.values.columns
        if not self.totals:
            return pd.DataFrame(cells, index=index, columns=columns)

        def total(v) -> str:
            return SECONDARY_MARK if pd.isna(v) else _format_count(v, fmt)

        full = np.empty((cells.shape[0] + 1, cells.shape[1] + 1), dtype=object)
        full[:-1, :-1] = cells
        full[:-1, -1] = [total(v) for v in self.row_totals]
        full[-1, :-1] = [total(v) for v in self.col_totals]
        full[-1, -1] = total(self.grand_total)
        return pd.DataFrame(full, index=_with_margin(index), columns=_with_margin(columns))

    def note(self) -> str:
        """The French footnote that explains the marks and the rule.

        Returns
        -------
        str
            One short paragraph; for a team table, a warning that small cells
            are shown and that the table is not for partners.
        """
        m = self.min_size
        if self.shows_small_cells:
            n = self.n_small
            count = f" ({n} case{plural_s(n)} concernée{plural_s(n)})" if n else ""
            return (
                f"Tableau réservé à l'équipe de recherche : les effectifs inférieurs à {m} "
                f"personnes sont affichés sans masquage{count}. Ne pas diffuser aux partenaires."
            )
        low = 1 if self.zero_is_safe else 0
        persons = f"{m} personne{plural_s(m)}"
        recompute = "ne puisse pas être retrouvé par différence avec les autres cases et les totaux."
        parts = []
        if self.n_masked == 0 and self.n_masked_totals == 0:
            nonzero = "non nul " if self.zero_is_safe else ""
            parts.append(f"Aucune case n'est masquée : chaque effectif {nonzero}atteint au moins {persons}.")
        else:
            if self.n_primary and self.distinguishes_primary:
                parts.append(
                    f"« {primary_mark(m)} » : effectif de {low} à {m - 1} personnes, masqué "
                    f"pour que personne ne puisse être reconnu (seuil : {persons})."
                )
            if self.n_primary and not self.distinguishes_primary:
                parts.append(
                    f"« {SECONDARY_MARK} » : valeur masquée (secret statistique), soit parce "
                    f"que l'effectif est inférieur à {persons}, soit pour qu'un tel effectif " + recompute
                )
            elif self.n_secondary or self.n_masked_totals:
                what = "valeur masquée en complément" if self.n_secondary else "total masqué"
                parts.append(
                    f"« {SECONDARY_MARK} » : {what} (secret statistique), pour qu'un petit effectif " + recompute
                )
                if self.n_secondary and self.n_masked_totals:
                    parts.append("Un total marqué « s » est masqué pour la même raison.")
            if self.totals:
                parts.append("Les totaux publiés comptent toutes les personnes, cases masquées comprises.")
        if self.zero_is_safe and (self.values.fillna(1).to_numpy() == 0).any():
            parts.append("Les zéros sont affichés : ils ne désignent personne.")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"MaskedTable({self.values.shape[0]}×{self.values.shape[1]}, seuil {self.min_size}, "
            f"{self.n_primary} primaire(s), {self.n_secondary} complémentaire(s), "
            f"{self.n_masked_totals} total(aux) masqué(s))"
        )


def _with_margin(index: pd.Index) -> pd.Index:
    """``index`` followed by « Total » (padded with empty levels for a MultiIndex)."""
    if isinstance(index, pd.MultiIndex):
        label = (TOTAL_LABEL,) + ("",) * (index.nlevels - 1)
        return index.append(pd.MultiIndex.from_tuples([label], names=index.names))
    return index.astype(object).append(pd.Index([TOTAL_LABEL], dtype=object)).rename(index.name)


# --- input ------------------------------------------------------------------


def _counts(table: pd.DataFrame) -> np.ndarray:
    """The table as an int64 array, or a French error."""
    if not isinstance(table, pd.DataFrame):
        raise MaskingError(f"un tableau d'effectifs (DataFrame) est attendu, pas {type(table).__name__}.")
    bad = [
        str(c)
        for c, dt in table.dtypes.items()
        if not (pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt))
    ]
    if bad:
        raise MaskingError(
            f"le tableau doit contenir des effectifs (nombres entiers) ; colonnes non numériques : {', '.join(bad)}."
        )
    raw = table.astype("float64").to_numpy()
    if np.isnan(raw).any():
        raise MaskingError(
            "le tableau d'effectifs contient des valeurs manquantes ; remplacer une absence par 0 avant de masquer."
        )
    if (raw < 0).any() or (raw != np.round(raw)).any():
        raise MaskingError("le tableau doit contenir des effectifs entiers positifs ou nuls.")
    return raw.astype(np.int64)


def _check_min_size(min_size) -> int:
    if isinstance(min_size, bool) or not isinstance(min_size, (int, np.integer)) or min_size < 1:
        raise MaskingError(f"le seuil de masquage doit être un entier ≥ 1 (reçu : {min_size!r}).")
    return int(min_size)


# --- the attacker's view: bounds and intervals ---------------------------------


def _bounds(
    primary: np.ndarray, min_size: int, zero_is_safe: bool, distinguish: bool, assume_marks: bool
) -> np.ndarray:
    """Lower and upper bound that the marks reveal, per cell (upper ``inf`` = none)."""
    lower = np.zeros(primary.shape)
    upper = np.full(primary.shape, np.inf)
    if not assume_marks:
        return np.stack([lower, upper])
    low = 1 if zero_is_safe else 0
    if distinguish:
        lower[:] = min_size
        lower[primary] = low
        upper[primary] = min_size - 1
    else:
        lower[:] = low
    return np.stack([lower, upper])


def _distinguish(min_size: int, zero_is_safe: bool) -> bool:
    """« < N » is shown only when it leaves at least two possible values."""
    return min_size - 1 > (1 if zero_is_safe else 0)


def _solve(c, a_eq, b_eq, bounds, integer: bool):
    """Optimum of ``c·x`` (``None`` when unbounded), integer when asked."""
    kwargs = dict(A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    res = linprog(c, **kwargs)
    if res.status == 3:
        return None
    if res.status != 0:
        raise MaskingError(
            "les cases et totaux publiés sont incohérents : aucune valeur des cases "
            f"masquées ne les vérifie ({res.message})."
        )
    if integer and np.abs(res.x - np.round(res.x)).max(initial=0) > _TOL:
        res = linprog(c, integrality=np.ones(len(c)), **kwargs)
        if res.status != 0:  # pragma: no cover - the relaxation was feasible and bounded
            raise MaskingError(f"calcul des intervalles impossible ({res.message}).")
    return float(res.fun)


def _intervals(
    published: np.ndarray,
    masked: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    row_totals: np.ndarray,
    col_totals: np.ndarray,
    grand_total: float,
    integer: bool = True,
    stop_at_exposed: bool = False,
    targets=None,
):
    """``[(i, j, low, high)]`` for the masked cells, in row-major order.

    ``published`` holds the published cells (anything where masked); totals
    are ``nan`` when masked. With ``stop_at_exposed``, stops after the first
    cell whose interval is a single value; ``targets`` restricts the cells
    whose interval is computed (all masked cells by default).
    """
    cells = [tuple(ij) for ij in np.argwhere(masked)]
    if not cells:
        return []
    position = {ij: k for k, ij in enumerate(cells)}
    shown = np.where(masked, 0, published).astype(float)
    rows, rhs = [], []

    def equation(members, total, known):
        if not members or np.isnan(total):
            return
        row = np.zeros(len(cells))
        row[[position[ij] for ij in members]] = 1.0
        rows.append(row)
        rhs.append(total - known)

    n_rows, n_cols = masked.shape
    for i in range(n_rows):
        equation([ij for ij in cells if ij[0] == i], row_totals[i], shown[i].sum())
    for j in range(n_cols):
        equation([ij for ij in cells if ij[1] == j], col_totals[j], shown[:, j].sum())
    equation(cells, grand_total, shown.sum())
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    bounds = [(lower[ij], None if math.isinf(upper[ij]) else upper[ij]) for ij in cells]

    out = []
    for k, (i, j) in enumerate(cells):
        if targets is not None and (i, j) not in targets:
            continue
        c = np.zeros(len(cells))
        c[k] = 1.0
        low = _solve(c, a_eq, b_eq, bounds, integer)
        high = _solve(-c, a_eq, b_eq, bounds, integer)
        high = math.inf if high is None else -high
        if integer:
            low, high = math.ceil(low - _TOL), (high if math.isinf(high) else math.floor(high + _TOL))
        out.append((int(i), int(j), float(low), float(high)))
        if stop_at_exposed and _is_exposed(out[-1], integer):
            break
    return out


def _is_exposed(interval, integer: bool = True) -> bool:
    _, _, low, high = interval
    return (high - low < 1 - _TOL) if integer else (high - low <= _TOL)


# --- masking ----------------------------------------------------------------


class _Mask:
    """Mutable state of the suppression: masked cells and masked totals."""

    def __init__(self, counts: np.ndarray, primary: np.ndarray):
        self.counts = counts
        self.primary = primary.copy()
        self.cells = primary.copy()
        self.rows = np.zeros(counts.shape[0], dtype=bool)  # masked row totals
        self.cols = np.zeros(counts.shape[1], dtype=bool)
        self.grand = False

    def line(self, axis: int, k: int) -> np.ndarray:
        return self.cells[k] if axis == 0 else self.cells[:, k]

    def total_hidden(self, axis: int, k: int) -> bool:
        return bool(self.rows[k] if axis == 0 else self.cols[k])

    def hide_total(self, axis: int, k: int) -> None:
        (self.rows if axis == 0 else self.cols)[k] = True

    def single(self, axis: int, k: int) -> bool:
        """The line shows its total and holds exactly one masked cell."""
        return not self.total_hidden(axis, k) and int(self.line(axis, k).sum()) == 1

    def candidates(self, axis: int, k: int) -> list[tuple[int, int]]:
        """Published non-zero cells of a line."""
        if axis == 0:
            return [(k, j) for j in range(self.counts.shape[1]) if not self.cells[k, j] and self.counts[k, j] > 0]
        return [(i, k) for i in range(self.counts.shape[0]) if not self.cells[i, k] and self.counts[i, k] > 0]

    def classic_rule(self) -> None:
        """Two masked cells in every line that shows its total and holds one."""
        changed = True
        while changed:
            changed = False
            for axis, n in ((0, self.counts.shape[0]), (1, self.counts.shape[1])):
                for k in range(n):
                    if not self.single(axis, k):
                        continue
                    found = self.candidates(axis, k)
                    if found:
                        other = 1 - axis

                        def key(ij):
                            crossing = ij[1] if axis == 0 else ij[0]
                            return (self.counts[ij], 0 if self.single(other, crossing) else 1, ij)

                        self.cells[min(found, key=key)] = True
                    else:
                        self.hide_total(axis, k)
                    changed = True

    def copy(self) -> "_Mask":
        other = _Mask(self.counts, self.primary)
        other.cells = self.cells.copy()
        other.rows, other.cols, other.grand = self.rows.copy(), self.cols.copy(), self.grand
        return other

    def hidden_value(self) -> int:
        return int(self.counts[self.cells].sum())

    def protect(self, i: int, j: int, exposed) -> None:
        """One more mask around the exposed cell ``(i, j)``.

        Each option (a non-zero published cell of its row or column, else its
        row total, its column total, the grand total) is tried with the
        classic rule applied after it; the first option that leaves ``(i,
        j)`` with two possible values or more wins, the one hiding the least
        count first (ties: the smaller cell, then table order). A cell is
        always preferred to a total; when no option frees ``(i, j)`` at once,
        the cheapest is taken and the caller checks again.
        """
        cells = sorted(set(self.candidates(0, i)) | set(self.candidates(1, j)), key=lambda ij: (self.counts[ij], ij))
        totals = [
            kind for kind, hidden in (("row", self.rows[i]), ("col", self.cols[j]), ("grand", self.grand)) if not hidden
        ]
        if not cells and not totals:  # pragma: no cover - a cell in no equation keeps its interval
            raise MaskingError("masquage impossible : une case reste calculable alors que tout est masqué.")

        def apply(state, option):
            if option == "row":
                state.rows[i] = True
            elif option == "col":
                state.cols[j] = True
            elif option == "grand":
                state.grand = True
            else:
                state.cells[option] = True
            state.classic_rule()

        trials = []
        for rank, option in enumerate(cells or totals):
            trial = self.copy()
            apply(trial, option)
            frees = not exposed(trial, (i, j))
            trials.append((not frees, trial.hidden_value() if cells else rank, rank, option))
        best = min(trials)[-1]
        apply(self, best)

    def prune(self, protected) -> None:
        """Publish again what the protection turns out not to need.

        The greedy steps may mask more than needed (a complement chosen early
        can be made useless by a later one). Each complementary cell, largest
        count first (ties: last in table order first), then each masked total
        (grand total, columns, rows), is published again if every masked cell
        stays protected without it. A line that shows its total never ends
        with a single masked cell: that cell would be exposed.
        """
        secondary = [tuple(ij) for ij in np.argwhere(self.cells & ~self.primary)]
        for ij in sorted(secondary, key=lambda ij: (self.counts[ij], ij), reverse=True):
            self.cells[ij] = False
            if not protected(self):
                self.cells[ij] = True
        if self.grand:
            self.grand = False
            if not protected(self):
                self.grand = True
        for hidden in (self.cols, self.rows):
            for k in np.flatnonzero(hidden):
                hidden[k] = False
                if not protected(self):
                    hidden[k] = True

    def published_totals(self):
        rows = np.where(self.rows, np.nan, self.counts.sum(axis=1)).astype(float)
        cols = np.where(self.cols, np.nan, self.counts.sum(axis=0)).astype(float)
        grand = np.nan if self.grand else float(self.counts.sum())
        return rows, cols, grand


def mask_counts(
    table: pd.DataFrame, min_size: int = DEFAULT_MIN_CELL_SIZE, totals: bool = True, zero_is_safe: bool = True
) -> MaskedTable:
    """Mask the small cells of a table of person counts, and their complements.

    Parameters
    ----------
    table : pandas.DataFrame
        Non-negative integer counts of persons, rows × columns (for example
        stakeholder category × period). Not modified.
    min_size : int, default 5
        The study's minimum cell size (``study.yml`` ``privacy.min_cell_size``):
        a cell with ``0 < count < min_size`` is masked.
    totals : bool, default True
        Whether row, column and grand totals are published. With ``False``
        only small cells are masked (nothing to subtract them from) and
        :meth:`MaskedTable.display` shows no margins.
    zero_is_safe : bool, default True
        Publish zeros (an empty cell designates nobody). With ``False``, a
        zero is masked like a small cell.

    Returns
    -------
    MaskedTable
        The publishable table: masked cells as ``pd.NA``, the primary and
        secondary masks, the published totals (``pd.NA`` where a total had to
        be masked). Every masked cell can take at least two values given what
        is published (checked by integer linear programming, see the module
        docstring and :func:`feasible_intervals`).

    Raises
    ------
    MaskingError
        For a table that is not of non-negative integer counts, or a
        threshold below 1.

    Examples
    --------
    >>> t = pd.DataFrame({"P1": [3, 12, 20], "P2": [10, 15, 30]}, index=["A", "B", "C"])
    >>> m = mask_counts(t)
    >>> m.masked.to_numpy().tolist()
    [[True, True], [True, True], [False, False]]
    >>> int(m.grand_total)
    90
    """
    min_size = _check_min_size(min_size)
    counts = _counts(table)
    small = (counts < min_size) & ((counts > 0) | (not zero_is_safe))
    state = _Mask(counts, small)
    distinguish = _distinguish(min_size, zero_is_safe)
    if totals and small.any():
        lower, upper = _bounds(small, min_size, zero_is_safe, distinguish, assume_marks=True)

        def first_exposed(s: _Mask, target=None):
            rows, cols, grand = s.published_totals()
            found = _intervals(
                counts,
                s.cells,
                lower,
                upper,
                rows,
                cols,
                grand,
                stop_at_exposed=True,
                targets=None if target is None else {target},
            )
            return next(((iv[0], iv[1]) for iv in found if _is_exposed(iv)), None)

        state.classic_rule()
        while (cell := first_exposed(state)) is not None:
            i, j = cell
            state.protect(i, j, exposed=lambda s, ij: first_exposed(s, ij) is not None)
        state.prune(lambda s: first_exposed(s) is None)
    return _build(table, counts, state, small, min_size, zero_is_safe, totals, distinguish)


def _build(
    table, counts, state, small, min_size, zero_is_safe, totals, distinguish, audience=None, shows_small_cells=False
) -> MaskedTable:
    values = pd.DataFrame(counts, index=table.index, columns=table.columns).astype("Int64")
    values = values.mask(pd.DataFrame(state.cells, index=table.index, columns=table.columns))
    if totals:
        rows, cols, grand = state.published_totals()
    else:
        rows = np.full(counts.shape[0], np.nan)
        cols = np.full(counts.shape[1], np.nan)
        grand = np.nan
    row_totals = pd.Series(rows, index=table.index).astype("Int64")
    col_totals = pd.Series(cols, index=table.columns).astype("Int64")
    return MaskedTable(
        values=values,
        masked=pd.DataFrame(state.cells.copy(), index=table.index, columns=table.columns),
        primary=pd.DataFrame(small & state.cells, index=table.index, columns=table.columns),
        row_totals=row_totals,
        col_totals=col_totals,
        grand_total=pd.NA if np.isnan(grand) else int(grand),
        min_size=min_size,
        zero_is_safe=zero_is_safe,
        totals=totals,
        audience=audience,
        shows_small_cells=shows_small_cells,
        n_small=int(small.sum()),
        distinguishes_primary=distinguish,
    )


def mask_for_audience(
    table: pd.DataFrame,
    audience: str,
    min_size: int = DEFAULT_MIN_CELL_SIZE,
    totals: bool = True,
    zero_is_safe: bool = True,
) -> MaskedTable:
    """Mask a table of person counts as its audience requires.

    Parameters
    ----------
    table : pandas.DataFrame
        Non-negative integer counts of persons.
    audience : {"partenaires", "equipe"}
        The report's audience (``reports.yml``). ``partenaires``: small cells
        and their complements are masked (:func:`mask_counts`). ``equipe``:
        nothing is masked, and :meth:`MaskedTable.note` says that small cells
        are shown and that the table is not for partners.
    min_size : int, default 5
        The study's ``privacy.min_cell_size``.
    totals, zero_is_safe : bool
        As in :func:`mask_counts`.

    Returns
    -------
    MaskedTable
        Same type for both audiences, so that a notebook does not branch.

    Raises
    ------
    MaskingError
        For an unknown audience, or a table :func:`mask_counts` refuses.
    """
    if audience not in AUDIENCES:
        raise MaskingError(f"public inconnu : {audience!r} ; attendu : {' ou '.join(AUDIENCES)}.")
    if audience == "partenaires":
        result = mask_counts(table, min_size=min_size, totals=totals, zero_is_safe=zero_is_safe)
        result.audience = audience
        return result
    min_size = _check_min_size(min_size)
    counts = _counts(table)
    small = (counts < min_size) & ((counts > 0) | (not zero_is_safe))
    state = _Mask(counts, np.zeros_like(small))
    return _build(
        table,
        counts,
        state,
        small,
        min_size,
        zero_is_safe,
        totals,
        _distinguish(min_size, zero_is_safe),
        audience=audience,
        shows_small_cells=True,
    )


def feasible_intervals(masked_table: MaskedTable, assume_marks: bool = True, integer: bool = True) -> pd.DataFrame:
    """The values each masked cell can take, given only what is published.

    Computed from the published cells and totals of ``masked_table`` alone
    (it holds no masked value): for each masked cell, the least and greatest
    value consistent with the published totals as equalities and
    non-negative cells (integer linear programming, HiGHS). Use it to audit a
    table: a row with ``low == high`` is a disclosed cell.

    Parameters
    ----------
    masked_table : MaskedTable
    assume_marks : bool, default True
        Also use what the marks say (« < 5 »: 1 to 4 persons, 0 to 4 with
        ``zero_is_safe=False``; « s »: at least 5), as a reader can. With
        ``False``, cells are only known to be non-negative (a weaker reader).
    integer : bool, default True
        Integer cells (exact); ``False`` gives the linear relaxation.

    Returns
    -------
    pandas.DataFrame
        ``row, column, primary, low, high`` (``low``/``high`` floats,
        ``high`` is ``inf`` when nothing bounds the cell), one line per
        masked cell in table order; ``row`` and ``column`` are the labels.
    """
    mt = masked_table
    masked = mt.masked.to_numpy(dtype=bool)
    primary = mt.primary.to_numpy(dtype=bool)
    published = mt.values.fillna(0).to_numpy(dtype=np.int64)
    lower, upper = _bounds(primary, mt.min_size, mt.zero_is_safe, mt.distinguishes_primary, assume_marks)
    rows = mt.row_totals.to_numpy(dtype=float, na_value=np.nan)
    cols = mt.col_totals.to_numpy(dtype=float, na_value=np.nan)
    grand = np.nan if pd.isna(mt.grand_total) else float(mt.grand_total)  # type: ignore[arg-type]  # int or NA
    found = _intervals(published, masked, lower, upper, rows, cols, grand, integer=integer)
    index, columns = mt.values.index, mt.values.columns
    return pd.DataFrame(
        {
            "row": [index[i] for i, _, _, _ in found],
            "column": [columns[j] for _, j, _, _ in found],
            "primary": [bool(primary[i, j]) for i, j, _, _ in found],
            "low": [low for _, _, low, _ in found],
            "high": [high for _, _, _, high in found],
        },
        columns=["row", "column", "primary", "low", "high"],
    )
