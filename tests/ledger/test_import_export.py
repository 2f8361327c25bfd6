"""The ledger import/export (issue 2; formula neutralisation of issue 6)."""

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from desktop_app.ledger.columns import (
    BY_HEADER,
    CellError,
    convert_cell,
    neutralise,
    unneutralise,
)
from desktop_app.ledger.importer import read_table
from desktop_app.services import applications, report
from desktop_app.services.demo import fill_demo
from desktop_app.services.ledger import (
    COLUMNS,
    ImportCancelled,
    LedgerFileError,
    LedgerImportError,
    export_ledger,
    import_ledger,
    write_template,
)
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[2]

HEADER = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "证件号码", "联系电话", "通信地址",
          "电子邮箱", "申请内容", "答复日期", "办理结果", "结果细项", "备注"]
ROWS = [
    ["2026-0001", "2026-03-05", "网络", "自然人", "张某某", "11010519491231002X", "13812345678",
     "某某区某某路1号", "zhang@example.com", "老旧小区改造项目立项批复", "2026-03-20", "予以公开", "", ""],
    ["", "2026/3/9", "信函", "商业企业", "某某科技有限公司", "91430112MA4L0XXX1Q", "0731-88001234",
     "", "", "某地块规划许可证", "2026年4月1日", "（三）不予公开", "4.保护第三方合法权益", "第三方不同意"],
    ["", "2026年10月9日", "当面", "其他组织", "某某小区业主委员会", "", "", "", "",
     "加装电梯财政补贴发放情况", "", "", "", "办理中"],
]


def uscc(first17):
    from desktop_app.domain.validation import uscc_check_char
    return first17 + uscc_check_char(first17)


ROWS[1][5] = uscc("91430112MA4L0XXX1")


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def rows_of(register):
    return [a.replace(id=0, created_at=None, updated_at=None)
            for a in sorted(applications.all_applications(register), key=lambda a: a.serial)]


def test_cell_conversion_is_lenient():
    rec = {}
    convert_cell(BY_HEADER["收到日期"], "2026/3/5", rec)
    assert rec["receipt_date"] == "2026-03-05"
    convert_cell(BY_HEADER["收到日期"], dt.datetime(2026, 3, 5, 0, 0), rec)
    assert rec["receipt_date"] == "2026-03-05"
    convert_cell(BY_HEADER["收到日期"], 46086, rec)  # an Excel serial in a number cell
    assert rec["receipt_date"] == "2026-03-05"
    convert_cell(BY_HEADER["申请人类型"], "其他组织", rec)
    assert (rec["applicant_type"], rec["org_kind"]) == ("organisation", "other")
    convert_cell(BY_HEADER["申请人类型"], " 法律服务机构 ", rec)
    assert rec["org_kind"] == "legal_services"
    convert_cell(BY_HEADER["申请方式"], "网上", rec)
    assert rec["channel"] == "online"
    convert_cell(BY_HEADER["办理结果"], "（五）不予处理", rec)
    assert rec["outcome"] == "not_processed"
    convert_cell(BY_HEADER["办理结果"], "同意公开", rec)  # a clerk's own word
    assert rec["outcome"] == "disclosed"
    with pytest.raises(CellError, match="办理结果“准予”无法对应"):
        convert_cell(BY_HEADER["办理结果"], "准予", rec)
    with pytest.raises(CellError, match="申请人类型“公司法人”无法识别"):
        convert_cell(BY_HEADER["申请人类型"], "公司法人", rec)
    convert_cell(BY_HEADER["收到日期"], "46086", rec)  # a serial date saved as text
    assert rec["receipt_date"] == "2026-03-05"
    with pytest.raises(CellError, match="不是有效日期"):
        convert_cell(BY_HEADER["答复日期"], "2026-02-30", rec)
    with pytest.raises(CellError, match="保存成了数字"):
        convert_cell(BY_HEADER["证件号码"], 110105194912310020, rec)
    with pytest.raises(CellError, match="科学计数"):  # what Excel leaves in a CSV
        convert_cell(BY_HEADER["证件号码"], "1.10105E+17", rec)
    with pytest.raises(CellError, match="科学计数"):
        convert_cell(BY_HEADER["联系电话"], "1.38123E+10", rec)


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-3号", "@SUM(A1)", "\t=1", "\r=1", "'=x", "''", "'", "'a", "a=b", ""])
def test_neutralise_round_trip(value):
    out = neutralise(value)
    assert out[:1] not in ("=", "+", "-", "@")
    assert unneutralise(out) == value


def test_gbk_csv_import(register, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", ROWS, encoding="gbk")
    summary = import_ledger(register, path, today=TODAY)
    assert (summary.added, summary.updated, summary.unchanged) == (3, 0, 0)
    apps = rows_of(register)
    assert [a.serial for a in apps] == ["2026-0001", "2026-0002", "2026-0003"]
    second = apps[1]
    assert second.applicant_name == "某某科技有限公司"
    assert (second.applicant_type, second.org_kind, second.id_type) == (
        "organisation", "business", "uscc")
    assert (second.outcome, second.outcome_reason, second.status) == ("withheld", 4, "closed")
    assert second.reply_date == "2026-04-01"
    third = apps[2]
    assert third.receipt_date == "2026-10-09" and third.status != "closed"
    assert apps[0].id_type == "resident_id"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "utf-16"])
def test_csv_in_each_chinese_encoding_imports_every_row(register, tmp_path, encoding):
    path = write_csv(tmp_path / "x.csv", ROWS, encoding=encoding)
    assert import_ledger(register, path, today=TODAY).added == 3
    assert rows_of(register)[0].applicant_name == "张某某"


def test_xlsx_with_real_date_cells_and_title_row(register, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["望城区2026年依申请公开台账"])
    ws.append(HEADER)
    for row in ROWS:
        row = list(row)
        row[1] = dt.datetime.fromisoformat(
            {"2026/3/9": "2026-03-09", "2026年10月9日": "2026-10-09"}.get(row[1], row[1]))
        ws.append(row)
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    summary = import_ledger(register, path, today=TODAY)
    assert summary.added == 3
    assert [a.receipt_date for a in rows_of(register)] == ["2026-03-05", "2026-03-09", "2026-10-09"]


def test_bad_rows_import_nothing_and_are_all_listed(register, tmp_path):
    rows = [list(r) for r in ROWS] + [
        ["", "2026-05-01", "网络", "自然人", "李某", "110105194912310021", "", "", "", "内容", "", "", "", ""],
        ["", "2027-01-01", "网络", "公司法人", "", "", "12", "", "", "", "", "", "", ""],
        ["2026-0001", "2026-05-02", "", "自然人", "王某", "", "", "", "", "内容", "", "", "", ""],
        ["", "2026-05-03", "", "自然人", "赵某", "", "", "", "", "内容", "2026-05-20", "不予公开", "重复申请", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(LedgerImportError) as info:
        import_ledger(register, path, today=TODAY)
    problems = {p.row: p.message for p in info.value.problems}
    assert set(problems) == {6, 7}
    assert "申请人类型" in problems[6] and "公司法人" in problems[6]
    assert "申请编号 2026-0001 与第2行重复" in problems[7]
    # Old mistakes are warnings (the row would be imported, flagged 待核实), listed beside the errors.
    warnings = {p.row: p.message for p in info.value.review}
    assert set(warnings) == {5, 8}
    assert "校验位" in warnings[5]
    assert "不是“不予公开”的细项" in warnings[8] and "4.保护第三方合法权益" in warnings[8]
    assert applications.count(register) == 0
    assert register.store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    # Every fault of a row is named at once.
    message = problems[6]
    assert "收到日期不能晚于今天" in message and "申请人" in message and "申请内容" in message


def test_organisation_kind_in_its_own_column(register, tmp_path):
    header = HEADER + ["组织类别"]
    rows = [r + [""] for r in ROWS]
    rows[1][3], rows[1][14] = "法人或其他组织", "法律服务机构"
    rows[2][14] = "商业企业"
    rows[2][3] = "法人或其他组织"
    path = write_csv(tmp_path / "x.csv", rows, header=header)
    import_ledger(register, path, today=TODAY)
    apps = rows_of(register)
    assert [(a.applicant_type, a.org_kind) for a in apps] == [
        ("natural_person", None), ("organisation", "legal_services"), ("organisation", "business")]
    # 法人或其他组织 with no kind anywhere: the row says what is missing.
    rows[2][14] = ""
    rows[2][4] = "某某"  # a name that says nothing about the kind of organisation
    rows[2][9] = "另一项内容"
    write_csv(path, rows, header=header)
    with pytest.raises(LedgerImportError) as info:
        import_ledger(register, path, today=TODAY)
    [problem] = info.value.problems
    assert problem.row == 4 and "组织类别" in problem.message


def test_missing_required_header_is_named(register, tmp_path):
    header = [h for h in HEADER if h != "申请内容"]
    path = write_csv(tmp_path / "x.csv", [r[:9] + r[10:] for r in ROWS], header=header)
    with pytest.raises(LedgerFileError, match="缺少必填列：申请内容"):
        import_ledger(register, path, today=TODAY)


def test_unknown_columns_are_ignored_with_a_warning(register, tmp_path):
    path = write_csv(tmp_path / "x.csv", [r + ["x"] for r in ROWS], header=HEADER + ["经办人"])
    summary = import_ledger(register, path, today=TODAY)
    assert summary.added == 3
    assert any("经办人" in w and "忽略" in w for w in summary.ignored)


def test_empty_and_header_only_files(register, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(LedgerFileError, match="空的"):
        import_ledger(register, empty, today=TODAY)
    with pytest.raises(LedgerFileError, match="没有数据行"):
        import_ledger(register, write_csv(tmp_path / "h.csv", []), today=TODAY)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(LedgerFileError, match=".xls"):
        import_ledger(register, xls, today=TODAY)


def test_reimport_changes_nothing_and_updates_by_serial(register, tmp_path):
    path = write_csv(tmp_path / "x.csv", ROWS)
    import_ledger(register, path, today=TODAY)
    before = rows_of(register)
    events_before = register.store.db.execute("SELECT count(*) FROM events").fetchone()[0]
    summary = import_ledger(register, path, today=TODAY)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
    assert rows_of(register) == before
    assert register.store.db.execute("SELECT count(*) FROM events").fetchone()[0] == events_before

    # Now the clerk fills in the reply of the third application, by serial.
    rows = [list(r) for r in ROWS]
    rows[2][0] = "2026-0003"
    rows[2][10:13] = ["2026-10-20", "无法提供", "本机关不掌握相关政府信息"]
    rows[2][13] = ""  # an empty cell never erases the stored note
    write_csv(path, rows)
    summary = import_ledger(register, path, today=TODAY)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 2)
    assert summary.updated_serials == ["2026-0003"]
    app = applications.find_by_serial(register, "2026-0003")
    assert (app.outcome, app.outcome_reason, app.status) == ("unavailable", 1, "closed")
    assert app.notes == "办理中"


def test_export_import_round_trip(tmp_path, register):
    fill_demo(register, count=120, today=TODAY)
    with register.store.db.atomic():  # awkward values
        app = applications.all_applications(register)[0]
        applications.update_application(register, app.id, {
            "notes": '=HYPERLINK("http://evil.example","点击")', "address": "-3号楼 @某某",
            "info_description": "'=已转义的文字\n第二行", "phone": "+86 138 1234 5678"}, today=TODAY).changes
    original = rows_of(register)
    for ext in ("csv", "xlsx"):
        path = tmp_path / f"out.{ext}"
        assert export_ledger(register, path) == 120
        # Re-importing into the same register changes nothing.
        summary = import_ledger(register, path, today=TODAY)
        assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 120)
        # Importing into an empty register gives the same applications.
        other = open_register(tmp_path / f"other-{ext}.db", create=True)
        assert import_ledger(other, path, today=TODAY).added == 120
        # The ledger carries no fee notices: a fee lapse arrives flagged 待核实 (fee notice not on record).
        expected = ledger_fields(register)
        for row in expected:
            if (row["outcome"], row["outcome_reason"]) == applications.FEE_LAPSE:
                row["review_reasons"] = {**row["review_reasons"],
                                         "outcome_reason": applications.FEE_NOTICE_NOT_ON_RECORD}
        assert any(r["outcome_reason"] == 2 and r["outcome"] == "other" for r in expected)
        assert ledger_fields(other) == expected
        other.close()
    assert rows_of(register) == original


def ledger_fields(register):
    """What a ledger file carries of each application."""
    fields = [c.field for c in COLUMNS if c.field != "review"] + ["org_kind", "review_reasons"]
    return [{f: getattr(a, f) for f in fields} for a in sorted(applications.all_applications(register), key=lambda a: a.serial)]


def test_exported_cells_are_neutralised(register, tmp_path, person_record):
    applications.register_application(register, dict(person_record, notes="=1+2", address="@cmd"), today=TODAY).app_id
    export_ledger(register, tmp_path / "x.csv")
    text = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert ",'=1+2" in text and ",'@cmd," in text
    export_ledger(register, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    values = [c.value for c in ws[2]]
    assert "'=1+2" in values and "'@cmd" in values
    assert all(c.data_type != "f" for c in ws[2])
    assert ws["B2"].is_date


def test_masked_export_cannot_be_imported(register, tmp_path, person_record):
    applications.register_application(register, person_record, today=TODAY).app_id
    path = tmp_path / "shared.csv"
    export_ledger(register, path, mask=True)
    with open(path, encoding="utf-8-sig") as fh:
        row = list(csv.DictReader(fh))[0]
    assert row["证件号码"] == "110105********002X"
    assert row["联系电话"] == "138****5678"
    other = open_register(tmp_path / "o.db", create=True)
    with pytest.raises(LedgerImportError) as info:
        import_ledger(other, path, today=TODAY)
    assert info.value.problems[0].row == 2 and "遮盖" in info.value.problems[0].message


def test_template_sheets_and_reimport(register, tmp_path):
    write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["申请台账", "填写说明"]
    assert [c.value for c in wb["申请台账"][1]][:5] == ["申请编号", "收到日期*", "申请方式", "申请人类型*", "申请人*"]
    notes = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "属于国家秘密" in notes and "其他组织" in notes
    # The template's example row is recognised and skipped.
    summary = import_ledger(register, tmp_path / "t.xlsx", today=TODAY)
    assert summary.added == 0 and any("示例行" in text for text in summary.ignored)


def test_progress_and_cancel(register, tmp_path):
    path = write_csv(tmp_path / "x.csv", ROWS)
    seen = []
    import_ledger(register, path, today=TODAY, progress=lambda *a: seen.append(a))
    assert ("check", 3, 3) in seen and ("write", 3, 3) in seen
    other = open_register(tmp_path / "o.db", create=True)
    with pytest.raises(ImportCancelled):
        import_ledger(other, path, today=TODAY, progress=lambda stage, *a: stage != "write")
    assert applications.count(other) == 0


def test_control_characters_are_a_row_error(register, tmp_path):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][13] = "备注\x00带空字符"
    path = write_csv(tmp_path / "x.csv", rows, header=["\ufeff申请编号"] + HEADER[1:])
    with pytest.raises(LedgerImportError) as info:
        import_ledger(register, path, today=TODAY)
    [problem] = info.value.problems
    assert problem.row == 3 and "备注" in problem.message and "控制字符" in problem.message


def test_read_table_row_numbers(tmp_path):
    path = write_csv(tmp_path / "x.csv", [ROWS[0], [""] * 14, ROWS[1]])
    table = read_table(path)
    assert [n for n, _ in table.rows] == [2, 4]


# --- command line --------------------------------------------------------------------------







def test_backup_before_an_import_that_writes(db_path, tmp_path):
    reg = open_register(db_path, create=True)
    path = write_csv(tmp_path / "x.csv", ROWS)
    import_ledger(reg, path, today=TODAY)
    backups = sorted((db_path.parent / "backups").glob("*-pre-import.db"))
    assert len(backups) == 1
    import_ledger(reg, path, today=TODAY)  # nothing to write: no new backup
    assert len(list((db_path.parent / "backups").glob("*-pre-import.db"))) == 1
    bad = write_csv(tmp_path / "bad.csv", [ROWS[0][:1] + ["2099-01-01"] + ROWS[0][2:]])
    with pytest.raises(LedgerImportError):
        import_ledger(reg, bad, today=TODAY)  # refused before any backup
    assert len(list((db_path.parent / "backups").glob("*-pre-import.db"))) == 1


def test_control_characters_in_the_register_do_not_break_the_export(register, tmp_path, person_record):
    applications.register_application(register, dict(person_record, applicant_name="张\x1b某", notes="a\tb\nc"), today=TODAY)
    for ext in ("csv", "xlsx"):
        export_ledger(register, tmp_path / f"out.{ext}")
        other = open_register(tmp_path / f"o-{ext}.db", create=True)
        import_ledger(other, tmp_path / f"out.{ext}", today=TODAY, backup=False)
        app = applications.all_applications(other)[0]
        assert app.applicant_name == "张某" and app.notes == "a\tb\nc"


def test_content_match_never_takes_an_application_named_by_serial(register, tmp_path):
    path = write_csv(tmp_path / "x.csv", ROWS[:1])
    import_ledger(register, path, today=TODAY)  # 2026-0001
    same_without_serial = [""] + ROWS[0][1:]
    with_serial = list(ROWS[0])
    with_serial[13] = "已答复"
    # The serial row comes second: the first row must not grab 2026-0001.
    write_csv(path, [same_without_serial, with_serial])
    summary = import_ledger(register, path, today=TODAY)
    assert (summary.added, summary.updated) == (1, 1)
    assert applications.find_by_serial(register, "2026-0001").notes == "已答复"
    assert applications.count(register) == 2
    assert import_ledger(register, path, today=TODAY).unchanged == 2




def test_cancelled_export_leaves_the_old_file(register, tmp_path):
    from desktop_app.services.ledger import ExportCancelled

    fill_demo(register, count=1200, today=TODAY)
    target = tmp_path / "out.csv"
    target.write_text("旧文件", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        export_ledger(register, target, progress=lambda done, total: False)
    assert target.read_text(encoding="utf-8") == "旧文件"
    assert not [p for p in tmp_path.iterdir() if "out.csv" in p.name and p.name != "out.csv"]  # no temp file


def test_update_from_organisation_to_person_clears_the_kind(register, tmp_path):
    rows = [list(ROWS[1])]
    rows[0][0], rows[0][5] = "2026-0009", ""
    path = write_csv(tmp_path / "x.csv", rows)
    import_ledger(register, path, today=TODAY)
    assert applications.find_by_serial(register, "2026-0009").org_kind == "business"
    rows[0][3] = "自然人"
    write_csv(path, rows)
    assert import_ledger(register, path, today=TODAY).updated == 1
    app = applications.find_by_serial(register, "2026-0009")
    assert (app.applicant_type, app.org_kind) == ("natural_person", None)




def test_import_into_a_published_year_is_announced_before_and_after(register, tmp_path, capsys):
    """Issue 5: a change to a published report's figures is allowed but
    never silent, also when it comes through a ledger import."""
    from desktop_app.services.ledger import check_ledger

    path = write_csv(tmp_path / "x.csv", ROWS[:1])  # received and answered in 2026
    report.publish(register, 2026)
    checked = check_ledger(register, path, today=TODAY)
    assert checked.published_years == [2026]
    assert any("已发布的2026年政府信息公开工作年度报告" in w for w in checked.warnings)
    # the published year is locked: the import is refused, nothing written, until unlocked
    from desktop_app.services import year_lock
    with pytest.raises(year_lock.YearLockedError, match="此次导入"):
        import_ledger(register, path, today=TODAY)
    assert applications.count(register) == 0
    year_lock.unlock_year(register, 2026, "补录2026年的纸质台账")
    done = import_ledger(register, path, today=TODAY)
    assert done.added == 1 and done.published_years == [2026]
    assert report.differences(register, 2026)  # listed on the report page
    # Importing the same file again changes nothing and says nothing about the report.
    again = check_ledger(register, path, today=TODAY)
    assert again.unchanged == 1 and again.published_years == []


def test_import_outside_published_years_is_quiet(register, tmp_path):
    from desktop_app.services.ledger import check_ledger

    report.publish(register, 2025)
    checked = check_ledger(register, write_csv(tmp_path / "x.csv", ROWS[:1]), today=TODAY)
    assert checked.published_years == []
    assert not any("已发布" in w for w in checked.warnings)
