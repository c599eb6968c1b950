"""Bad input to the served hub gets a 4xx with a reason and bounded memory, never a 500 (issue 11, item 8).

Each class of defect is tested at its root: IRIs built from URL path segments (``musenor.oai_server.linked_data.hub_iri``),
file names from URLs (images), facet value lists (search), dataset IRIs of the SPARQL Protocol (guard), and
request bodies (MAX_CONTENT_LENGTH, checked from Content-Length before a byte is read). A seeded fuzz test
then walks every URL route of the app with hostile segments and parameters.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import create_environ, run_wsgi_app

from musenor.catalogue.search import MAX_FILTER_VALUES
from musenor.oai_server import MAX_CONTENT_LENGTH
from musenor.oai_server.sparql.worker import Job, run_job

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("bad-input")
    config, catalogue = webcatalogue.build_catalogue(data_dir)
    (data_dir / "images" / "M0629" / "thumbs").mkdir(parents=True)  # so that long names reach the file system
    app = webcatalogue.make_app(config, catalogue, SPARQL_WORKERS=1)
    yield app
    pool = app.extensions.get("musenor.sparql_pool")
    if pool:
        pool.close()
    app.extensions["musenor.dumps"].wait()
    catalogue.close()


@pytest.fixture
def client(app):
    return app.test_client()


# -- IRIs from path segments ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/id/agent/a%5Bb", "/id/place/a%5Bb", "/id/timespan/1850%5D_1900",
                                  "/vocab/object-type/a%5Bb", "/vocab/a%5Bb", "/id/museum/M06%5B9",
                                  "/id/agent/a%3E%20%7B%7D", "/id/agent/%22%5C%5E%60%7C"])
def test_a_segment_that_no_hub_iri_can_hold_is_404(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert (response.status_code, response.data) == (404, b"not found\n")


def test_a_segment_is_escaped_as_the_hub_mints_it(app):
    from musenor.oai_server.linked_data import hub_iri

    with app.test_request_context("/"):
        assert hub_iri("id", "timespan", "1850:03_1851") == "http://hub.test/id/timespan/1850%3A03_1851"
        assert hub_iri("id", "agent", "a[b> c") == "http://hub.test/id/agent/a%5Bb%3E%20c"
        assert hub_iri("vocab", "object-type", "peinture") == "http://hub.test/vocab/object-type/peinture"


def test_a_segment_with_a_bracket_still_finds_nothing_but_real_resources_answer(client):
    assert client.get("/id/agent/corot-camille-1796", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/id/agent/corot-camille-1796%5B", headers={"Accept": "text/turtle"}).status_code == 404


# -- file names from URLs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/images/M0629/" + "a" * 300 + ".jpg",
                                  "/images/M0629/thumbs/" + "a" * 300 + ".jpg",
                                  "/images/M0629/" + "a" * 252 + ".jpg"])
def test_an_image_name_longer_than_the_file_system_allows_is_404(client, path):
    assert client.get(path).status_code == 404


# -- facet value lists ------------------------------------------------------------------------------------

def test_search_with_1100_museum_filters_is_400_saying_the_cap(client):
    query = "&".join(f"museum=M{n:04d}" for n in range(1100))
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    assert response.data.decode() == f"1100 facet values selected; a search takes at most {MAX_FILTER_VALUES}\n"


def test_search_counts_filters_across_facets(client):
    query = "&".join([*(f"museum=M{n:04d}" for n in range(30)), *(f"type=t{n}" for n in range(21))])
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    assert response.data.decode().startswith("51 facet values selected")


def test_search_at_the_cap_answers(client):
    query = "&".join(f"museum=M{n:04d}" for n in range(MAX_FILTER_VALUES))
    assert client.get(f"/search?{query}").status_code == 200


def test_a_value_repeated_1100_times_is_one_filter(client):
    response = client.get("/search?" + "&".join(["museum=M0629"] * 1100))
    assert response.status_code == 200
    assert "Paysage flamand avec église".encode() in response.data or b"M0629" in response.data


# -- SPARQL dataset IRIs ----------------------------------------------------------------------------------

@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_an_empty_dataset_iri_is_400_naming_the_parameter(client, parameter):
    response = client.get(f"/sparql?query=ASK%7B%7D&{parameter}=")
    assert response.status_code == 400
    assert response.data.decode() == (f"{parameter} '' is not an absolute IRI (No scheme found in an absolute "
                                      "IRI)\n")


def test_a_relative_dataset_iri_is_400(client):
    response = client.get("/sparql?query=ASK%7B%7D&default-graph-uri=record%2F1")
    assert response.status_code == 400
    assert response.data.decode().startswith("default-graph-uri 'record/1' is not an absolute IRI")


def test_too_many_dataset_iris_are_400(client):
    graphs = "&".join(f"default-graph-uri=http%3A%2F%2Fhub.test%2Fg{n}" for n in range(101))
    response = client.get(f"/sparql?query=ASK%7B%7D&{graphs}")
    assert (response.status_code, response.data) == (400, b"101 default-graph-uri parameters; at most 100 are taken\n")


def test_refused_dataset_iris_leave_the_worker_alive(app, client):
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    pool = app.extensions["musenor.sparql_pool"]
    workers = [worker.process.pid for worker in pool._all]
    for _ in range(3):
        assert client.get("/sparql?query=ASK%7B%7D&default-graph-uri=").status_code == 400
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    assert [worker.process.pid for worker in pool._all] == workers


def test_a_worker_answers_a_job_with_a_bad_graph_iri_instead_of_dying():
    answer = run_job(pyoxigraph.Store(), Job(snapshot="", query="ASK {}", results_format="json",
                                             graph_media_type="text/turtle", max_rows=10, default_graphs=("",)))
    assert not answer.ok
    assert answer.error == "ValueError: No scheme found in an absolute IRI"


# -- request bodies ---------------------------------------------------------------------------------------

class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes that counts what the server reads of it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def post(app, body: CountingBody, headers: dict[str, str]) -> tuple[str, bytes]:
    environ = create_environ("/sparql", method="POST", headers=headers)
    environ["wsgi.input"] = body
    if "Content-Length" in headers:
        environ["CONTENT_LENGTH"] = headers["Content-Length"]
    else:
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True  # a chunked body, as waitress hands it on
    chunks, status, _ = run_wsgi_app(app, environ, buffered=True)
    return status, b"".join(chunks)


@pytest.mark.parametrize("media", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_200_mb_post_is_413_before_a_byte_is_read(app, media):
    body = CountingBody(200_000_000)
    status, text = post(app, body, {"Content-Type": media, "Content-Length": "200000000"})
    assert status == "413 REQUEST ENTITY TOO LARGE"
    assert text == f"the request body is larger than this hub takes ({MAX_CONTENT_LENGTH} bytes at most)\n".encode()
    assert body.read_bytes == 0


def test_a_chunked_body_is_read_no_further_than_the_limit(app):
    body = CountingBody(50_000_000)
    status, _ = post(app, body, {"Content-Type": "application/sparql-query"})
    assert status.startswith("4")
    assert body.read_bytes <= MAX_CONTENT_LENGTH


# -- every route, fuzzed ----------------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet="[]<>{}%\"\\^`|#?&=/:.~ \t\x00\x7f\u00e9\ud7ff\ufffd", min_size=1, max_size=20),
    st.sampled_from(["", ".", "..", "%", "%ZZ", "a" * 300, "M0629", "P.1850.3", "1850_1850", "peinture",
                     "exhibition:tresors", "oai:musenor.fr:M0629:P.1850.3"]),
)
PARAMETERS = ["q", "museum", "type", "creator", "period", "material", "page", "format", "lang", "query",
              "default-graph-uri", "named-graph-uri", "example", "output", "verb", "metadataPrefix",
              "identifier", "set", "from", "until", "resumptionToken"]


def routes(app) -> list[tuple[str, list[str]]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        found.append((rule.rule, sorted(rule.arguments)))
    return sorted(found)


@st.composite
def requests(draw, app):  # type: ignore[no-untyped-def]
    rule, arguments = draw(st.sampled_from(routes(app)))
    path = rule
    for name in arguments:
        value = draw(HOSTILE)
        path = path.replace(f"<path:{name}>", quote(value, safe="/")).replace(f"<{name}>", quote(value, safe=""))
    params = draw(st.lists(st.tuples(st.sampled_from(PARAMETERS), HOSTILE), max_size=4))
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in params)
    accept = draw(st.sampled_from(["", "text/html", "text/turtle", "application/ld+json", "*/*",
                                   "application/sparql-results+json", "text/csv;q=0.5, x/y"]))
    return path + (f"?{query}" if query else ""), accept


def test_every_route_answers_hostile_requests_without_a_5xx(app):
    client = app.test_client()

    @settings(derandomize=True, max_examples=300, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(requests(app))
    def check(request):  # type: ignore[no-untyped-def]
        url, accept = request
        response = client.get(url, headers={"Accept": accept} if accept else {})
        assert response.status_code < 500, (url, accept, response.status_code, response.data[:300])

    check()


def test_waitress_answers_413_from_the_content_length_before_the_body_is_sent(app):
    """The production server refuses too: a client announcing 200 MB gets 413 without sending a byte of it."""
    import socket
    import threading

    from musenor.oai_server.wsgi import bind, bound_port, create_server

    server = create_server(app, bind("127.0.0.1", 0), threads=1)
    stop = threading.Event()

    def run() -> None:  # server.run() until told to stop, then closed by the thread that polls its sockets
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    try:
        with socket.create_connection(("127.0.0.1", bound_port(server.socket)), timeout=30) as client:
            client.sendall(b"POST /sparql HTTP/1.1\r\nHost: hub.test\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 200000000\r\n\r\n")
            status_line = client.makefile("rb").readline()
    finally:
        stop.set()
        runner.join(timeout=30)
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large\r\n"


@st.composite
def posts(draw, app):  # type: ignore[no-untyped-def]
    rule = draw(st.sampled_from([r for r in app.url_map.iter_rules() if "POST" in r.methods and not r.arguments]))
    media = draw(st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                                  "application/sparql-update", "multipart/form-data", "text/plain", ""]))
    body = draw(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                          st.lists(st.tuples(st.sampled_from(PARAMETERS), HOSTILE), max_size=4).map(
                              lambda pairs: "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs).encode())))
    return rule.rule, media, body


def test_every_post_route_answers_hostile_bodies_without_a_5xx(app):
    client = app.test_client()

    @settings(derandomize=True, max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(posts(app))
    def check(request):  # type: ignore[no-untyped-def]
        path, media, body = request
        response = client.post(path, data=body, headers={"Content-Type": media} if media else {})
        assert response.status_code < 500, (path, media, body[:200], response.status_code, response.data[:300])

    check()
