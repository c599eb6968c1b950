"""The files of a museum's export: a file, a folder, a .zip or .tar.gz, local or at an http(s) URL.

Archives are read in place, never unpacked to disk, and still treated as hostile: an entry whose name
would escape the archive (absolute, ``..``), a link or device entry, more than ``max_entries`` entries,
more than ``max_total_bytes`` unpacked, or an entry inflating more than ``max_ratio`` times is refused
before a byte of it is parsed, and the byte counts are enforced while reading (declared sizes can lie).
A download is streamed to ``<data_dir>/downloads/<museum>/`` under the same size cap.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

import requests

from musenor.harvester.sources.base import SourceError

DEFAULT_MAX_ENTRIES = 100_000
DEFAULT_MAX_TOTAL_BYTES = 4 * 1024 ** 3
DEFAULT_MAX_RATIO = 200.0
DOWNLOAD_TIMEOUT = 120.0


@dataclass(frozen=True)
class Caps:
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    max_ratio: float = DEFAULT_MAX_RATIO


@dataclass
class ExportEntry:
    name: str  # as the archive or folder names it, for positions in errors
    open: Callable[[], BinaryIO]


class _CappedReader:
    """Counts bytes as they are read and refuses to go past the cap."""

    def __init__(self, stream: BinaryIO, cap: int, what: str, museum: str | None) -> None:
        self._stream = stream
        self._cap = cap
        self._what = what
        self._museum = museum
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, tarfile.TarError) as exc:
            # A corrupt entry is found only as it is read (its CRC is checked at its end): the export as a
            # whole is unusable, and the run fails rather than publish what came before it.
            raise SourceError(f"{self._what} cannot be read: {exc}", museum=self._museum) from None
        self.count += len(data)
        if self.count > self._cap:
            raise SourceError(f"{self._what} unpacks to more than {self._cap} bytes", museum=self._museum)
        return data

    def close(self) -> None:
        self._stream.close()


def is_url(path: str) -> bool:
    return urlsplit(path).scheme in ("http", "https")


def safe_entry_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return bool(name) and not path.is_absolute() and ".." not in path.parts and not (
        len(name) > 1 and name[1] == ":")  # a Windows drive letter


def _is_export_file(name: str, suffixes: tuple[str, ...]) -> bool:
    base = PurePosixPath(name.replace("\\", "/"))
    return base.suffix.lower() in suffixes and not base.name.startswith(".") and "__MACOSX" not in base.parts


def fingerprint(path: Path) -> str:
    """What identifies one version of an export: a resumed run must read the same one."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        # The museum has not delivered its export yet, or the path is misspelt: the run fails saying so.
        raise SourceError(f"the export {path} does not exist (source key 'path')") from None
    if path.is_dir():
        digest = hashlib.sha256()
        for child in sorted(path.rglob("*")):
            if child.is_file():
                s = child.stat()
                digest.update(f"{child.relative_to(path)}\0{s.st_size}\0{s.st_mtime_ns}\n".encode())
        return digest.hexdigest()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def download(url: str, target_dir: Path, caps: Caps, museum: str | None, *,
             user_agent: str = "Musenor-hub") -> Path:
    """Stream an export to disk (never into memory) and return its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    name = PurePosixPath(urlsplit(url).path).name or "export"
    target = target_dir / name
    part = target.with_name(target.name + ".part")
    try:
        with requests.get(url, stream=True, timeout=DOWNLOAD_TIMEOUT, allow_redirects=False,
                          headers={"User-Agent": user_agent}) as response:
            if response.status_code != 200:
                raise SourceError(f"downloading {url} answered HTTP {response.status_code}", museum=museum)
            size = 0
            with part.open("wb") as out:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    size += len(chunk)
                    if size > caps.max_total_bytes:
                        raise SourceError(f"{url} is larger than max_total_bytes {caps.max_total_bytes}",
                                          museum=museum)
                    out.write(chunk)
    except requests.RequestException as exc:
        raise SourceError(f"cannot download {url}: {exc.__class__.__name__}", museum=museum) from None
    os.replace(part, target)
    return target


def export_entries(path: Path, suffixes: tuple[str, ...], caps: Caps, museum: str | None) -> Iterator[ExportEntry]:
    """The export files in a stable order (folder and archive entries sorted by name)."""
    if not path.exists():
        raise SourceError(f"the export {path} does not exist", museum=museum)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_export_file(p.name, suffixes))
        if len(files) > caps.max_entries:
            raise SourceError(f"{path} holds {len(files)} files, above max_entries {caps.max_entries}", museum=museum)
        for file in files:
            yield ExportEntry(str(file.relative_to(path)), lambda file=file: file.open("rb"))
        return
    name = path.name.lower()
    if zipfile.is_zipfile(path):
        yield from _zip_entries(path, suffixes, caps, museum)
    elif name.endswith((".tar.gz", ".tgz", ".tar")) or tarfile.is_tarfile(path):
        yield from _tar_entries(path, suffixes, caps, museum)
    else:
        yield ExportEntry(path.name, lambda: path.open("rb"))


def _zip_entries(path: Path, suffixes: tuple[str, ...], caps: Caps, museum: str | None) -> Iterator[ExportEntry]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path.name} is not a readable zip archive ({exc})", museum=museum) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > caps.max_entries:
            raise SourceError(f"{path.name} holds {len(infos)} entries, above max_entries {caps.max_entries}",
                              museum=museum)
        total = 0
        for info in infos:
            if not safe_entry_name(info.filename):
                raise SourceError(f"{path.name}: entry {info.filename!r} would escape the archive", museum=museum)
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > caps.max_ratio:
                raise SourceError(f"{path.name}: entry {info.filename!r} inflates "
                                  f"{info.file_size / info.compress_size:.0f} times, above max_ratio {caps.max_ratio:g}",
                                  museum=museum)
        if total > caps.max_total_bytes:
            raise SourceError(f"{path.name} unpacks to {total} bytes, above max_total_bytes {caps.max_total_bytes}",
                              museum=museum)
        budget = [caps.max_total_bytes]
        for info in sorted(infos, key=lambda i: i.filename):
            if info.is_dir() or not _is_export_file(info.filename, suffixes):
                continue
            limit = min(budget[0], int(max(info.compress_size, 1) * caps.max_ratio) + 1024)

            def opener(info: zipfile.ZipInfo = info, limit: int = limit) -> BinaryIO:
                return _CappedReader(archive.open(info), limit, f"{path.name}: {info.filename}", museum)  # type: ignore[return-value]

            yield ExportEntry(info.filename, opener)
            budget[0] -= info.file_size


def _tar_entries(path: Path, suffixes: tuple[str, ...], caps: Caps, museum: str | None) -> Iterator[ExportEntry]:
    try:
        archive = tarfile.open(path, mode="r:*")
    except (tarfile.TarError, OSError) as exc:
        raise SourceError(f"{path.name} is not a readable tar archive ({exc})", museum=museum) from None
    with archive:
        members = []
        total = 0
        try:
            for member in archive:
                if len(members) >= caps.max_entries:
                    raise SourceError(f"{path.name} holds more than max_entries {caps.max_entries} entries",
                                      museum=museum)
                if not safe_entry_name(member.name):
                    raise SourceError(f"{path.name}: entry {member.name!r} would escape the archive", museum=museum)
                if member.islnk() or member.issym() or member.isdev():
                    raise SourceError(f"{path.name}: entry {member.name!r} is a link or a device", museum=museum)
                total += member.size
                if total > caps.max_total_bytes:
                    raise SourceError(f"{path.name} unpacks to more than max_total_bytes {caps.max_total_bytes}",
                                      museum=museum)
                members.append(member)
        except tarfile.TarError as exc:
            raise SourceError(f"{path.name} is not a readable tar archive ({exc})", museum=museum) from None
        compressed = max(path.stat().st_size, 1)
        if total / compressed > caps.max_ratio:
            raise SourceError(f"{path.name} inflates {total / compressed:.0f} times, above max_ratio {caps.max_ratio:g}",
                              museum=museum)
        for member in sorted(members, key=lambda m: m.name):
            if not member.isfile() or not _is_export_file(member.name, suffixes):
                continue

            def opener(member: tarfile.TarInfo = member) -> BinaryIO:
                stream = archive.extractfile(member)
                assert stream is not None
                return _CappedReader(stream, member.size, f"{path.name}: {member.name}", museum)  # type: ignore[return-value]

            yield ExportEntry(member.name, opener)
