"""A poisoned story never blocks the others (issue 11, finding 1).

A story dated year 1 once raised ``OverflowError`` in the decision step,
outside the per-story guard: the analysis loop retried it for ever and every
later story stayed pending. Now dates outside 1900-01-01 .. today + 2 days
are cleared at the edges (the story is recorded undated, with a warning), and
whatever still fails in one story's analysis or decision is recorded on that
story (status ``failed``, attempts, the reason), retried with backoff a few
times, then quarantined, while the stories after it go on.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.ingest.files import read_stories
from bot.models import Story
from bot.runtime import Services, analysis_loop
from tests.conftest import ROOT
from tests.fakes.chat import FakeAdapter, FakeChat

EXAMPLES = ROOT / "examples"


def good_story() -> Story:
    [story] = [s for s in read_stories([EXAMPLES / "01_harbourwire_sorna_spill.txt"])]
    assert isinstance(story, Story)
    return story


def year_one(n: int = 1) -> Story:
    return Story(
        source=f"hostile-{n}",
        title=f"An ancient dispatch {n}",
        body=f"Officials in Sorna said the harbour was closed, number {n}.",
        url=f"https://hostile.example/{n}",
        published=date(1, 1, 1),
    )


async def test_a_year_one_story_in_the_store_never_holds_up_later_stories(
    services: Services, chat: FakeChat
) -> None:
    """A year-1 row (written by an older release, or straight into the database)
    fails alone: recorded with its reason, the stories after it analysed and alerted."""
    await chat.say("/watch bulgaria")
    now = datetime.now(UTC)
    bad = await services.store.add_story(year_one(), now)  # no edge between it and the store
    good = await services.store.add_story(good_story(), now)
    outcomes = {o.story_id: o for o in await services.pipeline.analyse_pending()}
    assert outcomes[good].status == "analysed" and outcomes[good].alerts
    assert outcomes[bad].status == "failed"
    record = await services.store.story(bad)
    assert record is not None and record.status == "failed"
    assert record.extra["attempts"] == "1"
    assert "OverflowError" in record.extra["failure"]


async def test_a_failing_story_is_retried_with_backoff_then_quarantined(tmp_path: Path) -> None:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}",
        story_max_attempts=3,
        story_retry_seconds=0.2,
        _env_file=None,
    )
    services = await Services.open(settings)
    try:
        bad = await services.store.add_story(year_one(), datetime.now(UTC))
        await services.pipeline.analyse_pending()
        # backing off: not offered again at once
        assert await services.pipeline.analyse_pending() == []
        seen = []
        async with asyncio.timeout(10):
            while True:
                record = await services.store.story(bad)
                assert record is not None
                seen.append(record.status)
                if record.status == "quarantined":
                    break
                await asyncio.sleep(0.1)
                await services.pipeline.analyse_pending()
        assert record.extra["attempts"] == "3"
        assert "OverflowError" in record.extra["failure"]
        assert "failed" in seen
        await asyncio.sleep(1.0)  # longer than any backoff: a quarantined story stays out
        assert await services.pipeline.analyse_pending() == []
        assert await services.store.story_failure_counts() == {"failed": 0, "quarantined": 1}
    finally:
        await services.close()


async def test_the_analysis_loop_goes_on_past_a_poisoned_story(
    services: Services, chat: FakeChat
) -> None:
    await chat.say("/watch bulgaria")
    now = datetime.now(UTC)
    await services.store.add_story(year_one(), now)
    good = await services.store.add_story(good_story(), now)
    stop = asyncio.Event()
    task = asyncio.create_task(analysis_loop(services, stop, poll=0.05))
    try:
        async with asyncio.timeout(60):
            while True:
                record = await services.store.story(good)
                assert record is not None
                if record.status != "pending":
                    break
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task
    assert record.status == "analysed"


@pytest.mark.parametrize(
    "published", [date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31), date(3000, 1, 1)]
)
async def test_dates_outside_the_sane_range_are_cleared_at_ingest(
    services: Services, caplog: pytest.LogCaptureFixture, published: date
) -> None:
    story = Story(
        source="odd", title="Odd date", body="A story with a strange date.", published=published
    )
    caplog.set_level(logging.WARNING)
    sid, new = await services.ingest_story(story)
    record = await services.store.story(sid)
    assert new and record is not None and record.story.published is None
    assert any("published date" in r.getMessage() for r in caplog.records)


async def test_sane_dates_are_kept(services: Services) -> None:
    today = datetime.now(UTC).date()
    for n, day in enumerate([date(1900, 1, 1), today, today + timedelta(days=2)]):
        sid, _ = await services.ingest_story(
            Story(source=f"s{n}", title=f"t{n}", body=f"body number {n} here", published=day)
        )
        record = await services.store.story(sid)
        assert record is not None and record.story.published == day


def test_files_clear_a_year_one_date_and_keep_the_other_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        {"title": "Old", "body": "The archive says so.", "published": "0001-01-01"},
        {"title": "Good", "body": "Officials spoke on Tuesday.", "published": "2025-04-09"},
        {"title": "Future", "body": "Tomorrow's news, far ahead.", "date": "2999-01-01"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    caplog.set_level(logging.WARNING)
    stories = [s for s in read_stories([path]) if isinstance(s, Story)]
    assert [s.published for s in stories] == [None, date(2025, 4, 9), None]
    warned = [r.getMessage() for r in caplog.records if "published date" in r.getMessage()]
    assert len(warned) == 2 and "batch.jsonl#1" in warned[0]
    text = tmp_path / "old.txt"
    text.write_text("title: Old\ndate: 0001-01-01\n\nThe archive says so.\n", encoding="utf-8")
    [story] = list(read_stories([text]))
    assert isinstance(story, Story) and story.published is None


# ------------------------------------------------------------ the command line

OLD_AND_GOOD = [
    {
        "title": "Ancient",
        "body": "The archive says the harbour was closed.",
        "published": "0001-01-01",
    },
    {
        "title": "Spill",
        "body": "Officials in Sorna said the spill was contained.",
        "date": "2025-04-09",
    },
    {
        "title": "Border",
        "body": "Bulgaria closed a border crossing near Sorna.",
        "date": "2025-04-10",
    },
]


def batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in OLD_AND_GOOD), encoding="utf-8")
    return path


async def test_replay_and_ingest_finish_a_file_with_a_year_one_story(tmp_path: Path) -> None:
    from tests.test_sources_cli import claimwatch

    path = batch(tmp_path)
    code, out, err = await claimwatch(tmp_path, "replay", "--json", str(path))
    assert code == 0, err
    assert "Traceback" not in err
    objs = [json.loads(line) for line in out.splitlines()]
    assert [o["title"] for o in objs] == ["Ancient", "Spill", "Border"]
    assert [o["published"] for o in objs] == [None, "2025-04-09", "2025-04-10"]
    assert all(o["status"] == "analysed" for o in objs)
    code, _, err = await claimwatch(tmp_path, "ingest", str(path))
    assert code == 0 and "Traceback" not in err
    assert "3 stories ingested and analysed, 0 seen before, 0 skipped" in err
    assert "published date 0001-01-01 is outside" in err


async def test_feeds_poll_records_every_entry_of_a_feed_with_a_year_one_date(
    tmp_path: Path,
) -> None:
    from tests.fakes.web import LocalWeb, Page, rss
    from tests.ingest.test_feeds import item
    from tests.test_sources_cli import claimwatch

    site = LocalWeb()
    await site.start()
    try:
        items = [item(3), item(2, date="Mon, 01 Jan 0001 00:00:00 GMT"), item(1)]
        site.pages["/rss"] = Page(rss("Wire", items).encode(), content_type="application/rss+xml")
        code, _, err = await claimwatch(tmp_path, "feeds", "add", site.url("/rss"))
        assert code == 0, err
        code, out, err = await claimwatch(tmp_path, "feeds", "poll", "--queue-only")
        assert code == 0 and "Traceback" not in err, err
        assert "3 new stories" in out
    finally:
        await site.stop()
    from storage import open_store

    store = await open_store(f"sqlite:///{tmp_path / 'cw.db'}")
    try:
        records = await store.pending_stories(10)
    finally:
        await store.close()
    dates = {r.story.title: r.story.published for r in records}
    assert dates["Story 2"] is None and dates["Story 1"] is not None


async def test_one_entry_that_cannot_be_recorded_never_stops_the_rest_of_a_feed(
    tmp_path: Path,
) -> None:
    from bot.ingest.feeds import FeedPoller
    from bot.net import Fetcher
    from storage import open_store
    from tests.fakes.web import LocalWeb
    from tests.ingest.test_feeds import NOW, feed_page, item, local_settings

    recorded: list[str] = []

    async def sink(story: Story) -> bool:  # a sink that breaks on one story
        if story.title == "Story 2":
            raise ValueError("cannot store this one")
        recorded.append(story.title)
        return True

    site = LocalWeb()
    await site.start()
    settings = local_settings(tmp_path)
    store = await open_store(settings.database_url)
    fetcher = Fetcher(settings)
    try:
        site.pages["/rss"] = feed_page("Wire", [item(3), item(2), item(1)])
        feed, _ = await store.add_feed(site.url("/rss"), NOW)
        poller = FeedPoller(store, settings, fetcher, sink, clock=lambda: NOW)
        report = await poller.poll(feed)
        assert recorded == ["Story 1", "Story 3"]
        assert report.new == 2 and len(report.failed) == 1
        assert "cannot store this one" in report.failed[0]
        (polled,) = [f for f in await store.list_feeds() if f.url == site.url("/rss")]
        assert polled.status == "ok"
        # the failed entry is tried at the next polls, then given up
        for _ in range(2):
            again = await poller.poll(polled)
            assert again.new == 0 and len(again.failed) == 1
        last = await poller.poll(polled)
        assert last.failed == [] and last.seen == 3
        assert recorded == ["Story 1", "Story 3"]
    finally:
        await fetcher.aclose()
        await store.close()
        await site.stop()


def test_claims_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.test_sources_cli import env_for

    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "claims", "china"],
        stdout=write,
        stderr=subprocess.PIPE,
        env=env_for(tmp_path),
        cwd=str(tmp_path),
        timeout=120,
        check=False,
    )
    os.close(write)
    err = proc.stderr.decode()
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode == 0


async def test_failed_and_quarantined_stories_show_in_metrics(services: Services) -> None:
    import httpx

    from bot.runtime import http_server

    now = datetime.now(UTC)
    ids = [await services.store.add_story(year_one(n), now) for n in (1, 2, 3)]
    await services.store.mark_story_failed(ids[0], "decision: OverflowError", now)
    await services.store.mark_story_failed(ids[1], "decision: OverflowError")
    server = http_server(services)
    port = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    finally:
        await server.stop()
    assert 'claimwatch_stories_failed{status="failed"} 1' in text
    assert 'claimwatch_stories_failed{status="quarantined"} 1' in text
    assert "claimwatch_story_failures_total" in text


async def test_an_operator_lists_and_retries_quarantined_stories(tmp_path: Path) -> None:
    """Once the cause is fixed, ``claimwatch stories retry`` puts a quarantined story
    back: it is analysed again and its alert reaches the watching chat."""
    from tests.test_sources_cli import claimwatch

    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'cw.db'}", _env_file=None)
    services = await Services.open(settings)
    try:
        now = datetime.now(UTC)
        stuck = await services.store.add_story(good_story(), now)
        waiting = await services.store.add_story(year_one(), now)
        await services.store.mark_story_failed(stuck, "analysis: MemoryError: model gone")
        await services.store.mark_story_failed(waiting, "decision: OverflowError", now)
    finally:
        await services.close()

    code, out, _ = await claimwatch(tmp_path, "stories", "failed")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{stuck}\tquarantined\tattempts 1")
    assert "MemoryError: model gone" in lines[0]
    assert lines[1].startswith(f"{waiting}\tfailed\tattempts 1\tretry at")

    code, out, err = await claimwatch(tmp_path, "stories", "retry")
    assert code != 0 and "needs story IDs or --quarantined" in err
    code, out, _ = await claimwatch(tmp_path, "stories", "retry", "--quarantined")
    assert code == 0 and f"1 stories queued again for analysis: {stuck}" in out
    code, out, _ = await claimwatch(tmp_path, "stories", "retry", str(stuck), "999")
    assert code == 1 and "story 999 has not failed" in out and "0 stories queued" in out

    services = await Services.open(settings, [FakeAdapter()])
    try:
        chat = FakeChat(services.router)
        await chat.say("/watch bulgaria")
        outcomes = {o.story_id: o for o in await services.pipeline.analyse_pending()}
        assert outcomes[stuck].status == "analysed" and outcomes[stuck].alerts
        record = await services.store.story(stuck)
        assert record is not None and "failure" not in record.extra
        assert await services.store.story_failure_counts() == {"failed": 1, "quarantined": 0}
    finally:
        await services.close()
