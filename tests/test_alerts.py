"""Alerts: a failed run, a refused publish and a silent source reach the administrators by e-mail (a real
local SMTP server) and by webhook (a real local HTTP server)."""

from __future__ import annotations

import pytest

from musenor.catalogue import Catalogue
from demo.museum_endpoint import serve_repository
from fixtures.alerts.receivers import smtp_server, webhook_server
from fixtures.harvest.museum import hub_config, repository
from musenor.harvester import harvest_museums
from musenor.harvester.alerts import Alert, alerts_for

CODE = "M0629"


@pytest.fixture
def catalogue(tmp_path):
    opened = Catalogue(tmp_path / "data", open_graph=False)
    yield opened
    opened.close()


def config_for(tmp_path, url, **alerts):
    config = hub_config(tmp_path, {CODE: {"kind": "oai-pmh", "url": url, "timeout": 2, "max_retries": 0}})
    from dataclasses import replace

    from musenor.catalogue.config import ALERT_KEYS

    return replace(config, tables={"alerts": {**{k: v.default for k, v in ALERT_KEYS.items()}, **alerts}})


def test_a_failed_run_is_e_mailed(tmp_path, catalogue):
    with smtp_server() as (port, mailbox):
        config = config_for(tmp_path, "http://127.0.0.1:9/oai", email_to=["ops@musenor.example"],
                            smtp_host="127.0.0.1", smtp_port=port)
        [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
    assert report.status == "failed"
    [(sender, recipients, message)] = mailbox.messages
    assert (sender, recipients) == ("catalogue@musenor.fr", ["ops@musenor.example"])
    assert message["Subject"] == "[Musenor] M0629: harvest failed"
    body = message.get_payload(decode=True).decode()
    assert "Museum: M0629 (Musée M0629, Lille)" in body
    assert f"Harvest: run {report.run_id}" in body
    assert f"Reason: {report.reason}" in body


def test_a_failed_run_is_posted_to_the_webhook(tmp_path, catalogue):
    with webhook_server() as (url, received):
        config = config_for(tmp_path, "http://127.0.0.1:9/oai", webhook_url=url)
        [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
    [post] = received
    assert post["content_type"] == "application/json"
    assert {k: post["json"][k] for k in ("kind", "museum", "run_id", "reason", "subject", "hub")} == {
        "kind": "run-failed", "museum": CODE, "run_id": report.run_id, "reason": report.reason,
        "subject": "[Musenor] M0629: harvest failed", "hub": "http://hub.test"}


def test_a_refused_mass_deletion_is_its_own_alert(tmp_path, catalogue):
    with serve_repository(repository(30, page_size=10)) as endpoint:
        config = config_for(tmp_path, endpoint.oai_url)
        assert harvest_museums(config, catalogue, [CODE], jobs=1)[0].status == "succeeded"
        for identifier in list(endpoint.repository.records)[10:]:
            del endpoint.repository.records[identifier]
        [report] = harvest_museums(config, catalogue, [CODE], jobs=1, full=True)
    assert report.publish_refused
    assert alerts_for(config, catalogue, report) == [Alert("publish-refused", CODE, report.run_id, report.reason)]
    assert report.reason.startswith("a full harvest would delete 20 of 30 published records")


def test_a_source_silent_for_n_runs_is_reported_once(tmp_path, catalogue):
    with serve_repository(repository(5, page_size=10)) as endpoint:
        config = config_for(tmp_path, endpoint.oai_url, silent_runs=2)
        alerts = []
        for _ in range(4):
            [report] = harvest_museums(config, catalogue, [CODE], jobs=1, full=True)
            alerts.append([a.kind for a in alerts_for(config, catalogue, report)])
    # the first run brought 5 new records; the 2nd and 3rd nothing: reported at the 3rd, not again at the 4th
    assert alerts == [[], [], ["source-silent"], []]


def test_an_unreachable_mail_server_does_not_fail_the_harvest(tmp_path, catalogue, caplog):
    config = config_for(tmp_path, "http://127.0.0.1:9/oai", email_to=["ops@musenor.example"],
                        smtp_host="127.0.0.1", smtp_port=9)
    [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
    assert report.status == "failed"  # the harvest's own failure, reported as usual
    assert "alert e-mail about M0629 not sent" in caplog.text


def test_nothing_is_sent_without_an_alerts_table(tmp_path, catalogue):
    config = hub_config(tmp_path, {CODE: {"kind": "oai-pmh", "url": "http://127.0.0.1:9/oai", "timeout": 1,
                                          "max_retries": 0}})
    assert config.alerts["email_to"] == [] and config.alerts["webhook_url"] == ""
    [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
    assert report.status == "failed"
