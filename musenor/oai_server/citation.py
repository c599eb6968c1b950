"""Citing a record: CSL-JSON (Citation Style Language 1.0.2 data schema) and BibTeX, and a line to read.

Built from the record's own graph, so a citation says what the record says: the object's title, its creators
(by the labels the record gives them), its date, the museum that holds it and its inventory number
(``dc:identifier``), with the object's persistent URI and the date the reader accessed it. Media types are
those DOI content negotiation uses (``application/vnd.citationstyles.csl+json``, ``application/x-bibtex``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, URIRef

from musenor.mappings.namespaces import DC, DCTERMS, EDM, SKOS

CITATION_TYPES = {
    "csl-json": "application/vnd.citationstyles.csl+json",
    "bibtex": "application/x-bibtex",
}


@dataclass(frozen=True)
class Citation:
    object_uri: str
    key: str
    title: str | None
    creators: tuple[str, ...]
    date_text: str | None  # as the museum wrote it ("vers 1850")
    year: int | None  # the first year of the object's time-span, for styles that need a number
    museum: str
    city: str | None
    inventory_number: str | None
    publisher: str
    accessed: date

    def as_csl(self) -> dict[str, object]:
        item: dict[str, object] = {
            "id": self.key,
            "type": "artwork",  # CSL's type for "a work of art, an object"
            "title": self.title or self.inventory_number or self.object_uri,
            "URL": self.object_uri,
            "archive": self.museum,
            "publisher": self.publisher,
            "accessed": {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]},
        }
        if self.creators:
            item["author"] = [_csl_name(name) for name in self.creators]
        if self.year is not None:
            item["issued"] = {"date-parts": [[self.year]]}
        elif self.date_text:
            item["issued"] = {"literal": self.date_text}
        if self.city:
            item["archive-place"] = self.city
        if self.inventory_number:
            item["call-number"] = self.inventory_number
        return item

    def as_csl_json(self) -> str:
        return json.dumps([self.as_csl()], ensure_ascii=False, indent=2) + "\n"

    def as_bibtex(self) -> str:
        # Values are escaped for BibTeX except the URL fields, which biblatex and url.sty read verbatim.
        fields = [("title", _bibtex_escape(self.title or self.inventory_number or self.object_uri))]
        if self.creators:
            fields.append(("author", " and ".join(_bibtex_escape(name) for name in self.creators)))
        if self.year is not None:
            fields.append(("year", str(self.year)))
        note = [self.date_text] if self.date_text else []
        note.append(f"{self.museum}, inventory number {self.inventory_number}" if self.inventory_number
                    else self.museum)
        fields += [("note", _bibtex_escape(". ".join(note))), ("organization", _bibtex_escape(self.museum))]
        if self.city:
            fields.append(("address", _bibtex_escape(self.city)))
        fields += [("publisher", _bibtex_escape(self.publisher)),
                   ("howpublished", f"\\url{{{self.object_uri}}}"), ("url", self.object_uri),
                   ("urldate", self.accessed.isoformat())]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def as_text(self) -> str:
        """The citation as a reader copies it: creators, title, date, museum, inventory number, URI, access."""
        parts = []
        if self.creators:
            parts.append("; ".join(self.creators))
        parts.append(self.title or self.inventory_number or self.object_uri)
        if self.date_text or self.year is not None:
            parts.append(self.date_text or str(self.year))
        parts.append(", ".join(p for p in (self.museum, self.city) if p))
        if self.inventory_number:
            parts.append(f"inv. {self.inventory_number}")
        parts.append(self.publisher)
        return ". ".join(parts) + f". {self.object_uri} (accessed {self.accessed.isoformat()})."


def _csl_name(name: str) -> dict[str, str]:
    # French catalogues write persons "Family, Given" (Joconde AUTR); anything else is kept whole.
    family, comma, given = name.partition(", ")
    if comma and family and given and "(" not in given:
        return {"family": family, "given": given}
    return {"literal": name}


_BIBTEX_SPECIAL = re.compile(r"([{}\\%&$#_^~])")


def _bibtex_escape(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group(1)
        if char == "\\":
            return r"\textbackslash{}"
        if char in "^~":
            return f"\\{char}{{}}"
        return "\\" + char

    return _BIBTEX_SPECIAL.sub(escape, text)


def _text(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str | None:
    values = {(o.language or ""): str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)}
    for choice in (lang, "fr", "", "en"):
        if values.get(choice):
            return values[choice]
    return next(iter(sorted(values.values())), None)


def cite(graph: Graph, record_uri: URIRef, *, museum: str, city: str | None, publisher: str, accessed: date,
         lang: str = "fr") -> Citation:
    """The citation of the record ``record_uri`` whose named graph is ``graph``."""
    cho = graph.value(record_uri, EDM.aggregatedCHO)
    subject = cho if isinstance(cho, URIRef) else record_uri
    creators = []
    for creator in sorted(graph.objects(subject, DC.creator)):
        if isinstance(creator, Literal):
            creators.append(str(creator))
        else:
            creators.append(_text(graph, creator, SKOS.prefLabel, lang) or str(creator))
    year = None
    for span in graph.objects(subject, DCTERMS.temporal):
        begin = graph.value(span, EDM.begin)
        found = re.match(r"^-?\d{1,4}", str(begin)) if begin is not None else None
        if found and (year is None or int(found.group()) < year):
            year = int(found.group())
    key_source = str(subject).rstrip("/").split("/id/object/")[-1]
    return Citation(
        object_uri=str(subject), key=re.sub(r"[^A-Za-z0-9:._-]+", "-", key_source),
        title=_text(graph, subject, DC.title, lang), creators=tuple(creators),
        date_text=_text(graph, subject, DCTERMS.created, lang), year=year, museum=museum, city=city,
        inventory_number=_text(graph, subject, DC.identifier, lang), publisher=publisher, accessed=accessed)
