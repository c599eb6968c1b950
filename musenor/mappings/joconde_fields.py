"""What the Joconde / POP fields mean, shared by the two layouts that carry them.

Both dialects read a notice into ``{POP field code: text}`` (the CSV dialect through its column map) and
hand it to ``map_notice``, which builds the docs/profile.md graph; the ``joconde`` output format reads the
same graph back into field codes (``musenor.mappings.formats.joconde``). The semantics follow the Joconde field
dictionary (POP's ``joconde.js`` model) and its thesaurus bindings: DENO T505, DOMN T51, TECH T516,
AUTR T513, EPOQ T93, PERI T521, ECOL T517, LOCA T515.

Conventions of the Joconde data met in the wild (the costume extract, the POP import examples):
- multi-values are separated by ``;`` and also ``,`` (``"histoire,costume - accessoires du costume"``);
- a parenthesised qualifier follows a term (``"huile sur toile (support)"``, ``"anonyme (d'après)"``,
  ``"Buquet (atelier, graveur)"``), nested at times (``"papier (lithographie (colorié au pinceau))"``);
- ``MILL`` reads ``"1870 entre,1875 et"`` (between 1870 and 1875), ``"1880 vers"`` (about 1880);
- ``PAUT`` reads ``"[name :] birth place, birth date ; death place, death date ; ..."`` with ``?`` for unknown.

Where each field goes (docs/profile.md; "concept" means a ``musenor/vocabularies/ministry-*.ttl`` concept when the term
is known, else the language-tagged literal; a qualified term keeps its whole text as a literal too):

| field | graph |
|---|---|
| REF | the local id (record and object URIs) |
| INV | ``dc:identifier`` |
| DOMN | ``musenor:classification`` concept; with DENO, decides ``edm:type`` (IMAGE for paintings, drawings...) |
| DENO | ``dc:type`` concept; a concept gives the set ``type:{id}`` |
| APPL, TITR, DESC | ``dcterms:alternative``, ``dc:title``, ``dc:description`` |
| COMM | ``skos:note`` of the object (the curators' comments, kept apart from the description) |
| AUTR | production event participations: agent (``{base}/id/agent/{slug}[-{birth year}]``), ``musenor:role`` (role concept), ``musenor:attribution`` ("d'après"); and ``dc:creator`` |
| PAUT | the production event's ``dc:description``; the life dates of a single author on the agent |
| PERI, EPOQ | ``dcterms:temporal`` concepts (T521 periods, T93 styles) |
| MILL | ``dcterms:created`` as displayed; with PERI, the production ``edm:TimeSpan`` (typed begin/end) |
| TECH | ``dcterms:medium`` concept, of the object and of the production event; a statement joining known terms ("lavis brun sur papier") gives each term's concept and its whole text |
| ECOL | ``musenor:culture`` concept (T517 schools), of the object and of the production event |
| LIEUX | the production event's ``edm:happenedAt`` and ``dcterms:spatial`` (place qualifier dropped) |
| DIMS | ``dcterms:extent`` as displayed, and one ``musenor:dimension`` per measurement with a number |
| INSC, PINS | ``musenor:inscription``: ``dc:description`` (kind) and ``rdf:value`` (transcription) |
| REPR | ``dc:subject`` |
| LOCA | ``edm:currentLocation``, an ``edm:Place`` labelled "Lille ; palais des Beaux-Arts" |
| POP_COORDONNEES | that place's ``wgs84_pos:lat`` / ``wgs84_pos:long`` (POP's WGS84 point of the notice, "lat ; long"; the open-data ``lat`` and ``long`` columns) |
| MUSEO | ``musenor:repository`` (the holding museum) |
| DACQ, STAT | the acquisition event: ``musenor:displayDate`` and time-span, ``dc:description`` |
| APTN | ``dcterms:provenance`` |
| COPY | ``dc:rights`` of the record and of each image; a "©" notice makes ``edm:rights`` In Copyright |
| PHOT | ``dcterms:creator`` (photo credit) of each image |
| REFIM, IMG | ``edm:isShownBy`` / ``edm:hasView`` (``{base}/images/{museum}/{file}``, or the IMG address), thumbnail ``edm:object`` / ``musenor:thumbnail`` |
| DMAJ | the source datestamp |

``CONSUMED_FIELDS`` below are read and deliberately left out, each for a reason given there. Every other
field is counted in ``unmapped`` under its code (a code outside the dictionary is also named in
the record's warnings).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef

from musenor.mappings.base import MappedRecord, MappingContext, MappingError
from musenor.mappings.attribution import ANONYMOUS_STATE, is_anonymous, is_attribution, leading_attribution
from musenor.mappings.dates import DateSpan, parse_display_date, timespan_triples
from musenor.mappings.measurements import add_dimension
from musenor.mappings.namespaces import (DC, DCTERMS, EDM, FOAF, MUSENOR, ORE, RDAGR2, RDF, SKOS, WGS84, XSD)
from musenor.mappings.rights import count_off_europeana_list, rights_statement
from musenor.mappings.triples import RecordTriples
from musenor.vocabularies.normalise import fold

# Every field code of the Joconde dictionary (POP model, 2022). A code outside it is an unknown field.
KNOWN_FIELDS = frozenset("""
REF REFMIS MANQUANT MANQUANT_COM ADPT APPL APTN ATTR AUTR BIBL COMM CONTACT COOR COPY DACQ DATA DATION DDPT
DECV DENO DEPO DESC DESY DIFFU DIMS DMAJ DMIS DOMN DREP ECOL EPOQ ETAT EXPO GENE GEOHI HIST IMAGE IMG INSC INV
LABEL LABO LARC LIEUX REGION DPT VILLE_M NOMOFF LOCA LOCA2 LOCA3 MILL MILU MOSA MSGCOM MUSEO NSDA ONOM PAUT PDAT
PDEC PEOC PERI PERU PHOT PINS PLIEUX PREP PUTI RANG REDA REFIM REFMEM REFMER REFPAL REPR RETIF SREP STAT TECH
TICO TITR TOUT UTIL VIDEO WWW LVID PRODUCTEUR BASE CONTIENT_IMAGE POP_COORDONNEES
""".split())

# The fields this mapping carries into the graph (and the joconde format carries back out).
MAPPED_FIELDS = ("REF", "INV", "DOMN", "DENO", "APPL", "TITR", "AUTR", "PAUT", "PERI", "MILL", "EPOQ", "ECOL",
                 "TECH", "DIMS", "INSC", "PINS", "REPR", "DESC", "COMM", "LIEUX", "LOCA", "POP_COORDONNEES", "MUSEO", "STAT", "DACQ", "APTN",
                 "COPY", "PHOT", "REFIM", "IMG", "DMAJ")

# Fields read and knowingly left out of the graph (not counted as unmapped), with why: they restate what
# the graph already says or describe the museum or the POP database rather than the object.
CONSUMED_FIELDS = {
    "IMAGE": "whether the notice has images: REFIM and IMG name them",
    "CONTIENT_IMAGE": "whether the notice has images: REFIM and IMG name them",
    "LABEL": "the museum's 'Musée de France' label, a property of the museum",
    "BASE": "the name of the POP database the notice belongs to",
    "PRODUCTEUR": "the POP producer of the notice (Joconde)",
}

# Field -> vocabulary scheme (``musenor/vocabularies/ministry-*.ttl``) holding the ministry thesaurus terms.
THESAURUS_SCHEME = {"DENO": "ministry-deno", "DOMN": "ministry-domn", "TECH": "ministry-tech",
                    "EPOQ": "ministry-epoq", "PERI": "ministry-peri", "ECOL": "ministry-ecol"}
ROLE_SCHEME = "role"
# Fields whose items are statements joining several terms ("plume et encre brune"), not single terms.
STATEMENT_FIELDS = frozenset({"TECH"})

# Values museum systems write for "nothing" (Joconde extracts fill empty mandatory columns with them).
EMPTY_VALUES = frozenset({"", "non renseigné", "non renseigne", "néant", "neant", "?"})

# Qualifiers of AUTR that attribute rather than name a role (Joconde "précision d'attribution"), and the names
# that say nobody is known: mappings.attribution, shared by every dialect.
PRODUCTION_FIELDS = ("AUTR", "PAUT", "PERI", "MILL", "ECOL", "TECH", "LIEUX")
ACQUISITION_FIELDS = ("DACQ", "STAT")
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
UNKNOWN_RIGHTS = "http://rightsstatements.org/vocab/CNE/1.0/"  # none stated: not evaluated
# Domains and denominations whose objects Europeana types as IMAGE; the rest of a museum's objects are 3D.
IMAGE_DOMAINS = frozenset({"peinture", "dessin", "estampe", "photographie", "miniature", "enluminure", "affiche",
                           "vitrail", "arts graphiques", "pastel", "gravure", "tableau", "aquarelle", "lithographie"})
TEXT_DOMAINS = frozenset({"manuscrit", "imprimé", "livre", "document d'archives", "écrit - document"})

# XML 1.0 section 2.2 forbids these; museum systems paste them from word processors. Replaced by U+FFFD so
# that every output stays well-formed, and counted in the record's ``sanitised``.
_ILLEGAL_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_YEAR = re.compile(r"(?<!\d)(-?\d{3,4})(?!\d)")
_DATE = re.compile(r"(?<!\d)(\d{4})[/-](\d{2})[/-](\d{2})(?!\d)")


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def is_empty(text: str | None) -> bool:
    return clean(text).lower() in EMPTY_VALUES


def split_values(text: str | None, separators: str = ";,") -> list[str]:
    """Top-level items of a multi-value field: separators inside parentheses do not split."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text or "":
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [clean(item) for item in items if not is_empty(item)]


def split_qualifier(item: str) -> tuple[str, str | None]:
    """'huile sur toile (support)' -> ('huile sur toile', 'support'); nested parentheses stay whole."""
    item = clean(item)
    start = item.find("(")
    if start <= 0 or not item.endswith(")"):
        return item, None
    return clean(item[:start]), clean(item[start + 1:-1]) or None


@dataclass(frozen=True)
class LifeDates:
    birth: str | None = None  # "1822" or "1883-07-01"
    death: str | None = None


@dataclass(frozen=True)
class Author:
    name: str
    roles: tuple[str, ...] = ()
    attribution: str | None = None
    life: LifeDates | None = None  # the parenthesised dates after the name ("(1761-1845)", "(1827 ; 1878)")

    @property
    def anonymous(self) -> bool:
        return is_anonymous(self.name)


# Life dates as Joconde writes them after a name: "(1761-1845)", "(1827 ; 1878)", "(Paris, 1814 ; Paris, 1894)".
# A year not fully known ("18..") is no year; an uncertain one ("1865?") is the year said.
_LIFE_IN_PARENTHESES = re.compile(r"^(?:[^,;()]*,\s*)?(\?|\d{4}|\d{1,3}\.+)\??\s*[-–;]\s*"
                                  r"(?:[^,;()]*,\s*)?(\?|\d{4}|\d{1,3}\.+)\??$")
# One PAUT date segment: "[place,] date" and nothing else; prose ("actif vers 1900", "usine qui cessa son
# activité vers 1900") is not a life date.
# Also "né en 1768" / "mort en 1841", and a trailing attribution ("?, 1831 (d'après)").
_DATE_SEGMENT = re.compile(r"^(?:[^,;:]*,\s*|n[ée]e? (?:en|le) |(?:mort|morte|d[ée]c[ée]d[ée]e?) (?:en|le) )?"
                           r"(\?|\d{4}|\d{4}/\d{2}/\d{2}|\d{2}/\d{2}/\d{4})(?:\s*\([^()]*\))?$", re.I)
_BOTH_IN_ONE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")  # "FROMENT-MEURICE : 1802 - 1855"


def parse_author(item: str) -> Author:
    """'Buquet (atelier, graveur)' -> roles; 'anonyme (d'après)' -> an attribution qualifier; 'BOILLY Louis
    Léopold (1761-1845)' -> life dates; 'atelier de Rubens' -> the name Rubens, qualified."""
    item = clean(item)
    start = item.find("(")
    # "Blard Jacques (1795-1871) (atelier)": each parenthesised group after the name is read on its own
    groups = re.findall(r"\(([^()]*)\)", item[start:]) if start > 0 and item.endswith(")") else []
    name = clean(item[:start]) if groups else item
    roles: list[str] = []
    attribution, name = leading_attribution(name)
    life = None
    for group in groups:
        if match := _LIFE_IN_PARENTHESES.match(clean(group)):
            life = LifeDates(*(_gyear(int(y)) if y.isdigit() else None for y in match.groups()))
            continue
        for part in split_values(group, ","):
            if is_attribution(part):
                attribution = part
            else:
                roles.append(part)
    return Author(name=name, roles=tuple(roles), attribution=attribution, life=life)


def _date_in(segment: str) -> str | None:
    match = _DATE_SEGMENT.match(clean(segment))
    if match is None or match.group(1) == "?":
        return None
    value = match.group(1)
    if full := _DATE.fullmatch(value):
        return f"{full.group(1)}-{full.group(2)}-{full.group(3)}"
    if day_first := re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value):
        return f"{day_first.group(3)}-{day_first.group(2)}-{day_first.group(1)}"
    return _gyear(int(value))


def parse_life_dates(precisions: str) -> LifeDates:
    """Birth and death from one author's PAUT block: 'GUITTON : Lignières (18), 1817/01/10 ; Châtillon-sur-Indre
    (36), 1889/03/01'; only "[place,] date" segments are read: prose gives no date."""
    segments = [s for s in precisions.split(";") if not re.match(r"^\s*nationalit", s, re.I)]
    if segments and ":" in segments[0] and not re.match(r"^\s*\d", segments[0]):
        segments[0] = segments[0].rsplit(":", 1)[1]  # "NAME : [Autre forme du nom : ...] place, date"
    if segments and (both := _BOTH_IN_ONE.match(clean(segments[0]))):
        return LifeDates(_gyear(int(both.group(1))), _gyear(int(both.group(2))))
    birth = _date_in(segments[0]) if segments else None
    death = _date_in(segments[1]) if len(segments) > 1 else None
    return LifeDates(birth, death)


def author_blocks(precisions: str) -> list[tuple[str, str]]:
    """PAUT split per author: [(name as PAUT writes it, or "", the block)]. Authors are separated by "#", or
    follow one another as "NAME : dates ; NAME2 : dates" (a segment holding " : " starts a new author)."""
    blocks: list[tuple[str, str]] = []
    for part in precisions.split("#"):
        current: list[str] = []
        name = ""
        for segment in part.split(";"):
            if ":" in segment and not re.match(r"^\s*nationalit", segment, re.I):
                if current:
                    blocks.append((name, ";".join(current)))
                head, _, tail = segment.rpartition(":")
                name, current = clean(head.split(":")[-1] if head.count(":") else head), [tail]
            else:
                current.append(segment)
        if current:
            blocks.append((name, ";".join(current)))
    return blocks


def _life_of(author: Author, blocks: list[tuple[str, str]], single: bool) -> LifeDates:
    """The author's life dates: the parenthesised dates after the name in AUTR, else the PAUT block that names
    the author (its surname), else PAUT's only unnamed block when the notice has one named author."""
    surname = fold(author.name.split()[0]) if author.name.split() else ""
    found = None
    for name, block in blocks:
        words = {fold(w).strip(",.()") for w in name.replace("-", " ").split()}
        if name and surname and surname.replace("-", " ").split()[0] in words:
            found = parse_life_dates(block)
            break
    unnamed = [block for name, block in blocks if not name]
    if found is None and single and len(blocks) == 1 and unnamed:
        found = parse_life_dates(unnamed[0])
    if author.life is None:
        return found or LifeDates()
    # PAUT's days are kept where they agree with AUTR's years ("Boudin Eugène (1824-1898)", "BOUDIN :
    # Honfleur, 1824/07/12 ; ...")
    return LifeDates(*(precise if precise and year and precise[:4] == year[:4] else year
                       for year, precise in ((author.life.birth, found.birth if found else None),
                                             (author.life.death, found.death if found else None))))


Span = DateSpan  # begin, end and the qualifiers a MILL or PERI value gives (issue 13)


def _gyear(year: int) -> str:
    """xsd:gYear wants four digits at least: 850 -> '0850', -99 -> '-0099'."""
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"


def period_span(term: str) -> Span | None:
    """A Joconde period (T521) as years: '1er quart 19e siècle' -> 1800/1824; '19e siècle' -> 1800/1899.

    The hub's display-date reader (``musenor.mappings.dates``) knows every century form museums write, in the same
    conventions; a period it cannot be sure of ("incertain") is None.
    """
    return parse_display_date(clean(term))


def millesime_span(text: str) -> Span | None:
    """MILL as years, with Joconde's qualifying word after the year kept (issue 13): '1870 entre,1875 et' ->
    1870/1875; '1880 vers' -> 1880 approximate; '1875 après' -> from 1875, no end; '1900 avant' -> up to 1900,
    no begin; '1832' -> 1832/1832."""
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        return None
    words = set(re.findall(r"[a-z]+", fold(text)))
    approximate = bool(words & {"vers", "environ", "circa", "ca"}) or "?" in text
    after, before = "apres" in words, "avant" in words
    first, last = _gyear(min(years)), _gyear(max(years))
    if after and not before:
        return Span(first, first, approximate, open_end=True)
    if before and not after:
        return Span(last, last, approximate, open_begin=True)
    return Span(first, last, approximate)


def acquisition_span(text: str) -> Span | None:
    """DACQ '1973/02/27 décision dation ; 1973 date d'acquisition' -> the first date given."""
    first = text.split(";")[0]
    full = _DATE.search(first)
    if full:
        day = f"{full.group(1)}-{full.group(2)}-{full.group(3)}"
        return Span(day, day)
    year = _YEAR.search(first)
    return Span(_gyear(int(year.group(1))), _gyear(int(year.group(1)))) if year else None


# DIMS labels, normalised (lower-case, no dot) -> the profile's English dimension keys. The abbreviated "L."
# of Joconde notices is the width of a flat work ("H. 77 ; L. 53" for the Joconde itself), as is "l.".
_DIMENSION_LABELS = {
    "hauteur": "height", "h": "height", "haut": "height",
    "largeur": "width", "la": "width", "larg": "width",
    "longueur": "length", "long": "length",
    "profondeur": "depth", "pr": "depth", "p": "depth", "prof": "depth",
    "diamètre": "diameter", "diametre": "diameter", "d": "diameter", "diam": "diameter", "dia": "diameter",
    # Romanian exports: Î(nălțime), l(ățime), A(dâncime)
    "î": "height", "inaltime": "height", "înălțime": "height", "latime": "width", "lățime": "width",
    "a": "depth", "adancime": "depth", "adâncime": "depth",
    "epaisseur": "thickness", "épaisseur": "thickness", "ep": "thickness", "ép": "thickness", "e": "thickness",
    "poids": "weight", "pds": "weight",
}
_UNITS = {"mm": "mm", "cm": "cm", "m": "m", "g": "g", "kg": "kg"}
_MEASURE = re.compile(
    r"^(?P<label>[^\d(=:]+?)\.?\s*(?:en\s+(?P<unit1>mm|cm|m|g|kg)\b)?\s*(?:\((?P<note>[^)]*)\))?\s*[=:]?\s*"
    r"(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit2>mm|cm|m|g|kg)?\.?$")


@dataclass(frozen=True)
class Measurement:
    dimension: str  # height, width...
    value: Decimal
    unit: str


def parse_measurements(text: str) -> list[Measurement]:
    """'Hauteur en cm 1.64 ; Longueur en cm 6.6' and 'H. 21 cm, D. 69,5 cm': the parts that carry a number."""
    measurements = []
    for part in re.split(r";|,(?=\s)|\s[x×]\s", text):
        match = _MEASURE.match(clean(part))
        if not match:
            continue
        words = match.group("label").strip().rstrip(".").split()
        if not words:
            continue
        first = words[0].rstrip(".")
        dimension = "width" if first in ("L", "l") else _DIMENSION_LABELS.get(first.lower())
        if dimension is None:
            continue
        unit = match.group("unit1") or match.group("unit2") or ("g" if dimension == "weight" else "cm")
        try:
            value = Decimal(match.group("number").replace(",", "."))
        except InvalidOperation:
            continue
        measurements.append(Measurement(dimension, value, _UNITS[unit]))
    return measurements


def decimal_literal(value: Decimal) -> Literal:
    text = format(value, "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def parse_coordinates(text: str) -> tuple[Decimal, Decimal] | None:
    """'50.374404 ; 3.07548' -> (latitude, longitude) in WGS84 degrees, or None when it is not a place on Earth."""
    parts = [part.strip().replace(",", ".") for part in text.split(";")]
    if len(parts) != 2:
        return None
    try:
        lat, long = Decimal(parts[0]), Decimal(parts[1])
    except InvalidOperation:
        return None
    return (lat, long) if abs(lat) <= 90 and abs(long) <= 180 and lat.is_finite() and long.is_finite() else None


def date_literal(value: str) -> Literal:
    return Literal(value, datatype=XSD.date if len(value.lstrip("-")) > 4 else XSD.gYear)


@dataclass(frozen=True)
class Image:
    file: str | None  # a file of the export, served by the hub
    url: str | None = None  # an image the notice gives by address (IMG)


_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


def image_files(refim: str) -> list[str]:
    """REFIM 'M016183_0016630_P.JPG,DS1,,0016630.JPG;M016183_...': the file name leads each ';' item."""
    files = []
    for item in (refim or "").split(";"):
        name = clean(item.split(",")[0]).replace("\\", "/").rsplit("/", 1)[-1]
        if name and name not in files:
            files.append(name)
    return files


def safe_image_file(name: str) -> bool:
    """File names the hub will serve: no directory part, no leading dot, a plain ASCII name."""
    return bool(_SAFE_FILE.match(name)) and ".." not in name


def image_urls(uris_base: str, museum: str, file: str) -> tuple[URIRef, URIRef]:
    return (URIRef(f"{uris_base}/images/{museum}/{file}"), URIRef(f"{uris_base}/images/{museum}/thumbs/{file}"))


@dataclass
class NoticeBuilder:
    """Builds one record's graph from field codes; collects what it could not map."""

    context: MappingContext
    local_id: str
    graph: RecordTriples = field(default_factory=RecordTriples)
    unmatched: Counter[tuple[str, str]] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        uris = self.context.uris
        self.cho = uris.object(self.context.museum_code, self.local_id)
        self.record = uris.record(self.context.museum_code, self.local_id)
        self.lang = self.context.default_language

    def text(self, value: str) -> Literal:
        return Literal(value, lang=self.lang)

    def concept_or_text(self, scheme: str, term: str) -> URIRef | Literal:
        vocabularies = self.context.vocabularies
        if vocabularies is not None:
            concept = vocabularies.match(scheme, term)
            if concept is not None:
                return concept
        self.unmatched[(scheme, term)] += 1
        return self.text(term)

    def names(self, concept: URIRef, term: str) -> bool:
        vocabularies = self.context.vocabularies
        return vocabularies is None or vocabularies.names(concept, term)

    def statement_parts(self, code: str, head: str) -> list[URIRef]:
        """The concepts of a compound TECH statement that is not itself a term (every word known, see
        ``Vocabularies.match_statement``), else []."""
        vocabularies = self.context.vocabularies
        if code not in STATEMENT_FIELDS or vocabularies is None or vocabularies.match(THESAURUS_SCHEME[code], head):
            return []
        return [concept for _, concept in vocabularies.match_statement((THESAURUS_SCHEME[code],), head, self.lang)]

    def thesaurus_terms(self, code: str, value: str, predicate: URIRef, subjects: tuple[URIRef, ...] = ()) -> list:
        """Each item of a thesaurus field: the concept when the term is known, else the literal. A qualified item
        keeps its whole text too, so that 'figurine (fragment)' loses nothing. Stated of the object and of
        ``subjects`` (the production event for TECH)."""
        objects: list[URIRef | Literal] = []
        for item in split_values(value):
            head, qualifier = split_qualifier(item)
            parts = self.statement_parts(code, head)
            if parts:
                # 'lavis brun sur papier': the concepts of its terms, and its whole text, which says how
                for subject in (self.cho, *subjects):
                    for obj in [*parts, self.text(item)]:
                        self.graph.add((subject, predicate, obj))
                objects.extend(parts)
                continue
            term = self.concept_or_text(THESAURUS_SCHEME[code], head)
            if isinstance(term, Literal) and qualifier:
                term = self.text(item)  # an unmatched qualified term: the literal is the whole item
            said = [term, self.text(item)] if isinstance(term, URIRef) and qualifier else [term]
            if isinstance(term, URIRef) and not qualifier and not self.names(term, head):
                # the ministry's term is narrower than the hub concept it is filed under ("palissandre" under
                # wood): the museum's word is kept beside the concept (issue 13)
                said.append(self.text(head))
            for subject in (self.cho, *subjects):
                for obj in said:
                    self.graph.add((subject, predicate, obj))
            objects.append(term)
        return objects

    def timespan(self, span: Span) -> URIRef:
        uri = self.context.uris.timespan(span.begin, span.end, span.qualifier)
        for triple in timespan_triples(uri, span):
            self.graph.add(triple)
        return uri

    def event(self, n: int, event_type: str) -> URIRef:
        uri = self.context.uris.event(self.cho, n)
        self.graph.add((uri, RDF.type, EDM.Event))
        self.graph.add((uri, EDM.hasType, self.context.uris.concept("event-type", event_type)))
        self.graph.add((self.cho, EDM.wasPresentAt, uri))
        return uri


def map_notice(values: dict[str, str], context: MappingContext, *, local_id: str,
               unmapped: Iterable[str] = (), source_datestamp: str | None = None) -> MappedRecord:
    """The graph of one Joconde notice given as ``{field code: text}`` (docs/profile.md)."""
    sanitised = 0
    for code_, text in list(values.items()):
        values[code_], replaced = _ILLEGAL_IN_XML.subn("\ufffd", text)
        sanitised += replaced
    values = {code_: text for code_, text in values.items() if not is_empty(text)}
    if not local_id or not local_id.strip():
        raise MappingError("the notice has no identifier (REF or inventory number)", museum=context.museum_code)
    b = NoticeBuilder(context, local_id.strip())
    g, cho, record, uris, code = b.graph, b.cho, b.record, context.uris, context.museum_code
    title = clean(values.get("TITR"))
    if not title and not values.get("DENO") and not values.get("DESC"):
        raise MappingError("the notice has neither title (TITR), denomination (DENO) nor description (DESC)",
                           local_id=local_id, museum=code)

    g.add((cho, RDF.type, EDM.ProvidedCHO))
    if values.get("INV"):
        g.add((cho, DC.identifier, Literal(clean(values["INV"]))))
    if title:
        g.add((cho, DC.title, b.text(title)))
    for alternative in split_values(values.get("APPL"), ";"):
        g.add((cho, DCTERMS.alternative, b.text(alternative)))
    if values.get("DESC"):
        g.add((cho, DC.description, b.text(values["DESC"].strip())))
    if values.get("COMM"):
        g.add((cho, SKOS.note, b.text(values["COMM"].strip())))
    types = b.thesaurus_terms("DENO", values.get("DENO", ""), DC.type) if values.get("DENO") else []
    domains = b.thesaurus_terms("DOMN", values["DOMN"], MUSENOR.classification) if values.get("DOMN") else []
    sets = [f"type:{t.rsplit('/', 1)[-1]}" for t in types if isinstance(t, URIRef)]
    g.add((cho, EDM.type, Literal(_edm_type(domains + types, f"{values.get('DOMN', '')};{values.get('DENO', '')}",
                                            context))))
    for subject in split_values(values.get("REPR")):
        g.add((cho, DC.subject, b.text(subject)))
    if values.get("DIMS"):
        g.add((cho, DCTERMS.extent, b.text(clean(values["DIMS"]))))
        for n, measure in enumerate(parse_measurements(values["DIMS"]), start=1):
            add_dimension(g, uris.dimension(cho, n), cho, measure.dimension, measure.value, measure.unit)
    if values.get("INSC") or values.get("PINS"):
        inscription = uris.inscription(cho, 1)
        g.add((cho, MUSENOR.inscription, inscription))
        if values.get("INSC"):
            g.add((inscription, DC.description, b.text(clean(values["INSC"]))))
        if values.get("PINS"):
            g.add((inscription, RDF.value, b.text(clean(values["PINS"]))))
    if values.get("APTN"):
        g.add((cho, DCTERMS.provenance, b.text(clean(values["APTN"]))))

    # Periods and styles: PERI and EPOQ are both dcterms:temporal; the joconde format tells them apart by
    # their thesaurus (concepts) or by the shape of a period ("19e siècle").
    for code_ in ("PERI", "EPOQ"):
        if values.get(code_):
            b.thesaurus_terms(code_, values[code_], DCTERMS.temporal)
    if values.get("MILL"):
        g.add((cho, DCTERMS.created, b.text(clean(values["MILL"]))))

    n_event = 0
    if any(values.get(c) for c in PRODUCTION_FIELDS):
        n_event += 1
        _production(b, values, n_event)
    if any(values.get(c) for c in ACQUISITION_FIELDS):
        n_event += 1
        acquisition = b.event(n_event, "acquisition")
        if values.get("DACQ"):
            g.add((acquisition, MUSENOR.displayDate, b.text(clean(values["DACQ"]))))
            span = acquisition_span(values["DACQ"])
            if span:
                g.add((acquisition, EDM.occurredAt, b.timespan(span)))
        if values.get("STAT"):
            g.add((acquisition, DC.description, b.text(clean(values["STAT"]))))

    holder = clean(values.get("MUSEO")) or code
    g.add((cho, MUSENOR.repository, uris.museum(holder)))
    if holder != code:
        b.warnings.append(f"MUSEO {holder} is not the harvested museum {code}: kept as the holding museum")
        g.add((uris.museum(holder), MUSENOR.museofileCode, Literal(holder)))
        g.add((uris.museum(holder), RDF.type, FOAF.Organization))
    depositor = deposit_owner(clean(values.get("STAT")))
    if depositor:
        owner = uris.agent(depositor)
        g.add((owner, RDF.type, EDM.Agent))
        g.add((owner, RDF.type, FOAF.Organization))
        g.add((owner, SKOS.prefLabel, b.text(depositor)))
        g.add((cho, MUSENOR.owner, owner))
    if values.get("LOCA"):
        location = uris.place(clean(values["LOCA"]))
        g.add((cho, EDM.currentLocation, location))
        g.add((location, RDF.type, EDM.Place))
        g.add((location, SKOS.prefLabel, b.text(clean(values["LOCA"]))))
        coordinates = parse_coordinates(values.get("POP_COORDONNEES", ""))
        if coordinates:
            g.add((location, WGS84.lat, decimal_literal(coordinates[0])))
            g.add((location, WGS84.long, decimal_literal(coordinates[1])))
        elif values.get("POP_COORDONNEES"):
            b.warnings.append(f"POP_COORDONNEES {values['POP_COORDONNEES']!r} is not a WGS84 latitude ; longitude")
    elif values.get("POP_COORDONNEES"):
        b.warnings.append("POP_COORDONNEES without LOCA: no location to place them on")

    has_images = _aggregation(b, values)
    count_off_europeana_list(g, record, b.unmatched)
    mapped = MappedRecord(local_id=b.local_id, graph=g, cho=cho, record_uri=record, sets=sets,
                          source_datestamp=source_datestamp, unmatched=b.unmatched, warnings=b.warnings)
    mapped.sanitised = sanitised
    mapped.unmapped.update(unmapped)
    if values.get("PHOT") and not has_images:
        mapped.unmapped["PHOT"] += 1
    return mapped


# Joconde STAT (statut juridique, thesaurus T515) says a deposit as "dépôt du musée du Louvre", "dépôt de l'Etat"
# or, after the owner, "propriété de l'Etat ; dépôt ...": the depositor is the owner of a work the museum holds.
_DEPOSIT_FROM = re.compile(r"\bd[ée]p[ôo]t\s+(?:du\s+|de\s+la\s+|de\s+l['’]\s*|des\s+|de\s+|d['’]\s*)([^;,()]+)",
                           re.I)
_STATE_PROPERTY = re.compile(r"\bpropri[ée]t[ée]\s+de\s+l['’]\s*[EÉ]tat\b", re.I)
_DEPOSIT = re.compile(r"\bd[ée]p[ôo]t\b", re.I)


def deposit_owner(status: str) -> str | None:
    """The institution that deposited the work, as STAT names it, or None when STAT says no deposit or names
    no depositor (a "propriété de la commune ; dépôt" says whose commune nowhere: nothing is made up)."""
    if not _DEPOSIT.search(status):
        return None
    if match := _DEPOSIT_FROM.search(status):
        name = match.group(1).strip()
        return "État" if fold(name) == "etat" else name
    return "État" if _STATE_PROPERTY.search(status) else None


def _edm_type(domains: list, domain_text: str, context: MappingContext) -> str:
    labels = {split_qualifier(d)[0].lower() for d in split_values(domain_text)}
    vocabularies = context.vocabularies
    for concept in domains:
        if isinstance(concept, URIRef) and vocabularies is not None:
            label = vocabularies.label(concept, "fr")
            if label:
                labels.add(label.lower())
    if labels & IMAGE_DOMAINS:
        return "IMAGE"
    if labels & TEXT_DOMAINS:
        return "TEXT"
    return "3D"


def _production(b: NoticeBuilder, values: dict[str, str], n: int) -> None:
    g, cho, uris = b.graph, b.cho, b.context.uris
    event = b.event(n, "production")
    authors = [parse_author(item) for item in split_values(values.get("AUTR"), ";")]
    precisions = clean(values.get("PAUT"))
    if precisions:
        g.add((event, DC.description, b.text(precisions)))
    named = [a for a in authors if not a.anonymous]
    blocks = author_blocks(precisions) if precisions else []
    for m, author in enumerate(authors, start=1):
        participation = uris.participation(cho, n, m)
        g.add((event, MUSENOR.participation, participation))
        g.add((participation, RDF.type, MUSENOR.Participation))
        for role in author.roles:
            g.add((participation, MUSENOR.role, b.concept_or_text(ROLE_SCHEME, role)))
        if author.attribution:
            g.add((participation, MUSENOR.attribution, b.text(author.attribution)))
        if author.anonymous:  # an attribution state, not a person: no agent is made up
            g.add((participation, MUSENOR.attribution, b.text(ANONYMOUS_STATE)))
            continue
        life = _life_of(author, blocks, len(named) == 1)
        birth_year = str(int(life.birth[:4])) if life.birth and not life.birth.startswith("-") else None
        agent = uris.agent(author.name, birth_year)
        g.add((agent, RDF.type, EDM.Agent))
        g.add((agent, SKOS.prefLabel, b.text(author.name)))
        if life.birth:
            g.add((agent, RDAGR2.dateOfBirth, date_literal(life.birth)))
        if life.death:
            g.add((agent, RDAGR2.dateOfDeath, date_literal(life.death)))
        g.add((cho, DC.creator, agent))
        g.add((participation, MUSENOR.agent, agent))
    # Unreadable items ("incertain") leave the span to the periods that read.
    peri_spans = [s for s in (period_span(item) for item in split_values(values.get("PERI"))) if s]
    span = millesime_span(values["MILL"]) if values.get("MILL") else None
    if span is None and peri_spans:
        span = Span(min((s.begin for s in peri_spans), key=int), max((s.end for s in peri_spans), key=int))
    display = clean(values.get("MILL")) or clean(values.get("PERI"))
    if display:
        g.add((event, MUSENOR.displayDate, b.text(display)))
    if span:
        timespan = b.timespan(span)
        g.add((event, EDM.occurredAt, timespan))
        g.add((cho, DCTERMS.temporal, timespan))
    elif display:
        b.warnings.append(f"date {display!r} not understood: kept as displayed")
    if values.get("ECOL"):
        b.thesaurus_terms("ECOL", values["ECOL"], MUSENOR.culture, subjects=(event,))
    if values.get("TECH"):
        b.thesaurus_terms("TECH", values["TECH"], DCTERMS.medium, subjects=(event,))
    for item in split_values(values.get("LIEUX"), ";"):
        head, qualifier = split_qualifier(item)
        place = uris.place(head)
        g.add((place, RDF.type, EDM.Place))
        g.add((place, SKOS.prefLabel, b.text(head)))
        g.add((event, EDM.happenedAt, place))
        g.add((cho, DCTERMS.spatial, place))


def _aggregation(b: NoticeBuilder, values: dict[str, str]) -> bool:
    g, cho, record, context = b.graph, b.cho, b.record, b.context
    uris, code = context.uris, context.museum_code
    museum = uris.museum(code)
    g.add((record, RDF.type, ORE.Aggregation))
    g.add((record, EDM.aggregatedCHO, cho))
    # the holding museum (MUSEO) provides the data; the harvested museum, where it is another, sent it
    holder = g.value(cho, MUSENOR.repository) or museum
    g.add((record, EDM.dataProvider, holder))
    if holder != museum:
        g.add((record, EDM.intermediateProvider, museum))
    g.add((museum, RDF.type, EDM.Agent))
    g.add((museum, RDF.type, FOAF.Organization))
    g.add((museum, SKOS.prefLabel, b.text(context.museum_name)))
    g.add((museum, MUSENOR.museofileCode, Literal(code)))
    g.add((record, EDM.provider, Literal(context.hub_name)))
    copyright_notice = clean(values.get("COPY"))
    credit = clean(values.get("PHOT"))
    # A copyright notice on the images ("© Autun, musée Rolin, 2018") states they are in copyright.
    mapped = rights_statement(copyright_notice, context.rights_map) if copyright_notice else None
    rights = URIRef(mapped or (IN_COPYRIGHT if "©" in copyright_notice or "copyright" in copyright_notice.lower()
                               else context.default_rights or UNKNOWN_RIGHTS))
    g.add((record, EDM.rights, rights))
    if copyright_notice:
        g.add((record, DC.rights, b.text(copyright_notice)))

    images: list[Image] = []
    for name in image_files(values.get("REFIM", "")):
        if safe_image_file(name):
            images.append(Image(file=name))
        else:
            b.warnings.append(f"REFIM {name!r} is not a plain file name: image not published")
    for item in split_values(values.get("IMG"), ";"):
        if re.match(r"^https?://\S+$", item):
            images.append(Image(file=None, url=item))
        elif not values.get("REFIM"):
            name = item.replace("\\", "/").rsplit("/", 1)[-1]
            if safe_image_file(name):
                images.append(Image(file=name))
            else:
                b.warnings.append(f"IMG {item!r} is neither an http(s) address nor a plain file name")
    for n, image in enumerate(images):
        if image.file:
            shown, thumb = image_urls(uris.base, code, image.file)
        else:
            shown, thumb = URIRef(str(image.url)), None
        g.add((record, EDM.isShownBy if n == 0 else EDM.hasView, shown))
        g.add((shown, RDF.type, EDM.WebResource))
        g.add((shown, DC.format, Literal("image/jpeg" if (image.file or "").lower().endswith((".jpg", ".jpeg"))
                                         or not image.file else _media_type(image.file))))
        g.add((shown, EDM.rights, rights))
        if copyright_notice:
            g.add((shown, DC.rights, b.text(copyright_notice)))
        if credit:
            g.add((shown, DCTERMS.creator, b.text(credit)))
        if thumb is not None:
            g.add((shown, MUSENOR.thumbnail, thumb))
            if n == 0:
                g.add((record, EDM.object, thumb))
    if credit and not images:
        b.warnings.append("PHOT without an image: the photo credit has no image to travel with")
    if not images:
        g.add((record, EDM.isShownAt, URIRef(f"{uris.base}/notice/{code}/{record.rsplit('/', 1)[-1]}")))
    return bool(images)


def _media_type(file: str) -> str:
    suffix = file.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "tif": "image/tiff", "tiff": "image/tiff", "gif": "image/gif",
            "webp": "image/webp"}.get(suffix, "image/jpeg")
