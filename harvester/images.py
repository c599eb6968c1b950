"""The images of a file export, copied where the hub serves them, with their thumbnails.

An export names its image files (POP's REFIM); at harvest time each one is copied to
``<data_dir>/images/<museum>/<file>`` and a thumbnail no larger than 150 px on its long side is written to
``<data_dir>/images/<museum>/thumbs/<file>``: aggregators (Europeana's ``edm:object``) expect a small preview
and the public pages list dozens at once. ``oai_server.images`` serves both folders.

A missing or unreadable image is a problem of its record (``ImageError`` with the reason), never of the
harvest. Files are written to a part file then renamed, so a reader never sees half an image.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from mappings.joconde_fields import safe_image_file

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
