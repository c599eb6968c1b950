"""Input dialects and output formats, registered by name and imported on first use.

As rdflib's plugin registry does for parsers and serializers: a new museum dialect or a new output
format is one new module and one line here; ``musenor.toml`` and the OAI server refer to the names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from musenor.mappings.base import MappedRecord, MappingContext

DialectFunction = Callable[[bytes, MappingContext], MappedRecord]


@dataclass(frozen=True)
class Dialect:
    name: str
    target: str  # "module:function"
    media_type: str  # of the raw record, kept in provenance
    description: str

    def load(self) -> DialectFunction:
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True)
class OutputFormat:
    """A dissemination format: an OAI metadataPrefix and/or a media type for content negotiation."""

    name: str
    target: str  # "module:function", (graph, record_uri: URIRef, context: RenderContext) -> result
    media_type: str
    kind: str = "xml"  # "xml": the function returns an lxml element (embedded in OAI); "bytes": a document
    metadata_prefix: str | None = None  # set for formats offered over OAI-PMH
    namespace: str | None = None
    schema: str | None = None
    description: str = ""

    def load(self) -> Callable[..., Any]:
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)


DIALECTS: dict[str, Dialect] = {}
FORMATS: dict[str, OutputFormat] = {}


def register_dialect(dialect: Dialect) -> None:
    DIALECTS[dialect.name] = dialect


def register_format(fmt: OutputFormat) -> None:
    FORMATS[fmt.name] = fmt


def get_dialect(name: str) -> Dialect:
    try:
        return DIALECTS[name]
    except KeyError:
        raise KeyError(f"unknown input dialect {name!r} (known: {', '.join(sorted(DIALECTS))})") from None


def get_format(name: str) -> OutputFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown output format {name!r} (known: {', '.join(sorted(FORMATS))})") from None


def oai_formats() -> dict[str, OutputFormat]:
    return {f.metadata_prefix: f for f in FORMATS.values() if f.metadata_prefix}
