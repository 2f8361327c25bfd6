"""申请编号 (application serials): the agency's own numbering pattern.

A pattern holds the year and a sequence number between literal text:

* ``{年}`` the receipt year (2026); ``{年:2}`` its last two digits (26);
* ``{序号}`` the sequence number within the year (3); ``{序号:04}`` (or
  ``{序号:4}``) pads it with zeros to four digits (0003).

``{年}-{序号:04}`` gives 2026-0001 (the default); ``望政依申〔{年}〕{序号}号``
gives 望政依申〔2026〕1号; ``YSQ{年}{序号:03}`` gives YSQ2026001.

A serial that was imported may be any text (the agency's own numbering of
past years); :func:`parse_serial` finds the year and number of those that
follow a pattern, so that new numbers continue after the highest one.
Plain Python: no Qt, no SQL.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

DEFAULT_PATTERN = "{年}-{序号:04}"
SETTING_PATTERN = "serial_pattern"
#: Longest serial the register keeps (imported numbers included).
MAX_SERIAL_CHARS = 60

_FIELD = re.compile(r"\{([^{}]*)\}")
_YEAR = re.compile(r"年(?::(2|4))?")
_SEQ = re.compile(r"序号(?::0?([1-9]))?")


class PatternError(ValueError):
    """A pattern that cannot be used; ``str(err)`` is for the clerk."""


@dataclass(frozen=True)
class SerialPattern:
    text: str
    year_digits: int      # 4 or 2
    seq_width: int        # 0: no padding

    def format(self, year: int, number: int) -> str:
        def repl(m: re.Match[str]) -> str:
            name = m.group(1)
            if _YEAR.fullmatch(name):
                return str(year) if self.year_digits == 4 else f"{year % 100:02d}"
            return f"{number:0{self.seq_width}d}" if self.seq_width else str(number)

        return _FIELD.sub(repl, self.text)

    @property
    def regex(self) -> re.Pattern[str]:
        return _regex(self.text, self.year_digits, self.seq_width)

    def parse(self, serial: str) -> tuple[int, int] | None:
        """(year, number) of a serial written in this pattern, else None."""
        m = self.regex.fullmatch((serial or "").strip())
        if not m:
            return None
        year = int(m.group("year"))
        if self.year_digits == 2:
            year += 2000
        return year, int(m.group("seq"))

    def like(self, year: int) -> str:
        """An SQL ``LIKE`` pattern (escape ``\\``) that every serial of
        ``year`` in this pattern matches (a cheap pre-filter)."""
        def esc(text: str) -> str:
            return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

        out, pos = [], 0
        for m in _FIELD.finditer(self.text):
            out.append(esc(self.text[pos:m.start()]))
            name = m.group(1)
            if _YEAR.fullmatch(name):
                out.append(str(year) if self.year_digits == 4 else f"{year % 100:02d}")
            else:
                out.append("%")
            pos = m.end()
        out.append(esc(self.text[pos:]))
        return "".join(out)


@functools.lru_cache(maxsize=64)
def _regex(text: str, year_digits: int, seq_width: int) -> re.Pattern[str]:
    out, pos = [], 0
    for m in _FIELD.finditer(text):
        out.append(re.escape(text[pos:m.start()]))
        if _YEAR.fullmatch(m.group(1)):
            out.append(rf"(?P<year>\d{{{year_digits}}})")
        else:
            out.append(rf"(?P<seq>\d{{{max(seq_width, 1)},9}})")
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out))


@functools.lru_cache(maxsize=64)
def compile_pattern(pattern: str | None) -> SerialPattern:
    """The pattern, checked; the default when empty.  Raises
    :class:`PatternError` with a message for the clerk."""
    text = (pattern or "").strip() or DEFAULT_PATTERN
    stripped = _FIELD.sub("", text)
    if "{" in stripped or "}" in stripped:
        raise PatternError("申请编号格式中的花括号不成对，请检查。")
    names = _FIELD.findall(text)
    for name in names:
        if not (_YEAR.fullmatch(name) or _SEQ.fullmatch(name)):
            raise PatternError(f"申请编号格式中有未知的占位符“{{{name}}}”，只能使用{{年}}、{{年:2}}、"
                               "{序号}或{序号:04}。")
    years = [n for n in names if _YEAR.fullmatch(n)]
    seqs = [n for n in names if _SEQ.fullmatch(n)]
    if len(years) != 1:
        raise PatternError("申请编号格式须包含一个{年}，编号按收到申请的年份分别排序。")
    if len(seqs) != 1:
        raise PatternError("申请编号格式须包含一个{序号}。")
    year_match, seq_match = _YEAR.fullmatch(years[0]), _SEQ.fullmatch(seqs[0])
    assert year_match and seq_match  # the names were chosen by these patterns just above
    year_digits = int(year_match.group(1) or 4)
    width = seq_match.group(1)
    seq_width = int(width) if width else 0
    # The year and the number must be told apart when they touch:
    # a two-digit year followed by an unpadded number is ambiguous.
    if re.search(r"\{年(:2)?\}\{序号\}|\{序号\}\{年(:2)?\}", text) and seq_width == 0:
        raise PatternError("年份和序号紧挨着时，序号须固定位数，例如 YSQ{年}{序号:03}。")
    if len(stripped) > 40:
        raise PatternError("申请编号格式的文字过长（不含占位符最多40字）。")
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise PatternError("申请编号格式中不能有换行或其他控制字符。")
    sample = SerialPattern(text, year_digits, seq_width).format(2026, 999)
    if len(sample) > MAX_SERIAL_CHARS:
        raise PatternError(f"按此格式生成的申请编号超过{MAX_SERIAL_CHARS}字，请缩短。")
    return SerialPattern(text, year_digits, seq_width)


def example(pattern: str | None, year: int) -> str:
    """“2026-0001、2026-0002” for the settings' live example."""
    p = compile_pattern(pattern)
    return f"{p.format(year, 1)}、{p.format(year, 2)} …… {p.format(year, 125)}"


def serial_error(serial: object) -> str | None:
    """A serial the register accepts: any non-empty text (the agency's own
    numbering), trimmed, at most :data:`MAX_SERIAL_CHARS` characters, on
    one line."""
    text = (serial or "").strip() if isinstance(serial, str) else str(serial or "").strip()
    if not text:
        return "请填写申请编号。"
    if len(text) > MAX_SERIAL_CHARS:
        return f"申请编号过长（{len(text)}字，最多{MAX_SERIAL_CHARS}字），请核对。"
    if re.search(r"[\x00-\x1f\x7f]", text):
        return "申请编号不能含换行或其他控制字符。"
    return None


def natural_key(serial: str | None) -> tuple[object, ...]:
    """Sort key that orders the numbers inside serials as numbers
    (望政依申〔2025〕9号 before 望政依申〔2025〕10号)."""
    parts = re.split(r"(\d+)", serial or "")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def natural_key_text(serial: str | None) -> str:
    """:func:`natural_key` as one string that sorts the same way by plain
    code-point (SQLite BINARY) comparison, stored beside the serial so the
    register sorts by an index: each number as its digit count and digits
    (a marker below any text), each text part closed by a terminator below
    any character a serial holds."""
    out = []
    for p in re.split(r"(\d+)", serial or ""):
        if not p:
            continue
        if p.isdigit():
            digits = str(int(p))
            out.append(f"\x02{len(digits):02d}{digits}")
        else:
            out.append(f"\x03{p}\x01")
    return "".join(out)
