"""Real output of each product (../shared/samples, or $SHADOWAI_LOG_SAMPLES; never copied into the
repository): each file is detected as the right format from its first lines and every line of it is read
without a single malformed record. Skipped where the samples are absent (CI)."""

import gzip
import os
from pathlib import Path

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.plugin import register_log_formats

SAMPLES = Path(os.environ.get("SHADOWAI_LOG_SAMPLES") or Path(__file__).resolve().parents[5] / "shared" / "samples")
EXPECTED = {
    "azure_firewall/elastic_test-applicationrules-raw.log": "azure-firewall",
    "azure_firewall/elastic_test-dnsproxy-structured-raw.log": "azure-firewall",
    "bluecoat_proxysg/elastic_test-proxy-main.log": "w3c-extended",
    "cisco_umbrella/elastic_test-umbrella-dnslogs.log": "umbrella-dns",
    "cisco_umbrella/elastic_test-umbrella-proxylogs.log": "umbrella-proxy",
    "gcp_dns/elastic_test-dns.log": "gcp-cloud-dns",
    "infoblox/elastic_test-dns.log": "bind-query",
    "panos/elastic_test-panw-panos-threat-sample.EXCERPT.log": "panos",
    "panos/elastic_test-panw-panos-threat-url-no-xff-sample.log": "panos",
    "pcap/zeek_quic_win11_firefox_google.expected-ssl.log": "zeek-ssl",
    "pcap/zeek_tls13-ech.expected-ssl.log": "zeek-ssl",
    "route53_resolver/elastic_test-route53.log": "route53-resolver",
    "squid/elastic_test-access-extensive.log": "squid-custom",
    "squid/elastic_test-access.log": "squid-native",
    "suricata_eve/elastic_test-eve-dns-4-1-4.log": "suricata-eve",
    "suricata_eve/elastic_test-eve-small.log": "suricata-eve",
    "w3c_iis/elastic_test-iis-access.log": "iis-w3c",
    "zeek_json/elastic_test-http.log": "zeek-http-json",
    "zeek_json/wrccdc2018_dns.json.gz": "zeek-dns-json",
    "zeek_json/wrccdc2018_ssl.json.gz": "zeek-ssl-json",
    "zeek_json/zeek-baseline_json-non-printable-escaping_http.log.json": "zeek-http-json",
    "zeek_tsv/wrccdc2018_dns.log.gz": "zeek-dns",
    "zeek_tsv/wrccdc2018_ssl.log.gz": "zeek-ssl",
    "zeek_tsv/zeek-baseline_json-non-printable-escaping_http.log.tsv": "zeek-http",
    "zeek_tsv/zeek-baseline_opt.basic_wikipedia_dns.log": "zeek-dns",
    "zeek_tsv/zeek-baseline_opt.basic_wikipedia_http.log": "zeek-http",
    "zscaler_nss/elastic_test-web.log": "zscaler-nss-json",
}

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no sample logs at {SAMPLES}")


def sample_lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        return [line.rstrip("\r\n") for line in handle if line.strip()]


def test_every_log_sample_is_listed():
    present = {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.glob("*/*")
               if p.suffix not in (".pcap", ".md") and p.is_file()}
    assert present == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_detected_and_read_without_a_bad_record(name):
    lines = sample_lines(SAMPLES / name)
    log_format = next((f for f in register_log_formats() if f.sniff(lines[:25])), None)
    assert log_format is not None and log_format.name == EXPECTED[name]
    parser = log_format()
    parser.prime(lines[:25])
    bad, hosts = [], 0
    for number, line in enumerate(lines, start=1):
        try:
            hosts += bool(parser.parse(line))
        except BadRecord as exc:
            bad.append(f"{number}: {exc}")
    assert bad == []
    assert hosts > 0
