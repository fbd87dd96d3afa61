"""A story waiting for analysis is analysed by one process only."""

from __future__ import annotations

from pathlib import Path

from storage.sqlite import SqliteStore
from tests.storage.builders import T0, make_record, make_story


async def test_two_processes_never_take_the_same_story(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    service, ingester = await SqliteStore.open(path), await SqliteStore.open(path)
    try:
        await service.upgrade()
        first = await ingester.add_story(make_story(1), T0)
        second = await ingester.add_story(make_story(2), T0)
        assert await ingester.lease_story(first)  # `claimwatch ingest` analyses it now
        assert not await service.lease_story(first)
        assert [r.id for r in await service.pending_stories(10)] == [second]
        assert await ingester.pending_stories(10) == [await ingester.story(first)]
        # once analysed, nobody takes it again
        await ingester.save_analysis(make_record(first))
        assert not await service.lease_story(first)
        assert not await ingester.lease_story(first)
    finally:
        await service.close()
        await ingester.close()


async def test_an_expired_lease_lets_another_process_take_over(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    crashed, survivor = await SqliteStore.open(path), await SqliteStore.open(path)
    try:
        await crashed.upgrade()
        sid = await crashed.add_story(make_story(1), T0)
        crashed.story_lease_seconds = -1  # its lease is already over: the process died
        assert await crashed.lease_story(sid)
        assert [r.id for r in await survivor.pending_stories(10)] == [sid]
    finally:
        await crashed.close()
        await survivor.close()
