"""Characters illegal in XML 1.0, replaced at ingest and counted.

Museum systems export control characters pasted from word processors (vertical tab, unit separator...)
and references to them (``&#11;``). XML 1.0 section 2.2 forbids both, so a strict parser rejects the whole
page; they are replaced by U+FFFD before parsing, and the count goes into the run's report.

Working on bytes is safe for UTF-8 and the single-byte encodings museum exports use: bytes below 0x20 never
occur inside a multi-byte UTF-8 sequence.
"""

from __future__ import annotations

import re
from typing import BinaryIO

ILLEGAL = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]"  # C0 controls but tab, LF, CR; U+FFFE, U+FFFF
    rb"|&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|6553[45]));")
REPLACEMENT = "\ufffd".encode("utf-8")
REPLACEMENT_REFERENCE = b"&#xFFFD;"
_LONGEST_MATCH = 10  # "&#x0000FFFF;" is longer, but leading zeros beyond this are not seen in exports


def _replace(match: re.Match[bytes]) -> bytes:
    return REPLACEMENT_REFERENCE if match.group(0).startswith(b"&") else REPLACEMENT


def sanitise_xml(data: bytes) -> tuple[bytes, int]:
    """(the bytes with every illegal character replaced, how many were replaced)."""
    return ILLEGAL.subn(_replace, data)


class SanitisingReader:
    """A file-like reader that sanitises a byte stream on the fly, for iterparse over huge exports."""

    def __init__(self, stream: BinaryIO, chunk_size: int = 1 << 16) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self._pending = b""  # a tail that may be the start of a pattern cut by the chunk boundary
        self._ready = bytearray()
        self._eof = False
        self.replaced = 0

    def _fill(self) -> None:
        chunk = self._stream.read(self._chunk_size)
        data = self._pending + chunk
        if not chunk:
            self._eof = True
            cut = len(data)
        else:
            tail = data[-_LONGEST_MATCH:]
            starts = [i for i in (tail.rfind(b"&"), tail.rfind(b"\xef")) if i >= 0]
            cut = len(data) - len(tail) + min(starts) if starts else len(data)
        clean, n = sanitise_xml(data[:cut])
        self.replaced += n
        self._ready += clean
        self._pending = data[cut:]

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._ready) < size):
            self._fill()
        if size < 0 or size >= len(self._ready):
            out = bytes(self._ready)
            self._ready.clear()
        else:
            out = bytes(self._ready[:size])
            del self._ready[:size]
        return out
