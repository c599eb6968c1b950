"""Re-exposed records say where they were harvested from: ``about/provenance`` (OAI provenance guidelines)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402
from schemas import assert_valid  # noqa: E402

PROVENANCE = "{http://www.openarchives.org/OAI/2.0/provenance}"
SOURCE = "https://collections.pba.lille.fr/oai"
LIDO = (b'<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID lido:type="local">PBA-1'
        b'</lido:lidoRecID></lido:lido>')


def harvested(catalogue, n: int, *, kind: str = "oai-pmh", source_datestamp: str = "2021-08-28") -> str:
    """Publish record n as an OAI harvest of the Lille endpoint would; returns its hub identifier."""
    run = catalogue.ledger.begin_run("M0629", kind, full=False, source_url=SOURCE)
    record = dataclasses.replace(
        oc.staged("M0629", oc.local_id(n), n), raw=LIDO, source_datestamp=source_datestamp,
        source_url=f"{SOURCE}?verb=GetRecord&metadataPrefix=lido&identifier=oai%3Apba.lille.fr%3A{n}")
    catalogue.ledger.stage(run.id, [record], checkpoint=None)
    catalogue.ledger.publish(run.id, complete=True)
    return record.identifier


@pytest.fixture
def hub(tmp_path):
    config, catalogue = oc.build(tmp_path, count=3)
    yield config, catalogue
    catalogue.close()


def get_record(config, catalogue, identifier: str, prefix: str = "oai_dc") -> etree._Element:
    app = oc.make_app(config, catalogue)
    body = app.test_client().get("/oai", query_string={"verb": "GetRecord", "metadataPrefix": prefix,
                                                      "identifier": identifier}).data
    return oc.parse(body)


def test_a_record_harvested_over_oai_names_its_origin(hub):
    config, catalogue = hub
    identifier = harvested(catalogue, 900)
    root = get_record(config, catalogue, identifier)
    [description] = root.iter(f"{PROVENANCE}originDescription")
    run = catalogue.ledger.run(catalogue.ledger.record(identifier).run_id)
    assert dict(description.attrib) == {"harvestDate": run.started, "altered": "true"}
    assert [(etree.QName(e).localname, e.text) for e in description] == [
        ("baseURL", SOURCE), ("identifier", "oai:pba.lille.fr:900"), ("datestamp", "2021-08-28"),
        ("metadataNamespace", "http://www.lido-schema.org")]


@pytest.mark.parametrize("prefix", ["oai_dc", "lido", "edm"])
def test_a_record_with_its_origin_is_valid_in_every_format(hub, prefix):
    config, catalogue = hub
    identifier = harvested(catalogue, 901)
    assert_valid("oai-pmh", get_record(config, catalogue, identifier, prefix))


def test_a_record_from_a_file_export_has_no_about(hub):
    config, catalogue = hub
    root = get_record(config, catalogue, oc.URIS.oai_identifier("M0629", oc.local_id(0)))
    assert root.find(f".//{{{oc.OAI}}}about") is None


def test_an_origin_datestamp_that_is_no_utc_date_leaves_the_about_out(hub):
    config, catalogue = hub
    identifier = harvested(catalogue, 902, source_datestamp="28/08/2021")
    assert get_record(config, catalogue, identifier).find(f".//{{{oc.OAI}}}about") is None


def test_a_list_reads_the_raw_bytes_of_one_record_a_run_for_every_origin(hub, monkeypatch):
    config, catalogue = hub
    run = catalogue.ledger.begin_run("M0629", "oai-pmh", full=False, source_url=SOURCE)
    records = [dataclasses.replace(
        oc.staged("M0629", oc.local_id(n), n), raw=LIDO, source_datestamp="2021-08-28",
        source_url=f"{SOURCE}?verb=GetRecord&metadataPrefix=lido&identifier=oai%3Apba.lille.fr%3A{n}")
        for n in range(910, 915)]
    catalogue.ledger.stage(run.id, records, checkpoint=None)
    catalogue.ledger.publish(run.id, complete=True)
    oc.settle(catalogue)
    from musenor.oai_server.oai import provenance

    parsed = []
    monkeypatch.setattr(provenance, "_root_namespace", lambda raw: parsed.append(raw) or "http://www.lido-schema.org")
    app = oc.make_app(config, catalogue)
    root = oc.parse(app.test_client().get("/oai", query_string={"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                                                "set": "museum:M0629"}).data)
    namespaces = [e.text for e in root.iter(f"{PROVENANCE}metadataNamespace")]
    assert namespaces == ["http://www.lido-schema.org"] * 5
    assert parsed == [LIDO]
