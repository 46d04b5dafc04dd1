"""Small-cell masking with complementary suppression (``privacy.masking``).

Hand-made tables with known answers. Protection is checked twice: by the
module's own linear programming (:func:`feasible_intervals`) and by an
independent brute-force enumeration of every integer filling of the masked
cells that agrees with what is published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rd_territoriale.privacy.masking import (
    SECONDARY_MARK,
    TOTAL_LABEL,
    MaskedTable,
    MaskingError,
    feasible_intervals,
    mask_counts,
    mask_for_audience,
    primary_mark,
)

SMALL = primary_mark(5)  # « < 5 » with a no-break space


def frame(rows, index=None, columns=None) -> pd.DataFrame:
    rows = np.asarray(rows)
    return pd.DataFrame(
        rows,
        index=index or [f"C{i}" for i in range(rows.shape[0])],
        columns=columns or [f"P{j}" for j in range(rows.shape[1])],
    )


def masked_cells(mt: MaskedTable) -> set[tuple[int, int]]:
    return {(int(i), int(j)) for i, j in np.argwhere(mt.masked.to_numpy())}


def french_int(text: str) -> int:
    return int(text.replace("\u202f", ""))


# --- an independent reader: brute-force enumeration ---------------------------


def brute_force(mt: MaskedTable, assume_marks: bool = True) -> dict[tuple[int, int], set[int]]:
    """Every value each masked cell takes over all integer fillings that agree
    with the published cells and totals (and, with ``assume_marks``, with what
    the marks say: « < 5 » is 1..4, « s » is ≥ 5). Depth-first, a cell being
    computed rather than enumerated when it is the last unknown of a total."""
    values = mt.values.to_numpy(dtype=float, na_value=np.nan)
    masked = mt.masked.to_numpy()
    primary = mt.primary.to_numpy()
    cells = [(int(i), int(j)) for i, j in np.argwhere(masked)]
    equations = []  # (indices of cells in `cells`, value they must sum to)
    for i, total in enumerate(mt.row_totals):
        if not pd.isna(total):
            equations.append(([k for k, c in enumerate(cells) if c[0] == i], int(total) - int(np.nansum(values[i]))))
    for j, total in enumerate(mt.col_totals):
        if not pd.isna(total):
            equations.append(([k for k, c in enumerate(cells) if c[1] == j], int(total) - int(np.nansum(values[:, j]))))
    if not pd.isna(mt.grand_total):
        equations.append((list(range(len(cells))), int(mt.grand_total) - int(np.nansum(values))))
    equations = [(members, rhs) for members, rhs in equations if members]

    def bounds(k):
        cap = min((rhs for members, rhs in equations if k in members), default=None)
        assert cap is not None, "brute force needs every masked cell in a published total"
        i, j = cells[k]
        if not assume_marks:
            return 0, cap
        if primary[i, j]:
            return 1, min(4, cap)
        return 5, cap

    ranges = [bounds(k) for k in range(len(cells))]
    seen = {c: set() for c in cells}
    assignment = [None] * len(cells)

    def consistent() -> bool:
        for members, rhs in equations:
            known = [assignment[k] for k in members if assignment[k] is not None]
            if sum(known) > rhs or (len(known) == len(members) and sum(known) != rhs):
                return False
        return True

    def forced(k):
        for members, rhs in equations:
            if k in members and all(assignment[m] is not None for m in members if m != k):
                return rhs - sum(assignment[m] for m in members if m != k)
        return None

    def visit(k):
        if k == len(cells):
            for c, v in zip(cells, assignment):
                seen[c].add(v)
            return
        lo, hi = ranges[k]
        value = forced(k)
        for v in [value] if value is not None else range(lo, hi + 1):
            if lo <= v <= hi:
                assignment[k] = v
                if consistent():
                    visit(k + 1)
        assignment[k] = None

    visit(0)
    return seen


def assert_protected(mt: MaskedTable, table: pd.DataFrame, brute: bool = True) -> None:
    """Every masked cell can take ≥ 2 values, for the LP and for brute force,
    under both readers (marks known or only non-negativity); the true value is
    among them; the LP bounds equal the brute-force extremes."""
    truth = table.to_numpy()
    for assume_marks in (True, False):
        lp = feasible_intervals(mt, assume_marks=assume_marks)
        assert len(lp) == mt.n_masked
        assert (lp["low"] < lp["high"]).all(), lp
        rows, cols = list(table.index), list(table.columns)
        for r in lp.itertuples():
            i, j = rows.index(r.row), cols.index(r.column)
            assert r.low <= truth[i, j] <= r.high
        if not brute:
            continue
        found = brute_force(mt, assume_marks=assume_marks)
        for r in lp.itertuples():
            i, j = rows.index(r.row), cols.index(r.column)
            taken = found[(i, j)]
            assert len(taken) >= 2, (r, taken)
            assert truth[i, j] in taken
            assert (min(taken), max(taken)) == (r.low, r.high)


def assert_classic_rule(mt: MaskedTable) -> None:
    """A line that shows its total never holds exactly one masked cell."""
    masked = mt.masked.to_numpy()
    for i, total in enumerate(mt.row_totals):
        if not pd.isna(total):
            assert masked[i].sum() != 1, f"ligne {i}"
    for j, total in enumerate(mt.col_totals):
        if not pd.isna(total):
            assert masked[:, j].sum() != 1, f"colonne {j}"


# --- the cases ------------------------------------------------------------------


class TestOneSmallCell:
    TABLE = frame([[3, 10], [12, 15], [20, 30]])

    def test_complements_in_its_row_and_column(self):
        mt = mask_counts(self.TABLE)
        masked = mt.masked.to_numpy()
        assert mt.primary.to_numpy().sum() == 1 and mt.primary.iloc[0, 0]
        assert masked[0].sum() >= 2 and masked[:, 0].sum() >= 2
        assert_classic_rule(mt)

    def test_every_masked_cell_takes_two_values(self):
        mt = mask_counts(self.TABLE)
        assert_protected(mt, self.TABLE)

    def test_values_and_totals(self):
        mt = mask_counts(self.TABLE)
        assert mt.values.dtypes.eq("Int64").all()
        assert mt.values.isna().to_numpy().tolist() == mt.masked.to_numpy().tolist()
        assert mt.row_totals.tolist() == [13, 27, 50]
        assert mt.col_totals.tolist() == [35, 55]
        assert mt.grand_total == 90
        assert mt.n_masked == 4 and mt.n_primary == 1 and mt.n_secondary == 3
        assert mt.secondary.to_numpy().sum() == 3


class TestPinned:
    def test_rectangle(self):
        # Table (rows A, B, C × columns P1, P2, P3), threshold 5:
        #        P1  P2  P3 | Total
        #   A     3  12   8 |  23
        #   B    10   6  15 |  31
        #   C     7  20   9 |  36
        # Primary: A·P1 = 3 (the only count in 1..4).
        # Classic rule, rows first then columns, smallest non-zero complement:
        #   row A holds one masked cell → smallest of {12, 8} → A·P3 = 8;
        #   column P1 holds one → smallest of {10, 7} → C·P1 = 7;
        #   column P3 holds one (A·P3) → smallest of {15, 9} → C·P3 = 9;
        #   row C now holds two; every line holds 0 or 2: stable.
        # LP check (a reader knows A·P1 ∈ 1..4 and every « s » ≥ 5): with
        # t = A·P1, row A gives A·P3 = 11 − t, column P1 gives C·P1 = 10 − t,
        # row C gives C·P3 = 6 + t; C·P1 ≥ 5 ⇒ t ≤ 5, so t ∈ [1, 4]:
        #   A·P1 ∈ [1, 4], A·P3 ∈ [7, 10], C·P1 ∈ [6, 9], C·P3 ∈ [7, 10].
        # Clean-up: publishing any complement leaves a line with one masked
        # cell, computable from its total: all four stay masked.
        # Reader knowing only non-negativity: t ∈ [0, 10] (C·P1 = 10 − t ≥ 0),
        #   A·P3 ∈ [1, 11], C·P1 ∈ [0, 10], C·P3 ∈ [6, 16].
        table = frame([[3, 12, 8], [10, 6, 15], [7, 20, 9]], index=["A", "B", "C"], columns=["P1", "P2", "P3"])
        mt = mask_counts(table)
        assert masked_cells(mt) == {(0, 0), (0, 2), (2, 0), (2, 2)}
        assert mt.n_masked_totals == 0
        lp = feasible_intervals(mt).set_index(["row", "column"])
        assert lp.loc[("A", "P1"), ["low", "high"]].tolist() == [1, 4]
        assert lp.loc[("A", "P3"), ["low", "high"]].tolist() == [7, 10]
        assert lp.loc[("C", "P1"), ["low", "high"]].tolist() == [6, 9]
        assert lp.loc[("C", "P3"), ["low", "high"]].tolist() == [7, 10]
        weak = feasible_intervals(mt, assume_marks=False).set_index(["row", "column"])
        assert weak[["low", "high"]].to_numpy().tolist() == [[0, 10], [1, 11], [0, 10], [6, 16]]
        assert_protected(mt, table)
        shown = mt.display()
        assert shown.loc["A"].tolist() == [SMALL, "12", SECONDARY_MARK, "23"]
        assert shown.loc["B"].tolist() == ["10", "6", "15", "31"]
        assert shown.loc["C"].tolist() == [SECONDARY_MARK, "20", SECONDARY_MARK, "36"]
        assert shown.loc[TOTAL_LABEL].tolist() == ["20", "38", "32", "90"]

    def test_linear_programming_adds_a_complement_the_classic_rule_misses(self):
        # Threshold 5, primary 0·0 = 1:
        #     1   5  100 | 106
        #    20  30   40 |  90
        #    50  60   70 | 180
        # Classic rule: row 0 → 5 (0·1); column 0 → 20 (1·0); column 1 → 30
        # (1·1): a rectangle, every line holds two masked cells. But row 0
        # says 0·0 + 0·1 = 6 and the reader knows 0·1 ≥ 5 (it is « s », not
        # « < 5 ») and 0·0 ≥ 1: so 0·0 = 1. The LP finds it exposed. Options
        # around 0·0: 50 (2·0) does not free it (row 0 unchanged); 100 (0·2)
        # does, with 40 (1·2) as its column complement (smaller than 70).
        # Clean-up keeps all six: each one removed re-exposes a cell.
        table = frame([[1, 5, 100], [20, 30, 40], [50, 60, 70]])
        mt = mask_counts(table)
        assert masked_cells(mt) == {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)}
        lp = feasible_intervals(mt)
        assert lp.iloc[0][["low", "high"]].tolist() == [1, 4]
        assert_protected(mt, table)


class TestTwoSmallCellsInARow:
    TABLE = frame([[2, 3, 10, 8], [6, 9, 7, 9], [12, 15, 11, 20]])

    def test_protected(self):
        mt = mask_counts(self.TABLE)
        masked = mt.masked.to_numpy()
        assert mt.n_primary == 2 and masked[0, 0] and masked[0, 1]
        assert masked[:, 0].sum() >= 2 and masked[:, 1].sum() >= 2
        assert_classic_rule(mt)
        assert_protected(mt, self.TABLE)

    def test_the_row_needs_no_third_cell(self):
        # Row 0: the two small cells protect each other (2 + 3 = 5, each 1..4).
        mt = mask_counts(self.TABLE)
        assert mt.masked.to_numpy()[0].sum() == 2


class TestAloneInTwoByTwo:
    def test_every_cell_masked(self):
        table = frame([[3, 10], [10, 20]])
        mt = mask_counts(table)
        assert mt.masked.to_numpy().all()
        assert mt.row_totals.tolist() == [13, 30] and mt.col_totals.tolist() == [13, 30]
        assert mt.grand_total == 43
        assert_protected(mt, table)

    def test_totals_masked_when_no_complement_exists(self):
        # 3 has only zeros beside it: a zero is never a complement, so the
        # totals of its row and column are masked; the grand total too, or
        # 10 − 7 would give the 3 back.
        table = frame([[3, 0], [0, 7]])
        mt = mask_counts(table)
        assert masked_cells(mt) == {(0, 0)}
        assert mt.row_totals.isna().tolist() == [True, False]
        assert mt.col_totals.isna().tolist() == [True, False]
        assert pd.isna(mt.grand_total)
        assert mt.n_masked_totals == 3
        assert feasible_intervals(mt)[["low", "high"]].to_numpy().tolist() == [[1, 4]]
        shown = mt.display()
        assert shown.loc["C0", TOTAL_LABEL] == SECONDARY_MARK
        assert shown.loc[TOTAL_LABEL].tolist() == [SECONDARY_MARK, "7", SECONDARY_MARK]
        assert shown.loc["C1"].tolist() == ["0", "7", "7"]
        assert "total masqué" in mt.note()


class TestNothingToMask:
    def test_no_small_cell(self):
        table = frame([[5, 12], [8, 30]])
        mt = mask_counts(table)
        assert mt.n_masked == 0 and mt.n_masked_totals == 0
        assert mt.values.astype(int).equals(table)
        assert feasible_intervals(mt).empty
        assert "Aucune case n'est masquée" in mt.note()
        assert mt.display().loc[TOTAL_LABEL].tolist() == ["13", "42", "55"]

    def test_zeros_are_not_masked_by_default(self):
        table = frame([[0, 12, 9], [8, 0, 15]])
        mt = mask_counts(table)
        assert mt.n_masked == 0
        assert "zéros sont affichés" in mt.note()

    def test_zeros_masked_on_request(self):
        table = frame([[0, 12, 9], [8, 6, 15], [7, 11, 10]])
        mt = mask_counts(table, zero_is_safe=False)
        assert mt.primary.iloc[0, 0] and mt.n_primary == 1
        assert_classic_rule(mt)
        assert_protected(mt, table, brute=False)
        assert "de 0 à 4 personnes" in mt.note()


class TestAudience:
    TABLE = frame([[3, 10], [12, 15], [20, 30]])

    def test_equipe_shows_small_cells(self):
        mt = mask_for_audience(self.TABLE, "equipe", min_size=5)
        assert isinstance(mt, MaskedTable)
        assert mt.n_masked == 0 and mt.shows_small_cells and mt.n_small == 1
        assert mt.display().loc["C0", "P0"] == "3"
        note = mt.note()
        assert "équipe de recherche" in note and "Ne pas diffuser aux partenaires" in note

    def test_partenaires_masks(self):
        mt = mask_for_audience(self.TABLE, "partenaires", min_size=5)
        assert mt.audience == "partenaires" and not mt.shows_small_cells
        assert masked_cells(mt) == masked_cells(mask_counts(self.TABLE))

    def test_threshold_from_the_study(self):
        mt = mask_for_audience(self.TABLE, "partenaires", min_size=11)
        assert mt.primary.to_numpy().sum() == 2  # 3 and 10
        assert mt.display().loc["C0", "P0"] == primary_mark(11)

    def test_unknown_audience(self):
        with pytest.raises(MaskingError, match="public inconnu"):
            mask_for_audience(self.TABLE, "public")


class TestDisplay:
    TABLE = frame([[2, 3, 10, 8], [6, 9, 7, 9], [12, 15, 11, 1234]])

    def test_masked_values_never_shown(self):
        mt = mask_counts(self.TABLE)
        shown = mt.display()
        body = shown.drop(index=TOTAL_LABEL, columns=TOTAL_LABEL)
        for i, j in masked_cells(mt):
            expected = SMALL if mt.primary.iloc[i, j] else SECONDARY_MARK
            assert body.iloc[i, j] == expected
        for (i, j), value in np.ndenumerate(self.TABLE.to_numpy()):
            if (i, j) not in masked_cells(mt):
                assert french_int(body.iloc[i, j]) == value

    def test_totals_are_the_true_totals(self):
        mt = mask_counts(self.TABLE)
        shown = mt.display()
        assert [french_int(v) for v in shown[TOTAL_LABEL].iloc[:-1]] == self.TABLE.sum(axis=1).tolist()
        assert [french_int(v) for v in shown.loc[TOTAL_LABEL].iloc[:-1]] == self.TABLE.sum().tolist()
        assert french_int(shown.loc[TOTAL_LABEL, TOTAL_LABEL]) == self.TABLE.to_numpy().sum()

    def test_french_number_format(self):
        shown = mask_counts(self.TABLE).display()
        assert shown.loc["C2", "P3"] == "1\u202f234"
        assert mask_counts(self.TABLE).display(fmt="brut").loc["C2", "P3"] == "1234"
        with pytest.raises(MaskingError, match="format d'affichage"):
            mask_counts(self.TABLE).display(fmt="anglais")

    def test_note_explains_both_marks(self):
        note = mask_counts(self.TABLE).note()
        assert f"« {SMALL} » : effectif de 1 à 4 personnes" in note
        assert "« s » : valeur masquée en complément (secret statistique)" in note
        assert "cases masquées comprises" in note

    def test_without_totals(self):
        mt = mask_counts(self.TABLE, totals=False)
        assert mt.n_secondary == 0 and mt.n_primary == 2
        shown = mt.display()
        assert TOTAL_LABEL not in shown.index and TOTAL_LABEL not in shown.columns
        assert shown.iloc[0, :2].tolist() == [SMALL, SMALL]

    def test_multiindex(self):
        table = self.TABLE.copy()
        table.index = pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "z")])
        shown = mask_counts(table).display()
        assert shown.index[-1] == (TOTAL_LABEL, "")

    def test_threshold_two_uses_a_single_mark(self):
        # « < 2 » would say « 1 »: every masked cell reads « s ».
        table = frame([[1, 6, 9], [7, 8, 12], [3, 5, 10]])
        mt = mask_counts(table, min_size=2)
        assert not mt.distinguishes_primary and mt.n_primary == 1
        assert set(mt.display().to_numpy().ravel()) >= {SECONDARY_MARK}
        assert primary_mark(2) not in mt.display().to_numpy().ravel()
        lp = feasible_intervals(mt)
        assert (lp["low"] < lp["high"]).all()


class TestRandomTables:
    @pytest.mark.parametrize("seed", range(12))
    def test_random_small_tables(self, seed):
        rng = np.random.default_rng(seed)
        shape = [(3, 3), (3, 4), (4, 3)][seed % 3]
        table = frame(rng.poisson(6, size=shape))
        mt = mask_counts(table)
        assert_classic_rule(mt)
        assert_protected(mt, table)
        small = (table.to_numpy() > 0) & (table.to_numpy() < 5)
        assert (mt.primary.to_numpy() == small).all()

    def test_larger_table(self):
        rng = np.random.default_rng(42)
        table = frame(rng.poisson(7, size=(8, 5)))
        mt = mask_counts(table)
        assert mt.n_primary > 0
        assert_classic_rule(mt)
        assert_protected(mt, table, brute=False)


class TestAuditCatchesDisclosure:
    def test_primary_suppression_alone_is_disclosive(self):
        # Only the small cell masked, totals published: both readers compute it.
        from dataclasses import replace

        table = frame([[3, 10], [12, 15], [20, 30]])
        bare = mask_counts(table, totals=False)
        leaky = replace(
            bare,
            totals=True,
            row_totals=table.sum(axis=1).astype("Int64"),
            col_totals=table.sum().astype("Int64"),
            grand_total=int(table.to_numpy().sum()),
        )
        lp = feasible_intervals(leaky, assume_marks=False)
        assert lp[["low", "high"]].to_numpy().tolist() == [[3, 3]]
        assert brute_force(leaky, assume_marks=False) == {(0, 0): {3}}


class TestInputErrors:
    @pytest.mark.parametrize(
        "bad, words",
        [
            (frame([[1, -2]]), "positifs ou nuls"),
            (frame([[1.5, 2]]), "entiers"),
            (pd.DataFrame({"a": [1, None]}), "valeurs manquantes"),
            (pd.DataFrame({"a": ["x", "y"]}), "non numériques"),
        ],
    )
    def test_not_counts(self, bad, words):
        with pytest.raises(MaskingError, match=words):
            mask_counts(bad)

    @pytest.mark.parametrize("size", [0, -1, 2.5, True])
    def test_bad_threshold(self, size):
        with pytest.raises(MaskingError, match="seuil"):
            mask_counts(frame([[1, 2]]), min_size=size)

    def test_input_not_modified(self):
        table = frame([[3, 10], [12, 15]])
        before = table.copy()
        mask_counts(table)
        pd.testing.assert_frame_equal(table, before)
