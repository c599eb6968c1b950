"""EDM output: RDF/XML at Europeana's minimum, valid against our EDM schema (musenor/mappings/formats/schemas/edm.xsd)."""

import copy
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, Literal, URIRef

from musenor.mappings import HubURIs, RenderContext, get_format
from musenor.mappings.formats.edm import europeana_rights, render_edm
from musenor.mappings.namespaces import DC, DCTERMS, EDM, ORE, RDF
from schemas import EDM_XSD, assert_valid

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
RECORDS = ["painting", "sculpture", "print", "und", "costume"]
CONTEXT = RenderContext(HubURIs("https://musenor.fr"))
NS = {"rdf": str(RDF), "edm": str(EDM), "ore": str(ORE), "dc": str(DC), "dcterms": str(DCTERMS),
      "skos": "http://www.w3.org/2004/02/skos/core#"}
XSD = etree.XMLSchema(etree.parse(str(EDM_XSD)))


def load(name: str) -> tuple[Graph, URIRef]:
    graph = Graph().parse(FIXTURES / f"{name}.ttl")
    return graph, next(graph.subjects(RDF.type, ORE.Aggregation))


def xpath(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=NS)


def errors(root: etree._Element) -> list[str]:
    XSD.validate(root)
    return [e.message for e in XSD.error_log]


def reparsed(root: etree._Element) -> Graph:
    return Graph().parse(data=etree.tostring(root), format="xml")


@pytest.mark.parametrize("name", RECORDS)
def test_output_is_exactly_the_expected_document(name):
    graph, record = load(name)
    rendered = etree.tostring(render_edm(graph, record, CONTEXT), pretty_print=True, encoding="UTF-8")
    assert rendered.decode() == (FIXTURES / "expected" / f"{name}.edm.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", RECORDS)
def test_output_is_valid_against_our_edm_schema(name):
    graph, record = load(name)
    assert errors(render_edm(graph, record, CONTEXT)) == []


@pytest.mark.parametrize("name", RECORDS)
def test_output_is_valid_inside_the_oai_schema_set(name):
    """The OAI server's responses are validated with every payload schema in one set (tests/schemas.py)."""
    graph, record = load(name)
    envelope = etree.fromstring(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-03-02T09:15:00Z</responseDate>'
        b'<request verb="GetRecord" identifier="oai:musenor.fr:M0629:X" metadataPrefix="edm">'
        b'https://musenor.fr/oai</request><GetRecord><record><header><identifier>oai:musenor.fr:M0629:X'
        b'</identifier><datestamp>2026-03-02T09:15:00Z</datestamp></header><metadata/></record></GetRecord>'
        b'</OAI-PMH>')
    envelope.find(".//{http://www.openarchives.org/OAI/2.0/}metadata").append(render_edm(graph, record, CONTEXT))
    assert_valid("oai-pmh", envelope)


def test_registered_format_is_this_renderer():
    assert get_format("edm").load() is render_edm


def test_rdf_xml_parses_to_the_europeana_minimum_triples():
    graph, record = load("painting")
    out = reparsed(render_edm(graph, record, CONTEXT))
    cho = URIRef("https://musenor.fr/id/object/M0629/PBA-P-52")
    assert (cho, RDF.type, EDM.ProvidedCHO) in out
    assert (cho, EDM.type, Literal("IMAGE")) in out
    assert (cho, DC.title, Literal("Les Vieilles", lang="fr")) in out
    assert (cho, DC.creator, URIRef("https://musenor.fr/id/agent/goya-y-lucientes-francisco-de-1746")) in out
    assert (record, EDM.aggregatedCHO, cho) in out
    assert (record, EDM.dataProvider, Literal("Palais des Beaux-Arts de Lille")) in out
    assert (record, EDM.provider, Literal("Musenor")) in out
    assert (record, EDM.isShownBy, URIRef("https://pba.lille.fr/images/p-52.jpg")) in out
    assert (record, EDM.object, URIRef("https://musenor.fr/images/M0629/thumbs/p-52.jpg")) in out
    assert (record, EDM.rights, URIRef("http://creativecommons.org/publicdomain/mark/1.0/")) in out


def test_contextual_entities_are_included_once_each():
    graph, record = load("painting")
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "edm:Agent/@rdf:about") == ["https://musenor.fr/id/agent/goya-y-lucientes-francisco-de-1746"]
    assert xpath(root, "edm:Place/@rdf:about") == ["https://musenor.fr/id/place/madrid"]
    assert xpath(root, "edm:TimeSpan/@rdf:about") == ["https://musenor.fr/id/timespan/1808_1812"]
    assert xpath(root, "skos:Concept/@rdf:about") == [
        "http://iconclass.org/31D15", "http://vocab.getty.edu/aat/300033618"]


def test_https_rights_are_written_over_http():
    graph, record = load("print")
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "ore:Aggregation/edm:rights/@rdf:resource") == ["http://creativecommons.org/licenses/by-sa/4.0/"]


@pytest.mark.parametrize("given, expected", [
    ("https://rightsstatements.org/vocab/InC/1.0/", "http://rightsstatements.org/vocab/InC/1.0/"),
    ("http://rightsstatements.org/vocab/NoC-NC/1.0", "http://rightsstatements.org/vocab/NoC-NC/1.0/"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "http://creativecommons.org/publicdomain/zero/1.0/"),
    ("https://creativecommons.org/licenses/by-nc-nd/3.0/", "http://creativecommons.org/licenses/by-nc-nd/3.0/"),
    ("https://www.etalab.gouv.fr/licence-ouverte-open-licence", None),
    ("http://creativecommons.org/licenses/by/4.0/deed.fr", "http://creativecommons.org/licenses/by/4.0/"),
    ("https://creativecommons.org/licenses/by-sa/4.0", "http://creativecommons.org/licenses/by-sa/4.0/"),
    ("http://rightsstatements.org/vocab/Foo/1.0/", None),
    # retired Europeana rights URIs, as Europeana migrated them
    ("http://www.europeana.eu/rights/rr-f/", "http://rightsstatements.org/vocab/InC/1.0/"),
    ("http://www.europeana.eu/rights/rr-p/", "http://rightsstatements.org/vocab/InC/1.0/"),
    ("http://www.europeana.eu/rights/rr-r/", "http://rightsstatements.org/vocab/InC/1.0/"),
    ("http://www.europeana.eu/rights/unknown/", "http://rightsstatements.org/vocab/CNE/1.0/"),
    # the Deutsche Digitale Bibliothek's licence URIs, both paths
    ("http://www.deutsche-digitale-bibliothek.de/lizenzen/rv-fz/", "http://rightsstatements.org/vocab/InC/1.0/"),
    ("https://www.deutsche-digitale-bibliothek.de/content/lizenzen/rv-fz/",
     "http://rightsstatements.org/vocab/InC/1.0/"),
    # on rightsstatements.org, not on Europeana's list
    ("http://rightsstatements.org/vocab/UND/1.0/", None),
    ("http://rightsstatements.org/vocab/NKC/1.0/", None),
    ("http://rightsstatements.org/vocab/InC-NC/1.0/", None),
    ("http://creativecommons.org/licenses/by/3.0/fr/", "http://creativecommons.org/licenses/by/3.0/"),
])
def test_europeana_rights_list(given, expected):
    assert europeana_rights(URIRef(given)) == expected


def test_a_statement_outside_europeanas_list_becomes_cne_and_is_kept_as_text():
    graph, record = load("und")
    graph.set((record, EDM.rights, URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")))
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "ore:Aggregation/edm:rights/@rdf:resource") == ["http://rightsstatements.org/vocab/CNE/1.0/"]
    assert xpath(root, "ore:Aggregation/dc:rights/text()") == ["https://www.etalab.gouv.fr/licence-ouverte-open-licence"]
    assert errors(root) == []


def test_no_rights_stated_gives_copyright_not_evaluated():
    graph, record = load("und")
    graph.remove((record, EDM.rights, None))
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "ore:Aggregation/edm:rights/@rdf:resource") == ["http://rightsstatements.org/vocab/CNE/1.0/"]


def test_an_undetermined_status_is_never_written_as_und():
    graph, record = load("und")  # the source said UND, which Europeana's list does not hold
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "ore:Aggregation/edm:rights/@rdf:resource") == ["http://rightsstatements.org/vocab/CNE/1.0/"]
    assert xpath(root, "ore:Aggregation/dc:rights/text()") == ["http://rightsstatements.org/vocab/UND/1.0/"]


def test_a_text_object_gets_its_language():
    graph, record = load("costume")
    cho = graph.value(record, EDM.aggregatedCHO)
    graph.set((cho, EDM.type, Literal("TEXT")))
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "edm:ProvidedCHO/dc:language/text()") == ["fr"]
    assert errors(root) == []


def test_without_landing_page_or_image_the_hub_page_is_shown_at():
    graph, record = load("und")
    graph.remove((record, EDM.isShownAt, None))
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "ore:Aggregation/edm:isShownAt/@rdf:resource") == ["https://musenor.fr/notice/M0619/C%20312"]


def test_production_places_and_time_span_become_spatial_and_temporal():
    graph, record = load("painting")
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "edm:ProvidedCHO/dcterms:spatial/@rdf:resource") == ["https://musenor.fr/id/place/madrid"]
    assert xpath(root, "edm:ProvidedCHO/dcterms:temporal/@rdf:resource") == [
        "https://musenor.fr/id/timespan/1808_1812"]


def _without(root: etree._Element, path: str) -> etree._Element:
    broken = copy.deepcopy(root)
    for element in xpath(broken, path):
        element.getparent().remove(element)
    return broken


@pytest.mark.parametrize("path", [
    "edm:ProvidedCHO/edm:type", "ore:Aggregation", "ore:Aggregation/edm:dataProvider",
    "ore:Aggregation/edm:provider", "ore:Aggregation/edm:rights", "ore:Aggregation/edm:aggregatedCHO",
    "ore:Aggregation/edm:isShownAt | ore:Aggregation/edm:isShownBy", "edm:ProvidedCHO",
])
def test_schema_refuses_a_document_missing_what_europeana_requires(path):
    graph, record = load("painting")
    assert errors(_without(render_edm(graph, record, CONTEXT), path)) != []


def test_schema_refuses_https_rights_and_unknown_edm_types():
    graph, record = load("painting")
    root = render_edm(graph, record, CONTEXT)
    https = copy.deepcopy(root)
    xpath(https, "ore:Aggregation/edm:rights")[0].set(f"{{{RDF}}}resource",
                                                      "https://creativecommons.org/publicdomain/mark/1.0/")
    assert errors(https) != []
    image = copy.deepcopy(root)
    xpath(image, "edm:ProvidedCHO/edm:type")[0].text = "PICTURE"
    assert errors(image) != []


def test_an_untitled_undescribed_object_is_named_by_its_type_and_stays_valid():
    graph, record = load("und")
    cho = graph.value(record, EDM.aggregatedCHO)
    graph.remove((cho, DC.title, None))
    root = render_edm(graph, record, CONTEXT)
    assert xpath(root, "edm:ProvidedCHO/dc:title/text()") == ["vase"]
    assert errors(root) == []
