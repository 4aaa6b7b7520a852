"""`scan capture`: read packets from a live interface with scapy's packet sockets, without dissecting them in
scapy: each frame's bytes go to the same dissector as capture files.

Opening a packet socket needs root or CAP_NET_RAW: without it the run records a coverage gap saying so. A BPF
filter is compiled by scapy (through libpcap or tcpdump) and attached to the socket. On a loopback interface the
kernel shows every packet twice (going out and coming in): there only the incoming copy is read, as libpcap does.
"""

from __future__ import annotations

import errno
import select
import time
from typing import Iterator


class CaptureUnavailable(Exception):
    """The interface cannot be captured from (no privilege, no such interface, a bad filter)."""


def is_loopback(interface: str) -> bool:
    try:
        with open(f"/sys/class/net/{interface}/flags") as handle:
            return bool(int(handle.read().strip(), 16) & 0x8)  # IFF_LOOPBACK
    except (OSError, ValueError):
        return interface.startswith("lo")


def open_socket(interface: str, bpf: str | None):
    try:
        from scapy.all import conf  # scapy.all sets up the platform's packet sockets in conf
        from scapy.error import Scapy_Exception
    except ImportError as exc:  # pragma: no cover — scapy is a dependency
        raise CaptureUnavailable(f"scapy is not installed: {exc}") from exc
    factory = conf.L2socket if is_loopback(interface) else conf.L2listen
    try:
        return factory(iface=interface, filter=bpf or None)
    except PermissionError as exc:
        raise CaptureUnavailable(
            f"no permission to capture on {interface}: live capture needs root or the CAP_NET_RAW capability "
            f"(for example: sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which python3)))") from exc
    except OSError as exc:
        if exc.errno in (errno.ENODEV, errno.ENXIO, errno.EINVAL):
            raise CaptureUnavailable(f"no such network interface: {interface}") from exc
        if exc.errno == errno.EPERM:
            raise CaptureUnavailable(f"no permission to capture on {interface}: live capture needs root or "
                                     f"CAP_NET_RAW") from exc
        raise CaptureUnavailable(f"cannot capture on {interface}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # scapy: "Interface 'x' not found"
        raise CaptureUnavailable(f"no such network interface: {interface}") from exc
    except Scapy_Exception as exc:
        raise CaptureUnavailable(f"cannot capture on {interface} with filter {bpf!r}: {exc}") from exc


def packets(interface: str, bpf: str | None, duration: float | None, stop) -> Iterator[tuple[bytes, float, int] | None]:
    """(frame bytes, timestamp, link type) per packet, and None at least every quarter second so the caller can
    commit and check for a stop; ends after ``duration`` seconds or when ``stop`` is set."""
    from scapy.all import conf

    sock = open_socket(interface, bpf)
    deadline = time.monotonic() + duration if duration else None
    try:
        while not stop and (deadline is None or time.monotonic() < deadline):
            wait = 0.25 if deadline is None else max(0.0, min(0.25, deadline - time.monotonic()))
            ready, _, _ = select.select([sock], [], [], wait)
            if not ready:
                yield None
                continue
            layer, data, ts = sock.recv_raw()
            if data is None:
                continue
            link = conf.l2types.layer2num.get(layer, 1) if layer is not None else 1
            yield data, float(ts or time.time()), link
    finally:
        sock.close()
