"""The endpoint over HTTP: content coding, the browser stylesheet, overload answered with 503."""

from __future__ import annotations

import gzip
import sys
import zlib
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402

from musenor.oai_server.oai import SLOTS  # noqa: E402


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("oai-http")
    config, catalogue = oc.build(data_dir, count=6, page_size=5)
    oc.settle(catalogue)
    app = oc.make_app(config, catalogue, OAI_MAX_CONCURRENT=1, OAI_QUEUE_SECONDS=0.05, OAI_RETRY_AFTER=17)
    yield app
    catalogue.close()


def test_gzip_when_the_client_accepts_it(app):
    response = app.test_client().get("/oai?verb=ListRecords&metadataPrefix=oai_dc",
                                     headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    oc.parse(gzip.decompress(response.data))


def test_deflate_when_the_client_accepts_only_deflate(app):
    response = app.test_client().get("/oai?verb=Identify", headers={"Accept-Encoding": "deflate"})
    assert response.headers["Content-Encoding"] == "deflate"
    oc.parse(zlib.decompress(response.data))


def test_identity_when_the_client_asks_for_no_coding(app):
    response = app.test_client().get("/oai?verb=Identify")
    assert "Content-Encoding" not in response.headers
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    oc.parse(response.data)


def test_a_refused_coding_is_not_used(app):
    response = app.test_client().get("/oai?verb=Identify", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in response.headers


def test_beyond_the_concurrency_limit_the_answer_is_503_with_retry_after(app):
    slots = app.extensions[SLOTS]
    assert slots.acquire(timeout=1)  # one request in flight holds the only slot
    try:
        response = app.test_client().get("/oai?verb=Identify")
    finally:
        slots.release()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "17"
    assert app.test_client().get("/oai?verb=Identify").status_code == 200


def test_responses_name_the_stylesheet_and_it_is_served(app):
    client = app.test_client()
    body = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").data
    assert body.splitlines()[1] == b'<?xml-stylesheet type="text/xsl" href="/oai/static/oai.xsl"?>'
    xsl = client.get("/oai/static/oai.xsl")
    assert xsl.status_code == 200
    page = etree.XSLT(etree.fromstring(xsl.data))(etree.fromstring(body))
    text = str(page)
    assert "<h2>Identifiers</h2>" in text
    assert "oai:musenor.test:M0629:INV%2000000%2Fa" in text
    assert "next page" in text


def test_stylesheet_renders_an_error_readably(app):
    client = app.test_client()
    body = client.get("/oai?verb=Nope").data
    text = str(etree.XSLT(etree.fromstring(client.get("/oai/static/oai.xsl").data))(etree.fromstring(body)))
    assert '<p class="error"><strong>badVerb</strong>: this is not a legal OAI-PMH verb</p>' in text


def test_server_settings_come_from_musenor_prefixed_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSENOR_OAI_RETRY_AFTER", "45")
    monkeypatch.setenv("MUSENOR_OAI_MAX_CONCURRENT", "1")
    config, catalogue = oc.build(tmp_path, count=1, page_size=5)
    try:
        app = oc.make_app(config, catalogue, OAI_QUEUE_SECONDS=0.05)
        assert (app.config["OAI_RETRY_AFTER"], app.config["OAI_MAX_CONCURRENT"]) == (45, 1)
        slots = app.extensions[SLOTS]
        assert slots.acquire(timeout=1)
        try:
            response = app.test_client().get("/oai?verb=Identify")
        finally:
            slots.release()
        assert (response.status_code, response.headers["Retry-After"]) == (503, "45")
    finally:
        catalogue.close()


CHROMIUM_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
                   "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


def test_a_browser_gets_the_stylesheets_page_rendered_by_the_server(app):
    response = app.test_client().get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
                                     headers={"Accept": CHROMIUM_ACCEPT})
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    page = response.data.decode("utf-8")
    assert page.startswith("<!doctype html>\n<html")
    assert "<h2>Identifiers</h2>" in page and "oai:musenor.test:M0629:INV%2000000%2Fa" in page


@pytest.mark.parametrize("accept", [None, "*/*", "text/xml", "application/xml", "application/xml, text/html;q=0.5"])
def test_harvesters_get_xml_whatever_they_accept(app, accept):
    headers = {"Accept": accept} if accept else {}
    response = app.test_client().get("/oai?verb=Identify", headers=headers)
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    oc.parse(response.data)
