"""The hub configuration: one ``musenor.toml`` naming the hub and its member museums.

The catalogue owns the configuration because both sides read it: the harvester needs the museums and
their sources, the servers need the hub's name, base URI and curated sets. Source settings are kept as a
plain mapping here; each source kind checks its own keys (``musenor.harvester.sources``).

Every key of the hub's own tables is one ``Key`` record below: how it is checked, its default and what it
means. The checker reads these tables, so does ``docs/configuration.md``'s test, and a new key is one line.
The checker reports every problem of the file in one run, each with the file, the line, the museum and the
key, rather than stopping at the first: an administrator fixing forty museums should not need forty runs.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MUSEOFILE_CODE = re.compile(r"^M\d{4}$")
# OAI-PMH oai-identifier scheme: repositoryIdentifier is a domain name (Guidelines, oai-identifier 2.0).
REPOSITORY_IDENTIFIER = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
SET_SPEC_PART = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CRON_FIELDS = 5
DEFAULT_TIMEZONE = "Europe/Paris"
REQUIRED = object()
LEDGER_URL = re.compile(r"^postgres(ql)?://\S*$")


class ConfigError(Exception):
    """A configuration problem, naming the file, the line, the museum (if any) and the key.

    When a check finds several problems it raises one ConfigError whose ``problems`` lists them all (its
    own attributes are those of the first)."""

    def __init__(self, reason: str, *, key: str | None = None, museum: str | None = None,
                 path: Path | str | None = None, line: int | None = None) -> None:
        self.reason = reason
        self.key = key
        self.museum = museum
        self.path = str(path) if path else None
        self.line = line
        self.problems: list[ConfigError] = [self]
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.path:
            where.append(f"{self.path}:{self.line}" if self.line else self.path)
        if self.museum:
            where.append(f"museum {self.museum}")
        if self.key:
            where.append(f"key '{self.key}'")
        return f"{': '.join(where)}: {self.reason}" if where else self.reason

    def located(self, path: Path | str | None, lines: dict[str, int]) -> ConfigError:
        """This problem with the file and the line of its key (or of the nearest table above it)."""
        line = self.line
        if line is None and self.key:
            parts = self.key.split(".")
            while parts and line is None:
                line = lines.get(".".join(parts))
                parts.pop()
        return ConfigError(self.reason, key=self.key, museum=self.museum, path=self.path or path, line=line)

    @classmethod
    def of(cls, problems: list[ConfigError]) -> ConfigError:
        """One error carrying every problem, in the order of the file."""
        ordered = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        first = ordered[0]
        error = cls(first.reason, key=first.key, museum=first.museum, path=first.path, line=first.line)
        error.problems = ordered
        error.args = ("\n".join(p.describe() for p in ordered),)
        return error

    def __str__(self) -> str:
        return str(self.args[0])


class Invalid(ValueError):
    """A value refused by a Key's check; the checker adds the file, line, museum and key."""


def did_you_mean(key: str, known: Iterable[str], what: str = "") -> str:
    """``unknown key`` with the nearest known spelling, or the list of known keys when none is near."""
    known = sorted(k for k in known if not k.startswith("_"))
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key{what}; did you mean '{close[0]}'?"
    return f"unknown key{what} (known: {', '.join(known)})"


# -- checks of one value: each returns the value as the hub uses it, or raises Invalid ---------------------

def text(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise Invalid("must not be empty")
    return value


def http_url(value: Any) -> str:
    value = text(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(f"{value!r} is not an http(s) URL")
    return value


def email(value: Any) -> str:
    if not EMAIL.match(text(value)):
        raise Invalid(f"{value!r} is not an e-mail address")
    return value


def domain_name(value: Any) -> str:
    if not REPOSITORY_IDENTIFIER.match(text(value)):
        raise Invalid(f"{value!r} is not a domain name, as oai-identifier requires")
    return value


def database_url(store: str) -> Callable[[Any], str]:
    """A PostgreSQL database's URL, for ``hub.ledger`` or ``hub.search`` (left out: the embedded store)."""
    def check(value: Any) -> str:
        if not isinstance(value, str) or not LEDGER_URL.match(value):
            raise Invalid(f"must be a postgresql://user@host/database URL (leave it out for the embedded {store})")
        return value
    return check


def whole(minimum: int, maximum: int | None = None, why: str = "") -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum \
                or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
            raise Invalid(f"must be a whole number {bounds}{why}")
        return value
    return check


def share(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise Invalid("must be a share between 0 and 1 (e.g. 0.2 for 20%)")
    return float(value)


def timezone_name(value: Any) -> str:
    try:
        ZoneInfo(text(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"{value!r} is not a timezone of the IANA database (e.g. Europe/Paris)") from None
    return value


def cron(value: Any) -> str:
    """Checked by the scheduler's own parser, so what passes here is what ``musenor schedule`` runs."""
    from apscheduler.triggers.cron import CronTrigger

    if not isinstance(value, str) or len(value.split()) != CRON_FIELDS:
        raise Invalid("must be a cron expression of five fields (minute hour day month weekday), "
                      "e.g. '0 3 * * *'")
    try:
        CronTrigger.from_crontab(value, timezone="UTC")
    except ValueError as exc:
        raise Invalid(f"{value!r} is not a valid cron expression: {exc}") from None
    return value


def names(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise Invalid("must be a list of names")
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def table(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("must be a table")
    return value


# A statement a rights_map may name: rightsstatements.org or Creative Commons, in any of their spellings.
RIGHTS_STATEMENT_URI = re.compile(r"^https?://(www\.)?(rightsstatements\.org/(vocab|page)/[A-Za-z-]+/1\.0"
                                  r"|creativecommons\.org/(licenses|publicdomain)/[a-z-]+/[0-9.]+)(/\S*)?$")


def rights_map(value: Any) -> dict[str, str]:
    """``[museums.X.rights_map]``: the museum's own wording of a rights status ("Domaine public", "© Musée") to
    the rightsstatements.org or Creative Commons statement it means."""
    if not isinstance(value, dict):
        raise Invalid('must be a table of "museum wording" = "statement URI"')
    for wording, statement in value.items():
        if not wording.strip():
            raise Invalid("an empty wording maps nothing")
        if not isinstance(statement, str) or not RIGHTS_STATEMENT_URI.match(statement.strip()):
            raise Invalid(f"{wording!r}: {statement!r} is not a rightsstatements.org or Creative Commons "
                          "statement URI")
    return {wording: statement.strip() for wording, statement in value.items()}


@dataclass(frozen=True)
class Key:
    """One key of musenor.toml: its check, its default (REQUIRED when it has none) and its meaning."""

    check: Callable[[Any], Any]
    meaning: str
    default: Any = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


HUB_KEYS: dict[str, Key] = {
    "base_uri": Key(http_url, "the hub's public base URI; every URI it mints (objects, records, agents, "
                    "concepts) is under it. The catalogue keeps the base it was built under: after changing it, "
                    "run `musenor rebase-uri` (server stopped)", REQUIRED),
    "data_dir": Key(text, "where the ledger, graph store, search index, images and dumps live", REQUIRED),
    "repository_name": Key(text, "name given by OAI-PMH Identify and shown on the pages", REQUIRED),
    "admin_email": Key(email, "OAI-PMH Identify `adminEmail`; also the contact address the harvester gives "
                       "museums in its User-Agent", REQUIRED),
    "repository_identifier": Key(domain_name, "the domain name in OAI identifiers, "
                                 "`oai:<repository_identifier>:<museum>:<local id>`", REQUIRED),
    "max_shrink": Key(share, "share of a museum's records a full harvest may delete before the run is refused",
                      0.2),
    "concurrency": Key(whole(1), "museums harvested at once", 4),
    "page_size": Key(whole(1, 1000), "records per OAI-PMH list response", 100),
    "token_ttl_hours": Key(whole(24, why=" (aggregators pause overnight)"),
                           "lifetime of OAI-PMH resumption tokens (at least 24)", 48),
    "secret_key_env": Key(text, "environment variable holding the key that signs resumption tokens (else one "
                          "is generated in `data_dir`)", "MUSENOR_SECRET_KEY"),
    "ledger": Key(database_url("ledger"), "the ledger in PostgreSQL, as a `postgresql://user@host:port/database` "
                  "URL (libpq reads the password from `PGPASSWORD` or `~/.pgpass`, so the file need not hold it); "
                  "left out, the ledger is `data_dir/ledger.sqlite3`. `musenor migrate --to URL` moves an embedded "
                  "ledger there; see [deployment.md](deployment.md)"),
    "search": Key(database_url("search index"), "the public search index in PostgreSQL (its own full-text "
                  "search: Snowball stemming, GIN index), as a `postgresql://` URL, usually the ledger's database; "
                  "shared by every server. Left out, the index is `data_dir/search.sqlite3`, one per server"),
    "graph": Key(http_url, "the graph on a SPARQL 1.1 server (Oxigraph server, Fuseki, QLever...), as the server's "
                 "base URL; left out, the graph is pyoxigraph on disk in `data_dir/graph`. The scheduler writes it, "
                 "servers only read it; see [deployment.md](deployment.md)"),
    "graph_query": Key(http_url, "the server's SPARQL Query endpoint (default: `<graph>/query`, Oxigraph's)"),
    "graph_update": Key(http_url, "the server's SPARQL Update endpoint (default: `<graph>/update`)"),
    "graph_store": Key(http_url, "the server's Graph Store Protocol dataset endpoint, which must accept N-Quads "
                       "(default: `<graph>/store`; Fuseki: the dataset's URL)"),
    "graph_timeout": Key(whole(1), "seconds the hub waits for the SPARQL server on a write (a reader's query has "
                         "the SPARQL endpoint's own limit)", 60),
    "timezone": Key(timezone_name, "the timezone of schedules and of the times the hub shows (IANA name)",
                    DEFAULT_TIMEZONE),
    "user_agent": Key(text, "User-Agent of the harvester's requests (default: `Musenor-hub/<version> "
                      "(+<base_uri>; <admin_email>)`, so a museum's webmaster can reach the hub)", ""),
}

MUSEUM_KEYS: dict[str, Key] = {
    "name": Key(text, "the museum as the public knows it", REQUIRED),
    "city": Key(text, "the city the museum is in", REQUIRED),
    "source": Key(table, "table: `kind` (a registered source kind) and that kind's settings, below", REQUIRED),
    "schedule": Key(cron, "cron expression of five fields (minute hour day month weekday) for `musenor "
                    "schedule`, in the hub's timezone"),
    "website": Key(http_url, "the museum's site (http or https)"),
    "rights": Key(http_url, "rights statement URI for records that state none (else "
                  "`http://rightsstatements.org/vocab/CNE/1.0/`, copyright not evaluated)"),
    "rights_map": Key(rights_map, "table: the museum's own rights wording (\"Domaine public\") = the "
                      "rightsstatements.org or Creative Commons statement URI it means", {}),
    "max_shrink": Key(share, "overrides the hub's mass-deletion guard for this museum"),
}

SET_KEYS: dict[str, Key] = {
    "name": Key(text, "title of the exhibition", REQUIRED),
    "description": Key(lambda v: text(v) if v != "" else v, "text shown in ListSets and on the page", ""),
    "records": Key(names, "OAI identifiers (or `M0629:local id` pairs) of the records in the set", []),
    "query": Key(text, "a SPARQL SELECT binding `?cho` to the objects in the set, re-evaluated after each "
                 "publish"),
}

def emails(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise Invalid("must be a list of e-mail addresses")
    for address in value:
        email(address)
    return value


ALERT_KEYS: dict[str, Key] = {
    "email_to": Key(emails, "addresses told of a failed run, a refused publish (mass deletion) or a silent "
                    "source", []),
    "smtp_host": Key(text, "the mail server", "localhost"),
    "smtp_port": Key(whole(1, 65535), "its port", 25),
    "smtp_starttls": Key(flag, "upgrade the connection with STARTTLS before logging in", False),
    "smtp_user": Key(text, "login, when the mail server wants one", ""),
    "smtp_password_env": Key(text, "environment variable holding the password (never this file)", ""),
    "smtp_from": Key(email, "sender address (default: `[hub] admin_email`)", ""),
    "webhook_url": Key(http_url, "URL that receives each alert as a JSON POST (a chat or incident tool)", ""),
    "silent_runs": Key(whole(1), "a museum whose source brought nothing new, changed or deleted this many "
                       "runs in a row is reported silent", 7),
}

def password_hash(value: Any) -> str:
    method = text(value).split("$", 1)[0]
    if value.count("$") != 2 or not method.startswith(("scrypt", "pbkdf2")):
        raise Invalid("must be a password hash made by `musenor hash-password` (never the password itself)")
    return value


def header_name(value: Any) -> str:
    if not re.match(r"^[A-Za-z0-9-]+$", text(value)):
        raise Invalid(f"{value!r} is not an HTTP header name")
    return value


ADMIN_KEYS: dict[str, Key] = {
    "password_hash": Key(password_hash, "hash of the administrators' password (`musenor hash-password`); "
                         "opens `/admin` with a login form", ""),
    "user": Key(text, "the name the password logs in as, recorded with each request it makes", "admin"),
    "trusted_header": Key(header_name, "header a reverse proxy that authenticates the administrators sets to "
                          "their name (e.g. `X-Remote-User`); the proxy must remove it from every other "
                          "request", ""),
}

def tile_url(value: Any) -> str:
    """A slippy-map tile URL template: http(s), with the {z}, {x} and {y} Leaflet fills in."""
    value = http_url(value)
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in value]
    if missing:
        raise Invalid(f"{value!r} lacks {', '.join(missing)}: a tile URL template names {{z}}, {{x}} and {{y}}")
    return value


MAP_KEYS: dict[str, Key] = {
    "tile_url": Key(tile_url, "tile URL template of the map on place pages (`{z}`, `{x}`, `{y}`, optional "
                    "`{s}`); the pages' Content-Security-Policy allows its host for images only, and the "
                    "hub serves Leaflet itself", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "attribution": Key(text, "the credit the tile server asks for, shown on the map",
                       "© OpenStreetMap contributors"),
    "max_zoom": Key(whole(1, 22), "the closest zoom level the tile server offers", 19),
}

# The tables of the file and their keys; each is checked the same way. ``museums`` and ``sets`` hold one
# table per museum code or set key; the others are one table each.
TABLES: dict[str, dict[str, Key]] = {"hub": HUB_KEYS, "museums": MUSEUM_KEYS, "sets": SET_KEYS,
                                     "alerts": ALERT_KEYS, "admin": ADMIN_KEYS, "map": MAP_KEYS}
SINGLE_TABLES = ("alerts", "admin", "map")
# Tables whose keys their own package checks (``musenor validate-config`` runs it): the photo campaigns.
TABLES_CHECKED_ELSEWHERE = ("campaigns",)


@dataclass(frozen=True)
class MuseumConfig:
    """One member museum, identified by its Museofile code (e.g. M0629)."""

    code: str
    name: str
    city: str
    source: dict[str, Any]
    schedule: str | None = None
    website: str | None = None
    rights: str | None = None  # default rights statement URI for records that state none
    rights_map: dict[str, str] = field(default_factory=dict)  # the museum's own rights wording -> statement URI
    max_shrink: float | None = None  # overrides the hub's mass-deletion guard

    @property
    def source_kind(self) -> str:
        return str(self.source.get("kind", ""))

    @property
    def set_spec(self) -> str:
        return f"museum:{self.code}"


@dataclass(frozen=True)
class CuratedSet:
    """An exhibition or virtual exhibition published as an OAI set (``exhibition:<key>``)."""

    key: str
    name: str
    description: str = ""
    records: tuple[str, ...] = ()  # OAI identifiers or "M0629:local-id" pairs
    query: str | None = None  # SPARQL SELECT binding ?cho (the object URIs in the set)

    @property
    def set_spec(self) -> str:
        return f"exhibition:{self.key}"


def hub_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("musenor-hub")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass(frozen=True)
class HubConfig:
    base_uri: str
    data_dir: Path
    repository_name: str
    admin_email: str
    repository_identifier: str
    museums: dict[str, MuseumConfig]
    sets: dict[str, CuratedSet] = field(default_factory=dict)
    max_shrink: float = 0.2
    concurrency: int = 4
    page_size: int = 100
    token_ttl_hours: int = 48
    secret_key_env: str = "MUSENOR_SECRET_KEY"
    ledger: str | None = None  # a postgresql:// URL; None: the embedded SQLite ledger in data_dir
    search: str | None = None  # a postgresql:// URL; None: the embedded SQLite FTS index in data_dir
    graph: str | None = None  # a SPARQL server's base URL; None: pyoxigraph on disk in data_dir
    graph_query: str | None = None
    graph_update: str | None = None
    graph_store: str | None = None
    graph_timeout: int = 60
    path: Path | None = None
    timezone: str = DEFAULT_TIMEZONE
    user_agent_setting: str = ""
    # Dotted key -> line in the file, so that problems found later (source settings) name their line.
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # Checked values of the single tables (``alerts``...), every key present, defaults filled in.
    tables: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def alerts(self) -> dict[str, Any]:
        return self.tables.get("alerts") or {name: key.default for name, key in ALERT_KEYS.items()}

    @property
    def map(self) -> dict[str, Any]:
        """The ``[map]`` table: the tiles of the place pages' map."""
        return self.tables.get("map") or {name: key.default for name, key in MAP_KEYS.items()}

    @property
    def admin(self) -> dict[str, Any]:
        return self.tables.get("admin") or {name: key.default for name, key in ADMIN_KEYS.items()}

    @property
    def admin_enabled(self) -> bool:
        """``/admin`` exists only when a way to authenticate its users is configured."""
        return bool(self.admin["password_hash"] or self.admin["trusted_header"])

    def museum(self, code: str) -> MuseumConfig:
        """The museum named by its Museofile code, in any case (``m0629`` is ``M0629``)."""
        try:
            return self.museums[code.strip().upper()]
        except KeyError:
            close = difflib.get_close_matches(code.strip().upper(), list(self.museums), n=1)
            hint = f"; did you mean {close[0]}?" if close else f" (known: {', '.join(sorted(self.museums))})"
            raise ConfigError(f"no museum with code {code!r}{hint}", path=self.path) from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def user_agent(self) -> str:
        """What the harvester says it is: a museum's webmaster reading their logs can reach the hub."""
        if self.user_agent_setting:
            return self.user_agent_setting
        return f"Musenor-hub/{hub_version()} (+{self.base_uri}; {self.admin_email})"

    def local_time(self, stamp: str | None) -> str | None:
        """A ledger time (UTC, ISO 8601) as the hub's administrators read it: in the hub's timezone."""
        if not stamp:
            return None
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(self.zone).isoformat(timespec="seconds")

    def locate(self, problem: ConfigError) -> ConfigError:
        return problem.located(self.path, self.key_lines)


def key_lines(text_: str) -> dict[str, int]:
    """Dotted key -> line number of its table header or ``key =`` line (tomllib keeps no positions)."""
    lines: dict[str, int] = {}
    current: list[str] = []
    in_multiline: str | None = None
    for number, raw in enumerate(text_.splitlines(), start=1):
        line = raw.strip()
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", line)
        if header:
            current = [p.strip().strip("\"'") for p in header.group(1).split(".")]
            lines.setdefault(".".join(current), number)
            continue
        assignment = re.match(r"^([A-Za-z0-9_\-.\"' ]+?)\s*=(.*)$", line)
        if assignment:
            key = [p.strip().strip("\"'") for p in assignment.group(1).split(".")]
            lines.setdefault(".".join(current + key), number)
            for quotes in ('"""', "'''"):
                if assignment.group(2).count(quotes) % 2 == 1:
                    in_multiline = quotes
    return lines


class _Reader:
    """Reads tables against their Key records, collecting every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[ConfigError] = []

    def problem(self, reason: str, *, key: str, museum: str | None = None) -> None:
        self.problems.append(ConfigError(reason, key=key, museum=museum, path=self.path))

    def read(self, values: dict[str, Any], keys: dict[str, Key], *, where: str,
             museum: str | None = None) -> dict[str, Any]:
        """Every key of ``keys``: its checked value, its default, or None after a problem."""
        for key in values:
            if key not in keys:
                self.problem(did_you_mean(key, keys), key=f"{where}.{key}", museum=museum)
        result: dict[str, Any] = {}
        for key, spec in keys.items():
            if key not in values:
                if spec.required:
                    self.problem("missing", key=f"{where}.{key}", museum=museum)
                result[key] = None if spec.required else spec.default
                continue
            try:
                result[key] = spec.check(values[key])
            except Invalid as exc:
                self.problem(str(exc), key=f"{where}.{key}", museum=museum)
                result[key] = None if spec.required else spec.default
        return result


def read_config(data: dict[str, Any], *, path: Path, base_dir: Path | None = None,
                lines: dict[str, int] | None = None) -> tuple[HubConfig, list[ConfigError]]:
    """The configuration and every problem found in it, each located in the file.

    The configuration is built even when there are problems (with defaults in their place), so that the
    source settings of every museum can be checked in the same run."""
    base_dir = base_dir or path.parent
    lines = lines or {}
    reader = _Reader(path)
    for name in data:
        if name not in TABLES and name not in TABLES_CHECKED_ELSEWHERE:
            reader.problem(did_you_mean(name, TABLES).replace("key", "table", 1), key=name)
    hub_table = data.get("hub")
    if not isinstance(hub_table, dict):
        reader.problem("missing [hub] table", key="hub")
        hub_table = {}
    hub = reader.read(hub_table, HUB_KEYS, where="hub")
    data_dir = Path(hub["data_dir"] or "var")
    if not data_dir.is_absolute():
        data_dir = (base_dir / data_dir).resolve()

    museums: dict[str, MuseumConfig] = {}
    museums_table = data.get("museums", {})
    if not isinstance(museums_table, dict) or not museums_table:
        reader.problem("no museum configured: add a [museums.M....] table", key="museums")
        museums_table = {}
    for code, values in museums_table.items():
        where = f"museums.{code}"
        if not MUSEOFILE_CODE.match(code):
            reader.problem("museum id must be a Museofile code such as M0629", key=where, museum=code)
            continue
        if not isinstance(values, dict):
            reader.problem("must be a table", key=where, museum=code)
            continue
        museum = reader.read(values, MUSEUM_KEYS, where=where, museum=code)
        source = dict(museum.pop("source") or {})
        if "source" in values and "kind" not in source:
            reader.problem("missing", key=f"{where}.source.kind", museum=code)
        elif "kind" in source and not (isinstance(source["kind"], str) and source["kind"].strip()):
            reader.problem("must be the name of a source kind", key=f"{where}.source.kind", museum=code)
        source["_base_dir"] = str(base_dir)
        museums[code] = MuseumConfig(code=code, source=source, **{k: v or "" if k in ("name", "city") else v
                                                                  for k, v in museum.items()})

    sets: dict[str, CuratedSet] = {}
    sets_table = data.get("sets") or {}
    for key, values in (sets_table.items() if isinstance(sets_table, dict) else ()):
        where = f"sets.{key}"
        if not SET_SPEC_PART.match(key):
            reader.problem("set key may hold only letters, digits and - _ . ! ~ * ' ( )", key=where)
            continue
        if not isinstance(values, dict):
            reader.problem("must be a table", key=where)
            continue
        curated = reader.read(values, SET_KEYS, where=where)
        if not values.get("records") and not values.get("query"):
            reader.problem("a curated set needs 'records' or 'query'", key=where)
        sets[key] = CuratedSet(key=key, name=curated["name"] or key, description=curated["description"],
                               records=tuple(curated["records"]), query=curated["query"])

    tables = {}
    for name in SINGLE_TABLES:
        values = data.get(name, {})
        if not isinstance(values, dict):
            reader.problem("must be a table", key=name)
            values = {}
        tables[name] = reader.read(values, TABLES[name], where=name)

    config = HubConfig(
        base_uri=(hub["base_uri"] or "http://localhost").rstrip("/"),
        data_dir=data_dir,
        repository_name=hub["repository_name"] or "Musenor hub",
        admin_email=hub["admin_email"] or "",
        repository_identifier=hub["repository_identifier"] or "localhost.invalid",
        museums=museums,
        sets=sets,
        max_shrink=hub["max_shrink"],
        concurrency=hub["concurrency"],
        page_size=hub["page_size"],
        token_ttl_hours=hub["token_ttl_hours"],
        secret_key_env=hub["secret_key_env"],
        ledger=hub["ledger"],
        search=hub["search"],
        graph=hub["graph"],
        graph_query=hub["graph_query"],
        graph_update=hub["graph_update"],
        graph_store=hub["graph_store"],
        graph_timeout=hub["graph_timeout"],
        path=path,
        timezone=hub["timezone"],
        user_agent_setting=hub["user_agent"],
        key_lines=lines,
        tables=tables,
    )
    return config, [config.locate(p) for p in reader.problems]


def parse_config(data: dict[str, Any], *, path: Path, base_dir: Path | None = None,
                 lines: dict[str, int] | None = None) -> HubConfig:
    """Build a HubConfig from parsed TOML; relative paths are taken from ``base_dir``.

    Raises one ConfigError listing every problem (``.problems``)."""
    config, problems = read_config(data, path=path, base_dir=base_dir, lines=lines)
    if problems:
        raise ConfigError.of(problems)
    return config


def read_config_file(path: Path | str) -> tuple[HubConfig, list[ConfigError]]:
    """Read ``musenor.toml``: the configuration and every problem of its own keys (not yet the sources').

    Raises ConfigError when the file cannot be read or is not TOML: there is nothing to check then."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=path) from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=int(line.group(1)) if line else None) \
            from None
    return read_config(data, path=path.resolve(), lines=key_lines(source))


def load_config(path: Path | str) -> HubConfig:
    """Read and check ``musenor.toml``; raises ConfigError naming every key and museum at fault."""
    config, problems = read_config_file(path)
    if problems:
        raise ConfigError.of(problems)
    return config
