"""Subscription matching at scale: the WatchIndex against a naive loop.

    .venv/bin/python bench/match.py [--subs 100000] [--stories 300] [--seconds 2] [--filtered 0.05]

Builds synthetic subscriptions (chats watching 1..20 things; 80% entities
drawn from a Zipf popularity over a few thousand entities, 20% keyword
phrases drawn from a Zipf popularity over a phrase vocabulary) and synthetic
analysed stories (``bot.models.Analysis`` values built directly: entities
with salience, attributed claims with a novelty mix, a body in which watched
phrases sometimes occur). A share of the watches (``--filtered``, 5% by default;
drawn with an RNG of their own, so the rest of the input is the same at any
share) carry one or two +/- terms (``/watch china -taiwan``), mostly entities,
now and then a phrase. Then, on one core:

* matching   — the candidate subscriptions of a story (entity lookups plus
  the keyword automaton), which is what the index is for;
* plan_alerts — the whole of ``bot.watch.plan_alerts``, alert building
  included, which grows with the number of alerts a story produces;
* the same two through a naive index that loops over every subscription;
* single-watch updates: adding a watch (a new phrase) between two stories;
* the memory of the index (tracemalloc, Python and pyahocorasick allocations).

Two story mixes: "news" picks a story's entities with the same Zipf
popularity the watches have (popular entities are in the news and watched),
"long tail" picks them uniformly. Everything is seeded; figures vary with the
machine, not between runs.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import platform
import random
import string
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import (
    Analysis,
    ChatRef,
    Claim,
    Entity,
    EntityStat,
    EventFeatures,
    Link,
    Novelty,
    Stance,
    Story,
    Subscription,
    WatchTarget,
    WatchTerm,
    canonical_terms,
)
from bot.watch import AlertPlan, WatchIndex, normalise_phrase, plan_alerts

MIN_SALIENCE = 0.2
T0 = datetime(2026, 11, 23, tzinfo=UTC)


class Zipf:
    """Ranks 0..n-1 with P(rank k) ∝ 1/(k+1)^s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))

    def __call__(self) -> int:
        return bisect.bisect(self.cum, self.rng.random() * self.cum[-1])


@dataclass
class World:
    entities: list[Entity]
    phrases: list[str]
    words: list[str]
    subs: list[Subscription]


def _word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def build_world(n_subs: int, n_entities: int, n_phrases: int, rng: random.Random) -> World:
    words = sorted({_word(rng) for _ in range(12000)})[:8000]
    rng.shuffle(words)
    kinds = ["GPE", "PERSON", "ORG"]
    entities = [
        Entity(
            f"{kinds[i % 3].lower()}:e{i}",
            f"{words[i].title()} {string.ascii_uppercase[i % 26]}",
            kinds[i % 3],
        )
        for i in range(n_entities)
    ]
    phrase_set: set[str] = set()
    while len(phrase_set) < n_phrases:
        size = rng.choice((1, 2, 2, 3))
        phrase_set.add(" ".join(words[rng.randrange(200, 8000)] for _ in range(size)))
    phrases = sorted(phrase_set)
    rng.shuffle(phrases)

    entity_pop = Zipf(n_entities, 1.0, rng)
    phrase_pop = Zipf(n_phrases, 1.0, rng)
    subs: list[Subscription] = []
    ids = itertools.count(1)
    for chat_no in itertools.count():
        if len(subs) >= n_subs:
            break
        chat = ChatRef("telegram" if chat_no % 3 else "slack", str(-100_000_000 - chat_no))
        want = min(20, 1 + int(rng.expovariate(1 / 3)))
        keys: set[str] = set()
        for _ in range(want):
            if len(subs) >= n_subs:
                break
            if rng.random() < 0.2:
                phrase = phrases[phrase_pop()]
                target = WatchTarget("keyword", phrase, phrase)
            else:
                entity = entities[entity_pop()]
                target = WatchTarget("entity", entity.id, entity.name)
            if target.key in keys:
                continue
            keys.add(target.key)
            subs.append(Subscription(next(ids), chat, target, created=T0))
    return World(entities, phrases, words, subs)


def add_filters(world: World, share: float, rng: random.Random) -> None:
    """Give ``share`` of the watches one or two +/- terms: an entity drawn with the
    watches' popularity (so popular entities are excluded or required most), one
    time in five a phrase."""
    entity_pop = Zipf(len(world.entities), 1.0, rng)
    phrase_pop = Zipf(len(world.phrases), 1.0, rng)
    for n, sub in enumerate(world.subs):
        if rng.random() >= share:
            continue
        terms: list[WatchTerm] = []
        for _ in range(rng.randint(1, 2)):
            if rng.random() < 0.2:
                phrase = world.phrases[phrase_pop()]
                target = WatchTarget("keyword", phrase, phrase)
            else:
                entity = world.entities[entity_pop()]
                target = WatchTarget("entity", entity.id, entity.name)
            if target.key != sub.target.key:
                terms.append(WatchTerm(rng.random() < 0.5, target))
        world.subs[n] = replace(sub, filters=canonical_terms(terms))


@dataclass(frozen=True)
class Case:
    story: Story
    analysis: Analysis
    claims: tuple[Claim, ...]
    plan: AlertPlan


NOVELTY = [Novelty.REPEAT] * 5 + [Novelty.NEW] * 3 + [Novelty.UPDATE, Novelty.CONTRADICTION]


def build_stories(
    world: World, n: int, pick_entity: Callable[[], int], rng: random.Random
) -> list[Case]:
    word_pop = Zipf(len(world.words), 1.05, rng)
    phrase_pop = Zipf(len(world.phrases), 1.0, rng)
    cases: list[Case] = []
    for story_no in range(n):
        chosen: dict[str, Entity] = {}
        while len(chosen) < rng.randint(3, 10):
            e = world.entities[pick_entity()]
            chosen[e.id] = e
        ents = list(chosen.values())
        stats = tuple(
            EntityStat(
                e,
                mentions=rng.randint(1, 12),
                salience=round(rng.uniform(0.45, 0.95) if i < 2 else rng.uniform(0.02, 0.3), 3),
                in_title=i == 0,
            )
            for i, e in enumerate(ents)
        )
        body_words = [world.words[word_pop()] for _ in range(rng.randint(350, 700))]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):  # a watched phrase now and then
            body_words.insert(rng.randrange(len(body_words)), world.phrases[phrase_pop()])
        for e in ents[:4]:
            body_words.insert(rng.randrange(len(body_words)), e.name)
        title = f"{ents[0].name} {' '.join(body_words[:6])}"
        text = f"{title}\n\n{' '.join(body_words)}"
        people = [e for e in ents if e.type == "PERSON"] or ents
        claims = []
        for c in range(rng.randint(0, 5)):
            speaker = rng.choice(people)
            about = tuple(
                e.id
                for e in rng.sample(ents, k=min(len(ents), rng.randint(1, 2)))
                if e.id != speaker.id
            )
            novelty = rng.choice(NOVELTY)
            claims.append(
                Claim(
                    speaker=speaker.name,
                    cue="said",
                    stance=Stance.DENY if novelty is Novelty.CONTRADICTION else Stance.ASSERT,
                    direct=False,
                    text=" ".join(world.words[word_pop()] for _ in range(rng.randint(8, 20))),
                    speaker_id=speaker.id,
                    entities=about,
                    numbers=(),
                    id=f"c{story_no}.{c + 1}",
                    novelty=novelty,
                    matches=None if novelty is Novelty.NEW else f"c{max(story_no - 1, 0)}.1",
                )
            )
        analysis = Analysis(
            text=text,
            entities=stats,
            mentions=(),
            claims=tuple(claims),
            features=EventFeatures(terms={}, fingerprint=story_no, published=date(2026, 11, 23)),
        )
        story = Story(
            source=f"bench/{story_no}",
            title=title,
            body=text,
            url=f"https://news.example/{story_no}",
            outlet="Example News",
        )
        new_event = rng.random() < 0.2
        plan = AlertPlan(
            f"ev{story_no}",
            title[:80],
            new_event,
            rng.randint(1, 6),
            (Link("Example News", story.link),),
        )
        cases.append(Case(story, analysis, tuple(claims), plan))
    return cases


class NaiveIndex:
    """What the index replaces: every lookup loops over every subscription."""

    def __init__(self, subs: Iterable[Subscription]) -> None:
        self.subs = [s for s in subs if not s.paused]

    def for_entities(self, entity_ids: Iterable[str]) -> list[Subscription]:
        wanted = list(entity_ids)
        order = {eid: n for n, eid in enumerate(wanted)}
        hits = [s for s in self.subs if s.target.kind != "keyword" and s.target.key in order]
        hits.sort(key=lambda s: (order[s.target.key], s.id))
        return hits

    def keywords_in(self, text: str) -> set[str]:
        hay = f" {normalise_phrase(text)} "
        found: set[str] = set()
        for s in self.subs:
            if s.target.kind == "keyword":
                phrase = normalise_phrase(s.target.key)
                if f" {phrase} " in hay:
                    found.add(phrase)
        return found

    def for_keywords(self, phrases: Iterable[str]) -> list[Subscription]:
        wanted = list(phrases)
        order = {p: n for n, p in enumerate(wanted)}
        hits = [
            s
            for s in self.subs
            if s.target.kind == "keyword" and normalise_phrase(s.target.key) in order
        ]
        hits.sort(key=lambda s: (order[normalise_phrase(s.target.key)], s.id))
        return hits


def touched_entities(case: Case) -> list[str]:
    touched = {s.entity.id for s in case.analysis.entities}
    for c in case.claims:
        if c.novelty is not Novelty.REPEAT:
            touched.update(c.entities)
            if c.speaker_id:
                touched.add(c.speaker_id)
    return sorted(touched)


def match(index: WatchIndex | NaiveIndex, case: Case) -> int:
    found = index.for_entities(touched_entities(case))
    found += index.for_keywords(sorted(index.keywords_in(case.analysis.text)))
    return len(found)


def plan(index: WatchIndex | NaiveIndex, case: Case) -> int:
    alerts = plan_alerts(
        index,  # type: ignore[arg-type]  # NaiveIndex has the same lookups
        case.story,
        case.analysis,
        case.claims,
        case.plan,
        min_salience=MIN_SALIENCE,
    )
    return len(alerts)


def rate(fn: Callable[[Case], int], cases: Sequence[Case], seconds: float) -> tuple[float, float]:
    """(stories per second, mean result per story), over at least ``seconds``."""
    done = total = 0
    gc.collect()
    start = time.perf_counter()
    while True:
        for case in cases:
            total += fn(case)
        done += len(cases)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed, total / done


def index_memory(subs: Sequence[Subscription]) -> tuple[float, float]:
    """(MiB the index allocates, build seconds), measured apart from the timing runs."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = WatchIndex(subs)
    index.keywords_in("warm up the automaton")
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del index
    gc.collect()
    start = time.perf_counter()
    built = WatchIndex(subs)
    built.keywords_in("warm up the automaton")
    return (after - before) / 2**20, time.perf_counter() - start


def single_watch_updates(world: World, index: WatchIndex, case: Case, n: int) -> float:
    """Mean seconds for: one chat watches a phrase nobody watched, then a story is matched."""
    next_id = max(s.id for s in world.subs) + 1
    chat = ChatRef("telegram", "bench-updates")
    start = time.perf_counter()
    for k in range(n):
        phrase = f"fresh phrase {k} {world.words[k]}"
        index.add(Subscription(next_id + k, chat, WatchTarget("keyword", phrase, phrase)))
        match(index, case)
    per = (time.perf_counter() - start) / n
    for k in range(n):
        index.remove(next_id + k)
    return per


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--subs", type=int, default=100_000)
    p.add_argument("--entities", type=int, default=3_000)
    p.add_argument("--phrases", type=int, default=5_000)
    p.add_argument("--stories", type=int, default=300)
    p.add_argument("--seconds", type=float, default=2.0, help="minimum time per measurement")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--filtered", type=float, default=0.05, help="share of watches with +/- terms")
    args = p.parse_args(argv)

    rng = random.Random(args.seed)
    world = build_world(args.subs, args.entities, args.phrases, rng)
    add_filters(world, args.filtered, random.Random(args.seed + 1))
    n_kw = sum(1 for s in world.subs if s.target.kind == "keyword")
    n_filtered = sum(1 for s in world.subs if s.filters)
    chats = len({s.chat for s in world.subs})
    print(f"python {platform.python_version()} on {platform.machine()}, one core")
    print(
        f"{len(world.subs):,} subscriptions in {chats:,} chats: {len(world.subs) - n_kw:,} on "
        f"{len({s.target.key for s in world.subs if s.target.kind == 'entity'}):,} entities, "
        f"{n_kw:,} on {len({s.target.key for s in world.subs if s.target.kind == 'keyword'}):,} "
        "keyword phrases"
    )
    top = max(
        (sum(1 for s in world.subs if s.target.key == e.id), e.name) for e in world.entities[:3]
    )
    print(f"most watched entity: {top[0]:,} subscriptions")
    print(f"with +/- terms: {n_filtered:,} subscriptions (--filtered {args.filtered:g})")

    index = WatchIndex(world.subs)
    naive = NaiveIndex(world.subs)
    popular = Zipf(args.entities, 1.0, rng)
    mixes = {
        "news": build_stories(world, args.stories, popular, rng),
        "long tail": build_stories(world, args.stories, lambda: rng.randrange(args.entities), rng),
    }
    for name, cases in mixes.items():
        sample = cases[:: max(1, len(cases) // 60)]  # the naive loop is slow: compare on a sample
        m_idx, cand = rate(lambda c: match(index, c), cases, args.seconds)
        m_same, cand_same = rate(lambda c: match(index, c), sample, args.seconds / 2)
        m_naive, cand_naive = rate(lambda c: match(naive, c), sample, 0.5)
        assert cand_same == cand_naive, (cand_same, cand_naive)
        p_idx, alerts = rate(lambda c: plan(index, c), cases, args.seconds)
        p_same, alerts_same = rate(lambda c: plan(index, c), sample, args.seconds / 2)
        p_naive, alerts_naive = rate(lambda c: plan(naive, c), sample, 0.5)
        assert alerts_same == alerts_naive, (alerts_same, alerts_naive)
        print(
            f"\nstories: {name} ({len(cases)} stories; per story {cand:,.0f} candidate"
            f" subscriptions, {alerts:,.1f} alerts)"
        )
        print(
            f"  matching     {m_idx:>9,.0f} stories/s   vs naive loop on {len(sample)}:"
            f" {m_same:,.0f} / {m_naive:,.1f} = × {m_same / m_naive:,.0f}"
        )
        print(
            f"  plan_alerts  {p_idx:>9,.0f} stories/s   vs naive loop on {len(sample)}:"
            f" {p_same:,.0f} / {p_naive:,.1f} = × {p_same / p_naive:,.0f}"
            f"   ({p_idx * alerts:,.0f} alerts/s)"
        )

    per = single_watch_updates(world, index, mixes["news"][0], 2000)
    print(f"\nnew keyword watch + next story matched: {per * 1e6:,.0f} µs each (2,000 in a row)")
    mib, build = index_memory(world.subs)  # last: tracemalloc must not slow the timings
    print(f"index: built in {build:.2f} s, {mib:.1f} MiB (tracemalloc)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
