"""`shadowai scan pcap FILE...` and `shadowai scan capture --interface IF`."""

from __future__ import annotations

import click

from scanner.cli.options import catalogue_from, echo_error, scan_options, subjects_from, subjects_option
from scanner.cli.scan_runner import run_scan


def packets_summary(result, what: str) -> str:
    """The summary of both commands: WHAT was read, then what its packets showed."""
    counts = result.counts
    return (f"{what}, {counts.get('packets', 0)} packets, {counts.get('sightings', 0)} names seen, "
            f"{counts.get('matched_records', 0)} matched an AI service, {result.errors} errors")


def files_summary(result) -> str:
    counts = result.counts
    return packets_summary(result, f"{counts.get('files', 0)} captures read, {counts.get('files_unchanged', 0)} "
                                   f"unchanged")


@click.command(name="pcap")
@click.argument("paths", nargs=-1, required=True)
@subjects_option
@scan_options
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
    subjects, subject_problems = subjects_from(subjects_file)

    def scan(db, stop):
        pcap_scan = PcapScan(db, catalogue, subjects=subjects, setup_problems=subject_problems, on_error=echo_error,
                             stop=stop, show_progress=not quiet)
        return pcap_scan.run(list(paths))

    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new, scan=scan, summary=files_summary)


@click.command(name="capture")
@click.option("--interface", "-i", required=True, metavar="IF", help="Network interface to capture on (eth0, lo…).")
@click.option("--duration", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop after this many seconds [default: run until SIGINT/SIGTERM, which then ends the run "
                   "normally].")
@click.option("--bpf", metavar="FILTER", help="Capture only packets matching this BPF filter (tcpdump syntax).")
@subjects_option
@scan_options
def capture_command(interface, duration, bpf, subjects_file, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Capture live from a network interface (needs root or CAP_NET_RAW) and add every AI service seen to the
    inventory, as `scan pcap` does for files. Findings are committed every ten seconds. Without the privilege
    the run records a coverage gap and the command exits 1.

    Example: shadowai scan capture --interface eth0 --duration 600 --bpf 'not port 22'  (as root)
    """
    from scanner.modules.pcap.live_scan import LiveScan

    catalogue = catalogue_from(signature_dirs)
    subjects, subject_problems = subjects_from(subjects_file)

    def scan(db, stop):
        live_scan = LiveScan(db, catalogue, subjects=subjects, setup_problems=subject_problems, on_error=echo_error,
                             stop=stop)
        return live_scan.run(interface, duration, bpf)

    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new, scan=scan,
             summary=lambda result: packets_summary(result, f"interface {interface}"))
