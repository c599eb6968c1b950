"""Each campaign image stored once, named by its content, with its thumbnail and its screen-sized copy.

``<data_dir>/images/<museum>/<work>-<view>-<sha256 prefix>.<ext>`` is the image as served (and the REFIM
sent on to POP); ``thumbs/`` holds a copy at most 150 px on its long side (``musenor.harvester.images`` makes the same
for exports), ``display/`` one at most 1600 px, what a page or a full-screen sequence loads. A TIFF, which
browsers do not show, is served as a JPEG; JPEG and PNG are served as delivered (browsers turn them by their
EXIF orientation). The bytes delivered are what the hash names, so the same photograph delivered again is
found again. Files are written to a part file and renamed: a reader never sees half an image.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from musenor.campaigns.metadata import PhotoMetadata, read_metadata

THUMBNAIL_SIZE = 150
DISPLAY_SIZE = 1600
HASH_LENGTH = 16  # 64 bits of SHA-256: unique among any museum's images, short enough for POP's REFIM
SERVED = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}


class ImageRejected(Exception):
    """A delivered file that is no usable image; ``reason`` says why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


@dataclass(frozen=True)
class StoredImage:
    sha256: str
    file: str
    media_type: str
    width: int
    height: int
    metadata: PhotoMetadata


def _write(path: Path, data: bytes) -> None:
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


def _encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=88, optimize=True)
    else:
        image.save(buffer, fmt, optimize=True)
    return buffer.getvalue()


def _scaled(image: Image.Image, size: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((size, size))
    return copy


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_image(data: bytes, name: str, images_dir: Path, stem: str = "") -> StoredImage:
    """Store one delivered photograph in a museum's image folder; raises ImageRejected.

    ``stem`` leads the stored name (the work and view, ``200411-0``), so that a record's images sort main
    view first wherever they are listed by URL; the hash that follows makes the name the content's."""
    sha256 = content_hash(data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        metadata = read_metadata(image)
        image.load()
    except Image.DecompressionBombError as exc:
        raise ImageRejected(name, f"too many pixels to be a photograph ({exc})") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(name, f"not a readable image ({exc})") from None
    fmt = image.format or ""
    extension, media_type = SERVED.get(fmt, ("jpg", "image/jpeg"))
    upright = ImageOps.exif_transpose(image)  # cameras store portrait shots sideways with an orientation tag
    file = f"{stem + '-' if stem else ''}{sha256[:HASH_LENGTH]}.{extension}"
    thumbs, display = images_dir / "thumbs", images_dir / "display"
    thumbs.mkdir(parents=True, exist_ok=True)
    display.mkdir(parents=True, exist_ok=True)
    served_format = "JPEG" if media_type == "image/jpeg" else "PNG"
    if not (images_dir / file).is_file():
        _write(images_dir / file, data if fmt in SERVED else _encoded(upright, served_format))
    if not (thumbs / file).is_file():
        _write(thumbs / file, _encoded(_scaled(upright, THUMBNAIL_SIZE), served_format))
    if not (display / file).is_file():
        _write(display / file, _encoded(_scaled(upright, DISPLAY_SIZE), served_format))
    return StoredImage(sha256=sha256, file=file, media_type=media_type, width=upright.width,
                       height=upright.height, metadata=metadata)
