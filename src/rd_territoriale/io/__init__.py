"""Readers for the files a researcher enters: CSV (UTF-8 or French Excel), XLSX.

Readers return :class:`RawTable` objects: every cell as a stripped string,
the spreadsheet line of every row, and the problems met while reading. They
never interpret types; :mod:`rd_territoriale.study.schema` does.

Names are imported lazily so that :mod:`rd_territoriale.io.text` (standard
library only) can be used without loading pandas.
"""

__all__ = ["RawTable", "column_letter", "find_table_file", "read_table"]


def __getattr__(name):
    if name in ("RawTable", "column_letter"):
        from rd_territoriale.io import raw

        return getattr(raw, name)
    if name in ("find_table_file", "read_table"):
        from rd_territoriale.io import tables

        return getattr(tables, name)
    raise AttributeError(name)
