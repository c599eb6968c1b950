"""Source kinds, registered by name: ``kind = "oai-pmh"`` in a museum's ``[museums.X.source]``."""

from __future__ import annotations

import importlib

from catalogue import ConfigError, HubConfig, MuseumConfig
from harvester.sources.base import Source, SourceError, SourcePage, SourceRecord, TokenRejected

__all__ = ["SOURCE_KINDS", "Source", "SourceError", "SourcePage", "SourceRecord", "TokenRejected",
           "source_class", "source_for", "validate_museum_source"]

SOURCE_KINDS: dict[str, str] = {
    "oai-pmh": "harvester.sources.oai_pmh:OAIPMHSource",
    "lido-file": "harvester.sources.lido_file:LIDOFileSource",
    "csv-file": "harvester.sources.csv_file:CSVFileSource",
    "pop-file": "harvester.sources.pop:POPSource",
}


def source_class(kind: str) -> type[Source]:
    try:
        target = SOURCE_KINDS[kind]
    except KeyError:
        raise KeyError(kind) from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def validate_museum_source(museum: MuseumConfig) -> None:
    kind = museum.source_kind
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown source kind {kind!r} (known: {', '.join(sorted(SOURCE_KINDS))})",
                          key=f"museums.{museum.code}.source.kind", museum=museum.code)
    source_class(kind).validate_settings(museum)


def source_for(museum: MuseumConfig, hub: HubConfig) -> Source:
    return source_class(museum.source_kind)(museum, hub)
