"""`shadowai catalogue …`: list, show, match, validate and count the AI-service signatures."""

from __future__ import annotations

import json
import sys

import click
import yaml

from scanner.catalogue.coverage import coverage, readme
from scanner.catalogue.loader import CatalogueError, load_catalogue
from scanner.catalogue.model import DETECTION_KINDS
from scanner.cli.options import catalogue_from, format_option, signatures_option
from scanner.cli.output import write_rows


@click.group(name="catalogue")
def catalogue_group():
    """Browse and check the AI-service signature catalogue.

    Example: shadowai catalogue match chatgpt.com api.anthropic.com example.org
    """


@catalogue_group.command(name="list")
@signatures_option
@format_option("table", "json", "csv", default="table")
def list_command(signature_dirs, output_format):
    """List every AI service in the catalogue.

    Example: shadowai catalogue list --format csv > services.csv
    """
    catalogue = catalogue_from(signature_dirs)
    rows = [
        {
            "id": s.id, "name": s.name, "vendor": catalogue.vendor_name(s.vendor), "category": s.category,
            "detection": " ".join(k for k in DETECTION_KINDS if s.detection.get(k)), "website": s.website,
        }
        for s in catalogue.services.values()
    ]
    columns = ["id", "name", "vendor", "category", "detection"] + ([] if output_format == "table" else ["website"])
    write_rows(rows, columns, output_format, sys.stdout)


@catalogue_group.command(name="show")
@click.argument("service_id")
@signatures_option
def show_command(service_id, signature_dirs):
    """Print one service's signature (YAML) and the file it comes from.

    Example: shadowai catalogue show claude
    """
    catalogue = catalogue_from(signature_dirs)
    service = catalogue.service(service_id)
    if service is None:
        raise click.ClickException(f"no service '{service_id}' in the catalogue (see: shadowai catalogue list)")
    click.echo(f"# {service.path}")
    click.echo(yaml.safe_dump(service.raw, sort_keys=False, allow_unicode=True), nl=False)


@catalogue_group.command(name="match")
@click.argument("hosts", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@signatures_option
def match_command(hosts, as_json, signature_dirs):
    """Say which AI service each host (or URL) belongs to; '-' reads hosts from stdin, one per line.

    Prints 'host<TAB>service_id<TAB>service_name<TAB>vendor', or 'host<TAB>-' when nothing matches.

    Example: shadowai catalogue match api.openai.com notopenai.com   (or: ... | shadowai catalogue match -)
    """
    catalogue = catalogue_from(signature_dirs)
    matcher = catalogue.matcher
    for host in iterate_hosts(hosts):
        if "/" in host:
            found = matcher.match_url(host)
        else:
            found = matcher.match_host(host)
        service = catalogue.service(found.service_id) if found else None
        if as_json:
            record = {"host": host, "service_id": None}
            if service:
                record.update(service_id=service.id, service_name=service.name, vendor=catalogue.vendor_name(service.vendor),
                              category=service.category, rule=f"{found.kind}:{found.rule}")
            click.echo(json.dumps(record, ensure_ascii=False))
        elif service:
            click.echo(f"{host}\t{service.id}\t{service.name}\t{catalogue.vendor_name(service.vendor)}")
        else:
            click.echo(f"{host}\t-")


def iterate_hosts(arguments):
    for argument in arguments:
        if argument == "-":
            for line in sys.stdin:
                line = line.strip()
                if line and not line.startswith("#"):
                    yield line
        else:
            yield argument


@catalogue_group.command(name="validate")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, exists=True))
def validate_command(dirs):
    """Check the built-in catalogue plus any signature folders given: schema, references, shared-platform
    and duplicate claims, and every example against the real matcher. Prints 'file: field: problem'
    lines and exits 1 on any problem.

    Example: shadowai catalogue validate ./my-signatures
    """
    from scanner.catalogue.validate import validate  # jsonschema is only needed here

    try:
        catalogue = load_catalogue(dirs)
    except CatalogueError as exc:
        raise click.UsageError(str(exc)) from exc
    problems = validate(catalogue)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(catalogue.services)} services", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(catalogue.services)} services, {len(catalogue.vendors)} vendors, "
               f"{len(catalogue.categories)} categories, version {catalogue.version}", err=True)


@catalogue_group.command(name="stats")
@signatures_option
@format_option("table", "json", default="table")
def stats_command(signature_dirs, output_format):
    """Count services, vendors, categories, detection rules, package ecosystems and known risk facts.

    Example: shadowai catalogue stats --format json
    """
    catalogue = catalogue_from(signature_dirs)
    stats = coverage(catalogue)
    if output_format == "json":
        click.echo(json.dumps(stats, indent=2))
        return
    click.echo(f"catalogue {stats['version']}: {stats['services']} services, {stats['vendors']} vendors, "
               f"{stats['categories']} categories, secret rules for {stats['secret_rule_vendors']} vendors")
    for title, table in (("rules by detection kind", stats["rules"]),
                         ("packages by ecosystem", stats["packages_by_ecosystem"]),
                         ("services by category", stats["services_by_category"]),
                         ("risk facts known", stats["risk_facts_known"])):
        click.echo(f"\n{title}:")
        for key, count in table.items():
            click.echo(f"  {key:<26} {count:>6}")


@catalogue_group.command(name="readme")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Where to write the Markdown ('-' for stdout).")
def readme_command(out_path):
    """Generate the built-in catalogue's coverage page (signatures/README.md).

    Example: shadowai catalogue readme --out signatures/README.md
    """
    text = readme(load_catalogue())
    if out_path == "-":
        click.echo(text, nl=False)
    else:
        with open(out_path, "w", encoding="utf-8") as handle:
            handle.write(text)
