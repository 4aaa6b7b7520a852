"""Soak: many consecutive incremental scans over a growing log — the cost of a scan must not grow with history.

Appends a batch of proxy-log lines (Squid native; a fixed population of users, ~5% AI traffic) to one log,
runs an incremental `scan logs` over it (a run of its own, exactly as the cron job's scan does, with the
database opened afresh each time), and repeats. Every --every scans it prints the log's size, the inventory's
size (database + WAL), the rows in runs and findings, and the time of the scans since the last line. At the
end it compares the first and the last tenth of the scans: time per scan and database growth per scan should
be flat (the log grows by the same batch each time; only one runs row is added per scan).

    python bench/soak.py                      # 200 scans of 2,000 new lines each
    python bench/soak.py --scans 50 --batch 500 --every 10
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.catalogue import load_catalogue  # noqa: E402
from scanner.cli.configured_sources import scan_commands  # noqa: E402,F401  (registers the plugins' formats)
from scanner.inventory.database import open_db  # noqa: E402
from scanner.inventory.runs import verify_chain  # noqa: E402
from scanner.modules.logs.command import log_formats  # noqa: E402
from scanner.modules.logs.scan import LogScan  # noqa: E402

AI_HOSTS = ["chatgpt.com", "api.openai.com", "claude.ai", "gemini.google.com", "copilot.microsoft.com",
            "www.perplexity.ai", "chat.deepseek.com", "huggingface.co", "api.mistral.ai"]
OTHER_HOSTS = [f"www.site{n}.example.com" for n in range(2000)]


def append_batch(path: Path, lines: int, t: float, rng: random.Random) -> float:
    rows = []
    for _ in range(lines):
        t += 0.5
        user = f"user{rng.randrange(300):03d}"
        host = rng.choice(AI_HOSTS) if rng.random() < 0.05 else rng.choice(OTHER_HOSTS)
        rows.append(f"{t:.3f}    {rng.randint(1, 900)} 10.1.{rng.randrange(4)}.{rng.randint(1, 254)} TCP_TUNNEL/200 "
                    f"{rng.randint(200, 90000)} CONNECT {host}:443 {user} HIER_DIRECT/203.0.113.9 -\n")
    with path.open("a", encoding="ascii") as handle:
        handle.writelines(rows)
    return t


def db_bytes(db_path: Path) -> int:
    return sum(os.path.getsize(p) for p in (db_path, Path(f"{db_path}-wal")) if p.exists())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=200, help="consecutive scans (default 200)")
    parser.add_argument("--batch", type=int, default=2000, help="lines appended before each scan (default 2000)")
    parser.add_argument("--every", type=int, default=20, help="print a line every N scans (default 20)")
    parser.add_argument("--dir", help="work folder (default: a temporary one, removed at the end)")
    args = parser.parse_args()

    catalogue = load_catalogue()
    formats = log_formats()
    with tempfile.TemporaryDirectory(prefix="shadowai-soak-") as scratch:
        folder = Path(args.dir or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        log, db_path = folder / "access.log", folder / "soak.db"
        rng, t = random.Random(11), 1764460800.0
        times, sizes = [], []
        print(f"{'scan':>5} {'log MB':>8} {'db KB':>8} {'runs':>5} {'findings':>8} {'ms/scan':>8} {'lines read':>10}")
        for number in range(1, args.scans + 1):
            t = append_batch(log, args.batch, t, rng)
            started = time.perf_counter()
            db = open_db(db_path)
            result = LogScan(db, catalogue, formats, workers=1).run([str(log)])
            elapsed = time.perf_counter() - started
            assert result.status == "succeeded", result
            assert result.counts.get("records") == args.batch, result.counts  # incremental: only the new lines
            db.conn.close()
            times.append(elapsed)
            sizes.append(db_bytes(db_path))
            if number % args.every == 0 or number == 1:
                db = open_db(db_path)
                runs = db.execute("select count(*) from runs").fetchone()[0]
                findings = db.execute("select count(*) from findings").fetchone()[0]
                db.conn.close()
                window = times[-args.every:] if number > 1 else times
                print(f"{number:>5} {log.stat().st_size / 1e6:>8.1f} {sizes[-1] / 1024:>8.0f} {runs:>5} {findings:>8} "
                      f"{statistics.mean(window) * 1000:>8.1f} {result.counts.get('records', 0):>10}")
        tenth = max(args.scans // 10, 1)
        first, last = statistics.mean(times[:tenth]), statistics.mean(times[-tenth:])
        growth_first = (sizes[tenth - 1] - sizes[0]) / max(tenth - 1, 1)
        growth_last = (sizes[-1] - sizes[-tenth]) / max(tenth - 1, 1)
        db = open_db(db_path)
        problems = verify_chain(db)
        print(f"time per scan: first {tenth} scans {first * 1000:.1f} ms, last {tenth} {last * 1000:.1f} ms "
              f"(x{last / first:.2f}); db growth per scan: first {growth_first / 1024:.1f} KB, "
              f"last {growth_last / 1024:.1f} KB; run chain: {'ok' if not problems else problems[0]}")


if __name__ == "__main__":
    main()
