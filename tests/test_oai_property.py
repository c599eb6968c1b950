"""Generated requests (hypothesis), on both ledger backends: no server error, every body a well-formed (and,
with ../shared, valid) envelope, and every invalid request answered with the code an independent oracle expects."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402
from schemas import XSD, assert_valid  # noqa: E402

VERBS = ("Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord")
ALLOWED = {"Identify": set(), "ListMetadataFormats": {"identifier"}, "ListSets": {"resumptionToken"},
           "ListIdentifiers": {"metadataPrefix", "from", "until", "set", "resumptionToken"},
           "ListRecords": {"metadataPrefix", "from", "until", "set", "resumptionToken"},
           "GetRecord": {"identifier", "metadataPrefix"}}
REQUIRED = {"ListIdentifiers": {"metadataPrefix"}, "ListRecords": {"metadataPrefix"},
            "GetRecord": {"identifier", "metadataPrefix"}}
LIVE = oc.URIS.oai_identifier("M0629", oc.local_id(0))
DELETED = oc.URIS.oai_identifier("M0634", oc.local_id(1))

# Values by argument, each labelled with what it is: ok, unknown (legal but names nothing), empty (a list
# that comes out empty), malformed (illegal syntax).
POOLS = {
    "metadataPrefix": [("oai_dc", "ok"), ("lido", "ok"), ("marc21", "unknown"), ("OAI_DC", "unknown"),
                       ("oai dc", "malformed"), ("<x>", "malformed"), ("é", "malformed")],
    "identifier": [(LIVE, "ok"), (DELETED, "ok"), ("oai:musenor.test:M0629:nope", "unknown"), ("xyz", "unknown"),
                   ("a b", "malformed"), ('a"b', "malformed"), ("a<b>", "malformed")],
    "set": [("museum:M0629", "ok"), ("museum", "ok"), ("type:peinture", "ok"), ("museum:M9999", "empty"),
            ("nothing", "empty"), ("a::b", "malformed"), (":museum", "malformed"), ("museum M0629", "malformed")],
    "from": [("2000-01-01", "ok"), ("2000-01-01T00:00:00Z", "ok"), ("2999-01-01", "empty"),
             ("2999-01-01T00:00:00Z", "empty"), ("2020-13-01", "malformed"), ("2020-01-01T00:00:00", "malformed"),
             ("yesterday", "malformed")],
    "until": [("2999-12-31", "ok"), ("2999-12-31T23:59:59Z", "ok"), ("2000-01-01", "empty"),
              ("2000-01-01T00:00:00Z", "empty"), ("2021-02-29", "malformed"), ("2020-01-01Z", "malformed")],
    "resumptionToken": [("junk", "unknown"), ("", "malformed"), ("TOKEN:ListIdentifiers", "token"),
                        ("TOKEN:ListRecords", "token")],
}
JUNK_NAMES = st.sampled_from(["foo", "Verb", "metadataprefix", "set ", "identifier\x01", "é"])


def expected_code(verbs: list[str], pairs: list[tuple[str, str, str]]) -> str | None:
    """The oracle: what OAI-PMH 2.0 (sections 3.1.1, 3.3, 3.5, 3.6) asks of this request."""
    if len(verbs) != 1 or verbs[0] not in VERBS:
        return "badVerb"
    verb = verbs[0]
    names = [name for name, _, _ in pairs]
    given = {name: (value, label) for name, value, label in pairs}
    if any(n not in ALLOWED[verb] for n in names) or len(set(names)) != len(names):
        return "badArgument"
    if any(label == "malformed" for _, _, label in pairs):
        return "badArgument"
    if "resumptionToken" in given:
        if len(given) > 1:
            return "badArgument"
        value, label = given["resumptionToken"]
        return None if label == "token" and value == f"TOKEN:{verb}" else "badResumptionToken"
    if REQUIRED.get(verb, set()) - set(given):
        return "badArgument"
    if "from" in given and "until" in given:
        from_, until = given["from"][0], given["until"][0]
        if ("T" in from_) != ("T" in until):
            return "badArgument"
        if from_ > until:
            return "badArgument"
    if verb in ("ListMetadataFormats", "GetRecord") and given.get("identifier", ("", "ok"))[1] == "unknown":
        return "idDoesNotExist"
    if given.get("metadataPrefix", ("", "ok"))[1] == "unknown":
        return "cannotDisseminateFormat"
    if any(label == "empty" for _, _, label in pairs):
        return "noRecordsMatch"
    return None


@st.composite
def requests(draw):
    mode = draw(st.integers(0, 9))
    if mode == 0:
        verbs = [draw(st.text(max_size=12))]
    elif mode == 1:
        verbs = draw(st.lists(st.sampled_from(VERBS), min_size=0, max_size=2))
    else:
        verbs = [draw(st.sampled_from(VERBS))]
    verb = verbs[0] if verbs and verbs[0] in VERBS else None
    names = sorted(ALLOWED[verb]) if verb else sorted(POOLS)
    chosen = draw(st.lists(st.sampled_from(names or ["metadataPrefix"]), max_size=2))
    if verb in REQUIRED and draw(st.integers(0, 3)):
        chosen = sorted(REQUIRED[verb]) + [n for n in chosen if n not in REQUIRED[verb] or not draw(st.booleans())]
    well_formed = draw(st.integers(0, 2)) > 0
    pairs = []
    for name in chosen:
        pool = [p for p in POOLS[name] if p[1] != "malformed"] if well_formed else POOLS[name]
        value, label = draw(st.sampled_from(pool))
        pairs.append((name, value, label))
    if draw(st.integers(0, 9)) == 0:
        pairs.append((draw(JUNK_NAMES), draw(st.text(max_size=8)), "junk-name"))
    return verbs, pairs, draw(st.sampled_from(["GET", "POST"]))


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, module_ledger_location):
    data_dir = tmp_path_factory.mktemp("oai-property")
    config, catalogue = oc.build(data_dir, count=9, page_size=4, ledger=module_ledger_location)
    oc.publish(catalogue, "M0634", [oc.staged("M0634", oc.local_id(1), 1, deleted=True)])
    oc.settle(catalogue)
    client = oc.make_app(config, catalogue).test_client()
    tokens = {verb: oc.token_of(oc.parse(client.get("/oai", query_string={"verb": verb, "metadataPrefix": "lido"}
                                                    ).data)) for verb in ("ListIdentifiers", "ListRecords")}
    yield client, tokens
    catalogue.close()


VALIDATE = (XSD / "oai" / "OAI-PMH.xsd").exists()


@settings(max_examples=1200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(request=requests())
def test_generated_requests_get_the_right_answer(endpoint, request):
    client, tokens = endpoint
    verbs, pairs, method = request
    items = [("verb", v) for v in verbs]
    for name, value, _ in pairs:
        if value.startswith("TOKEN:"):
            value = tokens[value.removeprefix("TOKEN:")]
        items.append((name, value))
    if method == "GET":
        response = client.get("/oai", query_string=items)
    else:
        response = client.post("/oai", data=urlencode(items).encode("utf-8"),
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    root = oc.parse(response.data)
    junk = any(label == "junk-name" for _, _, label in pairs)
    expected = expected_code(verbs, [p for p in pairs if p[2] != "junk-name"])
    if junk and expected != "badVerb":
        expected = "badArgument"  # an argument no verb takes
    event(f"expected {expected}")
    assert oc.error_code(root) == expected, (items, response.data[:600])
    if VALIDATE:
        assert_valid("oai-pmh", response.data)
