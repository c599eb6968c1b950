"""The images of file exports, as the harvest published them: ``/images/<museum>/<file>`` and their
thumbnails ``/images/<museum>/thumbs/<file>``, from ``<data_dir>/images`` (``harvester.images`` writes them).

These are the URLs records carry as ``edm:isShownBy`` / ``edm:object``. Only plain file names of a museum's
folder are served: a name with a folder part, a leading dot or an escape (``..``, ``%2e%2e``, backslashes)
is 404, and so is anything that is not an image. Aggregators fetch previews by the thousand, so answers carry
``Cache-Control``, an ``ETag`` and ``Last-Modified`` and answer conditional requests with 304.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, send_from_directory
from werkzeug.wrappers import Response

from oai_server import current_config

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
