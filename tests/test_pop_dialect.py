"""The `pop` dialect: POP notices (text and CSV layouts) into the graph of docs/profile.md."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from musenor.mappings import HubURIs, MappingContext, MappingError
from musenor.mappings.dialects.pop import map_pop_notice, parse_text_notice
from musenor.mappings.namespaces import DC, DCTERMS, EDM, MUSENOR, RDAGR2, RDF, SKOS, XSD
from schemas import require_shared

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
BASE = "http://hub.test"
OBJ = URIRef(f"{BASE}/id/object/M0629/06290000102")


def context(code="M0629", name="Palais des Beaux-Arts de Lille", **kwargs):
    return MappingContext(code, name, HubURIs(BASE), **kwargs)


def text_notices():
    text = (FIXTURES / "pba-lille-ajout-pilote.txt").read_text(encoding="utf-8")
    return [block.encode() for block in text.split("//\n") if block.strip()]


def csv_notices():
    lines = (FIXTURES / "pba-lille-export.csv").read_text(encoding="utf-8").splitlines()
    return [f"{lines[0]}\n{line}\n".encode() for line in lines[1:]]


def assert_same_graph(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail("graphs differ\nonly in mapped:\n" + only_actual.serialize(format="nt") +
                    "\nonly in expected:\n" + only_expected.serialize(format="nt"))


def test_notice_maps_to_the_golden_graph():
    mapped = map_pop_notice(text_notices()[0], context())
    expected = Graph().parse(FIXTURES / "06290000101.ttl", format="turtle")
    assert_same_graph(mapped.graph, expected)


def test_ref_is_the_local_id_and_dmaj_the_datestamp():
    mapped = map_pop_notice(text_notices()[0], context())
    assert (mapped.local_id, mapped.source_datestamp) == ("06290000101", "2023-05-12")
    assert mapped.record_uri == URIRef(f"{BASE}/id/record/M0629/06290000101")


def test_dmaj_with_slashes_is_an_iso_date():
    assert map_pop_notice(text_notices()[1], context()).source_datestamp == "2022-11-03"


def test_both_layouts_give_the_same_graph():
    for text_raw, csv_raw in zip(text_notices(), csv_notices(), strict=True):
        assert_same_graph(map_pop_notice(csv_raw, context()).graph, map_pop_notice(text_raw, context()).graph)


def test_wrapped_line_is_joined_at_the_dash():
    pairs = parse_text_notice("REF\n06290000101\nDESC\nderrière -\nelles, le Temps\n")
    assert pairs == [("REF", "06290000101"), ("DESC", "derrière elles, le Temps")]


def test_value_looking_like_a_code_right_after_its_code_is_a_value():
    assert parse_text_notice("REF\n06290000101\nINV\nMNR123\n") == [("REF", "06290000101"), ("INV", "MNR123")]


def test_attribution_qualifiers_on_participations():
    graph = map_pop_notice(text_notices()[1], context()).graph
    first, second = URIRef(f"{OBJ}#event-1-actor-1"), URIRef(f"{OBJ}#event-1-actor-2")
    assert set(graph.predicate_objects(first)) == {
        (RDF.type, MUSENOR.Participation), (MUSENOR.agent, URIRef(f"{BASE}/id/agent/boussemart-francois")),
        (MUSENOR.attribution, Literal("atelier de", lang="fr"))}
    assert set(graph.predicate_objects(second)) == {  # "anonyme" is the attribution's state, not an agent
        (RDF.type, MUSENOR.Participation), (MUSENOR.attribution, Literal("anonyme", lang="fr")),
        (MUSENOR.attribution, Literal("d'après", lang="fr"))}


def test_period_gives_a_typed_time_span():
    graph = map_pop_notice(text_notices()[1], context()).graph
    span = URIRef(f"{BASE}/id/timespan/1725_1749")
    assert (URIRef(f"{OBJ}#event-1"), EDM.occurredAt, span) in graph
    assert set(graph.predicate_objects(span)) == {
        (RDF.type, EDM.TimeSpan), (EDM.begin, Literal("1725", datatype=XSD.gYear)),
        (EDM.end, Literal("1749", datatype=XSD.gYear)), (SKOS.prefLabel, Literal("1725/1749"))}


def test_period_and_style_both_temporal_literals():
    graph = map_pop_notice(text_notices()[1], context()).graph
    assert {o for o in graph.objects(OBJ, DCTERMS.temporal) if isinstance(o, Literal)} == {
        Literal("2e quart 18e siècle", lang="fr"), Literal("époque Louis XV", lang="fr")}


def test_place_of_execution_drops_its_qualifier():
    graph = map_pop_notice(text_notices()[1], context()).graph
    place = URIRef(f"{BASE}/id/place/lille")
    assert (URIRef(f"{OBJ}#event-1"), EDM.happenedAt, place) in graph
    assert (OBJ, DCTERMS.spatial, place) in graph
    assert (place, SKOS.prefLabel, Literal("Lille", lang="fr")) in graph


def test_each_image_carries_the_photo_credit():
    graph = map_pop_notice(text_notices()[1], context()).graph
    record = URIRef(f"{BASE}/id/record/M0629/06290000102")
    main = URIRef(f"{BASE}/images/M0629/M0629_06290000102_p.jpg")
    view = URIRef(f"{BASE}/images/M0629/M0629_06290000102_v.jpg")
    assert (record, EDM.isShownBy, main) in graph and (record, EDM.hasView, view) in graph
    assert (record, EDM.object, URIRef(f"{BASE}/images/M0629/thumbs/M0629_06290000102_p.jpg")) in graph
    for resource in (main, view):
        assert (resource, DCTERMS.creator, Literal("Cliché J.-M. Decompte", lang="fr")) in graph
        assert (resource, EDM.rights, URIRef("http://rightsstatements.org/vocab/CNE/1.0/")) in graph


def test_museum_default_rights_apply_without_copyright_notice():
    cc0 = "http://creativecommons.org/publicdomain/zero/1.0/"
    graph = map_pop_notice(text_notices()[1], context(default_rights=cc0)).graph
    assert graph.value(URIRef(f"{BASE}/id/record/M0629/06290000102"), EDM.rights) == URIRef(cc0)


def test_no_image_means_the_hub_page_is_shown_at():
    graph = map_pop_notice(text_notices()[2], context()).graph
    record = URIRef(f"{BASE}/id/record/M0629/06290000103")
    assert graph.value(record, EDM.isShownAt) == URIRef(f"{BASE}/notice/M0629/06290000103")
    assert graph.value(record, EDM.isShownBy) is None


def test_life_dates_of_a_single_author_name_the_agent():
    graph = map_pop_notice(text_notices()[2], context()).graph
    agent = URIRef(f"{BASE}/id/agent/watteau-antoine-1684")
    assert (agent, RDAGR2.dateOfBirth, Literal("1684", datatype=XSD.gYear)) in graph
    assert (agent, RDAGR2.dateOfDeath, Literal("1721", datatype=XSD.gYear)) in graph


def test_inscription_node():
    graph = map_pop_notice(text_notices()[2], context()).graph
    inscription = URIRef(f"{BASE}/id/object/M0629/06290000103#inscription-1")
    assert set(graph.predicate_objects(inscription)) == {
        (DC.description, Literal("inscription", lang="fr")),
        (RDF.value, Literal("en bas à droite, à la plume : Watteau", lang="fr"))}


def test_unknown_field_code_is_counted_and_named():
    mapped = map_pop_notice(text_notices()[2], context())
    assert mapped.unmapped == {"XYZW": 1}
    assert mapped.warnings == ["unknown field code XYZW"]


def test_known_unmapped_field_is_counted():
    notice = text_notices()[0] + b"BIBL\nBrunet, Goya, 1992, p. 54\n"
    assert map_pop_notice(notice, context()).unmapped == {"BIBL": 1}


def test_school_is_the_culture_of_the_object_and_of_its_production():
    from musenor.vocabularies import load_vocabularies

    mapped = map_pop_notice(text_notices()[0], context(vocabularies=load_vocabularies(BASE)))
    school = URIRef(f"{BASE}/vocab/ministry-ecol/ecole-espagnole")  # ECOL "Espagne", as Joconde writes it
    event = URIRef(f"{BASE}/id/object/M0629/06290000101#event-1")
    assert set(mapped.graph.subjects(MUSENOR.culture, school)) == {
        URIRef(f"{BASE}/id/object/M0629/06290000101"), event}


def test_two_refs_in_one_notice_is_a_mapping_error():
    raw = text_notices()[0] + text_notices()[1]
    with pytest.raises(MappingError, match=r"two notices in one \(REF 06290000101, 06290000102\)"):
        map_pop_notice(raw, context())


def test_notice_without_ref_is_refused():
    with pytest.raises(MappingError, match="no REF"):
        map_pop_notice(b"INV\nP 1\nTITR\nSans titre\n", context())


def test_notice_without_title_denomination_or_description_is_refused():
    with pytest.raises(MappingError, match="neither title"):
        map_pop_notice(b"REF\n06290000999\nINV\nP 1\n", context())


def test_value_before_any_code_is_refused():
    with pytest.raises(MappingError, match="before any field code"):
        map_pop_notice("une ligne perdue\nREF\n06290000999\n".encode(), context())


def test_bytes_not_utf8_are_refused_with_the_offset():
    with pytest.raises(MappingError, match=r"not UTF-8 \(byte 0xe9 at offset 22\)"):
        map_pop_notice(b"REF\n06290000999\nTITR\nD\xe9part\n", context())


def test_short_ref_is_a_warning():
    mapped = map_pop_notice(b"REF\n123456789\nTITR\nMain\n", context())
    assert "REF 123456789 is shorter than the 11 characters POP requires" in mapped.warnings


def test_csv_row_with_more_cells_than_codes_is_refused():
    with pytest.raises(MappingError, match="3 cells for 2 field codes"):
        map_pop_notice(b'"REF";"TITR"\n"06290000999";"Main";"x"\n', context())


def test_real_pop_notices_map():
    folder = require_shared("data/joconde-fr-pop-schema")
    text = (folder / "joconde-valid-UTF-8.txt").read_text(encoding="utf-8")
    notices = [block for block in text.split("//\n") if block.strip()]
    mapped = [map_pop_notice(block.encode(), context("M0017", "Musée Rolin")) for block in notices]
    assert [m.local_id for m in mapped] == ["01610014032", "01610014134", "01610014147"]
    first = mapped[0]
    assert (first.cho, DC.identifier, Literal("A1973.2.1")) in first.graph
    assert first.graph.value(first.record_uri, EDM.isShownBy) == URIRef(
        f"{BASE}/images/M0017/M016183_0016630_P.JPG")
    assert first.graph.value(first.record_uri, EDM.hasView) == URIRef(f"{BASE}/images/M0017/M016183_0016631_P.JPG")
    assert set(first.unmapped) == {"COOR", "DECV", "PDEC", "BIBL", "NSDA"}  # IMAGE, LABEL: CONSUMED_FIELDS


def test_real_notice_with_warnings_maps_with_them():
    folder = require_shared("data/joconde-fr-pop-schema")
    mapped = map_pop_notice((folder / "joconde-valid-UTF-8-warnings.txt").read_bytes().split(b"//")[0],
                            context("M0017", "Musée Rolin"))
    assert mapped.local_id == "123456789"
    assert "REF 123456789 is shorter than the 11 characters POP requires" in mapped.warnings


def test_denomination_alone_can_make_an_image():
    mapped = map_pop_notice("REF\n06290000998\nDENO\ntableau\n".encode(), context())
    assert mapped.graph.value(mapped.cho, EDM.type) == Literal("IMAGE")


def test_other_objects_are_3d():
    mapped = map_pop_notice("REF\n06290000997\nDOMN\ncéramique\nDENO\nplat\n".encode(), context())
    assert mapped.graph.value(mapped.cho, EDM.type) == Literal("3D")


def test_characters_illegal_in_xml_are_replaced_and_counted():
    mapped = map_pop_notice("REF\n06290000995\nTITR\nLa\x0bVierge\x01 ￾\n".encode(), context())
    assert mapped.graph.value(mapped.cho, DC.title) == Literal("La\ufffdVierge\ufffd \ufffd", lang="fr")
    assert mapped.sanitised == 3


def test_period_before_the_common_era_is_a_valid_gyear():
    mapped = map_pop_notice("REF\n06290000994\nDENO\nfibule\nPERI\n1er siècle av. J.-C.\n".encode(), context())
    span = URIRef(f"{BASE}/id/timespan/-0099_0000")
    assert (URIRef(f"{mapped.cho}#event-1"), EDM.occurredAt, span) in mapped.graph
    assert (span, EDM.begin, Literal("-0099", datatype=XSD.gYear)) in mapped.graph
    assert (span, EDM.end, Literal("0000", datatype=XSD.gYear)) in mapped.graph


def test_fields_about_the_museum_or_the_images_are_read_not_counted_unmapped():
    notice = text_notices()[0] + b"IMAGE\noui\nLABEL\nMus\xc3\xa9e de France\nBASE\nJoconde\n"
    assert map_pop_notice(notice, context()).unmapped == {}


def tech_notice(tech: str) -> bytes:
    return f"REF\n06500000001\nTITR\nCabinet\nDENO\ncabinet\nTECH\n{tech}\n".encode()


def test_technique_statement_is_the_concepts_of_its_terms_and_its_text():
    from musenor.vocabularies import load_vocabularies

    mapped = map_pop_notice(tech_notice("placage d'ébène"), context(vocabularies=load_vocabularies(BASE)))
    cho = URIRef(f"{BASE}/id/object/M0629/06500000001")
    expected = {URIRef(f"{BASE}/vocab/ministry-tech/placage"), URIRef(f"{BASE}/vocab/ministry-tech/ebene"),
                Literal("placage d'ébène", lang="fr")}
    assert set(mapped.graph.objects(cho, DCTERMS.medium)) == expected
    assert set(mapped.graph.objects(URIRef(f"{cho}#event-1"), DCTERMS.medium)) == expected
    assert mapped.unmatched == {}


def test_technique_statement_with_an_unknown_word_is_counted_unmatched():
    from musenor.vocabularies import load_vocabularies

    mapped = map_pop_notice(tech_notice("placage de loupe"), context(vocabularies=load_vocabularies(BASE)))
    assert mapped.unmatched == {("ministry-tech", "placage de loupe"): 1}
