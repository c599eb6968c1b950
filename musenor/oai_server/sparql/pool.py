"""A small pool of SPARQL worker processes over read-only snapshots of the graph store.

Why processes: pyoxigraph offers no query timeout, so a query is stopped by killing its worker, which is
then replaced. Why snapshots: the server process holds the on-disk store for writing while it applies new
harvests, and pyoxigraph documents read-only opening beside a live writer as undefined. A snapshot is a
RocksDB checkpoint (``Store.backup``: hard links, milliseconds), taken when the applied ledger change has
moved since the last one; workers open it read-only and see exactly the graph as of that change. Old
snapshots are removed once no query uses them.

Bounds: at most ``size`` queries run at once; a request waits up to ``queue_timeout`` seconds for a free
worker (then 503), and a query gets ``timeout`` seconds (then its worker is killed, and 503 is answered).
"""

from __future__ import annotations

import multiprocessing
import queue
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from musenor.oai_server.sparql.worker import Answer, Job, serve


class QueryTimeout(Exception):
    """The query ran longer than the time limit; its worker was stopped."""


class EndpointBusy(Exception):
    """Every worker stayed busy for the whole queue wait."""


class WorkerFailed(Exception):
    """The worker died while running the query (out of memory, crash)."""


@dataclass
class _Worker:
    process: Any
    conn: Any


class Snapshots:
    """Read-only checkpoints of an OxigraphStore, one per applied ledger change that a query has needed."""

    def __init__(self, directory: Path, store: Any, applied_seq: Callable[[], int]) -> None:
        self.directory = directory
        self._store = store
        self._applied_seq = applied_seq
        self._lock = threading.Lock()
        self._current: tuple[int, Path] | None = None
        self._users: dict[Path, int] = {}
        shutil.rmtree(directory, ignore_errors=True)  # snapshots of an earlier run may predate a reindex
        directory.mkdir(parents=True, exist_ok=True)

    def acquire(self) -> Path:
        with self._lock:
            seq = self._applied_seq()
            # While a publish is being written, a reader keeps the snapshot of the last whole one.
            fresh = self._current is None or (self._current[0] != seq and not getattr(self._store, "busy", False))
            if fresh:
                path = self.directory / f"{seq}-{uuid.uuid4().hex[:8]}"
                self._store.backup(str(path))  # the graph store's own backup waits for a publish to end
                old = self._current
                self._current = (seq, path)
                if old is not None:
                    self._collect(old[1])
            path = self._current[1]
            self._users[path] = self._users.get(path, 0) + 1
            return path

    def release(self, path: Path) -> None:
        with self._lock:
            self._users[path] -= 1
            self._collect(path)

    def _collect(self, path: Path) -> None:
        if self._users.get(path, 0) == 0 and (self._current is None or self._current[1] != path):
            self._users.pop(path, None)
            shutil.rmtree(path, ignore_errors=True)


class WorkerPool:
    def __init__(self, snapshots: Snapshots, *, size: int = 4, timeout: float = 10.0,
                 queue_timeout: float = 5.0) -> None:
        self.snapshots = snapshots
        self.size = size
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["musenor.oai_server.sparql.worker"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=serve, args=(child,), daemon=True, name="musenor-sparql")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def run(self, job_for: Callable[[str], Job]) -> Answer:
        """Run the job ``job_for(snapshot path)`` on a free worker, within the time limit."""
        try:
            worker = self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise EndpointBusy(f"all {self.size} query workers stayed busy for {self.queue_timeout:g} s") from None
        snapshot = self.snapshots.acquire()
        replace = False
        try:
            worker.conn.send(job_for(str(snapshot)))
            if not worker.conn.poll(self.timeout):
                replace = True
                raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout:g} s")
            try:
                return worker.conn.recv()
            except (EOFError, OSError):
                replace = True
                raise WorkerFailed("the query worker stopped while running the query") from None
        except (BrokenPipeError, OSError) as exc:
            replace = True
            raise WorkerFailed(f"the query worker is gone: {exc}") from None
        finally:
            self.snapshots.release(snapshot)
            if replace:
                self._stop(worker)
                if not self._closed:
                    self._idle.put(self._start())
            else:
                self._idle.put(worker)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._stop(worker)
