"""Two processes sharing a database decide events and novelty one at a time."""

from __future__ import annotations

import asyncio

from storage.base import Store
from tests.storage.conftest import Backend


async def test_decision_lock_is_exclusive_across_stores(store: Store, backend: Backend) -> None:
    other = await backend.open()
    order: list[str] = []
    try:
        async with store.decision_lock():
            order.append("first in")
            waiter = asyncio.create_task(_take(other, order))
            await asyncio.sleep(0.3)
            assert not waiter.done(), "the other process waits while the lock is held"
            order.append("first out")
        await asyncio.wait_for(waiter, 10)
        assert order == ["first in", "first out", "second in"]
        async with store.decision_lock():  # released, and can be taken again
            pass
    finally:
        await other.close()


async def _take(store: Store, order: list[str]) -> None:
    async with store.decision_lock():
        order.append("second in")
