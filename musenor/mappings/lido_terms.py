"""The spellings real LIDO uses for the same thing, each reduced to one meaning (issue 4).

Measured on ~900 real records: ``lido:type`` on conceptIDs written URI/uri/url/global or as terminology URIs
(old readable ``identifier_type/uri`` and opaque ``lido00099``); ``lido:pref`` as preferred/alternate or
``lido00169``/``lido00170``; ``xml:lang`` as de/deu/ger, fr/fre/fra; AAT, GND and Iconclass written as URIs
in three spellings or as bare ids with a ``lido:source``. Event types, object types and roles are matched
against the vocabularies (``vocabularies``); this module only reads LIDO's own attribute conventions.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from musenor.vocabularies.normalise import canonical_uri, fold, looks_like_uri

LIDO_TERMS = "http://terminology.lido-schema.org/"

# ISO 639-2 (bibliographic and terminological) and common mistakes -> ISO 639-1, for xml:lang.
_ISO_639 = {
    "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "eng": "en", "dut": "nl", "nld": "nl", "ita": "it",
    "spa": "es", "lat": "la", "por": "pt", "pol": "pl", "rus": "ru", "gre": "el", "ell": "el", "cze": "cs",
    "ces": "cs", "dan": "da", "swe": "sv", "fin": "fi", "hun": "hu", "tur": "tr", "ara": "ar", "chi": "zh",
    "zho": "zh", "jpn": "ja", "kor": "ko", "heb": "he", "per": "fa", "fas": "fa", "rum": "ro", "ron": "ro",
    "ukr": "uk", "vie": "vi", "tha": "th", "ind": "id", "hin": "hi", "ben": "bn", "urd": "ur", "tam": "ta",
    "geo": "ka", "kat": "ka", "swa": "sw", "tgl": "tl", "nor": "no", "cat": "ca", "wel": "cy", "cym": "cy",
    "gle": "ga", "ice": "is", "isl": "is", "slo": "sk", "slk": "sk", "slv": "sl", "hrv": "hr", "srp": "sr",
    "bul": "bg", "lit": "lt", "lav": "lv", "est": "et", "ltz": "lb", "fry": "fy",
}
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
_LANG_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")

_URI_TYPES = {"uri", "url", "global", "purl", "http", "persistent", f"{LIDO_TERMS}identifier_type/uri",
              f"{LIDO_TERMS}lido00099"}
_LOCAL_TYPES = {"local", "local_identifier", "internal", f"{LIDO_TERMS}identifier_type/local_identifier",
                f"{LIDO_TERMS}lido00100"}

_PREFERRED = {"preferred", "pref", "bevorzugt", "prefere", f"{LIDO_TERMS}lido00169", f"{LIDO_TERMS}pref/preferred"}
_ALTERNATE = {"alternate", "alternative", "alt", f"{LIDO_TERMS}lido00170", f"{LIDO_TERMS}pref/alternate"}

# termMaterialsTech/@type: the LIDO 1.1 terms (lido00132 material, lido00131 technique) and what exports write.
_MATERIAL_TYPES = {"material", "materials", "materiau", "materiaux", "werkstoff", "materiaal", "medium", "support",
                   "termmaterialstech_type/material", "lido00132", "lido00427", "color", "colour", "farbe"}
_TECHNIQUE_TYPES = {"technique", "techniques", "technik", "techniek", "termmaterialstech_type/technique", "lido00131"}

# Sources naming an authority whose bare ids we can turn into URIs.
_SOURCE_BASES = (
    (re.compile(r"\baat\b|getty.*aat|vocab\.getty\.edu/aat", re.I), "aat:{}", re.compile(r"^\d{9}$")),
    (re.compile(r"\bgnd\b|d-nb\.info/gnd|\bdnb\b", re.I), "gnd:{}", re.compile(r"^[0-9X-]{5,}$")),
    (re.compile(r"\bulan\b", re.I), "ulan:{}", re.compile(r"^\d{9}$")),
    (re.compile(r"\btgn\b", re.I), "tgn:{}", re.compile(r"^\d{7}$")),
    (re.compile(r"iconclass", re.I), "http://iconclass.org/{}", re.compile(r"^\d[0-9A-Z()+ .:,-]*$")),
    (re.compile(r"geonames", re.I), "https://sws.geonames.org/{}/", re.compile(r"^\d+$")),
    (re.compile(r"wikidata", re.I), "http://www.wikidata.org/entity/{}", re.compile(r"^Q\d+$")),
    (re.compile(r"\bviaf\b", re.I), "http://viaf.org/viaf/{}", re.compile(r"^\d+$")),
)


def language_tag(value: str | None) -> str | None:
    """A BCP 47 tag for an xml:lang as exports write it: 'deu' and 'ger' -> 'de', 'EN' -> 'en', 'fr-FR' kept."""
    if not value or not value.strip():
        return None
    tag = value.strip().lower().replace("_", "-")
    primary, _, rest = tag.partition("-")
    primary = _ISO_639.get(primary, primary)
    tag = f"{primary}-{rest}" if rest else primary
    return tag if _LANG_TAG.match(tag) else None


def is_uri_type(type_attr: str | None) -> bool:
    return bool(type_attr) and fold(type_attr.strip()) in _URI_TYPES


def is_local_type(type_attr: str | None) -> bool:
    return bool(type_attr) and fold(type_attr.strip()) in _LOCAL_TYPES


def pref_kind(pref: str | None) -> str | None:
    """'preferred', 'alternate' or None (unknown or absent) for a lido:pref attribute."""
    if not pref:
        return None
    key = fold(pref.strip())
    if key in _PREFERRED:
        return "preferred"
    if key in _ALTERNATE:
        return "alternate"
    return None


def materials_tech_kind(type_attr: str | None) -> str | None:
    """'material', 'technique' or None for termMaterialsTech/@lido:type."""
    if not type_attr:
        return None
    key = fold(type_attr.strip())
    key = key[len(LIDO_TERMS):] if key.startswith(LIDO_TERMS) else key
    if key in _MATERIAL_TYPES:
        return "material"
    if key in _TECHNIQUE_TYPES:
        return "technique"
    return None


def authority_uri(value: str | None, type_attr: str | None = None, source: str | None = None) -> str | None:
    """The canonical URI a conceptID/actorID/placeID names, or None for a local id.

    A value that is a URI is one whatever its type says (most exports omit or misspell the type); a bare id
    becomes a URI only when its source names an authority we know and the id has that authority's shape.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    if looks_like_uri(text):
        uri = _valid(canonical_uri(text))
        return uri if uri and uri.lower().startswith(("http://", "https://")) else None
    if is_local_type(type_attr) and not source:
        return None
    for pattern, template, shape in _SOURCE_BASES:
        if source and pattern.search(source) and shape.match(text):
            return _valid(canonical_uri(template.format(text)))
    return None


def _valid(uri: str | None) -> str | None:
    """The URI percent-encoded where it holds characters an IRI may not (an Iconclass notation '25 F 27 (DOLPHIN)'
    becomes its URI without spaces, as iconclass.org writes it)."""
    if uri is None:
        return None
    if uri.startswith("http://iconclass.org/"):
        # '%' stays: an already escaped notation (25F27%28dolphin%29) must read the same the second time.
        uri = "http://iconclass.org/" + quote(uri[len("http://iconclass.org/"):].replace(" ", ""), safe="()+:,.-%")
    if _IRI_FORBIDDEN.search(uri):
        return None
    return uri


def is_lido_terminology(uri: str | None) -> bool:
    return bool(uri) and uri.startswith(LIDO_TERMS)
