"""Weight of every built page: what a partner downloads on a phone.

Usage::

    .venv/bin/python benchmarks/pages.py [--reports reports] [--limit 400]

Reads the pages already built (``make reports`` first) and prints, for each
page, its weight, the part taken by embedded images (``data:`` URIs, which
nbconvert inlines so that the page works offline) and the number of images,
then the largest page and the pages over the limit (400 KB, issue 16).

Measured on the example on 2026-12-06: ``synthese.html`` weighed 747 KB, of
which 692 KB were its 7 figures as base64 palette PNG at twice their
resolution. Figures are now SVG with their words as text, URL-encoded (the
PNG only where lighter): ``synthese.html`` 350 KB, every page under 400 KB.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DATA_URI = re.compile(r'data:(image/[\w+.-]+)(?:;base64)?,([^"]+)')


def weigh(page: Path) -> dict:
    """Weight of ``page`` and of its embedded images, in bytes."""
    text = page.read_text(encoding="utf-8", errors="replace")
    images = [len(m.group(2)) for m in DATA_URI.finditer(text)]
    return {"page": page, "bytes": page.stat().st_size, "images": sum(images), "count": len(images)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", default="reports", help="dossier des pages construites")
    parser.add_argument("--limit", type=int, default=400, help="poids maximal d'une page, en Ko")
    args = parser.parse_args()
    folder = Path(args.reports)
    pages = sorted(folder.rglob("*.html"))
    if not pages:
        print(f"Aucune page dans « {folder} » : lancez d'abord make reports.", file=sys.stderr)
        return 1
    rows = [weigh(p) for p in pages]
    width = max(len(str(r["page"].relative_to(folder))) for r in rows)
    print(f"{'page':<{width}}  {'poids':>9}  {'images':>9}  nb")
    for r in sorted(rows, key=lambda r: -r["bytes"]):
        print(
            f"{str(r['page'].relative_to(folder)):<{width}}  {r['bytes'] / 1024:>7.0f} Ko  "
            f"{r['images'] / 1024:>7.0f} Ko  {r['count']:>2}"
        )
    largest = max(rows, key=lambda r: r["bytes"])
    over = [r for r in rows if r["bytes"] > args.limit * 1024]
    print(
        f"\nPlus lourde : {largest['page'].relative_to(folder)}, {largest['bytes'] / 1024:.0f} Ko "
        f"(limite {args.limit} Ko) ; {len(over)} page(s) sur {len(rows)} au-dessus de la limite."
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # « | head »: the reader has seen enough
        sys.exit(0)
