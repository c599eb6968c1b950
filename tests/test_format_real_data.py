"""Every output format on real records: the Joconde costume extract (../shared) and the demo museums' exports,
mapped by their dialects, rendered as oai_dc, LIDO 1.1 and EDM (each valid against its schema) and Linked Art
(valid JSON)."""

import csv
import io
import json

from lxml import etree

from mappings import HubURIs, MappingContext, RenderContext
from mappings.dialects.joconde_csv import map_joconde_row
from mappings.formats.edm import render_edm
from mappings.formats.lido import render_lido
from mappings.formats.linked_art import render_linked_art
from mappings.formats.oai_dc import render_oai_dc
from schemas import EDM_XSD, require_shared, schema

URIS = HubURIs("https://musenor.fr")
RENDERING = RenderContext(URIS)


def _costume_rows() -> list[bytes]:
    path = require_shared("data/joconde-costumes/joconde-costumes-19e-20e.csv")
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows = []
    for row in table[1:]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(table[0])
        writer.writerow(row)
        rows.append(buffer.getvalue().encode())
    return rows


def test_every_joconde_costume_row_renders_valid_in_every_format():
    rows = _costume_rows()
    context = MappingContext("M0644", "Cité de la dentelle et de la mode", URIS,
                             options={"local_id": ["MUSEO", "INV"]})
    xsds = {"oai_dc": schema("oai_dc"), "lido": schema("lido-1.1"),
            "edm": etree.XMLSchema(etree.parse(str(EDM_XSD)))}
    renderers = {"oai_dc": render_oai_dc, "lido": render_lido, "edm": render_edm}
    failures = []
    for n, raw in enumerate(rows):
        mapped = map_joconde_row(raw, context)
        for name, render in renderers.items():
            root = render(mapped.graph, mapped.record_uri, RENDERING)
            if not xsds[name].validate(root):
                failures.append(f"row {n + 1} {name}: {xsds[name].error_log.last_error}")
        json.loads(render_linked_art(mapped.graph, mapped.record_uri, RENDERING))
    assert len(rows) == 3125
    assert failures == []
