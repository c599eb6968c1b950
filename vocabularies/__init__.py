"""SKOS vocabularies shipped with the hub (one Turtle file each) and the term normaliser.

Public API (used by mappings, the harvester and the servers):
- ``load_vocabularies(base_uri) -> Vocabularies``: every ``*.ttl`` here, parsed with ``{base_uri}/vocab/`` as
  base, with ``match(scheme, term_or_uri, lang=None) -> URIRef | None``, ``label(uri, lang) -> str | None``
  and ``exact_matches(uri) -> list[URIRef]``;
- ``static_graphs(base_uri) -> {graph URI: (Turtle bytes, "text/turtle")}``: the files for the graph store.
"""
