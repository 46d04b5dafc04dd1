"""Analyses computed once per study, not once per report.

Several reports of a build need the same study-wide result: the period
effects (every period report and the synthesis), the role-ordered matrix
with its permutation tests (every period report, the synthesis). A function
decorated with :func:`per_study` (also the research lexicon's diffusion,
read by every reflexivity report) computes its result once and keeps it in
``<study>/processed/analyses/``, beside the parquet cache of the tables;
any later call, from any report or process, reads it back.

An entry is found again only for the same case content (every table and
setting of the case as it is in memory, so a notebook that filters or
edits ``case.segments`` gets its own results, never those of the files),
the same package code (every file of the package), the same versions of
Python and of the numerical libraries, the same function and the same
arguments: a change to any of them computes afresh. When the content
changes, the entries of the old content are removed.

Only a case read by :func:`~rd_territoriale.study.case.load_case` with its
cache is memoised (``Case.memo``): cases made in memory (tests, the null
studies of :mod:`~rd_territoriale.analysis.nulls`) are always computed.
Arguments must be plain values (text, numbers, ``None`` and their lists);
a call with anything else is computed, not memoised. Two processes that
ask for the same entry at once compute it once: the second waits on a file
lock, then reads. A folder that cannot be written only costs the saving.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import pickle
import platform
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from rd_territoriale.study.fingerprint import code_fingerprint

MEMO_DIR = Path("processed") / "analyses"
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels")
_PLAIN = (str, int, float, bool, type(None))


def per_study(function):
    """Decorate ``function(case, *args, **kwargs)`` so that it is computed once per study (module docstring)."""

    @functools.wraps(function)
    def memoised(case, *args, **kwargs):
        entry = entry_path(case, function, args, kwargs)
        if entry is None:
            return function(case, *args, **kwargs)
        with _locked(entry):
            try:
                with open(entry, "rb") as stream:
                    return pickle.load(stream)
            except Exception:  # noqa: BLE001 — absent, truncated or from another world: computed again below
                pass
            result = function(case, *args, **kwargs)
            _write(entry, result)
            return result

    memoised.computed = function  # the function itself, never memoised
    return memoised


def entry_path(case, function, args: tuple, kwargs: dict) -> Path | None:
    """Where the result of ``function(case, *args, **kwargs)`` is kept, ``None`` when it is not memoised."""
    if not getattr(case, "memo", False) or not _plain((args, sorted(kwargs.items()))):
        return None
    try:
        content = content_key(case)
    except (TypeError, ValueError):  # a cell no hash can read: computed, not memoised
        return None
    folder = Path(case.study.path) / MEMO_DIR / content
    call = repr((function.__module__, function.__qualname__, args, sorted(kwargs.items())))
    return folder / f"{function.__name__}-{hashlib.sha256(call.encode()).hexdigest()[:20]}.pickle"


def _plain(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN)


def content_key(case) -> str:
    """Hash of a case as it is in memory (tables, study settings), the code and the libraries.

    About 20 ms on the example: every call of a memoised analysis pays it,
    so that a case changed after loading is never taken for its files.
    """
    digest = hashlib.sha256(_environment_key().encode())
    for holder in (case, case.study):
        for field in dataclasses.fields(holder):
            value = getattr(holder, field.name)
            digest.update(field.name.encode() + b"\0")
            if isinstance(value, pd.DataFrame):
                _frame_digest(value, digest)
            elif field.name != "fingerprint":
                digest.update(repr(value).encode())
    return digest.hexdigest()[:24]


def _frame_digest(frame: pd.DataFrame, digest) -> None:
    digest.update(repr((list(frame.columns), [str(t) for t in frame.dtypes], frame.shape)).encode())
    digest.update(pd.util.hash_pandas_object(frame.index, index=False).to_numpy().tobytes())
    for name in frame.columns:
        column = frame[name]
        try:
            hashed = pd.util.hash_pandas_object(column, index=False)
        except TypeError:  # lists in cells (codes of a segment, sources of an indicator)
            hashed = pd.util.hash_pandas_object(column.map(repr), index=False)
        digest.update(hashed.to_numpy().tobytes())


@functools.cache
def _environment_key() -> str:
    """The package's code, Python's and the numerical libraries' versions (once per process)."""
    import importlib.metadata

    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return code_fingerprint() + platform.python_version() + ",".join(versions)


@contextlib.contextmanager
def _locked(entry: Path):
    """Hold a lock on ``entry`` (other processes wait); no lock where the folder cannot be written."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        stream = open(entry.with_suffix(".lock"), "a+b")
    except OSError:
        yield
        return
    with stream:
        try:
            import fcntl

            fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass  # no file locks here: two processes may both compute, each writes atomically
        yield


def _write(entry: Path, result) -> None:
    """Write atomically, then remove the entries of other data or code."""
    try:
        handle, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        return
    for old in entry.parent.parent.iterdir():
        if old != entry.parent and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
