"""`shadowai scan pcap FILE...` and `shadowai scan capture --interface IF`."""

from __future__ import annotations

import sys

import click

from scanner.cli import reporting
from scanner.cli.options import (catalogue_from, db_option, echo_error, fail_on_new_option, quiet_option,
                                 scan_exit_code, scan_session, signatures_option, wait_option)
from scanner.inventory.changes import known_services, new_unsanctioned
from scanner.subjects import SubjectMap, SubjectMapError


def subjects_option(function):
    return click.option(
        "--subjects", "subjects_file", type=click.Path(dir_okay=False, exists=True),
        help="CSV mapping IP/CIDR to device, user and department (header: network,device,user,department).",
    )(function)


def load_subjects(subjects_file):
    if not subjects_file:
        return None, []
    try:
        return SubjectMap.load(subjects_file)
    except SubjectMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--subjects") from exc


def summary(result, what: str) -> None:
    counts = result.counts
    reporting.info(
        f"run {result.run_id} {result.status}: {what}, {counts.get('packets', 0)} packets, "
        f"{counts.get('sightings', 0)} names seen, {counts.get('matched_records', 0)} matched an AI service, "
        f"{result.errors} errors",
        run_id=result.run_id, status=result.status, counts=counts,
    )


@click.command(name="pcap")
@click.argument("paths", nargs=-1, required=True)
@subjects_option
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@quiet_option
def pcap_command(paths, subjects_file, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read packet captures (pcap or pcapng, also compressed; files, directories, globs) and add every AI
    service seen to the inventory: DNS questions (UDP and TCP), TLS and QUIC server names, HTTP Host headers,
    and connections attributed from DNS answers in the capture. Connections to public DNS-over-HTTPS
    resolvers and Encrypted Client Hello fronts are recorded as coverage gaps. A capture is recognised by its
    content: scanning it again adds nothing.

    Example: shadowai scan pcap /srv/captures/*.pcapng --subjects subjects.csv
    """
    from scanner.modules.pcap.scan import PcapScan

    catalogue = catalogue_from(signature_dirs)
    subjects, subject_problems = load_subjects(subjects_file)
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        scan = PcapScan(db, catalogue, subjects=subjects, setup_problems=subject_problems, on_error=echo_error,
                        stop=stop, show_progress=not quiet)
        result = scan.run(list(paths))
        new = new_unsanctioned(db, catalogue, before)
    counts = result.counts
    summary(result, f"{counts.get('files', 0)} captures read, {counts.get('files_unchanged', 0)} unchanged")
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))


@click.command(name="capture")
@click.option("--interface", "-i", required=True, metavar="IF", help="Network interface to capture on (eth0, lo…).")
@click.option("--duration", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop after this many seconds [default: run until SIGINT/SIGTERM, which then ends the run "
                   "normally].")
@click.option("--bpf", metavar="FILTER", help="Capture only packets matching this BPF filter (tcpdump syntax).")
@subjects_option
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@quiet_option
def capture_command(interface, duration, bpf, subjects_file, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Capture live from a network interface (needs root or CAP_NET_RAW) and add every AI service seen to the
    inventory, as `scan pcap` does for files. Findings are committed every ten seconds. Without the privilege
    the run records a coverage gap and the command exits 1.

    Example: shadowai scan capture --interface eth0 --duration 600 --bpf 'not port 22'  (as root)
    """
    from scanner.modules.pcap.live_scan import LiveScan

    catalogue = catalogue_from(signature_dirs)
    subjects, subject_problems = load_subjects(subjects_file)
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        scan = LiveScan(db, catalogue, subjects=subjects, setup_problems=subject_problems, on_error=echo_error,
                        stop=stop)
        result = scan.run(interface, duration, bpf)
        new = new_unsanctioned(db, catalogue, before)
    summary(result, f"interface {interface}")
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))
