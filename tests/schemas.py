"""The official schemas in ../shared/xsd, compiled once per test session.

Tests that validate against them skip with a reason where ../shared is absent; the project's own lighter
checks run regardless.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from lxml import etree

SHARED = Path(__file__).resolve().parents[2] / "shared"
XSD = SHARED / "xsd"
DATA = SHARED / "data"

# Our own schema for the EDM RDF/XML we disseminate (Europeana's is not shipped in ../shared).
EDM_XSD = Path(__file__).resolve().parents[1] / "musenor" / "mappings" / "formats" / "schemas" / "edm.xsd"


def require_shared(relative: str = "") -> Path:
    """../shared/<relative>, or skip the test saying why."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared real data and official schemas are not beside this checkout")
    return path


@functools.cache
def _compile(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def schema(name: str) -> etree.XMLSchema:
    """'lido-1.0', 'lido-1.1', 'oai_dc', 'oai-identifier', or 'oai-pmh' (OAI-PMH.xsd with every payload schema
    in scope, as its strict wildcards need: oai_dc, oai-identifier, provenance, LIDO 1.1 and our EDM)."""
    files = {
        "lido-1.0": XSD / "lido" / "lido-v1.0.xsd",
        "lido-1.1": XSD / "lido" / "lido-v1.1.xsd",
        "oai_dc": XSD / "oai" / "oai_dc.xsd",
        "oai-identifier": XSD / "oai" / "oai-identifier.xsd",
    }
    require_shared("xsd")
    if name in files:
        return _compile(str(files[name]))
    if name == "oai-pmh":
        return _compile(str(_oai_wrapper()))
    raise KeyError(name)


@functools.cache
def _oai_wrapper() -> Path:
    imports = [
        ("http://www.openarchives.org/OAI/2.0/", XSD / "oai" / "OAI-PMH.xsd"),
        ("http://www.openarchives.org/OAI/2.0/oai_dc/", XSD / "oai" / "oai_dc.xsd"),
        ("http://www.openarchives.org/OAI/2.0/oai-identifier", XSD / "oai" / "oai-identifier.xsd"),
        ("http://www.openarchives.org/OAI/2.0/provenance", XSD / "oai" / "provenance.xsd"),
        ("http://www.lido-schema.org", XSD / "lido" / "lido-v1.1.xsd"),
    ]
    if EDM_XSD.exists():
        # first: libxml2 keeps the first schema it meets for a namespace, and EDM's dc properties take
        # rdf:resource, which simpledc (imported by oai_dc.xsd) forbids; our dc.xsd is a superset of it
        imports.insert(0, ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", EDM_XSD))
    body = "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports)
    wrapper = Path(__import__("tempfile").mkdtemp(prefix="musenor-xsd-")) / "oai-wrapper.xsd"
    wrapper.write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + body + "</xs:schema>")
    return wrapper


def assert_valid(schema_name: str, document: bytes | etree._Element) -> None:
    """Validate and fail with every schema error listed."""
    tree = etree.fromstring(document) if isinstance(document, bytes) else document
    xsd = schema(schema_name)
    if not xsd.validate(tree):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in xsd.error_log)
        raise AssertionError(f"not valid against {schema_name}:\n{errors}")


# -- Europeana's own EDM schema and the schematron its ingestion (Metis) runs ---------------------------------------
EUROPEANA_EDM = XSD / "edm"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def europeana_edm() -> etree.XMLSchema:
    """Europeana's EDM.xsd (EDM external, with its imports), or skip saying why."""
    require_shared("xsd/edm/EDM.xsd")
    return _compile(str(EUROPEANA_EDM / "EDM.xsd"))


@functools.cache
def _schematron() -> tuple:
    saxonche = pytest.importorskip("saxonche", reason="saxonche (test extras) runs Europeana's XSLT 2 schematron")
    processor = saxonche.PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(EUROPEANA_EDM / "schematron" / "schematron.xsl"))
    return processor, executable


def schematron_failures(document: etree._Element) -> list[str]:
    """The failed assertions of Europeana's schematron on an EDM document (svrl:failed-assert texts)."""
    require_shared("xsd/edm/schematron/schematron.xsl")
    processor, executable = _schematron()
    node = processor.parse_xml(xml_text=etree.tostring(document, encoding="unicode"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
    return [" ".join("".join(f.itertext()).split()) for f in report.iter(f"{SVRL}failed-assert")]


def europeana_errors(document: etree._Element) -> list[str]:
    """What Europeana's ingestion would refuse in an EDM document: EDM.xsd errors, then schematron failures."""
    xsd = europeana_edm()
    errors = [] if xsd.validate(document) else [f"EDM.xsd line {e.line}: {e.message}" for e in xsd.error_log]
    return errors + [f"schematron: {text}" for text in schematron_failures(document)]
