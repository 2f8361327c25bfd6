"""Chinese fonts for every PDF the app writes (notices, forms, reports).

A printed notice must look the same on any PC, so each PDF embeds a
subset of a CJK **TrueType** font.  :func:`resolve_fonts` finds one, in
this order:

1. the font file(s) the agency chose in the settings
   (``document_font_file`` for the body, ``document_heading_font_file``
   for headings);
2. the fonts present on every Chinese Windows PC, in ``%WINDIR%\\Fonts``
   (and the per-user font folder): 仿宋 ``simfang.ttf``, 宋体
   ``simsun.ttc``, 楷体 ``simkai.ttf`` for the body, 黑体 ``simhei.ttf``
   for headings;
3. on Linux (统信UOS, 麒麟 …) a CJK TrueType font found through fontconfig
   (``fc-list :lang=zh file``): WenQuanYi, AR PL and similar.  reportlab
   cannot embed fonts with CFF (PostScript) outlines such as Noto/Source
   Han CJK ``.otf``/``.ttc``; each candidate is tried and those are
   skipped;
4. as a last resort reportlab's built-in ``STSong-Light`` CID font, which
   is *not* embedded: the PDF then relies on the reader's fonts, and
   :attr:`FontSet.warning` says so, for the GUI and CLI to show.

The result is cached per process (per distinct font settings).  No font
file is shipped with the app: proprietary Windows fonts stay on Windows.

Only reportlab is used here (no Qt), so the annual report and any
command-line tool can share it::

    fonts = resolve_fonts(register.settings())
    style = ParagraphStyle("body", fontName=fonts.body, fontSize=16)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

#: Settings keys (机关设置) read by :func:`resolve_fonts`.
SETTING_BODY_FONT = "document_font_file"
SETTING_HEADING_FONT = "document_heading_font_file"

#: reportlab's built-in CID font used when nothing can be embedded.
CID_FALLBACK = "STSong-Light"

#: Characters a font must have to be usable for the app's documents.
_PROBE_CHARS = "政府信息公开申请答复〔〕"

#: Windows font files: (file name, subfont index, Chinese name).
WINDOWS_BODY_FONTS = [
    ("simfang.ttf", 0, "仿宋"),
    ("simsun.ttc", 0, "宋体"),
    ("simkai.ttf", 0, "楷体"),
    ("simhei.ttf", 0, "黑体"),
]
WINDOWS_HEADING_FONTS = [
    ("simhei.ttf", 0, "黑体"),
    ("msyh.ttc", 0, "微软雅黑"),
    ("simsun.ttc", 0, "宋体"),
]
WINDOWS_SONG_FONTS = [
    ("simsun.ttc", 0, "宋体"),
]

# Preference among fontconfig results (lower-case substrings of the path).
_LINUX_BODY_PREFERENCE = ["fang", "song", "uming", "ming", "kai", "zenhei", "microhei", "hei"]
_LINUX_HEADING_PREFERENCE = ["hei", "zenhei", "microhei", "sans", "uming", "ming"]

_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


class FontFileError(ValueError):
    """A font file that cannot be used; ``str(err)`` is for the clerk."""


@dataclass(frozen=True)
class FontFace:
    """One usable font: its reportlab name and where it came from."""

    name: str              # registered reportlab font name
    path: str | None       # file, None for the CID fallback
    subfont: int = 0
    label: str = ""        # what the clerk sees: 仿宋（C:\\Windows\\Fonts\\simfang.ttf）
    embedded: bool = True


@dataclass(frozen=True)
class FontSet:
    """The fonts of one document family.

    ``body`` (仿宋-style, 三号 body text), ``heading`` (黑体-style),
    ``title`` (宋体-style, for the big red-less title line; falls back to
    the heading font) are registered reportlab font names.
    """

    body: str
    heading: str
    title: str
    embedded: bool
    warning: str | None
    body_face: FontFace
    heading_face: FontFace
    title_face: FontFace

    def describe(self) -> str:
        """One line for the settings tab: which fonts are in use."""
        parts = [f"正文：{self.body_face.label}"]
        if self.heading_face.path != self.body_face.path or self.heading_face.subfont != self.body_face.subfont:
            parts.append(f"标题：{self.heading_face.label}")
        return "；".join(parts)


# --- loading and registering one font ------------------------------------------

_lock = threading.RLock()
_registered: dict[tuple[str, int], FontFace] = {}
_failed: dict[tuple[str, int], str] = {}
_cache: dict[tuple, FontSet] = {}


def _reg_name(path: str, subfont: int) -> str:
    digest = hashlib.sha1(f"{os.path.abspath(path)}#{subfont}".encode("utf-8")).hexdigest()[:10]
    return f"DD-{Path(path).stem}-{subfont}-{digest}"


def load_font_file(path: str | os.PathLike, subfont: int = 0, label: str = "") -> FontFace:
    """Register ``path`` (a TrueType ``.ttf``/``.ttc``) with reportlab and
    return it; :class:`FontFileError` with a Chinese reason when it cannot
    be embedded (missing, CFF outlines, no Chinese characters)."""
    path = str(path)
    key = (os.path.abspath(path), subfont)
    with _lock:
        if key in _registered:
            face = _registered[key]
            return replace(face, label=label) if label and label != face.label else face
        if key in _failed:
            raise FontFileError(_failed[key])
        try:
            face = _load(path, subfont, label)
        except FontFileError as exc:
            _failed[key] = str(exc)
            raise
        _registered[key] = face
        return face


def _load(path: str, subfont: int, label: str) -> FontFace:
    p = Path(path)
    if not p.is_file():
        raise FontFileError(f"字体文件“{path}”不存在。")
    name = _reg_name(path, subfont)
    try:
        font = TTFont(name, path, subfontIndex=subfont)
    except Exception as exc:  # reportlab raises TTFError, struct errors, IndexError …
        text = str(exc)
        if "postscript" in text.lower() or "cff" in text.lower():
            reason = "该字体为 PostScript（CFF）轮廓字体（如思源/Noto CJK），无法嵌入 PDF"
        else:
            reason = f"无法读取（{text or type(exc).__name__}）"
        raise FontFileError(f"字体文件“{p.name}”不能使用：{reason}。请选择 TrueType 字体（.ttf 或 .ttc）。") from None
    missing = [ch for ch in _PROBE_CHARS if ord(ch) not in font.face.charToGlyph]
    if missing:
        raise FontFileError(
            f"字体文件“{p.name}”缺少常用汉字（如“{''.join(missing[:4])}”），不是中文字体。请选择中文字体文件。")
    pdfmetrics.registerFont(font)
    return FontFace(name=name, path=path, subfont=subfont, label=label or _label_for(p, subfont))


def _label_for(p: Path, subfont: int) -> str:
    return f"{p.name}" + (f"（第{subfont + 1}个字体）" if subfont else "") + f"（{p.parent}）"


def check_font_file(path: str | os.PathLike) -> str | None:
    """None if ``path`` can be embedded in the app's PDFs, else a Chinese
    message (for the settings tab's validation)."""
    if not str(path).strip():
        return None
    try:
        load_font_file(path)
    except FontFileError as exc:
        return str(exc)
    return None


def _cid_face() -> FontFace:
    with _lock:
        if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return FontFace(name=CID_FALLBACK, path=None, label="STSong-Light（阅读器内置字体，未嵌入）",
                    embedded=False)


# --- where fonts are ------------------------------------------------------------


def windows_font_dirs() -> list[Path]:
    """``%WINDIR%\\Fonts`` and the per-user font folder (Windows 10 1809+)."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    elif sys.platform == "win32":
        dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _find_in_dirs(dirs: list[Path], file_name: str) -> Path | None:
    for d in dirs:
        p = d / file_name
        if p.is_file():
            return p
        # Font folders on Windows are case-insensitive; elsewhere look around.
        if d.is_dir() and sys.platform != "win32":
            for child in d.iterdir():
                if child.name.lower() == file_name.lower():
                    return child
    return None


def fontconfig_cjk_files() -> list[Path]:
    """Font files fontconfig says cover Chinese (``fc-list :lang=zh file``);
    without fontconfig, a scan of the usual font folders for CJK names."""
    files: list[Path] = []
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True,
                                 timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            line = line.strip().rstrip(":").strip()
            if line and line.lower().endswith(_FONT_SUFFIXES):
                files.append(Path(line))
    else:
        hints = ("wqy", "wenquanyi", "arphic", "uming", "ukai", "cjk", "hei", "song", "fang", "kai",
                 "noto", "droid", "simsun", "simfang", "simhei")
        for root in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
                     str(Path.home() / ".local/share/fonts"), "/Library/Fonts", "/System/Library/Fonts"):
            if not os.path.isdir(root):
                continue
            for dirpath, _dirs, names in os.walk(root):
                for n in names:
                    low = n.lower()
                    if low.endswith(_FONT_SUFFIXES) and any(h in (dirpath + "/" + low).lower() for h in hints):
                        files.append(Path(dirpath) / n)
    # unique, stable order
    seen: set[str] = set()
    unique = []
    for f in files:
        if str(f) not in seen:
            seen.add(str(f))
            unique.append(f)
    return unique


def _rank(files: list[Path], preference: list[str]) -> list[Path]:
    def key(p: Path) -> tuple[int, int, str]:
        low = str(p).lower()
        for i, word in enumerate(preference):
            if word in Path(low).name:
                return (0 if low.endswith((".ttf", ".ttc")) else 1, i, low)
        return (0 if low.endswith((".ttf", ".ttc")) else 1, len(preference), low)

    return sorted(files, key=key)


def _first_loadable(candidates: list[tuple[Path, int, str]], problems: list[str]) -> FontFace | None:
    for path, subfont, label in candidates:
        try:
            return load_font_file(path, subfont, label)
        except FontFileError as exc:
            problems.append(str(exc))
    return None


def _windows_candidates(table, dirs: list[Path]) -> list[tuple[Path, int, str]]:
    out = []
    for file_name, subfont, cn in table:
        p = _find_in_dirs(dirs, file_name)
        if p is not None:
            out.append((p, subfont, f"{cn}（{p}）"))
    return out


def _linux_candidates(files: list[Path], preference: list[str]) -> list[tuple[Path, int, str]]:
    return [(p, 0, f"{p.name}（{p.parent}）") for p in _rank(files, preference)]


# --- resolution --------------------------------------------------------------------


def resolve_fonts(settings: dict | None = None) -> FontSet:
    """The fonts for the app's PDFs under ``settings`` (cached per process
    for the same font settings)."""
    settings = settings or {}
    body_choice = str(settings.get(SETTING_BODY_FONT) or "").strip()
    heading_choice = str(settings.get(SETTING_HEADING_FONT) or "").strip()
    key = (body_choice, heading_choice)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        fontset = _resolve(body_choice, heading_choice)
        _cache[key] = fontset
        return fontset


def clear_cache() -> None:
    """Forget resolved font sets (after the settings change, or in tests)."""
    with _lock:
        _cache.clear()
        _failed.clear()


def _resolve(body_choice: str, heading_choice: str) -> FontSet:
    notes: list[str] = []
    problems: list[str] = []
    win_dirs = windows_font_dirs()
    linux_files: list[Path] | None = None

    def linux(pref):
        nonlocal linux_files
        if linux_files is None:
            linux_files = fontconfig_cjk_files() if sys.platform != "win32" else []
        return _linux_candidates(linux_files, pref)

    body = heading = title = None
    if body_choice:
        try:
            body = load_font_file(body_choice, 0, f"{Path(body_choice).name}（设置中选择）")
        except FontFileError as exc:
            notes.append(f"设置中选择的正文字体不能使用：{exc}")
    if heading_choice:
        try:
            heading = load_font_file(heading_choice, 0, f"{Path(heading_choice).name}（设置中选择）")
        except FontFileError as exc:
            notes.append(f"设置中选择的标题字体不能使用：{exc}")

    if body is None:
        body = _first_loadable(_windows_candidates(WINDOWS_BODY_FONTS, win_dirs), problems)
    if heading is None:
        heading = _first_loadable(_windows_candidates(WINDOWS_HEADING_FONTS, win_dirs), problems)
    title = _first_loadable(_windows_candidates(WINDOWS_SONG_FONTS, win_dirs), problems)

    if body is None:
        body = _first_loadable(linux(_LINUX_BODY_PREFERENCE), problems)
    if heading is None:
        heading = _first_loadable(linux(_LINUX_HEADING_PREFERENCE), problems)

    if body is None and heading is not None:
        body = heading
    if heading is None and body is not None:
        heading = body
    if title is None:
        title = heading if heading is not None else body

    embedded = body is not None
    if not embedded:
        cid = _cid_face()
        body = heading = title = cid
        notes.append(
            "未找到可嵌入的中文 TrueType 字体，PDF 使用阅读器内置的 STSong-Light 字体且未嵌入字体文件，"
            "在其他电脑上显示或打印时字形可能不同。请在“设置 → 文书”中选择一个中文字体文件"
            "（如 Windows 的 simfang.ttf，或文泉驿 wqy-zenhei.ttc）。")
    warning = "\n".join(notes) or None
    return FontSet(body=body.name, heading=heading.name, title=title.name, embedded=embedded,
                   warning=warning, body_face=body, heading_face=heading, title_face=title)


def available_font_files() -> list[tuple[str, str]]:
    """(label, path) of the CJK TrueType fonts found on this computer, for
    the settings tab's font chooser (loads each to check it)."""
    out: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    cands = _windows_candidates(WINDOWS_BODY_FONTS + WINDOWS_HEADING_FONTS, windows_font_dirs())
    if sys.platform != "win32":
        cands += _linux_candidates(fontconfig_cjk_files(), _LINUX_BODY_PREFERENCE)
    for path, subfont, label in cands:
        if str(path) in seen:
            continue
        seen.add(str(path))
        face = _first_loadable([(path, subfont, label)], problems)
        if face is not None:
            out.append((label, str(path)))
    return out
