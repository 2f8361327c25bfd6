"""The first start on a new PC in the real GUI under Xvfb: the welcome
dialog, the first-start guide, the empty register and the first application."""

from pathlib import Path

X11 = Path(__file__).resolve().parent / "gui_scripts"


def test_a_first_start_goes_through_the_guide_to_the_empty_register_and_the_first_application(
        run_on_x11, tmp_path):
    out = tmp_path / "shots"
    result = run_on_x11(X11 / "first_start.py", str(out))
    assert result.returncode == 0, (f"exit {result.returncode}\n--- stdout\n{result.stdout[-4000:]}"
                                    f"\n--- stderr\n{result.stderr[-4000:]}")
    assert "FIRST START OK" in result.stdout
    for name in ("welcome", "guide-1", "guide-1-filled", "guide-2", "guide-3", "register-empty",
                 "register-first-application"):
        png = out / f"{name}.png"
        assert png.read_bytes().startswith(b"\x89PNG"), name
