"""Pairing a campaign's delivered files with records, as museums and POP name them.

A photograph is named by the work's inventory number (``D.1998.1.1.jpg``, ``D_1998_1_1.jpg``), by the record's
own id (POP's REF) or by an image name the record already carries (POP's REFIM), with a view suffix for the
other faces: ``_a``, ``_b``, ``_verso``, ``-2``. Names are compared without case, accents or punctuation,
since a file system or a photographer's habit rewrites those; where that makes two records one name, or where
a name read with and without its suffix points at different records (``P.12-2`` may be view 2 of ``P.12`` or
the work ``P.12-2``), the file is ambiguous and reported, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
VIEW_SUFFIX = re.compile(r"^(?P<base>.+?)[_\-](?P<view>[a-z]|\d{1,2}|recto|verso|revers|avers|dos|face|profil|"
                         r"detail|d[ée]tail)$", re.IGNORECASE)


def name_key(name: str) -> str:
    """A name as compared: no accents, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class RecordNames:
    """The names a record may be photographed under."""

    identifier: str
    local_id: str
    inventory_numbers: tuple[str, ...] = ()
    image_names: tuple[str, ...] = ()  # file names of its images (REFIM), with their extension


class RecordIndex:
    def __init__(self, records: Iterable[RecordNames]) -> None:
        self._by_key: dict[str, set[str]] = defaultdict(set)
        for record in records:
            names = [record.local_id, *record.inventory_numbers,
                     *(PurePath(n).stem for n in record.image_names)]
            for name in names:
                key = name_key(name)
                if key:
                    self._by_key[key].add(record.identifier)

    def lookup(self, name: str) -> set[str]:
        return set(self._by_key.get(name_key(name), ()))


@dataclass(frozen=True)
class Match:
    file: str
    identifier: str
    view: str  # '' for the main view, else the suffix as delivered, lower case


@dataclass
class MatchReport:
    matched: list[Match] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # file -> candidate identifiers
    skipped: list[str] = field(default_factory=list)  # not an image by its name


def match_file(name: str, index: RecordIndex) -> tuple[str, set[str], str]:
    """``("matched" | "unmatched" | "ambiguous", candidates, view)`` for one file name."""
    stem = PurePath(name).stem
    whole = index.lookup(stem)
    suffixed = VIEW_SUFFIX.match(stem)
    as_view = index.lookup(suffixed.group("base")) if suffixed else set()
    candidates = whole | as_view
    if not candidates:
        return "unmatched", set(), ""
    if len(candidates) > 1:
        return "ambiguous", candidates, ""
    return "matched", candidates, "" if whole else suffixed.group("view").lower()


def match_files(names: Iterable[str], index: RecordIndex) -> MatchReport:
    report = MatchReport()
    for name in sorted(names):
        if PurePath(name).suffix.lower() not in IMAGE_SUFFIXES:
            report.skipped.append(name)
            continue
        outcome, candidates, view = match_file(name, index)
        if outcome == "matched":
            report.matched.append(Match(name, next(iter(candidates)), view))
        elif outcome == "ambiguous":
            report.ambiguous[name] = sorted(candidates)
        else:
            report.unmatched.append(name)
    return report
