"""Time ``rd-territoriale build`` against the naive loop a researcher would write.

Usage::

    .venv/bin/python benchmarks/build.py [--only ID ...]

In one run, on a temporary copy of the project's manifest, notebooks and
example study (so the working tree is never touched), it measures:

1. the naive loop: for each report, one after the other, the papermill
   command line then ``jupyter nbconvert --to html --no-input``;
2. the cold build: ``rd-territoriale build`` with nothing built yet
   (parallel, kernels forked from a warm template, in-process export), and
   the build's peak memory (proportional set size of the build, its
   workers, the template and the kernels, sampled every 50 ms);
3. the same cold build with a fresh kernel per report
   (``RD_TERRITORIALE_NOYAUX=neufs``), and whether the pages of both builds
   are identical apart from their provenance;
4. the no-op build: the same command again, nothing having changed (the
   median of five runs);
5. the build after one data file changed (``units.csv``): every report that
   reads the study is rebuilt, nothing else;
6. the fixed cost of a report: trivial notebooks built through the whole
   pipeline (``-j 1``), ``(time of 21 reports - time of 1) / 20``.

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
sys.path.insert(0, str(ROOT / "benchmarks"))
BIN = Path(sys.executable).parent


def copy_project(dest: Path) -> Path:
    """The manifest, notebooks and example study, copied into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "reports.yml", dest / "reports.yml")
    shutil.copytree(ROOT / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "data" / "exemple", dest / "data" / "exemple", ignore=shutil.ignore_patterns("processed"))
    return dest


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    """Run a command, fail loudly, return its wall time."""
    return measured(cmd, cwd, env)[0]


def measured(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Run a command; return its wall time and the peak memory (bytes, PSS) of its process tree."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "CI": "1", **(env or {})},
    )
    peak = 0
    root = psutil.Process(process.pid)
    while process.poll() is None:
        total = 0
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            tree = []
        for proc in tree:
            try:
                total += proc.memory_full_info().pss
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(0.05)
    took = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{' '.join(cmd)} : code {process.returncode}\n{process.stderr.read().decode()}")
    return took, peak


def same_pages(first: Path, second: Path) -> tuple[int, list[str]]:
    """Pages identical apart from provenance in two ``reports/`` folders, and those that differ."""
    from same_pages import without_provenance

    same, different = 0, []
    for page in sorted(first.glob("*.html")):
        other = second / page.name
        if other.is_file() and without_provenance(page.read_text(encoding="utf-8")) == without_provenance(
            other.read_text(encoding="utf-8")
        ):
            same += 1
        else:
            different.append(page.name)
    return same, different


def fixed_cost(folder: Path, n: int = 21) -> float:
    """Seconds a report costs beyond its own work: trivial notebooks through the whole pipeline."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    (folder / "notebooks").mkdir(parents=True)
    nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell("x")])
    nb.metadata["kernelspec"] = {"name": "rd-territoriale", "display_name": "rd", "language": "python"}
    nbformat.write(nb, folder / "notebooks" / "trivial.ipynb")
    lines = [f"  - {{id: t{i:02d}, title: T{i}, notebook: notebooks/trivial.ipynb}}" for i in range(n)]
    (folder / "reports.yml").write_text("reports:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    cli = [str(BIN / "rd-territoriale"), "build", "--root", str(folder), "-j", "1"]
    one = timed([*cli, "t00"], folder)
    shutil.rmtree(folder / "reports")
    shutil.rmtree(folder / "build", ignore_errors=True)
    many = timed(cli, folder)
    return (many - one) / (n - 1)


def warm_cache(project: Path) -> None:
    """Build the example study's parquet cache (every build then reads it)."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from rd_territoriale import load_case; load_case(sys.argv[1])",
            str(project / "data" / "exemple"),
        ],
        check=True,
    )


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
        warm_cache(project)  # so that every side starts equal
        print(f"machine : {os.cpu_count()} cœurs ; {len(specs)} rapports : {', '.join(ids)}")

        naive = naive_loop(project, specs)
        print(f"boucle naïve (papermill puis nbconvert, en ligne de commande) : {naive:6.1f} s")
        # Cold means cold: the analyses the naive loop kept for the study go too.
        shutil.rmtree(project / "data" / "exemple" / "processed" / "analyses", ignore_errors=True)
        cold, peak = measured(cli, project)
        print(f"rd-territoriale build, à froid                                : {cold:6.1f} s")
        print(f"  mémoire au plus haut (PSS de tout l'arbre de processus)     : {peak / 2**30:6.2f} Go")
        fresh_project = copy_project(Path(tmp) / "neufs")
        warm_cache(fresh_project)
        fresh_cli = [str(BIN / "rd-territoriale"), "build", "--root", str(fresh_project), *ids]
        fresh = timed(fresh_cli, fresh_project, env={"RD_TERRITORIALE_NOYAUX": "neufs"})
        print(f"rd-territoriale build, à froid, un noyau neuf par rapport    : {fresh:6.1f} s")
        same, different = same_pages(project / "reports", fresh_project / "reports")
        print(f"  pages identiques aux deux (hors provenance)                 : {same}/{same + len(different)}")
        for name in different:
            print(f"    différente : {name}")
        noop = sorted(timed(cli, project) for _ in range(5))[2]  # the median of five: 0.2 s is at the noise's scale
        print(f"rd-territoriale build, rien n'a changé                        : {noop:6.2f} s")
        units = project / "data" / "exemple" / "units.csv"
        units.write_text(
            units.read_text(encoding="utf-8").replace("Collecte, tri", "Collecte, tri (modifié)", 1), encoding="utf-8"
        )
        changed = timed(cli, project)
        print(f"rd-territoriale build, après modification de units.csv        : {changed:6.1f} s")
        fixed = fixed_cost(Path(tmp) / "trivial")
        print(f"coût fixe d'un rapport (carnet trivial, chaîne complète)      : {fixed:6.2f} s")
        print()
        print(f"gain à froid (boucle naïve / build)              : {naive / cold:.2f}×")
        print(f"gain du gabarit (noyaux neufs / noyaux du gabarit) : {fresh / cold:.2f}×")
        print(f"gain sans changement (à froid / no-op)            : {cold / noop:.0f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
