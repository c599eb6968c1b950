"""The holding institution (issue 13, class 1): the record's holder, its owner and the museum that sent the record
are three facts, each kept in the graph, in EDM, in LIDO out, in Linked Art and on the record page."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Literal, URIRef

from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.formats.edm import render_edm
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.formats.linked_art import render_linked_art
from musenor.mappings.joconde_fields import deposit_owner
from musenor.mappings.namespaces import EDM, FOAF, MUSENOR, RDF, SKOS
from musenor.vocabularies import load_vocabularies

BASE = "http://hub.test"
URIS = HubURIs(BASE)
LILLE = URIRef(f"{BASE}/id/museum/M0629")
CNAP = URIRef(f"{BASE}/id/agent/centre-national-des-arts-plastiques")
ORSAY = URIRef(f"{BASE}/id/agent/musee-d-orsay")
NS = {"lido": "http://www.lido-schema.org", "ore": "http://www.openarchives.org/ore/terms/",
      "edm": "http://www.europeana.eu/schemas/edm/"}


def context() -> MappingContext:
    return MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, load_vocabularies(BASE))


def lido(repositories: str, record_source: str = "") -> bytes:
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
      <lido:lidoRecID lido:type="local">R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="fr">
        <lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
          <lido:term>tableau</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>
        <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
          <lido:appellationValue>Paysage</lido:appellationValue></lido:titleSet></lido:titleWrap>
          <lido:repositoryWrap>{repositories}</lido:repositoryWrap>
        </lido:objectIdentificationWrap>
      </lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="fr"><lido:recordWrap>
        <lido:recordID lido:type="local">R-1</lido:recordID>
        <lido:recordType><lido:term>item</lido:term></lido:recordType>{record_source}
      </lido:recordWrap></lido:administrativeMetadata>
    </lido:lido>""".encode()


def repository(name: str, kind: str = "current", ids: str = "") -> str:
    return (f'<lido:repositorySet lido:type="{kind}"><lido:repositoryName>{ids}<lido:legalBodyName>'
            f"<lido:appellationValue>{name}</lido:appellationValue></lido:legalBodyName></lido:repositoryName>"
            f'<lido:workID lido:type="inventory number">P 1</lido:workID></lido:repositorySet>')


ORSAY_HOLDS = repository("Musée d'Orsay", ids='<lido:legalBodyID lido:type="isil">FR-751075</lido:legalBodyID>')
LILLE_HOLDS_CNAP_OWNS = repository("Palais des Beaux-Arts, Lille") + repository(
    "Centre national des arts plastiques", kind="owner")


def test_the_holder_the_record_names_is_the_data_provider_and_the_sender_an_intermediate():
    mapped = map_lido(lido(ORSAY_HOLDS), context())
    graph, record = mapped.graph, mapped.record_uri
    assert list(graph.objects(record, EDM.dataProvider)) == [ORSAY]
    assert list(graph.objects(record, EDM.intermediateProvider)) == [LILLE]
    assert list(graph.objects(mapped.cho, MUSENOR.repository)) == [ORSAY]
    assert set(graph.predicate_objects(ORSAY)) == {
        (RDF.type, EDM.Agent), (RDF.type, FOAF.Organization), (SKOS.prefLabel, Literal("Musée d'Orsay", lang="fr")),
        (URIRef("http://purl.org/dc/elements/1.1/identifier"), Literal("FR-751075"))}


def test_the_museums_own_name_spelled_its_own_way_is_the_museum():
    mapped = map_lido(lido(repository("Palais des Beaux-Arts, Lille")), context())
    assert list(mapped.graph.objects(mapped.record_uri, EDM.dataProvider)) == [LILLE]
    assert list(mapped.graph.objects(mapped.record_uri, EDM.intermediateProvider)) == []


def test_a_record_naming_no_repository_falls_back_to_its_record_source_then_the_museum():
    source = ("<lido:recordSource><lido:legalBodyName><lido:appellationValue>Musée d'Orsay</lido:appellationValue>"
              "</lido:legalBodyName></lido:recordSource>")
    with_source = map_lido(lido("", source), context())
    assert list(with_source.graph.objects(with_source.record_uri, EDM.dataProvider)) == [ORSAY]
    assert list(with_source.graph.objects(with_source.record_uri, MUSENOR.recordSource)) == [ORSAY]
    bare = map_lido(lido(""), context())
    assert list(bare.graph.objects(bare.record_uri, EDM.dataProvider)) == [LILLE]


def test_a_member_museum_named_by_its_museofile_code_is_that_museums_uri():
    ids = '<lido:legalBodyID lido:type="Museofile">M0631</lido:legalBodyID>'
    mapped = map_lido(lido(repository("Hospice Comtesse", ids=ids)), context())
    assert list(mapped.graph.objects(mapped.record_uri, EDM.dataProvider)) == [URIRef(f"{BASE}/id/museum/M0631")]


def test_the_owner_of_a_deposit_is_kept_beside_the_holder():
    mapped = map_lido(lido(LILLE_HOLDS_CNAP_OWNS), context())
    assert list(mapped.graph.objects(mapped.cho, MUSENOR.repository)) == [LILLE]
    assert list(mapped.graph.objects(mapped.cho, MUSENOR.owner)) == [CNAP]


def test_edm_names_the_holder_as_data_provider_and_the_sender_as_intermediate_provider():
    mapped = map_lido(lido(ORSAY_HOLDS), context())
    rendering = RenderContext(URIS, museum_names={"M0629": "Palais des Beaux-Arts de Lille"})
    root = render_edm(mapped.graph, mapped.record_uri, rendering)
    assert root.xpath("ore:Aggregation/edm:dataProvider/text()", namespaces=NS) == ["Musée d'Orsay"]
    assert root.xpath("ore:Aggregation/edm:intermediateProvider/text()", namespaces=NS) == [
        "Palais des Beaux-Arts de Lille"]


def test_lido_out_keeps_the_repository_the_owner_and_the_isil_as_received():
    mapped = map_lido(lido(ORSAY_HOLDS + repository("Centre national des arts plastiques", kind="owner")), context())
    root = render_lido(mapped.graph, mapped.record_uri, RenderContext(URIS))
    sets = root.xpath("//lido:repositorySet", namespaces=NS)
    assert [(s.get("{http://www.lido-schema.org}type"),
             s.xpath("lido:repositoryName/lido:legalBodyName/lido:appellationValue/text()", namespaces=NS),
             s.xpath("lido:repositoryName/lido:legalBodyID/text()", namespaces=NS)) for s in sets] == [
        ("current", ["Musée d'Orsay"], ["FR-751075"]), ("owner", ["Centre national des arts plastiques"], [])]
    again = map_lido(etree.tostring(root), context())
    assert list(again.graph.objects(again.cho, MUSENOR.owner)) == [CNAP]
    assert list(again.graph.objects(again.record_uri, EDM.dataProvider)) == [ORSAY]


def test_linked_art_says_custody_and_ownership_of_a_deposit():
    mapped = map_lido(lido(LILLE_HOLDS_CNAP_OWNS), context())
    document = json.loads(render_linked_art(mapped.graph, mapped.record_uri, RenderContext(URIS)))
    assert [g["id"] for g in document["current_custodian"]] == [str(LILLE)]
    assert document["current_owner"] == [{"id": str(CNAP), "type": "Group",
                                          "_label": "Centre national des arts plastiques"}]


@pytest.mark.parametrize("status, owner", [
    ("propriété de l'Etat ; dépôt du musée d'Orsay ; Lille ; palais des Beaux-Arts", "musée d'Orsay"),
    ("dépôt de l'Etat", "État"),
    ("propriété de l'Etat ; dépôt", "État"),
    ("propriété de la commune ; dépôt", None),  # whose commune is said nowhere: nothing is made up
    ("propriété de la commune ; don ; Autun ; musée Rolin", None),
    ("", None),
])
def test_joconde_stat_names_the_depositor(status, owner):
    assert deposit_owner(status) == owner


def test_joconde_deposit_is_the_objects_owner():
    row = ("Numero_inventaire,Titre,Domaine,Statut_juridique\n"
           "D 1,Paysage,peinture,\"propriété de l'Etat ; dépôt du musée d'Orsay\"\n").encode()
    options = {"columns": {"INV": ["Numero_inventaire"], "TITR": ["Titre"], "DOMN": ["Domaine"],
                           "STAT": ["Statut_juridique"]}}
    mapped = map_joconde_row(row, MappingContext("M0619", "Musée de la Chartreuse", URIS, options=options))
    assert list(mapped.graph.objects(mapped.cho, MUSENOR.owner)) == [ORSAY]


def test_the_record_page_says_on_deposit_from(tmp_path: Path):
    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
    import webcatalogue

    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    mapped = map_lido(lido(LILLE_HOLDS_CNAP_OWNS), context())
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(str(mapped.record_uri),
                                                                mapped.graph.serialize(format="nt"))])
    app = webcatalogue.make_app(config, catalogue)
    try:
        client = app.test_client()
        assert "Dépôt de Centre national des arts plastiques" in client.get("/notice/M0629/R-1").data.decode()
        assert "On deposit from Centre national des arts plastiques" in \
            client.get("/notice/M0629/R-1?lang=en").data.decode()
        assert "Dépôt de" not in client.get("/notice/M0629/P.1850.3").data.decode()
    finally:
        webcatalogue.close_app(app, catalogue)
