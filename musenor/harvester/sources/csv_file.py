"""The ``csv-file`` source kind: a spreadsheet export, one record a row (Joconde-style columns).

Settings (``[museums.X.source]``):

| key | meaning | default |
|---|---|---|
| ``path`` | the CSV file, relative to the config file (required) | |
| ``dialect`` | the input dialect reading each row | ``joconde-csv`` |
| ``encoding`` | ``auto`` (UTF-8, with or without BOM, else Windows-1252), or a codec name | ``auto`` |
| ``delimiter`` | ``auto`` (sniffed among ``,`` ``;`` tab ``|``), or the character | ``auto`` |
| ``id_column`` | the header of the column holding the record's id, when the dialect should not guess it | |

Other keys (``columns``, ``local_id``, ``ignore``) are the dialect's and pass through to it untouched
(``MappingContext.options``), with ``delimiter`` set to the one detected.

Each row is handed over as a small UTF-8 CSV document, the header line and that row, in the export's own
delimiter, so the dialect can read it alone. A row with more cells than the header has columns, or no value
in ``id_column``, is a record error; the other rows go on. The export is complete by nature, so every run is a
full run behind the mass-deletion guard, and unchanged rows stay unchanged by checksum.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from musenor.catalogue import ConfigError, MuseumConfig
from musenor.harvester.sources.base import Source, SourceError, SourcePage, SourceRecord, TokenRejected
from musenor.harvester.sources.export_files import fingerprint

DELIMITERS = (",", ";", "\t", "|")
SETTINGS = {"kind", "path", "dialect", "encoding", "delimiter", "id_column", "_base_dir"}
DIALECT_SETTINGS = {"columns", "local_id", "ignore"}
SNIFF_BYTES = 64 * 1024


def decode_export(data: bytes, encoding: str) -> tuple[str, str]:
    """(text, encoding used). "auto": a BOM says UTF-8; else UTF-8 if it decodes, else Windows-1252,
    which French museum systems (and Excel on Windows) still write."""
    if encoding == "auto":
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8"
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace"), "cp1252"
    text = data.decode(encoding)
    return text.lstrip("\ufeff"), encoding


def detect_delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        return max(DELIMITERS, key=header.count)


class CSVFileSource(Source):
    kind = "csv-file"
    default_dialect = "joconde-csv"
    settings_keys = frozenset(SETTINGS | DIALECT_SETTINGS)
    path_settings = ("path",)
    incremental = False

    @classmethod
    def check_settings(cls, museum: MuseumConfig) -> list[ConfigError]:
        problems: list[ConfigError] = []
        settings, code = museum.source, museum.code
        where = f"museums.{code}.source"
        path = settings.get("path")
        if not isinstance(path, str) or not path.strip():
            problems.append(ConfigError("the CSV file's path is required", key=f"{where}.path", museum=code))
        encoding = settings.get("encoding", "auto")
        if encoding != "auto":
            try:
                codecs.lookup(str(encoding))
            except LookupError:
                problems.append(ConfigError(f"unknown encoding {encoding!r} (e.g. auto, utf-8, cp1252)",
                                  key=f"{where}.encoding", museum=code))
        delimiter = settings.get("delimiter", "auto")
        if delimiter != "auto" and delimiter not in DELIMITERS:
            problems.append(ConfigError("must be auto or one of , ; tab |", key=f"{where}.delimiter", museum=code))
        if "id_column" in settings and (not isinstance(settings["id_column"], str) or not settings["id_column"]):
            problems.append(ConfigError("must be a column header", key=f"{where}.id_column", museum=code))
        from musenor.mappings import DIALECTS

        dialect = settings.get("dialect", cls.default_dialect)
        if dialect not in DIALECTS:
            problems.append(ConfigError(f"no input dialect {dialect!r}", key=f"{where}.dialect", museum=code))
        return problems

    @property
    def path(self) -> Path:
        path = Path(str(self.settings["path"])).expanduser()
        if not path.is_absolute():
            path = Path(self.settings.get("_base_dir", ".")) / path
        return path

    @property
    def source_url(self) -> str:
        return self.path.resolve().as_uri()

    def read(self) -> tuple[str, str]:
        """(text, delimiter) of the export."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror}", museum=self.museum.code) from None
        try:
            text, _ = decode_export(data, str(self.settings.get("encoding", "auto")))
        except UnicodeDecodeError as exc:
            raise SourceError(f"{self.path.name} is not {exc.encoding} (byte 0x{data[exc.start]:02x} at offset "
                              f"{exc.start}): set 'encoding'", museum=self.museum.code) from None
        delimiter = str(self.settings.get("delimiter", "auto"))
        return text, detect_delimiter(text) if delimiter == "auto" else delimiter

    def dialect_options(self) -> dict[str, Any]:
        options = dict(self.settings)
        if options.get("delimiter", "auto") == "auto":
            options["delimiter"] = getattr(self, "_delimiter", None) or self.read()[1]
        return options

    def pages(self, *, checkpoint: dict[str, Any] | None, from_datestamp: str | None,
              full: bool) -> Iterator[SourcePage]:
        version = fingerprint(self.path)
        if checkpoint and checkpoint.get("version") != version:
            raise TokenRejected("the export changed since this harvest began", museum=self.museum.code)
        start = int((checkpoint or {}).get("offset", 0))
        text, delimiter = self.read()
        self._delimiter = delimiter
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise SourceError(f"{self.path.name} has no header line", museum=self.museum.code)
        id_column = self.settings.get("id_column")
        if id_column and id_column not in [h.strip() for h in header]:
            raise SourceError(f"{self.path.name} has no column {id_column!r} (id_column)", museum=self.museum.code)
        id_index = [h.strip() for h in header].index(id_column) if id_column else None
        url = self.source_url
        page = SourcePage(records=[], checkpoint=None)
        offset = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            offset += 1
            if offset <= start:
                continue
            position = f"{self.path.name} line {reader.line_num}"
            out = io.StringIO()
            csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([header, row])
            raw = out.getvalue().encode("utf-8")
            local_id = row[id_index].strip() if id_index is not None and id_index < len(row) else None
            if len(row) > len(header):
                page.errors.append((position, f"the row has {len(row)} cells for {len(header)} columns", raw,
                                    local_id))
            elif id_index is not None and not local_id:
                page.errors.append((position, f"no value in the id column {id_column!r}", raw))
            else:
                page.records.append(SourceRecord(raw=raw, position=position, local_id=local_id, source_url=url))
            if len(page.records) + len(page.errors) >= self.hub.page_size:
                page.checkpoint = {"offset": offset, "version": version}
                yield page
                page = SourcePage(records=[], checkpoint=None)
        yield page
