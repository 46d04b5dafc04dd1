"""Time ``pseudonymise`` on the example and on the example at scale 10.

Usage::

    .venv/bin/python benchmarks/pseudonymise.py [--scales 1 10]

For each scale, writes the synthetic example (``rd-territoriale exemple
--scale N``) into a temporary folder as a raw study, with a key that gives an
invented name (Faker, seed 0) to every person, whose pseudonym is the id the
example already uses. Then, in a fresh Python process so that imports count,
runs the whole pseudonymisation (reading, contact details, key names, the
French NER pass over every free-text cell, validation, writing) with
``--accepter-inconnus`` (the example's places are flagged as unknown forms,
which would stop the run before writing).

It prints, per scale: free-text cells, model loading, the whole run, the
share of the NER pass and the forms found, all measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from rd_territoriale.privacy import names
from rd_territoriale.privacy.pseudonymise import Run, pseudonymise
t_import = time.perf_counter() - t0
t1 = time.perf_counter()
names.load_model(); names.french_words(); names.name_lists()
t_model = time.perf_counter() - t1
spent = {}
detect = Run.detect
def timed(self, progress=None):
    t = time.perf_counter()
    detect(self, progress)
    spent["detect"] = time.perf_counter() - t
    spent["texts"] = len(self.texts)
Run.detect = timed
raw, out, key = sys.argv[1:4]
t2 = time.perf_counter()
report = pseudonymise(raw, out, key, accept_unknown=True)
t_run = time.perf_counter() - t2
assert report.written, report.to_french_text()
print(json.dumps({"import": t_import, "model": t_model, "run": t_run, "detect": spent["detect"],
                  "texts": spent["texts"], "unknown": len(report.unknown)}))
"""


def make_raw(folder: Path, scale: int) -> tuple[Path, Path]:
    """The example at ``scale`` as a raw study, and a key for its people."""
    import pandas as pd
    from faker import Faker

    raw = folder / "raw"
    subprocess.run(
        [sys.executable, "-m", "rd_territoriale.cli", "exemple", "--out", str(raw), "--scale", str(scale)],
        check=True,
        capture_output=True,
    )
    people = pd.read_csv(raw / "people.csv", dtype=str)
    fake = Faker("fr_FR")
    fake.seed_instance(0)
    seen, rows = set(), ["name,pseudonym,kind"]
    for pid in people["id"]:
        name = fake.name()
        while name in seen:
            name = fake.name()
        seen.add(name)
        rows.append(f"{name},{pid},personne")
    key = folder / "cle.csv"
    key.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return raw, key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            raw, key = make_raw(Path(tmp), scale)
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(raw), str(Path(tmp) / "etude"), str(key)],
                check=True,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - t0
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"échelle {scale:>3} : {r['texts']:>7} cellules de texte ; modèle chargé en {r['model']:.1f} s ; "
                f"pseudonymisation {r['run']:.1f} s, dont repérage des noms {r['detect']:.1f} s "
                f"({r['detect'] / r['run']:.0%}) ; {r['unknown']} formes signalées ; "
                f"processus entier {wall:.1f} s"
            )


if __name__ == "__main__":
    main()
