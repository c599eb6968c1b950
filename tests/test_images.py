"""Export images: published with thumbnails at harvest time, served safely by the hub."""

import io

import pytest
from PIL import Image

from musenor.catalogue import Catalogue
from musenor.catalogue.config import parse_config
from musenor.harvester.images import ExportImages, ImageError, publish_image, publish_images
from musenor.oai_server import create_app

NAME = "M0629_06290000101_p.jpg"


@pytest.fixture()
def config(tmp_path):
    data = {"hub": {"base_uri": "http://hub.test", "data_dir": "var", "repository_name": "Musenor",
                    "admin_email": "a@musenor.example", "repository_identifier": "musenor.fr"},
            "museums": {"M0629": {"name": "Palais des Beaux-Arts", "city": "Lille",
                                  "source": {"kind": "pop-file", "path": "export"}}}}
    return parse_config(data, path=tmp_path / "musenor.toml")


@pytest.fixture()
def published(tmp_path, config):
    export = tmp_path / "export"
    export.mkdir()
    Image.new("RGB", (900, 600), (120, 80, 40)).save(export / NAME, "JPEG")
    Image.new("RGBA", (200, 400), (0, 80, 40, 128)).save(export / "M0629_plan.png", "PNG")
    images = ExportImages(export)
    publish_image(images, NAME, config.data_dir, "M0629")
    publish_image(images, "M0629_plan.png", config.data_dir, "M0629")
    return config


@pytest.fixture()
def client(published):
    catalogue = Catalogue(published.data_dir)
    app = create_app(published, catalogue)
    yield app.test_client()
    catalogue.close()


def test_publish_writes_the_copy_and_a_thumbnail(published):
    folder = published.data_dir / "images" / "M0629"
    with Image.open(folder / NAME) as full, Image.open(folder / "thumbs" / NAME) as thumb:
        assert full.size == (900, 600) and thumb.size == (150, 100)


def test_png_thumbnail_stays_png(published):
    with Image.open(published.data_dir / "images" / "M0629" / "thumbs" / "M0629_plan.png") as thumb:
        assert (thumb.format, thumb.size) == ("PNG", (75, 150))


def test_small_image_is_not_enlarged(tmp_path, config):
    export = tmp_path / "small"
    export.mkdir()
    Image.new("RGB", (80, 60)).save(export / "tiny.jpg", "JPEG")
    publish_image(ExportImages(export), "tiny.jpg", config.data_dir, "M0629")
    with Image.open(config.data_dir / "images" / "M0629" / "thumbs" / "tiny.jpg") as thumb:
        assert thumb.size == (80, 60)


def test_unsafe_name_is_refused_before_any_lookup(tmp_path, config):
    with pytest.raises(ImageError, match="not a plain file name"):
        publish_image(ExportImages(tmp_path), "../musenor.toml", config.data_dir, "M0629")


def test_problems_are_listed_per_image(tmp_path, config):
    problems = publish_images(ExportImages(tmp_path), ["a.jpg", "b.jpg"], config.data_dir, "M0629")
    assert [str(p) for p in problems] == [f"image a.jpg: missing from {tmp_path}",
                                          f"image b.jpg: missing from {tmp_path}"]


def test_no_part_file_is_left_behind(published):
    assert not list((published.data_dir / "images").rglob("*.part"))


def test_image_is_served_as_jpeg_with_caching(client, published):
    response = client.get(f"/images/M0629/{NAME}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.data == (published.data_dir / "images" / "M0629" / NAME).read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"] and response.headers["Last-Modified"]


def test_thumbnail_is_served(client):
    response = client.get(f"/images/M0629/thumbs/{NAME}")
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.data)) as thumb:
        assert max(thumb.size) == 150


def test_png_is_served_as_png(client):
    assert client.get("/images/M0629/M0629_plan.png").mimetype == "image/png"


def test_conditional_request_is_304(client):
    etag = client.get(f"/images/M0629/{NAME}").headers["ETag"]
    assert client.get(f"/images/M0629/{NAME}", headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("path", [
    "/images/M0629/..%2Fledger.sqlite3",
    "/images/M0629/%2e%2e%2fledger.sqlite3",
    "/images/M0629/..%5c..%5cmusenor.toml",
    "/images/M0629/.hidden.jpg",
    "/images/..%2Fvar/ledger.sqlite3",
    "/images/M0629/thumbs/..%2F" + NAME,
    "/images/M0629/unknown.jpg",
    "/images/M0629/notes.txt",
    "/images/M9999/" + NAME,
    "/images/m0629/" + NAME,
])
def test_anything_else_is_404(client, path):
    assert client.get(path).status_code == 404


def test_non_image_file_in_the_folder_is_not_served(client, published):
    (published.data_dir / "images" / "M0629" / "ledger.sqlite3").write_bytes(b"secret")
    assert client.get("/images/M0629/ledger.sqlite3").status_code == 404


def test_truncated_jpeg_is_refused(tmp_path, config):
    export = tmp_path / "cut"
    export.mkdir()
    Image.effect_noise((400, 300), 60).convert("RGB").save(export / "whole.jpg", "JPEG")
    data = (export / "whole.jpg").read_bytes()
    (export / "cut.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError, match=r"image cut.jpg: not a readable image \(OSError\)"):
        publish_image(ExportImages(export), "cut.jpg", config.data_dir, "M0629")
    assert not (config.data_dir / "images" / "M0629" / "cut.jpg").exists()


def test_decompression_bomb_is_refused(tmp_path, config):
    export = tmp_path / "bomb"
    export.mkdir()
    # A tiny PNG that claims 14000 x 14000 pixels: Pillow's guard refuses it before decoding.
    Image.new("1", (14000, 14000)).save(export / "bomb.png", "PNG", optimize=True)
    with pytest.raises(ImageError, match="not a readable image"):
        publish_image(ExportImages(export), "bomb.png", config.data_dir, "M0629")
