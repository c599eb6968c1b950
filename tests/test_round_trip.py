"""Round trip: LIDO -> graph -> LIDO 1.1 -> graph gives an isomorphic graph for the fields of the profile.

The first graph is what the lido dialect makes of a museum's record; rendering it as LIDO 1.1 and mapping that
again must lose nothing and add nothing of the profile (docs/profile.md). Provenance (PROV-O, mapping
version) is left out: it describes the harvest, not the object, and differs by construction.
"""

from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from musenor.mappings import HubURIs, MappingContext, MappingError, RenderContext
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.namespaces import MUSENOR, PROV
from schemas import DATA, assert_valid, require_shared
from musenor.vocabularies import load_vocabularies

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
URIS = HubURIs("https://musenor.fr")


VOCABULARIES = load_vocabularies(URIS.base)  # as the harvester and the OAI server use them
MAPPING = MappingContext("M0650", "Musée de l'hôtel Sandelin", URIS, vocabularies=VOCABULARIES)
RENDERING = RenderContext(URIS, vocabularies=VOCABULARIES)
LIDO = "{http://www.lido-schema.org}lido"


def profile_fields(graph: Graph, record: URIRef) -> Graph:
    """What the graph says of the record: every triple reachable from it, provenance left out.

    A node nothing in the record points to (a dialect's concept for a licence it could not use) is not a field
    of the record."""
    out, seen, todo = Graph(), {record}, [record]
    while todo:
        subject = todo.pop()
        for _, p, o in graph.triples((subject, None, None)):
            if str(p).startswith(str(PROV)) or p == MUSENOR.mappingVersion:
                continue
            out.add((subject, p, o))
            if isinstance(o, URIRef) and o not in seen:
                seen.add(o)
                todo.append(o)
    return out


def assert_round_trip(raw: bytes, context: MappingContext = MAPPING) -> None:
    first = map_lido(raw, context)
    lido = render_lido(first.graph, first.record_uri, RENDERING)
    assert_valid("lido-1.1", lido)
    second = map_lido(etree.tostring(lido), context)
    assert second.record_uri == first.record_uri
    before = to_isomorphic(profile_fields(first.graph, first.record_uri))
    after = to_isomorphic(profile_fields(second.graph, second.record_uri))
    if before != after:
        _, lost, added = graph_diff(before, after)
        # plain text, not N-Triples: a museum's malformed URI ("http://iconclass.org/48 A 98") cannot be serialised
        lines = ["lost:"] + sorted(f"  {s} {p} {o!r}" for s, p, o in lost) + \
                ["added:"] + sorted(f"  {s} {p} {o!r}" for s, p, o in added)
        pytest.fail("round trip changed the graph\n" + "\n".join(lines))


OWN = sorted((FIXTURES / "lido").glob("*.xml")) + sorted((FIXTURES / "expected").glob("*.lido.xml"))


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.name)
def test_round_trip_of_our_own_lido_fixtures(path):
    assert_round_trip(path.read_bytes())


def _real_records() -> list[tuple[str, bytes]]:
    if not DATA.exists():
        return []
    out = []
    for path in sorted(p for folder in DATA.glob("lido-*") for p in folder.glob("*.xml")):
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError:
            continue
        out.extend((f"{path.parent.name}/{path.name}#{n}", etree.tostring(r))
                   for n, r in enumerate(tree.getroot().iter(LIDO)))
    return out


def _multilingual(raw: bytes) -> bool:
    """A record repeating descriptiveMetadata per language (the official examples, Marburg)."""
    return len(etree.fromstring(raw).findall("{http://www.lido-schema.org}descriptiveMetadata")) > 1


def _round_trip_failures(records: list[tuple[str, bytes]]) -> list[str]:
    failures = []
    for name, raw in records:
        try:
            map_lido(raw, MAPPING)
        except MappingError:
            continue  # refused records are the dialect's tests' business
        try:
            assert_round_trip(raw)
        except (AssertionError, pytest.fail.Exception) as exc:
            failures.append(f"{name}: {str(exc)[:2000]}")
    return failures


def test_round_trip_of_every_real_lido_record():
    require_shared("data")
    records = [(name, raw) for name, raw in _real_records() if not _multilingual(raw)]
    assert len(records) > 40
    failures = _round_trip_failures(records)
    assert failures == [], f"{len(failures)} records changed:\n" + "\n\n".join(failures[:5])


def test_multilingual_records_reach_a_fixed_point_after_one_round():
    """A record repeating its descriptive metadata per language is merged by the dialect into one graph whose
    event may carry a type per language copy ("Schöpfung" and "production") and whose agents a preferred
    name per language; one LIDO 1.1 record says one type an event and one preferred name an actor, so the
    first round keeps the first of each. From then on the round trip changes nothing."""
    require_shared("data")
    records = [(name, raw) for name, raw in _real_records() if _multilingual(raw)]
    assert records
    once = []
    for name, raw in records:
        first = map_lido(raw, MAPPING)
        once.append((name, etree.tostring(render_lido(first.graph, first.record_uri, RENDERING))))
    failures = _round_trip_failures(once)
    assert failures == [], f"{len(failures)} records changed:\n" + "\n\n".join(failures[:5])
