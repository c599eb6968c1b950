"""OAI metadata rendered once at publish and served as stored bytes, exactly as a live rendering would be."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402

from musenor.catalogue import StagedRecord  # noqa: E402
from musenor.harvester.rendering import render_stale  # noqa: E402

BROKEN = oc.URIS.oai_identifier("M0629", "BROKEN")
PREFIXES = ("oai_dc", "lido", "edm")


@pytest.fixture
def hub(tmp_path):
    config, catalogue = oc.build(tmp_path, count=7, page_size=50)
    record_uri = str(oc.URIS.record("M0629", "BROKEN"))
    # A record whose graph has no aggregated object: no renderer can make a record of it.
    oc.publish(catalogue, "M0629", [StagedRecord(
        identifier=BROKEN, museum="M0629", local_id="BROKEN", record_uri=record_uri, sets=["museum:M0629"],
        graph=f'<{record_uri}> <http://purl.org/dc/elements/1.1/title> "Sans objet"@fr .\n')])
    oc.settle(catalogue)
    yield config, catalogue
    catalogue.close()


def list_records(config, catalogue, prefix: str) -> bytes:
    client = oc.make_app(config, catalogue).test_client()
    body = client.get("/oai", query_string={"verb": "ListRecords", "metadataPrefix": prefix}).data
    return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", body)


def refuse_live_rendering(monkeypatch) -> None:
    def no_rdflib(ntriples: str):
        raise AssertionError("a record was rendered on the request path")

    monkeypatch.setattr("musenor.oai_server.oai.dissemination.record_triples", no_rdflib)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_stored_renderings_are_served_byte_for_byte_as_live_ones(hub, monkeypatch, prefix):
    config, catalogue = hub
    live = list_records(config, catalogue, prefix)
    assert render_stale(config, catalogue) == 8
    refuse_live_rendering(monkeypatch)
    assert list_records(config, catalogue, prefix) == live


def test_get_record_reads_the_stored_rendering(hub, monkeypatch):
    config, catalogue = hub
    render_stale(config, catalogue)
    refuse_live_rendering(monkeypatch)
    client = oc.make_app(config, catalogue).test_client()
    identifier = oc.URIS.oai_identifier("M0634", oc.local_id(1))
    root = oc.parse(client.get("/oai", query_string={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                                     "identifier": identifier}).data)
    assert root.findtext(".//dc:identifier", namespaces=oc.NS) is not None
    assert oc.error_code(root) is None


@pytest.mark.parametrize("prefix", PREFIXES)
def test_get_record_serves_the_stored_rendering_byte_for_byte_as_a_live_one(hub, monkeypatch, prefix):
    config, catalogue = hub
    query = {"verb": "GetRecord", "metadataPrefix": prefix, "identifier": oc.URIS.oai_identifier("M0634", oc.local_id(1))}

    def get() -> bytes:
        body = oc.make_app(config, catalogue).test_client().get("/oai", query_string=query).data
        return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", body)

    live = get()
    assert b"<metadata>" in live
    render_stale(config, catalogue)
    refuse_live_rendering(monkeypatch)
    assert get() == live


def test_a_record_no_format_can_render_is_stored_as_such_and_still_refused(hub, monkeypatch):
    config, catalogue = hub
    render_stale(config, catalogue)
    stored = catalogue.ledger.renderings([BROKEN], "oai_dc", _version(config, catalogue))
    assert stored[BROKEN][1] is None
    refuse_live_rendering(monkeypatch)
    client = oc.make_app(config, catalogue).test_client()
    root = oc.parse(client.get("/oai", query_string={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                                     "identifier": BROKEN}).data)
    assert oc.error_code(root) == "cannotDisseminateFormat"


def _version(config, catalogue) -> str:
    from musenor.oai_server.oai.repository import Repository

    return Repository.build(config, catalogue).disseminator.renderer_version


def test_only_records_changed_since_are_rendered_again(hub):
    config, catalogue = hub
    assert render_stale(config, catalogue) == 8
    assert render_stale(config, catalogue) == 0
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(0), 0, title="La Fileuse")])
    assert render_stale(config, catalogue) == 1


def test_a_record_changed_after_its_rendering_is_served_as_it_is_now(hub):
    config, catalogue = hub
    render_stale(config, catalogue)
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(0), 0, title="La Fileuse")])
    client = oc.make_app(config, catalogue).test_client()
    root = oc.parse(client.get("/oai", query_string={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                                     "identifier": oc.URIS.oai_identifier("M0629", oc.local_id(0))}).data)
    assert root.findtext(".//dc:title", namespaces=oc.NS) == "La Fileuse"


def test_a_setting_renderings_read_makes_every_rendering_stale(hub):
    config, catalogue = hub
    render_stale(config, catalogue)
    renamed = dataclasses.replace(config, museums={**config.museums, "M0629": dataclasses.replace(
        config.museums["M0629"], name="Palais des Beaux-Arts")})
    assert render_stale(renamed, catalogue) == 8


def test_a_list_page_of_current_renderings_makes_no_whole_record(hub, monkeypatch):
    config, catalogue = hub
    render_stale(config, catalogue)
    refuse_live_rendering(monkeypatch)

    def no_whole_record(*args, **kwargs):
        raise AssertionError("a whole record was read on the request path")

    monkeypatch.setattr("musenor.catalogue.ledger.Ledger.record", no_whole_record)
    monkeypatch.setattr("musenor.catalogue.ledger.PublishedRecord.from_row", no_whole_record)
    client = oc.make_app(config, catalogue).test_client()
    root = oc.parse(client.get("/oai", query_string={"verb": "ListRecords", "metadataPrefix": "lido"}).data)
    assert oc.error_code(root) is None
    # Seven records; the one no format can render is left out.
    assert len(root.findall(".//oai:record", namespaces=oc.NS)) == 7


def test_listed_records_carry_their_rendering_only_while_it_is_of_their_change(hub):
    config, catalogue = hub
    render_stale(config, catalogue)
    version = _version(config, catalogue)
    changed, kept = oc.URIS.oai_identifier("M0629", oc.local_id(0)), oc.URIS.oai_identifier("M0634", oc.local_id(1))
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(0), 0, title="La Fileuse")])
    from musenor.catalogue.listing import Listing

    listed = Listing(catalogue.ledger).listed([changed, kept, BROKEN], "oai_dc", version)
    assert (listed[changed].current, listed[kept].current, listed[BROKEN].current) == (False, True, True)
    assert listed[kept].metadata.startswith(b"<oai_dc:dc ")
    assert listed[BROKEN].metadata is None
    assert not any(r.current for r in Listing(catalogue.ledger).listed([kept], "oai_dc", "older").values())


def test_a_page_reads_its_records_from_the_listing_index_not_their_rows(hub):
    config, catalogue = hub  # an embedded ledger: PostgreSQL keeps big values out of the row (TOAST) itself
    from musenor.catalogue.listing import Listing

    statements = []
    conn = catalogue.ledger.conn
    conn.set_trace_callback(statements.append)
    try:
        Listing(catalogue.ledger).listed([BROKEN, oc.URIS.oai_identifier("M0634", oc.local_id(1))], "oai_dc", "v")
    finally:
        conn.set_trace_callback(None)
    [statement] = [s for s in statements if s.lstrip().startswith("SELECT")]
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement))
    assert "USING COVERING INDEX records_listing" in plan
