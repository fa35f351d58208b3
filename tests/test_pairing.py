"""organ_key and YearIndex: one organ is one organ however its name is spelt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.pairing import YearIndex, organ_key

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
