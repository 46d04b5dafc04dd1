"""What the importers of QDA exports (Taguette, REFI-QDA) share.

Identifiers made from names, dates read from names, and frames shaped like
the study's tables.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from rd_territoriale.french import slug
from rd_territoriale.study.contract import TABLES

# A date written in a file name: 20211119, 2021-11-19, 2021_11_19, 2021.11.19.
_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)")


def slugify_id(text: str, fallback: str = "x") -> str:
    """A stable identifier: ASCII, lower case, words joined by ``_``.

    ``Export (meta)data useful`` → ``export_meta_data_useful``.
    """
    return slug(text, "_") or fallback


def unique_ids(names, fallback: str, strip_extension: bool = False) -> dict[str, str]:
    """Map each distinct name (in sorted order) to a unique slug.

    With ``strip_extension``, a file extension (``.odt``) is left out of the slug.
    """
    used: set[str] = set()
    out: dict[str, str] = {}
    for name in sorted(set(names)):
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name) if strip_extension else name
        out[name] = free_id(slugify_id(stem, fallback), used)
    return out


def free_id(base: str, used: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``… the first not in ``used``; added to ``used``."""
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate)
    return candidate


def date_from_name(name: str) -> str | None:
    """The ISO date written in a document name, or ``None``.

    ``P2_GMT20211119.odt`` → ``2021-11-19``.
    """
    for match in _DATE_IN_NAME.finditer(str(name)):
        year, _, month, day = match.groups()
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return None


def iso_date(value) -> str | None:
    """An ISO date from ``AAAA-MM-JJ`` (or a timestamp), or ``None`` when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return pd.Timestamp(value.strip()).date().isoformat()
    except (ValueError, TypeError):
        return None


def contract_strings(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Columns of ``table`` in contract order (required ones, plus optional present)."""
    spec = TABLES[table]
    cols = [c.name for c in spec.columns if c.required or c.name in frame]
    out = pd.DataFrame({c: frame[c] if c in frame else pd.NA for c in cols}, index=frame.index)
    return out.astype("string").reset_index(drop=True)


from rd_territoriale.french import plural  # noqa: E402, F401 - re-exported for the importers; its home is french.py
