"""Virtual exhibitions: the curators' Markdown files in ``exhibitions/`` next to ``musenor.toml``.

One file per exhibition, ``exhibitions/<key>.md``, versioned with the configuration. It opens with TOML
front matter between ``+++`` lines (title, English title, cover work, venues and dates of the physical
exhibitions of the series), then the introduction, then one ``## Titre | English title`` heading per section
with its text and its works, each a block naming the record and its captions::

    ::: work M0629:P.1998.1
    fr: Légende en français
    en: English caption
    :::

Works are named as curated sets name them (``M0629:local-id`` or an OAI identifier). Text is Markdown rendered
by markdown-it-py with raw HTML disabled: a curator's ``<script>`` is shown as text, never run, and links go
through markdown-it's own check (no ``javascript:``). An exhibition is also the curated set ``exhibition:<key>``
(``musenor.catalogue.sets``): its works are the set's members and its introduction the set's description.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from musenor.catalogue.config import ConfigError, HubConfig

EXHIBITIONS_FOLDER = "exhibitions"
KEY = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")  # a set spec part (OAI-PMH 2.0 section 2.7.2)
WORK_OPEN = re.compile(r"^:::\s*work\s+(\S+)\s*$")
FENCE_CLOSE = ":::"
TEXT_TOKENS = ("text", "code_inline", "softbreak", "hardbreak")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


class ExhibitionError(ConfigError):
    """An exhibition file that cannot be read; names the file, the line when known, and the reason. A
    configuration error like any other: ``validate-config`` and every command report it the same way."""

    def __init__(self, path: Path, reason: str, line: int | None = None) -> None:
        super().__init__(reason, path=f"{path}:{line}" if line else path)
        self.file, self.line = Path(path), line


def render_markdown(text: str) -> str:
    """Curator's Markdown as safe HTML: raw HTML is escaped, unsafe link schemes are refused."""
    return _markdown.render(text)


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, without markup: for OAI setDescription and page descriptions."""
    words: list[str] = []
    for token in _markdown.parse(markdown):
        if token.type == "inline" and token.children is not None:
            words.append("".join(" " if child.type in ("softbreak", "hardbreak") else child.content
                                 for child in token.children if child.type in TEXT_TOKENS))
    return "\n\n".join(w.strip() for w in words if w.strip())


@dataclass(frozen=True)
class ExhibitedWork:
    """A work shown in a section, by record name, with its captions."""

    record: str  # "M0629:local-id" or an OAI identifier
    caption_fr: str = ""
    caption_en: str = ""

    def caption(self, lang: str) -> str:
        return (self.caption_en if lang == "en" else self.caption_fr) or self.caption_fr or self.caption_en


@dataclass(frozen=True)
class Section:
    title_fr: str
    title_en: str
    text: str  # Markdown
    works: tuple[ExhibitedWork, ...]

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_fr) or self.title_fr

    @property
    def html(self) -> str:
        return render_markdown(self.text)


@dataclass(frozen=True)
class Venue:
    """Where and when a physical exhibition of the series was (or will be) shown."""

    name: str
    city: str
    start: date
    end: date


@dataclass(frozen=True)
class Exhibition:
    key: str
    title_fr: str
    title_en: str
    introduction: str  # Markdown
    sections: tuple[Section, ...]
    cover: str | None = None  # record name of the cover work
    venues: tuple[Venue, ...] = ()
    path: Path | None = None

    @property
    def set_spec(self) -> str:
        return f"exhibition:{self.key}"

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_fr) or self.title_fr

    @property
    def introduction_html(self) -> str:
        return render_markdown(self.introduction)

    @property
    def introduction_text(self) -> str:
        return plain_text(self.introduction)

    @property
    def works(self) -> list[ExhibitedWork]:
        """Every work in exhibition order, each once (its first caption wins)."""
        seen: dict[str, ExhibitedWork] = {}
        for section in self.sections:
            for work in section.works:
                seen.setdefault(work.record, work)
        return list(seen.values())

    def status(self, today: date) -> str:
        """``current``, ``upcoming`` or ``past`` by its venues' dates; a purely virtual one is current."""
        if not self.venues:
            return "current"
        if any(v.start <= today <= v.end for v in self.venues):
            return "current"
        return "upcoming" if any(v.start > today for v in self.venues) else "past"

    @property
    def last_date(self) -> date | None:
        return max((v.end for v in self.venues), default=None)


def _front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ExhibitionError(path, "must open with TOML front matter between '+++' lines", 1)
    try:
        end = next(n for n in range(1, len(lines)) if lines[n].strip() == "+++")
    except StopIteration:
        raise ExhibitionError(path, "front matter opened with '+++' is never closed", 1) from None
    try:
        data = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise ExhibitionError(path, f"front matter is not valid TOML: {exc}", 2) from None
    return data, "\n".join(lines[end + 1:]), end + 2


def _text(data: dict, key: str, path: Path, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ExhibitionError(path, f"front matter '{key}' must be a string")
    if required and not value.strip():
        raise ExhibitionError(path, f"front matter needs '{key}'")
    return value.strip()


def _venues(data: dict, path: Path) -> tuple[Venue, ...]:
    venues = data.get("venues", [])
    if not isinstance(venues, list):
        raise ExhibitionError(path, "front matter 'venues' must be an array of tables ([[venues]])")
    found = []
    for n, table in enumerate(venues, start=1):
        if not isinstance(table, dict):
            raise ExhibitionError(path, f"venue {n} must be a table")
        start, end = table.get("start"), table.get("end", table.get("start"))
        if not isinstance(start, date) or not isinstance(end, date):
            raise ExhibitionError(path, f"venue {n} needs 'start' and 'end' as TOML dates (2026-03-01)")
        if end < start:
            raise ExhibitionError(path, f"venue {n} ends ({end}) before it starts ({start})")
        found.append(Venue(name=_text(table, "name", path, required=True), city=_text(table, "city", path),
                           start=start, end=end))
    return tuple(found)


def _sections(path: Path, body: str, first_line: int) -> tuple[str, tuple[Section, ...]]:
    introduction: list[str] = []
    sections: list[Section] = []
    current: dict | None = None
    work: dict | None = None
    for number, line in enumerate(body.splitlines(), start=first_line):
        if work is not None:
            if line.strip() == FENCE_CLOSE:
                current["works"].append(ExhibitedWork(work["record"], work.get("fr", ""), work.get("en", "")))
                work = None
                continue
            language, sep, caption = line.partition(":")
            if not sep or language.strip() not in ("fr", "en"):
                if not line.strip():
                    continue
                raise ExhibitionError(path, "a work block holds only 'fr:' and 'en:' caption lines", number)
            work[language.strip()] = (work.get(language.strip(), "") + " " + caption.strip()).strip()
            continue
        opened = WORK_OPEN.match(line.strip())
        if opened:
            if current is None:
                raise ExhibitionError(path, "a work must be inside a section ('## Title | English title')",
                                      number)
            work = {"record": opened.group(1), "line": number}
            continue
        if line.startswith("## "):
            if current is not None:
                sections.append(_section(current))
            title_fr, _, title_en = line[3:].partition("|")
            if not title_fr.strip():
                raise ExhibitionError(path, "a section heading needs a title", number)
            current = {"fr": title_fr.strip(), "en": title_en.strip(), "text": [], "works": []}
            continue
        (introduction if current is None else current["text"]).append(line)
    if work is not None:
        raise ExhibitionError(path, f"the work block of {work['record']} is never closed with ':::'", work["line"])
    if current is not None:
        sections.append(_section(current))
    return "\n".join(introduction).strip(), tuple(sections)


def _section(current: dict) -> Section:
    return Section(current["fr"], current["en"], "\n".join(current["text"]).strip(), tuple(current["works"]))


def parse_exhibition(path: Path, text: str) -> Exhibition:
    """One exhibition file; raises ExhibitionError naming the file, line and reason."""
    key = path.stem
    if not KEY.match(key):
        raise ExhibitionError(path, "the file name is the set key: letters, digits and - _ . ! ~ * ' ( ) only")
    data, body, first_line = _front_matter(path, text)
    introduction, sections = _sections(path, body, first_line)
    cover = data.get("cover")
    if cover is not None and not isinstance(cover, str):
        raise ExhibitionError(path, "front matter 'cover' must name a record (M0629:local-id)")
    exhibition = Exhibition(key=key, title_fr=_text(data, "title", path, required=True),
                            title_en=_text(data, "title_en", path), introduction=introduction,
                            sections=sections, cover=cover, venues=_venues(data, path), path=path)
    if cover is not None and cover not in {w.record for w in exhibition.works}:
        raise ExhibitionError(path, f"the cover {cover} is not one of the exhibition's works")
    return exhibition


def exhibitions_folder(config_path: Path | None) -> Path | None:
    return None if config_path is None else Path(config_path).parent / EXHIBITIONS_FOLDER


def configured_exhibitions(config: HubConfig) -> dict[str, Exhibition]:
    """The exhibitions beside the hub's musenor.toml."""
    return load_exhibitions(exhibitions_folder(config.path))


def load_exhibitions(folder: Path | None) -> dict[str, Exhibition]:
    """Every ``*.md`` of the folder by key (an absent folder holds none)."""
    if folder is None or not folder.is_dir():
        return {}
    found: dict[str, Exhibition] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ExhibitionError(path, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
        except OSError as exc:
            raise ExhibitionError(path, f"cannot read: {exc.strerror}") from None
        exhibition = parse_exhibition(path, text)
        found[exhibition.key] = exhibition
    return found
