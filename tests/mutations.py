"""Seeded damage to a copy of a study: what real files go through (issue 15).

Each mutation takes one file of the study and damages it the way files get
damaged: lines dropped or duplicated, truncation, garbage in a cell, a
shuffled header, another encoding, random bytes, and ``study.yml`` in odd
YAML shapes. :func:`mutate` applies one, chosen by a seeded generator, so a
run is reproducible from its seed. ``validate_study`` and ``load_case`` must
answer every damaged study with located French problems, never with
another exception (``tests/test_fuzz.py``, ``benchmarks/fuzz.py``).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

ODD_YAML = [
    "",
    "~",
    "[]",
    "42",
    "- a\n- b\n",
    "case: [1, 2]\n",
    "periods: 3\n",
    "periods: [1, 2]\n",
    "periods:\n  - id: P1\n",
    "periods:\n  - {id: P1, label: x, start: hier, end: demain}\n",
    "stakeholder_categories: {a: 1}\n",
    "stakeholder_categories:\n  - [x]\n",
    "research_lexicon: 7\n",
    "research_lexicon:\n  - {term: [1]}\n",
    "privacy: oui\n",
    "privacy: {min_cell_size: -3, quote_policy: 12}\n",
    "researchers: R01\n",
    "case: !!python/object:os.system x\n",
    "a: b: c\n",
    "\t- tab\n",
    "periods:\n  - {id: P1, label: L, start: 2020-01-01, end: 2019-01-01}\n",
    "periods:\n  - {id: null, label: null, start: null, end: null}\n",
    "stakeholder_categories:\n  - {id: x, label: y, college: z, members: beaucoup}\n",
]
GARBAGE = [
    "",
    " ",
    "NaN",
    "null",
    "-1",
    "1e309",
    "2020-13-45",
    "31/02/2021",
    "oui;non",
    '"',
    "x" * 5000,
    "é\u0000",
    "=1+1",
    "|||",
    "<script>",
    "\ufeff",
    "١٢٣",
    "9" * 40,
    "0x1F",
    "None",
    "nan",
    "inf",
]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _drop(rng, data):
    lines = _lines(data)
    if lines:
        del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def _duplicate(rng, data):
    lines = _lines(data)
    if lines:
        n = rng.randrange(len(lines))
        lines.insert(n, lines[n])
    return b"".join(lines)


def _truncate(rng, data):
    return data[: rng.randrange(len(data) + 1)]


def _garbage_cell(rng, data):
    text = data.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if len(lines) < 2:
        return data
    n = rng.randrange(len(lines))
    cells = lines[n].split(",")
    cells[rng.randrange(len(cells))] = rng.choice(GARBAGE)
    lines[n] = ",".join(cells)
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def _shuffle_header(rng, data):
    lines = _lines(data)
    if not lines:
        return data
    cells = lines[0].rstrip(b"\r\n").split(b",")
    rng.shuffle(cells)
    if cells and rng.random() < 0.5:
        cells[rng.randrange(len(cells))] = rng.choice([b"", b"id", b"Unnamed: 0", b"colonne inconnue"])
    lines[0] = b",".join(cells) + b"\n"
    return b"".join(lines)


def _reencode(rng, data):
    text = data.decode("utf-8", errors="replace")
    encoding = rng.choice(["utf-16", "latin-1", "cp1252", "utf-8-sig", "utf-32"])
    return text.encode(encoding, errors="replace")


def _random_bytes(rng, data):
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _empty(rng, data):
    return rng.choice([b"", b"\n", b"\xef\xbb\xbf", b",,,\n"])


def _odd_yaml(rng, data):
    return rng.choice(ODD_YAML).encode("utf-8")


def _yaml_line(rng, data):
    lines = _lines(data)
    if lines:
        lines[rng.randrange(len(lines))] = rng.choice(ODD_YAML).encode("utf-8") or b"\n"
    return b"".join(lines)


TABLE_MUTATIONS = (
    _drop,
    _duplicate,
    _truncate,
    _garbage_cell,
    _garbage_cell,
    _shuffle_header,
    _reencode,
    _random_bytes,
    _empty,
)
YAML_MUTATIONS = (_odd_yaml, _yaml_line, _truncate, _random_bytes, _drop, _duplicate, _reencode)


def mutate(study: Path, folder: Path, seed: int) -> str:
    """Copy ``study`` into ``folder`` and damage one of its files with the seeded mutation ``seed``.

    Returns
    -------
    str
        What was done (file and mutation), to name a failure.
    """
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(study, folder, ignore=shutil.ignore_patterns("processed", "raw", "README.md"))
    files = sorted(p for p in folder.iterdir() if p.is_file())
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        path = rng.choice(files)
        kind = YAML_MUTATIONS if path.suffix == ".yml" else TABLE_MUTATIONS
        mutation = rng.choice(kind)
        path.write_bytes(mutation(rng, path.read_bytes()))
        done.append(f"{path.name}:{mutation.__name__.strip('_')}")
    return f"graine {seed} : " + ", ".join(done)


def damage_file(source: Path, target: Path, seed: int) -> str:
    """Write ``source`` damaged by one seeded table mutation to ``target``; say which."""
    rng = random.Random(seed)
    mutation = rng.choice(TABLE_MUTATIONS)
    target.write_bytes(mutation(rng, Path(source).read_bytes()))
    return f"graine {seed} : {Path(source).name}:{mutation.__name__.strip('_')}"
