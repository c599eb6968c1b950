"""Issue 13, class 4: a specific term ("Kabinettschrank", AAT 300379868; "Palisander"; Joconde's "vermeil") is
kept with its language and URI beside the hub's broader concept, never replaced by it, in the graph and in every
output; the hub's concept stays first and is the facet value. Fixtures are small records in the shapes of the
real exports under ../shared/data (DDB/museum-digital conceptIDs with lido:type URI, bare AAT ids with
lido:source, addedSearchTerm; Joconde CSV columns)."""

from __future__ import annotations

import csv
import io

from lxml import etree
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from musenor.catalogue.search import index_record
from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.formats.edm import render_edm
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.formats.oai_dc import render_oai_dc
from musenor.mappings.namespaces import DC, DCTERMS, EDM, SKOS
from musenor.vocabularies import load_vocabularies

BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
MOBILIER = URIRef(f"{BASE}/vocab/object-type/mobilier")
BOIS = URIRef(f"{BASE}/vocab/material/bois")
CABINET = URIRef("http://vocab.getty.edu/aat/300379868")
URI_TYPE = "http://terminology.lido-schema.org/identifier_type/uri"
NS = {"lido": "http://www.lido-schema.org", "edm": str(EDM), "skos": str(SKOS), "dc": str(DC),
      "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dcterms": str(DCTERMS)}


def context() -> MappingContext:
    return MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, load_vocabularies(BASE))


def render_context() -> RenderContext:
    return RenderContext(URIS, vocabularies=load_vocabularies(BASE))


def cho() -> URIRef:
    return URIS.object("M0629", "R-1")


def lido_record(work_type: str, materials: str = "", event_type: str = "<lido:term>Herstellung</lido:term>") -> bytes:
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
      <lido:lidoRecID lido:type="local">R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="de">
        <lido:objectClassificationWrap><lido:objectWorkTypeWrap>
          <lido:objectWorkType>{work_type}</lido:objectWorkType>
        </lido:objectWorkTypeWrap></lido:objectClassificationWrap>
        <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
          <lido:appellationValue>Kabinettschrank mit Intarsien</lido:appellationValue>
        </lido:titleSet></lido:titleWrap></lido:objectIdentificationWrap>
        <lido:eventWrap><lido:eventSet><lido:event>
          <lido:eventType>{event_type}</lido:eventType>
          <lido:eventMaterialsTech><lido:materialsTech>{materials}</lido:materialsTech></lido:eventMaterialsTech>
        </lido:event></lido:eventSet></lido:eventWrap>
      </lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="de"/>
    </lido:lido>""".encode()


CABINET_TYPE = (f'<lido:conceptID lido:type="{URI_TYPE}">http://vocab.getty.edu/aat/300379868</lido:conceptID>'
                '<lido:term xml:lang="de">Kabinettschrank</lido:term>')


def material(term: str, ids: str = "") -> str:
    return (f'<lido:termMaterialsTech lido:type="http://terminology.lido-schema.org/lido00132">{ids}'
            f'<lido:term>{term}</lido:term></lido:termMaterialsTech>')


# -- the graph ----------------------------------------------------------------------------------------------------
def test_specific_term_with_its_uri_is_kept_beside_the_hub_concept():
    graph = map_lido(lido_record(CABINET_TYPE), context()).graph
    assert set(graph.objects(cho(), DC.type)) == {MOBILIER, CABINET}
    assert set(graph.predicate_objects(CABINET)) == {
        (RDF.type, SKOS.Concept), (SKOS.broader, MOBILIER), (SKOS.prefLabel, Literal("Kabinettschrank", lang="de")),
    }


def test_bare_aat_id_with_its_source_is_the_same_concept():
    work_type = ('<lido:conceptID lido:source="AAT" lido:type="local">300379868</lido:conceptID>'
                 '<lido:term xml:lang="de">Kabinettschrank</lido:term>')
    graph = map_lido(lido_record(work_type), context()).graph
    assert (cho(), DC.type, CABINET) in graph and (CABINET, SKOS.broader, MOBILIER) in graph


def test_hub_concept_still_types_the_record():
    mapped = map_lido(lido_record(CABINET_TYPE), context())
    assert mapped.sets == ["type:mobilier"]
    assert (cho(), EDM.type, Literal("3D")) in mapped.graph


def test_specific_materials_without_uri_are_kept_as_terms_in_their_language():
    graph = map_lido(lido_record(CABINET_TYPE, material("Palisander") + material("Ebenholz")), context()).graph
    assert set(graph.objects(cho(), DCTERMS.medium)) == {
        BOIS, Literal("Palisander", lang="de"), Literal("Ebenholz", lang="de")}


def test_term_that_is_the_hub_concepts_own_name_adds_nothing():
    graph = map_lido(lido_record(CABINET_TYPE, material("Holz")), context()).graph
    assert set(graph.objects(cho(), DCTERMS.medium)) == {BOIS}


def test_source_concept_that_is_the_hubs_equivalent_keeps_its_other_uris():
    # Kulturerbe Niedersachsen's shape: the museum system's own URI, GND and AAT for one material.
    kuniweb = URIRef("http://uri.gbv.de/terminology/kuniweb_material/0a1b")
    ids = (f'<lido:conceptID lido:type="{URI_TYPE}">{kuniweb}</lido:conceptID>'
           f'<lido:conceptID lido:type="{URI_TYPE}">http://d-nb.info/gnd/4066539-3</lido:conceptID>'
           f'<lido:conceptID lido:type="{URI_TYPE}">http://vocab.getty.edu/aat/300011914</lido:conceptID>')
    graph = map_lido(lido_record(CABINET_TYPE, material("Holz", ids)), context()).graph
    assert set(graph.objects(cho(), DCTERMS.medium)) == {BOIS, kuniweb}
    assert set(graph.objects(kuniweb, SKOS.exactMatch)) == {
        BOIS, URIRef("https://d-nb.info/gnd/4066539-3"), URIRef("http://vocab.getty.edu/aat/300011914")}
    assert list(graph.objects(kuniweb, SKOS.broader)) == []
    assert list(graph.objects(kuniweb, SKOS.prefLabel)) == []  # "Holz" is the hub concept's own name


def test_added_search_term_is_not_the_concepts_name():
    work_type = CABINET_TYPE + '<lido:term xml:lang="de" lido:addedSearchTerm="yes">Möbel</lido:term>'
    graph = map_lido(lido_record(work_type), context()).graph
    assert list(graph.objects(CABINET, SKOS.prefLabel)) == [Literal("Kabinettschrank", lang="de")]


def test_wikidata_uri_is_kept():
    work_type = (f'<lido:conceptID lido:type="{URI_TYPE}">https://www.wikidata.org/wiki/Q1363254</lido:conceptID>'
                 '<lido:term xml:lang="de">Kabinettschrank</lido:term>')
    graph = map_lido(lido_record(work_type), context()).graph
    wikidata = URIRef("http://www.wikidata.org/entity/Q1363254")
    assert set(graph.objects(cho(), DC.type)) == {MOBILIER, wikidata}
    assert (wikidata, SKOS.broader, MOBILIER) in graph


def test_one_uri_given_for_two_hub_concepts_keeps_the_second_as_its_terms():
    ids = f'<lido:conceptID lido:type="{URI_TYPE}">http://vocab.getty.edu/aat/300011914</lido:conceptID>'
    shared = f'<lido:conceptID lido:type="{URI_TYPE}">http://vocab.getty.edu/aat/300010000</lido:conceptID>'
    mapped = map_lido(lido_record(CABINET_TYPE, material("Palisander", shared) + material("Eisen", shared)
                                  + material("Holz", ids)), context())
    aat = URIRef("http://vocab.getty.edu/aat/300010000")
    assert list(mapped.graph.objects(aat, SKOS.broader)) == [BOIS]
    # "Eisen" is the name of the hub's iron: the concept says it, and the doubtful URI is not repeated
    assert set(mapped.graph.objects(cho(), DCTERMS.medium)) == {BOIS, aat, URIRef(f"{BASE}/vocab/material/fer")}
    assert mapped.warnings == [f"concept {aat} names two concepts of the hub: kept as its terms here"]


def test_source_event_type_stands_beside_the_hubs_and_production_is_still_known():
    graph = map_lido(lido_record(CABINET_TYPE, event_type="<lido:term>Fotografische Aufnahme</lido:term>"),
                     context()).graph
    event = URIRef(f"{cho()}#event-1")
    kinds = set(graph.objects(event, EDM.hasType))
    assert Literal("Fotografische Aufnahme", lang="de") in kinds and len(kinds) == 2


# -- outputs ------------------------------------------------------------------------------------------------------
def test_edm_says_the_source_concept_with_its_language_and_its_broader_hub_concept():
    mapped = map_lido(lido_record(CABINET_TYPE, material("Palisander")), context())
    root = render_edm(mapped.graph, mapped.record_uri, render_context())
    provided = root.xpath("//edm:ProvidedCHO", namespaces=NS)[0]
    assert set(provided.xpath("dc:type/@rdf:resource", namespaces=NS)) == {str(MOBILIER), str(CABINET)}
    assert provided.xpath("dcterms:medium[not(@rdf:resource)]/text()", namespaces=NS) == ["Palisander"]
    concept = root.xpath(f"//skos:Concept[@rdf:about='{CABINET}']", namespaces=NS)[0]
    label = concept.xpath("skos:prefLabel", namespaces=NS)[0]
    assert (label.text, label.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("Kabinettschrank", "de")
    assert concept.xpath("skos:broader/@rdf:resource", namespaces=NS) == [str(MOBILIER)]


def test_lido_out_writes_the_source_concept_with_the_hub_concept_as_added_search_term():
    mapped = map_lido(lido_record(CABINET_TYPE), context())
    root = render_lido(mapped.graph, mapped.record_uri, render_context())
    work_types = root.xpath("//lido:objectWorkType[lido:conceptID='http://vocab.getty.edu/aat/300379868']",
                            namespaces=NS)
    assert len(work_types) == 1
    terms = [(t.text, t.get("{http://www.w3.org/XML/1998/namespace}lang"),
              t.get("{http://www.lido-schema.org}addedSearchTerm")) for t in work_types[0].xpath("lido:term",
                                                                                                 namespaces=NS)]
    assert terms == [("Kabinettschrank", "de", None), ("Möbel", "de", "yes")]


def test_lido_round_trip_keeps_the_source_concept():
    first = map_lido(lido_record(CABINET_TYPE, material("Palisander")), context())
    again = map_lido(etree.tostring(render_lido(first.graph, first.record_uri, render_context())), context())
    assert set(again.graph.objects(cho(), DC.type)) == {MOBILIER, CABINET}
    assert (CABINET, SKOS.broader, MOBILIER) in again.graph
    assert Literal("Palisander", lang="de") in set(again.graph.objects(cho(), DCTERMS.medium))


def test_oai_dc_type_says_the_source_term():
    mapped = map_lido(lido_record(CABINET_TYPE), context())
    root = render_oai_dc(mapped.graph, mapped.record_uri, render_context())
    assert "Kabinettschrank" in root.xpath("dc:type/text()", namespaces=NS)


def test_search_files_the_record_under_the_hub_concept_only_and_finds_the_source_term():
    mapped = map_lido(lido_record(CABINET_TYPE), context())
    ntriples = mapped.graph.serialize(format="nt")
    indexed = index_record("oai:musenor.fr:M0629:R-1", str(mapped.record_uri), ntriples)
    assert indexed.facets["type"] == ["object-type/mobilier"]
    assert "Kabinettschrank" in indexed.text["other"]


# -- Joconde: the ministry's term filed under a broader hub concept ------------------------------------------------
def joconde(tech: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Numero_inventaire", "Denomination", "Titre", "Materiaux_techniques", "Code_Museofile"])
    writer.writerow(["2003.5.1", "calice", "Calice", tech, "M0634"])
    return buffer.getvalue().encode()


def test_joconde_narrower_term_is_kept_beside_its_concept():
    context_ = MappingContext("M0634", "La Piscine", URIS, load_vocabularies(BASE))
    graph = map_joconde_row(joconde("vermeil"), context_).graph
    obj = URIS.object("M0634", "2003.5.1")
    assert set(graph.objects(obj, DCTERMS.medium)) == {
        URIRef(f"{BASE}/vocab/ministry-tech/argent-dore"), Literal("vermeil", lang="fr")}


def test_joconde_term_that_is_the_concepts_name_is_the_concept_alone():
    context_ = MappingContext("M0634", "La Piscine", URIS, load_vocabularies(BASE))
    graph = map_joconde_row(joconde("argent"), context_).graph
    obj = URIS.object("M0634", "2003.5.1")
    assert set(graph.objects(obj, DCTERMS.medium)) == {URIRef(f"{BASE}/vocab/ministry-tech/argent")}


def test_a_repeated_language_copy_naming_another_event_type_keeps_its_word():
    # The official LIDO examples repeat descriptiveMetadata per language; the German copy says "Herstellung"
    # (the hub's production) where the first says "Restaurierung": the first type stands, the word stays.
    block = ('<lido:descriptiveMetadata xml:lang="{lang}"><lido:objectClassificationWrap><lido:objectWorkTypeWrap>'
             '<lido:objectWorkType><lido:term>Gemälde</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>'
             '</lido:objectClassificationWrap><lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>'
             '<lido:appellationValue>Bild</lido:appellationValue></lido:titleSet></lido:titleWrap>'
             '</lido:objectIdentificationWrap><lido:eventWrap><lido:eventSet><lido:event><lido:eventType>'
             '<lido:term>{kind}</lido:term></lido:eventType></lido:event></lido:eventSet></lido:eventWrap>'
             '</lido:descriptiveMetadata>')
    raw = ('<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID>R-1</lido:lidoRecID>'
           + block.format(lang="de", kind="Restaurierung") + block.format(lang="de", kind="Herstellung")
           + "</lido:lido>").encode()
    graph = map_lido(raw, context()).graph
    assert set(graph.objects(URIRef(f"{cho()}#event-1"), EDM.hasType)) == {
        URIRef(f"{BASE}/vocab/event-type/restoration"), Literal("Herstellung", lang="de")}


def test_oai_dc_source_keeps_its_specific_type_beside_the_hub_concept():
    from musenor.mappings.dialects.oai_dc import map_oai_dc
    raw = b"""<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title xml:lang="de">Schrank</dc:title>
        <dc:type xml:lang="de">Kabinettschrank</dc:type><dc:identifier>R-1</dc:identifier></oai_dc:dc>"""
    graph = map_oai_dc(raw, context()).graph
    assert set(graph.objects(cho(), DC.type)) == {MOBILIER, Literal("Kabinettschrank", lang="de")}


def test_outputs_with_source_concepts_are_valid_lido_and_pass_europeana():
    from schemas import EDM_XSD, assert_valid, europeana_errors
    mapped = map_lido(lido_record(CABINET_TYPE, material("Palisander")), context())
    assert_valid("lido-1.1", render_lido(mapped.graph, mapped.record_uri, render_context()))
    edm = render_edm(mapped.graph, mapped.record_uri, render_context())
    own = etree.XMLSchema(etree.parse(str(EDM_XSD)))
    assert own.validate(edm), [e.message for e in own.error_log]
    assert europeana_errors(edm) == []
