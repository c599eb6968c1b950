"""Measurements are structured dimensions with type, value and unit, kept with their label (issue 13, class 6).

Own fixtures in the shapes of the LIDO exports under ../shared/data (DDB's digiCult, dkult, LWL, Deutsches
Museum, museum-digital, the LIDO 1.1 examples) and of French and Romanian labelled displays.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef

from musenor.mappings import HubURIs, MappingContext
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.measurements import Dimension, dimension_key, parse_display, types_of, unit_key
from musenor.mappings.namespaces import DCTERMS, MUSENOR, RDF, SKOS, XSD

BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
CHO = URIRef(f"{BASE}/id/object/M0629/R-1")
HEAD = """<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
    <lido:term>tableau</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>
    <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
    <lido:appellationValue>Objet</lido:appellationValue></lido:titleSet></lido:titleWrap>"""


def record(measurements: str, lang: str = "de", repeat: str | None = None) -> bytes:
    body = f"{HEAD}<lido:objectMeasurementsWrap>{measurements}</lido:objectMeasurementsWrap>" \
           f"</lido:objectIdentificationWrap>"
    second = "" if repeat is None else f"""<lido:descriptiveMetadata xml:lang="{repeat[:2]}">{HEAD}
        <lido:objectMeasurementsWrap>{repeat[3:]}</lido:objectMeasurementsWrap></lido:objectIdentificationWrap>
        </lido:descriptiveMetadata>"""
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org" xmlns:skos="http://www.w3.org/2004/02/skos/core#"
      xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <lido:lidoRecID lido:type="local">R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="{lang}">{body}</lido:descriptiveMetadata>{second}
      <lido:administrativeMetadata xml:lang="{lang}"/>
    </lido:lido>""".encode()


def mapped(raw: bytes):
    return map_lido(raw, MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS))


def dimension_triples(graph: Graph, cho: URIRef = CHO) -> set[tuple]:
    """Every triple of the object's dimensions, the object's links to them included."""
    out = set()
    for node in graph.objects(cho, MUSENOR.dimension):
        out.add((cho, MUSENOR.dimension, node))
        out |= set(graph.triples((node, None, None)))
    return out


def dim(n: int, kind: str, value: str, unit: str | None, *labels: Literal, cho: URIRef = CHO) -> set[tuple]:
    node = URIRef(f"{cho}#dimension-{n}")
    out = {(cho, MUSENOR.dimension, node), (node, RDF.type, MUSENOR.Dimension),
           (node, MUSENOR.dimensionType, Literal(kind)), (node, RDF.value, Literal(value, datatype=XSD.decimal))}
    if unit:
        out.add((node, MUSENOR.unit, Literal(unit)))
    return out | {(node, SKOS.prefLabel, label) for label in labels}


def display(text: str, label: str = "", lang: str = "") -> str:
    attributes = (f' lido:label="{label}"' if label else "") + (f' xml:lang="{lang}"' if lang else "")
    return f"<lido:objectMeasurementsSet><lido:displayObjectMeasurements{attributes}>{text}" \
           f"</lido:displayObjectMeasurements></lido:objectMeasurementsSet>"


# -- displayed measurements -------------------------------------------------------------------------------------
def test_french_labelled_display_with_decimal_comma_and_its_lido_label():
    graph = mapped(record(display("H=41 cm; l=21,2 cm; P=13 cm", label="Dimensions totales"), lang="fr")).graph
    label = Literal("Dimensions totales", lang="fr")
    assert dimension_triples(graph) == (dim(1, "height", "41.0", "cm", label) | dim(2, "width", "21.2", "cm", label)
                                        | dim(3, "depth", "13.0", "cm", label))
    assert (CHO, DCTERMS.extent, Literal("H=41 cm; l=21,2 cm; P=13 cm", lang="fr")) in graph


def test_romanian_display_reads_i_l_a_as_height_width_depth():
    graph = mapped(record(display("Î=12,5 cm; l=8 cm; A=3 cm"), lang="ro")).graph
    assert dimension_triples(graph) == (dim(1, "height", "12.5", "cm") | dim(2, "width", "8.0", "cm")
                                        | dim(3, "depth", "3.0", "cm"))


def test_german_display_reads_h_b_t_and_english_h_w_d():
    german = mapped(record(display("H 41 cm, B 21 cm, T 13 cm"), lang="de")).graph
    english = mapped(record(display("H 41 cm; W 21 cm; D 13 cm"), lang="en")).graph
    expected = dim(1, "height", "41.0", "cm") | dim(2, "width", "21.0", "cm") | dim(3, "depth", "13.0", "cm")
    assert dimension_triples(german) == expected
    assert dimension_triples(english) == expected


def test_diameter_in_metres_with_decimal_comma():
    graph = mapped(record(display("Dia. 0,018 m"), lang="en")).graph
    assert dimension_triples(graph) == dim(1, "diameter", "0.018", "m")


def test_a_types_list_then_a_values_list_with_the_part_in_brackets():
    graph = mapped(record(display("Höhe x Breite: 216 x 164 mm (Blatt)"))).graph
    blatt = Literal("Blatt", lang="de")
    assert dimension_triples(graph) == dim(1, "height", "216.0", "mm", blatt) | dim(2, "width", "164.0", "mm", blatt)


def test_a_part_label_before_the_colon_holds_for_the_whole_list():
    graph = mapped(record(display("Gesamt: Höhe: 193 cm; Breite: 100 cm; Tiefe: 93 cm"))).graph
    whole = Literal("Gesamt", lang="de")
    assert dimension_triples(graph) == (dim(1, "height", "193.0", "cm", whole) | dim(2, "width", "100.0", "cm", whole)
                                        | dim(3, "depth", "93.0", "cm", whole))


def test_several_parts_on_several_lines():
    text = "(H x D): 27 × 9,6 cm &lt;br/&gt;(H x D) (Deckel): 6,3 × 9,1 cm"
    graph = mapped(record(display(text))).graph
    lid = Literal("Deckel", lang="de")
    assert dimension_triples(graph) == (dim(1, "height", "27.0", "cm") | dim(2, "diameter", "9.6", "cm")
                                        | dim(3, "height", "6.3", "cm", lid) | dim(4, "diameter", "9.1", "cm", lid))


def test_letters_run_into_the_numbers():
    graph = mapped(record(display("L38,5xB24 cm"))).graph
    assert dimension_triples(graph) == dim(1, "length", "38.5", "cm") | dim(2, "width", "24.0", "cm")


def test_french_capital_and_small_l_are_length_and_width():
    graph = mapped(record(display("L. 312 cm ; l. 24 cm"), lang="fr")).graph
    assert dimension_triples(graph) == dim(1, "length", "312.0", "cm") | dim(2, "width", "24.0", "cm")


def test_a_french_capital_l_alone_is_the_width_of_a_flat_work():
    assert [d.kind for d in parse_display("H. 77 cm ; L. 53 cm", "fr")] == ["height", "width"]


def test_values_without_types_are_not_given_any():
    graph = mapped(record(display("203 x 314 cm"))).graph
    assert dimension_triples(graph) == set()
    assert (CHO, DCTERMS.extent, Literal("203 x 314 cm", lang="de")) in graph


def test_a_mass_unit_says_the_weight():
    graph = mapped(record(display("10,95 kg"))).graph
    assert dimension_triples(graph) == dim(1, "weight", "10.95", "kg")


def test_types_given_by_extent_measurements_for_a_values_list():
    raw = record("""<lido:objectMeasurementsSet>
        <lido:displayObjectMeasurements>152 x 279 x 338 mm</lido:displayObjectMeasurements>
        <lido:objectMeasurements><lido:extentMeasurements>Objektmaß (H x B x L/T)</lido:extentMeasurements>
        </lido:objectMeasurements></lido:objectMeasurementsSet>""")
    result = mapped(raw)
    part = Literal("Objektmaß", lang="de")
    assert dimension_triples(result.graph) == (dim(1, "height", "152.0", "mm", part) | dim(2, "width", "279.0", "mm", part)
                                               | dim(3, "length", "338.0", "mm", part))
    assert result.unmapped == {}


@pytest.mark.parametrize("text", ["Bildformat (Foto): cm Großformat", "H=abc cm", "H= cm; l=", "x x x", "",
                                  "((((H x B)))): 1 x", "1 Bl., 62,5 x 69,5 cm", "Höhe x Breite: 1 x 2 x 3 cm",
                                  "H: 1,2,3 cm"])
def test_broken_displays_give_no_dimension_and_do_not_fail(text):
    result = mapped(record(display(text)))
    assert dimension_triples(result.graph) == set()


@pytest.mark.parametrize("text", ["Hx" * 5000 + "!", "H x " * 5000 + "1", "H:" + " " * 20000 + "1",
                                  "a/" * 20000 + "b x c: 1 x 2", "Höhe: " + "1," * 20000])
def test_long_hostile_displays_are_display_text_only(text):
    assert parse_display(text, "de", types_hint=text) == []
    assert types_of(text) == ""


def test_a_long_text_is_not_read_for_dimensions_but_a_long_list_of_short_clauses_is_cut_per_clause():
    clause = "H=41 cm; "
    assert len(parse_display(clause * 200, "fr")) == 200  # 1,800 characters: a (strange) list, read
    assert parse_display(clause * 300, "fr") == []  # beyond 2,000 characters: prose, not read


# -- structured measurements --------------------------------------------------------------------------------------
def test_structured_value_with_decimal_comma_and_a_unit_spelled_out():
    raw = record("""<lido:objectMeasurementsSet><lido:objectMeasurements><lido:measurementsSet>
        <lido:measurementType>Gewicht</lido:measurementType><lido:measurementUnit>gr.</lido:measurementUnit>
        <lido:measurementValue>79,50</lido:measurementValue></lido:measurementsSet>
        </lido:objectMeasurements></lido:objectMeasurementsSet>""")
    assert dimension_triples(mapped(raw).graph) == dim(1, "weight", "79.5", "g")


def test_structured_types_list_with_its_extent_as_label():
    raw = record("""<lido:objectMeasurementsSet>
        <lido:displayObjectMeasurements>Blatt: 39,8 x 28,1 cm</lido:displayObjectMeasurements>
        <lido:objectMeasurements><lido:measurementsSet>
        <lido:measurementType>Höhe x Breite</lido:measurementType><lido:measurementUnit>cm</lido:measurementUnit>
        <lido:measurementValue>39,8 x 28,1</lido:measurementValue></lido:measurementsSet>
        <lido:extentMeasurements>Blatt</lido:extentMeasurements></lido:objectMeasurements>
        </lido:objectMeasurementsSet>""")
    blatt = Literal("Blatt", lang="de")
    assert dimension_triples(mapped(raw).graph) == dim(1, "height", "39.8", "cm", blatt) | dim(2, "width", "28.1", "cm", blatt)


def test_lido_11_skos_concepts_for_type_and_unit():
    raw = record("""<lido:objectMeasurementsSet><lido:objectMeasurements><lido:measurementsSet>
        <lido:measurementType><skos:Concept rdf:about="http://vocab.getty.edu/aat/300055644">
          <skos:prefLabel xml:lang="en">height</skos:prefLabel><skos:prefLabel xml:lang="de">Höhe</skos:prefLabel>
        </skos:Concept></lido:measurementType>
        <lido:measurementUnit><skos:Concept rdf:about="http://vocab.getty.edu/aat/300379098">
          <skos:prefLabel xml:lang="en">centimetre</skos:prefLabel></skos:Concept></lido:measurementUnit>
        <lido:measurementValue>203</lido:measurementValue></lido:measurementsSet>
        </lido:objectMeasurements></lido:objectMeasurementsSet>""")
    assert dimension_triples(mapped(raw).graph) == dim(1, "height", "203.0", "cm")


def test_a_structured_measurement_wins_over_its_display():
    raw = record("""<lido:objectMeasurementsSet>
        <lido:displayObjectMeasurements>Breite: 54 cm</lido:displayObjectMeasurements>
        <lido:objectMeasurements><lido:measurementsSet><lido:measurementType>Breite</lido:measurementType>
        <lido:measurementUnit>cm</lido:measurementUnit><lido:measurementValue>54</lido:measurementValue>
        </lido:measurementsSet></lido:objectMeasurements></lido:objectMeasurementsSet>""")
    assert dimension_triples(mapped(raw).graph) == dim(1, "width", "54.0", "cm")


def test_an_unknown_type_is_kept_as_written():
    raw = record("""<lido:objectMeasurementsSet><lido:objectMeasurements><lido:measurementsSet>
        <lido:measurementType>Stempelstellung</lido:measurementType><lido:measurementUnit>h</lido:measurementUnit>
        <lido:measurementValue>12</lido:measurementValue></lido:measurementsSet>
        </lido:objectMeasurements></lido:objectMeasurementsSet>""")
    assert dimension_triples(mapped(raw).graph) == dim(1, "Stempelstellung", "12.0", "h")


def test_a_value_that_is_not_a_number_is_a_warning():
    raw = record("""<lido:objectMeasurementsSet><lido:objectMeasurements><lido:measurementsSet>
        <lido:measurementType>Höhe</lido:measurementType><lido:measurementValue>NaN</lido:measurementValue>
        </lido:measurementsSet></lido:objectMeasurements></lido:objectMeasurementsSet>""")
    result = mapped(raw)
    assert dimension_triples(result.graph) == set()
    assert result.warnings == ["measurement value 'NaN' is not a number"]


def test_shape_and_format_measurements_are_kept():
    raw = record("""<lido:objectMeasurementsSet><lido:objectMeasurements>
        <lido:measurementsSet><lido:measurementType>Höhe</lido:measurementType>
        <lido:measurementUnit>cm</lido:measurementUnit><lido:measurementValue>12</lido:measurementValue>
        </lido:measurementsSet><lido:formatMeasurements>Hochformat</lido:formatMeasurements>
        <lido:shapeMeasurements>oval</lido:shapeMeasurements></lido:objectMeasurements>
        </lido:objectMeasurementsSet>""")
    result = mapped(raw)
    assert {o for o in result.graph.objects(CHO, DCTERMS.extent)} == {Literal("Hochformat", lang="de"),
                                                                       Literal("oval", lang="de")}
    assert result.unmapped == {}


def test_an_export_template_path_is_not_a_label():
    raw = record("""<lido:objectMeasurementsSet><lido:objectMeasurements><lido:measurementsSet>
        <lido:measurementType>hoogte</lido:measurementType><lido:measurementUnit>cm</lido:measurementUnit>
        <lido:measurementValue>60,9</lido:measurementValue></lido:measurementsSet>
        <lido:extentMeasurements>or_record.objectMeasurements.extent_measurements</lido:extentMeasurements>
        </lido:objectMeasurements></lido:objectMeasurementsSet>""", lang="nl")
    assert dimension_triples(mapped(raw).graph) == dim(1, "height", "60.9", "cm")


def test_descriptive_metadata_repeated_in_another_language_adds_labels_not_copies():
    raw = record(display("Höhe: 80 cm", label="Gesamt", lang="de"),
                 repeat="en " + display("Height: 80 cm", label="Overall", lang="en"))
    assert dimension_triples(mapped(raw).graph) == dim(1, "height", "80.0", "cm", Literal("Gesamt", lang="de"),
                                                       Literal("Overall", lang="en"))


# -- one shape ----------------------------------------------------------------------------------------------------
def test_lido_and_joconde_write_a_dimension_the_same_way():
    lido_graph = mapped(record(display("H. 224 cm ; l. 180 cm"), lang="fr")).graph
    csv = 'INV,TITR,DENO,DIMS\r\nR-1,Objet,tableau,"H. 224 ; l. 180"\r\n'.encode()
    joconde = map_joconde_row(csv, MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS))
    assert dimension_triples(joconde.graph, joconde.cho) == (dim(1, "height", "224.0", "cm", cho=joconde.cho)
                                                             | dim(2, "width", "180.0", "cm", cho=joconde.cho))
    assert dimension_triples(lido_graph) == dim(1, "height", "224.0", "cm") | dim(2, "width", "180.0", "cm")


# -- the readers -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word,lang,key", [("Höhe", "de", "height"), ("hauteur", "fr", "height"),
                                            ("Î", "ro", "height"), ("D", "fr", "diameter"), ("D", "en", "depth"),
                                            ("T", "de", "depth"), ("A", "ro", "depth"), ("L", "de", "length"),
                                            ("http://vocab.getty.edu/aat/300055647", None, "width"),
                                            ("Breite (geöffnet)", "de", "width"), ("Farbe", "de", None)])
def test_dimension_keys(word, lang, key):
    assert dimension_key(word, lang) == key


@pytest.mark.parametrize("text,key", [("cm", "cm"), ("gr.", "g"), ("Zentimeter", "cm"), ("centimetre", "cm"),
                                      ("http://vocab.getty.edu/aat/300379097", "mm"), ("h", None)])
def test_unit_keys(text, key):
    assert unit_key(text) == key


def test_parse_display_gives_dimensions():
    assert parse_display("Durchmesser: 23 mm, Gewicht: 5.57 g, Stempelstellung: 12 h", "de") == [
        Dimension("diameter", Decimal("23"), "mm"), Dimension("weight", Decimal("5.57"), "g")]
