"""The Case: a validated study, typed, joined and cached.

:func:`load_case` is what notebooks call. It validates the study folder (all
problems at once, see :mod:`rd_territoriale.study.schema`), types every column,
derives the period of every dated row (a period is never typed twice) and
caches the typed tables as parquet under ``<study>/processed/cache/``, keyed
by the content hash of the data files and of the package's contract, so that
the next load takes a fraction of a second. Raw files are never modified.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rd_territoriale.errors import ValidationError
from rd_territoriale.study import parsing as P
from rd_territoriale.study.contract import SECTION_TABLES, TABLES, Table
from rd_territoriale.study.definition import Study, assign_periods, build_study, read_study_file
from rd_territoriale.study.fingerprint import code_fingerprint, data_files, fingerprint  # noqa: F401  (re-exported)

CACHE_DIR = Path("processed") / "cache"
_LIST_TABLE_COLUMNS = {(t.name, c.name) for t in TABLES.values() for c in t.columns if c.kind == "list"}


# The modules that decide how data are read and typed: a change in one of them
# invalidates the cache (a change elsewhere, a report template say, does not).
CACHE_CODE = (
    "study/contract.py",
    "study/parsing.py",
    "study/case.py",
    "study/definition.py",
    "study/schema.py",
    "study/relations.py",
    "study/fingerprint.py",
    "io/csv.py",
    "io/excel.py",
    "io/raw.py",
    "io/text.py",
    "io/tables.py",
)


def type_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Convert a validated string frame to the contract's types.

    Optional columns absent from the file are added, empty.
    """
    out = {}
    n = len(frame)
    for col in table.columns:
        s = frame[col.name] if col.name in frame else pd.Series([pd.NA] * n, dtype="string", index=frame.index)
        if col.kind == "date":
            out[col.name] = P.parse_date(s)
        elif col.kind == "int":
            out[col.name] = P.parse_int(s)
        elif col.kind == "float":
            out[col.name] = P.parse_number(s)
        elif col.kind == "bool":
            out[col.name] = P.parse_bool(s)
        elif col.kind == "enum":
            out[col.name] = P.parse_enum(s, col.choices)
        elif col.kind == "list":
            out[col.name] = P.split_list(s)
        else:
            out[col.name] = s.astype("string")
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


@dataclass
class Case:
    """A single embedded case, ready for analysis.

    Attributes
    ----------
    study : Study
        Periods, stakeholder categories, lexicon, privacy settings.
    units, people, documents, journal, codebook, segments, indicators, attributes : pandas.DataFrame
        Typed tables (columns of :mod:`rd_territoriale.study.contract`). ``documents``
        and ``journal`` carry ``period``; ``segments`` carries ``date``,
        ``period`` and ``source_kind`` (``document`` or ``journal``) from its
        source. ``indicators`` and ``attributes`` are empty when the study
        has none.
    fingerprint : str
        Content hash of the data files.
    memo : bool
        Whether study-wide analyses of this case may be kept on disk and
        read back (:mod:`rd_territoriale.analysis.memo`): true for a case
        read from its folder with the cache, false for a case made in memory.
    """

    study: Study
    units: pd.DataFrame
    people: pd.DataFrame
    documents: pd.DataFrame
    journal: pd.DataFrame
    codebook: pd.DataFrame
    segments: pd.DataFrame
    indicators: pd.DataFrame
    attributes: pd.DataFrame
    fingerprint: str
    memo: bool = False

    @property
    def periods(self) -> pd.DataFrame:
        """The study's periods (shortcut for ``study.periods``)."""
        return self.study.periods

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name."""
        return {name: getattr(self, name) for name in TABLES}

    def summary(self) -> dict[str, int]:
        """Rows per table."""
        return {name: len(frame) for name, frame in self.tables().items()}


def derive_tables(tables: dict, study: Study) -> dict:
    """Add the columns derived from other tables (periods, source kinds)."""
    for name in ("documents", "journal"):
        tables[name]["period"] = assign_periods(tables[name]["date"], study.periods)
    docs = tables["documents"][["id", "date", "period"]].assign(source_kind="document")
    jour = tables["journal"][["id", "date", "period"]].assign(source_kind="journal")
    sources = pd.concat([docs, jour], ignore_index=True).set_index("id")
    seg = tables["segments"]
    for col in ("date", "period", "source_kind"):
        # pandas cannot map an empty column onto dates: a study without segments (a codebook just imported)
        seg[col] = seg["source"].map(sources[col]) if len(seg) else pd.Series(dtype=sources[col].dtype)
    seg["source_kind"] = seg["source_kind"].astype("string")
    seg["period"] = seg["period"].astype("string")
    return tables


def _read_cache(path: Path) -> dict | None:
    try:
        tables = {}
        for name in TABLES:
            frame = pd.read_parquet(path / f"{name}.parquet")
            for t, c in _LIST_TABLE_COLUMNS:
                if t == name:
                    frame[c] = frame[c].map(lambda v: [] if v is None else list(v))
            tables[name] = frame
        return tables
    except (OSError, ValueError, KeyError):
        return None


def _write_cache(path: Path, tables: dict) -> None:
    """Write the cache atomically: a temporary folder renamed into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=".tmp-"))
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        try:
            os.replace(tmp, path)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
        for old in path.parent.iterdir():  # keep only the current cache
            if old != path and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # a read-only data folder still loads, just without cache


def study_of(study_file, folder) -> Study:
    """The typed :class:`Study` of a ``study.yml`` read by :func:`read_study_file`."""
    sections = {name: type_frame(raw.frame, SECTION_TABLES[name]) for name, raw in study_file.sections.items()}
    return build_study(study_file, sections, folder)


def load_case(folder, cache: bool = True) -> Case:
    """Read, validate and type a study folder.

    Parameters
    ----------
    folder : str or Path
        The study folder (``data/exemple``).
    cache : bool
        Use and fill the parquet cache under ``<folder>/processed/cache``.

    Returns
    -------
    Case

    Raises
    ------
    ValidationError
        With every problem found, when the data are not valid.

    Examples
    --------
    >>> case = load_case("data/exemple")  # doctest: +SKIP
    >>> case.segments.groupby("period").size()  # doctest: +SKIP
    """
    folder = Path(folder)
    digest = fingerprint(folder)
    key = hashlib.sha256((digest + code_fingerprint(files=CACHE_CODE)).encode()).hexdigest()[:24]
    cache_path = folder / CACHE_DIR / key
    if cache and cache_path.is_dir():
        tables = _read_cache(cache_path)
        if tables is not None:
            return Case(study_of(read_study_file(folder), folder), **tables, fingerprint=digest, memo=True)
    from rd_territoriale.study.schema import validate_study  # pandera is loaded only when data changed

    validation = validate_study(folder)
    if not validation.ok:
        raise ValidationError(validation.problems, str(folder))
    study = study_of(validation.study_file, folder)
    tables = {}
    for name, table in TABLES.items():
        raw = validation.raws[name]
        frame = raw.frame if raw is not None else pd.DataFrame()
        tables[name] = type_frame(frame, table)
    tables = derive_tables(tables, study)
    if cache:
        _write_cache(cache_path, tables)
    return Case(study, **tables, fingerprint=digest, memo=cache)
