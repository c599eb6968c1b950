"""IIIF Presentation 3 manifests of records whose images the hub holds, valid against the IIIF validator's
schema (../shared/schemas/iiif/iiif_3_0.json)."""

import http.server
import functools
import json
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

from musenor.harvester.images import MuseumImageFetcher  # noqa: E402

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "iiif" / "iiif_3_0.json"
IMAGES = {"lille/P.1850.3.jpg": (2000, 1500), "douai/D17.jpg": (900, 1200)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    root = tmp_path_factory.mktemp("museum-images")
    for name, size in IMAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (120, 80, 40)).save(root / name, "JPEG")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/"
    data = tmp_path_factory.mktemp("iiif")
    config, catalogue = webcatalogue.build_catalogue(data, image_base=base)
    MuseumImageFetcher(data, "M0629", interval=0).fetch(base + "lille/P.1850.3.jpg")
    MuseumImageFetcher(data, "M0631", interval=0).fetch(base + "douai/D17.jpg")
    server.shutdown()
    thread.join(10)
    app = webcatalogue.make_app(config, catalogue)
    yield app
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web.test_client()


def test_manifest_is_valid_iiif_presentation_3(client):
    if not SCHEMA.exists():
        pytest.skip(f"the IIIF validator's schema is not at {SCHEMA} (../shared is absent)")
    import jsonschema

    response = client.get("/iiif/M0629/P.1850.3/manifest.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == \
        'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(response.get_json(), schema)


def test_manifest_canvas_is_the_display_copy(client):
    manifest = client.get("/iiif/M0629/P.1850.3/manifest.json").get_json()
    assert manifest["id"] == "http://localhost/iiif/M0629/P.1850.3/manifest.json"
    assert manifest["label"] == {"fr": ["Vue de l'église Saint-Maurice"], "en": ["View of the Saint-Maurice church"]}
    [canvas] = manifest["items"]
    assert (canvas["width"], canvas["height"]) == (1600, 1200)
    body = canvas["items"][0]["items"][0]["body"]
    assert body["id"].startswith("http://localhost/images/M0629/display/") and body["format"] == "image/jpeg"
    assert (body["width"], body["height"]) == (1600, 1200)
    assert manifest["rights"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert manifest["requiredStatement"]["value"] == {"none": ["Palais des Beaux-Arts de Lille"]}
    assert {"label": {"fr": ["Créateur"], "en": ["Creator"]}, "value": {"none": ["Corot, Camille"]}} \
        in manifest["metadata"]
    assert manifest["homepage"][0]["id"] == "http://localhost/notice/M0629/P.1850.3"


def test_the_images_of_the_manifest_are_served(client):
    manifest = client.get("/iiif/M0631/D.17/manifest.json").get_json()
    body = manifest["items"][0]["items"][0]["items"][0]["body"]
    assert (body["width"], body["height"]) == (900, 1200)  # smaller than the display size: kept as it is
    image = client.get(body["id"].removeprefix("http://localhost"))
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    thumb = client.get(manifest["thumbnail"][0]["id"].removeprefix("http://localhost"))
    assert thumb.status_code == 200


def test_record_without_an_image_the_hub_holds_has_no_manifest(client):
    assert client.get("/iiif/M0629/P.1799.1/manifest.json").status_code == 404  # no image at all
    assert client.get("/iiif/M0629/NOPE/manifest.json").status_code == 404


def test_record_page_shows_the_hub_copy_and_links_the_manifest(client):
    page = client.get("/notice/M0629/P.1850.3").data.decode()
    assert 'data-manifest="/iiif/M0629/P.1850.3/manifest.json"' in page
    assert 'src="/images/M0629/display/' in page
    assert "/static/vendor/openseadragon/openseadragon.min.js" in page


def test_result_cards_show_the_hub_thumbnail(client):
    page = client.get("/search?q=saint-maurice").data.decode()
    assert 'src="/images/M0629/thumbs/' in page
