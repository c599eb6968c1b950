"""The dataset as data: VoID and DCAT(-AP) descriptions whose every URI answers.

URIs minted here, each answering HTML and RDF by content negotiation (``musenor.oai_server.linked_data.negotiate``):

- ``/id/dataset`` — the union catalogue as a ``void:Dataset`` / ``dcat:Dataset``: licence, publisher,
  ``dcterms:modified`` from the last publish, triple and entity counts, example resources, dump and SPARQL
  endpoint links, vocabularies used, and one subset per museum;
- ``/id/dataset/{code}`` — a museum's subset, with its own counts, date and examples;
- ``/id/catalog`` — the DCAT-AP catalogue entry that data portals harvest (data.gouv.fr reads DCAT);
- ``/id/museum`` — the member museums (the dataset's root resources);
- ``/.well-known/void`` (RFC 8615 well-known URI of VoID, section 7.2) and ``/void`` — the description document.

Counts are computed once per publish, beside the dumps and from the same graph state (``DatasetStatistics``,
written by the dump writer into ``dumps/statistics.json``), never on a request.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, VOID, XSD

from musenor.mappings.namespaces import EDM, bind_prefixes
from musenor.oai_server import current_config
from musenor.oai_server.dataset_statistics import StatisticsFile
from musenor.oai_server.linked_data import (NotAcceptable, graph_response, negotiate, not_acceptable, resource_page,
                                    see_other)

blueprint = Blueprint("dataset", __name__)

# The licence of the catalogue's metadata. CC0, because Europeana's Data Exchange Agreement requires CC0
# for the metadata the hub republishes to it; an operator can set another (``MUSENOR_DATA_LICENCE``).
# Images and media keep each record's own edm:rights.
DEFAULT_DATA_LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"
VOCABULARIES = ("http://www.europeana.eu/schemas/edm/", "http://purl.org/dc/elements/1.1/",
                "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#",
                "http://www.openarchives.org/ore/terms/", "http://xmlns.com/foaf/0.1/",
                "http://rdvocab.info/ElementsGr2/", "http://www.w3.org/2003/01/geo/wgs84_pos#",
                "https://w3id.org/musenor/ns#")
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
DUMP_MEDIA = {"musenor.nt.gz": "application/n-triples", "musenor.ttl.gz": "text/turtle"}
DCAT_AP = URIRef("http://data.europa.eu/r5r/")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
DUMP_FILE_TYPE = {"musenor.nt.gz": "RDF_N_TRIPLES", "musenor.ttl.gz": "RDF_TURTLE"}
LANGUAGE_FR = URIRef("http://publications.europa.eu/resource/authority/language/FRA")
VCARD = "http://www.w3.org/2006/vcard/ns#"


def statistics_file(app: Any) -> StatisticsFile:
    """The statistics the dump writer keeps for the description (``musenor.oai_server.linked_data.init_app``)."""
    return app.extensions["musenor.dataset_statistics"]


# -- the description ------------------------------------------------------------------------------------

def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _datetime(datestamp: str) -> Literal:
    return Literal(datestamp, datatype=XSD.dateTime)


def description() -> Graph:
    """The VoID and DCAT description of the dataset, its subsets, distributions and catalogue."""
    config = current_config()
    base = config.base_uri
    statistics = statistics_file(current_app).read()
    licence = URIRef(str(current_app.config.get("DATA_LICENCE") or DEFAULT_DATA_LICENCE))
    dataset, catalog = URIRef(f"{base}/id/dataset"), URIRef(f"{base}/id/catalog")
    publisher, document = URIRef(f"{base}/id/publisher"), URIRef(f"{base}/.well-known/void")
    sparql = URIRef(f"{base}/sparql")
    graph = Graph()
    bind_prefixes(graph)
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("vcard", VCARD)):
        graph.bind(prefix, namespace)
    add = graph.add

    add((document, RDF.type, VOID.DatasetDescription))
    add((document, DCTERMS.title, Literal(f"Description VoID de {config.repository_name}", lang="fr")))
    add((document, FOAF.primaryTopic, dataset))

    add((catalog, RDF.type, DCAT.Catalog))
    add((catalog, DCTERMS.conformsTo, DCAT_AP))
    add((catalog, DCTERMS.title, Literal(config.repository_name, lang="fr")))
    add((catalog, DCTERMS.description, Literal(
        f"Catalogue des jeux de données de {config.repository_name} : le catalogue collectif et un sous-ensemble "
        "par musée membre.", lang="fr")))
    add((catalog, DCTERMS.publisher, publisher))
    add((catalog, DCTERMS.language, LANGUAGE_FR))
    add((catalog, DCTERMS.license, licence))
    add((catalog, FOAF.homepage, URIRef(f"{base}/")))
    add((catalog, DCAT.dataset, dataset))
    add((catalog, DCAT.service, sparql))

    # DCAT-AP wants the publisher as an agent with a name, and a contact point as a vCard.
    add((publisher, RDF.type, FOAF.Agent))
    add((publisher, FOAF.name, Literal(config.repository_name)))
    add((publisher, FOAF.mbox, URIRef(f"mailto:{config.admin_email}")))
    contact = BNode("contact")
    add((contact, RDF.type, URIRef(VCARD + "Organization")))
    add((contact, URIRef(VCARD + "fn"), Literal(config.repository_name)))
    add((contact, URIRef(VCARD + "hasEmail"), URIRef(f"mailto:{config.admin_email}")))

    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal(config.repository_name, lang="fr")))
    add((dataset, DCTERMS.description, Literal(
        "Catalogue collectif des musées du Nord-Pas-de-Calais : notices d'œuvres moissonnées auprès de chaque "
        "musée membre, au modèle EDM.", lang="fr")))
    add((dataset, DCTERMS.description, Literal(
        "Union catalogue of the museums of Nord-Pas-de-Calais: object records harvested from each member "
        "museum, in the Europeana Data Model.", lang="en")))
    add((dataset, DCTERMS.publisher, publisher))
    add((dataset, DCTERMS.license, licence))
    add((dataset, DCTERMS.language, LANGUAGE_FR))
    add((dataset, DCAT.contactPoint, contact))
    add((dataset, DCAT.landingPage, URIRef(f"{base}/")))
    for keyword in ("musées", "patrimoine", "collections", "Nord-Pas-de-Calais"):
        add((dataset, DCAT.keyword, Literal(keyword, lang="fr")))
    add((dataset, VOID.sparqlEndpoint, sparql))
    add((dataset, VOID.uriSpace, Literal(f"{base}/id/")))
    add((dataset, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Triples")))
    add((dataset, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    for namespace in VOCABULARIES:
        add((dataset, VOID.vocabulary, URIRef(namespace)))
    if statistics is not None:
        add((dataset, VOID.triples, _integer(statistics.triples)))
        add((dataset, VOID.entities, _integer(statistics.entities)))
        if statistics.modified:
            add((dataset, DCTERMS.modified, _datetime(statistics.modified)))
    for name, media in DUMP_MEDIA.items():
        url = URIRef(f"{base}/dumps/{name}")
        add((dataset, VOID.dataDump, url))
        add((dataset, DCAT.distribution, url))
        add((url, RDF.type, DCAT.Distribution))
        add((url, DCTERMS.title, Literal(f"{name} (gzip)")))
        add((url, DCAT.accessURL, URIRef(f"{base}/dumps/")))
        add((url, DCAT.downloadURL, url))
        add((url, DCAT.mediaType, URIRef(MEDIA_TYPES + media)))
        add((url, DCTERMS.format, URIRef(FILE_TYPE + DUMP_FILE_TYPE[name])))
        add((url, DCAT.compressFormat, URIRef(MEDIA_TYPES + "application/gzip")))
        add((url, DCTERMS.license, licence))
    add((dataset, DCAT.distribution, URIRef(f"{sparql}#distribution")))
    add((URIRef(f"{sparql}#distribution"), RDF.type, DCAT.Distribution))
    add((URIRef(f"{sparql}#distribution"), DCAT.accessURL, sparql))
    add((URIRef(f"{sparql}#distribution"), DCAT.accessService, sparql))
    add((URIRef(f"{sparql}#distribution"), DCTERMS.license, licence))
    add((sparql, RDF.type, DCAT.DataService))
    add((sparql, DCTERMS.title, Literal("SPARQL 1.1", lang="en")))
    add((sparql, DCAT.endpointURL, sparql))
    add((sparql, DCAT.endpointDescription, sparql))
    add((sparql, DCAT.servesDataset, dataset))
    add((sparql, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((sparql, DCTERMS.license, licence))

    for code, museum in sorted(config.museums.items()):
        subset = URIRef(f"{base}/id/dataset/{code}")
        museum_uri = URIRef(f"{base}/id/museum/{code}")
        add((dataset, VOID.subset, subset))
        add((dataset, VOID.rootResource, museum_uri))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, RDF.type, DCAT.Dataset))
        add((subset, DCTERMS.isPartOf, dataset))
        add((subset, DCTERMS.title, Literal(museum.name, lang="fr")))
        add((subset, DCTERMS.description, Literal(f"Les notices du musée {museum.name} ({museum.city}) dans "
                                                  f"{config.repository_name}.", lang="fr")))
        add((subset, DCTERMS.source, museum_uri))
        add((subset, DCTERMS.publisher, publisher))
        add((subset, DCTERMS.license, licence))
        add((subset, VOID.sparqlEndpoint, sparql))
        add((subset, VOID.uriSpace, Literal(f"{base}/id/object/{code}/")))
        add((subset, DCAT.landingPage, URIRef(f"{base}/musees/{code}")))
        add((subset, RDFS.seeAlso, URIRef(f"{base}/oai?verb=ListRecords&metadataPrefix=edm&set=museum:{code}")))
        found = statistics.museums.get(code) if statistics is not None else None
        if found is not None:
            add((subset, VOID.triples, _integer(found.triples)))
            add((subset, VOID.entities, _integer(found.entities)))
            if found.modified:
                add((subset, DCTERMS.modified, _datetime(found.modified)))
            for example in found.examples:
                add((subset, VOID.exampleResource, URIRef(example)))
                add((dataset, VOID.exampleResource, URIRef(example)))
    return graph


def _answer(uri: str, graph: Graph, kind: str) -> Response:
    try:
        fmt = negotiate()
    except NotAcceptable as exc:
        return not_acceptable(exc)
    if fmt == "html":
        return resource_page(graph, uri, kind)
    return graph_response(graph, fmt)


def void() -> Response:
    """The description document, answered at ``/.well-known/void`` by ``musenor.oai_server.linked_data.void``."""
    return _answer(f"{current_config().base_uri}/id/dataset", description(), "dataset")


@blueprint.route("/id/dataset")
def dataset() -> Response:
    return _answer(f"{current_config().base_uri}/id/dataset", description(), "dataset")


@blueprint.route("/id/catalog")
def catalog() -> Response:
    return _answer(f"{current_config().base_uri}/id/catalog", description(), "catalog")


@blueprint.route("/id/publisher")
def publisher() -> Response:
    return _answer(f"{current_config().base_uri}/id/publisher", description(), "publisher")


@blueprint.route("/id/dataset/<code>")
def subset(code: str) -> Response:
    config = current_config()
    if code not in config.museums:
        abort(404)
    uri = URIRef(f"{config.base_uri}/id/dataset/{code}")
    whole = description()
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    for triple in whole.triples((uri, None, None)):
        graph.add(triple)
    graph.add((URIRef(f"{config.base_uri}/id/dataset"), VOID.subset, uri))
    return _answer(str(uri), graph, "dataset")


@blueprint.route("/id/museum")
def museums() -> Response:
    config = current_config()
    try:
        fmt = negotiate()
    except NotAcceptable as exc:
        return not_acceptable(exc)
    if fmt == "html":
        return see_other(url_for("pages.museums"))
    graph = Graph()
    bind_prefixes(graph)
    collection = URIRef(f"{config.base_uri}/id/museum")
    graph.add((collection, RDF.type, SKOS.Collection))
    graph.add((collection, RDFS.label, Literal(f"Les musées membres de {config.repository_name}", lang="fr")))
    for code, museum in sorted(config.museums.items()):
        uri = URIRef(f"{config.base_uri}/id/museum/{code}")
        graph.add((collection, SKOS.member, uri))
        graph.add((uri, RDF.type, EDM.Agent))
        graph.add((uri, RDF.type, FOAF.Organization))
        graph.add((uri, SKOS.prefLabel, Literal(museum.name, lang="fr")))
    return graph_response(graph, fmt)
