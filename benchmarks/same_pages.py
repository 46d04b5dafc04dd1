"""Do two revisions of the code build the same example pages, apart from their provenance?

Checks out ``--avant`` (a git revision) in a temporary worktree, builds every
report of its ``reports.yml`` on its example with its own code, does the same
with the working tree, and compares the pages once the provenance is taken
out (the footer, the build time, « construit le … » in the index). Prints the
count of identical pages and names the others::

    .venv/bin/python benchmarks/same_pages.py --avant 01fdf49

A restructuring of the code (issue 17) must print « 0 différentes ».
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOOTER = re.compile(r'<footer class="rdt-footer".*?</footer>', re.S)
BUILT_AT = re.compile(r'<meta content="[^"]*" name="rdt-built-at"/>')
BUILT_ON = re.compile(r"construit le [^<]*")


def without_provenance(page: str) -> str:
    """A page without what says when and from what it was built."""
    return BUILT_ON.sub("construit le …", BUILT_AT.sub("", FOOTER.sub("", page)))


def build(source: Path, project: Path) -> Path:
    """Build the example of ``source`` (a checkout) with ``source``'s own code, in ``project``."""
    project.mkdir(parents=True)
    shutil.copy(source / "reports.yml", project / "reports.yml")
    shutil.copytree(source / "notebooks", project / "notebooks")
    shutil.copytree(
        source / "data" / "exemple", project / "data" / "exemple", ignore=shutil.ignore_patterns("processed")
    )
    (project / "reports").mkdir()
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "rd_territoriale.cli", "build", "--root", str(project)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"La construction depuis {source} a échoué :\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return project / "reports"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--avant", required=True, help="révision git de référence (par exemple 01fdf49)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_tree = tmp / "avant"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old_tree), args.avant], cwd=ROOT, check=True)
        try:
            old = build(old_tree, tmp / "projet-avant")
            new = build(ROOT, tmp / "projet-apres")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT, check=False)
        names = sorted(p.name for p in old.glob("*.html"))
        other = sorted({p.name for p in new.glob("*.html")} ^ set(names))
        differ = [
            n
            for n in names
            if (new / n).is_file()
            and without_provenance((old / n).read_text(encoding="utf-8"))
            != without_provenance((new / n).read_text(encoding="utf-8"))
        ]
    print(
        f"{len(names) - len(differ) - len(set(other) & set(names))} pages identiques hors provenance, "
        f"{len(differ)} différentes{' : ' + ', '.join(differ) if differ else ''} ; "
        f"pages d'un seul côté : {', '.join(other) or 'aucune'}."
    )
    return 1 if differ or other else 0


if __name__ == "__main__":
    raise SystemExit(main())
