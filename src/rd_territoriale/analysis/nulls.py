"""Null studies: the example (or any case) with one kind of structure destroyed by a shuffle.

A claim of the reports (« ce code change entre deux périodes », « cette
catégorie en parle plus que les autres ») promises an error rate: chance
alone should produce it in about 5 % of studies where nothing happens.
These shuffles make such studies from a real one while keeping everything
else as it is:

- ``dates``: the dates of the documents are shuffled among the documents,
  and those of the journal entries among the entries (each period keeps its
  number of interviews and of entries). Every source keeps its codes,
  speakers and words; codes no longer follow periods.
- ``categories``: the stakeholder category is shuffled among the persons who
  are not researchers. Every person keeps their words; categories no longer
  mean anything.
- ``codes``: within each period and kind of source (interviews and other
  documents, journal), the codes are shuffled among the segments of the
  primary coder. Each period keeps how often each code is used in each kind
  of source; which codes meet in a source is left to chance.

Used by ``benchmarks/calibration.py`` and by the tests that check the error
rate of each claim. DataFrames in, Case out; no file I/O.
"""

from __future__ import annotations

import numpy as np

from rd_territoriale.analysis.matrices import coder_segments
from rd_territoriale.study.case import Case, derive_tables
from rd_territoriale.study.contract import TABLES

KINDS = ("dates", "categories", "codes")


def null_case(case: Case, kind: str, seed: int) -> Case:
    """A copy of ``case`` with one structure shuffled (module docstring).

    Parameters
    ----------
    case : Case
    kind : {"dates", "categories", "codes"}
    seed : int
        Seed of :func:`numpy.random.default_rng`: the same seed gives the
        same null study.

    Returns
    -------
    Case
    """
    if kind not in KINDS:
        raise ValueError(f"mélange inconnu : « {kind} » ; attendu : {', '.join(KINDS)}.")
    rng = np.random.default_rng(seed)
    tables = {name: getattr(case, name).copy() for name in TABLES}
    if kind == "dates":
        for name in ("documents", "journal"):
            dates = tables[name]["date"].to_numpy()
            tables[name]["date"] = dates[rng.permutation(len(dates))]
        tables = derive_tables(tables, case.study)
    elif kind == "categories":
        people = tables["people"]
        actors = ~people["is_researcher"].fillna(False).astype(bool).to_numpy()
        values = people.loc[actors, "category"].to_numpy()
        people.loc[actors, "category"] = values[rng.permutation(len(values))]
    else:
        seg = tables["segments"]
        primary = coder_segments(case).index
        chosen = seg.loc[seg.index.isin(primary)]
        codes = seg["code"].copy()
        keys = [chosen["period"].astype("string").fillna(""), chosen["source_kind"].astype("string").fillna("")]
        for _, rows in chosen.groupby(keys).groups.items():
            rows = np.asarray(rows)
            codes.loc[rows] = codes.loc[rows].to_numpy()[rng.permutation(len(rows))]
        seg["code"] = codes
    return Case(study=case.study, fingerprint=f"{case.fingerprint}-nul-{kind}-{seed}", **tables)
