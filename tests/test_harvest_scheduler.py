"""``musenor schedule``: one job per museum on its cron schedule, a museum still running is skipped, and
no more museums run at once than ``hub.concurrency``."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest

from musenor.catalogue import Catalogue
from demo.museum_endpoint import Fault, serve_repository
from fixtures.harvest.museum import hub_config, repository
from musenor.harvester import run_scheduler
from musenor.harvester.scheduler import build_scheduler



class Log:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()

    def __call__(self, line: str) -> None:
        with self.changed:
            self.lines.append(line)
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float = 60.0) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: predicate(self.lines), timeout), self.lines


@pytest.fixture
def endpoint():
    with serve_repository(repository(20, page_size=10)) as running:
        yield running


def config_for(tmp_path, endpoint, schedules, concurrency=1):
    config = hub_config(tmp_path, {code: {"kind": "oai-pmh", "endpoint": endpoint.oai_url, "backoff_seconds": 0}
                                   for code in schedules}, concurrency=concurrency)
    from dataclasses import replace

    return replace(config, museums={code: replace(m, schedule=schedules[code]) for code, m in config.museums.items()})


def test_one_job_per_scheduled_museum_with_its_cron_fields(tmp_path, endpoint):
    config = config_for(tmp_path, endpoint, {"M0629": "30 2 * * 1", "M0640": None})
    catalogue = Catalogue(config.data_dir, open_graph=False)
    scheduler = build_scheduler(config, catalogue, Log())
    [job] = scheduler.get_jobs()
    assert (job.id, str(job.trigger)) == ("M0629", "cron[month='*', day='*', day_of_week='1', hour='2', minute='30']")
    catalogue.close()


def test_without_any_schedule_the_scheduler_says_so_and_returns(tmp_path, endpoint):
    config = config_for(tmp_path, endpoint, {"M0629": None})
    log = Log()
    run_scheduler(config, Catalogue(config.data_dir, open_graph=False), log)
    assert log.lines == ["no museum has a schedule in the configuration: nothing to do"]


def test_a_museum_still_running_is_skipped_and_the_concurrency_limit_holds(tmp_path, endpoint):
    config = config_for(tmp_path, endpoint, {"M0629": "0 3 * * *", "M0640": "0 4 * * *"}, concurrency=1)
    catalogue = Catalogue(config.data_dir, open_graph=False)
    endpoint.faults.add(Fault("slow", page=0, delay=2.0, times=1))  # M0629's first page keeps it busy
    log = Log()
    scheduler = build_scheduler(config, catalogue, log)
    scheduler.start()
    try:
        now = datetime.now(timezone.utc)
        scheduler.modify_job("M0629", next_run_time=now)
        log.wait_for(lambda lines: "M0629: harvest starts" in lines)
        scheduler.modify_job("M0629", next_run_time=datetime.now(timezone.utc))
        scheduler.modify_job("M0640", next_run_time=datetime.now(timezone.utc))
        log.wait_for(lambda lines: sum("succeeded" in line for line in lines) == 2)
    finally:
        scheduler.shutdown(wait=True)
    counts = catalogue.ledger.museum_counts()
    catalogue.close()
    starts = [line for line in log.lines if line.endswith("harvest starts") or "succeeded" in line or "skipped" in line]
    assert starts[0] == "M0629: harvest starts"
    assert "M0629: skipped, its previous harvest is still running" in starts
    # with one worker, M0640 starts only after M0629 has ended
    assert starts.index("M0640: harvest starts") > next(i for i, s in enumerate(starts) if s.startswith("M0629 run 1"))
    assert starts.count("M0629: harvest starts") == 1
    assert counts == {"M0629": {"records": 20, "deleted": 0},
                                                "M0640": {"records": 20, "deleted": 0}}


def test_with_the_admin_area_on_the_scheduler_also_answers_its_requests(tmp_path, endpoint):
    from dataclasses import replace

    config = config_for(tmp_path, endpoint, {"M0629": "30 2 * * 1"})
    config = replace(config, tables={**config.tables, "admin": {**config.admin, "trusted_header": "X-Remote-User"}})
    catalogue = Catalogue(config.data_dir, open_graph=False)
    scheduler = build_scheduler(config, catalogue, Log())
    jobs = {job.id: str(job.trigger) for job in scheduler.get_jobs()}
    assert jobs == {"M0629": "cron[month='*', day='*', day_of_week='1', hour='2', minute='30']",
                    "admin-requests": "interval[0:00:10]"}
    catalogue.close()


def test_schedules_are_read_in_the_hubs_timezone(tmp_path, endpoint):
    config = config_for(tmp_path, endpoint, {"M0629": "30 2 * * *"})
    catalogue = Catalogue(config.data_dir, open_graph=False)
    [job] = build_scheduler(config, catalogue, Log()).get_jobs()
    assert str(job.trigger.timezone) == "Europe/Paris"
    catalogue.close()
