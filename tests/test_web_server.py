"""`xxgk serve`'s server: loopback only, foreign Host/Origin refused, nothing changes without
the token; saving keeps history, building gives what `xxgk build` gives, importing fills the form."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import xxgk
from tests.web_support import request, running
from xxgk.api import load_source
from xxgk.render.pdf.convert import pdf_available
from xxgk.web.form import report_to_form
from xxgk.web.state import FormState

Run = Callable[..., Result]
STEM = "晋江市永和镇2021年政府信息公开工作年度报告"


def _form(path: Path) -> dict[str, object]:
    return report_to_form(load_source(path)[0])


def test_a_foreign_host_is_refused(example_copy: Path, tmp_path: Path) -> None:
    with running(example_copy, tmp_path / "out") as server:
        token = {"X-Xxgk-Token": server.token, "Content-Type": "application/json"}
        page = f"/?token={server.token}"
        assert request(server, "GET", page).status == 200
        assert request(server, "GET", page, host=f"localhost:{server.port}").status == 200
        # DNS rebinding: the attacker's name resolves to 127.0.0.1, the browser sends its Host.
        for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1"):
            assert request(server, "GET", page, host=host).status == 403
            reply = request(server, "POST", "/api/save", _form(example_copy), token, host=host)
            assert reply.status == 403
            assert "Host" in reply.json()["message"]


def test_a_cross_site_origin_is_refused(example_copy: Path, tmp_path: Path) -> None:
    before = example_copy.read_bytes()
    with running(example_copy, tmp_path / "out") as server:
        headers = {"X-Xxgk-Token": server.token, "Origin": "https://evil.example"}
        form = _form(example_copy)
        form["fields"]["organ"] = "改过的"  # type: ignore[index]
        assert request(server, "POST", "/api/save", form, headers).status == 403
        own = {"X-Xxgk-Token": server.token, "Origin": f"http://127.0.0.1:{server.port}"}
        assert request(server, "POST", "/api/check", form, own).status == 200
    assert example_copy.read_bytes() == before


def test_nothing_changes_without_the_token(example_copy: Path, tmp_path: Path) -> None:
    before = example_copy.read_bytes()
    out = tmp_path / "out"
    with running(example_copy, out) as server:
        form = _form(example_copy)
        form["fields"]["organ"] = "改过的"  # type: ignore[index]
        for path in ("/api/save", "/api/build", "/api/check", "/api/previous", "/api/open"):
            for headers in ({}, {"X-Xxgk-Token": "guess"}, {"X-Xxgk-Token": ""}):
                reply = request(server, "POST", path, form, headers)
                assert reply.status == 403, path
                assert "令牌" in reply.json()["message"]
        refused = request(server, "GET", "/")
        assert refused.status == 403
        assert "xxgk serve 启动时打印的地址" in refused.body.decode("utf-8")
        assert request(server, "GET", "/?token=guess").status == 403
        assert request(server, "GET", "/static/app.js").status == 200  # no secret, no change
    assert example_copy.read_bytes() == before
    assert not out.exists()


def test_replies_forbid_framing_and_outside_scripts(example_copy: Path, tmp_path: Path) -> None:
    with running(example_copy, tmp_path / "out") as server:
        connection = urllib.request.urlopen(server.url, timeout=30)
        policy = connection.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy
        assert connection.headers["Referrer-Policy"] == "no-referrer"


def test_save_writes_the_data_file_and_keeps_the_earlier_one(
    example_copy: Path, tmp_path: Path
) -> None:
    before = example_copy.read_bytes()
    with running(example_copy, tmp_path / "out") as server:
        form = _form(example_copy)
        form["fields"]["t3.new.0"] = "4"  # type: ignore[index]
        form["fields"]["t3.granted.0"] = "4"  # type: ignore[index]
        headers = {"X-Xxgk-Token": server.token}
        reply = request(server, "POST", "/api/save", form, headers).json()
    assert reply["saved"] is True
    assert [f["code"] for f in reply["findings"] if f["severity"] == "error"] == []
    saved = load_source(example_copy)[0]
    assert saved.table3.row("new").cells[0] == 4
    kept = list((example_copy.parent / ".history").glob("example.*.yaml"))
    assert [k.read_bytes() for k in kept] == [before]


def test_save_refuses_unreadable_input(example_copy: Path, tmp_path: Path) -> None:
    before = example_copy.read_bytes()
    state = FormState.open(example_copy, tmp_path / "out", None)
    form = _form(example_copy)
    form["fields"]["t3.new.0"] = "三"  # type: ignore[index]
    answer = state.save(form).body
    state.close()
    assert answer["saved"] is False
    assert "无法识别" in answer["message"]
    assert any(f["target"] == "t3.new.0" for f in answer["findings"])
    assert example_copy.read_bytes() == before


def test_build_gives_what_xxgk_build_gives(xxgk: Run, example_copy: Path, tmp_path: Path) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    answer = state.build(_form(example_copy)).body
    assert answer["built"] is True, answer
    assert [o["name"] for o in answer["outputs"]] == [f"{STEM}.docx", f"{STEM}.xlsx"]
    assert (tmp_path / "out" / "manifest.json").exists()
    served = state.output(f"{STEM}.docx")
    assert state.output("manifest.json") is None  # only what the build wrote is offered
    state.close()
    assert xxgk("build", example_copy, "-o", tmp_path / "cli").exit_code == 0
    assert served is not None
    assert served == (tmp_path / "cli" / f"{STEM}.docx").read_bytes()


def test_build_stops_at_errors(example_copy: Path, tmp_path: Path) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    form = _form(example_copy)
    form["fields"]["t3.new.0"] = "2"  # type: ignore[index]
    answer = state.build(form).body
    state.close()
    assert answer["saved"] is True  # a draft with errors is kept …
    assert answer["built"] is False  # … but not built
    assert any(f["target"] == "t3-col-0" and f["severity"] == "error" for f in answer["findings"])
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) is not installed")
def test_build_adds_the_pdf_when_libreoffice_is_there(example_copy: Path, tmp_path: Path) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    answer = state.build(_form(example_copy), ["pdf"]).body
    state.close()
    assert f"{STEM}.pdf" in [o["name"] for o in answer["outputs"]]


def test_open_imports_our_workbook_and_previous_checks_carry_over(
    example_copy: Path, tmp_path: Path
) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    assert state.build(_form(example_copy)).body["built"]
    workbook = tmp_path / "out" / f"{STEM}.xlsx"
    opened = state.open_file("上年.xlsx", workbook.read_bytes()).body
    assert opened["form"] == _form(example_copy)

    nxt = _form(example_copy)
    nxt["fields"]["year"] = "2022"  # type: ignore[index]
    nxt["fields"]["t3.carried_in.0"] = "1"  # type: ignore[index]
    assert state.choose_previous("2021.yaml", example_copy.read_bytes()).body["previous"]
    codes = {(f["code"], f["target"]) for f in state.check(nxt).body["findings"]}
    assert ("carryover/mismatch", "t3.carried_in.0") in codes

    refused = state.open_file("报告.exe", b"MZ")
    assert refused.bad_request
    assert "只能打开" in refused.body["message"]
    state.close()


def test_serve_refuses_what_is_not_a_master(xxgk: Run, tmp_path: Path) -> None:
    published = tmp_path / "a.docx"
    published.write_bytes(b"PK")
    result = xxgk("serve", published, "--no-browser")
    assert result.exit_code == 1
    assert "只能编辑数据文件（.yaml）或本工具的填写用工作簿（.xlsx）" in result.output
    assert "「打开…」导入" in result.output
    assert not list(tmp_path.glob(".*xxgk-edit"))  # refused before any lock is taken


def test_serve_refuses_a_workbook_that_is_not_ours(xxgk: Run, tmp_path: Path) -> None:
    workbook = tmp_path / "a.xlsx"
    workbook.write_bytes(b"PK")
    result = xxgk("serve", workbook, "--no-browser")
    assert result.exit_code == 1
    assert "无法打开工作簿「a.xlsx」" in result.output
    assert not list(tmp_path.glob(".*xxgk-edit"))  # the lock went with the refusal


def test_serve_refuses_a_broken_data_file(xxgk: Run, tmp_path: Path) -> None:
    broken = tmp_path / "a.yaml"
    broken.write_text("机关名称: [\n", encoding="utf-8")
    result = xxgk("serve", broken, "--no-browser")
    assert result.exit_code == 1
    assert str(broken) in result.output


def test_serve_help_is_chinese(xxgk: Run) -> None:
    result = xxgk("serve", "--help")
    assert "xxgk serve 2025.xlsx --previous 2024.xlsx" in result.output
    assert "同一文件同时只能在一个表单中编辑" in result.output
    assert "不自动打开浏览器" in result.output


def test_serve_prints_its_url_first_and_answers_on_loopback(
    example_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(example_copy, tmp_path / "r.yaml")
    # The same xxgk as this test's, whatever the working folder.
    package_root = str(Path(xxgk.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "serve", "r.yaml", "--no-browser"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert "?token=" in url
        with urllib.request.urlopen(url, timeout=30) as page:
            assert "表三" in page.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT if os.name != "nt" else signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err


def test_save_keeps_the_notes_at_the_top(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    draft = tmp_path / "2022.yaml"
    assert xxgk("init", draft, "--from", example_path).exit_code == 0
    notes = [line for line in draft.read_text(encoding="utf-8").splitlines()[:6] if "上年" in line]
    assert notes
    state = FormState.open(draft, tmp_path / "out", None)
    form = _form(draft)
    form["fields"]["t3.new.0"] = "1"  # type: ignore[index]
    form["fields"]["t3.granted.0"] = "1"  # type: ignore[index]
    assert state.save(form).body["saved"]
    state.close()
    text = draft.read_text(encoding="utf-8")
    assert all(note in text for note in notes)
    assert text.count("# 填写说明") == 1
    assert load_source(draft)[0].table3.row("new").cells[0] == 1


def test_save_says_when_the_file_changed_on_disk(example_copy: Path, tmp_path: Path) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    form = _form(example_copy)
    form["fields"]["t2.licensing"] = "7"  # type: ignore[index]
    assert state.save(form).body["elsewhere"] is False
    edited = example_copy.read_text(encoding="utf-8").replace("行政许可: 7", "行政许可: 8")
    example_copy.write_text(edited, encoding="utf-8")  # an editor, meanwhile
    form["fields"]["t2.licensing"] = "9"  # type: ignore[index]
    answer = state.save(form).body
    state.close()
    assert answer["elsewhere"] is True
    kept = [p.read_text(encoding="utf-8") for p in (example_copy.parent / ".history").iterdir()]
    assert edited in kept


def test_open_imports_a_published_report(example_copy: Path, tmp_path: Path) -> None:
    published = Path(__file__).parent / "data" / "yonghe-2021.txt"
    state = FormState.open(example_copy, tmp_path / "out", None)
    opened = state.open_file(published.name, published.read_bytes()).body
    state.close()
    assert opened["form"]["fields"]["organ"] == "晋江市永和镇"
    assert opened["form"]["fields"]["t3.new.0"] == _form(example_copy)["fields"]["t3.new.0"]  # type: ignore[index]


def test_a_form_the_loader_would_refuse_is_checked_but_not_saved(tmp_path: Path) -> None:
    state = FormState.open(tmp_path / "new.yaml", tmp_path / "out", None)
    form = state.initial()["form"]
    assert form["fields"]["organ"] == ""
    findings = state.check(form).body["findings"]
    codes = {(f["target"], f["severity"]) for f in findings}
    assert ("organ", "error") in codes
    assert ("sub-0", "warning") in codes  # the other checks still speak
    answer = state.save(form).body
    state.close()
    assert answer["saved"] is False
    assert "必填" in answer["message"]
    assert not (tmp_path / "new.yaml").exists()


def test_without_a_data_file_the_first_save_names_it(
    example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "晋江市永和镇2021.yaml").write_text("# someone else's\n", encoding="utf-8")
    state = FormState.open(None, tmp_path / "out", None)
    form = _form(example_path)
    refused = state.save(form).body
    assert refused["saved"] is False
    assert "已有母本" in refused["message"]
    form["fields"]["year"] = "2022"  # type: ignore[index]
    first = state.save(form).body
    form["fields"]["t2.licensing"] = "3"  # type: ignore[index]
    second = state.save(form).body
    state.close()
    assert first["file"] == second["file"] == "晋江市永和镇2022.yaml"
    assert load_source(tmp_path / "晋江市永和镇2022.yaml")[0].table2.licensing == 3
    assert (tmp_path / "晋江市永和镇2021.yaml").read_text(encoding="utf-8") == "# someone else's\n"


def test_an_oversized_upload_is_refused(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xxgk.web.app

    monkeypatch.setattr(xxgk.web.app, "MAX_UPLOAD", 1000)
    with running(example_copy, tmp_path / "out") as server:
        headers = {"X-Xxgk-Token": server.token, "X-Xxgk-Filename": "a.yaml"}
        assert request(server, "POST", "/api/open", b"#" * 1001, headers).status == 413
        reply = request(server, "POST", "/api/open", example_copy.read_bytes()[:900], headers)
        assert reply.status in (200, 400)  # read (and judged), not refused for its size


def test_previous_given_at_start_checks_the_carry_over(example_path: Path, tmp_path: Path) -> None:
    state = FormState.open(tmp_path / "2022.yaml", tmp_path / "out", example_path)
    assert state.initial()["previous"] == "晋江市永和镇2021年（example.yaml）"
    form = _form(example_path)
    form["fields"]["year"] = "2022"  # type: ignore[index]
    form["fields"]["t3.carried_in.5"] = "2"  # type: ignore[index]
    findings = state.check(form).body["findings"]
    state.close()
    assert any(
        f["code"] == "carryover/mismatch" and f["target"] == "t3.carried_in.5" for f in findings
    )


def test_opening_a_report_with_printed_totals_says_what_they_said(
    example_copy: Path, tmp_path: Path
) -> None:
    text = example_copy.read_text(encoding="utf-8")
    # A 7th number is a stated 总计 (here a wrong one: the cells add up to 0).
    wrong = text.replace("本年新收: [0, 0, 0, 0, 0, 0]", "本年新收: [0, 0, 0, 0, 0, 0, 3]")
    state = FormState.open(example_copy, tmp_path / "out", None)
    findings = state.open_file("a.yaml", wrong.encode("utf-8")).body["findings"]
    plain = state.open_file("b.yaml", text.encode("utf-8")).body["findings"]
    state.close()
    codes = {(f["code"], f["target"]) for f in findings}
    assert ("t3/stated-total", "t3-new-total") in codes
    assert ("web/stated-totals", None) in codes
    assert not any(f["code"] == "web/stated-totals" for f in plain)


def test_serve_on_a_folder_opens_the_default_browser_on_its_form(tmp_path: Path) -> None:
    # What 启动.bat runs: `python -m xxgk serve FOLDER`; the default browser is whatever
    # $BROWSER names here (webbrowser's own rule), a script that writes down the address.
    folder = tmp_path / "政务公开年报"
    folder.mkdir()
    seen = tmp_path / "seen.txt"
    opener = tmp_path / "open-browser"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{seen}"\n', encoding="utf-8")
    opener.chmod(0o755)
    package_root = str(Path(xxgk.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "BROWSER": str(opener),
        "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "serve", str(folder)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8", env=env,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        for _ in range(300):
            if seen.exists() and seen.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        assert seen.read_text(encoding="utf-8") == url
        with urllib.request.urlopen(url, timeout=30) as page:
            html = page.read().decode("utf-8")
        assert "还没有报告" in html
        assert str(folder / "机关名称+年度.xlsx") in html
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    assert not list(folder.iterdir())  # nothing written before the clerk saves; the lock gone
