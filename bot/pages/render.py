"""The pages as HTML: one self-contained document each, no script, no external
asset, one inline stylesheet (allowed by its hash in the Content-Security-Policy),
every piece of story text escaped (:mod:`bot.pages.escape`)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from bot.analysis.summary import claim_text
from bot.models import ClaimOrigin, ClaimView, Entity, EventSummary, Source
from bot.pages.chart import series_svg
from bot.pages.escape import esc, safe_href
from bot.pages.timeline import DENIAL, UPDATE, Entry, Timeline, tag_of

CSS = """
:root{color-scheme:light dark;--bg:#fbfbf8;--fg:#1d1f21;--muted:#5f6368;--line:#d9d9d4;
--card:#fff;--new:#1f6feb;--update:#b35900;--denial:#c62828;--accent:#1f6feb}
@media (prefers-color-scheme:dark){:root{--bg:#16181b;--fg:#e8e6e3;--muted:#a3a7ad;
--line:#33373d;--card:#1e2125;--new:#6ea8fe;--update:#f0a050;--denial:#ff7b72;--accent:#6ea8fe}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:46rem;margin:0 auto;padding:1rem 1rem 3rem}
a{color:var(--accent)}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.1rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:0 0 .25rem}
.kicker{margin:0;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.06em}
.meta{color:var(--muted);margin:.25rem 0;font-size:.9rem}
ol.timeline,ul.list{list-style:none;margin:0;padding:0}
ol.timeline>li{position:relative;margin:0 0 .9rem;padding:.6rem .8rem .6rem 1rem;
background:var(--card);border:1px solid var(--line);border-left:4px solid var(--new);
border-radius:6px;overflow-wrap:anywhere}
ol.timeline>li.update{border-left-color:var(--update)}
ol.timeline>li.denial{border-left-color:var(--denial)}
ol.timeline>li:target{outline:2px solid var(--accent)}
.when{font-size:.85rem;color:var(--muted);display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.tag{font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;
padding:.05rem .4rem;border-radius:3px;color:#fff;background:var(--new)}
.tag.update{background:var(--update)}.tag.denial{background:var(--denial)}
@media (prefers-color-scheme:dark){.tag{color:#111}}
.said{margin:.3rem 0}
.speaker{font-weight:650}
.refers{margin:.4rem 0;padding:.35rem .6rem;border-left:3px solid var(--line);
color:var(--muted);font-size:.9rem}
.refers.denies{border-left-color:var(--denial)}
.refers.updates{border-left-color:var(--update)}
.carried{margin:.3rem 0 0;font-size:.85rem;color:var(--muted)}
figure{margin:0 0 1.25rem;padding:.6rem;background:var(--card);border:1px solid var(--line);
border-radius:6px}
figcaption{font-size:.9rem;margin-bottom:.25rem}
svg.chart{display:block;width:100%;height:auto}
svg.chart .axis{stroke:var(--line);stroke-width:1}
svg.chart .line{fill:none;stroke:var(--update);stroke-width:3;stroke-linejoin:round}
svg.chart .pt{fill:var(--card);stroke:var(--update);stroke-width:3}
svg.chart text{fill:var(--fg);font-size:15px;font-family:inherit}
svg.chart .val{font-weight:700}
svg.chart .day{fill:var(--muted);font-size:13px}
ul.list>li{margin:0 0 .6rem;padding:.5rem .8rem;background:var(--card);
border:1px solid var(--line);border-radius:6px;overflow-wrap:anywhere}
footer{margin-top:2.5rem;color:var(--muted);font-size:.8rem}
@media (max-width:30rem){main{padding:.75rem .6rem 2rem}h1{font-size:1.3rem}
svg.chart text{font-size:26px}svg.chart .day{font-size:22px}}
"""

CSS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode()

CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{CSS_HASH}'; img-src 'none'; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)

EventLink = Callable[[str], str | None]


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _short_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def span_text(first: date, last: date) -> str:
    if first == last:
        return day_text(first)
    if first.year == last.year:
        return f"{_short_day(first)} – {day_text(last)}"
    return f"{day_text(first)} – {day_text(last)}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _time(day: date) -> str:
    return f'<time datetime="{day.isoformat()}">{day_text(day)}</time>'


def _link(text: str, url: str | None) -> str:
    href = safe_href(url) if url else None
    if href is None:
        return esc(text)
    return f'<a href="{href}" rel="noreferrer noopener">{esc(text)}</a>'


def page(title: str, body: Iterable[str], kicker: str) -> str:
    return "".join(
        [
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="robots" content="noindex, nofollow">',
            f"<title>{esc(title)} · ClaimWatch</title><style>{CSS}</style></head>",
            f'<body><main><p class="kicker">{esc(kicker)}</p>',
            *body,
            "</main></body></html>\n",
        ]
    )


def error_page(status: int, message: str) -> str:
    return page(f"{status}", [f"<h1>{esc(message)}</h1>"], "ClaimWatch")


# --------------------------------------------------------------------------- event


def _carried(sources: tuple[Source, ...]) -> str:
    if not sources:
        return ""
    items = []
    for src in sources:
        when = f" ({_short_day(src.published)})" if src.published else ""
        items.append(_link(src.outlet, src.url) + when)
    return f'<p class="carried">Carried by {" · ".join(items)}</p>'


def _shown(claim: ClaimView) -> str:
    """A claim's text as it reads after its speaker (a denial as what was denied)."""
    return esc(claim_text(claim.text, claim.stance, claim.cue))


def _quote(claim: ClaimView) -> str:
    return f'<b class="speaker">{esc(claim.speaker)}</b>: “{esc(claim.text)}”'


def _entry(entry: Entry) -> str:
    c = entry.claim
    anchor = esc(c.id)
    parts = [
        f'<li class="{entry.tag}" id="c-{anchor}">',
        f'<div class="when">{_time(entry.day)}<span class="tag {entry.tag}">{entry.tag}</span>',
        f"<span>{_plural(len(c.sources), 'outlet')}</span></div>"
        if len(c.sources) > 1
        else "</div>",
        f'<p class="said"><span class="speaker">{esc(c.speaker)}</span> — {_shown(c)}</p>',
    ]
    if entry.refers_to is not None:
        target = entry.refers_to
        kind, verb = ("denies", "Denies") if entry.tag == DENIAL else ("updates", "Updates")
        parts.append(
            f'<blockquote class="refers {kind}">{verb} <a href="#c-{esc(target.id)}">'
            f"the claim of {_short_day_or(target)}</a> — {_quote(target)}</blockquote>"
        )
    for denial in entry.denied_by:
        parts.append(
            f'<blockquote class="refers denies">Denied by <a href="#c-{esc(denial.id)}">'
            f"{esc(denial.speaker)}</a> — “{esc(denial.text)}”</blockquote>"
        )
    parts.append(_carried(c.sources))
    parts.append("</li>")
    return "".join(parts)


def _short_day_or(claim: ClaimView) -> str:
    days = [s.published for s in claim.sources if s.published is not None]
    return _short_day(min(days)) if days else esc(claim.first_seen.strftime("%d %b"))


def event_html(
    timeline: Timeline,
    generated: datetime,
    about: Sequence[Entity] = (),
    entity_link: EventLink | None = None,
) -> str:
    """The event page; ``about`` are the entities it is most about, linked to
    their pages with ``entity_link``."""
    view = timeline.view
    tags = [e.tag for e in timeline.entries]
    counts = [_plural(len(tags), "claim")]
    if (n := tags.count(UPDATE)) > 0:
        counts.append(_plural(n, "update"))
    if (n := tags.count(DENIAL)) > 0:
        counts.append(_plural(n, "denial"))
    body = [
        f"<h1>{esc(view.title)}</h1>",
        f'<p class="meta">{span_text(timeline.first_day, timeline.last_day)} · '
        f"{_plural(len(view.sources), 'story', 'stories')} · {' · '.join(counts)}</p>",
        f'<p class="meta">Outlets: {esc(", ".join(timeline.outlets)) or "none yet"}</p>',
    ]
    if about:
        names = [_link(e.name, entity_link(e.id) if entity_link else None) for e in about]
        body.append(f'<p class="meta">About: {" · ".join(names)}</p>')
    if timeline.series:
        body.append('<section id="figures"><h2>Figures over time</h2>')
        for n, series in enumerate(timeline.series, 1):
            body.append(
                f"<figure><figcaption>{esc(series.label)}</figcaption>"
                f"{series_svg(series, n)}</figure>"
            )
        body.append("</section>")
    body.append('<section id="timeline"><h2>Timeline</h2>')
    if timeline.entries:
        body.append('<ol class="timeline">')
        body.extend(_entry(e) for e in timeline.entries)
        body.append("</ol>")
    else:
        body.append("<p>No attributed claims in this event yet.</p>")
    body.append('</section><section id="sources"><h2>Sources</h2><ul class="list">')
    for src in view.sources:
        when = _time(src.published) + " · " if src.published else ""
        body.append(f"<li>{when}<b>{esc(src.outlet)}</b> — {_link(src.title, src.url)}</li>")
    body.append(
        f"</ul></section><footer>ClaimWatch · event {esc(view.id)} · as of "
        f"{generated:%Y-%m-%d %H:%M} UTC</footer>"
    )
    return page(view.title, body, "Event timeline")


# --------------------------------------------------------------------------- entity


def entity_html(
    entity: Entity,
    events: list[EventSummary],
    claims: list[ClaimView],
    origins: dict[str, ClaimOrigin],
    event_link: EventLink,
    generated: datetime,
) -> str:
    body = [
        f"<h1>{esc(entity.name)}</h1>",
        f'<p class="meta">{_plural(len(events), "recent event")} · '
        f"{_plural(len(claims), 'latest claim')}</p>",
        '<section id="events"><h2>Recent events</h2>',
    ]
    if not events:
        body.append("<p>No events yet.</p>")
    else:
        body.append('<ul class="list">')
        for ev in events:
            stories = _plural(ev.stories, "story", "stories")
            body.append(
                f"<li><h3>{_link(ev.title, event_link(ev.id))}</h3>"
                f'<p class="meta">{span_text(ev.first_day, ev.last_day)} · {stories} · '
                f"{_plural(ev.outlets, 'outlet')} · {_plural(ev.claims, 'claim')}</p>"
            )
            for claim in ev.latest:
                tag = tag_of(origins.get(claim.id), claim.stance)
                body.append(
                    f'<p class="said"><span class="tag {tag}">{tag}</span> '
                    f'<span class="speaker">{esc(claim.speaker)}</span> — {_shown(claim)}</p>'
                )
            body.append("</li>")
        body.append("</ul>")
    titles = {ev.id: ev.title for ev in events}
    body.append('</section><section id="claims"><h2>Latest claims</h2>')
    if not claims:
        body.append("<p>No claims yet.</p>")
    else:
        body.append('<ol class="timeline">')
        for claim in claims:
            origin = origins.get(claim.id)
            tag = tag_of(origin, claim.stance)
            day = origin.day if origin else claim.first_seen.date()
            body.append(
                f'<li class="{tag}"><div class="when">{_time(day)}'
                f'<span class="tag {tag}">{tag}</span>'
                f"<span>{_link(titles.get(claim.event_id, 'event'), event_link(claim.event_id))}"
                "</span></div>"
                f'<p class="said"><span class="speaker">{esc(claim.speaker)}</span> — '
                f"{_shown(claim)}</p>{_carried(claim.sources)}</li>"
            )
        body.append("</ol>")
    body.append(f"</section><footer>ClaimWatch · as of {generated:%Y-%m-%d %H:%M} UTC</footer>")
    return page(entity.name, body, "Who and what")
