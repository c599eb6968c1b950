"""Records a format cannot render, and the paged set list."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402
from schemas import XSD, assert_valid  # noqa: E402

from musenor.catalogue import StagedRecord  # noqa: E402

NS = oc.NS
BROKEN = oc.URIS.oai_identifier("M0629", "BROKEN")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("oai-records")
    config, catalogue = oc.build(data_dir, count=7, page_size=3)
    record_uri = str(oc.URIS.record("M0629", "BROKEN"))
    # A record whose graph has no aggregated object: no renderer can make a record of it.
    oc.publish(catalogue, "M0629", [StagedRecord(
        identifier=BROKEN, museum="M0629", local_id="BROKEN", record_uri=record_uri, sets=["museum:M0629"],
        graph=f'<{record_uri}> <http://purl.org/dc/elements/1.1/title> "Sans objet"@fr .\n')])
    oc.settle(catalogue)
    yield oc.make_app(config, catalogue).test_client()
    catalogue.close()


def ask(client, **params):
    body = client.get("/oai", query_string=params).data
    if (XSD / "oai" / "OAI-PMH.xsd").exists():
        assert_valid("oai-pmh", body)
    return oc.parse(body)


def test_list_records_leaves_out_a_record_the_format_cannot_render(client):
    pages = oc.follow(client, "ListRecords", metadataPrefix="oai_dc")
    got = [h.text for page in pages for h in page.iterfind(".//oai:record/oai:header/oai:identifier", NS)]
    assert BROKEN not in got and len(got) == 7
    for page in pages:
        if (XSD / "oai" / "OAI-PMH.xsd").exists():
            assert_valid("oai-pmh", oc.etree_bytes(page))


def test_list_identifiers_still_lists_it(client):
    pages = oc.follow(client, "ListIdentifiers", metadataPrefix="oai_dc")
    got = [h.text for page in pages for h in page.iterfind(".//oai:identifier", NS)]
    assert BROKEN in got and len(got) == 8


def test_get_record_answers_cannot_disseminate_format(client):
    root = ask(client, verb="GetRecord", identifier=BROKEN, metadataPrefix="oai_dc")
    assert oc.error_code(root) == "cannotDisseminateFormat"


def test_list_metadata_formats_of_it_answers_no_metadata_formats(client):
    assert oc.error_code(ask(client, verb="ListMetadataFormats", identifier=BROKEN)) == "noMetadataFormats"


def test_list_sets_pages_with_tokens_to_the_end(client):
    pages = oc.follow(client, "ListSets")
    specs = [s.text for page in pages for s in page.iterfind(".//oai:set/oai:setSpec", NS)]
    assert specs == ["museum", "museum:M0619", "museum:M0629", "museum:M0634", "type", "type:dessin",
                     "type:peinture", "type:sculpture"]
    tokens = [page.find(".//oai:resumptionToken", NS) for page in pages]
    assert [(t.get("cursor"), t.get("completeListSize"), bool(t.text)) for t in tokens] == [
        ("0", "8", True), ("3", "8", True), ("6", "8", False)]


def test_a_list_sets_token_is_refused_by_list_records(client):
    token = oc.token_of(ask(client, verb="ListSets"))
    assert oc.error_code(ask(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
