"""What search engines read: ``/robots.txt`` and ``/sitemap.xml`` (sitemaps.org protocol 0.9).

A sitemap holds at most 50,000 URLs (sitemaps.org, "Sitemap file location" limits): past that,
``/sitemap.xml`` is a sitemap index of ``/sitemap-<n>.xml`` files. Listed: the home, museum and exhibition
pages, then every record page with its datestamp as ``lastmod``; read from the ledger by key range, so a
sitemap file of 50,000 records is one indexed scan.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Response, abort, request, url_for

from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.pages import blueprint, record_page_url

SITEMAP_LIMIT = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _root() -> str:
    return request.host_url.rstrip("/")


def _fixed_pages() -> list[str]:
    config = current_config()
    pages = [url_for("pages.home"), url_for("pages.museums"), url_for("exhibitions.index")]
    pages += [url_for("pages.museum", code=code) for code in sorted(config.museums)]
    pages += [url_for("exhibitions.exhibition", key=key) for key in sorted(config.sets)]
    return pages


def _record_count() -> int:
    return current_catalogue().ledger.conn.execute("SELECT COUNT(*) FROM records WHERE deleted = 0").fetchone()[0]


def _record_urls(offset: int, limit: int) -> list[tuple[str, str]]:
    rows = current_catalogue().ledger.conn.execute(
        "SELECT record_uri, hub_datestamp FROM records WHERE deleted = 0 ORDER BY identifier LIMIT ? OFFSET ?",
        (limit, offset)).fetchall()
    # the page of a record URI, as every link of the site builds it
    return [(record_page_url(record_uri, "fr"), datestamp) for record_uri, datestamp in rows]


def _xml(body: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="application/xml")


def _urlset(entries: list[tuple[str, str | None]]) -> Response:
    root = _root()
    lines = [f'<urlset xmlns="{SITEMAP_NS}">']
    for path, lastmod in entries:
        lines.append(f"<url><loc>{escape(root + path)}</loc>" + (f"<lastmod>{escape(lastmod)}</lastmod>"
                                                                 if lastmod else "") + "</url>")
    lines.append("</urlset>\n")
    return _xml("\n".join(lines))


def _entries(part: int) -> list[tuple[str, str | None]]:
    """The URLs of sitemap file ``part`` (from 1): the fixed pages first, then records by identifier."""
    fixed = _fixed_pages()
    start, end = (part - 1) * SITEMAP_LIMIT, part * SITEMAP_LIMIT
    entries: list[tuple[str, str | None]] = [(p, None) for p in fixed[start:end]]
    record_start = max(0, start - len(fixed))
    wanted = end - start - len(entries)
    if wanted > 0:
        entries += _record_urls(record_start, wanted)
    return entries


@blueprint.route("/sitemap.xml")
def sitemap() -> Response:
    total = len(_fixed_pages()) + _record_count()
    if total <= SITEMAP_LIMIT:
        return _urlset(_entries(1))
    parts = -(-total // SITEMAP_LIMIT)
    root = _root()
    lines = [f'<sitemapindex xmlns="{SITEMAP_NS}">']
    lines += [f"<sitemap><loc>{escape(root + url_for('pages.sitemap_part', part=n))}</loc></sitemap>"
              for n in range(1, parts + 1)]
    lines.append("</sitemapindex>\n")
    return _xml("\n".join(lines))


@blueprint.route("/sitemap-<int:part>.xml")
def sitemap_part(part: int) -> Response:
    total = len(_fixed_pages()) + _record_count()
    if part < 1 or total <= SITEMAP_LIMIT or (part - 1) * SITEMAP_LIMIT >= total:
        abort(404)
    return _urlset(_entries(part))


@blueprint.route("/robots.txt")
def robots() -> Response:
    # Crawlers are welcome on the pages; the query endpoints and the JSON API are for people's tools, and
    # a crawler following facet combinations would walk an endless space of searches.
    lines = ["User-agent: *", "Disallow: /sparql", "Disallow: /api/", "Disallow: /oai",
             "Disallow: /search?", "Allow: /", f"Sitemap: {_root()}{url_for('pages.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


