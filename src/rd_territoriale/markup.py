"""Study text into the project's markup: a string from a study is text, never markup.

Labels, names, quotes and notes come from the people who wrote the study's
tables. When the project builds Markdown around them (the narrative of a
report), each such string goes through :func:`md`, which escapes every
character Markdown or HTML would read: a note that mentions ``<script>``,
a label ``[clic](https://…)`` or the sentence ``a < b & c > d`` is shown as
written, and the project's own Markdown (bold, lists, headings) stays
Markdown.

Other destinations have their own rule, in their own place: tables are
escaped by :func:`rd_territoriale.report.overview.french_table`, figure
labels never turn on mathtext (:mod:`rd_territoriale.figures._style`) and
spreadsheet cells are formula-safe (:mod:`rd_territoriale.io.cells`).
"""

from __future__ import annotations

import re

#: Characters Markdown (CommonMark, GFM, the math of JupyterLab and nbconvert) or HTML read anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]!~$|<>&@])")
#: What opens a block (heading, list, quote, numbered list) when it starts a line.
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")
#: Line breaks and tabs (not the no-break spaces of French typography).
_BREAKS = re.compile(r"[ \t]*[\r\n\t\f\v]+[ \t]*")
#: A bare address that an autolink extension would turn into a link.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)([:.])")


def md(text) -> str:
    """``text`` as literal Markdown (and literal HTML inside it).

    The characters that Markdown or HTML read inline are backslash-escaped
    (CommonMark renders ``\\<`` as ``&lt;`` and ``\\&`` as ``&amp;``),
    so is what would open a block at the start of the text, and bare web
    addresses are kept from becoming links. Line breaks become spaces, so
    that a note cannot open a list or a heading. Ordinary punctuation is
    left alone: the Markdown stays readable.

    >>> md("a < b & [lien](x)")
    'a \\\\< b \\\\& \\\\[lien\\\\](x)'
    >>> md("# titre"), md("1. un"), md("coût : 3 $")
    ('\\\\# titre', '1\\\\. un', 'coût : 3 \\\\$')
    >>> md(None)
    ''
    """
    if text is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(text):
            return ""
    except (TypeError, ValueError):
        pass
    # Line breaks and tabs become one space; no-break spaces (French typography) are kept.
    out = _INLINE.sub(r"\\\1", _BREAKS.sub(" ", str(text)).strip(" "))
    out = _AUTOLINK.sub(r"\1\\\2", out)
    match = _LINE_START.match(out)
    if match:
        lead = match.group(2)
        escaped = lead[:-1] + "\\" + lead[-1] if lead[0].isdigit() else "\\" + lead
        out = match.group(1) + escaped + out[match.end() :]
    return out
