"""Every kind of hub URI dereferences with content negotiation; Turtle and JSON-LD say the same triples."""

import gzip
import json
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DC, DCAT, RDF, SKOS, VOID

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

RECORD = "/id/record/M0629/P.1850.3"
FORMATS = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
           ("application/n-triples", "nt")]
URIS = [RECORD, "/id/record/M0630/T%20204", "/id/museum/M0630", "/id/agent/corot-camille-1796", "/id/place/lille",
        "/id/timespan/1850_1850", "/vocab/object-type/peinture", "/.well-known/void"]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("ld"))
    app = webcatalogue.make_app(config, catalogue)
    yield app, catalogue
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web[0].test_client()


def parsed(response, rdflib_format: str) -> Graph:
    return Graph().parse(data=response.data, format=rdflib_format)


@pytest.mark.parametrize("path", URIS)
@pytest.mark.parametrize("media,rdflib_format", FORMATS)
def test_each_uri_answers_each_rdf_format(client, path, media, rdflib_format):
    response = client.get(path, headers={"Accept": media})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    assert len(parsed(response, rdflib_format)) > 0


@pytest.mark.parametrize("path", URIS)
def test_turtle_and_json_ld_parse_back_to_the_same_triples(client, path):
    turtle = parsed(client.get(path, headers={"Accept": "text/turtle"}), "turtle")
    json_ld = parsed(client.get(path, headers={"Accept": "application/ld+json"}), "json-ld")
    rdf_xml = parsed(client.get(path, headers={"Accept": "application/rdf+xml"}), "xml")
    assert isomorphic(turtle, json_ld)
    assert isomorphic(turtle, rdf_xml)


def test_record_document_is_the_records_named_graph(client):
    graph = parsed(client.get(RECORD, headers={"Accept": "application/n-triples"}), "nt")
    expected = Graph().parse(data=webcatalogue.record_graphs()["http://hub.test/id/record/M0629/P.1850.3"],
                             format="nt")
    expected.add((URIRef("http://hub.test/id/record/M0629/P.1850.3"), URIRef("http://www.w3.org/ns/prov#wasGeneratedBy"),
                  URIRef("http://hub.test/id/harvest/1")))
    assert isomorphic(graph, expected)


def test_format_parameter_overrides_accept(client):
    response = client.get(RECORD + "?format=nt", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"


def test_no_accept_header_gives_turtle(client):
    response = client.get(RECORD)
    assert response.mimetype == "text/turtle"


def test_record_html_is_303_to_its_page(client):
    response = client.get(RECORD, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/notice/M0629/P.1850.3"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept,location", [
    ("text/turtle", "/id/record/M0629/P.1850.3"),
    ("application/ld+json", "/id/record/M0629/P.1850.3"),
    ("text/html", "/notice/M0629/P.1850.3"),
])
def test_object_is_303_to_its_description(client, accept, location):
    response = client.get("/id/object/M0629/P.1850.3", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == location
    assert "Accept" in response.headers["Vary"]


def test_object_303_keeps_the_format_parameter(client):
    response = client.get("/id/object/M0629/P.1850.3?format=jsonld")
    assert response.status_code == 303
    assert response.headers["Location"] == "/id/record/M0629/P.1850.3?format=jsonld"


def test_local_id_with_a_space_round_trips(client):
    graph = parsed(client.get("/id/record/M0630/T%20204", headers={"Accept": "text/turtle"}), "turtle")
    assert (URIRef("http://hub.test/id/object/M0630/T%20204"), DC.identifier, Literal("T 204")) in graph


def test_museum_rdf_carries_config_and_graph(client):
    graph = parsed(client.get("/id/museum/M0629", headers={"Accept": "text/turtle"}), "turtle")
    museum = URIRef("http://hub.test/id/museum/M0629")
    assert (museum, SKOS.prefLabel, Literal("Palais des Beaux-Arts de Lille", lang="fr")) in graph
    assert (museum, URIRef("http://xmlns.com/foaf/0.1/homepage"), URIRef("https://pba.lille.fr/")) in graph
    assert (URIRef("http://hub.test/id/record/M0629/P.1850.3"), URIRef("http://www.europeana.eu/schemas/edm/dataProvider"),
            museum) in graph


def test_museum_html_is_303_to_its_page(client):
    response = client.get("/id/museum/M0629", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"] == "/musees/M0629"


def test_agent_is_described_with_the_works_pointing_at_it(client):
    graph = parsed(client.get("/id/agent/corot-camille-1796", headers={"Accept": "text/turtle"}), "turtle")
    agent = URIRef("http://hub.test/id/agent/corot-camille-1796")
    assert (agent, SKOS.prefLabel, Literal("Corot, Camille", lang="fr")) in graph
    assert (URIRef("http://hub.test/id/object/M0629/P.1850.3"), DC.creator, agent) in graph


def test_concept_is_described_from_its_vocabulary(client):
    graph = parsed(client.get("/vocab/object-type/peinture", headers={"Accept": "text/turtle"}), "turtle")
    assert (URIRef("http://hub.test/vocab/object-type/peinture"), SKOS.prefLabel, Literal("painting", lang="en")) in graph


def test_agent_html_is_a_page_of_its_description(client):
    response = client.get("/id/agent/corot-camille-1796", headers={"Accept": "text/html"})
    page = response.data.decode()
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<h1>Corot, Camille</h1>" in page
    assert "Vue de l&#39;église Saint-Maurice" in page


@pytest.mark.parametrize("path", ["/id/record/M0629/NOPE", "/id/object/M0629/NOPE", "/id/agent/nobody",
                                  "/id/place/nowhere", "/vocab/object-type/nothing", "/id/museum/M9999"])
def test_unknown_uris_are_404(client, path):
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_unoffered_type_is_406(client):
    response = client.get(RECORD, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "Accept" in response.headers["Vary"]


def test_unknown_format_parameter_is_406(client):
    assert client.get(RECORD + "?format=docx").status_code == 406


def test_withdrawn_record_is_410(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    uri = "http://hub.test/id/record/M0630/C-88"
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, "", deleted=True)])
    app = webcatalogue.make_app(config, catalogue)
    try:
        assert app.test_client().get("/id/record/M0630/C-88", headers={"Accept": "text/turtle"}).status_code == 410
    finally:
        webcatalogue.close_app(app, catalogue)


def test_linked_art_on_request(client):
    profile = "https://linked.art/ns/v1/linked-art.json"
    response = client.get(RECORD, headers={"Accept": f'application/ld+json;profile="{profile}"'})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f'application/ld+json;profile="{profile}"'
    assert "Accept" in response.headers["Vary"].split(", ")
    document = json.loads(response.data)
    assert (document["@context"], document["id"], document["type"], document["_label"]) == (
        profile, "http://hub.test/id/object/M0629/P.1850.3", "HumanMadeObject", "Vue de l'église Saint-Maurice")
    assert [i["content"] for i in document["identified_by"] if i["type"] == "Identifier"] == ["P.1850.3"]


# -- VoID / DCAT and dumps --------------------------------------------------------------------------------

def test_void_describes_the_dataset(web, client):
    web[0].extensions["musenor.dumps"].wait()  # the counts are written with the dumps of a publish
    for path in ("/.well-known/void", "/void"):
        graph = parsed(client.get(path, headers={"Accept": "text/turtle"}), "turtle")
        dataset = URIRef("http://hub.test/id/dataset")
        assert (dataset, RDF.type, VOID.Dataset) in graph
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert (dataset, VOID.sparqlEndpoint, URIRef("http://hub.test/sparql")) in graph
        assert (dataset, VOID.dataDump, URIRef("http://hub.test/dumps/musenor.nt.gz")) in graph
        assert graph.value(dataset, VOID.entities).toPython() == 5
        assert graph.value(URIRef("http://hub.test/id/dataset/M0630"), VOID.entities).toPython() == 2


def test_dumps_hold_the_whole_graph(web, client):
    app, _ = web
    app.extensions["musenor.dumps"].wait()
    response = client.get("/dumps/musenor.nt.gz")
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    graph = Graph().parse(data=gzip.decompress(response.data), format="nt")
    assert (URIRef("http://hub.test/id/object/M0630/C-88"), DC.title, Literal("Vase à décor de paysage", lang="fr")) in graph
    assert (URIRef("http://hub.test/vocab/object-type/vase"), SKOS.prefLabel, Literal("vase", lang="en")) in graph
    turtle = client.get("/dumps/musenor.ttl.gz")
    assert isomorphic(Graph().parse(data=gzip.decompress(turtle.data), format="turtle"), graph)


def test_dumps_are_rewritten_after_a_publish(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    app = webcatalogue.make_app(config, catalogue)
    try:
        writer = app.extensions["musenor.dumps"]
        writer.wait()
        graph = '<http://hub.test/id/object/M0631/NEW> <http://purl.org/dc/elements/1.1/title> "Nouvelle œuvre"@fr .\n'
        webcatalogue.publish(catalogue, [webcatalogue.staged_record("http://hub.test/id/record/M0631/NEW", graph)])
        app.extensions["musenor.graph_sync"](force=True)
        writer.wait()
        dump = gzip.decompress((tmp_path / "dumps" / "musenor.nt.gz").read_bytes()).decode()
        assert '<http://hub.test/id/object/M0631/NEW> <http://purl.org/dc/elements/1.1/title> "Nouvelle œuvre"@fr .' in dump
        assert not list((tmp_path / "dumps").glob("*.part"))
    finally:
        webcatalogue.close_app(app, catalogue)


def test_unknown_dump_is_404(client):
    assert client.get("/dumps/../ledger.sqlite3").status_code == 404
    assert client.get("/dumps/secrets.gz").status_code == 404
