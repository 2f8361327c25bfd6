"""Chinese typefaces for every PDF the app writes (notices, forms, reports).

Official documents (GB/T 9704-2012) set the body in 仿宋, the title in
小标宋, first-level headings in 黑体 and second-level ones in 楷体; page
numbers in 宋体.  A printed notice must look the same on any PC, so each
PDF embeds a subset of a **TrueType**-outline font (reportlab embeds no
other kind).  :func:`resolve_fonts` picks a face for each role:

=========  =====================================================================
role       in this order
=========  =====================================================================
正文 body   the face chosen in 设置 → 文书; a 仿宋 (仿宋, 仿宋_GB2312, 方正仿宋,
           华文仿宋, FangSong …); Noto Serif CJK SC converted to TrueType
           (:mod:`.font_convert`, once, in the background); AR PL UMing CN;
           any other 宋体; any Chinese TrueType font
标题 title  the chosen face; a 小标宋 (方正小标宋 …); 华文中宋; the converted
           Noto Serif CJK SC **Bold**; a 黑体; the body face
黑体        the chosen face; 黑体 (SimHei, 方正黑体 …); WenQuanYi Zen/Micro Hei;
heading    微软雅黑; the body face
楷体 kai    the chosen face; 楷体 (KaiTi, 楷体_GB2312, 方正楷体 …); AR PL KaitiM
           GB; LXGW WenKai (never the Taiwan-form AR PL UKai); the body face
宋体 song   (page numbers) 宋体/SimSun; converted Noto Serif CJK SC; AR PL
           UMing CN; the body face
=========  =====================================================================

Faces are found by **family name**, in every face of every collection
(``.ttc``), not by file name: agencies on 统信UOS and 麒麟 install licensed
仿宋_GB2312 or 方正 fonts under any file name.  On Linux fontconfig lists
them (``fc-list :lang=zh``); on Windows the font folders are read with
fontTools.  A face must have the common characters of the app's documents
(a 仿宋 lacking 关开请书 is skipped).  With nothing embeddable, reportlab's
built-in ``STSong-Light`` is used, not embedded, and
:attr:`FontSet.warning` says so.

Each role carries the reason for its face (:attr:`FontSet.reasons`), for
设置 → 文书 and ``disclosure-desk fonts``.  The result is cached per process
for the same font settings and the same converted fonts, so a conversion
that finishes is used by the next PDF.  No font file is shipped with the
app.  Only reportlab and fontTools here (no Qt)::

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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from .font_convert import FINISHED_HOOKS, ConversionTask, is_current

#: Settings keys (机关设置) read by :func:`resolve_fonts`: a font file,
#: ``PATH`` or ``PATH#N`` for face N of a collection.
SETTING_BODY_FONT = "document_font_file"
SETTING_TITLE_FONT = "document_title_font_file"
SETTING_HEADING_FONT = "document_heading_font_file"
SETTING_KAI_FONT = "document_kai_font_file"

ROLE_BODY, ROLE_TITLE, ROLE_HEADING, ROLE_KAI, ROLE_SONG = "body", "title", "heading", "kai", "song"
#: The roles the clerk sees and may choose, in display order.
ROLES = (ROLE_BODY, ROLE_TITLE, ROLE_HEADING, ROLE_KAI)
ROLE_LABELS = {
    ROLE_BODY: "正文（仿宋）",
    ROLE_TITLE: "标题（小标宋）",
    ROLE_HEADING: "一级标题（黑体）",
    ROLE_KAI: "二级标题（楷体）",
    ROLE_SONG: "页码（宋体）",
}
ROLE_SETTINGS = {
    ROLE_BODY: SETTING_BODY_FONT,
    ROLE_TITLE: SETTING_TITLE_FONT,
    ROLE_HEADING: SETTING_HEADING_FONT,
    ROLE_KAI: SETTING_KAI_FONT,
}

#: reportlab's built-in CID font used when nothing can be embedded.
CID_FALLBACK = "STSong-Light"

#: Characters a font must have to be usable for the app's documents
#: (the last eight are those a partial 仿宋 such as cwTeX's lacks).
_PROBE_CHARS = "政府信息公开申请答复〔〕关开请书华国条号"

#: The open serif that is converted to TrueType.
NOTO_SERIF_SC = "Noto Serif CJK SC"

_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")

#: Kinds of face, recognised by (lower-case) family names, checked in
#: this order (方正小标宋 is a 小标宋 before it is a 宋).
KIND_PATTERNS: list[tuple[str, tuple[str, ...]]] = [
    ("fangsong", ("仿宋", "fangsong", "fang song", "fzfs", "simfang")),
    ("xiaobiaosong", ("小标宋", "xiaobiaosong", "xiao biao song", "fzxbs")),
    ("zhongsong", ("中宋", "zhongsong")),
    ("open_kai", ("ar pl kaitim gb", "lxgw wenkai", "霞鹜文楷")),
    ("kaiti", ("楷体", "kaiti", "simkai", "fzkai")),
    ("heiti", ("黑体", "simhei", "heiti", "fzhei")),
    ("open_hei", ("wenquanyi zen hei", "wenquanyi micro hei", "文泉驿正黑", "文泉驿微米黑",
                  "文泉驛正黑", "文泉驛微米黑")),
    ("yahei", ("微软雅黑", "microsoft yahei")),
    ("songti", ("宋体", "simsun", "songti", "nsimsun")),
    ("open_song", ("ar pl uming cn", "ar pl sungtil gb", "文鼎pl细上海宋", "文鼎ＰＬ简报宋")),
    ("noto_serif_sc", ("noto serif cjk sc",)),
]

#: Faces never chosen automatically: Taiwan/Hong Kong glyph forms (and
#: AR PL UKai, which draws 真 as 眞 even in its CN face), monospaced or
#: bitmap-like variants.
_AVOID = (" tw", " hk", "ukai", "cns11643", "mono", "sharp", "等宽", "等寬", "点阵", "點陣")

#: Where each kind's faces rank for a role, with the reason shown when a
#: face of that kind is chosen.
_ROLE_ORDER: dict[str, list[tuple[str, str]]] = {
    ROLE_BODY: [
        ("fangsong", "本机的仿宋字体"),
        ("converted_regular", "本机没有仿宋字体，使用由 Noto Serif CJK SC（思源宋体）转换的 TrueType 宋体"),
        ("open_song", "本机没有仿宋字体，也没有可转换的 Noto Serif CJK SC，使用开源宋体"),
        ("songti", "本机没有仿宋字体，使用宋体"),
        ("kaiti", "本机没有仿宋、宋体，使用楷体"),
        ("open_kai", "本机没有仿宋、宋体，使用开源楷体"),
        ("heiti", "本机没有仿宋、宋体，使用黑体"),
        ("open_hei", "本机没有仿宋、宋体，使用文泉驿黑体"),
        ("yahei", "本机没有仿宋、宋体，使用微软雅黑"),
        ("any", "本机没有仿宋、宋体，使用找到的中文字体"),
    ],
    ROLE_TITLE: [
        ("xiaobiaosong", "本机的小标宋字体"),
        ("zhongsong", "本机没有小标宋字体，使用华文中宋"),
        ("converted_bold", "本机没有小标宋字体，使用由 Noto Serif CJK SC Bold（思源宋体粗体）转换的 TrueType 字体"),
        ("heiti", "本机没有小标宋字体，以黑体代替"),
        ("open_hei", "本机没有小标宋字体，以文泉驿黑体代替"),
    ],
    ROLE_HEADING: [
        ("heiti", "本机的黑体字体"),
        ("open_hei", "本机没有黑体（SimHei），使用开源黑体文泉驿"),
        ("yahei", "本机没有黑体，使用微软雅黑"),
    ],
    ROLE_KAI: [
        ("kaiti", "本机的楷体字体"),
        ("open_kai", "本机没有楷体（KaiTi），使用开源楷体"),
    ],
    ROLE_SONG: [
        ("songti", "本机的宋体"),
        ("converted_regular", "由 Noto Serif CJK SC 转换的 TrueType 宋体"),
        ("open_song", "开源宋体"),
    ],
}

#: When nothing of a role's kinds is found: the role borrows this role's face.
_BORROW = {ROLE_TITLE: ROLE_BODY, ROLE_HEADING: ROLE_BODY, ROLE_KAI: ROLE_BODY, ROLE_SONG: ROLE_BODY}


class FontFileError(ValueError):
    """A font file that cannot be used; ``str(err)`` is for the clerk."""


@dataclass(frozen=True)
class InstalledFace:
    """One face of a font file on this PC."""

    path: str
    index: int
    families: tuple[str, ...]
    style: str = ""
    outline: str = ""          # "truetype", "cff" or "" (unknown)
    converted: bool = False    # a TrueType file this app converted

    @property
    def family(self) -> str:
        """The family name to show (the simplified-Chinese one comes first)."""
        return self.families[0] if self.families else Path(self.path).stem

    def kind(self) -> str | None:
        """The kind of face ("fangsong", "heiti" …), "avoid" for faces never
        chosen automatically, None for other Chinese faces."""
        text = " ".join(self.families).lower()
        if any(bad in f" {text}" for bad in _AVOID):
            return "avoid"
        for kind, patterns in KIND_PATTERNS:
            if any(p in text for p in patterns):
                return kind
        return None

    def is_bold(self) -> bool:
        low = self.style.lower()
        return any(w in low for w in ("bold", "black", "heavy", "粗"))

    def value(self) -> str:
        """How a chosen face is stored in the settings."""
        return f"{self.path}#{self.index}" if self.index else self.path


@dataclass(frozen=True)
class FontFace:
    """One usable font: its reportlab name and where it came from."""

    name: str              # registered reportlab font name
    path: str | None       # file, None for the CID fallback
    subfont: int = 0
    label: str = ""        # what the clerk sees: 仿宋（C:\\Windows\\Fonts\\simfang.ttf）
    embedded: bool = True
    family: str = ""


@dataclass(frozen=True)
class FontSet:
    """The faces of one document family (reportlab font names per role)
    and why each was chosen."""

    body: str
    heading: str
    title: str
    embedded: bool
    warning: str | None
    body_face: FontFace
    heading_face: FontFace
    title_face: FontFace
    kai: str = ""
    kai_face: FontFace | None = None
    song: str = ""
    song_face: FontFace | None = None
    reasons: dict = field(default_factory=dict)
    #: Conversions that would give a better face (not yet done).
    pending: tuple = ()

    def face(self, role: str) -> FontFace:
        return {ROLE_BODY: self.body_face, ROLE_TITLE: self.title_face, ROLE_HEADING: self.heading_face,
                ROLE_KAI: self.kai_face or self.body_face, ROLE_SONG: self.song_face or self.body_face}[role]

    def describe(self) -> str:
        """One line: which face each role uses."""
        return "；".join(f"{ROLE_LABELS[r].split('（')[0]}：{self.face(r).label}" for r in ROLES)


# --- loading and registering one font ------------------------------------------

_lock = threading.RLock()
_registered: dict[tuple[str, int], FontFace] = {}
_failed: dict[tuple[str, int], str] = {}
_cache: dict[tuple, FontSet] = {}
_faces_cache: list[InstalledFace] | None = None


def _reg_name(path: str, subfont: int) -> str:
    digest = hashlib.sha1(f"{os.path.abspath(path)}#{subfont}".encode()).hexdigest()[:10]
    return f"DD-{Path(path).stem}-{subfont}-{digest}"


def load_font_file(path: str | os.PathLike, subfont: int = 0, label: str = "", family: str = "") -> FontFace:
    """Register face ``subfont`` of ``path`` (TrueType ``.ttf``/``.ttc``)
    with reportlab and return it; :class:`FontFileError` with a Chinese
    reason when it cannot be embedded (missing, CFF outlines, no Chinese
    characters)."""
    path = str(path)
    key = (os.path.abspath(path), subfont)
    with _lock:
        if key in _registered:
            face = _registered[key]
            if (label and label != face.label) or (family and family != face.family):
                face = replace(face, label=label or face.label, family=family or face.family)
            return face
        if key in _failed:
            raise FontFileError(_failed[key])
        try:
            face = _load(path, subfont, label, family)
        except FontFileError as exc:
            _failed[key] = str(exc)
            raise
        _registered[key] = face
        return face


def _load(path: str, subfont: int, label: str, family: str) -> FontFace:
    p = Path(path)
    if not p.is_file():
        raise FontFileError(f"字体文件“{path}”不存在。")
    name = _reg_name(path, subfont)
    try:
        font = TTFont(name, path, subfontIndex=subfont)
    except Exception as exc:  # reportlab raises TTFError, struct errors, IndexError …
        text = str(exc)
        if "postscript" in text.lower() or "cff" in text.lower():
            reason = ("该字体为 PostScript（CFF）轮廓字体（如思源/Noto CJK），无法直接嵌入 PDF"
                      "（Noto Serif CJK SC 会自动转换后使用）")
        else:
            reason = f"无法读取（{text or type(exc).__name__}）"
        raise FontFileError(f"字体文件“{p.name}”不能使用：{reason}。请选择 TrueType 字体（.ttf 或 .ttc）。") from None
    missing = [ch for ch in _PROBE_CHARS if ord(ch) not in font.face.charToGlyph]
    if missing:
        raise FontFileError(
            f"字体文件“{p.name}”缺少常用汉字（如“{''.join(missing[:4])}”），不能用于文书。请选择完整的中文字体文件。")
    pdfmetrics.registerFont(font)
    return FontFace(name=name, path=path, subfont=subfont, label=label or _label_for(p, subfont),
                    family=family)


def _label_for(p: Path, subfont: int) -> str:
    return f"{p.name}" + (f"（第{subfont + 1}个字体）" if subfont else "") + f"（{p.parent}）"


def parse_choice(value: str) -> tuple[str, int]:
    """A stored font choice → (path, face index): ``PATH#N`` names face N
    of a collection (unless a file is really called so)."""
    value = str(value or "").strip()
    head, sep, tail = value.rpartition("#")
    if sep and tail.isdigit() and head and not os.path.exists(value):
        return head, int(tail)
    return value, 0


def check_font_file(path: str | os.PathLike) -> str | None:
    """None if ``path`` (or ``PATH#N``) can be embedded in the app's PDFs,
    else a Chinese message (for the settings tab's validation)."""
    if not str(path).strip():
        return None
    file, index = parse_choice(str(path))
    try:
        load_font_file(file, index)
    except FontFileError as exc:
        return str(exc)
    return None


def _cid_face() -> FontFace:
    with _lock:
        if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return FontFace(name=CID_FALLBACK, path=None, label="STSong-Light（阅读器内置字体，未嵌入）",
                    embedded=False, family="STSong-Light")


# --- where fonts are ------------------------------------------------------------


def windows_font_dirs() -> list[Path]:
    """``%WINDIR%\\Fonts`` and the per-user font folder (Windows 10 1809+)."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")  # noqa: SIM112 - Windows spells it so
    if windir:
        dirs.append(Path(windir) / "Fonts")
    elif sys.platform == "win32":
        dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def unix_font_dirs() -> list[Path]:
    home = Path.home()
    return [Path(p) for p in ("/usr/share/fonts", "/usr/local/share/fonts", str(home / ".fonts"),
                              str(home / ".local/share/fonts"), "/Library/Fonts", "/System/Library/Fonts")]


def _fontconfig_faces() -> list[InstalledFace] | None:
    """Chinese faces fontconfig knows (None without fontconfig)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run([fc_list, ":lang=zh", "--format",
                              "%{file}\t%{index}\t%{family}\t%{style}\t%{fontformat}\t%{familylang}\n"],
                             capture_output=True, text=True, encoding="utf-8", errors="replace",
                             timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 5 or not parts[0].lower().endswith(_FONT_SUFFIXES):
            continue
        path, index, family, style, fmt = parts[:5]
        try:
            idx = int(index)
        except ValueError:
            idx = 0
        outline = {"truetype": "truetype", "cff": "cff"}.get(fmt.strip().lower(), "")
        langs = parts[5].split(",") if len(parts) > 5 else []
        names = [f.strip() for f in family.split(",")]
        families = _display_order([(n, langs[i].strip().lower() if i < len(langs) else "")
                                   for i, n in enumerate(names) if n])
        faces.append(InstalledFace(path, idx, families, style.split(",")[0].strip(), outline))
    return faces


_LANG_ORDER = ("zh-cn", "zh-sg", "zh", "en")


def _display_order(named: list[tuple[str, str]]) -> tuple[str, ...]:
    """Family names, the simplified-Chinese one first, then English."""
    def rank(item):
        _name, lang = item
        return _LANG_ORDER.index(lang) if lang in _LANG_ORDER else len(_LANG_ORDER)

    out: list[str] = []
    for name, _lang in sorted(named, key=rank):
        if name not in out:
            out.append(name)
    return tuple(out)


def _read_face_names(path: Path) -> list[InstalledFace]:
    """The faces of one font file, read with fontTools (name and OS/2
    tables only); [] for a file without Chinese coverage."""
    from fontTools.ttLib import TTCollection, TTFont as FTFont, TTLibError

    out: list[InstalledFace] = []
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = list(TTCollection(str(path), lazy=True).fonts)
        else:
            fonts = [FTFont(str(path), lazy=True)]
    except (TTLibError, OSError, ValueError, AssertionError, IndexError):
        return out
    for index, font in enumerate(fonts):
        try:
            os2 = font.get("OS/2")
            # GB2312 code page (bit 18) or the CJK Unified Ideographs block (bit 59)
            cjk = os2 is not None and (os2.ulCodePageRange1 & (1 << 18) or os2.ulUnicodeRange2 & (1 << 27))
            if not cjk:
                continue
            named = []
            for rec in font["name"].names:
                if rec.nameID in (1, 16):
                    try:
                        text = rec.toUnicode().strip()
                    except UnicodeDecodeError:
                        continue
                    lang = {0x804: "zh-cn", 0x1004: "zh-sg", 0x409: "en"}.get(rec.langID, "") \
                        if rec.platformID == 3 else ("en" if rec.platformID == 1 and rec.langID == 0 else "")
                    if text:
                        named.append((text, lang))
            names = _display_order(named)
            style = font["name"].getDebugName(2) or ""
            outline = "cff" if ("CFF " in font or "CFF2" in font) else ("truetype" if "glyf" in font else "")
            out.append(InstalledFace(str(path), index, names, style, outline))
        except Exception:  # one odd font never hides the others
            continue
    return out


#: A Chinese font with the 6,763 GB2312 characters is several MB: smaller
#: files in a font folder are not opened when scanning it.
MIN_CJK_FONT_BYTES = 1_000_000


def _scan_dirs(dirs: list[Path], min_bytes: int | None = None) -> list[InstalledFace]:
    """Chinese faces in ``dirs``."""
    min_bytes = MIN_CJK_FONT_BYTES if min_bytes is None else min_bytes
    faces: list[InstalledFace] = []
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, _dirs, names in os.walk(root):
            for n in names:
                p = Path(dirpath) / n
                if not n.lower().endswith(_FONT_SUFFIXES):
                    continue
                try:
                    if p.stat().st_size < min_bytes:
                        continue
                except OSError:
                    continue
                faces.extend(_read_face_names(p))
    return faces


def installed_faces() -> list[InstalledFace]:
    """Every Chinese face on this PC (cached per process): the Windows font
    folders, then fontconfig's list (or a scan of the usual folders)."""
    global _faces_cache
    with _lock:
        if _faces_cache is not None:
            return _faces_cache
        faces = _scan_dirs(windows_font_dirs())
        if sys.platform != "win32":
            fc = _fontconfig_faces()
            faces += fc if fc is not None else _scan_dirs(unix_font_dirs())
        seen: set[tuple[str, int]] = set()
        unique = []
        for f in faces:
            key = (os.path.abspath(f.path), f.index)
            if key not in seen:
                seen.add(key)
                unique.append(f)
        _faces_cache = unique
        return unique


def fontconfig_cjk_files() -> list[Path]:
    """Files with Chinese faces (for callers that want files only)."""
    out: list[Path] = []
    for f in installed_faces():
        if Path(f.path) not in out:
            out.append(Path(f.path))
    return out


# --- the converted Noto Serif CJK SC -----------------------------------------------------


def converted_dir() -> Path:
    """Where converted fonts are kept: ``fonts/`` in the data folder."""
    from ..files import paths

    return paths.data_dir() / "fonts"


def conversion_tasks(faces: list[InstalledFace] | None = None) -> dict[str, ConversionTask]:
    """"regular"/"bold" → the conversion of Noto Serif CJK SC's face, for
    the Noto faces installed here."""
    faces = installed_faces() if faces is None else faces
    noto = [f for f in faces if f.kind() == "noto_serif_sc" and f.outline != "truetype"]
    tasks: dict[str, ConversionTask] = {}
    folder = converted_dir()
    for f in noto:
        low = f.style.lower()
        slot = "bold" if low in ("bold",) else "regular" if low in ("regular", "book") else None
        if slot is None or slot in tasks:
            continue
        style = "Bold" if slot == "bold" else "Regular"
        tasks[slot] = ConversionTask(f.path, f.index, str(folder / f"NotoSerifCJKsc-{style}.ttf"),
                                     NOTO_SERIF_SC, style)
    return tasks


def _converted_faces(tasks: dict[str, ConversionTask]) -> dict[str, InstalledFace]:
    out = {}
    for slot, task in tasks.items():
        if is_current(task):
            out[slot] = InstalledFace(task.target, 0, (NOTO_SERIF_SC,), task.style, "truetype", converted=True)
    return out


def pending_conversions(settings: dict | None = None) -> list[ConversionTask]:
    """The conversions that would improve this PC's documents: Noto Serif
    CJK SC Regular when there is no 仿宋, Bold when there is no 小标宋/中宋
    (faces chosen in the settings count as present)."""
    tasks = conversion_tasks()
    if not tasks:
        return []
    faces = installed_faces()
    kinds = {f.kind() for f in faces}
    settings = settings or {}
    out = []
    if "regular" in tasks and "fangsong" not in kinds and not settings.get(SETTING_BODY_FONT):
        out.append(tasks["regular"])
    if ("bold" in tasks and not ({"xiaobiaosong", "zhongsong"} & kinds)
            and not settings.get(SETTING_TITLE_FONT)):
        out.append(tasks["bold"])
    return [t for t in out if not is_current(t)]


# --- resolution --------------------------------------------------------------------


def resolve_fonts(settings: Mapping[str, Any] | None = None) -> FontSet:
    """The faces for the app's PDFs under ``settings`` (cached per process
    for the same font settings and converted fonts)."""
    settings = settings or {}
    choices = tuple(str(settings.get(ROLE_SETTINGS[r]) or "").strip() for r in ROLES)
    with _lock:
        faces = installed_faces()
        tasks = conversion_tasks(faces)
        state = tuple(sorted((slot, is_current(t)) for slot, t in tasks.items()))
        key = (choices, state)
        cached = _cache.get(key)
        if cached is not None:
            return cached
        fontset = _resolve(dict(zip(ROLES, choices)), faces, tasks)
        _cache[key] = fontset
        return fontset


def clear_cache() -> None:
    """Forget resolved font sets and the list of installed faces (after the
    settings change, a conversion, or in tests)."""
    global _faces_cache
    with _lock:
        _cache.clear()
        _failed.clear()
        _faces_cache = None


FINISHED_HOOKS.append(clear_cache)  # a finished conversion adds faces


def _face_label(f: InstalledFace) -> str:
    if f.converted:
        return f"{f.family} {f.style}（已转换为 TrueType，{Path(f.path).parent}）"
    return f"{f.family}（{f.path}" + (f"，第{f.index + 1}个字体" if f.index else "") + "）"


def _spaced(name: str) -> str:
    """A Latin name set off from the Chinese before it."""
    return f" {name}" if name[:1].isascii() else name


def _face_name(f: InstalledFace) -> str:
    """A face's name without its file: 仿宋_GB2312, Noto Serif CJK SC Bold（已转换）."""
    if f.converted:
        return f"{f.family} {f.style}（已转换为 TrueType）"
    return f.family


def _style_rank(f: InstalledFace, want_bold: bool) -> tuple:
    return (0 if f.is_bold() == want_bold else 1, 0 if f.style.lower() in ("regular", "book", "normal", "") else 1)


# Long: the fallback order of the five roles, read top to bottom; split, the order is lost
def _resolve(choices: dict[str, str], faces: list[InstalledFace],
             tasks: dict[str, ConversionTask]) -> FontSet:
    notes: list[str] = []
    converted = _converted_faces(tasks)
    by_kind: dict[str, list[InstalledFace]] = {}
    for f in faces:
        if f.outline == "cff":
            continue  # reportlab cannot embed it (Noto is used once converted)
        kind = f.kind()
        if kind == "avoid":
            continue
        if kind:
            by_kind.setdefault(kind, []).append(f)
        by_kind.setdefault("any", []).append(f)
    if "regular" in converted:
        by_kind["converted_regular"] = [converted["regular"]]
    if "bold" in converted:
        by_kind["converted_bold"] = [converted["bold"]]

    chosen: dict[str, FontFace] = {}
    reasons: dict[str, str] = {}
    for role in ROLES:
        value = choices.get(role) or ""
        if not value:
            continue
        path, index = parse_choice(value)
        try:
            chosen[role] = load_font_file(path, index, f"{Path(path).name}（设置中选择）")
            reasons[role] = "在“设置 → 文书”中选择"
        except FontFileError as exc:
            notes.append(f"设置中选择的{ROLE_LABELS[role]}字体不能使用：{exc}")

    def first(role: str) -> tuple[FontFace | None, str]:
        want_bold = role == ROLE_TITLE
        for kind, reason in _ROLE_ORDER[role]:
            for f in sorted(by_kind.get(kind, []), key=lambda f: _style_rank(f, want_bold)):
                try:
                    return load_font_file(f.path, f.index, _face_label(f), _face_name(f)), reason
                except FontFileError:
                    continue
        return None, ""

    for role in (*ROLES, ROLE_SONG):
        if role in chosen:
            continue
        face, reason = first(role)
        if face is not None:
            chosen[role], reasons[role] = face, reason

    pending = []
    for role, slot in ((ROLE_BODY, "regular"), (ROLE_TITLE, "bold")):
        task = tasks.get(slot)
        if task is None or slot in converted:
            continue
        better = {ROLE_BODY: ("fangsong",), ROLE_TITLE: ("xiaobiaosong", "zhongsong")}[role]
        if choices.get(role) or any(by_kind.get(k) for k in better):
            continue
        pending.append(task)
        if role in chosen:
            wanted = "仿宋" if role == ROLE_BODY else "小标宋"
            reasons[role] = (f"本机没有{wanted}字体；{NOTO_SERIF_SC} {task.style} 转换为 TrueType 之前"
                             f"（后台进行，完成后自动改用），暂用{_spaced(chosen[role].family or chosen[role].label)}")

    body = chosen.get(ROLE_BODY)
    if body is None:
        for role in (ROLE_HEADING, ROLE_TITLE, ROLE_KAI, ROLE_SONG):
            if role in chosen:
                body = chosen[role]
                reasons[ROLE_BODY] = "本机没有仿宋、宋体，使用找到的中文字体"
                break
    embedded = body is not None
    if body is None:
        cid = _cid_face()
        body = cid
        reasons[ROLE_BODY] = "本机没有可嵌入的中文 TrueType 字体"
        if pending:
            reasons[ROLE_BODY] += f"；{NOTO_SERIF_SC} 转换为 TrueType 之前（后台进行，完成后自动改用）暂不嵌入字体"
            notes.append(
                f"本机的 {NOTO_SERIF_SC}（思源宋体）正在或将要转换为可嵌入 PDF 的 TrueType 字体（只需一次，约几分钟）。"
                "转换完成前，PDF 暂用阅读器内置的 STSong-Light 字体且未嵌入字体文件，在其他电脑上显示或打印时字形可能不同。")
        else:
            notes.append(
                "未找到可嵌入的中文 TrueType 字体，PDF 使用阅读器内置的 STSong-Light 字体且未嵌入字体文件，"
                "在其他电脑上显示或打印时字形可能不同。请在“设置 → 文书”中选择一个中文字体文件"
                "（如 Windows 的 simfang.ttf，或文泉驿 wqy-zenhei.ttc），或安装 fonts-noto-cjk。")
    chosen[ROLE_BODY] = body
    for role, source in _BORROW.items():
        if role not in chosen:
            chosen[role] = chosen[source]
            reasons[role] = (f"本机没有{ROLE_LABELS[role].split('（')[1].rstrip('）')}字体，"
                             f"使用{ROLE_LABELS[source].split('（')[0]}的字体")
    warning = "\n".join(notes) or None
    return FontSet(
        body=chosen[ROLE_BODY].name, heading=chosen[ROLE_HEADING].name, title=chosen[ROLE_TITLE].name,
        embedded=embedded, warning=warning, body_face=chosen[ROLE_BODY],
        heading_face=chosen[ROLE_HEADING], title_face=chosen[ROLE_TITLE],
        kai=chosen[ROLE_KAI].name, kai_face=chosen[ROLE_KAI],
        song=chosen[ROLE_SONG].name, song_face=chosen[ROLE_SONG],
        reasons=reasons, pending=tuple(pending))


# --- optical size --------------------------------------------------------------------

#: Characters whose drawn size stands for a face's (common in documents).
_INK_SAMPLE = "依申请公开主动政府信息管理国"
_ink_cache: dict[tuple[str, int], float | None] = {}


def ink_size(face: FontFace) -> float | None:
    """How much of the em square a face's characters fill (mean width and
    height of the drawn glyphs of :data:`_INK_SAMPLE`, in ems); None when
    it cannot be measured."""
    if not face.path:
        return None
    key = (os.path.abspath(face.path), face.subfont)
    with _lock:
        if key in _ink_cache:
            return _ink_cache[key]
    import logging

    quiet = logging.getLogger("fontTools")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # odd padding in distribution fonts is not the clerk's business
    try:
        from fontTools.pens.boundsPen import BoundsPen
        from fontTools.ttLib import TTFont as FTFont

        font = FTFont(face.path, fontNumber=face.subfont, lazy=True) if face.path.lower().endswith(
            (".ttc", ".otc")) else FTFont(face.path, lazy=True)
        glyphs, cmap, upm = font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm
        sizes = []
        for ch in _INK_SAMPLE:
            name = cmap.get(ord(ch))
            if name is None:
                continue
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            if pen.bounds:
                x0, y0, x1, y1 = pen.bounds
                sizes.append(((x1 - x0) + (y1 - y0)) / 2 / upm)
        font.close()
        value = sum(sizes) / len(sizes) if sizes else None
    except Exception:  # an odd font is simply not compensated
        value = None
    finally:
        quiet.setLevel(level)
    with _lock:
        _ink_cache[key] = value
    return value


def optical_scale(face: FontFace, reference: FontFace, limit: float = 1.2) -> float:
    """The size factor that makes ``face`` look as big as ``reference`` at
    the same point size (AR PL KaitiM GB draws its characters about a tenth
    smaller than Noto Serif CJK); 1.0 when either cannot be measured, never
    below 1 nor above ``limit``."""
    a, b = ink_size(face), ink_size(reference)
    if not a or not b or face.path == reference.path:
        return 1.0
    return max(1.0, min(limit, round(b / a, 2)))


def available_font_files() -> list[tuple[str, str]]:
    """(label, value) of the Chinese TrueType faces on this PC (and the
    converted Noto Serif CJK SC), for the settings tab's font choosers;
    each is loaded to check it.  ``value`` is what the settings store."""
    out: list[tuple[str, str]] = []
    faces = [f for f in installed_faces() if f.outline != "cff"]
    faces += list(_converted_faces(conversion_tasks()).values())
    seen: set[str] = set()
    for f in faces:
        value = f.value()
        if value in seen or f.kind() == "avoid":
            continue
        seen.add(value)
        try:
            load_font_file(f.path, f.index, _face_label(f), f.family)
        except FontFileError:
            continue
        label = f"{f.family}" + (f" {f.style}" if f.style and f.style.lower() not in ("regular", "normal") else "")
        out.append((f"{label}（{Path(f.path).name}）", value))
    return out
