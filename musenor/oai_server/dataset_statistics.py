"""The dataset's statistics for its VoID description, computed once per publish sequence and stored.

Written by the dump writer after the dumps of a publish sequence, from the same graph state, into
``dumps/statistics.json``; the description reads the file (cached by its modification time), so no request
ever counts triples. Triples are counted as the default graph holds them (each distinct triple once);
entities are the objects (``edm:ProvidedCHO``) of live records.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from musenor.catalogue import Catalogue
from musenor.mappings import HubURIs
from musenor.mappings.namespaces import EDM

STATISTICS_FILE = "statistics.json"
EXAMPLES_PER_MUSEUM = 3


@dataclass
class MuseumStatistics:
    triples: int = 0
    entities: int = 0
    modified: str | None = None
    examples: list[str] = field(default_factory=list)


@dataclass
class DatasetStatistics:
    change_seq: int
    triples: int
    entities: int
    modified: str | None
    museums: dict[str, MuseumStatistics]

    def as_json(self) -> str:
        return json.dumps({"change_seq": self.change_seq, "triples": self.triples, "entities": self.entities,
                           "modified": self.modified,
                           "museums": {code: vars(m) for code, m in sorted(self.museums.items())}}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> DatasetStatistics:
        data = json.loads(text)
        return cls(change_seq=data["change_seq"], triples=data["triples"], entities=data["entities"],
                   modified=data["modified"],
                   museums={code: MuseumStatistics(**m) for code, m in data["museums"].items()})


def _count(catalogue: Catalogue, sparql: str) -> int:
    for row in catalogue.graph.query(sparql):
        return int(row["n"].value)
    return 0


def compute_statistics(catalogue: Catalogue, base_uri: str, museums: list[str], change_seq: int) -> DatasetStatistics:
    """Triples (each distinct triple once, as the default graph holds them) and entities (objects, one per
    live record) of the whole dataset and of each museum's subset, its last publish and example objects."""
    uris = HubURIs(base_uri)
    per_museum: dict[str, MuseumStatistics] = {}
    modified = catalogue.ledger.museum_datestamps()
    for code in museums:
        graphs = str(uris.record(code, "x"))[:-1]  # the record graphs of the museum share this prefix
        scope = f'FILTER (STRSTARTS(STR(?g), "{graphs}"))'
        stats = MuseumStatistics(
            triples=_count(catalogue, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                                      f"GRAPH ?g {{ ?s ?p ?o }} {scope} }} }}"),
            entities=_count(catalogue, "SELECT (COUNT(DISTINCT ?cho) AS ?n) WHERE { "
                                       f"GRAPH ?g {{ ?g <{EDM.aggregatedCHO}> ?cho }} {scope} }}"),
            modified=modified.get(code))
        stats.examples = [row["cho"].value for row in catalogue.graph.query(
            f"SELECT DISTINCT ?cho WHERE {{ GRAPH ?g {{ ?g <{EDM.aggregatedCHO}> ?cho }} {scope} }} "
            f"ORDER BY ?cho LIMIT {EXAMPLES_PER_MUSEUM}")]
        per_museum[code] = stats
    return DatasetStatistics(
        change_seq=change_seq,
        triples=_count(catalogue, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        entities=_count(catalogue, f"SELECT (COUNT(DISTINCT ?cho) AS ?n) WHERE {{ ?r <{EDM.aggregatedCHO}> ?cho }}"),
        modified=max((m for m in modified.values() if m), default=None), museums=per_museum)


class StatisticsFile:
    """``dumps/statistics.json``: written after the dumps of a publish sequence, read back by mtime."""

    def __init__(self, directory: Path, base_uri: str, museums: list[str]) -> None:
        self.path = directory / STATISTICS_FILE
        self.base_uri = base_uri
        self.museums = museums
        self._lock = threading.Lock()
        self._cached: tuple[int, DatasetStatistics] | None = None

    def write(self, catalogue: Catalogue, change_seq: int) -> None:
        statistics = compute_statistics(catalogue, self.base_uri, self.museums, change_seq)
        part = self.path.with_name(STATISTICS_FILE + ".part")
        part.write_text(statistics.as_json(), encoding="utf-8")
        part.replace(self.path)

    def read(self) -> DatasetStatistics | None:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        with self._lock:
            if self._cached is None or self._cached[0] != mtime:
                self._cached = (mtime, DatasetStatistics.from_json(self.path.read_text(encoding="utf-8")))
            return self._cached[1]
