"""The triples a campaign image gives its record: exact, compared as graphs."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from musenor.mappings.enrichment import campaign_image_graph

EXPECTED = """
@prefix edm: <http://www.europeana.eu/schemas/edm/> .
@prefix dc: <http://purl.org/dc/elements/1.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix musenor: <https://w3id.org/musenor/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<http://hub.test/id/record/M0619/A2184> edm:hasView <http://hub.test/images/M0619/a2184-0-0123456789abcdef.jpg> .
<http://hub.test/images/M0619/a2184-0-0123456789abcdef.jpg> a edm:WebResource ;
    dc:format "image/jpeg" ;
    edm:rights <http://creativecommons.org/licenses/by/4.0/> ;
    dc:rights "Association des conservateurs" ;
    dcterms:creator "Studio Delattre" ;
    dcterms:created "2026-03-14"^^xsd:date ;
    musenor:campaign "photo-2026" ;
    musenor:thumbnail <http://hub.test/images/M0619/thumbs/a2184-0-0123456789abcdef.jpg> ;
    musenor:displayImage <http://hub.test/images/M0619/display/a2184-0-0123456789abcdef.jpg> .
"""


@dataclass
class Image:
    file: str
    media_type: str = "image/jpeg"
    photographer: str | None = "Studio Delattre"
    taken: str | None = "2026-03-14"
    credit: str | None = "Association des conservateurs"
    rights: str = "http://creativecommons.org/licenses/by/4.0/"
    campaign: str = "photo-2026"


def test_a_campaign_image_is_a_described_has_view():
    found = campaign_image_graph(URIRef("http://hub.test/id/record/M0619/A2184"), "http://hub.test", "M0619",
                                 [Image("a2184-0-0123456789abcdef.jpg")])
    expected = Graph().parse(data=EXPECTED, format="turtle")
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(found))
    assert isomorphic(found, expected), (sorted(missing), sorted(extra))


def test_what_is_unknown_is_left_out_never_invented():
    found = campaign_image_graph(URIRef("http://hub.test/id/record/M0619/A2184"), "http://hub.test", "M0619",
                                 [Image("x.jpg", photographer=None, taken=None, credit=None)])
    predicates = {str(p).rsplit("/", 1)[-1] for _, p, _ in found}
    assert predicates == {"hasView", "22-rdf-syntax-ns#type", "format", "rights", "ns#campaign", "ns#thumbnail",
                          "ns#displayImage"}
