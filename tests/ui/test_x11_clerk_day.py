"""The clerk's common paths in the real GUI on a real X server (Xvfb), in
sequence, each in a fresh subprocess started as on a first day."""

from pathlib import Path

X11 = Path(__file__).parent / "gui_scripts"


def _explain(result) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"


def test_recording_a_reply_then_previewing_its_notice_does_not_crash_on_first_start(run_on_x11, tmp_path):
    result = run_on_x11(X11 / "first_reply.py", str(tmp_path / "demo.db"))
    assert result.returncode == 0, _explain(result)
    assert "FIRST REPLY OK" in result.stdout


def test_a_clerks_day_prints_every_notice_after_every_step_without_a_crash(run_on_x11, tmp_path):
    out = tmp_path / "printed"
    result = run_on_x11(X11 / "clerk_day.py", str(tmp_path / "register.db"), str(out))
    assert result.returncode == 0, _explain(result)
    assert "SCENARIO OK" in result.stdout
    printed = sorted(p.name for p in out.glob("*.pdf"))
    # every notice printed through the real print dialog, and the report exported
    for name in ("first-reply", "receipt", "补正告知", "征求第三方意见", "延期", "收费通知", "reply",
                 "service", "form", "envelope", "reprint"):
        assert any(p.endswith(f"-{name}.pdf") for p in printed), (name, printed)
    assert "report.pdf" in printed
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF"), pdf
