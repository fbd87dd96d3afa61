"""What an event page shows, worked out from the store's values (pure functions).

* the **timeline**: every canonical claim of the event in order of first
  publication (the day of the first story that carried it, then the order the
  service learned them), tagged new, update or denial, with the claim it
  updates or denies beside it and the later denials of it;
* the **figures**: every chain of updates (a claim and the claims that update
  its figure, 40 → 80 → 120 in hospital) whose figure changed over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.models import ClaimOrigin, ClaimView, EventView, Novelty, Source, Stance

NEW, UPDATE, DENIAL = "new", "update", "denial"


def tag_of(origin: ClaimOrigin | None, stance: Stance) -> str:
    """The alert tags, lower-case: a contradiction or a denial is a denial, an
    update of a figure an update, anything else new."""
    novelty = origin.novelty if origin else None
    if novelty is Novelty.CONTRADICTION or stance is Stance.DENY:
        return DENIAL
    if novelty is Novelty.UPDATE:
        return UPDATE
    return NEW


@dataclass(frozen=True, slots=True)
class Entry:
    claim: ClaimView
    tag: str
    day: date
    refers_to: ClaimView | None = None  # the claim this one updates or denies
    denied_by: tuple[ClaimView, ...] = ()  # later claims that deny this one


@dataclass(frozen=True, slots=True)
class Point:
    claim_id: str
    day: date
    value: float
    speaker: str
    outlet: str


@dataclass(frozen=True, slots=True)
class Series:
    """One figure over time; ``label`` is the text of the claim that first gave it."""

    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    view: EventView
    entries: tuple[Entry, ...]
    series: tuple[Series, ...]
    outlets: tuple[str, ...]  # in the order of their first story
    first_day: date
    last_day: date


def _first_day(sources: tuple[Source, ...], fallback: date) -> date:
    days = [s.published for s in sources if s.published is not None]
    return min(days) if days else fallback


def build_timeline(view: EventView, origins: dict[str, ClaimOrigin]) -> Timeline:
    fallback = view.first_seen.date()
    days = {c.id: (origins[c.id].day if c.id in origins else fallback) for c in view.claims}
    order = {c.id: n for n, c in enumerate(view.claims)}
    claims = sorted(view.claims, key=lambda c: (days[c.id], c.first_seen, order[c.id]))
    by_id = {c.id: c for c in claims}
    tags = {c.id: tag_of(origins.get(c.id), c.stance) for c in claims}

    def refers(claim: ClaimView) -> ClaimView | None:
        origin = origins.get(claim.id)
        if origin is None or origin.matches is None or origin.matches == claim.id:
            return None
        return by_id.get(origin.matches)

    denials: dict[str, list[ClaimView]] = {}
    for claim in claims:
        target = refers(claim)
        if target is not None and tags[claim.id] == DENIAL:
            denials.setdefault(target.id, []).append(claim)
    entries = tuple(
        Entry(
            claim=c,
            tag=tags[c.id],
            day=days[c.id],
            refers_to=refers(c) if tags[c.id] in (UPDATE, DENIAL) else None,
            denied_by=tuple(denials.get(c.id, ())),
        )
        for c in claims
    )
    outlets: dict[str, None] = {}
    for src in view.sources:
        outlets.setdefault(src.outlet, None)
    story_days = [s.published for s in view.sources if s.published is not None]
    first = min([*story_days, *days.values()], default=fallback)
    last = max([*story_days, *days.values()], default=view.last_seen.date())
    return Timeline(
        view=view,
        entries=entries,
        series=figure_series(claims, origins, days),
        outlets=tuple(outlets),
        first_day=first,
        last_day=last,
    )


def figure_series(
    claims: list[ClaimView], origins: dict[str, ClaimOrigin], days: dict[str, date]
) -> tuple[Series, ...]:
    """Every chain of updates whose figure changed, in order of its first claim.
    ``claims`` are in timeline order."""
    by_id = {c.id: c for c in claims}
    parent: dict[str, str] = {}
    for c in claims:
        origin = origins.get(c.id)
        if (
            origin is not None
            and origin.novelty is Novelty.UPDATE
            and origin.matches in by_id
            and origin.matches != c.id
        ):
            parent[c.id] = origin.matches

    def root(claim_id: str) -> str:
        seen = {claim_id}
        while claim_id in parent and parent[claim_id] not in seen:
            claim_id = parent[claim_id]
            seen.add(claim_id)
        return claim_id

    linked = set(parent) | set(parent.values())
    chains: dict[str, list[ClaimView]] = {}
    for c in claims:
        if c.id in linked:
            chains.setdefault(root(c.id), []).append(c)
    out: list[Series] = []
    for head, members in chains.items():
        points: list[Point] = []
        for c in members:
            value = _figure(c, by_id.get(parent.get(c.id, "")), members)
            if value is None:
                continue
            outlet = c.sources[0].outlet if c.sources else ""
            points.append(Point(c.id, days[c.id], value, c.speaker, outlet))
        if len(points) >= 2 and len({p.value for p in points}) >= 2:
            out.append(Series(label=by_id[head].text, points=tuple(points)))
    return tuple(out)


def _figure(claim: ClaimView, updated: ClaimView | None, chain: list[ClaimView]) -> float | None:
    """The figure of ``claim`` the chain is about: for an update, the figure the
    claim it updates did not have; for the first claim, the one its updates
    replaced; else its first figure."""
    figures = list(claim.figures)
    if not figures:
        return None
    if updated is not None:
        fresh = [f for f in figures if f not in updated.figures]
        return (fresh or figures)[0]
    later = {f for c in chain if c is not claim for f in c.figures}
    replaced = [f for f in figures if f not in later]
    return (replaced or figures)[0]
