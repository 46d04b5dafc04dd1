"""The researcher's posture read from the field journal: roles across periods, reflexive notes.

In a *recherche-intervention* the embedded researcher both studies and changes
the organisation. Each journal entry records the role the researcher held in
that moment (``researcher_role``, one of
:data:`rd_territoriale.study.contract.RESEARCHER_ROLES`). This module counts these
roles per period, gives their shares with 95 % intervals, tests whether the
researcher acts more (or observes less) as the study goes on, and selects the
reflexive notes for the reflexivity report.

Takes a loaded :class:`~rd_territoriale.study.case.Case` (or the long table returned
by :func:`researcher_roles`); returns DataFrames. Never plots, never reads or
writes a file, never filters by quote consent (:func:`reflexive_notes` is a
plain selection: the report applies consent, see
:mod:`rd_territoriale.privacy.quotes`).

Rules (explicit, so that a partner can check them)
--------------------------------------------------
- **Denominator.** A role's share in a period is its number of entries over
  the period's journal entries *that record a role* (entries without a role,
  or outside every period, are left out). Every entry counts once, whatever
  its kind (meeting, workshop, reflexive note…).
- **Acting.** The researcher *acts* in an entry whose role is ``acteur``:
  they take part in the action as a player (carry a project, decide, speak
  for the pole). ``acting_share`` counts these entries only.
- **Intervening.** ``facilitateur`` (runs the meeting, distributes speech)
  and ``évaluateur`` (assesses, gives results back) are not players but
  they shape the event: with ``acteur`` they make the *intervening* entries,
  ``intervening_share`` = everything but ``observateur``. The narrow measure
  (acting) is the one the trend test reads first; the broad one says how
  rarely the researcher is a mere observer.
- **Intervals.** Wilson score 95 % intervals
  (:func:`statsmodels.stats.proportion.proportion_confint`), which stay
  inside [0, 1] and behave at 0 and 1 with small counts.
- **Trend.** :func:`role_trend` scores the periods 0, 1, 2… in study order
  (equal spacing, whatever their length) and applies the Cochran–Armitage
  test for trend (two-sided, normal approximation) to the counts; the effect
  size is the odds ratio per period step of a logistic regression of the
  role on the period score (binomial GLM, Wald 95 % interval). A trend is
  *found* when p < ``alpha`` (0.05). Periods without entries are left out;
  the test needs two periods with entries and a share strictly between 0 and
  1 overall. The acting share is the primary test; the other rows are given
  for description and are not corrected for multiple testing.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from rd_territoriale.analysis.material import select_periods
from rd_territoriale.french import french_number, french_percent
from rd_territoriale.study.contract import RESEARCHER_ROLES

__all__ = [
    "ACTING_ROLES",
    "INTERVENING_ROLES",
    "NOTE_COLUMNS",
    "ROLE_COLUMNS",
    "ROLE_LABELS",
    "SHARE_COLUMNS",
    "TREND_COLUMNS",
    "cochran_armitage",
    "intervention_shares",
    "reflexive_notes",
    "researcher_roles",
    "role_trend",
]

REFLEXIVE_KIND = "note réflexive"
#: Roles in which the researcher acts in the event (a player).
ACTING_ROLES = ("acteur",)
#: Roles in which the researcher shapes the event (anything but observing).
INTERVENING_ROLES = tuple(r for r in RESEARCHER_ROLES if r != "observateur")
ROLE_LABELS = {
    "observateur": "Observateur",
    "facilitateur": "Facilitateur",
    "acteur": "Acteur",
    "évaluateur": "Évaluateur",
}
ALPHA = 0.05

ROLE_COLUMNS = ["period", "period_label", "role", "entries", "period_entries", "share", "ci_low", "ci_high"]
SHARE_COLUMNS = [
    "period",
    "period_label",
    "entries",
    "acting",
    "acting_share",
    "acting_ci_low",
    "acting_ci_high",
    "intervening",
    "intervening_share",
    "intervening_ci_low",
    "intervening_ci_high",
]
TREND_COLUMNS = [
    "measure",
    "label",
    "periods",
    "first_period",
    "last_period",
    "first_share",
    "last_share",
    "odds_ratio",
    "or_ci_low",
    "or_ci_high",
    "z",
    "p_value",
    "direction",
    "significant",
    "testable",
    "verdict",
]
NOTE_COLUMNS = ["id", "date", "period", "unit", "text", "quote_consent"]

# measure -> (roles counted, French label, French subject of the verdict)
_MEASURES = {
    "acteur": (ACTING_ROLES, "Acteur (le chercheur agit)", "la part des entrées où le chercheur est acteur"),
    "intervention": (
        INTERVENING_ROLES,
        "Intervention (facilitateur, acteur ou évaluateur)",
        "la part des entrées où le chercheur intervient (facilitateur, acteur ou évaluateur)",
    ),
    "observateur": (("observateur",), "Observateur", "la part des entrées où le chercheur est observateur"),
    "facilitateur": (("facilitateur",), "Facilitateur", "la part des entrées où le chercheur est facilitateur"),
    "évaluateur": (("évaluateur",), "Évaluateur", "la part des entrées où le chercheur est évaluateur"),
}


def _wilson(successes, totals) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95 % interval, NaN where the total is zero."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    low = np.full(k.shape, np.nan)
    high = np.full(k.shape, np.nan)
    ok = n > 0
    if ok.any():
        lo, hi = proportion_confint(k[ok], n[ok], alpha=0.05, method="wilson")
        low[ok], high[ok] = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    return low, high


def researcher_roles(case, author: str | None = None) -> pd.DataFrame:
    """The researcher's roles per period, counted from the field journal.

    Parameters
    ----------
    case : Case
        A loaded case (``journal`` with ``period``, ``researcher_role``,
        ``author``; ``periods`` with ``id, label``).
    author : str, optional
        Count only the entries written by this person (pseudonym); all
        entries by default.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per period × role (periods in study order, roles
        in contract order: observateur, facilitateur, acteur, évaluateur;
        zeros included), columns :data:`ROLE_COLUMNS`:

        - ``entries``: journal entries of the period with that role;
        - ``period_entries``: entries of the period that record a role (the
          denominator);
        - ``share``: ``entries / period_entries`` (NaN when the period has no
          entry);
        - ``ci_low``, ``ci_high``: Wilson 95 % interval of the share.

    Raises
    ------
    ValueError
        In French, naming the known authors, when ``author`` wrote no entry.

    Examples
    --------
    >>> roles = researcher_roles(case)  # doctest: +SKIP
    >>> roles.pivot(index="period", columns="role", values="share")  # doctest: +SKIP
    """
    journal = case.journal
    if author is not None:
        mine = (journal["author"] == author).fillna(False).to_numpy(dtype=bool)
        if not mine.any():
            known = ", ".join(sorted(journal["author"].dropna().astype(str).unique())) or "aucun"
            raise ValueError(f"auteur inconnu : « {author} » n'a écrit aucune entrée du journal ; auteurs : {known}.")
        journal = journal.loc[mine]
    periods = [str(p) for p in case.periods["id"]]
    labels = dict(zip(case.periods["id"].astype(str), case.periods["label"].astype(str)))
    roles = list(RESEARCHER_ROLES)
    keep = (journal["period"].notna() & journal["researcher_role"].isin(roles)).fillna(False)
    kept = journal.loc[keep.to_numpy(dtype=bool)]
    counts = kept.groupby([kept["period"].astype(str), kept["researcher_role"].astype(str)]).size()
    grid = pd.MultiIndex.from_product([periods, roles], names=["period", "role"])
    out = counts.reindex(grid, fill_value=0).astype("int64").rename("entries").reset_index()
    totals = out.groupby("period", sort=False)["entries"].transform("sum").astype("int64")
    out["period_entries"] = totals
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(totals > 0, out["entries"] / totals.where(totals > 0, 1), np.nan)
    out["ci_low"], out["ci_high"] = _wilson(out["entries"], totals)
    out.insert(1, "period_label", out["period"].map(labels))
    return out[ROLE_COLUMNS]


def _period_counts(roles: pd.DataFrame, which) -> pd.DataFrame:
    """Per period (in ``roles`` order): entries with one of ``which`` roles, and all entries."""
    periods = list(dict.fromkeys(roles["period"]))
    hit = roles[roles["role"].isin(list(which))].groupby("period", sort=False)["entries"].sum()
    total = roles.groupby("period", sort=False)["entries"].sum()
    return pd.DataFrame(
        {
            "period": periods,
            "successes": hit.reindex(periods, fill_value=0).astype("int64").to_numpy(),
            "entries": total.reindex(periods, fill_value=0).astype("int64").to_numpy(),
        }
    )


def intervention_shares(roles: pd.DataFrame) -> pd.DataFrame:
    """Per period, how often the researcher acts, and how often they intervene at all.

    Parameters
    ----------
    roles : pandas.DataFrame
        Output of :func:`researcher_roles` (``period, role, entries``;
        ``period_label`` is carried over when present).

    Returns
    -------
    pandas.DataFrame
        One row per period, columns :data:`SHARE_COLUMNS`: ``entries`` (with
        a role), ``acting`` (role ``acteur``) and ``acting_share``,
        ``intervening`` (any role but ``observateur``) and
        ``intervening_share``, each share with its Wilson 95 % interval
        (NaN when the period has no entry).

    Examples
    --------
    >>> roles = pd.DataFrame({"period": ["P1"] * 4, "role": ["observateur", "facilitateur", "acteur",
    ...     "évaluateur"], "entries": [6, 2, 1, 1]})
    >>> intervention_shares(roles)[["acting_share", "intervening_share"]].iloc[0].tolist()
    [0.1, 0.4]
    """
    acting = _period_counts(roles, ACTING_ROLES)
    intervening = _period_counts(roles, INTERVENING_ROLES)
    n = acting["entries"]
    out = pd.DataFrame({"period": acting["period"], "entries": n})
    labels = dict(zip(roles["period"], roles["period_label"])) if "period_label" in roles.columns else {}
    out["period_label"] = out["period"].map(labels) if labels else pd.NA
    for name, frame in (("acting", acting), ("intervening", intervening)):
        k = frame["successes"]
        out[name] = k.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{name}_share"] = np.where(n > 0, k / n.where(n > 0, 1), np.nan)
        out[f"{name}_ci_low"], out[f"{name}_ci_high"] = _wilson(k, n)
    return out[SHARE_COLUMNS]


def cochran_armitage(successes, totals, scores=None) -> tuple[float, float]:
    """Cochran–Armitage test for a linear trend in proportions (two-sided).

    Parameters
    ----------
    successes, totals : array-like of int
        Per group (period), the entries counted and all entries.
    scores : array-like of float, optional
        Group scores; ``0, 1, 2…`` by default.

    Returns
    -------
    tuple of float
        ``(z, p_value)``; ``(nan, nan)`` when the statistic is undefined
        (fewer than two groups, or an overall share of 0 or 1).

    Examples
    --------
    >>> z, p = cochran_armitage([1, 5, 9], [10, 10, 10])
    >>> round(z, 3), p < 0.001
    (3.578, True)
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    t = np.arange(len(x), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    total = n.sum()
    if len(x) < 2 or total <= 0:
        return np.nan, np.nan
    p = x.sum() / total
    variance = p * (1 - p) * (np.sum(n * t**2) - np.sum(n * t) ** 2 / total)
    if not variance > 0:
        return np.nan, np.nan
    z = float(np.sum(t * (x - n * p)) / np.sqrt(variance))
    return z, float(2 * norm.sf(abs(z)))


def _logistic_odds_ratio(successes, totals, scores) -> tuple[float, float, float]:
    """Odds ratio per score step of a binomial GLM, with its Wald 95 % interval."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    endog = np.column_stack([x, n - x])
    exog = sm.add_constant(np.asarray(scores, dtype=float), has_constant="add")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(endog, exog, family=sm.families.Binomial()).fit()
        beta = float(fit.params[1])
        low, high = (float(v) for v in fit.conf_int(alpha=0.05)[1])
    except Exception:  # noqa: BLE001 - separation or a singular design: no effect size
        return np.nan, np.nan, np.nan
    with np.errstate(over="ignore"):
        values = np.exp([beta, low, high])
    if not np.all(np.isfinite(values)) or abs(beta) > 20:
        return np.nan, np.nan, np.nan
    return tuple(float(v) for v in values)


def _p_text(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return f"p = {french_number(p, 3) if p < 0.01 else french_number(p, 2)}"


def role_trend(roles: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Does the researcher act more, or observe less, as the periods go by?

    Parameters
    ----------
    roles : pandas.DataFrame
        Output of :func:`researcher_roles` (``period, role, entries``),
        periods in study order.
    alpha : float, default 0.05
        Threshold of the Cochran–Armitage p-value for a trend to be found.

    Returns
    -------
    pandas.DataFrame
        One row per measure, columns :data:`TREND_COLUMNS`, in this order:
        ``acteur`` (the acting share: the primary test), ``intervention``
        (anything but observateur), then ``observateur``, ``facilitateur``,
        ``évaluateur``.

        - ``periods``: periods with entries (those tested);
        - ``first_period``/``last_period`` and their shares;
        - ``odds_ratio``, ``or_ci_low``, ``or_ci_high``: odds ratio per
          period step (logistic regression on the period score), NaN when it
          cannot be estimated (separation);
        - ``z``, ``p_value``: Cochran–Armitage test (two-sided);
        - ``direction``: « hausse », « baisse » or « stable » (no trend found
          or not testable);
        - ``significant``: ``p_value < alpha``; ``testable``: whether the
          test could run;
        - ``verdict``: one French sentence for the report.

    Examples
    --------
    >>> roles = pd.DataFrame({"period": ["P1"] * 2 + ["P2"] * 2 + ["P3"] * 2,
    ...     "role": ["observateur", "acteur"] * 3, "entries": [9, 1, 5, 5, 1, 9]})
    >>> role_trend(roles).set_index("measure").loc["acteur", "direction"]
    'hausse'
    """
    all_periods = list(dict.fromkeys(roles["period"]))
    rows = []
    for measure, (which, label, subject) in _MEASURES.items():
        counts = _period_counts(roles, which)
        counts = counts[counts["entries"] > 0].reset_index(drop=True)
        # Scores follow the study order of all periods, empty ones included.
        scores = np.array([all_periods.index(p) for p in counts["period"]], dtype=float)
        x, n = counts["successes"].to_numpy(), counts["entries"].to_numpy()
        z, p = cochran_armitage(x, n, scores)
        testable = bool(np.isfinite(z))
        odds, low, high = _logistic_odds_ratio(x, n, scores) if testable else (np.nan, np.nan, np.nan)
        significant = bool(testable and p < alpha)
        direction = ("hausse" if z > 0 else "baisse") if significant else "stable"
        if len(counts):
            first, last = counts.iloc[0], counts.iloc[-1]
            first_share, last_share = first["successes"] / first["entries"], last["successes"] / last["entries"]
            first_period, last_period = str(first["period"]), str(last["period"])
        else:
            first_share = last_share = np.nan
            first_period = last_period = None
        verdict = _verdict(
            subject,
            testable,
            significant,
            direction,
            first_period,
            last_period,
            first_share,
            last_share,
            odds,
            low,
            high,
            p,
            len(counts),
        )
        rows.append(
            {
                "measure": measure,
                "label": label,
                "periods": len(counts),
                "first_period": first_period,
                "last_period": last_period,
                "first_share": first_share,
                "last_share": last_share,
                "odds_ratio": odds,
                "or_ci_low": low,
                "or_ci_high": high,
                "z": z,
                "p_value": p,
                "direction": direction,
                "significant": significant,
                "testable": testable,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _verdict(
    subject,
    testable,
    significant,
    direction,
    first_period,
    last_period,
    first_share,
    last_share,
    odds,
    low,
    high,
    p,
    n_periods,
) -> str:
    """One French sentence stating the trend of a share (see :func:`role_trend`)."""
    if not testable:
        why = (
            "moins de deux périodes avec des entrées"
            if n_periods < 2
            else "part nulle ou totale dans toutes les périodes"
        )
        return f"Tendance non testable pour {subject} ({why})."
    span = f"de {french_percent(first_share)} en {first_period} à {french_percent(last_share)} en {last_period}"
    effect = ""
    if np.isfinite(odds):
        effect = (
            f"rapport de cotes de {french_number(odds, 2)} par période, "
            f"IC 95\u00a0% {french_number(low, 2)} à {french_number(high, 2)} ; "
        )
    test = f"{effect}test de tendance de Cochran–Armitage, {_p_text(p)}"
    if significant:
        verb = "augmente" if direction == "hausse" else "diminue"
        return f"{subject[0].upper()}{subject[1:]} {verb} d'une période à l'autre : {span} ({test})."
    return f"Pas de tendance nette pour {subject} : {span} ({test})."


def reflexive_notes(case, period: str | None = None) -> pd.DataFrame:
    """The reflexive notes of the field journal, for the reflexivity report.

    A plain selection: every entry of kind « note réflexive », whatever its
    consent. The report decides what may be quoted (``quote_consent``).

    Parameters
    ----------
    case : Case
        A loaded case.
    period : str, optional
        Only the notes of this period (its id); all periods by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NOTE_COLUMNS` (``id, date, period, unit, text,
        quote_consent``), sorted by date then id, index reset.

    Raises
    ------
    ValueError
        In French, listing the known periods, when ``period`` is unknown.
    """
    journal = case.journal
    selected = (journal["kind"] == REFLEXIVE_KIND).fillna(False).to_numpy(dtype=bool)
    if period is not None:
        select_periods(case.periods, period)
        selected &= (journal["period"] == period).fillna(False).to_numpy(dtype=bool)
    notes = journal.loc[selected].copy()
    if "quote_consent" not in notes.columns:
        notes["quote_consent"] = pd.NA
    notes = notes.sort_values(["date", "id"], kind="mergesort")
    return notes[NOTE_COLUMNS].reset_index(drop=True)
