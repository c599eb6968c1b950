"""The profile's namespaces for the renderers, each term made once.

rdflib's ``Namespace`` builds a new URIRef on every attribute access (``DC.title``), and the OAI server renders
every record of a page on each request: tens of thousands of lookups a page. These wrappers make a term on first
use and keep it as a plain attribute.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from musenor.mappings import namespaces


class Terms:
    """A namespace whose terms are attributes made on first use."""

    def __init__(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __str__(self) -> str:
        return str(self._namespace)


DC = Terms(namespaces.DC)
DCTERMS = Terms(namespaces.DCTERMS)
EDM = Terms(namespaces.EDM)
FOAF = Terms(namespaces.FOAF)
MUSENOR = Terms(namespaces.MUSENOR)
ORE = Terms(namespaces.ORE)
OWL = Terms(namespaces.OWL)
PROV = Terms(namespaces.PROV)
RDAGR2 = Terms(namespaces.RDAGR2)
RDF = Terms(namespaces.RDF)
SKOS = Terms(namespaces.SKOS)
WGS84 = Terms(namespaces.WGS84)
