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

from mappings import HubURIs, MappingContext, MappingError, RenderContext
from mappings.formats.lido import render_lido
from mappings.namespaces import MUSENOR, PROV
from schemas import DATA, assert_valid, require_shared

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
URIS = HubURIs("https://musenor.fr")
MAPPING = MappingContext("M0650", "Musée de l'hôtel Sandelin", URIS)
RENDERING = RenderContext(URIS)
LIDO = "{http://www.lido-schema.org}lido"


def _dialect():
    return pytest.importorskip("mappings.dialects.lido", reason="the lido dialect has not landed yet").map_lido


def profile_fields(graph: Graph) -> Graph:
    """The graph without provenance."""
    out = Graph()
    for s, p, o in graph:
        if str(p).startswith(str(PROV)) or p == MUSENOR.mappingVersion:
            continue
        if isinstance(s, URIRef) and ("/id/harvest/" in str(s) or "/id/raw/" in str(s)):
            continue
        out.add((s, p, o))
    return out


def assert_round_trip(raw: bytes, context: MappingContext = MAPPING) -> None:
    map_lido = _dialect()
    first = map_lido(raw, context)
    lido = render_lido(first.graph, first.record_uri, RENDERING)
    assert_valid("lido-1.1", lido)
    second = map_lido(etree.tostring(lido), context)
    assert second.record_uri == first.record_uri
    before, after = to_isomorphic(profile_fields(first.graph)), to_isomorphic(profile_fields(second.graph))
    if before != after:
        _, lost, added = graph_diff(before, after)
        lines = ["lost:"] + sorted(f"  {t}" for t in lost.serialize(format="nt").splitlines() if t) + \
                ["added:"] + sorted(f"  {t}" for t in added.serialize(format="nt").splitlines() if t)
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


def test_round_trip_of_every_real_lido_record():
    require_shared("data")
    map_lido = _dialect()
    failures = []
    for name, raw in _real_records():
        try:
            map_lido(raw, MAPPING)
        except MappingError:
            continue  # refused records are the dialect's tests' business
        try:
            assert_round_trip(raw)
        except (AssertionError, pytest.fail.Exception) as exc:
            failures.append(f"{name}: {str(exc)[:2000]}")
    assert failures == [], f"{len(failures)} records changed:\n" + "\n\n".join(failures[:5])
