"""The set hierarchy (OAI-PMH 2.0 section 2.7.2) and the materialising of curated sets.

Specs, hierarchical with ``:``: ``museum`` and ``museum:<Museofile code>``; ``type`` and ``type:<concept id>``
(the record's object-type concept); ``exhibition`` and ``exhibition:<key>`` (curated sets of musenor.toml).
A parent holds every record of its children. Names come from the configuration (museum names, curated set
names and descriptions) and, for types, from the vocabulary labels the caller looks up (the catalogue
imports no other package).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from musenor.catalogue import Catalogue
from musenor.catalogue.config import HubConfig
from musenor.catalogue.exhibitions import configured_exhibitions

log = logging.getLogger(__name__)

MUSEUM, TYPE, EXHIBITION = "museum", "type", "exhibition"

TypeLabel = Callable[[str], "str | None"]  # concept id -> label, or None when the vocabulary has none


@dataclass(frozen=True)
class SetDescription:
    """One set as ListSets shows it: spec, name and descriptions by language."""

    spec: str
    name: str
    descriptions: tuple[tuple[str, str], ...] = ()  # (language, text)


def _parent(spec: str) -> SetDescription:
    names = {
        MUSEUM: ("Musées", (("fr", "Les notices de chaque musée membre, un sous-ensemble par code Muséofile."),
                            ("en", "Records of each member museum, one subset per Museofile code."))),
        TYPE: ("Types d'objets", (("fr", "Les notices par type ou dénomination d'objet."),
                                  ("en", "Records by object type or denomination."))),
        EXHIBITION: ("Expositions", (("fr", "Expositions et expositions virtuelles de l'Association."),
                                     ("en", "The Association's exhibitions and virtual exhibitions."))),
    }
    name, descriptions = names.get(spec, (spec, ()))
    return SetDescription(spec, name, descriptions)


def set_hierarchy(config: HubConfig, specs_in_use: set[str], type_label: TypeLabel | None = None,
                  ) -> list[SetDescription]:
    """Every set: the configured museums and curated sets, and every spec some record uses, with parents."""
    found: dict[str, SetDescription] = {}
    for code, museum in config.museums.items():
        found[museum.set_spec] = SetDescription(
            museum.set_spec, museum.name,
            (("fr", f"Notices du musée {museum.name} ({museum.city}), code Muséofile {code}."),
             ("en", f"Records of {museum.name} ({museum.city}), Museofile code {code}.")))
    for curated in config.sets.values():
        found[curated.set_spec] = SetDescription(
            curated.set_spec, curated.name, (("fr", curated.description),) if curated.description else ())
    for exhibition in configured_exhibitions(config).values():
        # The curators' introduction is the set's description (the exhibition's Markdown, as plain text).
        curated = config.sets.get(exhibition.key)
        found[exhibition.set_spec] = SetDescription(
            exhibition.set_spec, curated.name if curated else exhibition.title_fr,
            (("fr", exhibition.introduction_text),) if exhibition.introduction_text else ())
    for spec in specs_in_use:
        if spec in found:
            continue
        family, _, rest = spec.partition(":")
        name = spec
        if family == TYPE and rest and type_label is not None:
            name = type_label(rest) or rest
        elif family == MUSEUM and rest:
            name = rest
        found[spec] = SetDescription(spec, name)
    for spec in list(found):
        parts = spec.split(":")
        for n in range(1, len(parts)):
            parent = ":".join(parts[:n])
            found.setdefault(parent, _parent(parent))
    return [found[spec] for spec in sorted(found)]


def curated_members(catalogue: Catalogue, config: HubConfig, key: str) -> set[str]:
    """OAI identifiers of a curated set's records: its ``records`` list and what its query selects.

    ``records`` holds OAI identifiers or ``M0629:local-id`` pairs; the query binds ``?cho`` to object URIs
    ({base}/id/object/{code}/{local}), whose records are {base}/id/record/{code}/{local}. Names that match
    no published record are logged and left out.
    """
    curated = config.sets.get(key)
    exhibition = configured_exhibitions(config).get(key)
    ledger = catalogue.ledger
    members: set[str] = set()
    names = (curated.records if curated else ()) + tuple(w.record for w in (exhibition.works if exhibition else ()))
    for name in names:
        if name.startswith("oai:"):
            row = ledger.conn.execute("SELECT identifier FROM records WHERE identifier = ? AND deleted = 0",
                                      (name,)).fetchone()
        else:
            code, _, local = name.partition(":")
            row = ledger.conn.execute("SELECT identifier FROM records WHERE museum = ? AND local_id = ? "
                                      "AND deleted = 0", (code, local)).fetchone()
        if row is None:
            log.warning("curated set %s: no published live record %r", key, name)
        else:
            members.add(row[0])
    if curated is not None and curated.query:
        object_base = f"{config.base_uri}/id/object/"
        record_base = f"{config.base_uri}/id/record/"
        for solution in catalogue.graph.query(curated.query):
            cho = solution["cho"]
            uri = getattr(cho, "value", None)
            if not uri or not uri.startswith(object_base):
                log.warning("curated set %s: ?cho %r is not an object of this hub", key, cho)
                continue
            record = ledger.record_by_uri(record_base + uri[len(object_base):])
            if record is None or record.deleted:
                log.warning("curated set %s: no published record for %s", key, uri)
            else:
                members.add(record.identifier)
    return members


def refresh_curated_sets(catalogue: Catalogue, config: HubConfig) -> dict[str, int]:
    """Make every ``exhibition:<key>`` set hold what musenor.toml says; returns each set's member count.

    Run after a publish and a graph sync (a query set reads the graph store). Sets dropped from the
    configuration are emptied. A record joining or leaving a set gets a new hub datestamp (the ledger's
    ``set_memberships``), so incremental harvesters see the change.
    """
    counts: dict[str, int] = {}
    keys = sorted(set(config.sets) | set(configured_exhibitions(config)))
    for key in keys:
        members = curated_members(catalogue, config, key)
        catalogue.ledger.set_memberships(f"{EXHIBITION}:{key}", members)
        counts[f"{EXHIBITION}:{key}"] = len(members)
    configured = {f"{EXHIBITION}:{key}" for key in keys}
    stale = {row[0] for row in catalogue.ledger.conn.execute(
        "SELECT DISTINCT set_spec FROM record_sets WHERE set_spec LIKE 'exhibition:%'")} - configured
    for spec in sorted(stale):
        catalogue.ledger.set_memberships(spec, ())
    return counts


class CuratedSetFollower:
    """Keeps the curated sets current as publishes land: refreshes them when the ledger has moved on.

    A query set may gain or lose members with any harvest, so whoever holds the graph store (the CLI
    harvest, the scheduler, or the server's graph sync) calls this after applying changes to the graph.
    Cheap when nothing was published since its last call.
    """

    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self._seen = -1

    def __call__(self, catalogue: Catalogue) -> dict[str, int] | None:
        if not (self.config.sets or configured_exhibitions(self.config)) or not catalogue.has_graph:
            return None
        seq = catalogue.ledger.last_change_seq()
        if seq == self._seen:
            return None
        counts = refresh_curated_sets(catalogue, self.config)
        # Membership changes are ledger changes of their own; the graph takes them now, and this follower
        # does not refresh again for its own writes.
        catalogue.sync_graph()
        self._seen = catalogue.ledger.last_change_seq()
        return counts
