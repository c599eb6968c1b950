"""Linked Art JSON-LD output: a HumanMadeObject in the CIDOC-CRM profile, parsed as JSON-LD without network."""

import json
from pathlib import Path

import pytest

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

from musenor.mappings import HubURIs, RenderContext, get_format
from musenor.mappings.formats.linked_art import CONTEXT as LINKED_ART_CONTEXT, linked_art, render_linked_art
from musenor.mappings.namespaces import EDM, MUSENOR, ORE, RDF
from schemas import require_shared

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's parser

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
RECORDS = ["painting", "sculpture", "print", "und", "costume"]
CONTEXT = RenderContext(HubURIs("https://musenor.fr"))
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
LA = Namespace("https://linked.art/ns/terms/")
AAT = Namespace("http://vocab.getty.edu/aat/")
DATE_TIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")


def load(name: str) -> tuple[Graph, URIRef]:
    graph = Graph().parse(FIXTURES / f"{name}.ttl")
    return graph, next(graph.subjects(RDF.type, ORE.Aggregation))


def as_rdf(document: bytes) -> Graph:
    """The document parsed as JSON-LD with the Linked Art context read from ../shared instead of the network."""
    context = json.loads(require_shared("data/vocab/cromulent-linkedart/linked-art.json").read_text())
    data = json.loads(document)
    assert data["@context"] == LINKED_ART_CONTEXT
    data["@context"] = context["@context"]
    return Graph().parse(data=json.dumps(data), format="json-ld")


@pytest.mark.parametrize("name", RECORDS)
def test_output_is_exactly_the_expected_document(name):
    graph, record = load(name)
    rendered = render_linked_art(graph, record, CONTEXT) + b"\n"
    assert rendered.decode("utf-8") == (FIXTURES / "expected" / f"{name}.linked-art.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", RECORDS)
def test_output_parses_as_json_ld_into_a_human_made_object(name):
    graph, record = load(name)
    out = as_rdf(render_linked_art(graph, record, CONTEXT))
    cho = graph.value(record, EDM.aggregatedCHO)
    assert (cho, RDF.type, CRM["E22_Human-Made_Object"]) in out


def test_registered_format_is_this_renderer():
    assert get_format("linked-art").load() is render_linked_art


def test_names_identifiers_and_classification_are_aat_typed():
    graph, record = load("painting")
    out = as_rdf(render_linked_art(graph, record, CONTEXT))
    cho = URIRef("https://musenor.fr/id/object/M0629/PBA-P-52")
    names = {(str(out.value(n, CRM.P190_has_symbolic_content)), out.value(n, CRM.P2_has_type))
             for n in out.objects(cho, CRM.P1_is_identified_by)}
    assert names == {("Les Vieilles", AAT["300404670"]), ("The Old Women", AAT["300404670"]),
                     ("Le Temps", AAT["300264273"]), ("P 52", AAT["300312355"])}
    assert (cho, CRM.P2_has_type, AAT["300033618"]) in out
    assert (AAT["300033618"], CRM.P2_has_type, AAT["300435443"]) in out


def test_production_has_agent_timespan_place():
    graph, record = load("painting")
    out = as_rdf(render_linked_art(graph, record, CONTEXT))
    production = URIRef("https://musenor.fr/id/object/M0629/PBA-P-52#event-1")
    assert (URIRef("https://musenor.fr/id/object/M0629/PBA-P-52"), CRM.P108i_was_produced_by, production) in out
    part = out.value(production, CRM.P9_consists_of)
    assert (part, CRM.P14_carried_out_by, URIRef("https://musenor.fr/id/agent/goya-y-lucientes-francisco-de-1746")) \
        in out
    assert (part, CRM.P2_has_type, AAT["300025136"]) in out
    span = URIRef("https://musenor.fr/id/timespan/1808_1812")
    assert (production, CRM["P4_has_time-span"], span) in out
    assert out.value(span, CRM.P82a_begin_of_the_begin) == Literal("1808-01-01T00:00:00Z", datatype=DATE_TIME)
    assert out.value(span, CRM.P82b_end_of_the_end) == Literal("1812-12-31T23:59:59Z", datatype=DATE_TIME)
    assert (production, CRM.P7_took_place_at, URIRef("https://musenor.fr/id/place/madrid")) in out


def test_a_print_after_another_artist_was_influenced_by_them():
    document = linked_art(*load("print"), CONTEXT)
    production = document["produced_by"]
    assert [a["_label"] for a in production["influenced_by"]] == ["Rubens, Pierre Paul"]
    assert [p["carried_out_by"][0]["_label"] for p in production["part"]] == ["Vorsterman, Lucas"]
    assert [p["classified_as"][0]["_label"] for p in production["part"]] == ["graveur"]


def test_materials_dimensions_and_owner():
    graph, record = load("sculpture")
    document = linked_art(graph, record, CONTEXT)
    assert document["made_of"] == [{"id": "http://vocab.getty.edu/aat/300010957", "type": "Material",
                                    "_label": "bronze"}]
    assert [(d["classified_as"][0]["_label"], d["value"], d["unit"]["_label"]) for d in document["dimension"]] == [
        ("Height", 33.0, "centimeters"), ("Width", 28.0, "centimeters"), ("Depth", 23.0, "centimeters"),
        ("Weight", 6.2, "kilograms")]
    assert document["current_owner"] == [{"id": "https://musenor.fr/id/museum/M0634", "type": "Group",
                                          "_label": "La Piscine, musée d'art et d'industrie André Diligent"}]


def test_images_and_landing_page():
    document = linked_art(*load("painting"), CONTEXT)
    digital = document["representation"][0]["digitally_shown_by"][0]
    assert digital["access_point"] == [{"id": "https://pba.lille.fr/images/p-52.jpg", "type": "DigitalObject"}]
    assert digital["subject_to"][0]["classified_as"] == [{"id": "http://creativecommons.org/publicdomain/mark/1.0/",
                                                          "type": "Type"}]
    page = document["subject_of"][0]["digitally_carried_by"][0]
    assert page["access_point"] == [{"id": "https://pba.lille.fr/collections/PBA-P-52", "type": "DigitalObject"}]


def test_literal_terms_are_kept_as_unidentified_types():
    document = linked_art(*load("costume"), CONTEXT)
    assert [c["_label"] for c in document["classified_as"]] == ["costume de bal", "robe"]
    assert all("id" not in c for c in document["classified_as"])


@pytest.mark.parametrize("begin, end, expected", [
    ("-0300", "-0201", ("-0300-01-01T00:00:00Z", "-0201-12-31T23:59:59Z")),
    ("1864-12-08", "1864-12-08", ("1864-12-08T00:00:00Z", "1864-12-08T23:59:59Z")),
])
def test_time_span_bounds(begin, end, expected):
    graph, record = load("sculpture")
    span = URIRef("https://musenor.fr/id/timespan/1895_1900")
    graph.set((span, EDM.begin, Literal(begin)))
    graph.set((span, EDM.end, Literal(end)))
    timespan = linked_art(graph, record, CONTEXT)["produced_by"]["timespan"]
    assert (timespan["begin_of_the_begin"], timespan["end_of_the_end"]) == expected


def test_hostile_text_gives_valid_utf8_json():
    graph, record = load("costume")
    cho = graph.value(record, EDM.aggregatedCHO)
    graph.set((cho, MUSENOR.classification, Literal("x")))
    graph.add((cho, RDFS.comment, Literal("ignored")))
    graph.set((cho, URIRef("http://purl.org/dc/elements/1.1/title"), Literal("Robe \ud800\x00", lang="fr")))
    document = json.loads(render_linked_art(graph, record, CONTEXT).decode("utf-8"))
    assert document["_label"] == "Robe \ufffd\ufffd"
