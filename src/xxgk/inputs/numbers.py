"""Numbers as the clerk typed them → values, by the data file's own rules.

A count is decimal digits and nothing else; the fee is 万元 with at most four decimals; the year
four digits; the date YYYY-MM-DD. What an input method types instead (full-width digits ``１２``,
the ideographic space) is read with a warning saying what changed. Everything else that looks like
a number to some other reader (``0x1F``, ``1:30``, ``0b11``, ``1e3``, ``1_000``, ``.5``, ``+3``)
or carries a unit (``12件``, ``1200元``) is refused with a message that gives the fix. ``010`` is
read as ten, with a warning — never as eight.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from xxgk.inputs.printable import shown

T = TypeVar("T")

# Longer than this no count or fee can be (the checks refuse past 15 digits; Python refuses to
# read past 4 300): refused before any conversion.
MAX_NUMBER_CHARS = 40
FEE_DECIMALS = 4
# Published reports print the fee to the fen (万元 with six decimals): read, with a warning.
FEE_DECIMALS_PRINTED = 6

_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "。": ".",
        "－": "-",
        "＋": "+",
        "，": ",",
        "：": ":",
        "\u3000": "",
        "\u00a0": "",
        "\u2002": "",
        "\u2003": "",
        "\u2009": "",
        "\u200b": "",
        "\ufeff": "",
    }
)
_DIGITS = re.compile(r"[0-9]+\Z")
_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?\Z")
_UNIT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(万元|元|万|件|个|条|次|项|人|家|份|起|宗|例|年)\Z")
_SIGNED = re.compile(r"([+-])\s*([0-9.]+)\Z")
_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F_]+)\Z")
_SEXAGESIMAL = re.compile(r"[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?\Z")
_EXPONENT = re.compile(r"([0-9]*\.?[0-9]+)[eE]([+-]?[0-9]{1,3})\Z")
_SEPARATED = re.compile(r"[0-9]+(?:[,_' ][0-9]+)+(?:\.[0-9]+)?\Z")
_BARE_POINT = re.compile(r"(?:\.([0-9]+)|([0-9]+)\.)\Z")
_CHINESE_NUMERAL = re.compile(r"[〇零一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰仟]+\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
_CHINESE_DATE = re.compile(r"([0-9]{4})\s*[年./]\s*([0-9]{1,2})\s*[月./]\s*([0-9]{1,2})\s*日?\Z")


@dataclass(frozen=True)
class Read(Generic[T]):
    """What a typed value reads as: the value, or an error (code, message); maybe a warning."""

    value: T | None = None
    error: tuple[str, str] | None = None
    warning: tuple[str, str] | None = None


def normalised(text: str) -> tuple[str, tuple[str, str] | None]:
    """The text with full-width digits and signs made half-width and wide spaces removed, and a
    warning saying so when anything changed."""
    plain = text.strip().translate(_FULL_WIDTH).strip()
    if plain == text.strip():
        return plain, None
    return plain, (
        "input/full-width",
        f"「{shown(text.strip())}」中有全角数字、全角符号或全角空格，已按「{shown(plain)}」读取",
    )


def read_count(text: str) -> Read[int]:
    """A non-negative whole number of things (件), typed as decimal digits."""
    plain, note = normalised(text)
    if len(plain) > MAX_NUMBER_CHARS:
        return Read(error=_too_long(plain))
    if _DIGITS.match(plain):
        value = int(plain)
        if plain != "0" and plain.startswith("0"):
            lead = ("input/leading-zero", f"「{plain}」开头的 0 已忽略，按十进制读作 {value}")
            return Read(value, warning=note or lead)
        return Read(value, warning=note)
    return Read(error=_not_a_count(plain or text.strip()), warning=note)


def read_fee(text: str) -> Read[Decimal]:
    """An amount in 万元, at most four decimals, typed as decimal digits and a point."""
    plain, note = normalised(text)
    if len(plain) > MAX_NUMBER_CHARS:
        return Read(error=_too_long(plain))
    match = _DECIMAL.match(plain)
    if match:
        decimals = len(match.group(2) or "")
        if decimals > FEE_DECIMALS_PRINTED:
            return Read(error=_fee_problem(plain))
        if decimals > FEE_DECIMALS:
            precise = (
                "input/fee-precision",
                f"收费金额「{shown(plain)}」有 {decimals} 位小数（精确到元以下），"
                f"通常最多 {FEE_DECIMALS} 位；按所填读入，请核对",
            )
            return Read(Decimal(plain), warning=note or precise)
        return Read(Decimal(plain), warning=note)
    unit = _UNIT.match(plain)
    if unit and unit.group(2) == "元":
        wan = Decimal(unit.group(1)).scaleb(-4).normalize()
        fixed = format(wan, "f")
        return Read(
            error=(
                "input/unit",
                f"金额单位是万元：{unit.group(1)}元 = {fixed} 万元，请填 {fixed}",
            )
        )
    if unit and unit.group(2) in ("万元", "万"):
        return Read(
            error=("input/unit", f"单位已是万元，请去掉「{unit.group(2)}」，只填 {unit.group(1)}")
        )
    signed = _SIGNED.match(plain)
    if signed and signed.group(1) == "-":
        return Read(error=_fee_problem(plain))
    return Read(error=_not_a_number(plain or text.strip(), fee=True), warning=note)


def read_year(text: str) -> Read[int]:
    """A four-digit year from 1900 to 2999."""
    plain, note = normalised(text)
    unit = _UNIT.match(plain)
    if unit and unit.group(2) == "年" and _DIGITS.match(unit.group(1)):
        fix = f"年度只填数字：请把「{shown(plain)}」改为 {unit.group(1)}"
        return Read(error=("input/unit", fix))
    if len(plain) == 4 and _DIGITS.match(plain) and 1900 <= int(plain) <= 2999:
        return Read(int(plain), warning=note)
    said = f"年度应为四位数年份，如 2025，实际为「{shown(text.strip())}」"
    return Read(error=("input/bad-year", said))


def read_date(text: str, name: str = "成文日期") -> Read[dt.date]:
    """A date written YYYY-MM-DD; ``name`` is the field a message names."""
    plain, note = normalised(text)
    match = _DATE.match(plain)
    fix = ""
    if match is None:
        other = _CHINESE_DATE.match(plain)
        if other is not None:
            match, fix = other, "{:04d}-{:02d}-{:02d}"
    if match is not None:
        y, m, d = (int(g) for g in match.groups())
        try:
            date = dt.date(y, m, d)
        except ValueError:
            date = None
        if date is not None and not fix:
            return Read(date, warning=note)
        if date is not None:
            fix = f"，请写为 {fix.format(y, m, d)}"
    return Read(
        error=(
            "input/bad-date",
            f"{name}应写为 YYYY-MM-DD，如 2026-01-20，实际为「{shown(text.strip())}」{fix}",
        )
    )


def _too_long(plain: str) -> tuple[str, str]:
    return (
        "input/too-long",
        f"数字太长（{len(plain)} 个字符）：件数和金额最多 15 位；请核对「{shown(plain, 20)}」",
    )


def _fee_problem(plain: str) -> tuple[str, str]:
    return (
        "input/bad-fee",
        f"收费金额应为不小于 0 的万元数，最多 {FEE_DECIMALS} 位小数（报告原文精确到分的，最多 "
        f"{FEE_DECIMALS_PRINTED} 位），实际为「{shown(plain)}」",
    )


def _not_a_count(plain: str) -> tuple[str, str]:
    unit = _UNIT.match(plain)
    if unit and _DIGITS.match(unit.group(1)):
        return "input/unit", f"只填数字，不写单位：请把「{shown(plain)}」改为 {unit.group(1)}"
    signed = _SIGNED.match(plain)
    if signed and signed.group(1) == "-":
        return "input/negative", f"应为非负整数，实际为「{shown(plain)}」"
    match = _DECIMAL.match(plain) or _BARE_POINT.match(plain)
    if match and "." in plain:
        whole = Decimal(plain if not plain.startswith(".") else "0" + plain)
        fix = f"，请写为 {int(whole)}" if whole == whole.to_integral_value() else ""
        return "input/not-integer", f"应为非负整数，实际为「{plain}」：件数不能有小数{fix}"
    return _not_a_number(plain, fee=False)


def _not_a_number(plain: str, fee: bool) -> tuple[str, str]:
    what = "万元数（最多 4 位小数）" if fee else "非负整数"
    said = f"应为{what}，实际为「{shown(plain)}」"
    code = "input/bad-fee" if fee else "input/not-a-number"
    signed = _SIGNED.match(plain)
    if signed and signed.group(1) == "+":
        return code, f"{said}：数字前不要加「+」，请写为 {signed.group(2)}"
    radix = _RADIX.match(plain)
    if radix:
        names = {"x": "十六进制", "o": "八进制", "b": "二进制"}
        name = names[radix.group(1).lower()]
        return code, f"{said}：这是{name}写法，数据文件只认十进制数字，请直接写十进制数"
    if _SEXAGESIMAL.match(plain):
        return code, f"{said}：含有「:」的不是一个数（有的软件会把 1:30 读成 90），请只填一个数"
    exponent = _EXPONENT.match(plain)
    if exponent:
        fix = ""
        if abs(int(exponent.group(2))) <= 15:
            value = Decimal(plain)
            if value == value.to_integral_value() or fee:
                fix = f"，请写为 {format(value.normalize(), 'f')}"
        return code, f"{said}：不要用科学计数法{fix}"
    if _SEPARATED.match(plain):
        fixed = re.sub(r"[,_' ]", "", plain)
        return code, f"{said}：数字中不要加分隔符，请写为 {fixed}"
    bare = _BARE_POINT.match(plain)
    if bare and fee:
        fixed = f"0.{bare.group(1)}" if bare.group(1) else bare.group(2)
        return code, f"{said}：请写为 {fixed}"
    if _CHINESE_NUMERAL.match(plain):
        return code, f"{said}：请用阿拉伯数字填写，如 3"
    return code, said
