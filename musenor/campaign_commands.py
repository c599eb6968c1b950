"""``musenor campaign plan|ingest|report``: the Association's photo campaigns from the command line.

A thin shell over ``campaigns``: reads the configuration, calls the library, prints what happened. Exit codes
as the rest of the CLI: 0 done, 1 some delivered files could not be attached, 2 bad usage or configuration.
"""

from __future__ import annotations

from pathlib import Path

import click

from musenor.catalogue import Catalogue, ConfigError, HubConfig

EXIT_PROBLEMS = 1
EXIT_CONFIG = 2


def _setup(ctx: click.Context, key: str) -> tuple[HubConfig, object]:
    from musenor.campaigns.settings import campaign as find_campaign
    from musenor.cli import _load, console

    config = _load(ctx)
    try:
        return config, find_campaign(config, key)
    except ConfigError as exc:
        console.print(f"[red]configuration error[/red]: {exc}")
        ctx.exit(EXIT_CONFIG)
        raise


def _museums(ctx: click.Context, config: HubConfig, found, asked: tuple[str, ...]) -> list[str]:
    from musenor.cli import console

    codes = [config.museums[c.upper()].code if c.upper() in config.museums else c for c in asked] \
        or [code for code in sorted(config.museums) if found.covers(code)]
    for code in codes:
        if code not in config.museums or not found.covers(code):
            console.print(f"[red]error[/red]: campaign {found.key} does not cover museum {code}")
            ctx.exit(EXIT_CONFIG)
    return codes


def _plan(config: HubConfig, catalogue: Catalogue, found, codes: list[str], check_links: bool):
    from musenor.campaigns.plan import LinkChecker, plan_campaign
    from musenor.mappings.base import RenderContext
    from musenor.mappings.uris import HubURIs
    from musenor.vocabularies import load_vocabularies

    context = RenderContext(uris=HubURIs(config.base_uri, config.repository_identifier),
                            hub_name=config.repository_name,
                            museum_names={code: m.name for code, m in config.museums.items()},
                            vocabularies=load_vocabularies(config.base_uri))
    links = LinkChecker(config.admin_email) if check_links else None
    return plan_campaign(catalogue, context, found, codes, links)


def _config_option(command):  # type: ignore[no-untyped-def]
    from musenor.cli import config_option

    return config_option(command)


@click.group()
def campaign() -> None:
    """Photo campaigns: plan what to photograph, ingest the photographs, report."""


@campaign.command()
@_config_option
@click.argument("key")
@click.option("--museum", "-m", "museums", multiple=True, help="Museofile code (repeat; default: all covered).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the CSV list (default: <data_dir>/campaigns/<key>/plan.csv).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the printable list (default: <data_dir>/campaigns/<key>/plan.html).")
@click.option("--check-links/--no-check-links", default=True,
              help="Fetch the museums' remote images, politely, to find dead links and small images.")
@click.pass_context
def plan(ctx: click.Context, key: str, museums: tuple[str, ...], csv_path: Path | None, html_path: Path | None,
         check_links: bool) -> None:
    """List the works of campaign KEY that lack a usable image, most urgent first."""
    from musenor.campaigns.plan import plan_csv, plan_html
    from musenor.cli import out

    config, found = _setup(ctx, key)
    codes = _museums(ctx, config, found, museums)
    catalogue = Catalogue(config.data_dir, open_graph=False)
    result = _plan(config, catalogue, found, codes, check_links)
    catalogue.close()
    folder = config.data_dir / "campaigns" / key
    csv_path = csv_path or folder / "plan.csv"
    html_path = html_path or folder / "plan.html"
    for path, text in ((csv_path, plan_csv(result)),
                       (html_path, plan_html(result, {c: m.name for c, m in config.museums.items()}))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out.print(f"{len(result.items)} of {result.works_checked} works lack a usable image; "
              f"wrote {csv_path} and {html_path}")


@campaign.command()
@_config_option
@click.argument("key")
@click.argument("museum")
@click.argument("source", type=click.Path(path_type=Path))
@click.pass_context
def ingest(ctx: click.Context, key: str, museum: str, source: Path) -> None:
    """Attach the photographs in SOURCE (a folder or a zip) to MUSEUM's records, for campaign KEY."""
    from musenor.campaigns.ingest import DeliveryError, ingest as ingest_delivery
    from musenor.cli import _open_catalogue, console, out

    config, found = _setup(ctx, key)
    [museum] = _museums(ctx, config, found, (museum,))
    catalogue = _open_catalogue(config, need_graph=False)
    try:
        report = ingest_delivery(catalogue, config.base_uri, found, museum, source)
    except DeliveryError as exc:
        console.print(f"[red]error[/red]: {exc}")
        catalogue.close()
        ctx.exit(EXIT_CONFIG)
    if catalogue.has_graph:
        catalogue.sync_graph()
    catalogue.close()
    out.print(f"campaign {key}, museum {museum}: {len(report.attached)} images attached to "
              f"{report.records_enriched} records; {len(report.already)} already there")
    for file in report.unmatched:
        console.print(f"[yellow]unmatched[/yellow] {file}: no record of {museum} has this inventory number, "
                      "id or image name")
    for file, candidates in report.ambiguous.items():
        console.print(f"[yellow]ambiguous[/yellow] {file}: could be {', '.join(candidates)}")
    for file, reason in report.rejected:
        console.print(f"[yellow]rejected[/yellow] {file}: {reason}")
    for file in report.skipped:
        console.print(f"[yellow]skipped[/yellow] {file}: not an image file name (.jpg .png .tif)")
    if report.unmatched or report.ambiguous or report.rejected:
        ctx.exit(EXIT_PROBLEMS)


@campaign.command()
@_config_option
@click.argument("key")
@click.option("--check-links/--no-check-links", default=False,
              help="Also fetch the museums' remote images to count dead links as lacking.")
@click.pass_context
def report(ctx: click.Context, key: str, check_links: bool) -> None:
    """Per museum: works photographed, images added, works still lacking a usable image."""
    from rich.table import Table

    from musenor.campaigns.report import campaign_report
    from musenor.catalogue.enrichments import Enrichments
    from musenor.cli import out

    config, found = _setup(ctx, key)
    codes = _museums(ctx, config, found, ())
    catalogue = Catalogue(config.data_dir, open_graph=False)
    rows = campaign_report(Enrichments(catalogue.ledger), _plan(config, catalogue, found, codes, check_links), codes)
    catalogue.close()
    table = Table(title=f"{found.name} ({key})")
    for column in ("museum", "works photographed", "images added", "works still lacking one"):
        table.add_column(column)
    for row in rows:
        table.add_row(f"{row.museum} {config.museums[row.museum].name}", str(row.works_photographed),
                      str(row.images_added), str(row.works_lacking))
    out.print(table)
