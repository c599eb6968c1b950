"""Where the hub keeps its copies of museums' images and their derivatives, shared by the harvester (which
writes them) and the server (which serves them): pages never hot-link a museum's full image.

A museum's image at ``url`` is kept once, named by the SHA-256 of its URL, under
``<data_dir>/images/<museum>/``: ``remote/<digest>.json`` (what the museum's server answered: ETag,
Last-Modified, the pixel size of the original), ``display/<digest>.jpg`` (at most DISPLAY_SIZE px on its long
side, for the record page and the zoom viewer) and ``thumbs/<digest>.jpg`` (at most THUMBNAIL_SIZE px, for
result lists). Images of file exports keep their own names (``musenor.harvester.images.publish_image``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

IMAGES_FOLDER = "images"
DISPLAY_FOLDER = "display"
THUMBS_FOLDER = "thumbs"
REMOTE_FOLDER = "remote"
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 400  # two device pixels per CSS pixel of a 200 px card


def image_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class HeldImage:
    """The hub's copy of one image of a museum: paths under the data directory, and its pixel size."""

    museum: str
    key: str
    width: int
    height: int

    @property
    def display_name(self) -> str:
        return f"{DISPLAY_FOLDER}/{self.key}.jpg"

    @property
    def thumb_name(self) -> str:
        return f"{THUMBS_FOLDER}/{self.key}.jpg"


def museum_folder(data_dir: Path | str, museum: str) -> Path:
    return Path(data_dir) / IMAGES_FOLDER / museum


def state_path(data_dir: Path | str, museum: str, url: str) -> Path:
    return museum_folder(data_dir, museum) / REMOTE_FOLDER / f"{image_key(url)}.json"


def held_image(data_dir: Path | str, museum: str, url: str) -> HeldImage | None:
    """The hub's copy of ``url`` when the harvester fetched it and wrote both derivatives."""
    folder = museum_folder(data_dir, museum)
    key = image_key(url)
    try:
        state = json.loads((folder / REMOTE_FOLDER / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    held = HeldImage(museum, key, int(state.get("display_width", 0)), int(state.get("display_height", 0)))
    if not held.width or not (folder / held.display_name).is_file() or not (folder / held.thumb_name).is_file():
        return None
    return held


@dataclass(frozen=True)
class HeldImages:
    """Whether the hub holds a copy of a museum's image: then the record's IIIF manifest
    (``/iiif/<museum>/<local>/manifest.json``) shows it, and EDM links the image to that manifest. A file
    export's image is held under its own name (``{base_uri}/images/<museum>/<file>``); a fetched one by
    ``held_image``. Picklable, for the rendering processes."""

    data_dir: str
    base_uri: str

    def __call__(self, museum: str, url: str) -> bool:
        prefix = f"{self.base_uri.rstrip('/')}/{IMAGES_FOLDER}/{museum}/"
        if url.startswith(prefix):
            name = url[len(prefix):]
            return bool(name) and "/" not in name and ".." not in name and \
                (museum_folder(self.data_dir, museum) / name).is_file()
        return held_image(self.data_dir, museum, url) is not None
