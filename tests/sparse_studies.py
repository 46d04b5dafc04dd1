"""Sparse studies made from the example by code: what a first real study lacks.

Each variant copies ``data/exemple`` and takes one thing away (the field
journal, the projects, all periods but one…), keeping the study valid. The
reports must build on every one of them and say what is missing instead of
failing (issue 14). ``SPARSE`` maps a variant's name to the function that
makes it; :func:`make_sparse` writes one into a folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "exemple"


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _write(folder: Path, name: str, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def _study(folder: Path) -> dict:
    return yaml.safe_load((folder / "study.yml").read_text(encoding="utf-8"))


def _write_study(folder: Path, study: dict) -> None:
    (folder / "study.yml").write_text(yaml.safe_dump(study, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _drop_evidence(folder: Path, gone: set[str]) -> None:
    """Remove ``gone`` ids from the indicators' evidence lists."""
    if not (folder / "indicators.csv").is_file():
        return
    ind = _read(folder, "indicators")
    ind["evidence"] = ind["evidence"].map(lambda s: "|".join(x for x in s.split("|") if x and x not in gone))
    _write(folder, "indicators", ind)


def _drop_segments(folder: Path, keep) -> None:
    seg = _read(folder, "segments")
    gone = set(seg.loc[~keep(seg), "id"])
    _write(folder, "segments", seg[keep(seg)])
    _drop_evidence(folder, gone)


def no_journal(folder: Path) -> None:
    """No field journal: the researcher's roles cannot be read."""
    journal = _read(folder, "journal")
    _drop_segments(folder, lambda s: ~s["source"].isin(set(journal["id"])))
    _drop_evidence(folder, set(journal["id"]))
    _write(folder, "journal", journal.iloc[0:0])


def no_units(folder: Path) -> None:
    """No embedded projects: no project reports, no *feu de paille*."""
    units = _read(folder, "units")
    _write(folder, "units", units.iloc[0:0])
    for name in ("documents", "journal", "indicators"):
        table = _read(folder, name)
        table["unit"] = ""
        _write(folder, name, table)


def one_period(folder: Path) -> None:
    """One period covers the whole study: no change between periods."""
    study = _study(folder)
    first, last = study["periods"][0], study["periods"][-1]
    study["periods"] = [{**first, "label": "Toute l'étude", "end": last["end"]}]
    _write_study(folder, study)
    ind = _read(folder, "indicators")
    ind["period"] = first["id"]
    ind = ind.drop_duplicates(subset=["indicator", "unit"], keep="last")
    _write(folder, "indicators", ind)


def empty_period(folder: Path) -> None:
    """A period with no material at all, between two periods that have some."""
    study = _study(folder)
    periods = study["periods"]
    # P2 is cut in two: its first month keeps no document, entry or indicator.
    p2 = periods[1]
    start = pd.Timestamp(p2["start"])
    cut = start + pd.Timedelta(days=30)
    dates = pd.concat([_read(folder, "documents")["date"], _read(folder, "journal")["date"]])
    dates = pd.to_datetime(dates)
    inside = dates[(dates >= start) & (dates <= cut)]
    if len(inside):
        cut = inside.min() - pd.Timedelta(days=1)
    empty = {
        "id": "P1b",
        "label": "Entre-deux",
        "start": str(start.date()),
        "end": str(cut.date()),
        "opening_event": "Une période sans matériau",
    }
    periods[1] = {**p2, "start": str((cut + pd.Timedelta(days=1)).date())}
    periods.insert(1, empty)
    _write_study(folder, study)
    units = _read(folder, "units")  # no project starts inside the empty period
    units["start"] = units["start"].where(~pd.to_datetime(units["start"]).between(start, cut), p2["start"])
    _write(folder, "units", units)


def one_coder(folder: Path) -> None:
    """One coder: no reliability."""
    seg = _read(folder, "segments")
    main = seg["coder"].value_counts().index[0]
    _drop_segments(folder, lambda s: s["coder"] == main)


def no_speakers(folder: Path) -> None:
    """No speakers: no share of talk."""
    seg = _read(folder, "segments")
    seg["speaker"] = ""
    _write(folder, "segments", seg)


def no_quotes(folder: Path) -> None:
    """``quote_policy: aucune``: no verbatim anywhere."""
    study = _study(folder)
    study["privacy"]["quote_policy"] = "aucune"
    _write_study(folder, study)


def no_consent(folder: Path) -> None:
    """Nobody consented to be quoted."""
    for name in ("documents", "journal"):
        table = _read(folder, name)
        if "quote_consent" in table:
            table["quote_consent"] = "non"
        _write(folder, name, table)


def no_indicators(folder: Path) -> None:
    """No indicators table: no value chain."""
    (folder / "indicators.csv").unlink()


def no_segments(folder: Path) -> None:
    """A codebook with no segments yet (just imported from QDA software)."""
    seg = _read(folder, "segments")
    _write(folder, "segments", seg.iloc[0:0])
    _drop_evidence(folder, set(seg["id"]))


SPARSE = {
    "sans-journal": no_journal,
    "sans-projets": no_units,
    "une-periode": one_period,
    "periode-vide": empty_period,
    "un-codeur": one_coder,
    "sans-locuteurs": no_speakers,
    "sans-citations": no_quotes,
    "sans-consentement": no_consent,
    "sans-indicateurs": no_indicators,
    "sans-segments": no_segments,
}


def make_sparse(name: str, folder: Path) -> Path:
    """Write the sparse variant ``name`` of the example into ``folder`` and return it."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("processed", "raw", "README.md"))
    for part in re.split(r"\+", name):
        SPARSE[part](folder)
    return folder
