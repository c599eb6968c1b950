"""Cross-origin access for the machine-readable parts of the hub (Fetch standard, CORS protocol).

A notebook or a web application on another site reads the SPARQL endpoint, the linked-data URIs, the VoID
description, the dumps and ``/api/*``. Those answers carry ``Access-Control-Allow-Origin: *`` and a
preflight (``OPTIONS`` with ``Access-Control-Request-Method``) is answered with the methods and request headers
allowed. Credentials are never allowed: the data is public, and a wildcard origin with credentials would let
any site act with a visitor's cookies. Public pages and the OAI endpoint are left as they are.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

blueprint = Blueprint("cors", __name__)

# Path prefixes of the machine-readable answers, and the methods each accepts across origins.
READ_ONLY = ("GET", "HEAD", "OPTIONS")
CROSS_ORIGIN_PATHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/sparql", ("GET", "HEAD", "POST", "OPTIONS")),  # SPARQL 1.1 Protocol: query by GET and by POST
    ("/api/", ("GET", "HEAD", "POST", "OPTIONS")),
    ("/id/", READ_ONLY),
    ("/vocab/", READ_ONLY),
    ("/dumps/", READ_ONLY),
    ("/.well-known/void", READ_ONLY),
    ("/void", READ_ONLY),
    ("/catalog", READ_ONLY),
)
# Request headers a client may send beyond the CORS-safelisted ones: a SPARQL body type, content negotiation,
# conditional requests.
ALLOWED_HEADERS = ("Accept", "Accept-Language", "Content-Type", "If-None-Match", "If-Modified-Since")
# Response headers a script may read beyond the CORS-safelisted ones.
EXPOSED_HEADERS = ("ETag", "Last-Modified", "Link", "Location", "Content-Disposition", "Musenor-Truncated",
                   "Musenor-Row-Cap")
PREFLIGHT_MAX_AGE = 86400


def allowed_methods(path: str) -> tuple[str, ...] | None:
    """The methods another origin may use on ``path``, or None where cross-origin reads are not offered."""
    for prefix, methods in CROSS_ORIGIN_PATHS:
        if path == prefix.rstrip("/") or path.startswith(prefix):
            return methods
    return None


@blueprint.after_app_request
def _cross_origin(response: Response) -> Response:
    methods = allowed_methods(request.path)
    if methods is None:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.pop("Access-Control-Allow-Credentials", None)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        response.headers["Access-Control-Allow-Headers"] = ", ".join(ALLOWED_HEADERS)
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        # The preflight's answer depends on these request headers (Fetch, "CORS protocol and HTTP caches").
        response.vary.update(("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"))
    else:
        response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
    return response
