"""Damage the example study N times (seeded) and count the unexpected exceptions (issue 15).

Usage::

    .venv/bin/python benchmarks/fuzz.py [--n 2000] [--graine 0]

Each run copies ``data/exemple``, damages one to three of its files
(``tests/mutations.py``), then calls ``validate_study`` and ``load_case``.
A located French problem (or ``ValidationError``) is the expected answer;
anything else is counted, with the seed that reproduces it. The count must
be 0.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main(argv=None) -> int:
    from test_fuzz import check_one

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="nombre de copies endommagées (défaut : 2000)")
    parser.add_argument("--graine", type=int, default=0, help="première graine (défaut : 0)")
    args = parser.parse_args(argv)
    failures = collections.Counter()
    examples = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rd-fuzz-") as tmp:
        for seed in range(args.graine, args.graine + args.n):
            found = check_one(seed, Path(tmp) / "etude")
            if found is not None:
                kind = found.split(" : ", 2)[-1][:100]
                failures[kind] += 1
                examples.setdefault(kind, found)
    elapsed = time.perf_counter() - start
    total = sum(failures.values())
    print(f"{args.n} copies endommagées en {elapsed:.0f} s ({elapsed / args.n * 1000:.0f} ms chacune)")
    print(f"exceptions inattendues : {total}")
    for kind, count in failures.most_common():
        print(f"  {count} × {examples[kind]}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
