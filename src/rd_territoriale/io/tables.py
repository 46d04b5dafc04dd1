"""Locate and read a study's table file, whatever its format."""

from __future__ import annotations

from pathlib import Path

from rd_territoriale.errors import Problem
from rd_territoriale.io.csv import read_csv
from rd_territoriale.io.excel import read_xlsx
from rd_territoriale.io.raw import RawTable, empty_raw

READERS = {".csv": read_csv, ".xlsx": read_xlsx}


def find_table_file(folder: Path, name: str) -> tuple[Path | None, list[Path]]:
    """Files that could hold table ``name`` in ``folder`` (``name.csv``, ``name.xlsx``).

    Returns the single match (or ``None``) and every candidate found.
    """
    found = [folder / f"{name}{ext}" for ext in READERS if (folder / f"{name}{ext}").is_file()]
    return (found[0] if len(found) == 1 else None), found


def read_table(folder: Path, name: str, required: bool = True) -> RawTable | None:
    """Read table ``name`` from ``folder``.

    Returns
    -------
    RawTable or None
        ``None`` when an optional table is absent. A required table that is
        absent, or present twice (CSV and XLSX), comes back empty with the
        problem recorded.
    """
    path, found = find_table_file(Path(folder), name)
    if len(found) > 1:
        return empty_raw(
            name,
            found[0].name,
            [
                Problem(
                    found[0].name,
                    None,
                    None,
                    None,
                    f"un seul fichier pour la table « {name} » ; trouvés : "
                    f"{', '.join(p.name for p in found)} (supprimez ou renommez l'un d'eux)",
                )
            ],
        )
    if path is None:
        if not required:
            return None
        return empty_raw(
            name,
            f"{name}.csv",
            [
                Problem(
                    f"{name}.csv",
                    None,
                    None,
                    None,
                    f"le fichier de la table « {name} » ({name}.csv ou {name}.xlsx) dans le dossier de l'étude",
                )
            ],
        )
    return READERS[path.suffix](path, name)
