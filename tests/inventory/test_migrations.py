"""Schema migrations: an inventory written by an older shadowai opens migrated, its run history still intact."""

import json
import sqlite3

from scanner.inventory.database import SCHEMA_VERSION, open_db, schema_version
from tests.cli.runner import shadowai
from tests.support.findings import add_findings, seen

GRANTS = "t/oauth2PermissionGrants"
UNKNOWN = "unknown-oauth-ai-app"


def grant(subject, location, *, at, app_id="app-gpt", app_name="Meeting Notes GPT", hits=1, **evidence):
    return seen(UNKNOWN, subject, source="entra", location=location, at=at, hits=hits,
                matched_by="oauth-ai-like:name:gpt",
                evidence={**({"app_id": app_id} if app_id else {}), "app_name": app_name, **evidence})


def at_version_1(db_path, *batches):
    """An inventory as shadowai 1 left it: findings written by real runs, then the schema version put back."""
    db = open_db(db_path)
    for findings in batches:
        add_findings(db, findings, module="entra")
    db.conn.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("update meta set value = '1' where key = 'schema_version'")


def rows(db):
    return {(row["subject"], row["location"]): dict(row) for row in db.query(
        "select * from findings order by subject, location")}


def test_old_unknown_app_rows_move_to_their_app_location_and_merge_with_the_new_row(db_path):
    old = [grant("alice@contoso.com", GRANTS, at="2025-05-01T08:00:00Z", hits=3, scopes="Mail.Read"),
           grant("bob@contoso.com", GRANTS, at="2025-05-02T08:00:00Z", app_id=None, app_name="Notes AI"),
           grant("carol@contoso.com", f"{GRANTS}#", at="2025-05-03T08:00:00Z", app_id=None, app_name="Notes AI"),
           seen("fireflies-ai", "dan@contoso.com", source="entra", location=GRANTS, matched_by="oauth")]
    new = [grant("alice@contoso.com", f"{GRANTS}#app-gpt", at="2025-06-01T08:00:00Z", hits=2,
                 scopes="Mail.Read Files.Read.All")]
    at_version_1(db_path, old, new)

    db = open_db(db_path)
    assert schema_version(db) == SCHEMA_VERSION == 2
    found = rows(db)
    assert set(found) == {("alice@contoso.com", f"{GRANTS}#app-gpt"), ("bob@contoso.com", f"{GRANTS}#Notes AI"),
                          ("carol@contoso.com", f"{GRANTS}#Notes AI"), ("dan@contoso.com", GRANTS)}
    alice = found[("alice@contoso.com", f"{GRANTS}#app-gpt")]
    assert alice["hits"] == 5
    assert (alice["first_seen"], alice["last_seen"]) == ("2025-05-01T08:00:00Z", "2025-06-01T08:00:00Z")
    assert (alice["first_run"], alice["last_run"]) == (1, 2)
    assert json.loads(alice["evidence"])["scopes"] == "Mail.Read Files.Read.All"  # the newer row's
    assert found[("bob@contoso.com", f"{GRANTS}#Notes AI")]["hits"] == 1
    verified = shadowai("runs", "--verify", "--db", db_path)
    assert verified.exit_code == 0, verified.output


def test_an_old_row_merged_into_a_newer_row_with_pruned_evidence_keeps_the_old_evidence(db_path):
    at_version_1(db_path, [grant("alice@contoso.com", GRANTS, at="2025-05-01T08:00:00Z", scopes="Mail.Read")],
                 [grant("alice@contoso.com", f"{GRANTS}#app-gpt", at="2025-06-01T08:00:00Z")])
    with sqlite3.connect(db_path) as conn:
        conn.execute("update findings set evidence = null where location like '%#app-gpt'")
    alice = rows(open_db(db_path))[("alice@contoso.com", f"{GRANTS}#app-gpt")]
    assert json.loads(alice["evidence"])["scopes"] == "Mail.Read" and alice["hits"] == 2


def test_an_old_row_whose_evidence_was_pruned_stays_where_it_is(db_path):
    at_version_1(db_path, [grant("alice@contoso.com", GRANTS, at="2025-05-01T08:00:00Z")])
    with sqlite3.connect(db_path) as conn:
        conn.execute("update findings set evidence = null")
    db = open_db(db_path)
    assert list(rows(db)) == [("alice@contoso.com", GRANTS)] and schema_version(db) == 2
