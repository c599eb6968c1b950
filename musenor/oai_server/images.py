"""The hub's copies of records' images: ``/images/<museum>/<file>`` (a file export's image) and
``/images/<museum>/thumbs/<file>``, ``/images/<museum>/display/<file>`` (the derivatives the harvester wrote
of a museum's image, ``musenor.catalogue.image_store``), from ``<data_dir>/images``. ``pictures()`` tells the pages
which of a record's images the hub holds: pages show those, never a museum's full image.

These are the URLs records carry as ``edm:isShownBy`` / ``edm:object``. Only plain file names of a museum's
folder are served: a name with a folder part, a leading dot or an escape (``..``, ``%2e%2e``, backslashes)
is 404, and so is anything that is not an image. Aggregators fetch previews by the thousand, so answers carry
``Cache-Control``, an ``ETag`` and ``Last-Modified`` and answer conditional requests with 304.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, send_from_directory
from PIL import Image, UnidentifiedImageError
from werkzeug.wrappers import Response

from musenor.catalogue import image_store
from musenor.oai_server import current_config

blueprint = Blueprint("images", __name__)

MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp"}
MUSEUM_CODE = re.compile(r"^M\d{4}$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
NAME_MAX = 255  # FILE_NAME is ASCII: characters are bytes
CACHE_SECONDS = 86400  # images change only when a campaign re-photographs an object


def images_root() -> Path:
    return Path(current_config().data_dir) / "images"


def _serve(museum: str, folder: Path, name: str) -> Response:
    # A name longer than any file system allows (NAME_MAX, 255 bytes on ext4, XFS, btrfs) cannot be an image
    # the harvest wrote; asking the file system would raise ENAMETOOLONG.
    if not MUSEUM_CODE.match(museum) or not FILE_NAME.match(name) or ".." in name or len(name) > NAME_MAX:
        abort(404)
    media_type = MEDIA_TYPES.get(Path(name).suffix.lower())
    if media_type is None:
        abort(404)
    try:
        found = (folder / name).is_file()
    except OSError:  # whatever else the file system says of a request's name, it is not an image we have
        found = False
    if not found:
        abort(404)
    response = send_from_directory(folder, name, mimetype=media_type, max_age=CACHE_SECONDS, conditional=True,
                                   etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.route("/images/<museum>/<name>")
def image(museum: str, name: str) -> Response:
    return _serve(museum, images_root() / museum, name)


@blueprint.route("/images/<museum>/thumbs/<name>")
def thumbnail(museum: str, name: str) -> Response:
    return _serve(museum, images_root() / museum / "thumbs", name)


@blueprint.route("/images/<museum>/display/<name>")
def display(museum: str, name: str) -> Response:
    return _serve(museum, images_root() / museum / image_store.DISPLAY_FOLDER, name)


@dataclass(frozen=True)
class Picture:
    """One image of a record as the hub holds it: paths under the hub, the display size in pixels."""

    source: str      # the image's URL as the record gives it (edm:isShownBy)
    display: str     # hub path of the display size
    thumbnail: str   # hub path of the thumbnail
    width: int
    height: int


def _export_picture(url: str, museum: str) -> Picture | None:
    """A file export's image, published under the hub's own /images/<museum>/<file>."""
    base = current_config().base_uri.rstrip("/")
    prefix = f"{base}/images/{museum}/"
    name = url[len(prefix):] if url.startswith(prefix) else ""
    if not FILE_NAME.match(name) or ".." in name:
        return None
    path = images_root() / museum / name
    try:
        with Image.open(path) as picture:
            width, height = picture.size
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    thumb = f"/images/{museum}/thumbs/{name}" if (images_root() / museum / "thumbs" / name).is_file() \
        else f"/images/{museum}/{name}"
    return Picture(url, f"/images/{museum}/{name}", thumb, width, height)


def picture(url: str, museum: str) -> Picture | None:
    """The hub's copy of one of a museum's images, if it holds one."""
    if not MUSEUM_CODE.match(museum):
        return None
    found = _export_picture(url, museum)
    if found is not None:
        return found
    held = image_store.held_image(current_config().data_dir, museum, url)
    if held is None:
        return None
    return Picture(url, f"/images/{museum}/{held.display_name}", f"/images/{museum}/{held.thumb_name}",
                   held.width, held.height)


def pictures(urls: list[str], museum: str) -> list[Picture]:
    return [found for url in dict.fromkeys(urls) if (found := picture(url, museum)) is not None]
