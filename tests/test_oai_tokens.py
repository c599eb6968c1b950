"""Resumption tokens: signed, stateless, tied to their verb, expiring; any mutation is badResumptionToken."""

from __future__ import annotations

import os
import stat
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402

from musenor.oai_server.oai.errors import BadResumptionToken  # noqa: E402
from musenor.oai_server.oai.tokens import SECRET_FILE, ResumptionToken, TokenCodec, load_secret  # noqa: E402

TOKEN = ResumptionToken("ListRecords", "lido", "museum:M0629", "2026-01-01T00:00:00Z", "2026-11-01T10:00:00Z",
                        ("2026-10-01T08:00:00Z", "oai:musenor.test:M0629:INV%2000001%2Fa"), 100, 12345)


def codec(secret: bytes = b"s3cret", hours: int = 48) -> TokenCodec:
    return TokenCodec(secret, timedelta(hours=hours))


def test_a_token_carries_the_whole_list_state():
    text, _ = codec().encode(TOKEN)
    assert codec().decode(text, "ListRecords") == TOKEN


def test_expiration_date_is_the_ttl_after_issue():
    text, expires = codec(hours=48).encode(TOKEN)
    from musenor.catalogue.ledger import utc_now

    assert timedelta(hours=47, minutes=59) <= expires - utc_now() <= timedelta(hours=48, seconds=1)


def test_a_token_of_another_verb_is_refused():
    text, _ = codec().encode(TOKEN)
    with pytest.raises(BadResumptionToken, match="belongs to ListRecords"):
        codec().decode(text, "ListIdentifiers")


def test_a_token_signed_with_another_key_is_refused():
    text, _ = codec(b"another key").encode(TOKEN)
    with pytest.raises(BadResumptionToken, match="not one this repository issued"):
        codec().decode(text, "ListRecords")


def test_an_expired_token_is_refused(monkeypatch):
    import itsdangerous.timed

    text, _ = codec(hours=24).encode(TOKEN)
    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                        lambda self: real(self) + 24 * 3600 + 5)
    with pytest.raises(BadResumptionToken, match="expired"):
        codec(hours=24).decode(text, "ListRecords")


def test_secret_is_made_once_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("MUSENOR_TEST_SECRET", raising=False)
    first = load_secret("MUSENOR_TEST_SECRET", tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / SECRET_FILE).st_mode) == 0o600
    assert load_secret("MUSENOR_TEST_SECRET", tmp_path) == first and len(first) == 64


def test_secret_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSENOR_TEST_SECRET", "from-env")
    assert load_secret("MUSENOR_TEST_SECRET", tmp_path) == b"from-env"
    assert not (tmp_path / SECRET_FILE).exists()


def test_a_token_whose_signature_decodes_to_the_same_bytes_is_refused():
    # 20 HMAC bytes are 27 base64 characters of 6 bits: the last one carries 2 spare bits the decoder drops
    from itsdangerous.encoding import base64_decode

    text, _ = codec().encode(TOKEN)
    signed, signature = text.rsplit(".", 1)
    twins = [signed + "." + signature[:-1] + c
             for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
             if c != signature[-1] and base64_decode(signature[:-1] + c) == base64_decode(signature)]
    assert len(twins) == 3
    for twin in twins:
        with pytest.raises(BadResumptionToken, match="not one this repository issued"):
            codec().decode(twin, "ListRecords")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_decodes_to_bad_resumption_token_never_another_error(text):
    with pytest.raises(BadResumptionToken):
        codec().decode(text, "ListRecords")


# -- 10,000 mutated real tokens against the endpoint ---------------------------------------------------

@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("oai-tokens")
    config, catalogue = oc.build(data_dir, count=12, page_size=5)
    oc.settle(catalogue)
    app = oc.make_app(config, catalogue)
    client = app.test_client()
    tokens = {}
    for verb in ("ListIdentifiers", "ListRecords"):
        tokens[verb] = oc.token_of(oc.parse(client.get("/oai", query_string={
            "verb": verb, "metadataPrefix": "oai_dc"}).data))
    yield client, tokens
    catalogue.close()


def mutations():
    alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
    return st.one_of(
        st.tuples(st.just("replace"), st.integers(0, 10_000), alphabet),
        st.tuples(st.just("insert"), st.integers(0, 10_000), alphabet),
        st.tuples(st.just("delete"), st.integers(0, 10_000), st.just("")),
        st.tuples(st.just("truncate"), st.integers(0, 10_000), st.just("")),
        st.tuples(st.just("swap"), st.integers(0, 10_000), st.just("")),
    )


def mutate(token: str, operations) -> str:
    for kind, where, char in operations:
        i = where % (len(token) + 1)
        if kind == "replace" and i < len(token):
            token = token[:i] + char + token[i + 1:]
        elif kind == "insert":
            token = token[:i] + char + token[i:]
        elif kind == "delete" and i < len(token):
            token = token[:i] + token[i + 1:]
        elif kind == "truncate":
            token = token[:i]
        elif kind == "swap" and i + 1 < len(token) and token[i] != token[i + 1]:
            token = token[:i] + token[i + 1] + token[i] + token[i + 2:]
    return token


MUTATED = 10_000


@settings(max_examples=MUTATED, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(verb=st.sampled_from(["ListIdentifiers", "ListRecords"]), operations=st.lists(mutations(), min_size=1,
                                                                                    max_size=4))
def test_ten_thousand_mutated_tokens_all_get_bad_resumption_token(endpoint, verb, operations):
    client, tokens = endpoint
    original = tokens[verb]
    mutated = mutate(original, operations)
    if mutated == original:
        return  # a mutation that undid itself is the real token
    response = client.get("/oai", query_string={"verb": verb, "resumptionToken": mutated})
    assert response.status_code == 200
    root = oc.parse(response.data)
    code = oc.error_code(root)
    if mutated == "" or any(ord(c) < 0x20 and c not in "\t\n\r" or c in "\ufffe\uffff" for c in mutated):
        assert code == "badArgument"  # an empty value, or one XML cannot even echo, is illegal syntax
    else:
        assert code == "badResumptionToken"
