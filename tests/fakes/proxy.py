"""A tiny HTTP forward proxy on 127.0.0.1 for fetch tests (``FETCH_PROXY``).

It takes absolute-form requests (``GET http://host:port/path HTTP/1.1``) and
``CONNECT host:port`` tunnels, records what it was asked for, and connects on
the client's behalf, as a real proxy does. ``hosts`` maps names to the local
address that serves them (the proxy's own DNS), so a test can fetch
``http://news.example/...`` through it while the fetcher checks the name
``news.example`` with a resolver of its own.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Asked:
    method: str
    target: str  # the absolute URL, or host:port for CONNECT
    headers: dict[str, str]

    @property
    def credentials(self) -> str | None:
        """``user:password`` from Proxy-Authorization (Basic), if sent."""
        value = self.headers.get("proxy-authorization", "")
        if not value.lower().startswith("basic "):
            return None
        return base64.b64decode(value[6:]).decode()


@dataclass
class LocalProxy:
    hosts: dict[str, tuple[str, int]] = field(default_factory=dict)
    asked: list[Asked] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()

    def targets(self) -> list[str]:
        return [a.target for a in self.asked]

    def _where(self, host: str, port: int) -> tuple[str, int]:
        return self.hosts.get(host.lower(), (host, port))

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            await _close(writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        self.asked.append(Asked(method, target, headers))
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up_reader, up_writer = await asyncio.open_connection(*self._where(host, int(port)))
            try:
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            finally:
                await _close(up_writer)
            return
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        address = self._where(parts.hostname, parts.port or 80)
        up_reader, up_writer = await asyncio.open_connection(*address)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        keep = {
            k: v for k, v in headers.items() if not k.startswith("proxy-") and k != "connection"
        }
        out = [f"{method} {path} {version}"]
        out += [f"{k}: {v}" for k, v in keep.items()]
        out += ["Connection: close", "", ""]
        try:
            up_writer.write("\r\n".join(out).encode("latin-1"))
            await up_writer.drain()
            await _pipe(up_reader, writer)
        finally:
            await _close(up_writer)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        with contextlib.suppress(ConnectionError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()
