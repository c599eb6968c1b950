"""``/admin``: off unless configured, never open without signing in, CSRF-protected, and what it shows."""

from __future__ import annotations

import re

import pytest

from musenor.catalogue import Catalogue, load_config
from musenor.catalogue.harvest_requests import HarvestRequests
from fixtures.admin_hub import PASSWORD, harvested_hub, write_hub
from musenor.oai_server import create_app


def make_client(path):
    config = load_config(path)
    catalogue = Catalogue(config.data_dir, open_graph=False)  # the admin area reads the ledger only
    return config, catalogue, create_app(config, catalogue).test_client()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    return harvested_hub(tmp_path_factory.mktemp("hub"))


@pytest.fixture(scope="module")
def client(hub):
    config, catalogue, client = make_client(hub)
    yield client
    catalogue.close()


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def signed_in(client):
    client.get("/admin/logout")
    page = client.get("/admin/login").get_data(as_text=True)
    response = client.post("/admin/login", data={"user": "admin", "password": PASSWORD, "csrf_token": token_of(page)})
    assert response.status_code == 302
    return client


def test_the_admin_area_does_not_exist_unless_configured(tmp_path):
    _, catalogue, client = make_client(write_hub(tmp_path, admin=""))
    try:
        assert [client.get(path).status_code for path in ("/admin/", "/admin/login", "/admin/museums/M0650")] == [
            404, 404, 404]
        assert client.post("/admin/museums/M0650/requests", data={"action": "harvest"}).status_code == 404
    finally:
        catalogue.close()


def test_without_signing_in_every_page_leads_to_the_login_form(hub):
    _, catalogue, client = make_client(hub)
    try:
        response = client.get("/admin/museums/M0650")
        assert response.status_code == 302
        assert response.headers["Location"] == "/admin/login?next=/admin/museums/M0650"
        assert client.post("/admin/museums/M0650/requests", data={"action": "harvest"}).status_code == 302
        assert HarvestRequests(load_config(hub).data_dir).pending() == []
    finally:
        catalogue.close()


def test_a_wrong_password_is_refused(hub):
    _, catalogue, client = make_client(hub)
    try:
        page = client.get("/admin/login").get_data(as_text=True)
        response = client.post("/admin/login", data={"user": "admin", "password": "musee-2026",
                                                     "csrf_token": token_of(page)})
        assert response.status_code == 401
        assert "Wrong user name or password." in response.get_data(as_text=True)
        assert client.get("/admin/").status_code == 302
    finally:
        catalogue.close()


def test_signing_in_sets_a_strict_http_only_cookie_and_goes_back_where_asked(hub):
    _, catalogue, client = make_client(hub)
    try:
        page = client.get("/admin/login?next=/admin/museums/M0650").get_data(as_text=True)
        response = client.post("/admin/login?next=/admin/museums/M0650",
                               data={"user": "admin", "password": PASSWORD, "csrf_token": token_of(page)})
        assert response.headers["Location"] == "/admin/museums/M0650"
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    finally:
        catalogue.close()


def test_login_never_redirects_off_the_admin_area(hub):
    _, catalogue, client = make_client(hub)
    try:
        page = client.get("/admin/login").get_data(as_text=True)
        response = client.post("/admin/login?next=https://evil.example/admin",
                               data={"user": "admin", "password": PASSWORD, "csrf_token": token_of(page)})
        assert response.headers["Location"] == "/admin/"
    finally:
        catalogue.close()


def test_a_login_without_its_csrf_token_is_refused(client):
    response = client.post("/admin/login", data={"user": "admin", "password": PASSWORD})
    assert response.status_code == 400


def test_the_overview_lists_every_museum_with_its_last_run(client):
    html = signed_in(client).get("/admin/").get_data(as_text=True)
    rows = {m: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for m, row in re.findall(r'<tr data-museum="(M\d{4})">(.*?)</tr>', html, re.S)}
    assert list(rows) == ["M0619", "M0634", "M0650"]
    assert rows["M0650"].startswith("M0650 Musée de l&#39;hôtel Sandelin 44 0 ")
    assert " succeeded 0 " in rows["M0650"]
    assert "failed" in rows["M0634"] and "not-delivered.zip does not exist (source key &#39;path&#39;)" in rows["M0634"]
    assert rows["M0619"].split(" Chartreuse ")[1].startswith("1 0 ")  # one record published, the broken row failed


def table_rows(html: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_a_museum_page_shows_failed_records_with_reason_and_source(client):
    html = signed_in(client).get("/admin/museums/M0619").get_data(as_text=True)
    assert table_rows(html, "failed-records") == [["douai.csv line 3", "the row has 5 cells for 4 columns", "raw"]]


def test_a_museum_page_gives_the_curators_worklists_with_sample_records(client):
    html = signed_in(client).get("/admin/museums/M0619").get_data(as_text=True)
    assert table_rows(html, "unmapped") == [["COULEUR", "1", "D.17"]]
    assert table_rows(html, "unmatched") == [["ministry-deno", "gribouillis", "1", "D.17"]]
    assert '<a href="/notice/M0619/D.17">D.17</a>' in html


def test_a_museum_page_shows_the_history_of_runs(client):
    html = signed_in(client).get("/admin/museums/M0634").get_data(as_text=True)
    [run] = table_rows(html, "runs")
    assert run[0].endswith(" full") and run[3:9] == ["failed", "0", "0", "0", "0", "0"]  # exports: full runs
    assert run[9].endswith("not-delivered.zip does not exist (source key &#39;path&#39;)")


def test_the_raw_source_of_a_failed_record_downloads_as_received(client, hub):
    config = load_config(hub)
    html = signed_in(client).get("/admin/museums/M0619").get_data(as_text=True)
    link = re.search(r'href="(/admin/museums/M0619/runs/\d+/errors/[^"]+)" download', html).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="M0619-run')
    assert response.data == "REF;TITR;DENO;COULEUR\nD.18;Vue d'Arras;tableau;bleu;en trop\n".encode()
    assert config  # the hub the link belongs to


def test_a_button_asks_the_scheduler_through_the_catalogue(client, hub):
    signed_in(client)
    html = client.get("/admin/museums/M0650").get_data(as_text=True)
    response = client.post("/admin/museums/M0650/requests", data={"action": "full", "csrf_token": token_of(html)})
    assert response.status_code == 302
    requested = int(response.headers["Location"].rsplit("=", 1)[1])
    [request] = [r for r in HarvestRequests(load_config(hub).data_dir).pending() if r.id == requested]
    assert (request.museum, request.action, request.requested_by, request.status) == ("M0650", "full", "admin",
                                                                                      "pending")


def test_a_post_without_a_csrf_token_is_refused_and_asks_nothing(client, hub):
    signed_in(client)
    before = len(HarvestRequests(load_config(hub).data_dir).recent(limit=100))
    assert client.post("/admin/museums/M0650/requests", data={"action": "harvest"}).status_code == 400
    assert client.post("/admin/museums/M0650/requests", data={"action": "harvest", "csrf_token": "forged"}
                       ).status_code == 400
    assert len(HarvestRequests(load_config(hub).data_dir).recent(limit=100)) == before


def test_behind_a_trusted_proxy_the_header_names_the_administrator(tmp_path):
    _, catalogue, client = make_client(write_hub(tmp_path, admin='[admin]\ntrusted_header = "X-Remote-User"\n'))
    try:
        assert client.get("/admin/").status_code == 403  # the request did not come through the proxy
        page = client.get("/admin/", headers={"X-Remote-User": "alice"})
        assert page.status_code == 200 and '<strong id="admin-user">alice</strong>' in page.get_data(as_text=True)
        alice_token = token_of(page.get_data(as_text=True))
        # a token is its user's: another administrator's page cannot be made to post it
        assert client.post("/admin/museums/M0650/requests", headers={"X-Remote-User": "bob"},
                           data={"action": "harvest", "csrf_token": alice_token}).status_code == 400
        assert client.post("/admin/museums/M0650/requests", headers={"X-Remote-User": "alice"},
                           data={"action": "harvest", "csrf_token": alice_token}).status_code == 302
    finally:
        catalogue.close()


def test_the_scheduler_answers_requests_and_the_page_shows_the_outcome(tmp_path):
    from musenor.harvester import load_vocabularies
    from musenor.harvester.run import harvest_museum
    from musenor.harvester.scheduler import answer_requests

    path = harvested_hub(tmp_path)
    config = load_config(path)
    requests = HarvestRequests(config.data_dir)
    harvest_id = requests.add("M0650", "harvest", "admin")
    check_id = requests.add("M0650", "check", "admin")
    failing_id = requests.add("M0634", "full", "admin")
    catalogue = Catalogue(config.data_dir, open_graph=False)
    lines: list[str] = []
    vocabularies = load_vocabularies(config)
    done = answer_requests(config, lambda code, full: harvest_museum(config, catalogue, code, full=full,
                                                                     vocabularies=vocabularies),
                           lines.append, vocabularies)
    catalogue.close()
    assert done == 3
    outcomes = {r.id: (r.status, r.outcome) for r in requests.recent(limit=3)}
    assert outcomes[harvest_id][0] == "done" and "succeeded; new 0, changed 0, unchanged 44" in outcomes[harvest_id][1]
    assert outcomes[check_id] == ("done", "ready: 5 of 5 sample records map and validate")
    assert outcomes[failing_id][0] == "failed" and "not-delivered.zip does not exist" in outcomes[failing_id][1]
    assert lines[0] == f"M0650: harvest asked by admin (request {harvest_id})"
    assert requests.pending() == []


def test_password_guessing_is_stopped_after_five_wrong_passwords(hub):
    _, catalogue, client = make_client(hub)
    try:
        page = client.get("/admin/login").get_data(as_text=True)
        token = token_of(page)
        codes = [client.post("/admin/login", data={"user": "admin", "password": f"guess {n}", "csrf_token": token},
                             environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code for n in range(6)]
        assert codes == [401, 401, 401, 401, 401, 429]
        # even the right password waits out the window from that address; another address is not held back
        blocked = client.post("/admin/login", data={"user": "admin", "password": PASSWORD, "csrf_token": token},
                              environ_base={"REMOTE_ADDR": "198.51.100.9"})
        assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
        assert client.post("/admin/login", data={"user": "admin", "password": PASSWORD, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": "198.51.100.10"}).status_code == 302
    finally:
        catalogue.close()


def test_login_failures_are_forgotten_after_the_window():
    from musenor.oai_server.admin import LoginFailures

    now = [1000.0]
    failures = LoginFailures(2, 60, clock=lambda: now[0])
    failures.failed("a")
    failures.failed("a")
    assert failures.wait_seconds("a") == 61
    now[0] += 30
    assert failures.wait_seconds("a") == 31
    now[0] += 31
    assert failures.wait_seconds("a") == 0


def test_the_campaigns_page_reports_each_campaign_per_museum(tmp_path):
    path = write_hub(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + """
[campaigns.photo-2026]
name = "Campagne 2026"
museums = ["M0619"]
rights = "http://creativecommons.org/licenses/by/4.0/"
""", encoding="utf-8")
    from click.testing import CliRunner

    from musenor.cli import main

    CliRunner().invoke(main, ["--config", str(path), "harvest", "M0619"])
    _, catalogue, client = make_client(path)
    try:
        assert client.get("/admin/campaigns").status_code == 302  # signing in first, as everywhere
        signed_in(client)
        page = client.get("/admin/campaigns").get_data(as_text=True)
        row = re.search(r'<tr data-museum="M0619">(.*?)</tr>', page, re.S).group(1)
        assert re.findall(r'<td class="n">(\d+)</td>', row) == ["0", "0", "1"]
        plan = client.get("/admin/campaigns/photo-2026/plan.csv")
        assert plan.headers["Content-Disposition"] == 'attachment; filename="photo-2026-plan.csv"'
        assert plan.get_data(as_text=True).splitlines()[1].startswith("1,M0619,D.17,Paysage flamand,")
        assert client.get("/admin/campaigns/nope/plan.csv").status_code == 404
    finally:
        catalogue.close()
