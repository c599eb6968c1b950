"""The OAI-PMH protocol battery: every verb, every argument combination, every error, deleted records,
sets, and tokens followed to the end. Each response passes the project's light checks (well-formed,
envelope, expected error code); a second test validates all of them against the official schemas."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402
from schemas import XSD, assert_valid  # noqa: E402

from musenor.catalogue import Catalogue, HubConfig  # noqa: E402
from musenor.catalogue.sets import refresh_curated_sets  # noqa: E402
from musenor.mappings import oai_formats  # noqa: E402

NS = oc.NS
COUNT = 25
DELETED = [oc.URIS.oai_identifier("M0629", oc.local_id(n)) for n in (0, 3)]
TRESORS = [oc.URIS.oai_identifier("M0634", oc.local_id(1)), "M0619:" + oc.local_id(2)]
ILLEGAL_LOCAL = "ILLEGAL-1"
ILLEGAL_ID = oc.URIS.oai_identifier("M0629", ILLEGAL_LOCAL)
LIVE_ID = oc.URIS.oai_identifier("M0634", oc.local_id(1))
# Every format the hub promises; a renderer that is missing fails test_every_promised_format_is_registered_and_
# importable instead of silently shrinking the battery.
PREFIXES = ["edm", "lido", "oai_dc"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory, module_ledger_location):
    data_dir = tmp_path_factory.mktemp("oai-protocol")
    sets = {"tresors": {"name": "Trésors des musées du nord de la France",
                        "description": "Exposition itinérante de l'Association.", "records": TRESORS}}
    config, catalogue = oc.build(data_dir, count=COUNT, page_size=10, sets=sets, ledger=module_ledger_location)
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(0), 0, deleted=True),
                                    oc.staged("M0629", oc.local_id(3), 3, deleted=True),
                                    oc.staged("M0629", ILLEGAL_LOCAL, 99, raw_title="Vue\\u0001 de Lille\\u001F")])
    refresh_curated_sets(catalogue, config)
    oc.settle(catalogue)
    app = oc.make_app(config, catalogue)
    yield config, catalogue, app
    catalogue.close()


@pytest.fixture
def client(hub):
    return hub[2].test_client()


def ask(client, **params):
    response = client.get("/oai", query_string=params)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    return response.data


# (name, arguments, expected error code or None)
CASES = [
    ("identify", {"verb": "Identify"}, None),
    ("identify-extra", {"verb": "Identify", "set": "museum"}, "badArgument"),
    ("identify-identifier", {"verb": "Identify", "identifier": LIVE_ID}, "badArgument"),
    ("no-verb", {}, "badVerb"),
    ("no-verb-but-arguments", {"metadataPrefix": "oai_dc"}, "badVerb"),
    ("unknown-verb", {"verb": "ListEverything"}, "badVerb"),
    ("lower-case-verb", {"verb": "identify"}, "badVerb"),
    ("repeated-verb", {"verb": ["Identify", "Identify"]}, "badVerb"),
    ("formats", {"verb": "ListMetadataFormats"}, None),
    ("formats-of-item", {"verb": "ListMetadataFormats", "identifier": LIVE_ID}, None),
    ("formats-of-deleted-item", {"verb": "ListMetadataFormats", "identifier": DELETED[0]}, None),
    ("formats-of-unknown-item", {"verb": "ListMetadataFormats", "identifier": "oai:musenor.test:M0629:nope"},
     "idDoesNotExist"),
    ("formats-of-foreign-item", {"verb": "ListMetadataFormats", "identifier": "really-wrong-id"}, "idDoesNotExist"),
    ("formats-of-illegal-identifier", {"verb": "ListMetadataFormats", "identifier": "a b"}, "badArgument"),
    ("formats-with-prefix", {"verb": "ListMetadataFormats", "metadataPrefix": "oai_dc"}, "badArgument"),
    ("formats-repeated-identifier", {"verb": "ListMetadataFormats", "identifier": [LIVE_ID, LIVE_ID]},
     "badArgument"),
    ("sets", {"verb": "ListSets"}, None),
    ("sets-bad-token", {"verb": "ListSets", "resumptionToken": "nonsense"}, "badResumptionToken"),
    ("sets-with-set", {"verb": "ListSets", "set": "museum"}, "badArgument"),
    ("get", {"verb": "GetRecord", "identifier": LIVE_ID, "metadataPrefix": "oai_dc"}, None),
    ("get-deleted", {"verb": "GetRecord", "identifier": DELETED[1], "metadataPrefix": "oai_dc"}, None),
    ("get-illegal-characters", {"verb": "GetRecord", "identifier": ILLEGAL_ID, "metadataPrefix": "oai_dc"}, None),
    ("get-no-identifier", {"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ("get-no-prefix", {"verb": "GetRecord", "identifier": LIVE_ID}, "badArgument"),
    ("get-unknown-identifier", {"verb": "GetRecord", "identifier": "oai:musenor.test:M0629:nope",
                                "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ("get-unknown-prefix", {"verb": "GetRecord", "identifier": LIVE_ID, "metadataPrefix": "marc21"},
     "cannotDisseminateFormat"),
    ("get-malformed-prefix", {"verb": "GetRecord", "identifier": LIVE_ID, "metadataPrefix": "oai dc"},
     "badArgument"),
    ("get-extra-argument", {"verb": "GetRecord", "identifier": LIVE_ID, "metadataPrefix": "oai_dc",
                            "set": "museum"}, "badArgument"),
    ("get-empty-identifier", {"verb": "GetRecord", "identifier": "", "metadataPrefix": "oai_dc"}, "badArgument"),
    ("get-token", {"verb": "GetRecord", "resumptionToken": "x"}, "badArgument"),
]
for verb in ("ListIdentifiers", "ListRecords"):
    v = verb
    CASES += [
        (f"{v}-no-prefix", {"verb": v}, "badArgument"),
        (f"{v}-unknown-prefix", {"verb": v, "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (f"{v}-malformed-prefix", {"verb": v, "metadataPrefix": "<oai_dc>"}, "badArgument"),
        (f"{v}-from-day", {"verb": v, "metadataPrefix": "oai_dc", "from": "2000-01-01"}, None),
        (f"{v}-until-day", {"verb": v, "metadataPrefix": "oai_dc", "until": "2999-12-31"}, None),
        (f"{v}-from-until-seconds", {"verb": v, "metadataPrefix": "oai_dc", "from": "2000-01-01T00:00:00Z",
                                     "until": "2999-01-01T00:00:00Z"}, None),
        (f"{v}-mixed-granularity", {"verb": v, "metadataPrefix": "oai_dc", "from": "2000-01-01",
                                    "until": "2999-01-01T00:00:00Z"}, "badArgument"),
        (f"{v}-from-after-until", {"verb": v, "metadataPrefix": "oai_dc", "from": "2020-01-02",
                                   "until": "2020-01-01"}, "badArgument"),
        (f"{v}-from-future", {"verb": v, "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
        (f"{v}-until-past", {"verb": v, "metadataPrefix": "oai_dc", "until": "2000-01-01"}, "noRecordsMatch"),
        (f"{v}-impossible-date", {"verb": v, "metadataPrefix": "oai_dc", "from": "2020-02-30"}, "badArgument"),
        (f"{v}-no-zone", {"verb": v, "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00"}, "badArgument"),
        (f"{v}-milliseconds", {"verb": v, "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00.000Z"},
         "badArgument"),
        (f"{v}-set-museum", {"verb": v, "metadataPrefix": "oai_dc", "set": "museum:M0629"}, None),
        (f"{v}-set-parent", {"verb": v, "metadataPrefix": "oai_dc", "set": "museum"}, None),
        (f"{v}-set-type", {"verb": v, "metadataPrefix": "oai_dc", "set": "type:peinture"}, None),
        (f"{v}-set-exhibition", {"verb": v, "metadataPrefix": "oai_dc", "set": "exhibition:tresors"}, None),
        (f"{v}-set-unknown", {"verb": v, "metadataPrefix": "oai_dc", "set": "museum:M9999"}, "noRecordsMatch"),
        (f"{v}-set-malformed", {"verb": v, "metadataPrefix": "oai_dc", "set": "museum::M0629"}, "badArgument"),
        (f"{v}-set-and-window", {"verb": v, "metadataPrefix": "oai_dc", "set": "museum:M0634",
                                 "from": "2000-01-01", "until": "2999-12-31"}, None),
        (f"{v}-token-and-prefix", {"verb": v, "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        (f"{v}-bad-token", {"verb": v, "resumptionToken": "x"}, "badResumptionToken"),
        (f"{v}-identifier", {"verb": v, "metadataPrefix": "oai_dc", "identifier": LIVE_ID}, "badArgument"),
        (f"{v}-repeated-prefix", {"verb": v, "metadataPrefix": ["oai_dc", "lido"]}, "badArgument"),
        (f"{v}-unknown-argument", {"verb": v, "metadataPrefix": "oai_dc", "format": "oai_dc"}, "badArgument"),
    ]
    for prefix in PREFIXES:
        CASES.append((f"{v}-{prefix}", {"verb": v, "metadataPrefix": prefix}, None))
for prefix in PREFIXES:
    CASES.append((f"get-{prefix}", {"verb": "GetRecord", "identifier": LIVE_ID, "metadataPrefix": prefix}, None))


def test_every_promised_format_is_registered_and_importable():
    formats = oai_formats()
    assert sorted(formats) == PREFIXES
    for prefix in PREFIXES:
        module, _, function = formats[prefix].target.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), prefix


@pytest.mark.parametrize("name,params,expected", CASES, ids=[c[0] for c in CASES])
def test_battery_answers_with_expected_code(client, name, params, expected):
    root = oc.parse(ask(client, **params))
    assert oc.error_code(root) == expected
    request = root.find("oai:request", NS)
    assert request.text == "http://hub.test/oai"
    if expected in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # section 3.2: no arguments echoed
    else:
        echoed = {k: (v if isinstance(v, str) else v[0]) for k, v in params.items()}
        assert dict(request.attrib) == echoed


def _follow_everything(client):
    bodies = []
    for verb in ("ListIdentifiers", "ListRecords"):
        for prefix in PREFIXES:
            for set_spec in (None, "museum:M0629", "type", "exhibition"):
                query = {"verb": verb, "metadataPrefix": prefix}
                if set_spec:
                    query["set"] = set_spec
                while True:
                    body = ask(client, **query)
                    bodies.append(body)
                    token = oc.token_of(oc.parse(body))
                    if token is None:
                        break
                    query = {"verb": verb, "resumptionToken": token}
    return bodies


def test_every_battery_response_is_valid_against_the_official_schemas(client):
    if not (XSD / "oai" / "OAI-PMH.xsd").exists():
        pytest.skip(f"{XSD} is absent: the official schemas are not beside this checkout")
    bodies = [ask(client, **params) for _, params, _ in CASES] + _follow_everything(client)
    for body in bodies:
        assert_valid("oai-pmh", body)


def test_identify_says_exactly_what_the_repository_is(client, hub):
    root = oc.parse(ask(client, verb="Identify"))
    identify = root.find("oai:Identify", NS)
    earliest = hub[1].ledger.earliest_datestamp()
    got = [(child.tag.split("}")[1], child.text) for child in identify if child.tag != f"{{{oc.OAI}}}description"]
    assert got == [("repositoryName", "Musenor (tests)"), ("baseURL", "http://hub.test/oai"),
                   ("protocolVersion", "2.0"), ("adminEmail", "catalogue@musenor.test"),
                   ("earliestDatestamp", earliest), ("deletedRecord", "persistent"),
                   ("granularity", "YYYY-MM-DDThh:mm:ssZ"), ("compression", "gzip"), ("compression", "deflate")]
    scheme = identify.find("oai:description/{http://www.openarchives.org/OAI/2.0/oai-identifier}oai-identifier", NS)
    assert [(c.tag.split("}")[1], c.text) for c in scheme] == [
        ("scheme", "oai"), ("repositoryIdentifier", "musenor.test"), ("delimiter", ":"),
        ("sampleIdentifier", "oai:musenor.test:M0619:INV%2000002%2Fa")]


def test_error_envelope_is_exact(client):
    body = ask(client, verb="GetRecord", identifier="oai:musenor.test:M0629:nope", metadataPrefix="oai_dc")
    root = oc.parse(body)
    root.remove(root.find("oai:responseDate", NS))
    assert etree.tostring(root).decode() == (
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
        '<request verb="GetRecord" identifier="oai:musenor.test:M0629:nope" metadataPrefix="oai_dc">'
        'http://hub.test/oai</request>'
        '<error code="idDoesNotExist">The value of the identifier argument is unknown or illegal in this '
        'repository.</error></OAI-PMH>')


def test_deleted_record_is_a_header_with_status_deleted_and_no_metadata(client, hub):
    root = oc.parse(ask(client, verb="GetRecord", identifier=DELETED[0], metadataPrefix="lido"))
    record = root.find("oai:GetRecord/oai:record", NS)
    stamp = hub[1].ledger.record(DELETED[0]).hub_datestamp
    assert etree.tostring(record.find("oai:header", NS)).decode() == (
        f'<header xmlns="http://www.openarchives.org/OAI/2.0/" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" status="deleted">'
        f"<identifier>{DELETED[0]}</identifier><datestamp>{stamp}</datestamp>"
        f"<setSpec>museum</setSpec><setSpec>museum:M0629</setSpec><setSpec>type</setSpec>"
        f"<setSpec>type:peinture</setSpec></header>")
    assert record.find("oai:metadata", NS) is None


def test_a_full_list_gives_every_record_once_with_deleted_ones(client, hub):
    pages = oc.follow(client, "ListIdentifiers", metadataPrefix="oai_dc")
    headers = [h for page in pages for h in page.iterfind(".//oai:header", NS)]
    identifiers = [h.findtext("oai:identifier", namespaces=NS) for h in headers]
    assert sorted(identifiers) == sorted(oc.identifiers(hub[1]))
    assert len(identifiers) == len(set(identifiers)) == COUNT + 1
    assert sorted(h.findtext("oai:identifier", namespaces=NS) for h in headers if h.get("status") == "deleted") \
        == sorted(DELETED)
    assert len(pages) == 3


def test_resumption_token_attributes_count_the_list(client):
    pages = oc.follow(client, "ListRecords", metadataPrefix="oai_dc")
    tokens = [page.find(".//oai:resumptionToken", NS) for page in pages]
    assert [(t.get("completeListSize"), t.get("cursor")) for t in tokens] == [("26", "0"), ("26", "10"),
                                                                             ("26", "20")]
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None
    assert all(t.get("expirationDate").endswith("Z") for t in tokens[:-1])


def test_a_list_that_fits_one_page_has_no_resumption_token(client):
    root = oc.parse(ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="exhibition:tresors"))
    assert root.find(".//oai:resumptionToken", NS) is None
    assert sorted(h.text for h in root.iterfind(".//oai:identifier", NS)) == sorted(
        [TRESORS[0], oc.URIS.oai_identifier("M0619", oc.local_id(2))])


def test_parent_set_holds_every_record_of_its_children(client, hub):
    pages = oc.follow(client, "ListIdentifiers", metadataPrefix="oai_dc", set="museum")
    assert sum(len(page.findall(".//oai:header", NS)) for page in pages) == COUNT + 1
    pages = oc.follow(client, "ListIdentifiers", metadataPrefix="oai_dc", set="museum:M0619")
    got = {h.text for page in pages for h in page.iterfind(".//oai:identifier", NS)}
    assert got == {i for i in oc.identifiers(hub[1]) if ":M0619:" in i}


def test_list_sets_names_museums_types_and_exhibitions(client):
    root = oc.parse(ask(client, verb="ListSets"))
    sets = {s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
            for s in root.iterfind(".//oai:set", NS)}
    assert sets == {
        "museum": "Musées", "museum:M0619": "Musée de la Chartreuse",
        "museum:M0629": "Palais des Beaux-Arts de Lille",
        "museum:M0634": "La Piscine", "type": "Types d'objets",
        # the fixture's concepts have no label in the vocabularies, so a type set is named by its concept id
        "type:dessin": "dessin", "type:peinture": "peinture", "type:sculpture": "sculpture",
        "exhibition": "Expositions", "exhibition:tresors": "Trésors des musées du nord de la France"}
    description = root.find(".//oai:set[oai:setSpec='exhibition:tresors']/oai:setDescription/oai_dc:dc/dc:description",
                            NS)
    assert description.text == "Exposition itinérante de l'Association."


def test_characters_illegal_in_xml_never_reach_the_output(client):
    body = ask(client, verb="GetRecord", identifier=ILLEGAL_ID, metadataPrefix="oai_dc")
    root = oc.parse(body)
    assert b"\x01" not in body and b"\x1f" not in body
    titles = [t.text for t in root.iterfind(".//dc:title", NS)]
    assert titles == ["Vue\ufffd de Lille\ufffd"]


def test_a_token_for_another_verb_is_refused(client):
    token = oc.token_of(oc.parse(ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")))
    root = oc.parse(ask(client, verb="ListRecords", resumptionToken=token))
    assert oc.error_code(root) == "badResumptionToken"
    assert dict(root.find("oai:request", NS).attrib) == {"verb": "ListRecords", "resumptionToken": token}


def test_post_form_is_answered_as_get(client):
    response = client.post("/oai", data={"verb": "GetRecord", "identifier": LIVE_ID, "metadataPrefix": "oai_dc"})
    root = oc.parse(response.data)
    assert root.findtext(".//oai:header/oai:identifier", namespaces=NS) == LIVE_ID


def test_post_with_another_body_type_has_no_verb(client):
    response = client.post("/oai", data=b"verb=Identify", content_type="text/plain")
    assert oc.error_code(oc.parse(response.data)) == "badVerb"


def test_no_set_hierarchy_where_the_repository_has_no_set(tmp_path, ledger_location):
    config = HubConfig(base_uri=oc.BASE, data_dir=tmp_path, repository_name="Empty", admin_email="a@b.fr",
                       repository_identifier="musenor.test", museums={}, ledger=ledger_location)
    catalogue = Catalogue.from_config(config, open_graph=False)
    client = oc.make_app(config, catalogue).test_client()
    assert oc.error_code(oc.parse(ask(client, verb="ListSets"))) == "noSetHierarchy"
    assert oc.error_code(oc.parse(ask(client, verb="ListRecords", metadataPrefix="oai_dc", set="museum"))) \
        == "noSetHierarchy"
    assert oc.error_code(oc.parse(ask(client, verb="ListRecords", metadataPrefix="oai_dc"))) == "noRecordsMatch"
    catalogue.close()
