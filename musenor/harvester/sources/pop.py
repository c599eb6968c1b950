"""The ``pop-file`` source kind: a museum's export for the ministry's POP platform (Joconde), images included.

For most members this export is the only machine interface their collection system has. Both POP import
layouts are read:
- ``text``, the "ajout piloté" file: a field code on its own line, its value on the next lines, notices
  separated by a ``//`` line;
- ``csv``: ``;``-separated, ``"``-quoted, field codes as the header line.

Settings (``[museums.X.source]``):

| key | meaning |
|---|---|
| ``path`` | the export file, or a folder holding it (every ``*.txt`` / ``*.csv`` in it) and its images; relative to the config file (required) |
| ``layout`` | ``"text"``, ``"csv"`` or ``"auto"`` (default: a first line holding ``;`` is CSV) |
| ``encoding`` | ``"utf-8"``, ``"cp1252"`` or ``"auto"`` (default: UTF-8 unless the bytes say Windows-1252) |
| ``images`` | the folder of the JPG files named by REFIM (default: beside the export) |
| ``dialect`` | ``"pop"`` |

Each notice is handed over as UTF-8 in its own layout (for CSV: the header line and its row). The export is
always complete: a notice missing from it becomes a tombstone at publish (under the mass-deletion guard), and
an unchanged notice changes nothing (the catalogue compares checksums). ``DMAJ`` is the source datestamp.
A checkpoint names the export's version: a killed run resumes where it was, unless the export was replaced
meanwhile, and then the list starts again (``TokenRejected``).

Per-notice problems are page errors with the reason, and the rest of the export goes on: bytes not in the
export's encoding, a ``REF`` that appears twice (neither notice is taken: which one is right?), two notices
with no ``//`` between them, a missing or unreadable image. Such an error carries the notice's REF (one error
per REF) so that the run names it by its hub identifier and keeps its published version.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from musenor.catalogue import ConfigError, MuseumConfig
from musenor.harvester.images import ExportImages, publish_images
from musenor.harvester.sources.base import Source, SourceError, SourcePage, SourceRecord, TokenRejected
from musenor.harvester.sources.export_files import fingerprint
from musenor.mappings.base import MappingError
from musenor.mappings.dialects.pop import FIELD_CODE, RECORD_SEPARATOR, export_lines, parse_text_notice, source_datestamp
from musenor.mappings.joconde_fields import clean, image_files

LAYOUTS = ("text", "csv", "auto")
ENCODINGS = {"utf-8": "utf-8", "cp1252": "cp1252", "auto": "auto"}
EXPORT_SUFFIXES = (".txt", ".csv")
SETTINGS = {"kind", "path", "layout", "encoding", "images", "dialect", "_base_dir"}


@dataclass
class Notice:
    text: str  # as decoded; undecodable bytes kept as surrogates (surrogateescape)
    position: str
    line: int
    layout: str
    header: list[str] | None = None  # CSV layout
    cells: list[str] | None = None
    problem: str | None = None  # found while splitting the export

    encoding: str = "utf-8"

    def encoding_problem(self) -> str | None:
        for n, line in enumerate(export_lines(self.text)):
            for ch in line:
                if "\udc80" <= ch <= "\udcff":
                    return (f"byte 0x{ord(ch) - 0xdc00:02x} at line {self.line + n} is not {self.encoding}: "
                            "the export's encoding is wrong or the file is damaged")
        return None

    def fields(self) -> list[tuple[str, str]]:
        if self.layout == "csv":
            assert self.header is not None and self.cells is not None
            return list(zip(self.header, self.cells))
        return parse_text_notice(self.text)

    def raw(self) -> bytes:
        if self.layout == "csv":
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
            writer.writerow(self.header)
            writer.writerow(self.cells)
            return out.getvalue().encode("utf-8", errors="surrogateescape")
        return self.text.encode("utf-8", errors="surrogateescape")


def decode_export(data: bytes, encoding: str) -> tuple[str, str]:
    """(text, encoding used). Undecodable bytes become surrogates, reported per notice.

    "auto" takes UTF-8 when the bytes hold more well-formed multi-byte characters than broken bytes: a
    Windows-1252 file of French text breaks at every accent, while a UTF-8 file with one damaged notice
    should lose that notice only.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if encoding == "auto":
            encoding = "utf-8"
    if encoding == "auto":
        text = data.decode("utf-8", errors="surrogateescape")
        broken = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
        well_formed = sum(1 for ch in text if ord(ch) > 127 and not "\udc80" <= ch <= "\udcff")
        encoding = "utf-8" if broken == 0 or well_formed > broken else "cp1252"
    return data.decode(encoding, errors="surrogateescape"), encoding


def _split_text(text: str, name: str) -> Iterator[Notice]:
    lines: list[str] = []
    start = 1
    for number, line in enumerate(export_lines(text), start=1):
        if line.strip() == RECORD_SEPARATOR:
            if any(kept.strip() for kept in lines):
                yield Notice("\n".join(lines) + "\n", f"{name} line {start}", start, "text")
            lines, start = [], number + 1
        else:
            if not lines and not line.strip():
                start = number + 1
                continue
            lines.append(line)
    if any(kept.strip() for kept in lines):
        yield Notice("\n".join(lines) + "\n", f"{name} line {start}", start, "text")


def _split_csv(text: str, name: str) -> Iterator[Notice]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    header: list[str] | None = None
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        line = reader.line_num
        if header is None:
            header = [c.strip() for c in cells]
            bad = [c for c in header if not FIELD_CODE.match(c)]
            if bad:
                raise SourceError(f"{name}: the header line holds {', '.join(map(repr, bad[:5]))}, not POP field codes")
            continue
        text_of_row = ";".join(cells)
        if len(cells) > len(header):
            yield Notice(text_of_row, f"{name} line {line}", line, "csv", header, cells[:len(header)],
                         problem=f"the row has {len(cells)} cells for {len(header)} field codes")
            continue
        yield Notice(text_of_row, f"{name} line {line}", line, "csv", header,
                     cells + [""] * (len(header) - len(cells)))


class POPSource(Source):
    kind = "pop-file"
    default_dialect = "pop"
    settings_keys = frozenset(SETTINGS)
    path_settings = ("path", "images")

    @classmethod
    def check_settings(cls, museum: MuseumConfig) -> list[ConfigError]:
        problems: list[ConfigError] = []
        settings = museum.source
        where = f"museums.{museum.code}.source"
        path = settings.get("path")
        if not isinstance(path, str) or not path.strip():
            problems.append(ConfigError("the export file or folder is required", key=f"{where}.path", museum=museum.code))
        if settings.get("layout", "auto") not in LAYOUTS:
            problems.append(ConfigError(f"must be one of {', '.join(LAYOUTS)}", key=f"{where}.layout", museum=museum.code))
        if settings.get("encoding", "auto") not in ENCODINGS:
            problems.append(ConfigError(f"must be one of {', '.join(ENCODINGS)}", key=f"{where}.encoding", museum=museum.code))
        if "images" in settings and (not isinstance(settings["images"], str) or not settings["images"].strip()):
            problems.append(ConfigError("must be a folder path", key=f"{where}.images", museum=museum.code))
        if settings.get("dialect", "pop") != "pop":
            problems.append(ConfigError("a pop-file source speaks the 'pop' dialect", key=f"{where}.dialect", museum=museum.code))
        return problems

    def _resolve(self, value: str) -> Path:
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = Path(self.settings.get("_base_dir", ".")) / path
        return path

    @property
    def export_path(self) -> Path:
        return self._resolve(str(self.settings["path"]))

    @property
    def source_url(self) -> str:
        return self.export_path.resolve().as_uri()

    def export_files(self) -> list[Path]:
        path = self.export_path
        if path.is_file():
            return [path]
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES)
            if not files:
                raise SourceError(f"no *.txt or *.csv export in {path}", museum=self.museum.code)
            return files
        raise SourceError(f"the export {path} does not exist", museum=self.museum.code)

    def images_folder(self) -> Path:
        if self.settings.get("images"):
            return self._resolve(str(self.settings["images"]))
        path = self.export_path
        return path if path.is_dir() else path.parent

    def notices(self) -> Iterator[Notice]:
        layout_setting = self.settings.get("layout", "auto")
        for file in self.export_files():
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read {file}: {exc.strerror}", museum=self.museum.code) from None
            text, encoding = decode_export(data, ENCODINGS[self.settings.get("encoding", "auto")])
            layout = layout_setting
            if layout == "auto":
                first = next((line for line in export_lines(text) if line.strip()), "")
                layout = "csv" if ";" in first or file.suffix.lower() == ".csv" else "text"
            for notice in (_split_csv if layout == "csv" else _split_text)(text, file.name):
                notice.encoding = encoding
                yield notice

    def pages(self, *, checkpoint: dict[str, Any] | None, from_datestamp: str | None,
              full: bool) -> Iterator[SourcePage]:
        # The export is read whole before the first page: a duplicate REF is only known once every notice
        # has been seen, and either copy may come first.
        version = "|".join(fingerprint(f) for f in self.export_files())
        if checkpoint and checkpoint.get("export") != version:
            # resuming a killed run over a replaced export: offsets no longer name the same notices
            raise TokenRejected("the export changed since this harvest began", museum=self.museum.code)
        notices = list(self.notices())
        entries: list[tuple[Notice, list[str], str | None]] = []  # notice, REFs, problem
        for notice in notices:
            if notice.problem:
                entries.append((notice, [], notice.problem))
                continue
            encoding_problem = notice.encoding_problem()
            if encoding_problem:
                entries.append((notice, [], encoding_problem))
                continue
            try:
                fields = notice.fields()
            except MappingError as exc:
                entries.append((notice, [], exc.reason))
                continue
            refs = list(dict.fromkeys(clean(v) for c, v in fields if c == "REF" and clean(v)))
            if not refs:
                entries.append((notice, [], "the notice has no REF"))
            elif len(refs) > 1:
                entries.append((notice, refs, f"two notices (REF {', '.join(refs)}) with no '{RECORD_SEPARATOR}' "
                                              "between them"))
            else:
                entries.append((notice, refs, None))
        counts = Counter(refs[0] for _, refs, problem in entries if problem is None)
        images = ExportImages(self.images_folder())
        start = int((checkpoint or {}).get("offset", 0))
        page_size = self.hub.page_size
        total = len(entries)
        # The list size the run checks staged + failed records against: one per REF (a REF given twice is one
        # failed record; a notice holding two REFs is two), one per notice without a readable REF.
        list_size = len({key for notice, refs, _ in entries for key in (refs or [notice.position])})
        for offset in range(start, total, page_size) if total else [0]:
            page = SourcePage(records=[], checkpoint=None, complete_list_size=list_size)
            for notice, refs, problem in entries[offset:offset + page_size]:
                position = f"{notice.position} (REF {', '.join(refs)})" if refs else notice.position
                if problem is None and counts[refs[0]] > 1:
                    problem = f"REF {refs[0]} appears {counts[refs[0]]} times in the export: no copy is taken"
                fields = dict(notice.fields()) if problem is None else {}
                if problem is None:
                    names = image_files(fields.get("REFIM", ""))
                    problems = publish_images(images, names, self.hub.data_dir, self.museum.code)
                    if problems:
                        problem = "; ".join(str(p) for p in problems)
                if problem is not None:
                    # one error per REF, named by it, so that the run keeps each one's published version
                    for ref in refs or [None]:
                        page.errors.append((position, problem, notice.raw(), ref) if ref else
                                           (position, problem, notice.raw()))
                    continue
                page.records.append(SourceRecord(
                    raw=notice.raw(), position=position, local_id=refs[0],
                    datestamp=source_datestamp(fields.get("DMAJ")),
                    source_url=self.source_url))
            next_offset = offset + page_size
            page.checkpoint = {"offset": next_offset, "export": version} if next_offset < total else None
            yield page
