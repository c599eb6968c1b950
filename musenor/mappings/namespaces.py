"""The RDF namespaces of the application profile (docs/profile.md)."""

from rdflib import Namespace
from rdflib.namespace import DC, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

EDM = Namespace("http://www.europeana.eu/schemas/edm/")
ORE = Namespace("http://www.openarchives.org/ore/terms/")
RDAGR2 = Namespace("http://rdvocab.info/ElementsGr2/")
WGS84 = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
MUSENOR = Namespace("https://w3id.org/musenor/ns#")

PREFIXES = {
    "edm": EDM, "ore": ORE, "dc": DC, "dcterms": DCTERMS, "skos": SKOS, "prov": PROV, "rdaGr2": RDAGR2,
    "wgs84_pos": WGS84, "foaf": FOAF, "owl": OWL, "crm": CRM, "musenor": MUSENOR, "rdf": RDF, "rdfs": RDFS,
    "xsd": XSD,
}

__all__ = ["CRM", "DC", "DCTERMS", "EDM", "FOAF", "MUSENOR", "ORE", "OWL", "PREFIXES", "PROV", "RDAGR2", "RDF",
           "RDFS", "SKOS", "WGS84", "XSD"]


def bind_prefixes(graph) -> None:  # type: ignore[no-untyped-def]
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
