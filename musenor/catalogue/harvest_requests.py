"""Harvests and source checks asked for from the admin area, waiting for the scheduler to do them.

The web server never runs harvester code (servers never import the harvester): a button in ``/admin``
writes a request here, and ``musenor schedule`` — the process that harvests — picks it up, does it, and
writes the outcome back for the page to show. The requests live in their own small SQLite file beside the
ledger, so that asking for work never contends with a publish for the ledger's write lock.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ACTIONS = ("harvest", "full", "check")
SCHEMA = """
CREATE TABLE IF NOT EXISTS harvest_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    museum TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('harvest', 'full', 'check')),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS harvest_requests_pending ON harvest_requests (status, id);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class HarvestRequest:
    id: int
    museum: str
    action: str  # harvest | full | check
    requested_by: str
    requested_at: str
    started_at: str | None
    ended_at: str | None
    status: str  # pending | running | done | failed
    outcome: str | None


class HarvestRequests:
    """The request queue of one hub, in ``<data_dir>/harvest-requests.sqlite3``."""

    def __init__(self, data_dir: Path | str) -> None:
        self.path = Path(data_dir) / "harvest-requests.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def add(self, museum: str, action: str, requested_by: str) -> int:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r} (known: {', '.join(ACTIONS)})")
        cursor = self._connect().execute(
            "INSERT INTO harvest_requests (museum, action, requested_by, requested_at) VALUES (?, ?, ?, ?)",
            (museum, action, requested_by, _now()))
        return int(cursor.lastrowid or 0)

    def pending(self) -> list[HarvestRequest]:
        return self._select("WHERE status = 'pending' ORDER BY id", ())

    def recent(self, museum: str | None = None, limit: int = 20) -> list[HarvestRequest]:
        if museum:
            return self._select("WHERE museum = ? ORDER BY id DESC LIMIT ?", (museum, limit))
        return self._select("ORDER BY id DESC LIMIT ?", (limit,))

    def claim(self, request_id: int) -> bool:
        """Take a pending request; False when another scheduler took it first."""
        cursor = self._connect().execute(
            "UPDATE harvest_requests SET status = 'running', started_at = ? WHERE id = ? AND status = 'pending'",
            (_now(), request_id))
        return cursor.rowcount == 1

    def finish(self, request_id: int, *, succeeded: bool, outcome: str) -> None:
        self._connect().execute(
            "UPDATE harvest_requests SET status = ?, ended_at = ?, outcome = ? WHERE id = ?",
            ("done" if succeeded else "failed", _now(), outcome, request_id))

    def _select(self, where: str, params: tuple[object, ...]) -> list[HarvestRequest]:
        rows = self._connect().execute(f"SELECT * FROM harvest_requests {where}", params)  # noqa: S608
        return [HarvestRequest(**dict(row)) for row in rows]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
