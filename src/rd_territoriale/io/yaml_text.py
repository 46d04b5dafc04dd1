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
    return _by_libyaml_first(yaml.load, text)  # with safe loaders only: CSafeLoader, else SafeLoader


def compose(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=yaml.SafeLoader)`` (its nodes, with their lines), by libyaml when available.

    Raises
    ------
    yaml.YAMLError
        As the pure-Python composer does, with its message and line.
    """
    return _by_libyaml_first(yaml.compose, text)


def _by_libyaml_first(read, text: str):
    """``read(text, Loader=...)`` with libyaml's safe loader, or PyYAML's when libyaml is missing or the
    text is wrong: the error the researcher reads, its message and line, is the pure-Python parser's."""
    if _FAST is not None:
        try:
            return read(text, Loader=_FAST)
        except yaml.YAMLError:
            pass
    return read(text, Loader=yaml.SafeLoader)


def is_plain(node: yaml.ScalarNode) -> bool:
    """Whether a scalar was written without quotes (libyaml says ``""`` where PyYAML says ``None``)."""
    return not node.style
