"""The triples a photo campaign's images give their record: pure, no I/O (``campaigns`` stores the files).

Each image is an ``edm:hasView`` of the record's aggregation — never its ``edm:isShownBy``, which belongs to
what the museum sent: a later harvest bringing the museum's own image must not meet a second main image. The
web resource carries what docs/profile.md asks of one: media type, ``edm:rights``, ``dc:rights`` credit,
``dcterms:creator`` photographer, ``musenor:thumbnail``, and the date it was taken and its campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS, RDF, XSD

from musenor.mappings.joconde_fields import image_urls
from musenor.mappings.namespaces import EDM, MUSENOR


class HubImage(Protocol):
    """What the mapping needs of one stored campaign image."""

    file: str
    media_type: str
    photographer: str | None
    taken: str | None
    credit: str | None
    rights: str
    campaign: str


def display_url(base: str, museum: str, file: str) -> URIRef:
    """The screen-sized copy of a stored image (at most ``musenor.campaigns.store.DISPLAY_SIZE`` px on its long side)."""
    return URIRef(f"{base}/images/{museum}/display/{file}")


def campaign_image_graph(record_uri: URIRef, base: str, museum: str, images: Iterable[HubImage]) -> Graph:
    g = Graph()
    for image in images:
        shown, thumbnail = image_urls(base, museum, image.file)
        g.add((record_uri, EDM.hasView, shown))
        g.add((shown, RDF.type, EDM.WebResource))
        g.add((shown, DC.format, Literal(image.media_type)))
        g.add((shown, EDM.rights, URIRef(image.rights)))
        g.add((shown, MUSENOR.thumbnail, thumbnail))
        g.add((shown, MUSENOR.displayImage, display_url(base, museum, image.file)))
        g.add((shown, MUSENOR.campaign, Literal(image.campaign)))
        if image.credit:
            g.add((shown, DC.rights, Literal(image.credit)))
        if image.photographer:
            g.add((shown, DCTERMS.creator, Literal(image.photographer)))
        if image.taken:
            g.add((shown, DCTERMS.created, Literal(image.taken, datatype=XSD.date)))
    return g
