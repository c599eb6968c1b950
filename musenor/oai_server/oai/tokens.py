"""Stateless resumption tokens (OAI-PMH 2.0 section 3.5), signed with HMAC by itsdangerous.

A token carries everything the next page needs, so the server keeps no session: the verb, the original
metadataPrefix, set, from, and the ``until`` the list was fixed at by its first request, the keyset cursor
(hub datestamp, identifier) of the last item delivered, how many items came before the next page, and the
complete list size counted at the first request. Forged, truncated, expired tokens and tokens of another
verb are refused with badResumptionToken.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer

from musenor.oai_server.oai.errors import BadResumptionToken

SALT = "musenor.oai.resumption-token"
SECRET_FILE = "oai-secret.key"
FORMAT_VERSION = 1
# What URLSafeTimedSerializer writes. Checked first: base64 decoding skips characters outside its alphabet,
# so a token with a stray character added would otherwise pass as the original.
TOKEN_TEXT = re.compile(r"[A-Za-z0-9_\-.]{1,2000}\Z")


@dataclass(frozen=True)
class ResumptionToken:
    verb: str
    metadata_prefix: str | None
    set_spec: str | None
    from_: str | None
    until: str
    after: tuple[str, str]  # keyset cursor: (hub datestamp, identifier) of the last item delivered
    position: int  # items delivered before the page this token asks for
    complete_list_size: int


def load_secret(env_var: str, data_dir: Path) -> bytes:
    """The signing key: from the environment, else a random key kept in ``<data_dir>/oai-secret.key``.

    The file is created once, readable by its owner only, so that tokens survive a restart and every
    worker process of one server signs alike.
    """
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env.encode("utf-8")
    path = Path(data_dir) / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes().strip()
        if key:
            return key
        raise RuntimeError(f"{path} is empty: delete it to have a new key made") from None
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_hex(32).encode("ascii"))
    return path.read_bytes().strip()


class TokenCodec:
    def __init__(self, secret: bytes, ttl: timedelta) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.ttl = ttl

    def encode(self, token: ResumptionToken) -> tuple[str, datetime]:
        """The token's text and its expiration date."""
        payload = [FORMAT_VERSION, token.verb, token.metadata_prefix, token.set_spec, token.from_, token.until,
                   token.after[0], token.after[1], token.position, token.complete_list_size]
        text = self._serializer.dumps(payload)
        _, issued = self._serializer.loads(text, return_timestamp=True)
        return text, issued.astimezone(timezone.utc) + self.ttl

    def decode(self, text: str, verb: str) -> ResumptionToken:
        if not TOKEN_TEXT.match(text) or not self._is_canonical(text):
            raise BadResumptionToken("the resumptionToken is not one this repository issued")
        try:
            payload = self._serializer.loads(text, max_age=int(self.ttl.total_seconds()))
        except Exception as exc:  # itsdangerous BadData subclasses, and anything a mangled payload raises
            reason = "has expired" if type(exc).__name__ == "SignatureExpired" else "is not one this repository issued"
            raise BadResumptionToken(f"the resumptionToken {reason}") from None
        token = _token(payload)
        if token is None:
            raise BadResumptionToken("the resumptionToken is not one this repository issued")
        if token.verb != verb:
            raise BadResumptionToken(f"the resumptionToken belongs to {token.verb}, not to {verb}")
        return token

    def _is_canonical(self, text: str) -> bool:
        """Whether ``text`` is, character for character, a token this codec would have issued.

        The signed part (payload and timestamp) is compared as text by the HMAC, but the signature itself is
        base64-decoded before it is checked, and base64 is malleable: the last character of an unpadded
        group carries bits the decoder drops, so a changed last character can decode to the same bytes.
        Re-signing the signed part gives the one canonical text, compared in constant time.
        """
        signed, separator, signature = text.rpartition(".")
        if not separator:
            return False
        canonical = self._serializer.make_signer().get_signature(signed)
        return hmac.compare_digest(canonical, signature.encode("ascii"))


def _token(payload: object) -> ResumptionToken | None:
    """A well-formed payload, or None (a signed payload is ours, but checking costs nothing)."""
    if not isinstance(payload, list) or len(payload) != 10 or payload[0] != FORMAT_VERSION:
        return None
    _, verb, prefix, set_spec, from_, until, stamp, identifier, position, size = payload
    texts_or_none = (prefix, set_spec, from_)
    if not isinstance(verb, str) or not isinstance(until, str) or not isinstance(stamp, str) \
            or not isinstance(identifier, str) or not all(v is None or isinstance(v, str) for v in texts_or_none):
        return None
    if not isinstance(position, int) or not isinstance(size, int) or position < 0 or size < 0:
        return None
    return ResumptionToken(verb, prefix, set_spec, from_, until, (stamp, identifier), position, size)
