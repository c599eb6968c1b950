"""Photographer, date and copyright of a delivered photograph, from its XMP, IPTC-IIM and EXIF (Pillow).

Studios fill one or several of these. Where they disagree XMP wins, then IPTC, then EXIF, the order of the
IPTC/MWG "Guidelines for Handling Image Metadata" (XMP is the reconciled copy that current software writes).
XMP is parsed with lxml with entities and network access off: a photograph is untrusted input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from PIL import Image, IptcImagePlugin

EXIF_ARTIST, EXIF_COPYRIGHT, EXIF_DATETIME = 0x013B, 0x8298, 0x0132
EXIF_IFD, EXIF_DATETIME_ORIGINAL = 0x8769, 0x9003
IPTC_BYLINE, IPTC_DATE_CREATED, IPTC_COPYRIGHT = (2, 80), (2, 55), (2, 116)
XMP_NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "dc": "http://purl.org/dc/elements/1.1/", "photoshop": "http://ns.adobe.com/photoshop/1.0/",
          "xmp": "http://ns.adobe.com/xap/1.0/", "exif": "http://ns.adobe.com/exif/1.0/"}
_XMP_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_DATE = re.compile(r"^(\d{4})[:\-](\d{2})[:\-](\d{2})")


@dataclass(frozen=True)
class PhotoMetadata:
    photographer: str | None = None
    taken: str | None = None  # ISO date, YYYY-MM-DD
    copyright: str | None = None


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")  # IPTC-IIM without the UTF-8 declaration (1:90) of older software
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", " ").split())
    return value or None


def _date(value: str | None) -> str | None:
    found = _DATE.match(value or "")
    if not found:
        return None
    year, month, day = found.groups()
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


def _xmp(image: Image.Image) -> PhotoMetadata:
    packet = image.info.get("xmp")
    if not packet:
        return PhotoMetadata()
    try:
        root = etree.fromstring(packet if isinstance(packet, bytes) else packet.encode("utf-8"), _XMP_PARSER)
    except etree.XMLSyntaxError:
        return PhotoMetadata()

    def first(*paths: str) -> str | None:
        for path in paths:
            for found in root.xpath(path, namespaces=XMP_NS):
                text = _text(found if isinstance(found, str) else found.text)
                if text:
                    return text
        return None

    return PhotoMetadata(
        photographer=first("//dc:creator//rdf:li", "//rdf:Description/@dc:creator"),
        taken=_date(first("//photoshop:DateCreated", "//rdf:Description/@photoshop:DateCreated",
                          "//exif:DateTimeOriginal", "//rdf:Description/@exif:DateTimeOriginal",
                          "//xmp:CreateDate", "//rdf:Description/@xmp:CreateDate")),
        copyright=first("//dc:rights//rdf:li", "//rdf:Description/@dc:rights"))


def _iptc(image: Image.Image) -> PhotoMetadata:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, IndexError, OSError):  # a broken IIM block is no metadata, not a crash
        return PhotoMetadata()
    return PhotoMetadata(photographer=_text(info.get(IPTC_BYLINE)), taken=_date(_iptc_date(info)),
                         copyright=_text(info.get(IPTC_COPYRIGHT)))


def _iptc_date(info: dict) -> str:
    text = _text(info.get(IPTC_DATE_CREATED)) or ""
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if re.match(r"^\d{8}$", text) else text  # IIM is CCYYMMDD


def _exif_text(value: object) -> str | None:
    """EXIF's ASCII tags hold UTF-8 in practice (cameras, Lightroom); Pillow decodes them as Latin-1."""
    if isinstance(value, str):
        try:
            value = value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass  # truly Latin-1, or already text
    return _text(value)


def _exif(image: Image.Image) -> PhotoMetadata:
    exif = image.getexif()
    original = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL)
    return PhotoMetadata(photographer=_exif_text(exif.get(EXIF_ARTIST)),
                         taken=_date(_text(original) or _text(exif.get(EXIF_DATETIME))),
                         copyright=_exif_text(exif.get(EXIF_COPYRIGHT)))


def read_metadata(image: Image.Image) -> PhotoMetadata:
    """What an opened image says of itself; fields it does not state are None."""
    found = [_xmp(image), _iptc(image), _exif(image)]
    return PhotoMetadata(photographer=next((m.photographer for m in found if m.photographer), None),
                         taken=next((m.taken for m in found if m.taken), None),
                         copyright=next((m.copyright for m in found if m.copyright), None))
