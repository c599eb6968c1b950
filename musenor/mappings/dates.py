"""Display dates as museums write them, read into a begin and an end (docs/profile.md, ``edm:TimeSpan``).

Fewer than a third of real LIDO events carry machine-readable dates (issue 4); the rest only say "vers 1850",
"XIXe siècle", "2. Hälfte 20. Jahrhundert", "um 1939/1940?", "15. Mai 2014" or "211-244 n. Chr.". The one
public function, :func:`parse_display_date`, turns such a string into a :class:`DateSpan` or None when the text
names no date it can be sure of; the caller always keeps the display string as well.

Conventions, shared with the Joconde periods (``musenor.mappings.joconde_fields.period_span``): the 19th century is
1800/1899; a quarter, third or half is that share of it; "début"/"early"/"Anfang"/"începutul" is its first third
(1800/1833), "milieu"/"mid"/"Mitte"/"mijlocul" the middle third (1834/1866), "fin"/"late"/"Ende"/"sfârșitul" the
last third (1867/1899) (issue 13: a part of a century narrows to its third, no more). Years before the common
era use the astronomical count xsd:gYear follows (XSD 1.1): year -N is N+1 BCE, so "1er siècle av. J.-C." is
-0099/0000 and a bare "300 av. J.-C." is -0299.

Qualifiers are kept, not read as exact (issue 13): "vers 1875", "um 1500", "1850 ?" are ``approximate``; "ab 1664",
"après 1875", "1875 après", "after 1700" name a begin and no end (``open_end``); "avant 1700", "vor 1896" an end
and no begin (``open_begin``). :func:`timespan_triples` says them in the graph the one way docs/profile.md gives.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from musenor.mappings.namespaces import CRM, EDM

__all__ = ["APPROXIMATE", "OPEN", "DateSpan", "parse_display_date", "parse_iso_date", "timespan_triples"]

# The values of crm:P79_beginning_is_qualified_by / crm:P80_end_is_qualified_by (E62 String) the hub writes.
APPROXIMATE = "approximate"
OPEN = "open"

_LATEST_YEAR = 2100  # beyond this a "year" is another calendar or a typing slip (a Thai 2490 in real data)


@dataclass(frozen=True)
class DateSpan:
    """A begin and an end, each a year ("1850", "-0299") or a day ("1869-03-10"), and how sure they are.

    An open side (``open_begin``, ``open_end``) is not known: its string repeats the known bound so that ordering
    and joining still work, and :func:`timespan_triples` does not state it."""

    begin: str
    end: str
    approximate: bool = False
    open_begin: bool = False
    open_end: bool = False

    @property
    def qualifier(self) -> str | None:
        """What the time-span URI adds to its bounds so that "vers 1875" and "1875" are two time-spans."""
        words = [w for w, on in ((APPROXIMATE, self.approximate), ("before", self.open_begin),
                                 ("after", self.open_end)) if on]
        return "-".join(words) or None

    @property
    def label(self) -> str:
        """The TimeSpan's skos:prefLabel in EDTF (ISO 8601-2), which Europeana normalises dates to: '1850',
        '1850/1899', '1875~' (approximate), '1664/..' (no end), '../1700' (no begin)."""
        mark = "~" if self.approximate else ""
        begin, end = f"{self.begin}{mark}", f"{self.end}{mark}"
        if self.open_end:
            return f"{begin}/.."
        if self.open_begin:
            return f"../{end}"
        return begin if self.begin == self.end else f"{begin}/{end}"

    def begin_literal(self) -> Literal:
        return _typed(self.begin)

    def end_literal(self) -> Literal:
        return _typed(self.end)


def timespan_triples(uri: URIRef, span: DateSpan) -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    """The statements of an ``edm:TimeSpan`` (docs/profile.md): its known bounds, its EDTF label, and each
    qualified bound as ``crm:P79_beginning_is_qualified_by`` / ``crm:P80_end_is_qualified_by`` "approximate"
    or "open" (a bound the source leaves open is not stated at all)."""
    triples: list[tuple[URIRef, URIRef, Literal | URIRef]] = [(uri, RDF.type, EDM.TimeSpan),
                                                              (uri, SKOS.prefLabel, Literal(span.label))]
    if span.open_begin:
        triples.append((uri, CRM.P79_beginning_is_qualified_by, Literal(OPEN)))
    else:
        triples.append((uri, EDM.begin, span.begin_literal()))
        if span.approximate:
            triples.append((uri, CRM.P79_beginning_is_qualified_by, Literal(APPROXIMATE)))
    if span.open_end:
        triples.append((uri, CRM.P80_end_is_qualified_by, Literal(OPEN)))
    else:
        triples.append((uri, EDM.end, span.end_literal()))
        if span.approximate:
            triples.append((uri, CRM.P80_end_is_qualified_by, Literal(APPROXIMATE)))
    return triples


def _typed(value: str) -> Literal:
    return Literal(value, datatype=XSD.date if len(value.lstrip("-")) > 4 else XSD.gYear)


def _year(value: int) -> str:
    return f"-{-value:04d}" if value < 0 else f"{value:04d}"


def _day(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]) or not 0 < year <= _LATEST_YEAR:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# -- words ------------------------------------------------------------------------------------------------------
_MONTHS = {
    # fr, en, de, nl (accents folded before lookup); abbreviations with or without a dot
    "janvier": 1, "janv": 1, "january": 1, "jan": 1, "januar": 1, "januari": 1, "janner": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2, "februar": 2, "februari": 2,
    "mars": 3, "march": 3, "mar": 3, "marz": 3, "maart": 3, "mrt": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5, "mei": 5,
    "juin": 6, "june": 6, "jun": 6, "juni": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7, "juli": 7,
    "aout": 8, "august": 8, "aug": 8, "augustus": 8,
    "septembre": 9, "sept": 9, "september": 9, "sep": 9,
    "octobre": 10, "oct": 10, "october": 10, "oktober": 10, "okt": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12, "dezember": 12, "dez": 12,
    # Hungarian and Indonesian, as DDB records translate their display dates
    "marcius": 3, "aprilis": 4, "majus": 5, "junius": 6, "julius": 7, "augusztus": 8, "szeptember": 9,
    "maret": 3, "agustus": 8, "desember": 12, "nopember": 11,
}
_ORDINALS = {"premier": 1, "premiere": 1, "first": 1, "erste": 1, "ersten": 1, "erstes": 1, "eerste": 1,
             "deuxieme": 2, "second": 2, "seconde": 2, "zweite": 2, "zweiten": 2, "tweede": 2,
             "troisieme": 3, "third": 3, "dritte": 3, "dritten": 3, "derde": 3,
             "quatrieme": 4, "fourth": 4, "last": -1, "dernier": -1, "derniere": -1, "letzte": -1,
             "letzten": -1, "laatste": -1, "vierde": 4, "vierte": 4, "vierten": 4}
_PARTS = {"quart": 4, "quarter": 4, "viertel": 4, "kwart": 4, "moitie": 2, "half": 2, "halfte": 2, "helft": 2,
          "tiers": 3, "third": 3, "drittel": 3, "derde": 3}
# (offset, length) of a rough part of a century: its thirds, 00-33, 34-66, 67-99.
_FIRST, _MIDDLE, _LAST = (0, 34), (34, 33), (67, 33)
_ROUGH = {"debut": _FIRST, "early": _FIRST, "anfang": _FIRST, "fruhes": _FIRST, "fruhe": _FIRST,
          "begin": _FIRST, "vroeg": _FIRST, "inceputul": _FIRST,
          "milieu": _MIDDLE, "mid": _MIDDLE, "middle": _MIDDLE, "mitte": _MIDDLE, "midden": _MIDDLE,
          "mijlocul": _MIDDLE,
          "fin": _LAST, "late": _LAST, "ende": _LAST, "spates": _LAST, "spate": _LAST,
          "eind": _LAST, "laat": _LAST, "sfarsitul": _LAST}
_CENTURY_WORDS = r"(?:siecle|s|century|c|cent|jahrhunderts|jahrhundert|jh|jhd|jhdt|eeuw|e eeuw)"
_APPROXIMATE = re.compile(
    r"^(?:vers|env(?:iron)?|autour de|circa|cca|ca|c|um|gegen|etwa|omstreeks|rond|ongeveer|around|about|approx"
    r"(?:imately)?|probablement|wahrscheinlich|vermutlich|probably|aproximativ|probabil)\b\.?\s*", re.IGNORECASE)
# The same words written after the date, as Joconde's MILL field does ("1880 vers").
_APPROXIMATE_AFTER = re.compile(r"\s+(?:vers|env(?:iron)?|circa|ca)\.?$")
# A date with one bound (issue 13): "ab 1664" begins and does not end, "avant 1700" ends and does not begin;
# Joconde writes the word after the year ("1875 après").
_OPEN_END = re.compile(r"^(?:ab|seit|nach|apres|a partir de|depuis|des|after|since|from|post|na|vanaf|sinds|"
                       r"dupa|incepand cu)\s+(?=\d)")
_OPEN_BEGIN = re.compile(r"^(?:avant|vor|before|ante|bis|voor|inainte de|jusqu'en|until|up to)\s+(?=\d)")
_OPEN_END_AFTER = re.compile(r"(?<=\d)\s+(?:apres|et apres|ou apres|nach|und spater|or later|after)$")
_OPEN_BEGIN_AFTER = re.compile(r"(?<=\d)\s+(?:avant|ou avant|vor|oder fruher|or earlier|before)$")
# Romanian centuries: "sfârșitul sec. al XIX-lea", "mijlocul secolului al XVIII-lea", "secolul al XIX-lea".
_ROMANIAN_CENTURY = re.compile(r"\b(?:sec|secol|secolul|secolului)\b\.?\s+(?:al\s+)?([ivxl]+|\d{1,2})(?:\s*-?\s*lea)?$")
_UNCERTAIN_TAIL = re.compile(r"\s*(?:\?|\((?:[^)]*)\)|\[(?:[^\]]*)\])\s*$")
_BCE = re.compile(r"\s*(?:av(?:ant)?\.?\s*j\.?\s*-?\s*c\.?|b\.?\s*c\.?(?:e\.?)?|v\.?\s*chr\.?|vor\s+christus|"
                  r"v\.?\s*chr\.?\s*geb\.?|voor\s+christus|v\.?\s*c\.?)\s*$", re.IGNORECASE)
_CE = re.compile(r"\s*(?:ap(?:r(?:es)?)?\.?\s*j\.?\s*-?\s*c\.?|a\.?\s*d\.?|c\.?\s*e\.?|n\.?\s*chr\.?|nach\s+christus|"
                 r"na\s+christus|n\.?\s*c\.?)\s*$", re.IGNORECASE)
_AD_PREFIX = re.compile(r"^(?:a\.?\s*d\.?)\s+", re.IGNORECASE)
_UNDATED = re.compile(r"^(?:s\.?\s*d\.?|sans date|non date|undatiert|o\.?\s*j\.?|n\.?\s*d\.?|undated|"
                      r"zonder datum|z\.?\s*d\.?|inconnu|unknown|unbekannt|onbekend)$", re.IGNORECASE)

_EAST_ASIAN = re.compile(r"(\d{1,4})\s*[年년](?:\s*(\d{1,2})\s*[月월](?:\s*(\d{1,2})\s*[日일])?)?")
_ROMAN = re.compile(r"^[ivxl]+$", re.IGNORECASE)


def _roman(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    text = text.lower()
    if not _ROMAN.match(text):
        return None
    total = 0
    for char, following in zip(text, text[1:] + " "):
        value = values[char]
        total += -value if following != " " and values[following] > value else value
    return total if 0 < total <= 30 else None


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _roman(text)


def _normalise(text: str) -> str:
    """ASCII digits (Arabic-Indic, Persian, full-width), accents folded, lower case, dashes as '-'."""
    out = []
    for char in text:
        if char.isdigit() and not char.isascii():
            out.append(str(unicodedata.digit(char, 0)))
        elif char in "\u2010\u2011\u2012\u2013\u2014\u2212":
            out.append("-")
        else:
            out.append(char)
    # East Asian dates (DDB records carry them as translations): 1869年03月10日, 1869년 03월 10일; before NFKD,
    # which would split the Hangul syllables.
    text = _EAST_ASIAN.sub(lambda m: "-".join(g for g in m.groups() if g), "".join(out))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", text).strip(" ,;.-") if not re.match(r"^-\d", text.strip()) else text.strip(" ,;")


# -- single expressions ----------------------------------------------------------------------------------------
_ISO = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:t[\d:.]+z?)?$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[./](\d{4})$")
_YEAR_FIRST_WORD_DATE = re.compile(r"^(\d{4})\.?\s+([a-z]+)\.?\s+(\d{1,2})\.?$")  # Hungarian: 1869. március 10.
_WORD_DATE = re.compile(r"^(?:(\d{1,2})(?:er|\.)?\s+)?([a-z]+)\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{3,4})$")
_DECADE = re.compile(r"^(?:(?:les\s+)?annees\s+(\d{3}0)|(\d{3}0)\s*'?s|(\d{3}0)er(?:\s+jahre)?|jaren\s+(\d{3}0))$")
_CENTURY = re.compile(
    rf"^(?:(?P<ordinal>\d+|[a-z]+)\s*(?:er|ere|e|eme|nd|st|rd|th|de|ste|\.)?\s+(?P<kind>quart|quarter|viertel|kwart|"
    rf"moitie|half|halfte|helft|tiers|third|drittel|derde)\s+(?:(?:du|of the|of|des|van de|de la|de)\s+)?|"
    rf"(?P<rough>{'|'.join(sorted(_ROUGH, key=len, reverse=True))})\s*-?\s*(?:(?:du|of the|of|des|van de|de la|de)\s+)?)?"
    rf"(?P<century>\d{{1,2}}|[ivxl]+)\s*(?:er|ere|e|eme|nd|st|rd|th|de|ste|\.)?\s*-?\s*{_CENTURY_WORDS}\.?$")
_MILLENNIUM = re.compile(r"^(\d+|[ivx]+)\s*(?:er|ere|e|eme|st|nd|rd|th|\.)?\s*(?:millenaire|millennium|jahrtausend)$")


def _year_span(year: int, bce: bool) -> tuple[int, int] | None:
    if bce:
        return (-(year - 1), -(year - 1)) if year > 0 else None
    return (year, year) if 0 <= year <= _LATEST_YEAR else None


def _century_span(match: re.Match[str], bce: bool) -> tuple[int, int] | None:
    century = _number(match.group("century"))
    if not century or century > 21:
        return None
    start, length = (century - 1) * 100, 100
    if match.group("rough"):
        offset, length = _ROUGH[match.group("rough")]
        start += offset
    elif match.group("kind"):
        parts = _PARTS[match.group("kind")]
        ordinal_text = match.group("ordinal")
        ordinal = int(ordinal_text) if ordinal_text.isdigit() else _ORDINALS.get(ordinal_text)
        if ordinal == -1:
            ordinal = parts
        if not ordinal or not 1 <= ordinal <= parts:
            return None
        length = 100 // parts
        start += (ordinal - 1) * length
    if bce:
        return -(start + length) + 1, -start
    return max(start, 1), start + length - 1  # there is no year 0 of the common era


def _single(text: str, bce: bool) -> tuple[str, str] | None:
    """One date expression (no range) as (begin, end) strings, or None."""
    text = text.strip(" ,;")
    if not text:
        return None
    if m := _ISO.match(text):
        year = int(m.group(1))
        if m.group(1).startswith("-"):
            return (_year(year), _year(year)) if m.group(2) is None else None
        if m.group(3):
            day = _day(year, int(m.group(2)), int(m.group(3)))
            return (day, day) if day else None
        if m.group(2):
            return _month(year, int(m.group(2)))
        if len(m.group(1)) < 3 and not bce:
            return None  # "12" alone is no year a museum means
        span = _year_span(year, bce)
        return (_year(span[0]), _year(span[1])) if span else None
    if m := _DMY.match(text):
        day = _day(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return (day, day) if day else None
    if m := _MY.match(text):
        return _month(int(m.group(2)), int(m.group(1)))
    if m := _DECADE.match(text):
        decade = int(next(g for g in m.groups() if g))
        return _year(decade), _year(decade + 9)
    if (m := _YEAR_FIRST_WORD_DATE.match(text)) and m.group(2) in _MONTHS:
        day = _day(int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3)))
        return (day, day) if day else None
    if m := _WORD_DATE.match(text):
        month = _MONTHS.get(m.group(2))
        if month is None:
            return None
        day_text = m.group(1) or m.group(3)
        year = int(m.group(4))
        if day_text:
            day = _day(year, month, int(day_text))
            return (day, day) if day else None
        return _month(year, month)
    if m := _CENTURY.match(text):
        span = _century_span(m, bce)
        return (_year(span[0]), _year(span[1])) if span else None
    if m := _MILLENNIUM.match(text):
        n = _number(m.group(1))
        if not n or n > 3:
            return None
        start = (n - 1) * 1000
        return (_year(-(start + 1000) + 1), _year(-start)) if bce else (_year(start), _year(start + 999))
    return None


def _month(year: int, month: int) -> tuple[str, str] | None:
    first = _day(year, month, 1)
    if first is None:
        return None
    return first, _day(year, month, calendar.monthrange(year, month)[1]) or first


# -- ranges -----------------------------------------------------------------------------------------------------
_RANGE_WORDS = re.compile(r"^(?:entre|between|zwischen|tussen|de|du|from|von|van|ab)\s+(.+?)\s+"
                          r"(?:et|and|und|en|a|au|to|bis|tot|-)\s+(.+)$")
_SEPARATORS = re.compile(r"\s*/\s*|\s+-\s+|\s+(?:a|au|to|bis|tot|ou|or|oder|of)\s+|(?<=\d)-(?=\d)|"
                         r"(?<=[a-z.])-(?=\d|[ivx])|"
                         r"(?<=\d)-(?=[a-z])")


def _range(text: str, bce: bool) -> tuple[str, str] | None:
    if m := _RANGE_WORDS.match(text):
        return _join(m.group(1), m.group(2), bce)
    for sep in _SEPARATORS.finditer(text):
        left, right = text[:sep.start()], text[sep.end():]
        if left.strip() and right.strip():
            joined = _join(left, right, bce)
            if joined:
                return joined
    return None


def _join(left: str, right: str, bce: bool) -> tuple[str, str] | None:
    left, right = _strip_approximate(left)[0], _strip_approximate(right)[0]
    # "1850-60": the second year abbreviated to its last digits
    if re.fullmatch(r"\d{4}", left) and re.fullmatch(r"\d{1,2}", right):
        right = left[: 4 - len(right)] + right
    # "1er quart - 2e quart 19e siècle" / "Ende 19./Anfang 20. Jahrhundert": the century word said once
    # Each side may itself be a range ("um 1480 oder 1482/1485"): the whole spans both.
    first = _single(left, bce) or _range(left, bce)
    second = _single(right, bce) or _range(right, bce)
    if first is None and second is not None:
        word = re.search(rf"\b{_CENTURY_WORDS}\.?$", right)
        tail = re.search(rf"\s*(?:\d{{1,2}}|[ivxl]+)\s*(?:er|e|eme|th|de|\.)?\s*{_CENTURY_WORDS}\.?$", right)
        for ending in (word, tail):
            if ending and first is None:
                first = _single(f"{left} {ending.group(0).strip()}", bce)
    if first is None and second is not None and re.fullmatch(r"\d{1,4}", left.strip()) and bce:
        first = _single(left, bce)
    if first is None or second is None:
        return None
    begin, end = first[0], second[1]
    if _sort_key(begin) > _sort_key(end):
        return None
    return begin, end


def _sort_key(value: str) -> tuple[int, str]:
    year = int(value[:5]) if value.startswith("-") else int(value[:4])
    return year, value


def _strip_approximate(text: str) -> tuple[str, bool]:
    approximate = False
    text = text.strip()
    while True:
        stripped = _APPROXIMATE.sub("", text, count=1)
        tail = _UNCERTAIN_TAIL.sub("", stripped)
        if tail == text:
            return text.strip(" ,;"), approximate
        approximate = True
        text = tail.strip()


def parse_display_date(text: str | None) -> DateSpan | None:
    """The begin and end a display date names, or None when it names none that can be trusted.

    >>> parse_display_date("2e moitié XIXe siècle")
    DateSpan(begin='1850', end='1899', approximate=False)
    """
    if not text or not text.strip():
        return None
    raw = _normalise(text)
    if not raw or _UNDATED.match(raw):
        return None
    body, approximate = _strip_approximate(raw)
    bce = False
    if m := _BCE.search(body):
        body, bce = body[: m.start()].strip(), True
    elif m := _CE.search(body):
        body = body[: m.start()].strip()
    body = _AD_PREFIX.sub("", body)
    body, more_approximate = _strip_approximate(body)
    body = _ROMANIAN_CENTURY.sub(r"\1 siecle", body)
    open_end = open_begin = False
    # One bound, of one date: "from 1850 to 1860" and "ab 1850 bis 1860" are ranges, not open intervals.
    for pattern in (_OPEN_END, _OPEN_END_AFTER):
        if pattern.search(body) and _single(_strip_approximate(pattern.sub("", body))[0], bce):
            body, open_end = pattern.sub("", body).strip(), True
    if not open_end:
        for pattern in (_OPEN_BEGIN, _OPEN_BEGIN_AFTER):
            if pattern.search(body) and _single(_strip_approximate(pattern.sub("", body))[0], bce):
                body, open_begin = pattern.sub("", body).strip(), True
    if _APPROXIMATE_AFTER.search(body):
        body, more_approximate = _APPROXIMATE_AFTER.sub("", body), True
    body, still_approximate = _strip_approximate(body)
    span = _single(body, bce) or _range(body, bce)
    if span is None:
        return None
    if open_end:  # "ab 1664", "après 1850-1860": from the first bound on
        return DateSpan(span[0], span[0], approximate or more_approximate or still_approximate, open_end=True)
    if open_begin:  # "avant 1700": up to the last bound
        return DateSpan(span[1], span[1], approximate or more_approximate or still_approximate, open_begin=True)
    return DateSpan(span[0], span[1], approximate or more_approximate or still_approximate)


def parse_iso_date(text: str | None, *, end: bool = False) -> str | None:
    """A machine-readable date (LIDO earliestDate/latestDate: a year, year-month or day) as a begin string, or
    as an end string with ``end`` (so that a latestDate of "1850-03" ends on 31 March)."""
    if not text or not text.strip():
        return None
    span = _single(text.strip(), False)
    if span is None:
        return None
    return span[1] if end else span[0]
