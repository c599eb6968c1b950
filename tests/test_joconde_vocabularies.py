"""The ministry thesaurus terms (musenor/vocabularies/ministry-*.ttl) normalise POP fields into concepts."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import RDF, SKOS

from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.pop import map_pop_notice
from musenor.mappings.formats.joconde import joconde_fields
from musenor.mappings.namespaces import DC, DCTERMS, MUSENOR

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
VOCABULARIES = Path(__file__).resolve().parents[1] / "musenor" / "vocabularies"
BASE = "http://hub.test"
URIS = HubURIs(BASE)
ARK = "http://data.culture.fr/thesaurus/resource/ark:/67717/"
SCHEMES = {"ministry-deno": "T505", "ministry-domn": "T51", "ministry-tech": "T516", "ministry-epoq": "T93",
           "ministry-peri": "T521"}


@pytest.fixture(scope="module")
def vocabularies():
    from musenor.vocabularies import load_vocabularies

    return load_vocabularies(BASE)


def notice(n: int) -> bytes:
    text = (FIXTURES / "pba-lille-ajout-pilote.txt").read_text(encoding="utf-8")
    return [b for b in text.split("//\n") if b.strip()][n].encode()


def concept(scheme: str, concept_id: str) -> URIRef:
    return URIRef(f"{BASE}/vocab/{scheme}/{concept_id}")


@pytest.mark.parametrize("scheme, thesaurus", sorted(SCHEMES.items()))
def test_every_concept_names_its_ministry_thesaurus(scheme, thesaurus):
    graph = Graph().parse(VOCABULARIES / f"{scheme}.ttl", format="turtle", publicID=f"{BASE}/vocab/")
    scheme_uri = URIRef(f"{BASE}/vocab/{scheme}")
    assert (scheme_uri, RDF.type, SKOS.ConceptScheme) in graph
    assert (scheme_uri, DCT.source, URIRef(f"{ARK}{thesaurus}")) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for uri in concepts:
        assert str(uri).startswith(f"{scheme_uri}/")
        assert (uri, SKOS.inScheme, scheme_uri) in graph
        assert (uri, DCT.source, URIRef(f"{ARK}{thesaurus}")) in graph
        assert any(label.language == "fr" for label in graph.objects(uri, SKOS.prefLabel))


def test_known_terms_become_concepts(vocabularies):
    mapped = map_pop_notice(notice(1), MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies))
    graph, cho = mapped.graph, mapped.cho
    assert set(graph.objects(cho, MUSENOR.classification)) == {concept("ministry-domn", "ceramique"),
                                                               concept("ministry-domn", "arts-decoratifs")}
    assert set(graph.objects(cho, DCTERMS.temporal)) == {
        URIRef(f"{BASE}/id/timespan/1725_1749"), concept("ministry-peri", "2e-quart-18e-siecle"),
        concept("ministry-epoq", "epoque-louis-xv")}


def test_qualified_term_is_the_concept_and_the_whole_text(vocabularies):
    mapped = map_pop_notice(notice(1), MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies))
    assert set(mapped.graph.objects(mapped.cho, DC.type)) == {concept("ministry-deno", "plat"),
                                                              Literal("plat (fragment)", lang="fr")}
    assert mapped.sets == ["type:plat"]


def test_unknown_term_stays_literal_and_is_listed_once(vocabularies):
    raw = notice(1).replace("décor de grand feu".encode(), "décor au pochoir".encode())
    mapped = map_pop_notice(raw, MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies))
    assert Literal("décor au pochoir", lang="fr") in set(mapped.graph.objects(mapped.cho, DCTERMS.medium))
    assert mapped.unmatched == {("ministry-tech", "décor au pochoir"): 1}


def test_a_term_added_to_the_vocabulary_becomes_its_concept(vocabularies):
    mapped = map_pop_notice(notice(1), MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies))
    assert concept("ministry-tech", "decor-de-grand-feu") in set(mapped.graph.objects(mapped.cho, DCTERMS.medium))
    assert mapped.unmatched == {}


def test_role_concept_from_the_role_vocabulary(vocabularies):
    mapped = map_pop_notice(notice(0), MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies))
    participation = URIRef(f"{mapped.cho}#event-1-actor-1")
    role = mapped.graph.value(participation, MUSENOR.role)
    assert isinstance(role, URIRef) and vocabularies.scheme_of(role) == "role"


def test_roman_century_is_the_same_period_concept(vocabularies):
    mapped = map_pop_notice("REF\n06290000996\nTITR\nMain\nPERI\nXIXe siècle\n".encode(),
                            MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies))
    assert concept("ministry-peri", "19e-siecle") in set(mapped.graph.objects(mapped.cho, DCTERMS.temporal))


def test_round_trip_with_concepts_gives_the_labels_back(vocabularies):
    context = MappingContext("M0629", "PBA", URIS, vocabularies=vocabularies)
    mapped = map_pop_notice(notice(1), context)
    fields = joconde_fields(mapped.graph, mapped.record_uri, RenderContext(URIS, vocabularies=vocabularies))
    assert (fields["DOMN"], fields["DENO"], fields["PERI"], fields["EPOQ"]) == (
        "arts décoratifs ; céramique", "plat (fragment)", "2e quart 18e siècle", "époque Louis XV")
    assert fields["TECH"] == "décor de grand feu ; faïence (stannifère)"
