"""What the official typefaces cost (issue 18), each in a fresh process:

* converting Noto Serif CJK SC (Regular and Bold, face #2 of Debian's
  .ttc, the whole glyph set) from CFF to TrueType, time and peak memory,
  against the baseline of reading and writing the same face unchanged with
  fontTools;
* the first PDF of a process (a notice: resolve the fonts, load and
  register them, render) with the converted serif against the same with
  WenQuanYi Zen Hei, the face the app used before.

    python3 bench/bench_fonts.py            # about 8 minutes on 2 cores

Needs fonts-noto-cjk and fonts-wqy-zenhei.  Writes nothing outside a
temporary folder.  Figures: BENCHMARKS.md, “Office PCs (issue 18)”.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(code: str, env: dict | None = None) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter: (seconds, peak RSS MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=str(ROOT))
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"child failed ({status}):\n{code}\n{out}")
    return seconds, usage.ru_maxrss / 1024, out.strip()


def main() -> int:
    from desktop_app.documents import fonts

    faces = fonts.installed_faces()
    noto = {f.style: f for f in faces if f.family == fonts.NOTO_SERIF_SC and f.outline == "cff"}
    wqy = next((f for f in faces if f.kind() == "open_hei"), None)
    if "Regular" not in noto or "Bold" not in noto or wqy is None:
        raise SystemExit("needs fonts-noto-cjk (Noto Serif CJK SC Regular and Bold) and fonts-wqy-zenhei")
    tmp = Path(tempfile.mkdtemp(prefix="bench-fonts-"))
    print(f"Noto Serif CJK SC: {noto['Regular'].path}#{noto['Regular'].index}, "
          f"{noto['Bold'].path}#{noto['Bold'].index}")

    rows = []
    for style in ("Regular", "Bold"):
        f = noto[style]
        base_s, base_mb, _ = child(
            "from fontTools.ttLib import TTFont\n"
            f"font = TTFont({f.path!r}, fontNumber={f.index}, lazy=False)\n"
            "font['CFF '].cff  # decompile the outlines' table\n"
            f"font.save({str(tmp / ('same-' + style + '.otf'))!r})\n")
        conv_s, conv_mb, out = child(
            "from desktop_app.documents.font_convert import convert_face\n"
            f"r = convert_face({f.path!r}, {f.index}, {str(tmp / ('NotoSerifCJKsc-' + style + '.ttf'))!r})\n"
            "print(r['glyphs'], r['bytes'])\n")
        glyphs, size = (int(x) for x in out.split())
        rows.append((style, base_s, base_mb, conv_s, conv_mb, glyphs, size))
        print(f"{style}: read+write unchanged (baseline) {base_s:6.1f} s, {base_mb:5.0f} MB peak | "
              f"converted to TrueType {conv_s:6.1f} s ({conv_s / base_s:4.1f}x), {conv_mb:5.0f} MB peak "
              f"({conv_mb / base_mb:3.1f}x); {glyphs} glyphs, {size / 1e6:.1f} MB")

    # the first notice of a process: converted serif vs WenQuanYi (the app's face before)
    data = tmp / "data"
    (data / "DisclosureDesk" / "fonts").mkdir(parents=True)
    from desktop_app.documents.font_convert import source_stamp

    import json

    for style in ("Regular", "Bold"):
        target = data / "DisclosureDesk" / "fonts" / f"NotoSerifCJKsc-{style}.ttf"
        os.replace(tmp / f"NotoSerifCJKsc-{style}.ttf", target)
        f = noto[style]
        record = {**source_stamp(f.path), "index": f.index, "converter": 1, "glyphs": 0,
                  "bytes": target.stat().st_size, "subset": None}
        target.with_name(target.name + ".json").write_text(json.dumps(record), encoding="utf-8")
    notice = (
        "import time; t = time.perf_counter()\n"
        "from desktop_app.documents import fonts, render\n"
        "{setup}\n"
        "fs = fonts.resolve_fonts({{}})\n"
        "snap = {{'title': '政府信息公开申请答复告知书', 'doc_number': '望政公开〔2026〕第1号', 'addressee': '张某某：',\n"
        "        'paragraphs': ['本机关于2026年3月5日收到您提出的政府信息公开申请。' * 3, '经审查，现答复如下。' * 4],\n"
        "        'agency': {{'name': '长沙市望城区人民政府办公室'}}, 'date_cn': '2026年3月20日'}}\n"
        "pdf = render.render_notice(snap, fonts=fs)\n"
        "print(round(time.perf_counter() - t, 3), len(pdf), fs.body_face.family)\n")
    before = ("fonts.installed_faces = lambda: [f for f in fonts._fontconfig_faces() if f.kind() == 'open_hei'][:1]\n"
              "fonts.conversion_tasks = lambda faces=None: {}")
    runs = {"WenQuanYi Zen Hei (before)": [], "converted Noto Serif CJK SC": []}
    for _ in range(5):
        for label, setup in (("WenQuanYi Zen Hei (before)", before), ("converted Noto Serif CJK SC", "")):
            _s, mb, out = child(notice.format(setup=setup), env={"XDG_DATA_HOME": str(data)})
            seconds, size, family = out.split(maxsplit=2)
            runs[label].append((float(seconds), int(size), family, mb))
    base = sorted(r[0] for r in runs["WenQuanYi Zen Hei (before)"])[2]
    for label, rs in runs.items():
        med = sorted(r[0] for r in rs)[2]
        print(f"first notice in a process, {label} ({rs[0][2]}): median {med * 1000:5.0f} ms "
              f"({med / base:4.2f}x), PDF {rs[0][1] / 1024:.0f} KB, {max(r[3] for r in rs):.0f} MB peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
