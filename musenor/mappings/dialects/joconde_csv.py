"""Joconde-style CSV rows with named columns into the graph of docs/profile.md.

The raw record is a UTF-8 CSV document: the export's header line and one row. Column names differ from one
museum system (and one extract) to the next, so the layout is configuration: ``columns`` in the museum's
``[museums.X.source]`` maps a canonical field, named by its POP field code (``INV``, ``DENO``, ``AUTR``...,
see ``musenor.mappings.joconde_fields``), to the header (or list of headers, joined in order) of this export. It
extends the default map below, which reads the Joconde open-data layout (Numero_inventaire, Domaine,
Denomination, Titre, Auteur, Precisions_sur_l_auteur, Materiaux_techniques, Mesures, Periode_de_creation,
Millesime_de_creation, Sujet_Represente, Code_Museofile, Date_d_acquisition...).

Options (``context.options``, the museum's source settings):
- ``columns``: ``{POP code: header or [headers]}``, merged over the defaults;
- ``local_id``: the POP code (or list of codes, joined with ``-``) naming the record; default: the csv-file
  source's ``id_column`` when set, else ``REF`` when the row has one, else ``INV`` (an extract of several museums
  needs ``["MUSEO", "INV"]``: inventory numbers repeat across museums);
- ``delimiter``: ``,`` or ``;`` (default: whichever the header line holds more of);
- ``ignore``: headers deliberately left out (not counted as unmapped), besides ``MUSEUM_COLUMNS``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from musenor.mappings.base import MappedRecord, MappingContext, MappingError
from musenor.mappings.joconde_fields import MAPPED_FIELDS, clean, is_empty, map_notice
from musenor.mappings.dialects.pop import source_datestamp

MAPPING_VERSION = "joconde-csv/4"  # 2: issue 13: rights, agents; 3: dimension values in canonical xsd:decimal form; 4: source terms, qualified dates (13.4, 13.5)

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "REF": ("REF", "Reference"),
    "INV": ("Numero_inventaire", "INV"),
    "DOMN": ("Domaine", "DOMN"),
    "DENO": ("Denomination", "Denomination_1", "Denomination_2", "Denomination 3", "Denomination 4",
             "Denomination 5", "Denomination 6", "Denomination 7", "DENO"),
    "APPL": ("Appellation", "APPL"),
    "TITR": ("Titre", "TITR"),
    "AUTR": ("Auteur", "AUTR"),
    "PAUT": ("Precisions_sur_l_auteur", "PAUT"),
    "TECH": ("Materiaux_techniques", "TECH"),
    "DIMS": ("Mesures", "DIMS"),
    "PERI": ("Periode_de_creation", "Periode_de_creation_1", "Periode_de_creation_2", "Periode_de_creation_3",
             "Periode_de_creation_4", "PERI"),
    "MILL": ("Millesime_de_creation", "Millesime_de_creation_initial", "Millesime_de_creation 1",
             "Millesime_de_creation 2", "MILL"),
    "EPOQ": ("Epoque", "EPOQ"),
    "ECOL": ("Ecole", "ECOL"),
    "REPR": ("Sujet_Represente", "REPR"),
    "DESC": ("Description", "DESC"),
    "COMM": ("Commentaires", "COMM"),
    "INSC": ("Inscription", "INSC"),
    "PINS": ("Precisions_inscriptions", "PINS"),
    "LIEUX": ("Lieu_de_creation", "LIEUX"),
    "LOCA": ("Localisation", "LOCA"),
    "POP_COORDONNEES": ("lat", "long", "POP_COORDONNEES"),  # joined "lat ; long"
    "MUSEO": ("Code_Museofile", "MUSEO"),
    "STAT": ("Statut_juridique", "STAT"),
    "DACQ": ("Date_d_acquisition", "DACQ"),
    "APTN": ("Ancienne_appartenance", "APTN"),
    "COPY": ("Copyright", "COPY"),
    "PHOT": ("Credits_photographiques", "PHOT"),
    "REFIM": ("Reference_image", "REFIM"),
    "IMG": ("Image", "IMG"),
    "DMAJ": ("Date_de_mise_a_jour", "DMAJ"),
}


# Columns of the Joconde open-data layout that describe the holding museum (its name and address, which
# musenor.toml, the museum's page and the Localisation column already give) or restate the image columns: read
# and knowingly left out, not counted as unmapped. Its coordinates (lat, long) are mapped, onto the location.
MUSEUM_COLUMNS = frozenset({"Nom_officiel_musee", "Region", "Departement", "Ville", "Presence_image"})


def column_map(options: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The defaults with the museum's ``columns`` over them."""
    columns = dict(DEFAULT_COLUMNS)
    for code, headers in (options.get("columns") or {}).items():
        if code not in MAPPED_FIELDS:
            raise MappingError(f"columns: {code!r} is not a mapped Joconde field (known: {', '.join(MAPPED_FIELDS)})")
        columns[code] = (headers,) if isinstance(headers, str) else tuple(headers)
    return columns


def _delimiter(header_line: str, options: dict[str, Any]) -> str:
    if options.get("delimiter"):
        return str(options["delimiter"])
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_row(raw: bytes, options: dict[str, Any]) -> dict[str, str]:
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise MappingError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    header_line = text.split("\n", 1)[0]
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line, options))
            if any(cell.strip() for cell in r)]
    if len(rows) != 2:
        raise MappingError(f"a CSV record is a header line and one row, got {len(rows)} lines")
    header, row = rows
    if len(row) > len(header):
        raise MappingError(f"the row has {len(row)} cells for {len(header)} columns")
    return {name.strip(): value for name, value in zip(header, row)}


def map_joconde_row(raw: bytes, context: MappingContext) -> MappedRecord:
    options = context.options or {}
    try:
        row = read_row(raw, options)
        columns = column_map(options)
    except MappingError as exc:
        raise MappingError(exc.reason, museum=context.museum_code) from None
    values: dict[str, str] = {}
    used: set[str] = set()
    for code, headers in columns.items():
        parts = [clean(row[h]) for h in headers if h in row and not is_empty(row[h])]
        used.update(h for h in headers if h in row)
        if parts:
            values[code] = " ; ".join(dict.fromkeys(parts))
    # the id column names the record (its URIs): used, not unmapped
    ignored = set(options.get("ignore") or ()) | MUSEUM_COLUMNS
    ignored |= {str(options["id_column"])} if options.get("id_column") else set()
    unmapped = Counter(h for h, v in row.items() if h not in used and h not in ignored and not is_empty(v))
    id_column = options.get("id_column")
    if id_column and not options.get("local_id"):
        # the csv-file source was told which column names the record: the dialect agrees with it
        local_id = clean(row.get(str(id_column)))
        if not local_id:
            raise MappingError(f"no value in the id column {id_column!r}", museum=context.museum_code)
        return map_notice(values, context, local_id=local_id, unmapped=unmapped,
                          source_datestamp=source_datestamp(values.get("DMAJ")))
    id_codes = options.get("local_id") or (["REF"] if values.get("REF") else ["INV"])
    id_codes = [id_codes] if isinstance(id_codes, str) else list(id_codes)
    missing = [c for c in id_codes if not values.get(c)]
    if missing:
        raise MappingError(f"no {' / '.join(missing)} to name the record (columns "
                           f"{', '.join(h for c in missing for h in columns.get(c, ()))})",
                           museum=context.museum_code)
    local_id = "-".join(clean(values[c]) for c in id_codes)
    return map_notice(values, context, local_id=local_id, unmapped=unmapped,
                      source_datestamp=source_datestamp(values.get("DMAJ")))
