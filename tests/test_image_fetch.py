"""The harvester's copies of museums' images: fetched once, politely, with a display size and a thumbnail."""

import http.server
import io
import json
import threading

import pytest
from PIL import Image

from musenor.catalogue import image_store
from musenor.harvester.images import ImageError, MuseumImageFetcher, images_of_graph

URL_PATH = "/photos/P.1850.3.jpg"


def jpeg(width: int, height: int, colour=(190, 140, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


class MuseumImages(http.server.BaseHTTPRequestHandler):
    """A museum's image server that honours conditional requests and records what it was asked."""

    files: dict[str, bytes] = {}
    seen: list[tuple[str, str | None]] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.seen.append((self.path, self.headers.get("If-None-Match")))
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        etag = f'"{len(body)}-{body[-8:].hex()}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def museum_server():
    MuseumImages.files = {URL_PATH: jpeg(3200, 2400), "/broken.jpg": b"not a picture"}
    MuseumImages.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), MuseumImages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def test_fetch_writes_display_size_and_thumbnail(tmp_path, museum_server):
    url = museum_server + URL_PATH
    assert MuseumImageFetcher(tmp_path, "M0629", interval=0).fetch(url) is True
    held = image_store.held_image(tmp_path, "M0629", url)
    assert (held.width, held.height) == (1600, 1200)
    folder = tmp_path / "images" / "M0629"
    with Image.open(folder / held.display_name) as display, Image.open(folder / held.thumb_name) as thumb:
        assert display.size == (1600, 1200) and thumb.size == (400, 300)
    state = json.loads((folder / "remote" / f"{held.key}.json").read_text())
    assert (state["width"], state["height"]) == (3200, 2400)


def test_a_second_fetch_is_conditional_and_costs_a_304(tmp_path, museum_server):
    url = museum_server + URL_PATH
    fetcher = MuseumImageFetcher(tmp_path, "M0629", interval=0)
    fetcher.fetch(url)
    assert fetcher.fetch(url) is False
    assert MuseumImages.seen[0] == (URL_PATH, None)
    assert MuseumImages.seen[1][0] == URL_PATH
    assert MuseumImages.seen[1][1] is not None and MuseumImages.seen[1][1].startswith('"')  # If-None-Match


def test_a_changed_image_is_fetched_again(tmp_path, museum_server):
    url = museum_server + URL_PATH
    fetcher = MuseumImageFetcher(tmp_path, "M0629", interval=0)
    fetcher.fetch(url)
    MuseumImages.files[URL_PATH] = jpeg(800, 1000, (10, 20, 30))
    assert fetcher.fetch(url) is True
    held = image_store.held_image(tmp_path, "M0629", url)
    assert (held.width, held.height) == (800, 1000)


def test_requests_to_one_museum_are_spaced_by_its_interval(tmp_path, museum_server):
    now = [100.0]
    waits = []

    def sleep(seconds):
        waits.append(round(seconds, 3))
        now[0] += seconds

    fetcher = MuseumImageFetcher(tmp_path, "M0629", interval=2.0, clock=lambda: now[0], sleep=sleep)
    fetcher.fetch(museum_server + URL_PATH)
    now[0] += 0.5  # the museum's server answered in half a second
    fetcher.fetch(museum_server + URL_PATH)
    assert waits == [1.5]


@pytest.mark.parametrize("path,reason", [
    ("/missing.jpg", "the museum's server answered HTTP 404"),
    ("/broken.jpg", "not a readable image (UnidentifiedImageError)"),
])
def test_an_image_that_cannot_be_had_says_why(tmp_path, museum_server, path, reason):
    with pytest.raises(ImageError) as raised:
        MuseumImageFetcher(tmp_path, "M0629", interval=0).fetch(museum_server + path)
    assert raised.value.reason == reason
    assert image_store.held_image(tmp_path, "M0629", museum_server + path) is None


def test_an_unreachable_server_is_an_image_error(tmp_path):
    with pytest.raises(ImageError) as raised:
        MuseumImageFetcher(tmp_path, "M0629", interval=0).fetch("http://127.0.0.1:9/nothing.jpg")
    assert raised.value.reason == "cannot be fetched (ConnectionError)"


def test_images_of_a_record_graph():
    graph = ('<http://hub.test/id/record/M0629/A> <http://www.europeana.eu/schemas/edm/isShownBy> '
             '<https://img.example/a.jpg> .\n'
             '<http://hub.test/id/record/M0629/A> <http://www.europeana.eu/schemas/edm/object> '
             '<https://img.example/a-thumb.jpg> .\n'
             '<http://hub.test/id/record/M0629/A> <http://www.europeana.eu/schemas/edm/isShownBy> '
             '<javascript:alert(1)> .\n')
    assert images_of_graph(graph) == ["https://img.example/a.jpg"]


def test_an_image_that_failed_is_fetched_again_at_the_next_harvest_though_its_record_is_unchanged(
        tmp_path, museum_server):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
    from webcatalogue import BASE, publish, staged_record

    from musenor.catalogue import Catalogue
    from musenor.harvester.images import fetch_run_images, images_to_retry

    catalogue = Catalogue(tmp_path / "data", open_graph=False)
    record_uri, url = f"{BASE}/id/record/M0629/P.1850.3", f"{museum_server}{URL_PATH}"
    identifier = "oai:musenor.fr:M0629:P.1850.3"
    graph = f"<{record_uri}> <http://www.europeana.eu/schemas/edm/isShownBy> <{url}> .\n"
    publish(catalogue, [staged_record(record_uri, graph)])
    first_run = catalogue.ledger.record(identifier).run_id
    served = MuseumImages.files.pop(URL_PATH)  # the museum's server fails that night
    report = fetch_run_images(catalogue.ledger, first_run, tmp_path / "data", "M0629", interval=0)
    assert [reason for _, reason in report.problems] == ["the museum's server answered HTTP 404"]
    assert images_to_retry(tmp_path / "data", "M0629") == {url: [identifier]}
    catalogue.ledger.store_renderings([(identifier, "edm", "v1", catalogue.ledger.record(identifier).change_seq,
                                        b"<rdf:RDF/>")])

    MuseumImages.files[URL_PATH] = served
    publish(catalogue, [staged_record(record_uri, graph)])  # the next harvest: the record is unchanged
    next_run = catalogue.ledger.runs("M0629", limit=1)[0].id
    assert catalogue.ledger.record(identifier).run_id == first_run != next_run
    report = fetch_run_images(catalogue.ledger, next_run, tmp_path / "data", "M0629", interval=0)
    assert (report.fetched, report.problems) == (1, [])
    assert image_store.held_image(tmp_path / "data", "M0629", url) is not None
    assert images_to_retry(tmp_path / "data", "M0629") == {}
    # Its EDM names the manifest of the images the hub holds: made anew by the next rendering pass.
    assert catalogue.ledger.renderings([identifier], "edm", "v1") == {}
    catalogue.close()
