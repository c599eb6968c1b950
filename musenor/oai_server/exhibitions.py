"""Exhibition pages: the index of exhibitions past and present, each exhibition as a cover with its sections,
works and captions, a full-screen image sequence, a printable checklist, and a IIIF Collection.

An exhibition is a curators' Markdown file (``musenor.catalogue.exhibitions``) or a plain curated set of musenor.toml
(shown as one section of its members, with its description as introduction). Works are read from the ledger
(their images, including the hub's campaign photographs) and the search index (titles, creators, dates).
Curators' text is rendered by markdown-it with raw HTML off; everything else is escaped by Jinja.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import DC, DCTERMS

from musenor.catalogue.exhibitions import ExhibitedWork, Exhibition, Section, configured_exhibitions
from musenor.catalogue.search import search_index
from musenor.mappings.namespaces import EDM, MUSENOR
from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.pages import i18n
from musenor.oai_server.iiif import manifest_path

blueprint = Blueprint("exhibitions", __name__)

MAX_SET_WORKS = 500  # a curated set shown as an exhibition; larger ones are for search and OAI
IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


@dataclass
class WorkView:
    """One work as an exhibition page shows it."""

    number: int
    identifier: str
    record_uri: str
    museum: str
    local_id: str
    title: str
    creators: str
    date: str
    inventory: str
    caption: str
    image: str | None  # the screen-sized image
    full: str | None  # the image itself
    thumbnail: str | None
    credit: str


def _exhibition(key: str) -> Exhibition | None:
    config = current_config()
    found = configured_exhibitions(config).get(key)
    if found is not None:
        return found
    curated = config.sets.get(key)
    if curated is None:
        return None
    # A plain curated set reads as an exhibition of one untitled section: its members, no text of their own.
    return Exhibition(key=key, title_fr=curated.name, title_en="", introduction=curated.description,
                      sections=(Section("", "", "", tuple(ExhibitedWork(name) for name in _set_members(key))),))


def _set_members(key: str) -> list[str]:
    rows = current_catalogue().ledger.conn.execute(
        "SELECT r.identifier FROM record_sets s JOIN records r ON r.identifier = s.identifier "
        "WHERE s.set_spec = ? AND r.deleted = 0 ORDER BY r.identifier LIMIT ?", (f"exhibition:{key}", MAX_SET_WORKS))
    return [r[0] for r in rows]


def _record(name: str):
    ledger = current_catalogue().ledger
    if name.startswith("oai:"):
        return ledger.record(name)
    code, _, local = name.partition(":")
    row = ledger.conn.execute("SELECT identifier FROM records WHERE museum = ? AND local_id = ?",
                              (code, local)).fetchone()
    return ledger.record(row[0]) if row else None


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fr") or value.get("") or next(iter(value.values()), "")
    return str(value or "")


def _work(number: int, work: ExhibitedWork, lang: str, summaries: dict[str, dict]) -> WorkView | None:
    record = _record(work.record)
    if record is None or record.deleted:
        return None  # withdrawn by its museum: the exhibition goes on without it
    graph = Graph().parse(data=record.ntriples, format="nt")
    record_uri = URIRef(record.record_uri)
    resources = [r for p in (EDM.isShownBy, EDM.hasView) for r in graph.objects(record_uri, p)]
    first = resources[0] if resources else None
    summary = summaries.get(record.record_uri, {})
    cho = graph.value(record_uri, EDM.aggregatedCHO)
    title = _text(summary.get("title"), lang) or record.local_id
    creators = " ; ".join(_text(c, lang) for c in summary.get("creators", []))
    credit = " · ".join(str(c) for p in (DCTERMS.creator, DC.rights) for c in graph.objects(first, p)) \
        if first is not None else ""
    inventory = " ; ".join(str(i) for i in graph.objects(cho, DC.identifier)) if cho is not None else ""
    return WorkView(
        number=number, identifier=record.identifier, record_uri=record.record_uri, museum=record.museum,
        local_id=record.local_id, title=title, creators=creators, date=_text(summary.get("date"), lang),
        inventory=inventory, caption=work.caption(lang),
        image=str(graph.value(first, MUSENOR.displayImage) or first) if first is not None else None,
        full=str(first) if first is not None else None,
        thumbnail=str(graph.value(first, MUSENOR.thumbnail) or summary.get("thumbnail") or first)
        if first is not None else summary.get("thumbnail"),
        credit=credit)


def _sections(exhibition: Exhibition, lang: str) -> list[tuple[Section, list[WorkView]]]:
    catalogue = current_catalogue()
    names = [w.record for s in exhibition.sections for w in s.works]
    records = {n: r for n in names if (r := _record(n)) is not None}
    hits = search_index(catalogue).documents([r.record_uri for r in records.values()])
    summaries = {h.record_uri: h.summary for h in hits}
    number = 0
    shown = []
    for section in exhibition.sections:
        works = []
        for work in section.works:
            view = _work(number + 1, work, lang, summaries)
            if view is not None:
                number += 1
                works.append(view)
        shown.append((section, works))
    return shown


def _html(template: str, status: int = 200, **context: Any) -> Response:
    response = Response(render_template(template, **context), status=status, mimetype="text/html")
    response.vary.add("Accept-Language")
    return response


def _dates(exhibition: Exhibition, lang: str) -> list[str]:
    def day(d: date) -> str:
        return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()

    return [f"{v.name}{', ' + v.city if v.city else ''} — "
            f"{i18n.translate('date_range', lang, start=day(v.start), end=day(v.end))}" for v in exhibition.venues]


@blueprint.route("/expositions")
def index() -> Response:
    lang = i18n.current_language()
    config = current_config()
    keys = sorted(set(config.sets) | set(configured_exhibitions(config)))
    today = date.today()
    groups: dict[str, list[dict[str, Any]]] = {"current": [], "upcoming": [], "past": []}
    for key in keys:
        exhibition = _exhibition(key)
        if exhibition is None:
            continue
        cover = _cover(exhibition, lang)
        groups[exhibition.status(today)].append({
            "key": key, "title": exhibition.title(lang), "dates": _dates(exhibition, lang),
            "cover": cover, "last": exhibition.last_date or date.max,
            "introduction": exhibition.introduction_text.split("\n\n")[0]})
    groups["past"].sort(key=lambda e: e["last"], reverse=True)
    return _html("exhibitions.html", groups=groups)


def _cover(exhibition: Exhibition, lang: str) -> WorkView | None:
    works = exhibition.works
    chosen = next((w for w in works if w.record == exhibition.cover), works[0] if works else None)
    if chosen is None:
        return None
    record = _record(chosen.record)
    summaries = {}
    if record is not None:
        summaries = {h.record_uri: h.summary for h in search_index(current_catalogue()).documents([record.record_uri])}
    return _work(0, chosen, lang, summaries)


@blueprint.route("/expositions/<key>")
def exhibition(key: str) -> Response:
    lang = i18n.current_language()
    found = _exhibition(key)
    if found is None:
        abort(404)
    sections = _sections(found, lang)
    sequence = [{"image": w.image, "full": w.full, "title": w.title, "caption": w.caption, "credit": w.credit}
                for _, works in sections for w in works if w.image]
    return _html("exhibition.html", exhibition=found, sections=sections, cover=_cover(found, lang),
                 dates=_dates(found, lang), sequence=json.dumps(sequence, ensure_ascii=False))


@blueprint.route("/expositions/<key>/liste")
def checklist(key: str) -> Response:
    lang = i18n.current_language()
    found = _exhibition(key)
    if found is None:
        abort(404)
    return _html("exhibition_checklist.html", exhibition=found, sections=_sections(found, lang),
                 dates=_dates(found, lang),
                 museum_names={code: m.name for code, m in current_config().museums.items()})


@blueprint.route("/iiif/collection/exhibition/<key>.json")
def iiif_collection(key: str) -> Response:
    """The exhibition as a IIIF Presentation 3 Collection of its works' manifests, in exhibition order."""
    found = _exhibition(key)
    if found is None:
        abort(404)
    root = request.host_url.rstrip("/")
    items = []
    for _section, works in _sections(found, "fr"):
        for work in works:
            if work.full is None:
                continue  # a work without an image has no manifest
            item: dict[str, Any] = {"id": root + manifest_path(work.museum, work.local_id), "type": "Manifest",
                                    "label": {"fr": [work.title]}}
            if work.caption:
                item["summary"] = {"fr": [work.caption]}
            if work.thumbnail:
                item["thumbnail"] = [{"id": work.thumbnail, "type": "Image", "format": "image/jpeg"}]
            items.append(item)
    label = {"fr": [found.title_fr]}
    if found.title_en:
        label["en"] = [found.title_en]
    body: dict[str, Any] = {
        "@context": IIIF_CONTEXT, "id": root + request.path, "type": "Collection", "label": label,
        "homepage": [{"id": root + url_for("exhibitions.exhibition", key=key), "type": "Text", "format": "text/html",
                      "label": label}],
        "items": items}
    if found.introduction_text:
        body["summary"] = {"fr": [found.introduction_text]}
    response = Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/ld+json")
    response.headers["Content-Type"] = f'application/ld+json;profile="{IIIF_CONTEXT}"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # viewers on other sites load collections
    return response

