"""The HTTP side of ``xxgk serve``: a small Starlette application guarded for a loopback server.

Safe by default: every request must name the local address in ``Host`` (a DNS-rebinding page
names its own domain) and, when the browser sends one, in ``Origin`` (a cross-site form or
fetch); every state-changing request and every page or document carries the per-start token.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import secrets
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from xxgk.errors import XxgkError
from xxgk.render.pdf.convert import pdf_available
from xxgk.web.page import render_page
from xxgk.web.state import Answer, FormState

MAX_UPLOAD = 32 * 1024 * 1024  # a published report with pictures stays far below this
BODY_TIMEOUT = 120.0  # seconds a body may take to arrive (32 MB at 2 Mbit/s)
TOKEN_HEADER = "x-xxgk-token"
SECURITY_HEADERS = {
    # Nothing but this server's own files; no framing (clickjacking), no referrer (the token).
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class Guard:
    """Refuse foreign Host/Origin headers (403) and state changes without the token (403)."""

    def __init__(self, app: ASGIApp, port: int, token: str) -> None:
        self.app = app
        self.token = token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    def refusal(self, scope: Scope) -> str | None:
        """Why this request is refused, or None."""
        headers = Headers(scope=scope)
        if headers.get("host", "").lower() not in self.hosts:
            return "拒绝：请求的 Host 不是本机地址"
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return "拒绝：跨站请求"
        path: str = scope["path"]
        if path.startswith("/static/"):
            return None  # the page's own script and style: nothing secret, nothing changed
        if scope["method"] in ("GET", "HEAD"):
            given = QueryParams(scope.get("query_string", b"").decode("latin-1")).get("token", "")
        else:
            given = headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return "拒绝：缺少或错误的令牌；请使用 xxgk serve 启动时打印的地址"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = self.refusal(scope)
        if reason is not None:
            response: Response = JSONResponse(
                {"message": reason}, status_code=403, headers=SECURITY_HEADERS
            )
            if scope["method"] == "GET" and scope["path"] == "/":  # a person at the address bar
                page = f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><p>{reason}</p>'
                response = HTMLResponse(page, status_code=403, headers=SECURITY_HEADERS)
            await response(scope, receive, send)
            return

        async def send_secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                raw += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_secured)


async def _body(request: Request) -> bytes | None:
    """The request's body, or None when it is larger than any report (whatever it declares) or
    takes longer than BODY_TIMEOUT seconds to arrive."""
    declared = request.headers.get("content-length") or "0"
    if not declared.isdigit() or len(declared) > 12 or int(declared) > MAX_UPLOAD:
        return None
    data = bytearray()

    async def gather() -> bool:
        async for chunk in request.stream():
            data.extend(chunk)
            if len(data) > MAX_UPLOAD:
                return False
        return True

    try:
        complete = await asyncio.wait_for(gather(), BODY_TIMEOUT)
    except asyncio.TimeoutError:
        return None
    return bytes(data) if complete else None


async def _json_body(request: Request) -> dict[str, Any] | None:
    data = await _body(request)
    try:
        body = json.loads(data) if data is not None else None
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return None
    return body if isinstance(body, dict) else None


def _reply(answer: Answer) -> JSONResponse:
    return JSONResponse(answer.body, status_code=400 if answer.bad_request else 200)


def _bad(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


def create_app(state: FormState, port: int, token: str) -> ASGIApp:
    """The application serving one data file's form."""

    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(render_page(token, state.initial()))

    def with_form(action: str) -> Any:
        async def endpoint(request: Request) -> Response:
            form = await _json_body(request)
            if form is None:
                return _bad("请求内容不是表单数据")
            try:
                if action == "check":
                    answer = await _in_thread(state.check, form)
                elif action == "save":
                    answer = await _in_thread(state.save, form)
                else:
                    asked = request.query_params.get("kinds", "")
                    kinds = [k for k in asked.split(",") if k]
                    pdf, why_not = _pdf_possible()
                    if "pdf" in kinds and not pdf:
                        kinds.remove("pdf")  # the documents still; the PDF's reason said
                    answer = await _in_thread(state.build, form, kinds)
                    if why_not and answer.body.get("built"):
                        answer.body["message"] = f"未生成 PDF：{why_not}"
            except ValueError:
                return _bad("表单数据不完整，请刷新页面")
            except XxgkError as exc:  # anything the library refuses is said, never a 500
                return _bad("；".join(f.message for f in exc.findings[:3]) or str(exc))
            if action == "build" and answer.body.get("built"):
                for output in answer.body["outputs"]:
                    output["url"] = f"/download/{quote(output['name'])}?token={token}"
            return _reply(answer)

        return endpoint

    def with_upload(action: str) -> Any:
        async def endpoint(request: Request) -> Response:
            name = unquote(request.headers.get("x-xxgk-filename", ""))
            data = await _body(request)
            if data is None:
                return _bad("文件过大（最多 32 MB）或传输超时", 413)
            if not name:
                return _bad("没有收到文件")
            handler = state.open_file if action == "open" else state.choose_previous
            return _reply(await _in_thread(handler, name, data))

        return endpoint

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in state.outputs:
            return _bad("没有这个文件；请先点「生成」", 404)
        data = await _in_thread_bytes(state.output, name)
        if data is None:
            return _bad("文件在生成后被改动、替换或换成了链接，未下载；请重新点「生成」", 409)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        disposition = f"attachment; filename*=utf-8''{quote(name)}"
        return Response(data, media_type=kind, headers={"content-disposition": disposition})

    routes = [
        Route("/", page),
        Route("/api/check", with_form("check"), methods=["POST"]),
        Route("/api/save", with_form("save"), methods=["POST"]),
        Route("/api/build", with_form("build"), methods=["POST"]),
        Route("/api/open", with_upload("open"), methods=["POST"]),
        Route("/api/previous", with_upload("previous"), methods=["POST"]),
        Route("/download/{name}", download),
        Mount("/static", StaticFiles(packages=[("xxgk.web", "static")]), name="static"),
    ]
    return Guard(Starlette(routes=routes), port, token)


def _pdf_possible() -> tuple[bool, str | None]:
    """Whether 生成 makes a PDF too, and why not when LibreOffice was named but is not there (a
    wrong ``XXGK_SOFFICE`` costs the PDF, not the documents)."""
    try:
        return pdf_available(), None
    except XxgkError as exc:
        return False, "；".join(f.message for f in exc.findings[:1])


async def _in_thread_bytes(func: Any, *args: Any) -> bytes | None:
    from starlette.concurrency import run_in_threadpool

    result: bytes | None = await run_in_threadpool(func, *args)
    return result


async def _in_thread(func: Any, *args: Any) -> Answer:
    # The library's work is synchronous (and a build takes seconds): keep the server answering.
    from starlette.concurrency import run_in_threadpool

    result: Answer = await run_in_threadpool(func, *args)
    return result
