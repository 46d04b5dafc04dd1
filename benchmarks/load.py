"""Time reading and validating a large study, and loading it from the cache.

Usage::

    .venv/bin/python benchmarks/load.py [--scale 30] [--dir DOSSIER]

Writes a large synthetic study (``--scale 30``: about 100,000 segments and
10,000 journal entries) into a temporary folder, then, each in a fresh
Python process so that imports and memory are counted honestly:

1. validation + typing, no cache (what ``rd-territoriale validate`` and a
   first ``load_case`` do), with the process's peak memory;
2. the same with the cache written;
3. a load from the parquet cache (what a notebook does afterwards).

It prints the times, the peak memory and the ratio cold / cached, all
measured in this one run. The goal (issue 2): under 3 s and under 1 GB on a
2-core machine for step 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from rd_territoriale.study.case import load_case
from rd_territoriale.study.schema import validate_study
t_import = time.perf_counter() - t0
folder, mode = sys.argv[1], sys.argv[2]
t1 = time.perf_counter()
if mode == "validate":
    v = validate_study(folder)
    assert v.ok, v.problems[:5]
    rows = {k: (0 if r is None else len(r.frame)) for k, r in v.raws.items()}
else:
    case = load_case(folder, cache=(mode != "nocache"))
    rows = case.summary()
t_work = time.perf_counter() - t1
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t_import, "work": t_work, "peak_mb": peak_mb, "rows": rows}))
"""


def run(folder: Path, mode: str) -> dict:
    """Run one measured load in a fresh interpreter."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), mode], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - t0
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None, help="dossier où écrire (ou réutiliser) la grande étude")
    args = parser.parse_args(argv)
    from rd_territoriale.example import generate

    tmp = None
    folder = args.dir
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="rd-bench-")
        folder = Path(tmp.name) / "grande-etude"
    if not (folder / "segments.csv").is_file():
        t0 = time.perf_counter()
        generate(folder, scale=args.scale)
        print(f"étude générée (échelle {args.scale}) en {time.perf_counter() - t0:.1f} s")
    size = sum(p.stat().st_size for p in folder.glob("*.*")) / 1e6
    print(f"machine : {os.cpu_count()} cœurs ; données : {size:.1f} Mo dans {folder}")

    validate = run(folder, "validate")
    nocache = run(folder, "nocache")
    cold = run(folder, "cache")
    warm = run(folder, "cache")
    rows = nocache["rows"]
    print(
        f"lignes : segments {rows['segments']:,}, journal {rows['journal']:,}, documents {rows['documents']:,}".replace(
            ",", " "
        )
    )
    print(f"import du paquet           : {nocache['import']:.2f} s")
    print(f"validation seule           : {validate['work']:.2f} s  (mémoire max {validate['peak_mb']:.0f} Mo)")
    print(f"validation + typage        : {nocache['work']:.2f} s  (mémoire max {nocache['peak_mb']:.0f} Mo)")
    print(f"  + écriture du cache      : {cold['work']:.2f} s")
    print(f"chargement depuis le cache : {warm['work']:.2f} s  (mémoire max {warm['peak_mb']:.0f} Mo)")
    print(f"rapport froid / cache      : {nocache['work'] / warm['work']:.1f}×")
    goal_t = "atteint" if nocache["work"] < 3 else "NON atteint"
    goal_m = "atteint" if nocache["peak_mb"] < 1024 else "NON atteint"
    print(f"objectif < 3 s : {goal_t} ; objectif < 1 Go : {goal_m}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
