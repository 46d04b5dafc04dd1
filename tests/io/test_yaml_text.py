"""YAML read by libyaml reads as PyYAML's own parser does: the same data, nodes, lines and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from payloads import PAYLOADS

from rd_territoriale.io import yaml_text

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    (ROOT / "data" / "exemple" / "study.yml").read_text(encoding="utf-8"),
    (ROOT / "reports.yml").read_text(encoding="utf-8"),
    'case: "x"\nempty:\nquoted: ""\ntilde: ~\nnull_word: null\nlist: [a, "b", 3]\n',
    # Field text in labels: markup, math, a formula, a name (tests/payloads.py), as a study writes it.
    yaml.safe_dump({"case": "Étude", "labels": [f"Jean-Pierre Dupont {p}" for p in PAYLOADS]}, allow_unicode=True),
]
BROKEN = ["a: [1, 2", "a: b: c", "- x\ny: 1", "\t a: 1", "a: 'open"]


def nodes(node, path="racine"):
    """Every node of a tree as (path, kind, tag, value, line, column, plain), in order."""
    if isinstance(node, yaml.ScalarNode):
        return [(path, "scalaire", node.tag, node.value, node.start_mark.line, node.start_mark.column, not node.style)]
    out = [(path, type(node).__name__, node.tag, None, node.start_mark.line, node.start_mark.column, None)]
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out += nodes(item, f"{path}[{i}]")
    else:
        for i, (key, value) in enumerate(node.value):
            out += nodes(key, f"{path}.clé{i}") + nodes(value, f"{path}.valeur{i}")
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_nodes_lines_and_data_as_pyyaml(text):
    assert nodes(yaml_text.compose(text)) == nodes(yaml.compose(text, Loader=yaml.SafeLoader))
    assert yaml_text.safe_load(text) == yaml.safe_load(text)


def test_plain_and_quoted_empty_values_are_told_apart():
    root = yaml_text.compose('vide:\ncite: ""\n')
    (_, empty), (_, quoted) = root.value
    assert yaml_text.is_plain(empty) and not yaml_text.is_plain(quoted)


@pytest.mark.parametrize("text", BROKEN)
def test_a_broken_text_gets_pyyaml_s_own_message_and_line(text):
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.compose(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.YAMLError) as got:
        yaml_text.compose(text)
    assert str(got.value) == str(expected.value)
    assert got.value.problem_mark.line == expected.value.problem_mark.line
