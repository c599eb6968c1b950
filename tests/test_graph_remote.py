"""The graph on a SPARQL 1.1 server (``[hub] graph``), tested against a real Oxigraph server the tests start.

The store keeps the embedded store's dataset shape (one named graph per record, a default graph holding each
triple once), a harvest written there answers the hub's SPARQL endpoint exactly as the embedded store does,
and the endpoint's guards (read-only, row cap, time limit) stay in front of the server.
"""

from __future__ import annotations

import pytest
import requests
import sparql_server
from fixtures.hub_toml import SAINT_OMER_POP, hub_toml

from musenor.catalogue import Catalogue, load_config
from musenor.catalogue.graph_remote import RemoteGraphError, RemoteSparqlStore, SparqlEndpoints
from musenor.harvester import harvest_museums
from musenor.oai_server import create_app

EX = "http://hub.test/"
SHARED = f"<{EX}museum/M0650> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Musée Sandelin\" ."


def server_rows(url: str, query: str) -> list[tuple[str, ...]]:
    """A SELECT asked of the server directly (not through the store under test), as sorted tuples of values."""
    answer = requests.post(f"{url}/query", data={"query": query},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    answer.raise_for_status()
    body = answer.json()
    names = body["head"]["vars"]
    return sorted(tuple(row.get(n, {}).get("value", "") for n in names) for row in body["results"]["bindings"])


def default_triples(url: str) -> list[tuple[str, ...]]:
    return server_rows(url, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")


@pytest.fixture
def store(oxigraph_server):
    applied = {"seq": 0}
    store = RemoteSparqlStore(SparqlEndpoints.of(oxigraph_server),
                              applied_seq=(lambda: applied["seq"], lambda seq: applied.update(seq=seq)))
    store.clear()
    yield store
    store.close()


def record(n: int, *extra: str) -> str:
    return "\n".join([f"<{EX}object/{n}> <http://purl.org/dc/elements/1.1/title> \"Objet {n}\" .", SHARED,
                      *extra]) + "\n"


def test_a_batch_writes_each_record_in_its_graph_and_each_triple_once_in_the_default_graph(store, oxigraph_server):
    store.apply_changes([(f"{EX}record/1", record(1)), (f"{EX}record/2", record(2))], last_seq=7)
    assert server_rows(oxigraph_server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g") \
        == [(f"{EX}record/1", "2"), (f"{EX}record/2", "2")]
    assert default_triples(oxigraph_server) == [
        (f"{EX}museum/M0650", "http://www.w3.org/2004/02/skos/core#prefLabel", "Musée Sandelin"),
        (f"{EX}object/1", "http://purl.org/dc/elements/1.1/title", "Objet 1"),
        (f"{EX}object/2", "http://purl.org/dc/elements/1.1/title", "Objet 2"),
    ]
    assert store.applied_change_seq() == 7


def test_a_withdrawn_record_leaves_the_default_graph_the_triples_another_record_still_holds(store, oxigraph_server):
    store.apply_changes([(f"{EX}record/1", record(1)), (f"{EX}record/2", record(2))])
    store.remove_record(f"{EX}record/1")
    assert default_triples(oxigraph_server) == [
        (f"{EX}museum/M0650", "http://www.w3.org/2004/02/skos/core#prefLabel", "Musée Sandelin"),
        (f"{EX}object/2", "http://purl.org/dc/elements/1.1/title", "Objet 2"),
    ]
    store.remove_record(f"{EX}record/2")
    assert default_triples(oxigraph_server) == []
    assert list(store.record_graphs()) == []


def test_a_replaced_record_with_a_blank_node_leaves_no_orphan_in_the_default_graph(store, oxigraph_server):
    inscription = (f"<{EX}object/1> <{EX}ns#inscription> _:i .\n"
                   f"_:i <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> \"AN 1710\" .")
    store.replace_record(f"{EX}record/1", record(1, inscription))
    store.replace_record(f"{EX}record/1", record(1))
    assert default_triples(oxigraph_server) == [
        (f"{EX}museum/M0650", "http://www.w3.org/2004/02/skos/core#prefLabel", "Musée Sandelin"),
        (f"{EX}object/1", "http://purl.org/dc/elements/1.1/title", "Objet 1"),
    ]


def test_a_broken_record_fails_its_batch_before_anything_is_written(store, oxigraph_server):
    store.replace_record(f"{EX}record/1", record(1))
    with pytest.raises(ValueError, match="record/2"):
        store.apply_changes([(f"{EX}record/1", None), (f"{EX}record/2", "<a> <b> \"no full stop\"\n")], last_seq=9)
    assert server_rows(oxigraph_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") \
        == [(f"{EX}record/1",)]
    assert store.applied_change_seq() == 0


def test_queries_answer_with_pyoxigraph_results(store):
    store.replace_record(f"{EX}record/1", record(1))
    assert [row["t"].value for row in store.query(f"SELECT ?t WHERE {{ <{EX}object/1> ?p ?t }} ORDER BY ?t")] \
        == ["Objet 1"]
    assert bool(store.query("ASK { ?s ?p \"Objet 1\" }")) is True
    assert sorted(t.object.value for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) \
        == ["Musée Sandelin", "Objet 1"]
    # The protocol's dataset parameters reach the server: a record's graph as the default graph.
    assert sorted(row["o"].value for row in store.query(
        "SELECT ?o WHERE { ?s ?p ?o }", default_graph=[f"{EX}record/1"])) == ["Musée Sandelin", "Objet 1"]
    assert list(store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graph=[f"{EX}record/2"])) == []


def test_an_unreachable_server_is_a_clear_error_naming_it():
    store = RemoteSparqlStore(SparqlEndpoints.of("http://127.0.0.1:9"), applied_seq=(lambda: 0, lambda seq: None),
                              timeout=2)
    with pytest.raises(RemoteGraphError, match=r"SPARQL server http://127\.0\.0\.1:9/update"):
        store.remove_record(f"{EX}record/1")


# -- a whole hub on the server ---------------------------------------------------------------------------------

QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX dc: <http://purl.org/dc/elements/1.1/> SELECT ?t WHERE { ?cho dc:title ?t } ORDER BY ?t",
    "PREFIX edm: <http://www.europeana.eu/schemas/edm/> SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { "
    "?cho a edm:ProvidedCHO ; ?p ?o } } GROUP BY ?g ORDER BY ?g",
]


def _hub(tmp_path, name: str, **hub):
    path = tmp_path / name / "musenor.toml"
    path.parent.mkdir()
    path.write_text(hub_toml({"M0650": SAINT_OMER_POP}, **hub), encoding="utf-8")
    config = load_config(path)
    catalogue = Catalogue.from_config(config)
    [report] = harvest_museums(config, catalogue, ["M0650"], full=True, jobs=1)
    assert report.status == "succeeded"
    catalogue.sync_graph()
    return config, catalogue


def _answers(app, query: str) -> bytes:
    with app.test_client() as client:
        answer = client.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.data


@pytest.fixture
def two_hubs(tmp_path, oxigraph_server):
    requests.post(f"{oxigraph_server}/update", data="CLEAR SILENT ALL",
                  headers={"Content-Type": "application/sparql-update"}, timeout=30).raise_for_status()
    embedded_config, embedded = _hub(tmp_path, "embedded")
    remote_config, remote = _hub(tmp_path, "remote", graph=oxigraph_server)
    yield (create_app(embedded_config, embedded, TESTING=True),
           create_app(remote_config, remote, TESTING=True, SPARQL_MAX_ROWS=5, SPARQL_TIMEOUT=1.0))
    embedded.close()
    remote.close()


def test_a_hub_on_the_server_answers_sparql_as_the_embedded_store_does(two_hubs):
    embedded, remote = two_hubs
    # The endpoint on the server caps rows at 5 here: the first five rows, in the same order.
    for query in QUERIES:
        rows = _answers(embedded, query).decode().splitlines()
        assert _answers(remote, query).decode().splitlines() == rows[:6]
    assert len(_answers(embedded, QUERIES[2]).decode().splitlines()) > 6


def test_the_server_is_written_by_the_harvest_and_the_ledger_keeps_the_applied_change(two_hubs):
    _, remote = two_hubs
    catalogue = remote.extensions["musenor.catalogue"]
    assert catalogue.graph.applied_change_seq() == catalogue.ledger.last_change_seq() > 0
    assert catalogue.sync_graph() == 0


def test_the_endpoint_caps_rows_before_a_server_answer_reaches_the_reader(two_hubs):
    _, remote = two_hubs
    with remote.test_client() as client:
        answer = client.post("/sparql", data={"query": QUERIES[2]}, headers={"Accept": "text/csv"})
    assert answer.headers["Musenor-Truncated"] == "true"
    assert answer.headers["Musenor-Row-Cap"] == "5"


def test_an_update_never_reaches_the_server(two_hubs):
    _, remote = two_hubs
    with remote.test_client() as client:
        answer = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert answer.status_code == 400
    assert _answers(remote, QUERIES[1]) != b"n\r\n0\r\n"


def test_a_query_the_server_cannot_finish_in_time_is_a_503(tmp_path):
    if reason := sparql_server.unavailable():
        pytest.skip(f"no SPARQL server for the tests: {reason}")
    # A server of its own, stopped with the test: the server goes on counting this query after the hub has
    # answered 503 (Oxigraph's --timeout-s does not stop it), and the session's shared server spent a core
    # on it until the end of the run (10 minutes of a CI run, its other tests slowed by it).
    with sparql_server.server() as url:
        config, catalogue = _hub(tmp_path, "runaway", graph=url)
        remote = create_app(config, catalogue, TESTING=True, SPARQL_TIMEOUT=1.0)
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        with remote.test_client() as client:
            answer = client.post("/sparql", data={"query": runaway}, headers={"Accept": "text/csv"})
        catalogue.close()
    assert answer.status_code == 503
    assert "longer than 1 s" in answer.get_data(as_text=True)

