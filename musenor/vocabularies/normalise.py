"""How a free-text term or an authority URI is reduced to a key before it is looked up in a vocabulary.

Museum exports spell the same thing many ways: "Huile sur toile", "huile-sur-toile", "HUILES"; AAT as
``http://vocab.getty.edu/aat/300033618``, ``https://vocab.getty.edu/page/aat/300033618`` or ``aat:300033618``;
GND as ``http://d-nb.info/gnd/118…``, ``https://d-nb.info/gnd/118…`` or ``gnd:118…``. The vocabulary index and
the query go through the same functions, so both sides meet on one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o",
                            "ł": "l", "Ł": "l", "đ": "d", "’": "'", "ʼ": "'", "‘": "'"})
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Authority URIs in the spellings met in real LIDO (issue 4): scheme, pattern, canonical form.
_GETTY = re.compile(r"^(?:https?://)?vocab\.getty\.edu/(?:page/)?(aat|ulan|tgn)/(\d+)(?:\.(?:html|json|rdf|ttl))?/?$",
                    re.IGNORECASE)
_GETTY_PREFIXED = re.compile(r"^(aat|ulan|tgn)\s*[:/]\s*(\d+)$", re.IGNORECASE)
_GND = re.compile(r"^(?:https?://)?d-nb\.info/gnd/([0-9X-]+[0-9Xx])/?(?:about/\w+)?$", re.IGNORECASE)
_GND_PREFIXED = re.compile(r"^(?:gnd\s*:\s*|\(DE-588\)\s*)([0-9X-]+[0-9Xx])$", re.IGNORECASE)
_LIDO_TERM = re.compile(r"^(?:https?://)?terminology\.lido-schema\.org/(.+?)/?$", re.IGNORECASE)
_RIGHTS = re.compile(
    r"^(?:https?://)?(?:www\.)?rightsstatements\.org/(?:vocab|page)/([A-Za-z-]+)/([0-9.]+)/?(?:\?.*)?$", re.IGNORECASE)
_CREATIVE_COMMONS = re.compile(
    r"^(?:https?://)?(?:www\.)?creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/([0-9.]+)"
    r"(?:/[a-z]{2}(?:-[a-z]{2})?)?/?(?:(?:deed|legalcode)(?:\.[a-zA-Z_-]+)?)?$", re.IGNORECASE)
# Europeana's rights URIs before rightsstatements.org, spelled today as the statements Europeana itself migrated
# them to in 2016 ("unknown" said nobody had evaluated the status); the Deutsche Digitale Bibliothek's licence
# URIs (also under /content/lizenzen/): "Rechte vorbehalten - freier / eingeschränkter Zugang" reserve rights.
_EUROPEANA_RIGHTS = re.compile(r"^(?:https?://)?(?:www\.)?europeana\.eu/rights/([a-z-]+)/?$", re.IGNORECASE)
_EUROPEANA_MIGRATION = {
    "rr-f": "InC", "rr-p": "InC", "rr-r": "InC", "unknown": "CNE",
    "out-of-copyright-non-commercial": "NoC-NC", "orphan-work-eu": "InC-OW-EU",
}
_DDB_LICENCE = re.compile(
    r"^(?:https?://)?(?:www\.)?deutsche-digitale-bibliothek\.de/(?:content/)?lizenzen/([a-z0-9-]+)/?$", re.IGNORECASE)
_DDB_LICENCES = {
    "rv-fz": "http://rightsstatements.org/vocab/InC/1.0/", "rv-ez": "http://rightsstatements.org/vocab/InC/1.0/",
    "cc0": "http://creativecommons.org/publicdomain/zero/1.0/",
    "pd": "http://creativecommons.org/publicdomain/mark/1.0/",
}
_VIAF = re.compile(r"^(?:https?://)?(?:www\.)?viaf\.org/viaf/(\d+)/?$", re.IGNORECASE)
_WIKIDATA = re.compile(r"^(?:https?://)?(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q\d+)/?$", re.IGNORECASE)
_WIKIDATA_PREFIXED = re.compile(r"^wd\s*:\s*(Q\d+)$", re.IGNORECASE)
_GEONAMES = re.compile(r"^(?:https?://)?(?:www\.|sws\.)?geonames\.org/(\d+)(?:/.*)?$", re.IGNORECASE)
_ICONCLASS = re.compile(r"^(?:https?://)?(?:www\.)?iconclass\.org/(?:rkd/)?([^/?#]+)/?$", re.IGNORECASE)
_ANY_URI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)

# A materials-and-techniques statement ("plume et encre brune", "lavis brun sur papier") joins its terms with
# these words; they name no material or technique of their own (folded keys: "à" is "a", "d'" is "d").
LINK_WORDS = frozenset("""
a au aux avec d de des du en et l la le les sur
and in of on with  op met van  auf mit und
""".split())
# Colours qualify a material ("encre brune", "papier bleu") without making it another one; the statement's
# whole text stays in the graph, so the concept of the material loses nothing that the literal does not keep.
COLOUR_WORDS = frozenset("""
blanc blanche bleu bleue brun brune gris grise jaune noir noire rouge vert verte
black blue brown green grey gray red white yellow  blauw bruin grijs rood wit zwart  blau braun rot schwarz weiss
""".split())
# What follows "d'après" names the model ("... d'après négatif verre"), not this object's material.
_MODEL = re.compile(r"\b(?:d apres|after|naar|nach)\b.*$")
_STATEMENT_PARTS = re.compile(r"[,;/+]")


@lru_cache(maxsize=65536)  # a record folds each of its terms and labels, and most come back in every record
def fold(text: str) -> str:
    """Lower case, accents and ligatures folded: 'Éventail' -> 'eventail', 'Œuvre' -> 'oeuvre'."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)  # the same terms come back in every record of a museum
def term_key(term: str) -> str:
    """The lookup key of a free-text term: folded, punctuation and spacing runs as one space."""
    return _NON_WORD.sub(" ", fold(term)).strip()


def _singular(word: str) -> str:
    # Conservative, applied the same way to labels and queries, so a wrong stem only has to be consistent.
    # French/English -s/-x, French -eaux/-eux/-oux and -aux (chevaux; the irregular vitraux and émaux are
    # altLabels), English -ies; German/Dutch -en plurals (Münzen, schilderijen) are left to altLabels, where a
    # rule would do more harm than good.
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith(("eaux", "eux", "oux")) and len(word) > 4:
        return word[:-1]  # tableaux, jeux, bijoux
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem_key(term: str) -> str:
    """The key with each word singular: 'Peintures à l'huile' and 'peinture a l huile' meet."""
    return " ".join(_singular(word) for word in term_key(term).split())


def statement_parts(statement: str) -> list[list[str]]:
    """The key words of each comma-, semicolon- or slash-separated part of a materials-and-techniques statement,
    the model named after "d'après" left out: 'pierre noire, rehauts de craie sur papier' ->
    [['pierre', 'noire'], ['rehauts', 'de', 'craie', 'sur', 'papier']]."""
    parts = []
    for part in _STATEMENT_PARTS.split(statement):
        words = _MODEL.sub("", term_key(part)).split()
        if words:
            parts.append(words)
    return parts


@lru_cache(maxsize=65536)  # asked of every term of every record, as is canonical_uri
def looks_like_uri(text: str) -> bool:
    text = text.strip()
    return bool(_ANY_URI.match(text) or _GETTY_PREFIXED.match(text) or _GND_PREFIXED.match(text)
                or _WIKIDATA_PREFIXED.match(text))


@lru_cache(maxsize=65536)
def canonical_uri(text: str) -> str | None:
    """One spelling of an authority URI (http: for Getty, rightsstatements and Creative Commons as Europeana
    wants, https: for GND as the DNB now mints; retired rights URIs as their current statement), or None when
    the text is not a URI at all.

    Unknown URIs are kept as given, trimmed; only the authorities we know are rewritten.
    """
    text = text.strip()
    if not text:
        return None
    if m := (_GETTY.match(text) or _GETTY_PREFIXED.match(text)):
        return f"http://vocab.getty.edu/{m.group(1).lower()}/{m.group(2)}"
    if m := (_GND.match(text) or _GND_PREFIXED.match(text)):
        return f"https://d-nb.info/gnd/{m.group(1).upper()}"
    if m := _RIGHTS.match(text):
        return f"http://rightsstatements.org/vocab/{m.group(1)}/{m.group(2)}/"
    if (m := _EUROPEANA_RIGHTS.match(text)) and m.group(1).lower() in _EUROPEANA_MIGRATION:
        return f"http://rightsstatements.org/vocab/{_EUROPEANA_MIGRATION[m.group(1).lower()]}/1.0/"
    if (m := _DDB_LICENCE.match(text)) and m.group(1).lower() in _DDB_LICENCES:
        return _DDB_LICENCES[m.group(1).lower()]
    if m := _CREATIVE_COMMONS.match(text):
        return f"http://creativecommons.org/{m.group(1).lower()}/{m.group(2).lower()}/{m.group(3)}/"
    if m := _LIDO_TERM.match(text):
        return f"http://terminology.lido-schema.org/{m.group(1)}"
    if m := _VIAF.match(text):
        return f"http://viaf.org/viaf/{m.group(1)}"
    if m := (_WIKIDATA.match(text) or _WIKIDATA_PREFIXED.match(text)):
        return f"http://www.wikidata.org/entity/{m.group(1).upper()}"
    if m := _GEONAMES.match(text):
        return f"https://sws.geonames.org/{m.group(1)}/"
    if m := _ICONCLASS.match(text):
        return f"http://iconclass.org/{m.group(1)}"
    if _ANY_URI.match(text):
        return text
    return None
