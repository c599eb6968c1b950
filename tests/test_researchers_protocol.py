"""What a researcher's client expects of the hub: CORS, the Service Description, dataset URIs that resolve,
HTTP caching with 304s, and records that cite themselves."""

import json
import sys
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
MUSENOR = Namespace("https://w3id.org/musenor/ns#")
BASE = "http://hub.test"
RECORD = "/id/record/M0629/P.1850.3"
GET_RECORD = "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:musenor.fr:M0629:P.1850.3"
ORIGIN = {"Origin": "https://notebook.example"}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("researchers"))
    app = webcatalogue.make_app(config, catalogue, SPARQL_TIMEOUT=7.5, SPARQL_MAX_ROWS=321)
    app.extensions["musenor.dumps"].wait()  # dumps and the dataset's statistics of this publish
    yield app, catalogue
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web[0].test_client()


def turtle(response) -> Graph:
    assert response.status_code == 200, response.data
    return Graph().parse(data=response.data, format="turtle")


def preflight(client, path: str, method: str = "POST", headers: str = "content-type"):
    return client.options(path, headers={**ORIGIN, "Access-Control-Request-Method": method,
                                         "Access-Control-Request-Headers": headers})


# -- CORS ------------------------------------------------------------------------------------------------

def test_sparql_preflight_allows_post_with_a_query_body(client):
    response = preflight(client, "/sparql")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == (
        "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since")
    assert response.headers["Access-Control-Max-Age"] == "86400"


@pytest.mark.parametrize("path", [RECORD, "/id/agent/corot-camille-1796", "/vocab/object-type/peinture",
                                  "/dumps/musenor.nt.gz", "/.well-known/void", "/id/dataset/M0629"])
def test_read_only_paths_preflight_allows_get_only(client, path):
    response = preflight(client, path, method="GET", headers="if-none-match")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_api_paths_are_cross_origin_by_prefix():
    from musenor.oai_server.cors import allowed_methods

    assert allowed_methods("/api/search") == ("GET", "HEAD", "POST", "OPTIONS")
    assert allowed_methods("/api/anything/else") == ("GET", "HEAD", "POST", "OPTIONS")
    assert allowed_methods("/apis") is None
    assert allowed_methods("/notice/M0629/P.1850.3") is None
    assert allowed_methods("/oai") is None


def test_credentials_are_never_allowed(client):
    for response in (preflight(client, "/sparql"), client.get(RECORD, headers={**ORIGIN, "Cookie": "s=1"}),
                     client.get("/sparql?query=ASK%7B%7D", headers=ORIGIN)):
        assert "Access-Control-Allow-Credentials" not in response.headers
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_cross_origin_read_may_see_the_validators_and_the_row_cap(client):
    response = client.get("/sparql?query=ASK%7B%7D", headers=ORIGIN)
    exposed = response.headers["Access-Control-Expose-Headers"].split(", ")
    assert {"ETag", "Last-Modified", "Musenor-Truncated", "Musenor-Row-Cap"} <= set(exposed)


def test_public_pages_are_not_opened_to_other_origins(client):
    assert "Access-Control-Allow-Origin" not in client.get("/notice/M0629/P.1850.3", headers=ORIGIN).headers
    assert "Access-Control-Allow-Origin" not in preflight(client, "/search").headers


# -- Service Description ---------------------------------------------------------------------------------

def test_sparql_without_a_query_describes_the_service(client):
    graph = turtle(client.get("/sparql", headers={"Accept": "text/turtle"}))
    service = URIRef(f"{BASE}/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert set(graph.objects(service, SD.resultFormat)) == {
        FORMATS[name] for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")}
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph


def test_service_description_states_the_time_limit_and_row_cap(client):
    graph = turtle(client.get("/sparql", headers={"Accept": "text/turtle"}))
    time_limit, row_cap = URIRef(f"{BASE}/sparql#time-limit"), URIRef(f"{BASE}/sparql#row-cap")
    service = URIRef(f"{BASE}/sparql")
    assert {(service, SD.feature, time_limit), (service, SD.feature, row_cap)} <= set(graph)
    assert graph.value(time_limit, MUSENOR.timeLimitSeconds) == Literal("7.5", datatype=XSD.decimal)
    assert graph.value(row_cap, MUSENOR.maxRows) == Literal(321, datatype=XSD.integer)


def test_service_description_names_the_default_and_named_graphs(client):
    graph = turtle(client.get("/sparql", headers={"Accept": "text/turtle"}))
    dataset = graph.value(URIRef(f"{BASE}/sparql"), SD.defaultDataset)
    assert graph.value(dataset, SD.defaultGraph) == URIRef(f"{BASE}/sparql#default-graph")
    named = [graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)]
    assert named == [URIRef("http://hub.test/vocab/test-concepts")]
    assert (URIRef(f"{BASE}/sparql#record-graphs"), RDF.type, SD.GraphCollection) in graph


@pytest.mark.parametrize("accept,media,rdflib_format", [
    ("", "text/turtle", "turtle"), ("*/*", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"), ("application/n-triples", "application/n-triples", "nt")])
def test_service_description_in_each_rdf_format(client, accept, media, rdflib_format):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == media
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert (URIRef(f"{BASE}/sparql"), RDF.type, SD.Service) in graph


def test_asking_for_results_without_a_query_is_still_400(client):
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400
    assert client.get("/sparql?format=csv").status_code == 400


# -- VoID and DCAT ---------------------------------------------------------------------------------------

def test_the_dataset_has_licence_publisher_modified_and_counts(client, web):
    graph = turtle(client.get("/id/dataset", headers={"Accept": "text/turtle"}))
    dataset, publisher = URIRef(f"{BASE}/id/dataset"), URIRef(f"{BASE}/id/publisher")
    assert graph.value(dataset, DCTERMS.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    assert graph.value(dataset, DCTERMS.publisher) == publisher
    assert graph.value(publisher, FOAF.name) == Literal("Musenor (test)")
    last_publish = max(r.hub_datestamp for r in web[1].ledger.records())
    assert graph.value(dataset, DCTERMS.modified) == Literal(last_publish, datatype=XSD.dateTime)
    assert graph.value(dataset, VOID.entities) == Literal(5, datatype=XSD.integer)
    assert graph.value(dataset, VOID.triples).toPython() == len(list(web[1].graph.query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")))


def test_one_subset_per_museum_with_its_own_counts(client):
    graph = turtle(client.get("/id/dataset", headers={"Accept": "text/turtle"}))
    subsets = set(graph.objects(URIRef(f"{BASE}/id/dataset"), VOID.subset))
    assert subsets == {URIRef(f"{BASE}/id/dataset/{code}") for code in ("M0629", "M0630", "M0631")}
    lille = URIRef(f"{BASE}/id/dataset/M0629")
    assert graph.value(lille, VOID.entities) == Literal(2, datatype=XSD.integer)
    assert graph.value(lille, VOID.triples) == Literal(75, datatype=XSD.integer)
    assert set(graph.objects(lille, VOID.exampleResource)) == {
        URIRef(f"{BASE}/id/object/M0629/P.1799.1"), URIRef(f"{BASE}/id/object/M0629/P.1850.3")}


def test_the_counts_are_read_from_the_publish_not_counted_per_request(web, client):
    from musenor.oai_server.dataset_statistics import STATISTICS_FILE

    stored = json.loads((web[1].data_dir / "dumps" / STATISTICS_FILE).read_text())
    assert stored["museums"]["M0629"]["entities"] == 2
    assert stored["change_seq"] == web[1].graph.applied_change_seq()


def test_dataset_links_dumps_endpoint_and_vocabularies(client):
    graph = turtle(client.get("/id/dataset", headers={"Accept": "text/turtle"}))
    dataset = URIRef(f"{BASE}/id/dataset")
    assert set(graph.objects(dataset, VOID.dataDump)) == {URIRef(f"{BASE}/dumps/musenor.nt.gz"),
                                                          URIRef(f"{BASE}/dumps/musenor.ttl.gz")}
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{BASE}/sparql")
    assert URIRef("http://www.europeana.eu/schemas/edm/") in set(graph.objects(dataset, VOID.vocabulary))
    dump = URIRef(f"{BASE}/dumps/musenor.nt.gz")
    assert graph.value(dump, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/application/n-triples")
    assert graph.value(dump, DCTERMS.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")


def test_dcat_ap_catalogue_entry(client):
    graph = turtle(client.get("/id/catalog", headers={"Accept": "text/turtle"}))
    catalog = URIRef(f"{BASE}/id/catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert graph.value(catalog, DCTERMS.conformsTo) == URIRef("http://data.europa.eu/r5r/")
    assert graph.value(catalog, DCAT.dataset) == URIRef(f"{BASE}/id/dataset")
    for mandatory in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalog, mandatory) is not None
        assert graph.value(URIRef(f"{BASE}/id/dataset"), mandatory) is not None
    contact = graph.value(URIRef(f"{BASE}/id/dataset"), DCAT.contactPoint)
    email = graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))
    assert email == URIRef("mailto:admin@musenor.example")


def minted(graph: Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(BASE) and "#" not in str(t)
            and "/id/object/" not in str(t) and "/oai?" not in str(t)}


def test_every_uri_the_description_mints_answers_html_and_rdf(client):
    graph = turtle(client.get("/.well-known/void", headers={"Accept": "text/turtle"}))
    uris = minted(graph)
    assert {f"{BASE}/id/dataset", f"{BASE}/id/dataset/M0630", f"{BASE}/id/catalog", f"{BASE}/id/publisher",
            f"{BASE}/id/museum/M0630", f"{BASE}/sparql"} <= uris
    for uri in sorted(uris):
        path = uri.removeprefix(BASE) or "/"
        rdf = client.get(path, headers={"Accept": "text/turtle"})
        assert rdf.status_code == 200, path
        if path.startswith("/dumps/"):
            continue  # a dump is a file, not a description
        html = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
        assert html.status_code == 200 and html.mimetype == "text/html", path


def test_a_subset_answers_with_its_own_description(client):
    graph = turtle(client.get("/id/dataset/M0630", headers={"Accept": "text/turtle"}))
    subset = URIRef(f"{BASE}/id/dataset/M0630")
    assert graph.value(subset, DCTERMS.isPartOf) == URIRef(f"{BASE}/id/dataset")
    assert graph.value(subset, VOID.entities) == Literal(2, datatype=XSD.integer)
    assert not set(graph.triples((URIRef(f"{BASE}/id/dataset/M0629"), None, None)))


def test_unknown_subset_is_404(client):
    assert client.get("/id/dataset/M9999", headers={"Accept": "text/turtle"}).status_code == 404


def test_museums_root_resource_answers(client):
    graph = turtle(client.get("/id/museum", headers={"Accept": "text/turtle"}))
    members = set(graph.objects(URIRef(f"{BASE}/id/museum"), URIRef("http://www.w3.org/2004/02/skos/core#member")))
    assert members == {URIRef(f"{BASE}/id/museum/{code}") for code in ("M0629", "M0630", "M0631")}
    html = client.get("/id/museum", headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["Location"].endswith("/musees")


# -- caching -----------------------------------------------------------------------------------------------

def test_record_answers_carry_a_strong_etag_and_last_modified(client, web):
    response = client.get(RECORD, headers={"Accept": "text/turtle"})
    etag, weak = response.get_etag()
    assert etag and not weak
    stamp = web[1].ledger.record_by_uri(f"{BASE}{RECORD}").hub_datestamp
    assert response.last_modified == datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert response.headers["Cache-Control"] == "public, max-age=300, must-revalidate"


def test_record_if_none_match_is_304(client):
    etag = client.get(RECORD, headers={"Accept": "text/turtle"}).headers["ETag"]
    response = client.get(RECORD, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag
    assert "Accept" in response.headers["Vary"]


def test_record_if_modified_since_is_304_and_an_older_date_is_200(client):
    modified = client.get(RECORD, headers={"Accept": "text/turtle"}).headers["Last-Modified"]
    assert client.get(RECORD, headers={"Accept": "text/turtle", "If-Modified-Since": modified}).status_code == 304
    older = format_datetime(datetime(2001, 1, 1, tzinfo=timezone.utc), usegmt=True)
    assert client.get(RECORD, headers={"Accept": "text/turtle", "If-Modified-Since": older}).status_code == 200


def test_each_format_has_its_own_etag(client):
    tags = {client.get(RECORD, headers={"Accept": media}).headers["ETag"]
            for media in ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")}
    assert len(tags) == 4
    turtle_tag = client.get(RECORD, headers={"Accept": "text/turtle"}).headers["ETag"]
    assert client.get(RECORD, headers={"Accept": "application/ld+json", "If-None-Match": turtle_tag}).status_code == 200


def test_a_new_version_of_the_mapping_code_gets_a_new_etag(client, monkeypatch):
    """Linked data is rendered from the stored graph by the running code: a cache must not keep the output
    of the previous version's renderers for a record that was not republished."""
    import musenor.oai_server.linked_data as linked_data

    before = client.get(RECORD, headers={"Accept": "application/ld+json"}).headers["ETag"]
    monkeypatch.setattr(linked_data, "code_digest", lambda: "a newer version of the renderers")
    response = client.get(RECORD, headers={"Accept": "application/ld+json", "If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before


def test_a_republished_record_gets_a_new_etag(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    app = webcatalogue.make_app(config, catalogue)
    try:
        client = app.test_client()
        before = client.get(RECORD, headers={"Accept": "text/turtle"}).headers["ETag"]
        uri = f"{BASE}{RECORD}"
        changed = webcatalogue.record_graphs()[uri].replace("Vue de l'église Saint-Maurice", "Vue de Saint-Maurice")
        webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, changed)])
        response = client.get(RECORD, headers={"Accept": "text/turtle", "If-None-Match": before})
        assert response.status_code == 200
        assert response.headers["ETag"] != before
        assert "Vue de Saint-Maurice" in response.data.decode()
    finally:
        webcatalogue.close_app(app, catalogue)


def test_linked_art_is_cached_and_revalidated(client):
    first = client.get(RECORD + "?format=linked-art")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    again = client.get(RECORD + "?format=linked-art", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert first.headers["ETag"] != client.get(RECORD + "?format=ttl").headers["ETag"]


def test_oai_get_record_is_cached_and_revalidated(client, web):
    first = client.get(GET_RECORD)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
    etag, weak = first.get_etag()
    assert etag and not weak
    stamp = web[1].ledger.record("oai:musenor.fr:M0629:P.1850.3").hub_datestamp
    assert first.headers["Last-Modified"] == format_datetime(
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc), usegmt=True)
    again = client.get(GET_RECORD, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get(GET_RECORD.replace("oai_dc", "edm")).headers["ETag"] != first.headers["ETag"]
    gzipped = client.get(GET_RECORD, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["ETag"] != first.headers["ETag"]


def test_oai_errors_and_lists_carry_no_validators(client):
    missing = client.get(GET_RECORD.replace("P.1850.3", "NOPE"))
    assert b"idDoesNotExist" in missing.data and "ETag" not in missing.headers
    assert "ETag" not in client.get("/oai?verb=Identify").headers


def test_dumps_carry_validators_from_the_publish_and_answer_304(client):
    first = client.get("/dumps/musenor.nt.gz")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=3600, must-revalidate"
    etag, weak = first.get_etag()
    assert etag and not weak and first.last_modified is not None
    assert client.get("/dumps/musenor.nt.gz", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/dumps/musenor.nt.gz",
                      headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    assert client.get("/dumps/musenor.ttl.gz").headers["ETag"] != first.headers["ETag"]


def test_if_none_match_wins_over_if_modified_since(client):
    first = client.get(RECORD, headers={"Accept": "text/turtle"})
    response = client.get(RECORD, headers={"Accept": "text/turtle", "If-None-Match": '"another"',
                                           "If-Modified-Since": first.headers["Last-Modified"]})
    assert response.status_code == 200


# -- citations -----------------------------------------------------------------------------------------

def test_csl_json_by_format_parameter(client):
    response = client.get(RECORD + "?format=csl-json")
    assert response.status_code == 200 and response.mimetype == "application/vnd.citationstyles.csl+json"
    today = datetime.now(timezone.utc).date()
    assert json.loads(response.data) == [{
        "id": "M0629-P.1850.3", "type": "artwork", "title": "Vue de l'église Saint-Maurice",
        "URL": f"{BASE}/id/object/M0629/P.1850.3", "archive": "Palais des Beaux-Arts de Lille",
        "archive-place": "Lille", "call-number": "P.1850.3", "publisher": "Musenor (test)",
        "author": [{"family": "Corot", "given": "Camille"}], "issued": {"date-parts": [[1850]]},
        "accessed": {"date-parts": [[today.year, today.month, today.day]]}}]


def test_bibtex_by_content_negotiation(client):
    response = client.get(RECORD, headers={"Accept": "application/x-bibtex"})
    assert response.status_code == 200 and response.mimetype == "application/x-bibtex"
    today = datetime.now(timezone.utc).date().isoformat()
    assert response.data.decode() == (
        "@misc{M0629-P.1850.3,\n"
        "  title = {Vue de l'église Saint-Maurice},\n"
        "  author = {Corot, Camille},\n"
        "  year = {1850},\n"
        "  note = {vers 1850. Palais des Beaux-Arts de Lille, inventory number P.1850.3},\n"
        "  organization = {Palais des Beaux-Arts de Lille},\n"
        "  address = {Lille},\n"
        "  publisher = {Musenor (test)},\n"
        f"  howpublished = {{\\url{{{BASE}/id/object/M0629/P.1850.3}}}},\n"
        f"  url = {{{BASE}/id/object/M0629/P.1850.3}},\n"
        f"  urldate = {{{today}}}\n"
        "}\n")


def test_csl_json_by_content_negotiation_on_the_object_goes_through_the_record(client):
    response = client.get("/id/object/M0629/P.1850.3", headers={"Accept": "application/vnd.citationstyles.csl+json"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(RECORD)
    followed = client.get("/id/object/M0629/P.1850.3?format=bibtex", follow_redirects=True)
    assert followed.mimetype == "application/x-bibtex"


def test_citations_are_not_offered_for_other_resources(client):
    assert client.get("/id/agent/corot-camille-1796?format=bibtex").status_code == 406


def test_bibtex_escapes_what_tex_would_read_as_commands():
    from datetime import date

    from musenor.oai_server.citation import cite

    record, cho = URIRef(f"{BASE}/id/record/M1/X_1"), URIRef(f"{BASE}/id/object/M1/X_1")
    graph = Graph()
    graph.add((record, URIRef("http://www.europeana.eu/schemas/edm/aggregatedCHO"), cho))
    graph.add((cho, URIRef("http://purl.org/dc/elements/1.1/title"), Literal("50% & {more} #1 \\end", lang="fr")))
    graph.add((cho, URIRef("http://purl.org/dc/elements/1.1/creator"), Literal("Anonyme")))
    citation = cite(graph, record, museum="Musée d'A & B", city=None, publisher="Hub", accessed=date(2026, 1, 2))
    text = citation.as_bibtex()
    assert "  title = {50\\% \\& \\{more\\} \\#1 \\textbackslash{}end},\n" in text
    assert "  author = {Anonyme},\n" in text
    assert "  organization = {Musée d'A \\& B},\n" in text
    assert text.startswith("@misc{M1-X_1,\n")


def test_record_page_shows_the_citation(client):
    page = client.get("/notice/M0629/P.1850.3").data.decode()
    today = datetime.now(timezone.utc).date().isoformat()
    assert (f"Corot, Camille. Vue de l&#39;église Saint-Maurice. vers 1850. Palais des Beaux-Arts de Lille, Lille. "
            f"inv. P.1850.3. Musenor (test). {BASE}/id/object/M0629/P.1850.3 (accessed {today}).") in page
    assert 'href="/id/record/M0629/P.1850.3?format=bibtex"' in page
    assert 'href="/id/record/M0629/P.1850.3?format=csl-json"' in page
