"""The command line: exit codes scripts can trust, and errors that name the museum and key."""

import json
from pathlib import Path

from click.testing import CliRunner

from fixtures.hub_toml import ROUBAIX_UNDELIVERED, SAINT_OMER_POP, hub_toml
from musenor.cli import EXIT_CONFIG, EXIT_FAILED, main

BASE = "http://127.0.0.1:5000"
CONFIG = hub_toml({"M0634": {**ROUBAIX_UNDELIVERED, "source": {"kind": "lido-file", "path": "export.xml"}}},
                  base_uri=BASE)

def run(tmp_path: Path, *args: str, config: str = CONFIG):
    path = tmp_path / "musenor.toml"
    path.write_text(config, encoding="utf-8")
    return CliRunner().invoke(main, ["--config", str(path), *args], catch_exceptions=False)


def test_validate_config_ok(tmp_path):
    (tmp_path / "export.xml").write_bytes(b"<lidoWrap/>")
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


POP_CONFIG = hub_toml({"M0650": SAINT_OMER_POP}, extra="""
[sets.croix]
name = "Croix"
query = '''
PREFIX edm: <http://www.europeana.eu/schemas/edm/>
PREFIX dc: <http://purl.org/dc/elements/1.1/>
SELECT ?cho WHERE { ?cho a edm:ProvidedCHO ; dc:title ?t . FILTER(CONTAINS(LCASE(STR(?t)), "croix")) }
'''
""", base_uri=BASE)


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
    assert "--format joconde needs a museum" in result.output


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
    from musenor.catalogue import Catalogue

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


# -- a grown-up command line: --version, --config anywhere, one way to name museums, honest exit codes ------

def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"musenor, version {version('musenor-hub')}\n"


def test_config_is_accepted_after_the_command_name(tmp_path):
    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(main, ["status", "--json", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert '"museum": "M0634"' in result.output


def test_config_is_read_from_musenor_config(tmp_path):
    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(main, ["status", "--json"], env={"MUSENOR_CONFIG": str(path)})
    assert result.exit_code == 0, result.output


def test_config_after_the_command_wins_over_the_one_before_and_the_environment(tmp_path):
    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(main, ["-c", str(tmp_path / "before.toml"), "status", "--json", "-c", str(path)],
                                env={"MUSENOR_CONFIG": str(tmp_path / "env.toml")})
    assert result.exit_code == 0, result.output


def test_museums_are_named_by_code_in_any_case(tmp_path):
    result = run(tmp_path, "status", "m0634", "--json")
    assert result.exit_code == 0, result.output
    assert [row["museum"] for row in json.loads(result.output)] == ["M0634"]


def test_a_misspelt_museum_code_gets_the_nearest_one(tmp_path):
    result = run(tmp_path, "status", "M0643")
    assert result.exit_code == EXIT_CONFIG
    assert "no museum with code 'M0643'; did you mean M0634?" in result.output


def test_export_takes_the_museum_as_every_command_does(tmp_path):
    result = run(tmp_path, "export", "--format", "joconde", "M9999")
    assert result.exit_code == EXIT_CONFIG
    assert "no museum with code 'M9999'" in result.output


def test_status_exits_1_when_a_museums_last_run_failed(tmp_path):
    assert run(tmp_path, "harvest", "M0634").exit_code == EXIT_FAILED  # export.xml was never delivered
    result = run(tmp_path, "status", "--json")
    assert result.exit_code == EXIT_FAILED
    row = json.loads(result.output)[0]
    assert (row["last_status"], row["reason"]) == (
        "failed", f"the export {tmp_path / 'export.xml'} does not exist (source key 'path')")


def test_status_times_are_in_the_hubs_timezone(tmp_path):
    from datetime import datetime

    run(tmp_path, "harvest", "M0634")
    row = json.loads(run(tmp_path, "status", "--json", config=CONFIG.replace(
        '"musenor.fr"', '"musenor.fr"\ntimezone = "America/Cayenne"')).output)[0]
    assert datetime.fromisoformat(row["last_started"]).utcoffset().total_seconds() == -3 * 3600


def test_status_counts_unmatched_vocabulary_terms(tmp_path):
    from musenor.catalogue import Catalogue

    catalogue = Catalogue(tmp_path / "var", open_graph=False)
    catalogue.ledger.replace_worklists("M0634", {}, {("rights", "Licence Ouverte"): 52, ("materials", "toile"): 3})
    catalogue.close()
    row = json.loads(run(tmp_path, "status", "--json").output)[0]
    assert row["unmatched_terms"] == [{"vocabulary": "rights", "term": "Licence Ouverte", "count": 52},
                                      {"vocabulary": "materials", "term": "toile", "count": 3}]
    table = run(tmp_path, "status").output.splitlines()
    assert table[2].split()[-1] == "unmatched" and table[4].split()[-1] == "55"


def test_harvester_user_agent_names_the_hub_and_its_contact(tmp_path):
    from musenor.catalogue import load_config
    from musenor.catalogue.config import hub_version
    from musenor.harvester.sources import source_for

    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG.replace('"lido-file"', '"oai-pmh"').replace('path = "export.xml"',
                                                                         'url = "http://127.0.0.1:9/oai"'))
    config = load_config(path)
    source = source_for(config.museums["M0634"], config)
    assert source.client.session.headers["User-Agent"] == (
        f"Musenor-hub/{hub_version()} (+http://127.0.0.1:5000; catalogue@musenor.example)")


def test_harvester_user_agent_from_the_configuration(tmp_path):
    from musenor.catalogue import load_config
    from musenor.harvester.sources import source_for

    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG.replace('"lido-file"', '"oai-pmh"').replace('path = "export.xml"',
                                                                         'url = "http://127.0.0.1:9/oai"')
                    .replace('"musenor.fr"', '"musenor.fr"\nuser_agent = "Musenor (+mailto:ops@musenor.example)"'))
    source = source_for(load_config(path).museums["M0634"], load_config(path))
    assert source.client.session.headers["User-Agent"] == "Musenor (+mailto:ops@musenor.example)"


# -- musenor init ----------------------------------------------------------------------------------------

def test_init_writes_a_starter_that_passes_the_checker(tmp_path):
    path = tmp_path / "hub" / "musenor.toml"
    result = CliRunner().invoke(main, ["init", "--config", str(path)])
    assert result.exit_code == 0, result.output
    checked = CliRunner().invoke(main, ["validate-config", "--config", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "ok: 1 museums, 0 curated sets" in checked.output


def test_init_offers_every_hub_key_with_its_default(tmp_path):
    from musenor.catalogue.config import HUB_KEYS

    path = tmp_path / "musenor.toml"
    CliRunner().invoke(main, ["init", "-c", str(path)])
    text = path.read_text(encoding="utf-8")
    assert '# timezone = "Europe/Paris"' in text and "# max_shrink = 0.2" in text
    for key in HUB_KEYS:
        assert f"\n{key} = " in text or f"\n# {key} = " in text, key


def test_init_never_overwrites_a_configuration(tmp_path):
    path = tmp_path / "musenor.toml"
    path.write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", "-c", str(path)])
    assert result.exit_code == EXIT_CONFIG
    assert "exists; --force replaces it" in result.output
    assert path.read_text(encoding="utf-8") == "# mine\n"


def test_reindex_renders_again_the_oai_metadata_an_older_renderer_made(tmp_path):
    from musenor.catalogue import Catalogue

    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    catalogue = Catalogue(tmp_path / "var", open_graph=False)
    with catalogue.ledger.transaction() as conn:  # as stored by a renderer of an earlier release
        conn.execute("UPDATE renderings SET renderer_version = 'older'")
    catalogue.close()
    result = run(tmp_path, "reindex", config=POP_CONFIG)
    assert result.exit_code == 0, result.output
    assert "44 records rendered anew for OAI-PMH" in result.output
    catalogue = Catalogue(tmp_path / "var", open_graph=False)
    try:
        versions = {row[0] for row in catalogue.ledger.conn.execute("SELECT DISTINCT renderer_version FROM renderings")}
        assert len(versions) == 1 and "older" not in versions
    finally:
        catalogue.close()


def test_reindex_leaves_current_the_renderings_of_records_a_new_curated_set_changed(tmp_path):
    from musenor.catalogue import Catalogue

    assert run(tmp_path, "harvest", "M0650", config=hub_toml({"M0650": SAINT_OMER_POP}, base_uri=BASE)).exit_code == 0
    catalogue = Catalogue(tmp_path / "var", open_graph=False)
    with catalogue.ledger.transaction() as conn:  # a renderer upgrade: everything is rendered again meanwhile
        conn.execute("UPDATE renderings SET renderer_version = 'older'")
    catalogue.close()
    result = run(tmp_path, "reindex", config=POP_CONFIG)  # the set "croix" is new: its records change
    assert result.exit_code == 0, result.output
    catalogue = Catalogue(tmp_path / "var", open_graph=False)
    try:
        conn = catalogue.ledger.conn
        in_set = conn.execute("SELECT COUNT(*) FROM records WHERE sets LIKE '%exhibition:croix%'").fetchone()[0]
        behind = conn.execute("SELECT COUNT(*) FROM renderings g JOIN records r ON r.identifier = g.identifier "
                              "WHERE g.change_seq <> r.change_seq OR g.renderer_version = 'older'").fetchone()[0]
        assert (in_set > 0, behind) == (True, 0)
    finally:
        catalogue.close()
