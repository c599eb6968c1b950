"""What every input dialect receives and returns, and how it fails.

A dialect is a pure function ``(raw: bytes, context: MappingContext) -> MappedRecord``: bytes in,
triples out (``RecordTriples``), no I/O, so that every mapping is testable with a string.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from musenor.mappings.triples import RecordTriples
from musenor.mappings.uris import HubURIs

if TYPE_CHECKING:
    from musenor.vocabularies import Vocabularies


class MappingError(Exception):
    """A record that cannot be mapped; the harvest keeps it raw and goes on."""

    def __init__(self, reason: str, *, local_id: str | None = None, museum: str | None = None) -> None:
        self.reason = reason
        self.local_id = local_id
        self.museum = museum
        where = ", ".join(p for p in (f"museum {museum}" if museum else "",
                                      f"record {local_id}" if local_id else "") if p)
        super().__init__(f"{where}: {reason}" if where else reason)


@dataclass
class MappingContext:
    """Everything a dialect may know besides the record: which museum, which URIs, which vocabularies."""

    museum_code: str
    museum_name: str
    uris: HubURIs
    vocabularies: Vocabularies | None = None
    hub_name: str = "Musenor"
    default_rights: str | None = None  # rights statement URI when the record states none
    rights_map: dict[str, str] = field(default_factory=dict)  # the museum's own rights wording -> statement URI
    default_language: str = "fr"
    options: dict[str, Any] = field(default_factory=dict)  # dialect settings from musenor.toml


@dataclass
class MappedRecord:
    local_id: str
    graph: RecordTriples  # not an rdflib Graph, whose adds and serializer cost a third of a mapping
    cho: URIRef
    record_uri: URIRef  # the ore:Aggregation, which names the record's graph
    sets: list[str] = field(default_factory=list)  # set specs the content implies (type:...)
    source_datestamp: str | None = None  # last-modified date the record itself carries
    deleted: bool = False
    unmapped: Counter[str] = field(default_factory=Counter)  # source elements/fields not mapped
    unmatched: Counter[tuple[str, str]] = field(default_factory=Counter)  # (vocabulary, term) left literal
    sanitised: int = 0  # characters illegal in XML 1.0 replaced
    warnings: list[str] = field(default_factory=list)


@dataclass
class RenderContext:
    """What an output format may know besides the record's graph."""

    uris: HubURIs
    hub_name: str = "Musenor"
    museum_names: dict[str, str] = field(default_factory=dict)  # Museofile code -> name
    vocabularies: Vocabularies | None = None  # for concept labels and exactMatch (AAT) in outputs
    # (museum code, image URL) -> whether the hub holds a copy, so that the record's IIIF manifest shows it
    # (``musenor.catalogue.image_store.HeldImages``); None: no image is known to be held
    holds_image: Callable[[str, str], bool] | None = None
