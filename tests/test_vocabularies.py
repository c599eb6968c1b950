"""The shipped vocabularies and the term normaliser (vocabularies/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from musenor.vocabularies import Vocabularies, canonical_uri, load_vocabularies, static_graphs, stem_key, term_key

BASE = "http://hub.test"
V = f"{BASE}/vocab"


@pytest.fixture(scope="module")
def vocab() -> Vocabularies:
    return load_vocabularies(BASE)


@pytest.mark.parametrize("scheme, term, concept", [
    ("object-type", "peinture", "object-type/peinture"),
    ("object-type", "Peintures", "object-type/peinture"),
    ("object-type", "TABLEAU", "object-type/peinture"),
    ("object-type", "tableaux", "object-type/peinture"),
    ("object-type", "Gemälde", "object-type/peinture"),
    ("object-type", "gemalde", "object-type/peinture"),
    ("object-type", "schilderij", "object-type/peinture"),
    ("object-type", "painting", "object-type/peinture"),
    ("object-type", "Münze", "object-type/monnaie"),
    ("object-type", "Münzen", "object-type/monnaie"),
    ("object-type", "Estampes", "object-type/estampe"),
    ("object-type", "céramique", "object-type/ceramique"),
    ("object-type", "ceramique", "object-type/ceramique"),
    ("object-type", "vitraux", "object-type/vitrail"),
    ("material", "Huile", "material/huile"),
    ("material", "oil paint", "material/huile"),
    ("material", "lin", "material/lin"),
    ("material", "Dentelle", "material/dentelle"),
    ("material", "Nichtmetalle > Papier", "material/papier"),
    ("technique", "eau forte", "technique/eau-forte"),
    ("technique", "Eau-forte", "technique/eau-forte"),
    ("technique", "Radierung", "technique/eau-forte"),
    ("technique", "lithographies", "technique/lithographie"),
    ("role", "d'après", "role/d-apres"),
    ("role", "d’après", "role/d-apres"),
    ("role", "Fotograf*in", "role/photographe"),
    ("role", "atelier", "role/atelier"),
    ("event-type", "Herstellung", "event-type/production"),
    ("event-type", "Utilisation", "event-type/use"),
    ("event-type", "Erwerbung", "event-type/acquisition"),
    ("language", "deu", "language/de"),
    ("language", "fre", "language/fr"),
])
def test_terms_match_accent_case_plural_and_language_insensitively(vocab, scheme, term, concept):
    assert vocab.match(scheme, term) == URIRef(f"{V}/{concept}")


@pytest.mark.parametrize("uri", [
    "http://vocab.getty.edu/aat/300033618", "https://vocab.getty.edu/aat/300033618",
    "http://vocab.getty.edu/page/aat/300033618", "aat:300033618", "AAT:300033618",
    "https://vocab.getty.edu/aat/300033618.json",
])
def test_aat_spellings_match_the_concept(vocab, uri):
    assert vocab.match("object-type", uri) == URIRef(f"{V}/object-type/peinture")


@pytest.mark.parametrize("uri", [
    "http://terminology.lido-schema.org/lido00007", "https://terminology.lido-schema.org/lido00007",
    "http://terminology.lido-schema.org/eventType/production",
])
def test_old_and_new_lido_event_type_uris_match_production(vocab, uri):
    assert vocab.match("event-type", uri) == URIRef(f"{V}/event-type/production")


@pytest.mark.parametrize("uri, statement", [
    ("https://creativecommons.org/licenses/by-sa/4.0/", "http://creativecommons.org/licenses/by-sa/4.0/"),
    ("https://creativecommons.org/licenses/by/4.0/deed.de", "http://creativecommons.org/licenses/by/4.0/"),
    ("http://creativecommons.org/publicdomain/zero/1.0", "http://creativecommons.org/publicdomain/zero/1.0/"),
    ("https://rightsstatements.org/page/InC/1.0/?language=fr", "http://rightsstatements.org/vocab/InC/1.0/"),
    ("CC BY-NC 4.0", "http://creativecommons.org/licenses/by-nc/4.0/"),
    ("Public Domain Mark 1.0", "http://creativecommons.org/publicdomain/mark/1.0/"),
    ("Droit d'auteur non déterminé", "http://rightsstatements.org/vocab/UND/1.0/"),
])
def test_rights_statements_in_their_http_form(vocab, uri, statement):
    assert vocab.match("rights", uri) == URIRef(statement)


def test_all_twelve_rightsstatements_are_there(vocab):
    statements = [c for c in vocab.graph.subjects(SKOS.inScheme, URIRef(f"{V}/rights"))
                  if str(c).startswith("http://rightsstatements.org/vocab/")]
    assert len(statements) == 12


def test_unknown_term_and_unknown_uri_do_not_match(vocab):
    assert vocab.match("object-type", "Wiegemesserhalter") is None
    assert vocab.match("object-type", "http://vocab.getty.edu/aat/300000001") is None
    assert vocab.match("object-type", "") is None
    assert vocab.match("no-such-scheme", "peinture") is None


def test_term_from_another_scheme_does_not_match(vocab):
    assert vocab.match("material", "Gemälde") is None


def test_language_preference_breaks_ties(vocab):
    # "penning" is a medal in Dutch; "Marke" a token in German
    assert vocab.match("object-type", "penning", "nl") == URIRef(f"{V}/object-type/medaille")


def test_labels_by_language_with_fallback(vocab):
    painting = URIRef(f"{V}/object-type/peinture")
    assert vocab.label(painting, "de") == "Gemälde"
    assert vocab.label(painting, "nl") == "schilderij"
    assert vocab.label(painting, "it") == "peinture"
    assert vocab.label(URIRef("http://example.org/nothing")) is None


def test_exact_matches(vocab):
    assert vocab.exact_matches(URIRef(f"{V}/event-type/production")) == [
        URIRef("http://terminology.lido-schema.org/eventType/production"),
        URIRef("http://terminology.lido-schema.org/lido00007")]
    assert vocab.exact_matches(URIRef(f"{V}/material/bronze")) == [URIRef("http://vocab.getty.edu/aat/300010957")]


def test_concepts_resolve_under_the_hub_base(vocab):
    assert (URIRef(f"{V}/object-type/peinture"), RDF.type, SKOS.Concept) in vocab.graph
    assert vocab.concept_id(URIRef(f"{V}/object-type/peinture")) == "peinture"
    assert vocab.scheme_of(URIRef(f"{V}/object-type/peinture")) == "object-type"


def test_every_concept_has_french_english_dutch_and_german_labels(vocab):
    missing = []
    for scheme in ("object-type", "material", "technique", "role", "event-type", "language"):
        for concept in vocab.scheme_graphs[scheme].subjects(RDF.type, SKOS.Concept):
            languages = {label.language for label in vocab.scheme_graphs[scheme].objects(concept, SKOS.prefLabel)}
            if not {"fr", "en", "nl", "de"} <= languages:
                missing.append(str(concept))
    assert missing == []


def test_loaded_once_per_base_uri():
    assert load_vocabularies(BASE) is load_vocabularies(BASE + "/")
    assert load_vocabularies(BASE) is not load_vocabularies("http://other.test")


def test_static_graphs_are_turtle_with_absolute_iris():
    graphs = static_graphs(BASE)
    assert f"{V}/object-type" in graphs
    data, media_type = graphs[f"{V}/event-type"]
    assert media_type == "text/turtle"
    graph = Graph().parse(data=data, format="turtle")
    assert (URIRef(f"{V}/event-type/production"), SKOS.prefLabel, Literal("Herstellung", lang="de")) in graph
    assert static_graphs(BASE)[f"{V}/event-type"][0] == data


def test_a_new_vocabulary_is_one_turtle_file(tmp_path: Path):
    (tmp_path / "colour.ttl").write_text(
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '<colour/rouge> a skos:Concept ; skos:inScheme <colour> ; skos:prefLabel "rouge"@fr , "red"@en .\n')
    vocab = Vocabularies(BASE, sorted(tmp_path.glob("*.ttl")))
    assert vocab.match("colour", "Red") == URIRef(f"{V}/colour/rouge")


@pytest.mark.parametrize("text, canonical", [
    ("https://vocab.getty.edu/page/aat/300033618", "http://vocab.getty.edu/aat/300033618"),
    ("aat: 300033618", "http://vocab.getty.edu/aat/300033618"),
    ("http://vocab.getty.edu/ulan/500010834", "http://vocab.getty.edu/ulan/500010834"),
    ("http://d-nb.info/gnd/118540238", "https://d-nb.info/gnd/118540238"),
    ("gnd:118540238", "https://d-nb.info/gnd/118540238"),
    ("(DE-588)4027833-4", "https://d-nb.info/gnd/4027833-4"),
    ("https://www.wikidata.org/wiki/Q5582", "http://www.wikidata.org/entity/Q5582"),
    ("http://www.geonames.org/2988507/paris.html", "https://sws.geonames.org/2988507/"),
    ("http://example.org/x", "http://example.org/x"),
    ("peinture", None),
])
def test_canonical_uri(text, canonical):
    assert canonical_uri(text) == canonical


def test_term_and_stem_keys():
    assert term_key("  Huile-sur-TOILE ") == "huile sur toile"
    assert term_key("Œuvre d’art") == "oeuvre d art"
    assert stem_key("Peintures à l'huile") == stem_key("peinture a l huile")
    assert stem_key("chevaux") == "cheval"
    assert stem_key("Tableaux") == "tableau"


def test_a_statement_is_the_concepts_of_its_terms(vocab):
    assert vocab.match_statement(("ministry-tech",), "lavis brun sur papier") == [
        ("ministry-tech", URIRef(f"{V}/ministry-tech/lavis")), ("ministry-tech", URIRef(f"{V}/ministry-tech/papier"))]


def test_a_statement_takes_the_longest_known_term_first(vocab):
    assert vocab.match_statement(("ministry-tech",), "terre de pipe moulée") == [
        ("ministry-tech", URIRef(f"{V}/ministry-tech/terre-de-pipe")),
        ("ministry-tech", URIRef(f"{V}/ministry-tech/moule"))]


def test_a_statement_finds_each_term_in_the_first_scheme_that_knows_it(vocab):
    assert vocab.match_statement(("technique", "material"), "pierre noire, rehauts de craie blanche sur papier bleu") == [
        ("technique", URIRef(f"{V}/technique/pierre-noire")), ("technique", URIRef(f"{V}/technique/rehaut")),
        ("material", URIRef(f"{V}/material/craie")), ("material", URIRef(f"{V}/material/papier"))]


def test_a_statement_leaves_out_the_model_named_after_d_apres(vocab):
    assert vocab.match_statement(("technique", "material"), "tirage sur papier albuminé d'après négatif verre") == [
        ("technique", URIRef(f"{V}/technique/tirage-sur-papier-albumine"))]


def test_a_statement_with_an_unknown_word_matches_nothing(vocab):
    assert vocab.match_statement(("ministry-tech",), "lavis brun sur papier vergé") == []
