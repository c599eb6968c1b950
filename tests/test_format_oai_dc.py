"""oai_dc output: the 15 DC elements from the profile graph, valid against the official oai_dc schema."""

from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, Literal, URIRef

from musenor.mappings import HubURIs, RenderContext, get_format
from musenor.mappings.formats.oai_dc import render_oai_dc
from musenor.mappings.namespaces import DC, EDM, ORE, RDF, SKOS
from schemas import assert_valid
from musenor.vocabularies import load_vocabularies

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
RECORDS = ["painting", "sculpture", "print", "und", "costume"]
CONTEXT = RenderContext(HubURIs("https://musenor.fr"))
DC_NS = "{http://purl.org/dc/elements/1.1/}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def load(name: str) -> tuple[Graph, URIRef]:
    graph = Graph().parse(FIXTURES / f"{name}.ttl")
    return graph, next(graph.subjects(RDF.type, ORE.Aggregation))


def elements(root: etree._Element, name: str) -> list[tuple[str, str | None]]:
    return [(e.text, e.get(LANG)) for e in root.iter(DC_NS + name)]


@pytest.mark.parametrize("name", RECORDS)
def test_output_is_exactly_the_expected_document(name):
    graph, record = load(name)
    rendered = etree.tostring(render_oai_dc(graph, record, CONTEXT), pretty_print=True, encoding="UTF-8")
    assert rendered.decode() == (FIXTURES / "expected" / f"{name}.oai_dc.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", RECORDS)
def test_output_is_valid_against_the_official_schema(name):
    graph, record = load(name)
    assert_valid("oai_dc", render_oai_dc(graph, record, CONTEXT))


def test_registered_format_is_this_renderer():
    assert get_format("oai_dc").load() is render_oai_dc


def test_titles_keep_their_language_and_alternatives_follow():
    graph, record = load("painting")
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "title") == [("The Old Women", "en"), ("Les Vieilles", "fr"), ("Le Temps", "fr")]


def test_concepts_are_written_as_their_graph_label_in_every_language():
    graph, record = load("painting")
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "type") == [("paintings (visual works)", "en"), ("peinture", "fr")]
    assert elements(root, "creator") == [("Goya y Lucientes, Francisco de", "fr")]


def test_event_participants_who_are_not_creators_are_contributors():
    graph, record = load("print")
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "creator") == [("Vorsterman, Lucas", "fr")]
    assert elements(root, "contributor") == [("Rubens, Pierre Paul", "fr")]


def test_publisher_is_the_museum_and_rights_the_statement_uri():
    graph, record = load("und")
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "publisher") == [("Musée de la Chartreuse", None)]
    assert elements(root, "rights") == [("http://rightsstatements.org/vocab/UND/1.0/", None)]


def test_museum_name_from_the_context_wins_over_the_graph():
    graph, record = load("und")
    context = RenderContext(HubURIs("https://musenor.fr"), museum_names={"M0619": "Musée de la Chartreuse, Douai"})
    root = render_oai_dc(graph, record, context)
    assert elements(root, "publisher") == [("Musée de la Chartreuse, Douai", None)]


def test_a_concept_without_any_label_is_written_as_its_uri():
    graph, record = load("und")
    cho = graph.value(record, EDM.aggregatedCHO)
    graph.add((cho, DC.subject, URIRef("http://iconclass.org/25F23")))
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "subject") == [("http://iconclass.org/25F23", None)]


def test_characters_illegal_in_xml_are_replaced_not_emitted():
    graph, record = load("und")
    cho = graph.value(record, EDM.aggregatedCHO)
    graph.set((cho, DC.title, Literal("Vase\x0b à \x00décor\ufffe", lang="fr")))
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "title") == [("Vase\ufffd à \ufffddécor\ufffd", "fr")]
    etree.fromstring(etree.tostring(root))  # re-parses: nothing illegal was written


def test_vocabulary_concepts_take_their_label_from_the_vocabularies():
    vocab = load_vocabularies("https://musenor.fr")
    graph, record = load("und")
    cho = graph.value(record, EDM.aggregatedCHO)
    # the concept's id has no accent, its label has one: the text written can only come from the vocabulary
    concept = vocab.match("object-type", "céramique")
    assert concept == URIRef("https://musenor.fr/vocab/object-type/ceramique")
    graph.set((cho, DC.type, concept))
    root = render_oai_dc(graph, record, RenderContext(HubURIs("https://musenor.fr"), vocabularies=vocab))
    assert elements(root, "type") == [("céramique", "fr")]


def test_a_record_with_only_its_aggregation_and_object_is_still_valid():
    graph = Graph()
    record, cho = URIRef("https://musenor.fr/id/record/M0629/X"), URIRef("https://musenor.fr/id/object/M0629/X")
    graph.add((record, EDM.aggregatedCHO, cho))
    graph.add((cho, SKOS.note, Literal("nothing the profile maps")))
    root = render_oai_dc(graph, record, CONTEXT)
    assert elements(root, "identifier") == [(str(cho), None)]
    assert_valid("oai_dc", root)


def test_a_record_without_its_object_is_refused():
    graph = Graph()
    with pytest.raises(ValueError, match="no edm:aggregatedCHO"):
        render_oai_dc(graph, URIRef("https://musenor.fr/id/record/M0629/X"), CONTEXT)
