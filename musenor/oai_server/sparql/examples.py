"""Example queries for this catalogue, shown on the query page (French titles first)."""

from __future__ import annotations

from dataclasses import dataclass

PROLOGUE = """PREFIX edm: <http://www.europeana.eu/schemas/edm/>
PREFIX ore: <http://www.openarchives.org/ore/terms/>
PREFIX dc: <http://purl.org/dc/elements/1.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX musenor: <https://w3id.org/musenor/ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@dataclass(frozen=True)
class Example:
    key: str
    title_fr: str
    title_en: str
    body: str

    def query(self, base: str) -> str:
        return PROLOGUE + self.body.replace("{base}", base)


EXAMPLES = (
    # The default graph is the union of the record graphs, each triple once (catalogue.graph), so counts
    # and joins need no DISTINCT; a label given in two languages is still two solutions: aggregate first,
    # join labels last.
    Example("works-per-museum", "Nombre d'œuvres par musée", "Works per museum", """
SELECT DISTINCT ?museum ?name ?works WHERE {
  { SELECT ?museum (COUNT(?cho) AS ?works) WHERE {
      ?record edm:aggregatedCHO ?cho ; edm:dataProvider ?museum .
    } GROUP BY ?museum }
  OPTIONAL { ?museum skos:prefLabel ?name }
}
ORDER BY DESC(?works) ?museum"""),
    Example("works-by-creator", "Œuvres d'un créateur", "Works by a creator", """
SELECT DISTINCT ?cho ?title ?creatorName WHERE {
  { SELECT DISTINCT ?creator ?creatorName WHERE {
      ?creator skos:prefLabel ?creatorName .
      FILTER (CONTAINS(LCASE(STR(?creatorName)), "corot"))
    } }
  ?cho dc:creator ?creator ; dc:title ?title .
}
ORDER BY ?title
LIMIT 100"""),
    Example("works-of-a-period", "Œuvres d'une période (1800-1899)", "Works of a period (1800-1899)", """
SELECT DISTINCT ?cho ?title ?begin WHERE {
  { SELECT DISTINCT ?span ?begin WHERE {
      ?span edm:begin ?begin .
      FILTER (xsd:integer(SUBSTR(STR(?begin), 1, 4)) >= 1800 && xsd:integer(SUBSTR(STR(?begin), 1, 4)) <= 1899)
    } }
  ?cho dcterms:temporal ?span ; dc:title ?title .
}
ORDER BY ?begin ?cho
LIMIT 100"""),
    Example("objects-of-a-material", "Objets d'un matériau", "Objects made of a material", """
SELECT ?material ?label (COUNT(?cho) AS ?objects) WHERE {
  ?cho a edm:ProvidedCHO ; dcterms:medium ?material .
  OPTIONAL { ?material skos:prefLabel ?label FILTER (LANG(?label) = "fr") }
}
GROUP BY ?material ?label
ORDER BY DESC(?objects)
LIMIT 50"""),
    Example("works-with-images", "Œuvres avec image", "Works with images", """
SELECT ?cho ?title ?image WHERE {
  ?record edm:aggregatedCHO ?cho ; edm:isShownBy ?image .
  ?cho dc:title ?title .
}
LIMIT 100"""),
    Example("works-without-rights", "Œuvres sans statut de droits", "Works without a rights statement", """
SELECT ?record ?cho ?title WHERE {
  ?record edm:aggregatedCHO ?cho .
  OPTIONAL { ?cho dc:title ?title }
  OPTIONAL { ?record edm:rights ?rights }
  # no statement at all, or the explicit "copyright undetermined" marker (docs/profile.md)
  FILTER (!BOUND(?rights) || ?rights = <http://rightsstatements.org/vocab/UND/1.0/>)
}
LIMIT 100"""),
)

EXAMPLES_BY_KEY = {e.key: e for e in EXAMPLES}
