"""Export an annual report document by file extension (.pdf, .docx,
.xlsx, .json), written atomically; and read report JSON files back for
combining.  Shared by the CLI and the GUI."""

from __future__ import annotations

import os
from pathlib import Path

from ..domain import report_model as rm
from ..files.atomic import atomic_open

EXPORT_FORMATS: dict[str, str] = {
    ".pdf": "PDF 文档",
    ".docx": "Word 文档",
    ".xlsx": "Excel 表格",
    ".json": "JSON 数据",
}


class ExportError(Exception):
    """An export that cannot be written; ``str()`` is for the clerk."""


def export_report(document: dict, path: str | os.PathLike, settings: dict | None = None) -> str | None:
    """Write ``document`` to ``path`` in the format of its extension.
    Returns a warning for the clerk (e.g. no embeddable font), or None."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in EXPORT_FORMATS:
        raise ExportError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”。"
                          "请使用 .pdf、.docx、.xlsx 或 .json 作为文件扩展名。")
    try:
        if ext == ".json":
            with atomic_open(path, "w", encoding="utf-8") as fh:
                fh.write(rm.to_json(document))
                fh.write("\n")
            return None
        if ext == ".pdf":
            from .report_pdf import write_report_pdf

            return write_report_pdf(document, path, settings)
        if ext == ".docx":
            from .report_docx import write_report_docx

            write_report_docx(document, path)
        else:
            from .report_xlsx import write_report_xlsx

            write_report_xlsx(document, path)
    except PermissionError:
        raise ExportError(f"无法写入“{path}”：没有权限，或文件正被其他程序（如 Word、WPS、Excel）打开。"
                          "请关闭该文件或换一个位置后重试。") from None
    except OSError as exc:
        if exc.filename and Path(str(exc.filename)).parent != path.parent:
            raise  # not the file being written: a fault of the program (e.g. a missing template)
        raise ExportError(f"无法写入“{path}”：{exc.strerror or exc}。请换一个位置后重试。") from None
    return None


def read_report_json(path: str | os.PathLike) -> dict:
    """A report document from a JSON file (checked against the format)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise rm.ReportFileError(f"找不到文件“{path}”。") from None
    except UnicodeDecodeError:
        raise rm.ReportFileError(f"“{path.name}”不是UTF-8编码的JSON文件。请选择本程序导出的年度报告JSON文件。") from None
    except OSError as exc:
        raise rm.ReportFileError(f"无法读取“{path}”：{exc.strerror or exc}。") from None
    return rm.parse_document(text, f"“{path.name}”")


def combine_files(paths: list[str | os.PathLike], agency: str | None = None) -> dict:
    """Read several agencies' report JSON files and add them into one."""
    docs = [(f"“{Path(p).name}”", read_report_json(p)) for p in paths]
    return rm.combine(docs, agency=agency)
