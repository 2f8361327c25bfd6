"""argparse in Chinese: usage, help headings and usage errors.

argparse takes its messages through the module-level ``_`` / ``ngettext``
(gettext).  The command line's only translation catalogue is this table;
:func:`install` points argparse's two names at it (once, idempotently).
A message not in the table (a newer Python's) stays as argparse wrote it.
"""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python < 3.10
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "invalid %(type)s value: %(value)r": "无效的%(type)s：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "unexpected option string: %s": "意外的选项：%s",
    "show program's version number and exit": "显示版本号并退出",
}

PLURALS = {
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}

#: Type names in "invalid %(type)s value".
TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文本"}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return PLURALS.get(chosen, MESSAGES.get(chosen, chosen))


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Chinese; its subparsers are too."""

    def __init__(self, *args, **kwargs):
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出")

    def format_help(self) -> str:
        """Section headings end with a full-width colon (argparse writes ':')."""
        text = super().format_help()
        titles = {g.title for g in self._action_groups if g.title}
        lines = [f"{line[:-1]}：" if line.endswith(":") and line[:-1] in titles else line
                 for line in text.split("\n")]
        return "\n".join(lines)

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES and TYPE_NAMES[name] not in str(exc):
                raise argparse.ArgumentError(action, f"无效的{TYPE_NAMES[name]}：{arg_string!r}") from None
            raise


def install() -> None:
    """Route argparse's messages through the table above."""
    argparse._ = gettext  # type: ignore[attr-defined]  # argparse's gettext alias, read at call time
    argparse.ngettext = ngettext  # type: ignore[attr-defined]  # the plural alias, likewise


def parser(**kwargs) -> ChineseArgumentParser:
    install()
    kwargs.setdefault("add_help", True)
    return ChineseArgumentParser(**kwargs)
