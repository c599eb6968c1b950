"""Harvesting over OAI-PMH from a real local HTTP server, healthy and misbehaving in each way the issue lists.

Every failing case ends the same way: the run is failed with a clear reason, and the published catalogue is
exactly what it was before.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from musenor.catalogue import Catalogue
from demo.museum_endpoint import EndpointRecord, Fault, Repository, http_date, serve_repository
from fixtures.harvest.museum import hub_config, lido_record, repository
from musenor.harvester import harvest_museums
from musenor.harvester.lock import MuseumLock


CODE = "M0629"


@pytest.fixture
def endpoint():
    with serve_repository(repository(30, page_size=10)) as running:
        yield running


def make_config(tmp_path, endpoint, **settings):
    source = {"kind": "oai-pmh", "endpoint": endpoint.oai_url, "metadata_prefix": "lido", "timeout": 2,
              "max_retries": 2, "backoff_seconds": 0, **settings}
    return hub_config(tmp_path, {CODE: source})


@pytest.fixture
def catalogue(tmp_path, ledger_location):
    """The hub's catalogue, its ledger embedded or on PostgreSQL: each test runs on both."""
    opened = Catalogue(tmp_path / "data", open_graph=False, ledger=ledger_location)
    yield opened
    opened.close()


def harvest(config, catalogue, **kwargs):
    [report] = harvest_museums(config, catalogue, [CODE], jobs=1, **kwargs)
    return report


def published(catalogue):
    return {r.identifier: (r.hub_datestamp, r.deleted, r.graph, r.checksum) for r in catalogue.ledger.records(CODE)}


def test_full_harvest_publishes_every_record_with_its_sets_raw_bytes_and_source_url(tmp_path, endpoint, catalogue):
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert (report.status, report.counts["new"], report.reason, report.errors) == ("succeeded", 30, None, [])
    record = catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-7")
    assert record.sets[:2] == ["museum", "museum:M0629"]
    assert record.raw.startswith(b'<lido:lido xmlns:lido="http://www.lido-schema.org">')
    assert b'lido00100">PBA-P-7</lido:lidoRecID>' in record.raw
    assert record.source_url == (f"{endpoint.oai_url}?verb=GetRecord&metadataPrefix=lido&"
                                 "identifier=oai%3Apba.lille.fr%3APBA-P-7")
    assert "http://www.w3.org/ns/prov#wasGeneratedBy" in record.provenance
    assert record.record_uri == "http://hub.test/id/record/M0629/PBA-P-7"


def test_a_second_harvest_of_an_unchanged_source_changes_no_datestamp_and_no_triple(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    harvest(config, catalogue, full=True)
    before = published(catalogue)
    seq = catalogue.ledger.last_change_seq()
    report = harvest(config, catalogue, full=True)
    assert report.counts["unchanged"] == 30 and report.counts["new"] == report.counts["changed"] == 0
    assert published(catalogue) == before
    assert catalogue.ledger.last_change_seq() == seq


def test_incremental_harvest_asks_from_the_last_start_minus_overlap_at_day_granularity(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint, overlap_seconds=86400 * 3)
    harvest(config, catalogue)
    started = catalogue.ledger.last_successful_run(CODE).started
    endpoint.requests.clear()
    report = harvest(config, catalogue)
    expected = (datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ") - timedelta(days=3)).strftime("%Y-%m-%d")
    lists = [r for r in endpoint.requests if r.get("verb") == "ListRecords"]
    assert lists[0] == {"verb": "ListRecords", "metadataPrefix": "lido", "from": expected}
    assert report.status == "succeeded" and report.counts["new"] == 0


def test_incremental_harvest_uses_seconds_when_the_endpoint_declares_them(tmp_path, catalogue):
    repo = repository(5, granularity="YYYY-MM-DDThh:mm:ssZ")
    for record in repo.records.values():
        record.datestamp = "2026-01-15T10:00:00Z"
    with serve_repository(repo) as endpoint:
        config = make_config(tmp_path, endpoint, overlap_seconds=60)
        harvest(config, catalogue)
        started = datetime.strptime(catalogue.ledger.last_successful_run(CODE).started, "%Y-%m-%dT%H:%M:%SZ")
        endpoint.requests.clear()
        harvest(config, catalogue)
        lists = [r for r in endpoint.requests if r.get("verb") == "ListRecords"]
    assert lists[0]["from"] == (started - timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_incremental_harvest_takes_changes_and_deleted_headers_become_tombstones(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    harvest(config, catalogue)
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    repo = endpoint.repository
    repo.delete("oai:pba.lille.fr:PBA-P-3", today)
    repo.put(EndpointRecord("oai:pba.lille.fr:PBA-P-4", today,
                            metadata={"lido": lido_record("PBA-P-4", "La Descente de croix", n=4)}))
    before = published(catalogue)
    report = harvest(config, catalogue)
    assert (report.counts["deleted"], report.counts["changed"], report.counts["new"]) == (1, 1, 0)
    tombstone = catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-3")
    assert tombstone.deleted and tombstone.graph is None
    assert "La Descente de croix" in catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-4").graph
    after = published(catalogue)
    assert {k for k in after if after[k] != before[k]} == {"oai:musenor.fr:M0629:PBA-P-3",
                                                             "oai:musenor.fr:M0629:PBA-P-4"}


def test_an_incremental_harvest_never_tombstones_what_it_did_not_see(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    harvest(config, catalogue)
    for identifier in list(endpoint.repository.records)[:20]:
        del endpoint.repository.records[identifier]  # only 10 left, all unchanged since before the overlap
    report = harvest(config, catalogue)
    assert report.status == "succeeded" and report.counts["deleted"] == 0
    assert catalogue.ledger.museum_counts()[CODE] == {"records": 30, "deleted": 0}


def test_a_full_harvest_tombstones_records_gone_from_the_source(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    harvest(config, catalogue)
    del endpoint.repository.records["oai:pba.lille.fr:PBA-P-12"]
    report = harvest(config, catalogue, full=True)
    assert (report.status, report.counts["deleted"], report.counts["unchanged"]) == ("succeeded", 1, 29)
    assert catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-12").deleted


def test_the_mass_deletion_guard_refuses_a_full_harvest_that_would_delete_too_much(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    harvest(config, catalogue)
    before = published(catalogue)
    for identifier in list(endpoint.repository.records)[:10]:
        del endpoint.repository.records[identifier]
    report = harvest(config, catalogue, full=True)
    assert report.status == "failed"
    assert report.reason == "a full harvest would delete 10 of 30 published records (33%, above the 20% guard)"
    assert published(catalogue) == before


def test_a_record_that_fails_to_map_is_kept_raw_and_reported_while_the_rest_is_published(tmp_path, endpoint,
                                                                                          catalogue):
    # no identifier at all: an empty lidoRecID alone gives way to the inventory number (issue 13)
    broken = lido_record("PBA-P-5", n=5).replace(b"PBA-P-5</lido:lidoRecID>", b"</lido:lidoRecID>").replace(
        b">P 5</lido:workID>", b"></lido:workID>").replace(b">PBA-P-5</lido:recordID>", b"></lido:recordID>")
    endpoint.repository.put(EndpointRecord("oai:pba.lille.fr:PBA-P-5", "2026-01-15", metadata={"lido": broken}))
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert report.status == "succeeded"
    assert (report.counts["new"], report.counts["failed"]) == (29, 1)
    [(identifier, reason)] = report.errors
    assert identifier == "oai:pba.lille.fr:PBA-P-5" and reason
    row = catalogue.ledger.conn.execute("SELECT raw FROM record_errors WHERE identifier = ?", (identifier,)).fetchone()
    assert row["raw"].startswith(b"<lido:lido ") and b'lido00100"/>' in row["raw"]


def test_characters_illegal_in_xml_are_replaced_and_counted(tmp_path, endpoint, catalogue):
    endpoint.faults.add(Fault("illegal_chars", page=1))
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert report.status == "succeeded" and report.counts["new"] == 30
    # two characters in each of the four lido:appellationValue of each record of page 1
    assert report.counts["sanitised"] == 2 * 4 * 10
    assert "\ufffd\ufffd" in catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-20").raw.decode()  # on page 1 (identifier order)


# -- misbehaving endpoints: the run fails with its reason and the published catalogue is untouched ---------

# Each fault strikes page 2 or 3 (0-based 1 or 2), after page 1, which holds a changed record, was staged: a
# run that published what it staged before failing would show.
FAULTS = [
    (Fault("truncate"), "the response is not well-formed XML"),
    (Fault("html"), "the endpoint answered an HTML page (a maintenance or error page?) instead of OAI-PMH"),
    (Fault("repeat_token"), "a second time: the list would loop forever"),
    (Fault("drop_token"), "records announced by completeListSize"),
    (Fault("status", status=503), "the endpoint answered HTTP 503; gave up after 3 attempts"),
    (Fault("status", status=401), "the endpoint refused access (HTTP 401)"),
    (Fault("status", status=403), "the endpoint refused access (HTTP 403)"),
    (Fault("status", status=404), "the endpoint answered HTTP 404"),
    (Fault("oversize", size=300_000), "the response is larger than max_response_bytes 200000"),
    (Fault("slow", delay=3.5), "within the 2 s timeout; gave up after 2 attempts"),
    (Fault("redirect", location="http://collections.elsewhere.example/oai"),
     "the endpoint redirects to another host (http://collections.elsewhere.example/oai)"),
    (Fault("expire_token"), "the list was restarted 3 times"),
    (Fault("doctype"), "the response declares a DTD, which an OAI-PMH response never does"),
    (Fault("status", status=503, retry_after="7200"), "asks to retry in 7200 s, more than the 60 s"),
]
# (the last page has no token to drop: its empty one already ends the list)
FAILURES = [(dataclasses.replace(fault, page=page), reason) for page in (1, 2) for fault, reason in FAULTS
            if not (page == 2 and fault.kind == "drop_token")]


@pytest.mark.parametrize("fault,reason", FAILURES,
                         ids=[f"{f.kind}-{f.status}-page{f.page + 1}" for f, _ in FAILURES])
def test_a_misbehaving_endpoint_fails_the_run_with_its_reason_and_publishes_nothing(tmp_path, endpoint, catalogue,
                                                                                   fault, reason):
    config = make_config(tmp_path, endpoint, max_response_bytes=200_000, max_wait_seconds=60)
    harvest(config, catalogue)
    before = published(catalogue)
    seq = catalogue.ledger.last_change_seq()
    # PBA-P-1 is the first record of the first page (identifier order)
    endpoint.repository.put(EndpointRecord("oai:pba.lille.fr:PBA-P-1", "2099-01-01",
                                           metadata={"lido": lido_record("PBA-P-1", "Nouveau titre", n=1)}))
    endpoint.faults.add(fault)
    staged_pages = []
    report = harvest(config, catalogue, full=True, progress=lambda code, done, size: staged_pages.append(done))
    assert report.status == "failed"
    assert reason in report.reason
    assert staged_pages[:fault.page] == [10, 20][:fault.page]  # the changed record was staged before the fault
    assert published(catalogue) == before and catalogue.ledger.last_change_seq() == seq
    assert "Nouveau titre" not in catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-1").graph
    run = catalogue.ledger.run(report.run_id)
    assert (run.status, run.reason) == ("failed", report.reason)
    assert catalogue.ledger.staged_count(report.run_id) == 0


def test_401_stops_at_once_without_retrying(tmp_path, endpoint, catalogue):
    endpoint.faults.add(Fault("status", status=401))
    report = harvest(make_config(tmp_path, endpoint, max_retries=5), catalogue)
    assert report.status == "failed"
    assert [r.get("verb") for r in endpoint.requests] == ["ListRecords"]


@pytest.mark.parametrize("retry_after", ["1", "date"])
def test_503_with_retry_after_in_seconds_or_as_http_date_is_waited_out(tmp_path, endpoint, catalogue, retry_after):
    value = http_date(datetime.now(timezone.utc) + timedelta(seconds=1)) if retry_after == "date" else retry_after
    endpoint.faults.add(Fault("status", page=2, status=503, retry_after=value, times=1))
    endpoint.faults.add(Fault("status", page=1, status=429, times=1))
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert (report.status, report.counts["new"]) == ("succeeded", 30)
    assert len([r for r in endpoint.requests if r.get("verb") == "ListRecords"]) == 5


def test_a_page_truncated_once_is_fetched_again(tmp_path, endpoint, catalogue):
    endpoint.faults.add(Fault("truncate", page=2, times=1))
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert (report.status, report.counts["new"]) == ("succeeded", 30)


def test_an_expired_resumption_token_restarts_the_list_with_the_same_arguments(tmp_path, endpoint, catalogue):
    endpoint.faults.add(Fault("expire_token", page=2, times=1))
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert (report.status, report.counts["new"]) == ("succeeded", 30)
    first_pages = [r for r in endpoint.requests if r.get("verb") == "ListRecords" and "resumptionToken" not in r]
    assert first_pages == [{"verb": "ListRecords", "metadataPrefix": "lido"}] * 2


def test_a_redirect_to_an_allowed_host_is_followed(tmp_path, endpoint, catalogue):
    endpoint.faults.add(Fault("redirect", page=0, times=1, location=endpoint.oai_url.replace("127.0.0.1", "localhost")
                              + "?verb=ListRecords&metadataPrefix=lido"))
    report = harvest(make_config(tmp_path, endpoint, allow_redirect_hosts=["localhost"]), catalogue)
    assert (report.status, report.counts["new"]) == ("succeeded", 30)


def test_credentials_come_from_the_environment_variable_named_in_config(tmp_path, endpoint, catalogue, monkeypatch):
    endpoint.require_authorization("Bearer s3cret-t0ken")
    config = make_config(tmp_path, endpoint, auth_env="MUSENOR_TEST_M0629_TOKEN", auth_scheme="bearer")
    monkeypatch.delenv("MUSENOR_TEST_M0629_TOKEN", raising=False)
    missing = harvest(config, catalogue)
    assert missing.reason == "the environment variable MUSENOR_TEST_M0629_TOKEN (auth_env) is not set"
    monkeypatch.setenv("MUSENOR_TEST_M0629_TOKEN", "s3cret-t0ken")
    report = harvest(config, catalogue)
    assert (report.status, report.counts["new"]) == ("succeeded", 30)


def test_no_records_match_is_an_empty_successful_incremental_harvest(tmp_path, catalogue):
    repo = repository(3)
    with serve_repository(repo) as endpoint:
        config = make_config(tmp_path, endpoint, overlap_seconds=0)
        harvest(config, catalogue)
        report = harvest(config, catalogue)  # every datestamp is in the past: noRecordsMatch
    assert report.status == "succeeded"
    assert (report.counts["new"], report.counts["unchanged"], report.counts["deleted"]) == (0, 0, 0)


def test_a_museum_being_harvested_elsewhere_is_skipped(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    held = MuseumLock(config.data_dir, CODE)
    assert held.acquire()
    try:
        report = harvest(config, catalogue)
    finally:
        held.release()
    assert report.status == "skipped" and report.run_id is None
    assert report.reason.startswith("a harvest of M0629 is already running (pid ")
    assert endpoint.requests == []


def test_one_museums_failure_does_not_stop_the_others(tmp_path, endpoint, catalogue):
    config = hub_config(tmp_path, {
        "M0629": {"kind": "oai-pmh", "endpoint": endpoint.oai_url, "backoff_seconds": 0, "max_retries": 0},
        "M0640": {"kind": "oai-pmh", "endpoint": "http://127.0.0.1:9/oai", "backoff_seconds": 0, "max_retries": 0,
                  "timeout": 1}})
    reports = harvest_museums(config, catalogue, ["M0640", "M0629"], jobs=2)
    assert [(r.museum, r.status) for r in reports] == [("M0640", "failed"), ("M0629", "succeeded")]
    assert reports[0].reason.startswith("cannot connect to http://127.0.0.1:9/oai")


def test_a_record_given_twice_in_one_list_keeps_its_first_copy_and_reports_the_second(tmp_path, endpoint, catalogue):
    endpoint.repository.put(EndpointRecord("oai:pba.lille.fr:PBA-P-7-bis", "2026-01-15",
                                           metadata={"lido": lido_record("PBA-P-7", "Copie", n=7)}))
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert (report.status, report.counts["new"], report.counts["failed"]) == ("succeeded", 30, 1)
    [(identifier, reason)] = report.errors
    assert identifier == "oai:musenor.fr:M0629:PBA-P-7"
    assert reason == ("oai:pba.lille.fr:PBA-P-7-bis gives the record PBA-P-7 a second time (first in "
                      "oai:pba.lille.fr:PBA-P-7); the first copy is kept")
    assert "Copie" not in catalogue.ledger.record("oai:musenor.fr:M0629:PBA-P-7").graph


def test_configured_sets_are_harvested_one_list_each(tmp_path, endpoint, catalogue):
    report = harvest(make_config(tmp_path, endpoint, sets=["peinture", "sculpture"]), catalogue)
    assert (report.status, report.counts["new"]) == ("succeeded", 30)
    first_pages = [r for r in endpoint.requests if r.get("verb") == "ListRecords" and "resumptionToken" not in r]
    assert first_pages == [{"verb": "ListRecords", "metadataPrefix": "lido", "set": "peinture"},
                           {"verb": "ListRecords", "metadataPrefix": "lido", "set": "sculpture"}]


def test_a_record_in_two_configured_sets_is_taken_once_and_counted_as_a_duplicate(tmp_path, endpoint, catalogue):
    endpoint.repository.put(EndpointRecord("oai:pba.lille.fr:PBA-P-1", "2026-01-15",
                                           metadata={"lido": lido_record("PBA-P-1", "Deux fois", n=1)},
                                           sets=["peinture", "sculpture"]))
    report = harvest(make_config(tmp_path, endpoint, sets=["peinture", "sculpture"]), catalogue)
    counts = report.counts
    assert (counts["new"], counts["failed"], counts["duplicates"]) == (30, 0, 1)
    seen = 31  # 30 records, one of them in both lists
    assert seen == counts["new"] + counts["changed"] + counts["unchanged"] + counts["failed"] + counts["duplicates"]


def test_credentials_in_a_netrc_file_are_never_sent(tmp_path, endpoint, catalogue, monkeypatch):
    import base64

    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login conservateur password motdepasse\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    endpoint.require_authorization("Basic " + base64.b64encode(b"conservateur:motdepasse").decode())
    report = harvest(make_config(tmp_path, endpoint), catalogue)
    assert report.reason.startswith("the endpoint refused access (HTTP 401)")


def oai_dc_record(local_id: str, title: str, *, object_type: str | None = "peinture") -> bytes:
    kind = f"<dc:type>{object_type}</dc:type>" if object_type else ""
    return (f'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title xml:lang="fr">{title}</dc:title>{kind}'
            f"<dc:identifier>{local_id}</dc:identifier></oai_dc:dc>").encode()


def test_a_full_harvest_keeps_a_published_record_that_now_fails_to_map(tmp_path, catalogue):
    repo = Repository([EndpointRecord(f"oai:arras.fr:MBA-{n}", "2026-01-15",
                                      metadata={"oai_dc": oai_dc_record(f"MBA-{n}", f"Vue d'Arras {n}")})
                       for n in range(1, 11)], repository_identifier="arras.fr", page_size=4)
    with serve_repository(repo) as endpoint:
        config = make_config(tmp_path, endpoint, metadata_prefix="oai_dc")
        assert harvest(config, catalogue).counts["new"] == 10
        before = catalogue.ledger.record("oai:musenor.fr:M0629:MBA-3")
        repo.put(EndpointRecord("oai:arras.fr:MBA-3", "2026-02-01",
                                metadata={"oai_dc": oai_dc_record("MBA-3", "Vue d'Arras 3", object_type=None)}))
        report = harvest(config, catalogue, full=True)
    assert (report.status, report.counts["failed"], report.counts["deleted"]) == ("succeeded", 1, 0)
    assert report.errors == [("oai:musenor.fr:M0629:MBA-3", "no dc:type (every record needs an object type)")]
    after = catalogue.ledger.record("oai:musenor.fr:M0629:MBA-3")
    assert not after.deleted
    assert (after.hub_datestamp, after.graph) == (before.hub_datestamp, before.graph)


def test_an_incremental_harvest_in_which_every_record_arrives_deleted_is_refused(tmp_path, endpoint, catalogue):
    config = make_config(tmp_path, endpoint)
    harvest(config, catalogue)
    before = published(catalogue)
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    for identifier in list(endpoint.repository.records):
        endpoint.repository.delete(identifier, today)
    report = harvest(config, catalogue)
    assert report.status == "failed"
    assert report.reason == "an incremental harvest would delete all 30 published records of the museum"
    assert published(catalogue) == before
