"""The codebook as the analyses read it: latest labels, and its churn across versions.

A codebook evolves (codes renamed, merged, split, dropped); versions are kept
in the ``codebook`` table. Displays name a code by the label of the latest
version that defines it, so that a code keeps one name across a report
(:func:`latest_definitions`, :func:`code_labels`), and places it in the
code tree of its latest version (:func:`code_ancestry`). The reflexivity report
shows how the codebook changed from one version to the next
(:func:`codebook_churn`, :func:`churn_summary`): the vocabulary of the
analysis is itself a product of the research.

Takes the ``codebook`` table (``code, label, parent, definition, version``
and, when the study keeps it, ``replaces``: the codes of the previous version
that a code takes over); returns DataFrames and dicts. Never plots, never
reads or writes a file, never edits the codebook.

Churn rules (explicit, so that a partner can check them)
--------------------------------------------------------
Versions are compared two by two in increasing order (1 → 2, 2 → 3…; a
missing version number is skipped, the step goes to the next present one).
For a step *before* → *after*:

1. **Links.** A code of *after* that lists in ``replaces`` a code of
   *before* takes it over (a link old → new). Items of ``replaces`` that are
   not codes of *before* are ignored (a ``replaces`` repeated in a later
   version, or a code already gone), and so is a code listing itself. A code
   present in both versions and touched by a link is linked to itself (it
   carries on). Linked codes form groups (connected components).
2. **Groups.** One old code and one new code (different ids): « renommé ».
   Several old codes and one new code: « fusionné » (into a new code, or into
   one that carries on). One old code and several new codes: « scindé » (the
   old code may carry on as one of them). Several and several:
   « recomposé ». One row per group.
3. **Outside any group.** A code of *after* absent from *before*:
   « ajouté ». A code of *before* absent from *after*: « abandonné ». A code
   in both versions whose label or definition changed (surrounding and repeated
   spaces ignored, an empty cell equals a missing one):
   « redéfini »; whose parent changed: « déplacé » (a code can be both: two
   rows). One row per code.

Rows are ordered by step, then by kind (:data:`CHANGE_KINDS` order), then by
the position of the first code in the codebook.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pandas as pd

from rd_territoriale.study.contract import LIST_SEPARATOR

#: Kinds of change, ``{column of churn_summary: French value of churn["change"]}``, in row order.
CHANGE_KINDS = {
    "added": "ajouté",
    "renamed": "renommé",
    "merged": "fusionné",
    "split": "scindé",
    "recomposed": "recomposé",
    "redefined": "redéfini",
    "moved": "déplacé",
    "dropped": "abandonné",
}
CHURN_COLUMNS = [
    "from_version",
    "to_version",
    "change",
    "codes_before",
    "codes_after",
    "labels_before",
    "labels_after",
    "description",
]
SUMMARY_COLUMNS = ["from_version", "to_version", "codes_before", "codes_after", *CHANGE_KINDS, "total"]


def latest_definitions(codebook: pd.DataFrame) -> pd.DataFrame:
    """One row per code: its definition in the latest version that has it.

    Parameters
    ----------
    codebook : pandas.DataFrame
        ``code, label, version`` and any other codebook column.

    Returns
    -------
    pandas.DataFrame
        The codebook rows of each code's highest version, indexed by code,
        in the order codes first appear in ``codebook``.
    """
    order = list(dict.fromkeys(codebook["code"].astype(str)))
    latest = codebook.sort_values("version", kind="mergesort").drop_duplicates("code", keep="last")
    return latest.set_index(latest["code"].astype(str)).reindex(order)


def code_labels(codebook: pd.DataFrame) -> dict[str, str]:
    """``{code: label}``, each code named as in the latest version that defines it.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["a", "a"], "label": ["Ancien", "Nouveau"], "version": [1, 2]})
    >>> code_labels(book)
    {'a': 'Nouveau'}
    """
    latest = latest_definitions(codebook)
    return {code: str(label) for code, label in latest["label"].items()}


def code_ancestry(codebook: pd.DataFrame) -> dict[str, list[str]]:
    """``{code: [root, …, parent, code]}``: each code's chain of ancestors.

    Parameters
    ----------
    codebook : pandas.DataFrame
        ``code, label, parent, version`` (all versions).

    Returns
    -------
    dict
        For every code of the codebook, the codes from the root of the tree
        down to the code itself. Each code's parent is taken from the latest
        version that defines it; a parent missing from the codebook ends the
        chain, and so does a cycle.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["a", "b", "b"], "label": ["A", "B", "B"],
    ...     "parent": [None, None, "a"], "version": [2, 1, 2]})
    >>> code_ancestry(book)
    {'a': ['a'], 'b': ['a', 'b']}
    """
    latest = latest_definitions(codebook)
    parents = {code: _norm(parent) for code, parent in latest["parent"].items()}
    out = {}
    for code, parent in parents.items():
        chain = [code]
        while parent and parent in parents and parent not in chain:
            chain.append(parent)
            parent = parents[parent]
        out[code] = chain[::-1]
    return out


def _replaced(value) -> list[str]:
    """The items of a ``replaces`` cell: a list, a ``|``-separated string or missing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [str(v).strip() for v in list(value) if v is not None and str(v).strip()]


def _norm(value) -> str:
    """A text cell compared across versions: missing = empty, blanks collapsed."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _quoted(labels: list[str]) -> str:
    """« A », « A » et « B », « A », « B » et « C »."""
    items = [f"« {label} »" for label in labels]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _groups(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[list[str], list[str]]]:
    """Connected groups of old and new codes linked by ``replaces`` (rule 1)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a, b):
        parent[find(a)] = find(b)

    old_codes, new_codes = set(before.index), set(after.index)
    for code, items in after["_replaces"].items():
        for old in items:
            if old in old_codes and old != code:
                union(("old", old), ("new", code))
    touched = {code for _, code in parent}
    for code in touched & old_codes & new_codes:
        union(("old", code), ("new", code))
    components: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in list(parent):
        components.setdefault(find(node), []).append(node)
    old_order = {code: i for i, code in enumerate(before.index)}
    new_order = {code: i for i, code in enumerate(after.index)}
    groups = []
    for nodes in components.values():
        olds = sorted({c for side, c in nodes if side == "old"}, key=old_order.get)
        news = sorted({c for side, c in nodes if side == "new"}, key=new_order.get)
        groups.append((olds, news))
    return groups


def _step_changes(before: pd.DataFrame, after: pd.DataFrame, v_before: int, v_after: int) -> list[dict]:
    """The changes of one step (rules 1-3 of the module docstring), as rows with a sort key."""
    kind_rank = {kind: i for i, kind in enumerate(CHANGE_KINDS.values())}
    rows: list[dict] = []
    step = {"from_version": int(v_before), "to_version": int(v_after)}

    def row(change, olds, news, description, position):
        rows.append(
            {
                **step,
                "change": change,
                "codes_before": list(olds),
                "codes_after": list(news),
                "labels_before": [str(before.at[c, "label"]) for c in olds],
                "labels_after": [str(after.at[c, "label"]) for c in news],
                "description": description,
                "_rank": (int(v_before), kind_rank[change], position),
            }
        )

    grouped: set[str] = set()
    for olds, news in _groups(before, after):
        grouped.update(olds)
        grouped.update(news)
        old_labels = [str(before.at[c, "label"]) for c in olds]
        new_labels = [str(after.at[c, "label"]) for c in news]
        position = int(after.at[news[0], "_position"])
        if len(olds) == 1 and len(news) == 1:
            change = "renommé"
            text = f"{_quoted(old_labels)} renommé {_quoted(new_labels)}"
        elif len(news) == 1:
            change = "fusionné"
            text = f"{_quoted(old_labels)} fusionnés en {_quoted(new_labels)}"
        elif len(olds) == 1:
            change = "scindé"
            text = f"{_quoted(old_labels)} scindé en {_quoted(new_labels)}"
        else:
            change = "recomposé"
            text = f"{_quoted(old_labels)} recomposés en {_quoted(new_labels)}"
        row(change, olds, news, f"{text} en version {v_after}.", position)
    for code in after.index:
        if code in grouped:
            continue
        new = after.loc[code]
        if code not in before.index:
            row("ajouté", [], [code], f"Code ajouté en version {v_after} : « {new['label']} ».", int(new["_position"]))
            continue
        old = before.loc[code]
        changed = [
            what
            for what, column in (("libellé", "label"), ("définition", "definition"))
            if _norm(old[column]) != _norm(new[column])
        ]
        if changed:
            if "libellé" in changed:
                detail = f"libellé « {old['label']} » devenu « {new['label']} »"
                if "définition" in changed:
                    detail += " et définition modifiée"
            else:
                detail = "définition modifiée"
            row(
                "redéfini",
                [code],
                [code],
                f"« {new['label']} » redéfini en version {v_after} : {detail}.",
                int(new["_position"]),
            )
        if _norm(old["parent"]) != _norm(new["parent"]):
            where = _norm(new["parent"])
            if where:
                where_label = after.at[where, "label"] if where in after.index else where
                target = f"sous « {where_label} »"
            else:
                target = "au premier niveau"
            row(
                "déplacé",
                [code],
                [code],
                f"« {new['label']} » déplacé en version {v_after} : désormais {target}.",
                int(new["_position"]),
            )
    for code in before.index:
        if code not in after.index and code not in grouped:
            row(
                "abandonné",
                [code],
                [],
                f"Code abandonné en version {v_after} : « {before.at[code, 'label']} ».",
                int(before.at[code, "_position"]),
            )
    return rows


def codebook_churn(codebook: pd.DataFrame) -> pd.DataFrame:
    """Every change of the codebook from one version to the next.

    Parameters
    ----------
    codebook : pandas.DataFrame
        ``code, label, version``; ``parent``, ``definition`` and ``replaces``
        (a list, or ``|``-separated text) when present. A code listed twice
        in one version counts once (its first row).

    Returns
    -------
    pandas.DataFrame
        One row per change (see the module docstring for the rules), columns
        :data:`CHURN_COLUMNS`:

        - ``from_version``, ``to_version``: the step (``int``);
        - ``change``: « ajouté », « renommé », « fusionné », « scindé »,
          « recomposé », « redéfini », « déplacé » or « abandonné »;
        - ``codes_before``, ``codes_after``: lists of codes (empty for an
          addition and a drop respectively; the same code for a
          redefinition or a move);
        - ``labels_before``, ``labels_after``: their labels in each version;
        - ``description``: one French sentence.

        Empty (with these columns) when the codebook has fewer than two
        versions.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...     "version": [1, 1, 2], "replaces": [[], [], ["a", "b"]]})
    >>> churn = codebook_churn(book)
    >>> churn[["change", "codes_before", "codes_after"]].values.tolist()
    [['fusionné', ['a', 'b'], ['c']]]
    """
    book = codebook.copy()
    book["code"] = book["code"].astype(str)
    book["_replaces"] = (
        book["replaces"].map(_replaced) if "replaces" in book.columns else [[] for _ in range(len(book))]
    )
    for column in ("label", "definition", "parent"):
        if column not in book.columns:
            book[column] = pd.NA
    book["_position"] = range(len(book))
    book = book[book["version"].notna()]
    book["version"] = book["version"].astype("int64")
    versions = sorted(book["version"].unique())
    by_version = {v: g.drop_duplicates("code").set_index("code") for v, g in book.groupby("version")}
    rows = []
    for v_before, v_after in pairwise(versions):
        rows.extend(_step_changes(by_version[v_before], by_version[v_after], int(v_before), int(v_after)))
    if not rows:
        return pd.DataFrame(
            {column: pd.Series(dtype="int64" if column.endswith("version") else object) for column in CHURN_COLUMNS}
        )
    out = pd.DataFrame(rows).sort_values("_rank", kind="mergesort")
    out = out[CHURN_COLUMNS].reset_index(drop=True)
    return out.astype({"from_version": "int64", "to_version": "int64"})


def churn_summary(churn: pd.DataFrame, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of changes of each kind per version step.

    Parameters
    ----------
    churn : pandas.DataFrame
        Output of :func:`codebook_churn`.
    codebook : pandas.DataFrame, optional
        The codebook the churn comes from. When given, every step appears
        (a step without change counts zeros) and ``codes_before`` /
        ``codes_after`` give the number of codes in each version; without
        it, only steps with a change appear and these two columns are
        missing values.

    Returns
    -------
    pandas.DataFrame
        One row per step, columns :data:`SUMMARY_COLUMNS`:
        ``from_version, to_version, codes_before, codes_after``, one count
        column per kind of change (the keys of :data:`CHANGE_KINDS`:
        ``added, renamed, merged, split, recomposed, redefined, moved,
        dropped``; zeros included) and ``total``.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...     "version": [1, 1, 2], "replaces": [[], [], ["a"]]})
    >>> churn_summary(codebook_churn(book))[["renamed", "dropped", "total"]].values.tolist()
    [[1, 1, 2]]
    """
    if codebook is not None:
        versions = sorted(codebook["version"].dropna().astype("int64").unique())
        steps = list(pairwise(versions))
        sizes = (
            codebook.dropna(subset=["version"]).groupby(codebook["version"].dropna().astype("int64"))["code"].nunique()
        )
    else:
        steps = list(dict.fromkeys(zip(churn["from_version"], churn["to_version"])))
        sizes = None
    index = pd.MultiIndex.from_tuples([(int(a), int(b)) for a, b in steps], names=["from_version", "to_version"])
    french = {value: key for key, value in CHANGE_KINDS.items()}
    kinds = churn["change"].map(french)
    counts = (
        churn.assign(kind=kinds).groupby(["from_version", "to_version", "kind"]).size().unstack("kind")
        if len(churn)
        else pd.DataFrame(index=index)
    )
    out = counts.reindex(index=index, columns=list(CHANGE_KINDS)).fillna(0).astype("int64")
    out["total"] = out.sum(axis=1).astype("int64")
    out.columns.name = None
    out = out.reset_index()
    if sizes is not None:
        out.insert(2, "codes_before", out["from_version"].map(sizes).astype("Int64"))
        out.insert(3, "codes_after", out["to_version"].map(sizes).astype("Int64"))
    else:
        out.insert(2, "codes_before", pd.array([pd.NA] * len(out), dtype="Int64"))
        out.insert(3, "codes_after", pd.array([pd.NA] * len(out), dtype="Int64"))
    return out[SUMMARY_COLUMNS]
