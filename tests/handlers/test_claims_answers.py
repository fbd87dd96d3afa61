"""/claims and /event as answers people can use: grouped by event, the telling
claims first, each with when (the story's own date) and by whom it was first
published and how many outlets repeated it."""

from __future__ import annotations

import dataclasses
import re

from bot.models import Story
from bot.runtime import Services
from tests.fakes.chat import FakeChat
from tests.test_pipeline import examples

_TAGGED = re.compile(r"^• (DENIAL|CONTRADICTION|UPDATE|NEW SIDE) ")


async def _ingest(services: Services, stories: list[Story]) -> None:
    for story in stories:
        await services.pipeline.process(story)


async def test_claims_show_the_storys_publication_date_not_the_ingest_time(
    services: Services, chat: FakeChat
) -> None:
    await _ingest(services, examples()[:1])
    today = services.pipeline.clock().strftime("%Y-%m-%d")
    text = (await chat.say("/claims markova")).plain
    # 01_harbourwire_sorna_spill.txt is dated 2026-03-10; we took it in today
    assert "first published 2026-03-10 by Harbourwire" in text
    assert today not in text


async def test_a_story_without_a_date_falls_back_to_ingest_time_and_says_so(
    services: Services, chat: FakeChat
) -> None:
    story = dataclasses.replace(examples()[0], published=None)
    await _ingest(services, [story])
    today = services.pipeline.clock().strftime("%Y-%m-%d")
    text = (await chat.say("/claims markova")).plain
    assert f"first seen {today}" in text and "the story gave no date" in text
    assert "first published" not in text


async def test_claims_group_by_event_newest_first_with_telling_claims_on_top(
    services: Services, chat: FakeChat
) -> None:
    await _ingest(services, examples())
    reply = await chat.say("/claims bulgaria 10")
    assert reply.ok
    lines = reply.plain.splitlines()
    assert lines[0] == "Claims about Bulgaria, newest event first:"
    headers = [i for i, line in enumerate(lines) if re.search(r" · ev\d+ · \d+ claims?$", line)]
    assert len(headers) >= 2, reply.plain
    # the spill (four days of coverage) and the grain deal are separate events
    spill = next(i for i in headers if "Sorna" in lines[i])
    group_end = min([i for i in headers if i > spill] + [len(lines)])
    claims = [line for line in lines[spill:group_end] if line.startswith("• ")]
    tags = [bool(_TAGGED.match(line)) for line in claims]
    assert any(tags), "the update on the casualty figure is tagged"
    assert tags == sorted(tags, reverse=True), "tagged claims come before the rest"
    assert "UPDATE" in claims[0]
    # each claim says by whom it was first published and how many repeated it
    details = [line for line in lines[spill:group_end] if line.startswith("   first published")]
    assert len(details) == len(claims)
    assert all(" by " in d and ("repeated by" in d or "no other outlet" in d) for d in details)
    assert any(line.strip().startswith("+") and "/event ev" in line for line in lines)


async def test_claims_are_capped_and_point_to_the_rest(services: Services, chat: FakeChat) -> None:
    await _ingest(services, examples())
    reply = await chat.say("/claims bulgaria 2")
    shown = [line for line in reply.plain.splitlines() if line.startswith("• ")]
    assert len(shown) == 2
    assert "more claim" in reply.plain or "older event" in reply.plain


async def test_event_view_uses_the_same_claim_lines(services: Services, chat: FakeChat) -> None:
    await _ingest(services, examples())
    listed = await chat.say("/claims bulgaria")
    spill = next(line for line in listed.lines if "Sorna" in line[0].text)
    event_id = next(span.text for span in spill if span.code)
    text = (await chat.say(f"/event {event_id}")).plain
    today = services.pipeline.clock().strftime("%Y-%m-%d")
    assert "published 2026-03-10 – 2026-03-12" in text and today not in text
    assert "first published 2026-03-" in text
    assert "more claim" in text  # the spill has more claims than one message lists


def test_a_long_claim_is_cut_at_a_word_and_a_dateless_one_says_so() -> None:
    from datetime import UTC, date, datetime

    from bot.models import ClaimView, Source, Stance
    from handlers.claims import MAX_CLAIM_CHARS, claim_lines

    words = " ".join(f"word{i}" for i in range(200))
    undated = Source("T", "https://a.example/1", "Alpha")
    view = ClaimView(
        "c1",
        "ev1",
        "Someone",
        words,
        Stance.ASSERT,
        datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
        sources=(undated, Source("T", "https://b.example/2", "Beta")),
    )
    head, detail = ("".join(s.text for s in line) for line in claim_lines(view))
    content = head.split(" — ", 1)[1]
    assert content.endswith("…") and len(content) <= MAX_CLAIM_CHARS + 1
    assert content[:-1].split()[-1].startswith("word")  # cut between words
    assert "first seen 2026-05-01 09:30 UTC" in detail and "gave no date" in detail
    # one source with a date: that date, by that outlet, the other counted as repeating it
    dated = Source("T", "https://b.example/2", "Beta", published=date(2026, 4, 30))
    view = dataclasses.replace(view, sources=(undated, dated))
    detail = "".join(s.text for s in claim_lines(view)[1])
    assert "first published 2026-04-30 by Beta · repeated by 1 more outlet: Alpha" in detail
