"""The application form (《政府信息公开申请表》): blank, as local
governments print it for walk-in applicants (one sheet with both the 公民
and the 法人或者其他组织 block), or filled from a record.

Fields after reference/application-form.md.  No 是否申请减免费用 box
(pre-2019 regime).  The office-use block at the foot: 受理编号, 收到日期,
申请方式, 登记人.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer

from ..domain import catalog
from ..domain.records import ApplicationFields
from ..domain.validation import format_date_cn
from .fonts import FontSet, resolve_fonts
from .layout import (DocumentStart, MinHeight, Paragraph, build_pdf, cell_widths, make_styles, para, ruled_table,
                     text)

FORM_TITLE = "政府信息公开申请表"
FORM_MARGINS = (20 * mm, 15 * mm, 28 * mm, 26 * mm)  # a form, not a 公文: more room
FORM_WIDTH = 210 * mm - 28 * mm - 26 * mm
CELL_SIZE = 11          # between 五号 and 小四
ROW = 7.4 * mm          # room to write by hand

#: The form's tick boxes and the record codes they stand for.
FORM_DELIVERY = [("纸面", "paper"), ("电子邮件", "electronic"), ("光盘", "disc"), ("磁盘", None)]
FORM_OBTAIN = [("邮寄", "post"), ("快递", "express"), ("电子邮件", "email"), ("传真", "fax"),
               ("自行领取", "collect"), ("当场阅读、抄录", "on_site")]

FORM_NOTES = [
    "填表说明：1. 公民填写“公民”一栏，法人或者其他组织填写“法人或者其他组织”一栏，并附身份证明或营业执照等证明文件复印件。",
    "2. 一份申请表只申请一项政府信息（一事一申请），请写明所需信息的名称、文号或者其他特征性描述。",
    "3. 本机关自收到申请之日起20个工作日内答复；需要延长答复期限的，将另行书面告知。",
]

CHECKED, UNCHECKED = "■", "□"


def _codes(value) -> set[str]:
    return {c for c in re.split(r"[,，、;；\s]+", str(value or "")) if c}


def _ticks(options, chosen: set[str]) -> str:
    return "　".join(f"{CHECKED if code and code in chosen else UNCHECKED}{label}" for label, code in options)


def form_story(record: ApplicationFields | None, settings: Mapping[str, Any], fonts: FontSet) -> list:
    st = make_styles(fonts, cell_size=CELL_SIZE)
    grid = _FormGrid(record, st)
    grid.applicant_block()
    grid.information_block()
    h = grid.office_block(settings)
    cols = _columns(grid.rows, st)
    table = ruled_table(grid.rows, cols, spans=grid.spans)
    table.setStyle([("BACKGROUND", (0, h), (-1, h), Color(0.92, 0.92, 0.92)),
                    ("LEFTPADDING", (0, 0), (1, -1), 2), ("RIGHTPADDING", (0, 0), (1, -1), 2)])

    title_style = st.title.clone("form_title", spaceAfter=2)
    agency = (settings.get("agency_name") or "").strip()
    story = [DocumentStart(numbered=False), para(FORM_TITLE, title_style)]
    if agency:
        story.append(para(f"（{agency}）", st.cell_center))
    story += [Spacer(1, 3 * mm), table]
    notes = [Spacer(1, 2 * mm)] + [Paragraph(text(n), st.small) for n in FORM_NOTES]
    # The notes are for applicants filling in the blank form; a filled
    # form drops them rather than spill onto a second page.
    if record is None or _height(story + notes) <= 297 * mm - FORM_MARGINS[0] - FORM_MARGINS[1]:
        story += notes
    return story


class _FormGrid:
    """The rows and spans of the form's table, filled block by block."""

    def __init__(self, record: ApplicationFields | None, st) -> None:
        self.record = record
        self.r = record.values() if record is not None else {}
        self.st = st
        self.rows: list[list] = []
        self.spans: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def v(self, field: str, show: bool = True) -> str:
        return (self.r.get(field) or "") if show else ""

    def label(self, s: str):
        return para(s, self.st.cell_label)

    def value(self, s: str, h: float = ROW):
        """A value cell with room to write."""
        return MinHeight(para(s, self.st.cell), h - 7, valign="middle")

    def side(self, s: str):
        """A narrow vertical label: one character a line."""
        return para("\n".join(s), self.st.cell_label)

    def add(self, row: list, *row_spans: tuple[int, int]) -> None:
        i = len(self.rows)
        self.rows.append(row)
        for (c0, c1) in row_spans:
            self.spans.append(((c0, i), (c1, i)))

    def applicant_block(self) -> None:
        """申请人信息: the 公民 rows, then the 法人或者其他组织 rows."""
        r, v, L, V, add = self.r, self.v, self.label, self.value, self.add
        person = r.get("applicant_type") == catalog.NATURAL_PERSON
        org = r.get("applicant_type") == catalog.ORGANISATION
        id_name = catalog.ID_TYPES.get(r.get("id_type") or "", "") if person else ""
        add(["", "", L("姓　　名"), V(v("applicant_name", person)), L("工作单位"), V(v("work_unit", person))])
        add(["", "", L("证件名称"), V(id_name), L("证件号码"), V(v("id_number", person))])
        add(["", "", L("联系电话"), V(v("phone", person)), L("邮政编码"), V(v("postcode", person))])
        add(["", "", L("通信地址"), V(v("address", person)), "", ""], (3, 5))
        add(["", "", L("电子邮箱"), V(v("email", person)), L("传　　真"), V(v("fax", person))])
        p0, p1 = 0, len(self.rows) - 1
        add(["", "", L("名　　称"), V(v("applicant_name", org)), "", ""], (3, 5))
        add(["", "", L("统一社会信用代码"), V(v("id_number", org)), "", ""], (3, 5))
        add(["", "", L("法定代表人"), V(v("legal_rep", org)), L("联系人姓名"), V(v("contact_name", org))])
        add(["", "", L("联系人电话"), V(v("phone", org)), L("邮政编码"), V(v("postcode", org))])
        add(["", "", L("通信地址"), V(v("address", org)), "", ""], (3, 5))
        add(["", "", L("电子邮箱"), V(v("email", org)), L("传　　真"), V(v("fax", org))])
        o0, o1 = p1 + 1, len(self.rows) - 1
        self.rows[p0][1] = self.side("公民")
        self.rows[o0][1] = self.side("法人或者其他组织")
        self.rows[p0][0] = self.side("申请人信息")
        self.spans += [((1, p0), (1, p1)), ((1, o0), (1, o1)), ((0, p0), (0, o1))]

    def information_block(self) -> None:
        """所需信息情况: description, index number, purpose, forms, ways."""
        r, v, L, V, add, st = self.r, self.v, self.label, self.value, self.add, self.st
        desc = (r.get("info_description") or "").strip()
        extra = []
        if r.get("info_title"):
            extra.append(f"文件名称：{r['info_title']}")
        if r.get("info_doc_number"):
            extra.append(f"文号：{r['info_doc_number']}")
        if extra:
            desc = desc + "\n" + "；".join(extra)
        i0 = len(self.rows)
        add(["", para("所需信息的内容描述（名称、文号或者其他特征性描述）", st.cell_label), "",
             V(desc, 30 * mm), "", ""], (1, 2), (3, 5))
        add(["", L("索引号（选填）"), "", V(v("info_index_number")), "", ""], (1, 2), (3, 5))
        add(["", L("所需信息的用途\n（选填）"), "", V(v("info_purpose")), "", ""], (1, 2), (3, 5))
        add(["", L("所需信息的指定提供载体形式（可多选）"), "",
             V(_ticks(FORM_DELIVERY, _codes(r.get("delivery_forms")))), "", ""], (1, 2), (3, 5))
        add(["", L("获取信息的方式（可多选）"), "",
             V(_ticks(FORM_OBTAIN, _codes(r.get("obtain_methods")))), "", ""], (1, 2), (3, 5))
        add(["", para("若本机关无法按照指定方式提供所需信息，也可以通过其他适当的形式提供。", st.cell), "", "", "", ""],
            (1, 5))
        i1 = len(self.rows) - 1
        self.rows[i0][0] = self.side("所需信息情况")
        self.spans.append(((0, i0), (0, i1)))

    def office_block(self, settings: Mapping[str, Any]) -> int:
        """The signature row and the rows the receiving office fills in;
        returns the index of the grey 以下由受理机关填写 row."""
        r, v, L, V, add, record = self.r, self.v, self.label, self.value, self.add, self.record
        add([L("申请人签名（盖章）"), "", "", V("", 14 * mm), L("申请时间"),
             V(format_date_cn(r.get("receipt_date")) if record else "　　年　　月　　日")], (0, 2))
        h = len(self.rows)
        add([para("以下由受理机关填写", self.st.cell_label), "", "", "", "", ""], (0, 5))
        add([L("受理编号"), "", "", V(v("serial")), L("收到日期"), V(format_date_cn(r.get("receipt_date")))],
            (0, 2))
        add([L("申请方式"), "", "", V(catalog.CHANNELS.get(r.get("channel") or "", "") if record else ""),
             L("登 记 人"), V((settings.get("clerk_name") or "") if record else "")], (0, 2))
        return h


def _columns(rows, st) -> list[float]:
    """Widths of the form's six columns: the side labels narrow, the
    label columns as wide as their longest label on one line, the second
    value column wide enough for an 18-character ID number or credit
    code (blank or filled, the form keeps one layout), the first value
    column the rest."""
    pad = 8
    labels2 = [r[2] for r in rows if isinstance(r[2], Paragraph)]
    labels4 = [r[4] for r in rows if isinstance(r[4], Paragraph)]
    values5 = [r[5] for r in rows if r[5] != ""]
    c2 = max([33 * mm] + [cell_widths(c)[1] + pad for c in labels2])
    c4 = max([25 * mm] + [cell_widths(c)[1] + pad for c in labels4])
    id_width = stringWidth("8" * 18, st.cell.fontName, st.cell.fontSize) + pad + 2
    c5 = max([34 * mm, id_width] + [cell_widths(c)[0] + pad for c in values5])
    cols = [8 * mm, 8 * mm, c2, 0, c4, c5]
    cols[3] = FORM_WIDTH - sum(cols)
    return cols


def _height(flowables) -> float:
    total = 0.0
    for f in flowables:
        _w, h = f.wrap(FORM_WIDTH, 10_000)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def render_form(record: ApplicationFields | None, settings: Mapping[str, Any] | None = None, out=None, *,
                fonts: FontSet | None = None) -> bytes | None:
    """The form, blank (``record`` None) or filled from ``record``."""
    settings = settings or {}
    fonts = fonts or resolve_fonts(settings)
    title = FORM_TITLE if record is None else f"{FORM_TITLE}（{record.serial or ''}）"
    return build_pdf(form_story(record, settings, fonts), out, fonts, title=title,
                     author=settings.get("agency_name") or "", subject="政府信息公开申请",
                     a4_margins=FORM_MARGINS)
