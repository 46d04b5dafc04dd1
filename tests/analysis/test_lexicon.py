"""Diffusion of the research lexicon: normalisation, matching, a tiny study by hand, the example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from minimal_study import STUDY_YML, write_minimal_study
from scipy.stats import fisher_exact

from rd_territoriale import load_case
from rd_territoriale.analysis.lexicon import (
    ALREADY_USED,
    CATEGORY_COLUMNS,
    DIFFUSION_COLUMNS,
    NEVER_BY_RESEARCHER,
    NOT_TAKEN_UP,
    PERIOD_COLUMNS,
    TOO_FEW,
    UPTAKE,
    USE_COLUMNS,
    VERDICTS,
    _verdict,
    find_terms,
    lexicon_diffusion,
    lexicon_terms,
    lexicon_uses,
    normalise,
    normalise_series,
    term_matches,
    term_patterns,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "exemple"
CVE = "chaîne de valeur élargie"
META = "méta-organisation"
ECT = "entrepreneuriat coopératif de territoire"

LEXICON = {
    META: ["méta-organisations"],
    ECT: ["ECT"],
    CVE: [],
}


class TestNormalise:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("la méta-organisation", "la meta organisation"),
            ("les méta organisations", "les meta organisations"),
            ("Méta-Organisation", "meta organisation"),
            ("d'ECT", "ect"),
            ("l’ECT", "ect"),
            ("jusqu’à l'ECT, lorsqu'il", "a ect il"),
            ("CHAÎNE DE VALEUR ÉLARGIE", "chaine de valeur elargie"),
            ("l’entrepreneuriat coopératif de territoire", "entrepreneuriat cooperatif de territoire"),
            ("aujourd'hui", "aujourd hui"),  # an apostrophe inside a word is punctuation
            ("R&D territoriale", "r d territoriale"),
            ("R & D  territoriale", "r d territoriale"),
            ("  Cœur — du\u00a0projet !  ", "coeur du projet"),
            ("«\u202fméta‑organisation\u202f»", "meta organisation"),  # non-breaking hyphen and spaces
            ("", ""),
        ],
    )
    def test_phrases(self, text, expected):
        assert normalise(text) == expected

    def test_hyphen_is_a_space(self):
        assert normalise("méta-organisation") == normalise("méta organisation") == normalise("META - ORGANISATION")

    def test_missing_value(self):
        assert normalise(None) == ""

    def test_series_matches_scalar_and_keeps_index_and_missing(self):
        texts = pd.Series(["La Méta-Organisation", None, "d'ECT", "La Méta-Organisation"], index=[7, 3, 5, 1])
        out = normalise_series(texts)
        assert out.index.tolist() == [7, 3, 5, 1]
        assert str(out.dtype) == "string"
        assert out.isna().tolist() == [False, True, False, False]
        assert out[7] == out[1] == normalise("La Méta-Organisation")
        assert out[5] == "ect"
        assert normalise_series([]).empty


class TestMatching:
    @pytest.mark.parametrize(
        "text, term",
        [
            ("c'est la méta-organisation du territoire", META),
            ("les méta organisations", META),
            ("Méta-Organisation", META),
            ("une métaorganisation", META),  # a hyphen of the lexicon may be omitted
            ("on fait de l'ECT sans le savoir", ECT),
            ("d'ECT", ECT),
            ("l’entrepreneuriat coopératif de territoire", ECT),
            ("CHAÎNE DE VALEUR ÉLARGIE", CVE),
            ("chaines de valeur elargies", CVE),
            ("les chaînes de valeur élargies.", CVE),
        ],
    )
    def test_counts_as_the_term(self, text, term):
        found = find_terms([text], LEXICON)
        assert found.loc[0].to_dict() == {t: t == term for t in LEXICON}

    @pytest.mark.parametrize(
        "text",
        [
            "une logique méta-organisationnelle",
            "le méta-organisationnel",
            "métaorganisationnelle",
            "le projecteur de la salle",
            "la collecte des déchets",
            "la chaîne de valeur du bois",
            "chaîne de valeur",
            "une chaîne de valeur élargissante",
            "l'organisation",
        ],
    )
    def test_does_not_count(self, text):
        assert not find_terms([text], LEXICON).loc[0].any()

    def test_listed_forms_do_count(self):
        lexicon = {META: ["méta-organisationnel"], "chaîne de valeur": [], "ECT": ["collecte"]}
        found = find_terms(
            ["le méta-organisationnel", "une chaîne de valeur", "la collecte", "métaorganisationnelle"], lexicon
        )
        assert found[META].tolist() == [True, False, False, False]
        assert found["chaîne de valeur"].tolist() == [False, True, False, False]
        assert found["ECT"].tolist() == [False, False, True, False]

    def test_a_space_of_the_lexicon_is_not_optional(self):
        assert not find_terms(["chainedevaleur elargie"], {CVE: []}).loc[0, CVE]

    def test_plurals(self):
        lexicon = {"réseau territorial": [], "R&D territoriale": []}
        found = find_terms(["des réseaux territoriaux", "les R&D territoriales", "R et D territoriale"], lexicon)
        assert found["réseau territorial"].tolist() == [True, False, False]
        assert found["R&D territoriale"].tolist() == [False, True, False]

    def test_patterns_search_normalised_text(self):
        pattern = term_patterns(LEXICON)[META]
        assert pattern.search(normalise("Les Méta-Organisations"))
        assert not pattern.search(normalise("méta-organisationnel"))
        assert list(term_patterns(LEXICON)) == list(LEXICON)

    def test_find_terms_shape_and_missing(self):
        texts = pd.Series(["la méta-organisation", None, "rien"], index=["a", "b", "c"])
        found = find_terms(texts, LEXICON)
        assert found.index.tolist() == ["a", "b", "c"]
        assert found.columns.tolist() == list(LEXICON)
        assert found.dtypes.eq(bool).all()
        assert found.sum().sum() == 1

    def test_matches_keep_the_spelling(self):
        texts = ["Vive la CHAÎNE DE VALEUR ÉLARGIE !", "d'ECT en ECT", "les Méta organisations et l'ECT"]
        matches = term_matches(texts, LEXICON)
        assert matches.columns.tolist() == ["index", "term", "match", "form", "occurrences"]
        rows = list(matches[["index", "term", "form", "occurrences"]].itertuples(index=False, name=None))
        assert rows == [
            (0, CVE, "CHAÎNE DE VALEUR ÉLARGIE", 1),
            (1, ECT, "ECT", 2),  # one row per text and term
            (2, META, "Méta organisations", 1),
            (2, ECT, "ECT", 1),
        ]
        assert matches.loc[0, "match"] == "chaine de valeur elargie"

    def test_lexicon_shapes(self):
        frame = pd.DataFrame(
            {"term": [META, "ECT", None], "variants": ["méta-organisations|meta-organisation", np.nan, "x"]}
        )
        assert lexicon_terms(frame) == {META: [META, "méta-organisations", "meta-organisation"], "ECT": ["ECT"]}
        assert lexicon_terms(["ECT", "ECT"]) == {"ECT": ["ECT"]}
        assert lexicon_terms({"ECT": ("ect", "ECT")}) == {"ECT": ["ECT", "ect"]}


# --------------------------------------------------------------------------
# A tiny study, checked by hand
# --------------------------------------------------------------------------

STUDY = STUDY_YML.replace(
    '  - term: "méta-organisation"\n    variants: ["méta-organisations"]\n',
    '  - term: "méta-organisation"\n    variants: ["méta-organisations"]\n'
    '  - term: "chaîne de valeur élargie"\n'
    '  - term: "intrapreneur"\n    variants: ["intrapreneurs"]\n'
    '  - term: "R&D territoriale"\n',
)
assert STUDY != STUDY_YML

PEOPLE = pd.DataFrame(
    {
        "id": ["R01", "R02", "SAL01", "ESS01", "ESS02"],
        "category": ["salaries", "ess", "salaries", "ess", "ess"],
        "is_researcher": ["oui", "oui", "non", "non", "non"],
    }
)
DOCUMENTS = pd.DataFrame(
    {
        "id": ["D1", "D2", "D3"],
        "kind": ["entretien", "entretien", "compte rendu"],
        "date": ["2020-03-10", "2021-05-02", "2021-06-01"],
        "unit": ["U1", "", "U2"],
        "respondent": ["SAL01", "ESS01", ""],
        "interviewer": ["R01", "R01", ""],
        "quote_consent": ["oui", "non", "oui"],
        "words": ["4200", "3100", "800"],
    }
)
J1 = "Réunion de lancement : la méta-organisation se cherche."
J2 = "Note : relire le bilan avec la chaîne de valeur élargie."
J3 = "Un intrapreneur au pôle ?"
JOURNAL = pd.DataFrame(
    {
        "id": ["J1", "J2", "J3"],
        "date": ["2020-04-01", "2021-01-15", "2021-02-01"],
        "author": ["R01"] * 3,
        "unit": ["U1", "", ""],
        "kind": ["réunion", "note réflexive", "note réflexive"],
        "researcher_role": ["observateur", "acteur", "acteur"],
        "participants": ["salaries|ess", "", ""],
        "text": [J1, J2, J3],
    }
)
# id, source, coder, code, start, end, speaker, text
SEGMENTS = [
    ("S1", "D1", "R01", "cooperation", 0, 40, "SAL01", "On est une méta-organisation, quoi."),
    ("S2", "D1", "R01", "essoufflement", 0, 40, "SAL01", "On est une méta-organisation, quoi."),  # same passage
    ("S3", "D1", "R01", "cooperation", 50, 90, "SAL01", "Rien à dire sur la R&D territoriale."),
    ("S4", "D2", "R01", "cooperation", 0, 40, "R01", "Et la chaîne de valeur élargie, ça vous parle ?"),
    ("S5", "D2", "R01", "cooperation", 50, 90, "ESS01", "Les chaînes de valeur élargies, on s'en sert."),
    ("S6", "D2", "R01", "essoufflement", 100, 140, "ESS02", "Oui, la Chaîne de Valeur Élargie."),
    ("S7", "D2", "R01", "cooperation", 150, 190, "", "La chaîne de valeur élargie, sans locuteur."),
    ("S8", "J1", "R01", "cooperation", 0, len(J1), "R01", J1),
    ("S9", "D1", "R02", "cooperation", 0, 40, "SAL01", "La chaîne de valeur élargie selon R02."),
]


def tiny_case(folder: Path):
    write_minimal_study(folder)
    (folder / "study.yml").write_text(STUDY, encoding="utf-8")
    segments = pd.DataFrame(SEGMENTS, columns=["id", "source", "coder", "code", "start", "end", "speaker", "text"])
    tables = {"people": PEOPLE, "documents": DOCUMENTS, "journal": JOURNAL, "segments": segments}
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return load_case(folder)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    return tiny_case(tmp_path_factory.mktemp("lexicon"))


@pytest.fixture(scope="module")
def tiny(case):
    return lexicon_diffusion(case)


def summary_row(result, term):
    return result.summary.set_index("term").loc[term]


def period_row(result, term, period):
    return result.periods.set_index(["term", "period"]).loc[(term, period)]


class TestByHand:
    def test_columns_and_order(self, tiny):
        assert list(tiny.summary.columns) == DIFFUSION_COLUMNS
        assert list(tiny.periods.columns) == PERIOD_COLUMNS
        assert list(tiny.categories.columns) == CATEGORY_COLUMNS
        assert list(tiny.uses.columns) == USE_COLUMNS
        terms = [META, CVE, "intrapreneur", "R&D territoriale"]
        assert tiny.summary["term"].tolist() == terms
        assert tiny.periods["term"].tolist() == [t for t in terms for _ in range(2)]
        assert tiny.periods["period"].tolist() == ["P1", "P2"] * 4
        assert tiny.categories["category"].tolist() == ["salaries", "ess"] * 4
        assert set(tiny.summary["verdict"]) <= set(VERDICTS)

    def test_researcher_first_use(self, tiny):
        cve = summary_row(tiny, CVE)
        assert cve["researcher_first_date"] == pd.Timestamp("2021-01-15")
        assert (cve["researcher_first_source"], cve["researcher_first_kind"]) == ("J2", "note réflexive")
        assert cve["researcher_first_period"] == "P2"
        # J2 in the journal; S4, the interviewer's question, is the researcher's too.
        assert (cve["journal_count"], cve["question_count"]) == (1, 1)
        meta = summary_row(tiny, META)
        assert meta["researcher_first_date"] == pd.Timestamp("2020-04-01")
        assert meta["researcher_first_source"] == "J1"
        assert meta["journal_count"] == 1  # the entry J1 once, not again for its segment S8

    def test_actors_words_only(self, tiny):
        cve = summary_row(tiny, CVE)
        # S5 and S6 (actors); not S4 (interviewer), S7 (no speaker) or S9 (second coder).
        assert cve["actor_count_after"] == 2 and cve["actor_count_before"] == 0
        assert cve["actor_first_date"] == pd.Timestamp("2021-05-02")
        assert (cve["actor_first_category"], cve["actor_first_source"]) == ("ess", "D2")
        assert cve["actor_forms"] == 2
        actor_uses = tiny.uses[(tiny.uses["term"] == CVE) & (tiny.uses["voice"] == "acteur")]
        assert actor_uses["segment"].tolist() == ["S5", "S6"]
        assert actor_uses["form"].tolist() == ["chaînes de valeur élargies", "Chaîne de Valeur Élargie"]

    def test_passages_counted_once(self, tiny):
        # D1: S1 = S2 (one passage coded twice) and S3; D2: S5, S6.
        assert period_row(tiny, META, "P1")[["actor_count", "actor_segments"]].tolist() == [1, 2]
        assert period_row(tiny, CVE, "P2")[["actor_count", "actor_segments"]].tolist() == [2, 2]
        assert (tiny.uses["segment"] == "S2").sum() == 0

    def test_shares_per_period(self, tiny):
        p1, p2 = period_row(tiny, CVE, "P1"), period_row(tiny, CVE, "P2")
        assert (p1["actor_count"], p1["actor_share"]) == (0, 0.0)
        assert p2["actor_share"] == 1.0
        assert (p1["question_count"], p1["question_segments"]) == (0, 0)
        assert (p2["question_count"], p2["question_segments"]) == (1, 1)
        assert (p1["journal_count"], p1["journal_entries"]) == (0, 1)
        assert (p2["journal_count"], p2["journal_entries"], p2["journal_share"]) == (1, 2, 0.5)
        assert period_row(tiny, META, "P1")["actor_share"] == 0.5

    def test_before_after_and_test(self, tiny):
        cve = summary_row(tiny, CVE)
        assert (cve["actor_segments_before"], cve["actor_segments_after"]) == (2, 2)
        assert (cve["actor_share_before"], cve["actor_share_after"]) == (0.0, 1.0)
        # The person is the unit: 1 actor heard before (not using it), 2 after (both using it).
        persons = ["actor_persons_before", "actor_users_before", "actor_persons_after", "actor_users_after"]
        assert cve[persons].tolist() == [1, 0, 2, 2]
        expected = fisher_exact([[2, 0], [0, 1]], alternative="greater").pvalue
        assert cve["p_value"] == pytest.approx(expected) == pytest.approx(1 / 3)
        # Benjamini–Hochberg across the 3 terms tested (p = 1, 1/3, 1).
        assert cve["p_adjusted"] == pytest.approx(1.0)

    def test_verdicts(self, case, tiny):
        verdicts = tiny.summary.set_index("term")["verdict"]
        assert verdicts[META] == ALREADY_USED  # SAL01 on 2020-03-10, the journal on 2020-04-01
        assert verdicts[CVE] == TOO_FEW  # 2 uses: fewer than min_uses
        assert verdicts["intrapreneur"] == TOO_FEW  # 2 actors' passages after: fewer than min_segments
        assert verdicts["R&D territoriale"] == NEVER_BY_RESEARCHER
        loose = lexicon_diffusion(case, alpha=0.2, min_uses=2, min_segments=2).summary.set_index("term")
        assert loose.loc[CVE, "verdict"] == TOO_FEW  # two persons after, one before: p = 1/3, adjusted 1
        assert loose.loc["intrapreneur", "verdict"] == NOT_TAKEN_UP
        # The rule itself: enough uses, nobody before, and the adjusted p below alpha.
        assert _verdict(True, 0, 5, 4, 6, 0.01, 0.05, 2, 2) == UPTAKE
        assert _verdict(True, 0, 5, 4, 6, 0.06, 0.05, 2, 2) == TOO_FEW

    def test_first_use_per_category(self, tiny):
        cats = tiny.categories.set_index(["term", "category"])
        sal = cats.loc[(META, "salaries")]
        assert sal["first_date"] == pd.Timestamp("2020-03-10") and sal["first_source"] == "D1"
        assert sal["category_label"] == "Salariés"
        assert (sal["uses"], sal["speakers"], bool(sal["before_researcher"])) == (1, 1, True)
        ess = cats.loc[(CVE, "ess")]
        assert (ess["first_date"], ess["uses"], ess["speakers"]) == (pd.Timestamp("2021-05-02"), 2, 2)
        assert not ess["before_researcher"]
        never = cats.loc[(META, "ess")]
        assert pd.isna(never["first_date"]) and never["uses"] == 0 and pd.isna(never["before_researcher"])

    def test_uses_table(self, case, tiny):
        uses = lexicon_uses(case)
        pd.testing.assert_frame_equal(uses, tiny.uses)
        journal = uses[uses["source_kind"] == "journal"]
        assert journal["source"].tolist() == ["J1", "J2", "J3"]
        assert journal["segment"].isna().all() and (journal["voice"] == "chercheur").all()
        question = uses[uses["segment"] == "S4"].iloc[0]
        assert (question["voice"], question["speaker"]) == ("chercheur", "R01")
        assert pd.isna(question["category"])

    def test_second_coder_alone(self, case):
        out = lexicon_diffusion(case, coder="R02")
        cve = summary_row(out, CVE)
        assert cve["actor_count_before"] == 1 and cve["verdict"] == ALREADY_USED
        with pytest.raises(ValueError):
            lexicon_diffusion(case, coder="R09")

    def test_empty_lexicon(self, tmp_path):
        case = tiny_case(tmp_path)
        case.study.lexicon = case.study.lexicon.iloc[0:0]
        out = lexicon_diffusion(case)
        assert out.summary.empty and out.periods.empty and out.categories.empty and out.uses.empty
        assert list(out.summary.columns) == DIFFUSION_COLUMNS


# --------------------------------------------------------------------------
# The example: planted effect 4 (answer key, data/exemple/README.md)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    return lexicon_diffusion(load_case(EXAMPLE))


class TestExample:
    def test_researcher_first_use_of_the_value_chain(self, example):
        cve = summary_row(example, CVE)
        assert cve["researcher_first_date"] == pd.Timestamp("2019-10-15")
        assert cve["researcher_first_kind"] == "note réflexive"
        assert example.uses.set_index("source").loc[cve["researcher_first_source"], "source_kind"] == "journal"

    def test_actors_take_it_up_after(self, example):
        cve = summary_row(example, CVE)
        assert cve["actor_first_date"] == pd.Timestamp("2019-11-15")
        assert cve["actor_first_date"] > cve["researcher_first_date"]
        assert cve["actor_count_before"] == 0
        assert cve["actor_forms"] == 6
        assert cve["p_value"] < 1e-6
        assert cve["verdict"] == UPTAKE
        cats = example.categories[example.categories["term"] == CVE]
        assert not cats["before_researcher"].any()

    def test_shares_per_period(self, example):
        rows = example.periods[example.periods["term"] == CVE]
        assert rows["actor_count"].tolist() == [0, 3, 48, 63]
        assert rows["actor_share"].round(3).tolist() == [0.0, 0.005, 0.053, 0.101]
        journal = rows["journal_share"].tolist()
        assert journal[0] == 0 and journal[1] < journal[2] < journal[3]

    def test_interviewer_questions_excluded(self, example):
        cve = summary_row(example, CVE)
        assert cve["question_count"] == 6
        questions = example.uses[
            (example.uses["term"] == CVE)
            & (example.uses["source_kind"] == "document")
            & (example.uses["voice"] == "chercheur")
        ]
        assert len(questions) == 6 and set(questions["speaker"]) == {"R01"}
        assert set(questions["period"]) == {"P3", "P4"}
        rows = example.periods[example.periods["term"] == CVE]
        assert rows["question_count"].tolist() == [0, 0, 2, 4]

    def test_control_term_already_used(self, example):
        meta = summary_row(example, META)
        assert meta["actor_first_date"] < meta["researcher_first_date"]
        assert meta["actor_count_before"] > 0
        assert meta["verdict"] == ALREADY_USED
        shares = example.periods[example.periods["term"] == META]["actor_share"].round(3).tolist()
        assert shares == [0.045, 0.034, 0.041, 0.024]

    def test_other_terms(self, example):
        verdicts = example.summary.set_index("term")["verdict"]
        assert verdicts[ECT] == ALREADY_USED
        assert verdicts["R&D territoriale"] == ALREADY_USED
        assert verdicts["intrapreneur"] == NOT_TAKEN_UP
        intra = summary_row(example, "intrapreneur")
        assert intra["researcher_first_period"] == "P2"
        assert intra["actor_count_before"] + intra["actor_count_after"] == 0
        assert (example.uses.loc[example.uses["term"] == "intrapreneur", "source_kind"] == "journal").all()
