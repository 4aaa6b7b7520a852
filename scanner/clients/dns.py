"""DNS: questions to name servers and zone transfers, with dnspython.

- Queries go over UDP with EDNS(0) and a 1232-byte payload (the DNS Flag Day 2020 size); an answer that comes
  back truncated (TC bit) is asked again over TCP (RFC 7766). A server that rejects EDNS with FORMERR is asked
  again without it (RFC 6891 §7).
- A server that does not answer within ``timeout`` seconds, or answers SERVFAIL, is tried again, ``tries``
  rounds over the list of servers; then the question fails with DnsTimeout or DnsServerFailure.
- NXDOMAIN is an answer, not a failure: ``Answer.nxdomain``. REFUSED (the server is not authoritative for the
  name and does not recurse, or a policy forbids it) raises DnsRefused.
- Zone transfers (AXFR, RFC 5936) run over TCP and are streamed record by record; a refusal (REFUSED, NOTAUTH)
  raises TransferRefused.

Nothing here knows about AI: it returns record data as text (TXT strings joined, names without the final dot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.xfr

DEFAULT_TIMEOUT = 3.0
DEFAULT_TRIES = 2
EDNS_PAYLOAD = 1232
TRANSFER_LIFETIME = 300.0  # seconds for a whole zone transfer


class DnsError(Exception):
    """A question that got no usable answer; the message says from which server and why."""


class DnsTimeout(DnsError):
    pass


class DnsServerFailure(DnsError):
    pass


class DnsRefused(DnsError):
    pass


class TransferRefused(DnsError):
    pass


@dataclass(frozen=True)
class Answer:
    name: str
    rdtype: str
    records: tuple[str, ...]  # record data as text, in the order the server gave it
    nameserver: str
    nxdomain: bool = False
    over_tcp: bool = False  # the UDP answer was truncated and the question asked again over TCP
    alias: str | None = None  # for a question other than CNAME: the CNAME the server answered with


def record_text(rdata) -> str:
    """TXT: the character-strings joined (RFC 7208 §3.3); names: lower case without the final dot; else the
    presentation form."""
    if rdata.rdtype in (dns.rdatatype.TXT, dns.rdatatype.SPF):
        return b"".join(rdata.strings).decode("utf-8", "replace")
    if rdata.rdtype in (dns.rdatatype.CNAME, dns.rdatatype.NS, dns.rdatatype.PTR, dns.rdatatype.DNAME):
        return plain_name(rdata.target)
    if rdata.rdtype == dns.rdatatype.MX:
        return f"{rdata.preference} {plain_name(rdata.exchange)}"
    return rdata.to_text()


def plain_name(name: dns.name.Name | str) -> str:
    text = name.to_text(omit_final_dot=True) if isinstance(name, dns.name.Name) else name.rstrip(".")
    return text.lower()


def system_nameservers() -> list[str]:
    """The resolvers this machine uses (/etc/resolv.conf, or the Windows registry)."""
    try:
        return list(dns.resolver.Resolver(configure=True).nameservers)
    except dns.resolver.NoResolverConfiguration as exc:
        raise DnsError(f"no system resolver configured: {exc}") from exc


class DnsClient:
    def __init__(self, nameservers: list[str], *, port: int = 53, timeout: float = DEFAULT_TIMEOUT,
                 tries: int = DEFAULT_TRIES) -> None:
        if not nameservers:
            raise ValueError("no name server to ask")
        self.nameservers = list(nameservers)
        self.port = port
        self.timeout = timeout
        self.tries = max(1, tries)

    def server_label(self, nameserver: str) -> str:
        host = f"[{nameserver}]" if ":" in nameserver else nameserver
        return host if self.port == 53 else f"{host}:{self.port}"

    def query(self, name: str, rdtype: str) -> Answer:
        """The records of one type at one name, asked of each server in turn until one answers."""
        qname = dns.name.from_text(name)
        failure: DnsError | None = None
        given_up: set[str] = set()
        for _round in range(self.tries):
            for nameserver in self.nameservers:
                if nameserver in given_up:
                    continue
                try:
                    return self._ask(qname, rdtype, nameserver)
                except (DnsTimeout, DnsServerFailure) as exc:
                    failure = exc
                except DnsError as exc:  # refused, unreachable, malformed: asking this server again will not help
                    failure = exc
                    given_up.add(nameserver)
        assert failure is not None
        raise failure

    def _ask(self, qname: dns.name.Name, rdtype: str, nameserver: str, *, edns: int = 0) -> Answer:
        where = self.server_label(nameserver)
        question = f"{rdtype} {plain_name(qname)}"
        message = dns.message.make_query(qname, rdtype, use_edns=edns, payload=EDNS_PAYLOAD)
        try:
            response, over_tcp = dns.query.udp_with_fallback(message, nameserver, timeout=self.timeout,
                                                             port=self.port)
        except dns.exception.Timeout as exc:
            raise DnsTimeout(f"{where}: no answer to {question} within {self.timeout:g}s") from exc
        except (dns.exception.DNSException, EOFError) as exc:
            raise DnsError(f"{where}: bad answer to {question}: {type(exc).__name__}: {exc}") from exc
        except OSError as exc:
            raise DnsError(f"{where}: cannot ask {question}: {exc.strerror or exc}") from exc
        rcode = response.rcode()
        if rcode == dns.rcode.FORMERR and edns == 0:
            return self._ask(qname, rdtype, nameserver, edns=-1)
        if rcode == dns.rcode.SERVFAIL:
            raise DnsServerFailure(f"{where}: SERVFAIL for {question}")
        if rcode == dns.rcode.REFUSED:
            raise DnsRefused(f"{where}: REFUSED {question}")
        if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            raise DnsError(f"{where}: {dns.rcode.to_text(rcode)} for {question}")
        wanted = dns.rdatatype.from_text(rdtype)
        records: list[str] = []
        alias = None
        for rrset in response.answer:
            if rrset.name != qname:
                continue
            if rrset.rdtype == wanted:
                records += [record_text(rdata) for rdata in rrset]
            elif rrset.rdtype == dns.rdatatype.CNAME:
                alias = record_text(rrset[0])
        return Answer(plain_name(qname), rdtype, tuple(records), where, nxdomain=rcode == dns.rcode.NXDOMAIN,
                      over_tcp=over_tcp, alias=alias)

    def addresses(self, host: str) -> list[str]:
        """IPv4 and IPv6 addresses of a host (a name server's, for a zone transfer); failures leave it out."""
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                found += self.query(host, rdtype).records
            except DnsError:
                continue
        return found

    def transfer(self, zone: str, nameserver: str) -> Iterator[tuple[str, str, str]]:
        """Every record of the zone as (owner, type, data) from an AXFR of one server, as the messages arrive."""
        where = self.server_label(nameserver)
        try:
            for message in dns.query.xfr(nameserver, zone, port=self.port, timeout=self.timeout,
                                         lifetime=TRANSFER_LIFETIME, relativize=False):
                for rrset in message.answer:
                    owner = plain_name(rrset.name)
                    kind = dns.rdatatype.to_text(rrset.rdtype)
                    for rdata in rrset:
                        yield owner, kind, record_text(rdata)
        except dns.xfr.TransferError as exc:
            raise TransferRefused(f"{where}: zone transfer of {zone} refused ({dns.rcode.to_text(exc.rcode)})"
                                  ) from exc
        except dns.exception.Timeout as exc:
            raise DnsTimeout(f"{where}: zone transfer of {zone} timed out") from exc
        except EOFError as exc:  # the server closed the connection: how some servers refuse a transfer
            raise TransferRefused(f"{where}: zone transfer of {zone} refused (connection closed)") from exc
        except dns.exception.DNSException as exc:
            raise DnsError(f"{where}: zone transfer of {zone} failed: {type(exc).__name__}: {exc}") from exc
        except OSError as exc:
            raise DnsError(f"{where}: cannot transfer {zone}: {exc.strerror or exc}") from exc
