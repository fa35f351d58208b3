"""Start the form server on 127.0.0.1: bind first (so the URL can be printed), then serve."""

from __future__ import annotations

import errno
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.web.state import FormState

DEFAULT_PORT = 8765
LOOPBACK = "127.0.0.1"


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
        )
        self._server = uvicorn.Server(config)
        try:
            self._server.run(sockets=[self.sock])
        except KeyboardInterrupt:
            pass  # uvicorn has shut down cleanly and passes Ctrl+C on: stopping is the intent
        finally:
            self.sock.close()
            self.state.close()

    def stop(self) -> None:
        """Ask a running server to finish (from another thread)."""
        server = getattr(self, "_server", None)
        if server is not None:
            server.should_exit = True


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
