"""Tests of the synthetic example case (``data/exemple``) and its generator.

The planted effects are checked on the RAW committed files with plain pandas,
independently of the generator's internals: the numbers here are the answer
key of ``data/exemple/README.md``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import chi2

from rd_territoriale.cli import main
from rd_territoriale.example import generate
from rd_territoriale.study.contract import INTERVIEW_KINDS, TABLES

DATA = Path(__file__).resolve().parents[2] / "data" / "exemple"
TABLE_NAMES = ("units", "people", "documents", "journal", "codebook", "segments", "indicators")
FILES = ("study.yml",) + tuple(f"{t}.csv" for t in TABLE_NAMES)

CVE = re.compile(r"chaines? de valeur elargies?")
META = re.compile(r"meta-organisations?")


def _fold(text: str) -> str:
    """Lower case, accents removed."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _chi2_p(counts, exposure) -> float:
    """P-value of a Poisson homogeneity test: counts proportional to exposure."""
    counts = np.asarray(counts, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    expected = counts.sum() * exposure / exposure.sum()
    stat = float(((counts - expected) ** 2 / expected).sum())
    return float(chi2.sf(stat, len(counts) - 1))


class Case:
    """The raw tables of a study folder, plus a few derived columns."""

    def __init__(self, folder: Path):
        self.study = yaml.safe_load((folder / "study.yml").read_text(encoding="utf-8"))
        read = lambda n: pd.read_csv(folder / f"{n}.csv", dtype=str, keep_default_na=False)  # noqa: E731
        self.raw = {n: read(n) for n in TABLE_NAMES}
        self.t = {n: frame.copy() for n, frame in self.raw.items()}
        self.periods = [p["id"] for p in self.study["periods"]]
        docs, journal, people = self.t["documents"], self.t["journal"], self.t["people"]
        docs["period"] = self.period_of(docs["date"])
        docs["words"] = docs["words"].astype(int)
        journal["period"] = self.period_of(journal["date"])
        self.category = dict(zip(people["id"], people["category"]))
        self.researchers = set(people.loc[people["is_researcher"] == "oui", "id"])
        self.members = {c["id"]: c["members"] for c in self.study["stakeholder_categories"]}
        total = sum(self.members.values())
        self.member_share = {k: v / total for k, v in self.members.items()}
        self.interviews = docs[docs["kind"].isin(INTERVIEW_KINDS)].copy()
        self.interviews["category"] = self.interviews["respondent"].map(self.category)
        seg = self.t["segments"]
        self.primary = seg[seg["coder"] == "R01"].copy()
        self.second = seg[seg["coder"] == "R02"].copy()
        iv = self.interviews.set_index("id")
        p = self.primary
        in_iv = p["source"].isin(iv.index)
        self.iv_segments = p[in_iv].assign(
            period=p.loc[in_iv, "source"].map(iv["period"]),
            date=p.loc[in_iv, "source"].map(iv["date"]),
            unit=p.loc[in_iv, "source"].map(iv["unit"]),
            category=p.loc[in_iv, "speaker"].map(self.category),
            researcher=p.loc[in_iv, "speaker"].isin(self.researchers),
        )
        self.actors = self.iv_segments[~self.iv_segments["researcher"]].copy()
        self.actors["folded"] = self.actors["text"].map(_fold)
        self.words = self.interviews.groupby("period")["words"].sum().reindex(self.periods) / 1000

    def period_of(self, dates: pd.Series) -> pd.Series:
        out = pd.Series("", index=dates.index)
        for p in self.study["periods"]:
            out[(dates >= str(p["start"])) & (dates <= str(p["end"]))] = p["id"]
        return out

    def rate(self, code: str) -> pd.Series:
        """Primary codings of ``code`` per 1,000 interview words, by period."""
        n = self.iv_segments[self.iv_segments["code"] == code].groupby("period").size()
        return n.reindex(self.periods, fill_value=0) / self.words

    def counts_by_period(self, code: str) -> pd.Series:
        n = self.iv_segments[self.iv_segments["code"] == code].groupby("period").size()
        return n.reindex(self.periods, fill_value=0)

    def actor_share(self) -> pd.DataFrame:
        """Share of actors' interview segments by period (rows) and category."""
        return pd.crosstab(self.actors["period"], self.actors["category"], normalize="index")

    def agreement(self) -> pd.DataFrame:
        """R01 segments of double-coded sources with R02's code on the same span."""
        dc = self.primary[self.primary["source"].isin(set(self.second["source"]))]
        merged = dc.merge(
            self.second[["source", "start", "end", "code"]],
            on=["source", "start", "end"],
            how="left",
            suffixes=("", "_r02"),
        )
        return merged.assign(agree=merged["code"] == merged["code_r02"])


@pytest.fixture(scope="module")
def case() -> Case:
    return Case(DATA)


@pytest.fixture(scope="module")
def ind(case) -> pd.DataFrame:
    """The raw indicators, with ``regenerates`` as a set of ids."""
    ind = case.t["indicators"].copy()
    ind["regenerated"] = ind["regenerates"].str.split("|").map(lambda xs: {x for x in xs if x})
    return ind


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("exemple")
    (out / "README.md").write_text("à garder\n", encoding="utf-8")
    counts = generate(out)
    return out, counts


# --------------------------------------------------------------------------


class TestRegeneration:
    def test_byte_identical(self, regenerated):
        out, _ = regenerated
        for name in FILES:
            assert (out / name).read_bytes() == (DATA / name).read_bytes(), name

    def test_readme_untouched(self, regenerated):
        out, _ = regenerated
        assert (out / "README.md").read_text(encoding="utf-8") == "à garder\n"
        assert (DATA / "README.md").is_file()

    def test_counts_returned(self, regenerated, case):
        _, counts = regenerated
        assert set(counts) == set(TABLE_NAMES)
        for name in TABLE_NAMES:
            assert counts[name] == len(case.t[name])

    @pytest.mark.parametrize(
        "spelling", [["exemple", "--sortie", "{out}", "--graine", "7"], ["example", "--out", "{out}", "--seed", "7"]]
    )
    def test_cli_writes_the_example(self, tmp_path, capsys, spelling):
        out = tmp_path / "x"
        assert main([arg.format(out=out) for arg in spelling]) == 0
        generate(tmp_path / "y", seed=7)
        assert (out / "segments.csv").read_bytes() == (tmp_path / "y" / "segments.csv").read_bytes()
        assert "segments.csv" in capsys.readouterr().out

    def test_cli_refuses_a_zero_scale_in_french(self, tmp_path, capsys):
        assert main(["exemple", "--sortie", str(tmp_path / "x"), "--echelle", "0"]) == 2
        assert "--echelle doit être un entier" in capsys.readouterr().err
        assert not (tmp_path / "x").exists()

    def test_other_seed_differs(self, tmp_path):
        generate(tmp_path, seed=7)
        assert (tmp_path / "segments.csv").read_bytes() != (DATA / "segments.csv").read_bytes()


class TestFormat:
    def test_cp1252_encodable(self):
        for name in FILES:
            text = (DATA / name).read_text(encoding="utf-8")
            text.encode("cp1252")  # raises UnicodeEncodeError otherwise
            assert "\r" not in text and "\u202f" not in text and "\xa0" not in text

    def test_columns_follow_contract(self, case):
        for name in TABLE_NAMES:
            required = [c.name for c in TABLES[name].columns if c.required]
            in_file = [c for c in TABLES[name].names if c in case.t[name].columns]
            assert set(required) <= set(in_file)
            assert list(case.t[name].columns[: len(in_file)]) == in_file

    def test_cells(self, case):
        ids = {n: set(case.t[n]["id"]) for n in ("units", "people", "documents", "journal", "segments")}
        ids["sources"] = ids["documents"] | ids["journal"]
        ids["evidence"] = ids["segments"] | ids["journal"]
        ids["categories"] = set(case.members)
        ids["periods"] = set(case.periods)
        ids["codes"] = set(case.t["codebook"]["code"])
        for name in TABLE_NAMES:
            frame = case.raw[name]
            for col in TABLES[name].columns:
                if not col.required and col.name not in frame:
                    continue
                values = frame[col.name]
                filled = values[values != ""]
                if not col.nullable:
                    assert len(filled) == len(values), (name, col.name)
                if col.unique:
                    assert values.is_unique, (name, col.name)
                if col.kind == "enum":
                    assert set(filled) <= set(col.choices), (name, col.name)
                if col.kind == "bool":
                    assert set(filled) <= {"oui", "non"}, (name, col.name)
                if col.kind == "date":
                    assert filled.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), (name, col.name)
                    pd.to_datetime(filled, format="%Y-%m-%d")
                    if col.in_period:
                        assert (case.period_of(filled) != "").all(), (name, col.name)
                if col.kind == "int":
                    assert filled.str.fullmatch(r"\d+").all(), (name, col.name)
                if col.kind == "float":
                    assert filled.str.fullmatch(r"-?\d+(\.\d+)?").all(), (name, col.name)
                if col.ref:
                    items = filled.str.split("|").explode() if col.kind == "list" else filled
                    assert set(items) <= ids[col.ref], (name, col.name)

    def test_key_of_codebook(self, case):
        assert not case.t["codebook"].duplicated(["code", "version"]).any()

    def test_study(self, case):
        s = case.study
        assert list(s) == [
            "case",
            "territory",
            "description",
            "researchers",
            "periods",
            "stakeholder_categories",
            "research_lexicon",
            "privacy",
        ]
        assert s["researchers"] == ["R01", "R02"]
        assert s["privacy"] == {"min_cell_size": 5, "quote_policy": "consentement"}
        assert 120 <= sum(case.members.values()) <= 140
        periods = s["periods"]
        assert len(periods) == 4
        for a, b in zip(periods, periods[1:]):
            gap = pd.Timestamp(b["start"]) - pd.Timestamp(a["end"])
            assert gap == pd.Timedelta(days=1)
        assert all(p["opening_event"] for p in periods)
        terms = {t["term"] for t in s["research_lexicon"]}
        assert {"méta-organisation", "chaîne de valeur élargie"} <= terms

    def test_people_are_pseudonyms(self, case):
        people = case.t["people"]
        assert people["id"].str.fullmatch(r"(R|SAL|ESS|ENT|COL|PAR|CIT)\d{2}").all()
        r = people.set_index("id")
        assert r.loc["R01", "category"] == "salaries" and r.loc["R01", "is_researcher"] == "oui"
        assert r.loc["R02", "category"] == "partenaires" and r.loc["R02", "is_researcher"] == "oui"

    def test_segment_offsets(self, case):
        seg = case.t["segments"].copy()
        seg["start"] = seg["start"].astype(int)
        seg["end"] = seg["end"].astype(int)
        assert (seg["end"] > seg["start"]).all()
        assert (seg["end"] - seg["start"] == seg["text"].str.len()).all()
        seg = seg.sort_values(["source", "coder", "start"])
        prev_end = seg.groupby(["source", "coder"])["end"].shift()
        assert (seg["start"] >= prev_end.fillna(-1)).all()
        journal = case.t["journal"].set_index("id")["text"]
        js = seg[seg["source"].isin(journal.index)]
        assert len(js) > 0
        assert all(journal[s][a:b] == t for s, a, b, t in zip(js["source"], js["start"], js["end"], js["text"]))
        assert (js["speaker"] == "R01").all()

    def test_segments_use_last_codebook(self, case):
        cb = case.t["codebook"]
        cb_version = cb["version"].astype(int)
        last = cb[cb_version == cb_version.max()]
        leaves = set(last["code"]) - set(last["parent"])
        assert set(case.t["segments"]["code"]) <= leaves


class TestSizes:
    def test_minimums(self, case):
        assert len(case.interviews) >= 40
        assert (case.interviews["kind"] == "entretien collectif").any()
        assert (case.t["documents"]["kind"] == "compte rendu").any()
        assert len(case.t["journal"]) >= 300
        assert len(case.primary) >= 3000
        assert len(case.t["units"]) >= 8
        assert len(case.periods) == 4

    def test_interviews(self, case):
        iv = case.interviews
        assert iv["words"].between(3000, 9000).all()
        assert 0.55 <= (iv["quote_consent"] == "oui").mean() <= 0.95
        assert (iv["interviewer"] == "R01").mean() >= 0.75

    def test_double_coded_share(self, case):
        dc = case.primary["source"].isin(set(case.second["source"]))
        assert dc.mean() >= 0.15
        # whole interviews are double-coded, never journal entries
        assert set(case.second["source"]) <= set(case.interviews["id"])

    def test_interviewer_talk(self, case):
        share = case.iv_segments["researcher"].mean()
        assert 0.05 <= share <= 0.15

    def test_codebook_churn(self, case):
        cb = case.t["codebook"]
        v = {k: set(g["code"]) for k, g in cb.groupby(cb["version"].astype(int))}
        assert sorted(v) == [1, 2, 3]
        rep = cb[cb["replaces"] != ""]
        items = rep.assign(old=rep["replaces"].str.split("|")).explode("old")
        merges = items.groupby(["code", "version"]).size()
        assert (merges >= 2).any()  # a merge
        splits = items.groupby(["old", "version"]).size()
        assert (splits >= 2).any()  # a split
        assert (merges == 1).any()  # a rename
        assert v[1] - v[2] - set(items["old"])  # a drop
        assert (v[2] - v[1] - set(rep["code"])) or (v[3] - v[2] - set(rep["code"]))  # an addition

    def test_indicators(self, case):
        ind = case.t["indicators"]
        assert set(ind["stage"]) == set(TABLES["indicators"].column("stage").choices)
        assert (ind["baseline"] == "").any() and (ind["baseline"] != "").mean() > 0.5
        assert ((ind["stage"] == "impacts") & (ind["evidence"] == "")).any()
        assert (ind["unit"] != "").any()
        total = ind.assign(v=ind["value"].astype(float)).groupby("label")["v"].sum()
        get = lambda word: total[[k for k in total.index if word in k]].sum()  # noqa: E731
        assert get("Idées de projets") >= 130
        assert get("Ateliers thématiques") == pytest.approx(71, abs=5)
        assert get("Projets collectifs démarrés") == pytest.approx(22, abs=2)
        assert get("Réunions de travail") >= 200
        assert get("Acteurs mobilisés") >= 3000
        assert get("Emplois") == pytest.approx(50, abs=5)


class TestValueChainCycle:
    """The value chain read as a cycle (README « Clé de réponse », effet 9)."""

    def test_stable_ids(self, ind):
        assert (ind["indicator"] != "").all()
        meaning = ind.groupby("indicator")[["label", "stage"]].nunique()
        assert (meaning == 1).all().all()
        assert ind.groupby("label")["indicator"].nunique().eq(1).all()
        assert ind.groupby("indicator").size().eq(4).all()
        # the added relational resource comes last, so earlier row ids did not move
        assert set(ind.loc[ind["id"] >= "I065", "indicator"]) == {"reseau_partenaires"}

    def test_counts_per_stage(self, ind):
        per_stage = ind.groupby("stage")["indicator"].nunique().to_dict()
        assert per_stage == {"ressources": 4, "activités": 3, "réalisations": 4, "résultats": 3, "impacts": 3}
        assert ind.groupby("stage").size().to_dict() == {
            "ressources": 16,
            "activités": 12,
            "réalisations": 16,
            "résultats": 12,
            "impacts": 12,
        }

    def test_kinds_only_at_their_stage(self, ind):
        assert ((ind["resource_kind"] != "") == (ind["stage"] == "ressources")).all()
        assert ((ind["activity_kind"] != "") == (ind["stage"] == "activités")).all()
        assert ((ind["regenerates"] == "") | (ind["stage"] == "impacts")).all()
        kinds = ind[ind["stage"] == "ressources"].groupby("indicator")["resource_kind"].unique()
        assert {k: list(v) for k, v in kinds.items()} == {
            "benevolat_heures": ["bénévole"],
            "financements_mobilises": ["monétaire"],
            "temps_salarie_animation": ["humaine"],
            "reseau_partenaires": ["relationnelle"],
        }
        activities = ind[ind["stage"] == "activités"].drop_duplicates("indicator")
        assert dict(zip(activities["indicator"], activities["activity_kind"])) == {
            "idees_projets": "principale",
            "ateliers_thematiques": "principale",
            "reunions_travail": "support",
        }

    def test_impacts_regenerate_resources(self, ind):
        resources = set(ind.loc[ind["stage"] == "ressources", "indicator"])
        assert set().union(*ind["regenerated"]) <= resources
        impacts = ind[ind["stage"] == "impacts"]
        # the same regenerated resources at every period of an impact
        assert impacts.groupby("indicator")["regenerates"].nunique().eq(1).all()
        loops = impacts.drop_duplicates("indicator").set_index("indicator")["regenerated"].to_dict()
        assert loops == {
            "cooperations_durables": {"reseau_partenaires"},
            "ressources_communes": {"benevolat_heures", "reseau_partenaires"},
            "attractivite_territoire": set(),
        }
        unregenerated = resources - set().union(*loops.values())
        assert unregenerated == {"financements_mobilises", "temps_salarie_animation"}

    def test_baseline_and_evidence_gaps(self, ind):
        assert set(ind.loc[ind["baseline"] == "", "indicator"]) == {"personnes_transportees", "ressources_communes"}
        no_evidence = ind[ind["evidence"] == ""]
        assert sorted(zip(no_evidence["indicator"], no_evidence["period"])) == [
            ("attractivite_territoire", p) for p in ("P1", "P2", "P3", "P4")
        ] + [("repas_servis", "P4")]


class TestPlantedEffects:
    """The answer key (README « Clé de réponse »)."""

    def test_1_rising_code(self, case):
        rate = case.rate("tension_financement")
        others = ["P1", "P2", "P4"]
        counts = case.counts_by_period("tension_financement")
        pooled = counts[others].sum() / case.words[others].sum()
        assert rate["P3"] >= 3 * pooled
        for p in others:
            assert rate["P3"] >= 2.5 * rate[p]
        assert _chi2_p(case.counts_by_period("tension_financement")[others], case.words[others]) > 0.001

    def test_2_feu_de_paille(self, case):
        j = case.t["journal"]
        per_unit = pd.crosstab(j["unit"], j["period"]).reindex(columns=case.periods, fill_value=0)
        u02 = per_unit.loc["U02"]
        assert u02["P1"] > 3 * u02["P4"] and u02["P2"] > 3 * u02["P4"]
        assert u02["P1"] > 2 * u02["P3"]
        for unit in per_unit.index.drop(["", "U02"], errors="ignore"):
            assert not per_unit.loc[unit, "P1"] > 3 * per_unit.loc[unit, "P4"], unit
        npart = pd.to_numeric(j["n_participants"], errors="coerce")
        u = j["unit"] == "U02"
        early, late = j["period"].isin(["P1", "P2"]), j["period"].isin(["P3", "P4"])
        assert npart[u & early].mean() > 2 * npart[u & late].mean()
        # coded mentions and their content
        src = pd.concat([case.t["documents"][["id", "unit", "period"]], j[["id", "unit", "period"]]]).set_index("id")
        seg = case.primary.assign(
            unit=case.primary["source"].map(src["unit"]), period=case.primary["source"].map(src["period"])
        )
        s = seg[seg["unit"] == "U02"]
        n = s.groupby("period").size().reindex(case.periods, fill_value=0)
        assert n["P1"] > 3 * n["P4"]
        is_early = s["period"].isin(["P1", "P2"])
        up = s["code"].isin(["enthousiasme", "cooperation"])
        down = s["code"].isin(["essoufflement", "concurrence_projets"])
        assert up[is_early].mean() > 0.2 and up[~is_early].mean() < 0.1
        assert down[~is_early].mean() > 0.2 and down[is_early].mean() < 0.05

    def test_3_voices(self, case):
        share = case.actor_share()
        ratio = share / pd.Series(case.member_share)
        assert share.loc["P3", "salaries"] > 3 * case.member_share["salaries"]
        assert 0.4 <= (case.interviews.query("period == 'P3'")["category"] == "salaries").mean() <= 0.6
        for p in ("P1", "P2", "P4"):
            assert ratio.loc[p, "salaries"] < 1.5
            assert ratio.loc[p].between(0.5, 1.5).all(), p

    def test_4_lexicon_diffusion(self, case):
        j = case.t["journal"]
        first = j.loc[j["text"].map(_fold).str.contains(CVE), "date"].min()
        assert case.period_of(pd.Series([first])).iloc[0] == "P2"
        a = case.actors
        uses = a["folded"].str.contains(CVE)
        assert (a.loc[uses, "date"] > first).all()
        share = uses.groupby(a["period"]).mean().reindex(case.periods, fill_value=0)
        assert share["P1"] == 0
        assert share["P2"] < share["P3"] < share["P4"]
        assert share["P3"] >= 0.02 and share["P4"] >= 0.05
        forms = set(a.loc[uses, "text"].str.extract(r"((?i:cha[iî]nes? de valeur [ée]largies?))", expand=False))
        assert len(forms) >= 3
        # control term: used from P1, stable share
        meta = a["folded"].str.contains(META)
        counts = meta.groupby(a["period"]).sum().reindex(case.periods)
        assert counts["P1"] > 0
        assert _chi2_p(counts, a.groupby("period").size().reindex(case.periods)) > 0.001

    def test_5_unreliable_code(self, case):
        ag = case.agreement()
        flou = ag[ag["code"] == "role_flou"]
        assert len(flou) >= 20
        assert flou["agree"].mean() < 0.6
        assert ag.loc[ag["code"] != "role_flou", "agree"].mean() >= 0.8
        # R02 also codes a few passages R01 left uncoded
        keys = set(zip(case.primary["source"], case.primary["start"]))
        extra = [k not in keys for k in zip(case.second["source"], case.second["start"])]
        assert 0 < sum(extra) < 0.1 * len(case.second)

    @pytest.mark.parametrize("code", ["ancrage_territorial", "gouvernance_partagee", "utilite_sociale"])
    def test_6_nulls(self, case, code):
        assert _chi2_p(case.counts_by_period(code), case.words) > 0.001
        by_cat = case.actors[case.actors["code"] == code].groupby("category").size()
        words = case.interviews.groupby("category")["words"].sum()
        assert _chi2_p(by_cat.reindex(words.index, fill_value=0), words) > 0.001
        rate = case.rate(code)
        assert rate.max() < 2 * rate.min()

    def test_6_null_test_has_power(self, case):
        """The homogeneity test used for nulls does reject the planted rise."""
        assert _chi2_p(case.counts_by_period("tension_financement"), case.words) < 1e-6

    def test_7_cout_que_coute(self, case):
        a, iv = case.actors, case.interviews
        hit = a["code"].isin(["pression_salaries", "surinvestissement"])
        emp_seg, emp_iv = a["category"] == "salaries", iv["category"] == "salaries"
        late_seg, late_iv = a["period"].isin(["P3", "P4"]), iv["period"].isin(["P3", "P4"])

        def rate(seg_mask, iv_mask):
            return hit[seg_mask].sum() / iv.loc[iv_mask, "words"].sum() * 1000

        r_emp_late = rate(emp_seg & late_seg, emp_iv & late_iv)
        assert r_emp_late > 2 * rate(emp_seg & ~late_seg, emp_iv & ~late_iv)
        assert r_emp_late > 3 * rate(~emp_seg, ~emp_iv)
        # no such rise among the other categories
        others = a[~emp_seg & hit].groupby("period").size().reindex(case.periods, fill_value=0)
        words = iv[~emp_iv].groupby("period")["words"].sum().reindex(case.periods)
        assert _chi2_p(others, words) > 0.001

    def test_8_researcher_roles(self, case):
        j = case.t["journal"]
        share = pd.crosstab(j["period"], j["researcher_role"], normalize="index")
        assert share["acteur"].is_monotonic_increasing
        assert share.loc["P4", "acteur"] > 3 * share.loc["P1", "acteur"]
        assert share.loc["P1", "observateur"] > 3 * share.loc["P4", "observateur"]
        assert (j["author"] == "R01").all()


class TestScale:
    def test_scale_two_doubles(self, tmp_path, case):
        counts = generate(tmp_path, scale=2)
        ratio = counts["segments"] / len(case.t["segments"])
        assert 1.7 <= ratio <= 2.3
        assert 1.7 <= counts["journal"] / len(case.t["journal"]) <= 2.3
        assert counts["units"] == len(case.t["units"])

    def test_bad_scale(self, tmp_path):
        with pytest.raises(ValueError):
            generate(tmp_path, scale=0)
