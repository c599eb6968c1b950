"""A mapped record's triples (``RecordTriples``): the container dialects write into instead of an rdflib Graph."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DC, RDF, XSD

from musenor.mappings.triples import RecordTriples

CHO = URIRef("https://musenor.fr/object/M0629/P-1")
NODE = BNode("inscription1")


def tricky_triples() -> list[tuple]:
    return [
        (CHO, DC.title, Literal('La "Madone"\\ au\nchardonneret\r\tbis', lang="fr")),
        (CHO, DC.title, Literal("Ἀθηνᾶ 𝔐 é", lang="grc")),
        (CHO, DC.date, Literal("1650", datatype=XSD.gYear)),
        (CHO, DC.description, Literal("sans langue")),
        (CHO, DC.subject, NODE),
        (NODE, RDF.value, Literal("ANNO DOMINI", datatype=XSD.string)),
        (CHO, RDF.type, URIRef("http://www.europeana.eu/schemas/edm/ProvidedCHO")),
    ]


def test_its_ntriples_are_the_lines_rdflib_writes():
    graph = Graph()
    for triple in tricky_triples():
        graph.add(triple)
    expected = sorted(graph.serialize(format="nt").splitlines())

    assert sorted(RecordTriples(tricky_triples()).ntriples().splitlines()) == expected


def test_a_triple_added_twice_is_kept_once_in_the_order_first_added():
    triples = RecordTriples()
    first, second = tricky_triples()[:2]
    triples.add(second).add(first).add(second)

    assert list(triples) == [second, first]


def test_a_pattern_with_open_terms_is_in_it_when_a_triple_matches():
    triples = RecordTriples(tricky_triples())

    assert (CHO, DC.title, None) in triples
    assert (None, RDF.value, None) in triples
    assert (CHO, DC.creator, None) not in triples
    assert (NODE, DC.title, None) not in triples


def test_it_answers_the_graph_questions_dialects_ask():
    triples = RecordTriples(tricky_triples())

    assert list(triples.objects(CHO, DC.date)) == [Literal("1650", datatype=XSD.gYear)]
    assert triples.value(NODE, RDF.value) == Literal("ANNO DOMINI", datatype=XSD.string)
    assert triples.value(None, DC.subject, NODE) == CHO
    assert list(triples.subjects(RDF.value)) == [NODE]
    assert triples.value(CHO, DC.creator) is None


def test_a_uri_ntriples_cannot_hold_is_refused_as_rdflib_refuses_it():
    triples = RecordTriples([(CHO, DC.source, URIRef("http://example.org/a b"))])

    with pytest.raises(Exception, match="does not look like a valid URI"):
        triples.ntriples()


def test_a_value_that_is_no_rdf_term_is_refused():
    triples = RecordTriples([(CHO, DC.title, "a plain string")])

    with pytest.raises(TypeError, match="is not an RDF term"):
        triples.ntriples()


def test_its_rdflib_graph_holds_the_same_triples():
    assert set(RecordTriples(tricky_triples()).graph()) == set(tricky_triples())
