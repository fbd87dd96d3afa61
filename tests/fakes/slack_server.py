"""A fake Slack Web API (and Socket Mode endpoint) on 127.0.0.1.

The real ``AsyncWebClient`` talks to it over HTTP through ``base_url``
(``SLACK_API_URL``); the real Socket Mode client gets a WebSocket URL from the
fake ``apps.connections.open`` and connects to it. Tests read what was posted
from :attr:`FakeSlack.messages` / :attr:`FakeSlack.updates`, set users' admin
flags in :attr:`FakeSlack.users`, and make calls fail on demand with
:meth:`FakeSlack.fail` (a Slack error code, or a 429 with ``Retry-After``) or
per channel with :attr:`FakeSlack.channel_errors`.

It also holds the helpers a test needs to act as Slack towards the bot:
:func:`signed_headers` for the HTTP endpoint and :meth:`FakeSlack.send_envelope`
for Socket Mode.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-test-app-token"
SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0TEAM"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"

CHANNEL_ERRORS = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "account_inactive", "invalid_blocks"}
)


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends with a request: a v0 HMAC-SHA256 signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


@dataclass
class Failure:
    error: str
    status: int = 200
    retry_after: int | None = None
    channel: str | None = None  # only for calls about this channel
    times: int = 1


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None


@dataclass
class Posted:
    """One chat.postMessage as the fake recorded it."""

    channel: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    ts: str
    reply_broadcast: bool = False  # a thread reply also shown in the channel


@dataclass
class Updated:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]


@dataclass
class FakeSlack:
    bot_token: str = BOT_TOKEN
    app_token: str = APP_TOKEN
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    messages: list[Posted] = field(default_factory=list)
    updates: list[Updated] = field(default_factory=list)
    socket_acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)  # posted to response_url

    def __post_init__(self) -> None:
        self._failures: dict[str, list[Failure]] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_connected = asyncio.Event()
        self._ack_waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._envelopes = itertools.count(1)
        self._posted = asyncio.Condition()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/response/{id}", self._response)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self.api_url

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, name: str = "1") -> str:
        """A slash command's ``response_url``, answered by this fake."""
        return f"http://127.0.0.1:{self._port}/response/{name}"

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append({"id": request.match_info["id"], **body})
        return web.Response(text="ok")

    # ------------------------------------------------------------------ test controls

    def fail(
        self,
        method: str,
        error: str = "internal_error",
        *,
        status: int = 200,
        retry_after: int | None = None,
        channel: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (about ``channel`` if given)."""
        self._failures.setdefault(method, []).append(
            Failure(error, status, retry_after, channel, times)
        )

    def rate_limit(self, method: str, retry_after: int = 3, times: int = 1) -> None:
        self.fail(method, "ratelimited", status=429, retry_after=retry_after, times=times)

    def set_user(self, user_id: str, *, is_admin: bool = False, is_owner: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": user_id.lower(),
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
        }

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for_messages(self, count: int, within: float = 5.0) -> list[Posted]:
        """Wait until at least ``count`` messages were posted; return them all."""
        async with self._posted:
            await asyncio.wait_for(
                self._posted.wait_for(lambda: len(self.messages) >= count), within
            )
        return list(self.messages)

    async def wait_for_updates(self, count: int, within: float = 5.0) -> list[Updated]:
        """Wait until at least ``count`` chat.update calls succeeded; return them all."""
        async with self._posted:
            await asyncio.wait_for(
                self._posted.wait_for(lambda: len(self.updates) >= count), within
            )
        return list(self.updates)

    # ------------------------------------------------------------------ Socket Mode

    async def wait_for_socket(self, within: float = 5.0) -> None:
        await asyncio.wait_for(self._socket_connected.wait(), within)

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], *, within: float = 5.0
    ) -> dict[str, Any]:
        """Deliver an envelope (``events_api``, ``slash_commands``, ``interactive``)
        over the open WebSocket; return the client's acknowledgement."""
        await self.wait_for_socket(within)
        envelope_id = f"env-{next(self._envelopes)}"
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._ack_waiters[envelope_id] = waiter
        message = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        await self._sockets[-1].send_str(json.dumps(message))
        return await asyncio.wait_for(waiter, within)

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") != "fake-ticket":
            return web.Response(status=403)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self._socket_connected.set()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                envelope_id = data.get("envelope_id")
                if isinstance(envelope_id, str):
                    self.socket_acks[envelope_id] = data
                    waiter = self._ack_waiters.pop(envelope_id, None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(data)
        finally:
            self._sockets.remove(ws)
            if not self._sockets:
                self._socket_connected.clear()
        return ws

    # ------------------------------------------------------------------ Web API

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            else:
                params.update(dict(await request.post()))
        for key in ("blocks", "attachments"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    def _take_failure(self, method: str, channel: str | None) -> Failure | None:
        for failure in self._failures.get(method, []):
            if failure.channel is not None and failure.channel != channel:
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures[method].remove(failure)
            return failure
        return None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
        self.calls.append(Call(method, params, token))

        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            return _error("invalid_auth")

        channel = params.get("channel")
        failure = self._take_failure(method, channel)
        if failure is not None:
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return _error(failure.error, status=failure.status, headers=headers)
        if channel in self.channel_errors and method.startswith(("chat.", "conversations.")):
            return _error(self.channel_errors[channel])

        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return _error("unknown_method")
        result: web.Response = await handler(params)
        return result

    async def _m_auth_test(self, params: dict[str, Any]) -> web.Response:
        return _ok(
            url="https://fake.slack.test/",
            team="Fake Team",
            user="claimwatch",
            team_id=TEAM_ID,
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )

    async def _m_apps_connections_open(self, params: dict[str, Any]) -> web.Response:
        return _ok(url=f"ws://127.0.0.1:{self._port}/socket?ticket=fake-ticket")

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    async def _m_chat_postMessage(self, params: dict[str, Any]) -> web.Response:
        blocks = params.get("blocks") or []
        text = params.get("text") or ""
        if not text and not blocks:
            return _error("no_text")
        ts = self._next_ts()
        posted = Posted(
            channel=str(params["channel"]),
            text=str(text),
            blocks=list(blocks),
            thread_ts=params.get("thread_ts"),
            ts=ts,
            reply_broadcast=str(params.get("reply_broadcast", "")).lower() in {"true", "1"},
        )
        async with self._posted:
            self.messages.append(posted)
            self._posted.notify_all()
        return _ok(channel=posted.channel, ts=ts, message={"text": text, "ts": ts})

    async def _m_chat_update(self, params: dict[str, Any]) -> web.Response:
        channel, ts = str(params["channel"]), str(params["ts"])
        if not any(m.channel == channel and m.ts == ts for m in self.messages):
            return _error("message_not_found")
        async with self._posted:
            self.updates.append(
                Updated(
                    channel, ts, str(params.get("text") or ""), list(params.get("blocks") or [])
                )
            )
            self._posted.notify_all()
        return _ok(channel=channel, ts=ts)

    async def _m_users_info(self, params: dict[str, Any]) -> web.Response:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return _error("user_not_found")
        return _ok(user=user)

    async def _m_conversations_info(self, params: dict[str, Any]) -> web.Response:
        channel = str(params.get("channel"))
        info = self.channels.get(channel)
        if info is None:
            info = {
                "id": channel,
                "is_channel": channel.startswith("C"),
                "is_im": channel.startswith("D"),
                "is_mpim": False,
                "is_private": False,
            }
        return _ok(channel=info)


def _ok(**fields: Any) -> web.Response:
    return web.json_response({"ok": True, **fields})


def _error(error: str, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status, headers=headers)
