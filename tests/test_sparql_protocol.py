"""The SPARQL 1.1 Protocol at /sparql: every results format, every graph format, every refusal."""

import csv
import io
import json
import sys
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

TITLES = """PREFIX dc: <http://purl.org/dc/elements/1.1/>
SELECT ?cho ?title WHERE { ?cho dc:title ?title FILTER (LANG(?title) = "fr") } ORDER BY ?title"""
CONSTRUCT = """PREFIX dc: <http://purl.org/dc/elements/1.1/>
CONSTRUCT { ?cho dc:title ?title } WHERE { ?cho dc:title ?title }"""
EXPECTED_TITLES = [
    "Les Vieilles", "Paysage flamand avec église", "Vase à décor de paysage", "Vue de l'église Saint-Maurice",
    "Échantillon de tissu « cœur fleuri »",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("sparql"))
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=2, SPARQL_MAX_ROWS=3)
    yield app.test_client()
    pool = app.extensions.get("musenor.sparql_pool")
    if pool:
        pool.close()
    app.extensions["musenor.dumps"].wait()
    catalogue.close()


def get(client, query, **kwargs):
    headers = kwargs.pop("headers", {})
    params = "&".join(f"{k}={quote(v)}" for k, v in kwargs.items())
    return client.get(f"/sparql?query={quote(query)}" + (f"&{params}" if params else ""), headers=headers)


def titles_of_json(data: bytes) -> list[str]:
    return [b["title"]["value"] for b in json.loads(data)["results"]["bindings"]]


def test_select_defaults_to_sparql_json(client):
    response = get(client, TITLES + " LIMIT 2")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert json.loads(response.data)["head"] == {"vars": ["cho", "title"]}
    assert titles_of_json(response.data) == EXPECTED_TITLES[:2]
    assert "Accept" in response.headers["Vary"]


def test_json_binding_carries_language_and_iri(client):
    response = get(client, TITLES + " LIMIT 1")
    binding = json.loads(response.data)["results"]["bindings"][0]
    assert binding["title"] == {"type": "literal", "value": "Les Vieilles", "xml:lang": "fr"}
    assert binding["cho"] == {"type": "uri", "value": "http://hub.test/id/object/M0629/P.1799.1"}


@pytest.mark.parametrize("accept,fmt,media", [
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    (None, "xml", "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    (None, "csv", "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    (None, "tsv", "text/tab-separated-values"),
    (None, "json", "application/sparql-results+json"),
])
def test_results_formats_parse_back_to_the_same_solutions(client, accept, fmt, media):
    extra = {"format": fmt} if fmt else {}
    response = get(client, TITLES + " LIMIT 2", headers={"Accept": accept} if accept else {}, **extra)
    assert response.status_code == 200
    assert response.mimetype == media
    parsed = pyoxigraph.parse_query_results(response.data, format=pyoxigraph.QueryResultsFormat.from_media_type(
        media)) if media != "text/csv" else None
    if parsed is not None:
        assert [s["title"].value for s in parsed] == EXPECTED_TITLES[:2]
    else:
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"))))
        assert rows == [["cho", "title"], ["http://hub.test/id/object/M0629/P.1799.1", "Les Vieilles"],
                        ["http://hub.test/id/object/M0631/D.17", "Paysage flamand avec église"]]


def test_tsv_writes_terms_in_turtle_syntax(client):
    response = get(client, TITLES + " LIMIT 1", format="tsv")
    assert response.data.decode("utf-8") == '?cho\t?title\n<http://hub.test/id/object/M0629/P.1799.1>\t"Les Vieilles"@fr\n'


def test_csv_quotes_fields_with_commas_and_quotes(client):
    response = get(client, 'SELECT ?x WHERE { BIND ("a, \\"b\\"" AS ?x) }', format="csv")
    assert response.data == b'x\r\n"a, ""b"""\r\n'


@pytest.mark.parametrize("fmt,media", [("json", "application/sparql-results+json"),
                                       ("xml", "application/sparql-results+xml")])
def test_ask_answers_a_boolean(client, fmt, media):
    response = get(client, 'ASK { ?s <http://purl.org/dc/elements/1.1/title> "Les Vieilles"@fr }', format=fmt)
    assert response.mimetype == media
    assert bool(pyoxigraph.parse_query_results(response.data, format=pyoxigraph.QueryResultsFormat.from_media_type(
        media))) is True


def expected_title_graph() -> Graph:
    graph = Graph()
    for nt in webcatalogue.record_graphs().values():
        part = Graph().parse(data=nt, format="nt")
        for triple in part.triples((None, URIRef("http://purl.org/dc/elements/1.1/title"), None)):
            graph.add(triple)
    return graph


@pytest.mark.parametrize("accept,fmt,media,rdflib_format", [
    (None, None, "text/turtle", "turtle"),
    ("application/n-triples", None, "application/n-triples", "nt"),
    ("application/ld+json", None, "application/ld+json", "json-ld"),
    ("application/rdf+xml", None, "application/rdf+xml", "xml"),
    (None, "nt", "application/n-triples", "nt"),
    (None, "jsonld", "application/ld+json", "json-ld"),
    (None, "rdfxml", "application/rdf+xml", "xml"),
    (None, "ttl", "text/turtle", "turtle"),
])
def test_construct_formats_parse_back_to_the_same_triples(tmp_path_factory, accept, fmt, media, rdflib_format):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("construct"))
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=1)
    try:
        response = get(app.test_client(), CONSTRUCT, headers={"Accept": accept} if accept else {},
                       **({"format": fmt} if fmt else {}))
        assert response.status_code == 200
        assert response.mimetype == media
        assert isomorphic(Graph().parse(data=response.data, format=rdflib_format), expected_title_graph())
    finally:
        app.extensions["musenor.sparql_pool"].close()
        app.extensions["musenor.dumps"].wait()
        catalogue.close()


def test_describe_answers_turtle_about_the_resource(client):
    response = get(client, "DESCRIBE <http://hub.test/id/place/roubaix>")
    graph = Graph().parse(data=response.data, format="turtle")
    assert response.mimetype == "text/turtle"
    assert (URIRef("http://hub.test/id/place/roubaix"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            None) in graph


def test_form_post_and_direct_post_answer_like_get(client):
    form = client.post("/sparql", data={"query": TITLES + " LIMIT 1"})
    direct = client.post("/sparql", data=(TITLES + " LIMIT 1").encode(), content_type="application/sparql-query")
    assert form.status_code == direct.status_code == 200
    assert titles_of_json(form.data) == titles_of_json(direct.data) == ["Les Vieilles"]


def test_default_graph_uri_narrows_the_dataset(client):
    response = client.get("/sparql?query=" + quote(TITLES) + "&default-graph-uri=" +
                          quote("http://hub.test/id/record/M0630/C-88"))
    assert titles_of_json(response.data) == ["Vase à décor de paysage"]


def test_row_cap_cuts_and_says_so(client):
    response = get(client, TITLES)
    assert titles_of_json(response.data) == EXPECTED_TITLES[:3]
    assert response.headers["Musenor-Truncated"] == "true"
    assert response.headers["Musenor-Row-Cap"] == "3"


def test_vocabularies_are_queryable(client):
    response = get(client, 'SELECT ?l WHERE { <http://hub.test/vocab/object-type/peinture> '
                           '<http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER (LANG(?l) = "en") }')
    assert [b["l"]["value"] for b in json.loads(response.data)["results"]["bindings"]] == ["painting"]


# -- refusals -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,reason", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "SPARQL Update (INSERT DATA) is refused"),
    ("DELETE WHERE { ?s ?p ?o }", "SPARQL Update (DELETE WHERE) is refused"),
    ("LOAD <http://example.org/data.ttl>", "SPARQL Update (LOAD) is refused"),
    ("CLEAR ALL", "SPARQL Update (CLEAR) is refused"),
    ("DROP GRAPH <http://hub.test/id/record/M0630/C-88>", "SPARQL Update (DROP) is refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE (federated query) is refused"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?q ?r } } }",
     "SERVICE (federated query) is refused"),
    ("SELEKT * WHERE { ?s ?p ?o }", "malformed query"),
    ("SELECT * WHERE { ?s ?p ", "malformed query"),
])
def test_refused_with_400_and_the_reason(client, query, reason):
    response = get(client, query)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert reason in response.data.decode()


def test_refused_query_leaves_the_store_untouched(client):
    get(client, "DROP GRAPH <http://hub.test/id/record/M0630/C-88>")
    assert titles_of_json(get(client, TITLES, format="json").data)[:1] == ["Les Vieilles"]
    response = client.get("/sparql?query=" + quote("ASK { GRAPH <http://hub.test/id/record/M0630/C-88> { ?s ?p ?o } }"))
    assert json.loads(response.data)["boolean"] is True


def test_service_inside_a_string_is_not_a_reason_to_refuse(client):
    response = get(client, 'SELECT ?x WHERE { BIND ("SERVICE <http://example.org/> LOAD" AS ?x) }', format="json")
    assert response.status_code == 200
    assert json.loads(response.data)["results"]["bindings"] == [
        {"x": {"type": "literal", "value": "SERVICE <http://example.org/> LOAD"}}]


def test_update_parameter_is_refused(client):
    response = client.post("/sparql", data={"update": "INSERT DATA { <http://a> <http://b> <http://c> }"})
    assert response.status_code == 400
    assert "read-only" in response.data.decode()


def test_sparql_update_body_is_refused(client):
    response = client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    assert response.status_code == 400
    assert response.data.decode() == "this endpoint is read-only: SPARQL Update is refused\n"


def test_unknown_body_type_is_415(client):
    response = client.post("/sparql", data=b"{}", content_type="application/json")
    assert response.status_code == 415
    assert response.data.decode() == ("unsupported request body type application/json: use "
                                      "application/x-www-form-urlencoded or application/sparql-query\n")


def test_two_query_parameters_are_refused(client):
    response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400
    assert response.data.decode() == "give exactly one 'query' parameter\n"


def test_no_query_is_400_for_machines(client):
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400
    assert response.data.decode() == ("no query: pass it as 'query' (GET or form POST) or as an "
                                      "application/sparql-query body\n")


def test_unoffered_type_is_406(client):
    assert get(client, TITLES, headers={"Accept": "image/png"}).status_code == 406
    assert get(client, TITLES, format="ttl").status_code == 406
    assert get(client, CONSTRUCT, format="csv").status_code == 406


def test_query_engine_rejection_is_400(client):
    # rdflib's grammar accepts it, the engine does not know the function: still the client's fault.
    response = get(client, "SELECT ?x WHERE { BIND (<http://example.org/no-such-function>(1) AS ?x) }")
    assert response.status_code == 400
    assert "no-such-function" in response.data.decode()


# -- the page for people ---------------------------------------------------------------------------------

def test_query_page_lists_the_examples(client):
    response = client.get("/sparql", headers={"Accept": "text/html"})
    page = response.data.decode()
    assert response.status_code == 200 and response.mimetype == "text/html"
    for title in ("Nombre d&#39;œuvres par musée", "Œuvres d&#39;un créateur", "Œuvres d&#39;une période",
                  "Objets d&#39;un matériau", "Œuvres avec image", "Œuvres sans statut de droits"):
        assert title in page


OBJECT = "http://hub.test/id/object/"
VIEW = (f"{OBJECT}M0629/P.1850.3", "View of the Saint-Maurice church")
VUE = (f"{OBJECT}M0629/P.1850.3", "Vue de l'église Saint-Maurice")
# Each example's whole answer on the web fixture, as (variables, rows sorted: ties in ORDER BY have no order).
EXAMPLE_ANSWERS = {
    "works-per-museum": (["museum", "name", "works"], [
        ("http://hub.test/id/museum/M0629", "Palais des Beaux-Arts de Lille", "2"),
        ("http://hub.test/id/museum/M0630", "La Piscine, musée d'Art et d'Industrie André Diligent", "2"),
        ("http://hub.test/id/museum/M0631", "Musée de la Chartreuse, Douai", "1")]),
    "works-by-creator": (["cho", "title", "creatorName"], [(*VIEW, "Corot, Camille"), (*VUE, "Corot, Camille")]),
    "works-of-a-period": (["cho", "title", "begin"], [
        (f"{OBJECT}M0629/P.1799.1", "Les Vieilles", "1808"), (*VIEW, "1850"), (*VUE, "1850")]),
    "objects-of-a-material": (["material", "label", "objects"], [
        ("coton", None, "1"), ("http://hub.test/vocab/material/faience", "faïence", "1"),
        ("http://hub.test/vocab/material/huile", "huile", "3")]),
    "works-with-images": (["cho", "title", "image"], [
        (*VIEW, "http://img.test/lille/P.1850.3.jpg"), (*VUE, "http://img.test/lille/P.1850.3.jpg"),
        (f"{OBJECT}M0630/T%20204", "Échantillon de tissu « cœur fleuri »", "http://img.test/roubaix/T204.jpg"),
        (f"{OBJECT}M0631/D.17", "Paysage flamand avec église", "http://img.test/douai/D17.jpg")]),
    "works-without-rights": (["record", "cho", "title"], [
        ("http://hub.test/id/record/M0629/P.1799.1", f"{OBJECT}M0629/P.1799.1", "Les Vieilles"),
        ("http://hub.test/id/record/M0630/C-88", f"{OBJECT}M0630/C-88", "Vase à décor de paysage")]),
}


@pytest.fixture(scope="module")
def uncapped(tmp_path_factory):
    """The same catalogue without the row cap of ``client``, so that every example's whole answer shows."""
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("sparql-examples"))
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=1)
    yield app.test_client()
    webcatalogue.close_app(app, catalogue)


@pytest.mark.parametrize("key", sorted(EXAMPLE_ANSWERS))
def test_every_example_gives_its_exact_answer(uncapped, key):
    from musenor.oai_server.sparql.examples import EXAMPLES_BY_KEY

    response = get(uncapped, EXAMPLES_BY_KEY[key].query("http://hub.test"), format="json")
    assert response.status_code == 200
    answer = json.loads(response.data)
    variables = answer["head"]["vars"]
    rows = sorted((tuple(b[v]["value"] if v in b else None for v in variables)
                   for b in answer["results"]["bindings"]), key=lambda row: tuple(v or "" for v in row))
    assert (variables, rows) == EXAMPLE_ANSWERS[key]


def test_every_example_on_the_page_is_checked():
    from musenor.oai_server.sparql.examples import EXAMPLES

    assert sorted(e.key for e in EXAMPLES) == sorted(EXAMPLE_ANSWERS)


def test_example_works_per_museum_counts_each_work_once(client):
    from musenor.oai_server.sparql.examples import EXAMPLES_BY_KEY

    response = get(client, EXAMPLES_BY_KEY["works-per-museum"].query("http://hub.test"), format="json")
    rows = [(b["museum"]["value"].rsplit("/", 1)[1], b["works"]["value"])
            for b in json.loads(response.data)["results"]["bindings"]]
    assert rows == [("M0629", "2"), ("M0630", "2"), ("M0631", "1")]


def test_example_without_rights_finds_the_undetermined_ones(tmp_path_factory):
    from musenor.oai_server.sparql.examples import EXAMPLES_BY_KEY

    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("rights"))
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=1)
    try:
        response = get(app.test_client(), EXAMPLES_BY_KEY["works-without-rights"].query("http://hub.test"))
        records = sorted(b["record"]["value"] for b in json.loads(response.data)["results"]["bindings"])
        assert records == ["http://hub.test/id/record/M0629/P.1799.1", "http://hub.test/id/record/M0630/C-88"]
    finally:
        app.extensions["musenor.sparql_pool"].close()
        app.extensions["musenor.dumps"].wait()
        catalogue.close()


def test_html_results_are_a_table_with_downloads(client):
    response = get(client, TITLES, headers={"Accept": "text/html"})
    page = response.data.decode()
    assert "<th scope=\"col\">?title</th>" in page
    assert "<td>Les Vieilles <span class=\"lang-tag\">@fr</span></td>" in page
    assert "format=csv" in page and "format=tsv" in page


def test_html_shows_a_refusal_as_400(client):
    response = get(client, "LOAD <http://example.org/x>", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "SPARQL Update (LOAD) is refused" in response.data.decode()
