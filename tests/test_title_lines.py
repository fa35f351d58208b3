"""Title lines (GB/T 9704-2012 7.3.3): where real organs' titles break, and the rules behind it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.render.title_lines import (
    LINE_WIDTH,
    MIN_LINE_CHARS,
    PROTECTED,
    UNITS,
    break_points,
    title_lines,
    width,
)

SUFFIX = "2021年政府信息公开工作年度报告"

# Organs of every level and length, each with its title's lines as chosen (" / " between lines):
# ministries, provinces and autonomous regions, prefectures and 盟, cities, districts, counties,
# townships, 街道, departments and long 管理委员会 names.
EXPECTED = [
    ("中华人民共和国国家发展和改革委员会", "中华人民共和国国家发展和改革委员会 / 2021年政府信息公开工作年度报告"),
    ("中华人民共和国商务部", "中华人民共和国商务部2021年 / 政府信息公开工作年度报告"),
    ("国务院办公厅", "国务院办公厅2021年 / 政府信息公开工作年度报告"),
    ("教育部", "教育部2021年政府信息公开工作年度报告"),
    ("生态环境部", "生态环境部2021年 / 政府信息公开工作年度报告"),
    ("国家市场监督管理总局", "国家市场监督管理总局2021年 / 政府信息公开工作年度报告"),
    ("国家税务总局", "国家税务总局2021年 / 政府信息公开工作年度报告"),
    ("国家税务总局福建省税务局", "国家税务总局福建省税务局 / 2021年政府信息公开工作年度报告"),
    ("福建省人民政府", "福建省人民政府2021年 / 政府信息公开工作年度报告"),
    ("福建省人民政府办公厅", "福建省人民政府办公厅2021年 / 政府信息公开工作年度报告"),
    ("福建省教育厅", "福建省教育厅2021年 / 政府信息公开工作年度报告"),
    ("广东省人民政府港澳事务办公室", "广东省人民政府港澳事务办公室 / 2021年政府信息公开工作年度报告"),
    ("广西壮族自治区人民政府", "广西壮族自治区人民政府2021年 / 政府信息公开工作年度报告"),
    ("内蒙古自治区锡林郭勒盟行政公署", "内蒙古自治区锡林郭勒盟行政公署 / 2021年政府信息公开工作年度报告"),
    ("新疆维吾尔自治区伊犁哈萨克自治州人民政府", "新疆维吾尔自治区伊犁哈萨克自治州人民政府 / 2021年政府信息公开工作年度报告"),
    ("宁夏回族自治区银川市兴庆区人民政府", "宁夏回族自治区银川市兴庆区人民政府 / 2021年政府信息公开工作年度报告"),
    ("西藏自治区拉萨市城关区", "西藏自治区拉萨市城关区2021年 / 政府信息公开工作年度报告"),
    ("黑龙江省大兴安岭地区行政公署", "黑龙江省大兴安岭地区行政公署 / 2021年政府信息公开工作年度报告"),
    ("北京市人民政府", "北京市人民政府2021年 / 政府信息公开工作年度报告"),
    ("北京市朝阳区人民政府", "北京市朝阳区人民政府2021年 / 政府信息公开工作年度报告"),
    ("北京市朝阳区建外街道办事处", "北京市朝阳区建外街道办事处 / 2021年政府信息公开工作年度报告"),
    ("上海市浦东新区人民政府", "上海市浦东新区人民政府2021年 / 政府信息公开工作年度报告"),
    ("天津市滨海新区", "天津市滨海新区2021年 / 政府信息公开工作年度报告"),
    ("重庆市渝中区解放碑街道办事处", "重庆市渝中区解放碑街道办事处 / 2021年政府信息公开工作年度报告"),
    ("晋江市人民政府", "晋江市人民政府2021年 / 政府信息公开工作年度报告"),
    ("晋江市永和镇", "晋江市永和镇2021年 / 政府信息公开工作年度报告"),
    ("晋江市民政局", "晋江市民政局2021年 / 政府信息公开工作年度报告"),
    ("深圳市民政局", "深圳市民政局2021年 / 政府信息公开工作年度报告"),
    ("泉州市人力资源和社会保障局", "泉州市人力资源和社会保障局 / 2021年政府信息公开工作年度报告"),
    ("泉州市市场监督管理局", "泉州市市场监督管理局2021年 / 政府信息公开工作年度报告"),
    ("厦门市城市管理行政执法局", "厦门市城市管理行政执法局 / 2021年政府信息公开工作年度报告"),
    ("石家庄市住房和城乡建设局", "石家庄市住房和城乡建设局 / 2021年政府信息公开工作年度报告"),
    ("南京市规划和自然资源局", "南京市规划和自然资源局2021年 / 政府信息公开工作年度报告"),
    ("广州市卫生健康委员会", "广州市卫生健康委员会2021年 / 政府信息公开工作年度报告"),
    ("杭州市西湖区政务服务中心", "杭州市西湖区政务服务中心 / 2021年政府信息公开工作年度报告"),
    ("武汉市江汉区民政局", "武汉市江汉区民政局2021年 / 政府信息公开工作年度报告"),
    ("海南省三沙市", "海南省三沙市2021年 / 政府信息公开工作年度报告"),
    ("鄂尔多斯市东胜区", "鄂尔多斯市东胜区2021年 / 政府信息公开工作年度报告"),
    ("湖南省长沙市岳麓区人民政府", "湖南省长沙市岳麓区人民政府 / 2021年政府信息公开工作年度报告"),
    ("河北省石家庄市长安区", "河北省石家庄市长安区2021年 / 政府信息公开工作年度报告"),
    ("江苏省南京市鼓楼区宁海路街道办事处", "江苏省南京市鼓楼区宁海路街道办事处 / 2021年政府信息公开工作年度报告"),
    ("陕西省西安市雁塔区小寨路街道办事处", "陕西省西安市雁塔区小寨路街道办事处 / 2021年政府信息公开工作年度报告"),
    ("哈尔滨市道里区新阳路街道办事处", "哈尔滨市道里区新阳路街道办事处 / 2021年政府信息公开工作年度报告"),
    ("安徽省合肥市庐阳区杏林街道", "安徽省合肥市庐阳区杏林街道 / 2021年政府信息公开工作年度报告"),
    ("吉林省长春市南关区永吉街道", "吉林省长春市南关区永吉街道 / 2021年政府信息公开工作年度报告"),
    ("龙岩市新罗区人民政府办公室", "龙岩市新罗区人民政府办公室 / 2021年政府信息公开工作年度报告"),
    ("延边朝鲜族自治州人民政府", "延边朝鲜族自治州人民政府 / 2021年政府信息公开工作年度报告"),
    ("长白朝鲜族自治县人民政府", "长白朝鲜族自治县人民政府 / 2021年政府信息公开工作年度报告"),
    ("贵州省黔东南苗族侗族自治州凯里市人民政府", "贵州省黔东南苗族侗族自治州凯里市人民政府 / 2021年政府信息公开工作年度报告"),
    ("云南省西双版纳傣族自治州景洪市嘎洒镇人民政府", "云南省西双版纳傣族自治州 / 景洪市嘎洒镇人民政府2021年 / 政府信息公开工作年度报告"),
    ("阿拉善盟", "阿拉善盟2021年政府信息公开工作年度报告"),
    ("某某县民族宗教事务局", "某某县民族宗教事务局2021年 / 政府信息公开工作年度报告"),
    ("苏州工业园区管理委员会", "苏州工业园区管理委员会2021年 / 政府信息公开工作年度报告"),
    ("青岛西海岸新区管理委员会", "青岛西海岸新区管理委员会 / 2021年政府信息公开工作年度报告"),
    ("成都高新技术产业开发区管理委员会", "成都高新技术产业开发区管理委员会 / 2021年政府信息公开工作年度报告"),
    ("深圳市前海深港现代服务业合作区管理局", "深圳市前海深港现代服务业合作区管理局 / 2021年政府信息公开工作年度报告"),
    ("中国（上海）自由贸易试验区临港新片区管理委员会", "中国（上海）自由贸易试验区 / 临港新片区管理委员会2021年 / 政府信息公开工作年度报告"),
    ("福建省龙岩市长汀县河田镇人民政府", "福建省龙岩市长汀县河田镇人民政府 / 2021年政府信息公开工作年度报告"),
    ("浙江省丽水市景宁畲族自治县鹤溪街道办事处", "浙江省丽水市景宁畲族自治县鹤溪街道办事处 / 2021年政府信息公开工作年度报告"),
    ("四川省凉山彝族自治州木里藏族自治县水洛乡人民政府", "四川省凉山彝族自治州 / 木里藏族自治县水洛乡人民政府 / 2021年政府信息公开工作年度报告"),
    ("湖北省恩施土家族苗族自治州利川市人力资源和社会保障局", "湖北省恩施土家族苗族自治州 / 利川市人力资源和社会保障局 / 2021年政府信息公开工作年度报告"),
    ("河南省郑州市中原区", "河南省郑州市中原区2021年 / 政府信息公开工作年度报告"),
    ("江西省赣州市于都县车溪乡", "江西省赣州市于都县车溪乡 / 2021年政府信息公开工作年度报告"),
    ("甘肃省甘南藏族自治州夏河县拉卜楞镇人民政府", "甘肃省甘南藏族自治州夏河县 / 拉卜楞镇人民政府2021年 / 政府信息公开工作年度报告"),
    ("山东省青岛市市南区八大关街道", "山东省青岛市市南区八大关街道 / 2021年政府信息公开工作年度报告"),
]


@pytest.mark.parametrize(("organ", "lines"), EXPECTED)
def test_real_organ_titles(organ: str, lines: str) -> None:
    assert " / ".join(title_lines(organ + SUFFIX, organ)) == lines


def test_at_least_fifty_organs_of_every_level() -> None:
    organs = [organ for organ, _ in EXPECTED]
    assert len(set(organs)) >= 50
    for level in ("部", "省", "自治区", "自治州", "盟", "市", "区", "县", "镇", "乡", "街道", "局",
                  "委员会", "办公室", "厅", "办事处"):
        assert any(level in organ for organ in organs), level
    assert {len(lines.split(" / ")) for _, lines in EXPECTED} == {1, 2, 3}


@pytest.mark.parametrize(("organ", "lines"), EXPECTED)
def test_every_line_fits_and_none_is_tiny(organ: str, lines: str) -> None:
    parts = lines.split(" / ")
    assert "".join(parts) == organ + SUFFIX
    assert all(width(line) <= LINE_WIDTH for line in parts)
    assert all(len(line) >= MIN_LINE_CHARS for line in parts)
    if len(parts) == 1:
        assert width(organ + SUFFIX) <= LINE_WIDTH


def test_a_title_that_fits_stays_whole() -> None:
    assert title_lines("教育部" + SUFFIX, "教育部") == ["教育部" + SUFFIX]
    assert title_lines("阿拉善盟" + SUFFIX, "阿拉善盟") == ["阿拉善盟" + SUFFIX]


def test_breaks_keep_words_whole() -> None:
    # 城市管理局 and 市场监督管理局 are never cut at their 市; 某市人民政府 stays together.
    for organ in ("厦门市城市管理行政执法局", "泉州市市场监督管理局", "晋江市人民政府"):
        title = organ + SUFFIX
        cuts = {title[:p] for p in break_points(title, organ)}
        assert "厦门市城市" not in cuts
        assert "泉州市市" not in cuts
        assert "晋江市" not in cuts
    assert "深圳市" in {("深圳市民政局" + SUFFIX)[:p]
                       for p in break_points("深圳市民政局" + SUFFIX, "深圳市民政局")}


def test_the_fixed_words_are_break_points() -> None:
    title = "晋江市永和镇" + SUFFIX
    cuts = [title[:p] for p in break_points(title, "晋江市永和镇")]
    assert cuts == ["晋江市", "晋江市永和镇", "晋江市永和镇2021年", "晋江市永和镇2021年政府信息公开"]


def test_a_clerks_own_break_is_kept() -> None:
    assert title_lines("晋江市永和镇2021年政府信息公开\n工作年度报告") == [
        "晋江市永和镇2021年政府信息公开", "工作年度报告"]
    assert title_lines("  晋江市永和镇  \n\n  2021年政府信息公开工作年度报告 ") == [
        "晋江市永和镇", "2021年政府信息公开工作年度报告"]


def test_a_title_without_gongzuo_breaks_before_its_tail() -> None:
    organ = "泉州市人力资源和社会保障局"
    title = organ + "2021年度政府信息公开年度报告"
    assert title_lines(title, organ) == [organ, "2021年度政府信息公开年度报告"]
    assert title.index("政府信息公开年度报告") in break_points(title, organ)


def test_a_title_without_the_usual_words_is_not_cut() -> None:
    title = "关于" + "某" * 30 + "的报告"
    assert title_lines(title) == [title]


def test_width_counts_half_width_characters_and_their_spacing() -> None:
    assert width("晋江") == 2
    assert width("2021") == 2
    assert width("晋2021年") == 2 + 2 + 0.5


_NAME = st.text(alphabet="甲乙丙丁戊己庚辛壬癸东西南北", min_size=2, max_size=4)
_UNIT = st.sampled_from([u for u in UNITS if len(u) <= 4])


@given(st.lists(st.tuples(_NAME, _UNIT), min_size=1, max_size=6))
def test_any_organ_breaks_only_into_fitting_lines(parts: list[tuple[str, str]]) -> None:
    organ = "".join(name + unit for name, unit in parts)
    title = organ + SUFFIX
    lines = title_lines(title, organ)
    assert "".join(lines) == title
    if len(lines) > 1:
        assert all(width(line) <= LINE_WIDTH for line in lines)
        assert all(len(line) >= MIN_LINE_CHARS for line in lines)
        points = set(break_points(title, organ))
        position = 0
        for line in lines[:-1]:
            position += len(line)
            assert position in points
            assert not any(title[max(0, position - 1):position + 1] == word for word in PROTECTED)
