"""The SPARQL 1.1 Service Description of ``/sparql`` (W3C SPARQL 1.1 Service Description, section 2).

What an agent asks an endpoint first, by dereferencing it for RDF without a query (section 2: "a service
description should be returned when the endpoint is accessed without a query"): the language, the
result formats (W3C format URIs, http://www.w3.org/ns/formats/), the features, the default dataset and
its named graphs. The time limit and the row cap are described as features of this endpoint, with their
values, so a client can plan its queries.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from musenor.mappings.namespaces import MUSENOR, bind_prefixes

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

# The formats the endpoint writes (oai_server.sparql.results and worker), by their W3C format URIs.
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(base_uri: str, *, timeout_seconds: float, max_rows: int,
                        named_graphs: list[str]) -> Graph:
    """The description of the endpoint at ``{base_uri}/sparql``; ``named_graphs`` are the vocabulary graphs
    (every record is a named graph too, described as a collection rather than listed one by one)."""
    endpoint = URIRef(f"{base_uri}/sparql")
    dataset = URIRef(f"{base_uri}/id/dataset")
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    add = graph.add

    add((endpoint, RDF.type, SD.Service))
    add((endpoint, SD.endpoint, endpoint))
    add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        add((endpoint, SD.resultFormat, FORMATS[name]))
    # The default graph is the union of the named graphs, each triple once (catalogue.graph).
    add((endpoint, SD.feature, SD.UnionDefaultGraph))

    time_limit = URIRef(f"{base_uri}/sparql#time-limit")
    add((endpoint, SD.feature, time_limit))
    add((time_limit, RDF.type, SD.Feature))
    add((time_limit, RDFS.label, Literal("Time limit", lang="en")))
    add((time_limit, RDFS.comment, Literal(
        f"A query runs at most {timeout_seconds:g} seconds; past that it is stopped and answered 503.", lang="en")))
    add((time_limit, MUSENOR.timeLimitSeconds, Literal(timeout_seconds, datatype=XSD.decimal)))
    row_cap = URIRef(f"{base_uri}/sparql#row-cap")
    add((endpoint, SD.feature, row_cap))
    add((row_cap, RDF.type, SD.Feature))
    add((row_cap, RDFS.label, Literal("Row cap", lang="en")))
    add((row_cap, RDFS.comment, Literal(
        f"An answer holds at most {max_rows} rows or triples; the header Musenor-Truncated: true says when the "
        "cap cut it.", lang="en")))
    add((row_cap, MUSENOR.maxRows, Literal(max_rows, datatype=XSD.integer)))
    read_only = URIRef(f"{base_uri}/sparql#read-only")
    add((endpoint, SD.feature, read_only))
    add((read_only, RDF.type, SD.Feature))
    add((read_only, RDFS.comment, Literal(
        "Read-only: SPARQL Update, LOAD and SERVICE are refused with 400.", lang="en")))

    default_dataset = URIRef(f"{base_uri}/sparql#dataset")
    default_graph = URIRef(f"{base_uri}/sparql#default-graph")
    add((endpoint, SD.defaultDataset, default_dataset))
    add((default_dataset, RDF.type, SD.Dataset))
    add((default_dataset, DCTERMS.source, dataset))
    add((default_dataset, SD.defaultGraph, default_graph))
    add((default_graph, RDF.type, SD.Graph))
    add((default_graph, RDFS.comment, Literal(
        "The union of every record graph and vocabulary graph, each triple once.", lang="en")))
    add((default_graph, DCTERMS.source, dataset))
    for name in sorted(named_graphs):
        named = BNode()
        add((default_dataset, SD.namedGraph, named))
        add((named, RDF.type, SD.NamedGraph))
        add((named, SD.name, URIRef(name)))
    # Every record is a named graph whose name is the record URI; there are too many to list.
    records = URIRef(f"{base_uri}/sparql#record-graphs")
    add((endpoint, SD.availableGraphs, records))
    add((records, RDF.type, SD.GraphCollection))
    add((records, RDFS.comment, Literal(
        f"Each record is a named graph named by its record URI ({base_uri}/id/record/<museum>/<local id>); "
        "GRAPH ?record { ... } reaches one record.", lang="en")))
    return graph
