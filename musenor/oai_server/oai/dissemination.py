"""Records as OAI ``record`` elements: the header, and the metadata the registered formats rendered.

A record's metadata is rendered once, when its content changes, and kept in the ledger
(``musenor.mappings.rendering``, ``musenor.harvester.rendering``): serving it is a read and a parse of those bytes, with
no rdflib and no graph store. A record without a current rendering (published a moment ago, or under
renderer code newer than its bytes) is rendered here from its N-Triples, and that rendering is kept in a
small LRU keyed by (identifier, change sequence, metadataPrefix): the change sequence moves with every
change of the record's row, so a cached rendering is never stale.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
import threading
from collections import OrderedDict
from xml.sax.saxutils import escape
from typing import Any

from lxml import etree

from musenor.catalogue import HubConfig, Ledger, PublishedRecord
from musenor.catalogue.image_store import HeldImages
from musenor.catalogue.listing import Header, ListedRecord
from musenor.mappings import HubURIs, OutputFormat, RenderContext
from musenor.mappings.rendering import CannotRender, record_triples, render_element, renderer_version
from musenor.oai_server.oai.envelope import OAI_NS, oai
from musenor.oai_server.oai.provenance import Origins, about_element
from musenor.oai_server.oai.xmltext import ILLEGAL, clean

log = logging.getLogger(__name__)

CACHE_SIZE = 4096
# Stored renderings are the hub's own bytes; a huge tree (a record of thousands of events) must still parse.
STORED_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)

__all__ = ["CannotRender", "Disseminator", "header_bytes", "load_vocabularies", "record_bytes", "record_triples"]


def load_vocabularies(base_uri: str) -> Any:
    """The shipped vocabularies for labels in outputs, or None when they cannot be loaded."""
    try:
        from musenor.vocabularies import load_vocabularies as load
    except ImportError:
        return None
    try:
        return load(base_uri)
    except Exception:  # a broken vocabulary file must not take the endpoint down; outputs lose labels only
        log.exception("vocabularies could not be loaded; OAI outputs go without their labels")
        return None


class Disseminator:
    def __init__(self, config: HubConfig, formats: dict[str, OutputFormat],
                 vocabularies: Any = None, cache_size: int = CACHE_SIZE, origins: Origins | None = None,
                 ledger: Ledger | None = None) -> None:
        self.formats = formats
        self.origins = origins
        self.ledger = ledger
        # Vocabularies None stays None here (outputs without labels): load_vocabularies already said why.
        self.context = RenderContext(uris=HubURIs(config.base_uri, config.repository_identifier),
                                     hub_name=config.repository_name,
                                     museum_names={code: m.name for code, m in config.museums.items()},
                                     vocabularies=vocabularies,
                                     holds_image=HeldImages(str(config.data_dir), config.base_uri))
        self.renderer_version = renderer_version(self.context)
        self._cache: OrderedDict[tuple[str, int, str], etree._Element] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def stored(self, records: list[PublishedRecord], prefix: str) -> dict[str, bytes | None]:
        """The current stored renderings of a page of records in a format, in one read."""
        if self.ledger is None:
            return {}
        seqs = {record.identifier: record.change_seq for record in records if not record.deleted}
        found = self.ledger.renderings(list(seqs), prefix, self.renderer_version)
        return {identifier: body for identifier, (seq, body) in found.items() if seqs.get(identifier) == seq}

    def metadata(self, record: PublishedRecord, prefix: str, stored: dict[str, bytes | None] | None = None
                 ) -> etree._Element:
        """The record's metadata in a format, a fresh element each call; raises CannotRender."""
        if stored is None:
            stored = self.stored([record], prefix)
        if record.identifier in stored:
            body = stored[record.identifier]
            if body is None:
                raise CannotRender(f"{record.identifier} cannot be disseminated as {prefix}")
            return etree.fromstring(body, STORED_PARSER)
        key = (record.identifier, record.change_seq, prefix)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            cached = render_element(record_triples(record.ntriples), record.record_uri, record.identifier,
                                    self.formats[prefix], self.context)
            with self._lock:
                self._cache[key] = cached
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return copy.deepcopy(cached)


def header_bytes(header: Header) -> bytes:
    """An OAI ``header`` element as text: escaped, and cleaned of what XML forbids."""
    status = ' status="deleted"' if header.deleted else ""
    return (f"<header{status}><identifier>{_text(header.identifier)}</identifier>"
            f"<datestamp>{_text(header.datestamp)}</datestamp>{_set_spec_elements(header.sets)}</header>").encode("utf-8")


# What escape() or clean() would change: most values have none, and a page of a list writes hundreds.
_NEEDS_CARE = re.compile("[&<>]|" + ILLEGAL.pattern)


def _text(value: str) -> str:
    return escape(clean(value)) if _NEEDS_CARE.search(value) else value


@functools.lru_cache(maxsize=4096)
def _set_spec_elements(sets: tuple[str, ...]) -> str:
    # A few museums' sets are shared by every record of a list: written once each, not once a record.
    return "".join(f"<setSpec>{_text(spec)}</setSpec>" for spec in sets)


def record_bytes(header: Header, record: ListedRecord | None, prefix: str, disseminator: Disseminator
                 ) -> bytes | None:
    """A ``record`` element as bytes, or None when the format cannot disseminate the record (then it is left
    out). A current stored rendering goes in as it is; a record without one is rendered from its whole row.

    The header is the one the list was fixed at; a record deleted since is given as deleted.
    """
    if not header.deleted and (record is None or record.deleted):
        header = Header(header.identifier, record.hub_datestamp if record else header.datestamp, True, header.sets)
    if header.deleted:
        return b"<record>" + header_bytes(header) + b"</record>"
    assert record is not None
    try:
        if record.current:
            metadata = record.metadata
            if metadata is None:
                raise CannotRender(f"{record.identifier} cannot be disseminated as {prefix}")
        else:
            whole = disseminator.ledger.record(record.identifier) if disseminator.ledger else None
            if whole is None or whole.deleted:  # withdrawn since its row was read
                gone = Header(header.identifier, whole.hub_datestamp if whole else header.datestamp, True, header.sets)
                return b"<record>" + header_bytes(gone) + b"</record>"
            metadata = etree.tostring(disseminator.metadata(whole, prefix, stored={}), encoding="UTF-8")
    except CannotRender:
        return None
    parts = [b"<record>", header_bytes(header), b"<metadata>", metadata, b"</metadata>"]
    origin = disseminator.origins.origin(record) if disseminator.origins else None
    if origin is not None:
        holder = etree.Element(oai("record"), nsmap={None: OAI_NS})
        about = etree.tostring(about_element(holder, origin), encoding="UTF-8")
        parts.append(about.replace(f' xmlns="{OAI_NS}"'.encode(), b"", 1))
    parts.append(b"</record>")
    return b"".join(parts)
