"""/settings (the chat's settings with buttons and a form) and /set (several at once)."""

from __future__ import annotations

from bot.models import ChatRef, WatchLevel
from bot.runtime import Services
from handlers.panel import overview
from tests.fakes.chat import FakeChat


async def test_settings_shows_every_setting_with_buttons_and_a_form(chat: FakeChat) -> None:
    await chat.say("/watch china")
    await chat.say("/quiet 22:00-07:00")
    reply = await chat.say("/settings")
    assert reply.ok and not reply.changed  # it only reads (the router says so from the registry)
    text = reply.plain
    for expected in (
        "Watching: China (major developments)",
        "Delivery: each alert as it comes",
        "Quiet hours: 22:00-07:00",
        "Time zone: UTC",
        "Muted: no",
    ):
        assert expected in text
    by_label = {b.label: (b.action, b.arg, b.row) for b in reply.buttons}
    assert by_label["✓ Each alert"] == ("digest", "off", 0)
    assert by_label["Hourly digest"] == ("digest", "hourly", 0)
    assert by_label["✓ Quiet 22:00-07:00"] == ("quiet", "22:00-07:00", 1)
    assert by_label["Mute 24h"] == ("mute", "24h", 2)
    assert by_label["✓ China: major developments"][0:2] == ("watch", "gpe:china major")
    assert by_label["China: every claim"][0:2] == ("watch", "gpe:china all")
    assert reply.form is not None and reply.form.command == "set"
    fields = {f.name: f for f in reply.form.fields}
    assert fields["timezone"].value == "UTC"
    assert fields["quiet"].value == "22:00-07:00"
    [level] = [f for f in reply.form.fields if f.name.startswith("level_")]
    assert level.value == "major" and {c.value for c in level.choices} == set(WatchLevel)


async def test_a_settings_button_runs_its_command(chat: FakeChat) -> None:
    await chat.say("/watch china")
    reply = await chat.say("/settings")
    hourly = next(b for b in reply.buttons if b.label == "Hourly digest")
    pressed = await chat.say(f"/{hourly.action} {hourly.arg}")
    assert pressed.ok and pressed.changed and "every hour" in pressed.plain
    again = await chat.say("/settings")
    assert "✓ Hourly digest" in [b.label for b in again.buttons]
    level = next(b for b in again.buttons if b.label == "China: new events only")
    await chat.say(f"/{level.action} {level.arg}")
    assert "China (new events only)" in (await chat.say("/settings")).plain


async def test_set_changes_several_settings_at_once(chat: FakeChat) -> None:
    await chat.say("/watch china")
    form = (await chat.say("/settings")).form
    assert form is not None
    level = next(f.name for f in form.fields if f.name.startswith("level_"))
    reply = await chat.say(
        f"/set digest=daily digest_time=18:30 quiet=23:00 - 06:00 timezone=Europe/Kyiv "
        f"mute=24h {level}=all"
    )
    assert reply.ok and reply.changed, reply.plain
    text = (await chat.say("/settings")).plain
    assert "Delivery: daily digest at 18:30" in text
    assert "Quiet hours: 23:00-06:00" in text
    assert "Time zone: Europe/Kyiv" in text
    assert "Muted: until" in text
    assert "China (every claim)" in text


async def test_a_bad_value_changes_nothing_and_says_which(chat: FakeChat) -> None:
    await chat.say("/watch china")
    before = (await chat.say("/settings")).plain
    reply = await chat.say("/set digest=hourly timezone=Mars/Olympus quiet=25:00-07:00 mute=off")
    assert not reply.ok
    assert dict(reply.errors).keys() == {"timezone", "quiet"}
    assert "Mars/Olympus" in dict(reply.errors)["timezone"]
    assert "Nothing was changed" in reply.plain
    assert (await chat.say("/settings")).plain == before  # the hourly digest was not saved


async def test_set_refuses_unknown_settings_and_daily_without_a_time(chat: FakeChat) -> None:
    unknown = await chat.say("/set colour=blue")
    assert not unknown.ok and "no setting" in unknown.plain
    daily = await chat.say("/set digest=daily digest_time=")
    assert not daily.ok and dict(daily.errors).keys() == {"digest_time"}
    same = await chat.say("/set timezone=UTC")
    assert same.ok and "Nothing to change" in same.plain


async def test_only_admins_may_set_in_groups(chat: FakeChat) -> None:
    refused = await chat.say("/set timezone=Europe/Kyiv", chat_type="group", is_admin=False)
    assert not refused.ok and "Only admins" in refused.plain
    shown = await chat.say("/settings", chat_type="group", is_admin=False)
    assert shown.ok  # reading is for everyone


async def test_the_overview_lists_only_chats_that_watch_something(services: Services) -> None:
    watching = FakeChat(services.router, "c1")
    idle = FakeChat(services.router, "c2")
    await watching.say("/watch china")
    await idle.say("/timezone Europe/Kyiv")  # settings, but no watch
    found = await overview(services.router.ctx, [idle.ref, ChatRef("fake", "c9"), watching.ref])
    assert [s.chat for s in found] == [watching.ref]
    text = "\n".join("".join(span.text for span in line) for line in found[0].lines)
    assert "Watching: China (major developments)" in text
