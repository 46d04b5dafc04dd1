"""Exceptions and the validation problem record.

Every user-facing message is in French. A :class:`Problem` locates one
defect as a spreadsheet shows it: file, line (header = line 1), column.
"""

from __future__ import annotations

from dataclasses import dataclass

from rd_territoriale.french import plural_s


class RdTerritorialeError(Exception):
    """Base class of every error raised by rd-territoriale."""


@dataclass(frozen=True)
class Problem:
    """One defect found in a study's files.

    Parameters
    ----------
    file : str
        File name relative to the study folder (``segments.csv``).
    line : int or None
        Line as a spreadsheet shows it (header = 1); ``None`` for a defect of
        the whole file.
    column : str or None
        Column name; ``None`` for a defect of a whole row or file.
    value : str or None
        The value found, as written in the file.
    expected : str
        The rule the value breaks, in French.
    letter : str or None
        Spreadsheet column letter (``A``, ``B``… ``AA``) when known.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    letter: str | None = None

    def location(self, with_file: bool = True) -> str:
        """``fichier, ligne N, colonne X « nom »`` in French."""
        parts = [self.file] if with_file else []
        if self.line is not None:
            parts.append(f"ligne {self.line}")
        if self.column is not None:
            col = f"colonne {self.letter} « {self.column} »" if self.letter else f"colonne « {self.column} »"
            parts.append(col)
        return ", ".join(parts) or "fichier entier"

    def message(self, with_file: bool = True) -> str:
        """The problem in one French sentence."""
        found = "" if self.value is None else f"valeur « {self.value} » — "
        return f"{self.location(with_file)} : {found}attendu : {self.expected}"

    def __str__(self) -> str:
        return self.message()


class ValidationError(RdTerritorialeError):
    """A study folder holds invalid data; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem], folder: str = ""):
        self.problems = list(problems)
        self.folder = folder
        n = len(self.problems)
        head = f"{n} problème{plural_s(n)} dans les données{f' de {folder}' if folder else ''}"
        body = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  … et {n - 50} autres" if n > 50 else ""
        super().__init__(f"{head} :\n{body}{more}")
