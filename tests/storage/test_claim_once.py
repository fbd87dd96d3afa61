"""Marks that an inbound event was handled, shared by the instances on one
database: a platform's retry that reaches another process is recognised there."""

from __future__ import annotations

from datetime import timedelta

from tests.storage.builders import T0
from tests.storage.conftest import Backend


async def test_only_the_first_instance_claims_an_event_until_its_mark_expires(
    backend: Backend,
) -> None:
    a, b = await backend.open(), await backend.open()
    try:
        assert await a.claim_once("slack:Ev01", 60, now=T0)
        assert not await b.claim_once("slack:Ev01", 60, now=T0 + timedelta(seconds=5))
        assert not await a.claim_once("slack:Ev01", 60, now=T0 + timedelta(seconds=6))
        assert await b.claim_once("slack:Ev02", 60, now=T0 + timedelta(seconds=7))
        # a mark is gone once its time is over; a feed lease of the same table stays
        assert await a.try_lease("feed:https://example.com/rss", 600, now=T0)
        later = T0 + timedelta(seconds=120)
        assert await b.claim_once("slack:Ev01", 60, now=later)
        assert not await b.try_lease("feed:https://example.com/rss", 600, now=later)
    finally:
        await a.close()
        await b.close()
