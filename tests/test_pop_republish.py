"""POP and Joconde records republish: their graphs render valid oai_dc and LIDO 1.1 and an EDM that meets
Europeana's minimum (the formats are another module's; here, the records they receive from our dialects)."""

import functools
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, URIRef

from musenor.mappings import HubURIs, MappingContext, RenderContext, get_format
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.dialects.pop import map_pop_notice
from musenor.mappings.namespaces import EDM, ORE
from schemas import DATA, EDM_XSD, assert_valid

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
URIS = HubURIs("http://hub.test")
RENDER = RenderContext(URIS, museum_names={"M0629": "Palais des Beaux-Arts de Lille", "M0634": "La Piscine",
                                           "M0017": "Musée Rolin"})


def fixture_records():
    context = MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS)
    text = (FIXTURES / "pba-lille-ajout-pilote.txt").read_text(encoding="utf-8")
    records = [map_pop_notice(block.encode(), context) for block in text.split("//\n") if block.strip()]
    lines = (FIXTURES / "piscine-roubaix-joconde.csv").read_text(encoding="utf-8").splitlines()
    piscine = MappingContext("M0634", "La Piscine", URIS)
    records += [map_joconde_row(f"{lines[0]}\n{line}\n".encode(), piscine) for line in lines[1:]]
    real = DATA / "joconde-fr-pop-schema" / "joconde-valid-UTF-8.txt"
    if real.exists():
        rolin = MappingContext("M0017", "Musée Rolin", URIS)
        records += [map_pop_notice(block.encode(), rolin)
                    for block in real.read_text(encoding="utf-8").split("//\n") if block.strip()]
    return records


RECORDS = fixture_records()


@functools.cache
def edm_xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(EDM_XSD)))


def renderer(name: str):
    return get_format(name).load()  # a format that is not registered or does not import fails the test


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.local_id)
def test_oai_dc_is_valid(record):
    assert_valid("oai_dc", renderer("oai_dc")(record.graph, record.record_uri, RENDER))


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.local_id)
def test_lido_is_valid(record):
    assert_valid("lido-1.1", renderer("lido")(record.graph, record.record_uri, RENDER))


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.local_id)
def test_edm_is_valid_and_parses_back_with_the_aggregation(record):
    document = renderer("edm")(record.graph, record.record_uri, RENDER)
    data = document if isinstance(document, bytes) else etree.tostring(document)
    edm_schema = edm_xsd()
    assert edm_schema.validate(etree.fromstring(data)), edm_schema.error_log
    graph = Graph().parse(data=data, format="xml")
    assert (record.record_uri, EDM.aggregatedCHO, record.cho) in graph
    assert graph.value(record.record_uri, EDM.rights) is not None
    assert (graph.value(record.record_uri, EDM.isShownBy) or graph.value(record.record_uri, EDM.isShownAt))


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.local_id)
def test_every_record_meets_the_profile_minimum(record):
    """Title or description, a type, a data provider and a rights statement (issue 4)."""
    graph, cho, aggregation = record.graph, record.cho, record.record_uri
    assert (aggregation, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ORE.Aggregation) in graph
    assert graph.value(aggregation, EDM.dataProvider) == URIS.museum(aggregation.split("/")[-2])
    assert str(graph.value(aggregation, EDM.rights)).startswith("http://rightsstatements.org/vocab/")
    assert graph.value(cho, EDM.type) is not None
