"""A fake Slack Web API (and Socket Mode endpoint) on 127.0.0.1.

The real ``AsyncWebClient`` talks to it over HTTP through ``base_url``
(``SLACK_API_URL``); the real Socket Mode client gets a WebSocket URL from the
fake ``apps.connections.open`` and connects to it. Tests read what was posted
from :attr:`FakeSlack.messages` / :attr:`FakeSlack.updates`, set users' admin
flags in :attr:`FakeSlack.users`, and make calls fail on demand with
:meth:`FakeSlack.fail` (a Slack error code, or a 429 with ``Retry-After``) or
per channel with :attr:`FakeSlack.channel_errors`.

Files go through Slack's current upload flow: ``files.getUploadURLExternal``
gives an upload URL on this fake, the client POSTs the bytes there, and
``files.completeUploadExternal`` shares them in a channel (recorded in
:attr:`FakeSlack.files`). :meth:`FakeSlack.shared_file` makes the file object
of an event for a file a user shared; its ``url_private_download`` answers
only with the bot token (otherwise Slack's sign-in page, as HTML).

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
class SharedFile:
    """A file shared in a channel through the upload flow."""

    id: str
    name: str
    title: str
    data: bytes
    channel: str
    thread_ts: str | None
    initial_comment: str | None


@dataclass
class Ephemeral:
    """One message only ``user`` sees: from chat.postEphemeral, or a response_url
    answer with ``response_type: ephemeral``."""

    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    deleted: bool = False


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
    files: list[SharedFile] = field(default_factory=list)  # completed uploads
    downloads: list[str] = field(default_factory=list)  # names of shared files served
    ephemerals: list[Ephemeral] = field(default_factory=list)
    #: conversation id -> its members (user ids, the bot's ``BOT_USER_ID`` too),
    #: for users.conversations and chat.postEphemeral
    members: dict[str, set[str]] = field(default_factory=dict)
    archived: set[str] = field(default_factory=set)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # view id -> open modal
    home: dict[str, dict[str, Any]] = field(default_factory=dict)  # user -> published Home

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
        self._uploads: dict[str, tuple[str, int, bytes | None]] = {}  # id -> name, length, data
        self._user_files: dict[str, bytes] = {}  # files users shared, by id
        self._file_ids = itertools.count(1)
        self._response_urls: dict[str, tuple[str, str, int]] = {}  # id -> channel, user, uses
        self._triggers: dict[str, tuple[str, float]] = {}  # trigger id -> user, issued at
        self._view_ids = itertools.count(1)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/response/{id}", self._response)
        app.router.add_post("/upload/v1/{id}", self._upload)
        app.router.add_get("/files-pri/{team}-{id}/download/{name}", self._private_file)
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

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, name: str = "1", *, channel: str = "", user: str = "") -> str:
        """A ``response_url`` (a slash command's or a button's) for ``user`` in
        ``channel``, answered by this fake as Slack does: at most five uses."""
        self._response_urls[name] = (channel, user, 0)
        return f"http://127.0.0.1:{self._port}/response/{name}"

    def trigger(self, user: str) -> str:
        """A ``trigger_id`` as Slack sends with a slash command or a button press;
        views.open accepts it once, within three seconds."""
        trigger_id = f"{next(self._envelopes)}.{int(time.time())}.trigger"
        self._triggers[trigger_id] = (user, time.monotonic())
        return trigger_id

    async def _response(self, request: web.Request) -> web.Response:
        """A response_url: JSON with ``text`` or ``blocks``; ``response_type``
        ``ephemeral`` (the default) or ``in_channel``; ``replace_original`` /
        ``delete_original`` for the message a button is on. Errors as Slack's
        webhooks answer them: an HTTP status and a plain-text code."""
        name = request.match_info["id"]
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        channel, user, uses = self._response_urls.get(name, ("", "", 0))
        if uses >= 5:
            return web.Response(status=404, text="used_url")
        self._response_urls[name] = (channel, user, uses + 1)
        kind = body.get("response_type", "ephemeral")
        if kind not in ("ephemeral", "in_channel"):
            return web.Response(status=400, text="invalid_payload")
        if not body.get("delete_original") and not (body.get("text") or body.get("blocks")):
            return web.Response(status=400, text="no_text")
        self.responses.append({"id": name, **body})
        text, blocks = str(body.get("text") or ""), list(body.get("blocks") or [])
        async with self._posted:
            if body.get("delete_original"):
                for shown in self.ephemerals:
                    if (shown.channel, shown.user) == (channel, user):
                        shown.deleted = True
            elif kind == "in_channel":
                ts = self._next_ts()
                self.messages.append(Posted(channel, text, blocks, None, ts))
            else:
                self.ephemerals.append(Ephemeral(channel, user, text, blocks))
            self._posted.notify_all()
        return web.Response(text="ok")

    # ------------------------------------------------------------------ files

    def shared_file(
        self, name: str, data: bytes, mimetype: str = "application/json"
    ) -> dict[str, Any]:
        """The file object Slack puts in a message event when a user shares ``data``."""
        file_id = f"F0USER{next(self._file_ids):04d}"
        self._user_files[file_id] = data
        base = f"http://127.0.0.1:{self._port}/files-pri/{TEAM_ID}-{file_id}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": "json",
            "size": len(data),
            "url_private": f"{base}/{name}",
            "url_private_download": f"{base}/download/{name}",
        }

    async def _private_file(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        data = self._user_files.get(request.match_info["id"])
        if auth != f"Bearer {self.bot_token}":
            # Slack shows its sign-in page to a request without a valid token
            return web.Response(
                text="<!DOCTYPE html><title>Slack</title>", content_type="text/html"
            )
        if data is None:
            return web.Response(status=404, text="file not found")
        self.downloads.append(request.match_info["name"])
        return web.Response(body=data, content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self._uploads.get(request.match_info["id"])
        if upload is None:
            return web.Response(status=404, text="upload not found")
        name, length, _ = upload
        data = await request.read()
        self._uploads[request.match_info["id"]] = (name, length, data)
        return web.Response(text=f"OK - {len(data)}")

    async def _m_files_getUploadURLExternal(self, params: dict[str, Any]) -> web.Response:
        name = params.get("filename")
        try:
            length = int(params.get("length", ""))
        except ValueError:
            return _error("invalid_arguments")
        if not name or length <= 0:
            return _error("invalid_arguments")
        file_id = f"F0BOT{next(self._file_ids):04d}"
        self._uploads[file_id] = (str(name), length, None)
        return _ok(upload_url=f"http://127.0.0.1:{self._port}/upload/v1/{file_id}", file_id=file_id)

    async def _m_files_completeUploadExternal(self, params: dict[str, Any]) -> web.Response:
        raw = params.get("files")
        try:
            entries = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return _error("invalid_arguments")
        if not isinstance(entries, list) or not entries:
            return _error("invalid_arguments")
        channel = params.get("channel_id")
        if channel in self.channel_errors:
            return _error(self.channel_errors[channel])
        done: list[dict[str, Any]] = []
        for entry in entries:
            upload = self._uploads.get(str(entry.get("id")))
            if upload is None or upload[2] is None:
                return _error("file_not_found")  # never uploaded
            name, length, data = upload
            if len(data) != length:
                return _error("file_upload_size_mismatch")
            title = str(entry.get("title") or name)
            if channel:
                self.files.append(
                    SharedFile(
                        str(entry["id"]),
                        name,
                        title,
                        data,
                        str(channel),
                        params.get("thread_ts"),
                        params.get("initial_comment"),
                    )
                )
            done.append({"id": entry["id"], "name": name, "title": title, "size": length})
        return _ok(files=done)

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

    async def wait_for_ephemerals(self, count: int, within: float = 5.0) -> list[Ephemeral]:
        """Wait until at least ``count`` ephemeral messages were shown; return them all."""
        async with self._posted:
            await asyncio.wait_for(
                self._posted.wait_for(lambda: len(self.ephemerals) >= count), within
            )
        return list(self.ephemerals)

    async def wait_for(self, what: Any, within: float = 5.0) -> None:
        """Wait until ``what()`` is true (checked whenever the fake records something)."""
        async with self._posted:
            await asyncio.wait_for(self._posted.wait_for(what), within)

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

    async def _m_chat_postEphemeral(self, params: dict[str, Any]) -> web.Response:
        channel, user = str(params.get("channel") or ""), str(params.get("user") or "")
        blocks = params.get("blocks") or []
        if not params.get("text") and not blocks:
            return _error("no_text")
        if channel in self.members and user not in self.members[channel]:
            return _error("user_not_in_channel")
        async with self._posted:
            self.ephemerals.append(
                Ephemeral(
                    channel,
                    user,
                    str(params.get("text") or ""),
                    list(blocks),
                    params.get("thread_ts"),
                )
            )
            self._posted.notify_all()
        return _ok(message_ts=self._next_ts())

    async def _m_users_conversations(self, params: dict[str, Any]) -> web.Response:
        """The conversations ``user`` (else the bot) is a member of, of the asked
        ``types``; with a bot token, another user's non-public ones only where
        the bot is a member too. Pages of ``limit`` with ``next_cursor``."""
        user = str(params.get("user") or BOT_USER_ID)
        types = set(str(params.get("types") or "public_channel").split(","))
        exclude_archived = str(params.get("exclude_archived", "false")).lower() in ("true", "1")
        found = []
        for cid, members in sorted(self.members.items()):
            info = self._channel_info(cid)
            kind = (
                "im"
                if info["is_im"]
                else "mpim"
                if info["is_mpim"]
                else "private_channel"
                if info["is_private"]
                else "public_channel"
            )
            if kind not in types or user not in members:
                continue
            if exclude_archived and cid in self.archived:
                continue
            if kind != "public_channel" and BOT_USER_ID not in members:
                continue
            found.append(info)
        start = int(str(params.get("cursor") or "0") or 0)
        limit = max(1, min(int(params.get("limit") or 100), 1000))
        page = found[start : start + limit]
        more = start + limit < len(found)
        return _ok(
            channels=page, response_metadata={"next_cursor": str(start + limit) if more else ""}
        )

    async def _m_views_publish(self, params: dict[str, Any]) -> web.Response:
        user = str(params.get("user_id") or "")
        view = _json_param(params.get("view"))
        if not user or user not in self.users:
            return _error("user_not_found" if user else "invalid_arguments")
        problem = _view_problem(view, "home")
        if problem:
            return _error(problem)
        self.home[user] = view
        async with self._posted:
            self._posted.notify_all()
        return _ok(view={"id": f"VHOME{user}", **view})

    async def _m_views_open(self, params: dict[str, Any]) -> web.Response:
        trigger_id = str(params.get("trigger_id") or "")
        issued = self._triggers.pop(trigger_id, None)
        if issued is None:
            return _error("invalid_trigger_id")
        if time.monotonic() - issued[1] > 3:
            return _error("expired_trigger_id")
        view = _json_param(params.get("view"))
        problem = _view_problem(view, "modal")
        if problem:
            return _error(problem)
        view_id = f"V{next(self._view_ids):04d}"
        self.views[view_id] = {"id": view_id, "user": issued[0], **view}
        async with self._posted:
            self._posted.notify_all()
        return _ok(view={"id": view_id, **view})

    def submission(self, view_id: str, values: dict[str, str]) -> dict[str, Any]:
        """The ``view_submission`` payload Slack sends when the user saves the
        open modal ``view_id``: each input's value from ``values`` (by the
        input's block id), else the value it was opened with."""
        view = self.views[view_id]
        state: dict[str, dict[str, Any]] = {}
        for block in view.get("blocks") or []:
            if block.get("type") != "input":
                continue
            element = block["element"]
            block_id, action_id = block["block_id"], element["action_id"]
            if element["type"] == "static_select":
                wanted = values.get(block_id)
                option = next(
                    (o for o in element["options"] if o["value"] == wanted),
                    element.get("initial_option"),
                )
                state[block_id] = {action_id: {"type": "static_select", "selected_option": option}}
            else:
                text = values.get(block_id, element.get("initial_value"))
                state[block_id] = {action_id: {"type": "plain_text_input", "value": text or None}}
        return {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "fake"},
            "user": {"id": view["user"], "username": view["user"].lower(), "team_id": TEAM_ID},
            "api_app_id": "A0APP",
            "token": "legacy-verification-token",
            "trigger_id": self.trigger(view["user"]),
            "view": {
                **{k: v for k, v in view.items() if k != "user"},
                "team_id": TEAM_ID,
                "state": {"values": state},
                "hash": f"{view_id}.hash",
            },
            "response_urls": [],
        }

    async def _m_users_info(self, params: dict[str, Any]) -> web.Response:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return _error("user_not_found")
        return _ok(user=user)

    def _channel_info(self, channel: str) -> dict[str, Any]:
        info = self.channels.get(channel)
        if info is None:
            info = {
                "id": channel,
                "name": channel.lower(),
                "is_channel": channel.startswith("C"),
                "is_im": channel.startswith("D"),
                "is_mpim": False,
                "is_private": False,
            }
        return {**info, "is_archived": channel in self.archived}

    async def _m_conversations_info(self, params: dict[str, Any]) -> web.Response:
        return _ok(channel=self._channel_info(str(params.get("channel"))))


def _ok(**fields: Any) -> web.Response:
    return web.json_response({"ok": True, **fields})


def _error(error: str, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status, headers=headers)


def _json_param(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


_INPUT_ELEMENTS = frozenset({"plain_text_input", "static_select"})


def _view_problem(view: dict[str, Any], kind: str) -> str | None:
    """Why Slack would refuse ``view`` (``invalid_arguments``), checking the
    limits our views could break: type, title of at most 24 characters, at
    most 100 blocks, unique block ids, a submit button when there are inputs,
    input blocks with a label and a known element."""
    if view.get("type") != kind:
        return "invalid_arguments"
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > 100:
        return "invalid_arguments"
    if kind == "modal" and len((view.get("title") or {}).get("text") or "") not in range(1, 25):
        return "invalid_arguments"
    ids = [b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b]
    if len(ids) != len(set(ids)):
        return "invalid_arguments"
    inputs = [b for b in blocks if isinstance(b, dict) and b.get("type") == "input"]
    if inputs and kind == "modal" and not view.get("submit"):
        return "invalid_arguments"
    for block in inputs:
        element = block.get("element") or {}
        if not (block.get("label") or {}).get("text") or element.get("type") not in _INPUT_ELEMENTS:
            return "invalid_arguments"
    if len(str(view.get("private_metadata") or "")) > 3000:
        return "invalid_arguments"
    return None
