"""Mappings: each museum dialect into the one graph of docs/profile.md, and the graph out to each format.

Pure functions only: bytes or parsed elements in, triples out, and back. No I/O here.
"""

from musenor.mappings.base import MappedRecord, MappingContext, MappingError, RenderContext
from musenor.mappings.registry import (DIALECTS, FORMATS, Dialect, OutputFormat, get_dialect, get_format, oai_formats,
                               register_dialect, register_format)
from musenor.mappings.uris import HubURIs

__all__ = ["DIALECTS", "FORMATS", "Dialect", "HubURIs", "MappedRecord", "MappingContext", "MappingError",
           "OutputFormat", "RenderContext", "get_dialect", "get_format", "oai_formats", "register_dialect", "register_format"]

# The registrations. One line per dialect or format.
register_dialect(Dialect("lido", "musenor.mappings.dialects.lido:map_lido", "application/xml",
                         "LIDO 1.0 and 1.1 (lido:lido element)"))
register_dialect(Dialect("oai_dc", "musenor.mappings.dialects.oai_dc:map_oai_dc", "application/xml",
                         "Simple Dublin Core (oai_dc:dc element)"))
register_dialect(Dialect("joconde-csv", "musenor.mappings.dialects.joconde_csv:map_joconde_row", "text/csv",
                         "Joconde-style CSV row with named columns (column map in config)"))
register_dialect(Dialect("pop", "musenor.mappings.dialects.pop:map_pop_notice", "text/plain",
                         "POP / Joconde notice with field codes (REF, INV, DENO, TITR...)"))

register_format(OutputFormat("oai_dc", "musenor.mappings.formats.oai_dc:render_oai_dc", "application/xml",
                             metadata_prefix="oai_dc", namespace="http://www.openarchives.org/OAI/2.0/oai_dc/",
                             schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                             description="Simple Dublin Core"))
register_format(OutputFormat("lido", "musenor.mappings.formats.lido:render_lido", "application/xml",
                             metadata_prefix="lido", namespace="http://www.lido-schema.org",
                             schema="http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd",
                             description="LIDO 1.1"))
register_format(OutputFormat("edm", "musenor.mappings.formats.edm:render_edm", "application/rdf+xml",
                             metadata_prefix="edm", namespace="http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                             schema="http://www.europeana.eu/schemas/edm/EDM.xsd",
                             description="Europeana Data Model, RDF/XML"))
register_format(OutputFormat("linked-art", "musenor.mappings.formats.linked_art:render_linked_art",
                             'application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"',
                             kind="bytes", description="Linked Art JSON-LD (CIDOC-CRM)"))
register_format(OutputFormat("joconde", "musenor.mappings.formats.joconde:render_joconde_row", "text/csv",
                             kind="bytes", description="POP / Joconde CSV row (field codes as headers)"))
