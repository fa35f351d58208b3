"""compare_reports: numbers of both years, the carry-over chain, text new/changed/copied."""

from __future__ import annotations

from tests.yearly import two_years
from xxgk.compare import compare_reports, copied_share
from xxgk.compare.numbers import NumberChange
from xxgk.compare.text import CHANGED, COPIED, NEW, REMOVED, section_changes
from xxgk.model import Report, Subsection


def _pair(i: int) -> tuple[Report, Report]:
    years = two_years()
    return years[2021][i], years[2022][i]


def test_every_number_of_both_years() -> None:
    last, this = _pair(0)
    c = compare_reports(last, this)
    assert len(c.numbers) == 10 + 25 * 7 + 15
    licensing = next(n for n in c.numbers if n.place == ("表二", "行政许可"))
    assert (licensing.last, licensing.this, licensing.change) == (11, 12, 1)
    assert licensing.describe_change() == "+1（+9.1%）"


def test_change_of_blank_and_zero() -> None:
    assert NumberChange(("表二", "x"), None, 3).describe_change() == "—"
    assert NumberChange(("表二", "x"), 0, 3).describe_change() == "+3"
    assert NumberChange(("表二", "x"), 4, 4).describe_change() == "无变化"
    assert NumberChange(("表二", "x"), 4, 2).describe_change() == "−2（-50.0%）"
    assert NumberChange(("表二", "x"), 4, 2).in_words() == "减少 2，下降 50.0%"
    assert NumberChange(("表二", "x"), 0, 3).in_words() == "增加 3"
    assert NumberChange(("表二", "x"), None, 3).in_words() == "无法比较"


def test_short_labels() -> None:
    last, this = _pair(0)
    c = compare_reports(last, this)
    labels_ = {n.short_label for n in c.numbers}
    assert "（五）不予处理 4.无正当理由大量反复申请" in labels_
    assert "（七）总计" in labels_
    assert "一、本年新收政府信息公开申请数量" in labels_
    assert "行政诉讼 未经复议直接起诉" in labels_
    assert "行政规范性文件 现行有效件数" in labels_


def test_carry_chain_names_the_broken_column() -> None:
    last, this = _pair(1)
    c = compare_reports(last, this)
    broken = [(link.column, link.carried_out, link.carried_in) for link in c.carry if not link.holds]
    assert broken == [("自然人", 2, 4), ("总计", 7, 9)]
    assert any(line.startswith("结转不衔接：自然人") for line in c.summary())
    assert any("2022 年度报告有 1 个错误" in line for line in c.summary())


def test_sections_new_changed_copied_removed() -> None:
    last, this = _pair(0)
    subs = list(this.overview.subsections)
    subs[0] = Subsection(title="主动公开情况", paragraphs=["全新的一段，与上年完全不同的表述。"])
    subs.append(Subsection(title="年度要点落实", paragraphs=["新增的小节。"]))
    this = this.model_copy(update={
        "overview": this.overview.model_copy(update={"subsections": subs}),
        "problems": list(last.problems), "other_matters": []})
    statuses = {s.place: s.status for s in section_changes(last, this)}
    assert statuses["一、总体情况/（一）主动公开情况"] == CHANGED
    assert statuses["一、总体情况/（六）年度要点落实"] == NEW
    assert statuses["五、存在的主要问题及改进情况"] == COPIED
    assert statuses["六、其他需要报告的事项"] == REMOVED
    first = next(s for s in section_changes(last, this) if s.place.endswith("主动公开情况"))
    assert first.added == ["全新的一段，与上年完全不同的表述。"]
    assert first.removed == [last.overview.subsections[0].paragraphs[0]]


def test_copied_share() -> None:
    assert copied_share("", "abc") is None
    assert copied_share("一二三四五六七", "一二三四五六七") == 1.0
    assert copied_share("一二三四五六七", "甲乙丙丁戊己庚") == 0.0
    assert copied_share("一二三 四五六七", "一二三四五六七") == 1.0  # spaces do not count


def test_two_organs_are_pointed_out() -> None:
    years = two_years()
    summary = compare_reports(years[2021][0], years[2022][1]).summary()
    assert summary[1] == ("注意：两份报告的机关名称不同（「甲县教育局」与「甲县卫生\u00a0健康局」），"
                          "请确认是同一机关（如机构改革后更名）。")
    same = compare_reports(years[2021][1], years[2022][1]).summary()
    assert not any(line.startswith("注意") for line in same)
