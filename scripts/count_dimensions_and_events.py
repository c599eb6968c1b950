"""Issue 13, classes 6 and 7, counted over the real LIDO under ../shared/data: records with structured
dimensions, dimensions, dimensions with the part measured, events in the graph and events in Linked Art.

    .venv/bin/python scripts/count_dimensions_and_events.py

Run it on two checkouts to compare them (the figures of the issue's closing note). Prints figures only.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from musenor.mappings import HubURIs, MappingContext, RenderContext  # noqa: E402
from musenor.mappings.dialects.lido import map_lido  # noqa: E402
from musenor.mappings.formats.linked_art import linked_art  # noqa: E402
from musenor.mappings.namespaces import EDM, MUSENOR, SKOS  # noqa: E402
from musenor.vocabularies import load_vocabularies  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BASE = "https://musenor.fr"


def event_ids(value: Any) -> set[str]:
    """The events a Linked Art document names (its hash URIs ``#event-n``), wherever they sit."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "#event-" in str(value.get("id", "")) and "-actor-" not in str(value.get("id")):
            found.add(value["id"])
        for inner in value.values():
            found |= event_ids(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= event_ids(inner)
    return found


def main() -> int:
    if not DATA.is_dir():
        print(f"{DATA} is absent: nothing to count", file=sys.stderr)
        return 1
    vocabularies = load_vocabularies(BASE)
    context = MappingContext("M0629", "Palais des Beaux-Arts de Lille", HubURIs(BASE), vocabularies)
    rendering = RenderContext(HubURIs(BASE), vocabularies=vocabularies)
    records = with_dimensions = dimensions = labelled = graph_events = linked_art_events = 0
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for path in sorted(p for folder in sorted(DATA.glob("lido-*")) for p in folder.rglob("*.xml")):
        try:
            tree = etree.parse(str(path), parser)
        except etree.XMLSyntaxError:
            continue  # the four empty DDB files (SOURCES.md)
        for element in tree.iter("{http://www.lido-schema.org}lido"):
            mapped = map_lido(etree.tostring(element), context)
            graph = mapped.graph
            nodes = set(graph.objects(mapped.cho, MUSENOR.dimension))
            records += 1
            with_dimensions += bool(nodes)
            dimensions += len(nodes)
            labelled += sum(1 for node in nodes if (node, SKOS.prefLabel, None) in graph)
            graph_events += len(set(graph.objects(mapped.cho, EDM.wasPresentAt)))
            linked_art_events += len(event_ids(linked_art(graph, mapped.record_uri, rendering)))
    print(f"LIDO records {records}; with structured dimensions {with_dimensions}; dimensions {dimensions} "
          f"({labelled} with the part measured); events in the graph {graph_events}; "
          f"events in Linked Art {linked_art_events}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
