"""Limits of the analysis, stated from the data rather than as boilerplate.

The reflexivity report lays before partners what the analysis cannot carry:
one case, a given span of time, few interviews per stakeholder category,
material seen through few eyes, coding checked or not, cells hidden for
privacy. Each limit is computed from the loaded case, so that it changes
when the data change.

Takes a loaded :class:`~rd_territoriale.study.case.Case`, the number of cells the
report masked (:attr:`rd_territoriale.privacy.masking.MaskedTable.n_masked`)
and, when measured, the intercoder reliability. Returns DataFrames. Never
plots, never reads or writes a file, never masks a table: the raw counts of
:func:`interviews_per_category` (persons, in effect) are for the report to
mask with :func:`rd_territoriale.privacy.masking.mask_for_audience`.

Rules (explicit, so that a partner can check them)
--------------------------------------------------
- **Cases.** A :class:`Case` is one case (one organisation, one territory):
  always one.
- **Units.** A project is *active* in a period when its dates overlap it
  (start on or before the period's end, and no end or an end on or after
  the period's start); *observed* when a journal entry or a document of the
  period is about it.
- **Interviews.** Documents of kind ``entretien`` or ``entretien collectif``
  with a period; an interview's category is its respondent's (``people``).
  A category × period cell is *small* below the study's
  ``privacy.min_cell_size``, *very thin* at 0 or 1 interview.
- **Double coding.** The primary coder is the one with most segments
  (:func:`rd_territoriale.analysis.matrices.primary_coder`); an interview is
  double-coded when another coder coded at least one segment in it.
- **Viewpoint.** Who wrote the journal, who led the interviews (the most
  frequent interviewer), and whether that person is a researcher who also
  belongs to a stakeholder category (an embedded researcher).
- **Reliability.** ≥ 0.800 reliable, ≥ 0.667 acceptable for tentative
  conclusions, below: insufficient (Krippendorff's thresholds, docs/architecture.md §4).
- **Audience.** For ``partenaires`` the sentences never state a small count
  of interviews of a category (« moins de 5 » instead); for ``equipe`` they
  give it (« un seul entretien… »). Zeros are stated for both: they
  designate nobody.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from rd_territoriale.analysis.codebook import code_labels
from rd_territoriale.analysis.matrices import primary_coder
from rd_territoriale.analysis.reliability.coefficients import TENTATIVE, reliability_status  # noqa: F401  (re-exported)
from rd_territoriale.french import french_date, french_number, french_percent, plural_s
from rd_territoriale.privacy.masking import AUDIENCES
from rd_territoriale.study.contract import INTERVIEW_KINDS

__all__ = [
    "LIMIT_COLUMNS",
    "LIMIT_KEYS",
    "RELIABILITY_MEASURES",
    "interviews_per_category",
    "reliability_status",
    "study_limits",
]

LIMIT_COLUMNS = ["key", "topic", "sentence", "value", "figures"]
LIMIT_KEYS = (
    "cases",
    "periods",
    "units",
    "interviews",
    "interviews_per_category",
    "viewpoint",
    "double_coding",
    "reliability",
    "masked_cells",
)
#: Accepted names of a reliability coefficient, in order of preference, and their French names.
RELIABILITY_MEASURES = {
    "krippendorff_alpha": "alpha de Krippendorff",
    "alpha": "alpha de Krippendorff",
    "cohen_kappa": "kappa de Cohen",
    "kappa": "kappa de Cohen",
    "fleiss_kappa": "kappa de Fleiss",
}
THIN = 1
_OVERALL = {"ensemble", "tous", "tous les codes", "*", "all", "overall", "total"}
_DAYS_PER_MONTH = 365.25 / 12


# --- French wording --------------------------------------------------------------


def _duration(months: int) -> str:
    years, rest = divmod(int(months), 12)
    if years == 0:
        return f"{rest} mois"
    text = f"{years} an{plural_s(years)}"
    return text if rest == 0 else f"{text} et {rest} mois"


def _join(items) -> str:
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _group_name(label: str) -> str:
    """« les salariés » from « Salariés » (first letter lowered unless an acronym)."""
    label = str(label)
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return f"les {label}"


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


# --- counts ------------------------------------------------------------------------
def _interviews(case) -> pd.DataFrame:
    docs = case.documents
    keep = docs["kind"].isin(list(INTERVIEW_KINDS)).fillna(False) & docs["period"].notna()
    return docs.loc[keep.to_numpy(dtype=bool)]


def interviews_per_category(case) -> pd.DataFrame:
    """Interviews per stakeholder category and period: raw counts, to be masked.

    The category of an interview is its respondent's. These are counts of
    persons in effect: a report for partners must pass the table to
    :func:`rd_territoriale.privacy.masking.mask_for_audience` before showing it.

    Parameters
    ----------
    case : Case

    Returns
    -------
    pandas.DataFrame
        ``int64`` counts, categories as rows (index ``category``: the study's
        category ids in study order, then any other category met, then
        ``non renseignée`` when a respondent has none), periods as columns
        (study order), zeros included.
    """
    interviews = _interviews(case)
    category = interviews["respondent"].map(case.people.set_index("id")["category"])
    category = category.astype(object).where(category.notna(), "non renseignée")
    periods = [str(p) for p in case.periods["id"]]
    known = [str(c) for c in case.study.categories["id"]]
    rows = known + sorted(set(category.astype(str)) - set(known) - {"non renseignée"})
    if (category == "non renseignée").any():
        rows.append("non renseignée")
    table = pd.crosstab(category.astype(str), interviews["period"].astype(str))
    table = table.reindex(index=rows, columns=periods, fill_value=0).astype("int64")
    table.index.name, table.columns.name = "category", "period"
    return table


def _active_units(case) -> pd.DataFrame:
    """Unit × period: active by dates, observed through the journal or documents."""
    units, periods = case.units, case.periods
    seen = pd.concat([case.journal[["unit", "period"]], case.documents[["unit", "period"]]]).dropna()
    observed = set(zip(seen["unit"].astype(str), seen["period"].astype(str)))
    rows = []
    for unit in units.itertuples():
        for period in periods.itertuples():
            active = (pd.isna(unit.start) or unit.start <= period.end) and (
                pd.isna(unit.end) or unit.end >= period.start
            )
            rows.append((str(unit.id), str(period.id), bool(active), (str(unit.id), str(period.id)) in observed))
    return pd.DataFrame(rows, columns=["unit", "period", "active", "observed"])


# --- limits ------------------------------------------------------------------------
def _limit(key, topic, sentence, value, figures) -> dict:
    return {
        "key": key,
        "topic": topic,
        "sentence": sentence,
        "value": np.nan if value is None else float(value),
        "figures": figures,
    }


def _cases(case) -> dict:
    study = case.study
    sentence = (
        f"Un seul cas ({study.name}), sur un seul territoire ({study.territory}) : ce qui est "
        "observé ici ne se généralise pas sans comparaison avec d'autres organisations ou "
        "d'autres territoires."
    )
    return _limit("cases", "Un seul cas", sentence, 1, {"cases": 1, "case": study.name, "territory": study.territory})


def _periods(case) -> dict:
    periods = case.periods
    n = len(periods)
    if n == 0:
        return _limit("periods", "Période d'étude", "Aucune période définie dans l'étude.", 0, {"periods": 0})
    start, end = periods["start"].min(), periods["end"].max()
    months = [round(((row.end - row.start).days + 1) / _DAYS_PER_MONTH) for row in periods.itertuples()]
    span = round(((end - start).days + 1) / _DAYS_PER_MONTH)
    sentence = f"{_count(n, 'période', 'périodes')}, du {french_date(start)} au {french_date(end)} ({_duration(span)})"
    if n > 1:
        sentence += (
            f", de {min(months)} à {max(months)} mois chacune"
            if min(months) != max(months)
            else f", de {months[0]} mois chacune"
        )
    sentence += " : une seule période d'étude ; ce qui vient après n'est pas observé."
    figures = {
        "periods": n,
        "start": start,
        "end": end,
        "months": span,
        "period_months": dict(zip(periods["id"].astype(str), months)),
    }
    return _limit("periods", "Période d'étude", sentence, n, figures)


def _units(case) -> dict:
    grid = _active_units(case)
    periods = [str(p) for p in case.periods["id"]]
    n = len(case.units)
    active = grid.groupby("period")["active"].sum().reindex(periods, fill_value=0).astype(int)
    observed = grid.groupby("period")["observed"].sum().reindex(periods, fill_value=0).astype(int)
    all_periods = int(grid.groupby("unit")["active"].all().sum()) if n else 0
    per = _join(f"{active[p]} en {p}" for p in periods)
    if n == 0:
        sentence = "Aucun projet (unité enchâssée) dans l'étude."
    elif all_periods == n:
        sentence = (
            f"{_count(n, 'projet', 'projets')} (unités enchâssées), tous en activité sur "
            f"{'la période' if len(periods) == 1 else f'les {len(periods)} périodes'}."
        )
    else:
        following = (
            f"seul {all_periods} est en activité"
            if all_periods == 1
            else f"seuls {all_periods} sont en activité"
            if all_periods
            else "aucun n'est en activité"
        )
        sentence = (
            f"{_count(n, 'projet', 'projets')} (unités enchâssées), en activité : {per} ; "
            f"{following} sur les {len(periods)} périodes : les projets récents se comparent "
            "sur peu de périodes."
        )
    figures = {
        "units": n,
        "active": active.to_dict(),
        "observed": observed.to_dict(),
        "active_all_periods": all_periods,
    }
    return _limit("units", "Unités enchâssées", sentence, n, figures)


def _interviews_limit(case) -> dict:
    interviews = _interviews(case)
    periods = [str(p) for p in case.periods["id"]]
    per = interviews["period"].astype(str).value_counts().reindex(periods, fill_value=0).astype(int)
    n = len(interviews)
    collective = int((interviews["kind"] == "entretien collectif").sum())
    members = int(pd.to_numeric(case.study.categories["members"], errors="coerce").fillna(0).sum())
    kinds = (
        f" ({n - collective} individuels, {collective} collectifs)"
        if collective and n - collective
        else " (tous collectifs)"
        if collective
        else ""
    )
    spread = f"{per.min()} par période" if per.min() == per.max() else f"de {per.min()} à {per.max()} par période"
    empty = [p for p in periods if per[p] == 0]
    sentence = f"{_count(n, 'entretien', 'entretiens')}{kinds}, {spread}"
    if empty:
        sentence += f" (aucun en {_join(empty)})"
    sentence += " : un matériau qualitatif, pas un échantillon représentatif"
    sentence += f" des {members} membres." if members else "."
    figures = {"interviews": n, "collective": collective, "per_period": per.to_dict(), "members": members}
    return _limit("interviews", "Entretiens", sentence, n, figures)


def _thin_clauses(table: pd.DataFrame, labels: dict, value: int) -> tuple[list[str], bool]:
    """Clauses naming the categories with exactly ``value`` interviews in some periods."""
    periods = list(table.columns)
    everywhere, partial = [], []
    for category, row in table.iterrows():
        hit = [p for p in periods if row[p] == value]
        if not hit:
            continue
        name = _group_name(labels.get(category, category))
        if len(hit) == len(periods):
            everywhere.append(name)
        elif len(hit) > len(periods) / 2:
            partial.append(f"{name} hors {_join([p for p in periods if p not in hit])}")
        else:
            partial.append(f"{name} en {_join(hit)}")
    clauses = []
    if everywhere:
        clauses.append(_join(everywhere))
    clauses.extend(partial)
    return clauses, bool(everywhere)


def _per_category_limit(case, audience: str) -> dict:
    table = interviews_per_category(case)
    labels = dict(zip(case.study.categories["id"].astype(str), case.study.categories["label"].astype(str)))
    threshold = int(case.study.min_cell_size)
    cells = int(table.size)
    small = int((table < threshold).to_numpy().sum())
    parts = []
    zeros, _ = _thin_clauses(table, labels, 0)
    if zeros:
        parts.append("aucun entretien " + _join(f"avec {c}" for c in zeros))
    if audience == "equipe":
        ones, one_everywhere = _thin_clauses(table, labels, 1)
        if ones:
            head = "un seul entretien par période " if one_everywhere else "un seul entretien "
            parts.append(head + _join(f"pour {c}" for c in ones))
    if small:
        privacy = " (seuil de confidentialité)" if audience != "equipe" else ""
        where = f"les {cells}" if small == cells else f"{small} des {cells}"
        parts.append(f"moins de {threshold} entretiens{privacy} dans {where} cases catégorie × période")
    if not parts:
        sentence = f"Au moins {threshold} entretiens dans chaque catégorie à chaque période."
    else:
        sentence = " ; ".join(parts)
        sentence = sentence[0].upper() + sentence[1:]
        sentence += " : les comparaisons entre catégories reposent sur très peu de personnes"
        sentence += " ; les effectifs exacts ne sont pas publiés." if audience != "equipe" else "."
    thin = {(c, p): int(table.at[c, p]) for c in table.index for p in table.columns if table.at[c, p] <= THIN}
    figures = {
        "table": table,
        "min_cell_size": threshold,
        "cells": cells,
        "small_cells": small,
        "thin_cells": thin,
        "raw_counts": True,
    }
    return _limit("interviews_per_category", "Entretiens par catégorie", sentence, small, figures)


def _viewpoint(case) -> dict:
    journal, interviews, people = case.journal, _interviews(case), case.people.set_index("id")
    authors = journal["author"].dropna().astype(str).value_counts()
    interviewers = interviews["interviewer"].dropna().astype(str).value_counts()
    parts, figures = [], {"journal_entries": len(journal), "journal_authors": list(authors.index)}
    sole = authors.index[0] if len(authors) == 1 else None
    if len(journal):
        who = f"une seule personne ({sole})" if sole else f"{len(authors)} personnes"
        parts.append(f"Les {len(journal)} entrées du journal de terrain sont écrites par {who}")
    main = None
    if len(interviewers):
        main, led = interviewers.index[0], int(interviewers.iloc[0])
        share = led / len(interviews)
        figures.update(
            {"main_interviewer": main, "led": led, "interviews": len(interviews), "interviewer_share": share}
        )
        done = (
            f"les {led} entretiens"
            if led == len(interviews)
            else f"{led} des {len(interviews)} entretiens ({french_percent(share)})"
        )
        parts.append(f"qui a aussi mené {done}" if main == sole else f"{main} a mené {done}")
    embedded = []
    for person in dict.fromkeys(p for p in (sole, main) if p):
        flag = people.at[person, "is_researcher"] if person in people.index else False
        if pd.notna(flag) and bool(flag) and pd.notna(people.at[person, "category"]):
            category = str(people.at[person, "category"])
            label = dict(zip(case.study.categories["id"], case.study.categories["label"])).get(category, category)
            embedded.append(f"{person} est à la fois chercheur·e et membre de la catégorie « {label} »")
    figures["embedded"] = embedded
    if not parts:
        return _limit("viewpoint", "Regards sur le terrain", "Ni journal de terrain ni entretien.", None, figures)
    sentence = parts[0]
    if len(parts) > 1:
        sentence += (", " if main == sole else " ; ") + parts[1]
    if embedded:
        sentence += " ; " + " ; ".join(embedded)
    sentence += (
        " : le matériau passe surtout par le regard d'une personne impliquée dans le terrain." if embedded else "."
    )
    return _limit("viewpoint", "Regards sur le terrain", sentence, figures.get("interviewer_share"), figures)


def _double_coding(case) -> dict:
    interviews = _interviews(case)
    ids = set(interviews["id"].astype(str))
    segments = case.segments
    primary = primary_coder(case)
    figures = {"primary_coder": primary, "interviews": len(ids)}
    if primary is None:
        return _limit("double_coding", "Double codage", "Aucun passage codé.", None, figures)
    source = segments["source"].astype(str)
    mine = (segments["coder"] == primary).fillna(False).to_numpy(dtype=bool)
    others = segments["coder"].notna().to_numpy(dtype=bool) & ~mine
    double = set(source[others]) & ids
    journal_ids = set(case.journal["id"].astype(str))
    double_journal = set(source[others]) & journal_ids
    primary_iv = mine & source.isin(ids).to_numpy()
    primary_all = int(mine.sum())
    in_double = int((primary_iv & source.isin(double).to_numpy()).sum())
    share = len(double) / len(ids) if ids else np.nan
    seg_share = in_double / int(primary_iv.sum()) if primary_iv.any() else np.nan
    figures.update(
        {
            "double_coded_interviews": len(double),
            "share_interviews": share,
            "primary_interview_segments": int(primary_iv.sum()),
            "segments_in_double_coded": in_double,
            "share_segments": seg_share,
            "primary_segments": primary_all,
            "share_all_primary_segments": in_double / primary_all if primary_all else np.nan,
            "double_coded_journal_entries": len(double_journal),
            "second_coders": sorted(set(segments.loc[others, "coder"].astype(str))),
        }
    )
    if not ids:
        sentence = "Aucun entretien : pas de double codage possible."
    elif not double:
        sentence = (
            "Aucun entretien n'a été codé par une seconde personne : tout le codage repose sur une seule personne."
        )
    else:
        sentence = (
            f"{len(double)} des {len(ids)} entretiens ({french_percent(share)}) ont aussi été codés par une "
            "seconde personne"
        )
        if primary_iv.any():  # the main coder may have coded no interview at all
            sentence += f", soit {french_percent(seg_share)} des passages d'entretien du codeur principal"
        journal_coded = bool((mine & source.isin(journal_ids).to_numpy()).any())
        if journal_coded and not double_journal:
            sentence += " ; aucune entrée du journal de terrain n'a été codée deux fois"
        sentence += " : le reste du codage repose sur une seule personne."
    return _limit("double_coding", "Double codage", sentence, share, figures)


def _reliability(case, reliability, double_figures) -> dict:
    if reliability is None:
        n = double_figures.get("double_coded_interviews", 0)
        tail = (
            f" : le double codage de {_count(n, 'entretien', 'entretiens')} le permettrait."
            if n
            else " : aucun passage n'a été codé par deux personnes."
        )
        return _limit(
            "reliability",
            "Fiabilité du codage",
            "Fiabilité inter-codeurs non encore mesurée" + tail,
            None,
            {"measured": False},
        )
    labels = code_labels(case.codebook) if len(case.codebook) else {}
    if isinstance(reliability, pd.Series):
        reliability = reliability.to_dict()
    if isinstance(reliability, dict):
        measure = next(
            (
                k
                for k in RELIABILITY_MEASURES
                if isinstance(reliability.get(k), numbers.Real) and np.isfinite(reliability[k])
            ),
            None,
        )
        overall = float(reliability[measure]) if measure else np.nan
        below = [str(c) for c in reliability.get("codes_below", []) or []]
        note = reliability.get("status") or reliability.get("verdict")
        per_code = None
    elif isinstance(reliability, pd.DataFrame):
        measure = next((k for k in RELIABILITY_MEASURES if k in reliability.columns), None)
        if measure is None:
            raise ValueError("fiabilité illisible : aucune colonne parmi " + ", ".join(RELIABILITY_MEASURES) + ".")
        frame = reliability.dropna(subset=[measure])
        note = None
        if "code" in frame.columns:
            is_overall = frame["code"].isna() | frame["code"].astype(str).str.lower().isin(_OVERALL)
            per_code = frame.loc[~is_overall.to_numpy(dtype=bool)]
            overall_rows = frame.loc[is_overall.to_numpy(dtype=bool), measure]
            overall = float(overall_rows.iloc[0]) if len(overall_rows) else np.nan
            below = [str(c) for c in per_code.loc[per_code[measure] < TENTATIVE, "code"]]
        else:
            per_code, below = None, []
            overall = float(frame[measure].iloc[0]) if len(frame) == 1 else np.nan
    else:
        raise TypeError("fiabilité illisible : attendu un dictionnaire, une série ou un tableau.")
    if measure is None and not note:
        raise ValueError("fiabilité illisible : aucun coefficient parmi " + ", ".join(RELIABILITY_MEASURES) + ".")
    name = RELIABILITY_MEASURES.get(measure, "")
    parts = []
    if np.isfinite(overall):
        parts.append(
            f"{name} de {french_number(overall, 2)} sur l'ensemble des codes, {reliability_status(overall)} "
            "(seuils 0,667 et 0,800)"
        )
    elif per_code is not None and len(per_code):
        values = per_code[measure].astype(float)
        parts.append(
            f"{name} de {french_number(values.min(), 2)} à {french_number(values.max(), 2)} selon les codes "
            f"(médiane {french_number(values.median(), 2)} ; seuils 0,667 et 0,800)"
        )
    if below:
        named = _join(f"« {labels.get(c, c)} »" for c in below)
        parts.append(f"{_count(len(below), 'code', 'codes')} sous 0,667 : {named}")
    elif per_code is not None and len(per_code):
        parts.append("aucun code sous 0,667")
    if note:
        parts.append(str(note))
    if not parts:  # a coefficient column with no value (e.g. a single coder)
        parts.append("non calculable sur les données fournies (aucun coefficient)")
    sentence = "Fiabilité inter-codeurs : " + " ; ".join(parts) + "."
    value = (
        overall
        if np.isfinite(overall)
        else (float(per_code[measure].min()) if per_code is not None and len(per_code) else None)
    )
    figures = {
        "measured": True,
        "measure": measure,
        "overall": overall,
        "codes_below": below,
        "status": reliability_status(value) if value is not None else note,
    }
    return _limit("reliability", "Fiabilité du codage", sentence, value, figures)


def _masked(masked_cells, min_size: int) -> dict:
    if isinstance(masked_cells, numbers.Integral):
        n = int(masked_cells)
    else:
        items = [masked_cells] if hasattr(masked_cells, "n_masked") else list(masked_cells)
        n = int(sum(int(getattr(item, "n_masked", item)) for item in items))
    if n < 0:
        raise ValueError(f"nombre de cases masquées négatif : {n}.")
    if n == 0:
        sentence = "Aucune case n'a été masquée dans les tableaux de ce rapport."
    else:
        sentence = (
            f"{_count(n, 'case masquée', 'cases masquées')} dans les tableaux de ce rapport "
            f"(moins de {min_size} personnes, ou masquées pour qu'on ne puisse pas les recalculer) : "
            "les écarts entre petites catégories n'y sont pas lisibles."
        )
    return _limit("masked_cells", "Secret statistique", sentence, n, {"masked_cells": n, "min_cell_size": min_size})


def _gaps(case) -> list[dict]:
    """What the study lacks (:mod:`rd_territoriale.study.gaps`), one limit each, then its empty periods."""
    from rd_territoriale.study.gaps import empty_periods, study_gaps

    rows = [
        {"key": f"gap_{key}", "topic": "Matériau manquant", "sentence": sentence, "value": np.nan, "figures": {}}
        for key, sentence in study_gaps(case).items()
    ]
    empty = empty_periods(case)
    if empty:
        labels = dict(zip(case.study.periods["id"].astype(str), case.study.periods["label"]))
        names = ", ".join(f"{p} ({labels.get(p, p)})" for p in empty)
        plural = len(empty) > 1
        rows.append(
            {
                "key": "empty_periods",
                "topic": "Périodes vides",
                "sentence": (
                    f"{'Les périodes' if plural else 'La période'} {names} "
                    f"{'n’ont' if plural else 'n’a'} aucun matériau "
                    "(ni entretien, ni entrée du journal, ni indicateur) : rien n'y est décrit. "
                    "Recueillez du matériau daté dans cette période, ou revoyez le découpage."
                ),
                "value": float(len(empty)),
                "figures": {"periods": empty},
            }
        )
    return rows


def study_limits(case, masked_cells=0, reliability=None, audience: str = "partenaires") -> pd.DataFrame:
    """The limits of the analysis, each stated from the data in one French sentence.

    Parameters
    ----------
    case : Case
        A loaded case.
    masked_cells : int, MaskedTable or iterable of them, default 0
        Cells the report masked: an int (sum of
        :attr:`~rd_territoriale.privacy.masking.MaskedTable.n_masked`), or the
        masked tables themselves (or ints), summed.
    reliability : dict, pandas.Series or pandas.DataFrame, optional
        The intercoder agreement when measured. A dict/Series holds a
        coefficient under one of :data:`RELIABILITY_MEASURES`
        (``krippendorff_alpha``, ``alpha``, ``cohen_kappa``, ``kappa``,
        ``fleiss_kappa``), optionally ``codes_below`` (codes under 0.667)
        and ``status`` (a French note added to the sentence). A DataFrame
        holds one of these columns, and optionally ``code`` (one row per
        code; a row whose code is missing or « ensemble »/« all » is the
        overall value). ``None``: « Fiabilité inter-codeurs non encore
        mesurée ».
    audience : {"partenaires", "equipe"}, default "partenaires"
        Who reads the sentences: for partners, no small count of interviews
        of a category is written out (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per limit, in the order of :data:`LIMIT_KEYS` (``cases,
        periods, units, interviews, interviews_per_category, viewpoint,
        double_coding, reliability, masked_cells``), columns
        :data:`LIMIT_COLUMNS`, then one row per gap of the study
        (:func:`rd_territoriale.study.gaps.study_gaps`: no journal, no projects,
        one period, one coder…; key ``gap_<name>``) and one for its empty
        periods (``empty_periods``), if any:

        - ``key``: the limit's identifier;
        - ``topic``: a short French title;
        - ``sentence``: the French sentence for the report;
        - ``value``: the headline figure (``float``, NaN when none): 1
          case, number of periods, of units, of interviews, of small
          category × period cells, the main interviewer's share, the share
          of interviews double-coded, the reliability coefficient, the
          number of masked cells;
        - ``figures``: a dict of the detailed figures. For
          ``interviews_per_category`` it holds ``table``, the **raw**
          counts of :func:`interviews_per_category`: mask them before
          showing them to partners.

    Raises
    ------
    ValueError
        In French, for an unknown audience, a negative number of masked
        cells, or a reliability that holds no coefficient.
    TypeError
        In French, when ``reliability`` is neither a dict, a Series nor a
        DataFrame.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"public inconnu : {audience!r} ; attendu : {' ou '.join(AUDIENCES)}.")
    double = _double_coding(case)
    rows = [
        _cases(case),
        _periods(case),
        _units(case),
        _interviews_limit(case),
        _per_category_limit(case, audience),
        _viewpoint(case),
        double,
        _reliability(case, reliability, double["figures"]),
        _masked(masked_cells, int(case.study.min_cell_size)),
        *_gaps(case),
    ]
    out = pd.DataFrame(rows, columns=LIMIT_COLUMNS)
    out["value"] = out["value"].astype(float)
    return out
