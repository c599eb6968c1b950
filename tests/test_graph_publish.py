"""The graph store written in bulk: SPARQL answers as before, and each publish seen whole or not at all."""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path

import pyoxigraph
import pytest
from rich.console import Console

from musenor.catalogue import Catalogue, StagedRecord
from musenor.catalogue.graph import OxigraphStore, nquads
from musenor.oai_server.sparql.pool import Snapshots

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from sparql.demo_queries import QUERIES, answers  # noqa: E402

PUBLISH_SIZE = 1200
BATCH = 400  # the sync writes the publish in three batches
EDM = "http://www.europeana.eu/schemas/edm/"


@pytest.fixture(scope="module")
def demo_graph(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    from musenor.demo import run_demo

    data_dir = tmp_path_factory.mktemp("demo") / "var"
    assert run_demo(port=0, serve=False, data_dir=data_dir, console=Console(file=io.StringIO())) == 0
    store = OxigraphStore(data_dir / "graph", read_only=True)
    store.data_dir = data_dir  # the reference store reads the record graphs from this hub's ledger
    yield store
    store.close()


@pytest.fixture(scope="module")
def reference_answers(demo_graph: OxigraphStore) -> dict[str, list[list[str]]]:
    """The answers of a store written the plain way, quad by quad, from the ledger: each record's N-Triples parsed
    into its own named graph, the vocabularies as loaded, and the default graph as the definition says (every
    triple of the named graphs, once)."""
    from musenor.catalogue import LEDGER_FILE
    from musenor.catalogue.ledger import Ledger

    ledger = Ledger(demo_graph.data_dir / LEDGER_FILE)
    try:
        changes = ledger.changes_since(0, limit=1_000_000)
    finally:
        ledger.close()
    records = {c.record_uri for c in changes}
    reference = pyoxigraph.Store()

    def add(quad: pyoxigraph.Quad) -> None:
        reference.add(quad)
        reference.add(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, pyoxigraph.DefaultGraph()))

    for change in changes:
        if change.ntriples:
            graph = pyoxigraph.NamedNode(change.record_uri)
            for triple in pyoxigraph.parse(change.ntriples.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES):
                add(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
    for quad in demo_graph.store.quads_for_pattern(None, None, None):
        # the vocabularies' graphs come from their files, not the ledger: taken as the store holds them
        if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph) and quad.graph_name.value not in records:
            add(quad)
    return answers(reference)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_demo_answers_are_those_of_a_store_written_quad_by_quad(
        demo_graph: OxigraphStore, reference_answers: dict[str, list[list[str]]], name: str) -> None:
    found = answers(demo_graph)[name]
    assert found, f"{name}: the demo gives no answer at all"
    assert found == reference_answers[name]


def test_a_blank_node_is_one_node_in_the_record_graph_and_the_default_graph() -> None:
    store = OxigraphStore()
    store.replace_record("http://hub.test/id/record/M0629/1",
                         '<http://hub.test/id/object/M0629/1> <http://purl.org/dc/terms/created> _:t .\n'
                         '_:t <http://www.europeana.eu/schemas/edm/begin> "1850" .\n')
    rows = list(store.query("SELECT ?b WHERE { ?cho <http://purl.org/dc/terms/created> ?t . ?t <http://www.europeana.eu/schemas/edm/begin> ?b "
                            "GRAPH <http://hub.test/id/record/M0629/1> { ?cho <http://purl.org/dc/terms/created> ?t } }"))
    assert [row["b"].value for row in rows] == ["1850"]


def test_a_line_that_is_not_n_triples_is_refused_naming_the_graph() -> None:
    with pytest.raises(ValueError, match=r"graph http://hub.test/id/record/M0629/1: not an N-Triples line"):
        nquads("http://hub.test/id/record/M0629/1", "<http://a> <http://b> <http://c>\n")


def test_a_broken_batch_writes_nothing() -> None:
    store = OxigraphStore()
    good = "<http://hub.test/id/object/M0629/1> <http://purl.org/dc/elements/1.1/title> \"Les Vieilles\" .\n"
    with pytest.raises(SyntaxError):
        store.apply_changes([("http://hub.test/id/record/M0629/1", good),
                             ("http://hub.test/id/record/M0629/2", "<http://a> <http://b> \"unterminated .\n")])
    assert len(store.store) == 0


def _record(n: int) -> StagedRecord:
    uri = f"http://hub.test/id/record/M0629/{n}"
    cho = f"http://hub.test/id/object/M0629/{n}"
    graph = (f"<{uri}> <{EDM}aggregatedCHO> <{cho}> .\n<{uri}> <{EDM}dataProvider> <http://hub.test/id/museum/M0629> .\n"
             f"<http://hub.test/id/museum/M0629> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Palais des Beaux-Arts\"@fr .\n")
    return StagedRecord(identifier=f"oai:musenor.fr:M0629:{n}", museum="M0629", local_id=str(n), record_uri=uri,
                        sets=["museum", "museum:M0629"], dialect="lido", raw=b"<lido/>", graph=graph)


def _records_in(snapshot: Path) -> int:
    store = pyoxigraph.Store.read_only(str(snapshot))
    try:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?r <{EDM}aggregatedCHO> ?cho }}"
        return int(next(iter(store.query(query)))["n"].value)
    finally:
        del store


def test_sparql_snapshots_never_hold_part_of_a_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("musenor.catalogue.SYNC_BATCH", BATCH)
    catalogue = Catalogue(tmp_path / "hub")
    graph = catalogue.graph
    assert isinstance(graph, OxigraphStore)
    snapshots = Snapshots(tmp_path / "snapshots", graph, graph.applied_change_seq)
    before = snapshots.acquire()
    snapshots.release(before)
    run = catalogue.ledger.begin_run("M0629", "lido-file", full=False)
    catalogue.ledger.stage(run.id, [_record(n) for n in range(PUBLISH_SIZE)], checkpoint=None)
    catalogue.ledger.publish(run.id, complete=True)
    seen: list[int] = []

    def a_reader_between_batches(done: int, total: int) -> None:
        # A SPARQL request arriving from another thread while the sync is between two batches.
        def read() -> None:
            path = snapshots.acquire()
            try:
                seen.append(_records_in(path))
            finally:
                snapshots.release(path)
        reader = threading.Thread(target=read)
        reader.start()
        reader.join()

    catalogue.sync_graph(a_reader_between_batches)
    after = snapshots.acquire()
    try:
        assert seen == [0, 0, 0]
        assert _records_in(after) == PUBLISH_SIZE
    finally:
        snapshots.release(after)
        catalogue.close()
