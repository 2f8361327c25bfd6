"""Print preview of exactly the PDF that is saved and printed.

The documents layer writes a PDF; this dialog shows that PDF's pages
(rasterised with pdfium through pypdfium2: QtPdf is not part of
PySide6-Essentials, and PySide6-Addons would add well over 100 MB to the
installer for this one use), prints them through the system's printer
dialog (QPrintDialog) and saves the same bytes with 导出PDF.  Screen,
file and paper therefore agree.

A *commit* callback lets a draft notice take its document number only
when the clerk prints or exports it (not when merely previewing): it is
called once, before the first print or export, and returns the final
PDF, which is normally identical to the preview.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPalette, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QProgressDialog, QPushButton,
    QScrollArea, QVBoxLayout, QWidget,
)

from ..files.atomic import atomic_open
from .qt_workarounds import available_geometry

log = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0
PRINT_DPI_MAX = 300


class PdfPages:
    """A PDF in memory, its page sizes and page images (pdfium)."""

    def __init__(self, data: bytes):
        import pypdfium2 as pdfium

        self.data = data
        self._doc = pdfium.PdfDocument(data)
        self.sizes = [self._doc[i].get_size() for i in range(len(self._doc))]

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, dpi: float) -> QImage:
        page = self._doc[index]
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
        info = bitmap.get_info() if hasattr(bitmap, "get_info") else None
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        channels = getattr(bitmap, "n_channels", None) or (info.n_channels if info else 3)
        fmt = QImage.Format_RGB888 if channels == 3 else QImage.Format_RGBX8888
        image = QImage(bitmap.buffer, width, height, stride, fmt).copy()  # own the pixels
        return image

    def close(self) -> None:
        try:
            self._doc.close()
        except Exception:  # closing a document pdfium already dropped: nothing to free
            pass


def page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    """A borderless page layout of the PDF page's size; sizes within a
    point of a standard paper (A4, DL envelope) are named as such, so the
    printer driver picks the right tray instead of a custom size."""
    if width_pt > height_pt:
        size = QPageSize(QSizeF(height_pt, width_pt), QPageSize.Point, "", QPageSize.FuzzyMatch)
        orientation = QPageLayout.Landscape
    else:
        size = QPageSize(QSizeF(width_pt, height_pt), QPageSize.Point, "", QPageSize.FuzzyMatch)
        orientation = QPageLayout.Portrait
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Point)


def print_pages(pages: PdfPages, printer: QPrinter, indexes: list[int],
                progress: Callable[[int, int], bool] | None = None) -> bool:
    """Paint ``indexes`` of ``pages`` on ``printer``, each page at its own
    size, full bleed; False when cancelled through ``progress``."""
    if not indexes:
        return True
    printer.setFullPage(True)
    printer.setPageLayout(page_layout(*pages.sizes[indexes[0]]))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法连接打印机，请检查打印机是否已开启并联机。")
    try:
        for n, index in enumerate(indexes):
            if n:
                printer.setPageLayout(page_layout(*pages.sizes[index]))
                printer.newPage()
            dpi = min(printer.resolution(), PRINT_DPI_MAX)
            image = pages.render(index, dpi)
            target = QRectF(printer.paperRect(QPrinter.DevicePixel))
            target.moveTo(0, 0)
            painter.drawImage(target, image)
            if progress and not progress(n + 1, len(indexes)):
                printer.abort()
                return False
    finally:
        painter.end()
    return True


class _PageWidget(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignCenter)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.Window, QColor("white"))
        self.setPalette(pal)
        self.setFrameShape(QLabel.Box)
        self.setStyleSheet("QLabel { border: 1px solid #9a9a9a; background: white; }")
        self.rendered_zoom: float | None = None


#: (what it does, key sequence, method) of the preview's own shortcuts.
SHORTCUTS = (
    ("打印", QKeySequence.Print, "print_document"),
    ("另存为 PDF", QKeySequence.Save, "export_pdf"),
    ("放大", QKeySequence.ZoomIn, "zoom_in"),
    ("缩小", QKeySequence.ZoomOut, "zoom_out"),
)


class PdfPreviewDialog(QDialog):
    """Pages of a PDF, with 打印… and 导出PDF….

    ``commit`` (optional): called once before the first print or export;
    returns the final PDF bytes (or raises with a message for the clerk).
    """

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, pdf: bytes, *, title: str, file_name: str, parent: QWidget | None = None,
                 commit: Callable[[], bytes] | None = None, note: str = "", warning: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.title = title
        self.file_name = file_name
        self._commit = commit
        self.committed = commit is None
        self.exported_to: Path | None = None
        self.printed = False
        self.pages = PdfPages(pdf)
        self.zoom = 1.0
        self._fit_width = True

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.print_button = QPushButton("打印…")
        self.print_button.setDefault(True)
        self.print_button.setToolTip("选择打印机并打印（Ctrl+P）")
        self.export_button = QPushButton("导出PDF…")
        self.export_button.setToolTip("把这份文书保存为 PDF 文件（Ctrl+S）")
        self.zoom_out_button = QPushButton("缩小")
        self.zoom_in_button = QPushButton("放大")
        self.fit_button = QPushButton("适合宽度")
        self.page_label = QLabel()
        self.close_button = QPushButton("关闭")
        for b in (self.print_button, self.export_button):
            bar.addWidget(b)
        bar.addSpacing(16)
        for b in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(b)
        bar.addSpacing(12)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(self.close_button)
        layout.addLayout(bar)

        self.note_label = QLabel(note)
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        layout.addWidget(self.note_label)
        self.warning_label = QLabel(warning or "")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #a04000;")
        self.warning_label.setVisible(bool(warning))
        layout.addWidget(self.warning_label)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignHCenter)
        self.scroll.setStyleSheet("QScrollArea { background: #6b6b6b; }")
        self.container = QWidget()
        self.container.setStyleSheet("background: #6b6b6b;")
        self.pages_box = QVBoxLayout(self.container)
        self.pages_box.setSpacing(14)
        self.pages_box.setContentsMargins(20, 20, 20, 20)
        self.pages_box.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.scroll.setWidget(self.container)
        layout.addWidget(self.scroll, 1)
        self.page_widgets: list[_PageWidget] = []
        self._build_pages()

        self.print_button.clicked.connect(self.print_document)
        self.export_button.clicked.connect(self.export_pdf)
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self.zoom * 1.25))
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self.zoom / 1.25))
        self.fit_button.clicked.connect(self.fit_width)
        self.close_button.clicked.connect(self.reject)
        for _label, keys, method in SHORTCUTS:  # 帮助 → 键盘快捷键 lists the same table
            QShortcut(QKeySequence(keys), self, activated=getattr(self, method))
        self.scroll.verticalScrollBar().valueChanged.connect(self._schedule_render)
        self._render_timer = QTimer(self, singleShot=True, interval=30, timeout=self._render_visible)

        avail = available_geometry(parent)
        if avail is not None:
            self.resize(min(900, int(avail.width() * 0.9)), int(avail.height() * 0.9))
        else:
            self.resize(900, 700)

    # --- pages ---------------------------------------------------------------------------

    def _build_pages(self) -> None:
        for w in self.page_widgets:
            w.deleteLater()
        self.page_widgets = []
        for _ in range(len(self.pages)):
            w = _PageWidget()
            self.pages_box.addWidget(w, 0, Qt.AlignHCenter)
            self.page_widgets.append(w)
        n = len(self.pages)
        self.page_label.setText(f"共 {n} 页")
        self._apply_sizes()

    def _dpi(self) -> float:
        return 96.0 * self.zoom * (self.devicePixelRatioF() or 1.0)

    def _apply_sizes(self) -> None:
        for w, (pw, ph) in zip(self.page_widgets, self.pages.sizes):
            w.setFixedSize(int(pw / POINTS_PER_INCH * 96 * self.zoom), int(ph / POINTS_PER_INCH * 96 * self.zoom))
            w.rendered_zoom = None
        self._schedule_render()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.25)

    def set_zoom(self, zoom: float, fit: bool = False) -> None:
        self._fit_width = fit
        self.zoom = max(0.25, min(4.0, zoom))
        self._apply_sizes()

    def fit_width(self) -> None:
        if not self.pages.sizes:
            return
        widest = max(w for w, _h in self.pages.sizes)
        avail = self.scroll.viewport().width() - 40 - self.scroll.verticalScrollBar().sizeHint().width()
        self.set_zoom(max(0.25, avail / (widest / POINTS_PER_INCH * 96)), fit=True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_width:
            self.fit_width()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_width:
            QTimer.singleShot(0, self.fit_width)

    def _schedule_render(self, *_args) -> None:
        if hasattr(self, "_render_timer"):
            self._render_timer.start()

    def _render_visible(self) -> None:
        viewport = self.scroll.viewport()
        top = self.scroll.verticalScrollBar().value()
        bottom = top + viewport.height()
        for i, w in enumerate(self.page_widgets):
            y0 = w.y()
            y1 = y0 + w.height()
            visible = y1 >= top - viewport.height() and y0 <= bottom + viewport.height()
            if visible and w.rendered_zoom != self.zoom:
                self.render_page(i)
            elif not visible and w.rendered_zoom is not None and abs(y0 - top) > 6 * viewport.height():
                w.clear()  # keep memory bounded for long batches
                w.rendered_zoom = None

    def render_page(self, index: int) -> None:
        w = self.page_widgets[index]
        from PySide6.QtGui import QPixmap

        image = self.pages.render(index, self._dpi())
        pix = QPixmap.fromImage(image)
        pix.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
        w.setPixmap(pix)
        w.rendered_zoom = self.zoom

    # --- commit, print, export -----------------------------------------------------------

    def _ensure_committed(self) -> bool:
        if self.committed:
            return True
        try:
            data = self._commit()
        except Exception as exc:  # shown to the clerk
            log.exception("commit failed")
            QMessageBox.warning(self, self.title, f"无法出具文书：{exc}")
            return False
        self.committed = True
        if data is not None and data != self.pages.data:
            # Another clerk took the number meanwhile: show what is really printed.
            self.pages.close()
            self.pages = PdfPages(data)
            self._build_pages()
            QMessageBox.information(
                self, self.title, "文号已被其他用户使用，文书已改用下一个文号。请核对预览后再打印或导出。")
            return False
        return True

    @property
    def pdf_bytes(self) -> bytes:
        return self.pages.data

    def print_document(self) -> bool:
        if not self._ensure_committed():
            return False
        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, len(self.pages))
        dialog.setOption(QAbstractPrintDialog.PrintPageRange, True)
        if dialog.exec() != QDialog.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        n = len(self.pages)
        if printer.printRange() == QPrinter.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), min(printer.toPage() or n, n)
            indexes = list(range(first - 1, last))
        else:
            indexes = list(range(n))
        progress = None
        if len(indexes) > 3:
            dlg = QProgressDialog("正在发送到打印机…", "取消", 0, len(indexes), self)
            dlg.setWindowTitle("打印")
            dlg.setWindowModality(Qt.WindowModal)
            dlg.setMinimumDuration(300)

            def progress(done, total):
                dlg.setValue(done)
                QApplication.processEvents()
                return not dlg.wasCanceled()
        try:
            QApplication.setOverrideCursor(Qt.WaitCursor)
            ok = print_pages(self.pages, printer, indexes, progress)
        except OSError as exc:
            QMessageBox.warning(self, "打印", str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.printed = ok
        return ok

    def export_pdf(self, path: str | None = None) -> Path | None:
        if not self._ensure_committed():
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出PDF", self.file_name, "PDF 文件 (*.pdf)")
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            with atomic_open(target, "wb") as fh:
                fh.write(self.pages.data)
        except OSError as exc:
            QMessageBox.warning(self, "导出PDF",
                                f"无法保存到“{target}”：{exc.strerror or exc}。请检查文件是否被其他程序打开，或换一个文件夹。")
            return None
        self.exported_to = target
        return target

    def done(self, result: int) -> None:
        self.pages.close()
        super().done(result)


def default_folder() -> str:
    from PySide6.QtCore import QStandardPaths

    return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())


def suggested_path(name: str) -> str:
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)
    return str(Path(default_folder()) / f"{safe}.pdf")
