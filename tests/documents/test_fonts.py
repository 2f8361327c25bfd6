"""Font resolution for the PDFs (desktop_app.documents.fonts): each role
(正文 仿宋, 标题 小标宋, 黑体, 楷体, 宋体 page numbers) by family name in any
face of a collection, the reasons, and Noto Serif CJK SC converted to
TrueType (desktop_app.documents.font_convert)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfgen import canvas

from desktop_app.documents import font_convert, fonts


def _installed_truetype_cjk() -> Path | None:
    for face in fonts.installed_faces():
        if face.outline == "cff":
            continue
        try:
            fonts.load_font_file(face.path, face.index)
        except fonts.FontFileError:
            continue
        return Path(face.path)
    return None


fonts.clear_cache()
TRUETYPE_CJK = _installed_truetype_cjk()
needs_cjk = pytest.mark.skipif(TRUETYPE_CJK is None,
                               reason="no CJK TrueType font installed (apt-get install fonts-wqy-zenhei)")
NOTO = next((f for f in fonts.installed_faces() if f.family == fonts.NOTO_SERIF_SC and f.style == "Regular"), None)
needs_noto = pytest.mark.skipif(NOTO is None, reason="Noto Serif CJK SC not installed (apt-get install fonts-noto-cjk)")
fonts.clear_cache()

#: What the converted subsets keep (a notice's words, the probe characters,
#: two rare characters of names).
SUBSET = ("政府信息公开申请答复告知书〔〕关开请书华国条号关于的年月日第号张某某镕喆：，。、（）"
          "一二三四五六七八九十0123456789— ")


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch, tmp_path):
    fonts.clear_cache()
    # Never pick up a real Windows font folder, nor a conversion made on this PC.
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "converted_dir", lambda: tmp_path / "converted")
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


def _make_collection(target: Path, families: list[str], text: str = SUBSET) -> Path:
    """A .ttc whose faces are the installed CJK TrueType font (subset to
    ``text``) renamed to ``families``: stand-ins for licensed fonts such as
    仿宋_GB2312 that cannot be shipped with the tests."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    faces = []
    for name in families:
        font = TTFont(str(TRUETYPE_CJK), fontNumber=0) if TRUETYPE_CJK.suffix.lower() == ".ttc" \
            else TTFont(str(TRUETYPE_CJK))
        options = subset.Options()
        options.name_IDs = ["*"]
        sub = subset.Subsetter(options)
        sub.populate(text=text)
        sub.subset(font)
        table = font["name"]
        for rec in list(table.names):
            if rec.nameID in (1, 4, 6, 16, 17):
                table.removeNames(nameID=rec.nameID)
        table.setName(name, 1, 3, 1, 0x409)
        table.setName("Regular", 2, 3, 1, 0x409)
        table.setName(name, 4, 3, 1, 0x409)
        table.setName(name.replace(" ", "").encode("ascii", "ignore").decode() or "X", 6, 3, 1, 0x409)
        faces.append(font)
    collection = TTCollection()
    collection.fonts = faces
    collection.save(str(target))
    return target


def _face(path, index, family, style="Regular", outline="truetype") -> fonts.InstalledFace:
    return fonts.InstalledFace(str(path), index, (family,), style, outline)


# --- what is on this PC ------------------------------------------------------------


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
    assert "设置中选择" in c.body_face.label and c.reasons["body"] == "在“设置 → 文书”中选择"


def test_fontconfig_lists_every_face_of_a_collection_with_its_index():
    faces = fonts._fontconfig_faces()
    if faces is None:
        pytest.skip("fontconfig (fc-list) is not installed")
    collections = [f for f in faces if f.path.endswith(".ttc")]
    if not collections:
        pytest.skip("no font collection installed")
    assert any(f.index > 0 for f in collections)


# --- every face of a collection, by family name ---------------------------------------------


@needs_cjk
def test_a_fangsong_face_is_found_by_family_name_in_any_face_of_a_collection(monkeypatch, tmp_path):
    """An agency's licensed 仿宋_GB2312 as the second face of a collection
    whose file name says nothing: found on the Windows font folder scan
    (fontTools reads every face's names)."""
    win = tmp_path / "Fonts"
    win.mkdir()
    _make_collection(win / "agency-fonts.ttc", ["Agency Sans", "仿宋_GB2312", "方正小标宋简体"])
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [win])
    monkeypatch.setattr(fonts, "_fontconfig_faces", lambda: [])
    monkeypatch.setattr(fonts, "MIN_CJK_FONT_BYTES", 0)  # the stand-in is a small subset
    fs = fonts.resolve_fonts({})
    assert fs.body_face.path == str(win / "agency-fonts.ttc") and fs.body_face.subfont == 1
    assert fs.body_face.label.startswith("仿宋_GB2312") and fs.reasons["body"] == "本机的仿宋字体"
    assert fs.title_face.subfont == 2 and fs.reasons["title"] == "本机的小标宋字体"
    assert fs.pending == ()  # nothing to convert: the PC has both
    assert _embedded_truetype(_pdf_fonts(fs)[0])


def test_kinds_are_recognised_by_family_name_never_by_file_name():
    kinds = {
        "仿宋": "fangsong", "仿宋_GB2312": "fangsong", "FangSong": "fangsong", "方正仿宋_GBK": "fangsong",
        "FZFangSong-Z02S": "fangsong", "STFangsong": "fangsong",
        "方正小标宋简体": "xiaobiaosong", "FZXiaoBiaoSong-B05S": "xiaobiaosong", "华文中宋": "zhongsong",
        "黑体": "heiti", "SimHei": "heiti", "楷体_GB2312": "kaiti", "KaiTi": "kaiti",
        "AR PL KaitiM GB": "open_kai", "LXGW WenKai": "open_kai", "WenQuanYi Zen Hei": "open_hei",
        "宋体": "songti", "SimSun": "songti", "AR PL UMing CN": "open_song",
        "Noto Serif CJK SC": "noto_serif_sc",
        # Taiwan / Hong Kong forms, and UKai's Taiwan habits: never chosen
        "AR PL UMing TW": "avoid", "AR PL UMing HK": "avoid", "AR PL UKai CN": "avoid",
        "WenQuanYi Zen Hei Mono": "avoid",
        "Droid Sans Fallback": None,
    }
    for family, kind in kinds.items():
        assert _face("/x/simfang.ttf", 0, family).kind() == kind, family


@needs_cjk
def test_a_partial_fangsong_lacking_common_characters_is_skipped(monkeypatch, tmp_path):
    """Like cwTeX 仿宋 (4,384 characters, no 关开请书): named 仿宋 but not
    usable; the body falls to the next face and says why."""
    partial = _make_collection(tmp_path / "cwfs.ttc", ["cwTeX Q Fangsong"], text="政府信息公开申请答复〔〕")
    faces = [_face(partial, 0, "cwTeX Q Fangsong"), _face(TRUETYPE_CJK, 0, "AR PL UMing CN")]
    monkeypatch.setattr(fonts, "installed_faces", lambda: faces)
    monkeypatch.setattr(fonts, "conversion_tasks", lambda faces=None: {})
    fs = fonts.resolve_fonts({})
    assert fs.body_face.path == str(TRUETYPE_CJK)
    assert "没有仿宋" in fs.reasons["body"]
    assert "缺少常用汉字" in fonts.check_font_file(partial)


@needs_cjk
def test_roles_without_their_kind_borrow_a_face_and_say_so(monkeypatch):
    monkeypatch.setattr(fonts, "installed_faces", lambda: [_face(TRUETYPE_CJK, 0, "AR PL UMing CN")])
    monkeypatch.setattr(fonts, "conversion_tasks", lambda faces=None: {})
    fs = fonts.resolve_fonts({})
    assert fs.body == fs.title == fs.heading == fs.kai == fs.song
    assert fs.reasons["kai"] == "本机没有楷体字体，使用正文的字体"
    assert fs.reasons["title"] == "本机没有小标宋字体，使用正文的字体"
    assert "二级标题（楷体）" in fs.describe() or "二级标题" in fs.describe()


# --- refusals ---------------------------------------------------------------------------


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
    assert msg and "缺少常用汉字" in msg


def test_cff_faces_are_never_embedded_as_they_are(monkeypatch, tmp_path):
    otf = tmp_path / "NotoSerifCJK-Regular.ttc"
    otf.write_bytes(b"OTTO" + b"\x00" * 400)
    faces = [_face(otf, 2, "Noto Serif CJK SC", outline="cff")]
    if TRUETYPE_CJK:
        faces.append(_face(TRUETYPE_CJK, 0, "WenQuanYi Zen Hei"))
    monkeypatch.setattr(fonts, "installed_faces", lambda: faces)
    fs = fonts.resolve_fonts({})
    if TRUETYPE_CJK:
        assert fs.embedded and fs.body_face.path == str(TRUETYPE_CJK)
        # the Noto face is waiting for its conversion, and the reason says so
        assert [t.style for t in fs.pending] == ["Regular"]
        assert "Noto Serif CJK SC Regular 转换为 TrueType 之前" in fs.reasons["body"]
    else:
        assert not fs.embedded


def test_last_resort_is_the_cid_font_with_a_warning(monkeypatch):
    monkeypatch.setattr(fonts, "installed_faces", lambda: [])
    fs = fonts.resolve_fonts({})
    assert not fs.embedded
    assert fs.body == fs.heading == fonts.CID_FALLBACK
    assert "未嵌入" in fs.warning
    pdf_fonts = _pdf_fonts(fs)
    assert pdf_fonts and not any(_embedded_truetype(f) for f in pdf_fonts)


def test_a_face_of_a_collection_is_stored_as_path_and_index(tmp_path):
    assert fonts.parse_choice("/usr/share/fonts/x.ttc#2") == ("/usr/share/fonts/x.ttc", 2)
    assert fonts.parse_choice("C:\\Windows\\Fonts\\simfang.ttf") == ("C:\\Windows\\Fonts\\simfang.ttf", 0)
    odd = tmp_path / "font#3"
    odd.write_bytes(b"x")
    assert fonts.parse_choice(str(odd)) == (str(odd), 0)  # a file really named so


# --- Noto Serif CJK SC converted to TrueType ---------------------------------------------------


def _subset_tasks(monkeypatch, tmp_path):
    """The real conversion tasks of this PC, each limited to SUBSET (the
    same code path as the full conversion, in seconds)."""
    real = fonts.conversion_tasks

    def tasks(faces=None):
        from dataclasses import replace

        return {k: replace(t, subset_text=SUBSET) for k, t in real(faces).items()}

    monkeypatch.setattr(fonts, "conversion_tasks", tasks)
    return tasks


@needs_noto
def test_converted_noto_is_embedded_for_body_and_title_where_there_is_no_fangsong(monkeypatch, tmp_path):
    from desktop_app.documents import render

    faces = [f for f in fonts.installed_faces() if f.kind() not in ("fangsong", "xiaobiaosong", "zhongsong")]
    monkeypatch.setattr(fonts, "installed_faces", lambda: faces)
    _subset_tasks(monkeypatch, tmp_path)
    before = fonts.resolve_fonts({})
    assert {t.style for t in before.pending} == {"Regular", "Bold"}
    assert "暂用" in before.reasons["body"]  # printing meanwhile with the best face there is

    code = font_convert.run_tasks(list(before.pending), io.StringIO())
    assert code == 0
    after = fonts.resolve_fonts({})  # no cache clearing needed: the conversion changes the key
    assert after is not before and after.pending == ()
    assert after.body_face.path.endswith("NotoSerifCJKsc-Regular.ttf")
    assert after.title_face.path.endswith("NotoSerifCJKsc-Bold.ttf")
    assert "由 Noto Serif CJK SC（思源宋体）转换" in after.reasons["body"]
    assert "Noto Serif CJK SC Bold" in after.reasons["title"]
    assert after.song_face.path == after.body_face.path  # page numbers in the converted 宋体

    snapshot = {"title": "政府信息公开申请答复告知书", "addressee": "张某某：", "doc_number": "第1号",
                "paragraphs": ["关于申请公开的政府信息，答复如下。"], "agency": {"name": "某某区人民政府"},
                "date_cn": "2026年9月1日"}
    pdf = render.render_notice(snapshot, fonts=after)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    used = {}
    for page in reader.pages:
        res = page["/Resources"]["/Font"]
        for k in res:
            f = res[k].get_object()
            used[str(f.get("/BaseFont"))] = _embedded_truetype(f)
    regular = [n for n in used if "NotoSerifCJKsc-Regular" in n]
    bold = [n for n in used if "NotoSerifCJKsc-Bold" in n]
    assert regular and bold, used
    assert all(used[n] for n in regular + bold)  # embedded as TrueType (FontFile2)


@needs_noto
def test_a_conversion_is_redone_when_the_font_package_changes(monkeypatch, tmp_path):
    task = font_convert.ConversionTask(NOTO.path, NOTO.index, str(tmp_path / "n.ttf"), "Noto Serif CJK SC",
                                       "Regular", subset_text="政府")
    assert not font_convert.is_current(task)
    record = font_convert.convert_face(task.source, task.index, task.target, subset_text=task.subset_text)
    assert font_convert.is_current(task) and record["glyphs"] < 20
    meta = font_convert.sidecar_path(task.target)
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace(str(record["size"]), str(record["size"] + 1)), encoding="utf-8")
    assert not font_convert.is_current(task)  # the source is not the one converted
    # a subset is never taken for the full font the documents need
    full = font_convert.ConversionTask(NOTO.path, NOTO.index, task.target, "Noto Serif CJK SC", "Regular")
    assert not font_convert.is_current(full)


@needs_noto
def test_background_conversion_reports_progress_and_the_next_pdf_uses_it(monkeypatch, tmp_path):
    """The worker runs in its own process (never on the GUI thread); its
    progress lines are followed by a reader thread; the resolver takes the
    converted face once it is there."""
    faces = [f for f in fonts.installed_faces() if f.kind() not in ("fangsong",)]
    monkeypatch.setattr(fonts, "installed_faces", lambda: faces)
    tasks = _subset_tasks(monkeypatch, tmp_path)
    task = tasks()["regular"]
    script = ("import sys; from desktop_app.documents.font_convert import ConversionTask, run_tasks;"
              f"sys.exit(run_tasks([ConversionTask(*{(task.source, task.index, task.target, task.family, task.style)!r},"
              f" subset_text={task.subset_text!r})]))")
    job = font_convert.BackgroundConversion()
    seen = []
    job.listeners.append(lambda: seen.append((job.percent, job.text)))
    assert job.start([sys.executable, "-c", script])
    assert not job.start([sys.executable, "-c", script])  # one at a time
    assert job.wait(120)
    assert job.error is None and job.percent == 100
    percents = [p for p, _t in seen]
    assert percents == sorted(percents) and 0 < max(percents[:-1] or [1]) <= 100
    assert any("转换字形" in t for _p, t in seen)
    assert fonts.resolve_fonts({}).body_face.path == task.target


def test_a_failed_conversion_is_reported_not_hidden():
    job = font_convert.BackgroundConversion()
    job.start([sys.executable, "-c", "print('ERROR OSError: 磁盘已满', flush=True); raise SystemExit(1)"])
    assert job.wait(60)
    assert job.error == "OSError: 磁盘已满"


