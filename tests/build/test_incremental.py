"""The manifest's ``foreach`` expansion and the incremental build.

A report is rebuilt only when its content key changes: notebook, parameters,
the data it reads, the package code. These tests use a tiny notebook (no
heavy imports) on two tiny studies, so that "which reports were rebuilt" is
observable and fast.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from minimal_study import STUDY_YML, write_minimal_study
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from rd_territoriale.build.errors import ManifestError
from rd_territoriale.build.manifest import load_manifest, select
from rd_territoriale.build.pipeline import build_reports, report_keys
from rd_territoriale.build.state import read_record

MANIFEST = """\
reports:
  - id: etude-a
    title: Étude A
    notebook: notebooks/mini.ipynb
    parameters: {data_dir: ../data/a}
  - id: etude-b
    title: Étude B
    notebook: notebooks/mini.ipynb
    audience: equipe
    parameters: {data_dir: ../data/b}
  - id: periode
    title: "Période {id} : {label}"
    notebook: notebooks/mini.ipynb
    foreach: period
    parameters: {data_dir: ../data/a}
  - id: projet
    title: Projet
    notebook: notebooks/mini.ipynb
    foreach: unit
    parameters: {data_dir: ../data/b}
"""


def make_project(root: Path) -> Path:
    """Two tiny studies, a tiny notebook and the manifest above."""
    write_minimal_study(root / "data" / "a")
    write_minimal_study(root / "data" / "b")
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Mini"),
            new_code_cell('data_dir = "../data/a"\nperiod = None\nunit = None', metadata={"tags": ["parameters"]}),
            new_code_cell(
                "from pathlib import Path\nfrom IPython.display import Markdown\n"
                "Markdown(f'## {Path(data_dir).name} {period} {unit}')"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "rd-territoriale",
        "display_name": "Python (rd-territoriale)",
        "language": "python",
    }
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(nb, root / "notebooks" / "mini.ipynb")
    (root / "reports.yml").write_text(MANIFEST, encoding="utf-8")
    return root


def built(out: str) -> set[str]:
    """The reports a build says it built (« ✓ <id> → … »): a rebuild within the same second as the
    first build is still seen, which the records' times (to the second) would miss."""
    return set(re.findall(r"✓ (\S+) →", out))


def built_at(root: Path) -> dict:
    """When each report was last built, from the build records."""
    return {p.stem: json.loads(p.read_text())["built_at"] for p in sorted((root / ".build" / "state").glob("*.json"))}


class TestForeach:
    def test_one_report_per_period_and_per_unit(self, tmp_path):
        root = make_project(tmp_path)
        specs = load_manifest(root)
        assert [s.id for s in specs] == ["etude-a", "etude-b", "periode-P1", "periode-P2", "projet-U1", "projet-U2"]
        p1 = specs[2]
        assert p1.title == "Période P1 : Émergence" and p1.parameters == {"data_dir": "../data/a", "period": "P1"}
        assert (p1.kind, p1.scope, p1.scope_label) == ("periode", "period", "Émergence")
        assert specs[4].title == "Projet — Légumerie" and specs[4].parameters["unit"] == "U1"

    def test_a_new_period_gets_its_report_with_no_other_edit(self, tmp_path):
        root = make_project(tmp_path)
        study = root / "data" / "a" / "study.yml"
        study.write_text(
            STUDY_YML.replace(
                "stakeholder_categories:",
                textwrap.dedent("""\
              - id: P3
                label: "Consolidation"
                start: 2022-01-01
                end: 2022-12-31
            stakeholder_categories:"""),
            ),
            encoding="utf-8",
        )
        ids = [s.id for s in load_manifest(root)]
        assert "periode-P3" in ids

    def test_select_by_kind_or_id(self, tmp_path):
        specs = load_manifest(make_project(tmp_path))
        assert [s.id for s in select(specs, ["periode"])] == ["periode-P1", "periode-P2"]
        assert [s.id for s in select(specs, ["projet-U2", "etude-a"])] == ["etude-a", "projet-U2"]
        with pytest.raises(ManifestError, match="inconnu"):
            select(specs, ["periode-P9"])

    def test_bad_foreach_is_reported(self, tmp_path):
        root = make_project(tmp_path)
        (root / "reports.yml").write_text(
            MANIFEST.replace("foreach: unit", "foreach: projet").replace(
                "../data/a}\n  - id: projet", "../data/zz}\n  - id: projet"
            ),
            encoding="utf-8",
        )
        with pytest.raises(ManifestError) as err:
            load_manifest(root)
        text = str(err.value)
        assert "« foreach » vaut 'projet'" in text
        assert "rapport « periode »" in text and "study.yml" in text


class TestIncremental:
    def test_keys_follow_content_not_time(self, tmp_path):
        root = make_project(tmp_path)
        before = report_keys(load_manifest(root))
        (root / "data" / "a" / "units.csv").touch()
        assert report_keys(load_manifest(root)) == before
        units = root / "data" / "b" / "units.csv"
        units.write_text(units.read_text().replace("Recyclerie", "Ressourcerie"))
        after = report_keys(load_manifest(root))
        changed = {k for k in before if before[k] != after[k]}
        assert changed == {"etude-b", "projet-U1", "projet-U2"}

    def test_only_changed_reports_rebuild(self, tmp_path, rd_kernel, capsys):
        root = make_project(tmp_path)
        assert build_reports(root) == 0
        assert built(capsys.readouterr().out) == {
            "etude-a",
            "etude-b",
            "periode-P1",
            "periode-P2",
            "projet-U1",
            "projet-U2",
        }
        first = built_at(root)
        assert len(first) == 6
        html = {p.name: p.read_bytes() for p in (root / "reports").glob("*.html")}

        # Nothing changed: nothing runs, no page is rewritten.
        assert build_reports(root) == 0
        out = capsys.readouterr().out
        assert "6 rapports déjà à jour" in out and "Construction" not in out and built(out) == set()
        assert built_at(root) == first
        assert {p.name: p.read_bytes() for p in (root / "reports").glob("*.html")} == html

        # One data file of study B changed: only the reports reading B rebuild.
        units = root / "data" / "b" / "units.csv"
        units.write_text(units.read_text().replace("Recyclerie", "Ressourcerie"))
        assert build_reports(root) == 0
        out = capsys.readouterr().out
        assert built(out) == {"etude-b", "projet-U1", "projet-U2"} and "3 rapports déjà à jour" in out

        # The notebook changed: every report made from it rebuilds.
        nb = root / "notebooks" / "mini.ipynb"
        nb.write_text(nb.read_text().replace("# Mini", "# Mini modifié"))
        assert build_reports(root, only=["etude-a"]) == 0
        assert built(capsys.readouterr().out) == {"etude-a"}
        assert "Mini modifié" in (root / "reports" / "etude-a.html").read_text(encoding="utf-8")

    def test_deleted_page_is_rebuilt(self, tmp_path, rd_kernel):
        root = make_project(tmp_path)
        assert build_reports(root, only=["etude-a"]) == 0
        (root / "reports" / "etude-a.html").unlink()
        assert build_reports(root, only=["etude-a"]) == 0
        assert (root / "reports" / "etude-a.html").is_file()

    def test_failed_report_is_retried(self, tmp_path, rd_kernel):
        root = make_project(tmp_path)
        (root / "reports.yml").write_text(
            MANIFEST.replace("{data_dir: ../data/b}", "{data_dir: ../data/b, inconnu: 1}", 1)
        )
        assert build_reports(root, only=["etude-b"]) == 1
        assert read_record(root, "etude-b").status == "échec"
        (root / "reports.yml").write_text(MANIFEST)
        assert build_reports(root, only=["etude-b"]) == 0
        assert read_record(root, "etude-b").status == "ok"


def test_index_groups_reports_by_kind(tmp_path, rd_kernel):
    root = make_project(tmp_path)
    assert build_reports(root, only=["periode", "etude-a"]) == 0
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    heads = [line.split(">")[1].split("<")[0] for line in index.splitlines() if line.startswith("<h2")]
    assert heads == ["Rechercher dans les rapports", "Étude A", "Étude B", "Période", "Projet"]
    assert 'href="periode-P1.html">Émergence</a>' in index
    data = index.split('<script type="application/json" id="rdt-search-data" data-rdt="recherche">')[1]
    data = json.loads(data.split("</script>")[0])
    assert "periode-P1.html" in [href for href, _ in data["pages"]]  # the built pages are searched…
    assert not any(href.startswith("projet-") for href, _ in data["pages"])  # …never the ones not built
    assert "un rapport par période" in index and "pas encore construit" in index


def test_a_failing_report_does_not_stop_the_others(tmp_path, rd_kernel, capsys):
    """Point 8 of the build: name, cell, exception; last good page kept; others built."""
    root = make_project(tmp_path)
    nb = nbformat.read(root / "notebooks" / "mini.ipynb", as_version=4)
    nb.cells.append(new_code_cell("if unit == 'U2':\n    raise RuntimeError('projet U2 en panne')"))
    nbformat.write(nb, root / "notebooks" / "mini.ipynb")
    (root / "reports").mkdir()
    (root / "reports" / "projet-U2.html").write_text("DERNIÈRE BONNE VERSION", encoding="utf-8")

    assert build_reports(root, jobs=2) == 1
    captured = capsys.readouterr()
    assert "projet-U2" in captured.err and "cellule 4" in captured.err
    assert "RuntimeError : projet U2 en panne" in captured.err
    assert (root / "reports" / "projet-U2.html").read_text(encoding="utf-8") == "DERNIÈRE BONNE VERSION"
    assert (root / ".build" / "executed" / "projet-U2.ipynb").is_file()
    for other in ("etude-a", "etude-b", "periode-P1", "periode-P2", "projet-U1"):
        assert (root / "reports" / f"{other}.html").is_file()
    assert read_record(root, "projet-U2").status == "échec"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    from rd_territoriale.build import state

    page = tmp_path / "page.html"
    page.write_text("ancienne", encoding="utf-8")

    class Interrupted(BaseException):
        pass

    def explode(*args, **kwargs):
        raise Interrupted()

    monkeypatch.setattr(state.os, "replace", explode)
    with pytest.raises(Interrupted):
        state.write_atomic(page, "nouvelle " * 10_000)
    assert page.read_text(encoding="utf-8") == "ancienne"
    assert list(tmp_path.iterdir()) == [page]  # no temporary file left behind


def test_a_leaked_name_stops_the_page(tmp_path, rd_kernel, capsys):
    """A name of the key printed by a notebook: the page is refused, the hit located."""
    root = make_project(tmp_path)
    private = root / "data" / "private"
    private.mkdir(parents=True)
    (private / "cle.csv").write_text("name,pseudonym,kind\nHélène Dupont-Aubert,SAL01,personne\n", encoding="utf-8")
    nb = nbformat.read(root / "notebooks" / "mini.ipynb", as_version=4)
    nb.cells.append(new_code_cell("if unit == 'U1':\n    display(Markdown('Propos de Mme HELENE DUPONT-AUBERT'))"))
    nbformat.write(nb, root / "notebooks" / "mini.ipynb")
    (root / "reports").mkdir()

    assert build_reports(root, only=["projet"]) == 1
    err = capsys.readouterr().err
    assert "projet-U1" in err and "fuite de données personnelles" in err and "SAL01" in err
    assert "dupont" not in err.lower()  # the terminal never repeats the name
    assert not (root / "reports" / "projet-U1.html").exists()
    assert (root / ".build" / "rejected" / "projet-U1.html").is_file()
    assert (root / "reports" / "projet-U2.html").is_file()

    # A change of the key makes every page due for a new scan.
    keys_before = report_keys(load_manifest(root), root)
    (private / "cle.csv").write_text("name,pseudonym,kind\nAutre Nom,SAL02,personne\n", encoding="utf-8")
    assert report_keys(load_manifest(root), root) != keys_before


STUDY_MANIFEST = """\
study: data/a
reports:
  - id: mini
    title: Mini
    notebook: notebooks/mini.ipynb
  - id: projet
    title: Projet
    notebook: notebooks/mini.ipynb
    foreach: unit
"""


def test_a_study_chosen_at_build_time_gets_its_own_folder_index_and_records(tmp_path, rd_kernel, capsys):
    """--study builds the manifest for another study into reports/<name>/, incrementally, per study."""
    import pandas as pd

    root = make_project(tmp_path)
    (root / "reports.yml").write_text(STUDY_MANIFEST, encoding="utf-8")
    units = root / "data" / "b" / "units.csv"
    pd.read_csv(units).iloc[0:0].to_csv(units, index=False)  # study b has no project
    assert build_reports(root) == 0
    default = {p.name for p in (root / "reports").glob("*.html")}
    assert default == {"index.html", "mini.html", "projet-U1.html", "projet-U2.html"}
    assert "a None None" in (root / "reports" / "mini.html").read_text(encoding="utf-8")

    assert build_reports(root, study=root / "data" / "b") == 0
    other = root / "reports" / "b"
    assert {p.name for p in other.glob("*.html")} == {"index.html", "mini.html"}  # no project: no page
    assert "b None None" in (other / "mini.html").read_text(encoding="utf-8")
    assert read_record(root, "mini", "b").status == "ok"
    index = (other / "index.html").read_text(encoding="utf-8")
    assert "aucun projet" in index and 'href="../index.html"' in index
    assert 'href="b/index.html"' in (root / "reports" / "index.html").read_text(encoding="utf-8")
    # the default study's pages are untouched, and each study is incremental on its own
    assert {p.name for p in (root / "reports").glob("*.html")} == default
    before = built_at(root)
    again = read_record(root, "mini", "b").built_at
    capsys.readouterr()
    assert build_reports(root, study=root / "data" / "b") == 0
    assert read_record(root, "mini", "b").built_at == again and built(capsys.readouterr().out) == set()
    assert build_reports(root) == 0 and built_at(root) == before and built(capsys.readouterr().out) == set()


def test_the_build_says_a_family_has_no_report(tmp_path, rd_kernel, capsys):
    import pandas as pd

    root = make_project(tmp_path)
    (root / "reports.yml").write_text(STUDY_MANIFEST, encoding="utf-8")
    units = root / "data" / "b" / "units.csv"
    pd.read_csv(units).iloc[0:0].to_csv(units, index=False)
    assert build_reports(root, only=["projet"], study=root / "data" / "b") == 0
    assert "« Projet » : aucun rapport, l'étude n'a aucun projet" in capsys.readouterr().out


def test_a_missing_study_folder_names_init(tmp_path, capsys):
    root = make_project(tmp_path)
    assert build_reports(root, study=root / "data" / "nouvelle") == 2
    assert "rd-territoriale init data/nouvelle" in capsys.readouterr().err
