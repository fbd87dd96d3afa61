"""Event pages: how long an event page with many claims takes.

    .venv/bin/python bench/pages.py [--claims 500] [--stories 60] [--runs 50]

Builds one synthetic event in a fresh SQLite file through the real store
(``save_analysis``): ``--stories`` stories from 12 outlets over a week, each
with its share of ``--claims`` canonical claims, a fifth of them repeated by a
later story (so claims have several sources), chains of figure updates
(40 → 80 → 120 …) and denials of earlier claims. Then, on one core:

* render — ``build_timeline`` + ``event_html`` from the values already read
  (what "renders in under 50 ms" is about), in wall time and in this
  process's CPU time (less sensitive to other jobs on the machine);
* read   — the store queries of a page (``event_view`` + ``claim_origins``);
* HTTP   — a whole signed ``GET /event/…`` on the real server on 127.0.0.1
  (rate limit, signature, queries, render), from an HTTP client in the same
  process; and the entity page of the event's main entity the same way.

Seeded; figures vary with the machine, not between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

import httpx

from bot.config import load_settings
from bot.models import (
    Analysis,
    Claim,
    Entity,
    EntityStat,
    EventFeatures,
    Novelty,
    Stance,
    Story,
)
from bot.pages.render import event_html
from bot.pages.timeline import build_timeline
from bot.runtime import Services, http_server
from storage.base import AnalysisRecord

T0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
OUTLETS = [f"Outlet {name}" for name in "ABCDEFGHIJKL"]
SPEAKERS = [Entity(f"person:p{n}", f"Speaker Number {n}", "PERSON") for n in range(40)]
MAIN = Entity("gpe:bulgaria", "Bulgaria", "GPE")
WORDS = (
    "officials",
    "said",
    "the",
    "river",
    "water",
    "plant",
    "town",
    "leak",
    "minister",
    "inspectors",
    "figures",
    "hospital",
    "residents",
    "border",
    "company",
    "statement",
    "records",
    "tank",
    "pressure",
    "fish",
    "kilometres",
    "night",
)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def build(rng: random.Random, claims: int, stories: int) -> list[tuple[Story, list[Claim]]]:
    per_story = [claims // stories + (1 if i < claims % stories else 0) for i in range(stories)]
    out: list[tuple[Story, list[Claim]]] = []
    made: list[Claim] = []
    chain_heads: list[Claim] = []
    for s, count in enumerate(per_story):
        day = date(2026, 3, 10) + timedelta(days=s * 7 // stories)
        outlet = OUTLETS[s % len(OUTLETS)]
        story = Story(
            source=f"bench/{s}.txt",
            title=f"{sentence(rng, 8)} ({s})",
            body=sentence(rng, 60),
            url=f"https://{outlet.split()[1].lower()}.example/{s}",
            outlet=outlet,
            published=day,
        )
        own: list[Claim] = []
        for n in range(1, count + 1):
            cid = f"c{s + 1}.{n}"
            speaker = rng.choice(SPEAKERS)
            roll = rng.random()
            novelty, matches, numbers, stance = Novelty.NEW, None, (), Stance.ASSERT
            if roll < 0.06 and chain_heads:
                head = rng.choice(chain_heads)
                novelty, matches = Novelty.UPDATE, head.id
                numbers = (head.numbers[0] * (1 + rng.randint(1, 9) / 10),)
            elif roll < 0.10 and made:
                novelty, matches, stance = Novelty.CONTRADICTION, rng.choice(made).id, Stance.DENY
            elif roll < 0.14:
                numbers = (float(rng.randint(10, 500)),)
            claim = Claim(
                speaker=speaker.name,
                cue="said",
                stance=stance,
                direct=rng.random() < 0.3,
                text=sentence(rng, rng.randint(8, 30)),
                speaker_id=speaker.id,
                entities=(MAIN.id,),
                numbers=numbers,
                id=cid,
                novelty=novelty,
                matches=matches,
                why="bench",
            )
            own.append(claim)
            if numbers and novelty is Novelty.NEW:
                chain_heads.append(claim)
        # a fifth of the earlier claims are carried again by this story
        for earlier in rng.sample(made, min(len(made), count // 5)):
            own.append(
                Claim(
                    speaker=earlier.speaker,
                    cue="said",
                    stance=earlier.stance,
                    direct=False,
                    text=earlier.text,
                    speaker_id=earlier.speaker_id,
                    entities=earlier.entities,
                    numbers=earlier.numbers,
                    id=f"c{s + 1}.r{earlier.id}",
                    novelty=Novelty.REPEAT,
                    matches=earlier.id,
                    why="bench",
                )
            )
        made.extend(c for c in own if c.novelty is not Novelty.REPEAT)
        out.append((story, own))
    return out


def timed(
    runs: int, fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    out = []
    for _ in range(runs):
        start = clock()
        fn()
        out.append((clock() - start) * 1000)
    return out


async def timed_async(runs: int, fn: Callable[[], Awaitable[object]]) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def show(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(
        f"  {name:<28} median {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms   "
        f"max {ms[-1]:7.2f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory(prefix="cw-bench-pages-") as tmp:
        settings = load_settings(
            _env_file=None,
            database_url=f"sqlite:///{tmp}/pages.db",
            public_url="http://127.0.0.1",
            pages_rate_per_minute=100_000,
        )
        services = await Services.open(settings)
        store = services.store
        for n, (story, claims) in enumerate(build(rng, args.claims, args.stories)):
            story_id = await store.add_story(story, T0 + timedelta(minutes=n))
            analysis = Analysis(
                text=f"{story.title}\n\n{story.body}",
                entities=(EntityStat(MAIN, 5, 0.9, in_title=True),),
                mentions=(),
                claims=tuple(claims),
                features=EventFeatures({MAIN.id: 1.0}, 0, story.published),
            )
            await store.save_analysis(
                AnalysisRecord(
                    story_id=story_id,
                    analysis=analysis,
                    event_id="ev1",
                    new_event=n == 0,
                    event_title="A long-running event with many claims",
                    duplicate_of=None,
                    claims=tuple(claims),
                    alerts=(),
                    analysed_at=T0 + timedelta(minutes=n),
                )
            )
        view = await store.event_view("ev1")
        assert view is not None
        origins = await store.claim_origins([c.id for c in view.claims])
        timeline = build_timeline(view, origins)
        html = event_html(timeline, T0)
        sources = sum(len(c.sources) for c in view.claims)
        print(
            f"event: {len(view.claims)} claims ({sum(e.tag == 'update' for e in timeline.entries)}"
            f" updates, {sum(e.tag == 'denial' for e in timeline.entries)} denials), "
            f"{len(view.sources)} stories, {sources} claim sources, "
            f"{len(timeline.series)} figure charts; page {len(html) / 1024:.0f} KiB"
        )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"python {platform.python_version()} on {platform.machine()}, {args.runs} runs each;"
            f" load average {load} on {os.cpu_count()} CPUs"
        )

        def render() -> str:
            return event_html(build_timeline(view, origins), T0)

        show("render (timeline + HTML)", timed(args.runs, render))
        show("render, CPU time", timed(args.runs, render, time.process_time))

        async def read() -> None:
            v = await store.event_view("ev1")
            assert v is not None
            await store.claim_origins([c.id for c in v.claims])

        show("read (store queries)", await timed_async(args.runs, read))

        server = http_server(services)
        await server.start(host="127.0.0.1", port=0)
        pages = services.pages
        assert pages is not None
        base = f"http://127.0.0.1:{server.port}"
        event_url = pages.event("ev1").replace("http://127.0.0.1", base)
        entity_url = pages.entity(MAIN.id).replace("http://127.0.0.1", base)
        try:
            async with httpx.AsyncClient() as client:

                async def get(url: str) -> None:
                    response = await client.get(url)
                    assert response.status_code == 200, response.status_code

                await get(event_url)
                show("HTTP GET event page", await timed_async(args.runs, lambda: get(event_url)))
                show("HTTP GET entity page", await timed_async(args.runs, lambda: get(entity_url)))
        finally:
            await server.stop()
            await services.close()


if __name__ == "__main__":
    asyncio.run(main())
