"""The images of records, kept by the hub: a file export's images copied with their thumbnails, and the
images museums serve over HTTP fetched once, with a display size and a thumbnail (``MuseumImageFetcher``).

An export names its image files (POP's REFIM); at harvest time each one is copied to
``<data_dir>/images/<museum>/<file>`` and a thumbnail no larger than 150 px on its long side is written to
``<data_dir>/images/<museum>/thumbs/<file>``: aggregators (Europeana's ``edm:object``) expect a small preview
and the public pages list dozens at once. ``musenor.oai_server.images`` serves both folders.

A missing or unreadable image is a problem of its record (``ImageError`` with the reason), never of the
harvest. Files are written to a part file then renamed, so a reader never sees half an image.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from PIL import Image, ImageOps, UnidentifiedImageError

from musenor.catalogue import image_store
from musenor.mappings.joconde_fields import safe_image_file

if TYPE_CHECKING:
    from musenor.catalogue.ledger import Ledger

IMAGE_USER_AGENT = "Musenor-hub-harvester/0.1 (+https://musenor.fr; images)"

THUMBNAIL_SIZE = 150
IMAGES_FOLDER = "images"
THUMBS_FOLDER = "thumbs"


class ImageError(Exception):
    """One image of a record cannot be published; ``reason`` says why."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"image {file}: {reason}")


def museum_images_dir(data_dir: Path | str, museum: str) -> Path:
    return Path(data_dir) / IMAGES_FOLDER / museum


@dataclass
class ExportImages:
    """The image folder of one export, looked up case-insensitively: exports made on Windows name
    ``M0629_0001.JPG`` a file that the archive holds as ``m0629_0001.jpg``."""

    folder: Path
    _by_lower_name: dict[str, Path] | None = field(default=None, repr=False)

    def find(self, name: str) -> Path | None:
        exact = self.folder / name
        if exact.is_file():
            return exact
        if self._by_lower_name is None:
            try:
                self._by_lower_name = {p.name.lower(): p for p in self.folder.iterdir() if p.is_file()}
            except OSError:
                self._by_lower_name = {}
        return self._by_lower_name.get(name.lower())


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def publish_image(images: ExportImages, name: str, data_dir: Path | str, museum: str) -> Path:
    """Copy one image and write its thumbnail; returns the published path. Raises ImageError."""
    if not safe_image_file(name):
        raise ImageError(name, "not a plain file name (no folders, no leading dot)")
    source = images.find(name)
    if source is None:
        raise ImageError(name, f"missing from {images.folder}")
    target_dir = museum_images_dir(data_dir, museum)
    thumbs_dir = target_dir / THUMBS_FOLDER
    thumbs_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    thumb = thumbs_dir / name
    unchanged = target.is_file() and thumb.is_file() and target.stat().st_size == source.stat().st_size \
        and _digest(target) == _digest(source)
    if unchanged:
        return target
    try:
        with Image.open(source) as picture:
            image_format = picture.format or "JPEG"
            # A campaign photograph is often 6000 px wide: let the JPEG decoder scale down while decoding
            # (draft mode) instead of decoding every pixel for a 150 px preview. Pillow's own
            # DecompressionBombError stops absurd sizes.
            picture.draft(picture.mode, (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))
            preview = picture.copy()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ImageError(name, f"not a readable image ({exc.__class__.__name__})") from None
    preview.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if image_format == "JPEG" and preview.mode not in ("RGB", "L"):
        preview = preview.convert("RGB")
    part = thumb.with_name(f".{name}.part")
    preview.save(part, format=image_format)
    copy_part = target.with_name(f".{name}.part")
    copy_part.write_bytes(source.read_bytes())
    os.replace(copy_part, target)
    os.replace(part, thumb)
    return target


def publish_images(images: ExportImages, names: list[str], data_dir: Path | str, museum: str) -> list[ImageError]:
    """Publish every image of one record; the problems, one per image, for the record's report."""
    problems = []
    for name in names:
        try:
            publish_image(images, name, data_dir, museum)
        except ImageError as exc:
            problems.append(exc)
    return problems


# -- images the museums serve (edm:isShownBy of OAI-PMH and LIDO records) --------------------------------

DEFAULT_IMAGE_INTERVAL = 1.0  # seconds between two image requests to one museum (source key image_interval)
IMAGE_SETTINGS = frozenset({"fetch_images", "image_interval"})  # source keys every kind takes
IMAGE_TIMEOUT = 30
MAX_IMAGE_BYTES = 80 * 1024 * 1024
_SHOWN_BY = re.compile(r"^<([^>]+)> <http://www\.europeana\.eu/schemas/edm/isShownBy> <(https?://[^>]+)> \.$",
                       re.MULTILINE)


@dataclass
class ImageFetchReport:
    fetched: int = 0
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)


class MuseumImageFetcher:
    """Fetches a museum's images once each, politely: one request at a time, at least ``interval`` seconds
    apart, conditional (If-None-Match / If-Modified-Since from the last answer) so an unchanged image costs
    the museum a 304; writes the display size and the thumbnail (``musenor.catalogue.image_store``)."""

    def __init__(self, data_dir: Path | str, museum: str, *, interval: float = DEFAULT_IMAGE_INTERVAL,
                 session: requests.Session | None = None, clock: Any = time.monotonic,
                 sleep: Any = time.sleep) -> None:
        self.data_dir = Path(data_dir)
        self.museum = museum
        self.interval = interval
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", IMAGE_USER_AGENT)
        self._clock, self._sleep = clock, sleep
        self._last_request: float | None = None
        self.requests = 0

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self.interval - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()

    def fetch(self, url: str) -> bool:
        """Bring the hub's copy of ``url`` up to date; True if the image changed. Raises ImageError."""
        state_file = image_store.state_path(self.data_dir, self.museum, url)
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        held = image_store.held_image(self.data_dir, self.museum, url)
        headers = {}
        if held is not None and state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if held is not None and state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        self._wait_turn()
        self.requests += 1
        try:
            response = self.session.get(url, headers=headers, timeout=IMAGE_TIMEOUT, stream=True)
        except requests.RequestException as exc:
            raise ImageError(url, f"cannot be fetched ({exc.__class__.__name__})") from None
        with response:
            if response.status_code == 304 and held is not None:
                return False
            if response.status_code != 200:
                raise ImageError(url, f"the museum's server answered HTTP {response.status_code}")
            data = bytearray()
            for chunk in response.iter_content(1 << 16):
                data += chunk
                if len(data) > MAX_IMAGE_BYTES:
                    raise ImageError(url, f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
            etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        width, height, display_size = self._write_derivatives(url, bytes(data))
        state = {"url": url, "etag": etag, "last_modified": last_modified, "width": width, "height": height,
                 "display_width": display_size[0], "display_height": display_size[1]}
        _write_atomically(state_file, json.dumps(state).encode("utf-8"))
        return True

    def _write_derivatives(self, url: str, data: bytes) -> tuple[int, int, tuple[int, int]]:
        key = image_store.image_key(url)
        folder = image_store.museum_folder(self.data_dir, self.museum)
        try:
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
                picture.draft("RGB", (image_store.DISPLAY_SIZE, image_store.DISPLAY_SIZE))
                display = ImageOps.exif_transpose(picture.convert("RGB"))
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
            raise ImageError(url, f"not a readable image ({exc.__class__.__name__})") from None
        display.thumbnail((image_store.DISPLAY_SIZE, image_store.DISPLAY_SIZE))
        thumb = display.copy()
        thumb.thumbnail((image_store.THUMBNAIL_SIZE, image_store.THUMBNAIL_SIZE))
        for picture, name in ((display, f"{image_store.DISPLAY_FOLDER}/{key}.jpg"),
                              (thumb, f"{image_store.THUMBS_FOLDER}/{key}.jpg")):
            out = io.BytesIO()
            picture.save(out, format="JPEG", quality=85, optimize=True)
            _write_atomically(folder / name, out.getvalue())
        return width, height, display.size


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


def images_of_graph(ntriples: str) -> list[str]:
    """The http(s) ``edm:isShownBy`` of a record graph (N-Triples, as the ledger keeps it)."""
    return [match.group(2) for match in _SHOWN_BY.finditer(ntriples)]


# The images a museum's server failed to give (a 503 on the night of a harvest, a timeout), by URL, with the records
# that show them: fetched again at the museum's next harvest, whether or not those records changed, since an
# unchanged record is not published again and its image would otherwise stay missing until the museum edits it.
RETRY_FILE = "retry.json"


def _retry_path(data_dir: Path | str, museum: str) -> Path:
    return image_store.museum_folder(data_dir, museum) / image_store.REMOTE_FOLDER / RETRY_FILE


def images_to_retry(data_dir: Path | str, museum: str) -> dict[str, list[str]]:
    """The museum's images that failed, each with the identifiers of the records that show it."""
    try:
        found = json.loads(_retry_path(data_dir, museum).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(url): [str(i) for i in ids] for url, ids in found.items()} if isinstance(found, dict) else {}


def fetch_run_images(ledger: Ledger, run_id: int, data_dir: Path | str, museum: str, *,
                     interval: float = DEFAULT_IMAGE_INTERVAL, session: requests.Session | None = None,
                     base_uri: str | None = None) -> ImageFetchReport:
    """Fetch the images of the records a harvest run published (each URL once, the hub's own skipped), and those
    that failed before and whose records are still live. A record whose image is fetched on a retry gets its
    stored renderings made anew: its EDM names the hub's IIIF manifest of the images it holds."""
    fetcher = MuseumImageFetcher(data_dir, museum, interval=interval, session=session)
    report = ImageFetchReport()
    urls: dict[str, list[str]] = {}
    for identifier, graph in ledger.conn.execute("SELECT identifier, graph FROM records WHERE run_id = ? "
                                                 "AND deleted = 0 AND graph IS NOT NULL", (run_id,)):
        for url in images_of_graph(graph):
            if base_uri is None or not url.startswith(base_uri + "/"):
                urls.setdefault(url, []).append(identifier)
    retried: set[str] = set()
    for url, identifiers in images_to_retry(data_dir, museum).items():
        live = [i for i in identifiers if (record := ledger.record(i)) is not None and not record.deleted
                and url in images_of_graph(record.graph or "")]
        if live and url not in urls:
            urls[url] = live
            retried.add(url)
    failed: dict[str, list[str]] = {}
    refreshed: list[str] = []
    for url, identifiers in urls.items():
        try:
            if fetcher.fetch(url):
                report.fetched += 1
            else:
                report.unchanged += 1
        except ImageError as exc:
            report.problems.append((url, exc.reason))
            failed[url] = identifiers
            continue
        if url in retried:
            refreshed += identifiers
    path = _retry_path(data_dir, museum)
    if failed or path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, json.dumps(failed, ensure_ascii=False).encode("utf-8"))
    if refreshed:
        ledger.forget_renderings(refreshed)
    return report
