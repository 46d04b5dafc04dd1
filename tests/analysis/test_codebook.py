"""The codebook: latest labels, and its churn across versions (by hand and on the example)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rd_territoriale import load_case
from rd_territoriale.analysis.codebook import (
    CHANGE_KINDS,
    CHURN_COLUMNS,
    SUMMARY_COLUMNS,
    churn_summary,
    code_labels,
    codebook_churn,
    latest_definitions,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"


def book(rows) -> pd.DataFrame:
    """A codebook from ``(code, label, version, replaces, definition, parent)`` tuples."""
    return pd.DataFrame(rows, columns=["code", "label", "version", "replaces", "definition", "parent"])


def changes(churn: pd.DataFrame) -> list[tuple]:
    return [(r.from_version, r.to_version, r.change, r.codes_before, r.codes_after) for r in churn.itertuples()]


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


class TestLatest:
    def test_latest_label_wins(self):
        cb = book([("a", "Ancien", 1, [], "", ""), ("a", "Nouveau", 2, [], "", ""), ("b", "B", 1, [], "", "")])
        assert code_labels(cb) == {"a": "Nouveau", "b": "B"}
        assert latest_definitions(cb).index.tolist() == ["a", "b"]


class TestChurnByHand:
    def test_rename_merge_split_add_drop(self):
        cb = book(
            [
                ("a", "A", 1, [], "déf a", ""),
                ("b", "B", 1, [], "déf b", ""),
                ("c", "C", 1, [], "", ""),
                ("d", "D", 1, [], "", ""),
                ("e", "E", 1, [], "", ""),
                ("a2", "A neuf", 2, ["a"], "déf a", ""),  # renamed
                ("bc", "B et C", 2, ["b", "c"], "", ""),  # merged
                ("d1", "D un", 2, ["d"], "", ""),  # split…
                ("d2", "D deux", 2, "d", "", ""),  # …(replaces as '|' text)
                ("f", "F", 2, [], "", ""),  # added; e is dropped
            ]
        )
        churn = codebook_churn(cb)
        assert list(churn.columns) == CHURN_COLUMNS
        assert changes(churn) == [
            (1, 2, "ajouté", [], ["f"]),
            (1, 2, "renommé", ["a"], ["a2"]),
            (1, 2, "fusionné", ["b", "c"], ["bc"]),
            (1, 2, "scindé", ["d"], ["d1", "d2"]),
            (1, 2, "abandonné", ["e"], []),
        ]
        merged = churn[churn["change"] == "fusionné"].iloc[0]
        assert merged["labels_before"] == ["B", "C"] and merged["labels_after"] == ["B et C"]
        assert merged["description"] == "« B » et « C » fusionnés en « B et C » en version 2."
        assert churn.iloc[1]["description"] == "« A » renommé « A neuf » en version 2."
        assert churn.iloc[0]["description"] == "Code ajouté en version 2 : « F »."

    def test_redefinition_and_move(self):
        cb = book(
            [
                ("p", "Parent", 1, [], "", ""),
                ("q", "Autre parent", 1, [], "", ""),
                ("x", "Coopération", 1, [], "Entre membres.", "p"),
                ("y", "Lenteur", 1, [], "Délais.", "p"),
                ("z", "Stable", 1, [], "Même  texte.", "p"),
                ("p", "Parent", 2, [], "", ""),
                ("q", "Autre parent", 2, [], "", ""),
                ("x", "Coopération entre acteurs", 2, [], "Entre structures.", "p"),  # label and definition
                ("y", "Lenteur", 2, [], "Délais de décision.", "q"),  # definition, and moved
                ("z", "Stable", 2, [], " Même texte. ", "p"),  # blanks only: no change
            ]
        )
        churn = codebook_churn(cb)
        assert changes(churn) == [
            (1, 2, "redéfini", ["x"], ["x"]),
            (1, 2, "redéfini", ["y"], ["y"]),
            (1, 2, "déplacé", ["y"], ["y"]),
        ]
        assert churn.iloc[0]["description"] == (
            "« Coopération entre acteurs » redéfini en version 2 : libellé "
            "« Coopération » devenu « Coopération entre acteurs » et "
            "définition modifiée."
        )
        assert churn.iloc[1]["description"] == "« Lenteur » redéfini en version 2 : définition modifiée."
        assert churn.iloc[2]["description"] == "« Lenteur » déplacé en version 2 : désormais sous « Autre parent »."

    def test_carrying_on_codes_and_recomposition(self):
        cb = book(
            [
                ("a", "A", 1, [], "", ""),
                ("b", "B", 1, [], "", ""),
                ("c", "C", 1, [], "", ""),
                ("d", "D", 1, [], "", ""),
                ("e", "E", 1, [], "", ""),
                ("a", "A", 2, ["b"], "", ""),  # b merged into a, which carries on
                ("c", "C", 2, [], "", ""),
                ("c2", "C bis", 2, ["c"], "", ""),  # c split, c carries on
                ("de1", "DE un", 2, ["d", "e"], "", ""),
                ("de2", "DE deux", 2, ["d", "e"], "", ""),
            ]
        )
        assert changes(codebook_churn(cb)) == [
            (1, 2, "fusionné", ["a", "b"], ["a"]),
            (1, 2, "scindé", ["c"], ["c", "c2"]),
            (1, 2, "recomposé", ["d", "e"], ["de1", "de2"]),
        ]

    def test_stale_and_self_replaces_are_ignored(self):
        cb = book(
            [
                ("a", "A", 1, [], "", ""),
                ("b", "B", 2, ["a"], "", ""),
                ("b", "B", 3, ["a"], "", ""),  # repeated in v3: a is not a v2 code
                ("c", "C", 3, ["c", "inconnu"], "", ""),  # self and unknown: a plain addition
            ]
        )
        assert changes(codebook_churn(cb)) == [(1, 2, "renommé", ["a"], ["b"]), (2, 3, "ajouté", [], ["c"])]

    def test_missing_version_and_columns(self):
        # versions 1 and 3 only; no replaces, parent or definition column
        cb = pd.DataFrame({"code": ["a", "b", "a"], "label": ["A", "B", "A"], "version": [1, 1, 3]})
        assert changes(codebook_churn(cb)) == [(1, 3, "abandonné", ["b"], [])]

    def test_single_version_is_empty(self):
        churn = codebook_churn(book([("a", "A", 1, [], "", "")]))
        assert churn.empty and list(churn.columns) == CHURN_COLUMNS
        summary = churn_summary(churn)
        assert summary.empty and list(summary.columns) == SUMMARY_COLUMNS

    def test_summary(self):
        cb = book(
            [
                ("a", "A", 1, [], "", ""),
                ("b", "B", 1, [], "", ""),
                ("a2", "A2", 2, ["a"], "", ""),
                ("b", "B", 2, [], "", ""),
                ("c", "C", 2, [], "", ""),
                ("a2", "A2", 3, [], "", ""),
                ("b", "B", 3, [], "", ""),
                ("c", "C", 3, [], "", ""),
            ]
        )
        churn = codebook_churn(cb)
        alone = churn_summary(churn)
        assert list(alone.columns) == SUMMARY_COLUMNS
        assert alone[["from_version", "to_version"]].values.tolist() == [[1, 2]]  # only steps with a change
        assert alone["codes_before"].isna().all()
        full = churn_summary(churn, cb).set_index(["from_version", "to_version"])
        assert full.index.tolist() == [(1, 2), (2, 3)]
        assert full.loc[(1, 2), ["codes_before", "codes_after", "added", "renamed", "total"]].tolist() == [
            2,
            3,
            1,
            1,
            2,
        ]
        assert full.loc[(2, 3)].drop(["codes_before", "codes_after"]).sum() == 0  # a step without change
        assert list(CHANGE_KINDS.values()) == [
            "ajouté",
            "renommé",
            "fusionné",
            "scindé",
            "recomposé",
            "redéfini",
            "déplacé",
            "abandonné",
        ]


class TestExample:
    """README: the codebook history, exactly as the answer key lists it."""

    def test_churn_matches_the_answer_key(self, case):
        churn = codebook_churn(case.codebook)
        assert changes(churn) == [
            (1, 2, "ajouté", [], ["role_flou"]),
            (1, 2, "ajouté", [], ["reconnaissance_externe"]),
            (1, 2, "ajouté", [], ["apport_recherche"]),
            (1, 2, "renommé", ["difficultes_financieres"], ["tension_financement"]),
            (1, 2, "fusionné", ["cooperation_interne", "cooperation_externe"], ["cooperation"]),
            (1, 2, "abandonné", ["innovation_sociale"], []),
            (2, 3, "ajouté", [], ["concurrence_projets"]),
            (2, 3, "scindé", ["epuisement"], ["pression_salaries", "surinvestissement"]),
        ]
        split = churn[churn["change"] == "scindé"].iloc[0]
        assert split["description"] == (
            "« Épuisement » scindé en « Pression sur les salariés » et « Surinvestissement » en version 3."
        )

    def test_summary(self, case):
        summary = churn_summary(codebook_churn(case.codebook), case.codebook)
        assert summary[["codes_before", "codes_after"]].values.tolist() == [[25, 26], [26, 28]]
        assert summary[["added", "renamed", "merged", "split", "redefined", "dropped", "total"]].values.tolist() == [
            [3, 1, 1, 0, 0, 1, 6],
            [1, 0, 0, 1, 0, 0, 2],
        ]

    def test_latest_codes_are_the_21_leaves_and_7_themes(self, case):
        latest = latest_definitions(case.codebook)
        assert (latest["version"] == 3).sum() == 28
        used = set(case.segments["code"])
        assert used <= set(latest.index[latest["version"] == 3])
