"""The form server against hostile or unlucky clients (issue 19 items 4–8): a save from another
tab is asked about, downloads serve what 生成 wrote, every connection and body is bounded, any JSON
is an answer (never a traceback), and no text can break the page's data element."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web_support import request, running
from xxgk.api import load_source
from xxgk.web import server as server_module
from xxgk.web.form import form_to_report, report_to_form
from xxgk.web.page import render_page
from xxgk.web.state import FormState

STEM = "晋江市永和镇2021年政府信息公开工作年度报告"


def _form(path: Path, version: str | None = None) -> dict[str, Any]:
    form = report_to_form(load_source(path)[0])
    if version is not None:
        form["version"] = version
    return form


# ---------------------------------------------------------------- two tabs


def test_a_save_from_another_tab_is_asked_about_not_overwritten(
    example_copy: Path, tmp_path: Path
) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    first, second = state.initial(), state.initial()  # two tabs open the same file
    assert first["version"] == second["version"] != ""
    tab_a = _form(example_copy, first["version"])
    tab_a["fields"]["t2.licensing"] = "5"
    saved = state.save(tab_a).body
    assert saved["saved"] is True
    after_a = example_copy.read_bytes()

    tab_b = _form(example_copy, second["version"])
    tab_b["fields"]["t2.punishment"] = "7"
    refused = state.save(tab_b).body
    assert refused["saved"] is False
    assert refused["conflict"] is True
    assert "另一个页面" in refused["message"]
    assert example_copy.read_bytes() == after_a  # tab A's edit is still the file

    built = state.build(tab_b, ()).body  # 生成 saves first: asked the same way
    assert built["saved"] is False
    assert built["built"] is False
    assert example_copy.read_bytes() == after_a

    tab_b["overwrite"] = True  # the clerk answered: replace it
    forced = state.save(tab_b).body
    state.close()
    assert forced["saved"] is True
    assert load_source(example_copy)[0].table2.punishment == 7
    kept = list((example_copy.parent / ".history").glob("example.*.yaml"))
    assert after_a in [k.read_bytes() for k in kept]  # tab A's version kept, not lost


def test_the_page_keeps_saving_with_the_version_it_saved(example_copy: Path, tmp_path: Path) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    version = state.initial()["version"]
    for value in ("1", "2", "3"):
        form = _form(example_copy, version)
        form["fields"]["t2.licensing"] = value
        body = state.save(form).body
        assert body["saved"] is True, body
        version = body["version"]
    state.close()
    assert load_source(example_copy)[0].table2.licensing == 3


def test_an_edit_on_disk_is_a_conflict_too(example_copy: Path, tmp_path: Path) -> None:
    state = FormState.open(example_copy, tmp_path / "out", None)
    version = state.initial()["version"]
    example_copy.write_text(example_copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    body = state.save(_form(example_copy, version)).body
    state.close()
    assert body["conflict"] is True
    assert body["saved"] is False


# ---------------------------------------------------------------- downloads


def test_a_download_serves_what_was_built_or_refuses(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not for the browser")
    with running(example_copy, out) as server:
        token = server.token
        built = request(server, "POST", "/api/build", _form(example_copy),
                        {"x-xxgk-token": token, "content-type": "application/json"}).json()
        assert built["built"] is True
        docx = out / f"{STEM}.docx"
        name = quote(f"{STEM}.docx")
        served = request(server, "GET", f"/download/{name}?token={token}")
        assert served.status == 200
        assert served.body == docx.read_bytes()
        # A link planted where the document was: refused, the file it points to never sent.
        docx.unlink()
        docx.symlink_to(secret)
        planted = request(server, "GET", f"/download/{name}?token={token}")
        assert planted.status == 409
        assert b"not for the browser" not in planted.body
        # Other bytes in its place: refused too.
        docx.unlink()
        docx.write_bytes(b"PK other bytes")
        assert request(server, "GET", f"/download/{name}?token={token}").status == 409


# ---------------------------------------------------------------- bounds


def _closed_within(port: int, seconds: float, send: bytes = b"", every: float = 0.0) -> float:
    """Seconds until the server closes a connection that sends ``send`` a byte at a time."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=seconds + 5) as sock:
        for byte in send:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return time.monotonic() - start
            time.sleep(every)
            if time.monotonic() - start > seconds + 5:
                break
        sock.settimeout(seconds + 5)
        try:
            while sock.recv(1024):
                pass
        except TimeoutError:
            return float("inf")
        except OSError:
            pass
    return time.monotonic() - start


def test_silent_and_slow_connections_are_closed(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "HEADER_TIMEOUT", 1.0)
    with running(example_copy, tmp_path / "out") as server:
        assert _closed_within(server.port, 1.0) < 4  # connects and says nothing
        slow = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
        assert _closed_within(server.port, 1.0, slow, every=0.1) < 4  # headers one byte at a time
        ok = request(server, "GET", f"/?token={server.token}")
        assert ok.status == 200  # the server still answers


def test_headers_and_bodies_are_bounded(example_copy: Path, tmp_path: Path) -> None:
    with running(example_copy, tmp_path / "out") as server:
        headers = {"x-xxgk-token": server.token, "content-type": "application/json",
                   "x-padding": "a" * (server_module.MAX_HEADER_BYTES + 10)}
        try:
            status = request(server, "POST", "/api/check", {}, headers).status
        except OSError:  # closed before an answer
            status = 0
        assert status in (0, 400, 431)
        big = b"{" + b" " * (33 * 1024 * 1024) + b"}"
        try:  # refused from its declared length: the server may close before reading it all
            status = request(server, "POST", "/api/check", big, {
                "x-xxgk-token": server.token, "content-type": "application/json"}).status
        except OSError:
            status = 0
        assert status in (0, 400)
        assert request(server, "GET", f"/?token={server.token}").status == 200


# ---------------------------------------------------------------- any JSON is an answer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(st.sampled_from(["fields", "subsections", "format", "version",
                                             "overwrite", "x"]), json_values, max_size=6),
       fields=st.dictionaries(st.sampled_from(["organ", "year", "date", "t2.fees",
                                               "t3.new.0", "intro", "t4.review.0"]),
                              json_values, max_size=7))
def test_any_json_form_is_read_or_refused_never_a_crash(
    example_report: Any, form: dict[str, Any], fields: dict[str, Any]
) -> None:
    posted = {**report_to_form(example_report), **form}
    if isinstance(posted.get("fields"), dict):
        posted["fields"] = {**posted["fields"], **fields}
    try:
        report, problems = form_to_report(posted, 2000)
    except ValueError:
        return  # the server answers 「表单数据不完整」 (400)
    assert all(f.location.parts for f in problems)
    assert report.year >= 1900


@pytest.mark.parametrize("depth", [50, 5_000, 200_000])
def test_deeply_nested_json_is_a_bad_request(
    example_copy: Path, tmp_path: Path, depth: int
) -> None:
    with running(example_copy, tmp_path / "out") as server:
        headers = {"x-xxgk-token": server.token, "content-type": "application/json"}
        nested = b'{"fields": ' + b"[" * depth + b"]" * depth + b"}"
        for action in ("check", "save"):
            reply = request(server, "POST", f"/api/{action}", nested, headers)
            assert reply.status in (200, 400)
            assert "message" in reply.json() or "findings" in reply.json()
        assert request(server, "GET", f"/?token={server.token}").status == 200


def test_a_five_thousand_digit_count_is_a_finding_not_refresh(
    example_copy: Path, tmp_path: Path
) -> None:
    with running(example_copy, tmp_path / "out") as server:
        form = _form(example_copy)
        form["fields"]["t3.new.0"] = "9" * 5000
        form["fields"]["t2.fees"] = "1e999999999"
        headers = {"x-xxgk-token": server.token, "content-type": "application/json"}
        reply = request(server, "POST", "/api/check", form, headers)
        assert reply.status == 200
        targets = {f["target"]: f["message"] for f in reply.json()["findings"]}
        assert "数字太长" in targets["t3.new.0"]
        assert "科学计数法" in targets["t2.fees"] or "万元" in targets["t2.fees"]


# ---------------------------------------------------------------- the page's data element

_DATA = re.compile(r'<script type="application/json" id="initial">(.*?)</script>', re.S)


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.sampled_from("<>!-/&'\"scriptSCRIPT\u2028 a中"), max_size=40))
def test_no_text_can_end_or_change_the_data_element(example_report: Any, text: str) -> None:
    form = report_to_form(example_report)
    form["fields"]["organ"] = text
    form["fields"]["intro"] = f"<!--<script>{text}"
    initial = {"form": form, "file": text, "previous": None}
    page = render_page("tok", initial)
    [data] = _DATA.findall(page)
    assert "<" not in data  # no tag, comment or script-state change can start inside it
    assert json.loads(data) == initial
