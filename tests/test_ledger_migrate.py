"""``musenor migrate --to postgresql://…``: an embedded hub's ledger moved into PostgreSQL with nothing lost."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402

from musenor.catalogue import Catalogue, LedgerError, StagedRecord  # noqa: E402
from musenor.catalogue.config import parse_config  # noqa: E402
from musenor.catalogue.ledger_postgresql import PostgresLedger  # noqa: E402
from musenor.catalogue.migrate import OPTIONAL_TABLES, TABLES, copy_ledger  # noqa: E402
from musenor.harvester.rendering import render_stale  # noqa: E402
from musenor.cli import EXIT_CONFIG, EXIT_FAILED, main  # noqa: E402

COUNT = 23
ODD_RAW = b"<lido>\x00\xff\xfe caf\xc3\xa9 \\x00 %s ?</lido>"  # bytes a bytea must keep exactly


def write_config(tmp_path: Path, ledger: str | None = None) -> Path:
    museums = "".join(f'\n[museums.{code}]\nname = "{name}"\ncity = "{city}"\n[museums.{code}.source]\n'
                      f'kind = "lido-file"\npath = "x.xml"\n' for code, (name, city) in oc.MUSEUMS.items())
    path = tmp_path / "musenor.toml"
    path.write_text(f'[hub]\nbase_uri = "{oc.BASE}"\ndata_dir = "data"\nrepository_name = "Musenor (tests)"\n'
                    f'admin_email = "catalogue@musenor.test"\nrepository_identifier = "{oc.REPOSITORY}"\n'
                    f'page_size = 7\nsecret_key_env = "MUSENOR_TEST_OAI_SECRET_UNSET"\n'
                    + (f'ledger = "{ledger}"\n' if ledger else "") + museums, encoding="utf-8")
    (tmp_path / "x.xml").write_text("<lido:lidoWrap xmlns:lido='http://www.lido-schema.org'/>", encoding="utf-8")
    return path


def migrate(config_path: Path, target: str):
    return CliRunner().invoke(main, ["--config", str(config_path), "migrate", "--to", target], catch_exceptions=False)


def records_of_a_list_records_harvest(catalogue: Catalogue, config) -> list[bytes]:
    """Every record element of a ListRecords harvest followed to its end, canonicalised."""
    client = oc.make_app(config, catalogue).test_client()
    return [etree.tostring(record, method="c14n") for page in oc.follow(client, "ListRecords", metadataPrefix="oai_dc")
            for record in page.iterfind(".//oai:record", oc.NS)]


@pytest.fixture
def embedded(tmp_path):
    """An embedded hub with live and deleted records, a failed record kept raw, a curated set and renderings."""
    config_path = write_config(tmp_path)
    config = parse_config(tomllib.loads(config_path.read_text()), path=config_path)
    catalogue = Catalogue.from_config(config, open_graph=False)
    for index, code in enumerate(oc.MUSEUMS):
        oc.publish(catalogue, code, (oc.staged(code, oc.local_id(n), n) for n in range(index, COUNT, 3)))
    odd = oc.staged("M0629", "ODD", 77)
    odd.raw = ODD_RAW
    oc.publish(catalogue, "M0629", [odd, oc.staged("M0629", oc.local_id(0), 0, deleted=True)])
    run = catalogue.ledger.begin_run("M0634", "lido-file", full=False)
    catalogue.ledger.stage(run.id, [], checkpoint={"offset": 3}, errors=[("M0634:broken", "no title", b"<bad")])
    catalogue.ledger.fail_run(run.id, "the file was cut short")
    catalogue.ledger.set_memberships("exhibition:tresors", [oc.URIS.oai_identifier("M0629", oc.local_id(3))])
    render_stale(config, catalogue)
    oc.settle(catalogue)
    yield config_path, config, catalogue
    catalogue.close()


def table_rows(ledger) -> dict[str, list[tuple]]:
    # this hub ran no photo campaign: its SQLite ledger has no campaign table to compare
    return {table: sorted((tuple(row) for row in ledger.conn.execute(f"SELECT * FROM {table}")), key=repr)
            for table in TABLES if table not in OPTIONAL_TABLES}


def test_migrate_copies_every_row_and_a_harvest_reads_the_same_bytes(embedded, tmp_path, postgres_cluster):
    config_path, config, catalogue = embedded
    before_rows = table_rows(catalogue.ledger)
    before_harvest = records_of_a_list_records_harvest(catalogue, config)
    url = postgres_cluster.create_database()

    result = migrate(config_path, url)

    assert result.exit_code == 0, result.output
    assert "migrated" in result.output and f"records {COUNT + 1}" in result.output
    moved_path = write_config(tmp_path, ledger=url)
    moved_config = parse_config(tomllib.loads(moved_path.read_text()), path=moved_path)
    moved = Catalogue.from_config(moved_config, open_graph=False)
    try:
        assert isinstance(moved.ledger, PostgresLedger)
        assert table_rows(moved.ledger) == before_rows
        assert moved.ledger.record(oc.URIS.oai_identifier("M0629", "ODD")).raw == ODD_RAW
        assert records_of_a_list_records_harvest(moved, moved_config) == before_harvest
        assert len(before_harvest) == COUNT + 1
        # The next harvest run continues the numbering: no id is given twice.
        assert moved.ledger.begin_run("M0629", "lido-file", full=False).id == max(r[0] for r in before_rows["harvest_runs"]) + 1
    finally:
        moved.close()


def test_migrate_into_a_database_that_holds_a_catalogue_is_refused(embedded, postgres_cluster):
    _, _, catalogue = embedded
    target = PostgresLedger(postgres_cluster.create_database())
    try:
        run = target.begin_run("M0629", "lido-file", full=False)
        target.stage(run.id, [StagedRecord(identifier="oai:x:M0629:1", museum="M0629", local_id="1",
                                           record_uri="http://hub.test/id/record/M0629/1")], checkpoint=None)
        target.publish(run.id, complete=True)
        with pytest.raises(LedgerError, match="already holds a catalogue"):
            copy_ledger(catalogue.ledger, target)
        assert target.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 1
    finally:
        target.close()


def test_migrate_to_something_else_than_postgresql_exits_2(embedded):
    config_path, _, _ = embedded
    result = migrate(config_path, "mysql://hub@db/musenor")
    assert result.exit_code == EXIT_CONFIG
    assert "--to must be a postgresql:// URL, not 'mysql://hub@db/musenor'" in result.output


def test_migrate_to_an_unreachable_database_fails_naming_it_without_its_password(embedded, tmp_path):
    config_path, _, _ = embedded
    result = migrate(config_path, f"postgresql://hub:secret@/musenor?host={tmp_path}/nowhere&connect_timeout=1")
    assert result.exit_code == EXIT_FAILED
    assert "cannot connect to the ledger database postgresql://hub:***@/musenor" in result.output
    assert "secret" not in result.output
