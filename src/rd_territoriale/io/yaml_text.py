"""YAML read with libyaml when it is there, with PyYAML's own messages when the text is wrong.

``study.yml`` and ``reports.yml`` are read on every build, including the
builds that have nothing to do, and ``study.yml`` by every notebook that
loads its study: PyYAML's pure-Python parser takes most of such a read's
time, its C parser (libyaml, shipped in PyYAML's wheels) a tenth of it.
Both build the same data, and the same nodes with the same lines and
columns, from a valid text; a plain scalar's ``style`` is ``None`` for one
and ``""`` for the other (:func:`is_plain`). A text that is not valid YAML
is read again by the pure-Python parser, so that the error the researcher
reads stays the one PyYAML has always given.
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


def compose(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=yaml.SafeLoader)`` (its nodes, with their lines), by libyaml when available.

    Raises
    ------
    yaml.YAMLError
        As the pure-Python composer does, with its message and line.
    """
    if _FAST is not None:
        try:
            return yaml.compose(text, Loader=_FAST)
        except yaml.YAMLError:
            pass  # the message and line below are the pure-Python parser's, as always
    return yaml.compose(text, Loader=yaml.SafeLoader)


def is_plain(node: yaml.ScalarNode) -> bool:
    """Whether a scalar was written without quotes (libyaml says ``""`` where PyYAML says ``None``)."""
    return not node.style
