"""Reading a ledger file (.xlsx, .xls or CSV) into sheets of rows, with the
row numbers the clerk sees in Excel, and the merged cells.

* .xlsx (Excel 2007+, WPS): openpyxl's worksheet parser, streamed row by
  row (read-only mode), over an archive that has been checked first.
* .xls (Excel 97-2003, WPS): xlrd.
* CSV: UTF-8 (with or without BOM), GBK/GB18030 (what Excel on a Chinese
  Windows PC writes with “CSV（逗号分隔）”) or UTF-16 (Excel's “Unicode
  文本”); the delimiter (comma, semicolon or tab) is detected.

A ledger is a few thousand rows; a file far beyond that is damaged or
hostile (a zip bomb: 2 MB that expands to gigabytes; a sheet declaring a
million rows; a styles or shared-strings part of millions of entries).
Every reader refuses such a file within seconds and bounded memory, with
a Chinese message naming the limit that was passed: the archive's
central directory (sizes, compression ratios, entry count) is checked
before anything is decompressed; the rows, cells, shared strings and
elements of the sheets and shared strings are counted in their bytes (at
C speed: a crafted part of a million empty elements is refused in a
fraction of a second, where parsing it took seconds), the small XML parts
are scanned with element and nesting limits before openpyxl loads them,
and nesting, elements per row and elements outside rows are bounded while
a sheet is streamed.  Nothing is written, and the file itself is only ever
opened for reading.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LedgerFileError

# --- limits ----------------------------------------------------------------------------

MB = 1024 * 1024
#: Size of the file itself (a 100,000-row ledger is about 10 MB as .xlsx,
#: 40 MB as CSV).
MAX_FILE_BYTES = 200 * MB
MAX_XLS_BYTES = 40 * MB
MAX_CSV_BYTES = 100 * MB
#: The archive of an .xlsx.
MAX_ZIP_ENTRIES = 2000
MAX_SHEET_PART_BYTES = 200 * MB
MAX_STRINGS_PART_BYTES = 100 * MB
MAX_STYLES_PART_BYTES = 10 * MB
MAX_OTHER_PART_BYTES = 20 * MB
MAX_TOTAL_UNCOMPRESSED = 400 * MB
#: Uncompressed / compressed, for parts large enough to matter (real
#: spreadsheet XML compresses about 5-30 times; deflate's ceiling is 1032).
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 4 * MB
#: Elements of the XML parts openpyxl loads whole.
MAX_STYLES_ELEMENTS = 400_000
MAX_SMALL_PART_ELEMENTS = 200_000
#: Entries of the shared-strings part: one per distinct text of the file, so
#: a ledger of 100,000 rows with ten free-text columns needs at most 1,000,000
#: (categories such as 申请方式 or 办理结果 share one entry).  Its elements
#: allow for formatted (rich) texts, a few elements per entry.
MAX_SHARED_STRINGS = 1_000_000
MAX_STRINGS_ELEMENTS = 4_000_000
#: Nesting of XML elements: a worksheet goes seven deep (worksheet, sheetData,
#: row, c, is, r, t), the other parts about as much.
MAX_XML_DEPTH = 40
#: Rows and cells, over all the sheets of a file.
MAX_DATA_ROWS = 100_000
MAX_CELLS = 3_000_000
#: Row elements over all the sheets of a file, empty ones included (Excel
#: writes an empty row only for a row with its own height or format).
MAX_ROW_ELEMENTS_TOTAL = 2 * MAX_DATA_ROWS
#: XML elements of the sheets besides rows and cells: a cell holds one to
#: three (v, f, is/t; a formatted text a few more), and a sheet has some
#: beside its rows (column widths, merged ranges, hyperlinks…).
ELEMENTS_PER_CELL = 6
FREE_SHEET_ELEMENTS = 20_000
#: Elements of the sheets outside their rows (merged ranges, hyperlinks,
#: conditional formats…): a few per row of data read.
OTHER_ELEMENTS_PER_ROW = 5
#: XML elements of one row (cells with rich text included).
MAX_ROW_ELEMENTS = 100_000
#: The last row a spreadsheet can have (Excel 2007+).
MAX_ROW_NUMBER = 1_048_576
#: Columns read; cells further right are left out (and said so).
MAX_COLUMNS = 200


class LedgerLimitError(LedgerFileError):
    """The file passes a limit no ledger comes near (a damaged or hostile
    file); refused before it can exhaust memory or time."""


def _size(n: int) -> str:
    if n >= 1024 * MB:
        return f"{n / (1024 * MB):.1f} GB"
    if n >= MB:
        return f"{n / MB:.0f} MB"
    return f"{max(1, n // 1024)} KB"


def _limit(what: str) -> LedgerLimitError:
    return LedgerLimitError(
        f"{what}这远超一份申请台账的规模，文件可能已损坏或是被恶意构造的（如“压缩炸弹”），"
        "为保护电脑和现有数据，没有读取它，也没有导入任何数据。"
        "如确是台账，请在 Excel 或 WPS 中打开，只把台账内容复制到新工作簿后另存再导入。")


@dataclass
class Sheet:
    """One sheet: its non-blank rows ``(row_number, cells)`` (row numbers
    as Excel shows them) and merged ranges ``(min_row, min_col, max_row,
    max_col)``, 1-based and inclusive."""

    name: str
    rows: list[tuple[int, list]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    #: Something was written right of :data:`MAX_COLUMNS` (left out).
    cut_columns: bool = False


@dataclass
class Workbook:
    path: Path
    kind: str  # "xlsx", "xls" or "csv"
    sheets: list[Sheet] = field(default_factory=list)


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


class _Counter:
    """Rows and cells read so far, over every sheet of the file."""

    def __init__(self):
        self.rows = 0
        self.cells = 0
        self.other = 0  # XML elements of the sheets outside their rows

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise _limit(f"文件中的单元格超过 {MAX_CELLS:,} 个。")

    def add_row(self) -> None:
        self.rows += 1
        if self.rows > MAX_DATA_ROWS:
            raise _limit(f"文件中有内容的行超过 {MAX_DATA_ROWS:,} 行。")

    def add_other(self, sheet: str) -> None:
        """An element of a sheet outside its rows."""
        self.other += 1
        if self.other > FREE_SHEET_ELEMENTS + OTHER_ELEMENTS_PER_ROW * self.rows:
            raise _limit(f"工作表“{sheet}”中行以外的 XML 元素超过 {self.other - 1:,} 个，"
                         f"远多于其 {self.rows:,} 行数据所需（正常的台账只有合并单元格、超链接、"
                         "列宽等少量元素）。")


# --- CSV ---------------------------------------------------------------------------------


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise LedgerFileError(
            "无法识别文件的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。"
            "请在 Excel 中打开后“另存为”Excel 工作簿（.xlsx）或“CSV UTF-8（逗号分隔）”再导入。") from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path, counter: _Counter | None = None) -> Sheet:
    counter = counter or _Counter()
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise _limit(f"CSV 文件有 {_size(size)}，超过了 {_size(MAX_CSV_BYTES)} 的上限。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerFileError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from None
    if not data.strip():
        raise LedgerFileError("文件是空的，没有表头和数据。请使用导入模板填写后再导入。")
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    del data
    if text.count("\x00") > max(16, len(text) // 100):
        raise LedgerFileError("文件含有大量空字符（\\0），不是 CSV 文本文件。请从 Excel 另存为 .xlsx 或 CSV 后再导入。")
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    sheet = Sheet(path.stem)
    number = 0
    try:
        for cells in reader:
            number += 1
            counter.add_cells(len(cells))
            if len(cells) > MAX_COLUMNS:
                if not _blank(cells[MAX_COLUMNS:]):
                    sheet.cut_columns = True
                cells = cells[:MAX_COLUMNS]
            if not _blank(cells):
                counter.add_row()
                sheet.rows.append((number, cells))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise LedgerFileError(
                f"CSV 文件第{number + 1}行有单元格内容过长（超过{csv.field_size_limit()}字），"
                "可能是引号不成对导致多行连成了一格。请检查该行后重新导入。") from None
        raise LedgerFileError(f"CSV 文件第{number + 1}行格式有误（{exc}），请检查引号是否成对。") from None
    return sheet


# --- XLSX ----------------------------------------------------------------------------------


def _part_limit(name: str) -> tuple[int, str]:
    low = name.lower()
    if low.startswith("xl/worksheets/") and low.endswith(".xml"):
        return MAX_SHEET_PART_BYTES, "工作表"
    if low.endswith("sharedstrings.xml"):
        return MAX_STRINGS_PART_BYTES, "共享文字表"
    if low.endswith("styles.xml"):
        return MAX_STYLES_PART_BYTES, "样式表"
    return MAX_OTHER_PART_BYTES, "部件"


def check_archive(zf: zipfile.ZipFile) -> None:
    """Refuse an archive whose central directory announces more than a
    ledger can hold, before anything is decompressed.  (Python's zipfile
    never inflates a member beyond the size its directory entry states,
    so these sizes bound what reading can produce.)"""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _limit(f"工作簿压缩包内有 {len(infos):,} 个部件，超过了 {MAX_ZIP_ENTRIES:,} 个的上限。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise LedgerFileError("工作簿内容被加密，无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入。")
        limit, kind = _part_limit(info.filename)
        if info.file_size > limit:
            raise _limit(f"工作簿中的{kind}“{info.filename}”解压后有 {_size(info.file_size)}，"
                         f"超过了 {_size(limit)} 的上限。")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _limit(f"工作簿中的“{info.filename}”压缩比为 {ratio:,.0f} 倍（{_size(info.compress_size)} "
                         f"解压为 {_size(info.file_size)}），超过了 {MAX_RATIO} 倍的上限。")
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise _limit(f"工作簿解压后超过 {_size(MAX_TOTAL_UNCOMPRESSED)} 的上限。")


_DTD_MESSAGE = ("工作簿中的{what}“{name}”含有文档类型定义（DTD），正常的 Excel 文件不会有，"
                "文件可能被恶意构造；为保护电脑和现有数据，没有读取它，也没有导入任何数据。")


def _local(name: str) -> str:
    """``row`` of ``row``, ``x:row`` or ``{namespace}row``."""
    return name[max(name.rfind(":"), name.rfind("}")) + 1:]


def check_prolog(zf: zipfile.ZipFile, name: str, what: str) -> str:
    """Refuse a DOCTYPE (entity definitions) in the prolog of a part that is
    parsed afterwards; expat reads only up to the root element, whose
    namespace prefix is returned (``x`` of ``<x:worksheet>``, else "")."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()

    def root(tag, _attrs):
        raise _RootReached(tag.rpartition(":")[0])

    def doctype(*_args):
        raise LedgerFileError(_DTD_MESSAGE.format(what=what, name=name))

    parser.StartElementHandler = root
    parser.StartDoctypeDeclHandler = doctype
    try:
        with zf.open(name) as fh:
            while True:
                chunk = fh.read(1 << 16)
                if not chunk:
                    break
                parser.Parse(chunk, False)
    except _RootReached as reached:
        return str(reached)
    except xml.parsers.expat.ExpatError as exc:
        raise LedgerFileError(f"工作簿中的“{name}”不是有效的 XML（{exc}），文件可能已损坏。"
                              "请在 Excel 中打开后另存为 .xlsx 再导入。") from None
    return ""


class _RootReached(Exception):
    pass


class _TagCount:
    """Start tags of XML parts counted in their bytes, at the speed of
    ``bytes.count`` (a Python call per element, or a regular expression
    under tracemalloc, would take seconds on a crafted part of a million
    empty elements).  A count may come out high (a tag written inside a
    comment or CDATA section), never low: text cannot hold a raw ``<``."""

    def __init__(self, *names: str) -> None:
        self.names = names
        self.elements = 0
        self.tags = [0] * len(names)

    def scan(self, zf: zipfile.ZipFile, name: str, check, prefix: str = "") -> None:
        """Count the part's tags (``prefix`` of its root element), calling
        ``check()`` after each megabyte."""
        starts = [[("<" + (prefix + ":" if prefix else "") + tag + end).encode() for end in " \t\r\n/>"]
                  for tag in self.names]
        carry = b""
        with zf.open(name) as fh:
            while True:
                chunk = fh.read(1 << 20)
                data = carry + chunk
                carry = b""
                if chunk:  # a tag cut at the chunk's end is counted with the next one
                    cut = data.rfind(b"<")
                    if cut >= 0:
                        data, carry = data[:cut], data[cut:]
                self.elements += (data.count(b"<") - data.count(b"</") - data.count(b"<?")
                                  - data.count(b"<!"))
                for i, forms in enumerate(starts):
                    self.tags[i] += sum(data.count(form) for form in forms)
                check()
                if not chunk:
                    break


def scan_xml_part(zf: zipfile.ZipFile, name: str, max_elements: int, what: str) -> None:
    """Refuse a part that openpyxl loads whole (styles, workbook,
    relationships…) when it has a DOCTYPE (entity expansion), more than
    ``max_elements`` elements or nesting deeper than :data:`MAX_XML_DEPTH`:
    its elements are counted in its bytes first, then it is streamed
    through expat."""
    import xml.parsers.expat

    def too_many() -> None:
        if count.elements > max_elements:
            raise _limit(f"工作簿中的{what}“{name}”有超过 {max_elements:,} 个元素。")

    count = _TagCount()
    count.scan(zf, name, too_many)
    parser = xml.parsers.expat.ParserCreate()
    depth = [0]

    def start(_tag, _attrs):
        depth[0] += 1
        if depth[0] > MAX_XML_DEPTH:
            raise _too_deep(what, name)

    def end(_tag):
        depth[0] -= 1

    def doctype(*_args):
        raise LedgerFileError(_DTD_MESSAGE.format(what=what, name=name))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        with zf.open(name) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise LedgerFileError(f"工作簿中的“{name}”不是有效的 XML（{exc}），文件可能已损坏。"
                              "请在 Excel 中打开后另存为 .xlsx 再导入。") from None


def _too_deep(what: str, name: str) -> LedgerLimitError:
    return _limit(f"工作簿中的{what}“{name}”的 XML 元素嵌套超过 {MAX_XML_DEPTH} 层。")


def _scan_sheets(zf: zipfile.ZipFile, names: list[str]) -> None:
    """Rows (empty ones included), cells and elements of all the sheets,
    counted before openpyxl parses anything."""
    count = _TagCount("row", "c")

    def check() -> None:
        rows, cells = count.tags
        if rows > MAX_ROW_ELEMENTS_TOTAL:
            raise _limit(f"文件中的行（空行也算）超过 {MAX_ROW_ELEMENTS_TOTAL:,} 行。")
        if cells > MAX_CELLS:
            raise _limit(f"文件中的单元格超过 {MAX_CELLS:,} 个。")
        extra = count.elements - rows - cells
        if extra > FREE_SHEET_ELEMENTS + ELEMENTS_PER_CELL * cells:
            raise _limit(f"文件各工作表中除行和单元格外的 XML 元素已超过 {extra:,} 个，"
                         f"远多于其 {cells:,} 个单元格所需。")

    for name in names:
        count.scan(zf, name, check, check_prolog(zf, name, "工作表"))


def _scan_strings(zf: zipfile.ZipFile, name: str) -> None:
    """The shared-strings part: its entries and elements (its nesting is
    checked while it is read, :func:`_read_shared_strings`)."""
    what = "共享文字表"
    count = _TagCount("si")

    def check() -> None:
        if count.tags[0] > MAX_SHARED_STRINGS:
            raise _limit(f"工作簿中的{what}“{name}”有超过 {MAX_SHARED_STRINGS:,} 条文字。")
        if count.elements > MAX_STRINGS_ELEMENTS:
            raise _limit(f"工作簿中的{what}“{name}”有超过 {MAX_STRINGS_ELEMENTS:,} 个元素。")

    count.scan(zf, name, check, check_prolog(zf, name, what))


def _prescan(zf: zipfile.ZipFile) -> None:
    sheets = []
    for info in zf.infolist():
        low = info.filename.lower()
        if not (low.endswith(".xml") or low.endswith(".rels")):
            continue
        if low.startswith("xl/worksheets/") and low.endswith(".xml") and "/_rels/" not in low:
            sheets.append(info.filename)
        elif low.endswith("sharedstrings.xml"):
            _scan_strings(zf, info.filename)
        elif low.endswith("styles.xml"):
            scan_xml_part(zf, info.filename, MAX_STYLES_ELEMENTS, "样式表")
        elif low.startswith(("xl/drawings/", "xl/charts/", "xl/media/", "xl/pivot", "customxml/",
                             "xl/externallinks/", "xl/printersettings/", "xl/embeddings/")) \
                and not low.endswith(".rels"):
            continue  # never read in read-only mode
        else:
            scan_xml_part(zf, info.filename, MAX_SMALL_PART_ELEMENTS, "部件")
    _scan_sheets(zf, sheets)


def _xlsx_error(path: Path, exc: BaseException) -> LedgerFileError:
    return LedgerFileError(
        f"无法作为 Excel 工作簿读取“{path.name}”（{type(exc).__name__}）。文件可能已损坏或不是 .xlsx 格式；"
        "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")


def read_xlsx(path: Path, counter: _Counter | None = None) -> list[Sheet]:
    counter = counter or _Counter()
    try:
        import openpyxl  # noqa: F401
    except ImportError:  # pragma: no cover - a declared dependency
        raise LedgerFileError("缺少读取 Excel 文件所需的组件 openpyxl，请重新安装本程序。") from None
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(zf)
            _prescan(zf)
    except LedgerFileError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError…
        raise _xlsx_error(path, exc) from None
    try:
        book = _open_book(path)
    except LedgerFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise _xlsx_error(path, exc) from None
    except Exception as exc:  # openpyxl raises assorted errors on malformed XML
        raise LedgerFileError(
            f"无法读取 Excel 文件“{path.name}”：{exc}。请在 Excel 中打开后另存为 .xlsx 再导入。") from None
    try:
        sheets = []
        for title, part, state in book.sheets:
            try:
                sheets.append(_stream_sheet(book, part, Sheet(title, hidden=state != "visible"), counter))
            except LedgerFileError:
                raise
            except Exception as exc:  # malformed sheet XML, bad references…
                raise LedgerFileError(
                    f"读取工作表“{title}”时出错：{exc}。文件可能已损坏；"
                    "请在 Excel 中打开后另存为 .xlsx 再导入。") from None
        return sheets
    finally:
        book.archive.close()


@dataclass
class _Book:
    """What the sheets are read with: the open archive, the shared strings,
    the date formats and the sheets ``(title, part, state)`` in order."""

    archive: zipfile.ZipFile
    strings: list
    epoch: _dt.datetime
    date_formats: set
    timedelta_formats: set
    sheets: list[tuple[str, str, str]]


def _open_book(path: Path) -> _Book:
    """openpyxl's reader, the steps the values need only: the manifest,
    the shared strings (read here, see :func:`_read_shared_strings`), the
    workbook (sheets, date system) and the styles (date formats).  Its
    read-only worksheets are not made: each would parse its whole sheet
    once more to find the dimensions when the sheet does not state them."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    reader = ExcelReader(path, read_only=True, data_only=True)
    try:
        reader.read_manifest()
        found = reader.package.find(SHARED_STRINGS)
        strings = _read_shared_strings(reader.archive, found.PartName[1:]) if found is not None else []
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [(sheet.name, rel.target, sheet.state or "visible")
                  for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in (rel.Type or "")]
    except BaseException:
        reader.archive.close()
        raise
    wb = reader.wb
    return _Book(reader.archive, strings, wb.epoch, wb._date_formats, wb._timedelta_formats, sheets)


def _read_shared_strings(zf: zipfile.ZipFile, name: str) -> list[str]:
    """The texts of the shared-strings part, as openpyxl's
    ``read_string_table`` gives them (plain text, or the runs of a
    formatted text joined; phonetic guides left out), without building an
    object per entry, and each entry dropped once read."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.xml.constants import SHEET_MAIN_NS

    si_tag, t_tag, r_tag = ("{%s}%s" % (SHEET_MAIN_NS, t) for t in ("si", "t", "r"))
    strings: list[str] = []
    stack: list = []  # the open elements
    with zf.open(name) as src:
        for event, elem in iterparse(src, events=("start", "end")):
            if event == "start":
                stack.append(elem)
                if len(stack) > MAX_XML_DEPTH:
                    raise _too_deep("共享文字表", name)
                continue
            stack.pop()
            if elem.tag != si_tag:
                continue
            texts = []
            for child in elem:
                if child.tag == t_tag:
                    texts.append(child.text or "")
                elif child.tag == r_tag:
                    run = child.find(t_tag)
                    if run is not None:
                        texts.append(run.text or "")
            strings.append("".join(texts).replace("x005F_", ""))
            if stack:
                stack[-1].remove(elem)
    return strings


def _stream_sheet(book: _Book, part: str, sheet: Sheet, counter: _Counter) -> Sheet:
    """Stream one worksheet's XML: every element is dropped as soon as it
    has been read, so memory stays flat whatever the part holds.  (Its
    rows, cells, elements and nesting were counted in :func:`_prescan`.)"""
    # The C parser (fast); the prolog was checked for a DOCTYPE before, and
    # expat (2.4+) limits entity amplification by itself.
    from xml.etree.ElementTree import iterparse

    from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    merge_tag = "{%s}mergeCell" % SHEET_MAIN_NS
    with book.archive.open(part) as src:
        parser = _parser_class(WorkSheetParser)(
            src, book.strings, data_only=True, epoch=book.epoch,
            date_formats=book.date_formats, timedelta_formats=book.timedelta_formats)
        stack: list = []
        in_row = 0  # rows open (a row is read whole, with what it holds)
        row_elements = 0
        last_number = 0
        for event, elem in iterparse(src, events=("start", "end")):
            if event == "start":
                stack.append(elem)
                if elem.tag == ROW_TAG:
                    if not in_row:
                        row_elements = 0
                    in_row += 1
                elif in_row:
                    row_elements += 1
                    if row_elements > MAX_ROW_ELEMENTS:
                        raise _limit(f"工作表“{sheet.name}”的一行中有超过 {MAX_ROW_ELEMENTS:,} 个单元格或元素。")
                else:
                    counter.add_other(sheet.name)
                if len(stack) > MAX_XML_DEPTH:
                    raise _too_deep("工作表", part)
                continue
            stack.pop()
            tag = elem.tag
            if tag == ROW_TAG:
                in_row -= 1
                if in_row:
                    continue
                last_number = _row_in_order(sheet, elem.get("r") or "", last_number)
                if len(elem):  # an empty row (a height or a format) holds nothing
                    _add_row(sheet, parser.parse_row(elem), counter)
            elif in_row:
                continue  # part of the row: read with it
            elif tag == merge_tag:
                bounds = _merge_bounds(elem.get("ref"))
                if bounds:
                    sheet.merges.append(bounds)
                    if len(sheet.merges) > MAX_DATA_ROWS:
                        raise _limit(f"工作表“{sheet.name}”中合并单元格超过 {MAX_DATA_ROWS:,} 处。")
            if stack:
                stack[-1].remove(elem)
            else:
                elem.clear()
    return sheet


_PARSERS: dict = {}


def _parser_class(base: type) -> type:
    """openpyxl's worksheet parser with a fast path for inline strings
    (``t="inlineStr"``, as Apache POI's streaming writer and openpyxl itself
    write every text): the value :func:`inline_text` reads is what openpyxl
    gives (``Text.from_tree(...).content``) without building its objects,
    which took about half of the time of reading such a ledger."""
    cls = _PARSERS.get(base)
    if cls is not None:
        return cls
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.constants import SHEET_MAIN_NS

    inline_tag = "{%s}is" % SHEET_MAIN_NS

    class Parser(base):
        def parse_cell(self, element):
            if element.get("t") != "inlineStr":
                return super().parse_cell(element)
            coordinate = element.get("r")
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            child = element.find(inline_tag)
            if child is None:
                return {"row": row, "column": column, "value": None, "data_type": "inlineStr",
                        "style_id": style_id}
            return {"row": row, "column": column, "value": inline_text(child), "data_type": "s",
                    "style_id": style_id}

    _PARSERS[base] = Parser
    return Parser


def inline_text(element) -> str:
    """The text of an inline string (``<is>``) as openpyxl's
    ``Text.from_tree(element).content`` gives it: the last plain ``<t>``,
    then the last ``<t>`` of each run ``<r>`` that has one; phonetic
    guides (``<rPh>``) left out."""
    plain = None
    runs = []
    for child in element:
        tag = child.tag
        name = tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""
        if name == "t":
            plain = child.text
        elif name == "r":
            text = None
            for sub in child:
                sub_tag = sub.tag
                if isinstance(sub_tag, str) and sub_tag[sub_tag.rfind("}") + 1:] == "t":
                    text = sub.text
            if text is not None:
                runs.append(text)
    if plain is not None:
        runs.insert(0, plain)
    return "".join(runs)


def _row_in_order(sheet: Sheet, number: str, last: int) -> int:
    """The row's number (``r``), which must be past the last one's: Excel
    writes each row once, in order."""
    if not number.isdigit():
        return last  # no number: the row after the last one
    if int(number) <= last:
        raise LedgerFileError(
            f"工作表“{sheet.name}”中第{int(number):,}行出现在第{last:,}行之后（行号重复或顺序颠倒），"
            "正常的 Excel 文件不会这样，文件可能已损坏或被恶意构造；没有导入任何数据。"
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")
    return int(number)


def _add_row(sheet: Sheet, parsed, counter: _Counter) -> None:
    number, cells = parsed
    if number > MAX_ROW_NUMBER or number < 1:
        raise _limit(f"工作表“{sheet.name}”中有第 {number:,} 行，超出了电子表格的行数上限"
                     f"（{MAX_ROW_NUMBER:,} 行）。")
    values = _row_values(cells, sheet)
    if values and not _blank(values):
        counter.add_row()
        sheet.rows.append((number, values))


def _merge_bounds(ref: str | None):
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref or "")
    except (ValueError, TypeError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    if max_row - min_row > MAX_ROW_NUMBER or max_col > 20_000:
        return None
    return (min_row, min_col, max_row, min(max_col, MAX_COLUMNS))


def _row_values(cells: list[dict], sheet: Sheet) -> list:
    width = 0
    for c in cells:
        col = c["column"]
        if col > MAX_COLUMNS:
            if c["value"] not in (None, ""):
                sheet.cut_columns = True
            continue
        if c["value"] is not None and col > width:
            width = col
    values = [None] * width
    for c in cells:
        col = c["column"]
        if 1 <= col <= width:
            v = c["value"]
            if c.get("data_type") == "e":
                v = None  # #VALUE!, #REF!…: an error cell holds no data
            values[col - 1] = v
    return values


# --- XLS ----------------------------------------------------------------------------------------


def read_xls(path: Path, counter: _Counter | None = None) -> list[Sheet]:
    counter = counter or _Counter()
    size = path.stat().st_size
    if size > MAX_XLS_BYTES:
        raise _limit(f"Excel 97-2003 文件有 {_size(size)}，超过了 {_size(MAX_XLS_BYTES)} 的上限。")
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a declared dependency
        raise LedgerFileError("缺少读取 .xls 文件所需的组件 xlrd，请重新安装本程序。") from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True, ragged_rows=True,
                                  logfile=io.StringIO())
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error…
        text = str(exc)
        if "encrypt" in text.lower() or "Can't find workbook" in text:
            raise LedgerFileError("该 Excel 文件设置了打开密码（或不是 Excel 97-2003 工作簿），无法读取。"
                                  "请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再导入。") from None
        raise LedgerFileError(f"无法作为 Excel 97-2003 工作簿（.xls）读取“{path.name}”（{text[:80]}）。"
                              "文件可能已损坏；请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。") from None
    try:
        sheets = []
        for index in range(book.nsheets):
            try:
                sh = book.sheet_by_index(index)
            except Exception as exc:  # a damaged sheet
                raise LedgerFileError(f"读取第{index + 1}个工作表时出错（{str(exc)[:80]}），文件可能已损坏。"
                                      "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。") from None
            sheets.append(_xls_sheet(book, sh, counter))
            book.unload_sheet(index)
        return sheets
    finally:
        book.release_resources()


def _xls_sheet(book, sh, counter: _Counter) -> Sheet:
    import xlrd

    sheet = Sheet(sh.name, hidden=bool(getattr(sh, "visibility", 0)))
    for r in range(sh.nrows):
        n = sh.row_len(r)
        counter.add_cells(n)
        if n == 0:
            continue
        if n > MAX_COLUMNS:
            tail = sh.row_values(r, MAX_COLUMNS)
            if not _blank(tail):
                sheet.cut_columns = True
            n = MAX_COLUMNS
        types = sh.row_types(r, 0, n)
        raw = sh.row_values(r, 0, n)
        values = []
        for t, v in zip(types, raw):
            if t == xlrd.XL_CELL_DATE:
                try:
                    v = xlrd.xldate_as_datetime(v, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    pass  # left as the number; the importer says what is wrong
            elif t == xlrd.XL_CELL_NUMBER:
                v = int(v) if float(v).is_integer() else v
            elif t == xlrd.XL_CELL_BOOLEAN:
                v = bool(v)
            elif t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                v = None
            values.append(v)
        while values and values[-1] in (None, ""):
            values.pop()
        if values and not _blank(values):
            counter.add_row()
            sheet.rows.append((r + 1, values))
    for rlo, rhi, clo, chi in getattr(sh, "merged_cells", []) or []:
        if rhi > rlo and chi > clo:
            sheet.merges.append((rlo + 1, clo + 1, rhi, min(chi, MAX_COLUMNS)))
    return sheet


# --- any file -----------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_workbook(path) -> Workbook:
    """Read every sheet of the file; raise :class:`LedgerFileError` (or
    :class:`LedgerLimitError`) when the file is unusable."""
    path = Path(path)
    if not path.exists():
        raise LedgerFileError(f"文件“{path}”不存在，请检查路径。")
    if path.is_dir():
        raise LedgerFileError(f"“{path}”是一个文件夹，请选择 .xlsx、.xls 或 .csv 文件。")
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise LedgerFileError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from None
    if size > MAX_FILE_BYTES:
        raise _limit(f"文件有 {_size(size)}，超过了 {_size(MAX_FILE_BYTES)} 的上限。")
    counter = _Counter()
    if magic.startswith(_OLE_MAGIC):
        # .xls, or an .xlsx with an opening password (an encrypted package in an OLE file)
        return Workbook(path, "xls", read_xls(path, counter))
    if magic.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return Workbook(path, "xlsx", read_xlsx(path, counter))
    if suffix == ".xls":
        if magic.lstrip()[:1] == b"<" or magic.startswith(b"\xef\xbb\xbf<"):
            raise LedgerFileError("这个 .xls 文件其实是网页（HTML）或 XML 格式（某些系统导出的“Excel”文件是这样），"
                                  "无法直接读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")
        return Workbook(path, "xls", read_xls(path, counter))
    if suffix in (".csv", ".txt", ".tsv", ""):
        return Workbook(path, "csv", [read_csv(path, counter)])
    raise LedgerFileError(f"不支持“{suffix}”格式的文件，请选择 .xlsx、.xls 或 .csv 文件。")


def excel_serial_date(value: float) -> _dt.date | None:
    """The date of an Excel serial number (1900 system), None if out of range."""
    try:
        return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(value))
    except (OverflowError, ValueError):
        return None
