"""The wording of each notice: a per-agency template with placeholders.

A template is plain text (the defaults ship in ``resources/templates/``,
one file per kind; the agency's edits are stored in the database)::

    # lines starting with # are notes for the editor, never printed
    标题：政府信息公开申请接收回执
    称谓：{申请人}：
    本机关于{收到日期}收到您（单位）提出的政府信息公开申请……
    （each further non-empty line is one paragraph）

Placeholders are names in braces, e.g. ``{申请人}``.  Each kind accepts a
fixed set (:data:`KIND_PLACEHOLDERS`); a template naming anything else is
refused when it is saved, with a Chinese message naming the placeholder,
so a raw ``{…}`` is never printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..files import paths

#: Template kinds, in the order of the template editor.
TEMPLATE_KINDS: dict[str, str] = {
    "receipt": "登记回执",
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "third_party": "征求第三方意见函",
    "fee": "收费通知书",
    "later_date": "另行确定答复期限告知书",
    "reply_disclosed": "答复告知书（予以公开）",
    "reply_partly_disclosed": "答复告知书（部分公开）",
    "reply_withheld": "答复告知书（不予公开）",
    "reply_unavailable": "答复告知书（无法提供）",
    "reply_not_processed": "答复告知书（不予处理）",
    "reply_other": "答复告知书（其他处理）",
    "service": "送达回证",
}

#: Every placeholder, with what it stands for (shown in the editor).
PLACEHOLDERS: dict[str, str] = {
    "机关名称": "本机关名称（机关设置）",
    "公开工作机构": "政府信息公开工作机构（机关设置）",
    "机关地址": "本机关通信地址",
    "机关邮编": "本机关邮政编码",
    "机关电话": "本机关联系电话",
    "经办人": "经办人姓名",
    "申请人": "申请人姓名或名称",
    "申请编号": "申请编号，如 2026-0001",
    "收到日期": "收到申请之日，如 2026年3月5日",
    "申请方式": "当面、信函、网络等",
    "申请内容": "所需信息的内容描述",
    "文号": "本文书的文号",
    "发文日期": "本文书的日期",
    "条例": "《中华人民共和国政府信息公开条例》",
    "条款": "本文书依据的条款，如 第三十条",
    "答复期限": "答复期限（收到申请后第20个工作日）",
    "答复期限天数": "答复期限的工作日数（按本申请适用的规定：20，2008年条例15）",
    "补正内容": "需要补正的事项（一次性列明）",
    "补正期限": "补正的截止日期",
    "补正期限天数": "给予申请人的补正期限（工作日数）",
    "原答复期限": "延期前的答复期限",
    "延期后答复期限": "延期后的答复期限（最多再延长20个工作日）",
    "延期理由": "延期答复的理由",
    "延长天数": "实际延长的工作日数（延期记录中批准的天数）",
    "第三方": "被征求意见的第三方名称",
    "涉及信息": "涉及第三方的信息",
    "征求理由": "公开可能影响第三方合法权益的理由",
    "第三方答复期限": "第三方提出意见的截止日期（按发文日期推算，不早于发文日期后15个工作日）",
    "第三方期限天数": "第三方提出意见的期限（工作日数，自收到征求意见函之日起）",
    "逾期后果": "第三方逾期未提出意见的后果（共同制作机关：视为同意）",
    "收费方式": "按件计收或按量计收",
    "收费标准": "所适用的收费标准",
    "收费金额": "应缴的信息处理费金额",
    "计费说明": "金额的计算过程",
    "缴费期限": "推算的缴费截止日期（按发文日期及已知的送达日期推算，并注明如何推算；期限以收到通知之日起算）",
    "缴费天数": "缴费期限的工作日数",
    "缴费方式": "缴费方式和账户（机关设置）",
    "收费依据": "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    "理由": "不予公开、无法提供、不予处理等的理由",
    "答复内容": "答复的具体内容（如何提供信息或在何处公开）",
    "另行确定期限": "依照条例第三十五条另行确定的答复期限",
    "答复决定": "按答复类型写明的决定及所依据的条款（条例第三十五条至第三十九条的具体情形）",
    "救济途径": "行政复议、行政诉讼的途径、机关和期限（按机关类别和答复日期）",
    "复议机关": "受理行政复议的机关（机关设置）",
    "诉讼法院": "受理行政诉讼的人民法院（机关设置）",
    "送达文书": "所送达文书的名称和文号",
}

_COMMON = {"机关名称", "公开工作机构", "机关地址", "机关邮编", "机关电话", "经办人", "申请人",
           "申请编号", "收到日期", "申请方式", "申请内容", "文号", "发文日期", "条例", "条款"}
_REPLY = _COMMON | {"理由", "答复内容", "复议机关", "诉讼法院", "答复期限", "答复决定", "救济途径"}

KIND_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "receipt": frozenset(_COMMON | {"答复期限", "答复期限天数"}),
    "correction": frozenset(_COMMON | {"补正内容", "补正期限", "补正期限天数", "答复期限", "答复期限天数"}),
    "extension": frozenset(_COMMON | {"原答复期限", "延期后答复期限", "延期理由", "答复期限", "延长天数"}),
    "third_party": frozenset(_COMMON | {"第三方", "涉及信息", "征求理由", "第三方答复期限", "第三方期限天数",
                                        "逾期后果"}),
    "fee": frozenset(_COMMON | {"收费方式", "收费标准", "收费金额", "计费说明", "缴费期限",
                                "缴费方式", "收费依据", "缴费天数"}),
    "service": frozenset(_COMMON | {"送达文书"}),
    "later_date": frozenset(_COMMON | {"另行确定期限", "理由"}),
    **{k: frozenset(_REPLY) for k in TEMPLATE_KINDS if k.startswith("reply_")},
}

_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")


class TemplateError(ValueError):
    """A template that may not be saved; ``str(err)`` is for the clerk."""


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    addressee: str
    paragraphs: tuple[str, ...]


def default_text(kind: str) -> str:
    """The shipped wording of ``kind`` (resources/templates/<kind>.txt)."""
    if kind not in TEMPLATE_KINDS:
        raise KeyError(kind)
    return _default_text(kind)


@cache
def _default_text(kind: str) -> str:
    path = paths.resources_dir() / "templates" / f"{kind}.txt"
    return path.read_text(encoding="utf-8")


def parse(kind: str, text: str) -> Template:
    """Split a template into title, addressee and paragraphs (no checks)."""
    title = addressee = ""
    paragraphs: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for key in ("标题：", "标题:"):
            if line.startswith(key):
                title = line[len(key):].strip()
                break
        else:
            for key in ("称谓：", "称谓:"):
                if line.startswith(key):
                    addressee = line[len(key):].strip()
                    break
            else:
                paragraphs.append(line)
    return Template(kind, title, addressee, tuple(paragraphs))


def validate(kind: str, text: str) -> Template:
    """Parse and check a template; :class:`TemplateError` says what to fix."""
    if kind not in TEMPLATE_KINDS:
        raise TemplateError(f"未知的文书类型：{kind}")
    label = TEMPLATE_KINDS[kind]
    allowed = KIND_PLACEHOLDERS[kind]
    lines = text.replace("\r\n", "\n").split("\n")
    unknown: list[str] = []
    misplaced: list[str] = []
    for number, raw in enumerate(lines, start=1):
        if raw.strip().startswith("#"):
            continue
        bare = _PLACEHOLDER.sub("", raw)
        if "{" in bare or "}" in bare:
            raise TemplateError(
                f"“{label}”第{number}行的花括号不成对。占位符应写成{{申请人}}这样的形式；"
                "如需打印花括号本身，请改用全角符号“｛｝”。")
        for name in _PLACEHOLDER.findall(raw):
            if name in allowed:
                continue
            if name in PLACEHOLDERS:
                misplaced.append(f"{{{name}}}（第{number}行）")
            else:
                unknown.append(f"{{{name}}}（第{number}行）")
    if unknown:
        raise TemplateError(
            f"“{label}”中有未知的占位符：{'、'.join(unknown)}。请改正或删除；"
            f"可用的占位符有：{'、'.join('{' + n + '}' for n in sorted_placeholders(kind))}。")
    if misplaced:
        raise TemplateError(
            f"“{label}”不能使用占位符：{'、'.join(misplaced)}（这类文书中没有该项内容）。"
            f"可用的占位符有：{'、'.join('{' + n + '}' for n in sorted_placeholders(kind))}。")
    template = parse(kind, text)
    if not template.title:
        raise TemplateError(f"“{label}”缺少标题行，请以“标题：”开头写一行标题。")
    if not template.paragraphs:
        raise TemplateError(f"“{label}”没有正文，请至少写一段正文。")
    return template


def sorted_placeholders(kind: str) -> list[str]:
    """The placeholders ``kind`` accepts, in the order of :data:`PLACEHOLDERS`."""
    allowed = KIND_PLACEHOLDERS[kind]
    return [n for n in PLACEHOLDERS if n in allowed]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the placeholders in ``text``; one without a value becomes
    empty (templates are validated on save, so none is unknown)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1)) or ""), text)


def render(template: Template, values: dict[str, str]) -> Template:
    """The template with every placeholder replaced; paragraphs that come
    out empty are dropped."""
    paragraphs = tuple(p for p in (fill(p, values).strip() for p in template.paragraphs) if p)
    return Template(template.kind, fill(template.title, values).strip(),
                    fill(template.addressee, values).strip(), paragraphs)
