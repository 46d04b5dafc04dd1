"""`rd-territoriale init`: a new study's skeleton, valid as it is, never written over an existing study."""

from __future__ import annotations

import pandas as pd
import yaml

from rd_territoriale.cli import main
from rd_territoriale.study.contract import TABLES


def test_init_writes_a_skeleton_that_validates(tmp_path, capsys):
    folder = tmp_path / "mon-etude"
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "rd-territoriale validate" in out and "make reports STUDY=" in out
    study = yaml.safe_load((folder / "study.yml").read_text(encoding="utf-8"))
    assert study["case"] == "mon-etude"
    for key in ("periods", "stakeholder_categories", "research_lexicon", "privacy"):
        assert study[key], key
    assert all("members" in c for c in study["stakeholder_categories"])
    text = (folder / "study.yml").read_text(encoding="utf-8")
    assert text.count("#") > 10  # commented for the researcher
    for name, table in TABLES.items():
        frame = pd.read_csv(folder / f"{name}.csv", dtype=str)
        assert len(frame) == 0 and list(frame.columns) == table.names, name
    assert main(["validate", str(folder)]) == 0, capsys.readouterr().err


def test_init_never_writes_over_a_study(tmp_path, capsys):
    folder = tmp_path / "etude"
    folder.mkdir()
    (folder / "segments.csv").write_text("mes données\n", encoding="utf-8")
    assert main(["init", str(folder)]) == 1
    assert "segments.csv" in capsys.readouterr().err
    assert (folder / "segments.csv").read_text(encoding="utf-8") == "mes données\n"
    assert not (folder / "study.yml").exists()


def test_import_into_a_folder_without_study_yml_names_init(tmp_path, capsys):
    source = tmp_path / "surlignages.csv"
    source.write_text("id,document,tag,content\n1,P1_GMT20211119.odt,a,texte\n", encoding="utf-8")
    assert main(["import", str(source), "--into", str(tmp_path / "nouvelle")]) == 1
    err = capsys.readouterr().err
    assert f"rd-territoriale init {tmp_path / 'nouvelle'}" in err
    assert not (tmp_path / "nouvelle").exists()


def test_an_unexpected_error_is_a_short_french_message_a_saved_trace_and_status_3(tmp_path, capsys, monkeypatch):
    """No Python traceback reaches the terminal (issue 15): the CLI's last net."""
    import rd_territoriale.study.skeleton as skeleton

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division par zéro voulue")

    monkeypatch.setattr(skeleton, "write_skeleton", broken)
    monkeypatch.chdir(tmp_path)
    assert main(["init", "etude"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Erreur inattendue" in err and "signaler" in err
    logs = list((tmp_path / ".build" / "erreurs").glob("*.log"))
    assert len(logs) == 1 and str(logs[0].name) in err
    assert "Traceback" in logs[0].read_text(encoding="utf-8") and "division par zéro voulue" in logs[0].read_text(
        encoding="utf-8"
    )
