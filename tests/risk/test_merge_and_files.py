"""Register files (CSV and XLSX) and the merge that keeps what the risk owner wrote."""

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook

from scanner.risk.files import GUIDE_SHEET, SHEET, RegisterFileError, read_register, write_register
from scanner.risk.merge import merge
from scanner.risk.register import REGISTER_COLUMNS, build_register
from tests.support.findings import add_findings, seen

TODAY = dt.date(2025, 12, 1)
LATER = dt.date(2026, 1, 15)


def fresh(db, catalogue):
    return build_register(db, catalogue, today=TODAY)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_register_round_trips_through_its_file(tmp_path, db, catalogue, suffix):
    add_findings(db, [seen("chatgpt", "ann"), seen("claude", "bob")])
    rows = fresh(db, catalogue)
    path = tmp_path / f"register.{suffix}"
    write_register(path, rows, REGISTER_COLUMNS)
    read, columns = read_register(path)
    assert columns == REGISTER_COLUMNS
    assert [r["risk_id"] for r in read] == [r["risk_id"] for r in rows]
    assert str(read[0]["inherent_score"]) == str(rows[0]["inherent_score"])


def test_xlsx_keeps_numbers_as_numbers_and_neutralises_formulas(tmp_path, db, catalogue):
    add_findings(db, [seen("chatgpt", "ann")])
    rows = fresh(db, catalogue)
    rows[0]["notes"] = '=HYPERLINK("http://evil.example","x")'
    rows[0]["residual_score"] = "6"
    path = tmp_path / "register.xlsx"
    write_register(path, rows, REGISTER_COLUMNS)
    book = load_workbook(path)
    assert book.sheetnames == [SHEET, GUIDE_SHEET]
    sheet = book[SHEET]
    values = dict(zip([c.value for c in sheet[1]], [c for c in sheet[2]]))
    assert values["notes"].value.startswith("'=") and values["notes"].data_type == "s"
    assert values["likelihood"].data_type == "n" and values["residual_score"].value == 6
    assert sheet.auto_filter.ref and sheet.freeze_panes == "B2"


def test_csv_cells_are_formula_safe(tmp_path, db, catalogue):
    add_findings(db, [seen("chatgpt", "ann")])
    rows = fresh(db, catalogue)
    rows[0]["owner"] = "@SUM(1+1)"
    path = tmp_path / "register.csv"
    write_register(path, rows, REGISTER_COLUMNS)
    [row] = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert row["owner"] == "'@SUM(1+1)"


def test_merge_keeps_human_columns_adds_new_risks_and_dates_the_ones_gone(db, catalogue):
    add_findings(db, [seen("chatgpt", "ann"), seen("claude", "bob")])
    old = fresh(db, catalogue)
    for row in old:
        row.update(owner="risk@example.com", treatment="DPA signed", status="treating", residual_score=4,
                   notes="reviewed", board_ref="B-7")
    manual = {"risk_id": "", "service_name": "Vendor chatbot on website", "notes": "added by hand"}
    old_gone = dict(old[0], risk_id="AIR-retired-tool", service_id="retired-tool")
    db.execute("delete from findings where service_id = 'claude'")
    add_findings(db, [seen("perplexity", "cy")])
    merged, columns = merge(old + [old_gone, manual], REGISTER_COLUMNS + ["board_ref"], fresh(db, catalogue), LATER)
    by_id = {row["risk_id"]: row for row in merged}
    assert columns[-1] == "board_ref"
    chatgpt = by_id["AIR-chatgpt"]
    assert (chatgpt["owner"], chatgpt["treatment"], chatgpt["status"], chatgpt["residual_score"], chatgpt["notes"],
            chatgpt["board_ref"], chatgpt["no_longer_seen"]) == ("risk@example.com", "DPA signed", "treating", 4,
                                                                  "reviewed", "B-7", "")
    assert by_id["AIR-claude"]["no_longer_seen"] == "2026-01-15" and by_id["AIR-claude"]["owner"] == "risk@example.com"
    assert by_id["AIR-retired-tool"]["no_longer_seen"] == "2026-01-15"
    assert by_id["AIR-perplexity"]["status"] == "new"
    assert manual in merged
    assert [row["risk_id"] for row in merged][:2] == [old[0]["risk_id"], old[1]["risk_id"]]  # owner's order kept


def test_a_risk_seen_again_loses_its_no_longer_seen_date(db, catalogue):
    add_findings(db, [seen("chatgpt", "ann")])
    old = [dict(fresh(db, catalogue)[0], no_longer_seen="2025-10-01")]
    merged, _ = merge(old, REGISTER_COLUMNS, fresh(db, catalogue), LATER)
    assert merged[0]["no_longer_seen"] == ""


def test_an_unreadable_register_is_refused(tmp_path):
    bad = tmp_path / "register.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(RegisterFileError, match="cannot read the register"):
        read_register(bad)
    with pytest.raises(RegisterFileError, match=".csv or .xlsx"):
        read_register(tmp_path / "register.ods")
