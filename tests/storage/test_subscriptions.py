"""Watches, chat pause and mute, chat migration."""

from __future__ import annotations

from bot.models import ChatRef, WatchLevel, WatchTarget
from storage.base import Store
from tests.storage.builders import ALICE, BOB, T0, at, make_alert, make_record, make_story

CHINA_WATCH = WatchTarget("entity", "gpe:china", "China")
RUSSIA_WATCH = WatchTarget("entity", "gpe:russia", "Russia")
DRONES = WatchTarget("keyword", "drone strike", "drone strike")


async def test_watching_twice_is_one_subscription(store: Store) -> None:
    sub, created = await store.add_subscription(ALICE, CHINA_WATCH, T0)
    assert created
    assert (sub.chat, sub.target, sub.paused, sub.created) == (ALICE, CHINA_WATCH, False, T0)

    again, created_again = await store.add_subscription(ALICE, CHINA_WATCH, at(1))
    assert not created_again and again == sub

    other, created_other = await store.add_subscription(BOB, CHINA_WATCH, at(2))
    assert created_other and other.id != sub.id

    await store.add_subscription(ALICE, DRONES, at(3))
    assert [s.target for s in await store.chat_subscriptions(ALICE)] == [CHINA_WATCH, DRONES]
    assert len((await store.subscriptions_changed_since(0))[1]) == 3


async def test_unwatch_removes_only_that_watch(store: Store) -> None:
    await store.add_subscription(ALICE, CHINA_WATCH, T0)
    await store.add_subscription(ALICE, RUSSIA_WATCH, T0)
    await store.add_subscription(BOB, CHINA_WATCH, T0)

    assert await store.remove_subscription(ALICE, "gpe:china")
    assert not await store.remove_subscription(ALICE, "gpe:china")
    assert [s.target for s in await store.chat_subscriptions(ALICE)] == [RUSSIA_WATCH]
    assert [s.target for s in await store.chat_subscriptions(BOB)] == [CHINA_WATCH]


async def test_change_versions_report_only_what_changed(store: Store) -> None:
    start, changed, removed = await store.subscriptions_changed_since(0)
    assert (start, changed, removed) == (0, [], [])

    china, _ = await store.add_subscription(ALICE, CHINA_WATCH, T0)
    russia, _ = await store.add_subscription(ALICE, RUSSIA_WATCH, T0)
    v1, changed, removed = await store.subscriptions_changed_since(start)
    assert v1 > start and changed == [china, russia] and removed == []

    await store.add_subscription(ALICE, CHINA_WATCH, at(1))  # already watched: no change
    assert await store.subscriptions_changed_since(v1) == (v1, [], [])

    await store.remove_subscription(ALICE, "gpe:china")
    drones, _ = await store.add_subscription(BOB, DRONES, at(2))
    v2, changed, removed = await store.subscriptions_changed_since(v1)
    assert v2 > v1 and changed == [drones] and removed == [china.id]

    # From scratch: everything active, and what is gone.
    _, changed, removed = await store.subscriptions_changed_since(0)
    assert changed == [russia, drones] and removed == [china.id]


async def test_pausing_a_chat_pauses_all_its_watches(store: Store) -> None:
    china, _ = await store.add_subscription(ALICE, CHINA_WATCH, T0)
    russia, _ = await store.add_subscription(ALICE, RUSSIA_WATCH, T0)
    bob, _ = await store.add_subscription(BOB, CHINA_WATCH, T0)
    version, _, _ = await store.subscriptions_changed_since(0)

    assert await store.set_chat_paused(ALICE, True, "bot was blocked") == 2
    assert await store.set_chat_paused(ALICE, True, "bot was blocked") == 0
    assert (await store.subscriptions_changed_since(0))[1] == [bob]
    assert all(s.paused for s in await store.chat_subscriptions(ALICE))
    paused_version, changed, removed = await store.subscriptions_changed_since(version)
    assert changed == [] and removed == [china.id, russia.id]

    # A watch added while the chat is paused waits with the others.
    drones, _ = await store.add_subscription(ALICE, DRONES, at(1))
    assert drones.paused

    assert await store.set_chat_paused(ALICE, False, None) == 3
    assert {s.id for s in (await store.subscriptions_changed_since(0))[1]} == {
        china.id,
        russia.id,
        bob.id,
        drones.id,
    }
    _, changed, removed = await store.subscriptions_changed_since(paused_version)
    assert {s.id for s in changed} == {china.id, russia.id, drones.id} and removed == []


async def test_a_forum_topic_keeps_its_own_watches_and_pauses_with_its_group(
    store: Store,
) -> None:
    group = ChatRef("telegram", "-1001234567890")
    topic = group.with_part("42")
    other_group = ChatRef("telegram", "-10012345678901")  # its id begins like the first's
    general, _ = await store.add_subscription(group, CHINA_WATCH, T0)
    in_topic, _ = await store.add_subscription(topic, RUSSIA_WATCH, T0)
    elsewhere, _ = await store.add_subscription(other_group, CHINA_WATCH, T0)
    assert [s.target for s in await store.chat_subscriptions(group)] == [CHINA_WATCH]
    assert [s.target for s in await store.chat_subscriptions(topic)] == [RUSSIA_WATCH]

    # One topic gone (deleted): only it pauses.
    assert await store.set_chat_paused(topic, True, "message thread not found") == 1
    assert await store.set_chat_paused(topic, False, None) == 1

    # The bot removed from the group: the group and every topic pause, nothing else.
    assert await store.set_chat_paused(topic, True, "removed", whole=True) == 2
    assert {s.id for s in (await store.subscriptions_changed_since(0))[1]} == {elsewhere.id}
    # Each kept its watches; a watch added meanwhile in the topic waits with them.
    drones, _ = await store.add_subscription(topic, DRONES, at(1))
    assert drones.paused
    assert await store.set_chat_paused(group, False, None, whole=True) == 3
    active = {s.id for s in (await store.subscriptions_changed_since(0))[1]}
    assert active == {general.id, in_topic.id, elsewhere.id, drones.id}


async def test_a_migrated_chat_keeps_its_watches_and_pending_alerts(store: Store) -> None:
    old = ChatRef("telegram", "-100")
    new = ChatRef("telegram", "-1001234")
    china, _ = await store.add_subscription(old, CHINA_WATCH, T0)
    await store.add_subscription(old, RUSSIA_WATCH, T0)
    await store.add_subscription(new, RUSSIA_WATCH, T0)  # the new chat already watches this
    await store.mute_chat(old, at(30))
    version, _, _ = await store.subscriptions_changed_since(0)

    story_id = await store.add_story(make_story(1), T0)
    await store.save_analysis(make_record(story_id, alerts=(make_alert(old, "k-old"),)))

    assert await store.migrate_chat(old, new) == 2
    assert await store.chat_subscriptions(old) == []
    assert sorted(s.target.key for s in await store.chat_subscriptions(new)) == [
        "gpe:china",
        "gpe:russia",
    ]
    _, changed, removed = await store.subscriptions_changed_since(version)
    assert [s.id for s in changed] == [china.id] and changed[0].chat == new
    assert len(removed) == 1
    assert await store.chat_muted_until(new) == at(30)
    assert await store.chat_muted_until(old) is None

    (item,) = await store.claim_due_alerts(at(31), 10, 60)
    assert item.alert.chat == new


async def test_mute_until_and_unmute(store: Store) -> None:
    assert await store.chat_muted_until(ALICE) is None
    await store.mute_chat(ALICE, at(60))
    assert await store.chat_muted_until(ALICE) == at(60)
    assert await store.chat_muted_until(BOB) is None
    await store.mute_chat(ALICE, None)
    assert await store.chat_muted_until(ALICE) is None


async def test_chats_lists_every_chat_with_watches_or_settings(store: Store) -> None:
    carol = ChatRef("slack", "C0CAROL")
    assert await store.chats() == []
    await store.add_subscription(BOB, CHINA_WATCH, T0)
    await store.add_subscription(BOB, DRONES, T0)
    await store.add_subscription(ALICE, RUSSIA_WATCH, T0)
    await store.set_chat_paused(ALICE, True, "bot was blocked")  # paused chats count too
    await store.mute_chat(carol, at(60))  # settings only, no watch
    expected = sorted([ALICE, BOB, carol], key=lambda c: (c.platform, c.chat_id))
    assert await store.chats() == expected


async def test_a_watch_keeps_its_level_and_changing_it_is_a_change(store: Store) -> None:
    china, _ = await store.add_subscription(ALICE, CHINA_WATCH, T0)
    assert china.level == WatchLevel.MAJOR  # the default
    await store.add_subscription(ALICE, DRONES, T0, WatchLevel.ALL)
    version, _, _ = await store.subscriptions_changed_since(0)

    again, created = await store.add_subscription(ALICE, DRONES, at(1), WatchLevel.EVENTS)
    assert not created and again.level == WatchLevel.ALL  # adding again leaves the level alone

    changed = await store.set_subscription_level(ALICE, "gpe:china", WatchLevel.EVENTS)
    assert changed is not None and changed.level == WatchLevel.EVENTS
    assert await store.set_subscription_level(BOB, "gpe:china", WatchLevel.ALL) is None
    _, since, removed = await store.subscriptions_changed_since(version)
    assert [(s.target.key, s.level) for s in since] == [("gpe:china", WatchLevel.EVENTS)]
    assert removed == []
    assert [s.level for s in await store.chat_subscriptions(ALICE)] == [
        WatchLevel.EVENTS,
        WatchLevel.ALL,
    ]
