"""Calibration of the reports' claims: how often chance alone makes one, and how often a real effect is found.

Usage::

    .venv/bin/python benchmarks/calibration.py [--studies 200] [--others 100] [--jobs 2]
                                               [--seed 2026] [--scales 1 3] [--power 20]

Each claim the reports make is checked against null studies made from the
example by the shuffles of :mod:`rd_territoriale.analysis.nulls`:

==========================  ==============================================  =============
claim (report)              function                                        null
==========================  ==============================================  =============
period change (synthese,    ``models.successive_effects``: any code ×       dates
periode)                    transition retained
who speaks of what          ``roles.role_ordered_matrix``: any category ×   categories
(synthese, periode)         code retained
voices (synthese, periode)  ``voices.voices``: any category flagged         categories
lexicon uptake              ``lexicon.lexicon_diffusion``: any term         dates
(reflexivite)               « reprise »
co-occurrence change        ``cooccurrence.pair_changes``: any pair         codes
(synthese, periode)         significant
« coûte que coûte »         ``signals.cout_que_coute``: flagged             dates
(synthese)
==========================  ==============================================  =============

For every claim it prints the share of null studies with at least one claim
and its exact (Clopper–Pearson) 95 % interval: each share must be at most
5 %, up to binomial noise. Then, for each effect planted in the example (its
answer key, ``data/exemple/README.md``), the power: how often the effect is
found in examples generated with other seeds, at each scale.

Seeds are fixed (``--seed``); the studies run in parallel (``--jobs``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scipy.stats import beta

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rd_territoriale.analysis.calibration import CLAIMS, PLANTED, claims_in, planted_found  # noqa: E402

_CASE = None


def _init(folder: str) -> None:
    global _CASE
    import warnings

    from rd_territoriale import load_case

    warnings.simplefilter("ignore")
    _CASE = load_case(folder)


def _null_run(args) -> tuple[str, int, int]:
    claim, seed = args
    from rd_territoriale.analysis.nulls import null_case

    kind = CLAIMS[claim]["null"]
    return claim, seed, len(claims_in(null_case(_CASE, kind, seed), claim))


def _power_run(args) -> tuple[int, int, dict]:
    scale, seed, folder = args
    import warnings

    from rd_territoriale import load_case
    from rd_territoriale.example import generate

    warnings.simplefilter("ignore")
    target = Path(folder) / f"ex-{scale}-{seed}"
    generate(target, scale=scale, seed=seed)
    return scale, seed, planted_found(load_case(target, cache=False))


def interval(k: int, n: int) -> tuple[float, float]:
    """Exact 95 % interval of a share ``k / n``."""
    low = beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
    high = beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    return float(low), float(high)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--studies", type=int, default=200, help="études nulles pour les changements de période")
    parser.add_argument("--others", type=int, default=100, help="études nulles pour les autres affirmations")
    parser.add_argument("--power", type=int, default=20, help="exemples générés par échelle pour la puissance")
    parser.add_argument("--scales", type=int, nargs="*", default=[1, 3])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--claims", nargs="*", default=list(CLAIMS))
    args = parser.parse_args()
    t0 = time.perf_counter()
    from rd_territoriale.example import generate

    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "exemple"
        generate(example)
        tasks = [
            (c, args.seed + i) for c in args.claims for i in range(args.studies if c == "periods" else args.others)
        ]
        counts: dict[str, list[int]] = {c: [] for c in args.claims}
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(str(example),)) as pool:
            for claim, _, n in pool.map(_null_run, tasks, chunksize=4):
                counts[claim].append(n)
        print(f"Études nulles (graines {args.seed}…), part des études avec au moins une affirmation :")
        for claim in args.claims:
            found = counts[claim]
            k, n = sum(1 for x in found if x), len(found)
            low, high = interval(k, n)
            flag = "ok" if low <= 0.05 else "TROP"
            print(
                f"  {CLAIMS[claim]['label']:<42} nul « {CLAIMS[claim]['null']:<10} » : "
                f"{k:>3}/{n} = {k / n:6.1%}  [IC 95 % {low:5.1%} ; {high:5.1%}]  {flag}"
                f"  (affirmations par étude : {sum(found) / n:.2f})"
            )
        print(f"  ({time.perf_counter() - t0:.0f} s)")
        if args.scales and args.power:
            tasks = [(scale, args.seed + 1000 + i, tmp) for scale in args.scales for i in range(args.power)]
            found: dict[int, dict[str, int]] = {s: {e: 0 for e in PLANTED} for s in args.scales}
            with ProcessPoolExecutor(args.jobs) as pool:
                for scale, _, hits in pool.map(_power_run, tasks):
                    for effect, ok in hits.items():
                        found[scale][effect] += bool(ok)
            print(
                f"Puissance : part des exemples générés ({args.power} graines par échelle) où l'effet planté "
                "est retrouvé :"
            )
            for effect, label in PLANTED.items():
                shares = "  ".join(f"échelle {s} : {found[s][effect] / args.power:6.1%}" for s in args.scales)
                print(f"  {label:<58} {shares}")
    print(f"Durée totale : {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
