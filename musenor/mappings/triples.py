"""One mapped record's triples, on their way to N-Triples.

A dialect adds a record's triples one by one (tens to hundreds a record) and reads back a few of them; the harvest
then writes them as N-Triples. An rdflib ``Graph`` did this at a cost the profile of a harvest showed: an add
checks each term and updates three indexes (17% of a LIDO record's mapping under cProfile), and its N-Triples
serializer asks each term for its N3 form anew (another 18%). ``RecordTriples`` keeps the triples in the order
added, each once, indexed by subject only (what the dialects ask), and writes N-Triples exactly as rdflib's ``nt``
serializer does, with the N3 form of a URI made once per process. It reads like the Graph methods the dialects
and the tests use; ``graph()`` gives an rdflib Graph where one is needed (Turtle, isomorphism).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]


class RecordTriples:
    """A record's triples, each once, in the order added."""

    __slots__ = ("_triples", "_by_subject")

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = {}
        self._by_subject: dict[Node, list[Triple]] = {}
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> RecordTriples:
        if triple not in self._triples:
            self._triples[triple] = None
            subject = triple[0]
            found = self._by_subject.get(subject)
            if found is None:
                self._by_subject[subject] = [triple]
            else:
                found.append(triple)
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, pattern: object) -> bool:
        """Whether a triple matches ``(s, p, o)``, None matching any term (as in an rdflib Graph)."""
        if pattern in self._triples:
            return True
        if isinstance(pattern, tuple) and len(pattern) == 3 and None in pattern:
            return next(self.triples(pattern), None) is not None  # type: ignore[arg-type]
        return False

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching ``(s, p, o)``, None matching any term."""
        s, p, o = pattern
        candidates = self._by_subject.get(s, ()) if s is not None else self._triples
        for triple in candidates:
            if (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        return (t[2] for t in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:  # noqa: A002
        return (t[0] for t in self.triples((None, predicate, object)))

    def predicates(self, subject: Node | None = None, object: Node | None = None) -> Iterator[Node]:  # noqa: A002
        return (t[1] for t in self.triples((subject, None, object)))

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((t[0], t[2]) for t in self.triples((None, predicate, None)))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((t[1], t[2]) for t in self.triples((subject, None, None)))

    def value(self, subject: Node | None = None, predicate: Node | None = None, object: Node | None = None,  # noqa: A002
              default: Node | None = None) -> Node | None:
        """One term of the first triple matching: the object when the object is open, else the subject."""
        for s, _, o in self.triples((subject, predicate, object)):
            return o if object is None else s
        return default

    def ntriples(self) -> str:
        """The triples as N-Triples, one line each, as rdflib's ``nt`` serializer writes them."""
        return "".join(f"{_n3(s)} {_n3(p)} {_n3(o)} .\n" for s, p, o in self._triples)

    def graph(self) -> Graph:
        """The triples in an rdflib Graph (for Turtle, RDF/XML, SPARQL or an isomorphism test)."""
        graph = Graph()
        for triple in self._triples:
            graph.add(triple)
        return graph

    def serialize(self, format: str = "nt", **options: object) -> str:  # noqa: A002
        if format in ("nt", "ntriples", "nt11", "application/n-triples") and not options:
            return self.ntriples()
        return self.graph().serialize(format=format, **options)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=1 << 16)
def _uri_n3(uri: URIRef) -> str:
    # URIRef.n3 refuses a URI with characters N-Triples forbids, as rdflib's serializer does
    return uri.n3()


def _n3(term: Node) -> str:
    # the escapes and forms of rdflib.plugins.serializers.nt, so a record's stored N-Triples do not change
    if type(term) is URIRef:
        return _uri_n3(term)
    if isinstance(term, Literal):
        # str(): rdflib's Literal overloads + and would try to add the text as a number or a date
        value = str(term).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
        text = f'"{value}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, URIRef):
        return _uri_n3(URIRef(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"{term!r} is not an RDF term")
