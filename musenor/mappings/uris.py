"""Stable, readable URIs under the hub's base URI (docs/profile.md, "URIs")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote

from rdflib import URIRef

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(label: str) -> str:
    """'Rubens, Pierre Paul' -> 'rubens-pierre-paul'; accents folded so 'Église' and 'eglise' meet."""
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").lower()
    return _NON_SLUG.sub("-", folded).strip("-") or "x"


def encode_local_id(local_id: str) -> str:
    """Percent-encode a museum's local id for a URI path segment or an OAI identifier."""
    return quote(local_id.strip(), safe="-._~")


def decode_local_id(segment: str) -> str:
    return unquote(segment)


@dataclass(frozen=True)
class HubURIs:
    base: str
    repository_identifier: str = "musenor.fr"

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def museum(self, code: str) -> URIRef:
        return URIRef(f"{self.base}/id/museum/{code}")

    def record(self, code: str, local_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/record/{code}/{encode_local_id(local_id)}")

    def object(self, code: str, local_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/object/{code}/{encode_local_id(local_id)}")

    def raw(self, code: str, local_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/raw/{code}/{encode_local_id(local_id)}")

    def event(self, obj: URIRef, n: int) -> URIRef:
        return URIRef(f"{obj}#event-{n}")

    def participation(self, obj: URIRef, event_n: int, actor_n: int) -> URIRef:
        return URIRef(f"{obj}#event-{event_n}-actor-{actor_n}")

    def dimension(self, obj: URIRef, n: int) -> URIRef:
        return URIRef(f"{obj}#dimension-{n}")

    def inscription(self, obj: URIRef, n: int) -> URIRef:
        return URIRef(f"{obj}#inscription-{n}")

    def agent(self, name: str, birth_year: str | int | None = None) -> URIRef:
        slug = slugify(name)
        return URIRef(f"{self.base}/id/agent/{slug}-{birth_year}" if birth_year else f"{self.base}/id/agent/{slug}")

    def place(self, name: str) -> URIRef:
        return URIRef(f"{self.base}/id/place/{slugify(name)}")

    def timespan(self, begin: str, end: str, qualifier: str | None = None) -> URIRef:
        """``1850_1899``; a qualified span is another one (``1875_1875_approximate``, ``1664_1664_after``)."""
        suffix = f"_{quote(qualifier, safe='-')}" if qualifier else ""
        return URIRef(f"{self.base}/id/timespan/{quote(begin, safe='-')}_{quote(end, safe='-')}{suffix}")

    def concept(self, scheme: str, concept_id: str) -> URIRef:
        return URIRef(f"{self.base}/vocab/{scheme}/{concept_id}")

    def vocabulary_base(self) -> str:
        return f"{self.base}/vocab/"

    def harvest_run(self, run_id: int) -> URIRef:
        return URIRef(f"{self.base}/id/harvest/{run_id}")

    def oai_identifier(self, code: str, local_id: str) -> str:
        return f"oai:{self.repository_identifier}:{code}:{encode_local_id(local_id)}"

    def parse_oai_identifier(self, identifier: str) -> tuple[str, str] | None:
        """(museum code, local id) of one of our OAI identifiers, or None."""
        prefix = f"oai:{self.repository_identifier}:"
        if not identifier.startswith(prefix):
            return None
        code, sep, local = identifier[len(prefix):].partition(":")
        if not sep or not local:
            return None
        return code, decode_local_id(local)
