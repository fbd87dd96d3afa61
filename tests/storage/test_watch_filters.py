"""Watches with +/- terms in storage, on SQLite and PostgreSQL: one watch per target
and set of terms, exact removal, chat migration, and the migration that added them."""

from __future__ import annotations

from bot.models import ChatRef, WatchLevel, WatchTarget, WatchTerm
from storage.base import Store
from storage.postgres import PostgresStore, load_pg_migrations
from storage.sqlite import SqliteStore, load_migrations
from tests.storage.builders import ALICE, BOB, T0, at
from tests.storage.conftest import Backend

CHINA = WatchTarget("entity", "gpe:china", "China")
NOT_TAIWAN = WatchTerm(False, WatchTarget("entity", "gpe:taiwan", "Taiwan"))
WITH_RUSSIA = WatchTerm(True, WatchTarget("entity", "gpe:russia", "Russia"))
NOT_SEA = WatchTerm(False, WatchTarget("keyword", "south china sea", "South China Sea"))


async def test_the_same_target_with_other_terms_is_another_watch(store: Store) -> None:
    plain, _ = await store.add_subscription(ALICE, CHINA, T0)
    excluding, created = await store.add_subscription(ALICE, CHINA, at(1), filters=(NOT_TAIWAN,))
    assert created and excluding.id != plain.id and excluding.filters == (NOT_TAIWAN,)
    mixed, created = await store.add_subscription(
        ALICE, CHINA, at(2), filters=(NOT_SEA, NOT_TAIWAN, WITH_RUSSIA)
    )
    assert created and mixed.filters == (WITH_RUSSIA, NOT_TAIWAN, NOT_SEA)  # one order

    # the same terms in another order, or under other display names: the same watch
    renamed = WatchTerm(False, WatchTarget("keyword", "south china sea", "south china sea"))
    again, created = await store.add_subscription(
        ALICE, CHINA, at(3), filters=(NOT_TAIWAN, WITH_RUSSIA, renamed, NOT_TAIWAN)
    )
    assert not created and again == mixed

    assert await store.chat_subscriptions(ALICE) == [plain, excluding, mixed]
    _, changed, _ = await store.subscriptions_changed_since(0)
    assert [s.filters for s in changed] == [(), (NOT_TAIWAN,), (WITH_RUSSIA, NOT_TAIWAN, NOT_SEA)]


async def test_removing_a_watch_removes_exactly_that_one(store: Store) -> None:
    plain, _ = await store.add_subscription(ALICE, CHINA, T0)
    excluding, _ = await store.add_subscription(ALICE, CHINA, T0, filters=(NOT_TAIWAN,))
    version, _, _ = await store.subscriptions_changed_since(0)

    assert not await store.remove_subscription(ALICE, "gpe:china", (WITH_RUSSIA,))
    assert await store.remove_subscription(ALICE, "gpe:china", (NOT_TAIWAN,))
    assert await store.chat_subscriptions(ALICE) == [plain]
    assert (await store.subscriptions_changed_since(version))[1:] == ([], [excluding.id])
    assert await store.remove_subscription(ALICE, "gpe:china")
    assert await store.chat_subscriptions(ALICE) == []


async def test_a_migrated_chat_merges_only_the_same_watch(store: Store) -> None:
    old, new = ChatRef("telegram", "-100"), ChatRef("telegram", "-1001234")
    await store.add_subscription(old, CHINA, T0, filters=(NOT_TAIWAN,))
    await store.add_subscription(old, CHINA, T0)
    await store.add_subscription(new, CHINA, T0, filters=(NOT_TAIWAN,))  # the new chat has this one
    assert await store.migrate_chat(old, new) == 2
    assert sorted((s.target.key, s.filters) for s in await store.chat_subscriptions(new)) == [
        ("gpe:china", ()),
        ("gpe:china", (NOT_TAIWAN,)),
    ]
    assert await store.chat_subscriptions(old) == []


async def test_a_paused_chat_pauses_its_filtered_watches_too(store: Store) -> None:
    sub, _ = await store.add_subscription(BOB, CHINA, T0, filters=(WITH_RUSSIA,))
    assert await store.set_chat_paused(BOB, True, "removed from the channel") == 1
    _, changed, removed = await store.subscriptions_changed_since(0)
    assert changed == [] and removed == [sub.id]


async def _raw_store(backend: Backend) -> SqliteStore | PostgresStore:
    """A store on the backend's database, its schema not brought up to date."""
    if backend.name == "postgres":
        return await PostgresStore.open(backend.url)
    return await SqliteStore.open(backend.url.removeprefix("sqlite:///"))


async def test_the_migration_keeps_every_existing_watch(backend: Backend) -> None:
    migrations = load_pg_migrations() if backend.name == "postgres" else load_migrations()
    ours = next(m.version for m in migrations if m.name == "watch_filters")
    raw = await _raw_store(backend)
    try:
        # the schema as it was before this migration, with watches in it
        async with raw.db.write() as tx:
            await tx.run(
                "CREATE TABLE schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        for m in migrations[: ours - 1]:
            async with raw.db.write() as tx:
                await tx.script(m.sql)
                await tx.run(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", m.version, m.name, "then"
                )
        async with raw.db.write() as tx:
            for n, (chat, key) in enumerate([(ALICE, "gpe:china"), (BOB, "drone strike")]):
                kind = "keyword" if " " in key else "entity"
                await tx.run(
                    "INSERT INTO subscriptions"
                    " (platform, chat_id, kind, key, name, paused, created, level)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    chat.platform,
                    chat.chat_id,
                    kind,
                    key,
                    key,
                    n == 1,
                    T0,
                    "all" if n == 1 else "major",
                )
                await tx.run(
                    "INSERT INTO subscription_changes (subscription_id, op) VALUES (?, 'upsert')",
                    n + 1,
                )
        before = await raw.schema_version()
    finally:
        await raw.close()

    store = await backend.open()  # brings the schema up to date
    try:
        assert before == ours - 1 and await store.schema_version() >= ours
        [china] = await store.chat_subscriptions(ALICE)
        [drones] = await store.chat_subscriptions(BOB)
        assert (china.id, china.target.key, china.filters, china.paused) == (
            1,
            "gpe:china",
            (),
            False,
        )
        assert (drones.target.kind, drones.paused, drones.created, drones.level) == (
            "keyword",
            True,
            T0,
            WatchLevel.ALL,
        )
        assert (await store.subscriptions_changed_since(0))[1] == [china]
        _, created = await store.add_subscription(ALICE, CHINA, at(1))
        assert not created  # the old watch is the plain watch
        _, created = await store.add_subscription(ALICE, CHINA, at(1), filters=(NOT_TAIWAN,))
        assert created
    finally:
        await store.close()
