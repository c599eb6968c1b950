"""Telling the hub's administrators when something needs them: by e-mail and/or a webhook (``[alerts]``).

Three things deserve a message, each once: a run that failed (the source, a bug), a publish the completeness
gate refused (a full harvest that would delete a museum's records, a list that did not end), and a source
that stayed silent — nothing new, changed or deleted — for ``silent_runs`` runs in a row, which is how a
museum's broken export job or a frozen OAI endpoint shows itself. A silent source is reported on the run that
reaches the count, not on every run after it.

A failure to deliver an alert is logged and never fails the harvest that raised it.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from email.message import EmailMessage

import requests

from musenor.catalogue import Catalogue, HubConfig
from musenor.harvester.run import HarvestReport

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT = 10.0
SMTP_TIMEOUT = 30.0


@dataclass(frozen=True)
class Alert:
    kind: str  # run-failed | publish-refused | source-silent
    museum: str
    run_id: int | None
    reason: str

    @property
    def subject(self) -> str:
        what = {"run-failed": "harvest failed", "publish-refused": "publish refused",
                "source-silent": "source silent"}[self.kind]
        return f"[Musenor] {self.museum}: {what}"


def _brought_nothing(counts: dict[str, int]) -> bool:
    return not any(counts.get(k, 0) for k in ("new", "changed", "deleted"))


def alerts_for(config: HubConfig, catalogue: Catalogue, report: HarvestReport) -> list[Alert]:
    """What one harvest report calls for, given the museum's earlier runs in the ledger."""
    if report.status == "skipped":
        return []
    if report.status == "failed":
        kind = "publish-refused" if report.publish_refused else "run-failed"
        return [Alert(kind, report.museum, report.run_id, report.reason or "failed")]
    silent_runs = int(config.alerts["silent_runs"])
    recent = catalogue.ledger.runs(report.museum, limit=silent_runs + 1)
    finished = [run for run in recent if run.status in ("succeeded", "failed")]
    quiet = 0
    for run in finished:
        if run.status != "succeeded" or not _brought_nothing(run.counts):
            break
        quiet += 1
    if quiet == silent_runs:
        return [Alert("source-silent", report.museum, report.run_id,
                      f"the source brought nothing new, changed or deleted in the last {silent_runs} runs")]
    return []


class Alerter:
    """Sends alerts by the means ``[alerts]`` configures; does nothing when it configures none."""

    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self.settings = config.alerts

    @property
    def configured(self) -> bool:
        return bool(self.settings["email_to"] or self.settings["webhook_url"])

    def body(self, alert: Alert) -> str:
        museum = self.config.museums.get(alert.museum)
        name = f"{alert.museum} ({museum.name}, {museum.city})" if museum else alert.museum
        run = f"run {alert.run_id}" if alert.run_id is not None else "no run was recorded"
        return (f"{alert.subject.removeprefix('[Musenor] ')}\n\nMuseum: {name}\nHarvest: {run}\n"
                f"Reason: {alert.reason}\n\n{self.config.repository_name}, {self.config.base_uri}\n"
                f"See: musenor status {alert.museum} --errors\n")

    def send(self, alerts: Iterable[Alert]) -> None:
        for alert in alerts:
            if self.settings["email_to"]:
                try:
                    self.email(alert)
                except (OSError, smtplib.SMTPException) as exc:
                    log.error("alert e-mail about %s not sent: %s", alert.museum, exc)
            if self.settings["webhook_url"]:
                try:
                    self.post(alert)
                except requests.RequestException as exc:
                    log.error("alert webhook about %s not delivered: %s", alert.museum, exc)

    def email(self, alert: Alert) -> None:
        s = self.settings
        message = EmailMessage()
        message["Subject"] = alert.subject
        message["From"] = s["smtp_from"] or self.config.admin_email
        message["To"] = ", ".join(s["email_to"])
        message.set_content(self.body(alert))
        with smtplib.SMTP(s["smtp_host"], s["smtp_port"], timeout=SMTP_TIMEOUT) as smtp:
            if s["smtp_starttls"]:
                smtp.starttls()
            if s["smtp_user"]:
                smtp.login(s["smtp_user"], os.environ.get(s["smtp_password_env"], "") if s["smtp_password_env"]
                           else "")
            smtp.send_message(message)

    def post(self, alert: Alert) -> None:
        payload = {**asdict(alert), "subject": alert.subject, "text": self.body(alert),
                   "hub": self.config.base_uri}
        response = requests.post(self.settings["webhook_url"], data=json.dumps(payload, ensure_ascii=False)
                                 .encode("utf-8"), headers={"Content-Type": "application/json",
                                                            "User-Agent": self.config.user_agent},
                                 timeout=WEBHOOK_TIMEOUT)
        response.raise_for_status()


def alert_on(config: HubConfig, catalogue: Catalogue, reports: Iterable[HarvestReport]) -> list[Alert]:
    """Send what these harvest reports call for; the alerts, for the caller's log."""
    alerter = Alerter(config)
    if not alerter.configured:
        return []
    alerts = [alert for report in reports for alert in alerts_for(config, catalogue, report)]
    alerter.send(alerts)
    return alerts
