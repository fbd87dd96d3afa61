"""Lease owners on both backends: a gone owner's story and alert leases are
released at once and its counters kept; a live owner's are left alone."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import ChatRef, LeaseOwner
from storage.base import Store
from tests.storage.builders import T0, make_alert, make_story
from tests.storage.conftest import Backend


def owner(store: Store, pid: int) -> LeaseOwner:
    now = datetime.now(UTC)
    return LeaseOwner(store.instance_id, "host/boot/ns", pid, "123", "run", now, now)


async def test_a_gone_owners_leases_are_released_and_its_counts_kept(
    store: Store, backend: Backend
) -> None:
    other = await backend.open()  # another process on the same database
    try:
        await store.register_lease_owner(owner(store, 1))
        await other.register_lease_owner(owner(other, 2))
        assert {o.id for o in await store.lease_owners()} == {store.instance_id, other.instance_id}
        chats = [ChatRef("fake", "a"), ChatRef("fake", "b")]
        await store.enqueue_alerts([make_alert(c, f"k-{c.chat_id}") for c in chats], T0)
        [held] = await other.claim_due_alerts(T0, 1, 3600)
        [mine] = await store.claim_due_alerts(T0, 1, 3600)
        s1 = await store.add_story(make_story(1), T0)
        assert [r.id for r in await other.pending_stories(1)] == [s1]
        leased = {key: who for _, key, who in await store.leased_alerts()}
        assert leased == {held.alert.key: other.instance_id, mine.alert.key: store.instance_id}
        await other.save_process_metrics(other.instance_id, {"cw_total": 3.0})
        await store.save_process_metrics(store.instance_id, {"cw_total": 1.0})

        # the other process dies: its leases are taken over, nothing of ours is touched
        assert await store.release_leases_of([other.instance_id]) == (1, 1)
        assert [k for _, k, _ in await store.leased_alerts()] == [mine.alert.key]
        assert [r.id for r in await store.pending_stories(5)] == [s1]
        [again] = await store.claim_due_alerts(T0, 5, 3600)
        assert again.alert.key == held.alert.key
        assert [o.id for o in await store.lease_owners()] == [store.instance_id]
        assert not await other.renew_lease_owner(other.instance_id, T0)  # it would notice
        assert await store.renew_lease_owner(store.instance_id, T0)
        # its counts stay in the totals; ours are left out when asked
        assert await store.process_metric_totals() == {"cw_total": 4.0}
        assert await store.process_metric_totals(exclude=store.instance_id) == {"cw_total": 3.0}
        await store.release_leases_of([store.instance_id])
        assert await store.process_metric_totals() == {"cw_total": 4.0}
        assert await store.leased_alerts() == []
    finally:
        await other.close()


async def test_health_figures(store: Store) -> None:
    empty = await store.health_figures(T0)
    assert (empty.oldest_pending_story_at, empty.last_analysed_at) == (None, None)
    assert empty.oldest_due_alert_at is None
    await store.add_story(make_story(1), T0)
    await store.enqueue_alerts([make_alert(ChatRef("fake", "a"), "k1")], T0)
    figures = await store.health_figures(datetime.now(UTC))
    assert figures.oldest_pending_story_at == T0
    assert figures.oldest_due_alert_at == T0
    assert (await store.health_figures(T0.replace(year=T0.year - 1))).oldest_due_alert_at is None
