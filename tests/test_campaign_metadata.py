"""Photographer, date and copyright read from EXIF, IPTC-IIM and XMP; broken metadata is no metadata."""

from __future__ import annotations

import io
import struct

from PIL import Image

from musenor.campaigns.metadata import PhotoMetadata, read_metadata

XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 photoshop:DateCreated="2026-04-02T10:11:00">
<dc:creator><rdf:Seq><rdf:li>Studio XMP</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">\xc2\xa9 Association XMP</rdf:li></rdf:Alt></dc:rights>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def jpeg(exif: dict | None = None, original: str | None = None, xmp: bytes | None = None) -> bytes:
    image = Image.new("RGB", (40, 30), "olive")
    tags = Image.Exif()
    for tag, value in (exif or {}).items():
        tags[tag] = value
    if original:
        tags.get_ifd(0x8769)[0x9003] = original
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=tags.tobytes(), **({"xmp": xmp} if xmp else {}))
    return buffer.getvalue()


def with_iptc(data: bytes, datasets: dict[int, bytes]) -> bytes:
    """An APP13 Photoshop 3.0 segment holding IPTC-IIM record 2 datasets, right after the JPEG's SOI."""
    iim = b"".join(b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value
                   for number, value in datasets.items())
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim
    payload = b"Photoshop 3.0\x00" + resource
    return data[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def read(data: bytes) -> PhotoMetadata:
    return read_metadata(Image.open(io.BytesIO(data)))


def test_exif_gives_artist_copyright_and_date_taken():
    # cameras and studio software write UTF-8 bytes in these ASCII-typed tags
    data = jpeg({0x013B: "Jeanne Photographe", 0x8298: "© Musée de Douai".encode()}, original="2026:03:14 09:30:00")
    assert read(data) == PhotoMetadata("Jeanne Photographe", "2026-03-14", "© Musée de Douai")


def test_exif_datetime_stands_in_when_there_is_no_date_taken():
    assert read(jpeg({0x0132: "2025:12:01 17:00:00"})).taken == "2025-12-01"


def test_iptc_gives_byline_date_created_and_copyright_notice():
    data = with_iptc(jpeg(), {80: "Paul Iptc".encode(), 55: b"20260501", 116: "© Ville d'Arras".encode()})
    assert read(data) == PhotoMetadata("Paul Iptc", "2026-05-01", "© Ville d'Arras")


def test_iptc_in_latin1_from_older_software_is_read():
    assert read(with_iptc(jpeg(), {80: "Hélène".encode("latin-1")})).photographer == "Hélène"


def test_xmp_wins_over_iptc_and_exif():
    data = with_iptc(jpeg({0x013B: "Exif Name"}, xmp=XMP), {80: b"Iptc Name"})
    assert read(data) == PhotoMetadata("Studio XMP", "2026-04-02", "© Association XMP")


def test_an_image_without_metadata_states_nothing():
    assert read(jpeg()) == PhotoMetadata()


def test_broken_xmp_with_an_entity_is_ignored_not_expanded():
    hostile = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x:xmpmeta xmlns:x="adobe:ns:meta/">&e;'
    assert read(jpeg({0x013B: "Exif Name"}, xmp=hostile)) == PhotoMetadata("Exif Name")


def test_an_impossible_date_is_no_date():
    assert read(jpeg({0x0132: "2026:13:45 00:00:00"})).taken is None


def test_latin1_exif_from_older_cameras_is_read_as_such():
    assert read(jpeg({0x013B: "Hélène".encode("latin-1")})).photographer == "Hélène"
