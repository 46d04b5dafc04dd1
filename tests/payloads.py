"""Hostile field text planted into a copy of a study: markup, links, math and formulas (issue 15).

People write what they write: a note quotes a tag, a label holds a link,
a passage starts with « = ». :func:`plant` appends such payloads to every
free-text column of the tables and to the labels of ``study.yml``, cycling
through :data:`PAYLOADS`, so that every report built from the copy shows
them. Each payload that could run or make an element carries a marker the
browser test looks for: ``window.__rdt_pwned`` set, an ``on…`` attribute, an
element ``rdt-piege`` or a link to ``x.example``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

PAYLOADS = (
    "<script>window.__rdt_pwned = 1</script>",
    '<img src=x onerror="window.__rdt_pwned = 2">',
    '<b class="rdt-piege" onmouseover="window.__rdt_pwned = 3">survol</b>',
    "[clic](https://x.example/piege)",
    "![image](https://x.example/piege.png)",
    "$x_1$ et un $ seul",
    "a < b & c > d",
    "=1+1",
)
#: Shown as written somewhere in the reports: the plain sentence.
PLAIN = "a < b & c > d"

#: Free-text columns, by table (identifiers, dates, numbers and closed lists are left alone).
TEXT_COLUMNS = {
    "units": ("name", "kind", "description"),
    "people": ("role",),
    "documents": ("title",),
    "journal": ("text",),
    "codebook": ("label", "definition", "dimension"),
    "segments": ("text",),
    "indicators": ("label", "measure", "source"),
    "attributes": ("value",),
}


def plant(folder: Path, every: int = 5, payloads=PAYLOADS) -> Path:
    """Append a payload to one row in ``every`` of each free-text column of ``folder``, and to ``study.yml``.

    Labels that must stay distinct (project names, code labels) get the
    payload after their own text, so they stay distinct.
    """
    folder = Path(folder)
    for name, columns in TEXT_COLUMNS.items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for number, column in enumerate(c for c in columns if c in frame):
            # one distinct value in `every`, the same way wherever it occurs (an indicator keeps one label)
            distinct = list(dict.fromkeys(frame[column]))
            planted = {
                value: f"{value} {payloads[(n // every + number) % len(payloads)]}".strip()
                for n, value in enumerate(distinct)
                if n % every == number % every
            }
            frame[column] = frame[column].map(lambda v: planted.get(v, v))
        frame.to_csv(path, index=False, lineterminator="\n")
    study_file = folder / "study.yml"
    study = yaml.safe_load(study_file.read_text(encoding="utf-8"))
    study["case"] = f"{study['case']} {payloads[6]}"
    study["territory"] = f"{study.get('territory') or ''} {payloads[0]}".strip()
    for number, period in enumerate(study.get("periods") or []):
        period["label"] = f"{period['label']} {payloads[number % len(payloads)]}"
        if period.get("opening_event"):
            period["opening_event"] = f"{period['opening_event']} {payloads[(number + 3) % len(payloads)]}"
    for number, category in enumerate(study.get("stakeholder_categories") or []):
        category["label"] = f"{category['label']} {payloads[(number + 1) % len(payloads)]}"
    study_file.write_text(yaml.safe_dump(study, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
