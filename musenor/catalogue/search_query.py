"""What a reader types into the search box, as FTS5 queries over stemmed, accent-folded text.

The index keeps every text field twice, stemmed by the French and by the English Snowball stemmer
(PyStemmer), after folding case, accents and ligatures: "Portraits", "portrait" and "PORTRAIT" meet, and so
do "églises" and "eglise". A query word is stemmed the same two ways and matches either column set, so a
French word finds French text and an English word English text, whatever the page language.

The syntax is the one readers know from POP and Europeana: words are ANDed; ``"a phrase"`` matches words
in that order; ``OR`` (or ``OU``) between two terms matches either; ``-word`` or ``-"a phrase"`` excludes.
A word written with inner punctuation ("P.1799.1", "Saint-Maurice") is a phrase of its parts, so an
inventory number matches as a whole. No FTS5 operator of the reader's gets through: every term is quoted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import Stemmer

LANGUAGES = ("fr", "en")
_STEMMERS = {"fr": Stemmer.Stemmer("french"), "en": Stemmer.Stemmer("english")}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}
# A quoted phrase (closing quote optional: a reader may forget it), or a run of non-space characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
OR_WORDS = frozenset({"OR", "OU"})
PREFIX_MIN = 3  # a word of three letters or more also matches the words it begins


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Latin letters folded by one table lookup each (indexing folds every word of a million records); other
# scripts go through Unicode decomposition.
_LATIN = {code: _strip_accents(chr(code)) for code in range(0x80, 0x250)}
_FOLD = str.maketrans({**_LATIN, **{ord(k): v for k, v in _LIGATURES.items()}})


def fold(text: str) -> str:
    """Lower case, ligatures spelt out, accents removed: the form both the index and queries are stemmed in."""
    folded = text.translate(_FOLD)
    return (folded if folded.isascii() else _strip_accents(folded)).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stemmed(text: str, lang: str) -> str:
    """``text`` as the index column of ``lang`` holds it: folded words, each replaced by its stem."""
    return " ".join(_STEMMERS[lang].stemWords(words(text)))


@dataclass
class Term:
    """One unit of a query: a word or a phrase (several words in order), maybe excluded, maybe prefix."""

    words: list[str]
    exclude: bool = False
    prefix: bool = False

    def stems(self, lang: str) -> list[str]:
        """This term's words as the index column of ``lang`` holds them."""
        return _STEMMERS[lang].stemWords(self.words)

    def fts(self, columns: dict[str, list[str]]) -> str:
        """This term over the French columns with French stems OR the English ones with English stems."""
        alternatives = []
        for lang in LANGUAGES:
            stems = self.stems(lang)
            phrase = '"' + " ".join(stems).replace('"', '""') + '"' + ("*" if self.prefix else "")
            alternatives.append("{" + " ".join(columns[lang]) + "} : " + phrase)
        return "(" + " OR ".join(dict.fromkeys(alternatives)) + ")"


@dataclass
class ParsedQuery:
    """Groups of terms: a document matches when it matches one term of every group and no excluded term."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    def match(self, columns: dict[str, list[str]]) -> str | None:
        if not self.groups:
            return None
        return " AND ".join("(" + " OR ".join(t.fts(columns) for t in group) + ")" for group in self.groups)

    def exclusion(self, columns: dict[str, list[str]]) -> str | None:
        if not self.excluded:
            return None
        return " OR ".join(t.fts(columns) for t in self.excluded)


def parse(text: str) -> ParsedQuery:
    """The reader's words as groups of terms (see the module's docstring for the syntax)."""
    query = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare in OR_WORDS:
            join_next = bool(query.groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            minus, bare = "-", bare[1:]
        found = words(phrase if phrase is not None else bare)
        if not found:
            continue
        term = Term(found, exclude=bool(minus),
                    prefix=phrase is None and len(found) == 1 and len(found[0]) >= PREFIX_MIN)
        if term.exclude:
            query.excluded.append(term)
            join_next = False
        elif join_next:
            query.groups[-1].append(term)
            join_next = False
        else:
            query.groups.append([term])
    return query
