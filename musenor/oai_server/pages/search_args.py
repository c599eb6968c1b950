"""The parameters of a catalogue search, read the same way for the search page and for ``/api/search``.

| parameter | meaning |
|---|---|
| ``q`` | words; ``"a phrase"``, ``a OR b``, ``-word`` (``musenor.catalogue.search_query``) |
| ``museum``, ``type``, ``creator``, ``period``, ``material`` | facet keys, repeatable: OR within, AND across |
| ``from``, ``to`` | years (negative before the common era): records whose dates overlap them |
| ``images=1`` | only records with an image |
| ``sort`` | ``relevance`` (default with words), ``title`` (default without), ``date``, ``-date``, ``museum`` |
| ``page`` | from 1 |
| ``more`` | a facet to show whole (repeatable) |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from musenor.catalogue.search import FACETS, SORTS, SearchIndex, SearchResults

MAX_QUERY_CHARS = 500
MAX_PAGE = 500  # deep pages are for the SPARQL endpoint and the dumps
YEAR_LIMIT = 9999


class SearchArgumentError(ValueError):
    """A parameter the search cannot read; ``parameter`` names it."""

    def __init__(self, parameter: str, reason: str) -> None:
        self.parameter = parameter
        self.reason = reason
        super().__init__(f"{parameter}: {reason}")


@dataclass
class SearchArgs:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    with_images: bool = False
    sort: str | None = None
    page: int = 1
    expand: list[str] = field(default_factory=list)

    def run(self, index: SearchIndex, *, page_size: int, lang: str) -> SearchResults:
        return index.search(self.text, self.filters, page=self.page, page_size=page_size, lang=lang,
                            sort=self.sort, year_from=self.year_from, year_to=self.year_to,
                            with_images=self.with_images, expand=self.expand)

    def as_json(self) -> dict[str, Any]:
        return {"q": self.text, "filters": self.filters, "from": self.year_from, "to": self.year_to,
                "images": self.with_images, "sort": self.sort, "page": self.page}


def _year(args: MultiDict[str, str], name: str) -> int | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    try:
        year = int(value)
    except ValueError:
        raise SearchArgumentError(name, f"{value!r} is not a year") from None
    if abs(year) > YEAR_LIMIT:
        raise SearchArgumentError(name, f"{year} is out of range (-{YEAR_LIMIT}..{YEAR_LIMIT})")
    return year


def read_search_args(args: MultiDict[str, str]) -> SearchArgs:
    """The search of a query string; raises SearchArgumentError for a year or a sort it cannot read."""
    sort = args.get("sort") or None
    if sort is not None and sort not in SORTS:
        raise SearchArgumentError("sort", f"{sort!r} is not one of {', '.join(SORTS)}")
    try:
        page = int(args.get("page", "1") or "1")
    except ValueError:
        page = 1  # a mangled page number in a shared link still shows the search
    year_from, year_to = _year(args, "from"), _year(args, "to")
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from  # "from 1900 to 1800" means the nineteenth century
    return SearchArgs(
        text=args.get("q", "").strip()[:MAX_QUERY_CHARS],
        filters={facet: args.getlist(facet) for facet in FACETS if args.getlist(facet)},
        year_from=year_from, year_to=year_to, with_images=args.get("images") in ("1", "on", "true"),
        sort=sort, page=max(1, min(page, MAX_PAGE + 1)), expand=[f for f in args.getlist("more") if f in FACETS])


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links of a numbered pager: first, last and ``around`` each side of ``page``; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbered: list[int | None] = []
    for number in shown:
        if numbered and number - (numbered[-1] or 0) > 1:
            numbered.append(None)
        numbered.append(number)
    return numbered
