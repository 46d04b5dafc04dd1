"""The codebook as the analyses read it: each code's label in its latest version.

A codebook evolves (codes renamed, merged, split, dropped); versions are kept
in the ``codebook`` table. Displays name a code by the label of the latest
version that defines it, so that a code keeps one name across a report.

DataFrames in, dicts out; no plotting, no file I/O.
"""

from __future__ import annotations

import pandas as pd


def latest_definitions(codebook: pd.DataFrame) -> pd.DataFrame:
    """One row per code: its definition in the latest version that has it.

    Parameters
    ----------
    codebook : pandas.DataFrame
        ``code, label, version`` and any other codebook column.

    Returns
    -------
    pandas.DataFrame
        The codebook rows of each code's highest version, indexed by code,
        in the order codes first appear in ``codebook``.
    """
    order = list(dict.fromkeys(codebook["code"].astype(str)))
    latest = codebook.sort_values("version", kind="mergesort").drop_duplicates("code", keep="last")
    return latest.set_index(latest["code"].astype(str)).reindex(order)


def code_labels(codebook: pd.DataFrame) -> dict[str, str]:
    """``{code: label}``, each code named as in the latest version that defines it.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["a", "a"], "label": ["Ancien", "Nouveau"], "version": [1, 2]})
    >>> code_labels(book)
    {'a': 'Nouveau'}
    """
    latest = latest_definitions(codebook)
    return {code: str(label) for code, label in latest["label"].items()}
