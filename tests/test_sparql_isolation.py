"""A runaway query is stopped at the time limit and starves no one; workers read fresh snapshots."""

import json
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

# Generous, so that under a loaded machine (pytest -n auto) a simple query still answers well within it: the
# tests prove isolation by order (the simple query is answered while the hostile ones still run), not by speed.
TIME_LIMIT = 5.0
CHAIN = 1500
NEXT = "<https://w3id.org/musenor/ns#next>"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DEEP_PATH = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x ({NEXT}|^{NEXT})* ?y . ?y ({NEXT}|^{NEXT})* ?z }}"
SIMPLE = 'ASK { ?s <http://purl.org/dc/elements/1.1/title> "Les Vieilles"@fr }'


def chain_record() -> webcatalogue.StagedRecord:
    uri = "http://hub.test/id/record/M0629/CHAIN"
    lines = [f"<http://hub.test/id/object/M0629/CHAIN#n{i}> {NEXT} <http://hub.test/id/object/M0629/CHAIN#n{i + 1}> ."
             for i in range(CHAIN)]
    return webcatalogue.staged_record(uri, "\n".join(lines) + "\n")


@pytest.fixture
def live(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    webcatalogue.publish(catalogue, [chain_record()])
    catalogue.sync_graph()
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=3, SPARQL_TIMEOUT=TIME_LIMIT)
    with webcatalogue.LiveServer(app) as server:
        yield server, app, catalogue
    webcatalogue.close_app(app, catalogue)


def ask(url: str, query: str, timeout: float = 30) -> tuple[int, bytes, float]:
    started = time.monotonic()
    request = urllib.request.Request(f"{url}/sparql?query={quote(query)}",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.monotonic() - started


def workers_taken(app, count: int) -> threading.Event:
    """An event set once ``count`` more queries hold a worker (the pool takes their snapshot, then sends the job)."""
    snapshots = app.extensions["musenor.sparql_pool"].snapshots
    acquire = snapshots.acquire
    lock = threading.Lock()
    taken = threading.Event()
    seen = [0]

    def counting_acquire() -> Path:
        path = acquire()
        with lock:
            seen[0] += 1
            if seen[0] >= count:
                taken.set()
        return path

    snapshots.acquire = counting_acquire
    return taken


def test_hostile_queries_end_at_the_limit_while_a_simple_one_answers(live):
    server, app, _ = live
    assert ask(server.url, SIMPLE)[0] == 200  # the pool is up
    hostile_running = workers_taken(app, 2)
    outcomes: dict[str, tuple[int, bytes, float]] = {}

    def run(name: str, query: str) -> None:
        outcomes[name] = ask(server.url, query)

    threads = [threading.Thread(target=run, args=(n, q)) for n, q in (("cartesian", CARTESIAN), ("path", DEEP_PATH))]
    for thread in threads:
        thread.start()
    assert hostile_running.wait(30), "the hostile queries never reached a worker"
    status, body, _ = ask(server.url, SIMPLE)
    unfinished_when_answered = {"cartesian", "path"} - set(outcomes)
    for thread in threads:
        thread.join(60)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert unfinished_when_answered == {"cartesian", "path"}, "the simple query waited behind hostile ones"
    for name in ("cartesian", "path"):
        code, message, took = outcomes[name]
        assert code == 503, (name, code, message)
        assert b"time limit" in message
        # stopped by the limit (never before it), and stopped: the request's own 30 s timeout did not fire
        assert took >= TIME_LIMIT, f"{name} ended after {took:.2f} s, before the limit"


def test_workers_killed_on_timeout_are_replaced(live):
    server, app, _ = live
    assert ask(server.url, CARTESIAN)[0] == 503
    pool = app.extensions["musenor.sparql_pool"]
    assert len(pool._all) == 3
    for _ in range(4):  # more queries than workers: every worker answers again
        assert ask(server.url, SIMPLE)[0] == 200


def test_busy_pool_answers_503_with_retry_after(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=1, SPARQL_TIMEOUT=TIME_LIMIT,
                                SPARQL_QUEUE_TIMEOUT=0.2)
    try:
        with webcatalogue.LiveServer(app) as server:
            assert ask(server.url, SIMPLE)[0] == 200
            hostile_running = workers_taken(app, 1)
            hostile = threading.Thread(target=ask, args=(server.url, CARTESIAN))
            hostile.start()
            assert hostile_running.wait(30), "the hostile query never reached the worker"
            request = urllib.request.Request(f"{server.url}/sparql?query={quote(SIMPLE)}")
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            hostile.join(60)
            assert refused.value.code == 503
            assert refused.value.headers["Retry-After"] == "5"
    finally:
        webcatalogue.close_app(app, catalogue)


def test_a_new_publish_is_visible_to_the_next_query(live):
    _, app, catalogue = live
    client = app.test_client()
    query = "SELECT ?t WHERE { <http://hub.test/id/object/M0631/NEW> <http://purl.org/dc/elements/1.1/title> ?t }"
    assert json.loads(client.get(f"/sparql?query={quote(query)}").data)["results"]["bindings"] == []
    graph = '<http://hub.test/id/object/M0631/NEW> <http://purl.org/dc/elements/1.1/title> "Nouvelle œuvre"@fr .\n'
    webcatalogue.publish(catalogue, [webcatalogue.staged_record("http://hub.test/id/record/M0631/NEW", graph)])
    app.extensions["musenor.graph_sync"](force=True)
    bindings = json.loads(client.get(f"/sparql?query={quote(query)}").data)["results"]["bindings"]
    assert [b["t"]["value"] for b in bindings] == ["Nouvelle œuvre"]


def test_old_snapshots_are_removed(live):
    _, app, catalogue = live
    client = app.test_client()
    client.get(f"/sparql?query={quote(SIMPLE)}")
    for n in range(3):
        graph = f'<http://hub.test/id/object/M0631/S{n}> <http://purl.org/dc/elements/1.1/title> "S{n}" .\n'
        webcatalogue.publish(catalogue, [webcatalogue.staged_record(f"http://hub.test/id/record/M0631/S{n}", graph)])
        app.extensions["musenor.graph_sync"](force=True)
        client.get(f"/sparql?query={quote(SIMPLE)}")
    assert len(list((catalogue.data_dir / "sparql-snapshots").iterdir())) == 1
