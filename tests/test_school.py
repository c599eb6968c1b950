"""The school or culture of a production (Joconde ECOL, LIDO culture) in the graph and in every output."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from rdflib import URIRef

from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.dialects.pop import map_pop_notice
from musenor.mappings.formats.joconde import joconde_fields
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.formats.oai_dc import render_oai_dc
from musenor.mappings.namespaces import MUSENOR
from schemas import assert_valid
from test_round_trip import assert_round_trip
from musenor.vocabularies import load_vocabularies

FIXTURES = Path(__file__).resolve().parent / "fixtures"
URIS = HubURIs("https://musenor.fr")
VOCABULARIES = load_vocabularies(URIS.base)
LILLE = MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, vocabularies=VOCABULARIES)
RENDER = RenderContext(URIS, museum_names={"M0629": "Palais des Beaux-Arts de Lille"}, vocabularies=VOCABULARIES)
LIDO = "http://www.lido-schema.org"
FLEMISH = URIRef("https://musenor.fr/vocab/ministry-ecol/ecole-flamande")
SPANISH = URIRef("https://musenor.fr/vocab/ministry-ecol/ecole-espagnole")


def lido_with_culture(term: str) -> bytes:
    """The Boilly record of Lille with its school said as lido:culture of the production, in German."""
    root = etree.parse(str(FIXTURES / "lido" / "lille-boilly-lido10.xml")).getroot()
    for classification in root.iter(f"{{{LIDO}}}classification"):
        if classification.get(f"{{{LIDO}}}type") == "école":
            classification.getparent().remove(classification)
    actor = next(root.iter(f"{{{LIDO}}}eventActor"))
    culture = etree.Element(f"{{{LIDO}}}culture")
    etree.SubElement(culture, f"{{{LIDO}}}term", {"{http://www.w3.org/XML/1998/namespace}lang": "de"}).text = term
    actor.addnext(culture)
    return etree.tostring(root)


def test_lido_culture_in_any_language_is_the_school_of_the_object_and_of_its_production():
    mapped = map_lido(lido_with_culture("flämische Schule"), LILLE)
    production = URIRef("https://musenor.fr/id/object/M0629/PBA-P-1187#event-1")
    assert set(mapped.graph.subjects(MUSENOR.culture, FLEMISH)) == {mapped.cho, production}


def test_the_school_goes_back_into_the_production_event_of_valid_lido():
    mapped = map_lido(lido_with_culture("flämische Schule"), LILLE)
    lido = render_lido(mapped.graph, mapped.record_uri, RENDER)
    assert_valid("lido-1.1", lido)
    [culture] = lido.iter(f"{{{LIDO}}}culture")
    assert etree.QName(culture.getparent()).localname == "event"
    assert [c.text for c in culture.iter(f"{{{LIDO}}}conceptID")] == [str(FLEMISH)]
    assert_round_trip(lido_with_culture("flämische Schule"))


def test_a_school_classification_reads_back_as_a_school_classification():
    raw = (FIXTURES / "lido" / "lille-boilly-lido10.xml").read_bytes()
    mapped = map_lido(raw, LILLE)
    lido = render_lido(mapped.graph, mapped.record_uri, RENDER)
    schools = [c for c in lido.iter(f"{{{LIDO}}}classification") if c.get(f"{{{LIDO}}}type") == "école"]
    assert [s.findtext(f"{{{LIDO}}}term") for s in schools] == ["école française"]
    assert list(lido.iter(f"{{{LIDO}}}culture")) == []


def pop_graph():
    notice = (FIXTURES / "joconde" / "pba-lille-ajout-pilote.txt").read_text(encoding="utf-8").split("//\n")[0]
    return map_pop_notice(notice.encode(), LILLE)  # ECOL "Espagne"


def test_joconde_school_named_by_its_country_is_the_spanish_school():
    mapped = pop_graph()
    assert (mapped.cho, MUSENOR.culture, SPANISH) in mapped.graph


def test_oai_dc_gives_the_school_as_a_contributor():
    mapped = pop_graph()
    dc = render_oai_dc(mapped.graph, mapped.record_uri, RENDER)
    contributors = [e.text for e in dc.iter("{http://purl.org/dc/elements/1.1/}contributor")]
    assert "école espagnole" in contributors


def test_the_joconde_export_gives_the_school_back_in_ecol_in_the_notices_own_word():
    mapped = pop_graph()  # issue 13: "Espagne" is kept beside the Spanish school, and is what the notice said
    assert joconde_fields(mapped.graph, mapped.record_uri, RENDER)["ECOL"] == "Espagne"
