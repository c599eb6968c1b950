"""A catalogue lives under one base URI: another base is refused, and ``musenor rebase-uri`` re-mints the whole
catalogue (ledger, graph, search, sets, dumps) at once, never a mix (issue 11, item 2).

The catalogue is Saint-Omer's POP export (44 records, a query-selected exhibition "croix"), harvested through
the CLI under http://127.0.0.1:5000 and then configured under https://musenor.example.org.
"""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path

import pytest

from musenor.catalogue import Catalogue, PublishRefused, StagedRecord
from musenor.catalogue.rebase import rebase_ledger, rebase_ntriples
from musenor.catalogue.search import search_index, sync_search
from musenor.cli import EXIT_BUSY, EXIT_CONFIG
from test_cli import POP_CONFIG, run

OLD = "http://127.0.0.1:5000"
NEW = "https://musenor.example.org"
NEW_CONFIG = POP_CONFIG.replace(f'base_uri = "{OLD}"', f'base_uri = "{NEW}"')
RECORDS = 44
EDM_CHO = "<http://www.europeana.eu/schemas/edm/ProvidedCHO>"


def test_the_new_configuration_differs_only_by_its_base():
    assert NEW_CONFIG != POP_CONFIG and NEW_CONFIG.count(NEW) == 1


@pytest.fixture
def harvested(tmp_path: Path) -> Path:
    result = run(tmp_path, "harvest", "M0650", config=POP_CONFIG)
    assert result.exit_code == 0, result.output
    return tmp_path


def ledger_uris(tmp_path: Path) -> list[str]:
    catalogue = Catalogue(tmp_path / "var", open_graph=False)
    try:
        return sorted(r.record_uri for r in catalogue.ledger.records())
    finally:
        catalogue.close()


def graph_counts(data_dir: Path, base: str) -> dict[str, int]:
    """Record graphs and objects under ``base``, objects in all, and IRIs anywhere under ``OLD``."""
    catalogue = Catalogue(data_dir)
    try:
        def count(query: str) -> int:
            return int(next(iter(catalogue.graph.query(query)))["n"].value)

        return {
            "record graphs": count(f'SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                                   f'FILTER(STRSTARTS(STR(?g), "{base}/id/record/")) }}'),
            "objects": count(f"SELECT (COUNT(DISTINCT ?cho) AS ?n) WHERE {{ ?cho a {EDM_CHO} }}"),
            "objects under base": count(f'SELECT (COUNT(DISTINCT ?cho) AS ?n) WHERE {{ ?cho a {EDM_CHO} '
                                        f'FILTER(STRSTARTS(STR(?cho), "{base}/id/object/")) }}'),
            "old IRIs": count(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER('
                              f'STRSTARTS(STR(?g), "{OLD}") || STRSTARTS(STR(?s), "{OLD}") || '
                              f'(isIRI(?o) && STRSTARTS(STR(?o), "{OLD}"))) }}'),
        }
    finally:
        catalogue.close()


def search_counts(data_dir: Path) -> tuple[int, int, set[str]]:
    """(documents, hits for "croix", the bases of the indexed record URIs)."""
    catalogue = Catalogue(data_dir, open_graph=False)
    try:
        sync_search(catalogue)
        index = search_index(catalogue)
        bases = {uri.partition("/id/record/")[0] for (uri,) in index.conn.execute("SELECT record_uri FROM documents")}
        return index.count(), index.search("croix").total, bases
    finally:
        catalogue.close()


def set_size(tmp_path: Path, config: str, set_spec: str) -> int:
    """How many headers OAI-PMH lists in ``set_spec``, from the app as ``musenor serve`` builds it."""
    from musenor.catalogue import load_config
    from musenor.oai_server import create_app, open_catalogue

    (tmp_path / "musenor.toml").write_text(config, encoding="utf-8")
    hub = load_config(tmp_path / "musenor.toml")
    from musenor.catalogue.listing import Listing

    catalogue = open_catalogue(hub)
    app = create_app(hub, catalogue)
    try:
        # A list stops one second short of now (Listing.stable_until): let the clock pass the last publish, which
        # may have stamped this very second, so the list holds every record it made.
        last = catalogue.ledger.get_meta("last_hub_datestamp")
        deadline = time.monotonic() + 10
        while last and Listing(catalogue.ledger).stable_until() < last and time.monotonic() < deadline:
            time.sleep(0.05)
        response = app.test_client().get(f"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set={set_spec}")
        assert response.status_code == 200
        return len(re.findall(r"<header>", response.get_data(as_text=True)))
    finally:
        app.extensions["musenor.dumps"].wait()
        catalogue.close()


# -- refusal --------------------------------------------------------------------------------------------

def test_harvest_under_another_base_is_refused_naming_both_bases_and_the_command(harvested):
    before = ledger_uris(harvested)
    result = run(harvested, "harvest", "M0650", "--full", config=NEW_CONFIG)
    assert result.exit_code == EXIT_CONFIG
    message = " ".join(result.output.split())
    assert f"was built under base URI {OLD}, but the configuration's hub.base_uri is {NEW}" in message
    assert "musenor rebase-uri" in message
    assert ledger_uris(harvested) == before and len(before) == RECORDS


def test_serve_under_another_base_is_refused(harvested):
    result = run(harvested, "serve", "--port", "0", config=NEW_CONFIG)
    assert result.exit_code == EXIT_CONFIG
    assert f"was built under base URI {OLD}" in result.output
    assert "Musenor hub on" not in result.output


def test_a_catalogue_older_than_the_recorded_base_is_judged_by_its_record_uris(harvested):
    catalogue = Catalogue(harvested / "var", open_graph=False)
    catalogue.ledger.conn.execute("DELETE FROM meta WHERE key = 'base_uri'")
    catalogue.close()
    result = run(harvested, "harvest", "M0650", config=NEW_CONFIG)
    assert result.exit_code == EXIT_CONFIG
    assert f"was built under base URI {OLD}" in result.output


def test_an_empty_catalogue_takes_the_new_base_without_a_re_mint(tmp_path):
    from musenor.catalogue import load_config
    from musenor.oai_server import open_catalogue

    (tmp_path / "musenor.toml").write_text(POP_CONFIG, encoding="utf-8")
    open_catalogue(load_config(tmp_path / "musenor.toml")).close()  # claims OLD, with nothing minted
    result = run(tmp_path, "harvest", "M0650", config=NEW_CONFIG)
    assert result.exit_code == 0, result.output
    uris = ledger_uris(tmp_path)
    assert len(uris) == RECORDS and all(uri.startswith(NEW) for uri in uris)


def test_the_ledger_refuses_to_publish_a_run_minted_under_another_base(harvested):
    catalogue = Catalogue(harvested / "var", open_graph=False)
    ledger = catalogue.ledger
    try:
        record = next(ledger.records("M0650"))
        run_ = ledger.begin_run("M0650", "pop-file", full=False)
        ledger.stage(run_.id, [StagedRecord(
            identifier=record.identifier, museum="M0650", local_id=record.local_id,
            record_uri=record.record_uri.replace(OLD, NEW), sets=record.sets, graph=record.graph)], checkpoint=None)
        with pytest.raises(PublishRefused) as refused:
            ledger.publish(run_.id, complete=True)
        assert refused.value.reason == (
            f"its records are minted under base URI {NEW} but the catalogue is built under {OLD}: set "
            f"hub.base_uri back to {OLD}, or re-mint the catalogue with 'musenor rebase-uri'")
        assert ledger.record(record.identifier).record_uri == record.record_uri
        assert ledger.run(run_.id).status == "failed"
    finally:
        catalogue.close()


def test_rebase_with_the_graph_store_held_changes_nothing(harvested):
    before = ledger_uris(harvested)
    holder = Catalogue(harvested / "var")  # as a running server holds it
    try:
        result = run(harvested, "rebase-uri", config=NEW_CONFIG)
    finally:
        holder.close()
    assert result.exit_code == EXIT_BUSY
    assert ledger_uris(harvested) == before


# -- re-mint --------------------------------------------------------------------------------------------

def test_rebase_re_mints_ledger_graph_search_sets_and_dumps_with_the_same_counts(harvested):
    data_dir = harvested / "var"
    before = graph_counts(data_dir, OLD)
    assert (before["record graphs"], before["objects"], before["objects under base"]) == (RECORDS,) * 3
    assert before["old IRIs"] > RECORDS
    documents, croix, bases = search_counts(data_dir)
    assert (documents, bases) == (RECORDS, {OLD}) and croix > 0
    assert set_size(harvested, POP_CONFIG, "museum:M0650") == RECORDS
    croix_set = set_size(harvested, POP_CONFIG, "exhibition:croix")
    assert croix_set > 0

    result = run(harvested, "rebase-uri", config=NEW_CONFIG)
    assert result.exit_code == 0, result.output
    assert f"re-minted {RECORDS} records and 0 tombstones (0 staged) from {OLD} to {NEW}" in result.output

    uris = ledger_uris(harvested)
    assert len(uris) == RECORDS and all(uri.startswith(f"{NEW}/id/record/M0650/") for uri in uris)
    assert graph_counts(data_dir, NEW) == {"record graphs": RECORDS, "objects": RECORDS,
                                           "objects under base": RECORDS, "old IRIs": 0}
    assert search_counts(data_dir) == (RECORDS, croix, {NEW})
    assert set_size(harvested, NEW_CONFIG, "museum:M0650") == RECORDS
    assert set_size(harvested, NEW_CONFIG, "exhibition:croix") == croix_set
    dump = gzip.decompress((data_dir / "dumps" / "musenor.nt.gz").read_bytes())
    assert OLD.encode() not in dump and f"<{NEW}/id/record/M0650/".encode() in dump


def test_a_re_minted_catalogue_is_what_a_harvest_under_the_new_base_makes(harvested):
    assert run(harvested, "rebase-uri", config=NEW_CONFIG).exit_code == 0
    result = run(harvested, "harvest", "M0650", "--full", config=NEW_CONFIG)
    assert result.exit_code == 0, result.output
    catalogue = Catalogue(harvested / "var", open_graph=False)
    try:
        counts = catalogue.ledger.runs("M0650", limit=1)[0].counts
    finally:
        catalogue.close()
    assert (counts["unchanged"], counts["changed"], counts["new"]) == (RECORDS, 0, 0)


def test_re_minted_records_get_a_new_datestamp_so_harvesters_fetch_them_again(harvested):
    def stamps() -> dict[str, str]:
        catalogue = Catalogue(harvested / "var", open_graph=False)
        try:
            return {r.identifier: r.hub_datestamp for r in catalogue.ledger.records()}
        finally:
            catalogue.close()

    before = stamps()
    assert run(harvested, "rebase-uri", config=NEW_CONFIG).exit_code == 0
    after = stamps()
    assert after.keys() == before.keys()
    assert all(after[i] >= before[i] for i in before) and len(set(after.values())) == 1


def test_rebase_under_the_same_base_changes_nothing(harvested):
    before = ledger_uris(harvested)
    result = run(harvested, "rebase-uri", config=POP_CONFIG)
    assert result.exit_code == 0
    assert f"nothing to re-mint: the catalogue is already under {OLD}" in result.output
    assert ledger_uris(harvested) == before


def test_an_interrupted_rebase_is_refused_until_finished(harvested):
    catalogue = Catalogue(harvested / "var", open_graph=False)
    rebase_ledger(catalogue.ledger, NEW)  # the ledger committed, then the process stopped
    catalogue.close()
    refused = run(harvested, "harvest", "M0650", config=NEW_CONFIG)
    assert refused.exit_code == EXIT_CONFIG
    assert f"re-minted under {NEW} but its graph store, search index and dumps were not rebuilt yet" in \
        " ".join(refused.output.split())
    finished = run(harvested, "rebase-uri", config=NEW_CONFIG)
    assert finished.exit_code == 0, finished.output
    assert f"finished the re-mint from {OLD} to {NEW}" in finished.output
    assert graph_counts(harvested / "var", NEW)["old IRIs"] == 0
    assert run(harvested, "harvest", "M0650", config=NEW_CONFIG).exit_code == 0


# -- the statement rewriting ---------------------------------------------------------------------------

def test_only_iris_under_the_old_base_move():
    ntriples = (f'<{OLD}/id/object/M1/a> <http://purl.org/dc/elements/1.1/description> "see <{OLD}/id/x>" .\n'
                f'<{OLD}/id/object/M1/a#event-1> <http://example.org/p> "1"^^<{OLD}/ns#type> .\n'
                f'_:b1 <http://example.org/p> <{OLD}> .\n'
                f'<{OLD}:8080/id/x> <http://example.org/p> <http://127.0.0.1:50000/id/y> .\n')
    assert rebase_ntriples(ntriples, OLD, NEW) == (
        f'<{NEW}/id/object/M1/a> <http://purl.org/dc/elements/1.1/description> "see <{OLD}/id/x>" .\n'
        f'<{NEW}/id/object/M1/a#event-1> <http://example.org/p> "1"^^<{NEW}/ns#type> .\n'
        f'_:b1 <http://example.org/p> <{NEW}> .\n'
        f'<{OLD}:8080/id/x> <http://example.org/p> <http://127.0.0.1:50000/id/y> .\n')


def test_rebase_ledger_re_mints_tombstones_and_staged_records_too(tmp_path):
    from musenor.catalogue import Ledger
    from musenor.catalogue.ledger import content_checksum

    ledger = Ledger(tmp_path / "ledger.sqlite3")

    def staged(local: str, base: str) -> StagedRecord:
        uri = f"{base}/id/record/M0650/{local}"
        return StagedRecord(identifier=f"oai:musenor.fr:M0650:{local}", museum="M0650", local_id=local,
                            record_uri=uri, sets=["museum:M0650"],
                            graph=f"<{uri}> <http://www.europeana.eu/schemas/edm/aggregatedCHO> "
                                  f"<{base}/id/object/M0650/{local}> .\n")

    first = ledger.begin_run("M0650", "pop-file", full=True)
    ledger.stage(first.id, [staged("a", OLD), staged("b", OLD)], checkpoint=None)
    ledger.publish(first.id, complete=True, max_shrink=1.0)
    second = ledger.begin_run("M0650", "pop-file", full=True)
    ledger.stage(second.id, [staged("a", OLD)], checkpoint=None)
    ledger.publish(second.id, complete=True, max_shrink=1.0)  # b becomes a tombstone
    unfinished = ledger.begin_run("M0650", "pop-file", full=False)
    ledger.stage(unfinished.id, [staged("c", OLD)], checkpoint={"page": 1})

    report = rebase_ledger(ledger, NEW)
    assert (report.old_base, report.new_base, report.live, report.tombstones, report.staged) == (OLD, NEW, 1, 1, 1)
    assert ledger.record("oai:musenor.fr:M0650:b").record_uri == f"{NEW}/id/record/M0650/b"
    assert ledger.record("oai:musenor.fr:M0650:a").graph == staged("a", NEW).graph
    row = ledger.conn.execute("SELECT record_uri, graph, checksum FROM staged_records WHERE run_id = ?",
                              (unfinished.id,)).fetchone()
    assert (row["record_uri"], row["graph"]) == (f"{NEW}/id/record/M0650/c", staged("c", NEW).graph)
    assert row["checksum"] == content_checksum(staged("c", NEW).graph, ["museum:M0650"], False)
    assert ledger.publish(unfinished.id, complete=True).new == 1  # the resumed run publishes under NEW
    ledger.close()
