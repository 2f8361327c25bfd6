"""Noto Serif CJK SC, made embeddable: its CFF (PostScript) outlines
converted to TrueType (quadratic) outlines with fontTools, once, into the
data folder.

reportlab embeds only TrueType-outline fonts.  Most Linux desktops
(统信UOS and 麒麟 included) have Noto Serif CJK — a proper modern 宋体 with
mainland glyph forms — but only with CFF outlines, in a collection whose
Simplified-Chinese face is not the first.  Converted, its Regular is the
best open body face where no 仿宋 is installed, and its Bold the closest
open stand-in for 小标宋 titles.

The whole glyph set is converted (65,535 glyphs: about three minutes and
1 GB of memory per face): a subset to the common characters would print
the rare characters of applicants' names (镕, 喆 …) as empty boxes.

* :func:`convert_face` does one face (``subset_text`` keeps only some
  characters: for tests, which must not spend minutes);
* :func:`main` is the worker process behind ``disclosure-desk fonts
  --convert``: it converts what :func:`desktop_app.documents.fonts.pending_conversions`
  lists, printing ``PROGRESS <percent> <text>`` lines;
* :class:`BackgroundConversion` starts that worker from the GUI (or any
  caller) and follows its progress in a reader thread, so nothing runs on
  the GUI thread and the app keeps printing with the best face it has
  meanwhile.

No Qt here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass
from pathlib import Path

#: How far a quadratic curve may stray from the cubic original, in font
#: units (1000 per em): 1/1000 em, invisible at any print size.
MAX_ERR = 1.0

#: Bumped when the conversion changes, so older caches are redone.
CONVERTER_VERSION = 1

#: Called after every conversion ends (documents.fonts adds its cache reset
#: here, so this module need not import it back).
FINISHED_HOOKS: list[Callable[[], object]] = []

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ConversionTask:
    """One face to convert: where from, where to, and its name."""

    source: str          # the .ttc/.otf with CFF outlines
    index: int           # face number in the collection
    target: str          # the TrueType file to write
    family: str          # "Noto Serif CJK SC"
    style: str           # "Regular" / "Bold"
    #: only these characters (tests: seconds instead of minutes); never
    #: for the real documents, which need every glyph
    subset_text: str | None = None

    def label(self) -> str:
        return f"{self.family} {self.style}"


# --- one face -------------------------------------------------------------------------------


def source_stamp(path: str | os.PathLike) -> dict:
    st = os.stat(path)
    return {"source": os.path.abspath(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def sidecar_path(target: str | os.PathLike) -> Path:
    return Path(str(target) + ".json")


def is_current(task: ConversionTask) -> bool:
    """The converted file exists, is complete and comes from the source as
    it is now (a font package update makes it stale)."""
    target = Path(task.target)
    meta_path = sidecar_path(target)
    if not target.is_file() or not meta_path.is_file():
        return False
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        stamp = source_stamp(task.source)
    except (OSError, ValueError):
        return False
    return (meta.get("converter") == CONVERTER_VERSION and meta.get("index") == task.index
            and all(meta.get(k) == v for k, v in stamp.items())
            and meta.get("bytes") == target.stat().st_size
            and meta.get("subset") == _subset_key(task.subset_text))


def _subset_key(text: str | None) -> str | None:
    import hashlib

    return None if text is None else hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# Long: one pass over the font, each step a few lines in the order fontTools needs them
def convert_face(source: str | os.PathLike, index: int, target: str | os.PathLike, *,
                 subset_text: str | None = None, progress: Progress | None = None) -> dict:
    """Convert face ``index`` of ``source`` (CFF outlines) to a TrueType
    font at ``target`` (written atomically, with a ``.json`` record beside
    it).  ``subset_text`` keeps only those characters (tests).  Returns
    the record."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    report = progress or (lambda done, total, phase: None)
    started = time.perf_counter()
    report(0, 1, "读取字体")
    font = TTFont(str(source), fontNumber=index, lazy=False)
    if "CFF " not in font:
        raise ValueError(f"{source}#{index} has no CFF outlines")
    if subset_text is not None:
        from fontTools import subset

        options = subset.Options()
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.layout_features = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=subset_text)
        subsetter.subset(font)

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    total = len(glyph_order)
    glyphs = {}
    step = max(1, total // 200)
    for i, name in enumerate(glyph_order):
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
        if i % step == 0:
            report(i, total, "转换字形")
    report(total, total, "转换字形")

    report(total, total, "写入字体文件")
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    # left side bearings follow the new outlines' bounding boxes
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = maxp.maxStorage = maxp.maxFunctionDefs = maxp.maxInstructionDefs = 0
    maxp.maxStackElements = maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max((len(getattr(g, "components", None) or []) for g in glyphs.values()),
                                    default=0)
    maxp.compile(font)
    # post format 3: no glyph names (65,535 names overflow format 2)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=str(target.parent))
    os.close(fd)
    try:
        font.save(tmp, reorderTables=True)
        font.close()
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    record = {
        **source_stamp(source), "index": index, "converter": CONVERTER_VERSION,
        "glyphs": total, "bytes": target.stat().st_size, "subset": _subset_key(subset_text),
        "seconds": round(time.perf_counter() - started, 1),
    }
    sidecar_path(target).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return record


# --- the worker process -------------------------------------------------------------------------


def _lower_priority() -> None:
    try:
        os.nice(10)  # POSIX: the clerk's work comes first
    except (AttributeError, OSError):
        pass


class _FolderLock:
    """One converter at a time per data folder (two windows, two registers)."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "convert.lock"
        self.fh = open(self.path, "a+b")  # noqa: SIM115 - held for the conversion

    def acquire(self, wait: bool) -> bool:
        try:
            if sys.platform == "win32":
                import msvcrt

                mode = msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK
                self.fh.seek(0)
                msvcrt.locking(self.fh.fileno(), mode, 1)
            else:
                import fcntl

                fcntl.flock(self.fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            return True
        except OSError:
            return False

    def close(self) -> None:
        self.fh.close()


def run_tasks(tasks: list[ConversionTask], out=None, *, background: bool = False) -> int:
    """Convert ``tasks`` one after the other, printing progress lines to
    ``out``; 0 when all are current at the end.  ``background``: the
    worker process behind the GUI lowers its own priority."""
    out = out or sys.stdout

    def say(line: str) -> None:
        try:
            print(line, file=out, flush=True)
        except (OSError, ValueError):
            pass

    if not tasks:
        say("PROGRESS 100 无需转换")
        return 0
    if background:
        _lower_priority()
    lock = _FolderLock(Path(tasks[0].target).parent)
    try:
        if not lock.acquire(wait=False):
            say("PROGRESS 0 等待另一个窗口完成字体转换")
            lock.acquire(wait=True)
        for stale in Path(tasks[0].target).parent.glob("*.part"):
            try:  # a converter stopped while writing (power off, killed)
                stale.unlink()
            except OSError:
                pass
        n = len(tasks)
        for k, task in enumerate(tasks):
            if is_current(task):
                continue

            def progress(done, total, phase, k=k, task=task):
                share = (done / total) if total else 0.0
                if phase == "读取字体":
                    share = 0.0
                percent = int(100 * (k + min(share, 0.97 if phase != "写入字体文件" else 0.99)) / n)
                say(f"PROGRESS {percent} {task.label()}：{phase}")

            record = convert_face(task.source, task.index, task.target, subset_text=task.subset_text,
                                  progress=progress)
            say(f"CONVERTED {task.target} {record['seconds']}")
        say("PROGRESS 100 完成")
        return 0
    except Exception as exc:  # reported to the parent process
        say(f"ERROR {type(exc).__name__}: {exc}")
        return 1
    finally:
        lock.close()


def worker_command() -> list[str]:
    """The command line of the worker process: this program again."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "fonts", "--convert", "--machine"]
    return [sys.executable, "-m", "desktop_app", "fonts", "--convert", "--machine"]


# --- following the worker from the app --------------------------------------------------------


class BackgroundConversion:
    """The worker process and what it last said.  Thread-safe reads:
    ``running``, ``percent``, ``text``, ``error``, ``finished``."""

    def __init__(self):
        self._lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.percent = 0
        self.text = ""
        self.error: str | None = None
        self.finished = False
        self.started_at: float | None = None
        self.seconds: float | None = None
        self.listeners: list[Callable[[], None]] = []

    @property
    def running(self) -> bool:
        with self._lock:
            return self.proc is not None and not self.finished

    def start(self, command: list[str] | None = None, env: dict | None = None) -> bool:
        """Start the worker unless it runs; False when it already did."""
        with self._lock:
            if self.proc is not None and not self.finished:
                return False
            self.percent, self.text, self.error, self.finished = 0, "正在启动", None, False
            self.started_at, self.seconds = time.perf_counter(), None
            kwargs: dict[str, Any] = {}
            if sys.platform == "win32":
                kwargs["creationflags"] = 0x00004000 | 0x08000000  # BELOW_NORMAL, CREATE_NO_WINDOW
            # (on POSIX the worker lowers its own priority: run_tasks)
            child_env = dict(os.environ if env is None else env)
            child_env["PYTHONIOENCODING"] = "utf-8"
            self.proc = subprocess.Popen(command or worker_command(), stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=child_env, **kwargs)
        threading.Thread(target=self._follow, name="font-conversion", daemon=True).start()
        return True

    def _follow(self) -> None:
        proc = self.proc
        assert proc is not None and proc.stdout is not None
        tail: list[str] = []
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            with self._lock:
                if line.startswith("PROGRESS "):
                    _tag, _, rest = line.partition(" ")
                    num, _, text = rest.partition(" ")
                    try:
                        self.percent = max(0, min(100, int(num)))
                    except ValueError:
                        pass
                    self.text = text
                elif line.startswith("ERROR "):
                    self.error = line[6:]
                elif line:
                    tail = (tail + [line])[-5:]
            self._notify()
        code = proc.wait()
        with self._lock:
            if code != 0 and not self.error:
                self.error = "转换进程意外退出（代码 %s）%s" % (code, ("：" + " ".join(tail)) if tail else "")
            if code == 0:
                self.percent = 100
            self.finished = True
            self.seconds = time.perf_counter() - (self.started_at or time.perf_counter())
        for hook in list(FINISHED_HOOKS):
            try:
                hook()
            except Exception:  # a stale cache is re-read later; the conversion itself is done
                pass
        self._notify()

    def _notify(self) -> None:
        for listener in list(self.listeners):
            try:
                listener()
            except Exception:  # a listener must not stop the reader
                pass

    def wait(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.finished:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def cancel(self) -> None:
        with self._lock:
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()


#: The app's one background conversion.
BACKGROUND = BackgroundConversion()
