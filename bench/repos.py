"""Benchmark `shadowai scan repo` against ripgrep searching the same tree for the catalogue's literals.

Builds a tree of --files files (default 50,000: Python, JavaScript/TypeScript, Go, Java, C#, Ruby, C, shell,
Markdown, JSON, YAML, HTML, CSS, images; manifests in every project; a few hundred AI uses: SDK imports,
endpoints, env var names, dependencies, an inference container, model files, an agent config), then times on
the same tree, with a warm page cache:
  reference: rg --no-config -uuu -F -c -f literals.txt TREE
             (the catalogue's literal strings as it writes them: package and import names, hosts, env var
             names, images, IaC types, API-key keywords; -uuu: hidden and ignored files too, as the scan reads
             them. Case-sensitive: with -i and thousands of literals rg leaves its literal search for a slower
             automaton and takes about ten times as long, which would flatter the ratio.)
  shadowai:  shadowai scan repo TREE --db fresh.db --quiet
Each is run --repeat times, alternately; the median wall time counts. Prints both times, their CPU time (user +
sys), the ratio shadowai/rg, the best of the runs too (on a shared machine the median follows the other load),
the load average, and shadowai's peak RSS (largest process, and the process tree summed). shadowai runs with
its bytecode compiled, as an installed package does (a warm-up scan writes it).

    python bench/repos.py                       # 50,000 files, in a temporary folder
    python bench/repos.py --tree /tmp/tree --files 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.catalogue import load_catalogue  # noqa: E402
from scanner.modules.repo.detectors.prefilter import PLACEHOLDER  # noqa: E402

WORDS = ("account order invoice customer report widget config cache buffer session record stream packet queue "
         "worker event handler router schema table column index value result status message payload request "
         "response client server store model view layout render parse format encode decode filter sort merge "
         "split batch retry timeout limit offset cursor page token user group role policy audit metric trace "
         "span region zone bucket object file path folder entry item list map set tree node edge graph").split()

# (extension, share of the tree) — roughly a polyglot monorepo
KINDS = [(".py", 18), (".ts", 10), (".js", 8), (".go", 8), (".java", 7), (".cs", 4), (".rb", 3), (".c", 3),
         (".h", 2), (".sh", 2), (".md", 7), (".json", 6), (".yaml", 5), (".html", 3), (".css", 3), (".txt", 2),
         (".png", 4), (".svg", 1), (".xml", 2), (".sql", 2)]

# Lines that use AI, per extension: what a code base that calls AI APIs contains.
AI_LINES = {
    ".py": ["from openai import OpenAI", "import anthropic", "from langchain_openai import ChatOpenAI",
            'API = "https://api.mistral.ai/v1/chat/completions"', 'key = os.environ["OPENAI_API_KEY"]',
            "import google.generativeai as genai", "from huggingface_hub import InferenceClient"],
    ".ts": ['import OpenAI from "openai";', 'import Anthropic from "@anthropic-ai/sdk";',
            'const url = "https://api.groq.com/openai/v1/chat/completions";', "const k = process.env.COHERE_API_KEY;"],
    ".js": ['const OpenAI = require("openai");', 'fetch("https://api.anthropic.com/v1/messages")',
            'import { GoogleGenerativeAI } from "@google/generative-ai";'],
    ".go": ['import openai "github.com/sashabaranov/go-openai"', 'const api = "https://api.openai.com/v1/embeddings"'],
    ".java": ["import com.azure.ai.openai.OpenAIClient;", 'String url = "https://api.cohere.ai/v1/generate";'],
    ".cs": ["using Azure.AI.OpenAI;", 'var endpoint = new Uri("https://acme.openai.azure.com/");'],
    ".yaml": ["  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}", "  base_url: https://api.deepseek.com/v1"],
    ".json": ['  "endpoint": "https://api.perplexity.ai/chat/completions",'],
}


def code_line(rng: random.Random, extension: str, n: int) -> str:
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    if extension == ".py":
        return rng.choice([f"def {a}_{b}_{n}(self, {c}):", f"    return self.{a}.{b}({c}, limit={n})",
                           f"    {a}_{c} = [{b} for {b} in {c}s if {b}.{a}]", f"# {a} the {b} before the {c}"])
    if extension in (".ts", ".js"):
        return rng.choice([f"export function {a}{b.title()}{n}({c}) {{", f"  const {a} = {c}.{b}({n});",
                           f"  return {a}.map(({b}) => {b}.{c});", f"// {a} the {b} before the {c}", "}"])
    if extension == ".go":
        return rng.choice([f"func {a.title()}{b.title()}{n}({c} string) error {{", f"\t{a} := {c}.{b.title()}()",
                           f"\treturn fmt.Errorf(\"{a} {b}: %w\", err)", f"// {a.title()} the {b} before the {c}", "}"])
    if extension in (".java", ".cs"):
        return rng.choice([f"    public {a.title()} {b}{n}({c.title()} {c}) {{", f"        var {a} = {c}.{b}();",
                           f"        return {a}.{b}({n});", f"    // {a} the {b} before the {c}", "    }"])
    if extension in (".c", ".h"):
        return rng.choice([f"static int {a}_{b}_{n}(struct {c} *{c}) {{", f"    {c}->{a} = {b}({n});",
                           f"    return {a}_{c}({c});", f"/* {a} the {b} before the {c} */", "}"])
    if extension == ".rb":
        return rng.choice([f"def {a}_{b}_{n}({c})", f"  @{a} = {c}.{b}({n})", f"# {a} the {b}", "end"])
    if extension == ".sh":
        return rng.choice([f"{a.upper()}_{n}=\"${{{c.upper()}:-{b}}}\"", f"echo \"{a} {b} {c}\"", f"# {a} the {b}"])
    if extension == ".md":
        return rng.choice([f"The {a} sends the {b} to the {c} after {n} tries.", f"## {a.title()} {b}",
                           f"- `{a}_{b}`: the {c}", ""])
    if extension == ".json":
        return f'  "{a}_{b}_{n}": {{"{c}": {n}, "enabled": true}},'
    if extension == ".yaml":
        return rng.choice([f"{a}_{b}_{n}:", f"  {c}: {n}", f"  {a}: {b}-{c}", f"# {a} the {b}"])
    if extension == ".html":
        return rng.choice([f'<div class="{a}-{b}" id="{c}{n}">{a} {b}</div>', f"<p>{a} the {b} {c}</p>"])
    if extension == ".css":
        return rng.choice([f".{a}-{b} {{ margin: {n % 16}px; }}", f"#{c}{n} {{ color: #{n % 4096:03x}; }}"])
    if extension == ".xml":
        return f'  <{a} name="{b}" value="{c}{n}"/>'
    if extension == ".sql":
        return rng.choice([f"SELECT {a}, {b} FROM {c} WHERE id = {n};", f"-- {a} the {b}"])
    return f"{a} {b} {c} {n}"


def text_file(rng: random.Random, extension: str) -> str:
    lines = int(min(rng.lognormvariate(3.9, 0.9), 1500))  # median ~50 lines, a long tail
    return "\n".join(code_line(rng, extension, n) for n in range(lines)) + "\n"


def png_file(rng: random.Random) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(rng.randint(200, 6000)))


MANIFESTS = {
    "requirements.txt": ["fastapi==0.115.0", "pydantic==2.9.2", "sqlalchemy==2.0.35", "httpx==0.27.2"],
    "package.json": None,
    "go.mod": None,
}
AI_DEPENDENCIES = {"requirements.txt": ["openai==1.51.0", "anthropic==0.36.0", "langchain==0.3.3"],
                   "package.json": ["openai", "@anthropic-ai/sdk", "ai"],
                   "go.mod": ["github.com/sashabaranov/go-openai v1.32.0"]}


def manifest(rng: random.Random, name: str, with_ai: bool) -> str:
    if name == "requirements.txt":
        return "\n".join(MANIFESTS[name] + (rng.sample(AI_DEPENDENCIES[name], 2) if with_ai else [])) + "\n"
    if name == "package.json":
        deps = {"express": "^4.21.0", "react": "^18.3.1", "lodash": "^4.17.21"}
        if with_ai:
            deps.update({package: "^4.0.0" for package in rng.sample(AI_DEPENDENCIES[name], 2)})
        return json.dumps({"name": f"app-{rng.randint(0, 9999)}", "version": "1.0.0", "dependencies": deps},
                          indent=2) + "\n"
    requires = ["github.com/gin-gonic/gin v1.10.0", "golang.org/x/sync v0.8.0"]
    if with_ai:
        requires += AI_DEPENDENCIES[name]
    return "module example.com/app\n\ngo 1.22\n\nrequire (\n" + "".join(f"\t{r}\n" for r in requires) + ")\n"


def build_tree(root: Path, files: int, seed: int = 11, ai_uses: int = 300) -> dict[str, int]:
    rng = random.Random(seed)
    extensions = [e for e, share in KINDS for _ in range(share)]
    projects = max(1, files // 1000)
    folders = ["src", "src/core", "src/api", "src/util", "lib", "internal/store", "internal/http", "tests",
               "tests/unit", "docs", "examples", "config", "scripts", "web/static", "web/components"]
    written = {"files": 0, "ai_uses": 0, "bytes": 0}
    paths: list[tuple[Path, str]] = []
    ai_projects = set(rng.sample(range(projects), max(1, projects // 3)))

    def put(path: Path, content: str | bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        path.write_bytes(data)
        written["files"] += 1
        written["bytes"] += len(data)

    for project in range(projects):
        base = root / f"service-{project:03d}"
        for name in MANIFESTS:
            put(base / name, manifest(rng, name, project in ai_projects))
        written["ai_uses"] += 3 if project in ai_projects else 0
        if project % 10 == 0:
            put(base / "Dockerfile", "FROM ollama/ollama:0.3.12\n" if project in ai_projects
                else "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n")
        if project == 0:
            put(base / ".cursorrules", "Prefer small functions.\n")
            put(base / "models" / "tiny.gguf", b"GGUF" + struct.pack("<I", 3) + bytes(4096))
            written["ai_uses"] += 2
    budget = files - written["files"]
    for index in range(budget):
        extension = rng.choice(extensions)
        folder = rng.choice(folders)
        path = root / f"service-{index % projects:03d}" / folder / f"{rng.choice(WORDS)}_{index}{extension}"
        paths.append((path, extension))
    candidates = [i for i, (_, extension) in enumerate(paths) if extension in AI_LINES]
    with_ai = set(rng.sample(candidates, min(ai_uses - written["ai_uses"], len(candidates))))
    for index, (path, extension) in enumerate(paths):
        if extension == ".png":
            put(path, png_file(rng))
            continue
        if extension == ".svg":
            put(path, f'<svg xmlns="http://www.w3.org/2000/svg"><rect width="{index % 90}"/></svg>\n')
            continue
        text = text_file(rng, extension)
        if index in with_ai:
            lines = text.split("\n")
            lines.insert(rng.randint(0, len(lines)), rng.choice(AI_LINES[extension]))
            text = "\n".join(lines)
            written["ai_uses"] += 1
        put(path, text)
    return written


def reference_literals(path: Path) -> int:
    """The strings rg searches for, as the catalogue writes them: package and import names, env var names,
    container images, IaC resource types, hosts (domains, URL-rule hosts, the longest literal run of each host
    pattern) and API-key keywords."""
    catalogue = load_catalogue()
    literals: set[str] = set()

    def names(value) -> list[str]:
        if isinstance(value, dict):
            return [name for item in value.values() for name in names(item)]
        return [str(item) for item in value] if isinstance(value, list) else []

    for service in catalogue.services.values():
        detection = service.detection
        for kind in ("packages", "imports", "iac", "env_vars", "containers", "domains"):
            for name in names(detection.get(kind, [])):
                literals.add((name.split(":", 1)[1] if kind == "packages" and ":" in name else name).strip("*/"))
        literals.update(rule["host"] for rule in detection.get("url_paths", ()))
        for pattern in detection.get("host_patterns", ()):
            runs = [run for run in PLACEHOLDER.split(pattern) if run.strip(".-")]
            if runs:
                literals.add(max(runs, key=len))
        for rule in detection.get("secrets", ()):
            literals.update(rule.get("keywords", ()))
    clean = sorted({literal for literal in literals if literal.isprintable() and literal.strip(" *./")})
    path.write_text("\n".join(clean) + "\n", encoding="utf-8")
    return len(clean)


class TreeRss:
    """Peak resident memory of a process and its descendants, sampled from /proc every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_total = self.peak_single = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def descendants(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                        parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(parent, []).append(int(entry))
        found, stack = [], [self.pid]
        while stack:
            pid = stack.pop()
            found.append(pid)
            stack += children.get(pid, [])
        return found

    @staticmethod
    def rss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def sample(self) -> None:
        while not self.done.wait(0.02):
            sizes = [self.rss(pid) for pid in self.descendants()]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_single = max([self.peak_single, *sizes])

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def timed(command: list[str], *, measure_rss: bool = False, env: dict[str, str] | None = None
          ) -> tuple[float, float, TreeRss | None]:
    """Wall seconds, CPU seconds (user + sys of the command and its children), and the RSS sampler."""
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    sampler = TreeRss(process.pid) if measure_rss else None
    out, err = process.communicate()
    wall = time.perf_counter() - start
    if sampler:
        sampler.stop()
    after = os.times()
    if process.returncode not in (0, 1):  # rg exits 1 when nothing matched
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {err.decode(errors='replace')[-500:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, sampler


def burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def effective_cores(n: int = 5_000_000) -> float:
    """How many CPUs this machine gives right now: one busy loop alone, then one per CPU at once (a shared
    or loaded machine gives fewer than it has, and then no parallel program can use them all)."""
    import multiprocessing

    start = time.perf_counter()
    burn(n)
    alone = time.perf_counter() - start
    cpus = os.cpu_count() or 1
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(cpus) as pool:
        pool.map(burn, [n] * cpus)
    return cpus * alone / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--tree", default=None, help="where to build the tree (reused when it is there)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="passed to shadowai scan repo --jobs")
    args = parser.parse_args()
    rg = shutil.which("rg")
    if rg is None:
        raise SystemExit("ripgrep is not installed (Debian: apt-get install -y ripgrep)")
    workdir = Path(tempfile.mkdtemp(prefix="shadowai-bench-repos-"))
    tree = Path(args.tree) if args.tree else workdir / "tree"
    marker = tree / ".bench-tree.json"
    if marker.is_file() and json.loads(marker.read_text())["files"] == args.files:
        built = json.loads(marker.read_text())
    else:
        shutil.rmtree(tree, ignore_errors=True)
        started = time.perf_counter()
        built = build_tree(tree, args.files)
        marker.write_text(json.dumps(built))
        print(f"built {tree}: {built['files']:,} files, {built['bytes'] / 1e6:,.0f} MB, {built['ai_uses']} AI uses "
              f"({time.perf_counter() - started:.0f} s)")
    literals = workdir / "literals.txt"
    count = reference_literals(literals)
    shadowai = shutil.which("shadowai") or str(Path(sys.executable).parent / "shadowai")
    rg_command = [rg, "--no-config", "-uuu", "-F", "-c", "-f", str(literals), str(tree)]
    subprocess.run(rg_command, stdout=subprocess.DEVNULL, check=False)  # warm the page cache
    # As installed: with the package's bytecode (a development shell may set PYTHONDONTWRITEBYTECODE, and then
    # every start compiles the whole CLI again). One warm-up scan writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    (workdir / "warm-up").mkdir()
    timed([shadowai, "scan", "repo", str(workdir / "warm-up"), "--db", str(workdir / "warm-up.db"), "-q"], env=env)
    free_before = effective_cores()
    rg_runs, scan_runs, samplers = [], [], []
    for attempt in range(args.repeat):
        rg_runs.append(timed(rg_command)[:2])
        db = workdir / f"bench-{attempt}.db"
        command = [shadowai, "scan", "repo", str(tree), "--db", str(db), "--quiet"]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        wall, cpu, sampler = timed(command, measure_rss=True, env=env)
        scan_runs.append((wall, cpu))
        samplers.append(sampler)
    with __import__("sqlite3").connect(workdir / "bench-0.db") as conn:
        findings = conn.execute("select count(*), count(distinct service_id) from findings").fetchone()
    rg_wall = statistics.median(w for w, _ in rg_runs)
    scan_wall = statistics.median(w for w, _ in scan_runs)
    rg_cpu = statistics.median(c for _, c in rg_runs)
    scan_cpu = statistics.median(c for _, c in scan_runs)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"tree: {built['files']:,} files, {built['bytes'] / 1e6:,.0f} MB, {built['ai_uses']} AI uses; "
          f"{os.cpu_count()} CPUs ({free_before:.1f} free before the runs, {effective_cores():.1f} after; load "
          f"average {load}); median of {args.repeat} runs")
    print(f"rg -F -f ({count:,} literals):   {rg_wall:6.2f} s wall  {rg_cpu:6.2f} s CPU")
    print(f"shadowai scan repo:            {scan_wall:6.2f} s wall  {scan_cpu:6.2f} s CPU  "
          f"({findings[0]} findings of {findings[1]} services)")
    print(f"ratio shadowai/rg: {scan_wall / rg_wall:.2f}x wall (target <= 3x), {scan_cpu / rg_cpu:.2f}x CPU")
    rg_best, scan_best = min(w for w, _ in rg_runs), min(w for w, _ in scan_runs)
    print(f"best of {args.repeat}: rg {rg_best:.2f} s, shadowai {scan_best:.2f} s wall: {scan_best / rg_best:.2f}x")
    print(f"peak RSS: {max(s.peak_single for s in samplers) / 1e6:,.0f} MB largest process, "
          f"{max(s.peak_total for s in samplers) / 1e6:,.0f} MB all processes (target < 300 MB)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
