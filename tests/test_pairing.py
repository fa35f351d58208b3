"""organ_key and YearIndex: one organ is one organ however its name is spelt."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.pairing import NameIndex, YearIndex, organ_key, same_organ

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\u3000", "\u2060", "\u202e", " ", "\t"]


@pytest.mark.parametrize(("spelt", "meant"), [
    ("晋江市永和镇人民政府", "晋江市永和镇"),
    ("晋江市永和镇政府", "晋江市永和镇"),
    (" 晋江市 永和镇 ", "晋江市永和镇"),
    ("晋江市\u00a0永和镇", "晋江市永和镇"),
    ("晋江市永和镇\u200b", "晋江市永和镇"),
    ("甲县（开发区）管委会", "甲县(开发区)管委会"),
    ("ＡＢ县教育局", "AB县教育局"),
])
def test_spellings_of_one_organ_meet(spelt: str, meant: str) -> None:
    assert organ_key(spelt) == organ_key(meant)


@pytest.mark.parametrize(("a", "b"), [
    ("甲县人民政府办公室", "甲县"),  # the office is not the government
    ("甲县教育局", "乙县教育局"),
    ("甲县人民政府", "甲县人民政府办公室"),
])
def test_different_organs_stay_apart(a: str, b: str) -> None:
    assert organ_key(a) != organ_key(b)


def test_a_name_that_is_only_the_suffix_is_kept() -> None:
    assert organ_key("人民政府") == "人民政府"


@given(name=st.text(alphabet="甲乙县镇局教育卫生", min_size=1, max_size=8),
       noise=st.lists(st.tuples(st.integers(0, 8), st.sampled_from(INVISIBLE)), max_size=4))
def test_invisible_characters_never_tell_organs_apart(
    name: str, noise: list[tuple[int, str]]
) -> None:
    noisy = name
    for position, ch in noise:
        noisy = noisy[:position] + ch + noisy[position:]
    assert organ_key(noisy) == organ_key(name)


def test_year_index_finds_by_key_and_year() -> None:
    index: YearIndex[str] = YearIndex()
    index.add("甲县教育局", 2021, "a")
    index.add("甲县 教育局", 2022, "b")
    assert index.find("甲县教育局\u200b", 2021) == ["a"]
    assert index.find("甲县教育局", 2022) == ["b"]
    assert index.find("甲县教育局", 2020) == []
    assert len(index) == 2


@settings(max_examples=8, deadline=None)
@given(order=st.permutations(range(4)), spellings=st.lists(
    st.sampled_from(["", "人民政府", "\u200b", "\u00a0"]), min_size=4, max_size=4))
def test_chained_reports_pair_with_their_own_organ_whatever_the_file_order(
    order: list[int], spellings: list[str]
) -> None:
    import tempfile
    from pathlib import Path

    from tests.yearly import report
    from xxgk.inputs import dump_report
    from xxgk.review import check_many, load_previous, sources_in

    organs = [f"乙县第{i}镇" for i in range(4)]
    with tempfile.TemporaryDirectory() as tmp:
        last_dir, this_dir = Path(tmp, "last"), Path(tmp, "this")
        last_dir.mkdir()
        this_dir.mkdir()
        paths = []
        for n, i in enumerate(order):  # last year's files in another order than this year's
            last = report(organs[i], 2021, i + 1, (0,) * 6)
            (last_dir / f"{n}.yaml").write_text(dump_report(last), encoding="utf-8")
        for i, organ in enumerate(organs):
            carried_out = report(organ, 2021, i + 1, (0,) * 6).table3.row("carried_out").cells
            this = report(organ + spellings[i], 2022, i + 1, carried_out)  # type: ignore[arg-type]
            path = this_dir / f"{i}.yaml"
            path.write_text(dump_report(this), encoding="utf-8")
            paths.append(path)
        checked = list(check_many(paths, load_previous(sources_in(last_dir))))
    assert all(c.previous is not None for c in checked)
    assert [organ_key(c.previous[1].organ) for c in checked if c.previous] == [
        organ_key(o) for o in organs]
    assert [f.code for c in checked for f in c.findings if f.code.startswith("carryover/")] == []


# ---------------------------------------------------------------- a city or county prefix


@pytest.mark.parametrize(("a", "b"), [
    ("淮安市洪泽区人民政府", "洪泽区人民政府"),
    ("江苏省淮安市洪泽区", "洪泽区"),
    ("徐州市沛县", "沛县人民政府"),
    ("淮安市洪泽区教育局", "洪泽区教育局"),
    ("晋江市永和镇人民政府", "永和镇"),
])
def test_a_province_city_or_county_prefix_is_the_same_organ(a: str, b: str) -> None:
    assert same_organ(a, b)
    assert same_organ(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("南京市鼓楼区", "福州市鼓楼区"),  # two districts of two cities
    ("淮安市教育局", "徐州市教育局"),
    ("淮安市教育局", "教育局"),  # every city has one: a bare 教育局 is no place
    ("淮安市市场监督管理局", "市场监督管理局"),
    ("甲县教育局", "乙县教育局"),
])
def test_different_prefixes_never_pair(a: str, b: str) -> None:
    assert not same_organ(a, b)


def test_prefix_pairing_finds_one_organ_and_refuses_two() -> None:
    index: YearIndex[str] = YearIndex()
    index.add("淮安市洪泽区人民政府", 2022, "洪泽")
    assert index.find_near("洪泽区人民政府", 2022) == (["洪泽"], "淮安市洪泽区")
    index.add("南京市鼓楼区", 2022, "南京")
    index.add("福州市鼓楼区", 2022, "福州")
    assert index.find_near("鼓楼区", 2022) == ([], None)  # two candidates: no pair
    assert index.find_near("南京市鼓楼区", 2022) == (["南京"], None)


def test_roster_positions_through_a_prefix() -> None:
    names = NameIndex(["洪泽区人民政府", "南京市鼓楼区", "福州市鼓楼区"])
    assert names.position("淮安市洪泽区人民政府") == 0
    assert names.position("鼓楼区") is None
    assert names.position("福州市鼓楼区") == 2
