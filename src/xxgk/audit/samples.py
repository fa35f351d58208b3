"""The shingles the cross-organ check compares, sampled from each paragraph where its record is
made (so the audit's worker processes do this work, not the parent at the end).

5-character shingles of the normalised text with the organ's own name removed (the first word a
copier changes), the national format's fixed sentences left out, and only those whose middle
character has an even code point: about half, chosen by content, so the same shingle is sampled
in every paragraph and the samples' overlap estimates the whole's — and the same on every run,
unlike Python's salted ``hash``.
"""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.checks.shingles import MIN_PARAGRAPH, SHINGLE, normalized, shingles

# Sentences of the national format and its instructions that every report may print word for word.
TEMPLATE_SENTENCES = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开"
    "办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
    "要求编制。",
    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
    "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。",
    "本报告中所列数据的统计期限自1月1日起至12月31日止。",
    "本报告电子版可在门户网站查阅或下载。如对本报告有任何疑问，请与政府信息公开工作机构联系。",
    "坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻落实党的二十大精神，认真贯彻落实"
    "《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
    "本年度未收取信息处理费。本机关未收取信息处理费。无其他需要报告的事项。",
    "按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）"
    "规定的按件、按量收费标准，本年度没有产生信息公开处理费。",
)
# 六、其他需要报告的事项 says what the format asks (the fee, 人大建议和政协提案, 年度工作要点) in
# words every organ may share: it is not compared.
SKIPPED_SECTION = "六、"
_TEMPLATE = frozenset().union(*(shingles(normalized(s)) for s in TEMPLATE_SENTENCES))
_MIDDLE = SHINGLE // 2


def sampled_shingles(text: str) -> set[str]:
    """The shingles of a normalised text whose middle character has an even code point."""
    return {
        text[i - _MIDDLE : i - _MIDDLE + SHINGLE]
        for i in range(_MIDDLE, len(text) - SHINGLE + _MIDDLE + 1)
        if not ord(text[i]) & 1
    } - _TEMPLATE




def paragraph_samples(
    organ: str, paragraphs: Sequence[tuple[str, str]]
) -> tuple[frozenset[str], ...]:
    """The sample of each (place, text) paragraph; empty for one too short to compare."""
    own = normalized(organ)
    found: list[frozenset[str]] = []
    for place, text in paragraphs:
        if place.startswith(SKIPPED_SECTION):
            found.append(frozenset())
            continue
        folded = normalized(text).replace(own, "") if own else normalized(text)
        found.append(frozenset(sampled_shingles(folded)) if len(folded) >= MIN_PARAGRAPH
                     else frozenset())
    return tuple(found)
