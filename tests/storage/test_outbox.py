"""The outbox: leasing, per-chat order, retries, mute and pause, replies."""

from __future__ import annotations

from bot.models import Alert
from storage.base import Store
from tests.storage.builders import ALICE, BOB, T0, at, make_alert, make_record, make_story

LEASE = 60.0


async def queue(store: Store, *alerts: Alert) -> None:
    """Queue alerts the way the pipeline does: with the analysis of a story."""
    story_id = await store.add_story(make_story(len(alerts)), T0)
    await store.save_analysis(make_record(story_id, alerts=alerts))


async def test_one_alert_per_chat_per_call_in_queue_order(store: Store) -> None:
    a1, a2, b1 = make_alert(ALICE, "a1"), make_alert(ALICE, "a2"), make_alert(BOB, "b1")
    await queue(store, a1, a2, b1)

    first = await store.claim_due_alerts(T0, 10, LEASE)
    assert [i.alert for i in first] == [a1, b1]
    assert all(i.attempts == 1 for i in first)

    # a1 is out with a sender: nothing newer for that chat until it is done.
    assert await store.claim_due_alerts(at(0.5), 10, LEASE) == []

    await store.mark_sent(first[0].id, "m-1", at(0.5))
    (second,) = await store.claim_due_alerts(at(0.5), 10, LEASE)
    assert second.alert == a2
    assert await store.outbox_counts() == {"pending": 2, "sent": 1, "retry": 0, "undeliverable": 0}


async def test_limit_caps_the_batch(store: Store) -> None:
    await queue(store, make_alert(ALICE, "a1"), make_alert(BOB, "b1"))
    assert [i.alert.key for i in await store.claim_due_alerts(T0, 1, LEASE)] == ["a1"]
    assert [i.alert.key for i in await store.claim_due_alerts(T0, 1, LEASE)] == ["b1"]
    assert await store.claim_due_alerts(T0, 0, LEASE) == []


async def test_an_expired_lease_delivers_again(store: Store) -> None:
    await queue(store, make_alert(ALICE, "a1"))
    (item,) = await store.claim_due_alerts(T0, 10, LEASE)
    assert await store.claim_due_alerts(at(0.9), 10, LEASE) == []
    (again,) = await store.claim_due_alerts(at(1), 10, LEASE)  # the sender died
    assert again.id == item.id and again.attempts == 2


async def test_a_retry_waits_for_its_time_and_holds_the_chat(store: Store) -> None:
    a1, a2, b1 = make_alert(ALICE, "a1"), make_alert(ALICE, "a2"), make_alert(BOB, "b1")
    await queue(store, a1, a2, b1)
    (item, bob) = await store.claim_due_alerts(T0, 10, LEASE)
    await store.mark_retry(item.id, at(5), "429 Too Many Requests")
    await store.mark_sent(bob.id, "m-b", T0)

    assert await store.claim_due_alerts(at(4), 10, LEASE) == []  # a2 must not overtake a1
    (retried,) = await store.claim_due_alerts(at(5), 10, LEASE)
    assert retried.alert == a1 and retried.attempts == 2
    assert (await store.outbox_counts())["retry"] == 1


async def test_an_undeliverable_alert_lets_the_next_one_go(store: Store) -> None:
    await queue(store, make_alert(ALICE, "a1"), make_alert(ALICE, "a2"))
    (item,) = await store.claim_due_alerts(T0, 10, LEASE)
    await store.mark_undeliverable(item.id, "chat not found", at(1))
    (following,) = await store.claim_due_alerts(at(1), 10, LEASE)
    assert following.alert.key == "a2"
    counts = await store.outbox_counts()
    assert counts["undeliverable"] == 1 and counts["pending"] == 1


async def test_muted_and_paused_chats_are_skipped(store: Store) -> None:
    await queue(store, make_alert(ALICE, "a1"), make_alert(BOB, "b1"))
    await store.mute_chat(ALICE, at(10))
    await store.set_chat_paused(BOB, True, "kicked from channel")

    assert await store.claim_due_alerts(at(5), 10, LEASE) == []
    assert [i.alert.key for i in await store.claim_due_alerts(at(10), 10, LEASE)] == ["a1"]

    await store.set_chat_paused(BOB, False, None)
    assert [i.alert.key for i in await store.claim_due_alerts(at(10.5), 10, LEASE)] == ["b1"]


async def test_later_alerts_of_an_event_reply_to_the_first(store: Store) -> None:
    await queue(
        store,
        make_alert(ALICE, "a1", event_id="ev-1"),
        make_alert(ALICE, "a2", event_id="ev-1", claim_ids=("c2",)),
        make_alert(ALICE, "a3", event_id="ev-2"),
    )
    (first,) = await store.claim_due_alerts(T0, 10, LEASE)
    assert first.reply_to is None
    await store.mark_sent(first.id, "msg-41", at(1))

    (second,) = await store.claim_due_alerts(at(1), 10, LEASE)
    assert second.alert.key == "a2" and second.reply_to == "msg-41"
    await store.mark_sent(second.id, "msg-42", at(2))

    (third,) = await store.claim_due_alerts(at(2), 10, LEASE)
    assert third.alert.key == "a3" and third.reply_to is None
