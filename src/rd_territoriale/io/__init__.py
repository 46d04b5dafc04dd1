"""Readers for the files a researcher enters: CSV (UTF-8 or French Excel), XLSX.

Readers return :class:`RawTable` objects: every cell as a stripped string,
the spreadsheet line of every row, and the problems met while reading. They
never interpret types; :mod:`rd_territoriale.schema` does.
"""

from .raw import RawTable, column_letter
from .tables import find_table_file, read_table

__all__ = ["RawTable", "column_letter", "find_table_file", "read_table"]
