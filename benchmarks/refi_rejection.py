"""Time how fast malicious REFI-QDA files are refused.

Usage::

    .venv/bin/python benchmarks/refi_rejection.py

Builds, in a temporary folder, the archives an attacker would send instead of
a ``.qdpx`` project (ZIP bombs of 1 GiB and of 150 MiB of zeros, an entry larger than
the limit, 20,000 entries, path traversal, an XML entity bomb, a ``.qdc`` entity
bomb, a file that is not a ZIP) and times :func:`rd_territoriale.qda.refi.read_project`
(or ``read_codebook``) until it raises. For each it prints the time, its
ratio to the budget of one second (issue 9: « rejected … in under a second »)
and the first line of the French message. For scale, it also times reading
the real ``demo.qdpx`` when ``../shared/data/external`` is present.

All figures come from this one run; nothing here is asserted (machines are
noisy): the tests check *that* each file is refused, this script *how fast*.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

from rd_territoriale.qda.refi import RefiError, read_codebook, read_project

BUDGET = 1.0
NS = 'xmlns="urn:QDA-XML:project:1.0"'
MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT.parent / "shared" / "data" / "external" / "qc-demo" / "demo.qdpx"


def _zip(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if callable(data):
                data(zf, name)
            else:
                zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _zeros(size: int):
    def write(zf: zipfile.ZipFile, name: str) -> None:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            chunk = b"\0" * MiB
            for _ in range(size // MiB):
                out.write(chunk)

    return write


def _entity_bomb(root: str) -> str:
    return (
        '<?xml version="1.0"?><!DOCTYPE '
        + root
        + ' [<!ENTITY a "lollollollollol">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><{root} {NS} name="&j;"/>'
    )


def cases(folder: Path) -> list[tuple[str, Path, object]]:
    """(label, file, reader) for each malicious file."""
    qde = f'<Project {NS} name="x"/>'
    out = [
        (
            "bombe ZIP : 1 Gio de zéros",
            _zip(folder / "bombe.qdpx", {"project.qde": qde, "sources/a.txt": _zeros(1024 * MiB)}),
            read_project,
        ),
        (
            "bombe ZIP : 150 Mio de zéros (taux)",
            _zip(folder / "taux.qdpx", {"project.qde": qde, "sources/a.txt": _zeros(150 * MiB)}),
            read_project,
        ),
        (
            "entrée de 250 Mio (limite 200)",
            _zip(folder / "grosse.qdpx", {"project.qde": qde, "sources/a.txt": _zeros(250 * MiB)}),
            read_project,
        ),
        (
            "20 000 entrées",
            _zip(folder / "entrees.qdpx", {"project.qde": qde, **{f"sources/{i}.txt": "x" for i in range(20_000)}}),
            read_project,
        ),
        (
            "chemin qui sort de l'archive",
            _zip(folder / "chemin.qdpx", {"project.qde": qde, "../../evil.txt": "x"}),
            read_project,
        ),
        (
            "bombe XML (entités) dans project.qde",
            _zip(folder / "lol.qdpx", {"project.qde": _entity_bomb("Project")}),
            read_project,
        ),
    ]
    qdc = folder / "lol.qdc"
    qdc.write_text(_entity_bomb("CodeBook"), encoding="utf-8")
    out.append(("bombe XML (entités) dans un .qdc", qdc, read_codebook))
    notzip = folder / "faux.qdpx"
    notzip.write_bytes(b"PK\x03\x04" + b"\xff" * 4096)
    out.append(("faux ZIP", notzip, read_project))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        built = cases(folder)
        print(f"{len(built)} fichiers malveillants construits en {time.perf_counter() - t0:.1f} s.\n")
        print(f"{'cas':<40} {'taille':>10} {'refus (s)':>10} {'÷ budget 1 s':>13}  message")
        worst = 0.0
        for label, path, reader in built:
            t = time.perf_counter()
            try:
                reader(path, schemas=False)
            except RefiError as exc:
                elapsed = time.perf_counter() - t
                message = str(exc).splitlines()[0][:90]
            else:
                elapsed = time.perf_counter() - t
                message = "ACCEPTÉ (anomalie)"
            worst = max(worst, elapsed)
            size = path.stat().st_size
            print(f"{label:<40} {size / 1024:>8.0f} Ko {elapsed:>10.4f} {elapsed / BUDGET:>13.4f}  {message}")
        print(f"\nRefus le plus lent : {worst:.4f} s, soit {worst / BUDGET:.3f} du budget d'une seconde.")
        if DEMO.is_file():
            t = time.perf_counter()
            project = read_project(DEMO)
            print(
                f"Pour comparaison, lecture de demo.qdpx avec vérification XSD : {time.perf_counter() - t:.3f} s "
                f"({len(project.codes)} codes, {len(project.codings)} codages)."
            )


if __name__ == "__main__":
    main()
