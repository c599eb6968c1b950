"""The graph store's default graph: the union of the record graphs, each triple once (SPARQL's RDF merge)."""

from __future__ import annotations

import io

import pyoxigraph

from musenor.catalogue.graph import UNION_MARKER_FILE, OxigraphStore

LILLE = "<http://hub.test/id/museum/M0629> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Palais des Beaux-Arts\"@fr ."
RECORD_1 = f"<http://hub.test/id/object/M0629/1> <http://www.europeana.eu/schemas/edm/dataProvider> <http://hub.test/id/museum/M0629> .\n{LILLE}"
RECORD_2 = f"<http://hub.test/id/object/M0629/2> <http://www.europeana.eu/schemas/edm/dataProvider> <http://hub.test/id/museum/M0629> .\n{LILLE}"
G1, G2 = "http://hub.test/id/record/M0629/1", "http://hub.test/id/record/M0629/2"

WORKS_WITH_MUSEUM_NAME = """
SELECT (COUNT(*) AS ?n) WHERE {
  ?cho <http://www.europeana.eu/schemas/edm/dataProvider> ?museum .
  ?museum <http://www.w3.org/2004/02/skos/core#prefLabel> ?name .
}"""


def count(store: OxigraphStore, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def test_a_label_two_records_repeat_does_not_multiply_a_join():
    store = OxigraphStore()
    store.replace_record(G1, RECORD_1)
    store.replace_record(G2, RECORD_2)
    assert count(store, WORKS_WITH_MUSEUM_NAME) == 2
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 3


def test_a_shared_triple_stays_while_one_record_still_holds_it():
    store = OxigraphStore()
    store.replace_record(G1, RECORD_1)
    store.replace_record(G2, RECORD_2)
    store.remove_record(G1)
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 2
    store.remove_record(G2)
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 0


def test_replacing_a_record_drops_the_triples_it_no_longer_has():
    store = OxigraphStore()
    store.replace_record(G1, RECORD_1)
    store.apply_changes([(G1, RECORD_1.replace("Palais des Beaux-Arts", "PBA"))], last_seq=1)
    names = {s["o"].value for s in store.query("SELECT ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o }")}
    assert names == {"PBA"}


def test_the_dump_holds_each_triple_once():
    store = OxigraphStore()
    store.replace_record(G1, RECORD_1)
    store.replace_record(G2, RECORD_2)
    out = io.BytesIO()
    store.dump(out, "application/n-triples")
    assert len(out.getvalue().decode("utf-8").splitlines()) == 3


def test_a_store_written_before_the_union_default_graph_is_filled_when_opened(tmp_path):
    old = pyoxigraph.Store(str(tmp_path / "graph"))
    for graph, data in ((G1, RECORD_1), (G2, RECORD_2)):
        old.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}")
    old.flush()
    del old
    store = OxigraphStore(tmp_path / "graph")
    try:
        assert count(store, WORKS_WITH_MUSEUM_NAME) == 2
        assert (tmp_path / "graph" / UNION_MARKER_FILE).exists()
    finally:
        store.close()
