"""LIDO records that are valid but were refused, and honest unmapped counts (issue 13, classes 8 and 9)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from musenor.mappings import HubURIs, MappingContext, MappingError
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.namespaces import DC, MUSENOR, OWL
from musenor.vocabularies import load_vocabularies

BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
TITLE = """<lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
    <lido:appellationValue>Münze</lido:appellationValue></lido:titleSet></lido:titleWrap>
    </lido:objectIdentificationWrap>"""
WORK_TYPE = """<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
    <lido:term>tableau</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>"""


def context() -> MappingContext:
    return MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, load_vocabularies(BASE))


def lido(rec_id: str, body: str = WORK_TYPE + TITLE, admin: str = "") -> bytes:
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
      <lido:lidoRecID lido:type="local">{rec_id}</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="de">{body}</lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="de">{admin}</lido:administrativeMetadata>
    </lido:lido>""".encode()


RECORD_WRAP = """<lido:recordWrap><lido:recordID lido:type="local">{}</lido:recordID>
    <lido:recordType><lido:term>item</lido:term></lido:recordType></lido:recordWrap>"""


# -- class 8: valid records refused ------------------------------------------------------------------------------
def test_an_empty_lido_rec_id_gives_way_to_the_record_id_with_a_warning():
    mapped = map_lido(lido("", admin=RECORD_WRAP.format("obj-4711")), context())
    assert mapped.local_id == "obj-4711"
    assert mapped.warnings == ["lidoRecID is empty: recordID 'obj-4711' identifies the record"]


@pytest.mark.parametrize("placeholder", ["0", "-", "n/a", "unknown", "lidoRecID"])
def test_a_placeholder_lido_rec_id_gives_way_to_the_record_id(placeholder):
    mapped = map_lido(lido(placeholder, admin=RECORD_WRAP.format("obj-4711")), context())
    assert mapped.local_id == "obj-4711"
    assert mapped.warnings == [
        f"lidoRecID is the placeholder {placeholder!r}: recordID 'obj-4711' identifies the record"]


def test_records_sharing_a_placeholder_are_two_records():
    first = map_lido(lido("0", admin=RECORD_WRAP.format("obj-1")), context())
    second = map_lido(lido("0", admin=RECORD_WRAP.format("obj-2")), context())
    assert (first.local_id, second.local_id) == ("obj-1", "obj-2")


def test_the_inventory_number_identifies_a_record_with_no_other_identifier():
    body = WORK_TYPE + TITLE.replace("</lido:objectIdentificationWrap>", """<lido:repositoryWrap><lido:repositorySet>
        <lido:workID lido:type="inventory number">Inv. 12</lido:workID></lido:repositorySet></lido:repositoryWrap>
        </lido:objectIdentificationWrap>""")
    assert map_lido(lido("", body), context()).local_id == "Inv. 12"


def test_a_record_with_no_identifier_at_all_is_refused_saying_so():
    with pytest.raises(MappingError) as error:
        map_lido(lido(""), context())
    assert error.value.reason == "no lidoRecID, recordID, objectPublishedID or workID: the record has no identifier"
    assert error.value.museum == "M0629"


def test_an_empty_object_work_type_is_typed_by_the_classifications():
    body = """<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType><lido:term/>
        </lido:objectWorkType></lido:objectWorkTypeWrap><lido:classificationWrap><lido:classification>
        <lido:term>Münze</lido:term></lido:classification></lido:classificationWrap>
        </lido:objectClassificationWrap>""" + TITLE
    mapped = map_lido(lido("R-1", body), context())
    assert list(mapped.graph.objects(mapped.cho, DC.type)) == [URIRef(f"{BASE}/vocab/object-type/monnaie")]
    assert "objectWorkType empty: the classifications type the object" in mapped.warnings


def test_an_empty_object_work_type_and_no_classification_is_still_refused():
    body = """<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType><lido:term/>
        </lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>""" + TITLE
    with pytest.raises(MappingError) as error:
        map_lido(lido("R-1", body), context())
    assert error.value.reason == "no objectWorkType (LIDO requires one)"


# -- class 9: what is read and then discarded is counted as unmapped ----------------------------------------------
RESOURCE = """<lido:resourceWrap><lido:resourceSet>
    <lido:resourceID lido:type="local">IMG-1</lido:resourceID>
    <lido:resourceRepresentation><lido:linkResource>https://img.example/1.jpg</lido:linkResource>
    </lido:resourceRepresentation>
    <lido:resourceType><lido:term>Foto</lido:term></lido:resourceType>
    <lido:resourceSource><lido:legalBodyName><lido:appellationValue>Fotostudio</lido:appellationValue>
    </lido:legalBodyName></lido:resourceSource>
    </lido:resourceSet></lido:resourceWrap>"""


def test_resource_type_and_source_are_counted_unmapped():
    mapped = map_lido(lido("R-1", admin=RESOURCE), context())
    assert {path: n for path, n in mapped.unmapped.items() if path.startswith("administrativeMetadata/resource")} == {
        "administrativeMetadata/resourceWrap/resourceSet/resourceType/term": 1,
        "administrativeMetadata/resourceWrap/resourceSet/resourceSource/legalBodyName/appellationValue": 1}


def test_resource_id_is_kept_as_the_photograph_number():
    # issue 13.7: the museum's number of the photograph is an identifier of the image, not a discarded element
    mapped = map_lido(lido("R-1", admin=RESOURCE), context())
    assert list(mapped.graph.objects(URIRef("https://img.example/1.jpg"), DC.identifier)) == [Literal("IMG-1")]


ACTOR = """<lido:eventWrap><lido:eventSet><lido:event><lido:eventType><lido:term>Herstellung</lido:term>
    </lido:eventType><lido:eventActor><lido:actorInRole><lido:actor>
    <lido:actorID lido:type="local">A-77</lido:actorID>
    <lido:actorID lido:type="http://terminology.lido-schema.org/identifier_type/uri"
      >http://d-nb.info/gnd/118540238</lido:actorID>
    <lido:nameActorSet><lido:appellationValue>Goethe, Johann Wolfgang von</lido:appellationValue></lido:nameActorSet>
    <lido:nationalityActor><lido:term>deutsch</lido:term></lido:nationalityActor>
    </lido:actor></lido:actorInRole></lido:eventActor></lido:event></lido:eventSet></lido:eventWrap>"""


def test_an_actor_id_the_graph_keeps_is_mapped_and_one_it_drops_is_counted():
    mapped = map_lido(lido("R-1", WORK_TYPE + TITLE + ACTOR), context())
    agent = URIRef(f"{BASE}/id/agent/goethe-johann-wolfgang-von")
    assert list(mapped.graph.objects(agent, OWL.sameAs)) == [URIRef("https://d-nb.info/gnd/118540238")]
    actor = "descriptiveMetadata/eventWrap/eventSet/event/eventActor/actorInRole/actor"
    assert mapped.unmapped[f"{actor}/actorID"] == 1
    assert mapped.unmapped[f"{actor}/nationalityActor/term"] == 1


# -- class 3 in LIDO: an anonymous actor is an attribution state -------------------------------------------------
def test_an_anonymous_lido_actor_is_no_agent_and_goes_out_as_the_anonymous_actor():
    from lxml import etree

    from musenor.mappings import RenderContext
    from musenor.mappings.formats.lido import render_lido

    actor = ACTOR.replace("Goethe, Johann Wolfgang von", "unbekannt").replace(
        '<lido:actorID lido:type="local">A-77</lido:actorID>', "").replace(
        '<lido:actorID lido:type="http://terminology.lido-schema.org/identifier_type/uri"\n      '
        '>http://d-nb.info/gnd/118540238</lido:actorID>', "")
    mapped = map_lido(lido("R-1", WORK_TYPE + TITLE + actor), context())
    participation = URIRef(f"{mapped.cho}#event-1-actor-1")
    assert list(mapped.graph.objects(participation, MUSENOR.attribution)) == [Literal("anonyme", lang="fr")]
    assert list(mapped.graph.objects(mapped.cho, DC.creator)) == []
    root = render_lido(mapped.graph, mapped.record_uri, RenderContext(URIS))
    ns = {"lido": "http://www.lido-schema.org"}
    assert root.xpath("//lido:actorInRole/lido:actor/lido:nameActorSet/lido:appellationValue/text()",
                      namespaces=ns) == ["anonyme"]
    assert root.xpath("//lido:attributionQualifierActor", namespaces=ns) == []
    again = map_lido(etree.tostring(root), context())
    assert list(again.graph.objects(participation, MUSENOR.attribution)) == [Literal("anonyme", lang="fr")]
