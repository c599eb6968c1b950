"""A large run maps in the pool of processes: what it publishes, and how it fails, is what mapping here gives."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.harvest.museum import hub_config, lido_record, lido_wrap
from musenor.catalogue import Catalogue
from musenor.harvester.rendering import render_stale
from musenor.harvester.run import RecordMapper, harvest_museum
from musenor.harvester.workers import WorkerPool

CODE = "M0634"
# A record without descriptiveMetadata (it names itself: its failure is counted under its identifier) and one
# without any identifier (counted under its position), amid good ones, across pages of three.
NO_DESCRIPTION = b'<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID lido:type="local">LPR-X</lido:lidoRecID></lido:lido>'
NO_IDENTIFIER = b'<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:descriptiveMetadata xml:lang="fr"/></lido:lido>'


@pytest.fixture
def export(tmp_path):
    records = [lido_record(f"LPR-1994.{n}", n=n, museum=CODE) for n in range(1, 9)]
    records[2:2] = [NO_DESCRIPTION]
    records[6:6] = [NO_IDENTIFIER]
    path = tmp_path / "export.xml"
    path.write_bytes(lido_wrap(records))
    return str(path)


@pytest.fixture
def mapped_here(monkeypatch):
    """The records mapped in this process (the workers are other processes: patching here does not reach them)."""
    calls: list[str] = []
    real = RecordMapper.map

    def counting(self, record):
        calls.append(record.position)
        return real(self, record)

    monkeypatch.setattr(RecordMapper, "map", counting)
    return calls


def harvest(tmp_path, name: str, path: str, pool: WorkerPool | None):
    config = hub_config(tmp_path / name, {CODE: {"kind": "lido-file", "path": path}}, page_size=3)
    catalogue = Catalogue(config.data_dir, open_graph=False)
    report = harvest_museum(config, catalogue, CODE, full=True, pool=pool)
    assert report.status == "succeeded", report.reason
    render_stale(config, catalogue, pool=pool)
    published = {r.identifier: (r.graph, sorted(r.sets), r.source_datestamp) for r in catalogue.ledger.records(CODE)}
    ids = sorted(published)
    renderings = {fmt: catalogue.ledger.renderings(ids, fmt, _version(config)) for fmt in ("oai_dc", "lido", "edm")}
    catalogue.close()
    return report, published, {fmt: {i: _undated(body) for i, (_, body) in rows.items()}
                               for fmt, rows in renderings.items()}


def _undated(body: bytes | None) -> bytes | None:
    """The rendering without the moment its version was mapped (provenance's generatedAtTime), which differs
    from one harvest to the next."""
    return None if body is None else re.sub(rb"(<lido:recordMetadataDate[^>]*>)[^<]*", rb"\1", body)


def _version(config) -> str:
    from musenor.harvester.rendering import hub_render_context
    from musenor.mappings.rendering import renderer_version

    return renderer_version(hub_render_context(config))


@pytest.fixture
def pool():
    workers = WorkerPool("http://hub.test", "musenor.fr", "Musenor", {CODE: f"Musée {CODE}"}, jobs=2)
    yield workers
    workers.close()


def test_records_mapped_in_the_pool_publish_as_mapped_here(tmp_path, export, pool, mapped_here, monkeypatch):
    here = harvest(tmp_path, "here", export, None)
    assert len(mapped_here) == 10
    mapped_here.clear()
    monkeypatch.setattr("musenor.harvester.run.POOL_THRESHOLD", 1)
    report, published, renderings = harvest(tmp_path, "pool", export, pool)
    assert mapped_here == []  # every record went to the workers
    assert pool.started and not pool.broken
    assert published == here[1]
    assert len(published) == 8
    assert renderings == here[2]
    assert all(len(rows) == 8 and all(rows.values()) for rows in renderings.values())
    assert report.counts == here[0].counts
    assert (report.counts["new"], report.counts["failed"]) == (8, 2)
    assert report.errors == here[0].errors == [
        ("export.xml#7", "no lidoRecID, recordID, objectPublishedID or workID: the record has no identifier"),
        (f"oai:musenor.fr:{CODE}:LPR-X", "no descriptiveMetadata")]


def test_a_pool_whose_workers_died_costs_no_record(tmp_path, export, pool, mapped_here, monkeypatch):
    executor = pool.executor()
    executor.submit(os.getpid).result()  # the workers are up
    for pid in list(executor._processes):
        os.kill(pid, signal.SIGKILL)
    monkeypatch.setattr("musenor.harvester.run.POOL_THRESHOLD", 1)
    report, published, renderings = harvest(tmp_path, "pool", export, pool)
    assert pool.broken
    assert len(mapped_here) == 10  # mapped here instead
    assert (report.counts["new"], report.counts["failed"]) == (8, 2)
    assert all(len(rows) == 8 for rows in renderings.values())



def test_a_pool_whose_workers_died_closes_even_when_a_worker_started_meanwhile():
    """Work submitted while the workers die makes the pool start new ones, which CPython's broken-pool cleanup
    can miss: it then waits for them for ever, and so would the harvest's close and the process's exit. Each
    round kills the workers and submits at once; about one round in three raced so before close killed the
    workers left (10 hangs in 30 rounds measured without it)."""
    import threading
    from concurrent.futures.process import BrokenProcessPool

    for _ in range(10):
        workers = WorkerPool("http://hub.test", "musenor.fr", "Musenor", {CODE: f"Musée {CODE}"}, jobs=2)
        executor = workers.executor()
        executor.submit(os.getpid).result()
        for pid in list(executor._processes):
            os.kill(pid, signal.SIGKILL)
        try:
            for _ in range(50):
                executor.submit(os.getpid)
        except (BrokenProcessPool, OSError):  # OSError: the submit met the dead workers' closed pipe
            pass
        workers.broken = True
        closing = threading.Thread(target=workers.close, daemon=True)
        closing.start()
        closing.join(30)
        if closing.is_alive():
            for process in list((executor._processes or {}).values()):
                process.kill()  # so that this test's failure does not hang the session too
        assert not closing.is_alive(), "close() waited for a worker that will never end"

HOLDER = """
import os, sys
from musenor.harvester.workers import WorkerPool
if __name__ == "__main__":
    pool = WorkerPool("http://hub.test", "musenor.fr", "Musenor", {}, jobs=2)
    futures = [pool.executor().submit(os.getpid) for _ in range(8)]
    print(" ".join(str(pid) for pid in pool.executor()._processes), flush=True)
    sys.stdin.read()  # holds the pool until killed
"""


def test_workers_do_not_outlive_a_harvest_killed_outright(tmp_path):
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    holder = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parents[1])
    workers: list[int] = []
    try:
        workers = [int(pid) for pid in holder.stdout.readline().split()]
        assert len(workers) == 2
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        for pid in workers:
            assert _ends(pid), f"worker {pid} outlived its harvest"
    finally:
        holder.kill()
        for pid in workers:  # a failed run of this test leaves nothing behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _ends(pid: int) -> bool:
    """Whether the process ends (waits for it, at most a minute: a worker may be busy loading vocabularies)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([handle], [], [], 60)[0])
    finally:
        os.close(handle)


def test_the_pool_renders_the_manifest_links_of_the_images_the_hub_holds(tmp_path, monkeypatch):
    from fixtures.hub_toml import SAINT_OMER_POP

    config = hub_config(tmp_path, {"M0650": SAINT_OMER_POP["source"]})
    catalogue = Catalogue(config.data_dir, open_graph=False)
    assert harvest_museum(config, catalogue, "M0650", full=True).status == "succeeded"
    version = _version(config)
    ids = sorted(r.identifier for r in catalogue.ledger.records("M0650"))

    def rendered_edm(pool: WorkerPool | None) -> dict[str, bytes | None]:
        with catalogue.ledger.transaction() as conn:  # as a renderer upgrade leaves them
            conn.execute("UPDATE renderings SET renderer_version = 'older'")
        render_stale(config, catalogue, pool=pool, jobs=1)
        return {i: body for i, (_, body) in catalogue.ledger.renderings(ids, "edm", version).items()}

    here = rendered_edm(None)
    monkeypatch.setattr("musenor.harvester.rendering.POOL_THRESHOLD", 1)
    workers = WorkerPool.for_hub(config, jobs=2)
    try:
        in_pool = rendered_edm(workers)
        assert workers.started and not workers.broken
    finally:
        workers.close()
    catalogue.close()
    assert in_pool == here
    assert sum(b"dcterms:isReferencedBy" in body for body in here.values()) >= 5
