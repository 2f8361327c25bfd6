"""Adopting an agency's existing ledger as it is (issue 10): its own
numbering, its own headers, its old mistakes."""

import datetime as dt
import json
import sqlite3

import pytest
from ledger_samples import (
    NUMBERINGS,
    bad_id,
    good_id,
    name_of,
    write_gbk_csv,
    write_xls,
    write_xlsx,
)

from desktop_app.domain import serials
from desktop_app.ledger.columns import BY_HEADER, CellError, cell_date, convert_cell
from desktop_app.main import main as cli_main
from desktop_app.services import applications, recycle_bin, report
from desktop_app.services import settings as settings_service
from desktop_app.services.ledger import (
    ImportOptions,
    LedgerFileError,
    LedgerImportError,
    LedgerMappingNeeded,
    check_ledger,
    export_ledger,
    import_ledger,
    inspect_ledger,
    parse_mapping,
    remember_mapping,
)
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 11, 25)


def snapshot(reg) -> tuple:
    conn = reg.store.db.conn
    return tuple(tuple(conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall())
                 for t in ("applications", "events", "serial_counters", "serial_sequences", "audit_log"))


def apps(reg):
    return {a.serial: a for a in sorted(applications.all_applications(reg), key=lambda a: a.id)}


# --- the file formats and the shapes of real sheets --------------------------------------------


@pytest.mark.parametrize("scheme", list(NUMBERINGS))
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_real_shaped_ledger_imports_with_its_own_numbering(register, tmp_path, scheme, fmt):
    numbering = NUMBERINGS[scheme]
    path = (write_xlsx if fmt == "xlsx" else write_xls)(tmp_path / f"台账.{fmt}", numbering)
    summary = import_ledger(register, path, today=TODAY)
    # two yearly sheets of four applications; title, blank, total and footer rows left out
    assert (summary.added, summary.updated, summary.unchanged) == (8, 0, 0)
    assert summary.sheets == ["2024年", "2025年"]
    ignored = "\n".join(summary.ignored)
    assert "合计行" in ignored and "表尾说明" in ignored and "标题行" in ignored
    assert "经办人" in ignored and "填写说明" in ignored
    got = apps(register)
    if numbering:
        expected = [numbering(y, i) for y in (2024, 2025) for i in range(1, 5)]
        assert sorted(got) == sorted(expected)  # exactly as the agency wrote them
    else:
        assert "行序号" in ignored  # the 序号 column only counted rows
        assert sorted(got) == [f"{y}-{i:04d}" for y in (2024, 2025) for i in range(1, 5)]
    by_name = {a.applicant_name: a for a in got.values()}
    # dates as written (2025.3.5, a date cell) and the merged date cell applied to both rows
    assert by_name[name_of(2025, 1)].receipt_date == "2025-03-05"
    assert by_name[name_of(2025, 2)].receipt_date == "2025-03-06"
    assert by_name[name_of(2025, 3)].receipt_date == "2025-03-06"  # under the merged cell
    assert by_name[name_of(2025, 1)].channel == "online"
    assert by_name[name_of(2025, 1)].outcome == "disclosed" and by_name[name_of(2025, 1)].status == "closed"
    assert by_name[name_of(2025, 1)].applicant_type == "natural_person"  # no type column: from the ID
    # old mistakes imported with the value as written, flagged 待核实 with the reason
    flagged = {a.applicant_name: dict(a.review_reasons) for a in got.values() if a.review_reasons}
    assert set(flagged) == {name_of(y, i) for y in (2024, 2025) for i in (2, 3, 4)}
    assert "校验位" in flagged[name_of(2025, 2)]["id_number"]
    assert by_name[name_of(2025, 2)].id_number == bad_id("11010519800101002")
    assert "联系电话" in flagged[name_of(2025, 3)]["phone"] and by_name[name_of(2025, 3)].phone == "1381234567"
    assert "微信" in flagged[name_of(2025, 4)]["channel"] and by_name[name_of(2025, 4)].channel is None
    assert "已答复" in flagged[name_of(2025, 4)]["outcome"]
    four = by_name[name_of(2025, 4)]
    assert (four.outcome, four.reply_date, four.status) == (None, "2025-04-05", "closed")
    assert summary.flagged == 6
    # the register lists and filters them
    assert applications.review_count(register) == 6
    assert len(applications.search(register, applications.ApplicationQuery(needs_review=True))) == 6
    # re-importing the same file changes nothing at all
    before = snapshot(register)
    again = import_ledger(register, path, today=TODAY)
    assert (again.added, again.updated, again.unchanged, again.flagged) == (0, 0, 8, 0)
    assert snapshot(register) == before


def test_gbk_csv_ledger_with_title_total_and_chinese_dates(register, tmp_path):
    path = write_gbk_csv(tmp_path / "台账.csv", NUMBERINGS["依申请2025-00N"])
    summary = import_ledger(register, path, today=TODAY)
    assert summary.added == 4 and summary.flagged == 3
    got = apps(register)
    assert set(got) == {f"依申请2025-{i:03d}" for i in range(1, 5)}
    assert got["依申请2025-002"].receipt_date == "2025-03-06"  # written 2025年03月06日
    assert import_ledger(register, path, today=TODAY).unchanged == 4


def test_export_then_reimport_round_trips_every_value_with_the_agencys_numbers(register, tmp_path):
    write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["望政依申〔2025〕N号"])
    import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    fields = ["serial", "receipt_date", "channel", "applicant_type", "org_kind", "applicant_name", "id_type",
              "id_number", "phone", "info_description", "reply_date", "outcome", "outcome_reason", "status"]

    def values(reg):
        return sorted((tuple(getattr(a, f) for f in fields), sorted(dict(a.review_reasons).values()))
                      for a in applications.all_applications(reg))

    for ext in ("xlsx", "csv"):
        out = tmp_path / f"export.{ext}"
        export_ledger(register, out)
        before = snapshot(register)
        assert import_ledger(register, out, today=TODAY).unchanged == 8
        assert snapshot(register) == before
        other = open_register(tmp_path / f"other-{ext}.db", create=True)
        assert import_ledger(other, out, today=TODAY, backup=False).added == 8
        assert values(other) == values(register)  # the 待核实 reasons travel in their column
        other.close()


def test_a_row_without_receipt_date_refuses_the_whole_file(register, tmp_path, db_path):
    import openpyxl

    path = write_xlsx(tmp_path / "台账.xlsx", NUMBERINGS["YSQ2025001"], merged_date=False)
    wb = openpyxl.load_workbook(path)
    wb["2025年"]["C8"] = None  # the fourth application of 2025 lost its receipt date
    wb.save(path)
    before = snapshot(register)
    with pytest.raises(LedgerImportError) as info:
        import_ledger(register, path, today=TODAY)
    [problem] = info.value.problems
    assert (problem.sheet, problem.row) == ("2025年", 8)
    assert "收到申请的日期" in problem.message
    assert problem.text().startswith("“2025年”第8行")
    assert snapshot(register) == before
    assert not (db_path.parent / "backups").exists()  # refused before the pre-import backup


@pytest.mark.parametrize("bad, message", [
    ("2025-02-30", "不是有效日期"),         # an impossible date
    ("2027-01-01", "不能晚于今天"),
])
def test_unusable_rows_stay_errors(register, tmp_path, bad, message):
    import openpyxl

    path = write_xlsx(tmp_path / "台账.xlsx", NUMBERINGS["YSQ2025001"], years=(2025,), merged_date=False)
    wb = openpyxl.load_workbook(path)
    wb["2025年"]["C4"] = bad
    wb.save(path)
    with pytest.raises(LedgerImportError) as info:
        import_ledger(register, path, today=TODAY)
    assert [p.row for p in info.value.problems] == [4]
    assert message in info.value.problems[0].message
    assert applications.count(register) == 0


def test_reply_before_receipt_no_applicant_no_content_and_duplicates_are_errors(register, tmp_path):
    import openpyxl

    path = write_xlsx(tmp_path / "台账.xlsx", NUMBERINGS["YSQ2025001"], merged_date=False)
    wb = openpyxl.load_workbook(path)
    ws24, ws25 = wb["2024年"], wb["2025年"]
    ws25["I4"] = "2025-01-02"          # answered before it was received
    ws25["D6"] = None                  # no applicant
    ws25["G7"] = None                  # no content
    ws25["B8"] = ws24["B4"].value  # the same number twice, on two sheets
    wb.save(path)
    with pytest.raises(LedgerImportError) as info:
        import_ledger(register, path, today=TODAY)
    problems = {(p.sheet, p.row): p.message for p in info.value.problems}
    assert "答复日期不能早于收到日期" in problems[("2025年", 4)]
    assert "申请人" in problems[("2025年", 6)]
    assert "申请内容" in problems[("2025年", 7)]
    dup = [m for (s, r), m in problems.items() if "重复" in m]
    assert dup and "“2024年”第4行" in dup[0]
    assert applications.count(register) == 0




# --- headers --------------------------------------------------------------------------------


def test_synonym_headers_are_recognised():
    from desktop_app.ledger.columns import header_canonical

    for text, ours in [("受理日期", "收到日期"), ("收件日期", "收到日期"), ("申请日期", "收到日期"),
                       ("申请人姓名", "申请人"), ("申请人名称", "申请人"), ("姓名", "申请人"),
                       ("身份证号", "证件号码"), ("证件号", "证件号码"), ("申请公开内容", "申请内容"),
                       ("所需信息", "申请内容"), ("答复时间", "答复日期"), ("办结日期", "答复日期"),
                       ("答复结果", "办理结果"), ("处理结果", "办理结果"), ("序号", "申请编号"),
                       ("编号", "申请编号"), ("受理编号", "申请编号"), ("收到日期（年月日）", "收到日期"),
                       ("申请人\n（单位）", "申请人"), ("*申请内容", "申请内容")]:
        assert header_canonical(text)[0] == ours, text


def test_two_row_header_under_group_headings(register, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年依申请公开台账"])
    ws.append(["序号", "申请人信息", None, "受理时间", "申请事项", "办理情况", None])
    ws.append([None, "姓名", "证件号", None, None, "办结时间", "处理结果"])
    ws.merge_cells("B2:C2")
    ws.merge_cells("F2:G2")
    ws.append([1, "张三", good_id("11010519800101001"), "2025-3-5", "预算", "2025-3-20", "公开"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    assert import_ledger(register, path, today=TODAY).added == 1
    app = applications.all_applications(register)[0]
    assert (app.applicant_name, app.receipt_date, app.reply_date, app.outcome) == (
        "张三", "2025-03-05", "2025-03-20", "disclosed")


def test_two_candidate_columns_take_the_better_one(register, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["申请日期", "收件日期", "申请人", "申请内容"])
    ws.append(["2025-03-01", "2025-03-04", "张三", "预算"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    summary = import_ledger(register, path, today=TODAY)
    assert applications.all_applications(register)[0].receipt_date == "2025-03-04"
    assert any("申请日期" in t and "收件日期" in t for t in summary.ignored)


def test_a_serial_column_that_is_not_a_counter_is_the_agencys_numbering(register, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "收到日期", "申请人", "申请内容"])
    ws.append([2025001, "2025-03-01", "张三", "预算"])
    ws.append([2025002, "2025-03-02", "李四", "决算"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    import_ledger(register, path, today=TODAY)
    assert sorted(apps(register)) == ["2025001", "2025002"]


def test_missing_required_column_names_the_unmatched_headers_and_map_fixes_it(register, tmp_path, capsys):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["来文时间", "申请人", "申请内容", "经办人"])
    ws.append(["2025-03-01", "张三", "预算", "王"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with pytest.raises(LedgerMappingNeeded) as info:
        import_ledger(register, path, today=TODAY)
    assert "缺少必填列：收到日期" in str(info.value) and "来文时间" in str(info.value)
    db = str(tmp_path / "cli.db")
    open_register(tmp_path / "cli.db", create=True).close()
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["--db", db, "import", str(path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "来文时间" in err and "--map" in err
    assert cli_main(["--db", db, "import", str(path), "--map", "来文时间=收到日期", "--map", "经办人=忽略"]) == 0
    assert "新增 1 件" in capsys.readouterr().out
    with pytest.raises(LedgerFileError, match="不是台账的列"):
        parse_mapping(["来文时间=来文日期"])


def test_the_mapping_is_remembered_for_files_with_the_same_headers(register, tmp_path):
    import openpyxl

    def ledger(name, who):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["来文时间", "申请人", "申请内容"])
        ws.append(["2025-03-01", who, "预算"])
        wb.save(tmp_path / name)
        return tmp_path / name

    first = ledger("a.xlsx", "张三")
    options = ImportOptions(mapping=parse_mapping(["来文时间=收到日期"]))
    preview = inspect_ledger(register, first, options)
    import_ledger(register, first, today=TODAY, options=options)
    remember_mapping(register, inspect_ledger(register, first), options.mapping)
    assert import_ledger(register, ledger("b.xlsx", "李四"), today=TODAY).added == 1
    assert preview.chosen and not preview.needs_mapping


def test_only_the_chosen_sheet_imports_and_a_missing_sheet_is_named(register, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", NUMBERINGS["YSQ2025001"])
    summary = import_ledger(register, path, today=TODAY, options=ImportOptions(sheets=["2024年"]))
    assert summary.added == 4 and all(s.startswith("YSQ2024") for s in apps(register))
    with pytest.raises(LedgerFileError, match="没有名为“2023年”的工作表"):
        import_ledger(register, path, today=TODAY, options=ImportOptions(sheets=["2023年"]))


# --- cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, iso", [
    ("2025.3.5", "2025-03-05"), ("2025-3-5", "2025-03-05"), ("20250305", "2025-03-05"),
    ("2025年3月5日上午", "2025-03-05"), ("2025年3月5日 下午3时", "2025-03-05"), ("2025/03/05 14:30", "2025-03-05"),
    ("45721", "2025-03-05"), ("２０２５年３月５日", "2025-03-05"), ("2025-03-05T00:00:00", "2025-03-05"),
    (45721, "2025-03-05"), (dt.datetime(2025, 3, 5, 9, 30), "2025-03-05"),
])
def test_dates_as_ledgers_write_them(text, iso):
    assert cell_date(text) == iso


def test_month_and_day_take_the_sheets_year_and_bad_dates_are_errors():
    assert cell_date("3月5日", default_year=2024) == "2024-03-05"
    for bad in ("2025-02-30", "3月5日", "上午", "2025年13月1日"):
        with pytest.raises(CellError):
            cell_date(bad)


def test_doubtful_cells_are_kept_and_flagged():
    record, flags = {}, {}
    convert_cell(BY_HEADER["证件号码"], 110105194912310020, record, flags)
    assert record["id_number"] == "110105194912310020" and "保存成了数字" in flags["id_number"]
    convert_cell(BY_HEADER["联系电话"], "1.38123E+10", record, flags)
    assert record["phone"] == "1.38123E+10" and "科学计数" in flags["phone"]
    convert_cell(BY_HEADER["申请方式"], "微信公众号", record, flags)
    assert record["channel"] is None and "微信公众号" in flags["channel"]
    with pytest.raises(CellError, match="遮盖"):
        convert_cell(BY_HEADER["证件号码"], "110105********002X", record, flags)


def test_applicant_type_inferred_when_the_ledger_has_none(register, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["收到日期", "申请人", "身份证号", "申请内容"])
    for who, number in [("张三", good_id("11010519800101001")), ("长沙某某科技有限公司", None),
                        ("湖南某某律师事务所", None), ("某某大学法学院", None),
                        ("Zhang San", None), ("某某某某某某某某某", None)]:
        ws.append(["2025-03-01", who, number, f"{who}的申请"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    summary = import_ledger(register, path, today=TODAY)
    kinds = {a.applicant_name: (a.applicant_type, a.org_kind, bool(a.review_reasons))
             for a in applications.all_applications(register)}
    assert kinds == {
        "张三": ("natural_person", None, False),
        "长沙某某科技有限公司": ("organisation", "business", False),
        "湖南某某律师事务所": ("organisation", "legal_services", False),
        "某某大学法学院": ("organisation", "research", False),
        "Zhang San": ("natural_person", None, False),
        "某某某某某某某某某": ("natural_person", None, True),  # not plain: 待核实
    }
    assert any("没有写明申请人类型的 6 行" in w for w in summary.warnings)


# --- numbering for new applications ------------------------------------------------------------


def test_serial_patterns_format_parse_and_refuse_bad_placeholders():
    p = serials.compile_pattern("望政依申〔{年}〕{序号}号")
    assert p.format(2026, 3) == "望政依申〔2026〕3号"
    assert p.parse("望政依申〔2025〕12号") == (2025, 12) and p.parse("望政依申〔2025〕号") is None
    assert serials.compile_pattern("").format(2026, 1) == "2026-0001"
    assert serials.compile_pattern("YSQ{年}{序号:03}").parse("YSQ2025017") == (2025, 17)
    assert serials.compile_pattern("{年:2}-{序号}").format(2025, 3) == "25-3"
    assert serials.example("{年}-{序号:04}", 2026).startswith("2026-0001、2026-0002")
    for bad, message in [("{序号}", "{年}"), ("{年}-", "{序号}"), ("{年}{序号}", "固定位数"),
                         ("{年}-{号}", "未知的占位符"), ("{年-{序号}", "花括号")]:
        with pytest.raises(serials.PatternError, match=message):
            serials.compile_pattern(bad)
    assert serials.natural_key("望政依申〔2025〕9号") < serials.natural_key("望政依申〔2025〕10号")


def test_new_numbers_continue_an_imported_sequence_and_never_collide(register, tmp_path, person_record):
    write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["望政依申〔2025〕N号"])
    import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    # the default stays 2026-0001 until the agency chooses its pattern
    assert applications.next_serial(register, 2025) == "2025-0001"
    settings_service.update_settings(register, {"serial_pattern": "望政依申〔{年}〕{序号}号"})
    assert applications.next_serial(register, 2025) == "望政依申〔2025〕5号"
    assert applications.next_serial(register, 2026) == "望政依申〔2026〕1号"
    made = []
    for day in (10, 11):
        app_id = applications.register_application(
            register, dict(person_record, receipt_date=f"2025-06-{day}"), today=TODAY).app_id
        made.append(applications.get(register, app_id).serial)
    assert made == ["望政依申〔2025〕5号", "望政依申〔2025〕6号"]
    # a number in the recycle bin or purged is never handed out again
    recycle_bin.delete_application(register, app_id)
    recycle_bin.purge_application(register, app_id)
    assert applications.next_serial(register, 2025) == "望政依申〔2025〕7号"
    # a hand-typed number far ahead moves the sequence on; one already taken is skipped
    applications.register_application(register, dict(person_record, serial="望政依申〔2025〕9号"), today=TODAY).app_id
    assert applications.next_serial(register, 2025) == "望政依申〔2025〕10号"
    # the import of a ledger that numbers a row the system would have given next
    assert len(set(apps(register))) == applications.count(register)


def test_numbering_pattern_setting_in_the_settings_tab(qtbot, register, db_path):
    from desktop_app.ui.context import AppContext
    from desktop_app.ui.features import FEATURES
    from desktop_app.ui.settings_dialog import AgencySettingsTab

    applications.register_application(register, {"serial": "望政依申〔2026〕7号", "receipt_date": "2026-03-05",
                              "applicant_type": "natural_person", "applicant_name": "张三",
                              "info_description": "预算"}, today=TODAY).app_id
    tab = AgencySettingsTab(AppContext(register, FEATURES))
    qtbot.addWidget(tab)
    edit = tab.edits["serial_pattern"]
    assert "2026-0001" in tab.serial_example.text()  # the default
    edit.setText("望政依申〔{年}〕{序号}号")
    year = dt.date.today().year
    text = tab.serial_example.text()
    assert f"望政依申〔{year}〕1号" in text
    if year == 2026:
        assert "望政依申〔2026〕8号" in text  # continues after the highest in the register
    tab.edits["agency_name"].setText("望城区人民政府办公室")
    edit.setText("{年}{序号}")
    assert "固定位数" in tab.serial_example.text()
    assert "固定位数" in tab.validate()
    edit.setText("望政依申〔{年}〕{序号}号")
    tab.edits["agency_name"].setText("望城区人民政府办公室")
    assert tab.validate() is None
    tab.save()
    assert applications.serial_pattern(register).text == "望政依申〔{年}〕{序号}号"


# --- 待核实 after the import --------------------------------------------------------------------


def test_editing_a_flagged_application_and_resolving_it(register, tmp_path):
    write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["YSQ2025001"], years=(2025,))
    import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    app = applications.find_by_serial(register, "YSQ2025002")
    assert set(dict(app.review_reasons)) == {"id_number"}
    # an edit elsewhere does not make the clerk correct the old ID number first
    assert applications.validate(register, dict(app.values(), notes="已电话联系"), app_id=app.id, today=TODAY) == {}
    applications.update_application(register, app.id, {"notes": "已电话联系"}, today=TODAY).changes
    assert dict(applications.get(register, app.id).review_reasons) == {"id_number": dict(app.review_reasons)["id_number"]}
    # a changed value is checked as usual, and the flag goes once it is right
    with pytest.raises(Exception, match="校验位"):
        applications.update_application(register, app.id, {"id_number": bad_id("11010519800101999")}, today=TODAY).changes
    applications.update_application(register, app.id, {"id_number": good_id("11010519800101002")}, today=TODAY).changes
    assert applications.get(register, app.id).review_reasons == {}
    # 已核实: the clerk confirms the values as they are
    other = applications.find_by_serial(register, "YSQ2025003")
    assert applications.resolve_review(register, other.id) is True
    assert applications.get(register, other.id).review_reasons == {}
    trail = register.store.db.execute("SELECT old_values FROM audit_log WHERE entity_id = ? ORDER BY id DESC",
                                [str(other.id)]).fetchone()[0]
    assert "review_reasons" in trail
    # the old file still has the wrong ID number: importing it again restores the file's value,
    # flagged again; the application confirmed by 已核实 (its cells unchanged) stays unflagged
    again = import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    assert (again.updated, [p.label for p in again.review]) == (1, ["YSQ2025002"])
    assert applications.get(register, other.id).review_reasons == {}


def test_report_check_names_the_unresolved(register, tmp_path):

    write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["YSQ2025001"], years=(2025,))
    import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    issues = {i.code: i for i in report.check(register, 2025, today=TODAY)}
    issue = issues["needs_review"]
    assert "3件导入的申请仍待核实" in issue.message and "YSQ2025002" in issue.message
    assert len(issue.app_ids) == 3
    assert "needs_review" not in {i.code for i in report.check(register, 2023, today=TODAY)}


def test_integrity_check_accepts_flagged_replies_without_outcome(register, tmp_path):
    from desktop_app.storage.integrity import consistency_check

    write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["YSQ2025001"], years=(2025,))
    import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    assert consistency_check(register.store.db) == []


# --- the migration ------------------------------------------------------------------------------


def test_migration_m0006_upgrades_an_old_register(tmp_path, person_record):
    from sqlite_utils import Database

    from desktop_app.storage import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    old = migrations.build_migrations()
    # a register of the previous version: the first five migrations only
    from sqlite_utils import Migrations

    five = Migrations(migrations.MIGRATION_SET)
    for name in migrations.MIGRATION_MODULES[:5]:
        module = __import__(f"desktop_app.storage.migrations.{name}", fromlist=["migrate"])
        five(name=name)(module.migrate)
    five.apply(db)
    db.execute("PRAGMA user_version = 5")
    db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, info_description, "
               "created_at, updated_at) VALUES('2025-0007', '2025-03-05', 'natural_person', '张三', '预算', 'x', 'x')")
    db.execute("INSERT INTO serial_counters(year, last) VALUES(2025, 7)")
    db.conn.commit()
    db.conn.close()
    assert old is not None
    reg = open_register(path, create=True)
    cols = {r[1] for r in reg.store.db.execute("PRAGMA table_info(applications)")}
    assert "review_reasons" in cols
    assert reg.store.db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    assert applications.find_by_serial(reg, "2025-0007").applicant_name == "张三"
    assert applications.next_serial(reg, 2025) == "2025-0008"
    assert applications.review_count(reg) == 0
    reg.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM serial_sequences").fetchone()[0] == 0
    conn.close()


def test_review_reasons_are_json_objects(register, tmp_path):
    write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["YSQ2025001"], years=(2025,))
    import_ledger(register, tmp_path / "old.xlsx", today=TODAY)
    raw = register.store.db.execute("SELECT review_reasons FROM applications WHERE serial = 'YSQ2025004'").fetchone()[0]
    assert set(json.loads(raw)) == {"channel", "outcome"}


def test_check_counts_match_the_import(register, tmp_path):
    path = write_xlsx(tmp_path / "old.xlsx", NUMBERINGS["25-N"])
    checked = check_ledger(register, path, today=TODAY)
    done = import_ledger(register, path, today=TODAY)
    assert (checked.added, checked.updated, checked.flagged) == (done.added, done.updated, done.flagged) == (8, 0, 6)
