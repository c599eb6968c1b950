"""The query page's vendored editor: its files, its licence, and the narrow style allowance in its policy."""

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

from musenor.oai_server import CONTENT_SECURITY_POLICY, content_security_policy  # noqa: E402
from musenor.oai_server.sparql.editor import EDITOR_POLICY, RESIZER_STYLE_HASHES  # noqa: E402

VENDOR = Path(__file__).resolve().parent.parent / "musenor" / "oai_server" / "static" / "vendor" / "yasgui"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("editor"))
    app = webcatalogue.make_app(config, catalogue)
    yield app.test_client()
    webcatalogue.close_app(app, catalogue)


def style_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def test_the_vendored_bundle_carries_its_version_and_licence():
    package = json.loads((VENDOR / "package.json").read_text())
    assert package["name"] == "@zazuko/yasgui" and package["license"] == "MIT"
    assert (VENDOR / "VERSION").read_text().strip() == package["version"]
    assert "MIT License" in (VENDOR / "LICENSE").read_text()


def test_the_bundle_names_no_source_map_it_does_not_ship():
    assert "sourceMappingURL" not in (VENDOR / "yasgui.min.js").read_text()


def test_the_styles_allowed_by_hash_are_exactly_those_the_bundle_inserts():
    bundle = (VENDOR / "yasgui.min.js").read_text()
    grips = re.findall(r"createStyle\(a,`( \.grip-resizable\{[^`]*)`\)", bundle)
    assert len(grips) == 1
    cursor = re.findall(r"createStyle\([^,]+,`\*\{cursor:`\+n\.opt\.dragCursor\+`!important\}`\)", bundle)
    assert len(cursor) == 1
    assert re.findall(r"dragCursor:`([^`]*)`", bundle) == ["col-resize"]  # the only value the rule takes
    assert set(RESIZER_STYLE_HASHES) == {style_hash(grips[0]), style_hash("*{cursor:col-resize!important}")}


def test_the_query_page_keeps_the_hubs_policy_plus_those_hashes_only(client):
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.headers["Content-Security-Policy"] == EDITOR_POLICY
    assert EDITOR_POLICY == CONTENT_SECURITY_POLICY.replace(
        "style-src 'self';", f"style-src 'self' '{RESIZER_STYLE_HASHES[0]}' '{RESIZER_STYLE_HASHES[1]}';")
    assert "unsafe" not in EDITOR_POLICY
    assert "script-src 'self';" in EDITOR_POLICY


def test_other_pages_keep_the_strict_style_policy(client):
    # The pages' own policy: the strict one, the default map tile server added to the image sources only.
    assert client.get("/").headers["Content-Security-Policy"] == content_security_policy(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "style-src 'self';" in CONTENT_SECURITY_POLICY


def test_the_page_gives_the_editor_its_endpoint_prefixes_and_examples(client):
    page = client.get("/sparql?example=works-by-creator", headers={"Accept": "text/html"}).data.decode()
    found = re.search(r'<script type="application/json" id="sparql-config">(.*?)</script>', page, re.S)
    settings = json.loads(found.group(1))
    assert settings["endpoint"] == "http://localhost/sparql"
    assert settings["prefixes"]["edm"] == "http://www.europeana.eu/schemas/edm/"
    assert settings["prefixes"]["museum"] == "http://hub.test/id/museum/"
    assert settings["query"] == settings["examples"]["works-by-creator"]
    assert settings["prefixes_url"] == "/sparql/prefixes.json"


def test_without_a_named_query_the_editor_keeps_the_readers_tabs(client):
    page = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    settings = json.loads(re.search(r'id="sparql-config">(.*?)</script>', page, re.S).group(1))
    assert settings["query"] == ""


def test_a_query_with_a_closing_script_tag_cannot_leave_the_config_block(client):
    query = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" }'
    page = client.get("/sparql", query_string={"query": query, "format": "html"}).data.decode()
    block = re.search(r'id="sparql-config">(.*?)</script>', page, re.S).group(1)
    assert json.loads(block)["query"] == query
    assert "<script>alert(1)" not in page


def test_prefixes_for_completion_in_prefix_cc_shape(client):
    prefixes = json.loads(client.get("/sparql/prefixes.json").data)
    assert prefixes["skos"] == "http://www.w3.org/2004/02/skos/core#"
    assert prefixes["musenor"] == "https://w3id.org/musenor/ns#"
