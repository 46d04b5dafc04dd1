"""The raw table: strings as written, with their spreadsheet positions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rd_territoriale.errors import Problem


def column_letter(position: int) -> str:
    """Spreadsheet letter of a 0-based column position (0 -> ``A``, 26 -> ``AA``)."""
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class RawTable:
    """A table as read from its file, before any typing.

    Attributes
    ----------
    name : str
        Table name (``segments``).
    file : str
        File name shown in messages (``segments.csv``).
    frame : pandas.DataFrame
        Every cell as a stripped string; empty cells are ``pd.NA``. Column
        names are normalised (stripped, lower case).
    lines : numpy.ndarray
        Spreadsheet line of each row (header = line 1).
    header : list of str
        Normalised column names in file order (for column letters).
    problems : list of Problem
        Problems met while reading (encoding, separator, empty file…).
    cell_lines : dict
        Optional per-column line arrays (used for YAML sections, where each
        field sits on its own line).
    header_line : int
        Line that holds the column names (where a missing column is reported).
    """

    name: str
    file: str
    frame: pd.DataFrame
    lines: np.ndarray
    header: list[str]
    problems: list[Problem] = field(default_factory=list)
    cell_lines: dict = field(default_factory=dict)
    header_line: int = 1

    def letter(self, column: str | None) -> str | None:
        """Spreadsheet letter of ``column``, or ``None`` if absent/not tabular."""
        if column is None or column not in self.header or self.cell_lines:
            return None
        return column_letter(self.header.index(column))

    def line_of(self, column: str | None, positions) -> np.ndarray:
        """Lines of the rows at integer ``positions`` (per cell when known)."""
        if column is not None and column in self.cell_lines:
            return np.asarray(self.cell_lines[column])[positions]
        return self.lines[positions]

    def problem(self, positions, column, values, expected) -> list[Problem]:
        """Build problems for rows at ``positions`` of ``column``."""
        lines = self.line_of(column, np.asarray(positions, dtype=int))
        letter = self.letter(column)
        out = []
        for line, value in zip(lines.tolist(), values):
            shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            out.append(Problem(self.file, int(line), column, shown, expected, letter))
        return out


def empty_raw(name: str, file: str, problems: list[Problem]) -> RawTable:
    """A raw table with no rows, carrying the problems that emptied it."""
    return RawTable(name, file, pd.DataFrame(), np.zeros(0, dtype=int), [], problems)


def tidy_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Strip cells, turn empty cells into NA, drop blank rows.

    Returns the frame and the spreadsheet line of each remaining row
    (header = line 1, first data row = line 2).
    """
    lines = np.arange(len(frame), dtype=int) + 2
    frame = frame.copy()
    for col in frame.columns:
        s = frame[col].astype("string").str.strip()
        frame[col] = s.mask(s == "")
    if len(frame.columns):
        keep = frame.notna().any(axis=1).to_numpy()
        frame = frame.loc[keep].reset_index(drop=True)
        lines = lines[keep]
    return frame, lines


def normalise_header(columns) -> list[str]:
    """Header names stripped (BOM and spaces) and lower-cased."""
    return [str(c).replace("\ufeff", "").strip().lower() for c in columns]
