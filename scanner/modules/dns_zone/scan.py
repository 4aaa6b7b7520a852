"""What an organisation's own DNS says about the AI services it bought or wired up, read with dnspython.

For each domain:
- TXT at the apex, and at each underscore name the catalogue's ``dns_txt`` rules name (``_acme-challenge``):
  domain-verification tokens (``openai-domain-verification=…``). An apex ``v=spf1`` record's ``include:`` and
  ``redirect=`` domains become SPF observations; includes inside the domain are followed (at most 10 lookups,
  as RFC 7208 §4.6.4 allows a receiver).
- MX at the apex: the mail exchangers.
- CNAME chains of the zone's names, followed hop by hop (at most 8), every target matched. The names come from a
  zone transfer (``--axfr``) where the server allows one, else from a names file, else from the host names under
  the domain that the inventory already holds.

The scan is a snapshot: what the zone says now replaces what an earlier scan counted. A refused zone transfer,
an answer that never came, SERVFAIL, REFUSED or a domain that does not exist is a coverage gap of the run; a
truncated UDP answer is asked again over TCP (counted as ``tcp_retries``). SIGTERM/SIGINT stop between names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.clients.dns import Answer, DnsClient, DnsError
from scanner.findings import Finding, match_observation
from scanner.interruption import StopFlag
from scanner.matching.dns_names import in_zone
from scanner.modules.api_scan import COMMIT_EVERY, ApiScan, ApiScanResult
from scanner.modules.dns_zone.zone_names import dns_name, file_digest, names_from_file, names_from_inventory
from scanner.observations import DnsRecord

SOURCE = "dns-zone"
MAX_CHAIN = 8
MAX_SPF_LOOKUPS = 10
RECORD_COUNTS = {"TXT": "txt_records", "SPF": "spf_includes", "MX": "mx_records"}
SPF_TARGET = re.compile(r"^[+?~-]?include:(\S+)$|^redirect=(\S+)$", re.IGNORECASE)


def spf_targets(text: str) -> list[str]:
    """The domains a ``v=spf1`` record includes or redirects to, in order (macros left out)."""
    terms = text.split()
    if not terms or terms[0].lower() != "v=spf1":
        return []
    targets = []
    for term in terms[1:]:
        found = SPF_TARGET.match(term)
        if found and "%" not in term:
            name = dns_name(found.group(1) or found.group(2))
            if name:
                targets.append(name)
    return targets


class DnsZoneScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, client: DnsClient, *,
                 axfr_servers: list[str] | None = None, parameters: dict | None = None,
                 stop: StopFlag | None = None, on_error: Callable[[str, str], None] | None = None) -> None:
        self.db = db
        self.client = client
        self.axfr_servers = axfr_servers  # None: the zone's own name servers, found through NS records
        self.scan = ApiScan(db, catalogue, SOURCE, parameters=parameters or {}, stop=stop, on_error=on_error)
        self.run = self.scan.run
        self.matcher = catalogue.matcher
        self.verification_names = sorted({name for _prefix, name, _service in self.matcher.txt if name})
        self.domain = ""
        self.seen: set[tuple[str, str, str]] = set()
        self.cnames: dict[str, Answer | None] = {}
        self.via = "query"

    # --- the run ------------------------------------------------------------------------------------------
    def scan_domains(self, domains: list[str], *, axfr: bool = False, names_file: Path | None = None
                     ) -> ApiScanResult:
        listed: dict[str, list[str]] | None = None
        if names_file is not None:
            try:
                self.run.add_input(names_file=file_digest(names_file))
                listed = names_from_file(names_file, domains, self.scan.error)
            except OSError as exc:
                self.scan.gap(f"names file {names_file}", f"cannot read it: {exc.strerror or exc}")
        for domain in domains:
            if self.scan.stop:
                break
            self.run.add_input(domain=domain, nameservers=[self.client.server_label(ns)
                                                           for ns in self.client.nameservers])
            self.scan_domain(domain, axfr=axfr, listed=None if listed is None else listed.get(domain, []))
            self.scan.commit()
        return self.scan.finish()

    def scan_domain(self, domain: str, *, axfr: bool, listed: list[str] | None) -> None:
        self.domain, self.seen, self.cnames, self.via = domain, set(), {}, "query"
        self.run.count("domains")
        apex = self.ask(domain, "TXT")
        if apex is None:
            return
        if apex.nxdomain:
            self.scan.gap(f"{domain}: zone", f"{apex.nameserver}: NXDOMAIN: the domain does not exist")
            return
        for text in apex.records:
            self.txt(domain, text)
        for label in self.verification_names:
            answer = self.ask(f"{label}.{domain}", "TXT")
            for text in answer.records if answer else ():
                self.txt(f"{label}.{domain}", text)
        mx = self.ask(domain, "MX")
        for record in mx.records if mx else ():
            _preference, _, exchange = record.partition(" ")
            self.observe(DnsRecord(domain, "MX", exchange, SOURCE, domain, zone=domain,
                                   details=(("record", record),)))
        self.names(domain, axfr=axfr, listed=listed)

    def names(self, domain: str, *, axfr: bool, listed: list[str] | None) -> None:
        aliases = self.transfer(domain) if axfr else None
        if aliases is not None:
            self.via = "axfr"
            for owner in aliases:
                if self.scan.stop:
                    return
                self.chain(owner, aliases)
            return
        if listed:
            names, self.via = listed, "names-file"
        else:
            names, self.via = names_from_inventory(self.db, domain), "inventory"
        if not names:
            self.scan.gap(f"{domain}: CNAMEs", "no names to look up: no zone transfer (--axfr), no name under the "
                                               "domain in a names file (--names) or in the inventory")
            return
        for name in names:
            if self.scan.stop:
                return
            self.chain(name, None)

    # --- questions --------------------------------------------------------------------------------------
    def ask(self, name: str, rdtype: str) -> Answer | None:
        """The answer, or None after recording why there is none: a coverage gap for a name of the domain, only a
        count for a name outside it (a vendor's, which the domain's own authoritative server refuses to answer)."""
        try:
            answer = self.client.query(name, rdtype)
        except DnsError as exc:
            if not in_zone(name, self.domain):
                self.run.count("targets_unresolved")
            else:
                self.scan.gap(f"{self.domain}: {rdtype} {name}", str(exc))
            return None
        if answer.over_tcp:
            self.run.count("tcp_retries")
        return answer

    def transfer(self, domain: str) -> dict[str, str] | None:
        """owner -> CNAME target for every alias of the zone, from the first server that allows a transfer; the
        zone's TXT records are matched on the way. None (and a gap) when every server refused or failed."""
        servers = self.axfr_servers
        if servers is None:
            servers = self.zone_servers(domain)
        failures = []
        for server in servers:
            aliases: dict[str, str] = {}
            try:
                for owner, kind, value in self.client.transfer(domain, server):
                    self.run.count("axfr_records")
                    if kind == "CNAME":
                        aliases[owner] = value
                    elif kind == "TXT":
                        self.txt(owner, value)
            except DnsError as exc:
                failures.append(str(exc))
                continue
            self.run.add_input(domain=domain, axfr=self.client.server_label(server))
            return aliases
        why = "; ".join(failures) or "no name server of the zone could be found"
        self.scan.gap(f"{domain}: zone transfer (AXFR)", why)
        return None

    def zone_servers(self, domain: str) -> list[str]:
        answer = self.ask(domain, "NS")
        servers: list[str] = []
        for host in answer.records if answer else ():
            servers += [address for address in self.client.addresses(host) if address not in servers]
        return servers

    # --- records --------------------------------------------------------------------------------------------
    def txt(self, name: str, text: str, *, spf_lookups: list[int] | None = None) -> None:
        if not self.observe(DnsRecord(name, "TXT", text, SOURCE, self.domain, zone=self.domain,
                                      details=(("nameserver", self.nameservers()),))):
            return  # seen already (from a query and from the transfer)
        budget = spf_lookups if spf_lookups is not None else [MAX_SPF_LOOKUPS]
        for target in spf_targets(text):
            self.observe(DnsRecord(name, "SPF", target, SOURCE, self.domain, zone=self.domain,
                                   details=(("record", text),)))
            if in_zone(target, self.domain) and budget[0] > 0 and target != name:
                budget[0] -= 1
                answer = self.ask(target, "TXT")
                for included in answer.records if answer else ():
                    if included.lower().startswith("v=spf1"):
                        self.txt(target, included, spf_lookups=budget)

    def chain(self, name: str, aliases: dict[str, str] | None) -> None:
        """Follow the CNAMEs from a name; each target is matched, the whole chain kept as evidence."""
        self.run.count("names")
        hops = [name]
        while len(hops) <= MAX_CHAIN:
            current = hops[-1]
            if aliases is not None and in_zone(current, self.domain):
                target = aliases.get(current)  # the transfer holds every alias of the zone
            else:
                answer = self.cname(current)
                if answer is None:
                    break
                if answer.nxdomain:
                    self.run.count("names_nxdomain" if len(hops) == 1 else "cname_dangling")
                    break
                target = answer.records[0] if answer.records else None
            if target is None:
                break
            if target in hops:
                self.scan.error(f"{self.domain}: CNAME {name}", f"CNAME loop: {' -> '.join(hops + [target])}")
                return
            hops.append(target)
        else:
            self.run.count("cname_chains_cut")  # longer than MAX_CHAIN: the hops so far are still matched
        if len(hops) == 1:
            return
        self.run.count("cname_chains")
        details = (("chain", " -> ".join(hops)), ("via", self.via), ("nameserver", self.nameservers()))
        keys: set[tuple[str, str, str, str]] = set()
        for target in hops[1:]:  # one finding per service, however many hops name it
            finding = self.match(DnsRecord(name, "CNAME", target, SOURCE, self.domain, zone=self.domain,
                                           details=details))
            if finding and finding.key not in keys:
                keys.add(finding.key)
                self.keep(finding)

    def cname(self, name: str) -> Answer | None:
        """The CNAME question for a name, asked once per domain: chains often share their last hops."""
        if name not in self.cnames:
            self.cnames[name] = self.ask(name, "CNAME")
        return self.cnames[name]

    def nameservers(self) -> str:
        return " ".join(self.client.server_label(ns) for ns in self.client.nameservers)

    # --- matching ---------------------------------------------------------------------------------------------
    def match(self, record: DnsRecord) -> Finding | None | bool:
        """The record's finding, None when it names no AI service, False when it was seen already (from a query
        and from the transfer): a record counts once."""
        key = (record.name, record.type, record.value)
        if key in self.seen:
            return False
        self.seen.add(key)
        if record.type in RECORD_COUNTS:
            self.run.count(RECORD_COUNTS[record.type])
        return match_observation(record, self.matcher)

    def observe(self, record: DnsRecord) -> bool:
        """Match and keep a record; False when it was seen already."""
        finding = self.match(record)
        if finding:
            self.keep(finding)
        return finding is not False

    def keep(self, finding: Finding) -> None:
        self.scan.batch.add(finding)
        self.run.count("findings")
        if len(self.scan.batch) >= COMMIT_EVERY:
            self.scan.commit()


def scan_dns_zones(db: sqlite_utils.Database, catalogue: Catalogue, client: DnsClient, domains: list[str], *,
                   axfr: bool = False, names_file: Path | None = None, axfr_servers: list[str] | None = None,
                   stop: StopFlag | None = None, on_error: Callable[[str, str], None] | None = None
                   ) -> ApiScanResult:
    parameters = {"domains": domains, "nameservers": client.nameservers, "port": client.port, "axfr": axfr,
                  "names": str(names_file) if names_file else None, "timeout": client.timeout}
    scanner = DnsZoneScan(db, catalogue, client, axfr_servers=axfr_servers, parameters=parameters, stop=stop,
                          on_error=on_error)
    return scanner.scan_domains(domains, axfr=axfr, names_file=names_file)
