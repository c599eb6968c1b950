"""What every verb reads: the configuration, the catalogue's listing interface, the formats, the sets and
the token codec of one app, built once on its first OAI request."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta

from musenor.catalogue import Catalogue, HubConfig
from musenor.catalogue.listing import Listing
from musenor.catalogue.sets import SetDescription, set_hierarchy
from musenor.mappings import OutputFormat, oai_formats
from musenor.oai_server.oai.dissemination import Disseminator, load_vocabularies
from musenor.oai_server.oai.provenance import Origins
from musenor.oai_server.oai.tokens import TokenCodec, load_secret

TYPE_SCHEME = "object-type"  # type:<id> sets are concepts {base}/vocab/object-type/<id> (docs/profile.md)


@dataclass
class Repository:
    config: HubConfig
    listing: Listing
    formats: dict[str, OutputFormat]
    disseminator: Disseminator
    tokens: TokenCodec
    vocabularies: object = None
    _sets: tuple[int, list[SetDescription]] | None = field(default=None, repr=False)
    _sets_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(cls, config: HubConfig, catalogue: Catalogue, *, render_cache: int = 4096) -> Repository:
        formats = oai_formats()
        vocabularies = load_vocabularies(config.base_uri)
        return cls(config=config, listing=Listing(catalogue.ledger), formats=formats,
                   disseminator=Disseminator(config, formats, vocabularies, cache_size=render_cache,
                                             origins=Origins(catalogue.ledger), ledger=catalogue.ledger),
                   tokens=TokenCodec(load_secret(config.secret_key_env, config.data_dir),
                                     timedelta(hours=config.token_ttl_hours)),
                   vocabularies=vocabularies)

    @property
    def base_url(self) -> str:
        return f"{self.config.base_uri}/oai"

    @property
    def page_size(self) -> int:
        return self.config.page_size

    def type_label(self, concept_id: str) -> str | None:
        label = getattr(self.vocabularies, "label", None)
        if label is None:
            return None
        from rdflib import URIRef

        try:
            return label(URIRef(f"{self.config.base_uri}/vocab/{TYPE_SCHEME}/{concept_id}"), "fr")
        except Exception:
            return None

    def sets(self) -> list[SetDescription]:
        """The set hierarchy, recomputed only when the ledger changed."""
        seq = self.listing.last_change_seq()
        with self._sets_lock:
            if self._sets is None or self._sets[0] != seq:
                self._sets = (seq, set_hierarchy(self.config, self.listing.set_specs_in_use(), self.type_label))
            return self._sets[1]
