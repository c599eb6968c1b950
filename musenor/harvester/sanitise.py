"""Characters illegal in XML 1.0, replaced at ingest and counted.

Museum systems export control characters pasted from word processors (vertical tab, unit separator...)
and references to them (``&#11;``). XML 1.0 section 2.2 forbids both, so a strict parser rejects the whole
page; they are replaced by U+FFFD before parsing, and the count goes into the run's report.

References to UTF-16 surrogates (``&#xD800;`` to ``&#xDFFF;``, left by systems that escape each half of an
emoji or of a character outside the BMP) are no characters at all (section 4.1, production Char), and bytes
that are not UTF-8 in a document that says it is (a field pasted from a Windows-1252 tool) make the whole
response unreadable: both are replaced by U+FFFD and counted the same way.

Working on bytes is safe for UTF-8 and the single-byte encodings museum exports use: bytes below 0x20 never
occur inside a multi-byte UTF-8 sequence. Bytes are only checked as UTF-8 where the XML declaration names
UTF-8 or names no encoding (section 4.3.3: the default).
"""

from __future__ import annotations

import re
from typing import BinaryIO

ILLEGAL = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]"  # C0 controls but tab, LF, CR; U+FFFE, U+FFFF
    rb"|&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF]|[dD][89a-fA-F][0-9a-fA-F]{2})"
    rb"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|6553[45]|5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}|57[0-2][0-9]{2}"
    rb"|573[0-3][0-9]|5734[0-3]));")
REPLACEMENT = "\ufffd".encode("utf-8")
REPLACEMENT_REFERENCE = b"&#xFFFD;"
_LONGEST_MATCH = 10  # "&#x0000FFFF;" is longer, but leading zeros beyond this are not seen in exports
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {"utf-8", "utf8"}


def _replace(match: re.Match[bytes]) -> bytes:
    return REPLACEMENT_REFERENCE if match.group(0).startswith(b"&") else REPLACEMENT


def declares_utf8(head: bytes) -> bool:
    """Whether a document beginning with ``head`` is UTF-8: declared so, or declaring no encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte order mark
        return False
    found = _DECLARED_ENCODING.match(head[:512])
    return found is None or found.group(1).decode("ascii").lower() in _UTF8_NAMES


def repair_utf8(data: bytes) -> tuple[bytes, int]:
    """(the bytes with each invalid UTF-8 sequence replaced by U+FFFD, how many were replaced)."""
    try:
        data.decode("utf-8")
        return data, 0
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
    return text.encode("utf-8"), text.count("\ufffd") - data.count(REPLACEMENT)


def sanitise_xml(data: bytes, *, utf8: bool | None = None) -> tuple[bytes, int]:
    """(the bytes with every illegal character replaced, how many were replaced); ``utf8`` says whether
    the bytes are UTF-8 (None: as the document's XML declaration says)."""
    repaired = 0
    if utf8 if utf8 is not None else declares_utf8(data):
        data, repaired = repair_utf8(data)
    clean, replaced = ILLEGAL.subn(_replace, data)
    return clean, replaced + repaired


def _whole_sequences(data: bytes, cut: int) -> int:
    """``cut`` moved back to the start of a multi-byte UTF-8 sequence it would split, chunk ends included:
    the halves of a split "é" would each look invalid and be counted as replaced."""
    lead = cut - 1
    while lead >= 0 and cut - lead <= 4 and 0x80 <= data[lead] < 0xC0:
        lead -= 1
    if lead >= 0 and data[lead] >= 0xC0:
        length = 2 if data[lead] < 0xE0 else 3 if data[lead] < 0xF0 else 4
        if cut - lead < length:
            return lead
    return cut


class SanitisingReader:
    """A file-like reader that sanitises a byte stream on the fly, for iterparse over huge exports."""

    def __init__(self, stream: BinaryIO, chunk_size: int = 1 << 16) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self._pending = b""  # a tail that may be the start of a pattern cut by the chunk boundary
        self._ready = bytearray()
        self._eof = False
        self._utf8: bool | None = None  # known from the first chunk's XML declaration
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
            cut = _whole_sequences(data, cut)
        if self._utf8 is None:
            self._utf8 = declares_utf8(data)
        clean, n = sanitise_xml(data[:cut], utf8=self._utf8)
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
