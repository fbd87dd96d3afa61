"""Event and entity pages over HTTP: what they show, escaping of hostile story
text, signed links (missing, wrong, expired), 404s, the rate limit and the
security headers."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.models import ChatRef, Claim, Entity, Novelty, Stance, Story, WatchTarget
from bot.pages.links import PageLinks
from storage.base import Store
from tests.pages.conftest import OpenSite, Site
from tests.storage.builders import CHINA, make_claim, make_record

MARKOVA = Entity("person:elena-markova", "Elena Markova", "PERSON")
CORVIN = Entity("org:corvin", "Corvin Agrochem", "ORG")
WATCHER = ChatRef("telegram", "-100777888999")

T = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def story(n: int, day: int, outlet: str, title: str | None = None) -> Story:
    return Story(
        source=f"feeds/{n}.txt",
        title=title or f"Sorna spill, report {n}",
        body=f"Body of report {n} on the Sorna spill.",
        url=f"https://{outlet.lower().replace(' ', '')}.example/sorna/{n}",
        outlet=outlet,
        published=date(2026, 3, day),
    )


def claim(claim_id: str, text: str, speaker: Entity = MARKOVA, **kw: object) -> Claim:
    return make_claim(claim_id, text, speaker=speaker, about=(CHINA,), **kw)  # type: ignore[arg-type]


async def save(store: Store, n: int, s: Story, *claims: Claim, new: bool = False) -> int:
    story_id = await store.add_story(s, T + timedelta(minutes=n))
    record = make_record(
        story_id,
        event_id="ev1",
        new_event=new,
        claims=claims,
        analysed_at=T + timedelta(minutes=10 * n),
    )
    await store.save_analysis(replace(record, event_title="Chemical leak on the Sorna river"))
    return story_id


async def sorna(store: Store) -> None:
    """Four outlets over three days; a figure 40 → 80 → 120; a claim and its denial;
    a story published first but analysed last."""
    await save(
        store,
        1,
        story(1, 10, "Harbourwire"),
        claim("c1", "At least 40 people were treated in hospital", numbers=(40.0,)),
        claim("c2", "the damaged tank had been sealed by early morning"),
        new=True,
    )
    await save(
        store,
        2,
        story(2, 11, "Danube Daily"),
        claim(
            "c3",
            "more than 80 people had been treated since the leak",
            numbers=(80.0,),
            novelty=Novelty.UPDATE,
            matches="c1",
        ),
        claim("c4", "the leak began days earlier", speaker=Entity("org:csc", "Campaigners", "ORG")),
    )
    await save(
        store,
        3,
        story(3, 11, "Euro Chronicle"),
        claim(
            "c5",
            "the cover-up claims are baseless",
            speaker=CORVIN,
            stance=Stance.DENY,
            novelty=Novelty.CONTRADICTION,
            matches="c4",
        ),
    )
    await save(
        store,
        4,
        story(4, 12, "The Ledger"),
        claim(
            "c6",
            "More than 120 people have now needed hospital treatment",
            numbers=(120.0,),
            novelty=Novelty.UPDATE,
            matches="c1",
        ),
        claim(
            "c1x",
            "At least 40 people were treated in hospital",
            novelty=Novelty.REPEAT,
            matches="c1",
            numbers=(40.0,),
        ),
    )
    await save(
        store,
        5,
        story(5, 9, "Night Desk"),
        claim("c7", "a sharp smell came from the plant on Saturday", speaker=CHINA),
    )


def body_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_event_page_shows_the_whole_story(open_site: OpenSite) -> None:
    site = await open_site()
    await sorna(site.services.store)
    response = await site.get(site.links.event("ev1"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    text = body_text(html)
    assert "<h1>Chemical leak on the Sorna river</h1>" in html
    assert "9 Mar – 12 Mar 2026" in text
    assert "5 stories" in text and "7 claims" in text and "2 updates" in text
    assert "1 denial" in text
    for outlet in ("Harbourwire", "Danube Daily", "Euro Chronicle", "The Ledger", "Night Desk"):
        assert outlet in text
    # the timeline: in order of first publication, the story published on 9 Mar first
    items = re.findall(r'<li class="(\w+)" id="c-([\w.]+)">', html)
    assert [cid for _, cid in items] == ["c7", "c1", "c2", "c3", "c4", "c5", "c6"]
    assert dict((cid, tag) for tag, cid in items) == {
        "c7": "new",
        "c1": "new",
        "c2": "new",
        "c3": "update",
        "c4": "new",
        "c5": "denial",
        "c6": "update",
    }
    # the denial next to what it denies, and the denied claim points at its denial
    denial = re.search(r'<li class="denial" id="c-c5">(.*?)</li>', html, re.S)
    assert denial is not None
    assert 'href="#c-c4"' in denial.group(1) and "the leak began days earlier" in denial.group(1)
    denied = re.search(r'<li class="new" id="c-c4">(.*?)</li>', html, re.S)
    assert denied is not None and "Denied by" in denied.group(1) and "#c-c5" in denied.group(1)
    # a claim carried by two outlets lists both, with their days
    first = re.search(r'id="c-c1">(.*?)</li>', html, re.S)
    assert first is not None
    carried = body_text(first.group(1))
    assert "Harbourwire (10 Mar)" in carried and "The Ledger (12 Mar)" in carried
    # the figure that changed: one chart, 40 → 80 → 120, drawn in SVG
    charts = re.findall(r'<svg class="chart".*?</svg>', html, re.S)
    assert len(charts) == 1
    assert [v for v in re.findall(r'<text class="val"[^>]*>([^<]+)</text>', charts[0])] == [
        "40",
        "80",
        "120",
    ]
    assert "<polyline" in charts[0]
    # every source linked
    for n, outlet in enumerate(
        ["Harbourwire", "Danube Daily", "Euro Chronicle", "The Ledger", "Night Desk"], 1
    ):
        url = f"https://{outlet.lower().replace(' ', '')}.example/sorna/{n}"
        assert f'href="{url}"' in html
    assert "<script" not in html.lower()
    # what the event is about, linked to the entities' pages
    about = re.search(r'<p class="meta">About: (.*?)</p>', html)
    assert about is not None
    assert re.findall(r">([^<]+)</a>", about.group(1)) == ["China", "Volodymyr Zelensky", "Russia"]
    china = re.search(r'href="([^"]+)"', about.group(1))
    assert china is not None and "/entity/gpe:china?" in china.group(1)
    entity = await site.get(china.group(1).replace("&amp;", "&"))
    assert entity.status_code == 200 and "<h1>China</h1>" in entity.text


async def test_no_chat_user_or_subscription_appears(open_site: OpenSite) -> None:
    site = await open_site()
    store = site.services.store
    await store.add_subscription(WATCHER, WatchTarget("entity", CHINA.id, "China"), T)
    await sorna(store)
    for url in (site.links.event("ev1"), site.links.entity(CHINA.id)):
        html = (await site.get(url)).text
        assert WATCHER.chat_id not in html and "telegram" not in html.lower()
        assert "watching" not in html.lower() and "subscri" not in html.lower()


async def test_hostile_story_text_is_escaped(open_site: OpenSite) -> None:
    site = await open_site()
    store = site.services.store
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    hostile = Story(
        source="javascript:alert(1)",
        title=f"Spill {evil}",
        body="Body.",
        url="javascript:alert(document.cookie)",
        outlet=f'Outlet "><b>{evil}',
        published=date(2026, 3, 10),
    )
    story_id = await store.add_story(hostile, T)
    bad = make_claim(
        "c1",
        f"</li></ol>{evil} & more",
        speaker=Entity("person:evil", f'"><svg onload=alert(1)>{evil}', "PERSON"),
        numbers=(40.0,),
    )
    update = replace(bad, id="c2", numbers=(80.0,), novelty=Novelty.UPDATE, matches="c1")
    record = make_record(story_id, event_id="ev1", claims=(bad, update))
    await store.save_analysis(replace(record, event_title=f"Title {evil}\x00\x07"))
    for url in (site.links.event("ev1"), site.links.entity(CHINA.id)):
        html = (await site.get(url)).text
        lowered = html.lower()
        assert "<script" not in lowered and "<img" not in lowered
        assert re.findall(r"<[^>]*\son\w+=", html) == []  # no event-handler attribute
        assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # never in an attribute
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert 'style="' not in html
        assert "\x00" not in html and "\x07" not in html
    html = (await site.get(site.links.event("ev1"))).text
    assert html.count("<li class=") == 2 and html.count("<li>") == 1  # nothing injected
    assert html.count("<svg") == 1


async def test_entity_page_lists_recent_events_and_latest_claims(open_site: OpenSite) -> None:
    site = await open_site()
    await sorna(site.services.store)
    response = await site.get(site.links.entity(CHINA.id))
    assert response.status_code == 200
    html = response.text
    text = body_text(html)
    assert "<h1>China</h1>" in html
    assert "Chemical leak on the Sorna river" in text
    assert "5 stories · 5 outlets · 7 claims" in text
    # the latest developments of the event, newest first
    events = re.search(r'<section id="events">(.*?)</section>', html, re.S)
    assert events is not None
    latest = re.findall(r'<p class="said">(.*?)</p>', events.group(1))
    assert "a sharp smell" in latest[0] and "120 people" in body_text(latest[1])
    # the event links to its (signed) page, which opens
    link = re.search(r'<h3><a href="([^"]+)"', html)
    assert link is not None and "sig=" in link.group(1)
    assert (await site.get(link.group(1).replace("&amp;", "&"))).status_code == 200
    claims = re.search(r'<section id="claims">(.*?)</section>', html, re.S)
    assert claims is not None
    assert body_text(claims.group(1)).count("Carried by") == 7
    assert '<span class="tag denial">denial</span>' in claims.group(1)


def expired_link(site: Site, url_of: str) -> str:
    """The same link, made by the same secret 40 days ago (PAGES_LINK_DAYS is 30)."""
    old = PageLinks(
        base=site.links.base,
        signed=True,
        ttl=site.links.ttl,
        clock=lambda: datetime.now(UTC) - timedelta(days=40),
        key=site.links.key,
    )
    return old.url(url_of)


async def test_a_signed_page_needs_a_valid_unexpired_signature(open_site: OpenSite) -> None:
    site = await open_site()
    await sorna(site.services.store)
    good = site.links.event("ev1")
    assert (await site.get(good)).status_code == 200
    path, _, query = good.partition("?")
    until = re.search(r"until=(\d+)", query)
    assert until is not None
    refused = [
        path,  # missing
        f"{path}?until={until.group(1)}",  # no signature
        f"{path}?until={until.group(1)}&sig=AAAAAAAAAAAAAAAAAAAAAA",  # wrong
        f"{path}?until={int(until.group(1)) + 3600}&{query.split('&')[1]}",  # longer life
        good.replace("/event/ev1", "/event/ev2"),  # another event's path
        good.replace("/event/ev1", "/entity/ev1"),
        expired_link(site, "/event/ev1"),  # expired
        f"{path}?until=99999999999999999999&sig=x",
    ]
    bodies = set()
    for url in refused:
        response = await site.get(url)
        assert response.status_code == 403, url
        bodies.add(response.text)
    # a link to an event that does not exist is refused the same way
    missing = await site.get("/event/ev404")
    assert missing.status_code == 403 and missing.text in bodies
    assert len(bodies) == 1
    # with a valid signature, an unknown event or entity is a 404
    assert (await site.get(site.links.event("ev404"))).status_code == 404
    assert (await site.get(site.links.entity("gpe:atlantis"))).status_code == 404
    # the entity page: missing, wrong and expired signatures
    entity = site.links.entity(CHINA.id)
    assert (await site.get(entity)).status_code == 200
    for url in (
        entity.partition("?")[0],
        entity + "x",
        expired_link(site, f"/entity/{CHINA.id}"),
        "/entity/gpe:atlantis",
    ):
        response = await site.get(url)
        assert response.status_code == 403 and response.text in bodies, url


async def test_links_made_by_another_secret_are_refused(open_site: OpenSite) -> None:
    site = await open_site(pages_secret="one secret")
    await sorna(site.services.store)
    assert (await site.get(site.links.event("ev1"))).status_code == 200
    forged = PageLinks(
        base=site.links.base,
        signed=True,
        ttl=site.links.ttl,
        clock=site.links.clock,
        key=b"another secret",
    )
    assert (await site.get(forged.event("ev1"))).status_code == 403


async def test_the_generated_secret_survives_a_restart(open_site: OpenSite) -> None:
    first = await open_site()
    await sorna(first.services.store)
    link = first.links.event("ev1")
    second = await open_site()  # the same database
    assert second.links.key == first.links.key
    assert (await second.get(link)).status_code == 200


async def test_public_pages_and_pages_off(open_site: OpenSite) -> None:
    public = await open_site(pages="public")
    await sorna(public.services.store)
    assert public.links.event("ev1") == "https://news.example.org/cw/event/ev1"
    assert (await public.get("/event/ev1")).status_code == 200
    assert (await public.get("/entity/gpe:china")).status_code == 200
    assert (await public.get("/event/ev404")).status_code == 404
    off = await open_site(pages="off")
    assert off.services.pages is None
    assert (await off.client.get("/event/ev1")).status_code == 404
    unset = await open_site(public_url=None)
    assert unset.services.pages is None
    assert (await unset.client.get("/event/ev1")).status_code == 404


async def test_security_headers_and_a_strict_policy(open_site: OpenSite) -> None:
    site = await open_site()
    await sorna(site.services.store)
    for url in (site.links.event("ev1"), "/event/ev1", site.links.event("nope")):
        response = await site.get(url)
        h = response.headers
        policy = h["content-security-policy"]
        assert policy.startswith("default-src 'none';")
        assert "script-src" not in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        assert h["cache-control"] == "no-store"
        # the one inline stylesheet is allowed by its hash, nothing else is
        styles = re.findall(r"<style>(.*?)</style>", response.text, re.S)
        assert len(styles) == 1
        digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
        assert f"style-src 'sha256-{digest}'" in policy
        assert "<script" not in response.text and 'style="' not in response.text
        assert "<link" not in response.text and " src=" not in response.text


async def test_each_client_is_rate_limited(open_site: OpenSite) -> None:
    site = await open_site(pages_rate_per_minute=3, pages_client_header="X-Real-IP")
    await sorna(site.services.store)
    url = site.links.event("ev1")
    for _ in range(3):
        assert (await site.get(url, **{"X-Real-IP": "203.0.113.5"})).status_code == 200
    over = await site.get(url, **{"X-Real-IP": "203.0.113.5"})
    assert over.status_code == 429
    assert int(over.headers["retry-after"]) >= 1
    assert over.headers["content-security-policy"].startswith("default-src 'none'")
    # bad links count too: guessing signatures is limited by the same budget
    assert (await site.get("/event/ev1", **{"X-Real-IP": "203.0.113.5"})).status_code == 429
    # another client is not held back
    assert (await site.get(url, **{"X-Real-IP": "198.51.100.7"})).status_code == 200
    # a second service has a limiter of its own
    other = await open_site(pages_rate_per_minute=3, pages_client_header="X-Real-IP")
    assert (
        await other.get(other.links.event("ev1"), **{"X-Real-IP": "203.0.113.5"})
    ).status_code == 200
