"""The public catalogue pages: home, search with facets, record, museum and exhibition pages.

French first, English with ``?lang=en`` or the browser's Accept-Language (``i18n.py``). Search reads the
FTS5 index (``musenor.catalogue.search``), kept current by the server's sync step; record pages read the record's
graph from the ledger. Read-only: the public app has no write endpoint.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS, RDF, SKOS

from musenor.catalogue.search import (FACETS, SORTS, SearchIndex, SearchResults, TooManyFilters, century_labels,
                              century_of, search_index, short_key, sync_search, year_of)
from musenor.mappings import HubURIs
from musenor.mappings.formats.graph_reading import natural_key
from musenor.mappings.namespaces import EDM, MUSENOR, ORE
from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.iiif import manifest_path, record_pictures
from musenor.oai_server.images import picture
from musenor.oai_server.pages import i18n, schema_org
from musenor.oai_server.pages.labels import LabelLookup, pick
from musenor.oai_server.pages.search_args import MAX_PAGE, SearchArgs, SearchArgumentError, page_numbers, read_search_args

blueprint = Blueprint("pages", __name__)

PAGE_SIZE = 20
RIGHTS_LABELS = {
    "http://rightsstatements.org/vocab/InC/1.0/": ("Protégé par le droit d'auteur", "In copyright"),
    "http://rightsstatements.org/vocab/UND/1.0/": ("Statut des droits non déterminé", "Copyright not evaluated"),
    "http://rightsstatements.org/vocab/NoC-US/1.0/": ("Pas de droit d'auteur (États-Unis)",
                                                      "No copyright - United States"),
    "http://creativecommons.org/publicdomain/mark/1.0/": ("Domaine public", "Public domain"),
    "http://creativecommons.org/publicdomain/zero/1.0/": ("CC0 1.0", "CC0 1.0"),
    "http://creativecommons.org/licenses/by/4.0/": ("CC BY 4.0", "CC BY 4.0"),
    "http://creativecommons.org/licenses/by-sa/4.0/": ("CC BY-SA 4.0", "CC BY-SA 4.0"),
}
MACHINE_FORMATS = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML"), ("nt", "N-Triples"),
                   ("linked-art", "Linked Art JSON-LD"))
OAI_PREFIXES = (("oai_dc", "OAI-PMH Dublin Core"), ("lido", "OAI-PMH LIDO"), ("edm", "OAI-PMH EDM"))


def labels() -> LabelLookup:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lookup = app.extensions.get("musenor.labels")
    if lookup is None:
        lookup = app.extensions["musenor.labels"] = LabelLookup(current_catalogue(), current_config())
    return lookup


def index() -> SearchIndex:
    catalogue = current_catalogue()
    sync_search(catalogue, labels())  # cheap when current; the sync step usually did it already
    return search_index(catalogue)


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    catalogue = app.extensions["musenor.catalogue"]
    lookup = app.extensions.setdefault("musenor.labels", LabelLookup(catalogue, app.config["MUSENOR"]))
    sync = app.extensions.get("musenor.graph_sync")
    def follow_ledger(catalogue: Any) -> None:
        try:
            sync_search(catalogue, lookup)
        except Exception:  # noqa: BLE001 - a failing index must not fail every request; the next sync retries
            app.logger.exception("search index sync failed")

    if sync is not None:
        sync.listeners.append(follow_ledger)
    follow_ledger(catalogue)

    @app.context_processor
    def _page_helpers() -> dict[str, Any]:
        return {"hub": current_config(), "query_with": query_with, "title_of": title_of,
                "facet_names": FACETS, "sorts": SORTS}


def query_with(**changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            params += [(key, v) for v in value]
        else:
            params.append((key, value))
    return urlencode(params)


def title_of(summary: dict[str, Any], lang: str) -> str:
    return pick(summary.get("title") or {}, lang) or summary.get("inventory") or "—"


def _lang_arg() -> dict[str, str]:
    lang = i18n.current_language()
    return {"lang": lang} if lang != "fr" else {}


def _html(template: str, status: int = 200, **context: Any) -> Response:
    response = Response(render_template(template, **context), status=status, mimetype="text/html")
    response.vary.add("Accept-Language")
    return response


@blueprint.route("/")
def home() -> Response:
    config = current_config()
    counts = current_catalogue().ledger.museum_counts()
    museums = [(code, m, counts.get(code, {}).get("records", 0)) for code, m in sorted(
        config.museums.items(), key=lambda item: (item[1].city, item[1].name))]
    total = sum(n for _, _, n in museums)
    root = request.host_url.rstrip("/")
    return _html("home.html", museums=museums, total=total, sets=list(config.sets.values()),
                 structured=schema_org.script(schema_org.website(config.repository_name, root + "/",
                                                                 root + url_for("pages.search"))),
                 og=schema_org.opengraph(config.repository_name, request.url, i18n.current_language(),
                                         site=config.repository_name,
                                         description=i18n.translate("home_intro", i18n.current_language())))


def run_search(args: SearchArgs, lang: str, page_size: int) -> tuple[SearchResults, int]:
    """The results of ``args`` and the last page a reader may reach (MAX_PAGE at most)."""
    results = args.run(index(), page_size=page_size, lang=lang)
    return results, min(results.pages, MAX_PAGE)


@blueprint.route("/search")
def search() -> Response:
    lang = i18n.current_language()
    museum_names = {code: m.name for code, m in current_config().museums.items()}
    try:
        args = read_search_args(request.args)
    except SearchArgumentError as error:
        args = SearchArgs(text=request.args.get("q", "").strip()[:500])
        results, max_page = run_search(args, lang, PAGE_SIZE)
        return _html("search.html", status=400, q=args.text, args=args, results=results, filters={},
                     museum_names=museum_names, max_page=max_page, pager=[], error=error)
    try:
        results, max_page = run_search(args, lang, PAGE_SIZE)
    except TooManyFilters as exc:
        return Response(f"{exc}\n", status=400, mimetype="text/plain")
    out_of_range = results.total > 0 and results.page > max_page
    return _html("search.html", status=404 if out_of_range else 200, q=args.text, args=args, results=results,
                 filters=results_filters(results), museum_names=museum_names, max_page=max_page,
                 out_of_range=out_of_range, pager=page_numbers(min(results.page, max_page), max_page))


def results_filters(results: SearchResults) -> dict[str, list[str]]:
    """The facet keys chosen, as the index resolved them (a full URI in a link becomes its short key)."""
    return {facet: [v.key for v in values if v.selected] for facet, values in results.facets.items()
            if any(v.selected for v in values)}


def museum_of(record_uri: URIRef | str) -> str:
    base = current_config().base_uri
    return str(record_uri).removeprefix(f"{base}/id/record/").partition("/")[0]


def _record_view(graph: Graph, record_uri: URIRef, lang: str) -> dict[str, Any]:
    lookup = labels()
    cho = graph.value(record_uri, EDM.aggregatedCHO) or next(graph.subjects(RDF.type, EDM.ProvidedCHO), None)

    def label(term: Any, translate: bool = True) -> str:
        if isinstance(term, Literal):
            # A museum's own term ("huile sur toile"@fr) reads in the page's language when it is the label of
            # exactly one vocabulary concept that has one ("oil on canvas"@en).
            if translate and term.language and term.language != lang:
                concept = lookup.concept_named(str(term))
                translated = lookup(concept).get(lang) if concept else None
                if translated:
                    return translated
            return str(term)
        # the record's own labels first, the vocabulary's for the languages the record lacks
        own = {(o.language or ""): str(o) for o in graph.objects(term, SKOS.prefLabel) if isinstance(o, Literal)}
        found = pick({**lookup(str(term)), **own}, lang)
        if found:
            return found
        begin, end = graph.value(term, EDM.begin), graph.value(term, EDM.end)
        if begin is not None:  # a time-span the source gave only as dates
            return str(begin) if end is None or str(end) == str(begin) else f"{begin}–{end}"
        return str(term).rstrip("/").rsplit("/", 1)[-1]

    def texts(predicate: URIRef, translate: bool = False) -> list[str]:
        values = list(graph.objects(cho, predicate))
        preferred = [v for v in values if isinstance(v, Literal) and v.language == lang]
        chosen = preferred or [v for v in values if not (isinstance(v, Literal) and v.language and
                                                        any(isinstance(w, Literal) and w.language == "fr"
                                                            for w in values) and v.language != "fr")]
        return [label(v, translate) for v in chosen]

    def linked(predicate: URIRef, facet: str | None = None) -> list[dict[str, Any]]:
        found = []
        for value in graph.objects(cho, predicate):
            page = entity_page_path(str(value), lang) if isinstance(value, URIRef) else None
            entry = {"label": label(value), "uri": str(value) if isinstance(value, URIRef) else None, "page": page}
            # a person links to their page (which offers their works in the search); a type or a material to
            # the search it filters
            if facet and not (facet == "creator" and page):
                entry["search"] = url_for("pages.search", **{facet: short_key(str(value))}, **_lang_arg())
            found.append(entry)
        return sorted(found, key=lambda e: e["label"])

    def dimensions() -> list[str]:
        # The measurements the mapping read (docs/profile.md, musenor:dimension), in the page's language;
        # the museum's own display text only when it gave no number.
        # In source order (#dimension-2 before #dimension-10), each with the part measured ("Blatt") after it.
        measured = []
        for dim in sorted(graph.objects(cho, MUSENOR.dimension), key=natural_key):
            kind, value = graph.value(dim, MUSENOR.dimensionType), graph.value(dim, RDF.value)
            if kind is not None and value is not None:
                said = i18n.dimension(str(kind), str(value), str(graph.value(dim, MUSENOR.unit) or ""), lang)
                parts = list(graph.objects(dim, SKOS.prefLabel))
                part = next((p for p in parts if getattr(p, "language", None) == lang), parts[0] if parts else None)
                measured.append(f"{said} ({part})" if part is not None else said)
        return measured or texts(DCTERMS.extent)

    titles = {(t.language or ""): str(t) for t in graph.objects(cho, DC.title)}
    rights = graph.value(record_uri, EDM.rights)
    code = museum_of(record_uri)
    held = record_pictures(graph, record_uri, code)
    # Pages never embed a museum's full image: the hub's display copy, else the museum's own thumbnail.
    museum_thumbnail = graph.value(record_uri, EDM.object)
    image = held[0].display if held else (str(museum_thumbnail) if museum_thumbnail else None)
    full_image = graph.value(record_uri, EDM.isShownBy)
    views = [{"url": str(v), "thumbnail": str(graph.value(v, MUSENOR.thumbnail) or v),
              "credit": " · ".join(str(c) for p in (DCTERMS.creator, DC.rights) for c in graph.objects(v, p))}
             for v in sorted(graph.objects(record_uri, EDM.hasView))]
    if image is None and views:  # only the hub's campaign photographs show this work
        image = str(graph.value(URIRef(views[0]["url"]), MUSENOR.displayImage) or views[0]["url"])
        full_image = URIRef(views[0]["url"])

    def period(term: Any) -> str:
        # A dated time-span reads as its century in the page's language ("19th century"), as the facet does;
        # a named period keeps the vocabulary's or the museum's label.
        begin = graph.value(term, EDM.begin) or graph.value(term, EDM.end)  # "avant 1700" has only an end
        year = year_of(str(begin)) if begin is not None else None
        return century_labels(century_of(year))[lang] if year is not None else label(term)

    periods = list(dict.fromkeys(period(t) for t in graph.objects(cho, DCTERMS.temporal)))
    return {
        "cho": str(cho) if cho else None, "title": pick(titles, lang) or "—", "titles": titles,
        "alternative": texts(DCTERMS.alternative), "inventory": [str(v) for v in graph.objects(cho, DC.identifier)],
        "creators": linked(DC.creator, "creator"), "date": texts(DCTERMS.created, translate=True),
        "periods": periods,
        "types": linked(DC.type, "type"), "materials": linked(DCTERMS.medium, "material"),
        "techniques": linked(DC.format), "extent": dimensions(), "description": texts(DC.description),
        "subjects": linked(DC.subject), "places": linked(DCTERMS.spatial), "provenance": texts(DCTERMS.provenance),
        "image": str(image) if image else None, "full_image": str(full_image) if full_image else None,
        "pictures": held, "display_image": held[0].display if held else None,
        "thumbnail": held[0].thumbnail if held else (str(museum_thumbnail) if museum_thumbnail else None),
        "views": views,
        "shown_at": str(graph.value(record_uri, EDM.isShownAt) or "") or None,
        "rights": str(rights) if rights else None,
        "rights_label": RIGHTS_LABELS.get(str(rights), (str(rights), str(rights)))[0 if lang == "fr" else 1]
        if rights else None,
        "credit": [str(v) for v in graph.objects(record_uri, DC.rights)],
        "deposit_from": label(owner) if (owner := graph.value(cho, MUSENOR.owner)) is not None else None,
        "classification": linked(MUSENOR.classification),
        "schools": linked(MUSENOR.culture),
        "is_aggregation": (record_uri, RDF.type, ORE.Aggregation) in graph,
    }


ENTITY_PATHS = ("/id/agent/", "/id/place/", "/id/timespan/", "/vocab/")


def entity_page_path(uri: str, lang: str) -> str | None:
    """The hub's page of one of its agent, place or concept URIs (in the page's language), else None."""
    base = current_config().base_uri
    if not uri.startswith(base + "/"):
        return None
    path = uri.removeprefix(base)
    if not path.startswith(ENTITY_PATHS):
        return None
    return path + ("?lang=en" if lang == "en" else "")


@blueprint.route("/notice/<code>/<path:local>")
def record(code: str, local: str) -> Response:
    config = current_config()
    uris = HubURIs(config.base_uri, config.repository_identifier)
    record_uri = uris.record(code, local)
    found = current_catalogue().ledger.record_by_uri(str(record_uri))
    if found is None:
        return _html("not_found.html", status=404)
    if found.deleted:
        return _html("not_found.html", status=410, withdrawn=True)
    lang = i18n.current_language()
    graph = Graph()
    graph.parse(data=found.description, format="nt")
    view = _record_view(graph, record_uri, lang)
    museum = config.museums.get(code)
    root = request.host_url.rstrip("/")
    view["manifest"] = manifest_path(code, local) if view["pictures"] else None
    museum_name = museum.name if museum else code
    holder = schema_org.museum(museum_name, museum.city if museum else None,
                               root + url_for("pages.museum", code=code), museum.website if museum else None,
                               f"{config.base_uri}/id/museum/{code}")
    absolute = {**view, "display_image": root + view["display_image"] if view["display_image"] else None,
                "image": (root + view["image"]) if view["image"] and view["image"].startswith("/") else view["image"],
                "manifest": root + view["manifest"] if view["manifest"] else None}
    thumb = view["thumbnail"]
    og_image = (root + thumb if thumb and thumb.startswith("/") else thumb) if not view["display_image"] \
        else root + view["display_image"]
    return _html("record.html", record=view, found=found, record_uri=str(record_uri), museum=museum, code=code,
                 structured=schema_org.script(schema_org.artwork(absolute, request.base_url, holder, lang)),
                 og=schema_org.opengraph(view["title"], request.base_url, lang, kind="article",
                                         description=" ".join(view["description"])[:300] or None, image=og_image,
                                         site=config.repository_name),
                 machine_formats=[(name, label, f"{url_for('linked_data.record', code=code, local=local)}?"
                                   f"{urlencode({'format': name})}") for name, label in MACHINE_FORMATS],
                 oai_links=[(label, "/oai?" + urlencode({"verb": "GetRecord", "metadataPrefix": prefix,
                                                         "identifier": found.identifier}))
                            for prefix, label in OAI_PREFIXES])


@blueprint.route("/musees")
def museums() -> Response:
    config = current_config()
    counts = current_catalogue().ledger.museum_counts()
    listed = [(code, m, counts.get(code, {}).get("records", 0)) for code, m in sorted(
        config.museums.items(), key=lambda item: (item[1].city, item[1].name))]
    return _html("museums.html", museums=listed)


@blueprint.route("/musees/<code>")
def museum(code: str) -> Response:
    config = current_config()
    found = config.museums.get(code)
    if found is None:
        return _html("not_found.html", status=404)
    lang = i18n.current_language()
    results = index().search("", {"museum": [code]}, page=1, page_size=12, lang=lang)
    museum_uri = f"{config.base_uri}/id/museum/{code}"
    return _html("museum.html", code=code, museum=found, results=results, museum_uri=museum_uri,
                 structured=schema_org.script(schema_org.museum(found.name, found.city, request.base_url,
                                                                found.website, museum_uri)),
                 og=schema_org.opengraph(found.name, request.url, lang, site=config.repository_name,
                                         description=f"{found.name}, {found.city}"))


def record_page_url(record_uri: str, lang: str) -> str:
    """The public page of a record URI of this hub."""
    base = current_config().base_uri
    code, _, local = record_uri.removeprefix(f"{base}/id/record/").partition("/")
    from urllib.parse import unquote

    return url_for("pages.record", code=code, local=unquote(local), **({"lang": lang} if lang != "fr" else {}))


@blueprint.app_template_global()
def card_thumbnail(hit: Any) -> str | None:
    """A result card's picture: the hub's thumbnail of the record's image, else the museum's thumbnail."""
    image = hit.summary.get("image")
    held = picture(image, hit.museum) if image else None
    return held.thumbnail if held else hit.summary.get("thumbnail")


@blueprint.app_template_global()
def record_url(record_uri: str) -> str:
    return record_page_url(record_uri, i18n.current_language())


@blueprint.app_errorhandler(404)
def not_found(_: Exception) -> Response:
    if request.path.startswith(("/id/", "/vocab/", "/sparql", "/dumps/", "/oai")) and \
            request.accept_mimetypes.best_match(["text/plain", "text/html"]) != "text/html":
        response = Response("not found\n", status=404, mimetype="text/plain")
        response.vary.add("Accept")
        return response
    return _html("not_found.html", status=404)


# Routes of the pages blueprint kept in their own modules (imported last: they use the helpers above).
from musenor.oai_server.pages import api, discovery  # noqa: E402,F401
