"""``/api/search``: the catalogue search as JSON, with the parameters and facets of the search page.

The parameters are those of ``search_args`` (``q``, the facet keys, ``from``, ``to``, ``images``, ``sort``,
``page``, ``more``) plus ``page_size`` (1..100, default 20) and ``lang`` (labels' language). An unreadable
parameter is a 400 whose body names it; a page past the last is a 404 with the total, so a client paging
blindly stops cleanly. docs/search-api.md documents the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from musenor.catalogue.search import SearchHit, SearchResults, TooManyFilters
from musenor.oai_server import current_config
from musenor.oai_server.pages import PAGE_SIZE, blueprint, i18n, record_page_url, run_search, title_of
from musenor.oai_server.pages.search_args import SearchArgumentError, read_search_args

MAX_PAGE_SIZE = 100


def _error(status: int, parameter: str, reason: str) -> Response:
    response = jsonify({"error": {"parameter": parameter, "reason": reason}})
    response.status_code = status
    return response


def _hit(hit: SearchHit, lang: str, museum_names: dict[str, str]) -> dict[str, Any]:
    summary = hit.summary
    return {
        "identifier": hit.identifier, "record": hit.record_uri, "object": summary.get("object_uri"),
        "page": request.host_url.rstrip("/") + record_page_url(hit.record_uri, lang),
        "title": title_of(summary, lang), "titles": summary.get("title") or {},
        "creators": summary.get("creators") or [], "date": summary.get("date") or {},
        "inventory": summary.get("inventory"), "thumbnail": summary.get("thumbnail"),
        "museum": {"code": hit.museum, "name": museum_names.get(hit.museum, hit.museum)},
    }


def results_json(results: SearchResults, lang: str, last_page: int) -> dict[str, Any]:
    museum_names = {code: m.name for code, m in current_config().museums.items()}
    return {
        "total": results.total, "page": results.page, "pages": last_page, "page_size": results.page_size,
        "sort": results.sort, "lang": lang,
        "hits": [_hit(hit, lang, museum_names) for hit in results.hits],
        "facets": {facet: {"values": [{"key": v.key, "label": museum_names.get(v.key, v.label)
                                       if facet == "museum" else v.label, "count": v.count,
                                       "selected": v.selected} for v in values],
                           "distinct": results.facet_sizes.get(facet, len(values))}
                   for facet, values in results.facets.items()},
    }


@blueprint.route("/api/search")
def api_search() -> Response:
    lang = i18n.current_language()
    try:
        args = read_search_args(request.args)
    except SearchArgumentError as error:
        return _error(400, error.parameter, error.reason)
    try:
        page_size = int(request.args.get("page_size", PAGE_SIZE))
    except ValueError:
        return _error(400, "page_size", f"{request.args.get('page_size')!r} is not a number")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        return _error(400, "page_size", f"{page_size} is not between 1 and {MAX_PAGE_SIZE}")
    try:
        results, last_page = run_search(args, lang, page_size)
    except TooManyFilters as exc:
        return _error(400, "filters", str(exc))
    body = results_json(results, lang, last_page)
    body["query"] = args.as_json()
    response = jsonify(body)
    if results.total and results.page > last_page:
        response.status_code = 404
    response.vary.add("Accept-Language")
    return response
