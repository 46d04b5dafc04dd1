"""One rule for the command's names (issue 17): French first, the English spelling as an alias, help in French."""

from __future__ import annotations

import argparse

import pytest

from rd_territoriale.cli import parser

#: Spelled the same in both languages: no alias to add.
SAME_IN_BOTH = {"-h", "--help", "--version", "--pdf", "--date", "--schemas", "--code", "-j"}
COMMANDS = {
    "valider": "validate",
    "initialiser": "init",
    "construire": "build",
    "pseudonymiser": "pseudonymise",
    "desaccords": "disagreements",
    "importer": "import",
    "exporter": "export",
    "exemple": "example",
}


def subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_french_with_its_english_alias():
    choices = subparsers(parser())
    for french, english in COMMANDS.items():
        assert choices[french] is choices[english], f"{french} / {english}"
    assert set(choices) == set(COMMANDS) | set(COMMANDS.values())


def test_every_option_has_a_french_and_an_english_spelling():
    missing = []
    for name, sub in subparsers(parser()).items():
        if name not in COMMANDS:
            continue
        for action in sub._actions:
            spellings = [s for s in action.option_strings if s not in SAME_IN_BOTH]
            if action.option_strings and len(spellings) == 1:
                missing.append(f"{name} {spellings[0]}")
    assert not missing, f"options sans alias anglais (ou français) : {missing}"


@pytest.mark.parametrize(
    "old, new",
    [
        (
            ["build", "--root", "x", "--study", "e", "--jobs", "2"],
            ["construire", "--racine", "x", "--etude", "e", "-j", "2"],
        ),
        (["validate", "data/e"], ["valider", "data/e"]),
        (
            ["import", "f.qdpx", "--into", "d", "--codebook", "c.csv"],
            ["importer", "f.qdpx", "--dans", "d", "--livre-de-codes", "c.csv"],
        ),
        (
            ["export", "citations", "d", "--out", "o.csv", "--period", "P1"],
            ["exporter", "citations", "d", "--sortie", "o.csv", "--periode", "P1"],
        ),
        (
            ["example", "--out", "o", "--scale", "2", "--seed", "3"],
            ["exemple", "--sortie", "o", "--echelle", "2", "--graine", "3"],
        ),
        (["pseudonymise", "raw", "out", "--key", "k.csv"], ["pseudonymiser", "raw", "out", "--cle", "k.csv"]),
    ],
)
def test_old_spellings_still_work(old, new):
    a, b = vars(parser().parse_args(old)), vars(parser().parse_args(new))
    a.pop("command"), b.pop("command")
    assert a == b


def test_help_and_errors_are_french(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["construire", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : rd-territoriale construire") and "afficher cette aide" in out
    assert "show this help" not in out and "positional arguments" not in out
    with pytest.raises(SystemExit) as stop:
        parser().parse_args(["valider"])
    assert stop.value.code == 2
    assert "erreur : arguments obligatoires manquants : DOSSIER" in capsys.readouterr().err
