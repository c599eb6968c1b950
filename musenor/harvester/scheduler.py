"""``musenor schedule``: each museum harvested on its own cron schedule from ``musenor.toml``.

APScheduler 3 runs one job per museum with a schedule (``max_instances=1``: a museum still being harvested
when its next time comes is skipped, not started twice, and a harvest in another process is skipped by the
museum's lock file); the thread pool is ``hub.concurrency`` wide, so at most that many museums are harvested
at once. Missed runs (the machine was asleep) are coalesced into one. A failing museum logs its reason and
the others go on.

Schedules are read in the hub's timezone (``[hub] timezone``, Europe/Paris by default): a museum that asks to
be harvested at 2:30 is harvested at 2:30 on its own clocks, summer and winter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from musenor.catalogue import Catalogue, GraphStoreBusy, HubConfig
from musenor.catalogue.harvest_requests import HarvestRequests
from musenor.catalogue.sets import CuratedSetFollower
from musenor.harvester.alerts import alert_on
from musenor.harvester.rendering import render_stale
from musenor.harvester.run import HarvestReport, harvest_museum
from musenor.harvester.workers import WorkerPool

MISFIRE_GRACE_SECONDS = 3600
REQUEST_POLL_SECONDS = 10  # how soon a button pressed in /admin is acted on


def describe(report: HarvestReport) -> str:
    c = report.counts
    line = (f"{report.museum} run {report.run_id or '-'}: {report.status}; new {c.get('new', 0)}, changed "
            f"{c.get('changed', 0)}, unchanged {c.get('unchanged', 0)}, deleted {c.get('deleted', 0)}, failed "
            f"{c.get('failed', 0)}; {report.duration:.1f} s")
    return f"{line}; {report.reason}" if report.reason else line


def trigger(config: HubConfig, schedule: str) -> CronTrigger:
    return CronTrigger.from_crontab(schedule, timezone=config.zone)


def next_harvests(config: HubConfig, now: datetime | None = None) -> dict[str, datetime]:
    """Each scheduled museum's next harvest time after ``now``, in the hub's timezone."""
    now = (now or datetime.now(config.zone)).astimezone(config.zone)
    times = {}
    for code, museum in sorted(config.museums.items()):
        if museum.schedule:
            when = trigger(config, museum.schedule).get_next_fire_time(None, now)
            if when is not None:
                times[code] = when
    return times


def answer_requests(config: HubConfig, harvest: Callable[[str, bool], HarvestReport], log: Callable[[str], None],
                    vocabularies: Any = None) -> int:
    """Do what the admin area asked for (harvests, full harvests, source checks); how many were done."""
    from musenor.harvester.check import check_source

    requests = HarvestRequests(config.data_dir)
    done = 0
    try:
        for request in requests.pending():
            if not requests.claim(request.id):
                continue  # another scheduler took it
            log(f"{request.museum}: {request.action} asked by {request.requested_by} (request {request.id})")
            try:
                if request.action == "check":
                    check = check_source(config, request.museum, vocabularies=vocabularies)
                    requests.finish(request.id, succeeded=check.ok, outcome=check.verdict)
                else:
                    report = harvest(request.museum, request.action == "full")
                    requests.finish(request.id, succeeded=report.status == "succeeded", outcome=describe(report))
            except Exception as exc:  # noqa: BLE001 - the request fails with its reason; the scheduler goes on
                requests.finish(request.id, succeeded=False, outcome=f"{exc.__class__.__name__}: {exc}")
            done += 1
    finally:
        requests.close()
    return done


def build_scheduler(config: HubConfig, catalogue: Catalogue, log: Callable[[str], None],
                    vocabularies: Any = None) -> BackgroundScheduler:
    """The scheduler with one job per scheduled museum, not started."""
    scheduler = BackgroundScheduler(executors={"default": ThreadPoolExecutor(max_workers=config.concurrency)},
                                    job_defaults={"coalesce": True, "max_instances": 1,
                                                  "misfire_grace_time": MISFIRE_GRACE_SECONDS},
                                    timezone=config.zone)
    sync_lock = threading.Lock()
    render_lock = threading.Lock()  # two museums' harvests ending together render once, not twice
    follow_sets = CuratedSetFollower(config)

    def harvest(code: str, full: bool = False) -> HarvestReport:
        log(f"{code}: {'full ' if full else ''}harvest starts")
        # The run's own pool (see workers): a large run maps in it, then renders what it published in it.
        workers = WorkerPool.for_hub(config)
        try:
            report = harvest_museum(config, catalogue, code, full=full, vocabularies=vocabularies, pool=workers)
            log(describe(report))
            for alert in alert_on(config, catalogue, [report]):
                log(f"{code}: alert sent: {alert.subject}")
            if report.status == "succeeded":
                with render_lock:
                    render_stale(config, catalogue, vocabularies=vocabularies, pool=workers)
        finally:
            workers.close()
        if report.status == "succeeded" and catalogue.has_graph:
            with sync_lock:
                try:
                    catalogue.sync_graph()
                    follow_sets(catalogue)
                except GraphStoreBusy:
                    pass
        return report

    for code, museum in sorted(config.museums.items()):
        if not museum.schedule:
            continue
        scheduler.add_job(harvest, trigger(config, museum.schedule), args=[code],
                          id=code, name=f"harvest {code}")

    if config.admin_enabled:
        scheduler.add_job(answer_requests, "interval", seconds=REQUEST_POLL_SECONDS, id="admin-requests",
                          name="requests from /admin", args=[config, harvest, log, vocabularies],
                          next_run_time=datetime.now(config.zone))

    def skipped(event: JobExecutionEvent) -> None:
        log(f"{event.job_id}: skipped, its previous harvest is still running")

    scheduler.add_listener(skipped, EVENT_JOB_MAX_INSTANCES)
    return scheduler


def run_scheduler(config: HubConfig, catalogue: Catalogue, log: Callable[[str], None]) -> None:
    from musenor.harvester import load_vocabularies

    scheduler = build_scheduler(config, catalogue, log, load_vocabularies(config))
    jobs = scheduler.get_jobs()
    if not jobs:  # with /admin on, the job answering its requests is always there
        log("no museum has a schedule in the configuration: nothing to do")
        return
    scheduler.start()
    for job in scheduler.get_jobs():
        if job.id in config.museums:
            log(f"{job.id}: next harvest {job.next_run_time:%Y-%m-%d %H:%M %Z}")
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        log("stopping: waiting for the running harvests to stage their page")
    finally:
        scheduler.shutdown(wait=True)
