"""Benchmark: prints figures for the targets of docs/PERFORMANCE.md; asserts nothing.

    python bench/run.py [--n 200] [--repeat 3] [--only-build]

Generates N synthetic consistent organs, then measures, each as the median of ``--repeat`` runs:
(a) naive docxtpl — ``DocxTemplate(path).render(ctx).save()`` per report on our default template;
(b) xxgk's batch build, docx only, one process;
(c) xxgk's batch build, docx + xlsx, ``--jobs 2`` (the CLI, as a new process) and its peak memory;
(d) xxgk check of N files; (e) the import of N .txt reports; (f) one ``xxgk build`` of the example
as a new process, start-up included; (g) ``diff`` of a 1 MB paragraph with one character changed,
and with every 100th clause changed; (h) ``xxgk serve``: command to first page, and one live check;
(i) ``xxgk audit`` of ``--audit-n`` reports (default 5 × N), each paired with its organ's last-year
report, into the .xlsx workbook (``--jobs`` = CPUs), copying between organs included (each organ
its own text, every 50th a copy of its neighbour's);
(j) the import of the real reports under tests/data/real/, per kind of source (reports/s, and
pages/s for PDF).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from xxgk import labels
from xxgk.inputs import dump_report, load
from xxgk.model import ApplicantCounts, Report, ReviewOutcomes, Table3, Table4

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example.yaml"
PASTE = ROOT / "tests" / "data" / "yonghe-2021.txt"
TARGETS = {"b/a": 30.0, "c/a": 25.0, "d": 1000.0, "e": 200.0, "f/bare": 1.6, "memory": 200.0,
           "g": 2.0, "h": 1.0, "i": 5.0,
           # issue 22: twice the 39 pages/s the PDF import made when it was filed (quiet machine;
           # 6.9 pages/s was the same importer at load 7, so it is not the baseline)
           "pdf-pages": 78.0}
# What one `xxgk build` of a data file must import in any case: (f) is measured against it.
BARE_IMPORT = "import click, pydantic, yaml, jinja2, lxml.etree, docx, docxtpl, openpyxl"


def synthetic(i: int, base: Report) -> Report:
    """Organ i: the example's text with numbers that differ from organ to organ and add up."""
    results = labels.TABLE3_RESULT_ROWS
    rows = {r.id: ApplicantCounts(cells=tuple((i * 7 + n * 3 + c) % 5 for c in range(6)))
            for n, r in enumerate(results)}
    rows["carried_out"] = ApplicantCounts(cells=tuple((i + c) % 3 for c in range(6)))
    need = [sum(rows[r.id].cells[c] or 0 for r in results) + (rows["carried_out"].cells[c] or 0)
            for c in range(6)]
    rows["carried_in"] = ApplicantCounts(cells=tuple(min(i % 4, n) for n in need))
    rows["new"] = ApplicantCounts(cells=tuple(n - min(i % 4, n) for n in need))
    return base.model_copy(update={
        "organ": f"测试县第{i:04d}镇", "table3": Table3(rows=rows),
        "table4": Table4(review=ReviewOutcomes(upheld=i % 3, pending=1)),
    })


def diff_of_a_long_paragraph(base: Report, repeat: int) -> tuple[float, float]:
    """Seconds to diff a 1 MB paragraph (~70 000 clauses): one character changed; 1 % of clauses."""
    import random

    from xxgk.diff import diff_reports

    rng = random.Random(1)
    words = "政府信息公开工作年度报告主动公开依申请办理结果行政复议诉讼"
    clauses = ["".join(rng.choice(words) for _ in range(rng.randint(6, 20))) + rng.choice("，。；")
               for _ in range(70000)]
    text = "".join(clauses)
    middle = len(text) // 2
    one = text[:middle] + ("甲" if text[middle] != "甲" else "乙") + text[middle + 1:]
    many = "".join("改" + c if k % 100 == 0 else c for k, c in enumerate(clauses))
    old = base.model_copy(update={"other_matters": [text]})
    figures = []
    for changed in (one, many):
        new = base.model_copy(update={"other_matters": [changed]})
        figures.append(median_seconds(lambda: diff_reports(old, new), repeat))  # noqa: B023
    return figures[0], figures[1]


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def tree_memory_mb(pid: int) -> float:
    """Memory of a process and all its descendants, from /proc (Linux).

    Proportional set size: forked workers share the parent's pages (the compiled template,
    the libraries), and summing their RSS would count those pages once per process.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        stack.extend(int(c) for c in children)
    return total / 1024


def run_with_peak_memory(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB of PSS, whole process tree) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0

    def poll() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_memory_mb(process.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=poll)
    watcher.start()
    process.wait()
    watcher.join()
    return time.perf_counter() - started, peak


# Characters the synthetic narratives are drawn from: each organ's text is its own (as real reports
# mostly are), so the cross-organ copying check meets a realistic index, not one shared template.
_NARRATIVE_CHARACTERS = (
    "政府信息公开工作年度报告主动申请办理结果予以部分不予无法提供处理复议诉讼规范性文件制发废止现行"
    "有效许可处罚强制收费平台建设监督保障培训考核栏目网站新媒体解读回应群众企业关切重点领域财政预算"
    "决算采购项目资金民生教育医疗社会救助就业住房交通环境农业水利应急审计统计城市管理市场监管"
)


def _narrative(i: int, year: int) -> tuple[list[str], list[str]]:
    """Organ i's own paragraphs (about 1,500 characters); every 50th copies its neighbour's."""
    import random

    rng = random.Random(i - 1 if i % 50 == 1 else i)
    words = [rng.choice(_NARRATIVE_CHARACTERS) for _ in range(1500)]
    text = "".join(words)
    paragraphs = [f"{year}年，" + text[k : k + 150] + "。" for k in range(0, 1500, 150)]
    return paragraphs[:8], paragraphs[8:]


def audit_seconds(n: int, repeat: int) -> float:
    """Seconds for ``xxgk audit`` of n reports against n last-year reports, into a workbook,
    the batch's own rules (copying between organs, publication dates) included."""
    from xxgk.audit import audit_sheets
    from xxgk.audit.batch import batch_year
    from xxgk.audit.evaluation import BatchOptions, copied_sheet, evaluate_batch
    from xxgk.audit.record import with_batch
    from xxgk.model import Overview
    from xxgk.render.audit.xlsx import render_audit_xlsx
    from xxgk.render.zipfix import document_time
    from xxgk.review import audit_many, load_previous, sources_in

    base = load(EXAMPLE)
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-audit-"))
    folders = {year: work / str(year) for year in (2020, 2021)}
    paths: list[Path] = []
    for year, folder in folders.items():
        folder.mkdir()
        for i in range(n):
            overview, problems = _narrative(i, year)
            report = synthetic(i, base).model_copy(update={
                "year": year, "overview": Overview(intro=overview), "problems": problems})
            path = folder / f"organ{i:04d}.yaml"
            path.write_text(dump_report(report), encoding="utf-8")
            if year == 2021:
                paths.append(path)

    def run() -> None:
        previous = load_previous(sources_in(folders[2020]), jobs=os.cpu_count() or 1)
        records = list(audit_many(paths, previous, jobs=os.cpu_count() or 1))
        batch = batch_year(r.year for r in records)  # as `xxgk audit` does
        records = [with_batch(r, batch) for r in records]
        evaluation = evaluate_batch(records, BatchOptions())
        copied = sum(f.code == "copy/other-organ" for r in evaluation.records for f in r.findings)
        assert copied == 2 * len(range(1, n, 50)), copied  # the planted copies, and nothing else
        sheets = audit_sheets(evaluation.records, paired=True)
        sheets.insert(1, copied_sheet(evaluation.pairs))
        (work / "audit.xlsx").write_bytes(render_audit_xlsx(sheets, document_time(None, 2021)))

    return median_seconds(run, repeat)


def serve_figures(work: Path, repeat: int) -> tuple[float, float]:
    """``xxgk serve``: seconds from the command to its first page; median live check in ms."""
    import json
    import signal
    import urllib.request

    starts = []
    for _ in range(max(repeat, 3)):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "xxgk", "serve", str(EXAMPLE), "--no-browser",
             "-o", str(work / "g")], stdout=subprocess.PIPE, text=True, encoding="utf-8")
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        page = urllib.request.urlopen(url).read()
        starts.append(time.perf_counter() - started)
        if len(starts) == 1:  # one live check as the page posts it, measured 20 times
            from xxgk.web.form import report_to_form

            token = url.split("token=", 1)[1]
            body = json.dumps(report_to_form(load(EXAMPLE))).encode()
            checks = []
            for _ in range(20):
                request = urllib.request.Request(
                    url.split("?", 1)[0] + "api/check", body,
                    {"X-Xxgk-Token": token, "Content-Type": "application/json"})
                t = time.perf_counter()
                urllib.request.urlopen(request).read()
                checks.append(time.perf_counter() - t)
        assert page
        process.send_signal(signal.SIGINT)
        process.wait(30)
    return statistics.median(starts), statistics.median(checks) * 1000


def startup_seconds(out: Path, repeat: int) -> tuple[float, float]:
    """(f): one ``xxgk build`` of the example as a new process, and the bare import of its
    libraries, each the median of ``repeat`` runs, taken in turn so load changes hit both."""
    build = [sys.executable, "-m", "xxgk", "build", str(EXAMPLE), "-o", str(out)]
    bare = [sys.executable, "-c", BARE_IMPORT]
    # Both read compiled bytecode, as an installed xxgk and its libraries do (pip compiles them):
    # with PYTHONDONTWRITEBYTECODE set, an editable xxgk would be compiled from source every run
    # while the libraries' .pyc files are read. The cache lives beside the output, not in src/.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(out.parent / "pycache")

    def run(command: list[str]) -> float:
        return median_seconds(
            lambda: subprocess.run(command, check=True, capture_output=True, env=env), 1)

    run(build)  # bytecode and the per-user caches (compiled template, workbook skeleton) made
    run(bare)
    builds, bares = [], []
    for _ in range(repeat):
        builds.append(run(build))
        bares.append(run(bare))
    return statistics.median(builds), statistics.median(bares)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="number of synthetic organs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--audit-n", type=int, default=None,
                        help="reports in the audit figure (default 5 × N: 1,000 for N=200)")
    parser.add_argument("--only-audit", action="store_true", help="measure (i) alone")
    parser.add_argument("--only-startup", action="store_true", help="measure (f) alone")
    parser.add_argument("--pdf-n", type=int, default=200, help="reports in (k), at most N")
    parser.add_argument("--only-build", action="store_true",
                        help="measure (a), (b) and (c) alone (the batch build's lines)")
    args = parser.parse_args()
    args.audit_n = args.audit_n or 5 * args.n
    if args.only_audit:
        seconds = audit_seconds(args.audit_n, max(1, args.repeat))
        print(f"  {'(i) xxgk audit, paired, .xlsx':<38} {seconds:9.2f} s          "
              f"{args.audit_n} reports (target ≤ {TARGETS['i']:.0f} s)")
        return
    if args.only_startup:
        with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as work_dir:
            f, bare = startup_seconds(Path(work_dir) / "f", max(5, args.repeat))
        print(f"  {'(f) one xxgk build, new process':<38} {f:9.3f} s          "
              f"bare import of its libraries {bare:.3f} s: {f / bare:.1f}× "
              f"(target ≤ {TARGETS['f/bare']}×)")
        return
    n, repeat = args.n, max(1, args.repeat)

    from docxtpl import DocxTemplate

    from xxgk.api import check_file
    from xxgk.build import build_many
    from xxgk.bulk import import_many
    from xxgk.render.docx import default_template
    from xxgk.render.docx.context import build_context

    base = load(EXAMPLE)
    reports = [synthetic(i, base) for i in range(n)]
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    data = work / "data"
    data.mkdir()
    paths = []
    for i, report in enumerate(reports):
        path = data / f"organ{i:04d}.yaml"
        path.write_text(dump_report(report), encoding="utf-8")
        paths.append(path)
    texts = work / "txt"
    texts.mkdir()
    paste = PASTE.read_text(encoding="utf-8")
    txt_paths = []
    for i in range(n):
        path = texts / f"report{i:04d}.txt"
        path.write_text(paste.replace("晋江市永和镇", f"测试县第{i:04d}镇"), encoding="utf-8")
        txt_paths.append(path)

    template = default_template()

    def naive() -> None:
        for report in reports:
            document = DocxTemplate(str(template))
            document.render(build_context(report), autoescape=True)
            document.save(io.BytesIO())

    figures: dict[str, float] = {}
    a = median_seconds(naive, repeat)
    run = 0

    def batch_docx() -> None:
        nonlocal run
        run += 1
        build_many(paths, work / f"b{run}", formats=("docx",), jobs=1)

    b = median_seconds(batch_docx, repeat)
    c_times, c_peaks = [], []
    for k in range(repeat):
        command = [sys.executable, "-m", "xxgk", "build", *map(str, paths),
                   "-o", str(work / f"c{k}"), "--jobs", "2"]
        seconds, peak = run_with_peak_memory(command)
        c_times.append(seconds)
        c_peaks.append(peak)
    c, memory = statistics.median(c_times), max(c_peaks)
    if args.only_build:
        print_build_figures(n, repeat, n / a, n / b, n / c, memory)
        return
    d = median_seconds(lambda: [check_file(p) for p in paths], repeat)
    e_run = 0

    def import_txt() -> None:
        nonlocal e_run
        e_run += 1
        import_many(txt_paths, work / f"e{e_run}")

    e = median_seconds(import_txt, repeat)
    f, bare = startup_seconds(work / "f", max(repeat, 3))

    g_one, g_many = diff_of_a_long_paragraph(base, repeat)

    figures = {"a": n / a, "b": n / b, "c": n / c, "d": n / d, "e": n / e}
    print(f"xxgk benchmark: N={n}, median of {repeat}; {platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    rows = [
        *build_rows(figures["a"], figures["b"], figures["c"], memory),
        ("(d) xxgk check", figures["d"], "files/s", f"target ≥ {TARGETS['d']:.0f}/s"),
        ("(e) import .txt", figures["e"], "reports/s", f"target ≥ {TARGETS['e']:.0f}/s"),
    ]
    for name, value, unit, note in rows:
        print(f"  {name:<38} {value:9.1f} {unit:<10} {note}")
    print(f"  {'(f) one xxgk build, new process':<38} {f:9.3f} s          "
          f"bare import of its libraries {bare:.3f} s: {f / bare:.1f}× "
          f"(target ≤ {TARGETS['f/bare']}×)")
    print(f"  {'(g) diff, 1 MB paragraph, 1 change':<38} {g_one:9.3f} s          "
          f"target ≤ {TARGETS['g']} s; every 100th clause changed: {g_many:.3f} s")
    h, check_ms = serve_figures(work, repeat)
    print(f"  {'(h) xxgk serve, command to first page':<38} {h:9.3f} s          "
          f"target ≤ {TARGETS['h']} s; one live check {check_ms:.0f} ms")
    i = audit_seconds(args.audit_n, repeat)
    print(f"  {'(i) xxgk audit, paired, .xlsx':<38} {i:9.2f} s          "
          f"{args.audit_n} reports (target ≤ {TARGETS['i']:.0f} s)")
    pdf_batch(paths[: args.pdf_n], work)
    import_speed_per_kind(repeat)


def build_rows(
    a: float, b: float, c: float, memory: float
) -> list[tuple[str, float, str, str]]:
    """The lines (a), (b), (c): name, rate, unit, note."""
    return [
        ("(a) naive docxtpl, docx", a, "reports/s", ""),
        ("(b) xxgk batch, docx, 1 process", b, "reports/s",
         f"(b)/(a) = {b / a:.1f}× (target ≥ {TARGETS['b/a']:.0f}×)"),
        ("(c) xxgk build --jobs 2, docx+xlsx", c, "reports/s",
         f"(c)/(a) = {c / a:.1f}× (target ≥ {TARGETS['c/a']:.0f}× at "
         f"N = 1 000); peak memory {memory:.0f} MB PSS (target ≤ {TARGETS['memory']:.0f})"),
    ]


def print_build_figures(
    n: int, repeat: int, a: float, b: float, c: float, memory: float
) -> None:
    """``--only-build``: the batch build's three lines."""
    print(f"xxgk benchmark (build lines only): N={n}, median of {repeat}; "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    for name, value, unit, note in build_rows(a, b, c, memory):
        print(f"  {name:<38} {value:9.1f} {unit:<10} {note}")


def pdf_batch(paths: list[Path], work: Path) -> None:
    """(k) `build --pdf` of a batch, one LibreOffice per job, beside one for the batch."""
    from xxgk.build import build_many
    from xxgk.render.pdf.convert import pdf_available

    if not paths or not pdf_available():
        print("  (k) build --pdf: LibreOffice not installed, not measured")
        return
    rates = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        build_many(paths, work / f"k{jobs}", formats=("docx", "pdf"), jobs=jobs)
        rates[jobs] = len(paths) / (time.perf_counter() - start)
    print(f"  {'(k) build --pdf, ' + str(len(paths)) + ' reports':<38} {rates[2]:9.2f} reports/s "
          f"with --jobs 2; {rates[1]:.2f}/s with one LibreOffice ({rates[2] / rates[1]:.1f}×)")


REAL = ROOT / "tests" / "data" / "real"
_KINDS = {  # how a corpus file's name ends → the kind of published source
    ".fragment.html": "网页片段", ".html": "网页", ".md": "markdown", ".crawler.txt": "爬虫文本",
    ".pdftotext.txt": "pdftotext", ".pdftotext-layout.txt": "pdftotext -layout",
    ".pdftotext-raw.txt": "pdftotext -raw", ".pdf": "PDF", ".doc": ".doc（一次启动 LibreOffice）",
    ".txt": "粘贴文本",
}


def import_speed_per_kind(repeat: int) -> None:
    """(j) The import of the real reports of tests/data/real/, per kind: reports/s, PDF pages/s."""
    import pikepdf

    from xxgk.importers import import_source, oldword

    by_kind: dict[str, list[Path]] = {}
    for path in sorted(REAL.iterdir()):
        matches = [k for k in _KINDS if path.name.endswith(k)]
        if matches and path.stem != "README":
            by_kind.setdefault(_KINDS[max(matches, key=len)], []).append(path)
    print("  (j) import of the real reports (tests/data/real), per kind:")
    for kind, paths in by_kind.items():
        def run(paths: list[Path] = paths) -> None:
            with oldword.batch(paths):  # .doc: one LibreOffice start for the kind's files
                for path in paths:
                    import_source(path)

        seconds = median_seconds(run, repeat)
        note = ""
        if kind == "PDF":
            pages = 0
            for path in paths:
                with pikepdf.open(path) as pdf:
                    pages += len(pdf.pages)
            # pdfium's characters, pdfplumber's table geometry (scripts/compare_pdf_libraries.py)
            note = (f"{pages / seconds:.1f} pages/s "
                    f"(target ≥ {TARGETS['pdf-pages']:.0f} pages/s, pdfium)")
        print(f"      {kind:<32} {len(paths) / seconds:9.1f} reports/s  {note}")


if __name__ == "__main__":
    main()
