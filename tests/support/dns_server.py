"""A real authoritative DNS server for the DNS tests: Debian's BIND 9 (`named`) on 127.0.0.1 and a free port.

The zones are written by the tests (``zones``: name -> zone file text, ``transfer``: the zones that allow AXFR
to 127.0.0.1; every other zone refuses it). A zone whose file does not load is served as SERVFAIL, which is how
BIND answers for a zone it is configured for but could not load. Recursion is off: a name outside the zones is
REFUSED, as a real authoritative server answers.

Tests skip with the reason when `named` is not installed, except under CI (the CI environment variable set),
where they fail: .ci/run installs Debian's bind9 package.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

NAMED_PATHS = ("/usr/sbin/named", "/usr/local/sbin/named")


def named_binary() -> str:
    found = shutil.which("named") or next((path for path in NAMED_PATHS if os.access(path, os.X_OK)), None)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("BIND's named is not installed (.ci/run installs Debian's bind9 package)")
    pytest.skip("BIND's named is not installed: apt-get install -y bind9 to run the DNS zone tests")


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port on 127.0.0.1")


CONFIG = """
options {{
    directory "{folder}";
    pid-file "{folder}/named.pid";
    session-keyfile "{folder}/session.key";
    managed-keys-directory "{folder}";
    listen-on port {port} {{ 127.0.0.1; }};
    listen-on-v6 {{ none; }};
    recursion no;
    allow-transfer {{ none; }};
    dnssec-validation no;
    notify no;
    minimal-responses no;
}};
controls {{ }};
"""
ZONE = 'zone "{name}" {{ type primary; file "{file}"; allow-transfer {{ {transfer}; }}; }};\n'


class BindServer:
    def __init__(self, folder: Path, zones: dict[str, str], *, transfer: tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.zones = zones
        self.transfer = transfer
        self.host = "127.0.0.1"
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self) -> "BindServer":
        binary = named_binary()
        for attempt in range(3):
            self.port = free_port()
            self.write_config()
            log = (self.folder / "named.log").open("w")
            self.process = subprocess.Popen([binary, "-g", "-4", "-c", str(self.folder / "named.conf")],
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if self.wait_ready():
                return self
            self.stop()
        raise RuntimeError(f"named did not start: {(self.folder / 'named.log').read_text()[-2000:]}")

    def write_config(self) -> None:
        text = CONFIG.format(folder=self.folder, port=self.port)
        for name, zone_text in self.zones.items():
            (self.folder / f"{name}.zone").write_text(zone_text)
            transfer = "127.0.0.1" if name in self.transfer else "none"
            text += ZONE.format(name=name, file=self.folder / f"{name}.zone", transfer=transfer)
        (self.folder / "named.conf").write_text(text)

    def wait_ready(self, seconds: float = 20) -> bool:
        """True once the first zone answers its SOA; False when named exits or never answers."""
        question = dns.message.make_query(next(iter(self.zones)), "SOA")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                answer = dns.query.udp(question, self.host, port=self.port, timeout=0.3)
                if answer.rcode() == dns.rcode.NOERROR and answer.answer:
                    return True
            except (dns.exception.DNSException, OSError):
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class SilentServer:
    """A UDP and TCP endpoint on 127.0.0.1 that takes questions and never answers: a name server timing out."""

    def __enter__(self) -> "SilentServer":
        self.port = free_port()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", self.port))
        self.tcp.listen(8)
        return self

    def __exit__(self, *exc) -> None:
        self.udp.close()
        self.tcp.close()


# --- the test zones -------------------------------------------------------------------------------------------
SOA = """$TTL 300
@   IN SOA ns1.{zone}. hostmaster.{zone}. ( 2025060101 3600 600 86400 300 )
    IN NS  ns1.{zone}.
ns1 IN A   127.0.0.1
"""

# Long tokens of other vendors: with them the apex TXT answer is over 1232 bytes, so that a UDP answer (EDNS
# payload 1232, and a fortiori the classic 512) comes back truncated and must be asked again over TCP.
FILLER = "\n".join(f'@ IN TXT "google-site-verification={chr(97 + i) * 43}" "{"x" * 200}"' for i in range(6))

# AXFR allowed. Apex: ChatGPT Enterprise and Claude verification tokens among the filler, an SPF record whose
# include inside the zone includes Mistral; MX to a mail exchanger on .ai that no service claims. Names: a CNAME
# chain to an Azure OpenAI resource through a name of the zone, a CNAME to a host named like AI, a CNAME out of
# the zone that an authoritative server will not follow, a dangling CNAME, and a plain host.
EXAMPLE_CORP = SOA.format(zone="example-corp.test") + FILLER + """
@         IN TXT   "openai-domain-verification=dv-Ab12Cd34Ef56Gh78Ij90Kl12"
@         IN TXT   "anthropic-domain-verification-5hhhzv=U0o6oadcTgB886CyT56fZFP1M"
@         IN TXT   "v=spf1 include:_spf.example-corp.test include:_spf.google.com ~all"
_spf      IN TXT   "v=spf1 include:spf.mistral.ai -all"
@         IN MX    10 mx1.example-corp.test.
@         IN MX    20 inbound.mailsort.ai.
mx1       IN A     192.0.2.25
www       IN A     192.0.2.10
chat      IN CNAME corp-chat.example-corp.test.
corp-chat IN CNAME contoso-eastus.openai.azure.com.
notes     IN CNAME app.acmegpt.example.
assistant IN CNAME corp-assistant.trafficmanager.net.
old       IN CNAME retired.example-corp.test.
"""

# AXFR refused. A Cursor token at the apex, a token at an underscore verification name (a test catalogue lists
# it), CNAMEs to find through a names file or the inventory, and a CNAME loop.
REFUSED_CORP = SOA.format(zone="refused-corp.test") + """
@                  IN TXT   "cursor-domain-verification-s7xqqj=rqck9beiHFV00jMGwCITEYufH"
_acme-ai-challenge IN TXT   "acme-ai-verification=4f2a9c"
assist             IN CNAME my-resource.openai.azure.com.
bot                IN CNAME refused-bot.openai.azure.com.
loop1              IN CNAME loop2.refused-corp.test.
loop2              IN CNAME loop1.refused-corp.test.
"""

BROKEN_CORP = SOA.format(zone="broken-corp.test") + "this line is not a resource record\n"


def test_zones() -> dict[str, str]:
    return {"example-corp.test": EXAMPLE_CORP, "refused-corp.test": REFUSED_CORP, "broken-corp.test": BROKEN_CORP}


@pytest.fixture(scope="session")
def dns_server(tmp_path_factory):
    server = BindServer(tmp_path_factory.mktemp("bind"), test_zones(), transfer=("example-corp.test",)).start()
    yield server
    server.stop()
