"""Generate the synthetic example case: a fictional Clus'Ter Jura study.

:func:`generate` writes ``study.yml`` and the seven tables of the data
contract (:mod:`rd_territoriale.study.contract`) into a folder. Everything in it is
invented: pseudonyms only, no real person, no real interview. The data carry
*planted effects* (a code that rises in one period, a project that fades, a
period where employees' voices dominate, a research term that spreads into
actors' words after the researcher's first use, an unreliable code, null
codes...) so that the analyses and reports can be checked against a known
answer key, written in ``data/exemple/README.md``.

How the data are drawn
----------------------
Counts are Poisson with rate x exposure: for interviews the exposure is the
number of words / 1000, for the field journal the number of months a project
is active in a period. A code without a planted effect has the same rate in
every period and every stakeholder category, so a "null" is truly null.
French texts are assembled from templates with fill-ins. Interview
transcripts themselves are not part of the case: the ``start``/``end`` of an
interview segment are code-point offsets in a notional transcript of about
six code points per word (segments in order, never overlapping for a coder);
journal segments are exact slices of the journal text. Other documents
(comptes rendus, internal notes, press) are listed but not coded.

Regeneration is deterministic: one ``numpy.random.default_rng(seed)`` (plus a
dedicated stream, ``default_rng([seed, CYCLE_STREAM])``, for the evidence of
the indicators added when the value chain became a cycle), a fixed
order of draws, explicit number formatting, ``\\n`` line ends. The same
``seed`` and ``scale`` give byte-identical files (with the same numpy
release: numpy does not promise identical streams across versions for every
distribution). ``scale`` multiplies the
volume of qualitative data (interviews, journal entries, hence segments);
people, projects, the codebook and the value-chain indicators do not scale.

This module never reads data, never writes ``README.md`` and never deletes a
file.

Examples
--------
>>> from rd_territoriale.example import generate
>>> counts = generate("/tmp/exemple")              # doctest: +SKIP
>>> counts["segments"]                              # doctest: +SKIP
4452

From the shell (the ``exemple`` command of :mod:`rd_territoriale.cli`)::

    rd-territoriale exemple --sortie data/exemple --echelle 1 --graine 2018
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from rd_territoriale.example.builder import Builder, Segments, codebook_frame, units_frame
from rd_territoriale.example.scenario import (
    CASE,
    CATEGORIES,
    DEFAULT_OUT,
    DEFAULT_SEED,
    DIFFUSION_DATE,
    LEXICON,
    PERIODS,
    TERRITORY,
)
from rd_territoriale.study.contract import STUDY_FILE

__all__ = ["DEFAULT_SEED", "DEFAULT_OUT", "DIFFUSION_DATE", "build", "generate", "study_yaml"]

# --------------------------------------------------------------------------
# study.yml
# --------------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def study_yaml(seed: int = DEFAULT_SEED, scale: int = 1) -> str:
    """The text of the example ``study.yml``.

    Parameters
    ----------
    seed, scale : int
        Recorded in the header comment only.

    Returns
    -------
    str
        YAML text, dates as quoted ISO strings, ``\\n`` line ends.
    """
    lines = [
        "# Cas d'exemple SYNTHÉTIQUE : rien n'est réel (personnes pseudonymisées, textes inventés).",
        f"# Généré par « rd-territoriale exemple » (graine {seed}, échelle {scale}).",
        "# Ne pas modifier à la main : régénérer avec « rd-territoriale exemple ».",
        "case: " + _q(CASE),
        "territory: " + _q(TERRITORY),
        "description: "
        + _q(
            "Recherche-intervention (CIFRE) dans un pôle territorial de coopération économique "
            "organisé en SCIC SA. Cas unique enchâssé : l'organisation et ses projets collectifs "
            "(unités enchâssées), suivis sur quatre périodes de 2018 à 2022. Données synthétiques "
            "avec effets plantés (voir README.md)."
        ),
        "researchers: [R01, R02]",
        "periods:",
    ]
    for p in PERIODS:
        lines.append(
            f"  - {{id: {p.id}, label: {_q(p.label)}, start: {_q(p.start)}, "
            f"end: {_q(p.end)}, opening_event: {_q(p.opening_event)}}}"
        )
    lines.append("stakeholder_categories:")
    for cid, label, college, members, *_ in CATEGORIES:
        lines.append(f"  - {{id: {cid}, label: {_q(label)}, college: {_q(college)}, members: {members}}}")
    lines.append("research_lexicon:")
    for term, variants in LEXICON:
        lines.append(f"  - {{term: {_q(term)}, variants: [{', '.join(_q(v) for v in variants)}]}}")
    lines.append("privacy: {min_cell_size: 5, quote_policy: consentement}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def build(scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build the example tables in memory, without writing anything.

    Parameters
    ----------
    scale : int, default 1
        Volume multiplier for interviews and journal entries (``30`` gives
        about 11,000 journal entries and 110,000 primary coded segments,
        130,000 with the second coder's, in a few seconds).
    seed : int, default :data:`DEFAULT_SEED`
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table of the contract, every cell a string (``""`` for
        a missing value), columns in contract order.
    """
    if int(scale) != scale or scale < 1:
        raise ValueError(f"scale doit être un entier >= 1 (reçu : {scale!r})")
    scale = int(scale)
    b = Builder(int(seed), scale)
    seg = Segments.empty()
    documents = b.documents()
    b.interview_segments(seg)
    journal = b.journal(seg)
    b.second_coding(seg)
    segments = b.segments_frame(seg, documents, journal)
    indicators = b.indicators(segments, documents, journal)
    return {
        "units": units_frame(),
        "people": b.people,
        "documents": documents,
        "journal": journal,
        "codebook": codebook_frame(),
        "segments": segments,
        "indicators": indicators,
    }


def generate(out_dir, scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the synthetic example case into ``out_dir``.

    Writes ``study.yml`` and ``units.csv, people.csv, documents.csv,
    journal.csv, codebook.csv, segments.csv, indicators.csv`` (UTF-8, comma,
    header, ``\\n`` line ends). Existing files of those names are replaced;
    nothing else in ``out_dir`` is touched (``README.md`` is never written
    nor deleted).

    Parameters
    ----------
    out_dir : str or Path
        Target folder, created if needed.
    scale : int, default 1
        Volume multiplier (interviews, journal entries, segments).
    seed : int, default :data:`DEFAULT_SEED`
        Seed; the same seed and scale give byte-identical files.

    Returns
    -------
    dict of str to int
        Number of rows written per table.

    Examples
    --------
    >>> counts = generate(tmp_path / "exemple")           # doctest: +SKIP
    >>> counts["journal"] >= 300                           # doctest: +SKIP
    True
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = build(scale=scale, seed=seed)
    (out / STUDY_FILE).write_bytes(study_yaml(seed, scale).encode("utf-8"))
    counts = {}
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
        counts[name] = len(frame)
    return counts
