"""Reading a request's arguments (OAI-PMH 2.0 sections 3.1 and 3.3) into an ``OAIRequest``.

Everything a verb may be asked is checked here, before any verb runs: the verb itself (badVerb), unknown,
repeated, missing or empty arguments, a resumptionToken beside other arguments, and the syntax of each
value (badArgument). Values that pass are exactly those the response's ``request`` element may echo
valid against OAI-PMH.xsd.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from werkzeug.datastructures import MultiDict

from musenor.oai_server.oai.errors import BadArgument, BadVerb
from musenor.oai_server.oai.xmltext import has_illegal_characters


@dataclass(frozen=True)
class VerbArguments:
    """What a verb accepts: required and optional arguments, and whether it takes a resumptionToken."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    resumable: bool = False

    @property
    def allowed(self) -> frozenset[str]:
        return self.required | self.optional | ({"resumptionToken"} if self.resumable else frozenset())


# Patterns of OAI-PMH.xsd (metadataPrefixType, setSpecType); an identifier is an xs:anyURI, so a value with
# spaces or characters RFC 3987 excludes is illegal syntax, while any other unknown one does not exist.
METADATA_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+\Z")
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")
URI = re.compile(r'[^\s<>"{}|\\^`]+\Z')
DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


@dataclass(frozen=True)
class OAIRequest:
    verb: str
    arguments: dict[str, str] = field(default_factory=dict)  # as given, to echo in the request element
    from_: str | None = None  # normalised to seconds: a day starts at 00:00:00Z...
    until: str | None = None  # ...and ends at 23:59:59Z (section 3.3.1: from and until are inclusive)

    @property
    def resumption_token(self) -> str | None:
        return self.arguments.get("resumptionToken")

    @property
    def metadata_prefix(self) -> str | None:
        return self.arguments.get("metadataPrefix")

    @property
    def identifier(self) -> str | None:
        return self.arguments.get("identifier")

    @property
    def set_spec(self) -> str | None:
        return self.arguments.get("set")


def _datestamp(name: str, value: str, *, end_of_day: bool) -> tuple[str, str]:
    """(granularity, value at seconds granularity); a date that does not exist is illegal syntax too."""
    if DAY.match(value):
        granularity, full = "day", value + ("T23:59:59Z" if end_of_day else "T00:00:00Z")
    elif SECOND.match(value):
        granularity, full = "seconds", value
    else:
        raise BadArgument(f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}")
    try:
        datetime.strptime(full, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise BadArgument(f"{name} {value!r} is not a date that exists") from None
    return granularity, full


def parse_request(params: MultiDict[str, str], verbs: dict[str, VerbArguments]) -> OAIRequest:
    """Check the arguments of one request against its verb; raises BadVerb or BadArgument."""
    given_verbs = params.getlist("verb")
    if not given_verbs:
        raise BadVerb("the verb argument is missing")
    if len(given_verbs) > 1:
        raise BadVerb("the verb argument is repeated")
    verb = given_verbs[0]
    if verb not in verbs:
        raise BadVerb("this is not a legal OAI-PMH verb" if not has_illegal_characters(verb)
                      else "the verb holds characters that XML does not allow")
    accepted = verbs[verb]
    arguments: dict[str, str] = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if has_illegal_characters(name) or name not in accepted.allowed:
            raise BadArgument(f"{verb} does not take the argument {name!r}"
                              if not has_illegal_characters(name) else f"{verb} got an illegal argument name")
        if len(values) > 1:
            raise BadArgument(f"the argument {name} is repeated")
        if not values[0]:
            raise BadArgument(f"the argument {name} is empty")
        if has_illegal_characters(values[0]):
            raise BadArgument(f"the argument {name} holds characters that XML does not allow")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise BadArgument("resumptionToken is an exclusive argument: nothing but the verb may go with it")
        return OAIRequest(verb, arguments)
    missing = sorted(accepted.required - set(arguments))
    if missing:
        raise BadArgument(f"{verb} requires the argument {missing[0]}")
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and not METADATA_PREFIX.match(prefix):
        raise BadArgument(f"metadataPrefix {prefix!r} has an illegal syntax")
    set_spec = arguments.get("set")
    if set_spec is not None and not SET_SPEC.match(set_spec):
        raise BadArgument(f"set {set_spec!r} has an illegal syntax")
    identifier = arguments.get("identifier")
    if identifier is not None and not URI.match(identifier):
        raise BadArgument(f"identifier {identifier!r} is not a URI")
    from_ = until = None
    granularities = set()
    if "from" in arguments:
        granularity, from_ = _datestamp("from", arguments["from"], end_of_day=False)
        granularities.add(granularity)
    if "until" in arguments:
        granularity, until = _datestamp("until", arguments["until"], end_of_day=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise BadArgument("from and until must have the same granularity")
    if from_ is not None and until is not None and from_ > until:
        raise BadArgument("from is later than until")
    return OAIRequest(verb, arguments, from_=from_, until=until)
