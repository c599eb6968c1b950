"""Hostile OAI-PMH sources at the byte level (issue 11, items 4 to 7 and 10): a drip, a list that never
advances, characters no XML parser accepts, records without an identifier, a list that loses its last page."""

from __future__ import annotations

import dataclasses

import pytest

from musenor.catalogue import Catalogue
from fixtures.harvest.hostile import Drip, HostileEndpoint, lido, list_records, record
from fixtures.harvest.museum import hub_config
from musenor.harvester import harvest_museums
from musenor.harvester.oai_client import DEFAULT_TIMEOUT
from musenor.harvester.sources import source_for

CODE = "M0629"


@pytest.fixture
def catalogue(tmp_path):
    opened = Catalogue(tmp_path / "data", open_graph=False)
    yield opened
    opened.close()


def harvest(tmp_path, catalogue, endpoint, *, full=False, **settings):
    source = {"kind": "oai-pmh", "endpoint": endpoint.oai_url, "metadata_prefix": "lido", "timeout": 2,
              "max_retries": 2, "backoff_seconds": 0, "granularity": "YYYY-MM-DD", **settings}
    [report] = harvest_museums(hub_config(tmp_path, {CODE: source}), catalogue, [CODE], jobs=1, full=full)
    return report


def pba(n: int, title: str | None = None) -> bytes:
    return record(f"oai:pba.lille.fr:PBA-P-{n}", lido(f"PBA-P-{n}", n, title))


def paged(records: list[bytes], page_size: int, *, announce: bool = True):
    """An answer serving ``records`` ``page_size`` a page, the token being the next offset."""
    def answer(args: dict[str, str]) -> bytes:
        offset = int(args.get("resumptionToken", 0))
        following = offset + page_size
        token = str(following) if following < len(records) else None
        return list_records(records[offset:following], token,
                            complete_list_size=len(records) if announce else None, cursor=offset)
    return answer


def graph_of(catalogue, local_id):
    return catalogue.ledger.record(f"oai:musenor.fr:{CODE}:{local_id}").graph


# -- item 4: a deadline over the whole response -------------------------------------------------------------

def test_a_response_dripped_a_byte_at_a_time_is_cut_at_the_timeout_and_retried_once(tmp_path, catalogue):
    body = list_records([pba(1)], None, complete_list_size=1)
    # every byte comes well within the timeout, the whole body in about len(body) / 200 seconds (about 19 s)
    with HostileEndpoint(lambda args: Drip(body, pause=0.005)) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint, timeout=1, max_retries=5)
        drips = list(endpoint.drips)
    assert report.status == "failed"
    assert report.reason == (f"no complete answer from {endpoint.oai_url} within the 1 s timeout; gave up after "
                             "2 attempts")
    assert len(drips) == 2 and not any(d["complete"] for d in drips)
    assert all(d["sent"] < len(body) // 2 for d in drips)
    assert catalogue.ledger.museum_counts() == {}


def test_an_endpoint_that_never_answers_costs_two_attempts_not_max_retries(tmp_path, catalogue):
    # blanks for 4 s, a byte every 0.05 s: the headers came, the body never does
    with HostileEndpoint(lambda args: Drip(b" " * 80, pause=0.05)) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint, timeout=0.5, max_retries=8)
    assert report.status == "failed"
    # Counted by the harvester: the endpoint's own count can miss the second attempt on a loaded machine (a
    # connection still in its listen backlog when the test stops it is never handled).
    assert "gave up after 2 attempts" in report.reason
    assert [r["verb"] for r in endpoint.requests] in (["ListRecords"], ["ListRecords", "ListRecords"])


def test_the_default_timeout_bounds_a_hung_request_to_well_under_a_minute(tmp_path):
    config = hub_config(tmp_path, {CODE: {"kind": "oai-pmh", "endpoint": "http://127.0.0.1:9/oai"}})
    client = source_for(config.museums[CODE], config).client
    # two whole-response deadlines (a timed-out request is retried once) and the first backoff (at most 2.5 s)
    assert client.timeout == DEFAULT_TIMEOUT == 20.0
    assert 2 * client.timeout + client.backoff * 1.25 < 45


# -- item 5: a list that never advances ----------------------------------------------------------------------

def test_a_list_whose_tokens_change_while_its_records_repeat_is_stopped(tmp_path, catalogue):
    page = [pba(n) for n in range(1, 11)]

    def answer(args):
        served = int(args.get("resumptionToken", 0)) + 1
        # the same ten records under a fresh token each time (bounded, so that a harvester without the check
        # ends too: at the 200th page the token is dropped)
        return list_records(page, str(served) if served < 200 else None, complete_list_size=30,
                            cursor=10 * served)

    with HostileEndpoint(answer) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint)
    assert report.status == "failed"
    assert report.reason == ("the list brought no record it had not already given in 3 pages in a row (page 4): "
                             "its resumptionTokens change but it does not advance")
    assert len(endpoint.requests) == 4
    assert catalogue.ledger.museum_counts() == {}


def test_a_list_that_goes_on_past_its_announced_size_is_stopped_at_the_page_cap(tmp_path, catalogue):
    def answer(args):
        served = int(args.get("resumptionToken", 0))
        fresh = [pba(1000 * served + n) for n in range(1, 11)]  # new records on every page, for ever
        return list_records(fresh, str(served + 1) if served < 200 else None, complete_list_size=30,
                            cursor=10 * served)

    with HostileEndpoint(answer) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint)
    assert report.status == "failed"
    assert report.reason == ("the list goes on past 6 pages, twice the 3 its completeListSize 30 needs at 10 "
                             "records a page")
    assert len(endpoint.requests) == 6


# -- item 6: characters no parser accepts ------------------------------------------------------------------------

def test_surrogate_references_and_bytes_that_are_not_utf8_are_replaced_and_counted(tmp_path, catalogue):
    records = [pba(1, "Paysage"), pba(2, "Bouquet SURROGATE"), pba(3, "Portrait BYTES"), pba(4, "Marine")]
    records[1] = records[1].replace(b"SURROGATE", b"&#xD83D;&#xDE00; &#55357;")
    records[2] = records[2].replace(b"BYTES", b"\xe9t\xe9")  # Windows-1252 in a UTF-8 document
    with HostileEndpoint(paged(records, 2)) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint)
        asked = len(endpoint.requests)
    assert (report.status, report.counts["new"], report.counts["failed"]) == ("succeeded", 4, 0)
    assert report.counts["sanitised"] == 5
    assert asked == 2  # nothing retried
    assert '"Bouquet \ufffd\ufffd \ufffd"@fr' in graph_of(catalogue, "PBA-P-2")
    assert '"Portrait \ufffdt\ufffd"@fr' in graph_of(catalogue, "PBA-P-3")
    assert '"Marine"@fr' in graph_of(catalogue, "PBA-P-4")


def test_a_document_declared_latin1_keeps_its_accented_bytes(tmp_path, catalogue):
    body = list_records([pba(1, "Portrait BYTES")], None, complete_list_size=1).replace(
        b"BYTES", b"\xe9t\xe9").replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    with HostileEndpoint(lambda args: body) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint)
    assert (report.status, report.counts["sanitised"]) == ("succeeded", 0)
    assert '"Portrait été"@fr' in graph_of(catalogue, "PBA-P-1")


def test_an_undefined_entity_fails_the_run_at_once_without_retrying(tmp_path, catalogue):
    records = [pba(1), pba(2, "Nature ENTITY morte").replace(b"ENTITY", b"&nbsp;"), pba(3)]
    with HostileEndpoint(paged(records, 3)) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint, max_retries=4)
    assert report.status == "failed"
    assert report.reason.startswith("the response is not well-formed XML (Entity 'nbsp' not defined, line 68, "
                                    "column 110) in record oai:pba.lille.fr:PBA-P-2:")
    assert report.reason.endswith("so asking again would bring the same error")
    assert len(endpoint.requests) == 1


def test_a_body_cut_short_is_still_retried(tmp_path, catalogue):
    whole = list_records([pba(1), pba(2)], None, complete_list_size=2)
    answers = iter([whole[:len(whole) // 2], whole])
    with HostileEndpoint(lambda args: next(answers)) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint)
    assert (report.status, report.counts["new"]) == ("succeeded", 2)
    assert len(endpoint.requests) == 2


# -- item 7: records without a header identifier -----------------------------------------------------------------

def test_each_record_without_a_header_identifier_is_its_own_failure_and_the_gate_counts_them(tmp_path, catalogue):
    records = [pba(n) for n in range(1, 11)]
    records[2] = record(None, lido("PBA-P-3", 3))
    records[7] = record(None, lido("PBA-P-8", 8))
    records[8] = record("", lido("PBA-P-9", 9))
    with HostileEndpoint(paged(records, 5)) as endpoint:
        report = harvest(tmp_path, catalogue, endpoint)
    assert (report.status, report.counts["new"], report.counts["failed"]) == ("succeeded", 7, 3)
    assert report.errors == [
        ("(no identifier) page 1 of the list, record 3", "a record without a header identifier"),
        ("(no identifier) page 2 of the list, record 3", "a record without a header identifier"),
        ("(no identifier) page 2 of the list, record 4", "a record without a header identifier")]


# -- item 10: guards ---------------------------------------------------------------------------------------------

def test_a_full_harvest_without_complete_list_size_that_deletes_says_so(tmp_path, catalogue):
    records = [pba(n) for n in range(1, 31)]
    with HostileEndpoint(paged(records, 5, announce=False)) as endpoint:
        first = harvest(tmp_path, catalogue, endpoint)
        assert (first.status, first.reason) == ("succeeded", None)
        endpoint.answer = paged(records[:25], 5, announce=False)  # the last page lost: the list just ends
        report = harvest(tmp_path, catalogue, endpoint, full=True)
    assert (report.status, report.counts["deleted"]) == ("succeeded", 5)
    assert report.reason == ("deleted 5 records the source no longer lists; it announces no completeListSize, so "
                             "a list cut short would look the same")
    assert catalogue.ledger.run(report.run_id).reason == report.reason


def test_the_mass_deletion_guard_of_one_museum_is_its_own(tmp_path, catalogue):
    records = [pba(n) for n in range(1, 31)]
    with HostileEndpoint(paged(records, 5, announce=False)) as endpoint:
        harvest(tmp_path, catalogue, endpoint)
        endpoint.answer = paged(records[:20], 5, announce=False)
        source = {"kind": "oai-pmh", "endpoint": endpoint.oai_url, "metadata_prefix": "lido", "timeout": 2,
                  "backoff_seconds": 0, "granularity": "YYYY-MM-DD"}
        config = hub_config(tmp_path, {CODE: source}, max_shrink=0.5)
        config.museums[CODE] = dataclasses.replace(config.museums[CODE], max_shrink=0.1)
        [report] = harvest_museums(config, catalogue, [CODE], jobs=1, full=True)
    assert report.status == "failed"
    assert report.reason == "a full harvest would delete 10 of 30 published records (33%, above the 10% guard)"
