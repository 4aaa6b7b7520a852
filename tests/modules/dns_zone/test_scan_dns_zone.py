"""`scan dns-zone` against a real BIND 9 on loopback serving test zones: one that allows a zone transfer, one that
refuses it, one that fails to load (SERVFAIL); a server that never answers; names from a file and from the
inventory."""

import json
import time

import pytest
import yaml

from scanner.clients.dns import DnsClient
from scanner.interruption import StopFlag
from scanner.modules.dns_zone.scan import scan_dns_zones, spf_targets
from tests.cli.runner import shadowai
from tests.support.dns_server import SilentServer, dns_server  # noqa: F401  (the session fixture)
from tests.support.findings import add_findings, seen


def findings(db):
    rows = db.execute("select service_id, subject, location, hits, matched_by, evidence from findings "
                      "where source = 'dns-zone'").fetchall()
    return {(row[0], row[1]): {"location": row[2], "hits": row[3], "matched_by": row[4],
                               "evidence": json.loads(row[5])} for row in rows}


def last_run(db):
    row = db.execute("select status, counts, errors, coverage_gaps, inputs from runs order by id desc limit 1"
                     ).fetchone()
    return {"status": row[0], "counts": json.loads(row[1]), "errors": json.loads(row[2]),
            "gaps": json.loads(row[3]), "inputs": json.loads(row[4])}


def scan(db, catalogue, server, domains, **options):
    timeout = options.pop("timeout", 2.0)
    client = DnsClient([server.host], port=server.port, timeout=timeout)
    return scan_dns_zones(db, catalogue, client, domains, axfr_servers=[server.host], **options)


@pytest.fixture(scope="module")
def acme_catalogue(tmp_path_factory):
    """The built-in catalogue and a test service whose token sits at an underscore verification name."""
    folder = tmp_path_factory.mktemp("signatures")
    service = {
        "id": "acme-ai", "name": "Acme AI", "vendor": "acme", "category": "llm-api",
        "description": "A test AI service with a named verification record.", "website": "https://acme.example",
        "detection": {"dns_txt": [{"prefix": "acme-ai-verification=", "name": "_acme-ai-challenge"}]},
        "risk": {fact: {"value": "unknown"} for fact in
                 ("trains_on_customer_data", "retention", "enterprise_tier", "hosting_country", "certifications")},
        "examples": {"dns_txt": {"match": ["acme-ai-verification=1"], "no_match": ["acme=1"]}},
    }
    (folder / "services" / "acme").mkdir(parents=True)
    (folder / "services" / "acme" / "acme-ai.yaml").write_text(yaml.safe_dump(service))
    return folder


def test_a_transferred_zone_reveals_tokens_cnames_spf_and_mx(dns_server, db_path):
    result = shadowai("scan", "dns-zone", "--domain", "example-corp.test", "--nameserver", "127.0.0.1",
                      "--port", dns_server.port, "--axfr", "--db", db_path)
    assert result.exit_code == 0, result.output

    from scanner.inventory.database import open_db
    db = open_db(db_path)
    found = findings(db)
    assert set(found) == {
        ("chatgpt", "example-corp.test"),  # openai-domain-verification= at the apex
        ("claude", "example-corp.test"),  # in the apex answer that only TCP carries whole
        ("mistral-api", "_spf.example-corp.test"),  # SPF include inside the zone, followed: include:spf.mistral.ai
        ("unknown-dns-ai-record", "example-corp.test"),  # MX inbound.mailsort.ai: no service, but .ai
        ("azure-openai", "chat.example-corp.test"),  # chat -> corp-chat -> contoso-eastus.openai.azure.com
        ("azure-openai", "corp-chat.example-corp.test"),
        ("unknown-dns-ai-record", "notes.example-corp.test"),  # CNAME app.acmegpt.example
    }
    chat = found[("azure-openai", "chat.example-corp.test")]
    assert chat["location"] == "example-corp.test"
    assert chat["matched_by"] == "host_patterns:<resource>.openai.azure.com"
    assert chat["evidence"]["chain"] == ("chat.example-corp.test -> corp-chat.example-corp.test -> "
                                         "contoso-eastus.openai.azure.com")
    assert chat["evidence"]["via"] == "axfr"
    assert found[("mistral-api", "_spf.example-corp.test")]["evidence"]["record"] == \
        "v=spf1 include:spf.mistral.ai -all"
    assert found[("unknown-dns-ai-record", "example-corp.test")]["matched_by"] == "dns-ai-like:mx:.ai"
    assert found[("chatgpt", "example-corp.test")]["evidence"]["value"] == \
        "openai-domain-verification=dv-Ab12Cd34Ef56Gh78Ij90Kl12"

    run = last_run(db)
    assert run["status"] == "succeeded" and run["gaps"] == [] and run["errors"] == []
    counts = run["counts"]
    assert counts["tcp_retries"] >= 1  # the apex TXT answer came back truncated over UDP
    assert counts["txt_records"] == 10 and counts["mx_records"] == 2 and counts["spf_includes"] == 3
    assert counts["cname_chains"] == 5  # chat, corp-chat, notes, assistant, old
    assert {"domain": "example-corp.test", "axfr": f"127.0.0.1:{dns_server.port}"} in run["inputs"]


def test_a_cname_outside_the_zone_that_the_server_will_not_follow_is_counted_not_a_gap(dns_server, db, catalogue):
    scan(db, catalogue, dns_server, ["example-corp.test"], axfr=True)
    counts = last_run(db)["counts"]
    # assistant -> corp-assistant.trafficmanager.net, and the vendors' hosts: REFUSED by an authoritative server
    assert counts["targets_unresolved"] >= 1
    assert not any(subject.startswith("assistant.") for _service, subject in findings(db))


def test_a_refused_transfer_is_a_gap_and_the_names_file_is_followed(dns_server, db_path, tmp_path, acme_catalogue):
    names = tmp_path / "names.txt"
    names.write_text("# names of refused-corp.test\nassist.refused-corp.test\nGONE.refused-corp.test.\n"
                     "loop1.refused-corp.test\nwww.elsewhere.test\nbad name!\n")
    result = shadowai("scan", "dns-zone", "--domain", "refused-corp.test", "--nameserver", "127.0.0.1",
                      "--port", dns_server.port, "--axfr", "--names", names, "--signatures", acme_catalogue,
                      "--db", db_path)
    assert result.exit_code == 1, result.output  # partial: a coverage gap and bad lines

    from scanner.inventory.database import open_db
    db = open_db(db_path)
    found = findings(db)
    assert set(found) == {
        ("cursor", "refused-corp.test"),
        ("acme-ai", "_acme-ai-challenge.refused-corp.test"),  # the catalogue names this verification record
        ("azure-openai", "assist.refused-corp.test"),
    }
    assert found[("azure-openai", "assist.refused-corp.test")]["evidence"]["via"] == "names-file"
    run = last_run(db)
    assert run["gaps"] == [{"what": "refused-corp.test: zone transfer (AXFR)",
                            "why": f"127.0.0.1:{dns_server.port}: zone transfer of refused-corp.test refused "
                                   "(REFUSED)"}]
    assert {(error["where"], error["message"]) for error in run["errors"]} == {
        (f"{names}:5", "www.elsewhere.test is not under any --domain (refused-corp.test)"),
        (f"{names}:6", "not a DNS name: 'bad name!'"),
        ("refused-corp.test: CNAME loop1.refused-corp.test",
         "CNAME loop: loop1.refused-corp.test -> loop2.refused-corp.test -> loop1.refused-corp.test"),
    }
    assert run["counts"]["names_nxdomain"] == 1  # gone.refused-corp.test
    assert "refused-corp.test: zone transfer (AXFR)" in result.output


def test_without_transfer_or_names_the_inventory_hosts_under_the_domain_are_followed(dns_server, db, catalogue):
    add_findings(db, [
        seen("chatgpt", "ann", evidence={"host": "chatgpt.com", "referrer": "https://bot.refused-corp.test/chat"}),
        seen("unknown-oauth-ai-app", "tenant:entra", source="entra", location="tenant",
             evidence={"redirect_hosts": "assist.refused-corp.test bot.refused-corp.test.evil.example"}),
    ])

    result = scan(db, catalogue, dns_server, ["refused-corp.test"])

    found = findings(db)
    assert {("azure-openai", "bot.refused-corp.test"), ("azure-openai", "assist.refused-corp.test")} <= set(found)
    assert found[("azure-openai", "bot.refused-corp.test")]["evidence"]["via"] == "inventory"
    assert result.counts["names"] == 2  # bot.refused-corp.test.evil.example is not under the domain
    assert result.status == "succeeded"  # no transfer was asked for, so none was refused


def test_no_names_at_all_is_a_coverage_gap(dns_server, db, catalogue):
    result = scan(db, catalogue, dns_server, ["refused-corp.test"])
    assert result.status == "partial"
    assert last_run(db)["gaps"][0]["what"] == "refused-corp.test: CNAMEs"
    assert ("cursor", "refused-corp.test") in findings(db)  # the apex was still read


def test_servfail_refused_and_a_domain_that_does_not_exist_are_gaps(dns_server, db, catalogue):
    result = scan(db, catalogue, dns_server, ["broken-corp.test", "elsewhere.test", "nope.example-corp.test"],
                  timeout=0.5)
    gaps = {gap["what"]: gap["why"] for gap in last_run(db)["gaps"]}
    port = dns_server.port
    assert gaps == {
        "broken-corp.test: TXT broken-corp.test": f"127.0.0.1:{port}: SERVFAIL for TXT broken-corp.test",
        "elsewhere.test: TXT elsewhere.test": f"127.0.0.1:{port}: REFUSED TXT elsewhere.test",
        "nope.example-corp.test: zone": f"127.0.0.1:{port}: NXDOMAIN: the domain does not exist",
    }
    assert result.status == "partial" and findings(db) == {}


def test_a_server_that_never_answers_is_a_gap_not_a_hang(db, catalogue):
    with SilentServer() as silent:
        started = time.monotonic()
        client = DnsClient(["127.0.0.1"], port=silent.port, timeout=0.2)
        result = scan_dns_zones(db, catalogue, client, ["example-corp.test"], axfr=True)
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert result.status == "partial"
    [gap] = last_run(db)["gaps"]
    assert gap == {"what": "example-corp.test: TXT example-corp.test",
                   "why": f"127.0.0.1:{silent.port}: no answer to TXT example-corp.test within 0.2s"}


def test_rescanning_a_zone_replaces_the_counts(dns_server, db, catalogue):
    scan(db, catalogue, dns_server, ["example-corp.test"], axfr=True)
    first = findings(db)
    scan(db, catalogue, dns_server, ["example-corp.test"], axfr=True)
    again = findings(db)
    assert set(again) == set(first)
    assert all(row["hits"] == 1 for row in again.values())


def test_a_stop_request_ends_the_run_as_interrupted(dns_server, db, catalogue):
    stop = StopFlag()
    stop.requested = "SIGTERM"
    result = scan(db, catalogue, dns_server, ["example-corp.test"], stop=stop)
    assert result.status == "interrupted"
    assert "domains" not in result.counts


@pytest.mark.parametrize("record, targets", [
    ("v=spf1 include:_spf.example.com include:spf.mistral.ai ~all", ["_spf.example.com", "spf.mistral.ai"]),
    ("v=spf1 ip4:192.0.2.0/24 -include:bad.example ?include:maybe.example redirect=_spf.example.net",
     ["bad.example", "maybe.example", "_spf.example.net"]),
    ("V=SPF1 INCLUDE:Mail.Example.COM -all", ["mail.example.com"]),
    ("v=spf1 include:%{d}.spf.example -all", []),  # a macro names no fixed domain
    ("google-site-verification=include:openai.com", []),  # not an SPF record
    ("v=spf10 include:openai.com", []),
])
def test_spf_targets(record, targets):
    assert spf_targets(record) == targets


@pytest.mark.parametrize("arguments, message", [
    (["--domain", "exa mple.com"], "'exa mple.com' is not a domain name"),
    (["--domain", "example.com", "--nameserver", "ns1.example.com"], "'ns1.example.com' is not an IP address"),
])
def test_bad_domains_and_name_servers_are_usage_errors(db_path, arguments, message):
    result = shadowai("scan", "dns-zone", *arguments, "--db", db_path)
    assert result.exit_code == 2
    assert message in result.output
    assert not db_path.exists()  # refused before anything was opened or asked
