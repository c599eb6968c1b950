"""The hub configuration: one ``musenor.toml`` naming the hub and its member museums.

The catalogue owns the configuration because both sides read it: the harvester needs the museums and
their sources, the servers need the hub's name, base URI and curated sets. Source settings are kept as a
plain mapping here; each source kind validates its own keys (``harvester.sources``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MUSEOFILE_CODE = re.compile(r"^M\d{4}$")
# OAI-PMH oai-identifier scheme: repositoryIdentifier is a domain name (Guidelines, oai-identifier 2.0).
REPOSITORY_IDENTIFIER = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
SET_SPEC_PART = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CRON_FIELDS = 5


class ConfigError(Exception):
    """A configuration problem, naming the file, the museum (if any) and the key."""

    def __init__(self, reason: str, *, key: str | None = None, museum: str | None = None,
                 path: Path | str | None = None) -> None:
        self.reason = reason
        self.key = key
        self.museum = museum
        self.path = str(path) if path else None
        where = []
        if self.path:
            where.append(self.path)
        if museum:
            where.append(f"museum {museum}")
        if key:
            where.append(f"key '{key}'")
        super().__init__(f"{': '.join(where)}: {reason}" if where else reason)


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
    max_shrink: float | None = None  # overrides the hub's mass-deletion guard

    @property
    def source_kind(self) -> str:
        return str(self.source["kind"])

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
    path: Path | None = None

    def museum(self, code: str) -> MuseumConfig:
        try:
            return self.museums[code]
        except KeyError:
            raise ConfigError(f"no museum with code {code!r} (known: {', '.join(sorted(self.museums))})",
                              path=self.path) from None


def _require(table: dict[str, Any], key: str, kind: type, *, where: str, museum: str | None,
             path: Path) -> Any:
    if key not in table:
        raise ConfigError("missing", key=f"{where}.{key}" if where else key, museum=museum, path=path)
    value = table[key]
    if not isinstance(value, kind):
        raise ConfigError(f"must be a {kind.__name__}, got {type(value).__name__}",
                          key=f"{where}.{key}" if where else key, museum=museum, path=path)
    if isinstance(value, str) and not value.strip():
        raise ConfigError("must not be empty", key=f"{where}.{key}" if where else key, museum=museum,
                          path=path)
    return value


def _share(value: Any, *, key: str, museum: str | None, path: Path) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise ConfigError("must be a share between 0 and 1 (e.g. 0.2 for 20%)", key=key, museum=museum,
                          path=path)
    return float(value)


def _check_schedule(value: Any, *, museum: str, path: Path) -> str:
    if not isinstance(value, str) or len(value.split()) != CRON_FIELDS:
        raise ConfigError("must be a cron expression of five fields, e.g. '0 3 * * *'",
                          key=f"museums.{museum}.schedule", museum=museum, path=path)
    return value


def parse_config(data: dict[str, Any], *, path: Path, base_dir: Path | None = None) -> HubConfig:
    """Build a HubConfig from parsed TOML; relative paths are taken from ``base_dir``."""
    base_dir = base_dir or path.parent
    hub = data.get("hub")
    if not isinstance(hub, dict):
        raise ConfigError("missing [hub] table", key="hub", path=path)
    known_hub = {"base_uri", "data_dir", "repository_name", "admin_email", "repository_identifier",
                 "max_shrink", "concurrency", "page_size", "token_ttl_hours", "secret_key_env"}
    for key in hub:
        if key not in known_hub:
            raise ConfigError(f"unknown key (known: {', '.join(sorted(known_hub))})", key=f"hub.{key}",
                              path=path)
    base_uri = _require(hub, "base_uri", str, where="hub", museum=None, path=path).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", base_uri):
        raise ConfigError("must be an http(s) URI", key="hub.base_uri", path=path)
    data_dir = Path(_require(hub, "data_dir", str, where="hub", museum=None, path=path))
    if not data_dir.is_absolute():
        data_dir = (base_dir / data_dir).resolve()
    admin_email = _require(hub, "admin_email", str, where="hub", museum=None, path=path)
    if not EMAIL.match(admin_email):
        raise ConfigError(f"{admin_email!r} is not an e-mail address", key="hub.admin_email", path=path)
    repo_id = _require(hub, "repository_identifier", str, where="hub", museum=None, path=path)
    if not REPOSITORY_IDENTIFIER.match(repo_id):
        raise ConfigError(f"{repo_id!r} is not a domain name, as oai-identifier requires",
                          key="hub.repository_identifier", path=path)
    concurrency = hub.get("concurrency", 4)
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise ConfigError("must be a whole number of at least 1", key="hub.concurrency", path=path)
    page_size = hub.get("page_size", 100)
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 1000:
        raise ConfigError("must be a whole number from 1 to 1000", key="hub.page_size", path=path)
    ttl = hub.get("token_ttl_hours", 48)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 24:
        raise ConfigError("must be a whole number of at least 24 (aggregators pause overnight)",
                          key="hub.token_ttl_hours", path=path)

    museums_table = data.get("museums", {})
    if not isinstance(museums_table, dict) or not museums_table:
        raise ConfigError("no museum configured: add a [museums.M....] table", key="museums", path=path)
    museums: dict[str, MuseumConfig] = {}
    known_museum = {"name", "city", "source", "schedule", "website", "rights", "max_shrink"}
    for code, table in museums_table.items():
        if not MUSEOFILE_CODE.match(code):
            raise ConfigError("museum id must be a Museofile code such as M0629", key=f"museums.{code}",
                              museum=code, path=path)
        if not isinstance(table, dict):
            raise ConfigError("must be a table", key=f"museums.{code}", museum=code, path=path)
        for key in table:
            if key not in known_museum:
                raise ConfigError(f"unknown key (known: {', '.join(sorted(known_museum))})",
                                  key=f"museums.{code}.{key}", museum=code, path=path)
        where = f"museums.{code}"
        source = dict(_require(table, "source", dict, where=where, museum=code, path=path))
        _require(source, "kind", str, where=f"{where}.source", museum=code, path=path)
        source["_base_dir"] = str(base_dir)
        museums[code] = MuseumConfig(
            code=code,
            name=_require(table, "name", str, where=where, museum=code, path=path),
            city=_require(table, "city", str, where=where, museum=code, path=path),
            source=source,
            schedule=_check_schedule(table["schedule"], museum=code, path=path) if "schedule" in table
            else None,
            website=table.get("website"),
            rights=table.get("rights"),
            max_shrink=_share(table["max_shrink"], key=f"{where}.max_shrink", museum=code, path=path)
            if "max_shrink" in table else None,
        )

    sets: dict[str, CuratedSet] = {}
    for key, table in (data.get("sets") or {}).items():
        if not SET_SPEC_PART.match(key):
            raise ConfigError("set key may hold only letters, digits and - _ . ! ~ * ' ( )",
                              key=f"sets.{key}", path=path)
        if not isinstance(table, dict):
            raise ConfigError("must be a table", key=f"sets.{key}", path=path)
        records = table.get("records", [])
        if not isinstance(records, list) or not all(isinstance(r, str) for r in records):
            raise ConfigError("must be a list of record identifiers", key=f"sets.{key}.records", path=path)
        query = table.get("query")
        if query is not None and not isinstance(query, str):
            raise ConfigError("must be a SPARQL SELECT query binding ?cho", key=f"sets.{key}.query",
                              path=path)
        if not records and not query:
            raise ConfigError("a curated set needs 'records' or 'query'", key=f"sets.{key}", path=path)
        sets[key] = CuratedSet(key=key, name=_require(table, "name", str, where=f"sets.{key}", museum=None,
                                                      path=path),
                               description=str(table.get("description", "")), records=tuple(records),
                               query=query)

    return HubConfig(
        base_uri=base_uri,
        data_dir=data_dir,
        repository_name=_require(hub, "repository_name", str, where="hub", museum=None, path=path),
        admin_email=admin_email,
        repository_identifier=repo_id,
        museums=museums,
        sets=sets,
        max_shrink=_share(hub.get("max_shrink", 0.2), key="hub.max_shrink", museum=None, path=path),
        concurrency=concurrency,
        page_size=page_size,
        token_ttl_hours=ttl,
        secret_key_env=str(hub.get("secret_key_env", "MUSENOR_SECRET_KEY")),
        path=path,
    )


def load_config(path: Path | str) -> HubConfig:
    """Read and check ``musenor.toml``; raises ConfigError naming the key and museum at fault."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from None
    return parse_config(data, path=path.resolve())
