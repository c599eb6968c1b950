"""Issue 13, class 5: a qualified date ("vers 1875", "ab 1664", "fin du XIXe siècle") keeps its qualifier in the
time-span (EDTF label, crm:P79/P80 qualifiers, open sides left unstated) and in every output; an actor's
evidenceDate is not a birth date. Fixtures are small records in the shapes of real LIDO and Joconde exports."""

from __future__ import annotations

import csv
import io

import pytest
from lxml import etree
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dates import DateSpan, parse_display_date
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.formats.edm import render_edm
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.formats.oai_dc import render_oai_dc
from musenor.mappings.namespaces import CRM, DC, EDM, RDAGR2, SKOS
from musenor.vocabularies import load_vocabularies

BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
P79, P80 = CRM.P79_beginning_is_qualified_by, CRM.P80_end_is_qualified_by
NS = {"lido": "http://www.lido-schema.org", "edm": str(EDM), "skos": str(SKOS),
      "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": str(DC)}


def context() -> MappingContext:
    return MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, load_vocabularies(BASE))


def render_context() -> RenderContext:
    return RenderContext(URIS, vocabularies=load_vocabularies(BASE))


def lido_record(event_date: str, actor: str = "") -> bytes:
    """A record shaped as a museum-digital / DDB export: one production event with its date and actor."""
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
      <lido:lidoRecID lido:type="local">R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="de">
        <lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
          <lido:term>Gemälde</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>
        <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
          <lido:appellationValue>Bildnis</lido:appellationValue></lido:titleSet></lido:titleWrap></lido:objectIdentificationWrap>
        <lido:eventWrap><lido:eventSet><lido:event>
          <lido:eventType><lido:term>Herstellung</lido:term></lido:eventType>
          {actor}
          <lido:eventDate>{event_date}</lido:eventDate>
        </lido:event></lido:eventSet></lido:eventWrap>
      </lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="de"/>
    </lido:lido>""".encode()


def event_span(graph, local: str = "R-1") -> URIRef:
    spans = list(graph.objects(URIRef(f"{URIS.object('M0629', local)}#event-1"), EDM.occurredAt))
    assert len(spans) == 1
    return spans[0]


# -- reading the forms --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("vers 1875", DateSpan("1875", "1875", approximate=True)),
    ("circa 1875", DateSpan("1875", "1875", approximate=True)),
    ("cca. 1890", DateSpan("1890", "1890", approximate=True)),
    ("um 1500", DateSpan("1500", "1500", approximate=True)),
    ("1880 vers", DateSpan("1880", "1880", approximate=True)),
    ("ab 1664", DateSpan("1664", "1664", open_end=True)),
    ("nach 1664", DateSpan("1664", "1664", open_end=True)),
    ("après 1875", DateSpan("1875", "1875", open_end=True)),
    ("1875 après", DateSpan("1875", "1875", open_end=True)),
    ("after 1700", DateSpan("1700", "1700", open_end=True)),
    ("avant 1700", DateSpan("1700", "1700", open_begin=True)),
    ("vor 1896", DateSpan("1896", "1896", open_begin=True)),
    ("before 1700", DateSpan("1700", "1700", open_begin=True)),
    ("1900 avant", DateSpan("1900", "1900", open_begin=True)),
    ("début du XIXe siècle", DateSpan("1800", "1833")),
    ("milieu du XIXe siècle", DateSpan("1834", "1866")),
    ("fin du XIXe siècle", DateSpan("1867", "1899")),
    ("Anfang des 19. Jh.", DateSpan("1800", "1833")),
    ("Mitte des 19. Jh.", DateSpan("1834", "1866")),
    ("Ende des 19. Jahrhunderts", DateSpan("1867", "1899")),
    ("early 19th century", DateSpan("1800", "1833")),
    ("începutul secolului al XIX-lea", DateSpan("1800", "1833")),
    ("mijlocul secolului al XVIII-lea", DateSpan("1734", "1766")),
    ("sfârșitul sec. al XIX-lea", DateSpan("1867", "1899")),
    ("secolul al XIX-lea", DateSpan("1800", "1899")),
])
def test_qualified_display_dates_keep_their_qualifier(text, expected):
    assert parse_display_date(text) == expected


@pytest.mark.parametrize("span, label", [
    (DateSpan("1875", "1875", approximate=True), "1875~"),
    (DateSpan("1939", "1940", approximate=True), "1939~/1940~"),
    (DateSpan("1664", "1664", open_end=True), "1664/.."),
    (DateSpan("1700", "1700", open_begin=True), "../1700"),
    (DateSpan("1800", "1833"), "1800/1833"),
    (DateSpan("1875", "1875"), "1875"),
])
def test_time_span_label_is_edtf(span, label):
    assert span.label == label


@pytest.mark.parametrize("text, begin, end", [
    ("from 1850 to 1860", "1850", "1860"),
    ("ab 1850 bis 1860", "1850", "1860"),
])
def test_a_range_introduced_by_an_open_word_is_a_closed_range(text, begin, end):
    assert parse_display_date(text) == DateSpan(begin, end)


def test_a_date_word_that_is_not_a_year_is_not_an_open_interval():
    assert parse_display_date("ab und zu") is None
    assert parse_display_date("avant-guerre") is None


# -- the graph ----------------------------------------------------------------------------------------------------
def test_approximate_date_is_its_own_time_span_with_both_bounds_qualified():
    graph = map_lido(lido_record("<lido:displayDate>um 1875</lido:displayDate>"), context()).graph
    span = event_span(graph)
    assert span == URIRef(f"{BASE}/id/timespan/1875_1875_approximate")
    assert set(graph.predicate_objects(span)) == {
        (URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), EDM.TimeSpan),
        (SKOS.prefLabel, Literal("1875~")),
        (EDM.begin, Literal("1875", datatype=XSD.gYear)), (EDM.end, Literal("1875", datatype=XSD.gYear)),
        (P79, Literal("approximate")), (P80, Literal("approximate")),
    }


def test_exact_year_is_not_qualified():
    graph = map_lido(lido_record("<lido:displayDate>1875</lido:displayDate>"), context()).graph
    span = event_span(graph)
    assert span == URIRef(f"{BASE}/id/timespan/1875_1875")
    assert list(graph.objects(span, P79)) == [] and list(graph.objects(span, P80)) == []


def test_open_ended_date_has_a_begin_and_no_end():
    graph = map_lido(lido_record("<lido:displayDate>ab 1664</lido:displayDate>"), context()).graph
    span = event_span(graph)
    assert span == URIRef(f"{BASE}/id/timespan/1664_1664_after")
    assert list(graph.objects(span, EDM.begin)) == [Literal("1664", datatype=XSD.gYear)]
    assert list(graph.objects(span, EDM.end)) == []
    assert list(graph.objects(span, P80)) == [Literal("open")]
    assert list(graph.objects(span, P79)) == []
    assert list(graph.objects(span, SKOS.prefLabel)) == [Literal("1664/..")]


def test_date_before_has_an_end_and_no_begin():
    graph = map_lido(lido_record("<lido:displayDate>vor 1896</lido:displayDate>"), context()).graph
    span = event_span(graph)
    assert list(graph.objects(span, EDM.begin)) == []
    assert list(graph.objects(span, EDM.end)) == [Literal("1896", datatype=XSD.gYear)]
    assert list(graph.objects(span, P79)) == [Literal("open")]


def test_machine_bounds_stand_and_the_display_date_qualifies_them():
    graph = map_lido(lido_record("""<lido:displayDate>vers 1850</lido:displayDate>
        <lido:date><lido:earliestDate>1848</lido:earliestDate><lido:latestDate>1852</lido:latestDate></lido:date>"""),
        context()).graph
    span = event_span(graph)
    assert span == URIRef(f"{BASE}/id/timespan/1848_1852_approximate")
    assert list(graph.objects(span, EDM.end)) == [Literal("1852", datatype=XSD.gYear)]


def test_earliest_date_alone_with_an_open_display_date_has_no_end():
    graph = map_lido(lido_record("""<lido:displayDate>ab 1664</lido:displayDate>
        <lido:date><lido:earliestDate>1664</lido:earliestDate></lido:date>"""), context()).graph
    assert list(graph.objects(event_span(graph), EDM.end)) == []


def test_earliest_date_alone_without_a_qualifier_stays_one_year():
    graph = map_lido(lido_record("<lido:date><lido:earliestDate>1664</lido:earliestDate></lido:date>"),
                     context()).graph
    span = event_span(graph)
    assert list(graph.objects(span, EDM.end)) == [Literal("1664", datatype=XSD.gYear)]


def test_romanian_part_of_a_century_narrows_to_its_third():
    graph = map_lido(lido_record("<lido:displayDate>sfârșitul sec. al XIX-lea</lido:displayDate>"),
                     context()).graph
    span = event_span(graph)
    assert span == URIRef(f"{BASE}/id/timespan/1867_1899")
    assert list(graph.objects(span, EDM.begin)) == [Literal("1867", datatype=XSD.gYear)]


# -- actors: an evidence date is not a birth ---------------------------------------------------------------------
ACTOR = """<lido:eventActor><lido:actorInRole><lido:actor lido:type="Person">
  <lido:nameActorSet><lido:appellationValue>Meister der Tafeln</lido:appellationValue></lido:nameActorSet>
  <lido:vitalDatesActor>{dates}</lido:vitalDatesActor>
</lido:actor></lido:actorInRole></lido:eventActor>"""


def test_evidence_date_is_not_a_birth_date():
    actor = ACTOR.format(dates='<lido:earliestDate lido:type="evidenceDate">1664</lido:earliestDate>')
    graph = map_lido(lido_record("<lido:displayDate>1664</lido:displayDate>", actor), context()).graph
    agent = URIRef(f"{BASE}/id/agent/meister-der-tafeln")  # no birth year in its URI either
    assert list(graph.objects(agent, RDAGR2.dateOfBirth)) == []
    assert list(graph.objects(agent, DC.date)) == [Literal("1664")]


def test_typed_exact_vital_dates_are_birth_and_death():
    actor = ACTOR.format(dates='<lido:earliestDate lido:type="exactDate">1471-05-21</lido:earliestDate>'
                               '<lido:latestDate lido:type="exactDate">1528-04-06</lido:latestDate>')
    graph = map_lido(lido_record("<lido:displayDate>1500</lido:displayDate>", actor), context()).graph
    agent = URIRef(f"{BASE}/id/agent/meister-der-tafeln-1471")
    assert list(graph.objects(agent, RDAGR2.dateOfBirth)) == [Literal("1471-05-21", datatype=XSD.date)]
    assert list(graph.objects(agent, DC.date)) == []


def test_evidence_date_reaches_the_edm_agent():
    actor = ACTOR.format(dates='<lido:earliestDate lido:type="evidenceDate">1664</lido:earliestDate>')
    mapped = map_lido(lido_record("<lido:displayDate>1664</lido:displayDate>", actor), context())
    root = render_edm(mapped.graph, mapped.record_uri, render_context())
    agent = root.xpath("//edm:Agent", namespaces=NS)[0]
    assert agent.xpath("dc:date/text()", namespaces=NS) == ["1664"]
    assert agent.xpath("*[local-name()='dateOfBirth']", namespaces=NS) == []


# -- outputs ------------------------------------------------------------------------------------------------------
def test_edm_time_span_says_the_qualifier_in_its_label_and_leaves_the_open_end_out():
    mapped = map_lido(lido_record("<lido:displayDate>ab 1664</lido:displayDate>"), context())
    root = render_edm(mapped.graph, mapped.record_uri, render_context())
    span = root.xpath("//edm:TimeSpan", namespaces=NS)[0]
    assert span.get(f"{{{NS['rdf']}}}about") == f"{BASE}/id/timespan/1664_1664_after"
    assert span.xpath("skos:prefLabel/text()", namespaces=NS) == ["1664/.."]
    assert span.xpath("edm:begin/text()", namespaces=NS) == ["1664"]
    assert span.xpath("edm:end", namespaces=NS) == []


def test_lido_out_keeps_the_display_date_as_received_and_no_latest_date_for_an_open_end():
    mapped = map_lido(lido_record("<lido:displayDate>ab 1664</lido:displayDate>"), context())
    root = render_lido(mapped.graph, mapped.record_uri, render_context())
    date = root.xpath("//lido:eventDate", namespaces=NS)[0]
    assert date.xpath("lido:displayDate/text()", namespaces=NS) == ["ab 1664"]
    assert date.xpath("lido:date/lido:earliestDate/text()", namespaces=NS) == ["1664"]
    assert date.xpath("lido:date/lido:latestDate", namespaces=NS) == []


def test_lido_round_trip_keeps_the_qualifier():
    first = map_lido(lido_record("<lido:displayDate>um 1875</lido:displayDate>"), context())
    again = map_lido(etree.tostring(render_lido(first.graph, first.record_uri, render_context())), context())
    assert event_span(again.graph) == URIRef(f"{BASE}/id/timespan/1875_1875_approximate")


def test_oai_dc_date_is_the_source_text():
    mapped = map_lido(lido_record("<lido:displayDate>um 1875</lido:displayDate>"), context())
    root = render_oai_dc(mapped.graph, mapped.record_uri, render_context())
    assert root.xpath("dc:date/text()", namespaces=NS) == ["um 1875"]


# -- Joconde: the qualifier written after the year ----------------------------------------------------------------
def joconde_row(mill: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Numero_inventaire", "Denomination", "Titre", "Millesime_de_creation", "Code_Museofile"])
    writer.writerow(["2003.5.1", "vase", "Vase", mill, "M0634"])
    return buffer.getvalue().encode()


def test_joconde_millesime_after_is_open_ended():
    context_ = MappingContext("M0634", "La Piscine", URIS, load_vocabularies(BASE))
    graph = map_joconde_row(joconde_row("1875 après"), context_).graph
    event = URIRef(f"{URIS.object('M0634', '2003.5.1')}#event-1")
    span = graph.value(event, EDM.occurredAt)
    assert span == URIRef(f"{BASE}/id/timespan/1875_1875_after")
    assert list(graph.objects(span, EDM.end)) == []
    assert list(graph.objects(span, P80)) == [Literal("open")]


def test_evidence_date_goes_back_out_as_an_evidence_date_and_round_trips():
    actor = ACTOR.format(dates='<lido:earliestDate lido:type="evidenceDate">1664</lido:earliestDate>')
    first = map_lido(lido_record("<lido:displayDate>1664</lido:displayDate>", actor), context())
    root = render_lido(first.graph, first.record_uri, render_context())
    earliest = root.xpath("//lido:vitalDatesActor/lido:earliestDate", namespaces=NS)
    assert [(e.text, e.get("{http://www.lido-schema.org}type")) for e in earliest] == [("1664", "evidenceDate")]
    again = map_lido(etree.tostring(root), context())
    agent = URIRef(f"{BASE}/id/agent/meister-der-tafeln")
    assert list(again.graph.objects(agent, DC.date)) == [Literal("1664")]
    assert list(again.graph.objects(agent, RDAGR2.dateOfBirth)) == []


@pytest.mark.parametrize("display", ["ab 1664", "vor 1896", "um 1875"])
def test_outputs_with_qualified_dates_and_evidence_dates_are_valid_lido_and_pass_europeana(display):
    from schemas import EDM_XSD, assert_valid, europeana_errors
    actor = ACTOR.format(dates='<lido:earliestDate lido:type="evidenceDate">1664</lido:earliestDate>')
    mapped = map_lido(lido_record(f"<lido:displayDate>{display}</lido:displayDate>", actor), context())
    assert_valid("lido-1.1", render_lido(mapped.graph, mapped.record_uri, render_context()))
    edm = render_edm(mapped.graph, mapped.record_uri, render_context())
    own = etree.XMLSchema(etree.parse(str(EDM_XSD)))
    assert own.validate(edm), [e.message for e in own.error_log]
    assert europeana_errors(edm) == []


def test_a_date_with_only_an_end_is_filed_under_its_century():
    from musenor.catalogue.search import index_record
    mapped = map_lido(lido_record("<lido:displayDate>vor 1896</lido:displayDate>"), context())
    indexed = index_record("oai:musenor.fr:M0629:R-1", str(mapped.record_uri), mapped.graph.serialize(format="nt"))
    assert indexed.facets["period"] == ["century:19"]
    assert indexed.years == (1896, 1896)
