"""Table schemas (pandera) and the validation of a whole study folder.

:func:`validate_study` reads ``study.yml`` and every table, checks each cell
against the data contract (:mod:`rd_territoriale.study.contract`) and every
reference between tables, and returns *all* problems at once, each located as
a spreadsheet shows it (file, line with header = 1, column letter and name),
with the value found and the rule expected, in French. It never writes.

Column rules are pandera checks built from the contract; rules that tie two
columns or two tables together (an end after a start, a code of the same
codebook version, a date inside a period…) are vectorised pandas code in
:mod:`rd_territoriale.study.relations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from rd_territoriale.errors import Problem
from rd_territoriale.io import RawTable, read_table
from rd_territoriale.study import parsing as P
from rd_territoriale.study.contract import LIST_SEPARATOR, SECTION_TABLES, TABLES, Column, Table
from rd_territoriale.study.definition import STUDY_FILE, StudyFile, assign_periods, check_study_scalars, read_study_file

KIND_RULES = {
    "id": "un identifiant sans espace (lettres, chiffres, « - », « _ », « . »)",
    "date": "une date au format AAAA-MM-JJ (ou JJ/MM/AAAA)",
    "int": "un nombre entier",
    "float": "un nombre (virgule ou point décimal)",
    "bool": "oui ou non",
}
REF_RULES = {
    "units": "un projet défini dans units (colonne id)",
    "people": "une personne définie dans people (colonne id)",
    "sources": "un document (documents, colonne id) ou une entrée du journal (journal, colonne id)",
    "categories": "une catégorie de parties prenantes déclarée dans study.yml",
    "periods": "une période déclarée dans study.yml",
    "evidence": "des identifiants de segments (segments) ou d'entrées du journal (journal)",
}


@dataclass
class Context:
    """Identifiers known across the study, for reference checks.

    Built from the raw tables (strings), so that a table with problems still
    lends its identifiers to the checks of the others.
    """

    ids: dict = field(default_factory=dict)
    unreadable: set = field(default_factory=set)
    periods: pd.DataFrame | None = None
    latest_version: int | None = None
    code_versions: dict = field(default_factory=dict)

    def known(self, ref: str) -> set:
        """Known identifiers for a reference kind."""
        return self.ids.get(ref, set())

    def ref_rule(self, ref: str) -> str:
        """The French rule for a reference, listing short vocabularies."""
        if ref == "codes":
            version = f" (version {self.latest_version})" if self.latest_version else ""
            return f"un code de la dernière version du codebook{version}"
        rule = REF_RULES[ref]
        if ref in ("categories", "periods") and self.known(ref):
            rule += f" ({', '.join(sorted(self.known(ref)))})"
        return rule


def _ids(raw: RawTable | None, column: str = "id") -> set:
    if raw is None or column not in raw.frame:
        return set()
    return set(raw.frame[column].dropna().unique().tolist())


def build_context(raws: dict, sections: dict, periods: pd.DataFrame | None) -> Context:
    """Known identifiers of every table and section."""
    ctx = Context(periods=periods)
    # A table that could not be read is reported once, not once per reference.
    sources = {
        "units": ["units"],
        "people": ["people"],
        "sources": ["documents", "journal"],
        "evidence": ["segments", "journal"],
        "codes": ["codebook"],
    }
    for ref, names in sources.items():
        if any(raws.get(n) is not None and raws[n].problems and not len(raws[n].frame.columns) for n in names):
            ctx.unreadable.add(ref)
    if "stakeholder_categories" not in sections:
        ctx.unreadable.add("categories")
    if "periods" not in sections:
        ctx.unreadable.add("periods")
    ctx.ids["units"] = _ids(raws.get("units"))
    ctx.ids["people"] = _ids(raws.get("people"))
    ctx.ids["sources"] = _ids(raws.get("documents")) | _ids(raws.get("journal"))
    ctx.ids["evidence"] = _ids(raws.get("segments")) | _ids(raws.get("journal"))
    ctx.ids["categories"] = _ids(sections.get("stakeholder_categories"))
    ctx.ids["periods"] = _ids(sections.get("periods"))
    codebook = raws.get("codebook")
    if codebook is not None and {"code", "version"} <= set(codebook.frame.columns):
        versions = P.parse_int(codebook.frame["version"])
        frame = pd.DataFrame({"code": codebook.frame["code"], "version": versions}).dropna()
        ctx.code_versions = frame.groupby("code")["version"].apply(lambda v: sorted(set(v))).to_dict()
        if len(frame):
            ctx.latest_version = int(frame["version"].max())
            ctx.ids["codes"] = set(frame.loc[frame["version"] == ctx.latest_version, "code"])
        else:
            ctx.ids["codes"] = set(frame["code"])
    elif codebook is not None and "code" in codebook.frame:
        ctx.ids["codes"] = _ids(codebook, "code")
    return ctx


class _Rules:
    """Registry of check keys -> French rule, filled while schemas are built."""

    def __init__(self):
        self.rules: dict[str, tuple[str, Column, str]] = {}

    def check(self, table: str, col: Column, what: str, fn, rule: str) -> pa.Check:
        key = f"{table}.{col.name}.{what}"
        self.rules[key] = (rule, col, what)
        return pa.Check(fn, element_wise=False, ignore_na=True, error=key)


def _column_checks(table: Table, col: Column, ctx: Context, rules: _Rules) -> list:
    checks = []
    name = table.name
    kind = col.kind
    if kind == "id":
        checks.append(rules.check(name, col, "kind", P.valid_id, KIND_RULES["id"]))
    elif kind == "date":
        checks.append(rules.check(name, col, "kind", lambda s: P.parse_date(s).notna(), KIND_RULES["date"]))
    elif kind in ("int", "float"):
        rule = KIND_RULES[kind]
        minimum = col.minimum
        if minimum is not None:
            rule += f" supérieur ou égal à {minimum:g}"

        def number_ok(s, whole=(kind == "int"), minimum=minimum):
            n = P.parse_number(s)  # parsed once for every rule on the cell
            ok = n.notna()
            if whole:
                ok &= np.floor(n) == n
            if minimum is not None:
                ok &= n >= minimum
            return ok

        checks.append(rules.check(name, col, "kind", number_ok, rule))
    elif kind == "bool":
        checks.append(rules.check(name, col, "kind", P.valid_bool, KIND_RULES["bool"]))
    elif kind == "enum":
        choices = col.choices
        checks.append(
            rules.check(
                name,
                col,
                "kind",
                lambda s: P.parse_enum(s, choices).notna(),
                "l'une des valeurs : " + ", ".join(choices),
            )
        )
    if col.ref and col.ref not in ctx.unreadable and not (name == "codebook" and col.ref == "codes"):
        known = list(ctx.known(col.ref))
        if kind == "list":

            def in_refs(s, known=known):
                items = P.explode_list(s)
                bad_rows = items.index[~P.member_of(items, known).to_numpy()]
                return pd.Series(~s.index.isin(bad_rows), index=s.index)

            checks.append(
                rules.check(
                    name,
                    col,
                    "ref",
                    in_refs,
                    f"une liste séparée par « {LIST_SEPARATOR} » dont chaque élément est " + ctx.ref_rule(col.ref),
                )
            )
        else:
            checks.append(
                rules.check(name, col, "ref", lambda s, known=known: P.member_of(s, known), ctx.ref_rule(col.ref))
            )
    if col.in_period and ctx.periods is not None and len(ctx.periods):
        periods = ctx.periods

        def inside(s):
            dates = P.parse_date(s)
            return dates.isna() | assign_periods(dates, periods).notna()

        bounds = " ; ".join(f"{r.id} du {r.start:%Y-%m-%d} au {r.end:%Y-%m-%d}" for r in periods.itertuples())
        checks.append(
            rules.check(name, col, "period", inside, f"une date comprise dans une période de study.yml ({bounds})")
        )
    return checks


def table_schema(table: Table, ctx: Context, rules: _Rules) -> pa.DataFrameSchema:
    """The pandera schema of ``table`` for a study whose known ids are ``ctx``."""
    columns = {
        col.name: pa.Column(
            None,
            checks=_column_checks(table, col, ctx, rules),
            nullable=col.nullable,
            unique=col.unique,
            report_duplicates="exclude_first",
            required=col.required,
        )
        for col in table.columns
    }
    unique = list(table.key) if len(table.key) > 1 else None
    return pa.DataFrameSchema(columns, unique=unique, report_duplicates="exclude_first", name=table.name)


def _first_lines(raw: RawTable, columns: list[str]) -> dict:
    """Line of the first occurrence of each value (or tuple) of ``columns`` (none when a column is missing)."""
    if any(c not in raw.frame.columns for c in columns):
        return {}
    frame = raw.frame[columns].copy()
    frame["_line"] = raw.lines
    first = frame.drop_duplicates(subset=columns, keep="first")
    keys = first[columns[0]] if len(columns) == 1 else first[columns].apply(tuple, axis=1)
    return dict(zip(keys, first["_line"]))


def _translate(raw: RawTable, table: Table, cases: pd.DataFrame, rules: _Rules, ctx: Context) -> list[Problem]:
    """Turn pandera failure cases into located French problems."""
    problems: list[Problem] = []
    frame = raw.frame
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        column = None if pd.isna(column) else column
        if check == "column_in_dataframe":
            for missing in group["failure_case"]:
                found = ", ".join(raw.header) or "aucune"
                hint = P.closest(missing, [c for c in raw.header if c not in table.names])
                rule = f"la colonne obligatoire « {missing} » dans l'en-tête (colonnes trouvées : {found})"
                if hint:
                    rule += f" ; « {hint} » serait-elle cette colonne mal orthographiée ?"
                problems.append(Problem(raw.file, raw.header_line, missing, None, rule))
            continue
        idx = group["index"].dropna()
        if check == "multiple_fields_uniqueness":
            if any(c not in frame.columns for c in table.key):
                continue  # a key column is missing: that is reported on its own, once
            pos = pd.Index(idx.astype(int)).unique()
            first = _first_lines(raw, list(table.key))
            keys = frame.loc[pos, list(table.key)].apply(tuple, axis=1)
            label = ", ".join(table.key)
            for p, key in zip(pos, keys):
                problems += raw.problem(
                    [p],
                    table.key[0],
                    [" / ".join(map(str, key))],
                    f"un couple ({label}) unique ; déjà présent ligne {first.get(key)}",
                )
            continue
        pos = idx.astype(int).to_numpy()
        values = frame[column].iloc[pos].tolist() if column in frame else [None] * len(pos)
        if check == "not_nullable":
            problems += raw.problem(pos, column, [None] * len(pos), "une valeur (cette cellule est obligatoire)")
        elif check == "field_uniqueness":
            first = _first_lines(raw, [str(column)])
            for p, v in zip(pos, values):
                problems += raw.problem(
                    [p], column, [v], f"une valeur unique ; « {v} » est déjà utilisé ligne {first.get(v)}"
                )
        elif check in rules.rules:
            rule, col, what = rules.rules[check]
            if what == "ref" and col.kind == "list":
                known = ctx.known(col.ref or "")
                for p, v in zip(pos, values):
                    unknown = [i for i in P.split_list(pd.Series([v])).iloc[0] if i not in known]
                    problems += raw.problem([p], column, [v], f"{rule} ; inconnu : {', '.join(unknown)}")
            elif what == "ref" and col.ref == "codes":
                for p, v in zip(pos, values):
                    older = ctx.code_versions.get(v)
                    extra = f" ; « {v} » n'existe que dans la version {', '.join(map(str, older))}" if older else ""
                    hint = P.closest(v, ctx.known("codes")) if not older and v else None
                    if hint:
                        extra += f" ; vouliez-vous dire « {hint} » ?"
                    problems += raw.problem([p], column, [v], rule + extra)
            else:
                problems += raw.problem(pos, column, values, rule)
        else:  # a pandera check we did not name: keep its own wording
            problems += raw.problem(pos, column, values, str(check))
    return problems


def check_table(raw: RawTable, table: Table, ctx: Context) -> tuple[list[Problem], list[Problem]]:
    """Problems and warnings of one raw table against its contract."""
    problems: list[Problem] = list(raw.problems)
    warnings: list[Problem] = []
    if raw.problems and not len(raw.frame.columns):
        return problems, warnings
    for col in raw.header:
        if col not in table.names:
            warnings.append(
                Problem(
                    raw.file,
                    raw.header_line,
                    col,
                    None,
                    f"une colonne du contrat ({', '.join(table.names)}) ; colonne inconnue, ignorée",
                    raw.letter(col),
                )
            )
    rules = _Rules()
    schema = table_schema(table, ctx, rules)
    try:
        schema.validate(raw.frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _translate(raw, table, err.failure_cases, rules, ctx)
    return problems, warnings


@dataclass
class Validation:
    """The outcome of :func:`validate_study`.

    Attributes
    ----------
    folder : Path
    problems : list of Problem
        Every problem, sorted by file, line and column.
    warnings : list of Problem
        Things worth knowing that do not stop the study (unknown columns…).
    raws : dict
        Raw tables by name (``None`` for an absent optional table).
    study_file : StudyFile
    sections : dict
        Raw study sections (periods, categories, lexicon).
    """

    folder: Path
    problems: list
    warnings: list
    raws: dict
    study_file: StudyFile
    sections: dict

    @property
    def ok(self) -> bool:
        """Whether the study has no problem."""
        return not self.problems


FILE_ORDER = [STUDY_FILE] + list(TABLES)


def _sort(problems: list[Problem]) -> list[Problem]:
    order = {name: i for i, name in enumerate(FILE_ORDER)}

    def key(p: Problem):
        stem = p.file.split(".")[0] if p.file != STUDY_FILE else STUDY_FILE
        return (order.get(stem, 99), p.file, p.line or 0, p.letter or "", p.column or "")

    unique, seen = [], set()
    for p in sorted(problems, key=key):
        cell = (p.file, p.line, p.column)
        if p.line is not None and p.column is not None and cell in seen:
            continue  # one problem per cell: the first rule it breaks
        seen.add(cell)
        unique.append(p)
    return unique


def typed_periods(raw: RawTable | None) -> pd.DataFrame | None:
    """Periods with parsed dates (rows with unreadable dates dropped)."""
    if raw is None or not {"id", "start", "end"} <= set(raw.frame.columns):
        return None
    frame = pd.DataFrame(
        {
            "id": raw.frame["id"],
            "start": P.parse_date(raw.frame["start"]),
            "end": P.parse_date(raw.frame["end"]),
        }
    )
    return frame.dropna().sort_values("start").reset_index(drop=True)


def validate_study(folder) -> Validation:
    """Check a study folder completely; never writes.

    Parameters
    ----------
    folder : str or Path
        Folder holding ``study.yml`` and the tables.

    Returns
    -------
    Validation
        All problems at once (``ok`` is ``True`` when there are none).

    Examples
    --------
    >>> v = validate_study("data/exemple")  # doctest: +SKIP
    >>> v.ok
    True
    """
    from rd_territoriale.study.relations import relation_problems

    folder = Path(folder)
    sf = read_study_file(folder)
    problems = list(sf.problems)
    scalar_problems, warnings = check_study_scalars(sf)
    problems += scalar_problems
    sections = sf.sections
    periods = typed_periods(sections.get("periods"))
    raws = {name: read_table(folder, name, table.required) for name, table in TABLES.items()}
    ctx = build_context(raws, sections, periods)
    for name, raw in sections.items():
        p, w = check_table(raw, SECTION_TABLES[name], ctx)
        problems += p
        warnings += w
    for name, raw in raws.items():
        if raw is None:
            continue
        p, w = check_table(raw, TABLES[name], ctx)
        problems += p
        warnings += w
    problems += relation_problems(raws, sections, sf, ctx)
    return Validation(folder, _sort(problems), _sort(warnings), raws, sf, sections)
