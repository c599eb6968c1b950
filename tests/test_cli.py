"""The command line: exit codes scripts can trust, and errors that name the museum and key."""

from pathlib import Path

from click.testing import CliRunner

from musenor.cli import EXIT_CONFIG, main

HUB = """
[hub]
base_uri = "http://127.0.0.1:5000"
data_dir = "var"
repository_name = "Musenor test"
admin_email = "catalogue@musenor.example"
repository_identifier = "musenor.fr"
"""

CONFIG = HUB + """
[museums.M0634]
name = "La Piscine"
city = "Roubaix"
[museums.M0634.source]
kind = "lido-file"
path = "export.xml"
"""


def run(tmp_path: Path, *args: str, config: str = CONFIG):
    path = tmp_path / "musenor.toml"
    path.write_text(config, encoding="utf-8")
    return CliRunner().invoke(main, ["--config", str(path), *args], catch_exceptions=False)


def test_validate_config_ok(tmp_path):
    result = run(tmp_path, "validate-config")
    assert result.exit_code == 0, result.output
    assert "1 museums" in result.output


def test_validate_config_unknown_source_kind_exits_2_naming_museum_and_key(tmp_path):
    result = run(tmp_path, "validate-config", config=CONFIG.replace('"lido-file"', '"ftp"'))
    assert result.exit_code == EXIT_CONFIG
    assert "museum M0634" in result.output
    assert "museums.M0634.source.kind" in result.output
    assert "unknown source kind 'ftp'" in result.output


def test_missing_config_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "absent.toml"), "status"])
    assert result.exit_code == EXIT_CONFIG
    assert "cannot read" in result.output


def test_harvest_of_an_unknown_museum_exits_2(tmp_path):
    result = run(tmp_path, "harvest", "M9999")
    assert result.exit_code == EXIT_CONFIG
    assert "no museum with code 'M9999'" in result.output


def test_status_of_a_new_hub(tmp_path):
    result = run(tmp_path, "status", "--json")
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.output)
    assert [(r["museum"], r["records"], r["deleted"], r["last_status"]) for r in rows] == [("M0634", 0, 0, None)]


def test_help_on_every_command():
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


DEMO = Path(__file__).resolve().parents[1] / "demo"
SAINT_OMER = DEMO / "data" / "M0650-saint-omer"

POP_CONFIG = HUB + f"""
[museums.M0650]
name = "Musée de l'hôtel Sandelin"
city = "Saint-Omer"
[museums.M0650.source]
kind = "pop-file"
path = "{SAINT_OMER / 'sandelin-export-pop.txt'}"
images = "{SAINT_OMER / 'images'}"

[sets.croix]
name = "Croix"
query = '''
PREFIX edm: <http://www.europeana.eu/schemas/edm/>
PREFIX dc: <http://purl.org/dc/elements/1.1/>
SELECT ?cho WHERE {{ ?cho a edm:ProvidedCHO ; dc:title ?t . FILTER(CONTAINS(LCASE(STR(?t)), "croix")) }}
'''
"""


def test_export_joconde_writes_the_museum_as_pop_csv(tmp_path):
    import csv

    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    target = tmp_path / "sandelin.csv"
    result = run(tmp_path, "export", "--format", "joconde", "--museum", "M0650", "-o", str(target),
                 config=POP_CONFIG)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline=""), delimiter=";"))
    assert len(rows) == 44
    first = next(r for r in rows if r["REF"] == "06500000001")
    assert (first["INV"], first["DENO"], first["TITR"], first["MUSEO"]) == (
        "4000", "pied de croix", "Pied de croix de Saint-Bertin", "M0650")
    assert not target.with_name("sandelin.csv.partial").exists()


def test_export_joconde_without_a_museum_exits_2(tmp_path):
    result = run(tmp_path, "export", "--format", "joconde", config=POP_CONFIG)
    assert result.exit_code == EXIT_CONFIG
    assert "--format joconde needs --museum" in result.output


def test_reindex_of_a_deleted_graph_directory_restores_the_same_triples(tmp_path):
    import gzip
    import shutil

    def dump() -> set[bytes]:
        target = tmp_path / "dump.nt.gz"
        assert run(tmp_path, "export", "--format", "nt", "-o", str(target), config=POP_CONFIG).exit_code == 0
        return set(gzip.decompress(target.read_bytes()).splitlines())

    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    before = dump()
    shutil.rmtree(tmp_path / "var" / "graph")
    result = run(tmp_path, "reindex", config=POP_CONFIG)
    assert result.exit_code == 0, result.output
    assert dump() == before and len(before) > 1000


def test_second_harvest_of_an_unchanged_export_changes_no_datestamp(tmp_path):
    from catalogue import Catalogue

    def stamps() -> dict[str, str]:
        catalogue = Catalogue(tmp_path / "var", open_graph=False)
        try:
            return {r.identifier: r.hub_datestamp for r in catalogue.ledger.records("M0650")}
        finally:
            catalogue.close()

    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    first = stamps()
    result = run(tmp_path, "harvest", "M0650", "--full", config=POP_CONFIG)
    assert result.exit_code == 0, result.output
    assert stamps() == first and len(first) == 44
