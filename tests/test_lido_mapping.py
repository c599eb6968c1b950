"""The LIDO dialect: our fixture records against their expected graphs, and one behaviour per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import XSD

from musenor.mappings import HubURIs, MappingContext, MappingError, get_dialect
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.namespaces import DC, DCTERMS, EDM, MUSENOR, OWL, RDAGR2, SKOS, WGS84
from musenor.vocabularies import load_vocabularies

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lido"
BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
CNE = URIRef("http://rightsstatements.org/vocab/CNE/1.0/")


def context(code: str = "M0629", name: str = "Palais des Beaux-Arts de Lille", **kwargs) -> MappingContext:
    return MappingContext(code, name, URIS, load_vocabularies(BASE), **kwargs)


def lido(body: str, *, lang: str = "fr", rec_id: str = "R-1", admin: str = "") -> bytes:
    """A LIDO 1.1 record around ``body`` (the inside of descriptiveMetadata)."""
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org" xmlns:gml="http://www.opengis.net/gml">
      <lido:lidoRecID lido:type="local">{rec_id}</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="{lang}">{body}</lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="{lang}">{admin}</lido:administrativeMetadata>
    </lido:lido>""".encode()


TYPE = """<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
    <lido:term>tableau</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>"""
TITLE = """<lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
    <lido:appellationValue>Paysage</lido:appellationValue></lido:titleSet></lido:titleWrap>
    <lido:repositoryWrap><lido:repositorySet/></lido:repositoryWrap></lido:objectIdentificationWrap>"""


def event(inner: str) -> str:
    return f"<lido:eventWrap><lido:eventSet><lido:event>{inner}</lido:event></lido:eventSet></lido:eventWrap>"


def cho(local: str = "R-1", code: str = "M0629") -> URIRef:
    return URIS.object(code, local)


def assert_graph(actual: Graph, expected_path: Path) -> None:
    expected = Graph().parse(expected_path, format="turtle")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail("graphs differ\n-- only in the mapping:\n" + only_actual.serialize(format="nt")
                    + "\n-- only in the expected graph:\n" + only_expected.serialize(format="nt"))


# -- golden records ------------------------------------------------------------------------------------------------
def test_lido_10_painting_from_lille_maps_to_its_expected_graph():
    raw = (FIXTURES / "lille-boilly-lido10.xml").read_bytes()
    mapped = map_lido(raw, context())
    assert_graph(mapped.graph, FIXTURES / "lille-boilly-lido10.ttl")


def test_lido_11_lace_from_calais_maps_to_its_expected_graph():
    raw = (FIXTURES / "calais-dentelle-lido11.xml").read_bytes()
    mapped = map_lido(raw, context("M0644", "Musée des Beaux-Arts de Calais"))
    assert_graph(mapped.graph, FIXTURES / "calais-dentelle-lido11.ttl")


def test_golden_record_reports_local_id_sets_datestamp_and_nothing_unmapped():
    mapped = map_lido((FIXTURES / "lille-boilly-lido10.xml").read_bytes(), context())
    assert mapped.local_id == "PBA-P-1187"
    assert mapped.record_uri == URIRef(f"{BASE}/id/record/M0629/PBA-P-1187")
    assert mapped.sets == ["type:peinture"]
    assert mapped.source_datestamp == "2025-11-03"
    assert mapped.unmapped == {}
    assert mapped.unmatched == {}


def test_unmatched_technique_is_counted_and_kept_as_literal():
    mapped = map_lido((FIXTURES / "calais-dentelle-lido11.xml").read_bytes(),
                      context("M0644", "Musée des Beaux-Arts de Calais"))
    assert mapped.unmatched == {("technique", "dentelle mécanique Leavers"): 1}
    assert (cho("MBA-2004.3.17", "M0644"), DC.format, Literal("dentelle mécanique Leavers", lang="fr")) in mapped.graph


def test_registered_as_the_lido_dialect():
    assert get_dialect("lido").load() is map_lido


# -- envelopes -----------------------------------------------------------------------------------------------------
def test_oai_metadata_envelope_is_accepted():
    raw = b'<metadata xmlns="http://www.openarchives.org/OAI/2.0/">' + lido(TYPE + TITLE) + b"</metadata>"
    assert map_lido(raw, context()).local_id == "R-1"


def test_lidowrap_with_two_records_is_refused():
    record = lido(TYPE + TITLE).decode()
    raw = f'<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">{record}{record}</lido:lidoWrap>'.encode()
    with pytest.raises(MappingError, match="expected one lido:lido record in lidoWrap, found 2"):
        map_lido(raw, context())


def test_malformed_xml_is_refused_with_the_parser_reason():
    with pytest.raises(MappingError, match="not well-formed XML: .*line 1"):
        map_lido(b"<lido:lido xmlns:lido='http://www.lido-schema.org'><lido:lidoRecID>x</lido:lido>", context())


def test_entity_declarations_are_refused():
    raw = (b'<?xml version="1.0"?><!DOCTYPE lido [<!ENTITY boom "boom">]>'
           b'<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID>&boom;</lido:lidoRecID></lido:lido>')
    with pytest.raises(MappingError, match="DOCTYPE is not accepted"):
        map_lido(raw, context())


def test_other_root_element_is_refused():
    with pytest.raises(MappingError, match=r"not a LIDO record: root element \{urn:x\}record"):
        map_lido(b'<record xmlns="urn:x"/>', context())


def test_record_without_lidorecid_is_refused():
    raw = b'<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:descriptiveMetadata/></lido:lido>'
    with pytest.raises(MappingError, match="no lidoRecID"):
        map_lido(raw, context())


# -- Europeana's minimum -------------------------------------------------------------------------------------------
def test_no_title_and_no_description_is_refused():
    with pytest.raises(MappingError, match="no title and no description") as error:
        map_lido(lido(TYPE), context())
    assert error.value.local_id == "R-1" and error.value.museum == "M0629"


def test_description_without_title_gets_the_museums_type_term_as_title():
    body = TYPE + """<lido:objectIdentificationWrap><lido:objectDescriptionWrap><lido:objectDescriptionSet>
        <lido:descriptiveNoteValue>Vue de la Deûle.</lido:descriptiveNoteValue>
        </lido:objectDescriptionSet></lido:objectDescriptionWrap></lido:objectIdentificationWrap>"""
    mapped = map_lido(lido(body), context())
    # "tableau" is the record's own word, kept beside the hub's concept (painting): it, not the hub's label
    assert list(mapped.graph.objects(cho(), DC.title)) == [Literal("tableau", lang="fr")]
    assert mapped.warnings == ["no title: tableau (the object type) stands as title"]


def test_no_rights_anywhere_gives_copyright_not_evaluated():
    mapped = map_lido(lido(TYPE + TITLE), context())
    assert list(mapped.graph.objects(mapped.record_uri, EDM.rights)) == [CNE]


def test_museum_default_rights_apply_when_the_record_states_none():
    mapped = map_lido(lido(TYPE + TITLE), context(default_rights="http://creativecommons.org/publicdomain/mark/1.0/"))
    assert list(mapped.graph.objects(mapped.record_uri, EDM.rights)) == [
        URIRef("http://creativecommons.org/publicdomain/mark/1.0/")]


def test_data_provider_is_the_museum():
    mapped = map_lido(lido(TYPE + TITLE), context())
    assert list(mapped.graph.objects(mapped.record_uri, EDM.dataProvider)) == [URIRef(f"{BASE}/id/museum/M0629")]


# -- types and languages -------------------------------------------------------------------------------------------
def test_german_object_type_matches_the_vocabulary_concept_and_sets_type_set():
    body = TYPE.replace("tableau", "Gemälde") + TITLE
    mapped = map_lido(lido(body, lang="deu"), context())
    assert list(mapped.graph.objects(cho(), DC.type)) == [URIRef(f"{BASE}/vocab/object-type/peinture")]
    assert mapped.sets == ["type:peinture"]
    assert list(mapped.graph.objects(cho(), EDM.type)) == [Literal("IMAGE")]


def test_xml_lang_deu_becomes_de():
    mapped = map_lido(lido(TYPE + TITLE, lang="deu"), context())
    assert list(mapped.graph.objects(cho(), DC.title)) == [Literal("Paysage", lang="de")]


def test_unknown_object_type_stays_literal_and_is_counted():
    body = TYPE.replace("tableau", "Wiegemesserhalter") + TITLE
    mapped = map_lido(lido(body), context())
    assert list(mapped.graph.objects(cho(), DC.type)) == [Literal("Wiegemesserhalter", lang="fr")]
    assert mapped.unmatched == {("object-type", "Wiegemesserhalter"): 1}
    assert mapped.sets == []
    assert list(mapped.graph.objects(cho(), EDM.type)) == [Literal("3D")]


def test_external_type_uri_is_kept_as_concept_with_its_term():
    body = TYPE.replace("<lido:term>tableau</lido:term>",
                        "<lido:conceptID lido:type='global'>http://vocab.getty.edu/aat/300999999</lido:conceptID>"
                        "<lido:term>Objet rare</lido:term>") + TITLE
    mapped = map_lido(lido(body), context())
    aat = URIRef("http://vocab.getty.edu/aat/300999999")
    assert list(mapped.graph.objects(cho(), DC.type)) == [aat]
    assert (aat, SKOS.prefLabel, Literal("Objet rare", lang="fr")) in mapped.graph


def test_europeana_classification_sets_edm_type():
    body = TYPE.replace("</lido:objectClassificationWrap>", """<lido:classificationWrap>
        <lido:classification lido:type="europeana:type"><lido:term>TEXT</lido:term></lido:classification>
        </lido:classificationWrap></lido:objectClassificationWrap>""") + TITLE
    mapped = map_lido(lido(body), context())
    assert list(mapped.graph.objects(cho(), EDM.type)) == [Literal("TEXT")]


def test_one_preferred_title_per_language_and_the_rest_alternative():
    body = TYPE + """<lido:objectIdentificationWrap><lido:titleWrap>
        <lido:titleSet><lido:appellationValue>Le Pont</lido:appellationValue></lido:titleSet>
        <lido:titleSet><lido:appellationValue>Le Pont de Mantes</lido:appellationValue></lido:titleSet>
        <lido:titleSet><lido:appellationValue xml:lang="en">The Bridge</lido:appellationValue></lido:titleSet>
        </lido:titleWrap></lido:objectIdentificationWrap>"""
    graph = map_lido(lido(body), context()).graph
    assert set(graph.objects(cho(), DC.title)) == {Literal("Le Pont", lang="fr"), Literal("The Bridge", lang="en")}
    assert list(graph.objects(cho(), DCTERMS.alternative)) == [Literal("Le Pont de Mantes", lang="fr")]


# -- events --------------------------------------------------------------------------------------------------------
def test_german_herstellung_is_the_production_event_with_creator():
    body = TYPE + TITLE + event("""<lido:eventType><lido:term xml:lang="de">Herstellung</lido:term></lido:eventType>
        <lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet>
        <lido:appellationValue>Carolus-Duran</lido:appellationValue></lido:nameActorSet></lido:actor>
        <lido:roleActor><lido:term xml:lang="de">Maler</lido:term></lido:roleActor></lido:actorInRole></lido:eventActor>""")
    graph = map_lido(lido(body), context()).graph
    e1 = URIRef(f"{cho()}#event-1")
    assert list(graph.objects(e1, EDM.hasType)) == [URIRef(f"{BASE}/vocab/event-type/production")]
    assert list(graph.objects(cho(), DC.creator)) == [URIRef(f"{BASE}/id/agent/carolus-duran")]
    assert list(graph.objects(URIRef(f"{e1}-actor-1"), MUSENOR.role)) == [URIRef(f"{BASE}/vocab/role/peintre")]


def test_opaque_lido_terminology_uri_names_the_event_type():
    body = TYPE + TITLE + event("""<lido:eventType><lido:conceptID lido:type="http://terminology.lido-schema.org/lido00099">
        http://terminology.lido-schema.org/lido00001</lido:conceptID></lido:eventType>""")
    graph = map_lido(lido(body), context()).graph
    assert list(graph.objects(URIRef(f"{cho()}#event-1"), EDM.hasType)) == [
        URIRef(f"{BASE}/vocab/event-type/acquisition")]


def test_event_without_type_is_the_unknown_event():
    graph = map_lido(lido(TYPE + TITLE + event("<lido:eventDate><lido:displayDate>1900</lido:displayDate>"
                                               "</lido:eventDate>")), context()).graph
    assert list(graph.objects(URIRef(f"{cho()}#event-1"), EDM.hasType)) == [
        URIRef(f"{BASE}/vocab/event-type/unknown")]


def test_earliest_and_latest_dates_win_over_the_display_date_which_qualifies_them():
    body = TYPE + TITLE + event("""<lido:eventType><lido:term>Production</lido:term></lido:eventType>
        <lido:eventDate><lido:displayDate>vers 1850</lido:displayDate>
        <lido:date><lido:earliestDate>1848</lido:earliestDate><lido:latestDate>1852</lido:latestDate></lido:date>
        </lido:eventDate>""")
    graph = map_lido(lido(body), context()).graph
    timespan = URIRef(f"{BASE}/id/timespan/1848_1852_approximate")  # "vers": the bounds are not exact
    assert list(graph.objects(URIRef(f"{cho()}#event-1"), EDM.occurredAt)) == [timespan]
    assert (timespan, EDM.begin, Literal("1848", datatype=XSD.gYear)) in graph
    assert list(graph.objects(cho(), DCTERMS.created)) == [Literal("vers 1850", lang="fr")]


def test_unreadable_display_date_is_kept_with_a_warning():
    body = TYPE + TITLE + event("""<lido:eventType><lido:term>Production</lido:term></lido:eventType>
        <lido:eventDate><lido:displayDate>règne de Louis XV</lido:displayDate></lido:eventDate>""")
    mapped = map_lido(lido(body), context())
    assert list(mapped.graph.objects(URIRef(f"{cho()}#event-1"), MUSENOR.displayDate)) == [
        Literal("règne de Louis XV", lang="fr")]
    assert (URIRef(f"{cho()}#event-1"), EDM.occurredAt, None) not in mapped.graph
    assert mapped.warnings == ["date 'règne de Louis XV' not understood: kept as displayed"]


def test_actor_ids_in_three_gnd_spellings_meet_on_one_sameas():
    ids = "".join(f"<lido:actorID lido:type='{t}' lido:source='{s}'>{v}</lido:actorID>" for t, s, v in (
        ("uri", "", "http://d-nb.info/gnd/118540238"), ("URI", "", "https://d-nb.info/gnd/118540238/"),
        ("local", "GND", "118540238")))
    body = TYPE + TITLE + event(f"""<lido:eventType><lido:term>Production</lido:term></lido:eventType>
        <lido:eventActor><lido:actorInRole><lido:actor>{ids}<lido:nameActorSet>
        <lido:appellationValue>Goethe, Johann Wolfgang von</lido:appellationValue></lido:nameActorSet>
        <lido:vitalDatesActor><lido:earliestDate>1749-08-28</lido:earliestDate></lido:vitalDatesActor>
        </lido:actor></lido:actorInRole></lido:eventActor>""")
    graph = map_lido(lido(body), context()).graph
    agent = URIRef(f"{BASE}/id/agent/goethe-johann-wolfgang-von-1749")
    assert list(graph.objects(agent, OWL.sameAs)) == [URIRef("https://d-nb.info/gnd/118540238")]
    assert list(graph.objects(agent, RDAGR2.dateOfBirth)) == [Literal("1749-08-28", datatype=XSD.date)]


def test_place_coordinates_out_of_range_are_dropped():
    body = TYPE + TITLE + event("""<lido:eventPlace><lido:place><lido:namePlaceSet>
        <lido:appellationValue>Nulle part</lido:appellationValue></lido:namePlaceSet>
        <lido:gml><gml:Point><gml:pos>191.0 12.0</gml:pos></gml:Point></lido:gml></lido:place></lido:eventPlace>""")
    graph = map_lido(lido(body), context()).graph
    assert (URIRef(f"{BASE}/id/place/nulle-part"), WGS84.lat, None) not in graph


def test_untyped_material_term_that_is_a_technique_goes_to_dc_format():
    body = TYPE + TITLE + event("""<lido:eventMaterialsTech><lido:materialsTech>
        <lido:termMaterialsTech><lido:term>eau-forte</lido:term></lido:termMaterialsTech>
        </lido:materialsTech></lido:eventMaterialsTech>""")
    graph = map_lido(lido(body), context()).graph
    assert list(graph.objects(cho(), DC.format)) == [URIRef(f"{BASE}/vocab/technique/eau-forte")]


# -- administrative metadata ---------------------------------------------------------------------------------------
def test_rights_licence_from_a_term_when_no_uri_is_given():
    admin = """<lido:resourceWrap><lido:resourceSet><lido:resourceRepresentation>
        <lido:linkResource>http://img.example.org/1.jpg</lido:linkResource></lido:resourceRepresentation>
        <lido:rightsResource><lido:rightsType><lido:term>Verwertungsrecht</lido:term></lido:rightsType>
        <lido:rightsType><lido:term>Namensnennung 4.0 (CC BY 4.0)</lido:term></lido:rightsType></lido:rightsResource>
        </lido:resourceSet></lido:resourceWrap>"""
    mapped = map_lido(lido(TYPE + TITLE, admin=admin), context())
    by = URIRef("http://creativecommons.org/licenses/by/4.0/")
    assert list(mapped.graph.objects(mapped.record_uri, EDM.rights)) == [by]
    assert list(mapped.graph.objects(URIRef("http://img.example.org/1.jpg"), EDM.rights)) == [by]
    assert mapped.unmatched == {}


def test_resource_link_that_is_not_http_is_not_published():
    admin = """<lido:resourceWrap><lido:resourceSet><lido:resourceRepresentation>
        <lido:linkResource>C:\\Photos\\P1187.tif</lido:linkResource></lido:resourceRepresentation>
        </lido:resourceSet></lido:resourceWrap>"""
    mapped = map_lido(lido(TYPE + TITLE, admin=admin), context())
    assert (mapped.record_uri, EDM.isShownBy, None) not in mapped.graph
    assert mapped.warnings == ["resource 'C:\\\\Photos\\\\P1187.tif' is not an http(s) address: not published"]


def test_unread_elements_are_counted_by_path():
    body = TYPE + TITLE + event("""<lido:eventType><lido:term>Production</lido:term></lido:eventType>
        <lido:eventMethod><lido:term>moulage</lido:term></lido:eventMethod>""")
    mapped = map_lido(lido(body), context())
    assert mapped.unmapped == {"descriptiveMetadata/eventWrap/eventSet/event/eventMethod/term": 1}


def test_no_blank_nodes():
    mapped = map_lido((FIXTURES / "lille-boilly-lido10.xml").read_bytes(), context())
    from rdflib import BNode
    assert not [t for t in mapped.graph if any(isinstance(x, BNode) for x in t)]


# -- round trip ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, code", [("lille-boilly-lido10", "M0629"), ("calais-dentelle-lido11", "M0644")])
def test_lido_graph_lido_graph_round_trip_is_isomorphic(name, code):
    from lxml import etree

    from musenor.mappings import RenderContext, get_format
    first = map_lido((FIXTURES / f"{name}.xml").read_bytes(), context(code, "Musée"))
    rendered = get_format("lido").load()(first.graph, first.record_uri,
                                         RenderContext(URIS, vocabularies=load_vocabularies(BASE)))
    second = map_lido(etree.tostring(rendered), context(code, "Musée"))
    if not isomorphic(first.graph, second.graph):
        _, only_first, only_second = graph_diff(to_isomorphic(first.graph), to_isomorphic(second.graph))
        pytest.fail("lost:\n" + only_first.serialize(format="nt") + "\ngained:\n" + only_second.serialize(format="nt"))


def test_object_published_id_is_the_objects_same_as():
    raw = lido(TYPE + TITLE).replace(
        b"</lido:lidoRecID>",
        b"</lido:lidoRecID><lido:objectPublishedID lido:type='http://terminology.lido-schema.org/identifier_type/uri'>"
        b"https://www.wikidata.org/wiki/Q29530</lido:objectPublishedID>")
    graph = map_lido(raw, context()).graph
    assert list(graph.objects(cho(), OWL.sameAs)) == [URIRef("http://www.wikidata.org/entity/Q29530")]


# -- LIDO attribute spellings (mappings.lido_terms) ----------------------------------------------------------------
@pytest.mark.parametrize("value, tag", [("de", "de"), ("deu", "de"), ("ger", "de"), ("DE", "de"), ("fre", "fr"),
                                        ("fra", "fr"), ("EN", "en"), ("eng", "en"), ("dut", "nl"), ("fr_FR", "fr-fr"),
                                        ("", None), ("not a tag!", None)])
def test_language_tag(value, tag):
    from musenor.mappings.lido_terms import language_tag
    assert language_tag(value) == tag


@pytest.mark.parametrize("value, kind", [("preferred", "preferred"), ("http://terminology.lido-schema.org/lido00169",
                                         "preferred"), ("alternative", "alternate"),
                                        ("http://terminology.lido-schema.org/lido00170", "alternate"), ("odd", None)])
def test_pref_kind(value, kind):
    from musenor.mappings.lido_terms import pref_kind
    assert pref_kind(value) == kind


@pytest.mark.parametrize("value, kind", [
    ("material", "material"), ("Material", "material"), ("http://terminology.lido-schema.org/lido00132", "material"),
    ("http://terminology.lido-schema.org/termMaterialsTech_type/technique", "technique"), ("Technik", "technique"),
    ("mark", None)])
def test_materials_tech_kind(value, kind):
    from musenor.mappings.lido_terms import materials_tech_kind
    assert materials_tech_kind(value) == kind


@pytest.mark.parametrize("value, type_, source, uri", [
    ("http://vocab.getty.edu/page/aat/300033618", "URI", None, "http://vocab.getty.edu/aat/300033618"),
    ("300033618", "local", "AAT", "http://vocab.getty.edu/aat/300033618"),
    ("300033618", None, "http://vocab.getty.edu/aat", "http://vocab.getty.edu/aat/300033618"),
    ("118540238", "local", "gnd", "https://d-nb.info/gnd/118540238"),
    ("25 F 27 (DOLPHIN)", None, "Iconclass", "http://iconclass.org/25F27(DOLPHIN)"),
    ("12345", "local", None, None),
    ("12345", "local", "Museum-Digital", None),
    ("http://example.org/a b", "uri", None, None),
])
def test_authority_uri(value, type_, source, uri):
    from musenor.mappings.lido_terms import authority_uri
    assert authority_uri(value, type_, source) == uri


def test_escaped_iconclass_uri_reads_the_same_twice():
    from musenor.mappings.lido_terms import authority_uri
    once = authority_uri("http://iconclass.org/25F27%28dolphin%29")
    assert once == "http://iconclass.org/25F27%28dolphin%29"
    assert authority_uri(once) == once


def test_descriptive_metadata_repeated_in_another_language_adds_texts_to_the_same_events():
    block = """<lido:descriptiveMetadata xml:lang="{lang}">""" + TYPE + """<lido:objectIdentificationWrap>
        <lido:titleWrap><lido:titleSet><lido:appellationValue>{title}</lido:appellationValue></lido:titleSet>
        </lido:titleWrap></lido:objectIdentificationWrap>""" + event("""<lido:eventType><lido:term>{kind}</lido:term>
        </lido:eventType><lido:eventDate><lido:displayDate>{date}</lido:displayDate></lido:eventDate>""") + \
        "</lido:descriptiveMetadata>"
    raw = ('<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID>R-1</lido:lidoRecID>'
           + block.format(lang="fr", title="Printemps", kind="production", date="vers 1480")
           + block.format(lang="de", title="Frühling", kind="Entstehung", date="um 1480")
           + "</lido:lido>").encode()
    graph = map_lido(raw, context()).graph
    e1 = URIRef(f"{cho()}#event-1")
    assert list(graph.objects(cho(), EDM.wasPresentAt)) == [e1]
    # the first type stands; the German copy's own word is kept beside it (issue 13)
    assert set(graph.objects(e1, EDM.hasType)) == {URIRef(f"{BASE}/vocab/event-type/production"),
                                                   Literal("Entstehung", lang="de")}
    assert set(graph.objects(e1, MUSENOR.displayDate)) == {Literal("vers 1480", lang="fr"),
                                                           Literal("um 1480", lang="de")}
    assert set(graph.objects(cho(), DC.title)) == {Literal("Printemps", lang="fr"), Literal("Frühling", lang="de")}


def test_records_map_the_same_from_concurrent_threads():
    from concurrent.futures import ThreadPoolExecutor
    raws = [(FIXTURES / "lille-boilly-lido10.xml").read_bytes()] * 8
    alone = map_lido(raws[0], context()).graph
    with ThreadPoolExecutor(max_workers=4) as pool:
        graphs = list(pool.map(lambda raw: map_lido(raw, context()).graph, raws))
    assert all(isomorphic(graph, alone) for graph in graphs)
