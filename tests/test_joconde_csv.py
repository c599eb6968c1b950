"""The `joconde-csv` dialect: Joconde-style CSV rows, with the column map in config."""

import csv
import io
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from musenor.mappings import HubURIs, MappingContext, MappingError
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.joconde_fields import parse_author, split_values
from musenor.mappings.namespaces import DC, DCTERMS, EDM, MUSENOR, RDAGR2, RDF, SKOS, WGS84, XSD
from schemas import require_shared

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
BASE = "http://hub.test"


def context(code="M0634", name="La Piscine", **options):
    return MappingContext(code, name, HubURIs(BASE), options=options)


def rows(path: Path, delimiter=","):
    text = path.read_text(encoding="utf-8")
    table = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    out = []
    for row in table[1:]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(table[0])
        writer.writerow(row)
        out.append(buffer.getvalue().encode())
    return out


def piscine():
    return rows(FIXTURES / "piscine-roubaix-joconde.csv")


def test_inventory_number_names_the_record():
    mapped = map_joconde_row(piscine()[0], context())
    assert mapped.local_id == "2003.5.1"
    assert (mapped.cho, DC.identifier, Literal("2003.5.1")) in mapped.graph


def test_creator_is_an_agent_with_role_and_life_dates():
    graph = map_joconde_row(piscine()[0], context()).graph
    obj = URIRef(f"{BASE}/id/object/M0634/2003.5.1")
    agent = URIRef(f"{BASE}/id/agent/lanvin-jeanne-1867")
    participation = URIRef(f"{obj}#event-1-actor-1")
    assert (obj, DC.creator, agent) in graph
    assert set(graph.predicate_objects(agent)) == {
        (RDF.type, EDM.Agent), (SKOS.prefLabel, Literal("LANVIN Jeanne", lang="fr")),
        (RDAGR2.dateOfBirth, Literal("1867", datatype=XSD.gYear)),
        (RDAGR2.dateOfDeath, Literal("1946", datatype=XSD.gYear))}
    assert set(graph.predicate_objects(participation)) == {
        (RDF.type, MUSENOR.Participation), (MUSENOR.agent, agent),
        (MUSENOR.role, Literal("couturier", lang="fr"))}


def test_circa_year_is_the_production_time_span():
    graph = map_joconde_row(piscine()[0], context()).graph
    event = URIRef(f"{BASE}/id/object/M0634/2003.5.1#event-1")
    span = URIRef(f"{BASE}/id/timespan/1925_1925_approximate")
    assert graph.value(event, EDM.occurredAt) == span
    assert graph.value(event, MUSENOR.displayDate) == Literal("1925 vers", lang="fr")
    assert (span, EDM.begin, Literal("1925", datatype=XSD.gYear)) in graph


def test_between_years_is_a_range():
    graph = map_joconde_row(piscine()[1], context()).graph
    span = URIRef(f"{BASE}/id/timespan/1880_1885")
    assert (URIRef(f"{BASE}/id/object/M0634/996.12.4#event-1"), EDM.occurredAt, span) in graph
    assert (span, EDM.end, Literal("1885", datatype=XSD.gYear)) in graph


def test_materials_split_with_their_qualifiers():
    graph = map_joconde_row(piscine()[0], context()).graph
    assert set(graph.objects(URIRef(f"{BASE}/id/object/M0634/2003.5.1"), DCTERMS.medium)) == {
        Literal("soie (satin)", lang="fr"), Literal("broderie", lang="fr"), Literal("perle", lang="fr")}


def test_domains_split_on_commas():
    graph = map_joconde_row(piscine()[0], context()).graph
    assert set(graph.objects(URIRef(f"{BASE}/id/object/M0634/2003.5.1"), MUSENOR.classification)) == {
        Literal("textile", lang="fr"), Literal("costume - accessoires du costume", lang="fr")}


def test_small_l_is_width():
    graph = map_joconde_row(piscine()[0], context()).graph
    dimension = URIRef(f"{BASE}/id/object/M0634/2003.5.1#dimension-2")
    assert graph.value(dimension, MUSENOR.dimensionType) == Literal("width")
    assert graph.value(dimension, RDF.value) == Literal("48.0", datatype=XSD.decimal)


def test_painting_domain_is_an_image():
    graph = map_joconde_row(piscine()[1], context()).graph
    assert graph.value(URIRef(f"{BASE}/id/object/M0634/996.12.4"), EDM.type) == Literal("IMAGE")


def test_placeholder_cells_and_unmapped_columns():
    mapped = map_joconde_row(piscine()[0], context())
    assert mapped.unmapped == {}  # "Commentaires" holds "Non renseigné": nothing is lost
    second = map_joconde_row(piscine()[1], context(ignore=["Commentaires"]))
    assert second.unmapped == {}


def test_unmapped_column_is_counted_by_its_header():
    raw = "Numero_inventaire,Titre,Etat\nA1,Vase,restauré\n".encode()
    assert map_joconde_row(raw, context()).unmapped == {"Etat": 1}


def test_columns_about_the_museum_are_read_not_counted_unmapped():
    raw = ("Numero_inventaire,Titre,Nom_officiel_musee,Ville,Departement,Region,lat,long,Presence_image\n"
           "A1,Vase,Musée de la Chartreuse,Douai,Nord,Hauts-de-France,50.37,3.08,oui\n").encode()
    assert map_joconde_row(raw, context()).unmapped == {}


def test_another_layout_is_configuration():
    raw = rows(FIXTURES / "tourcoing-other-layout.csv", delimiter=";")[0]
    columns = {"INV": "N° inventaire", "DENO": "Désignation", "TITR": "Titre de l'oeuvre", "AUTR": "Artiste",
               "TECH": "Technique", "DIMS": "Dimensions", "MILL": "Datation", "PERI": "Siècle"}
    mapped = map_joconde_row(raw, context("M0637", "MUba", columns=columns))
    obj = URIRef(f"{BASE}/id/object/M0637/2011.3.7")
    assert mapped.cho == obj and mapped.unmapped == {}
    assert (obj, DC.title, Literal("Vase aux iris", lang="fr")) in mapped.graph
    assert (obj, DC.creator, URIRef(f"{BASE}/id/agent/galle-emile")) in mapped.graph
    assert (obj, DCTERMS.medium, Literal("verre (gravé à l'acide)", lang="fr")) in mapped.graph
    assert (URIRef(f"{obj}#event-1"), EDM.occurredAt, URIRef(f"{BASE}/id/timespan/1900_1900_approximate")) in mapped.graph


def test_local_id_from_several_fields():
    mapped = map_joconde_row(piscine()[1], context(local_id=["MUSEO", "INV"]))
    assert mapped.local_id == "M0634-996.12.4"


def test_column_map_naming_an_unknown_field_is_refused():
    with pytest.raises(MappingError, match="'FOO' is not a mapped Joconde field"):
        map_joconde_row(piscine()[0], context(columns={"FOO": "Titre"}))


def test_row_without_inventory_number_is_refused():
    with pytest.raises(MappingError, match="no INV to name the record"):
        map_joconde_row("Numero_inventaire,Titre\n,Vase\n".encode(), context())


def test_header_without_row_is_refused():
    with pytest.raises(MappingError, match="header line and one row, got 1 lines"):
        map_joconde_row(b"Numero_inventaire,Titre\n", context())


def test_costume_extract_every_row_maps_with_structure():
    path = require_shared("data/joconde-costumes/joconde-costumes-19e-20e.csv")
    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = list(table[0].keys())
    with_author = with_span = with_material_literal = 0
    for row in table:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerow([row[h] for h in header])
        mapped = map_joconde_row(buffer.getvalue().encode(), context(local_id=["MUSEO", "INV"]))
        graph, cho = mapped.graph, mapped.cho
        event = URIRef(f"{cho}#event-1")
        if row["Auteur"].strip():
            agents = set(graph.objects(cho, DC.creator))
            named = [a for a in split_values(row["Auteur"], ";") if not parse_author(a).anonymous]
            assert bool(agents) == bool(named) and all((a, RDF.type, EDM.Agent) in graph for a in agents)
            assert set(graph.objects(event, MUSENOR.participation))
            with_author += 1
        span = graph.value(event, EDM.occurredAt)
        if span is not None:
            begin, end = graph.value(span, EDM.begin), graph.value(span, EDM.end)
            # an open side ("1875 après", "1900 avant") is not stated; the stated ones are ordered
            assert begin is not None or end is not None
            assert all(v.datatype in (XSD.gYear, XSD.date) for v in (begin, end) if v is not None)
            assert begin is None or end is None or int(str(begin)[:4]) <= int(str(end)[:4])
            with_span += 1
        media = set(graph.objects(cho, DCTERMS.medium))
        assert all(m.language == "fr" for m in media if isinstance(m, Literal))
        with_material_literal += bool(media)
    assert len(table) == 3125
    assert with_author == sum(1 for r in table if r["Auteur"].strip())
    # every row has a Periode_de_creation, so every row gets a typed production time-span
    assert with_span == 3125
    assert with_material_literal == sum(1 for r in table if r["Materiaux_techniques"].strip() not in
                                        ("", "Non renseigné"))


def test_id_column_of_the_csv_source_names_the_record():
    raw = "Numero_inventaire,Titre,Identifiant\nA1,Vase,PISC-0001\n".encode()
    mapped = map_joconde_row(raw, context(id_column="Identifiant"))
    assert (mapped.local_id, mapped.unmapped) == ("PISC-0001", {})
    assert (mapped.cho, DC.identifier, Literal("A1")) in mapped.graph


def test_comments_column_is_a_note_on_the_object():
    raw = "Numero_inventaire,Titre,Commentaires\nA1,Vase,Acquis avec l'aide du FRAM\n".encode()
    mapped = map_joconde_row(raw, context())
    assert list(mapped.graph.objects(mapped.cho, SKOS.note)) == [Literal("Acquis avec l'aide du FRAM", lang="fr")]
    assert mapped.unmapped == {}


def test_lat_and_long_are_the_wgs84_point_of_the_location():
    raw = ("Numero_inventaire,Titre,Localisation,lat,long\n"
           "A1,Vase,Douai ; musée de la Chartreuse,50.374404,3.07548\n").encode()
    mapped = map_joconde_row(raw, context())
    place = URIRef(f"{BASE}/id/place/douai-musee-de-la-chartreuse")
    assert (mapped.cho, EDM.currentLocation, place) in mapped.graph
    assert list(mapped.graph.objects(place, WGS84.lat)) == [Literal("50.374404", datatype=XSD.decimal)]
    assert list(mapped.graph.objects(place, WGS84.long)) == [Literal("3.07548", datatype=XSD.decimal)]


def test_coordinates_off_the_earth_are_a_warning_not_a_point():
    raw = "Numero_inventaire,Titre,Localisation,lat,long\nA1,Vase,Douai,503.74,3.07\n".encode()
    mapped = map_joconde_row(raw, context())
    assert list(mapped.graph.objects(URIRef(f"{BASE}/id/place/douai"), WGS84.lat)) == []
    assert mapped.warnings == ["POP_COORDONNEES '503.74 ; 3.07' is not a WGS84 latitude ; longitude"]
