"""SPARQL results written as they are read, up to a row cap: JSON, XML, CSV and TSV.

pyoxigraph serialises whole result sets; the endpoint must stop at its row cap, so the four SPARQL 1.1
results formats are written here from the first ``cap`` solutions (formats: SPARQL 1.1 Query Results JSON,
XML, CSV and TSV). Terms are pyoxigraph terms; ``None`` is an unbound variable.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

RESULTS_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        found: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            found["datatype"] = term.datatype.value
        return found
    if isinstance(term, pyoxigraph.Triple):  # SPARQL-star
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    return {"type": "literal", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, pyoxigraph.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    return f"<literal>{escape(str(term))}</literal>"


def _csv_field(term: Any) -> str:
    # SPARQL 1.1 CSV: IRIs and literals as their plain strings, blank nodes as _:label; RFC 4180 quoting.
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, (pyoxigraph.NamedNode, pyoxigraph.Literal)):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """A SELECT result in ``fmt`` (json, xml, csv, tsv); ``rows`` are already capped."""
    out = io.StringIO()
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        json.dump({"head": {"vars": list(variables)}, "results": {"bindings": bindings}}, out,
                  ensure_ascii=False)
    elif fmt == "xml":
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n<head>')
        out.writelines(f"<variable name={quoteattr(v)}/>" for v in variables)
        out.write("</head>\n<results>\n")
        for row in rows:
            out.write("<result>")
            out.writelines(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                           for v, t in zip(variables, row) if t is not None)
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
    elif fmt == "csv":
        out.write(",".join(_csv_field(pyoxigraph.Literal(v)) for v in variables) + "\r\n")
        for row in rows:
            out.write(",".join(_csv_field(t) for t in row) + "\r\n")
    elif fmt == "tsv":
        # SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax, which escapes tabs and newlines in literals.
        out.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    else:
        raise ValueError(f"unknown results format {fmt!r}")
    return out.getvalue().encode("utf-8")


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    # SPARQL 1.1 CSV/TSV define no boolean form: the bare word, as Oxigraph writes it.
    return b"true" if value else b"false"
