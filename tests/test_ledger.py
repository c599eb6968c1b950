"""The ledger: staging, the completeness gate, one-transaction publish, tombstones and header history."""

import itertools
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

import musenor.catalogue.ledger as ledger_module
from musenor.catalogue import Catalogue, PublishRefused, StagedRecord
from musenor.catalogue.ledger import Ledger, content_checksum

TITLE = "<http://purl.org/dc/elements/1.1/title>"


def staged(local_id: str, title: str = "Titre", *, deleted: bool = False, museum: str = "M0629") -> StagedRecord:
    obj = f"<http://hub.test/id/object/{museum}/{local_id}>"
    return StagedRecord(
        identifier=f"oai:musenor.fr:{museum}:{local_id}", museum=museum, local_id=local_id,
        record_uri=f"http://hub.test/id/record/{museum}/{local_id}", deleted=deleted,
        sets=["museum", f"museum:{museum}"], raw=f"<lido>{local_id}</lido>".encode(), dialect="lido",
        graph=None if deleted else f'{obj} {TITLE} "{title}"@fr .\n',
        provenance=None if deleted else f'<http://hub.test/id/record/{museum}/{local_id}> '
                                        f'<http://www.w3.org/ns/prov#wasGeneratedBy> <http://hub.test/id/harvest/1> .\n')


def publish(ledger: Ledger, records, *, full=True, museum="M0629", complete=True, expected=None, max_shrink=0.2):
    run = ledger.begin_run(museum, "oai-pmh", full=full)
    ledger.stage(run.id, records, checkpoint={"token": "t"})
    return ledger.publish(run.id, complete=complete, expected_count=expected, max_shrink=max_shrink)


@pytest.fixture
def ledger(tmp_path, ledger_location):
    """Each test runs on the embedded SQLite ledger and on a PostgreSQL one, expecting the same answers."""
    from musenor.catalogue import open_ledger

    opened = open_ledger(ledger_location, tmp_path)
    yield opened
    opened.close()


def test_first_publish_counts_new_records(ledger):
    report = publish(ledger, [staged("1"), staged("2")])
    assert report.as_counts() == {"new": 2, "changed": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    record = ledger.record("oai:musenor.fr:M0629:1")
    assert record.hub_datestamp == report.hub_datestamp
    assert record.sets == ["museum", "museum:M0629"]
    assert record.raw == b"<lido>1</lido>"
    assert ledger.run(report.run_id).status == "succeeded"


def test_unchanged_content_keeps_datestamp_and_change_seq(ledger):
    first = publish(ledger, [staged("1")])
    seq = ledger.last_change_seq()
    second = publish(ledger, [staged("1")])
    record = ledger.record("oai:musenor.fr:M0629:1")
    assert second.unchanged == 1 and second.changed == 0
    assert record.hub_datestamp == first.hub_datestamp
    assert ledger.last_change_seq() == seq
    assert record.run_id == first.run_id and record.seen_run_id == second.run_id


@pytest.fixture
def clock(monkeypatch):
    """The ledger's clock, a minute later at each reading: publishes get distinct hub datestamps."""
    moments = (datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=n) for n in itertools.count())
    monkeypatch.setattr(ledger_module, "utc_now", lambda: next(moments))


def test_changed_content_gets_new_version_and_history(ledger, clock):
    first = publish(ledger, [staged("1", "Avant")])
    report = publish(ledger, [staged("1", "Après")])
    assert report.changed == 1
    record = ledger.record("oai:musenor.fr:M0629:1")
    assert '"Après"@fr' in record.graph
    versions = ledger.conn.execute("SELECT hub_datestamp, superseded_at, deleted FROM record_versions "
                                   "WHERE identifier = ? ORDER BY hub_datestamp", (record.identifier,)).fetchall()
    assert [tuple(v) for v in versions] == [(first.hub_datestamp, report.hub_datestamp, 0),
                                            (report.hub_datestamp, None, 0)]
    by_set = ledger.conn.execute("SELECT set_spec, hub_datestamp, superseded_at FROM record_version_sets "
                                 "WHERE identifier = ? ORDER BY hub_datestamp, set_spec",
                                 (record.identifier,)).fetchall()
    assert [tuple(v) for v in by_set] == [("museum", first.hub_datestamp, report.hub_datestamp),
                                          ("museum:M0629", first.hub_datestamp, report.hub_datestamp),
                                          ("museum", report.hub_datestamp, None),
                                          ("museum:M0629", report.hub_datestamp, None)]


def test_a_tombstone_supersedes_the_live_version_in_the_history(ledger, clock):
    first = publish(ledger, [staged(str(i)) for i in range(10)])
    report = publish(ledger, [staged(str(i)) for i in range(9)])
    versions = ledger.conn.execute("SELECT hub_datestamp, superseded_at, deleted FROM record_versions "
                                   "WHERE identifier = 'oai:musenor.fr:M0629:9' ORDER BY hub_datestamp").fetchall()
    assert [tuple(v) for v in versions] == [(first.hub_datestamp, report.hub_datestamp, 0),
                                            (report.hub_datestamp, None, 1)]


def test_full_run_tombstones_records_that_disappeared(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    report = publish(ledger, [staged(str(i)) for i in range(9)])
    assert report.deleted == 1
    gone = ledger.record("oai:musenor.fr:M0629:9")
    assert gone.deleted and gone.graph is None
    assert ledger.museum_counts() == {"M0629": {"records": 9, "deleted": 1}}


def test_incremental_run_never_tombstones_what_it_did_not_see(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    report = publish(ledger, [staged("3", "Nouveau titre")], full=False)
    assert (report.changed, report.deleted) == (1, 0)
    assert ledger.museum_counts()["M0629"] == {"records": 10, "deleted": 0}


def test_source_deletion_becomes_tombstone(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    report = publish(ledger, [staged("2", deleted=True)], full=False)
    assert report.deleted == 1
    assert ledger.record("oai:musenor.fr:M0629:2").deleted


def test_an_incremental_run_where_every_record_arrives_deleted_is_refused(ledger):
    publish(ledger, [staged("1"), staged("2")])
    with pytest.raises(PublishRefused) as err:
        publish(ledger, [staged("1", deleted=True), staged("2", deleted=True)], full=False, max_shrink=1.0)
    assert err.value.reason == "an incremental harvest would delete all 2 published records of the museum"
    assert ledger.museum_counts()["M0629"] == {"records": 2, "deleted": 0}


def test_the_mass_deletion_guard_holds_for_incremental_deletions(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    with pytest.raises(PublishRefused) as err:
        publish(ledger, [staged(str(i), deleted=True) for i in range(3)] + [staged("5", "Nouveau")], full=False)
    assert err.value.reason == ("an incremental harvest would delete 3 of 10 published records (30%, above the "
                                "20% guard)")
    assert ledger.museum_counts()["M0629"] == {"records": 10, "deleted": 0}
    assert '"Titre"@fr' in ledger.record("oai:musenor.fr:M0629:5").graph


def test_the_mass_deletion_guard_counts_deletions_in_the_museum_only(ledger):
    publish(ledger, [staged(str(i), museum="M0634") for i in range(10)], museum="M0634")
    publish(ledger, [staged("1")])
    report = publish(ledger, [staged(str(i), deleted=True, museum="M0634") for i in range(2)], full=False,
                     museum="M0634")
    assert report.deleted == 2


def test_records_that_failed_to_map_are_seen_by_the_mass_deletion_guard(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    run = ledger.begin_run("M0629", "oai-pmh", full=True)
    ledger.stage(run.id, [staged(str(i)) for i in range(7)], checkpoint=None,
                 errors=[(f"oai:musenor.fr:M0629:{i}", "no dc:type", b"<dc/>") for i in range(7, 10)])
    report = ledger.publish(run.id, complete=True, max_shrink=0.2)
    assert (report.unchanged, report.deleted, report.failed) == (7, 0, 3)
    assert ledger.museum_counts()["M0629"] == {"records": 10, "deleted": 0}


def test_gate_refuses_an_unfinished_list_and_leaves_state_untouched(ledger):
    publish(ledger, [staged("1", "Publié")])
    before = ledger.record("oai:musenor.fr:M0629:1")
    with pytest.raises(PublishRefused) as err:
        publish(ledger, [staged("1", "Demi-récolte")], complete=False)
    assert "did not end properly" in err.value.reason
    assert ledger.record("oai:musenor.fr:M0629:1") == before
    run = ledger.run(err.value.run_id)
    assert run.status == "failed" and run.reason == err.value.reason
    assert ledger.staged_count(run.id) == 0


def test_gate_refuses_a_count_that_differs_from_complete_list_size(ledger):
    with pytest.raises(PublishRefused) as err:
        publish(ledger, [staged("1"), staged("2")], expected=3)
    assert err.value.reason == "staged 2 records and 0 failed (2 in all) but the source announced completeListSize 3"
    assert ledger.museum_counts() == {}


def test_the_gate_counts_failed_records_in_the_announced_size(ledger):
    run = ledger.begin_run("M0629", "oai-pmh", full=True)
    ledger.stage(run.id, [staged("1"), staged("2")], checkpoint=None,
                 errors=[("(no identifier) page 1 of the list, record 3", "a record without a header identifier",
                          b"<record/>")])
    with pytest.raises(PublishRefused) as err:
        ledger.publish(run.id, complete=True, expected_count=5 - 1)
    assert err.value.reason == "staged 2 records and 1 failed (3 in all) but the source announced completeListSize 5"


def test_gate_refuses_mass_deletion(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    with pytest.raises(PublishRefused) as err:
        publish(ledger, [staged(str(i)) for i in range(7)])
    assert "would delete 3 of 10 published records (30%, above the 20% guard)" in err.value.reason
    assert ledger.museum_counts()["M0629"] == {"records": 10, "deleted": 0}


def test_gate_refuses_an_empty_full_harvest(ledger):
    publish(ledger, [staged("1")])
    with pytest.raises(PublishRefused) as err:
        publish(ledger, [], max_shrink=1.0)
    assert err.value.reason == "a full harvest found no live record where 1 are published"


def test_mass_deletion_guard_is_configurable(ledger):
    publish(ledger, [staged(str(i)) for i in range(10)])
    report = publish(ledger, [staged(str(i)) for i in range(5)], max_shrink=0.5)
    assert report.deleted == 5


def test_other_museums_are_untouched_by_a_full_run(ledger):
    publish(ledger, [staged("1", museum="M0634")], museum="M0634")
    publish(ledger, [staged("1")])
    publish(ledger, [staged("2")], max_shrink=1.0)
    assert ledger.museum_counts()["M0634"] == {"records": 1, "deleted": 0}


def test_stage_replaces_a_page_staged_twice(ledger):
    run = ledger.begin_run("M0629", "oai-pmh", full=True)
    ledger.stage(run.id, [staged("1"), staged("2")], checkpoint={"token": "a"})
    ledger.stage(run.id, [staged("2"), staged("3")], checkpoint={"token": "b"})
    assert ledger.staged_count(run.id) == 3
    assert ledger.run(run.id).checkpoint == {"token": "b"}
    assert ledger.unfinished_run("M0629").id == run.id


def test_record_errors_are_kept_raw_and_counted(ledger):
    run = ledger.begin_run("M0629", "oai-pmh", full=False)
    ledger.stage(run.id, [staged("1")], checkpoint=None,
                 errors=[("oai:musenor.fr:M0629:bad", "no title and no description", b"<lido/>")])
    report = ledger.publish(run.id, complete=True)
    assert report.failed == 1
    assert ledger.run_errors(run.id) == [("oai:musenor.fr:M0629:bad", "no title and no description")]
    raw = ledger.conn.execute("SELECT raw FROM record_errors WHERE run_id = ?", (run.id,)).fetchone()[0]
    assert raw == b"<lido/>"


def test_set_memberships_change_the_header_datestamp(ledger):
    publish(ledger, [staged("1"), staged("2")])
    seq = ledger.last_change_seq()
    changed = ledger.set_memberships("exhibition:tresors", ["oai:musenor.fr:M0629:1"])
    assert changed == 1
    assert ledger.record("oai:musenor.fr:M0629:1").sets == ["exhibition:tresors", "museum", "museum:M0629"]
    assert ledger.last_change_seq() == seq + 1
    assert ledger.set_memberships("exhibition:tresors", ["oai:musenor.fr:M0629:1"]) == 0


def test_checksum_covers_content_sets_and_deletion():
    base = content_checksum('<a> <b> "c" .', ["museum:M0629"], False)
    assert base == content_checksum('<a> <b> "c" .\n', ["museum:M0629", "museum:M0629"], False)
    assert base != content_checksum('<a> <b> "d" .', ["museum:M0629"], False)
    assert base != content_checksum('<a> <b> "c" .', ["museum:M0634"], False)
    assert base != content_checksum('<a> <b> "c" .', ["museum:M0629"], True)


def test_changes_since_lists_replacements_and_removals(ledger):
    publish(ledger, [staged("1"), staged("2")])
    seq = ledger.last_change_seq()
    publish(ledger, [staged("2", deleted=True)], full=False, max_shrink=0.5)
    changes = ledger.changes_since(seq)
    assert [(c.identifier, c.ntriples) for c in changes] == [("oai:musenor.fr:M0629:2", None)]


def test_graph_follows_the_ledger_and_reindex_restores_the_same_triples(tmp_path):
    catalogue = Catalogue(tmp_path)
    publish(catalogue.ledger, [staged("1"), staged("2"), staged("3")])
    publish(catalogue.ledger, [staged("3", deleted=True)], full=False, max_shrink=0.5)
    assert catalogue.sync_graph() == 3
    query = "SELECT ?s ?o WHERE { ?s <http://purl.org/dc/elements/1.1/title> ?o } ORDER BY ?s"
    before = [(r["s"].value, r["o"].value) for r in catalogue.graph.query(query)]
    assert before == [("http://hub.test/id/object/M0629/1", "Titre"), ("http://hub.test/id/object/M0629/2", "Titre")]
    catalogue.close()
    import shutil
    shutil.rmtree(tmp_path / "graph")
    restored = Catalogue(tmp_path)
    restored.sync_graph()
    assert [(r["s"].value, r["o"].value) for r in restored.graph.query(query)] == before


def test_sigkill_during_publish_leaves_previous_state(tmp_path, ledger_location):
    """A publisher killed mid-transaction (MUSENOR_CRASH_AT, the ledger's own crash point, after the 100th of
    200 records written): the journal (SQLite) or the server (PostgreSQL) rolls it back, nothing half-published."""
    from musenor.catalogue import open_ledger

    ledger = open_ledger(ledger_location, tmp_path)
    publish(ledger, [staged(str(i), "Ancien") for i in range(200)])
    before = {r.identifier: (r.hub_datestamp, r.checksum) for r in ledger.records()}
    ledger.close()
    script = textwrap.dedent(f"""
        from pathlib import Path
        from musenor.catalogue import open_ledger
        from musenor.catalogue.ledger import StagedRecord
        ledger = open_ledger({ledger_location!r}, Path({str(tmp_path)!r}))
        run = ledger.begin_run("M0629", "oai-pmh", full=True)
        recs = [StagedRecord(identifier=f"oai:musenor.fr:M0629:{{i}}", museum="M0629", local_id=str(i),
                record_uri=f"http://hub.test/id/record/M0629/{{i}}",
                graph=f'<http://hub.test/id/object/M0629/{{i}}> <http://purl.org/dc/elements/1.1/title> "Nouveau"@fr .\\n')
                for i in range(200)]
        ledger.stage(run.id, recs, checkpoint=None)
        ledger.publish(run.id, complete=True)
        print("published")
    """)
    env = {**os.environ, "MUSENOR_CRASH_AT": "publish:100"}
    proc = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd(), capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert proc.stdout == ""
    after = open_ledger(ledger_location, tmp_path)
    assert {r.identifier: (r.hub_datestamp, r.checksum) for r in after.records()} == before
    assert after.unfinished_run("M0629") is not None  # the killed run is there to resume or fail
    assert after.staged_count(after.unfinished_run("M0629").id) == 200


def test_a_run_names_where_the_source_gave_the_records_it_has_staged(ledger):
    run = ledger.begin_run("M0629", "lido-file", full=True)
    first, second = staged("A"), staged("B")
    first.position = "export.xml#2"
    ledger.stage(run.id, [first, second], checkpoint={"file": 1})

    assert ledger.staged_positions(run.id, ["oai:musenor.fr:M0629:A", "oai:musenor.fr:M0629:B",
                                            "oai:musenor.fr:M0629:C"]) == {
        "oai:musenor.fr:M0629:A": "export.xml#2", "oai:musenor.fr:M0629:B": "an earlier page"}


def test_a_ledger_from_before_staged_positions_gains_the_column_when_opened(tmp_path):
    old = Ledger(tmp_path / "ledger.sqlite3")
    old.conn.execute("ALTER TABLE staged_records DROP COLUMN source_position")
    old.close()

    ledger = Ledger(tmp_path / "ledger.sqlite3")
    run = ledger.begin_run("M0629", "lido-file", full=True)
    record = staged("A")
    record.position = "export.xml#1"
    ledger.stage(run.id, [record], checkpoint=None)

    assert ledger.staged_positions(run.id, ["oai:musenor.fr:M0629:A"]) == {"oai:musenor.fr:M0629:A": "export.xml#1"}
    ledger.close()


def test_a_thread_that_ends_gives_back_its_connection_and_the_others_keep_theirs(ledger):
    import threading

    mine = ledger.conn
    helper = threading.Thread(target=lambda: (ledger.conn.execute("SELECT 1").fetchone(), ledger.end_thread()))
    helper.start()
    helper.join()

    assert ledger.conn is mine
    assert ledger.conn.execute("SELECT 1").fetchone()[0] == 1
