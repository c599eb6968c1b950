"""The query page's editor: YASGUI, vendored under ``static/vendor/yasgui`` (``scripts/vendor-yasgui.sh``).

The page keeps the hub's Content-Security-Policy (own scripts, own styles, ``connect-src`` of this origin only,
so the editor cannot reach another site). One narrow addition: the table's column resizer (bundled in YASR)
inserts two fixed ``<style>`` elements, its grip layout and its drag cursor; they are allowed by their
SHA-256 hashes and nothing else inline is. ``tests/test_sparql_editor.py`` checks the vendored bundle still
holds exactly these texts, so refreshing YASGUI cannot silently loosen or break the policy.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from musenor.mappings.namespaces import PREFIXES
from musenor.oai_server import CONTENT_SECURITY_POLICY
from musenor.oai_server.sparql.examples import EXAMPLES

# base64 SHA-256 of the column resizer's grip stylesheet and of its drag cursor rule
# (``*{cursor:col-resize!important}``), as the vendored yasgui.min.js (4.6.2) writes them.
RESIZER_STYLE_HASHES = ("sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",
                        "sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=")
EDITOR_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self';", "style-src 'self' " + " ".join(f"'{h}'" for h in RESIZER_STYLE_HASHES) + ";")
# The hub's own URI spaces, so that result tables show museum:M0629 rather than the full IRI.
HUB_SPACES = ("museum", "object", "record", "agent", "place", "timespan")


def result_prefixes(base_uri: str) -> dict[str, str]:
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    prefixes.update({space: f"{base_uri}/id/{space}/" for space in HUB_SPACES})
    return prefixes


def editor_config(base_uri: str, query: str) -> dict[str, Any]:
    """What sparql-editor.js reads from the page: endpoint, the query to open, prefixes and examples."""
    return {"endpoint": url_for("sparql.endpoint", _external=True), "query": query,
            "prefixes": result_prefixes(base_uri), "prefixes_url": url_for("sparql.prefixes"),
            "examples": {example.key: example.query(base_uri) for example in EXAMPLES}}
