"""The `joconde` output format: the graph back out as POP CSV, and the round trip POP CSV -> graph -> POP CSV."""

import csv
import io
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from musenor.mappings import HubURIs, MappingContext, RenderContext, get_format
from musenor.mappings.dialects.pop import map_pop_notice
from musenor.mappings.formats.joconde import HEADER, joconde_fields, render_joconde_row, write_export
from musenor.mappings.joconde_fields import MAPPED_FIELDS, split_qualifier, split_values
from musenor.mappings.namespaces import DC, EDM, MUSENOR, ORE, RDF, SKOS
from schemas import require_shared

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
BASE = "http://hub.test"
URIS = HubURIs(BASE)


def mapping_context(code="M0629", name="Palais des Beaux-Arts de Lille"):
    return MappingContext(code, name, URIS)


def csv_notices():
    lines = (FIXTURES / "pba-lille-export.csv").read_text(encoding="utf-8").splitlines()
    return [f"{lines[0]}\n{line}\n".encode() for line in lines[1:]]


def parse_rows(data: bytes, encoding="utf-8"):
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline=""), delimiter=";"))


# Fields whose items come back in another order or spacing (RDF keeps no order; ", " and " ; " are both
# separators), and the qualifier POP puts on a place of creation, which the graph does not keep.
def normalised(code: str, text: str):
    if code == "LIEUX":
        return sorted(split_qualifier(item)[0] for item in split_values(text, ";"))
    if code in ("AUTR",):
        return sorted(split_values(text, ";"))
    if code in ("DOMN", "DENO", "TECH", "REPR", "PERI", "EPOQ", "REFIM"):
        return sorted(split_values(text.split(",DS1")[0] if code == "REFIM" else text))
    return " ".join(text.split())


def test_round_trip_keeps_every_mapped_field():
    for raw in csv_notices():
        source = parse_rows(raw)[0]
        mapped = map_pop_notice(raw, mapping_context())
        back = parse_rows(render_joconde_row(mapped.graph, mapped.record_uri, RenderContext(URIS)))[0]
        for code, value in source.items():
            if code in MAPPED_FIELDS and code != "DMAJ" and value.strip():
                assert normalised(code, back[code]) == normalised(code, value), code


def test_round_trip_of_the_rendered_row_is_the_same_graph():
    for raw in csv_notices():
        mapped = map_pop_notice(raw, mapping_context())
        again = map_pop_notice(render_joconde_row(mapped.graph, mapped.record_uri, RenderContext(URIS)),
                               mapping_context())
        assert set(again.graph) == set(mapped.graph)


def test_round_trip_of_the_real_notices():
    folder = require_shared("data/joconde-fr-pop-schema")
    text = (folder / "joconde-valid-UTF-8.txt").read_text(encoding="utf-8")
    for block in (b for b in text.split("//\n") if b.strip()):
        mapped = map_pop_notice(block.encode(), mapping_context("M0017", "Musée Rolin"))
        again = map_pop_notice(render_joconde_row(mapped.graph, mapped.record_uri, RenderContext(URIS)),
                               mapping_context("M0017", "Musée Rolin"))
        assert set(again.graph) == set(mapped.graph)


def test_rendered_document_is_header_and_row():
    mapped = map_pop_notice(csv_notices()[0], mapping_context())
    data = render_joconde_row(mapped.graph, mapped.record_uri, RenderContext(URIS))
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0] == ";".join(f'"{code}"' for code in HEADER)
    assert lines[1].startswith('"06290000101";"P 1044";"peinture";"tableau";"";"Les Vieilles";'
                               '"GOYA Y LUCIENTES Francisco de (peintre)";')
    assert lines[2:] == [""]


def test_row_without_header():
    mapped = map_pop_notice(csv_notices()[2], mapping_context())
    data = render_joconde_row(mapped.graph, mapped.record_uri, RenderContext(URIS), header=False)
    assert data.decode("utf-8").startswith('"06290000103";"Pl 1432";"dessin";"dessin";')


def test_registered_format_is_this_function():
    assert get_format("joconde").load() is render_joconde_row


def test_record_from_another_dialect_gives_its_fields():
    """A graph as the LIDO dialect writes it: concepts with labels, no Joconde text fields."""
    graph = Graph()
    record, cho = URIRef(f"{BASE}/id/record/M0629/PBA-P-120"), URIRef(f"{BASE}/id/object/M0629/PBA-P-120")
    painting = URIRef("http://vocab.getty.edu/aat/300033618")
    agent = URIRef(f"{BASE}/id/agent/rubens-pierre-paul-1577")
    event, participation = URIRef(f"{cho}#event-1"), URIRef(f"{cho}#event-1-actor-1")
    for triple in [
        (record, RDF.type, ORE.Aggregation), (record, EDM.aggregatedCHO, cho),
        (record, EDM.dataProvider, URIS.museum("M0629")),
        (record, EDM.isShownBy, URIRef("https://pba.lille.fr/images/P120.jpg")),
        (cho, DC.title, Literal("La Descente de croix", lang="fr")),
        (cho, DC.title, Literal("The Descent from the Cross", lang="en")),
        (cho, DC.type, painting), (painting, SKOS.prefLabel, Literal("peinture", lang="fr")),
        (cho, EDM.wasPresentAt, event), (event, EDM.hasType, URIS.concept("event-type", "production")),
        (event, MUSENOR.displayDate, Literal("vers 1617", lang="fr")),
        (event, MUSENOR.participation, participation), (participation, MUSENOR.agent, agent),
        (agent, SKOS.prefLabel, Literal("Rubens, Pierre Paul", lang="fr")),
    ]:
        graph.add(triple)
    fields = joconde_fields(graph, record, RenderContext(URIS))
    assert fields == {"REF": "PBA-P-120", "DENO": "peinture", "TITR": "La Descente de croix",
                      "AUTR": "Rubens, Pierre Paul", "MILL": "vers 1617", "MUSEO": "M0629",
                      "IMG": "https://pba.lille.fr/images/P120.jpg"}


def test_export_writes_header_once_and_a_row_per_record():
    mapped = [map_pop_notice(raw, mapping_context()) for raw in csv_notices()]
    published = [(str(m.record_uri), m.graph.serialize(format="nt")) for m in mapped]
    out = io.BytesIO()
    assert write_export(published, out, RenderContext(URIS)) == 3
    rows = parse_rows(out.getvalue())
    assert [r["REF"] for r in rows] == ["06290000101", "06290000102", "06290000103"]
    assert rows[1]["REFIM"] == "M0629_06290000102_p.jpg ; M0629_06290000102_v.jpg"


def test_export_in_windows_1252():
    mapped = map_pop_notice(csv_notices()[2], mapping_context())
    out = io.BytesIO()
    write_export([(str(mapped.record_uri), mapped.graph.serialize(format="nt"))], out, RenderContext(URIS),
                 encoding="cp1252")
    assert "Étude de mains".encode("cp1252") in out.getvalue()
    assert parse_rows(out.getvalue(), "cp1252")[0]["TITR"] == "Étude de mains"


def test_a_technique_statement_goes_back_as_said_without_its_terms():
    from musenor.vocabularies import load_vocabularies

    vocabularies = load_vocabularies(BASE)
    raw = "REF\n06500000001\nTITR\nCabinet\nTECH\nchêne sculpté, placage d'ébène\n".encode()
    mapped = map_pop_notice(raw, MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS,
                                                vocabularies=vocabularies))
    fields = joconde_fields(mapped.graph, mapped.record_uri, RenderContext(URIS, vocabularies=vocabularies))
    assert fields["TECH"] == "chêne sculpté ; placage d'ébène"


def test_comments_go_back_as_comm_not_into_the_description():
    raw = "REF\n06500000001\nTITR\nCabinet\nDESC\nCabinet à deux corps\nCOMM\nAcquis avec l'aide du FRAM\n".encode()
    mapped = map_pop_notice(raw, mapping_context())
    fields = joconde_fields(mapped.graph, mapped.record_uri, RenderContext(URIS))
    assert (fields["DESC"], fields["COMM"]) == ("Cabinet à deux corps", "Acquis avec l'aide du FRAM")


def test_coordinates_of_the_location_go_back_as_pop_coordonnees():
    raw = "REF\n06500000001\nTITR\nCabinet\nLOCA\nSaint-Omer ; musée Sandelin\nPOP_COORDONNEES\n50.75 ; 2.25\n".encode()
    mapped = map_pop_notice(raw, mapping_context())
    fields = joconde_fields(mapped.graph, mapped.record_uri, RenderContext(URIS))
    assert fields["POP_COORDONNEES"] == "50.75 ; 2.25"
