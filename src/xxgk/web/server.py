"""Start the form server on 127.0.0.1: bind first (so the URL can be printed), then serve."""

from __future__ import annotations

import errno
import os
import secrets
import signal
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.errors import XxgkError
from xxgk.web.state import FormState

DEFAULT_PORT = 8765
LOOPBACK = "127.0.0.1"
# Bounds of every connection (issue 19 item 6): a request line and headers must arrive within
# HEADER_TIMEOUT seconds of the connection or of the last response, and be at most
# MAX_HEADER_BYTES; an idle kept-alive connection closes after IDLE_TIMEOUT; at most
# MAX_CONNECTIONS at once (the rest get 503). Bodies are bounded in app.py (size and time).
HEADER_TIMEOUT = 20.0
IDLE_TIMEOUT = 15
MAX_HEADER_BYTES = 64 * 1024
MAX_CONNECTIONS = 64


def bounded_protocol() -> type:
    """uvicorn's h11 protocol with a deadline for each request's headers: uvicorn itself waits
    forever for a connection that sends nothing, or one byte at a time."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class BoundedH11Protocol(H11Protocol):
        _deadline: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(HEADER_TIMEOUT, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _waiting(self) -> bool:  # no request being handled: only headers are awaited
            return self.cycle is None or self.cycle.response_complete

        _pending = 0  # header bytes of the request begun, its headers not complete yet
        _tail = b""  # the last bytes received, in case the blank line is split between reads

        def data_received(self, data: bytes) -> None:
            # h11 bounds only what stays incomplete between reads: a large header block that
            # arrives in one read would pass. So count the header bytes ourselves.
            if self._waiting():
                seen = self._tail + data
                end = seen.find(b"\r\n\r\n")
                header = len(data) if end < 0 else max(0, end + 4 - len(self._tail))
                self._pending += header
                self._tail = seen[-3:]
                if self._pending > MAX_HEADER_BYTES:
                    self._refuse_headers()
                    return
                if end >= 0:
                    self._pending, self._tail = 0, b""
            super().data_received(data)
            if not self._waiting():
                self._pending, self._tail = 0, b""

        def _refuse_headers(self) -> None:
            if not self.transport.is_closing():
                self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                                     b"content-length: 0\r\nconnection: close\r\n\r\n")
                self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if not self._waiting():
                self._disarm()  # the headers came: the request is being handled

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self._waiting():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _too_slow(self) -> None:
            self._deadline = None
            if self._waiting() and not self.transport.is_closing():
                self.transport.close()

    return BoundedH11Protocol


def _bind(port: int | None) -> socket.socket:
    """A listening socket on loopback: the port asked for, else 8765, else any free one."""
    for candidate in [port] if port is not None else [DEFAULT_PORT, 0]:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if os.name != "nt":  # on Windows this flag lets another program take the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, candidate))
        except OSError as exc:
            sock.close()
            if port is None and exc.errno == errno.EADDRINUSE:
                continue
            raise XxgkError.single(
                "serve/port",
                f"无法使用端口 {candidate}（{exc.strerror}）；请用 --port 换一个端口",
            ) from exc
        sock.listen(64)  # connections wait in the queue until the server runs
        return sock
    raise AssertionError("unreachable: port 0 always binds")


@dataclass
class FormServer:
    """A bound, not yet running, form server and its URL (with the token)."""

    url: str
    port: int
    token: str
    state: FormState
    sock: socket.socket

    def run(self) -> None:
        """Serve until Ctrl+C (or ``stop``), then remove the uploaded files."""
        import uvicorn

        from xxgk.web.app import create_app

        config = uvicorn.Config(
            create_app(self.state, self.port, self.token),
            log_level="warning",
            access_log=False,
            lifespan="off",
            http=bounded_protocol(),
            timeout_keep_alive=IDLE_TIMEOUT,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            limit_concurrency=MAX_CONNECTIONS,
        )
        self._server = uvicorn.Server(config)
        # uvicorn shuts down on SIGTERM, then raises the signal again with the handler it found:
        # the default one would end the process before the uploads are removed. Ours unwinds.
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _unwind)
        try:
            self._server.run(sockets=[self.sock])
        except KeyboardInterrupt:
            pass  # uvicorn has shut down cleanly and passes Ctrl+C on: stopping is the intent
        finally:
            self.sock.close()
            self.state.close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def stop(self) -> None:
        """Ask a running server to finish (from another thread)."""
        server = getattr(self, "_server", None)
        if server is not None:
            server.should_exit = True


def _unwind(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def prepare(
    datafile: Path | None,
    outdir: Path | None = None,
    previous: Path | None = None,
    port: int | None = None,
) -> FormServer:
    """Load what is served and bind the port; XxgkError when either cannot be done."""
    state = FormState.open(datafile, outdir, previous)
    try:
        sock = _bind(port)
    except BaseException:
        state.close()  # the master is not being edited after all
        raise
    bound = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    return FormServer(f"http://{LOOPBACK}:{bound}/?token={token}", bound, token, state, sock)
