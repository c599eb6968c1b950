"""Measurements as museums write them, read into the one graph shape of a dimension (docs/profile.md).

Every dialect writes a dimension the same way, through ``add_dimension``: ``{object}#dimension-{n} a
musenor:Dimension; musenor:dimensionType "height"; rdf:value "41.0"^^xsd:decimal; musenor:unit "cm"``, and the
label the source gives the measurement (the part measured, "Blatt", "Gesamt", "Deckel") as ``skos:prefLabel``.

``parse_display`` reads displayed measurements, in the shapes real exports use: labelled values ("H=41 cm;
l=21,2 cm; P=13 cm", "Höhe: 88 mm Breite: 141 mm", "Î=12 cm; l=8 cm; A=3 cm", "Dia. 0,018 m", "L38,5xB24 cm"),
a list of types then a list of values ("Höhe x Breite: 216 x 164 mm (Blatt)", "(H x D): 27 × 9,6 cm"), a part
label before them ("Gesamt: Höhe: 193 cm; ...") or after them in brackets. A number whose type the text does
not say ("203 x 314 cm") is not given one: the display text stays, nothing is made up. The one exception is a
mass unit, which says the type (weight) itself.

One-letter abbreviations depend on the language: French "L." and Romanian "l" are the width of a flat work, the
German "L" a length; French "P." (profondeur), German "T" (Tiefe), Romanian "A" (adâncime) and English "D" a
depth, where the French "D." is a diameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef

from musenor.mappings.namespaces import MUSENOR, RDF, SKOS, XSD
from musenor.mappings.triples import RecordTriples
from musenor.vocabularies.normalise import term_key

# Words (folded by term_key: lower case, no accents) -> the profile's English dimension keys, in any language.
DIMENSION_WORDS = {
    "height": "height", "hauteur": "height", "haut": "height", "hohe": "height", "hoogte": "height",
    "inaltime": "height", "altezza": "height", "altura": "height",
    "width": "width", "largeur": "width", "larg": "width", "breite": "width", "breedte": "width",
    "latime": "width", "larghezza": "width", "anchura": "width", "ancho": "width",
    "depth": "depth", "profondeur": "depth", "prof": "depth", "tiefe": "depth", "diepte": "depth",
    "adancime": "depth", "profondita": "depth", "profundidad": "depth",
    "diameter": "diameter", "diametre": "diameter", "diam": "diameter", "dia": "diameter",
    "durchmesser": "diameter", "diametru": "diameter", "diametro": "diameter",
    "length": "length", "longueur": "length", "long": "length", "lange": "length", "lengte": "length",
    "lungime": "length", "lunghezza": "length", "longitud": "length",
    "weight": "weight", "poids": "weight", "pds": "weight", "gewicht": "weight", "masse": "weight",
    "greutate": "weight", "peso": "weight",
    "thickness": "thickness", "epaisseur": "thickness", "ep": "thickness", "dicke": "thickness",
    "starke": "thickness", "dikte": "thickness", "grosime": "thickness", "spessore": "thickness",
}
# Abbreviations (case kept, then folded) by language; "*" holds the ones every language reads alike.
_ABBREVIATIONS: dict[str, dict[str, str]] = {
    "*": {"h": "height", "o": "diameter", "ø": "diameter", "⌀": "diameter"},
    "fr": {"l": "width", "la": "width", "p": "depth", "pr": "depth", "d": "diameter", "e": "thickness",
           "ep": "thickness"},
    "de": {"b": "width", "t": "depth", "l": "length", "d": "diameter", "st": "thickness"},
    "en": {"w": "width", "d": "depth", "l": "length", "th": "thickness"},
    "ro": {"i": "height", "l": "width", "a": "depth", "d": "diameter", "g": "weight"},
    "nl": {"b": "width", "d": "depth", "l": "length"},
    "it": {"a": "height", "l": "width", "p": "depth", "d": "diameter"},
}
# Unit spellings (folded) -> the profile's unit keys; AAT unit concepts (Linked Art's) by number.
UNIT_WORDS = {
    "mm": "mm", "millimetre": "mm", "millimeter": "mm", "millimetres": "mm", "millimeters": "mm",
    "cm": "cm", "centimetre": "cm", "centimeter": "cm", "centimetres": "cm", "centimeters": "cm",
    "zentimeter": "cm", "m": "m", "metre": "m", "meter": "m", "metres": "m", "meters": "m",
    "g": "g", "gr": "g", "gramm": "g", "gramme": "g", "grammes": "g", "gram": "g", "grams": "g",
    "kg": "kg", "kilogramm": "kg", "kilogramme": "kg", "kilogram": "kg", "kilograms": "kg",
    "in": "in", "inch": "in", "inches": "in", "pixel": "pixel", "pixels": "pixel", "px": "pixel",
}
UNIT_AAT = {"300379097": "mm", "300379098": "cm", "300379099": "m", "300379225": "g", "300379226": "kg",
            "300379100": "in", "300266190": "pixel"}
DIMENSION_AAT = {"300055644": "height", "300055647": "width", "300072633": "depth", "300055624": "diameter",
                 "300056240": "weight", "300055645": "length", "300055646": "thickness"}
_MASS_UNITS = {"g", "kg"}
# A displayed measurement is a line or two ("Gesamt: Höhe: 193 cm; Breite: 100 cm; Tiefe: 93 cm"); longer texts
# and clauses are prose or hostile input, kept as display text only, and never cost a scan quadratic in length.
_MAX_TEXT = 2000
_MAX_CLAUSE = 200

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?:mm|cm|m|kg|gr|g|in)\b\.?"
_TIMES = r"\s*[x×X*]\s*"
# Between two type names the letter x needs spaces around it: it is a letter of the names too, and a pattern
# that let "Hxxxx" be split either way would backtrack exponentially on hostile input.
_TYPE_TIMES = r"(?:\s+[xX]\s+|\s*[×*]\s*)"
# A label word: letters (with the Romanian Î and the diameter sign), no digits.
_WORD = r"[^\W\d_]+|[ø⌀]"
_TYPES = rf"(?:{_WORD})(?:/(?:{_WORD}))*\.?(?:{_TYPE_TIMES}(?:{_WORD})(?:/(?:{_WORD}))*\.?)+"
# "Höhe x Breite x L/T" (an alternative after "/" is the same measurement named twice) then "36 x 24 x 4,5 cm".
_TYPES_THEN_VALUES = re.compile(
    rf"(?P<types>{_TYPES})\)?\s*"
    rf"(?P<note>\([^)]*\))?\s*[:=]?\s*(?P<values>{_NUMBER}(?:{_TIMES}{_NUMBER})+)\s*(?P<unit>{_UNIT})?")
# "H=41 cm", "Höhe: 88 mm", "Dia. 0,018 m", "L38,5", "Î 12"
_LABELLED_VALUE = re.compile(
    rf"(?P<word>{_WORD})\.?\s*(?:\((?P<note>[^)]*)\)\s*)?[:=]?\s*(?P<number>{_NUMBER})(?![.,]?\d)\s*(?P<unit>{_UNIT})?")
_BARE_VALUE = re.compile(rf"^(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})$")
_LINES = re.compile(r"\s*(?:<br\s*/?>|\n)\s*", re.I)
_CLAUSES = re.compile(r"\s*(?:;|,(?=\s*[^\W\d_])(?![^(]*\)))\s*")
# "L38,5xB24": a times sign between a number and the next label separates two labelled values
_INTERLEAVED = re.compile(rf"(?<=\d){_TIMES}(?=[^\W\d_])")
_CAPITAL_L = re.compile(r"(?<![^\W_])L\b")
_SMALL_L = re.compile(r"(?<![^\W_])l\b")
_PART_LABEL = re.compile(r"^(?P<label>[^:=\d]+?)\s*:\s*(?=\S)")


@dataclass(frozen=True)
class Dimension:
    """One measurement: the profile's key (height, width...) or the source's own type, a value, a unit key."""

    kind: str
    value: Decimal
    unit: str | None
    label: str | None = None


def dimension_key(word: str, lang: str | None = None, both_l: bool = False) -> str | None:
    """The profile's key of a measurement type as written ("Höhe", "hauteur", "H.", "Î", an AAT URI), or None.

    ``both_l``: the text writes both "L." and "l." ("L. 312 cm ; l. 24 cm", a French lace): the capital is then
    the length (longueur) and the small letter the width (largeur)."""
    text = word.strip().rstrip(".").strip()
    if not text:
        return None
    if both_l and text == "L":
        return "length"
    aat = re.search(r"aat/(\d+)", text)
    if aat and aat.group(1) in DIMENSION_AAT:
        return DIMENSION_AAT[aat.group(1)]
    key = term_key(text)
    if key in DIMENSION_WORDS:
        return DIMENSION_WORDS[key]
    first = key.split(" ")[0] if key else ""
    if len(first) > 2 and first in DIMENSION_WORDS:  # "Breite (geöffnet)", "hauteur totale"
        return DIMENSION_WORDS[first]
    language = (lang or "").split("-")[0].lower()
    for table in (_ABBREVIATIONS["*"], _ABBREVIATIONS.get(language, _ABBREVIATIONS["fr"])):
        if key in table:
            return table[key]
    return None


def unit_key(text: str) -> str | None:
    """The profile's unit key of a unit as written ("cm", "gr.", "Zentimeter", an AAT URI), or None."""
    aat = re.search(r"aat/(\d+)", text)
    if aat and aat.group(1) in UNIT_AAT:
        return UNIT_AAT[aat.group(1)]
    return UNIT_WORDS.get(term_key(text.strip().rstrip(".")))


def decimal_value(text: str) -> Decimal | None:
    """'21,2' (decimal comma), '0.018', '1 200' -> Decimal; None for what is not one number."""
    try:
        value = Decimal(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_display(text: str, lang: str | None = None, label: str | None = None,
                  types_hint: str | None = None) -> list[Dimension]:
    """The dimensions a displayed measurement text states (see the module docstring).

    ``label`` is the label the source gives the whole text (``@lido:label``, ``extentMeasurements``);
    ``types_hint`` a list of types given elsewhere for a list of values ("Objektmaß (H x B x L/T)")."""
    found: list[Dimension] = []
    if len(text or "") > _MAX_TEXT:
        return found
    both_l = bool(_CAPITAL_L.search(text or "") and _SMALL_L.search(text or ""))
    for line in _LINES.split(text or ""):
        part = label  # a part label ("Gesamt:") holds for the clauses after it on its line
        for clause in _CLAUSES.split(_INTERLEAVED.sub(" ", line)):
            if not clause or len(clause) > _MAX_CLAUSE:
                continue
            head = _PART_LABEL.match(clause)
            if head and not _is_types(head.group("label")):
                part, clause = head.group("label").strip(), clause[head.end():]
            found += _clause(clause, lang, part, types_hint, both_l)
    return found


def _is_types(text: str) -> bool:
    """Whether a text before a colon names measurement types ("Höhe", "H x D", "(H x D) (Deckel)")."""
    words = re.sub(r"(?<=\S)\s*\([^)]*\)\s*$", "", text.strip()).strip("() ")
    return all(dimension_key(w.split("/")[0]) for w in re.split(_TYPE_TIMES, words)) if words else False


def _note(note: str | None, part: str | None) -> str | None:
    inner = (note or "").strip("() ")
    return inner or part


def _clause(clause: str, lang: str | None, part: str | None, types_hint: str | None,
            both_l: bool = False) -> list[Dimension]:
    listed = _TYPES_THEN_VALUES.search(clause)
    if listed:
        kinds = [dimension_key(t.split("/")[0], lang, both_l) for t in re.split(_TYPE_TIMES, listed.group("types").strip("( "))]
        values = [decimal_value(v) for v in re.split(_TIMES, listed.group("values"))]
        unit = unit_key(listed.group("unit")) if listed.group("unit") else None
        label = _note(listed.group("note") or _trailing_note(clause[listed.end():]), part)
        if len(kinds) == len(values) and all(kinds) and all(v is not None for v in values):
            return [Dimension(k, v, unit, label) for k, v in zip(kinds, values) if k and v is not None]
        return []
    bare_list = re.fullmatch(rf"\s*(?P<values>{_NUMBER}(?:{_TIMES}{_NUMBER})+)\s*(?P<unit>{_UNIT})?\s*"
                             rf"(?P<note>\([^)]*\))?\s*", clause)
    if bare_list and types_hint:
        hinted = _TYPES_THEN_VALUES.search(f"{types_of(types_hint)} {bare_list.group('values')}")
        if hinted:
            return _clause(f"{hinted.group('types')}: {bare_list.group(0)}", lang, part, None)
    bare = _BARE_VALUE.match(clause.strip())
    if bare:
        unit = unit_key(bare.group("unit"))
        value = decimal_value(bare.group("number"))
        if unit in _MASS_UNITS and value is not None:  # a mass unit says what was measured
            return [Dimension("weight", value, unit, part)]
        return []
    matches = list(_LABELLED_VALUE.finditer(clause))
    out: list[Dimension] = []
    for i, match in enumerate(matches):
        kind = dimension_key(match.group("word"), lang, both_l)
        value = decimal_value(match.group("number"))
        if kind is None or value is None:
            continue
        written = match.group("unit") or next((m.group("unit") for m in matches[i + 1:] if m.group("unit")), None)
        unit = unit_key(written) if written else None
        label = _note(match.group("note") or (_trailing_note(clause[match.end():]) if i == len(matches) - 1
                                              else None), part)
        out.append(Dimension(kind, value, unit, label))
    return out


def _trailing_note(rest: str) -> str | None:
    found = re.match(r"\s*\(([^)]*)\)", rest)
    return found.group(1) if found else None


def types_of(hint: str) -> str:
    """The types list inside a hint such as "Objektmaß (H x B x L/T)"."""
    if len(hint) > _MAX_CLAUSE:
        return ""
    found = re.search(_TYPES, hint)
    return found.group(0) if found else ""


def decimal_literal(value: Decimal) -> Literal:
    """xsd:decimal in its canonical lexical form ("56.0", "81.5"), so that equal values give equal triples."""
    text = format(value.normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def add_dimension(graph: RecordTriples, node: URIRef, cho: URIRef, kind: str, value: Decimal, unit: str | None,
                  label: Literal | None = None) -> None:
    # ``label``: the part measured; the LIDO dialect adds further labels (other languages) to the node itself
    """The one way a dimension is written in the graph (docs/profile.md), whatever the dialect."""
    graph.add((cho, MUSENOR.dimension, node))
    graph.add((node, RDF.type, MUSENOR.Dimension))
    graph.add((node, MUSENOR.dimensionType, Literal(kind)))
    graph.add((node, RDF.value, decimal_literal(value)))
    if unit:
        graph.add((node, MUSENOR.unit, Literal(unit)))
    if label is not None:
        graph.add((node, SKOS.prefLabel, label))
