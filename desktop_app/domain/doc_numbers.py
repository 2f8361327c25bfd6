"""Document numbers (文号) such as ``望政公开〔2026〕第12号``.

The agency sets a pattern with the placeholders ``{前缀}`` (the prefix from
the agency settings, e.g. 望政公开), ``{年}`` (the year of issue) and
``{号}`` (the sequence number within the year; ``{号:3}`` pads it to three
digits: 012).  Numbers run per year and are never reused (see
storage/documents.py).
"""

from __future__ import annotations

import re

DEFAULT_PATTERN = "{前缀}〔{年}〕第{号}号"
SETTING_PATTERN = "doc_number_pattern"
SETTING_PREFIX = "doc_number_prefix"

_FIELD = re.compile(r"\{([^{}]*)\}")
_NUMBER = re.compile(r"号(?::(\d))?")


class PatternError(ValueError):
    """A pattern that cannot be used; ``str(err)`` is for the clerk."""


def validate_pattern(pattern: str) -> None:
    """Raise :class:`PatternError` unless ``pattern`` has exactly one
    ``{年}`` and one ``{号}`` and no unknown placeholder."""
    text = (pattern or "").strip()
    if not text:
        raise PatternError("文号格式不能为空，例如：{前缀}〔{年}〕第{号}号。")
    stripped = _FIELD.sub("", text)
    if "{" in stripped or "}" in stripped:
        raise PatternError("文号格式中的花括号不成对，请检查。")
    names = _FIELD.findall(text)
    for name in names:
        if name not in ("前缀", "年") and not _NUMBER.fullmatch(name):
            raise PatternError(f"文号格式中有未知的占位符“{{{name}}}”，只能使用{{前缀}}、{{年}}、{{号}}。")
    if names.count("年") != 1:
        raise PatternError("文号格式须包含一个{年}，文号按年度编号。")
    if sum(1 for n in names if _NUMBER.fullmatch(n)) != 1:
        raise PatternError("文号格式须包含一个{号}（序号）。")


def format_doc_number(pattern: str | None, prefix: str | None, year: int, number: int) -> str:
    """The document number for ``year``/``number`` under ``pattern``."""
    pattern = (pattern or "").strip() or DEFAULT_PATTERN
    validate_pattern(pattern)

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "前缀":
            return (prefix or "").strip()
        if name == "年":
            return str(year)
        number_match = _NUMBER.fullmatch(name)
        width = number_match.group(1) if number_match else None
        return f"{number:0{int(width)}d}" if width else str(number)

    return _FIELD.sub(repl, pattern)
