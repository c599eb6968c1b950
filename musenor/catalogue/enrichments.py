"""The hub's own additions to records: the photographs of the Association's campaigns.

Kept in the ledger's database, in a table of their own, apart from what each museum sent: a harvest never
reads nor writes it, so campaign images survive every re-harvest. Each image is stored once (its SHA-256 names
the file); the same photograph delivered twice is one row. The triples the images give their record are the
ledger's ``enrichment`` column (``Ledger.set_enrichment``), rebuilt from these rows by ``musenor.campaigns.ingest``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from musenor.catalogue.ledger import Ledger

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaign_images (
    sha256 TEXT NOT NULL,                 -- content hash of the photograph as delivered
    identifier TEXT NOT NULL,             -- OAI identifier of the record it shows
    museum TEXT NOT NULL,
    campaign TEXT NOT NULL,               -- key of [campaigns.<key>] in musenor.toml
    file TEXT NOT NULL,                   -- served as /images/<museum>/<file> (POP's REFIM)
    view TEXT NOT NULL DEFAULT '',        -- the view suffix of the delivered name: '', 'a', 'verso', '2'
    source_name TEXT NOT NULL,            -- the delivered file name, for the report
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    photographer TEXT,
    taken TEXT,                           -- ISO date the photograph was taken, when its metadata says
    credit TEXT,                          -- credit line (dc:rights of the web resource)
    rights TEXT NOT NULL,                 -- rights statement URI (edm:rights)
    added TEXT NOT NULL,
    PRIMARY KEY (identifier, sha256)
);
CREATE INDEX IF NOT EXISTS campaign_images_by_campaign ON campaign_images (campaign, museum);
CREATE INDEX IF NOT EXISTS campaign_images_by_hash ON campaign_images (museum, sha256);
"""


@dataclass(frozen=True)
class CampaignImage:
    sha256: str
    identifier: str
    museum: str
    campaign: str
    file: str
    view: str
    source_name: str
    media_type: str
    width: int
    height: int
    photographer: str | None
    taken: str | None
    credit: str | None
    rights: str
    added: str


COLUMNS = tuple(CampaignImage.__dataclass_fields__)


class Enrichments:
    """The campaign images of one ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        if ledger.path is not None:  # SQLite; a PostgreSQL ledger has the table from its versioned migrations
            ledger.conn.executescript(SCHEMA)

    def add(self, image: CampaignImage) -> bool:
        """Attach an image to its record; False when that record already has these bytes."""
        with self.ledger.transaction() as conn:
            cursor = conn.execute(f"INSERT OR IGNORE INTO campaign_images ({', '.join(COLUMNS)}) "
                                  f"VALUES ({', '.join('?' * len(COLUMNS))})",
                                  tuple(getattr(image, c) for c in COLUMNS))
            return cursor.rowcount == 1

    def _select(self, where: str, args: tuple) -> list[CampaignImage]:
        rows = self.ledger.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM campaign_images WHERE {where} "
                                        "ORDER BY identifier, view = '' DESC, view, added, sha256", args)
        return [CampaignImage(*row) for row in rows]

    def of_record(self, identifier: str) -> list[CampaignImage]:
        """A record's images, the main view first, then the others by view suffix."""
        return self._select("identifier = ?", (identifier,))

    def of_campaign(self, campaign: str, museum: str | None = None) -> list[CampaignImage]:
        if museum is None:
            return self._select("campaign = ?", (campaign,))
        return self._select("campaign = ? AND museum = ?", (campaign, museum))

    def by_hash(self, museum: str, sha256: str) -> list[CampaignImage]:
        return self._select("museum = ? AND sha256 = ?", (museum, sha256))

    def campaigns(self) -> Iterator[tuple[str, str]]:
        """Every (campaign, museum) pair that has images."""
        yield from ((r[0], r[1]) for r in self.ledger.conn.execute(
            "SELECT DISTINCT campaign, museum FROM campaign_images ORDER BY campaign, museum"))
