"""Benchmark `shadowai scan logs` against `grep -F -f <every catalogue domain>` on the same files.

Generates a realistic proxy log (Squid native; thousands of users, tens of thousands of ordinary hosts,
~0.5% AI traffic) of --size-mb megabytes, then times, on the same file:
  reference: grep -F -c -f domains.txt FILE   (GNU grep, fixed strings; counts matching lines)
  shadowai:  shadowai scan logs FILE --db fresh.db --quiet
and prints both throughputs (MB/s), the ratio shadowai/grep, and shadowai's peak RSS.

    python bench/logs.py --size-mb 1000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.catalogue import load_catalogue  # noqa: E402

AI_HOSTS = ["chatgpt.com", "api.openai.com", "claude.ai", "api.anthropic.com", "gemini.google.com",
            "copilot.microsoft.com", "www.perplexity.ai", "chat.deepseek.com", "huggingface.co",
            "acme-eu.openai.azure.com", "bedrock-runtime.eu-west-1.amazonaws.com", "api.mistral.ai"]
WORDS = ["www", "mail", "api", "cdn", "static", "img", "login", "news", "shop", "app", "assets", "m"]
TLDS = ["com", "net", "org", "co.uk", "de", "io", "fr", "nl"]
PATHS = ["/", "/index.html", "/api/v2/items?id=42", "/static/app.js", "/images/logo.png", "/search?q=report"]


def generate(path: Path, size_mb: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    hosts = [f"{rng.choice(WORDS)}.{''.join(rng.choice(letters) for _ in range(rng.randint(4, 12)))}.{rng.choice(TLDS)}"
             for _ in range(30000)]
    users = [f"user{n:05d}" for n in range(5000)]
    target = size_mb * 1_000_000
    written = lines = 0
    t = 1764460800.0
    with path.open("w", encoding="ascii") as out:
        while written < target:
            chunk = []
            for _ in range(10000):
                t += 0.013
                user = rng.choice(users)
                client = f"10.{rng.randint(0, 40)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
                if rng.random() < 0.005:
                    host = rng.choice(AI_HOSTS)
                else:
                    host = rng.choice(hosts)
                if rng.random() < 0.6:
                    line = (f"{t:.3f} {rng.randint(1, 9000):6d} {client} TCP_TUNNEL/200 {rng.randint(200, 90000)} "
                            f"CONNECT {host}:443 {user} HIER_DIRECT/203.0.113.{rng.randint(1, 254)} -\n")
                else:
                    line = (f"{t:.3f} {rng.randint(1, 9000):6d} {client} TCP_MISS/200 {rng.randint(200, 90000)} "
                            f"GET http://{host}{rng.choice(PATHS)} {user} HIER_DIRECT/203.0.113.{rng.randint(1, 254)} "
                            f"text/html\n")
                chunk.append(line)
            text = "".join(chunk)
            out.write(text)
            written += len(text)
            lines += len(chunk)
    return lines


def timed(command: list[str]) -> float:
    # Output goes to a pipe, not /dev/null: GNU grep stops at the first match when its output is /dev/null.
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="shadowai-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "access.log"
    if not log.exists() or log.stat().st_size < args.size_mb * 900_000:
        lines = generate(log, args.size_mb)
        print(f"generated {log} ({log.stat().st_size / 1e6:,.0f} MB, {lines:,} lines)")
    catalogue = load_catalogue()
    domains = workdir / "domains.txt"
    domains.write_text("\n".join(sorted({d for s in catalogue.services.values()
                                          for d in s.detection.get("domains", ())})) + "\n")
    size_mb = log.stat().st_size / 1e6
    subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache

    grep_seconds = timed(["grep", "-F", "-c", "-f", str(domains), str(log)])
    shadowai = shutil.which("shadowai") or str(Path(sys.executable).parent / "shadowai")
    db = workdir / "bench.db"
    for stale in workdir.glob("bench.db*"):
        stale.unlink()
    shadowai_seconds = timed([shadowai, "scan", "logs", str(log), "--db", str(db), "--quiet"])
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"input: {size_mb:,.0f} MB on {os.cpu_count()} CPUs")
    print(f"reference grep -F -f ({len(domains.read_text().split())} domains): {grep_seconds:6.2f} s  "
          f"{size_mb / grep_seconds:8.1f} MB/s")
    print(f"shadowai scan logs:                      {shadowai_seconds:6.2f} s  {size_mb / shadowai_seconds:8.1f} MB/s")
    print(f"ratio shadowai/grep throughput: {grep_seconds / shadowai_seconds:.2f}x (target >= 0.25x)")
    print(f"peak RSS of the largest process: {peak_rss_mb:,.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
