"""The delivery side of the store, on SQLite and PostgreSQL: idempotent queueing,
leases, deferral without spending an attempt, persisted pauses, held rows."""

from __future__ import annotations

from datetime import timedelta

from bot.models import ChatRef, DeliveryPrefs
from storage.base import Store
from tests.delivery.conftest import alert
from tests.storage.builders import T0, at
from tests.storage.conftest import Backend

ALICE = ChatRef("telegram", "100")
BOB = ChatRef("telegram", "200")
GROUP = ChatRef("telegram", "-300")


async def test_queueing_the_same_key_twice_queues_it_once(store: Store) -> None:
    first = await store.enqueue_alerts([alert(ALICE, "k1"), alert(ALICE, "k2")], T0)
    again = await store.enqueue_alerts([alert(ALICE, "k1"), alert(ALICE, "k3")], T0)
    assert [a.key for a in first] == ["k1", "k2"]
    assert [a.key for a in again] == ["k3"]
    assert await store.open_alert_count(ALICE) == 3


async def test_an_expired_lease_makes_the_row_claimable_again(store: Store) -> None:
    await store.enqueue_alerts([alert(ALICE, "k1"), alert(ALICE, "k2")], T0)
    [leased] = await store.claim_due_alerts(T0, 10, lease_seconds=30)
    assert leased.alert.key == "k1"
    # The worker died: the chat's next row stays behind the leased head.
    assert await store.claim_due_alerts(at(0.4), 10, lease_seconds=30) == []
    [again] = await store.claim_due_alerts(at(0.6), 10, lease_seconds=30)
    assert again.id == leased.id and again.attempts == 2


async def test_deferring_gives_the_row_back_without_spending_an_attempt(store: Store) -> None:
    await store.enqueue_alerts([alert(ALICE, "k1")], T0)
    [item] = await store.claim_due_alerts(T0, 10, 60)
    await store.defer_alert(item.id, at(1), "rate limited")
    assert await store.claim_due_alerts(at(0.5), 10, 60) == []
    [item] = await store.claim_due_alerts(at(1), 10, 60)
    assert item.attempts == 1 and item.hold is None


async def test_a_pause_skips_its_chat_or_its_platform_and_is_stored(
    store: Store, backend: Backend
) -> None:
    await store.enqueue_alerts([alert(ALICE, "a"), alert(BOB, "b")], T0)
    await store.pause_delivery("telegram:100", at(1), "429 for alice")
    [bob] = await store.claim_due_alerts(T0, 10, 60)
    assert bob.alert.key == "b"
    await store.mark_sent(bob.id, "m1", T0)

    other = await backend.open()  # another process, or the next start
    try:
        assert await other.delivery_pauses(T0) == {"telegram:100": at(1)}
        assert await other.delivery_pauses(at(2)) == {}
        await other.pause_delivery("telegram", at(3), "429 for the bot")
        await other.pause_delivery("telegram", at(2), "an earlier end does not shorten it")
        assert await other.delivery_pauses(at(1.5)) == {"telegram": at(3)}
    finally:
        await other.close()
    assert await store.claim_due_alerts(at(2), 10, 60) == []
    assert [i.alert.key for i in await store.claim_due_alerts(at(3), 10, 60)] == ["a"]


async def test_held_rows_wait_and_are_released_when_settings_change(store: Store) -> None:
    await store.enqueue_alerts([alert(ALICE, "k1"), alert(ALICE, "k2")], T0)
    [head] = await store.claim_due_alerts(T0, 10, 60)
    await store.defer_alert(head.id, at(60), "held: digest", "digest")
    assert await store.claim_due_alerts(at(30), 10, 60) == []
    assert await store.release_held(ALICE, at(30)) == 1
    [head] = await store.claim_due_alerts(at(30), 10, 60)
    assert head.hold == "digest"
    assert [i.alert.key for i in await store.open_alerts(ALICE, 10)] == ["k1", "k2"]


async def test_a_digest_marks_its_rows_sent_and_counts_as_one_message(store: Store) -> None:
    await store.enqueue_alerts([alert(ALICE, f"k{n}") for n in range(4)], T0)
    items = await store.open_alerts(ALICE, 3)
    await store.mark_sent_many([i.id for i in items], "m1", at(1))
    assert [i.alert.key for i in await store.open_alerts(ALICE, 10)] == ["k3"]
    [last] = await store.claim_due_alerts(at(2), 10, 60)
    await store.mark_sent(last.id, "m2", at(2))
    assert await store.messages_sent_since(ALICE, T0) == 2
    assert await store.messages_sent_since(ALICE, at(1.5)) == 1
    counts = await store.outbox_counts()
    assert counts["sent"] == 4 and counts["pending"] == 0


async def test_holding_open_rows_skips_a_leased_one(store: Store) -> None:
    await store.enqueue_alerts([alert(GROUP, "g1"), alert(GROUP, "g2")], T0)
    [head] = await store.claim_due_alerts(T0, 10, 60)
    assert await store.hold_open_alerts(GROUP, "flood", T0 + timedelta(seconds=1)) == 1
    await store.mark_sent(head.id, "m1", T0)
    [rest] = await store.claim_due_alerts(at(1), 10, 60)
    assert rest.alert.key == "g2" and rest.hold == "flood"


async def test_chat_delivery_settings_round_trip(store: Store) -> None:
    assert await store.chat_delivery(ALICE) == DeliveryPrefs()
    prefs = DeliveryPrefs("daily", "08:00", "22:00", "07:00", "Europe/Kyiv")
    await store.set_chat_delivery(ALICE, prefs)
    await store.mute_chat(ALICE, at(10))  # other chat settings stay as they were
    assert await store.chat_delivery(ALICE) == prefs
    assert await store.chat_muted_until(ALICE) == at(10)
