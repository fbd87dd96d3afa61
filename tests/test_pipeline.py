"""The core flow with a fake chat platform: watch → ingest → analyse → outbox → deliver."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.ingest.files import read_stories
from bot.models import Novelty, Story
from bot.runtime import Services, serve
from tests.conftest import ROOT
from tests.fakes.chat import FakeAdapter, FakeChat

EXAMPLES = ROOT / "examples"


def examples() -> list[Story]:
    return [s for s in read_stories([EXAMPLES]) if isinstance(s, Story)]


async def test_watchers_get_threaded_alerts_and_repeats_alert_nobody(
    services: Services, chat: FakeChat, fake_adapter: FakeAdapter
) -> None:
    await chat.say("/watch bulgaria")
    other = FakeChat(services.router, chat_id="c2")
    await other.say("/watch japan")
    stories = examples()
    for story in stories:
        await services.pipeline.process(story)
        await services.dispatcher.drain()
    alerts = fake_adapter.alerts_for("c1")
    assert alerts, "the Bulgaria watcher is alerted"
    assert fake_adapter.alerts_for("c2") == [], "nobody watching Japan hears of a Bulgarian spill"
    first = alerts[0]
    assert first.alert is not None and first.alert.new_event and first.reply_to is None
    spill_event = first.alert.event_id
    follow_ups = [a for a in alerts[1:] if a.alert is not None and a.alert.event_id == spill_event]
    assert follow_ups and all(a.reply_to == first.message_id for a in follow_ups)
    assert all(len(a.alert.links) >= 1 for a in alerts if a.alert)
    # ingesting the same stories again alerts nobody
    before = len(fake_adapter.sent)
    for story in stories:
        outcome = await services.pipeline.process(story)
        assert outcome.status == "seen-before"
    await services.dispatcher.drain()
    assert len(fake_adapter.sent) == before


async def test_claims_command_after_ingest_lists_sources(
    services: Services, chat: FakeChat
) -> None:
    for story in examples()[:5]:
        await services.pipeline.process(story)
    reply = await chat.say("/claims bulgaria 3")
    assert reply.ok and "Claims about Bulgaria, newest event first" in reply.plain
    urls = [span.url for line in reply.lines for span in line if span.url]
    assert urls and all(u.startswith("https://") for u in urls)
    event_id = next(span.text for line in reply.lines for span in line if span.code)
    event = await chat.say(f"/event {event_id}")
    assert event.ok and "Sources:" in event.plain
    assert "Harbourwire" in (await chat.say(f"/sources {event_id}")).plain


async def test_muted_chat_gets_alerts_after_the_mute(
    services: Services, chat: FakeChat, fake_adapter: FakeAdapter
) -> None:
    await chat.say("/watch bulgaria")
    await chat.say("/mute 1h")
    await services.pipeline.process(examples()[0])
    await services.dispatcher.drain()
    assert fake_adapter.alerts_for("c1") == []
    await chat.say("/mute off")
    await services.dispatcher.drain()
    assert len(fake_adapter.alerts_for("c1")) == 1


async def test_stories_ingested_by_another_process_are_alerted(
    services: Services, chat: FakeChat, fake_adapter: FakeAdapter, tmp_path: Path
) -> None:
    await chat.say("/watch bulgaria")
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False))
    env = {**os.environ, "DATABASE_URL": services.settings.database_url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "ingest",
        "--queue-only",
        str(EXAMPLES / "01_harbourwire_sorna_spill.txt"),
        env=env,
        cwd=str(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    try:
        async with asyncio.timeout(60):
            while not fake_adapter.alerts_for("c1"):  # noqa: ASYNC110 - polling the fake's record
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await task
    assert "harbourwire.example" in fake_adapter.alerts_for("c1")[0].text


def test_a_near_duplicate_story_repeats_everything_and_points_at_earlier_claims() -> None:
    from bot.models import Novelty
    from bot.pipeline import _all_repeats
    from tests.storage.builders import make_claim

    claims = [
        make_claim("c9.1", "two were captured"),  # new in this story
        make_claim("c9.2", "two were captured, he said", novelty=Novelty.REPEAT, matches="c9.1"),
        make_claim("c9.3", "many more fight", novelty=Novelty.REPEAT, matches="c1.4"),
        make_claim("c9.4", "155 fight", novelty=Novelty.UPDATE, matches="c1.4"),
    ]
    out = _all_repeats(claims, duplicate_of=1)
    assert [c.novelty for c in out] == [Novelty.REPEAT] * 4
    # nothing points at a claim of the duplicate itself, which is never stored as canonical
    assert [c.matches for c in out] == [None, None, "c1.4", "c1.4"]
    assert "near-duplicate of story #1" in (out[0].why or "")


async def test_a_story_without_a_real_title_names_its_event_by_its_lead(
    services: Services,
) -> None:
    lead = (
        "Floodwater from a burst reservoir dam swept through the village of Brenka on Sunday. "
        "Rescuers evacuated hundreds of residents, the regional governor said."
    )
    for n, title in enumerate(("unknown", "")):
        story = Story(
            source=f"brenka-{n}.txt",
            title=title,
            body=lead.replace("Sunday", "Monday") if n else lead,
            url=f"https://example.org/brenka-{n}",
            published=date(2025, 7, 6),
        )
        await services.pipeline.process(story)
    (event,) = await services.store.recent_events(date(2025, 7, 1))
    assert event.title.startswith("Floodwater from a burst reservoir dam swept through")
    assert event.stories == 2


async def test_an_event_knows_its_span_of_days_for_a_story_that_arrives_late(
    services: Services,
) -> None:
    lead = (
        "Floodwater from a burst reservoir dam swept through the village of Brenka on Sunday. "
        "Rescuers evacuated hundreds of residents, the regional governor said."
    )
    # the 20 July story first, then the 6 July one a slow feed delivers late
    for day in (20, 6):
        story = Story(
            source=f"brenka-{day}.txt",
            title="Dam bursts above Brenka",
            body=lead.replace("hundreds", f"{day * 10}"),
            url=f"https://example.org/brenka-{day}",
            published=date(2025, 7, day),
        )
        await services.pipeline.process(story)
    (event,) = await services.store.recent_events(date(2025, 7, 1))
    assert (event.first_seen, event.last_seen, event.stories) == (
        date(2025, 7, 6),
        date(2025, 7, 20),
        2,
    )


async def test_a_quotation_half_told_before_is_split_into_a_repeat_and_news(
    services: Services,
) -> None:
    """ "“A,” she said. “B.”" where A was reported the day before and B was
    not: two claims, one repeat and one new; told for the first time, the
    quotation stays one claim."""
    lead = "A section of the quay at Port Elm collapsed into the harbour on Sunday night. "
    first = (
        lead + "“It is not yet possible to say when the ferry service to the islands will "
        "resume,” harbour master Ines Varga said. “The cause of the collapse will be "
        "established by inspectors from the capital.”"
    )
    second = (
        lead + "Harbour master Ines Varga said on Monday it was still not possible to say "
        "when the ferry service to the islands would resume."
    )
    third = (
        lead + "“It is not yet possible to say when the ferry service to the islands will "
        "resume,” Varga said on Tuesday. “Divers found that two of the old piles had "
        "rotted through below the waterline.”"
    )
    outcomes = []
    for n, body in enumerate((first, second, third)):
        story = Story(
            source=f"quay-{n}.txt",
            title="Quay collapses at Port Elm",
            body=body,
            url=f"https://example.org/quay-{n}",
            published=date(2025, 7, 6 + n),
        )
        outcomes.append(await services.pipeline.process(story))
    assert len({o.event_id for o in outcomes}) == 1
    varga = [[c for c in o.claims if "Varga" in c.speaker] for o in outcomes]
    assert len(varga[0]) == 1 and "inspectors" in varga[0][0].text
    tags = {c.text: c.novelty for c in varga[2]}
    assert tags == {
        "It is not yet possible to say when the ferry service to the islands will resume": (
            Novelty.REPEAT
        ),
        "Divers found that two of the old piles had rotted through below the waterline": (
            Novelty.NEW
        ),
    }, [(c.text, c.novelty, c.why) for c in varga[2]]


async def test_another_outlet_repeating_a_story_edits_its_first_alert(
    settings: Settings, fake_adapter: FakeAdapter
) -> None:
    services = await Services.open(
        settings.model_copy(update={"outlet_edit_interval_seconds": 0.0}), [fake_adapter]
    )
    try:
        await FakeChat(services.router).say("/watch bulgaria")
        story = examples()[0]
        await services.pipeline.process(story)
        await services.dispatcher.drain()
        [first] = fake_adapter.alerts_for("c1")
        assert first.alert is not None and first.alert.outlets == 1
        # another outlet runs the wire copy, cut short: no fresh claim, no alert of its own
        copy = replace(
            story,
            body=story.body.rsplit("\n\n", 1)[0],
            source="https://copydesk.example/sorna",
            url="https://copydesk.example/sorna",
            outlet="Copydesk",
        )
        outcome = await services.pipeline.process(copy)
        assert outcome.status in {"analysed", "duplicate"} and outcome.alerts == ()
        await services.dispatcher.drain()
        assert fake_adapter.alerts_for("c1") == [first]  # nothing new in the chat
        [edit] = fake_adapter.edits
        assert edit.message_id == first.message_id and edit.alert is not None
        assert edit.alert.outlets == 2
        assert "https://copydesk.example/sorna" in [link.url for link in edit.alert.links]
        assert edit.alert.claims == first.alert.claims  # what it said stays
    finally:
        await services.close()
