"""Time ``rd-territoriale build`` against the naive loop a researcher would write.

Usage::

    .venv/bin/python benchmarks/build.py [--only ID ...]

In one run, on a temporary copy of the project's manifest, notebooks and
example study (so the working tree is never touched), it times:

1. the naive loop: for each report, one after the other, the papermill
   command line then ``jupyter nbconvert --to html --no-input``;
2. the cold build: ``rd-territoriale build`` with nothing built yet
   (parallel, one kernel per core, in-process export);
3. the no-op build: the same command again, nothing having changed;
4. the build after one data file changed (``units.csv``): every report that
   reads the study is rebuilt, nothing else.

and prints the ratios. Timing assertions do not belong in tests; this script
is where speed is measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def copy_project(dest: Path) -> Path:
    """The manifest, notebooks and example study, copied into ``dest``."""
    shutil.copy2(ROOT / "reports.yml", dest / "reports.yml")
    shutil.copytree(ROOT / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "data" / "exemple", dest / "data" / "exemple", ignore=shutil.ignore_patterns("processed"))
    return dest


def timed(cmd: list[str], cwd: Path) -> float:
    """Run a command, fail loudly, return its wall time."""
    start = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "CI": "1"}
    )
    return time.perf_counter() - start


def naive_loop(project: Path, specs) -> float:
    """papermill CLI then nbconvert CLI, one report after the other."""
    from rd_territoriale.build.manifest import study_parameter

    out = project / "naive"
    out.mkdir()
    start = time.perf_counter()
    for spec in specs:
        executed = out / f"{spec.id}.ipynb"
        cmd = [
            str(BIN / "papermill"),
            str(spec.notebook),
            str(executed),
            "-k",
            "rd-territoriale",
            "--cwd",
            str(spec.notebook.parent),
            "--no-progress-bar",
        ]
        study = study_parameter(spec)  # the manifest's study, as the build passes it
        for name, value in {**spec.parameters, **({"data_dir": study} if study else {})}.items():
            cmd += ["-p", name, str(value)]
        subprocess.run(cmd, check=True, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="rapports à mesurer (tous par défaut)")
    args = parser.parse_args(argv)
    from rd_territoriale.build.manifest import load_manifest, select

    with tempfile.TemporaryDirectory(prefix="rd-bench-build-") as tmp:
        project = copy_project(Path(tmp))
        specs = select(load_manifest(project), args.only)
        ids = [s.id for s in specs]
        cli = [str(BIN / "rd-territoriale"), "build", "--root", str(project), *ids]
        # Warm the study's parquet cache first, so both sides start equal.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from rd_territoriale import load_case; load_case(sys.argv[1])",
                str(project / "data" / "exemple"),
            ],
            check=True,
        )
        print(f"machine : {os.cpu_count()} cœurs ; {len(specs)} rapports : {', '.join(ids)}")

        naive = naive_loop(project, specs)
        print(f"boucle naïve (papermill puis nbconvert, en ligne de commande) : {naive:6.1f} s")
        cold = timed(cli, project)
        print(f"rd-territoriale build, à froid                                : {cold:6.1f} s")
        noop = timed(cli, project)
        print(f"rd-territoriale build, rien n'a changé                        : {noop:6.2f} s")
        units = project / "data" / "exemple" / "units.csv"
        units.write_text(
            units.read_text(encoding="utf-8").replace("Collecte, tri", "Collecte, tri (modifié)", 1), encoding="utf-8"
        )
        changed = timed(cli, project)
        print(f"rd-territoriale build, après modification de units.csv        : {changed:6.1f} s")
        print()
        print(f"gain à froid (boucle naïve / build)   : {naive / cold:.2f}×")
        print(f"gain sans changement (à froid / no-op) : {cold / noop:.0f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
