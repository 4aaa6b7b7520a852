"""Scan one repository: clone it if it is remote, walk it, read each file within bounds, run the detectors
that apply, match, and consolidate the findings. Pure with respect to the inventory: it returns a
RepoResult and the caller writes it (so that it can run in a worker process).

Nothing read from the repository reaches an error message: problems are described by file, detector, kind of
exception and line, never by content (a parser's message may quote the line, and the line may hold a key).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from scanner.findings import Finding
from scanner.modules.repo import reading
from scanner.modules.repo.detectors import git_lfs, model_files
from scanner.modules.repo.detectors.agent_configs import agent_config
from scanner.modules.repo.detectors.base import Detection, SourceFile
from scanner.modules.repo.detectors.dispatch import Detectors
from scanner.modules.repo.evidence import Consolidated, finding_for
from scanner.modules.repo.file_pool import scan_in_batches
from scanner.modules.repo.git_clone import CloneError, head_commit, shallow_clone
from scanner.modules.repo.targets import Target
from scanner.modules.repo.walker import RepoFile, WalkStats, walk
from scanner.observations import ModelFile

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher

MiB = 1024 * 1024
LOCK_FILE_FACTOR = 10  # lock files may be this many times --max-file-size: they list every dependency
MAX_GAP_EXAMPLES = 5
BINARY_EXTENSIONS = frozenset(
    ".png .jpg .jpeg .gif .bmp .ico .icns .webp .tif .tiff .psd .svgz .pdf .zip .gz .tgz .bz2 .xz .zst .7z .rar "
    ".tar .jar .war .ear .whl .egg .so .dll .dylib .exe .o .a .lib .obj .class .pyc .pyo .wasm .woff .woff2 .ttf "
    ".otf .eot .mp3 .mp4 .m4a .wav .flac .ogg .webm .mov .avi .mkv .doc .docx .xls .xlsx .ppt .pptx .odt .sqlite "
    ".db .bin .pt .pth .ckpt .safetensors .gguf .ggml .onnx .h5 .hdf5 .keras .tflite .pb .pkl .pickle .joblib "
    ".npy .npz .parquet .arrow .feather .avro .orc .mlmodel .nemo .llamafile".split())


@dataclass(frozen=True)
class ScanOptions:
    max_file_size: int = 5 * MiB
    time_budget: float | None = 900.0  # seconds per repository, clone included; None: no limit
    hash_limit: int = 8 * 1024 * MiB  # model files larger than this are sized but not hashed
    file_workers: int = 1  # processes one repository's files are split across (see file_pool)


@dataclass
class RepoResult:
    subject: str
    kind: str
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # for the run's inputs: commit, files, bytes, seconds

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount


@dataclass
class FileBatch:
    """What scanning a batch of one repository's files gave, merged into its RepoResult in walk order."""
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    too_large: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    cut_off: bool = False  # the time budget ran out, or a stop was requested, before the batch's last file


def describe_error(exc: BaseException) -> str:
    """The kind of problem and where, never the text (parsers quote the offending line)."""
    line = getattr(exc, "lineno", None)
    mark = getattr(exc, "problem_mark", None)
    if line is None and mark is not None:
        line = getattr(mark, "line", -1) + 1
    if line is None:
        found = re.search(r"\bline (\d+)", str(exc)) if isinstance(exc, ValueError) else None
        line = int(found.group(1)) if found else None
    kind = type(exc).__name__
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or kind}"
    return f"cannot parse ({kind}{f' at line {line}' if line else ''})"


def detector_name(detector: Callable) -> str:
    target = getattr(detector, "func", detector)
    name = getattr(target, "__name__", None) or type(target).__name__
    module = getattr(target, "__module__", "") or type(target).__module__
    return f"{module.rsplit('.', 1)[-1]}.{name}"


class RepositoryScanner:
    def __init__(self, matcher: "Matcher", options: ScanOptions, detectors: Detectors | None = None) -> None:
        self.matcher = matcher
        self.options = options
        self.detectors = detectors or Detectors(matcher)

    def scan(self, target: Target, on_file: Callable[[int, int], None] | None = None,
             should_stop: Callable[[], bool] = lambda: False) -> RepoResult:
        started = time.monotonic()
        deadline = started + self.options.time_budget if self.options.time_budget else None
        result = RepoResult(target.subject, target.kind)
        result.details = {"repo": target.subject, "kind": target.kind}
        if not target.is_remote:
            self.scan_tree(Path(target.argument), result, deadline, on_file, should_stop)
        else:
            temporary = tempfile.mkdtemp(prefix="shadowai-repo-")
            try:
                checkout = Path(temporary) / "checkout"
                remaining = (deadline - time.monotonic()) if deadline else 3600.0
                try:
                    shallow_clone(target.argument, checkout, timeout=remaining, auth=target.auth)
                except CloneError as exc:
                    result.errors.append((target.subject, str(exc)))
                    result.gaps.append((target.subject, f"not scanned: {exc}"))
                    result.count("clone_failures")
                else:
                    self.scan_tree(checkout, result, deadline, on_file, should_stop)
            finally:
                shutil.rmtree(temporary, ignore_errors=True)
        result.details["seconds"] = round(time.monotonic() - started, 3)
        return result

    def scan_tree(self, root: Path, result: RepoResult, deadline: float | None,
                  on_file: Callable[[int, int], None] | None, should_stop: Callable[[], bool]) -> None:
        result.details["commit"] = head_commit(root)
        result.count("repositories")
        stats = WalkStats()
        consolidated = Consolidated()
        too_large: list[str] = []
        unreadable: list[str] = []
        over_budget = (lambda: time.monotonic() > deadline) if deadline else (lambda: False)

        def out_of_time() -> bool:
            return over_budget() or should_stop()

        files_seen = bytes_seen = 0
        cut_off = False
        files = walk(str(root), stats, should_stop=out_of_time)
        try:
            for batch in scan_in_batches(self, result.subject, files, out_of_time,
                                         workers=self.options.file_workers):
                files_seen += batch.files
                bytes_seen += batch.bytes
                cut_off = cut_off or batch.cut_off
                for finding in batch.findings:
                    consolidated.add(finding)
                for name, amount in batch.counts.items():
                    result.count(name, amount)
                result.errors += batch.errors
                too_large += batch.too_large
                unreadable += batch.unreadable
                if on_file is not None:
                    on_file(batch.files, batch.bytes)
        except BrokenExecutor:  # a worker killed (out of memory, a signal): what was scanned is kept
            result.errors.append((result.subject, "a worker process ended unexpectedly"))
            result.gaps.append((result.subject, f"a worker process ended unexpectedly after {files_seen} files; "
                                                "the rest of the repository was not scanned"))
            result.count("repositories_cut_off")
        if cut_off or stats.stopped:
            why = "the scan was stopped" if should_stop() else \
                f"time budget of {self.options.time_budget:g}s reached"
            result.gaps.append((result.subject, f"{why} after {files_seen} files; the rest of the repository "
                                                "was not scanned"))
            result.count("repositories_cut_off")
        for relative, message in stats.unreadable:
            unreadable.append(relative)
            result.errors.append((f"{result.subject}:{relative}", message))
        self.add_gap(result, unreadable, "file(s) or folder(s) could not be read")
        self.add_gap(result, too_large, f"text file(s) larger than {self.options.max_file_size} bytes were not "
                                        "read (raise --max-file-size)")
        result.findings = consolidated.findings()
        result.count("files", files_seen)
        result.count("bytes", bytes_seen)
        result.count("symlinks_skipped", stats.symlinks_skipped)
        result.count("special_files_skipped", stats.special_skipped)
        result.count("findings", len(consolidated))
        result.details.update(files=files_seen, bytes=bytes_seen)

    def scan_files(self, subject: str, files: list[RepoFile], out_of_time: Callable[[], bool]) -> FileBatch:
        """Scan some of a repository's files (in the parent, or in a worker process) and match what they hold."""
        partial = RepoResult(subject, "")
        batch = FileBatch()
        for file in files:
            if out_of_time():
                batch.cut_off = True
                break
            batch.files += 1
            try:
                detections, size = self.scan_file(file, partial, batch.too_large, out_of_time)
                batch.bytes += size
            except OSError as exc:
                batch.unreadable.append(file.relative)
                partial.errors.append((f"{subject}:{file.relative}", describe_error(exc)))
                continue
            for detection in detections:
                finding = finding_for(detection, self.matcher, file.tags)
                if finding is not None:
                    batch.findings.append(finding)
        batch.counts, batch.errors = partial.counts, partial.errors
        return batch

    @staticmethod
    def add_gap(result: RepoResult, paths: list[str], why: str) -> None:
        if paths:
            examples = ", ".join(paths[:MAX_GAP_EXAMPLES]) + (", …" if len(paths) > MAX_GAP_EXAMPLES else "")
            result.gaps.append((result.subject, f"{len(paths)} {why}: {examples}"))

    def scan_file(self, file: RepoFile, result: RepoResult, too_large: list[str],
                  out_of_time: Callable[[], bool]) -> tuple[list[Detection], int]:
        """What one file holds, and its size."""
        agent = agent_config(result.subject, file.relative)
        detections = [agent] if agent is not None else []
        plan = self.detectors.for_file(file.relative, file.name)
        limit = self.options.max_file_size * (LOCK_FILE_FACTOR if plan.lock_file else 1)
        extension = file.name[file.name.rfind("."):].lower() if "." in file.name else ""
        wants_text = bool(plan.detectors) and extension not in BINARY_EXTENSIONS
        # One read tells whether a text file is within the limit (a byte more is asked for) and gives its size;
        # only a file read in part (a header, or text over the limit) needs its size asked for separately.
        wanted = limit + 1 if wants_text else model_files.MAGIC_PROBE
        data = reading.read_prefix(file.path, wanted)
        whole = wants_text and len(data) <= limit
        if file.size >= 0:
            size = file.size
        elif len(data) < wanted:
            size = len(data)
        else:
            size = os.stat(file.path, follow_symlinks=False).st_size
        header = data[:model_files.MAGIC_PROBE]
        if git_lfs.is_pointer(header):
            result.count("lfs_pointers")
            pointer = git_lfs.pointer_model(result.subject, file.relative, data)
            return detections + ([pointer] if pointer else []), size
        model = model_files.model_format(header, file.name, size)
        if model is not None:
            result.count("model_files")
            sha256 = model_files.sha256_of(file.path, size, limit=self.options.hash_limit, should_stop=out_of_time)
            detections.append(Detection(ModelFile(file.relative, model[0], size, sha256, result.subject), model[1]))
            return detections, size
        if not wants_text:
            result.count("files_header_only")
            return detections, size
        detectors = plan.detectors
        prefilter = self.detectors.prefilter
        if whole and prefilter is not None:
            candidates = prefilter.scan(data)
            if not candidates.kinds and not plan.always:
                result.count("files_without_candidates")  # no catalogue literal: no content finding possible
                return detections, size
            detectors = self.detectors.narrow(plan, candidates.kinds, candidates.secret_rules)
        if reading.looks_binary(data):
            result.count("binary_files")
            return detections, size
        if not whole:  # text, as far as its start shows, but over the limit: not searched
            too_large.append(file.relative)
            result.count("files_too_large")
            return detections, size
        text = reading.decode_text(data)
        if text is None:
            result.count("files_not_utf8")
            return detections, size
        result.count("text_files")
        source = SourceFile(result.subject, file.relative, file.name, text)
        for detector in detectors:
            try:
                for detection in detector(source):
                    detections.append(detection)
            except Exception as exc:  # noqa: BLE001 — any parser's error (json, tomllib, yaml, configparser…)
                result.count("parse_errors")
                result.errors.append((f"{result.subject}:{file.relative}",
                                      f"{detector_name(detector)}: {describe_error(exc)}"))
        return detections, size
