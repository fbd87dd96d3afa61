"""Scale-out: the subscription index at 100k, and several `claimwatch run`
instances sharing one PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.adapters.base import Adapter, CommandSink
from bot.config import load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.models import Alert, ChatRef, MenuEntry, Reply, Span, Subscription, WatchTarget
from bot.runtime import Services, serve
from bot.watch import WatchIndex, _keyword_text, normalise_phrase
from storage import open_store
from storage.base import Store
from tests.fakes.telegram_server import FakeTelegramServer
from tests.storage.pg import fresh_schema, postgres_dsn, schema_url

T0 = datetime(2026, 11, 23, tzinfo=UTC)

# ------------------------------------------------------------------ the index


@pytest.mark.parametrize(
    "text",
    [
        "Zelensky said at least 155 Chinese citizens are fighting for Russia.",
        "  Tabs\tand\nnew lines, under_scores & dashes-too; 1,000.5 ",
        "Straße, ﬁnancial Ｋelvin — “quoted” İstanbul ÉCOLE",
        "",
        "!!!",
    ],
)
def test_the_fast_keyword_text_is_exactly_normalise_phrase(text: str) -> None:
    assert _keyword_text(text) == normalise_phrase(text)


def _random_subs(rng: random.Random, phrases: list[str], start: int, n: int) -> list[Subscription]:
    subs = []
    for k in range(start, start + n):
        chat = ChatRef("telegram", str(rng.randrange(500)))
        if rng.random() < 0.5:
            phrase = rng.choice(phrases)
            target = WatchTarget("keyword", phrase, phrase.title())
        else:
            key = f"gpe:e{rng.randrange(300)}"
            target = WatchTarget("entity", key, key)
        subs.append(Subscription(k, chat, target, paused=rng.random() < 0.05, created=T0))
    return subs


def _same_answers(index: WatchIndex, live: dict[int, Subscription], texts: list[str]) -> None:
    fresh = WatchIndex(live.values())
    assert len(index) == len(fresh)
    entities = [f"gpe:e{n}" for n in range(300)]
    assert index.for_entities(entities) == fresh.for_entities(entities)
    for text in texts:
        found = index.keywords_in(text)
        assert found == fresh.keywords_in(text)
        assert index.for_keywords(sorted(found)) == fresh.for_keywords(sorted(found))


def test_incremental_updates_answer_like_a_fresh_index() -> None:
    rng = random.Random(3)
    words = [f"w{n}" for n in range(400)]
    phrases = sorted({" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(1500)})
    texts = [" ".join(rng.choice(words) for _ in range(400)) for _ in range(5)]

    live: dict[int, Subscription] = {}
    index = WatchIndex()
    next_id = 1
    for _round in range(12):
        added = _random_subs(rng, phrases, next_id, 300)
        next_id += len(added)
        removed = rng.sample(sorted(live), k=min(len(live), 220))
        for sid in removed:
            del live[sid]
        changed = []
        for sub in added:
            if not sub.paused:
                live[sub.id] = sub
            changed.append(sub)
        # a watch paused, and one resumed, arrive as changes too
        for sid in rng.sample(sorted(live), k=5):
            sub = live.pop(sid)
            changed.append(Subscription(sub.id, sub.chat, sub.target, paused=True))
        index.apply_changes(index.version + 1, changed, removed)
        for sub in [s for s in added[:40] if s.id in live]:  # single watches between stories
            index.remove(sub.id)
            index.keywords_in(texts[0])
            index.add(sub)
        _same_answers(index, live, texts)


def test_a_single_new_watch_does_not_rebuild_the_big_automaton() -> None:
    subs = [
        Subscription(n, ChatRef("slack", f"C{n}"), WatchTarget("keyword", f"phrase {n}", "p"))
        for n in range(1, 20_001)
    ]
    index = WatchIndex(subs)
    assert index.keywords_in("we saw phrase 17 here") == {"phrase 17"}
    base = index._base
    for n in range(1, 101):
        index.add(
            Subscription(
                30_000 + n, ChatRef("slack", "new"), WatchTarget("keyword", f"fresh {n}", "f")
            )
        )
        assert index.keywords_in(f"a fresh {n} story about phrase 5") == {f"fresh {n}", "phrase 5"}
        assert index._base is base  # only the small automaton of recent phrases was rebuilt
    index.remove(5)
    assert index.keywords_in("a fresh 3 story about phrase 5") == {"fresh 3"}


# ------------------------------------------------- several `claimwatch run` instances

PROJECT = Path(__file__).resolve().parents[1]
CHATS = 250
PER_CHAT = 20  # 5,000 alerts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scale_alert(chat: int, n: int) -> Alert:
    marker = f"alert {chat}/{n}"
    return Alert(
        chat=ChatRef("telegram", str(10_000 + chat)),
        watch="China",
        watch_key="gpe:china",
        event_id=f"ev-{chat}-{n}",
        event_title=marker,
        story_title=marker,
        claims=(),
        links=(),
        outlets=1,
        new_event=True,
        key=f"scale-{chat}-{n}",
        lines=((Span(marker, bold=True),),),
    )


async def start_instance(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            env={**env, "HTTP_PORT": str(free_port())},
            cwd=str(PROJECT),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=err,
        )


async def wait_sent(store: Store, count: int, within: float) -> None:
    async with asyncio.timeout(within):
        while (await store.outbox_counts())["sent"] < count:  # noqa: ASYNC110
            await asyncio.sleep(0.2)


async def test_three_instances_deliver_5000_alerts_exactly_once(tmp_path: Path) -> None:
    dsn = await postgres_dsn()
    async with fresh_schema(dsn) as schema, FakeTelegramServer() as telegram:
        url = schema_url(dsn, schema)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
        env.update(
            DATABASE_URL=url,
            TELEGRAM_BOT_TOKEN=telegram.token,
            TELEGRAM_API_URL=telegram.api_url,
            GLOBAL_PER_SECOND="5000",
            PER_CHAT_PER_SECOND="1000",
            TELEGRAM_GLOBAL_PER_SECOND="5000",
            TELEGRAM_CHAT_PER_SECOND="1000",
            FLOOD_MAX_ALERTS="0",
            DELIVERY_POLL_SECONDS="0.2",
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        store = await open_store(url)
        procs: list[asyncio.subprocess.Process] = []
        logs = [tmp_path / f"instance-{n}.log" for n in range(3)]
        try:
            alerts = [scale_alert(c, n) for n in range(PER_CHAT) for c in range(CHATS)]
            assert len(await store.enqueue_alerts(alerts, T0)) == 5000
            for log in logs:
                procs.append(await start_instance(env, log))
            await wait_sent(store, 5000, within=240)

            # The instance that receives Telegram updates stops: another takes over
            # the receiving side, and alerts queued now are delivered too.
            texts = [log.read_text() for log in logs]
            receivers = [n for n, t in enumerate(texts) if "adapter telegram started" in t]
            assert len(receivers) == 1, texts
            assert sum("standing by" in t for t in texts) == 2
            leader = receivers[0]
            procs[leader].send_signal(signal.SIGTERM)
            async with asyncio.timeout(60):
                assert await procs[leader].wait() == 0
            async with asyncio.timeout(30):
                while not any(  # noqa: ASYNC110
                    "adapter telegram started" in logs[n].read_text()
                    for n in range(3)
                    if n != leader
                ):
                    await asyncio.sleep(0.2)
            late = [scale_alert(CHATS + c, 0) for c in range(50)]
            await store.enqueue_alerts(late, T0)
            await wait_sent(store, 5050, within=60)
        finally:
            for proc in procs:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs:
                async with asyncio.timeout(60):
                    await proc.wait()
            counts = await store.outbox_counts()
            await store.close()
        assert all(p.returncode == 0 for p in procs), [log.read_text()[-3000:] for log in logs]

    assert counts == {"pending": 0, "sent": 5050, "retry": 0, "undeliverable": 0}
    delivered = [m.plain for m in telegram.sent]
    expected = [a.story_title for a in [*alerts, *late]]
    assert len(delivered) == len(expected)  # nothing twice ...
    assert sorted(delivered) == sorted(expected)  # ... and nothing lost
    for chat in range(CHATS):  # each chat got its alerts in queue order
        got = [m.plain for m in telegram.messages_to(10_000 + chat)]
        assert got == [f"alert {chat}/{n}" for n in range(PER_CHAT)]
    assert len(telegram.called("getMe")) >= 2  # the second receiver started


# ------------------------------- three dispatcher processes sharing the outbox

SINK_PLATFORM = "sink"


class HttpSinkAdapter(Adapter):
    """A minimal platform adapter: every alert is one POST to an HTTP endpoint
    (the test's recording server), naming the process that sent it."""

    platform = SINK_PLATFORM

    def __init__(self, url: str, instance: str) -> None:
        self.url = url
        self.instance = instance
        self.session: aiohttp.ClientSession | None = None

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        self.session = aiohttp.ClientSession()

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        assert self.session is not None
        body = {"chat": alert.chat.chat_id, "key": alert.key, "instance": self.instance}
        async with self.session.post(self.url, json=body) as response:
            response.raise_for_status()
            return str((await response.json())["message_id"])

    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        return None


async def dispatcher_process(url: str, sink: str, instance: str) -> None:
    """One instance's delivery: a Dispatcher on the shared database until the
    outbox has nothing open left."""
    settings = load_settings(
        database_url=url,
        per_chat_per_second=1000,
        global_per_second=5000,
        flood_max_alerts=0,
        delivery_poll_seconds=0.1,
        _env_file=None,
    )
    store = await open_store(url)
    adapter = HttpSinkAdapter(sink, instance)
    await adapter.start(None)
    dispatcher = Dispatcher(store, {SINK_PLATFORM: adapter}, settings)
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher.run(stop))
    try:
        while True:
            counts = await store.outbox_counts()
            if counts["pending"] + counts["retry"] == 0:
                break
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await running
        await adapter.stop()
        await store.close()


async def test_three_dispatcher_processes_share_5000_alerts(tmp_path: Path) -> None:
    dsn = await postgres_dsn()
    received: list[dict[str, str]] = []
    in_flight: dict[str, str] = {}  # chat -> key being sent right now
    overlaps: list[str] = []

    async def record(request: web.Request) -> web.Response:
        body = await request.json()
        if body["chat"] in in_flight:
            overlaps.append(body["chat"])
        in_flight[body["chat"]] = body["key"]
        await asyncio.sleep(0.001)
        del in_flight[body["chat"]]
        received.append(body)
        return web.json_response({"message_id": len(received)})

    app = web.Application()
    app.router.add_post("/send", record)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with fresh_schema(dsn) as schema:
            url = schema_url(dsn, schema)
            store = await open_store(url)
            try:
                alerts = [
                    replace(scale_alert(c, n), chat=ChatRef(SINK_PLATFORM, str(c)))
                    for n in range(PER_CHAT)
                    for c in range(CHATS)
                ]
                assert len(await store.enqueue_alerts(alerts, T0)) == 5000
                code = (
                    "import asyncio, sys; from tests.test_scale import dispatcher_process;"
                    " asyncio.run(dispatcher_process(*sys.argv[1:]))"
                )
                procs = [
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-c",
                        code,
                        url,
                        f"http://127.0.0.1:{port}/send",
                        f"p{n}",
                        cwd=str(PROJECT),
                        stderr=asyncio.subprocess.PIPE,
                    )
                    for n in range(3)
                ]
                async with asyncio.timeout(240):
                    results = [await p.communicate() for p in procs]
                for proc, (_, err) in zip(procs, results, strict=True):
                    assert proc.returncode == 0, err.decode()[-3000:]
                counts = await store.outbox_counts()
            finally:
                await store.close()
    finally:
        await runner.cleanup()

    assert counts == {"pending": 0, "sent": 5000, "retry": 0, "undeliverable": 0}
    keys = [r["key"] for r in received]
    assert len(keys) == 5000 and set(keys) == {a.key for a in alerts}  # once each, none lost
    assert overlaps == []  # never two alerts of one chat at the same time
    for chat in range(CHATS):  # and in queue order per chat
        assert [r["key"] for r in received if r["chat"] == str(chat)] == [
            f"scale-{chat}-{n}" for n in range(PER_CHAT)
        ]
    shares = {n: sum(1 for r in received if r["instance"] == n) for n in ("p0", "p1", "p2")}
    assert all(share > 0 for share in shares.values()), shares  # all three delivered


# --------------------------------- adapters that can send without receiving


@dataclass(eq=False)
class TwoSidedAdapter(Adapter):
    """An adapter with the optional send-only start: the runtime starts it
    send-only where another instance holds its receiving side."""

    name: str
    sent: list[tuple[str, str]]
    platform: str = "fake"
    events: list[str] = field(default_factory=list)

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        self.events.append("receive")

    async def start_sending(self) -> bool:
        self.events.append("send-only")
        return True

    async def stop(self) -> None:
        self.events.append("stop")

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        assert self.events and self.events[-1] in ("receive", "send-only")
        self.sent.append((self.name, alert.key))
        return alert.key

    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        return None


async def wait_until(predicate: Callable[[], bool], within: float) -> None:
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_instances_without_the_lock_send_only_and_take_over_receiving() -> None:
    dsn = await postgres_dsn()
    async with fresh_schema(dsn) as schema:
        settings = load_settings(
            database_url=schema_url(dsn, schema),
            per_chat_per_second=1000,
            global_per_second=5000,
            flood_max_alerts=0,
            delivery_poll_seconds=0.1,
            delivery_concurrency=8,
            _env_file=None,
        )
        sent: list[tuple[str, str]] = []
        first, second = TwoSidedAdapter("a", sent), TwoSidedAdapter("b", sent)
        a = await Services.open(settings, [first])
        stop_a = asyncio.Event()
        run_a = asyncio.create_task(serve(a, stop_a, handle_signals=False, feeds=False))
        await wait_until(lambda: first.events == ["receive"], 10)
        b = await Services.open(settings, [second])
        stop_b = asyncio.Event()
        run_b = asyncio.create_task(serve(b, stop_b, handle_signals=False, feeds=False))
        try:
            await wait_until(lambda: second.events == ["send-only"], 10)
            alerts = [
                replace(scale_alert(c, n), chat=ChatRef("fake", str(c)))
                for n in range(10)
                for c in range(40)
            ]
            await a.store.enqueue_alerts(alerts, T0)
            await wait_sent(a.store, 400, within=60)
            assert sorted(key for _, key in sent) == sorted(x.key for x in alerts)
            assert {name for name, _ in sent} == {"a", "b"}  # both instances delivered

            stop_a.set()  # the receiving instance goes away ...
            await run_a
            await a.close()
            await wait_until(lambda: second.events[-1:] == ["receive"], 15)
            assert second.events == ["send-only", "stop", "receive"]  # ... b takes over
            late = [replace(scale_alert(c, 99), chat=ChatRef("fake", str(c))) for c in range(5)]
            await b.store.enqueue_alerts(late, T0)
            await wait_sent(b.store, 405, within=30)
            assert [name for name, key in sent if key.endswith("-99")] == ["b"] * 5
        finally:
            stop_a.set()
            stop_b.set()
            await asyncio.gather(run_a, run_b, return_exceptions=True)
            await a.close()
            await b.close()
