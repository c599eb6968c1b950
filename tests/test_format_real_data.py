"""Every output format on real records: the Joconde costume extract (../shared) and the demo museums' exports,
mapped by their dialects, rendered as oai_dc, LIDO 1.1 and EDM (each valid against its schema) and Linked Art
(valid JSON)."""

import csv
import io
import json
from pathlib import Path

from lxml import etree

from musenor.mappings import HubURIs, MappingContext, MappingError, RenderContext
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.formats.edm import render_edm
from musenor.mappings.formats.lido import render_lido
from musenor.mappings.formats.linked_art import render_linked_art
from musenor.mappings.formats.oai_dc import render_oai_dc
from schemas import DATA, EDM_XSD, require_shared, schema

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


def _lido_records() -> list[tuple[str, bytes]]:
    """The demo museum's LIDO (in the repository) and the real LIDO of ../shared when it is there."""
    root = Path(__file__).resolve().parents[1]
    paths = sorted((root / "demo" / "data" / "M0629-lille" / "records").glob("*.xml"))
    paths += sorted(p for folder in DATA.glob("lido-*") for p in folder.glob("*.xml")) if DATA.exists() else []
    records = []
    for path in paths:
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError:
            continue
        records.extend((f"{path.name}#{n}", etree.tostring(r))
                       for n, r in enumerate(tree.getroot().iter("{http://www.lido-schema.org}lido")))
    return records


def test_every_lido_record_renders_valid_oai_dc_and_edm():
    records = _lido_records()
    assert len(records) >= 50
    context = MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS)
    edm = etree.XMLSchema(etree.parse(str(EDM_XSD)))
    oai_dc = schema("oai_dc") if DATA.exists() else None
    failures = []
    for name, raw in records:
        try:
            mapped = map_lido(raw, context)
        except MappingError:
            continue
        root = render_edm(mapped.graph, mapped.record_uri, RENDERING)
        if not edm.validate(root):
            failures.append(f"{name} edm: {edm.error_log.last_error}")
        dc = render_oai_dc(mapped.graph, mapped.record_uri, RENDERING)
        if oai_dc is not None and not oai_dc.validate(dc):
            failures.append(f"{name} oai_dc: {oai_dc.error_log.last_error}")
        document = json.loads(render_linked_art(mapped.graph, mapped.record_uri, RENDERING))
        assert document["id"] == str(mapped.cho)
    assert failures == []
