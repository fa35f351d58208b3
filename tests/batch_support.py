"""A batch of 30 organs of one county as a supervisor receives it, for the audit's tests.

Mixed kinds (data files, our workbooks, web pages, Word files), each organ's own text and numbers,
and the cases an evaluator looks for: one report of another year, one in the 2019 format, one copied
from a neighbour, one published late, one with last year's year left in its prose; the county's
own report (deadline 3月31日) and a published 汇总 of the departments.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from xxgk import labels
from xxgk.inputs import dump_report
from xxgk.model import ApplicantCounts, Overview, Report, ReviewOutcomes, Subsection, Table3, Table4

YEAR = 2025
COUNTY = "沭河县"
DEPARTMENTS = (
    "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
    "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局",
    "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "行政审批局",
)
TOWNS = ("城关镇", "河口镇", "南岭乡")
TOPICS = (
    "重大建设项目", "财政预决算", "义务教育招生", "社会救助", "就业创业补贴", "生态环境监测", "保障性住房",
    "农村道路", "防汛抗旱", "惠农补贴", "消费券发放", "文物保护", "公立医院", "优抚政策", "安全生产执法",
    "审计整改", "食品安全抽检", "统计数据发布", "医保报销", "市容整治", "营商环境", "政府采购", "土地征收",
    "河湖长制", "义诊下乡", "养老服务", "学前教育", "供水价格", "信用体系", "政务服务事项",
)
WORKS = ("专栏", "解读材料", "图解", "问答", "短视频", "新闻发布会", "公开目录", "意见征集", "办事指南")
COPIER, ORIGINAL = 12, 11  # the 住房和城乡建设局 copied the 生态环境局's text
LATE, STALE, OTHER_YEAR, OLD_FORMAT = 5, 7, 20, 21


def _table3(i: int) -> Table3:
    rng = random.Random(i)
    results = labels.TABLE3_RESULT_ROWS
    rows = {r.id: ApplicantCounts(cells=tuple(
        rng.choice((0, 0, 0, 1, 2, 3)) if n < 6 or rng.random() < 0.2 else 0
        for _ in range(6))) for n, r in enumerate(results)}
    # Most applications are answered: 予以公开 and 部分公开 carry the bulk.
    rows["granted"] = ApplicantCounts(cells=(rng.randint(5, 60), rng.randint(0, 9), 0, 0, 0, 0))
    rows["partial"] = ApplicantCounts(cells=(rng.randint(0, 12), 0, 0, 0, 0, 0))
    rows["carried_out"] = ApplicantCounts(cells=(i % 3, 0, 0, 0, 0, 0))
    need = [sum(rows[r.id].cells[c] or 0 for r in results) + (rows["carried_out"].cells[c] or 0)
            for c in range(6)]
    carried = [min(i % 2, n) for n in need]
    rows["carried_in"] = ApplicantCounts(cells=tuple(carried))
    rows["new"] = ApplicantCounts(cells=tuple(n - c for n, c in zip(need, carried, strict=True)))
    return Table3(rows=rows)


# Clauses organs write, in many wordings: each report draws its own, so two reports share a few
# clauses (set phrases) but never a whole paragraph unless one copied the other.
OPENINGS = (
    "以群众关切为导向", "坚持以公开为常态、不公开为例外", "把政务公开纳入年度重点工作",
    "围绕中心工作谋划公开事项", "对照年度政务公开要点逐项推进", "以标准化规范化建设为抓手",
    "结合机构职能调整公开目录", "把公开工作同业务工作同部署", "聚焦企业和群众办事需求",
    "从公开内容、公开渠道和解读回应三方面发力", "按照县政务公开办的部署", "以问题为导向补齐短板",
)
ACTIONS = (
    "逐条核定公开属性", "按季度更新公开目录", "建立信息发布三级审核机制", "开展公开内容自查",
    "对照清单查漏补缺", "邀请群众代表评议公开质量", "在办事大厅设置查阅点", "推行政策文件与解读同步发布",
    "组织业务骨干参加培训", "明确科室信息员职责", "建立依申请公开台账", "对过时信息及时撤回或更新",
    "开通留言答复栏目", "制作一图读懂系列解读", "在政务新媒体同步推送",
)
RESULTS = (
    "群众查阅更加便捷", "信息更新及时率明显提高", "未发生泄密事件", "社会评价持续向好",
    "办事咨询量有所下降", "公开质量得到上级肯定", "政策知晓率有所提升", "答复规范性进一步增强",
    "栏目访问量较往年增加", "重点领域信息做到应公开尽公开",
)
SHORTCOMINGS = (
    "解读形式还比较单一", "部分科室公开意识不强", "个别栏目更新不够及时", "公开内容与群众需求仍有差距",
    "依申请公开答复的说理性不足", "信息员队伍流动较大", "政务新媒体互动不多", "基层公开标准化程度不高",
)


def _clauses(rng: random.Random, pool: tuple[str, ...], n: int) -> list[str]:
    return rng.sample(pool, n)


def _text(organ: str, i: int, year: int) -> tuple[Overview, list[str]]:
    rng = random.Random(1000 + i)
    topics = rng.sample(TOPICS, 6)
    works = rng.sample(WORKS, 4)
    counts = [rng.randint(12, 400) for _ in range(6)]
    o, a, r = (_clauses(rng, OPENINGS, 3), _clauses(rng, ACTIONS, 8), _clauses(rng, RESULTS, 4))
    intro = (f"{year}年，{organ}{o[0]}，{o[1]}，围绕{topics[0]}和{topics[1]}推进政务公开，"
             f"{a[0]}，{a[1]}，全年更新{works[0]}{counts[0]}期，{r[0]}。")
    subsections = [
        Subsection(title="主动公开", paragraphs=[
            f"{organ}主动公开政府信息{counts[1]}条，其中{topics[3]}类{counts[2]}条。{o[2]}，{a[2]}，"
            f"针对{topics[4]}制作{works[1]}{rng.randint(2, 9)}篇，{a[3]}，{r[1]}。"]),
        Subsection(title="依申请公开", paragraphs=[
            f"{organ}收到的申请主要涉及{topics[5]}，{a[4]}，{a[5]}，对内容不明确的申请一次性告知"
            f"补正事项，{r[2]}。"]),
        Subsection(title="政府信息管理", paragraphs=[
            f"{organ}对{rng.randint(20, 200)}件规范性文件逐件评估，清理{topics[1]}方面失效文件"
            f"{rng.randint(1, 12)}件，{a[6]}，{a[7]}，{r[3]}。"]),
    ]
    s = _clauses(rng, SHORTCOMINGS, 2)
    problems = [
        f"{organ}政府信息公开工作还存在不足：一是{s[0]}，二是{s[1]}，{works[2]}栏目有"
        f"{rng.randint(2, 9)}条信息更新不及时。下一步将针对{topics[2]}和{topics[4]}明确责任科室和时限，"
        f"{a[5]}，{a[1]}。"
    ]
    return Overview(intro=[intro], subsections=subsections), problems


def organ_name(i: int) -> str:
    """The i-th organ of the batch (0: the county government)."""
    if i == 0:
        return f"{COUNTY}人民政府"
    names = [*DEPARTMENTS, *TOWNS]
    return f"{COUNTY}{names[(i - 1) % len(names)]}"


def organ_report(i: int) -> Report:
    """Organ i's report, with this batch's planted problems."""
    organ = organ_name(i)
    year = YEAR - 1 if i == OTHER_YEAR else YEAR
    overview, problems = _text(organ, i, year)
    if i == COPIER:
        original = organ_name(ORIGINAL)
        overview, problems = _text(original, ORIGINAL, year)
        overview = Overview.model_validate_json(overview.model_dump_json().replace(original, organ))
        problems = [p.replace(original, organ) for p in problems]
    if i == STALE:
        first = overview.subsections[1]
        stale = f"{YEAR - 1}年共受理政府信息公开申请7件，均已按期办结。"
        overview = overview.model_copy(update={"subsections": [
            overview.subsections[0], first.model_copy(update={"paragraphs": [stale]}),
            *overview.subsections[2:]]})
    return Report(
        format_version=labels.FORMAT_2019 if i == OLD_FORMAT else labels.FORMAT_2021,
        organ=organ, year=year, overview=overview, table3=_table3(i),
        table4=Table4(review=ReviewOutcomes(upheld=i % 2, corrected=1 if i == 3 else 0)),
        problems=problems, other_matters=["本年度未收取信息处理费。"],
    )


def published_dates() -> dict[str, dt.date]:
    """When each organ published (the late one on 2月10日; the county by 3月31日)."""
    dates = {organ_name(i): dt.date(YEAR + 1, 1, 10 + i % 20) for i in range(30)}
    dates[organ_name(LATE)] = dt.date(YEAR + 1, 2, 10)
    dates[organ_name(0)] = dt.date(YEAR + 1, 3, 20)
    dates[organ_name(OTHER_YEAR)] = dt.date(YEAR, 1, 20)  # last year's, sent again
    return dates


@dataclass(frozen=True)
class Batch:
    """The batch on disk: the reports, the roster, the dates list and the 汇总 of the departments."""

    reports: list[Path]
    roster: Path
    dates: Path
    parent: Path


def write_batch(folder: Path) -> Batch:
    """The 30 reports under ``folder``/各单位 in mixed kinds, with roster and dates."""
    from xxgk.render.docx.template import render_docx
    from xxgk.render.html.page import render_html
    from xxgk.render.xlsx.workbook import render_xlsx
    from xxgk.summary import sum_reports

    units = folder / "各单位"
    units.mkdir(parents=True)
    paths = []
    for i in range(30):
        report = organ_report(i)
        stem = units / f"{i:02d}-{report.organ}"
        if i % 7 == 3:
            path = stem.with_suffix(".xlsx")
            path.write_bytes(render_xlsx(report, data_sha256="0" * 64))
        elif i % 7 == 5:
            path = stem.with_suffix(".html")
            path.write_bytes(render_html(report))
        elif i in (9, 16):
            path = stem.with_suffix(".docx")
            path.write_bytes(render_docx(report))
        else:
            path = stem.with_suffix(".yaml")
            path.write_text(dump_report(report), encoding="utf-8")
        paths.append(path)
    roster = folder / "名单.txt"
    roster.write_text("\n".join([*(organ_name(i) for i in range(30)), f"{COUNTY}档案馆"]) + "\n",
                      encoding="utf-8")
    dates = folder / "发布日期.csv"
    lines = ["机关名称,发布日期", *(f"{o},{d.isoformat()}" for o, d in published_dates().items())]
    dates.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))  # Excel's 「Unicode 文本」
    children = [organ_report(i) for i in range(30) if i != OTHER_YEAR]
    total = sum_reports(children, f"{COUNTY}各部门汇总", YEAR)
    rows = dict(total.table3.rows)
    granted = rows["granted"]
    rows["granted"] = granted.model_copy(update={"cells": (
        (granted.cells[0] or 0) + 2, *granted.cells[1:])})  # a 汇总 typed with one cell wrong
    parent = folder / "汇总.yaml"
    parent.write_text(dump_report(total.model_copy(update={"table3": Table3(rows=rows)})),
                      encoding="utf-8")
    return Batch(paths, roster, dates, parent)
