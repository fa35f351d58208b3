"""Running ``xxgk serve``'s server in a thread for a test, and talking to it over HTTP."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.web import FormServer, prepare


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@contextmanager
def running(
    datafile: Path | None, outdir: Path | None, previous: Path | None = None
) -> Iterator[FormServer]:
    """A started server on a free loopback port; stopped (and its uploads removed) after."""
    server = prepare(datafile, outdir, previous, port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        request(server, "GET", f"/?token={server.token}")  # answers once it is up
        yield server
    finally:
        server.stop()
        thread.join(10)


def request(
    server: FormServer,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    host: str | None = None,
) -> Reply:
    """One HTTP request with exactly the headers given (Host defaults to the server's)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{server.port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return Reply(response.status, response.read())
    finally:
        connection.close()
