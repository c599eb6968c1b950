"""Whatever text a museum sends, every XML output stays well-formed and schema-valid, and Linked Art stays JSON."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree
from rdflib import Graph, Literal, URIRef

from musenor.mappings import HubURIs, RenderContext
from musenor.mappings.formats.edm import render_edm
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.formats.linked_art import render_linked_art
from musenor.mappings.formats.oai_dc import render_oai_dc
from musenor.mappings.namespaces import DC, DCTERMS, EDM, MUSENOR, ORE, RDF, SKOS
from schemas import EDM_XSD, XSD as SHARED_XSD, schema

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
CONTEXT = RenderContext(HubURIs("https://musenor.fr"))
EDM_SCHEMA = etree.XMLSchema(etree.parse(str(EDM_XSD)))
BASE = Graph().parse(FIXTURES / "print.ttl")
RECORD = next(BASE.subjects(RDF.type, ORE.Aggregation))
CHO = BASE.value(RECORD, EDM.aggregatedCHO)
AGENT = URIRef("https://musenor.fr/id/agent/vorsterman-lucas-1595")

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=()), max_size=40) | \
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=40)
languages = st.sampled_from([None, "fr", "en", "nl", "de", "fr-BE", "la"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, description=texts, name=texts, extent=texts, subject=texts, lang=languages)
def test_any_text_gives_valid_documents(title, description, name, extent, subject, lang):
    graph = Graph()
    for triple in BASE:
        graph.add(triple)
    graph.set((CHO, DC.title, Literal(title, lang=lang)))
    graph.add((CHO, DC.description, Literal(description, lang=lang)))
    graph.set((AGENT, SKOS.prefLabel, Literal(name, lang=lang)))
    graph.set((CHO, DCTERMS.extent, Literal(extent)))
    graph.add((CHO, DC.subject, Literal(subject, lang=lang)))
    graph.add((CHO, MUSENOR.classification, Literal(subject)))

    for render in (render_oai_dc, render_lido, render_edm):
        root = render(graph, RECORD, CONTEXT)
        etree.fromstring(etree.tostring(root))  # well-formed: no character XML 1.0 forbids
    assert EDM_SCHEMA.validate(render_edm(graph, RECORD, CONTEXT)), EDM_SCHEMA.error_log
    if SHARED_XSD.exists():
        lido = schema("lido-1.1")
        assert lido.validate(render_lido(graph, RECORD, CONTEXT)), lido.error_log
        dc = schema("oai_dc")
        assert dc.validate(render_oai_dc(graph, RECORD, CONTEXT)), dc.error_log
    json.loads(render_linked_art(graph, RECORD, CONTEXT).decode("utf-8"))
