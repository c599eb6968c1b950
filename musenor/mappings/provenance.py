"""PROV-O statements about one published version of a record (docs/profile.md, "Provenance")."""

from __future__ import annotations

from rdflib import Literal, URIRef

from musenor.mappings.namespaces import DCTERMS, MUSENOR, PROV, RDF, XSD
from musenor.mappings.triples import RecordTriples
from musenor.mappings.uris import HubURIs


def provenance_graph(uris: HubURIs, *, museum: str, local_id: str, run_id: int, run_started: str,
                     generated_at: str, source_url: str | None, raw_media_type: str,
                     mapping_version: str) -> RecordTriples:
    """Which museum, which harvest run, when, and from which raw record this version was made.

    ``run_started`` and ``generated_at`` are OAI-style UTC datestamps (``2026-11-28T10:00:00Z``).
    """
    graph = RecordTriples()
    record = uris.record(museum, local_id)
    run = uris.harvest_run(run_id)
    raw = uris.raw(museum, local_id)
    graph.add((record, PROV.wasGeneratedBy, run))
    graph.add((record, PROV.wasDerivedFrom, raw))
    graph.add((record, PROV.generatedAtTime, Literal(generated_at, datatype=XSD.dateTime)))
    graph.add((record, MUSENOR.mappingVersion, Literal(mapping_version)))
    graph.add((run, RDF.type, PROV.Activity))
    graph.add((run, PROV.startedAtTime, Literal(run_started, datatype=XSD.dateTime)))
    graph.add((run, PROV.wasAssociatedWith, uris.museum(museum)))
    graph.add((raw, RDF.type, PROV.Entity))
    graph.add((raw, DCTERMS.format, Literal(raw_media_type)))
    if source_url:
        graph.add((run, PROV.used, URIRef(source_url)))
        graph.add((raw, DCTERMS.source, URIRef(source_url)))
    return graph
