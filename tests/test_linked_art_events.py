"""Linked Art keeps what the graph has (issue 13, class 7): every event with its time-span, places and actors,
identifiers, dimensions with their labels, inscriptions, the place hierarchy, the rights holder and the captions
of digital objects. Own LIDO fixtures in the shapes of the DDB exports under ../shared/data, mapped by the LIDO
dialect and written by the Linked Art renderer; exact JSON, one behaviour each."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Namespace, URIRef

from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.formats.edm import render_edm
from musenor.mappings.formats.linked_art import CONTEXT as LINKED_ART_CONTEXT, linked_art, render_linked_art
from musenor.vocabularies import load_vocabularies
from schemas import europeana_errors, require_shared

BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
OBJECT = f"{BASE}/id/object/M0629/R-1"
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
SCI = Namespace("http://www.ics.forth.gr/isl/CRMsci/")
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCTERMS_NS = "http://purl.org/dc/terms/"
GERMAN = [{"id": "http://vocab.getty.edu/aat/300388344", "type": "Language", "_label": "German"}]
HEAD = """<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType><lido:term>Kabinettschrank
    </lido:term></lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>"""
EVENTS = """<lido:eventWrap>
 <lido:eventSet><lido:displayEvent xml:lang="de">Herstellung</lido:displayEvent><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00007</lido:conceptID>
   <lido:term xml:lang="de">Herstellung</lido:term></lido:eventType>
  <lido:eventActor><lido:actorInRole><lido:actor lido:type="person"><lido:nameActorSet>
   <lido:appellationValue>Roentgen, David</lido:appellationValue></lido:nameActorSet></lido:actor></lido:actorInRole>
  </lido:eventActor>
  <lido:eventDate><lido:displayDate>1780</lido:displayDate><lido:date><lido:earliestDate>1780</lido:earliestDate>
   <lido:latestDate>1780</lido:latestDate></lido:date></lido:eventDate>
 </lido:event></lido:eventSet>
 <lido:eventSet><lido:displayEvent xml:lang="de">Restaurierung 1952</lido:displayEvent><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00034</lido:conceptID>
   <lido:term xml:lang="de">Restaurierung</lido:term></lido:eventType>
  <lido:eventActor><lido:actorInRole><lido:actor lido:type="person"><lido:nameActorSet>
   <lido:appellationValue>Werkstatt Müller</lido:appellationValue></lido:nameActorSet></lido:actor></lido:actorInRole>
  </lido:eventActor>
  <lido:eventDate><lido:displayDate>1952</lido:displayDate><lido:date><lido:earliestDate>1952</lido:earliestDate>
   <lido:latestDate>1952</lido:latestDate></lido:date></lido:eventDate>
  <lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Braunschweig</lido:appellationValue>
   </lido:namePlaceSet><lido:partOfPlace><lido:namePlaceSet><lido:appellationValue>Niedersachsen</lido:appellationValue>
   </lido:namePlaceSet><lido:partOfPlace><lido:namePlaceSet><lido:appellationValue>Deutschland</lido:appellationValue>
   </lido:namePlaceSet></lido:partOfPlace></lido:partOfPlace></lido:place></lido:eventPlace>
 </lido:event></lido:eventSet>
 <lido:eventSet><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00026</lido:conceptID>
   <lido:term xml:lang="de">Zerstörung</lido:term></lido:eventType>
  <lido:eventDate><lido:displayDate>1944</lido:displayDate><lido:date><lido:earliestDate>1944</lido:earliestDate>
   <lido:latestDate>1944</lido:latestDate></lido:date></lido:eventDate>
 </lido:event></lido:eventSet>
 <lido:eventSet><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00001</lido:conceptID>
   <lido:term xml:lang="de">Erwerb</lido:term></lido:eventType>
  <lido:eventActor><lido:actorInRole><lido:actor lido:type="organization"><lido:nameActorSet>
   <lido:appellationValue>Kunsthandel Berlin</lido:appellationValue></lido:nameActorSet></lido:actor>
   <lido:roleActor><lido:term xml:lang="de">Verkäufer</lido:term></lido:roleActor></lido:actorInRole>
  </lido:eventActor>
  <lido:eventDate><lido:displayDate>1921</lido:displayDate><lido:date><lido:earliestDate>1921</lido:earliestDate>
   <lido:latestDate>1921</lido:latestDate></lido:date></lido:eventDate>
 </lido:event></lido:eventSet>
 <lido:eventSet><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00002</lido:conceptID>
   <lido:term xml:lang="de">Fund</lido:term></lido:eventType>
  <lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Haithabu</lido:appellationValue>
   </lido:namePlaceSet></lido:place></lido:eventPlace>
 </lido:event></lido:eventSet>
 <lido:eventSet><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00011</lido:conceptID>
   <lido:term xml:lang="de">Nutzung</lido:term></lido:eventType>
  <lido:eventDescriptionSet><lido:descriptiveNoteValue xml:lang="de">als Kabinettschrank im Schloss</lido:descriptiveNoteValue>
  </lido:eventDescriptionSet>
 </lido:event></lido:eventSet>
 <lido:eventSet><lido:event>
  <lido:eventType><lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00225</lido:conceptID>
   <lido:term xml:lang="de">Ausstellung</lido:term></lido:eventType>
 </lido:event></lido:eventSet>
</lido:eventWrap>"""


@pytest.fixture(scope="module")
def vocabularies():
    return load_vocabularies(BASE)


def mapped(vocabularies, identification: str = "", events: str = EVENTS, admin: str = ""):
    raw = f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
      <lido:lidoRecID lido:type="local">R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="de">{HEAD}
      <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet><lido:appellationValue>Schrank
      </lido:appellationValue></lido:titleSet></lido:titleWrap>{identification}</lido:objectIdentificationWrap>
      {events}</lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="de">{admin}</lido:administrativeMetadata></lido:lido>""".encode()
    return map_lido(raw, MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, vocabularies))


def document(vocabularies, identification: str = "", events: str = EVENTS, admin: str = "") -> dict:
    record = mapped(vocabularies, identification, events, admin)
    return linked_art(record.graph, record.record_uri, RenderContext(URIS, vocabularies=vocabularies))


def span(year: int) -> dict:
    return {"id": f"{BASE}/id/timespan/{year}_{year}", "type": "TimeSpan",
            "begin_of_the_begin": f"{year}-01-01T00:00:00Z", "end_of_the_end": f"{year}-12-31T23:59:59Z",
            "identified_by": [{"type": "Name", "content": str(year)}]}


def event_ids(value) -> set[str]:
    found = set()
    if isinstance(value, dict):
        if "#event-" in str(value.get("id", "")):
            found.add(value["id"])
        for inner in value.values():
            found |= event_ids(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= event_ids(inner)
    return found


# -- events -------------------------------------------------------------------------------------------------------
def test_every_event_of_the_graph_is_in_the_document_once(vocabularies):
    assert event_ids(document(vocabularies)) == {f"{OBJECT}#event-{n}" for n in range(1, 8)}


def test_a_restoration_is_a_modification_with_its_actor_date_and_place_hierarchy(vocabularies):
    assert document(vocabularies)["modified_by"] == [{
        "id": f"{OBJECT}#event-2", "type": "Modification", "_label": "Restaurierung 1952",
        "classified_as": [{"id": f"{BASE}/vocab/event-type/restoration", "type": "Type", "_label": "Restaurierung"}],
        "identified_by": [{"type": "Name", "content": "Restaurierung 1952", "language": GERMAN}],
        "carried_out_by": [{"id": f"{BASE}/id/agent/werkstatt-muller", "type": "Person", "_label": "Werkstatt Müller"}],
        "timespan": span(1952),
        "took_place_at": [{"id": f"{BASE}/id/place/braunschweig", "type": "Place", "_label": "Braunschweig",
                           "part_of": [{"id": f"{BASE}/id/place/niedersachsen", "type": "Place",
                                        "_label": "Niedersachsen",
                                        "part_of": [{"id": f"{BASE}/id/place/deutschland", "type": "Place",
                                                     "_label": "Deutschland"}]}]}]}]


def test_a_destruction_is_the_one_destroyed_by(vocabularies):
    assert document(vocabularies)["destroyed_by"] == {
        "id": f"{OBJECT}#event-3", "type": "Destruction",
        "classified_as": [{"id": f"{BASE}/vocab/event-type/destruction", "type": "Type", "_label": "Zerstörung"}],
        "timespan": span(1944)}


def test_a_second_destruction_is_an_event_the_object_was_present_at(vocabularies):
    destruction = """<lido:eventSet><lido:event><lido:eventType><lido:conceptID lido:type="URI"
        >http://terminology.lido-schema.org/lido00026</lido:conceptID></lido:eventType></lido:event></lido:eventSet>"""
    out = document(vocabularies, events=f"<lido:eventWrap>{destruction}{destruction}</lido:eventWrap>")
    assert out["destroyed_by"]["id"] == f"{OBJECT}#event-1"
    assert [(e["id"], e["type"]) for e in out["present_at"]] == [(f"{OBJECT}#event-2", "Destruction")]


def test_an_acquisition_keeps_its_aat_type_and_the_role_of_its_actor(vocabularies):
    assert document(vocabularies)["changed_ownership_through"] == [{
        "id": f"{OBJECT}#event-4", "type": "Acquisition",
        "classified_as": [{"id": "http://vocab.getty.edu/aat/300157782", "type": "Type", "_label": "Erwerbung",
                           "equivalent": [{"id": f"{BASE}/vocab/event-type/acquisition", "type": "Type"}]}],
        "part": [{"type": "Acquisition", "carried_out_by": [
            {"id": f"{BASE}/id/agent/kunsthandel-berlin", "type": "Group", "_label": "Kunsthandel Berlin"}],
            "classified_as": [{"id": f"{BASE}/vocab/role/vendeur", "type": "Type", "_label": "Verkäufer"}]}],
        "timespan": span(1921)}]


def test_a_find_is_an_encounter_at_its_place(vocabularies):
    assert document(vocabularies)["encountered_by"] == [{
        "id": f"{OBJECT}#event-5", "type": "Encounter",
        "classified_as": [{"id": f"{BASE}/vocab/event-type/find", "type": "Type", "_label": "Fund"}],
        "took_place_at": [{"id": f"{BASE}/id/place/haithabu", "type": "Place", "_label": "Haithabu"}]}]


def test_a_use_keeps_its_description(vocabularies):
    use = document(vocabularies)["used_for"]
    assert [(u["id"], u["type"]) for u in use] == [(f"{OBJECT}#event-6", "Activity")]
    assert [(s["content"], s["classified_as"][0]["_label"]) for s in use[0]["referred_to_by"]] == [
        ("als Kabinettschrank im Schloss", "Description")]


def test_any_other_event_is_an_activity_the_object_was_present_at(vocabularies):
    assert document(vocabularies)["present_at"] == [{
        "id": f"{OBJECT}#event-7", "type": "Activity",
        "classified_as": [{"id": "http://vocab.getty.edu/aat/300054766", "type": "Type", "_label": "Ausstellung",
                           "equivalent": [{"id": f"{BASE}/vocab/event-type/exhibition", "type": "Type"}]}]}]


def test_the_production_keeps_its_name(vocabularies):
    production = document(vocabularies)["produced_by"]
    assert production["id"] == f"{OBJECT}#event-1"
    assert production["identified_by"] == [{"type": "Name", "content": "Herstellung", "language": GERMAN}]
    assert production["timespan"] == span(1780)


def test_the_events_read_as_cidoc_crm_through_the_linked_art_context(vocabularies):
    context = json.loads(require_shared("data/vocab/cromulent-linkedart/linked-art.json").read_text())
    data = document(vocabularies)
    assert data["@context"] == LINKED_ART_CONTEXT
    data["@context"] = context["@context"]
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    cho = URIRef(OBJECT)
    assert {(p, o) for p, o in graph.predicate_objects(cho) if "#event-" in str(o)} == {
        (CRM.P108i_was_produced_by, URIRef(f"{OBJECT}#event-1")), (CRM.P31i_was_modified_by, URIRef(f"{OBJECT}#event-2")),
        (CRM.P13i_was_destroyed_by, URIRef(f"{OBJECT}#event-3")),
        (CRM.P24i_changed_ownership_through, URIRef(f"{OBJECT}#event-4")),
        (SCI.O19i_was_object_encountered_at, URIRef(f"{OBJECT}#event-5")),
        (CRM.P16i_was_used_for, URIRef(f"{OBJECT}#event-6")), (CRM.P12i_was_present_at, URIRef(f"{OBJECT}#event-7"))}
    assert (URIRef(f"{BASE}/id/place/braunschweig"), CRM.P89_falls_within, URIRef(f"{BASE}/id/place/niedersachsen")) \
        in graph


def test_edm_says_the_place_hierarchy_too_and_passes_europeanas_schema(vocabularies):
    record = mapped(vocabularies)
    root = render_edm(record.graph, record.record_uri, RenderContext(URIS, vocabularies=vocabularies))
    places = {p.get(f"{{{RDF_NS}}}about"): [b.get(f"{{{RDF_NS}}}resource") for b in p.findall(f"{{{DCTERMS_NS}}}isPartOf")]
              for p in root.findall("{http://www.europeana.eu/schemas/edm/}Place")}
    assert places == {f"{BASE}/id/place/braunschweig": [f"{BASE}/id/place/niedersachsen"],
                      f"{BASE}/id/place/niedersachsen": [f"{BASE}/id/place/deutschland"],
                      f"{BASE}/id/place/deutschland": [], f"{BASE}/id/place/haithabu": []}
    assert europeana_errors(root) == []


def test_a_place_that_is_part_of_itself_ends(vocabularies):
    looped = """<lido:eventWrap><lido:eventSet><lido:event><lido:eventType><lido:term>Fund</lido:term></lido:eventType>
        <lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Haithabu</lido:appellationValue>
        </lido:namePlaceSet><lido:partOfPlace><lido:namePlaceSet><lido:appellationValue>Haithabu
        </lido:appellationValue></lido:namePlaceSet></lido:partOfPlace></lido:place></lido:eventPlace>
        </lido:event></lido:eventSet></lido:eventWrap>"""
    out = document(vocabularies, events=looped)
    assert out["encountered_by"][0]["took_place_at"] == [
        {"id": f"{BASE}/id/place/haithabu", "type": "Place", "_label": "Haithabu"}]


def test_a_deep_place_hierarchy_is_read_to_twelve_levels_and_the_rest_counted_unmapped(vocabularies):
    nested = "".join(f"<lido:partOfPlace><lido:namePlaceSet><lido:appellationValue>P{n}</lido:appellationValue>"
                     f"</lido:namePlaceSet>" for n in range(1, 41)) + "</lido:partOfPlace>" * 40
    events = f"""<lido:eventWrap><lido:eventSet><lido:event><lido:eventType><lido:term>Fund</lido:term>
        </lido:eventType><lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>P0
        </lido:appellationValue></lido:namePlaceSet>{nested}</lido:place></lido:eventPlace></lido:event>
        </lido:eventSet></lido:eventWrap>"""
    record = mapped(vocabularies, events=events)
    chain, place = [], document(vocabularies, events=events)["encountered_by"][0]["took_place_at"][0]
    while place:
        chain.append(place["_label"])
        place = (place.get("part_of") or [None])[0]
    assert chain == [f"P{n}" for n in range(13)]
    assert sum(n for path, n in record.unmapped.items() if path.endswith("partOfPlace/namePlaceSet/appellationValue")) \
        == 28


# -- identifiers, dimensions, inscriptions, rights, images -------------------------------------------------------
IDENTIFICATION = """<lido:inscriptionsWrap><lido:inscriptions><lido:inscriptionTranscription xml:lang="de"
    >D. ROENTGEN 1780</lido:inscriptionTranscription></lido:inscriptions></lido:inscriptionsWrap>
    <lido:repositoryWrap><lido:repositorySet lido:type="current"><lido:workID lido:type="inventory number"
    >K 123</lido:workID></lido:repositorySet></lido:repositoryWrap>
    <lido:objectMeasurementsWrap><lido:objectMeasurementsSet><lido:displayObjectMeasurements
    >Höhe x Breite: 216 x 164 mm (Korpus)</lido:displayObjectMeasurements></lido:objectMeasurementsSet>
    </lido:objectMeasurementsWrap>"""
ADMIN = """<lido:rightsWorkWrap><lido:rightsWorkSet><lido:rightsHolder><lido:legalBodyName>
    <lido:appellationValue>Stiftung Schloss Benrath</lido:appellationValue></lido:legalBodyName></lido:rightsHolder>
    </lido:rightsWorkSet></lido:rightsWorkWrap>
    <lido:resourceWrap><lido:resourceSet><lido:resourceID lido:type="local">DE-MUS-019118/794675/4948631
    </lido:resourceID><lido:resourceRepresentation><lido:linkResource>https://img.example/k123.jpg</lido:linkResource>
    </lido:resourceRepresentation><lido:resourceDescription xml:lang="de">Vorderansicht, geöffnet
    </lido:resourceDescription></lido:resourceSet></lido:resourceWrap>"""


@pytest.fixture(scope="module")
def described(vocabularies):
    return document(vocabularies, IDENTIFICATION, events="", admin=ADMIN)


def test_inventory_number_is_an_accession_number_identifier(described):
    assert [i for i in described["identified_by"] if i["type"] == "Identifier"] == [
        {"type": "Identifier", "classified_as": [
            {"id": "http://vocab.getty.edu/aat/300312355", "type": "Type", "_label": "Accession Number"}],
         "content": "K 123"}]


def test_photograph_number_and_caption_of_the_digital_object(described):
    digital = described["representation"][0]["digitally_shown_by"][0]
    assert digital["identified_by"] == [{"type": "Identifier", "classified_as": [
        {"id": "http://vocab.getty.edu/aat/300404621", "type": "Type", "_label": "Owner-Assigned Number"}],
        "content": "DE-MUS-019118/794675/4948631"}]
    assert [(s["content"], s["classified_as"][0]["_label"]) for s in digital["referred_to_by"]] == [
        ("Vorderansicht, geöffnet", "Description")]


def test_dimensions_with_type_unit_and_the_part_measured(described):
    korpus = [{"type": "Name", "content": "Korpus", "language": GERMAN}]
    assert described["dimension"] == [
        {"type": "Dimension", "value": 216.0,
         "classified_as": [{"id": "http://vocab.getty.edu/aat/300055644", "type": "Type", "_label": "Height"}],
         "unit": {"id": "http://vocab.getty.edu/aat/300379097", "type": "MeasurementUnit", "_label": "millimeters"},
         "identified_by": korpus},
        {"type": "Dimension", "value": 164.0,
         "classified_as": [{"id": "http://vocab.getty.edu/aat/300055647", "type": "Type", "_label": "Width"}],
         "unit": {"id": "http://vocab.getty.edu/aat/300379097", "type": "MeasurementUnit", "_label": "millimeters"},
         "identified_by": korpus}]


def test_an_inscription_is_referred_to_by_a_linguistic_object_classified_as_inscription(described):
    assert [(s["content"], s["classified_as"][0]["id"]) for s in described["referred_to_by"]
            if s["classified_as"][0]["_label"] == "Inscription"] == [
        ("D. ROENTGEN 1780", "http://vocab.getty.edu/aat/300435414")]


def test_the_rights_holder_possesses_the_right_in_the_work(described):
    assert described["subject_to"] == [{"type": "Right", "classified_as": [
        {"id": "http://vocab.getty.edu/aat/300055598", "type": "Type", "_label": "Copyright"}],
        "possessed_by": [{"id": f"{BASE}/id/agent/stiftung-schloss-benrath", "type": "Group",
                          "_label": "Stiftung Schloss Benrath"}]}]


def test_the_rendering_is_bytes_of_that_document(vocabularies, described):
    # the renderer the hub registers serialises the same object
    raw = f"""<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID>R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="de">{HEAD}<lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
      <lido:appellationValue>Schrank</lido:appellationValue></lido:titleSet></lido:titleWrap>{IDENTIFICATION}
      </lido:objectIdentificationWrap></lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="de">{ADMIN}</lido:administrativeMetadata></lido:lido>""".encode()
    record = map_lido(raw, MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, vocabularies))
    body = render_linked_art(record.graph, record.record_uri, RenderContext(URIS, vocabularies=vocabularies))
    assert json.loads(body)["subject_to"] == described["subject_to"]
