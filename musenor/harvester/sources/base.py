"""What a source kind is: something that yields a museum's records page by page, resumably.

A source kind knows how to fetch (OAI-PMH, a file export, an archive...), not how to map: it hands over
raw records exactly as received, and the harvest run maps them with the museum's dialect.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from musenor.catalogue import ConfigError, HubConfig, MuseumConfig


class SourceError(Exception):
    """The source failed as a whole (unreachable, not OAI-PMH, truncated list...): the run fails, and
    nothing already published changes."""

    def __init__(self, reason: str, *, museum: str | None = None) -> None:
        self.reason = reason
        self.museum = museum
        super().__init__(f"museum {museum}: {reason}" if museum else reason)


class TokenRejected(SourceError):
    """The source refused a resumption token it issued (expired): the list restarts with the same
    arguments."""


@dataclass
class SourceRecord:
    raw: bytes  # the record exactly as received (one lido:lido element, one CSV row with its header...)
    position: str  # names the record in errors: OAI identifier, "file.xml#12", "export.csv line 40"
    local_id: str | None = None  # when the source knows it; otherwise the dialect reads it from raw
    datestamp: str | None = None
    deleted: bool = False
    source_url: str | None = None
    dialect: str | None = None  # overrides the museum's dialect (an OAI source offering several)
    sets: list[str] = field(default_factory=list)


@dataclass
class SourcePage:
    records: list[SourceRecord]
    checkpoint: dict[str, Any] | None  # where to resume after this page
    # (position, reason, raw) or (position, reason, raw, local id): with the local id, the error names the
    # record by its hub identifier, and a full run keeps its published version instead of tombstoning it.
    errors: list[tuple[Any, ...]] = field(default_factory=list)
    complete_list_size: int | None = None
    sanitised: int = 0  # characters illegal in XML 1.0 replaced in this page
    # Set when the source learns it cannot be complete (an export file cut short): records it could not
    # name must not become tombstones, so the run publishes what it read and deletes nothing.
    incomplete: str | None = None


class Source:
    """Base class of source kinds. Subclasses set ``kind`` and implement ``pages``."""

    kind: ClassVar[str]
    default_dialect: ClassVar[str] = "lido"
    incremental: ClassVar[bool] = False  # asks the source only for changes (OAI-PMH from=)
    settings_keys: ClassVar[frozenset[str]] = frozenset({"kind", "dialect", "_base_dir"})
    # Settings naming a local file or folder (or an http(s) URL): the configuration checker looks for them.
    path_settings: ClassVar[tuple[str, ...]] = ()

    def __init__(self, museum: MuseumConfig, hub: HubConfig) -> None:
        self.museum = museum
        self.hub = hub
        self.settings = museum.source

    @classmethod
    def check_settings(cls, museum: MuseumConfig) -> list[ConfigError]:
        """Every problem of this kind's own settings, each naming the museum and key. Unknown keys and local
        paths are checked for every kind alike (``musenor.harvester.sources.source_problems``)."""
        return []

    @classmethod
    def validate_settings(cls, museum: MuseumConfig) -> None:
        """Raise one catalogue.ConfigError listing every problem of the settings."""
        problems = cls.check_settings(museum)
        if problems:
            raise ConfigError.of(problems)

    @property
    def dialect(self) -> str:
        return str(self.settings.get("dialect", self.default_dialect))

    @property
    def source_url(self) -> str:
        raise NotImplementedError

    def dialect_options(self) -> dict[str, Any]:
        """``MappingContext.options`` for the dialect: the source settings, as detected where "auto"."""
        return dict(self.settings)

    def from_datestamp(self, since: Any) -> str | None:
        """The ``from`` of an incremental harvest after a successful run begun at ``since`` (a datetime)."""
        return None

    def close(self) -> None:
        """Release connections and files."""

    def pages(self, *, checkpoint: dict[str, Any] | None, from_datestamp: str | None,
              full: bool) -> Iterator[SourcePage]:
        """Yield pages from ``checkpoint`` (None: from the start). Ending normally means the list ended
        properly; anything else raises SourceError."""
        raise NotImplementedError
