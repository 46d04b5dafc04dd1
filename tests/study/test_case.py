"""Loading a Case: typing, derived periods, the parquet cache, input formats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from minimal_study import TABLES, to_french_excel, write_minimal_study

from rd_territoriale import load_case
from rd_territoriale.errors import ValidationError
from rd_territoriale.study import parsing as P
from rd_territoriale.study.case import CACHE_DIR, fingerprint


class TestParsing:
    def test_numbers_french_and_english(self):
        s = pd.Series(["3,5", "1 234,5", "1\u202f000", "12", "-0.25", "1e3", "abc", "1,2,3", pd.NA], dtype="string")
        got = P.parse_number(s).tolist()
        assert got[:6] == [3.5, 1234.5, 1000.0, 12.0, -0.25, 1000.0]
        assert all(pd.isna(v) for v in got[6:])

    def test_dates_iso_and_french_and_impossible(self):
        s = pd.Series(["2020-03-01", "01/03/2020", "31/02/2020", "2020-13-01", pd.NA], dtype="string")
        got = P.parse_date(s)
        assert got.iloc[0] == got.iloc[1] == pd.Timestamp("2020-03-01")
        assert got.iloc[2:].isna().all()

    def test_booleans_and_enums_forgive_case_and_accents(self):
        assert P.parse_bool(pd.Series(["Oui", "NON", "vrai", "0"], dtype="string")).tolist() == [
            True,
            False,
            True,
            False,
        ]
        got = P.parse_enum(
            pd.Series(["Reunion", "NOTE RÉFLEXIVE", "fête"], dtype="string"), ("réunion", "note réflexive")
        )
        assert got.iloc[0] == "réunion" and got.iloc[1] == "note réflexive" and pd.isna(got.iloc[2])

    def test_lists(self):
        got = P.split_list(pd.Series(["a| b |", pd.NA], dtype="string")).tolist()
        assert got == [["a", "b"], []]


class TestLoadCase:
    def test_types_and_derived_columns(self, tmp_path):
        case = load_case(write_minimal_study(tmp_path / "s"))
        assert str(case.documents["date"].dtype) == "datetime64[ns]"
        assert case.documents["quote_consent"].tolist() == [True, False, True]
        assert case.documents["words"].tolist() == [4200, 3100, 800]
        assert case.documents["period"].tolist() == ["P1", "P2", "P2"]
        assert case.segments["period"].tolist() == ["P1", "P1", "P2", "P1"]
        assert case.segments["source_kind"].tolist() == ["document", "document", "document", "journal"]
        assert case.journal["participants"].tolist() == [["salaries", "ess"], []]
        assert case.indicators["value"].tolist() == [3.0]
        assert case.study.name == "Cas minimal" and case.study.researchers == ["R01"]
        assert case.study.periods["id"].tolist() == ["P1", "P2"]
        assert case.study.categories["members"].tolist() == [10, 20]
        assert case.study.lexicon["variants"].tolist() == [["méta-organisations"]]
        assert case.study.min_cell_size == 5
        # an optional column absent from the file comes back, empty
        assert case.units["description"].isna().all()

    def test_invalid_data_raise_every_problem_and_write_no_cache(self, tmp_path):
        folder = write_minimal_study(tmp_path / "s")
        seg = TABLES["segments"].copy()
        seg.loc[0, "code"] = "x"
        seg.loc[1, "source"] = "y"
        seg.to_csv(folder / "segments.csv", index=False)
        with pytest.raises(ValidationError) as err:
            load_case(folder)
        assert len(err.value.problems) == 2
        assert "segments.csv, ligne 2" in str(err.value)
        assert not (folder / "processed").exists()

    def test_cache_is_used_and_invalidated_by_content(self, tmp_path, monkeypatch):
        folder = write_minimal_study(tmp_path / "s")
        first = load_case(folder)
        caches = list((folder / CACHE_DIR).iterdir())
        assert len(caches) == 1
        # A second load must not validate again: it reads the cache.

        def boom(_):
            raise AssertionError("validated again despite a valid cache")

        monkeypatch.setattr("rd_territoriale.study.schema.validate_study", boom)
        second = load_case(folder)
        for name, frame in first.tables().items():
            pd.testing.assert_frame_equal(frame, second.tables()[name], check_dtype=False)
        monkeypatch.undo()
        # Touching a file without changing it keeps the fingerprint...
        before = fingerprint(folder)
        (folder / "units.csv").touch()
        assert fingerprint(folder) == before
        # ...changing its content makes a new cache and drops the old one.
        text = (folder / "units.csv").read_text().replace("Légumerie", "Légumerie solidaire")
        (folder / "units.csv").write_text(text)
        third = load_case(folder)
        assert third.units["name"].iloc[0] == "Légumerie solidaire"
        assert [p.name for p in (folder / CACHE_DIR).iterdir()] != [c.name for c in caches]
        assert len(list((folder / CACHE_DIR).iterdir())) == 1

    def test_french_excel_copy_loads_to_the_same_case(self, tmp_path):
        utf8 = load_case(write_minimal_study(tmp_path / "s"), cache=False)
        excel = to_french_excel(tmp_path / "s", tmp_path / "fr")
        assert (excel / "documents.csv").read_bytes().count(b"\r\n") == 4
        french = load_case(excel, cache=False)
        for name, frame in utf8.tables().items():
            pd.testing.assert_frame_equal(frame, french.tables()[name])

    def test_xlsx_copy_loads_to_the_same_case(self, tmp_path):
        utf8 = load_case(write_minimal_study(tmp_path / "s"), cache=False)
        folder = write_minimal_study(tmp_path / "x")
        for name, frame in TABLES.items():
            (folder / f"{name}.csv").unlink()
            typed = frame.copy()
            for col in typed.columns:  # let Excel hold real numbers and dates
                as_num = pd.to_numeric(typed[col], errors="coerce")
                if as_num.notna().all():
                    typed[col] = as_num
                elif typed[col].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
                    typed[col] = pd.to_datetime(typed[col])
            typed.to_excel(folder / f"{name}.xlsx", sheet_name=name, index=False)
        xlsx = load_case(folder, cache=False)
        for name, frame in utf8.tables().items():
            pd.testing.assert_frame_equal(frame, xlsx.tables()[name])


def test_period_assignment_is_inclusive_and_leaves_gaps_empty():
    from rd_territoriale.study.definition import assign_periods

    periods = pd.DataFrame(
        {
            "id": ["A", "B"],
            "start": pd.to_datetime(["2020-01-01", "2020-07-01"]),
            "end": pd.to_datetime(["2020-05-31", "2020-12-31"]),
        }
    )
    dates = pd.Series(pd.to_datetime(["2020-01-01", "2020-05-31", "2020-06-15", "2020-12-31", "2021-01-01", None]))
    got = assign_periods(dates, periods)
    assert got.iloc[0] == "A" and got.iloc[1] == "A" and got.iloc[3] == "B"
    assert got.iloc[[2, 4, 5]].isna().all()
    assert np.all(got.index == dates.index)


class TestExampleCase:
    """The shipped example validates, in UTF-8 and as French Excel writes it."""

    EXAMPLE = __import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "exemple"

    def test_cli_validates_the_example(self, capsys):
        from rd_territoriale.cli import main

        assert main(["validate", str(self.EXAMPLE)]) == 0
        out = capsys.readouterr().out
        assert "Données valides : Clus'Ter Jura (Pays Lédonien (Jura))" in out
        assert "périodes    4" in out

    def test_french_excel_copy_validates_and_loads_the_same(self, tmp_path, capsys):
        from rd_territoriale.cli import main

        french = to_french_excel(self.EXAMPLE, tmp_path / "fr")
        indicators = (french / "indicators.csv").read_bytes()
        assert b";6,1;" in indicators and b"\r\n" in indicators  # decimal comma, CRLF
        assert b";05/02/2018;" in (french / "documents.csv").read_bytes()  # JJ/MM/AAAA
        assert "é".encode("cp1252") in (french / "units.csv").read_bytes()
        assert main(["validate", str(french)]) == 0
        original = load_case(self.EXAMPLE, cache=False)
        copy = load_case(french, cache=False)
        for name, frame in original.tables().items():
            pd.testing.assert_frame_equal(frame, copy.tables()[name])
