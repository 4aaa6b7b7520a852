"""The evidence bundle: every file listed with its SHA-256, a zip or a fresh folder, the chain check inside."""

import csv
import hashlib
import json
import zipfile

import pytest

from scanner.config.model import Config, Scope, SourceConfig
from scanner.exports.bundle import BundleError, verify_bundle, write_bundle
from scanner.inventory.runs import finish_run, start_run
from tests.support.findings import add_findings, seen

EXPECTED = {"README.md", "inventory.csv", "runs.csv", "coverage-gaps.csv", "sanctions.csv", "risk-register.csv",
            "risk-register.xlsx", "report.html", "catalogue.json", "chain-verification.json", "manifest.json",
            "SHA256SUMS", "scope-drafts/eng-scope-draft.md", "scope-drafts/eng-scope-draft.html",
            "scope-drafts/eng-scope-draft.csv"}
CONFIG = Config(path=None, sources={"logs": SourceConfig("logs", {"paths": ["/var/log/squid/access.log"]})},
                scopes={"eng": Scope("eng"), "ops": Scope("ops")})


@pytest.fixture
def inventory(db, catalogue):
    run_id = add_findings(db, [seen("chatgpt", "ann"), seen("claude", "=cmd|' /C calc'!A0")],
                          gaps=[("/var/log/squid/old.log", "cannot read: Permission denied")])
    run = start_run(db, "discover", catalogue_version=catalogue.version, scope="eng")
    run.add_input(source="logs", runs=[run_id])
    finish_run(run)
    return db


def test_a_folder_bundle_holds_every_file_listed_in_its_manifest(tmp_path, inventory, catalogue):
    folder = tmp_path / "evidence"
    summary = write_bundle(folder, inventory, catalogue, CONFIG)
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert names == EXPECTED  # no draft for 'ops': it was never discovered
    assert verify_bundle(folder) == []
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {entry["path"] for entry in manifest["files"]} == EXPECTED - {"manifest.json", "SHA256SUMS"}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert summary["chain"]["ok"] and summary["drafts"] == [{"scope": "eng", "discover_run": 2}]


def test_the_bundle_carries_runs_with_gaps_and_a_formula_safe_inventory(tmp_path, inventory, catalogue):
    folder = tmp_path / "evidence"
    write_bundle(folder, inventory, catalogue, CONFIG)
    [gap] = list(csv.DictReader((folder / "coverage-gaps.csv").open(encoding="utf-8")))
    assert (gap["run_id"], gap["why"]) == ("1", "cannot read: Permission denied")
    runs = list(csv.DictReader((folder / "runs.csv").open(encoding="utf-8")))
    assert runs[0]["coverage_gap_count"] == "1" and runs[0]["row_hash"] and runs[1]["module"] == "discover"
    subjects = {row["subject"] for row in csv.DictReader((folder / "inventory.csv").open(encoding="utf-8"))}
    assert "'=cmd|' /C calc'!A0" in subjects
    chain = json.loads((folder / "chain-verification.json").read_text(encoding="utf-8"))
    assert chain["ok"] is True and chain["sealed_runs"] == 2


def test_tampering_with_a_file_shows_against_the_manifest(tmp_path, inventory, catalogue):
    folder = tmp_path / "evidence"
    write_bundle(folder, inventory, catalogue, CONFIG)
    with (folder / "inventory.csv").open("a", encoding="utf-8") as handle:
        handle.write("forged,row\n")
    (folder / "extra.txt").write_text("x", encoding="utf-8")
    assert verify_bundle(folder) == ["inventory.csv: SHA-256 differs from the manifest",
                                     "extra.txt: not in the manifest"]


def test_a_zip_bundle_has_the_same_files(tmp_path, inventory, catalogue):
    target = tmp_path / "evidence.zip"
    write_bundle(target, inventory, catalogue, CONFIG)
    with zipfile.ZipFile(target) as archive:
        assert set(archive.namelist()) == EXPECTED
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".shadowai-bundle-")]


def test_a_broken_run_chain_is_reported_in_the_bundle(tmp_path, inventory, catalogue):
    inventory.execute("update runs set counts = '{\"records\": 999}' where id = 1")
    summary = write_bundle(tmp_path / "evidence", inventory, catalogue, CONFIG)
    assert not summary["chain"]["ok"] and "edited" in summary["chain"]["problems"][0]


def test_a_folder_with_other_files_is_refused(tmp_path, inventory, catalogue):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BundleError, match="not an empty folder"):
        write_bundle(tmp_path / "evidence", inventory, catalogue, CONFIG)
