"""One harvest of a museum at a time, across processes: a lock file in ``<data_dir>/locks/``.

``flock`` is released by the kernel when its holder dies, even by SIGKILL, so a killed harvest never leaves
a museum locked; the pid written inside only names the holder in the "skipped" reason.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class MuseumLock:
    def __init__(self, data_dir: Path, museum: str) -> None:
        self.path = Path(data_dir) / "locks" / f"{museum}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another harvest holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
