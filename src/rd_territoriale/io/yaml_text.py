"""YAML read with libyaml when it is there, with PyYAML's own messages when the text is wrong.

``study.yml`` and ``reports.yml`` are read on every build, including the
builds that have nothing to do: PyYAML's pure-Python parser takes most of
such a build's time, its C parser (libyaml, shipped in PyYAML's wheels) a
tenth of it. Both build the same data from a valid text. A text that is not
valid YAML is read again by the pure-Python parser, so that the error the
researcher reads stays the one PyYAML has always given.
"""

from __future__ import annotations

import yaml

_FAST = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str):
    """``yaml.safe_load(text)``, by libyaml when available (module docstring).

    Raises
    ------
    yaml.YAMLError
        As ``yaml.safe_load`` does, with its message.
    """
    if _FAST is not None:
        try:
            return yaml.load(text, Loader=_FAST)  # noqa: S506 — a safe loader
        except yaml.YAMLError:
            pass  # the message below is the pure-Python parser's, as always
    return yaml.safe_load(text)
