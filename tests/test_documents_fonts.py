"""Font resolution for the PDFs (desktop_app.documents.fonts)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfgen import canvas

from desktop_app.documents import fonts


def _installed_truetype_cjk() -> Path | None:
    for path in fonts.fontconfig_cjk_files():
        try:
            fonts.load_font_file(path)
        except fonts.FontFileError:
            continue
        return path
    return None


TRUETYPE_CJK = _installed_truetype_cjk()
needs_cjk = pytest.mark.skipif(TRUETYPE_CJK is None,
                               reason="no CJK TrueType font installed (apt-get install fonts-wqy-zenhei)")


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    fonts.clear_cache()
    # Never pick up a real Windows font folder from the environment.
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [])
    yield
    fonts.clear_cache()


def _pdf_fonts(fontset: fonts.FontSet, text: str = "政府信息公开申请答复") -> list[dict]:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(fontset.body, 16)
    c.drawString(100, 700, text)
    c.setFont(fontset.heading, 16)
    c.drawString(100, 650, text)
    c.save()
    reader = pypdf.PdfReader(io.BytesIO(buf.getvalue()))
    assert reader.pages[0].extract_text().count("政府信息公开") == 2
    res = reader.pages[0]["/Resources"]["/Font"]
    # reportlab always lists Helvetica (its initial font); keep the others.
    return [f for f in (res[k].get_object() for k in res) if f.get("/BaseFont") != "/Helvetica"]


def _embedded_truetype(font: dict) -> bool:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    desc = font.get("/FontDescriptor")
    return desc is not None and "/FontFile2" in desc.get_object()


@needs_cjk
def test_linux_fontconfig_font_is_embedded():
    fs = fonts.resolve_fonts({})
    assert fs.embedded and fs.warning is None
    assert fs.body_face.path is not None and Path(fs.body_face.path).suffix.lower() in (".ttf", ".ttc")
    pdf_fonts = _pdf_fonts(fs)
    assert pdf_fonts and all(_embedded_truetype(f) for f in pdf_fonts)


@needs_cjk
def test_result_is_cached_per_settings():
    a = fonts.resolve_fonts({})
    b = fonts.resolve_fonts({"agency_name": "x"})
    assert a is b
    c = fonts.resolve_fonts({fonts.SETTING_BODY_FONT: str(TRUETYPE_CJK)})
    assert c is not a
    assert "设置中选择" in c.body_face.label


@needs_cjk
def test_windows_fonts_preferred_over_fontconfig(monkeypatch, tmp_path):
    win = tmp_path / "Fonts"
    win.mkdir()
    # Stand-ins named like the Windows files (the real ones are proprietary).
    os.symlink(TRUETYPE_CJK, win / "simfang.ttf")
    os.symlink(TRUETYPE_CJK, win / "simhei.ttf")
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [win])
    fs = fonts.resolve_fonts({})
    assert fs.embedded
    assert fs.body_face.path == str(win / "simfang.ttf")
    assert fs.body_face.label.startswith("仿宋")
    assert fs.heading_face.path == str(win / "simhei.ttf")
    assert fs.heading_face.label.startswith("黑体")


@needs_cjk
def test_chosen_font_that_cannot_be_used_falls_back_with_a_note(tmp_path):
    bad = tmp_path / "notafont.ttf"
    bad.write_bytes(b"hello world" * 20)
    fs = fonts.resolve_fonts({fonts.SETTING_BODY_FONT: str(bad)})
    assert fs.embedded
    assert "notafont.ttf" in fs.warning and "不能使用" in fs.warning


def test_cff_outline_font_is_refused_with_a_clear_reason(tmp_path):
    otf = tmp_path / "NotoSansCJK-Regular.otf"
    otf.write_bytes(b"OTTO" + b"\x00" * 400)
    msg = fonts.check_font_file(otf)
    assert msg and "CFF" in msg and "TrueType" in msg
    assert fonts.check_font_file(tmp_path / "missing.ttf") == f"字体文件“{tmp_path / 'missing.ttf'}”不存在。"


def test_latin_only_font_is_refused():
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.exists():
        pytest.skip("DejaVuSans not installed")
    msg = fonts.check_font_file(dejavu)
    assert msg and "不是中文字体" in msg


def test_cff_fonts_from_fontconfig_are_skipped(monkeypatch, tmp_path):
    otf = tmp_path / "NotoSerifCJK-Regular.ttc"
    otf.write_bytes(b"OTTO" + b"\x00" * 400)
    files = [otf] + ([TRUETYPE_CJK] if TRUETYPE_CJK else [])
    monkeypatch.setattr(fonts, "fontconfig_cjk_files", lambda: files)
    fs = fonts.resolve_fonts({})
    if TRUETYPE_CJK:
        assert fs.embedded and fs.body_face.path == str(TRUETYPE_CJK)
    else:
        assert not fs.embedded


def test_last_resort_is_the_cid_font_with_a_warning(monkeypatch):
    monkeypatch.setattr(fonts, "fontconfig_cjk_files", lambda: [])
    fs = fonts.resolve_fonts({})
    assert not fs.embedded
    assert fs.body == fs.heading == fonts.CID_FALLBACK
    assert "未嵌入" in fs.warning
    pdf_fonts = _pdf_fonts(fs)
    assert pdf_fonts and not any(_embedded_truetype(f) for f in pdf_fonts)
