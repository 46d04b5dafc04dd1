"""The example's builder: draws interviews, journal entries, segments and indicators from the scenario.

One ``numpy.random.default_rng(seed)`` and a fixed order of draws: the same seed
and scale give the same tables. :class:`Builder` is one topic (the order of the
draws is the data), hence its length (docs/architecture.md §7).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rd_territoriale.example.scenario import (
    BASE_RATES,
    CAT_IDS,
    CATEGORIES,
    CATEGORY_FACTORS,
    CATEGORY_INDEX,
    CATEGORY_ROLES,
    CODE_INDEX,
    CODES,
    CONFUSIONS,
    CVE_SHARE,
    CYCLE_INDICATORS,
    CYCLE_STREAM,
    DIFFUSION_DATE,
    DOUBLE_CODED_TARGET,
    ECT_SHARE,
    EMPLOYEE_WORD_SHARE_P3,
    FADING_FACTORS,
    FADING_INTERVIEWS,
    FADING_JOURNAL_FACTORS,
    FADING_UNIT,
    INDICATORS,
    INTERVIEW_ALLOC,
    INTERVIEWER_CODES,
    INTERVIEWER_RATE,
    JOURNAL_CVE_SHARE,
    JOURNAL_NULL_PROBS,
    JOURNAL_RATES,
    JOURNAL_WEIGHTS,
    KIND_PROBS_POLE,
    KIND_PROBS_UNIT,
    KINDS,
    LEAF_CODES,
    MEAN_WORDS,
    MEMBER_SHARE,
    MEMBERS,
    META_SHARE,
    PERIOD_INDEX,
    PERIODS,
    PRESSURE_CODES,
    PRESSURE_FACTOR,
    R02_AGREE,
    R02_AGREE_UNRELIABLE,
    R02_EXTRA_RATE,
    R02_OTHER,
    R02_OTHER_UNRELIABLE,
    RD_SHARE,
    RISING_CODE,
    RISING_FACTOR,
    ROLE_PROBS,
    ROLES,
    THEMES,
    UNIT_BY_ID,
    UNIT_IDS,
    UNITS,
    UNRELIABLE_CODE,
    Period,
)
from rd_territoriale.example.texts import (
    ACTOR_LEXICON_SENTENCES,
    CLOSINGS,
    CVE_FORMS,
    DOC_TITLES,
    ECT_FORMS,
    FILL_KEYS,
    FILLS,
    FIRST_CVE_TEXT,
    INTERVIEW_TEMPLATES,
    INTERVIEWER_CVE,
    INTERVIEWER_TEMPLATES,
    JOURNAL_INTROS,
    JOURNAL_LEXICON,
    JOURNAL_TEMPLATES,
    META_FORMS,
    OPENERS,
    RD_FORMS,
    ROLE_SENTENCES,
    TRAILERS,
)
from rd_territoriale.study.contract import LIST_SEPARATOR, TABLES

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _d(iso: str) -> np.datetime64:
    return np.datetime64(iso, "D")


def _iso(day) -> str:
    return str(np.datetime64(day, "D"))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _bool(flag) -> str:
    return "oui" if flag else "non"


def _num(value) -> str:
    """Explicit, locale-free number formatting (integers without decimals)."""
    if value == "" or value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _width(n: int, minimum: int) -> int:
    return max(minimum, len(str(n)))


def _unit_window(unit_id, period: Period):
    """First and last active day of a unit within a period (None if inactive)."""
    start, end = _d(period.start), _d(period.end)
    if unit_id is not None:
        u = UNIT_BY_ID[unit_id]
        start = max(start, _d(u[3]))
        if u[4]:
            end = min(end, _d(u[4]))
    if end < start:
        return None
    return start, end


def _active_units(day) -> list:
    """Units running on ``day``."""
    out = []
    for u in UNITS:
        if _d(u[3]) <= day and (not u[4] or day <= _d(u[4])):
            out.append(u[0])
    return out


def _unit_phrases(unit_id):
    if unit_id is None:
        return {"projet": "le projet", "de_projet": "du projet", "sur_projet": "sur la stratégie du pôle"}
    u = UNIT_BY_ID[unit_id]
    return {"projet": u[5], "de_projet": u[6], "sur_projet": f"sur {u[5]}"}


class _Picker:
    """Pre-drawn random integers, turned into choices among lists of any length."""

    def __init__(self, rng: np.random.Generator, n: int, k: int):
        self.r = rng.integers(0, 2**31 - 1, size=(max(n, 1), k)).tolist()

    def pick(self, i: int, j: int, options):
        return options[self.r[i][j] % len(options)]

    def fills(self, i: int, j0: int) -> dict:
        return {key: self.pick(i, j0 + m, FILLS[key]) for m, key in enumerate(FILL_KEYS)}


def _bisect(cum: list, x: float) -> int:
    """Index drawn from cumulative probabilities ``cum`` with a uniform ``x``."""
    return min(bisect.bisect_right(cum, x), len(cum) - 1)


def _journal_code_cum(pi: int, reflexive: bool, fading: bool):
    """Codes and cumulative probabilities of a coded journal sentence.

    Null codes keep a fixed probability; the others are reweighted by period,
    kind of entry and the fading project (U02).
    """
    w = dict(JOURNAL_WEIGHTS)
    if pi == 2:
        w["tension_financement"] *= 3
    if pi >= 2:
        w["pression_salaries"] *= 2.5
        w["surinvestissement"] *= 2.0
    if reflexive:
        w["posture_chercheur"] *= 4
        w["apport_recherche"] *= 3
        w["role_flou"] *= 2
    if fading:
        factors = FADING_JOURNAL_FACTORS["early" if pi < 2 else "late"]
        for code, f in factors.items():
            w[code] *= f
    null_total = sum(JOURNAL_NULL_PROBS.values())
    total = sum(w.values())
    codes = tuple(JOURNAL_NULL_PROBS) + tuple(w)
    probs = list(JOURNAL_NULL_PROBS.values()) + [v / total * (1 - null_total) for v in w.values()]
    return codes, np.cumsum(probs).tolist()


def _categories_phrase(cats) -> str:
    labels = [CATEGORIES[CATEGORY_INDEX[c]][4] for c in cats]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " et " + labels[-1]


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


def _people() -> pd.DataFrame:
    rows = [
        ("R01", "salaries", "Collège des salariés", "oui", "doctorant CIFRE, chargé de R&D territoriale du pôle"),
        ("R02", "partenaires", "Collège des partenaires", "oui", "chercheuse du laboratoire partenaire, second codage"),
    ]
    for cid, _label, college, _m, _low, prefix, n in CATEGORIES:
        roles = CATEGORY_ROLES[cid]
        for i in range(1, n + 1):
            rows.append((f"{prefix}{i:02d}", cid, college, "non", roles[(i - 1) % len(roles)]))
    return pd.DataFrame(rows, columns=TABLES["people"].names)


def units_frame() -> pd.DataFrame:
    rows = [(u[0], u[1], u[2], u[3], u[4], u[7]) for u in UNITS]
    return pd.DataFrame(rows, columns=TABLES["units"].names)


def codebook_frame() -> pd.DataFrame:
    rows = []
    theme_dim = {t[0]: t[2] for t in THEMES}
    for version in (1, 2, 3):
        for theme, label, dim, definition in THEMES:
            if any(c[1] == theme and version in c[4] for c in CODES):
                rows.append((theme, label, "", dim, definition, str(version), ""))
            for code, parent, clabel, cdef, versions, replaces in CODES:
                if parent != theme or version not in versions:
                    continue
                rep = replaces if version == versions[0] and version > 1 else ""
                rows.append((code, clabel, parent, theme_dim[parent], cdef, str(version), rep))
    return pd.DataFrame(rows, columns=TABLES["codebook"].names)


@dataclass
class Segments:
    """Segments under construction, one list per column."""

    source: list
    coder: list
    code: list
    start: list
    end: list
    text: list
    speaker: list

    @classmethod
    def empty(cls):
        return cls([], [], [], [], [], [], [])

    def add(self, source, coder, code, start, end, text, speaker):
        self.source.append(source)
        self.coder.append(coder)
        self.code.append(code)
        self.start.append(int(start))
        self.end.append(int(end))
        self.text.append(text)
        self.speaker.append(speaker)


class Builder:
    def __init__(self, seed: int, scale: int):
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.scale = scale
        self.people = _people()
        self.person_category = dict(zip(self.people["id"], self.people["category"]))
        actors = self.people[self.people["is_researcher"] == "non"]
        self.by_category = {c: actors.loc[actors["category"] == c, "id"].tolist() for c in CAT_IDS}

    # ---------------------------------------------------------------- documents
    def documents(self) -> pd.DataFrame:
        rng, s = self.rng, self.scale
        rows = []  # dicts; ids assigned after sorting by date
        for pi, period in enumerate(PERIODS):
            p_start, p_end = _d(period.start), _d(period.end)
            days = int((p_end - p_start).astype(int)) + 1
            alloc = INTERVIEW_ALLOC[pi]
            n_total = sum(alloc.values())
            total_words = n_total * MEAN_WORDS
            if pi == 2:
                others = sum(MEMBER_SHARE[c] for c in CAT_IDS if c != "salaries")
                share = {
                    c: (
                        EMPLOYEE_WORD_SHARE_P3
                        if c == "salaries"
                        else (1 - EMPLOYEE_WORD_SHARE_P3) * MEMBER_SHARE[c] / others
                    )
                    for c in CAT_IDS
                }
            else:
                share = MEMBER_SHARE
            period_rows = []
            for cat in CAT_IDS:
                k = alloc[cat] * s
                target = total_words * s * share[cat] * rng.uniform(0.95, 1.05)
                split = rng.uniform(0.8, 1.2, size=k)
                words = np.clip(np.round(target * split / split.sum() / 10) * 10, 3000, 9000)
                pool = self.by_category[cat]
                order = rng.permutation(len(pool))
                collective = rng.random(k) < 0.15
                for j in range(k):
                    respondent = pool[order[j % len(pool)]]
                    group = [respondent]
                    if collective[j] and len(pool) > 2:
                        extra = int(rng.integers(1, 4))
                        others_ = [p for p in pool if p != respondent]
                        idx = rng.choice(len(others_), size=min(extra, len(others_)), replace=False)
                        group += [others_[i] for i in sorted(idx)]
                    period_rows.append(
                        {
                            "kind": "entretien collectif" if len(group) > 1 else "entretien",
                            "category": cat,
                            "respondent": respondent,
                            "group": group,
                            "words": int(words[j]),
                            "period": pi,
                            "interviewer": "R01" if rng.random() < 0.9 else "R02",
                            "quote_consent": bool(rng.random() < 0.75),
                        }
                    )
            # Units: a quota of interviews about the fading project (taken in
            # categories with several interviews, so that its content does not
            # distort the voices of small categories), the rest spread over the
            # projects active at the interview date.
            n_fading = FADING_INTERVIEWS[pi] * s
            eligible = [j for j, r in enumerate(period_rows) if alloc[r["category"]] >= 2]
            fading_idx = set(np.asarray(eligible)[rng.choice(len(eligible), size=n_fading, replace=False)].tolist())
            for j, row in enumerate(period_rows):
                if j in fading_idx:
                    lo, hi = _unit_window(FADING_UNIT, period)
                    row["unit"] = FADING_UNIT
                else:
                    lo, hi = p_start, p_end
                    row["unit"] = None
                span = int((hi - lo).astype(int)) + 1
                row["date"] = lo + np.timedelta64(int(rng.integers(0, span)), "D")
                if row["unit"] is None and rng.random() < 0.7:
                    active = [u for u in _active_units(row["date"]) if u != FADING_UNIT]
                    if active:
                        row["unit"] = active[int(rng.integers(0, len(active)))]
            # Other documents (not coded): comptes rendus, internal notes, press.
            for kind, k in (("compte rendu", 2), ("document interne", 1), ("presse", 1)):
                for _ in range(k * s):
                    date = p_start + np.timedelta64(int(rng.integers(0, days)), "D")
                    active = _active_units(date)
                    r_unit, r_pick = rng.random(2)
                    unit = active[int(r_pick * len(active))] if active and r_unit < 0.6 else None
                    lo_w, hi_w = {"compte rendu": (800, 2500), "document interne": (1200, 4000), "presse": (400, 900)}[
                        kind
                    ]
                    period_rows.append(
                        {
                            "kind": kind,
                            "category": None,
                            "respondent": None,
                            "group": [],
                            "words": int(rng.integers(lo_w, hi_w) // 10 * 10),
                            "period": pi,
                            "interviewer": None,
                            "quote_consent": True,
                            "unit": unit,
                            "date": date,
                            "title_pick": int(rng.integers(0, 1000)),
                        }
                    )
            rows += period_rows
        order = sorted(range(len(rows)), key=lambda i: (rows[i]["date"], i))
        width = _width(len(rows), 3)
        out = []
        for new, i in enumerate(order, start=1):
            row = rows[i]
            row["id"] = f"D{new:0{width}d}"
            about = UNIT_BY_ID[row["unit"]][1] if row["unit"] else "Clus'Ter Jura"
            if row["kind"] in ("entretien", "entretien collectif"):
                title = DOC_TITLES[row["kind"]].format(cat=CATEGORIES[CATEGORY_INDEX[row["category"]]][4], about=about)
            else:
                options = DOC_TITLES[row["kind"]]
                title = options[row["title_pick"] % len(options)].format(about=about)
            row["title"] = title
            out.append(row)
        self.doc_rows = out
        frame = pd.DataFrame(
            {
                "id": [r["id"] for r in out],
                "kind": [r["kind"] for r in out],
                "date": [_iso(r["date"]) for r in out],
                "unit": [r["unit"] or "" for r in out],
                "respondent": [r["respondent"] or "" for r in out],
                "interviewer": [r["interviewer"] or "" for r in out],
                "quote_consent": [_bool(r["quote_consent"]) for r in out],
                "words": [str(r["words"]) for r in out],
                "title": [r["title"] for r in out],
            }
        )
        return frame[[c for c in TABLES["documents"].names if c in frame]]

    # ------------------------------------------------------ interview segments
    def interview_segments(self, seg: Segments) -> None:
        rng = self.rng
        docs = [r for r in self.doc_rows if r["kind"] in ("entretien", "entretien collectif")]
        n_docs, n_codes = len(docs), len(LEAF_CODES)
        rates = np.tile(np.array([BASE_RATES[c] for c in LEAF_CODES]), (n_docs, 1))
        for i, r in enumerate(docs):
            p, cat = r["period"], r["category"]
            if p == 2:
                rates[i, CODE_INDEX[RISING_CODE]] *= RISING_FACTOR
            if cat == "salaries" and p >= 2:
                for c in PRESSURE_CODES:
                    rates[i, CODE_INDEX[c]] *= PRESSURE_FACTOR
            for (fc, code), f in CATEGORY_FACTORS.items():
                if fc == cat:
                    rates[i, CODE_INDEX[code]] *= f
            if r["unit"] == FADING_UNIT:
                for code, f in FADING_FACTORS["early" if p < 2 else "late"].items():
                    rates[i, CODE_INDEX[code]] *= f
        exposure = np.array([r["words"] for r in docs], dtype=float) / 1000.0
        counts = rng.poisson(rates * exposure[:, None])
        iv_counts = rng.poisson(INTERVIEWER_RATE * exposure)
        iv_codes_list = tuple(INTERVIEWER_CODES)
        iv_probs = np.array([INTERVIEWER_CODES[c] for c in iv_codes_list])

        # One flat list of (doc, code, speaker kind) then texts, then offsets.
        doc_idx, codes, is_iv = [], [], []
        for i in range(n_docs):
            row_codes = np.repeat(np.arange(n_codes), counts[i])
            ivc = rng.choice(len(iv_codes_list), size=iv_counts[i], p=iv_probs)
            all_codes = [LEAF_CODES[k] for k in row_codes] + [iv_codes_list[k] for k in ivc]
            flags = [False] * len(row_codes) + [True] * len(ivc)
            perm = rng.permutation(len(all_codes))
            for j in perm:
                doc_idx.append(i)
                codes.append(all_codes[j])
                is_iv.append(flags[j])
        n = len(codes)
        pick = _Picker(rng, n, 6 + len(FILL_KEYS))
        lex_u = rng.random(n).tolist()
        diffusion = _d(DIFFUSION_DATE)
        texts, speakers = [], []
        for m in range(n):
            r = docs[doc_idx[m]]
            fills = pick.fills(m, 6)
            fills.update(_unit_phrases(r["unit"]))
            code = codes[m]
            if is_iv[m]:
                who = r["interviewer"]
                options = INTERVIEWER_TEMPLATES.get((who, code)) or INTERVIEWER_TEMPLATES[("*", code)]
                text = pick.pick(m, 0, options).format(**fills)
                if who == "R01" and r["period"] >= 2 and lex_u[m] < 0.05:
                    text += " " + pick.pick(m, 1, INTERVIEWER_CVE)
                texts.append(text)
                speakers.append(who)
                continue
            body = pick.pick(m, 0, INTERVIEW_TEMPLATES[code]).format(**fills)
            opener = pick.pick(m, 1, OPENERS)
            text = opener + body if opener else _cap(body)
            lex = None
            u = lex_u[m]
            cve_p = CVE_SHARE[r["period"]] if r["date"] > diffusion else 0.0
            if u < cve_p:
                lex = ("cve", CVE_FORMS)
            elif u < cve_p + META_SHARE:
                lex = ("meta", META_FORMS)
            elif u < cve_p + META_SHARE + ECT_SHARE:
                lex = ("ect", ECT_FORMS)
            elif u < cve_p + META_SHARE + ECT_SHARE + RD_SHARE:
                lex = ("rd", RD_FORMS)
            if lex is not None:
                sentence = pick.pick(m, 3, ACTOR_LEXICON_SENTENCES[lex[0]])
                text += " " + _cap(sentence.format(t=pick.pick(m, 4, lex[1])))
            else:
                text += pick.pick(m, 2, TRAILERS)
            texts.append(text)
            group = r["group"]
            speakers.append(group[pick.r[m][5] % len(group)] if len(group) > 1 else r["respondent"])
        # Offsets: segments placed in order inside a transcript of ~6 code
        # points per word, separated by random uncoded gaps.
        doc_idx_arr = np.asarray(doc_idx, dtype=int)
        lengths = np.array([len(t) for t in texts], dtype=int)
        starts = np.zeros(n, dtype=int)
        self.doc_layout = {}
        bounds = np.searchsorted(doc_idx_arr, np.arange(n_docs + 1))
        for i in range(n_docs):
            a, b = bounds[i], bounds[i + 1]
            chars = docs[i]["words"] * 6
            k = b - a
            free = max(chars - int(lengths[a:b].sum()), 0)
            gaps = np.floor(rng.dirichlet(np.ones(k + 1)) * free).astype(int)
            starts[a:b] = np.cumsum(gaps[:k]) + np.concatenate(([0], np.cumsum(lengths[a:b])[:-1]))
            self.doc_layout[docs[i]["id"]] = chars
        for m in range(n):
            r = docs[doc_idx[m]]
            seg.add(r["id"], "R01", codes[m], starts[m], starts[m] + lengths[m], texts[m], speakers[m])
        self.interview_docs = docs

    # ------------------------------------------------------------------ journal
    def journal(self, seg: Segments) -> pd.DataFrame:
        rng, s = self.rng, self.scale
        entries = []
        for unit_id, rates in JOURNAL_RATES.items():
            for pi, period in enumerate(PERIODS):
                window = _unit_window(unit_id, period)
                if window is None or rates[pi] == 0:
                    continue
                lo, hi = window
                span = int((hi - lo).astype(int)) + 1
                n = rng.poisson(rates[pi] * span / 30.44 * s)
                days = rng.integers(0, span, size=n)
                for d in days.tolist():
                    entries.append(
                        {"date": lo + np.timedelta64(d, "D"), "unit": unit_id, "period": pi, "first_cve": False}
                    )
        entries.append({"date": _d(DIFFUSION_DATE), "unit": None, "period": PERIOD_INDEX["P2"], "first_cve": True})
        diffusion = _d(DIFFUSION_DATE)
        unit_rank = {None: 0, **{u: i + 1 for i, u in enumerate(UNIT_IDS)}}
        order = sorted(
            range(len(entries)),
            key=lambda i: (entries[i]["date"], not entries[i]["first_cve"], unit_rank[entries[i]["unit"]], i),
        )
        entries = [entries[i] for i in order]
        n = len(entries)
        width = _width(n, 4)
        # All randomness drawn up front, in a fixed order.
        pick = _Picker(rng, n, 40)
        u = rng.random((n, 12)).tolist()
        n_body_all = (1 + np.minimum(rng.poisson(0.7, size=n), 3)).tolist()
        # Weighted sampling of participant categories without replacement
        # (Gumbel top-k), weights = SCIC membership.
        gumbel = rng.gumbel(size=(n, len(CAT_IDS))) + np.log(MEMBERS)
        cat_order = np.argsort(-gumbel, axis=1, kind="stable").tolist()
        kind_cum = {False: np.cumsum(KIND_PROBS_POLE).tolist(), True: np.cumsum(KIND_PROBS_UNIT).tolist()}
        role_cum = [np.cumsum(p).tolist() for p in ROLE_PROBS]
        code_cache = {}
        rows = []
        for m, e in enumerate(entries):
            jid = f"J{m + 1:0{width}d}"
            pi, unit_id = e["period"], e["unit"]
            fading = unit_id == FADING_UNIT
            early = pi < 2
            um = u[m]
            if e["first_cve"]:
                kind, role = "note réflexive", "évaluateur"
            else:
                kind = KINDS[_bisect(kind_cum[unit_id is not None], um[0])]
                role = ROLES[_bisect(role_cum[pi], um[1])]
            # Participants
            if kind == "note réflexive":
                cats, n_part = [], None
            else:
                if fading and early:
                    k_cats, lo_n, hi_n = 4 + int(um[2] * 3), 14, 32
                elif fading:
                    k_cats, lo_n, hi_n = 1 + int(um[2] * 2), 2, 6
                else:
                    k_cats = 2 + int(um[2] * 3)
                    lo_n, hi_n = {
                        "réunion": (4, 12),
                        "atelier": (8, 25),
                        "comité": (6, 14),
                        "événement": (20, 80),
                        "informel": (2, 5),
                    }[kind]
                chosen = set(cat_order[m][:k_cats])
                if um[3] < 0.8 or (fading and not early):
                    chosen.add(CATEGORY_INDEX["salaries"])
                cats = [CAT_IDS[c] for c in sorted(chosen)]
                n_part = max(lo_n + int(um[4] * (hi_n - lo_n + 1)), len(cats))
            fills = pick.fills(m, 20)
            fills.update(_unit_phrases(unit_id))
            fills["n_part"] = str(n_part) if n_part is not None else ""
            fills["cats"] = _categories_phrase(cats) if cats else ""
            # Coded body sentences
            key = (pi, kind == "note réflexive", fading)
            if key not in code_cache:
                code_cache[key] = _journal_code_cum(*key)
            all_codes, cum = code_cache[key]
            body_codes = [all_codes[_bisect(cum, um[5 + b])] for b in range(n_body_all[m])]
            if e["first_cve"]:
                sentences = [
                    (FIRST_CVE_TEXT[0], None),
                    (FIRST_CVE_TEXT[1], "apport_recherche"),
                    (FIRST_CVE_TEXT[2], None),
                    (FIRST_CVE_TEXT[3], None),
                ]
            else:
                body = [pick.pick(m, 3 + b, JOURNAL_TEMPLATES[c]).format(**fills) for b, c in enumerate(body_codes)]
                lex_key = None
                r_lex = um[10]
                cve_p = 0.0 if e["date"] <= diffusion else JOURNAL_CVE_SHARE[pi]
                for lkey, p in (
                    ("cve", cve_p),
                    ("meta", 0.12),
                    ("rd", 0.08),
                    ("ect", 0.06),
                    ("intra", 0.05 if pi >= 1 else 0.0),
                ):
                    if r_lex < p:
                        lex_key = lkey
                        break
                    r_lex -= p
                if lex_key is not None:
                    body[0] += " " + pick.pick(m, 8, JOURNAL_LEXICON[lex_key])
                intro = pick.pick(m, 0, JOURNAL_INTROS[kind]).format(**fills)
                role_sentence = pick.pick(m, 1, ROLE_SENTENCES[role])
                closing = pick.pick(m, 2, CLOSINGS).format(**fills)
                sentences = [(intro, None)] + list(zip(body, body_codes)) + [(role_sentence, None)]
                if closing:
                    sentences.append((closing, None))
            text, pos = "", 0
            for sentence, code in sentences:
                if text:
                    text += " "
                    pos += 1
                if code is not None:
                    seg.add(jid, "R01", code, pos, pos + len(sentence), sentence, "R01")
                text += sentence
                pos += len(sentence)
            rows.append(
                {
                    "id": jid,
                    "date": _iso(e["date"]),
                    "author": "R01",
                    "unit": unit_id or "",
                    "kind": kind,
                    "researcher_role": role,
                    "participants": LIST_SEPARATOR.join(cats),
                    "n_participants": "" if n_part is None else str(n_part),
                    "text": text,
                    "quote_consent": _bool(um[11] < 0.85),
                }
            )
        return pd.DataFrame(rows)[TABLES["journal"].names]

    # ------------------------------------------------------------ second coder
    def second_coding(self, seg: Segments) -> None:
        """R02 codes again whole interviews: ~20 % of R01's segments."""
        rng = self.rng
        src = np.asarray(seg.source, dtype=object)
        total = len(src)
        per_doc = pd.Series(src).value_counts()
        by_period = [[r["id"] for r in self.interview_docs if r["period"] == p] for p in range(len(PERIODS))]
        shuffled = [list(np.asarray(ids, dtype=object)[rng.permutation(len(ids))]) for ids in by_period]
        chosen, covered, turn = [], 0, 0
        while covered < DOUBLE_CODED_TARGET * total and any(shuffled):
            lst = shuffled[turn % len(shuffled)]
            turn += 1
            if lst:
                doc = lst.pop(0)
                chosen.append(doc)
                covered += int(per_doc.get(doc, 0))
        chosen_set = set(chosen)
        idx = [i for i in range(total) if src[i] in chosen_set and seg.coder[i] == "R01"]
        u = rng.random((len(idx), 2))
        pick = _Picker(rng, len(idx), 1)
        new = Segments.empty()
        for n, i in enumerate(idx):
            code = seg.code[i]
            agree, other = (
                (R02_AGREE_UNRELIABLE, R02_OTHER_UNRELIABLE) if code == UNRELIABLE_CODE else (R02_AGREE, R02_OTHER)
            )
            if u[n, 0] < agree:
                code2 = code
            elif u[n, 0] < agree + other:
                code2 = pick.pick(n, 0, CONFUSIONS[code])
            else:
                continue
            new.add(seg.source[i], "R02", code2, seg.start[i], seg.end[i], seg.text[i], seg.speaker[i])
        # A few passages R01 left uncoded, coded by R02 only (in the gaps).
        docs = {r["id"]: r for r in self.interview_docs}
        by_doc = {}
        for i in idx:
            by_doc.setdefault(src[i], []).append(i)
        for doc in sorted(chosen_set):
            mask = by_doc.get(doc, [])
            k = rng.poisson(R02_EXTRA_RATE * len(mask))
            if k == 0:
                continue
            spans = sorted((seg.start[i], seg.end[i]) for i in mask)
            edges = [0] + [e for _, e in spans]
            nexts = [s for s, _ in spans] + [self.doc_layout[doc]]
            r = docs[doc]
            for _ in range(k):
                code = LEAF_CODES[int(rng.integers(0, len(LEAF_CODES)))]
                body = INTERVIEW_TEMPLATES[code][int(rng.integers(0, 1000)) % len(INTERVIEW_TEMPLATES[code])]
                fills = {key: FILLS[key][int(rng.integers(0, len(FILLS[key])))] for key in FILL_KEYS}
                fills.update(_unit_phrases(r["unit"]))
                text = _cap(body.format(**fills))
                room = [g for g in range(len(edges)) if nexts[g] - edges[g] >= len(text) + 2]
                if not room:
                    continue
                g = room[int(rng.integers(0, len(room)))]
                start = edges[g] + 1 + int(rng.integers(0, nexts[g] - edges[g] - len(text) - 1))
                new.add(doc, "R02", code, start, start + len(text), text, r["respondent"])
                edges.insert(g + 1, start + len(text))
                nexts.insert(g, start)
        for col in ("source", "coder", "code", "start", "end", "text", "speaker"):
            getattr(seg, col).extend(getattr(new, col))
        self.double_coded = chosen

    # ------------------------------------------------------------------ segments
    def segments_frame(self, seg: Segments, documents: pd.DataFrame, journal: pd.DataFrame) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "source": seg.source,
                "coder": seg.coder,
                "code": seg.code,
                "start": seg.start,
                "end": seg.end,
                "text": seg.text,
                "speaker": seg.speaker,
            }
        )
        rank = {sid: i for i, sid in enumerate(list(documents["id"]) + list(journal["id"]))}
        frame["_src"] = frame["source"].map(rank)
        frame["_coder"] = (frame["coder"] != "R01").astype(int)
        frame = frame.sort_values(["_src", "_coder", "start"], kind="mergesort")
        frame = frame.drop(columns=["_src", "_coder"]).reset_index(drop=True)
        width = _width(len(frame), 5)
        frame.insert(0, "id", [f"S{i + 1:0{width}d}" for i in range(len(frame))])
        frame["start"] = frame["start"].astype(str)
        frame["end"] = frame["end"].astype(str)
        return frame[TABLES["segments"].names]

    # ---------------------------------------------------------------- indicators
    def indicators(self, segments: pd.DataFrame, documents: pd.DataFrame, journal: pd.DataFrame) -> pd.DataFrame:
        src_date = pd.concat([documents.set_index("id")["date"], journal.set_index("id")["date"]])
        src_unit = pd.concat([documents.set_index("id")["unit"], journal.set_index("id")["unit"]])
        prim = segments[segments["coder"] == "R01"]
        dates = prim["source"].map(src_date).to_numpy()
        seg_period = np.full(len(prim), "", dtype=object)
        jdates = journal["date"].to_numpy()
        j_period = np.full(len(journal), "", dtype=object)
        for p in PERIODS:
            seg_period[(dates >= p.start) & (dates <= p.end)] = p.id
            j_period[(jdates >= p.start) & (jdates <= p.end)] = p.id
        prim = prim.assign(_period=seg_period, _unit=prim["source"].map(src_unit).to_numpy())
        jr = journal.assign(_period=j_period)
        rows = self._indicator_rows(INDICATORS, self.rng, prim, jr)
        cycle_rng = np.random.default_rng([self.seed, CYCLE_STREAM])
        rows += self._indicator_rows(CYCLE_INDICATORS, cycle_rng, prim, jr)
        frame = pd.DataFrame(rows)
        frame.insert(0, "id", [f"I{i + 1:03d}" for i in range(len(frame))])
        return frame[TABLES["indicators"].names]

    @staticmethod
    def _indicator_rows(specs, rng: np.random.Generator, prim: pd.DataFrame, jr: pd.DataFrame) -> list[dict]:
        """One row per indicator and period, evidence drawn from ``rng``."""
        rows = []
        for spec in specs:
            (
                indicator,
                stage,
                kind,
                label,
                unit,
                contrib,
                benef,
                measure,
                values,
                baseline,
                source,
                rule,
                regenerates,
            ) = spec
            for pi, period in enumerate(PERIODS):
                if unit and _unit_window(unit, period) is None:
                    continue
                candidates = []
                if rule is not None and rule[0] == "code":
                    sel = prim[(prim["_period"] == period.id) & (prim["code"] == rule[1])]
                    candidates = sel["id"].tolist()
                elif rule is not None and rule[0] == "journal":
                    sel = jr[(jr["_period"] == period.id) & (jr["kind"] == rule[1])]
                    candidates = sel["id"].tolist()
                elif rule is not None and rule[0] == "unit":
                    sel = jr[(jr["_period"] == period.id) & (jr["unit"] == rule[1])]
                    candidates = sel["id"].tolist()
                k = min(len(candidates), 1 + int(rng.integers(0, 3)))
                evidence = ""
                if k:
                    chosen = rng.choice(len(candidates), size=k, replace=False)
                    evidence = LIST_SEPARATOR.join(sorted(candidates[i] for i in chosen))
                rows.append(
                    {
                        "indicator": indicator,
                        "stage": stage,
                        "resource_kind": kind if stage == "ressources" else "",
                        "activity_kind": kind if stage == "activités" else "",
                        "label": label,
                        "unit": unit,
                        "contributors": contrib,
                        "beneficiaries": benef,
                        "period": period.id,
                        "value": _num(values[pi]),
                        "measure": measure,
                        "baseline": _num(baseline),
                        "source": source,
                        "evidence": evidence,
                        "regenerates": regenerates,
                    }
                )
        return rows
