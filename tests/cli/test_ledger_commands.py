"""import, export and template: the ledger commands end to end (exit codes, messages, what is written)."""

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from ledger_samples import NUMBERINGS, write_xls

from desktop_app.main import main as cli_main
from desktop_app.services import applications, recycle_bin
from desktop_app.services.session import open_register

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


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_cli_import_export_template(tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert cli_main(["--db", db, "init"]) == 0  # commands never create a register by themselves
    good = write_csv(tmp_path / "good.csv", ROWS, encoding="gbk")
    assert cli_main(["--db", db, "import", str(good)]) == 0
    assert "新增 3 件" in capsys.readouterr().out
    assert cli_main(["--db", db, "import", str(good)]) == 0
    assert "未变化 3 件" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", ROWS + [["", "2026-01-01", "", "自然人", "", "", "", "", "", "x",
                                                    "", "", "", ""]])
    with pytest.raises(SystemExit) as info:
        cli_main(["--db", db, "import", str(bad)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "第5行：" in err and "申请人" in err and "未导入任何数据" in err
    assert cli_main(["--db", db, "export", str(tmp_path / "o.xlsx"), "--mask"]) == 0
    assert "已导出 3 件" in capsys.readouterr().out
    assert cli_main(["--db", db, "template", str(tmp_path / "t.xlsx")]) == 0
    with pytest.raises(SystemExit) as info:
        cli_main(["--db", db, "export", str(tmp_path / "o.pdf")])
    assert info.value.code == 2


def test_import_and_export_run_as_a_subprocess_and_report_in_chinese(tmp_path):
    db = tmp_path / "r.db"
    good = write_csv(tmp_path / "good.csv", ROWS, encoding="utf-8-sig")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    def run(*a):
        return subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(db), *a],
                              capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path)
    assert run("init").returncode == 0
    res = run("import", str(good))
    assert res.returncode == 0, res.stderr
    assert "新增 3 件" in res.stdout
    res = run("export", str(tmp_path / "out.csv"))
    assert res.returncode == 0
    bad = write_csv(tmp_path / "bad.csv", [ROWS[0], ["", "2026-13-01", "", "", "", "", "", "", "", "", "", "", "", ""]])
    res = run("import", str(bad))
    assert res.returncode == 2
    assert "第3行" in res.stderr and "收到日期" in res.stderr


def test_cli_import_into_a_busy_database_is_a_clean_error(tmp_path, capsys):
    import sqlite3

    db = tmp_path / "r.db"
    open_register(db, create=True).close()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        with pytest.raises(SystemExit) as info:
            cli_main(["--db", str(db), "import", str(write_csv(tmp_path / "x.csv", ROWS))])
    finally:
        holder.rollback()
        holder.close()
    assert info.value.code == 2
    assert "占用" in capsys.readouterr().err
    assert applications.count(open_register(db, create=True)) == 0


def test_cli_import_check_writes_nothing(tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert cli_main(["--db", db, "init"]) == 0
    good = write_csv(tmp_path / "good.csv", ROWS)
    assert cli_main(["--db", db, "import", "--check", str(good)]) == 0
    assert "将新增 3 件" in capsys.readouterr().out
    assert applications.count(open_register(db, create=True)) == 0
    assert not (tmp_path / "backups").exists()
    assert cli_main(["--db", db, "import", str(good)]) == 0
    capsys.readouterr()
    assert cli_main(["--db", db, "import", "--check", str(good)]) == 0
    assert "3 件不变" in capsys.readouterr().out


def test_check_lists_errors_warnings_and_ignored_without_writing(tmp_path, capsys):
    db = tmp_path / "r.db"
    open_register(db, create=True).close()
    path = write_xls(tmp_path / "台账.xls", NUMBERINGS["望政依申〔2025〕N号"])
    before = db.read_bytes()
    assert cli_main(["--db", str(db), "import", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "将新增 8 件" in out and "其中 6 件将标为待核实" in out
    assert "待核实（6 行" in out and "“2025年”第6行（望政依申〔2025〕2号）" in out and "校验位" in out
    assert "已忽略" in out and "合计行" in out
    assert db.read_bytes() == before and not (tmp_path / "backups").exists()


TODAY = dt.date(2026, 6, 1)


ID = "11010519491231002X"


PHONE = "13812345678"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_shared_export_is_masked_full_export_is_not(register, db_path, tmp_path, person_record, fmt, capsys):
    applications.register_application(register, person_record, today=TODAY).app_id
    gone = applications.register_application(register, dict(person_record, applicant_name="回收站里的人"), today=TODAY).app_id
    recycle_bin.delete_application(register, gone)
    register.close()
    shared, full = tmp_path / f"shared.{fmt}", tmp_path / f"full.{fmt}"
    assert cli_main(["--db", str(db_path), "export", str(shared), "--mask"]) == 0
    assert cli_main(["--db", str(db_path), "export", str(full)]) == 0

    def cells(path):
        if fmt == "csv":
            with open(path, encoding="utf-8-sig", newline="") as fh:
                return [c for row in csv.reader(fh) for c in row]
        import openpyxl
        ws = openpyxl.load_workbook(path).worksheets[0]
        return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]

    s, f = cells(shared), cells(full)
    assert ID not in s and PHONE not in s
    assert "110105********002X" in s and "138****5678" in s
    assert ID in f and PHONE in f
    assert "回收站里的人" not in s and "回收站里的人" not in f
