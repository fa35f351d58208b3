"""Three organs over two years, for pairing, audit and compare tests.

甲县教育局 is right in both years; 甲县卫生健康局's 2022 上年结转 differs from its 2021 结转
(one wrong carry-over); 甲县自然资源局's 2022 表三 breaks 勾稽 (一 + 二 ≠ 三 + 四) in 自然人.
The 2022 names are spelt as clerks do: with 人民政府-less/full-width/invisible variants.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from tests.reports import with_table3_cell
from xxgk import labels
from xxgk.inputs import dump_report
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    Overview,
    Report,
    ReviewOutcomes,
    Subsection,
    Table2,
    Table3,
    Table4,
)

N = len(labels.TABLE3_COLUMNS)
ORGANS = ("甲县教育局", "甲县卫生健康局", "甲县自然资源局")
# How the same organs are spelt in the 2022 files: a no-break space, full-width letters.
SPELT_2022 = ("甲县教育局", "甲县卫生\u00a0健康局", "甲县自然资源局\u200b")

TEXT = (
    "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，围绕年度政务公开工作要点，"
    "扎实推进决策、执行、管理、服务、结果公开，全年主动公开政府信息{n}条。"
)


def report(organ: str, year: int, seed: int, carried_in: tuple[int, ...]) -> Report:
    """A consistent report whose 上年结转 is ``carried_in`` (numbers drawn from ``seed``)."""
    rng = random.Random(seed * 1000 + year)
    rows = {r.id: ApplicantCounts(cells=tuple(rng.randint(0, 6) for _ in range(N)))
            for r in labels.TABLE3_RESULT_ROWS}
    rows["carried_out"] = ApplicantCounts(cells=tuple(rng.randint(0, 3) for _ in range(N)))
    need = [sum(rows[r.id].cells[c] or 0 for r in labels.TABLE3_RESULT_ROWS)
            + (rows["carried_out"].cells[c] or 0) for c in range(N)]
    rows["carried_in"] = ApplicantCounts(cells=carried_in)  # type: ignore[arg-type]
    rows["new"] = ApplicantCounts(cells=tuple(n - i for n, i in zip(need, carried_in,
                                                                   strict=True)))
    subsections = [
        Subsection(title=f"{name}情况", paragraphs=[
            f"{organ}{year}年{name}工作稳步推进，" + TEXT.format(n=seed * 10 + i)])
        for i, name in enumerate(labels.OVERVIEW_SUBSECTIONS)
    ]
    return Report(
        organ=organ,
        year=year,
        overview=Overview(intro=[TEXT.format(n=year - 2000 + seed)], subsections=subsections),
        table2=Table2(
            regulations=DocumentCounts(issued=0, repealed=0, in_force=2),
            normative_documents=DocumentCounts(
                issued=seed, repealed=1, in_force=seed + 10 + (year - 2021) * (seed - 1)),
            licensing=10 * seed + year % 10, punishment=seed, enforcement=0,
            fees=Decimal("0.5") * seed,
        ),
        table3=Table3(rows=rows),
        table4=Table4(review=ReviewOutcomes(upheld=1, pending=year % 2),
                      direct_suit=ReviewOutcomes(corrected=seed % 2)),
        problems=[f"{year}年一是公开内容不够全面；二是解读形式较为单一。下一步将加强培训，提升公开质量。"],
        other_matters=["本年度未收取信息处理费。"],
    )


def two_years() -> dict[int, list[Report]]:
    """The reports by year: 2021 all right; 2022 with the carry-over and the 勾稽 error."""
    last = [report(organ, 2021, seed, (0,) * N) for seed, organ in enumerate(ORGANS, 1)]
    this = []
    for seed, (organ, spelt) in enumerate(zip(ORGANS, SPELT_2022, strict=True), 1):
        carried = last[seed - 1].table3.row("carried_out").cells
        if organ == "甲县卫生健康局":
            carried = (carried[0] + 2, *carried[1:])  # type: ignore[operator]
        this.append(report(spelt, 2022, seed, carried))  # type: ignore[arg-type]
    this[2] = with_table3_cell(this[2], "new", 0, 1)  # 一 + 二 ≠ 三 + 四 in 自然人
    return {2021: last, 2022: this}


def write_two_years(root: Path) -> tuple[Path, Path]:
    """The data files in root/2021/ and root/2022/, named by organ; returns both folders."""
    folders = []
    for year, reports in two_years().items():
        folder = root / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for i, r in enumerate(reports):
            (folder / f"organ{i + 1}.yaml").write_text(dump_report(r), encoding="utf-8")
        folders.append(folder)
    return folders[0], folders[1]
