"""The ``lido-file`` source kind: a LIDO XML export handed over by a museum (one file, many, or an archive).

Settings (``[museums.X.source]``):

| key | meaning | default |
|---|---|---|
| ``path`` | a ``.xml`` file, a folder of them, a ``.zip`` or ``.tar.gz`` of them, relative to the config file, or an http(s) URL of one (required) | |
| ``dialect`` | the input dialect | ``lido`` |
| ``max_entries`` | most files a folder or archive may hold | ``100000`` |
| ``max_total_bytes`` | most bytes the export may unpack to (and a download may weigh) | ``4294967296`` |
| ``max_ratio`` | most an archive entry may inflate (unpacked / packed size) | ``200`` |

Each file may hold one ``lido:lido`` record or a ``lido:lidoWrap`` of many; files are streamed with
``iterparse`` and each record is freed once handed on, so a 1 GB export never sits in memory. Parsing is
strict (no recovery, no DTD, no entities, no network); characters illegal in XML 1.0 are replaced and counted.

An export is complete by nature: every run is a full run, a record missing from the export becomes a
tombstone at publish (behind the mass-deletion guard), an unchanged record stays unchanged by checksum. A
file that is not well-formed XML fails the records it holds (named by their ``lidoRecID`` when they can be
found), never the others; since the records after the break cannot be known, that run deletes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from musenor.catalogue import ConfigError, HubConfig, MuseumConfig
from musenor.harvester.sanitise import SanitisingReader
from musenor.harvester.sources.base import Source, SourcePage, SourceRecord, TokenRejected
from musenor.harvester.sources.export_files import Caps, download, export_entries, fingerprint, is_url

LIDO_NS = "http://www.lido-schema.org"
LIDO = f"{{{LIDO_NS}}}lido"
LIDO_REC_ID = f"{{{LIDO_NS}}}lidoRecID"
SUFFIXES = (".xml", ".lido")
SETTINGS = {"kind", "path", "dialect", "max_entries", "max_total_bytes", "max_ratio", "_base_dir"}
REC_ID_PATTERN = re.compile(rb"<(?:[\w.-]+:)?lidoRecID\b[^>]*>\s*([^<\s][^<]*?)\s*</")
BROKEN_FILE_RAW_BYTES = 1 << 20  # how much of a broken file is kept with its error


class LIDOFileSource(Source):
    kind = "lido-file"
    settings_keys = frozenset(SETTINGS)
    path_settings = ("path",)
    default_dialect = "lido"
    incremental = False

    @classmethod
    def check_settings(cls, museum: MuseumConfig) -> list[ConfigError]:
        problems: list[ConfigError] = []
        settings, code = museum.source, museum.code
        where = f"museums.{code}.source"
        path = settings.get("path")
        if not isinstance(path, str) or not path.strip():
            problems.append(ConfigError("the export's path or http(s) URL is required", key=f"{where}.path", museum=code))
        if settings.get("dialect", "lido") != "lido":
            from musenor.mappings import DIALECTS

            if settings["dialect"] not in DIALECTS:
                problems.append(ConfigError(f"no input dialect {settings['dialect']!r}", key=f"{where}.dialect", museum=code))
        for key, minimum in (("max_entries", 1), ("max_total_bytes", 1), ("max_ratio", 1)):
            value = settings.get(key, 1)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < minimum:
                problems.append(ConfigError(f"must be a number of at least {minimum}", key=f"{where}.{key}", museum=code))
        return problems

    def __init__(self, museum: MuseumConfig, hub: HubConfig) -> None:
        super().__init__(museum, hub)
        self.caps = Caps(max_entries=int(self.settings.get("max_entries", Caps.max_entries)),
                         max_total_bytes=int(self.settings.get("max_total_bytes", Caps.max_total_bytes)),
                         max_ratio=float(self.settings.get("max_ratio", Caps.max_ratio)))

    @property
    def location(self) -> str:
        return str(self.settings["path"])

    @property
    def source_url(self) -> str:
        return self.location if is_url(self.location) else self.local_path().resolve().as_uri()

    def local_path(self) -> Path:
        if is_url(self.location):
            return download(self.location, self.hub.data_dir / "downloads" / self.museum.code, self.caps,
                            self.museum.code, user_agent=self.hub.user_agent)
        path = Path(self.location).expanduser()
        if not path.is_absolute():
            path = Path(self.settings.get("_base_dir", ".")) / path
        return path

    def records(self, path: Path) -> Iterator[SourceRecord | tuple[Any, ...]]:
        """Every record of the export in order; a page error tuple for what cannot be read."""
        url = self.source_url
        for entry in export_entries(path, SUFFIXES, self.caps, self.museum.code):
            stream = entry.open()
            reader = SanitisingReader(stream)
            self._reader = reader
            found: list[str] = []
            n = 0
            try:
                for _, element in etree.iterparse(reader, events=("end",), tag=LIDO, recover=False,
                                                  resolve_entities=False, no_network=True, load_dtd=False,
                                                  huge_tree=False, remove_comments=True):
                    n += 1
                    rec_id = element.find(LIDO_REC_ID)
                    local_id = (rec_id.text or "").strip() or None if rec_id is not None else None
                    raw = etree.tostring(element, encoding="UTF-8")
                    # Free what is parsed: the record and the siblings before it (lxml's iterparse idiom).
                    element.clear()
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
                    if local_id:
                        found.append(local_id)
                    yield SourceRecord(raw=raw, position=f"{entry.name}#{n}", local_id=local_id, source_url=url)
            except etree.XMLSyntaxError as exc:
                yield from self._broken(entry, set(found), f"{exc.msg} (line {exc.lineno})")
            finally:
                stream.close()
            self.sanitised += reader.replaced
            self._reader = None

    def _broken(self, entry: Any, found: set[str], reason: str) -> Iterator[tuple[Any, ...]]:
        stream = entry.open()
        try:
            data = stream.read()
        finally:
            stream.close()
        ids = [m.group(1).decode("utf-8", "replace") for m in REC_ID_PATTERN.finditer(data)]
        missing = [i for i in dict.fromkeys(ids) if i not in found]
        why = f"{entry.name} is not well-formed XML: {reason}"
        if not missing:
            yield (entry.name, why, data[:BROKEN_FILE_RAW_BYTES])
        for local_id in missing:
            yield (f"{entry.name} record {local_id}", f"{why}; record {local_id} could not be read", None, local_id)

    def replaced_so_far(self) -> int:
        return self.sanitised + (self._reader.replaced if self._reader is not None else 0)

    def pages(self, *, checkpoint: dict[str, Any] | None, from_datestamp: str | None,
              full: bool) -> Iterator[SourcePage]:
        path = self.local_path()
        version = fingerprint(path)
        start = int((checkpoint or {}).get("offset", 0))
        if checkpoint and checkpoint.get("version") != version:
            raise TokenRejected("the export changed since this harvest began", museum=self.museum.code)
        self.sanitised = 0
        self._reader: SanitisingReader | None = None
        page_size = self.hub.page_size
        page = SourcePage(records=[], checkpoint=None)
        offset = 0
        # Replacements are counted as read, so a resumed run reports only those after its checkpoint.
        reported = int((checkpoint or {}).get("sanitised", 0))
        for item in self.records(path):
            offset += 1
            if offset <= start:
                continue
            if isinstance(item, tuple):
                page.errors.append(item)
                if "is not well-formed XML" in item[1]:
                    page.incomplete = item[1]
            else:
                page.records.append(item)
            if len(page.records) + len(page.errors) >= page_size:
                replaced = self.replaced_so_far()
                page.checkpoint = {"offset": offset, "version": version, "sanitised": replaced}
                page.sanitised, reported = max(0, replaced - reported), replaced
                yield page
                page = SourcePage(records=[], checkpoint=None)
        page.sanitised = max(0, self.replaced_so_far() - reported)
        page.checkpoint = None
        yield page
