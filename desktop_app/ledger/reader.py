"""Reading a ledger file (.xlsx, .xls or CSV) into sheets of rows, with the
row numbers the clerk sees in Excel, and the merged cells.

* .xlsx (Excel 2007+, WPS): calamine (Rust, through python-calamine) reads
  each sheet, over an archive that has been checked first.
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
fraction of a second), and the small XML parts are scanned with element
and nesting limits.

calamine holds a whole sheet in memory, a value for every position between
the sheet's first and last cell, and a copy of a shared text for every
cell that shows it; it aborts the process (it does not raise) when an
allocation fails.  So before it reads anything, every part of the archive
(any part can be named a worksheet by the workbook's relationships) is
scanned for what it would build: the span of its cells' references, the
number of its cells and merged ranges, the shared texts its cells copy,
the entries the shared-strings part declares.  Nothing is written, and
the file itself is only ever opened for reading.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import itertools
import re
import zipfile
from array import array
from collections import Counter
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
#: Elements of the small XML parts (styles, workbook, relationships…), loaded whole.
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
#: The last row and column a spreadsheet can have (Excel 2007+: XFD1048576).
MAX_ROW_NUMBER = 1_048_576
MAX_COLUMN_NUMBER = 16_384
#: Positions of one sheet, from A1 to its last row and column that hold a
#: cell: calamine keeps a value of 32 bytes for each (10,000,000: 320 MB,
#: about a second to read).  A 100,000-row ledger of 100 columns fits; a
#: stray entry far to the right of a long ledger (column XFD on row 10,000:
#: 160 million positions) does not, and the message names the cell.
MAX_SHEET_SPAN = 10_000_000
#: Bytes of shared texts copied into the cells that show them, over the
#: file (counted as the bytes of the texts' entries in the shared-strings
#: part): 100,000 rows of ten text columns at 250 bytes an entry.  A text
#: used by many cells is held once per cell, by calamine and then by Python.
MAX_SHARED_TEXT_BYTES = 256 * MB
#: Characters of the texts kept from the cells, over the file (each cell
#: has its own copy, so a long text in many cells, or a sheet part named by
#: several sheets, counts each time).
MAX_TEXT_CHARS = 100_000_000
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
        self.text = 0  # characters of the texts read (.xlsx)

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise _limit(f"文件中的单元格超过 {MAX_CELLS:,} 个。")

    def add_row(self) -> None:
        self.rows += 1
        if self.rows > MAX_DATA_ROWS:
            raise _limit(f"文件中有内容的行超过 {MAX_DATA_ROWS:,} 行。")

    def add_text(self, chars: int) -> None:
        self.text += chars
        if self.text > MAX_TEXT_CHARS:
            raise _limit(f"文件单元格中的文字合计超过 {MAX_TEXT_CHARS:,} 字。")


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


#: Parts are scanned a megabyte at a time, each chunk cut before its last
#: "<": the tag that starts there is scanned whole with the next chunk, so
#: that no tag, nor any attribute in it, is ever cut in two.  When that tag
#: has closed and a long text follows it (a text runs to the next "<"), the
#: chunk is scanned as it is: a text holds no tag.  A tag still open a
#: megabyte on is refused (no writer writes one; calamine would read it).
_CHUNK = 1 << 20
_CARRY = 1 << 20
_CLOSED_TAG = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def _chunks(zf: zipfile.ZipFile, name: str):
    """The bytes of a part in chunks that never cut a tag; nothing is
    scanned twice."""
    carry = b""
    with zf.open(name) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            data = carry + chunk if carry else chunk
            carry = b""
            if chunk:
                cut = data.rfind(b"<")
                if cut < 0:
                    pass  # all text
                elif cut >= len(data) - _CARRY:
                    data, carry = data[:cut], data[cut:]
                elif not _CLOSED_TAG.match(data, cut):
                    raise _limit(f"工作簿中的“{name}”有一个超过 {_size(_CARRY)} 的 XML 标签。")
            yield data
            if not chunk:
                break


class _TagCount:
    """Start tags of XML parts counted in their bytes at C speed: the
    elements with ``bytes.count``, the named tags with one regular
    expression whose matches are the names (a Python call per element would
    take seconds on a crafted part of a million empty elements; a chunk's
    matches are at most a few hundred thousand short names).  A count may
    come out high (a tag written inside a comment or CDATA section), never
    low: text cannot hold a raw ``<``."""

    def __init__(self, *names: str) -> None:
        self.names = [tag.encode() for tag in names]
        self.elements = 0
        self.tags = [0] * len(names)
        self.last = [0] * len(names)  # in the last chunk

    def scan(self, zf: zipfile.ZipFile, name: str, check, prefix: str = "", also=None) -> None:
        """Count the part's tags (``prefix`` of its root element), calling
        ``check()`` after each chunk, and then ``also(chunk)``."""
        starts = re.compile(b"<" + (re.escape(prefix.encode()) + b":" if prefix else b"")
                            + b"(" + b"|".join(re.escape(tag) for tag in self.names) + rb")[\s/>]")
        for data in _chunks(zf, name):
            self.elements += (data.count(b"<") - data.count(b"</") - data.count(b"<?")
                              - data.count(b"<!"))
            found = starts.findall(data) if self.names else []
            self.last = [found.count(tag) for tag in self.names]
            for i, n in enumerate(self.last):
                self.tags[i] += n
            check()
            if also is not None:
                also(data)


def scan_xml_part(zf: zipfile.ZipFile, name: str, max_elements: int, what: str) -> None:
    """Refuse a part that is loaded whole (styles, workbook, relationships…)
    when it has a DOCTYPE (entity expansion), more than ``max_elements``
    elements or nesting deeper than :data:`MAX_XML_DEPTH`: its elements are
    counted in its bytes first, then it is streamed through expat."""
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


# What calamine builds, bounded from the bytes of the parts.  calamine reads
# a tag by its local name whatever its namespace prefix (<x:c> is a cell),
# and a cell's reference from its attribute "r" wherever it stands among the
# others; a cell without one follows the cell before it in its row, in the
# row that the last <row r="…"> named, counted on by one at each </row>.
# The patterns below over-approximate: whatever could be an attribute "r"
# with a cell reference (letters, digits) for a value counts, anywhere in a
# part, so that no reading of the attributes, calamine's or a later
# version's, places a cell where the scan did not look.  (The "r" must
# stand after a space or a quote, as an attribute's name does: dir="5400000"
# in every Excel theme is not a row number.  A cell's text that reads
# r="XFD9" would count too; no ledger has one.)

_PREFIX = rb"(?:[^\s<>/!?:\"'=]+:)?"
_PREFIXED_TAG = re.compile(rb":(?:c|row|v|mergeCell)[\s/>]")
_REF_LETTERS = re.compile(rb"r(?<=[\s\"']r)\s*=\s*[\"']([A-Za-z]*)[0-9]+[\"']")
_REF_DIGITS = re.compile(rb"r(?<=[\s\"']r)\s*=\s*[\"'][A-Za-z]*([0-9]+)[\"']")
_SHARED_ANY = re.compile(rb"t(?<=[\s\"']t)\s*=\s*[\"']s[\"']")
_CELL_FORMS = tuple(b"<c" + end for end in (b" ", b"\t", b"\r", b"\n", b"/", b">"))


class _Tags:
    """Tags calamine reads, without a prefix (the usual case, found with
    faster patterns) or with any."""

    def __init__(self, p: bytes) -> None:
        self.cell = re.compile(rb"<" + p + rb"c[\s/>]")
        #: a cell whose first attribute is its reference (as every writer puts it)
        self.fast = re.compile(rb"<" + p + rb"c r=[\"']")
        self.row = re.compile(rb"<" + p + rb"row(?=[\s/>])[^<>]*?[\s\"']r\s*=\s*[\"']([0-9]*)[\"']")
        self.row_tag = re.compile(rb"<" + p + rb"row[\s/>]")
        self.row_end = re.compile(rb"</" + p + rb"row\s*>")
        self.merge = re.compile(rb"<" + p + rb"mergeCell[\s/>]")
        #: a cell that shows a shared text as Excel, WPS, openpyxl and POI write
        #: it: ``t="s"`` last, one <v> with the entry's index, nothing else
        self.shared = re.compile(rb"t=[\"']s[\"']><" + p + rb"v>([0-9]{1,10})</" + p + rb"v></" + p + rb"c>")


_PLAIN_TAGS = _Tags(b"")
_ANY_TAGS = _Tags(_PREFIX)


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


class _Cells:
    """What calamine would hold for the file's parts, added up over the file."""

    def __init__(self) -> None:
        self.cells = 0
        self.copied = 0  # bytes of shared texts copied into cells
        self.texts: array | None = None  # bytes of each shared text's entry
        self.longest = 0

    def add_texts(self, lengths: array) -> None:
        if self.texts is None:
            self.texts = lengths
        else:  # two shared-strings parts (a crafted file): the longer of each pair
            merged = array("I", (max(a, b) for a, b in zip(self.texts, lengths)))
            longer = self.texts if len(self.texts) > len(lengths) else lengths
            merged.extend(longer[len(merged):])
            self.texts = merged
        self.longest = max(self.texts, default=0)

    def scan(self, zf: zipfile.ZipFile, name: str) -> None:
        part = _PartCells(self, name)
        for data in _chunks(zf, name):
            part.feed(data)
        part.finish(zf)


class _PartCells:
    """One part as calamine would read it as a worksheet."""

    def __init__(self, total: _Cells, name: str) -> None:
        self.total = total
        self.name = name
        self.cells = 0  # cell tags
        self.fast = 0  # of which give their reference first
        self.max_row = 0
        self.max_col = 0
        self.last_row = 0  # the last row number given, for their order
        self.merges = 0

    def feed(self, data: bytes, plain_cells: int | None = None) -> None:
        """Scan a chunk; ``plain_cells``: its <c> tags without a prefix, when
        already counted."""
        if _PREFIXED_TAG.search(data):
            tags = _ANY_TAGS
            cells = len(tags.cell.findall(data))
            fast = len(tags.fast.findall(data))
        else:
            tags = _PLAIN_TAGS
            cells = sum(data.count(form) for form in _CELL_FORMS) if plain_cells is None else plain_cells
            fast = data.count(b'<c r="')
            if fast < cells:
                fast += data.count(b"<c r='")
        self.cells += cells
        self.fast += fast
        total = self.total
        total.cells += cells
        if total.cells > MAX_CELLS:
            raise _limit(f"文件中的单元格超过 {MAX_CELLS:,} 个。")
        self._references(data)
        self._rows(tags.row.findall(data))
        self.merges += len(tags.merge.findall(data))
        if self.merges > MAX_DATA_ROWS:
            raise _limit(f"工作簿中的工作表“{self.name}”中合并单元格超过 {MAX_DATA_ROWS:,} 处。")
        if total.texts is not None and cells:
            self._shared(data, tags)

    def _references(self, data: bytes) -> None:
        for letters in set(_REF_LETTERS.findall(data)):
            col = _column_number(letters) if len(letters) <= 3 else MAX_COLUMN_NUMBER + 1
            if col > MAX_COLUMN_NUMBER:
                raise _limit(f"工作簿中的工作表“{self.name}”中有“{letters[:10].decode()}”列的单元格，超出了电子表格的"
                             f"列数上限（{MAX_COLUMN_NUMBER:,} 列，到 XFD 列）。")
            self.max_col = max(self.max_col, col)
        numbers = {digits.lstrip(b"0") for digits in set(_REF_DIGITS.findall(data))}
        if numbers:
            top = max(numbers, key=lambda digits: (len(digits), digits))
            if len(top) > 9 or int(top or b"0") > MAX_ROW_NUMBER:
                raise _row_limit(f"工作簿中的工作表“{self.name}”", top.decode())
            self.max_row = max(self.max_row, int(top or b"0"))

    def _rows(self, numbers: list[bytes]) -> None:
        """Rows in order: Excel writes each row once, in order; a row without a
        number (``r``) is the one after the last."""
        last = self.last_row
        for digits in numbers:
            if not digits:
                continue
            number = int(digits)  # at most 9 digits: checked with the references
            if number <= last:
                raise LedgerFileError(
                    f"工作簿中的工作表“{self.name}”中第{number:,}行出现在第{last:,}行之后（行号重复或顺序颠倒），"
                    "正常的 Excel 文件不会这样，文件可能已损坏或被恶意构造；没有导入任何数据。"
                    "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")
            last = number
        self.last_row = last

    def _shared(self, data: bytes, tags: _Tags) -> None:
        """Shared texts copied into the cells that show them: the entry's own
        length for a cell written as every writer writes it, the longest
        entry's for any other cell that might show one."""
        texts, longest = self.total.texts, self.total.longest
        assert texts is not None
        indices = tags.shared.findall(data)
        copied = (len(_SHARED_ANY.findall(data)) - len(indices)) * longest
        for index, uses in Counter(indices).items():
            i = int(index)
            copied += uses * (texts[i] if i < len(texts) else longest)
        self.total.copied += copied
        if self.total.copied > MAX_SHARED_TEXT_BYTES:
            raise _limit(f"文件中的单元格引用的共享文字合计超过 {_size(MAX_SHARED_TEXT_BYTES)}"
                         "（同一段长文字被大量单元格重复引用）。")

    def finish(self, zf: zipfile.ZipFile) -> None:
        """The span of the cells, from A1: their references' furthest row and
        column; with cells that give no reference first, a bound on where the
        counting places them (a second reading, of such rare parts only)."""
        if not self.cells:
            return
        rows, cols = self.max_row, self.max_col
        if self.cells > self.fast:
            row_ends = widest = run = 0
            for data in _chunks(zf, self.name):
                pieces = _ANY_TAGS.row_end.split(data)
                row_ends += len(pieces) - 1 + len(_ANY_TAGS.row_tag.findall(data))
                counts = [len(_ANY_TAGS.cell.findall(piece)) for piece in pieces]
                counts[0] += run
                widest = max(widest, *counts)
                run = counts[-1]
            rows, cols = rows + row_ends + 1, cols + widest + 1
        if rows * cols > MAX_SHEET_SPAN:
            raise _limit(f"工作簿中的工作表“{self.name}”的单元格分布到第 {rows:,} 行、第 {cols:,} 列"
                         f"（{_column_letters(min(cols, MAX_COLUMN_NUMBER))}{min(rows, MAX_ROW_NUMBER)} 单元格，"
                         f"可在 Excel 中按 Ctrl+End 找到），共 {rows * cols:,} 个单元格位置，"
                         f"超过了 {MAX_SHEET_SPAN:,} 个的上限。")


def _row_limit(where: str, digits: str) -> LedgerLimitError:
    shown = f"{int(digits):,}" if len(digits) <= 30 else digits[:30] + "…"
    return _limit(f"{where}中有第 {shown} 行，超出了电子表格的行数上限（{MAX_ROW_NUMBER:,} 行）。")


_SST_TAG = re.compile(rb"<" + _PREFIX + rb"sst(?=[\s/>])")
_TAG_ATTRIBUTES = re.compile(rb"""<[^\s<>/!?]+((?:\s+[^\s=<>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
_UNIQUE_COUNT = re.compile(rb"""(?:^|[\s"'])uniqueCount\s*=\s*["']\s*\+?([0-9]*)""")
_SI_TAG = re.compile(rb"<(/?)(" + _PREFIX + rb"si)(?=[\s/>])([^<>]*)>")


class _SharedTexts:
    """The shared-strings part as calamine reads it: the number of entries
    its root declares (calamine reserves room for that many at once), and
    the bytes of each entry (an upper bound on its text's), which must
    follow one another flat, each closed before the next opens.  The tags
    of the entries are split out at C speed; a chunk is walked tag by tag
    only when an entry has attributes or closes itself (<si/>)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lengths = array("I")
        self.qname: bytes | None = None
        self.open: int | None = None  # bytes of the entry left open, so far

    def _malformed(self) -> LedgerFileError:
        return LedgerFileError(
            f"工作簿中的共享文字表“{self.name}”结构不正常（文字条目嵌套或不成对），文件可能已损坏或被恶意构造；"
            "没有导入任何数据。请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")

    def feed(self, data: bytes) -> None:
        for found in _SST_TAG.finditer(data):
            tag = _TAG_ATTRIBUTES.match(data, found.start())
            if tag is None:
                raise self._malformed()
            for digits in _UNIQUE_COUNT.findall(tag.group(1)):
                digits = digits.lstrip(b"0")
                if len(digits) > 9 or (digits and int(digits) > MAX_SHARED_STRINGS):
                    raise _limit(f"工作簿中的共享文字表“{self.name}”声明有超过 {MAX_SHARED_STRINGS:,} 条文字。")
        pieces = _SI_TAG.split(data)  # text, then (closing "/", name, attributes, text) for each tag
        texts, closings, names, attributes = pieces[0::4], pieces[1::4], pieces[2::4], pieces[3::4]
        if not closings:
            if self.open is not None:
                self.open += len(data)
            return
        if self.qname is None:
            self.qname = names[0]
        if names.count(self.qname) != len(names):
            raise self._malformed()
        if attributes.count(b"") != len(attributes):
            self._walk(texts, closings, attributes)
            return
        # start and end tags must alternate: an end first when an entry is open
        first, then = (b"/", b"") if self.open is not None else (b"", b"/")
        if closings[0::2].count(first) != len(closings[0::2]) or closings[1::2].count(then) != len(closings[1::2]):
            raise self._malformed()
        lengths = self.lengths
        tags = len(closings)
        if self.open is not None:
            lengths.append(self.open + len(texts[0]))
            lengths.extend(map(len, texts[2:tags:2]))  # between a start (odd tag) and its end
            self.open = len(texts[tags]) if tags % 2 == 0 else None
        else:
            lengths.extend(map(len, texts[1:tags:2]))
            self.open = len(texts[tags]) if tags % 2 else None

    def _walk(self, texts: list, closings: list, attributes: list) -> None:
        lengths = self.lengths
        if self.open is not None:
            self.open += len(texts[0])
        for closing, attrs, after in zip(closings, attributes, texts[1:]):
            if closing:
                if self.open is None:
                    raise self._malformed()
                lengths.append(self.open)
                self.open = None
            elif self.open is not None:
                raise self._malformed()
            elif attrs.endswith(b"/"):
                lengths.append(0)
            else:
                self.open = 0
            if self.open is not None:
                self.open += len(after)

    def finish(self) -> array:
        if self.open is not None:  # never closed: calamine stops there
            self.lengths.append(self.open)
        return self.lengths


def _scan_sheets(zf: zipfile.ZipFile, names: list[str], cells: _Cells) -> None:
    """Rows (empty ones included), cells and elements of all the sheets,
    counted before anything is parsed, and each sheet's cells as calamine
    would hold them."""
    count = _TagCount("row", "c")

    def check() -> None:
        rows, cells_ = count.tags
        if rows > MAX_ROW_ELEMENTS_TOTAL:
            raise _limit(f"文件中的行（空行也算）超过 {MAX_ROW_ELEMENTS_TOTAL:,} 行。")
        if cells_ > MAX_CELLS:
            raise _limit(f"文件中的单元格超过 {MAX_CELLS:,} 个。")
        extra = count.elements - rows - cells_
        if extra > FREE_SHEET_ELEMENTS + ELEMENTS_PER_CELL * cells_:
            raise _limit(f"文件各工作表中除行和单元格外的 XML 元素已超过 {extra:,} 个，"
                         f"远多于其 {cells_:,} 个单元格所需。")

    for name in names:
        part = _PartCells(cells, name)
        prefix = check_prolog(zf, name, "工作表")

        def also(data: bytes, part: _PartCells = part, prefix: str = prefix) -> None:
            part.feed(data, None if prefix else count.last[1])

        count.scan(zf, name, check, prefix, also=also)
        part.finish(zf)


def _scan_strings(zf: zipfile.ZipFile, name: str, cells: _Cells) -> None:
    """The shared-strings part: its entries, elements and declared count,
    and the bytes of each entry."""
    what = "共享文字表"
    count = _TagCount("si")
    texts = _SharedTexts(name)

    def check() -> None:
        if count.tags[0] > MAX_SHARED_STRINGS:
            raise _limit(f"工作簿中的{what}“{name}”有超过 {MAX_SHARED_STRINGS:,} 条文字。")
        if count.elements > MAX_STRINGS_ELEMENTS:
            raise _limit(f"工作簿中的{what}“{name}”有超过 {MAX_STRINGS_ELEMENTS:,} 个元素。")

    count.scan(zf, name, check, check_prolog(zf, name, what), also=texts.feed)
    cells.add_texts(texts.finish())


#: Parts of an .xlsb workbook or an OpenDocument spreadsheet: calamine tries
#: those formats when a file is not an .xlsx, and their parts are not
#: checked here.
_OTHER_FORMATS = ("mimetype", "xl/workbook.bin", "xl/_rels/workbook.bin.rels")


def _prescan(zf: zipfile.ZipFile) -> None:
    sheets, strings, others = [], [], []
    for info in zf.infolist():
        name = info.filename
        low = name.lower()
        if low.replace("\\", "/") in _OTHER_FORMATS:
            raise LedgerFileError(
                "这个文件不是 Excel 2007 及以后版本的 .xlsx 工作簿（可能是 .xlsb 或 .ods 格式），无法读取。"
                "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")
        if not (low.endswith(".xml") or low.endswith(".rels")):
            others.append(name)
        elif low.startswith("xl/worksheets/") and low.endswith(".xml") and "/_rels/" not in low:
            sheets.append(name)
        elif low.endswith("sharedstrings.xml"):
            strings.append(name)
        else:
            others.append(name)
            if low.endswith("styles.xml"):
                scan_xml_part(zf, name, MAX_STYLES_ELEMENTS, "样式表")
            elif not low.startswith(("xl/drawings/", "xl/charts/", "xl/media/", "xl/pivot", "customxml/",
                                     "xl/externallinks/", "xl/printersettings/", "xl/embeddings/")) \
                    or low.endswith(".rels"):
                scan_xml_part(zf, name, MAX_SMALL_PART_ELEMENTS, "部件")
    cells = _Cells()
    for name in strings:  # first: the sheets' cells copy its texts
        _scan_strings(zf, name, cells)
    _scan_sheets(zf, sheets, cells)
    for name in strings + others:  # any part may be named a worksheet
        cells.scan(zf, name)


def _xlsx_error(path: Path, exc: BaseException) -> LedgerFileError:
    return LedgerFileError(
        f"无法作为 Excel 工作簿读取“{path.name}”（{type(exc).__name__}）。文件可能已损坏或不是 .xlsx 格式；"
        "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。")


def _calamine_failure(exc: BaseException) -> bool:
    """An error of calamine's: an exception, or a panic of its Rust code
    (``pyo3_runtime.PanicException``, a BaseException)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _sheet_error(title: str, exc: BaseException) -> LedgerFileError:
    text = str(exc)
    if "cell error value" in text:  # #SPILL!, #CALC!…: error values calamine does not know
        value = text.rpartition(" ")[2].strip("'\"")
        return LedgerFileError(
            f"工作表“{title}”中有本程序不认识的公式错误值“{value[:20]}”（Excel 新版本的 #SPILL!、#CALC! 等），"
            "无法读取该工作表，没有导入任何数据。请在 Excel 中修正或删除显示这些错误值的公式后另存，再导入。")
    return LedgerFileError(
        f"读取工作表“{title}”时出错：{text[:200]}。文件可能已损坏；请在 Excel 中打开后另存为 .xlsx 再导入。")


def read_xlsx(path: Path, counter: _Counter | None = None) -> list[Sheet]:
    counter = counter or _Counter()
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum
    except ImportError:  # pragma: no cover - a declared dependency
        raise LedgerFileError("缺少读取 Excel 文件所需的组件 python-calamine，请重新安装本程序。") from None
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(zf)
            _prescan(zf)
    except LedgerFileError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError…
        raise _xlsx_error(path, exc) from None
    try:
        # read through the file object, so that the format is told by the
        # contents (the prescan has refused .xlsb and .ods), not the suffix
        with open(path, "rb") as fh:
            book = CalamineWorkbook.from_filelike(fh)
    except BaseException as exc:
        if not _calamine_failure(exc):
            raise
        raise _xlsx_error(path, exc) from None
    with book:
        sheets = []
        for index, meta in enumerate(book.sheets_metadata):
            if meta.typ == SheetTypeEnum.ChartSheet:
                continue  # a chart, no cells
            sheet = Sheet(meta.name, hidden=meta.visible != SheetVisibleEnum.Visible)
            try:
                _read_sheet(book.get_sheet_by_index(index), sheet, counter)
            except LedgerFileError:
                raise
            except BaseException as exc:
                if not _calamine_failure(exc):
                    raise
                raise _sheet_error(sheet.name, exc) from None
            sheets.append(sheet)
        return sheets


def _read_sheet(data, sheet: Sheet, counter: _Counter) -> None:
    """The sheet's merged ranges and non-blank rows.  calamine's rows run
    from the sheet's first row (empty ones before its first cell), and its
    columns from the first column that holds a cell."""
    for (min_row, min_col), (max_row, max_col) in data.merged_cell_ranges or []:
        if max_row - min_row <= MAX_ROW_NUMBER and max_col < 20_000:
            sheet.merges.append((min_row + 1, min_col + 1, max_row + 1, min(max_col + 1, MAX_COLUMNS)))
    if len(sheet.merges) > MAX_DATA_ROWS:
        raise _limit(f"工作表“{sheet.name}”中合并单元格超过 {MAX_DATA_ROWS:,} 处。")
    if data.start is None:
        return  # no cell holds anything (and iter_rows would fail)
    (first_row, first_col), (last_row, last_col) = data.start, data.end
    if last_row >= MAX_ROW_NUMBER:
        raise _row_limit(f"工作表“{sheet.name}”", str(last_row + 1))
    if last_col >= MAX_COLUMN_NUMBER:
        raise _limit(f"工作表“{sheet.name}”中有第 {last_col + 1:,} 列的单元格，超出了电子表格的列数上限"
                     f"（{MAX_COLUMN_NUMBER:,} 列，到 XFD 列）。")
    keep = max(0, MAX_COLUMNS - first_col)  # of each row's cells
    rows = sheet.rows
    for number, raw in enumerate(itertools.islice(data.iter_rows(), first_row, None), first_row + 1):
        if len(raw) > keep:
            tail = raw[keep:]
            if tail.count("") != len(tail):
                sheet.cut_columns = True
            raw = raw[:keep]
        values, chars = _values(raw, first_col)
        if values and not _blank(values):
            counter.add_row()
            counter.add_text(chars)
            rows.append((number, values))


def _values(raw: list, lead: int) -> tuple[list, int]:
    """A row's values as openpyxl gives them, from column A: None for an
    empty cell (calamine's "", also for an error value such as #REF!), an
    int for a whole number (calamine gives every number as a float), a
    datetime for a date (calamine gives a date when the time is 00:00); the
    row's trailing empty cells left out (an empty list for a row with no
    value); and the characters of its texts."""
    end = len(raw)
    while end and raw[end - 1] == "":
        end -= 1
    if not end:
        return [], 0
    values: list = [None] * lead
    append = values.append
    chars = 0
    for value in raw[:end]:
        kind = value.__class__
        if kind is str:
            append(value or None)
            chars += len(value)
        elif kind is float:
            append(int(value) if value.is_integer() else value)
        elif kind is _dt.date:
            append(_dt.datetime(value.year, value.month, value.day))
        else:  # bool, datetime, time, timedelta
            append(value)
    return values, chars


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
