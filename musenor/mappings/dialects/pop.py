"""POP / Joconde notices with field codes (REF, INV, DENO, TITR...) into the graph of docs/profile.md.

The raw record is one notice, UTF-8, in either POP import layout (the source decodes the export's encoding):
- the "ajout piloté" text layout: a field code alone on its line, then its value on the following lines.
  A line ending in ``" -"`` continues on the next line (the Joconde exports wrap long values so);
- the CSV layout: a header line of field codes and the notice's row, ``;``-separated, ``"``-quoted.

Field semantics are in ``musenor.mappings.joconde_fields``. REF is the record's local id; DMAJ its source datestamp.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from musenor.mappings.base import MappedRecord, MappingContext, MappingError
from musenor.mappings.joconde_fields import CONSUMED_FIELDS, KNOWN_FIELDS, MAPPED_FIELDS, clean, map_notice

MAPPING_VERSION = "pop/4"  # 2: issue 13: rights, agents; 3: dimension values in canonical xsd:decimal form; 4: source terms, qualified dates (13.4, 13.5)

FIELD_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
RECORD_SEPARATOR = "//"
CONTINUATION = " -"
MIN_REF_LENGTH = 11  # POP refuses shorter references (joconde.js: "supérieure ou égale à 11 caractères")
_DMAJ = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})")


def export_lines(text: str) -> list[str]:
    """Lines split at LF (CRLF too) only: str.splitlines would also split at the vertical tabs, form feeds and
    separators (U+001C-U+001E, U+0085) that museum systems leave inside values."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def parse_text_notice(text: str) -> list[tuple[str, str]]:
    """(field code, value) pairs of one notice in the text layout, in source order."""
    fields: list[tuple[str, list[str]]] = []
    expect_value = continued = False
    for line in export_lines(text):
        stripped = line.strip()
        if stripped == RECORD_SEPARATOR:
            break
        if not stripped and not continued:
            continue
        if not expect_value and not continued and FIELD_CODE.match(stripped):
            fields.append((stripped, []))
            expect_value = True
            continue
        if not fields:
            raise MappingError(f"value {stripped[:40]!r} before any field code")
        parts = fields[-1][1]
        if continued:
            parts[-1] = parts[-1][:-1] + stripped  # keeps the space before the wrap marker
        else:
            parts.append(line.rstrip())
        continued = line.rstrip().endswith(CONTINUATION)
        expect_value = False
    if continued and fields:
        parts = fields[-1][1]
        parts[-1] = parts[-1][:-1].rstrip()
    return [(code, "\n".join(p.strip() for p in parts)) for code, parts in fields]


def parse_csv_notice(text: str) -> list[tuple[str, str]]:
    """(field code, value) pairs of a header line and one row, ';'-separated and '"'-quoted."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) != 2:
        raise MappingError(f"a CSV notice is a header line and one row, got {len(rows)} lines")
    header, row = rows
    if len(row) > len(header):
        raise MappingError(f"the row has {len(row)} cells for {len(header)} field codes")
    return [(code.strip().lstrip("\ufeff"), value) for code, value in zip(header, row)]


def parse_notice(raw: bytes) -> list[tuple[str, str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MappingError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    first = next((line.strip() for line in export_lines(text.lstrip("\ufeff")) if line.strip()), "")
    if not first:
        raise MappingError("empty notice")
    return parse_csv_notice(text) if ";" in first else parse_text_notice(text.lstrip("\ufeff"))


def source_datestamp(dmaj: str | None) -> str | None:
    match = _DMAJ.match(clean(dmaj))
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else None


def map_pop_notice(raw: bytes, context: MappingContext) -> MappedRecord:
    try:
        pairs = parse_notice(raw)
    except MappingError as exc:
        raise MappingError(exc.reason, museum=context.museum_code) from None
    values: dict[str, str] = {}
    unmapped: Counter[str] = Counter()
    warnings: list[str] = []
    refs = [clean(value) for code, value in pairs if code == "REF" and clean(value)]
    if len(set(refs)) > 1:
        raise MappingError(f"two notices in one (REF {', '.join(refs)}): a {RECORD_SEPARATOR!r} separator is "
                           "missing", local_id=refs[0], museum=context.museum_code)
    for code, value in pairs:
        if not clean(value):
            continue
        if code not in KNOWN_FIELDS:
            unmapped[code] += 1
            warnings.append(f"unknown field code {code}")
        elif code not in MAPPED_FIELDS and code not in CONSUMED_FIELDS:
            unmapped[code] += 1
        if code in values:
            values[code] = f"{values[code]} ; {value}" if code != "REF" else values[code]
        else:
            values[code] = value
    ref = clean(values.get("REF"))
    if not ref:
        raise MappingError("the notice has no REF", museum=context.museum_code)
    if len(ref) < MIN_REF_LENGTH:
        warnings.append(f"REF {ref} is shorter than the {MIN_REF_LENGTH} characters POP requires")
    mapped = map_notice({c: v for c, v in values.items() if c in MAPPED_FIELDS}, context, local_id=ref,
                        unmapped=unmapped, source_datestamp=source_datestamp(values.get("DMAJ")))
    mapped.warnings[:0] = warnings
    return mapped
