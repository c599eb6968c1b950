"""IIIF Presentation 3.0 manifests of records with images: ``/iiif/<museum>/<local id>/manifest.json``.

Built with ``iiif-prezi3`` (the IIIF community's library). One Canvas per image the hub holds (its display
size, ``musenor.oai_server.images``), in the record's order; the label is the title in each language the record has,
the metadata the fields a viewer shows beside the picture (creator, date, museum, inventory number), the
``requiredStatement`` the credit line, ``rights`` the record's rights statement when it is one the IIIF
spec accepts (Creative Commons or RightsStatements.org, 3.0 §3.3.1), ``homepage`` the record page and
``seeAlso`` the record's EDM. Europeana finds the manifest from the EDM: ``dcterms:isReferencedBy`` on the
``edm:WebResource`` of each image the manifest shows (``musenor.mappings.formats.edm``). The hub serves display
copies, not a IIIF Image API service, so the EDM states no ``svcs:Service``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, abort, request, url_for
from iiif_prezi3 import KeyValueString, Manifest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS, RDF, SKOS

from musenor.mappings import HubURIs
from musenor.mappings.namespaces import EDM
from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.images import Picture, pictures

blueprint = Blueprint("iiif", __name__)

RIGHTS_PREFIXES = ("http://creativecommons.org/licenses/", "http://creativecommons.org/publicdomain/",
                   "http://rightsstatements.org/vocab/")
CACHE_SECONDS = 3600
FIELD_LABELS = {"creator": {"fr": ["Créateur"], "en": ["Creator"]}, "date": {"fr": ["Date"], "en": ["Date"]},
                "museum": {"fr": ["Musée"], "en": ["Museum"]},
                "inventory": {"fr": ["Numéro d'inventaire"], "en": ["Inventory number"]}}


def manifest_path(museum: str, local: str) -> str:
    return f"/iiif/{museum}/{quote(local, safe='')}/manifest.json"


def _by_language(values: list[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for value in values:
        language = (value.language if isinstance(value, Literal) else None) or "none"
        found.setdefault(language, []).append(str(value))
    return found


def _labels(graph: Graph, term: Any) -> list[str]:
    if isinstance(term, Literal):
        return [str(term)]
    own = [o for o in graph.objects(term, SKOS.prefLabel) if isinstance(o, Literal)]
    chosen = [o for o in own if o.language in (None, "fr")] or own
    return [str(o) for o in chosen[:1]] or [str(term).rstrip("/").rsplit("/", 1)[-1]]


def build_manifest(graph: Graph, record_uri: URIRef, museum: str, museum_name: str, local: str,
                   held: list[Picture], root: str) -> dict[str, Any]:
    """The manifest of one record as a JSON object; ``root`` is the hub's address (scheme and host)."""
    cho = graph.value(record_uri, EDM.aggregatedCHO) or next(graph.subjects(RDF.type, EDM.ProvidedCHO), None)
    manifest_id = root + manifest_path(museum, local)
    title = _by_language(list(graph.objects(cho, DC.title))) or {"none": [local]}
    manifest = Manifest(id=manifest_id, label=title)
    metadata = []
    creators = [name for c in graph.objects(cho, DC.creator) for name in _labels(graph, c)]
    for key, values in (("creator", creators), ("date", [str(d) for d in graph.objects(cho, DCTERMS.created)]),
                        ("museum", [museum_name]), ("inventory", [str(i) for i in graph.objects(cho, DC.identifier)])):
        if values:
            metadata.append(KeyValueString(label=FIELD_LABELS[key], value={"none": values}))
    manifest.metadata = metadata
    credit = [str(c) for c in graph.objects(record_uri, DC.rights)] or [museum_name]
    manifest.requiredStatement = KeyValueString(label={"fr": ["Crédit"], "en": ["Attribution"]},
                                                value={"none": credit})
    rights = graph.value(record_uri, EDM.rights)
    if rights is not None and str(rights).startswith(RIGHTS_PREFIXES):
        manifest.rights = str(rights)
    record_page = root + url_for("pages.record", code=museum, local=local)
    manifest.homepage = [{"id": record_page, "type": "Text", "format": "text/html", "label": title}]
    manifest.seeAlso = [{"id": root + "/oai?" + urlencode({"verb": "GetRecord", "metadataPrefix": "edm",
                                                           "identifier": f"oai:{current_config().repository_identifier}"
                                                                         f":{museum}:{local}"}),
                         "type": "Dataset", "format": "text/xml",
                         "profile": "http://www.europeana.eu/schemas/edm/"}]
    for n, image in enumerate(held, start=1):
        canvas = manifest.make_canvas(id=f"{manifest_id.removesuffix('/manifest.json')}/canvas/{n}",
                                      label={"none": [f"{n}"]}, height=image.height, width=image.width)
        canvas.add_image(image_url=root + image.display, anno_page_id=f"{canvas.id}/page",
                         anno_id=f"{canvas.id}/image", format="image/jpeg", height=image.height, width=image.width)
        canvas.thumbnail = [{"id": root + image.thumbnail, "type": "Image", "format": "image/jpeg"}]
    manifest.thumbnail = [{"id": root + held[0].thumbnail, "type": "Image", "format": "image/jpeg"}]
    return json.loads(manifest.json())


def record_pictures(graph: Graph, record_uri: URIRef, museum: str) -> list[Picture]:
    """The images of a record the hub holds: the main one (edm:isShownBy), then the other views."""
    urls = [str(u) for u in graph.objects(record_uri, EDM.isShownBy)]
    urls += sorted(str(u) for u in graph.objects(record_uri, EDM.hasView))
    return pictures(urls, museum)


@blueprint.route("/iiif/<code>/<path:local>/manifest.json")
def manifest(code: str, local: str) -> Response:
    config = current_config()
    record_uri = HubURIs(config.base_uri, config.repository_identifier).record(code, local)
    found = current_catalogue().ledger.record_by_uri(str(record_uri))
    if found is None or found.deleted:
        abort(404 if found is None else 410)
    graph = Graph()
    graph.parse(data=found.description, format="nt")  # the campaign photographs too
    held = record_pictures(graph, record_uri, code)
    if not held:
        abort(404)  # a record without an image the hub holds has no manifest
    museum = config.museums.get(code)
    body = build_manifest(graph, record_uri, code, museum.name if museum else code, local, held,
                          request.host_url.rstrip("/"))
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/ld+json")
    response.headers["Content-Type"] = ('application/ld+json;profile="http://iiif.io/api/presentation/3/'
                                        'context.json"')
    # Viewers on other sites (Mirador, Universal Viewer, Europeana's) load manifests across origins.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response
