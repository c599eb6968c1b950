"""Read-only by construction: every request is parsed before anything runs, and refused unless it is a query.

SPARQL 1.1 Update operations (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) and federated
``SERVICE`` patterns are refused with 400 before execution: both rdflib and pyoxigraph would otherwise
write the store or fetch remote URLs. The decision is taken on rdflib's parse tree, never on the text, so
"SERVICE" inside a string literal or a comment is no reason to refuse, and no spelling gets one past.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pyoxigraph
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

MAX_QUERY_LENGTH = 100_000
# The record graphs a client may name as the dataset; each is one more graph a query reads, so bounded too.
MAX_DATASET_GRAPHS = 100
QUERY_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK",
               "DescribeQuery": "DESCRIBE"}
UPDATE_NAMES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
                "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
                "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT"}

# pyparsing grammars keep state while parsing: one parse at a time.
_parse_lock = threading.Lock()


class QueryRefused(Exception):
    """A request the endpoint will not run; the message says why, for the 400 answer."""


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # SELECT, CONSTRUCT, ASK or DESCRIBE


def _walk(node: Any):  # type: ignore[no-untyped-def]
    yield node
    if isinstance(node, CompValue):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _walk(value)


def _update_operations(text: str) -> list[str] | None:
    try:
        with _parse_lock:
            parsed = parseUpdate(text)
    except ParseException:
        return None
    names = [UPDATE_NAMES.get(getattr(op, "name", ""), getattr(op, "name", "update"))
             for op in parsed.get("request", [])]
    return names


def check_query(text: str) -> CheckedQuery:
    """The query if it may run; raises QueryRefused naming the reason."""
    if not text or not text.strip():
        raise QueryRefused("no query: pass it as 'query' (GET or form POST) or as an application/sparql-query body")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryRefused(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    try:
        with _parse_lock:
            parsed = parseQuery(text)
    except ParseException as exc:
        operations = _update_operations(text)
        if operations:
            raise QueryRefused(f"this endpoint is read-only: SPARQL Update ({', '.join(operations)}) is refused") \
                from None
        raise QueryRefused(f"malformed query: {exc.msg} at line {exc.lineno}, column {exc.col}") from None
    except Exception as exc:  # rdflib raises a few other types on odd input (bad IRIs, escapes)
        raise QueryRefused(f"malformed query: {exc}") from None
    query = parsed[1]
    form = QUERY_FORMS.get(getattr(query, "name", ""))
    if form is None:
        raise QueryRefused("not a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    for node in _walk(parsed):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE (federated query) is refused: this endpoint fetches nothing remote")
    return CheckedQuery(text=text, form=form)


def check_dataset(default_graphs: list[str], named_graphs: list[str]) -> None:
    """Refuse ``default-graph-uri`` / ``named-graph-uri`` values that are not absolute IRIs (SPARQL 1.1 Protocol
    2.1.4: "an IRI"), or too many of them; raises QueryRefused naming the parameter and the value."""
    for parameter, values in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        if len(values) > MAX_DATASET_GRAPHS:
            raise QueryRefused(f"{len(values)} {parameter} parameters; at most {MAX_DATASET_GRAPHS} are taken")
        for value in values:
            try:
                pyoxigraph.NamedNode(value)
            except ValueError as exc:
                raise QueryRefused(f"{parameter} {value[:200]!r} is not an absolute IRI ({exc})") from None
