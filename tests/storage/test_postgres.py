"""What PostgreSQL adds for several instances: SKIP LOCKED leasing, story
leases, LISTEN/NOTIFY, leader election, named leases — each shown with two or
three stores on one database, as separate instances would be."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta

import asyncpg
import pytest

from bot.errors import TransientError
from bot.models import ChatRef
from storage import open_store
from storage.base import Store
from storage.postgres import OUTBOX_CHANNEL, PostgresStore, load_pg_migrations
from storage.sqlite import load_migrations
from tests.storage.builders import T0, at, make_alert, make_record, make_story
from tests.storage.conftest import Backend
from tests.storage.pg import fresh_schema, postgres_dsn, schema_url
from tests.storage.test_sqlite import TABLES


@pytest.fixture
async def pg() -> AsyncIterator[Backend]:
    dsn = await postgres_dsn()
    async with fresh_schema(dsn) as schema:
        yield Backend("postgres", schema_url(dsn, schema), dsn, schema)


@pytest.fixture
async def stores(pg: Backend) -> AsyncIterator[list[PostgresStore]]:
    """Three instances on one database."""
    opened: list[PostgresStore] = []
    for _ in range(3):
        store = await pg.open()
        assert isinstance(store, PostgresStore)
        opened.append(store)
    yield opened
    for store in opened:
        await store.close()


def test_every_sqlite_migration_has_its_postgresql_dialect() -> None:
    assert [(m.version, m.name) for m in load_pg_migrations()] == [
        (m.version, m.name) for m in load_migrations()
    ]


async def test_open_store_chooses_postgresql_and_creates_the_schema(pg: Backend) -> None:
    store = await open_store(pg.url)
    try:
        assert isinstance(store, PostgresStore)
        assert await store.schema_version() == len(load_migrations())
    finally:
        await store.close()
    conn = await asyncpg.connect(pg.dsn)
    try:
        rows = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", pg.schema
        )
        migrations = await conn.fetch(
            f"SELECT version, name FROM {pg.schema}.schema_migrations ORDER BY version"
        )
    finally:
        await conn.close()
    assert {r["table_name"] for r in rows} >= TABLES | {"leases"}
    assert (migrations[0]["version"], migrations[0]["name"]) == (1, "initial")


async def test_an_unreachable_server_is_a_transient_error() -> None:
    with pytest.raises(TransientError, match="PostgreSQL"):
        await PostgresStore.open("postgresql://postgres@127.0.0.1:1/test")


async def queue_alerts(store: Store, chats: int, per_chat: int) -> list[str]:
    keys: list[str] = []
    for n in range(per_chat):
        alerts = tuple(
            make_alert(ChatRef("telegram", str(c)), f"k{c}-{n}", event_id=f"ev-{n}")
            for c in range(chats)
        )
        keys += [a.key for a in alerts]
        story_id = await store.add_story(make_story(n, url=f"https://example.com/{n}"), T0)
        await store.save_analysis(make_record(story_id, event_id=f"ev-{n}", alerts=alerts))
    return keys


async def test_three_instances_never_lease_the_same_alert(stores: list[PostgresStore]) -> None:
    keys = await queue_alerts(stores[0], chats=25, per_chat=8)
    sent: list[tuple[int, str]] = []  # (instance, key) in send order
    in_flight: set[str] = set()  # chats with an alert out right now

    async def instance(number: int, store: PostgresStore) -> None:
        idle = 0
        while idle < 5:
            items = await store.claim_due_alerts(at(1), 7, 60)
            if not items:
                idle += 1
                await asyncio.sleep(0.01)
                continue
            idle = 0
            for item in items:
                chat = str(item.alert.chat)
                assert chat not in in_flight, "two alerts of one chat out at once"
                in_flight.add(chat)
            await asyncio.sleep(0.002)
            for item in items:
                sent.append((number, item.alert.key))
                in_flight.discard(str(item.alert.chat))
                await store.mark_sent(item.id, f"m-{item.alert.key}", at(1))

    await asyncio.gather(*(instance(n, s) for n, s in enumerate(stores)))
    sent_keys = [key for _, key in sent]
    assert sorted(sent_keys) == sorted(keys)  # every alert once: none twice, none lost
    assert len({n for n, _ in sent}) > 1  # the work was shared
    for chat in range(25):  # and each chat got its alerts in queue order
        mine = [k for k in sent_keys if k.startswith(f"k{chat}-")]
        assert mine == [f"k{chat}-{n}" for n in range(8)]
    assert await stores[1].outbox_counts() == {
        "pending": 0,
        "sent": len(keys),
        "retry": 0,
        "undeliverable": 0,
    }


async def test_a_delivery_platform_filter_leaves_other_platforms_alone(
    stores: list[PostgresStore],
) -> None:
    alerts = (make_alert(ChatRef("telegram", "1"), "t1"), make_alert(ChatRef("slack", "C1"), "s1"))
    story_id = await stores[0].add_story(make_story(1), T0)
    await stores[0].save_analysis(make_record(story_id, alerts=alerts))
    stores[0].set_delivery_platforms({"slack"})
    assert [i.alert.key for i in await stores[0].claim_due_alerts(T0, 10, 60)] == ["s1"]
    assert [i.alert.key for i in await stores[1].claim_due_alerts(T0, 10, 60)] == ["t1"]


async def test_a_story_being_analysed_is_left_to_its_instance(
    stores: list[PostgresStore],
) -> None:
    a, b, _ = stores
    ids = [await a.add_story(make_story(n), at(n)) for n in range(1, 5)]
    mine = [r.id for r in await a.pending_stories(2)]
    assert mine == ids[:2]
    assert [r.id for r in await a.pending_stories(10)] == ids  # the owner sees its own again
    assert await b.pending_stories(10) == []  # a holds all four now

    a.story_lease_seconds = 0.0  # a's leases run out (as when an instance dies)
    await a.pending_stories(10)
    assert [r.id for r in await b.pending_stories(10)] == ids
    assert await a.pending_stories(10) == []

    await b.mark_story_failed(ids[0], "boom")
    await b.save_analysis(make_record(ids[1]))
    b.story_lease_seconds = 0.0
    await b.pending_stories(10)
    assert [r.id for r in await a.pending_stories(10)] == ids[2:]


async def test_queued_alerts_wake_a_listening_instance(
    stores: list[PostgresStore], pg: Backend
) -> None:
    writer, listener, _ = stores
    assert not await listener.wait_for_notify(OUTBOX_CHANNEL, 0.05)
    waiting = asyncio.create_task(listener.wait_for_notify(OUTBOX_CHANNEL, 10))
    await asyncio.sleep(0.1)
    story_id = await writer.add_story(make_story(1), T0)
    await writer.save_analysis(make_record(story_id, alerts=(make_alert(ChatRef("t", "1"), "k"),)))
    assert await waiting
    # A notification that arrives while nobody waits is kept for the next wait.
    await writer.notify(OUTBOX_CHANNEL)
    await asyncio.sleep(0.5)
    assert await listener.wait_for_notify(OUTBOX_CHANNEL, 0.01)
    # Another installation (schema) on the same server does not wake this one.
    async with fresh_schema(pg.dsn) as other_schema:
        other = await open_store(schema_url(pg.dsn, other_schema))
        try:
            await other.notify(OUTBOX_CHANNEL)  # type: ignore[attr-defined]
            assert not await listener.wait_for_notify(OUTBOX_CHANNEL, 0.3)
        finally:
            await other.close()


async def test_one_leader_and_another_takes_over_when_it_dies(
    stores: list[PostgresStore], pg: Backend
) -> None:
    a, b, c = stores
    assert await a.try_leader("adapter:telegram")
    assert await a.try_leader("adapter:telegram")  # still the leader
    assert not await b.try_leader("adapter:telegram")
    assert await b.try_leader("adapter:slack")  # each name has its own leader
    assert not await c.try_leader("adapter:slack")

    await a.release_leader("adapter:telegram")
    assert await c.try_leader("adapter:telegram")
    assert not await a.try_leader("adapter:telegram")

    # c's connection dies (a crashed host, a network cut): the lock goes with it.
    conn = await asyncpg.connect(pg.dsn)
    try:
        killed = await conn.fetchval(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
            " AND granted AND (classid::bigint << 32) | objid::bigint = hashtextextended($1, 0)",
            f"{pg.schema}:adapter:telegram",
        )
    finally:
        await conn.close()
    assert killed == 1
    assert await a.try_leader("adapter:telegram")
    assert not await c.try_leader("adapter:telegram")  # c reconnects, but a leads now

    await a.close()  # the process exits
    assert await b.try_leader("adapter:telegram")


async def test_named_leases_expire(stores: list[PostgresStore]) -> None:
    a, b, _ = stores
    assert await a.try_lease("feed:https://example.com/rss", 60, now=T0)
    assert not await b.try_lease("feed:https://example.com/rss", 60, now=at(0.5))
    assert await a.try_lease("feed:https://example.com/rss", 60, now=at(0.5))  # renewed
    assert await b.try_lease("feed:https://example.com/rss", 60, now=T0 + timedelta(seconds=91))
    await b.release_lease("feed:https://example.com/rss")
    assert await a.try_lease("feed:https://example.com/rss", 60, now=at(2))


async def test_instances_saving_into_one_event_lose_no_update(stores: list[PostgresStore]) -> None:
    """Three instances analyse stories of the same event at the same time: the
    event's merged terms count every story, and every alert is queued once."""
    ids = [
        await stores[0].add_story(make_story(n, url=f"https://e.example/{n}"), T0)
        for n in range(30)
    ]
    await stores[0].save_analysis(make_record(ids[0], event_id="ev-x", terms={"base": 1.0}))

    async def analyse(store: PostgresStore, mine: list[int]) -> None:
        for story_id in mine:
            await store.save_analysis(
                make_record(
                    story_id,
                    event_id="ev-x",
                    new_event=False,
                    terms={"gpe:china": 1.0, f"own{story_id}": 1.0},
                    alerts=(make_alert(ChatRef("t", str(story_id % 4)), f"k{story_id}"),),
                )
            )

    rest = ids[1:]
    await asyncio.gather(*(analyse(s, rest[n::3]) for n, s in enumerate(stores)))
    (event,) = await stores[1].recent_events(date(2000, 1, 1))
    assert event.terms["gpe:china"] == 29.0 and event.stories == 30
    assert (await stores[2].outbox_counts())["pending"] == 29


async def test_a_dropped_connection_is_transient_and_the_store_recovers(pg: Backend) -> None:
    name = f"cw_drop_{pg.schema}"
    store = await open_store(f"{pg.url}&application_name={name}")
    try:
        await store.add_story(make_story(1), T0)
        conn = await asyncpg.connect(pg.dsn)
        try:  # the server restarts, or a proxy cuts the connections
            killed = await conn.fetchval(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = $1",
                name,
            )
        finally:
            await conn.close()
        assert killed >= 1
        outcomes = []
        for _ in range(3):
            try:
                outcomes.append(len(await store.pending_stories(10)))
            except TransientError:
                outcomes.append(-1)
        assert outcomes[-1] == 1  # a failed call at most, then the pool reconnects
    finally:
        await store.close()


async def test_instances_starting_together_apply_each_migration_once(pg: Backend) -> None:
    stores = await asyncio.gather(*(pg.open() for _ in range(3)))
    try:
        versions = {await s.schema_version() for s in stores}
        assert len(versions) == 1 and versions.pop() >= 1
    finally:
        for s in stores:
            await s.close()
