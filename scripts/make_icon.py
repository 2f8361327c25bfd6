"""Draw the app icon: a document with a red seal and a white check mark.

Run ``python3 scripts/make_icon.py`` to regenerate resources/icons/
(app-16.png … app-256.png and the multi-size app.ico).  Needs Pillow
(a build-time tool only; the app itself does not import it).

Each size is drawn on its own, supersampled and scaled down, with
strokes thickened and details dropped at small sizes so the 16 px icon
in a taskbar stays legible.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = [16, 24, 32, 48, 64, 128, 256]
OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"

PAPER = (255, 255, 255, 255)
EDGE = (47, 79, 127, 255)        # dark slate blue outline
FOLD = (214, 224, 238, 255)
TEXT = (143, 163, 191, 255)      # grey-blue text lines
SEAL = (200, 16, 46, 255)        # seal red
SEAL_DARK = (150, 10, 32, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int) -> Image.Image:
    ss = 8  # supersampling factor
    n = size * ss
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def p(v: float) -> int:          # unit (0..1) -> supersampled px
        return round(v * n)

    def stroke(unit: float, min_px: float) -> int:
        return max(round(unit * n), round(min_px * ss))

    small = size <= 24
    # The sheet, with a folded top-right corner.
    left, top, right, bottom = 0.14, 0.05, 0.78, 0.93
    if small:
        left, top, right, bottom = 0.08, 0.02, 0.80, 0.96
    fold = 0.17
    sheet = [(p(left), p(top)), (p(right - fold), p(top)), (p(right), p(top + fold)),
             (p(right), p(bottom)), (p(left), p(bottom))]
    edge_w = stroke(0.025, 1.0)
    d.polygon(sheet, fill=PAPER, outline=EDGE, width=edge_w)
    d.polygon([(p(right - fold), p(top)), (p(right - fold), p(top + fold)), (p(right), p(top + fold))],
              fill=FOLD, outline=EDGE, width=edge_w)

    # Text lines (fewer and thicker when small).
    if size >= 48:
        lines = [(0.27, 0.58), (0.37, 0.66), (0.47, 0.66), (0.57, 0.44)]
        lw = stroke(0.03, 1.0)
    elif size >= 32:
        lines = [(0.30, 0.60), (0.44, 0.60), (0.58, 0.38)]
        lw = stroke(0.05, 1.2)
    else:
        lines = [(0.28, 0.58), (0.48, 0.40)]
        lw = stroke(0.07, 1.2)
    x0 = left + 0.10
    for y, x1 in lines:
        d.line([(p(x0), p(y)), (p(x1), p(y))], fill=TEXT, width=lw)

    # The seal: a red disc overlapping the sheet's lower right, a thin
    # white inner ring (dropped when small) and a bold white check mark.
    cx, cy, r = 0.68, 0.70, 0.29
    if small:
        cx, cy, r = 0.66, 0.68, 0.32
    d.ellipse([p(cx - r), p(cy - r), p(cx + r), p(cy + r)], fill=SEAL, outline=SEAL_DARK,
              width=stroke(0.012, 0.6))
    if size >= 48:
        ri = r * 0.80
        d.ellipse([p(cx - ri), p(cy - ri), p(cx + ri), p(cy + ri)], outline=WHITE,
                  width=stroke(0.014, 1.0))
    check = [(cx - r * 0.45, cy + r * 0.02), (cx - r * 0.12, cy + r * 0.36), (cx + r * 0.48, cy - r * 0.34)]
    cw = stroke(0.065 if size >= 48 else 0.085, 1.6)
    d.line([(p(x), p(y)) for x, y in check], fill=WHITE, width=cw, joint="curve")
    for x, y in (check[0], check[-1]):  # round caps
        d.ellipse([p(x) - cw // 2, p(y) - cw // 2, p(x) + cw // 2, p(y) + cw // 2], fill=WHITE)

    return img.resize((size, size), Image.LANCZOS)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    images = {s: draw(s) for s in SIZES}
    for s, im in images.items():
        im.save(OUT / f"app-{s}.png", optimize=True)
    largest = images[max(SIZES)]
    largest.save(OUT / "app.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=[images[s] for s in SIZES if s != max(SIZES)])
    print(f"wrote {len(SIZES)} PNGs and app.ico to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
