"""schema.org JSON-LD and OpenGraph for the public pages: what search engines and link previews read.

A record page is a ``VisualArtwork`` (its creators ``Person``s, its holder a ``Museum``), a museum page a
``Museum``, a person page a ``Person``, a place page a ``Place``, a concept page a ``DefinedTerm``, the home
page a ``WebSite`` with its ``SearchAction``. Only values the page shows are stated, and only http(s) URLs:
the record graph is a museum's text.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

CONTEXT = "https://schema.org"


def _http(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def script(data: dict[str, Any]) -> Markup:
    """A ``<script type="application/ld+json">`` that no museum text can close early."""
    text = json.dumps({"@context": CONTEXT, **data}, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def website(name: str, url: str, search_url: str) -> dict[str, Any]:
    """The hub as a WebSite whose search engines may offer a search box (``SearchAction``)."""
    return {"@type": "WebSite", "name": name, "url": url,
            "potentialAction": {"@type": "SearchAction", "target": f"{search_url}?q={{search_term_string}}",
                                "query-input": "required name=search_term_string"}}


def museum(name: str, city: str | None, url: str, website: str | None, uri: str) -> dict[str, Any]:
    return _clean({"@type": "Museum", "@id": uri, "name": name, "url": url, "sameAs": _http(website),
                   "address": _clean({"@type": "PostalAddress", "addressLocality": city,
                                      "addressCountry": "FR"}) if city else None})


def person(name: str, uri: str, url: str, *, birth: str | None = None, death: str | None = None,
           same_as: list[str] | None = None, birth_place: str | None = None,
           death_place: str | None = None) -> dict[str, Any]:
    return _clean({"@type": "Person", "@id": uri, "name": name, "url": url, "birthDate": birth,
                   "deathDate": death, "sameAs": [u for u in same_as or [] if _http(u)],
                   "birthPlace": _clean({"@type": "Place", "name": birth_place}) if birth_place else None,
                   "deathPlace": _clean({"@type": "Place", "name": death_place}) if death_place else None})


def place(name: str, uri: str, url: str, *, point: tuple[float, float] | None = None,
          contained_in: str | None = None, same_as: list[str] | None = None) -> dict[str, Any]:
    return _clean({"@type": "Place", "@id": uri, "name": name, "url": url,
                   "geo": {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]} if point else None,
                   "containedInPlace": _clean({"@type": "Place", "name": contained_in}) if contained_in else None,
                   "sameAs": [u for u in same_as or [] if _http(u)]})


def defined_term(name: str, uri: str, url: str, *, alternate: list[str] | None = None,
                 term_set: str | None = None, same_as: list[str] | None = None) -> dict[str, Any]:
    """A vocabulary concept as a ``DefinedTerm`` of its scheme (``DefinedTermSet``)."""
    return _clean({"@type": "DefinedTerm", "@id": uri, "name": name, "url": url, "alternateName": alternate,
                   "inDefinedTermSet": _http(term_set), "sameAs": [u for u in same_as or [] if _http(u)]})


def artwork(record: dict[str, Any], url: str, holder: dict[str, Any], lang: str) -> dict[str, Any]:
    """The VisualArtwork of a record page's view (``pages._record_view``)."""
    return _clean({
        "@type": "VisualArtwork", "@id": record.get("cho"), "url": url, "name": record["title"],
        "inLanguage": lang,
        "creator": [_clean({"@type": "Person", "@id": c.get("uri"), "name": c["label"]})
                    for c in record.get("creators", [])],
        "dateCreated": "; ".join(record.get("date") or []) or None,
        "artform": "; ".join(t["label"] for t in record.get("types", [])) or None,
        "artMedium": "; ".join(m["label"] for m in record.get("materials", [])) or None,
        "description": " ".join(record.get("description") or []) or None,
        "identifier": (record.get("inventory") or [None])[0],
        "image": _http(record.get("display_image")) or _http(record.get("image")),
        "thumbnailUrl": _http(record.get("image")),
        "license": _http(record.get("rights")),
        "contentLocation": [_clean({"@type": "Place", "name": p["label"]}) for p in record.get("places", [])],
        "provider": holder,
        "subjectOf": _http(record.get("manifest")),
    })


def opengraph(title: str, url: str, lang: str, *, kind: str = "website", description: str | None = None,
              image: str | None = None, site: str | None = None) -> list[tuple[str, str]]:
    """OpenGraph properties (ogp.me) as (property, content) pairs."""
    pairs = [("og:title", title), ("og:type", kind), ("og:url", url),
             ("og:locale", "fr_FR" if lang == "fr" else "en_GB")]
    if site:
        pairs.append(("og:site_name", site))
    if description:
        pairs.append(("og:description", description[:300]))
    if _http(image):
        pairs.append(("og:image", image or ""))
    return pairs
