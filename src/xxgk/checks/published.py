"""On-time publication (条例 第四十九条): a department's report by 1月31日, the
本级政府's by 3月31日.

「县级以上人民政府部门应当在每年1月31日前……向社会公布」 and 「县级以上地方人民政府的
政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年度政府信息公开工作
年度报告」. Which rule applies is read from the organ's name: a 县级以上 people's government
(「沭阳县人民政府」) has until 3月31日; its offices and departments (「……人民政府办公室」,
「……局」) and 乡镇 (which report to their county, by the departments' date in every
provincial rule we know) have until 1月31日. Many provinces set earlier local dates; the caller
may give them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from xxgk.errors import Finding, info, warning
from xxgk.model import Report

GOVERNMENT_SUFFIX = "人民政府"
# A 县级以上 government: the place before 人民政府 is a 省/市/县/区/州/盟/旗 (自治区, 自治州…).
_LEVEL = re.compile(r"(?:省|自治区|市|州|盟|县|区|旗)$")
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|苏木)$")


def is_own_government(organ: str) -> bool:
    """True for a 县级以上 people's government's own report (「××县人民政府」), not its offices,
    departments or 乡镇."""
    name = re.sub(r"\s+", "", organ)
    if not name.endswith(GOVERNMENT_SUFFIX):
        return False
    place = name.removesuffix(GOVERNMENT_SUFFIX)
    return bool(place) and bool(_LEVEL.search(place)) and not _TOWNSHIP.search(place)


@dataclass(frozen=True)
class Deadlines:
    """The month and day by which last year's reports are due (a local rule may be earlier)."""

    department: tuple[int, int] = (1, 31)
    government: tuple[int, int] = (3, 31)

    def due(self, organ: str, year: int) -> tuple[dt.date, str]:
        """The last day for an organ's report of a year, and whose rule it is (for the message)."""
        if is_own_government(organ):
            month, day = self.government
            return dt.date(year + 1, month, day), "本级人民政府"
        month, day = self.department
        return dt.date(year + 1, month, day), "政府部门"


def parse_month_day(text: str) -> tuple[int, int] | None:
    """「1-20」「1月20日」 or a full date 「2026-01-20」 → (month, day); None if not a date."""
    cleaned = text.strip()
    match = re.fullmatch(r"(?:\d{4}[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?", cleaned)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        dt.date(2000, month, day)  # a leap year: 2-29 is a day some year has
    except ValueError:
        return None
    return month, day


def check_published(
    report: Report, published: dt.date | None, deadlines: Deadlines = Deadlines()
) -> list[Finding]:
    """Late → warning with the days; no date → information; before the year's end → warning."""
    return check_publication(report.organ, report.year, published, deadlines)


def check_publication(
    organ: str, year: int, published: dt.date | None, deadlines: Deadlines = Deadlines()
) -> list[Finding]:
    """check_published for an organ and year (what an audit record keeps of a report)."""
    due, whose = deadlines.due(organ, year)
    place = ("发布日期",)
    if published is None:
        return [info("meta/published-unknown", place,
                     f"不知道发布日期，未核对是否按时公开（{whose}应在 {_day(due)} 前公开）；"
                     "可用 --published 给出各机关的发布日期")]
    if published <= dt.date(year, 12, 31):
        return [warning("meta/published-early", place,
                        f"发布日期 {_day(published)} 在 {year} 年度结束之前，"
                        "请核对发布日期或年度")]
    if published > due:
        late = (published - due).days
        return [warning("meta/published-late", place,
                        f"{_day(published)} 才公开，晚于{whose}的期限 {_day(due)} {late} 天"
                        "（《条例》第四十九条）")]
    return []


def _day(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"
