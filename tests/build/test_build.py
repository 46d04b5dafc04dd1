"""Reports: manifest, parameters, HTML export, build, index, notebooks, figures.

The tests that start a Jupyter kernel use the ``rd-territoriale`` kernel
(registered in this environment by the ``rd_kernel`` fixture when missing).
Everything that writes does so in a temporary copy of the project.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from report_pages import (
    assert_partner_page,
    copy_project,
    image_sources,
    section,
    write_manifest,
)

from rd_territoriale.build.errors import ManifestError, ParameterError
from rd_territoriale.build.manifest import load_manifest, select

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXAMPLE = ROOT / "data" / "exemple"
HAS_EXAMPLE = (EXAMPLE / "study.yml").is_file()
needs_example = pytest.mark.skipif(not HAS_EXAMPLE, reason="data/exemple n'existe pas encore (rd-territoriale exemple)")
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
KERNELSPEC = {"name": "rd-territoriale", "display_name": "Python (rd-territoriale)", "language": "python"}


# --- helpers ---------------------------------------------------------------


def write_notebook(path: Path, cells: list) -> Path:
    nb = new_notebook(cells=cells)
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def parameters_cell(source: str):
    return new_code_cell(source, metadata={"tags": ["parameters"]})


# --- manifest --------------------------------------------------------------


class TestManifest:
    def test_project_manifest_lists_synthese(self):
        specs = load_manifest(ROOT)
        ids = [s.id for s in specs]
        assert "synthese" in ids
        spec = specs[ids.index("synthese")]
        assert spec.audience == "partenaires"
        assert spec.notebook == ROOT / "notebooks" / "synthese.ipynb"
        assert spec.title

    def test_every_problem_is_reported_at_once(self, tmp_path):
        write_notebook(tmp_path / "notebooks" / "a.ipynb", [parameters_cell("x = 1")])
        write_manifest(
            tmp_path,
            """\
            reports:
              - id: a
                title: A
                notebook: notebooks/a.ipynb
                audience: public
                colour: bleu
              - id: a
                title: A bis
                notebook: notebooks/a.ipynb
              - id: Mauvais Id
                title: ""
                notebook: notebooks/absent.ipynb
            """,
        )
        with pytest.raises(ManifestError) as info:
            load_manifest(tmp_path)
        message = str(info.value)
        for expected in (
            "« audience »",
            "« colour »",
            "déjà utilisé",
            "« id »",
            "« title »",
            "carnet introuvable : notebooks/absent.ipynb",
        ):
            assert expected in message
        assert message.startswith("reports.yml")

    def test_missing_manifest(self, tmp_path):
        with pytest.raises(ManifestError, match="introuvable"):
            load_manifest(tmp_path)

    def test_select_unknown_id(self):
        specs = load_manifest(ROOT)
        assert select(specs, None) == specs
        with pytest.raises(ManifestError, match="inconnu"):
            select(specs, ["nexiste-pas"])


# --- parameters --------------------------------------------------------------


class TestParameters:
    def test_synthese_parameters_and_defaults(self):
        from rd_territoriale.build.execute import notebook_parameters

        params = notebook_parameters(ROOT / "notebooks" / "synthese.ipynb")
        assert params == {"data_dir": '"../data/exemple"', "audience": '"partenaires"'}
        params = notebook_parameters(ROOT / "notebooks" / "periode.ipynb")
        assert params == {"data_dir": '"../data/exemple"', "period": "None", "audience": '"partenaires"'}

    def test_unknown_parameter_is_an_error(self):
        from rd_territoriale.build.execute import check_parameters

        with pytest.raises(ParameterError, match="« dta_dir »"):
            check_parameters(ROOT / "notebooks" / "synthese.ipynb", {"dta_dir": "x"})

    def test_a_kernel_that_dies_at_start_is_started_again(self, monkeypatch):
        """Parallel kernels can race for a TCP port; a start-up death is retried, a cell error is not."""
        from rd_territoriale.build import execute

        calls = []

        def flaky():
            calls.append(1)
            if len(calls) < 3:
                raise RuntimeError("Kernel died before replying to kernel_info")
            return "exécuté"

        monkeypatch.setattr(execute.time, "sleep", lambda s: None)
        assert execute._with_start_retries(flaky) == "exécuté" and len(calls) == 3
        calls.clear()
        with pytest.raises(RuntimeError, match="kernel_info"):
            execute._with_start_retries(flaky, attempts=2)
        assert len(calls) == 2

        def silent():  # the kernel lost its port and never answered nbclient's start-up wait
            calls.append(1)
            if len(calls) < 2:
                raise RuntimeError("Kernel didn't respond in 60 seconds")
            return "exécuté"

        calls.clear()
        assert execute._with_start_retries(silent) == "exécuté" and len(calls) == 2

        def broken():
            calls.append(1)
            raise RuntimeError("une cellule a échoué")

        calls.clear()
        with pytest.raises(RuntimeError, match="cellule"):
            execute._with_start_retries(broken)
        assert len(calls) == 1

    def test_missing_parameters_cell_is_an_error(self, tmp_path):
        from rd_territoriale.build.execute import execute_notebook

        nb = write_notebook(tmp_path / "sans.ipynb", [new_code_cell("x = 1")])
        with pytest.raises(ParameterError, match="parameters"):
            execute_notebook(nb, tmp_path / "out.ipynb", {})
        assert not (tmp_path / "out.ipynb").exists()

    def test_effective_parameters_show_what_ran(self):
        from rd_territoriale.build.pipeline import effective_parameters

        got = effective_parameters({"data_dir": '"../data/exemple"', "period": "None"}, {"period": "p2"})
        assert got == {"data_dir": '"../data/exemple"', "period": '"p2"'}


# --- HTML export (no kernel) -------------------------------------------------


def executed_notebook():
    """A notebook as papermill leaves it, with everything the export must handle."""
    from rd_territoriale.report.provenance import MIME_TYPE

    cells = [
        new_markdown_cell("# Le titre du carnet\n\nUn paragraphe d'introduction."),
        parameters_cell('data_dir = "../data/exemple"'),
        new_code_cell('# Parameters\ndata_dir = "/chemin/secret"', metadata={"tags": ["injected-parameters"]}),
        new_code_cell(
            "import secret_module\nprint('bonjour')",
            execution_count=3,
            outputs=[
                new_output("stream", name="stdout", text="sortie visible\n"),
                new_output("stream", name="stderr", text="AVERTISSEMENT-INTERNE\n"),
            ],
        ),
        new_code_cell(
            "provenance.record(case)",
            execution_count=4,
            outputs=[
                new_output(
                    "display_data",
                    data={
                        MIME_TYPE: {"study": "Cas d'essai", "territory": "Jura", "fingerprint": "abc123def456"},
                        "text/plain": "Données : Cas d'essai",
                    },
                ),
            ],
        ),
        new_markdown_cell("## Les périodes de l'étude\n\nTexte."),
        new_code_cell(
            "fig",
            execution_count=5,
            outputs=[
                new_output(
                    "display_data",
                    data={"image/png": PNG_1PX, "text/plain": "<Figure>"},
                    metadata={"image/png": {"alt": "Une figure", "width": 10}},
                ),
            ],
        ),
        new_markdown_cell("### Détail\n\n## Les périodes de l'étude\n\nEncore."),
        new_code_cell(
            "x",
            execution_count=6,
            outputs=[new_output("stream", name="stdout", text="caché")],
            metadata={"tags": ["remove-output"]},
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata = {"kernelspec": KERNELSPEC, "papermill": {"parameters": {"data_dir": "/chemin/secret"}}}
    return nb


@pytest.fixture(scope="module")
def page():
    from rd_territoriale.build.html import export_html

    return export_html(
        executed_notebook(),
        "Titre du rapport",
        report_id="essai",
        parameters={"data_dir": '"../data/exemple"'},
        commit="0123abcd",
    )


class TestHtmlExport:
    def test_is_a_partner_page(self, page):
        assert_partner_page(page)
        assert "<title>Titre du rapport</title>" in page

    def test_no_code_no_parameters_no_stderr(self, page):
        assert "secret_module" not in page and "print(" not in page
        assert "/chemin/secret" not in page
        assert "AVERTISSEMENT-INTERNE" not in page
        assert "sortie visible" in page
        assert "caché" not in page

    def test_provenance_moves_to_the_footer(self, page):
        footer = page[page.index('<footer class="rdt-footer"') :]
        body = page[: page.index('<footer class="rdt-footer"')]
        assert "Données : Cas d'essai" not in body
        for expected in (
            "Cas d'essai — Jura",
            "abc123def456",
            'data_dir = "../data/exemple"',
            "0123abcd",
            "Construit le",
            "Version de rd-territoriale",
        ):
            assert expected in footer.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"')

    def test_images_are_data_uris_with_alt_and_size(self, page):
        assert image_sources(page) == [f"data:image/png;base64,{PNG_1PX}"]
        assert 'alt="Une figure"' in page and 'width="10"' in page

    def test_table_of_contents_with_unique_ascii_anchors(self, page):
        nav = re.search(r"<nav[^>]*rdt-toc[^>]*>(.*?)</nav>", page, re.S).group(1)
        assert "Sommaire" in nav
        anchors = re.findall(r'href="#([^"]+)"', nav)
        assert anchors == ["les-periodes-de-l-etude", "detail", "les-periodes-de-l-etude-2"]
        for anchor in anchors:
            assert f'id="{anchor}"' in page
        assert "le-titre-du-carnet" not in nav  # the h1 is the page title, not a section

    def test_h1_added_when_the_notebook_has_none(self):
        from rd_territoriale.build.html import export_html

        nb = new_notebook(cells=[new_markdown_cell("Pas de titre ici.")])
        page = export_html(nb, "Titre venu du manifeste")
        assert re.search(r"<h1[^>]*>Titre venu du manifeste", page)
        assert "<nav" not in page  # no section, no table of contents
        assert "non enregistrée" in page  # no provenance recorded

    def test_tables_are_regions_with_distinct_names_and_the_outline_folds_under_the_title(self):
        from nbformat.v4 import new_output

        from rd_territoriale.build.html import export_html

        def two_tables():
            table = {"text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "1"}
            return new_code_cell("t", outputs=[new_output("display_data", data=table)] * 2)

        cells = [
            new_markdown_cell("# Titre"),
            new_markdown_cell("## Première partie"),
            two_tables(),
            new_markdown_cell("## Seconde partie"),
            two_tables(),
        ]
        page = export_html(new_notebook(cells=cells), "Titre")
        labels = re.findall(r'role="region"[^>]*aria-label="([^"]+)"|aria-label="([^"]+)"[^>]*role="region"', page)
        labels = [a or b for a, b in labels]
        assert labels == [
            "Tableau 1 : Première partie",
            "Tableau 2 : Première partie",
            "Tableau 3 : Seconde partie",
            "Tableau 4 : Seconde partie",
        ]
        # The outline is folded right after the title: the first screen shows the report, not its plan.
        assert re.search(
            r"<h1[^>]*>Titre.*?</h1>\s*<nav[^>]*rdt-toc[^>]*>\s*<details>\s*<summary>Sommaire "
            r"\(2 sections\)</summary>",
            page,
            re.S,
        )

    def test_external_resources_are_found(self):
        from rd_territoriale.build.html import find_external_resources

        html = """<html><head>
            <script src="https://cdn.example/require.js"></script>
            <link rel="stylesheet" href="http://fonts.example/font.css">
            <style>body { background: url('https://x.example/bg.png') } @import "theme.css";</style>
            </head><body><img src="figure.png"><img src="data:image/png;base64,AAAA">
            <a href="https://www.fonda.asso.fr">un lien</a><div style="background:url(//x.example/a.png)"></div>
            </body></html>"""
        found = find_external_resources(html)
        assert len(found) == 6
        assert not any("fonda" in f for f in found)

    def test_slugify(self):
        from rd_territoriale.build.html import slugify

        assert slugify("Coûte que coûte : l'effet « feu de paille »") == "coute-que-coute-l-effet-feu-de-paille"


# --- build (starts kernels) ------------------------------------------------


def sources(page: str) -> list[str]:
    """Every ``src`` attribute of the page's elements (read by an HTML parser, not a pattern)."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(value for name, value in attrs if name == "src")

    Parser().feed(page)
    return found


@pytest.fixture(scope="module")
def example_build(example_site):
    """The example site (conftest.py, built once per session): its root and the build's status."""
    if not HAS_EXAMPLE:
        pytest.skip("data/exemple n'existe pas encore (rd-territoriale exemple)")
    return example_site.root, example_site.returncode


@needs_example
class TestExampleReport:
    def test_builds(self, example_build):
        root, code = example_build
        assert code == 0
        assert (root / "reports" / "synthese.html").is_file()

    def test_page(self, example_build):
        root, _ = example_build
        html = (root / "reports" / "synthese.html").read_text(encoding="utf-8")
        assert_partner_page(html)
        assert len(image_sources(html)) >= 1
        assert "load_case" not in html and "import " not in html
        assert "Synthèse de l" in html

    def test_main_changes_come_first(self, example_build):
        """The first thing after the title is what changed, with the planted effects and no null code."""
        root, _ = example_build
        html = (root / "reports" / "synthese.html").read_text(encoding="utf-8")
        main = html[html.index("<main") :]
        first_section = section(main, "en-bref")
        assert main.index('id="en-bref') < min(main.index("<img"), main.index("<table"))
        assert main.count("<h2", 0, main.index('id="en-bref')) == 1  # its own heading: the first section
        for expected in (
            "Tension sur le financement",
            "en hausse en P3",
            "Légumerie solidaire des cantines",
            "feu de paille",
            "coûte que coûte",
        ):
            assert expected in first_section, expected
        for null in ("Ancrage territorial", "Gouvernance partagée", "Utilité sociale"):
            assert null not in first_section

    def test_footer_names_the_data(self, example_build):
        from rd_territoriale import load_case
        from rd_territoriale.study.case import fingerprint

        root, _ = example_build
        html = (root / "reports" / "synthese.html").read_text(encoding="utf-8")
        footer = html[html.index('<footer class="rdt-footer"') :]
        assert fingerprint(root / "data" / "exemple") in footer
        name = load_case(root / "data" / "exemple").study.name  # with a planted « a < b & c > d »
        assert escape(name, quote=False) in footer
        assert "data_dir = &quot;../data/exemple&quot;" in footer or 'data_dir = "../data/exemple"' in footer

    def test_index_links_the_report(self, example_build):
        root, _ = example_build
        index = (root / "reports" / "index.html").read_text(encoding="utf-8")
        assert '<html lang="fr">' in index
        assert 'href="synthese.html"' in index
        assert "Synthèse de l" in index and "Partenaires" in index and "construit le" in index
        assert "<link" not in index and not sources(index)  # nothing is fetched
        # its only scripts are the search's: its data and the program, both inline
        assert index.count("<script") == 2 and index.count('<script type="application/json"') == 1
        assert index.count('data-rdt="recherche"') == 2

    def test_build_keeps_the_executed_notebook_and_a_record(self, example_build):
        from rd_territoriale.build.state import executed_path, read_record

        root, _ = example_build
        assert executed_path(root, "synthese").is_file()
        record = read_record(root, "synthese")
        assert record.status == "ok" and record.built_at and record.fingerprint


def test_build_on_another_study(tmp_path, rd_kernel, capsys):
    """The same notebook, pointed by the manifest at another (tiny) study."""
    from minimal_study import write_minimal_study

    from rd_territoriale.build.pipeline import build_reports

    root = copy_project(tmp_path)
    write_minimal_study(root / "data" / "mini")
    write_manifest(
        root,
        """\
        reports:
          - id: mini
            title: Période P1 du cas minimal
            notebook: notebooks/periode.ipynb
            audience: equipe
            parameters:
              data_dir: ../data/mini
              period: P1
          - id: mini-synthese
            title: Synthèse du cas minimal
            notebook: notebooks/synthese.ipynb
            parameters:
              data_dir: ../data/mini
          - id: mini-projet
            title: Un projet du cas minimal
            notebook: notebooks/projet.ipynb
            parameters:
              data_dir: ../data/mini
              unit: U1
          - id: mini-reflexivite
            title: Réflexivité du cas minimal
            notebook: notebooks/reflexivite.ipynb
            parameters:
              data_dir: ../data/mini
        """,
    )
    assert build_reports(root) == 0, capsys.readouterr().err
    for page in ("mini-synthese", "mini-projet", "mini-reflexivite"):
        assert_partner_page((root / "reports" / f"{page}.html").read_text(encoding="utf-8"))
    html = (root / "reports" / "mini.html").read_text(encoding="utf-8")
    assert_partner_page(html)
    assert "Cas minimal" in html and "Émergence" in html
    assert "Structuration" not in html.split("<footer")[0]  # period P1 only
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="mini.html"' in index and "Équipe de recherche" in index
    assert "✓ mini" in capsys.readouterr().out


def test_failed_report_keeps_the_last_good_page(tmp_path, rd_kernel, capsys):
    from rd_territoriale.build.pipeline import build_reports
    from rd_territoriale.build.state import executed_path, read_record

    write_notebook(
        tmp_path / "notebooks" / "casse.ipynb",
        [
            new_markdown_cell("# Rapport cassé"),
            parameters_cell("x = 1"),
            new_code_cell("raise ValueError('échec voulu')"),
        ],
    )
    write_manifest(
        tmp_path,
        """\
        reports:
          - id: casse
            title: Rapport cassé
            notebook: notebooks/casse.ipynb
        """,
    )
    (tmp_path / "reports").mkdir()
    previous = tmp_path / "reports" / "casse.html"
    previous.write_text("ANCIENNE VERSION", encoding="utf-8")

    assert build_reports(tmp_path) == 1
    assert previous.read_text(encoding="utf-8") == "ANCIENNE VERSION"
    assert executed_path(tmp_path, "casse").is_file()
    err = capsys.readouterr().err
    assert "notebooks/casse.ipynb" in err and "cellule 3" in err and "échec voulu" in err
    record = read_record(tmp_path, "casse")
    assert record.status == "échec" and "échec voulu" in record.error
    assert not list((tmp_path / "reports").glob(".*.tmp"))  # no temporary file left


def test_parallel_build_and_unknown_ids(tmp_path, rd_kernel):
    from rd_territoriale.build.pipeline import build_reports

    write_notebook(
        tmp_path / "notebooks" / "simple.ipynb",
        [
            new_markdown_cell("# Simple"),
            parameters_cell("x = 1"),
            new_code_cell("from IPython.display import Markdown\nMarkdown(f'## Valeur {x}')"),
        ],
    )
    write_manifest(
        tmp_path,
        """\
        reports:
          - {id: un, title: Un, notebook: notebooks/simple.ipynb, parameters: {x: 1}}
          - {id: deux, title: Deux, notebook: notebooks/simple.ipynb, parameters: {x: 2}}
          - {id: trois, title: Trois, notebook: notebooks/simple.ipynb, parameters: {y: 3}}
        """,
    )
    assert build_reports(tmp_path, only=["inconnu"]) == 2
    assert build_reports(tmp_path, only=["un", "deux"], jobs=2) == 0
    assert "Valeur 2" in (tmp_path / "reports" / "deux.html").read_text(encoding="utf-8")
    assert build_reports(tmp_path, only=["trois"]) == 1  # unknown parameter « y »
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="un.html"' in index and "Trois" in index and 'href="trois.html"' not in index


def test_reports_at_once_default_to_the_cores_or_the_variable_and_a_bad_value_stops_the_build(
    tmp_path, monkeypatch, capsys, rd_kernel
):
    """``-j`` absent: ``RD_TERRITORIALE_PARALLELES`` when set, else the cores; ``-j N`` wins; nonsense is said."""
    import os

    from rd_territoriale.build.pipeline import JOBS_VARIABLE, _workers, build_reports, default_jobs

    monkeypatch.delenv(JOBS_VARIABLE, raising=False)
    assert default_jobs() == (os.cpu_count() or 1)
    monkeypatch.setenv(JOBS_VARIABLE, " 3 ")
    assert default_jobs() == 3
    assert _workers(default_jobs(), 10) == 3 and _workers(3, 2) == 2 and _workers(5, 10) == 5 and _workers(3, 1) == 1
    write_notebook(tmp_path / "notebooks" / "simple.ipynb", [new_markdown_cell("# Simple"), parameters_cell("x = 1")])
    write_manifest(tmp_path, "reports:\n  - {id: un, title: Un, notebook: notebooks/simple.ipynb}\n")
    for wrong in ("0", "deux", "-1", "1.5", "²", "٣"):
        monkeypatch.setenv(JOBS_VARIABLE, wrong)
        assert build_reports(tmp_path) == 2
        err = capsys.readouterr().err
        assert f"RD_TERRITORIALE_PARALLELES vaut « {wrong} »" in err and "Traceback" not in err
        assert not (tmp_path / "reports" / "un.html").exists()
    assert build_reports(tmp_path, jobs=1) == 0 and (tmp_path / "reports" / "un.html").is_file()


# --- notebooks ---------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebooks:
    def test_committed_clean(self, path):
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
        assert "papermill" not in nb.metadata
        assert "widgets" not in nb.metadata
        assert nb.metadata.get("kernelspec", {}).get("name") == "rd-territoriale"
        for number, cell in enumerate(nb.cells, start=1):
            where = f"{path.name}, cellule {number}"
            assert "papermill" not in cell.metadata, where
            assert "execution" not in cell.metadata, where
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{where} : sorties à effacer avant de committer"
                assert cell.execution_count is None, f"{where} : compteur d'exécution à effacer"
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name} : une seule cellule « parameters » attendue"

    @needs_example
    def test_runs_top_to_bottom_with_defaults(self, path, rd_kernel):
        from nbclient import NotebookClient

        from rd_territoriale.build.kernels import SharedTemplate, kernel_manager_class

        shared = SharedTemplate.from_environment()
        nb = nbformat.read(str(path), as_version=4)
        client = NotebookClient(
            nb,
            kernel_name=rd_kernel,
            timeout=600,
            resources={"metadata": {"path": str(path.parent)}},
            # The kernel JupyterLab would start, forked from the suite's template (conftest.rd_kernel).
            kernel_manager_class=kernel_manager_class(shared.address if shared else None),
        )
        client.execute()  # raises CellExecutionError naming the cell
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert errors == []


def test_notebooks_exist():
    assert (ROOT / "notebooks" / "synthese.ipynb") in NOTEBOOKS


# --- overview helpers and figures -------------------------------------------


@pytest.fixture
def tiny():
    periods = pd.DataFrame(
        {
            "id": ["p1", "p2", "p3"],
            "label": ["Émergence", "Structuration", "Essoufflement"],
            "start": pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"]),
            "end": pd.to_datetime(["2019-12-31", "2020-12-31", "2021-12-31"]),
        }
    )
    documents = pd.DataFrame({"kind": ["entretien", "presse", "entretien collectif"], "period": ["p1", "p1", "p2"]})
    journal = pd.DataFrame({"period": ["p1", "p2", "p2"]})
    segments = pd.DataFrame(
        {
            "period": ["p1", "p1", "p1", "p2", "p2", "p2", "p2"],
            "source_kind": ["document", "document", "journal", "document", "journal", "journal", "journal"],
        }
    )
    return periods, documents, journal, segments


class TestOverview:
    def test_period_overview_counts_and_zeros(self, tiny):
        from rd_territoriale.analysis.material import period_overview

        out = period_overview(*tiny)
        assert out["period"].tolist() == ["p1", "p2", "p3"]
        assert out["interviews"].tolist() == [1, 1, 0]
        assert out["journal_entries"].tolist() == [1, 2, 0]
        assert out["segments"].tolist() == [3, 4, 0]

    def test_segments_by_source_is_complete_and_ordered(self, tiny):
        from rd_territoriale.analysis.material import segments_by_source

        periods, _, _, segments = tiny
        out = segments_by_source(periods, segments)
        assert len(out) == 6
        assert out["period_label"].tolist()[::2] == ["Émergence", "Structuration", "Essoufflement"]
        assert out.set_index(["period", "source_kind"])["segments"].to_dict() == {
            ("p1", "document"): 2,
            ("p1", "journal"): 1,
            ("p2", "document"): 1,
            ("p2", "journal"): 3,
            ("p3", "document"): 0,
            ("p3", "journal"): 0,
        }

    def test_select_periods(self, tiny):
        from rd_territoriale.analysis.material import select_periods

        periods = tiny[0]
        assert select_periods(periods, None)["id"].tolist() == ["p1", "p2", "p3"]
        assert select_periods(periods, "p2")["label"].tolist() == ["Structuration"]
        with pytest.raises(ValueError, match="période inconnue : « p9 »"):
            select_periods(periods, "p9")

    def test_french_texts(self, tiny):
        from rd_territoriale.analysis.material import segments_by_source
        from rd_territoriale.report.overview import (
            describe_source_mix,
            describe_study,
            french_number,
        )

        periods, _, _, segments = tiny
        text = describe_source_mix(segments_by_source(periods, segments))
        assert "**7 segments**" in text and "57\u00a0%" in text
        assert "plus forte en période « Structuration »" in text
        intro = describe_study("Clus'Ter Jura", "Pays Lédonien", periods)
        assert "3 périodes" in intro and "du 1er janvier 2019 au 31 décembre 2021" in intro
        assert french_number(12345.67, 1) == "12\u202f345,7"

    def test_french_table_rows_say_what_they_are(self):
        """The index of a table (categories, projects) is a row header, never dropped."""
        table = pd.DataFrame(
            {"P1": ["< 5", "12"], "P2": [3, 7]}, index=pd.Index(["Salariés", "Citoyens <b>"], name="Catégorie")
        )
        from rd_territoriale.report.overview import french_table

        out = french_table(table, caption="Personnes <entendues>").to_html()
        assert out.count('<th scope="row"') == 2 and out.count('scope="col"') == 3
        assert '<th scope="row" id=' in out and ">Citoyens &lt;b&gt;</th>" in out
        assert "<caption>Personnes &lt;entendues&gt;</caption>" in out
        assert "text-align: right" in out  # the numbers of P2
        numbers_only = french_table(pd.DataFrame({"n": [1, 2], "m": [3, 4]})).to_html()
        assert 'scope="row"' not in numbers_only  # rows with no label get no header

    def test_french_table_right_aligns_numbers_written_as_text_and_masked(self):
        """« < 5 », « s », « 8 % », « ×0,83 » and « 4 sur 4 » are numbers: right-aligned, header too."""
        import re

        from rd_territoriale.report.overview import french_table

        table = pd.DataFrame(
            {
                "Catégorie": ["Salariés", "Élus"],
                "P1": ["< 5", "1\u202f234"],
                "P2": ["s", "12"],
                "Part": ["8 %", "×0,83"],
                "Lu": ["4 sur 4", ""],
                "Lecture": ["conforme", "12 élus"],
            }
        )
        out = french_table(table).to_html()
        table_id = re.search(r'<table id="(T_\w+)"', out).group(1)
        right_headers = set(re.findall(rf"#{table_id} th\.col_heading\.col(\d)", out))
        assert right_headers == {"1", "2", "3", "4"}  # never the labels (0), never prose (5)
        assert f"#{table_id}_row0_col1" in out and f"#{table_id}_row0_col5" not in out
        assert french_table(table).to_html() == out  # ids from the content: same data, same bytes
        assert french_table(table, caption="Autre").to_html() != out

    def test_french_table(self, tiny):
        from rd_territoriale.analysis.material import period_overview
        from rd_territoriale.report.overview import OVERVIEW_LABELS, french_table

        html = french_table(period_overview(*tiny), OVERVIEW_LABELS, hide=("period",)).to_html()
        assert "Période" in html and "Segments codés" in html
        assert "01/01/2019" in html and "2019-01-01" not in html
        assert ">p1<" not in html


class TestFigures:
    def test_segments_per_period(self, tiny):
        import matplotlib.pyplot as plt

        from rd_territoriale.analysis.material import segments_by_source
        from rd_territoriale.figures import (
            SOURCE_KIND_COLOURS,
            ReportFigure,
            segments_per_period,
        )

        before = plt.get_fignums()
        periods, _, _, segments = tiny
        fig = segments_per_period(segments_by_source(periods, segments))
        assert isinstance(fig, ReportFigure)
        assert plt.get_fignums() == before  # nothing left in pyplot
        ax = fig.axes[0]
        assert ax.get_xlabel() == "Période"
        assert ax.get_ylabel() == "Nombre de segments codés"
        assert [t.get_text() for t in ax.get_xticklabels()] == ["Émergence", "Structuration", "Essoufflement"]
        legend = fig.legends[0]
        assert [t.get_text() for t in legend.get_texts()] == list(SOURCE_KIND_COLOURS)
        from matplotlib.colors import to_hex

        assert to_hex(ax.containers[0][0].get_facecolor()) == SOURCE_KIND_COLOURS["Entretiens et documents"].lower()
        assert to_hex(ax.containers[1][0].get_facecolor()) == SOURCE_KIND_COLOURS["Journal de terrain"].lower()

    def test_shows_itself_as_svg_with_alt_text(self, tiny):
        from rd_territoriale.analysis.material import segments_by_source
        from rd_territoriale.figures import segments_per_period

        periods, _, _, segments = tiny
        data, metadata = segments_per_period(segments_by_source(periods, segments))._repr_mimebundle_()
        assert "image/png" not in data  # a bar chart is lighter as SVG
        assert data["image/svg+xml"].startswith("<svg") and "<text" in data["image/svg+xml"]
        alt = metadata["image/svg+xml"]["alt"]
        assert alt.startswith("Diagramme en barres") and "Journal de terrain".lower() in alt
        assert metadata["image/svg+xml"]["width"] == 880
