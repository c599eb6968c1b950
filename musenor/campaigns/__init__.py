"""Photo campaigns of the Association: plan what to photograph, ingest what was photographed, report.

``settings`` reads the ``[campaigns.<key>]`` tables of musenor.toml; ``plan`` lists the works lacking a usable
image; ``matching`` pairs delivered files with records; ``metadata`` reads IPTC, XMP and EXIF; ``store`` keeps
each image once with its derivatives; ``ingest`` attaches them to records as the hub's enrichment; ``report``
counts per campaign and museum. Depends on ``catalogue`` and ``mappings``, never on the servers.
"""
