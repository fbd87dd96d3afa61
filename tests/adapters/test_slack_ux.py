"""Slack conventions through the real router and store, the real bolt app and
Web API client, and the fake Slack server: answers only the asker sees (and
sharing them), the settings modal, the App Home tab, the manifest."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml

from bot.adapters.slack import SLASH_COMMAND, SlackAdapter
from bot.runtime import Services
from handlers.router import default_registry
from tests.adapters.test_slack import (
    CHANNEL,
    ROOT,
    all_text,
    assert_mrkdwn_escaped,
    post_signed,
    slack_settings,
    slash_body,
)
from tests.fakes.slack_server import BOT_USER_ID, TEAM_ID, FakeSlack

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def live(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[SlackAdapter]:
    """The Slack adapter in front of the real services (router, store)."""
    settings = slack_settings(fake, database_url=f"sqlite:///{tmp_path / 'cw.db'}")
    slack = SlackAdapter(settings)
    services = await Services.open(settings, [slack])
    await slack.start(services.router, services.router.registry.menu())
    yield slack
    await slack.stop()
    await services.close()


async def slash(
    slack: SlackAdapter,
    fake: FakeSlack,
    text: str,
    *,
    user: str = "U0ANN",
    channel: str = CHANNEL,
    trigger: str | None = None,
) -> None:
    url = fake.response_url(f"r{len(fake.responses)}-{text}", channel=channel, user=user)
    fields = {"response_url": url, "user": user, "channel": channel}
    body = slash_body(text, **fields)
    if trigger is not None:
        body = re.sub(r"trigger_id=[^&]*", f"trigger_id={trigger}", body)
    status, _ = await post_signed(slack, body, FORM)
    assert status == 200
    await slack.wait_idle()


def press(
    value: str, *, action_id: str, response_url: str, ephemeral: bool, user: str = "U0ANN"
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0APP",
        "container": {
            "type": "message",
            "message_ts": "1700000050.000001",
            "channel_id": CHANNEL,
            "is_ephemeral": ephemeral,
        },
        "channel": {"id": CHANNEL, "name": "news"},
        "response_url": response_url,
        "trigger_id": "trigger-press",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": action_id,
                "value": value,
                "action_ts": "1700000051.000000",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


# --------------------------------------------------------------------------- ephemeral


async def test_what_only_reads_is_shown_to_the_asker_and_changes_to_the_channel(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await slash(live, fake, "watch china")
    [announced] = await fake.wait_for_messages(1)
    assert announced.channel == CHANNEL and "Watching China" in announced.text

    for text in ("watching", "help", "status", "claims china", "settings"):
        await slash(live, fake, text)
    shown = await fake.wait_for_ephemerals(5)
    assert len(fake.messages) == 1  # nothing more reached the channel
    assert all(e.user == "U0ANN" and e.channel == CHANNEL for e in shown)
    assert "China" in shown[0].text
    # every such answer offers to share it, with its command
    shares = [b for e in shown for b in e.blocks if b.get("block_id") == "claimwatch_share"]
    assert [s["elements"][0]["value"] for s in shares][:2] == ["/watching", "/help"]

    # a refusal is the asker's business too
    await slash(live, fake, "unwatch atlantis")
    refusal = (await fake.wait_for_ephemerals(6))[-1]
    assert "does not watch" in refusal.text
    assert not any(b.get("block_id") == "claimwatch_share" for b in refusal.blocks)
    assert len(fake.messages) == 1


async def test_every_read_only_command_of_the_registry_answers_privately(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    read_only = [s.name for s in default_registry() if not s.changes_state and s.in_menu]
    assert {"claims", "event", "watching", "help", "status", "settings"} <= set(read_only)
    for name in read_only:
        await slash(live, fake, name)
    await fake.wait_for_ephemerals(len(read_only))
    assert fake.messages == []


async def test_share_in_channel_posts_the_answer_for_everyone(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await slash(live, fake, "watch china")
    await slash(live, fake, "watching")
    [private] = await fake.wait_for_ephemerals(1)
    share = next(b for b in private.blocks if b.get("block_id") == "claimwatch_share")
    value = share["elements"][0]["value"]
    url = fake.response_url("share", channel=CHANNEL, user="U0ANN")
    body = press(value, action_id="claimwatch_share", response_url=url, ephemeral=True)
    status, _ = await post_signed(live, body, FORM)
    assert status == 200
    messages = await fake.wait_for_messages(2)
    await live.wait_idle()
    shared = messages[1]
    assert shared.channel == CHANNEL and "China" in shared.text
    assert all_text(shared.blocks).count("Shared by <@U0ANN>") == 1
    kinds = [r.get("response_type") for r in fake.responses if r["id"] == "share"]
    assert kinds[0] == "in_channel"
    assert private.deleted  # the private copy went away


async def test_a_leading_share_word_answers_in_the_channel(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await slash(live, fake, "watch china")
    await slash(live, fake, "share watching")
    messages = await fake.wait_for_messages(2)
    assert "China" in messages[1].text
    assert fake.ephemerals == []
    # a mention shares the same way
    event = {
        "type": "app_mention",
        "user": "U0BOB",
        "text": f"<@{BOT_USER_ID}> share help",
        "ts": "1700000100.000100",
        "channel": CHANNEL,
    }
    from tests.adapters.test_slack import event_body

    await post_signed(live, event_body(event), "application/json")
    await fake.wait_for_messages(3)
    assert fake.ephemerals == []


async def test_a_button_on_a_private_answer_answers_privately_and_changes_publicly(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await slash(live, fake, "watch china")
    url = fake.response_url("btn", channel=CHANNEL, user="U0ANN")
    body = press("digest:hourly", action_id="claimwatch:digest:1", response_url=url, ephemeral=True)
    await post_signed(live, body, FORM)
    messages = await fake.wait_for_messages(2)
    assert "every hour" in messages[1].text
    assert messages[1].thread_ts is None  # an ephemeral message has no thread


# --------------------------------------------------------------------------- settings modal


async def test_settings_opens_a_modal_that_validates_before_saving(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await slash(live, fake, "watch china")
    await slash(live, fake, "settings", trigger=fake.trigger("U0ANN"))
    await fake.wait_for(lambda: bool(fake.views))
    [(view_id, view)] = fake.views.items()
    assert view["type"] == "modal" and view["title"]["text"] == "Chat settings"
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["claimwatch_field_timezone"]["initial_value"] == "UTC"
    level = next(k for k in inputs if k.startswith("claimwatch_field_level_"))
    assert inputs[level]["initial_option"]["value"] == "major"
    assert fake.ephemerals == []  # the modal is the answer

    # a bad time zone and quiet hours: errors in the modal, nothing saved
    bad = fake.submission(
        view_id,
        {
            "claimwatch_field_timezone": "Mars/Olympus",
            "claimwatch_field_quiet": "25:00-07:00",
            "claimwatch_field_digest": "hourly",
        },
    )
    status, text = await post_signed(live, urlencode({"payload": json.dumps(bad)}), FORM)
    assert status == 200
    answer = json.loads(text)
    assert answer["response_action"] == "errors"
    assert "Mars/Olympus" in answer["errors"]["claimwatch_field_timezone"]
    assert "22:00-07:00" in answer["errors"]["claimwatch_field_quiet"]
    await slash(live, fake, "settings")  # no trigger: shown as a message
    after = (await fake.wait_for_ephemerals(1))[-1]
    assert "Delivery: each alert as it comes" in after.text and "Time zone: UTC" in after.text

    # good values: the modal closes and the channel is told
    good = fake.submission(
        view_id,
        {
            "claimwatch_field_timezone": "Europe/Kyiv",
            "claimwatch_field_quiet": "22:00-07:00",
            "claimwatch_field_digest": "daily",
            "claimwatch_field_digest_time": "18:00",
            level: "all",
        },
    )
    status, text = await post_signed(live, urlencode({"payload": json.dumps(good)}), FORM)
    assert status == 200 and text == ""
    messages = await fake.wait_for_messages(2)
    told = messages[1]
    assert told.channel == CHANNEL
    for expected in ("every day at 18:00", "Quiet hours 22:00-07:00", "Europe/Kyiv", "every"):
        assert expected in told.text


async def test_a_member_without_admin_rights_sees_the_refusal_in_the_modal(
    fake: FakeSlack, tmp_path: Path
) -> None:
    fake.set_user("U0ANN")
    settings = slack_settings(
        fake, slack_admin_only=True, database_url=f"sqlite:///{tmp_path / 'cw.db'}"
    )
    slack = SlackAdapter(settings)
    services = await Services.open(settings, [slack])
    await slack.start(services.router)
    try:
        await slash(slack, fake, "settings", trigger=fake.trigger("U0ANN"))
        await fake.wait_for(lambda: bool(fake.views))
        [view_id] = fake.views
        payload = fake.submission(view_id, {"claimwatch_field_timezone": "Europe/Kyiv"})
        _, text = await post_signed(slack, urlencode({"payload": json.dumps(payload)}), FORM)
    finally:
        await slack.stop()
        await services.close()
    errors = json.loads(text)["errors"]
    assert any("Only admins" in why for why in errors.values())
    assert fake.messages == []


async def test_an_expired_trigger_shows_the_settings_as_a_message(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await slash(live, fake, "settings", trigger="expired-or-unknown")
    [shown] = await fake.wait_for_ephemerals(1)
    assert "Delivery:" in shown.text
    labels = [
        e["text"]["text"] for b in shown.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert "Hourly digest" in labels and "Share in channel" in labels


# --------------------------------------------------------------------------- App Home


async def test_app_home_lists_the_users_channels_with_watches(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    fake.set_user("U0ANN")
    fake.set_user("U0BOB")
    fake.channels["C0SECRET"] = {
        "id": "C0SECRET",
        "name": "secret",
        "is_channel": True,
        "is_im": False,
        "is_mpim": False,
        "is_private": True,
    }
    fake.channels["D0ANN"] = {
        "id": "D0ANN",
        "is_im": True,
        "is_mpim": False,
        "is_private": True,
        "is_channel": False,
        "user": "U0ANN",
    }
    fake.members.update(
        {
            CHANNEL: {"U0ANN", "U0BOB", BOT_USER_ID},  # watches: listed
            "C0QUIET": {"U0ANN", BOT_USER_ID},  # watches nothing: left out
            "C0SECRET": {"U0BOB", BOT_USER_ID},  # Ann is not in it: left out
            "C0GONE": {"U0ANN"},  # the bot left it: left out
            "C0OLD": {"U0ANN", BOT_USER_ID},  # archived: left out
            "D0ANN": {"U0ANN", BOT_USER_ID},  # Ann's DM with the bot: listed
        }
    )
    fake.archived.add("C0OLD")
    for channel in (CHANNEL, "C0SECRET", "C0GONE", "C0OLD"):
        await slash(live, fake, "watch china", channel=channel, user="U0BOB")
    await slash(live, fake, "watch a <b> & *c*", channel="D0ANN")
    await slash(live, fake, "quiet 22:00-07:00", channel=CHANNEL, user="U0BOB")
    event = {"type": "app_home_opened", "user": "U0ANN", "channel": "D0ANN", "tab": "home"}
    from tests.adapters.test_slack import event_body

    await post_signed(live, event_body(event, "EvHOME"), "application/json")
    await fake.wait_for(lambda: "U0ANN" in fake.home)
    home = fake.home["U0ANN"]
    sections = [b["text"]["text"] for b in home["blocks"] if b["type"] == "section"]
    assert len(sections) == 2
    assert sections[0].startswith("*#c0news*")
    assert (
        "Quiet hours:* 22:00-07:00" in sections[0] and "China (major developments)" in sections[0]
    )
    assert sections[1].startswith("*Your direct messages with ClaimWatch*")
    for text in sections:
        assert_mrkdwn_escaped(text)
    assert "a b &amp; \u200b*\u200bc" in sections[1]  # the watch's name, escaped
    assert "secret" not in all_text(home["blocks"]) and "c0old" not in all_text(home["blocks"])


# --------------------------------------------------------------------------- manifest


def _methods_called() -> set[str]:
    """The Web API methods the adapter calls: ``client.chat_postMessage`` is chat.postMessage."""
    found: set[str] = set()
    for path in (ROOT / "bot" / "adapters" / "slack").glob("*.py"):
        for name in re.findall(
            r"(?:self\.|(?<![\w.]))client\.([a-z]+_[A-Za-z_0-9]+)\(", path.read_text()
        ):
            family, _, method = name.partition("_")
            found.add(f"{family}.{method}")
    return found


def _downloads_shared_files() -> bool:
    return any(
        "url_private_download" in path.read_text()
        for path in (ROOT / "bot" / "adapters" / "slack").glob("*.py")
    )


#: The bot scopes each Web API method needs (Slack's method reference).
METHOD_SCOPES = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "users.info": {"users:read"},
    "conversations.info": {"channels:read", "groups:read", "mpim:read", "im:read"},
    "users.conversations": {"channels:read", "groups:read", "mpim:read", "im:read"},
    "views.open": set(),
    "views.publish": set(),
    # files_upload_v2: files.getUploadURLExternal, then files.completeUploadExternal
    "files.upload_v2": {"files:write"},
}
#: The events each listener needs, and their scopes.
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "message.im": {"im:history"},
    "app_home_opened": set(),
    "member_joined_channel": {"channels:read", "groups:read"},  # public and private channels
    "member_left_channel": {"channels:read", "groups:read"},
    "channel_left": {"channels:read"},
    "group_left": {"groups:read"},
}


def test_the_manifest_asks_for_every_scope_the_code_uses_and_lists_every_command() -> None:
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yaml").read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    called = _methods_called()
    assert called >= {"chat.postMessage", "views.open", "views.publish", "users.conversations"}
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES and the manifest"
    needed = {"commands"}.union(*(METHOD_SCOPES[m] for m in called))
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == EVENT_SCOPES.keys()
    needed |= set().union(*EVENT_SCOPES.values())
    if _downloads_shared_files():
        needed.add("files:read")  # a file's url_private_download takes the bot token
    assert scopes == needed  # every scope used, and none that is not
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True

    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == SLASH_COMMAND
    hint = command["usage_hint"]
    listed = [w for w in re.findall(r"(?:^|· )([a-z_]+)", hint) if w != "share"]
    wanted = [s.name for s in default_registry() if s.in_menu]
    assert listed == wanted, hint
    assert "share" in hint


async def test_in_socket_mode_the_modal_refusal_goes_back_in_the_ack(
    fake: FakeSlack, tmp_path: Path
) -> None:
    from tests.adapters.test_slack import slash_fields
    from tests.fakes.slack_server import APP_TOKEN

    settings = slack_settings(
        fake,
        slack_app_token=APP_TOKEN,
        slack_signing_secret=None,
        database_url=f"sqlite:///{tmp_path / 'cw.db'}",
    )
    slack = SlackAdapter(settings)
    services = await Services.open(settings, [slack])
    await slack.start(services.router)
    try:
        fields = slash_fields("settings")
        fields["trigger_id"] = fake.trigger("U0ANN")
        await fake.send_envelope("slash_commands", fields)
        await fake.wait_for(lambda: bool(fake.views))
        [view_id] = fake.views
        bad = fake.submission(view_id, {"claimwatch_field_digest_time": "8 o'clock"})
        bad["view"]["state"]["values"]["claimwatch_field_digest"]["value"]["selected_option"] = {
            "text": {"type": "plain_text", "text": "A daily digest"},
            "value": "daily",
        }
        ack = await fake.send_envelope("interactive", bad)
        assert ack["payload"]["response_action"] == "errors"
        assert "HH:MM" in ack["payload"]["errors"]["claimwatch_field_digest_time"]
        good = fake.submission(view_id, {"claimwatch_field_mute": "24h"})
        ack = await fake.send_envelope("interactive", good)
        assert not ack.get("payload")  # accepted: the modal closes
        [told] = await fake.wait_for_messages(1)
        assert "Muted until" in told.text
    finally:
        await slack.stop()
        await services.close()


async def test_share_in_a_dm_is_just_the_command(live: SlackAdapter, fake: FakeSlack) -> None:
    from tests.adapters.test_slack import event_body

    dm = {
        "type": "message",
        "channel_type": "im",
        "user": "U0ANN",
        "text": "share help",
        "ts": "1700000100.000300",
        "channel": "D0ANN",
    }
    await post_signed(live, event_body(dm), "application/json")
    [posted] = await fake.wait_for_messages(1)
    assert posted.channel == "D0ANN" and "Commands:" in posted.text


async def test_malformed_submissions_get_a_clean_answer_and_run_nothing(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    ours = {"type": "modal", "callback_id": "claimwatch_settings"}
    refused: list[Any] = ["x", None, [1], {"callback_id": "claimwatch_settings"}]
    odd: list[Any] = [
        {**ours, "private_metadata": 5, "blocks": "no"},
        {
            **ours,
            "private_metadata": json.dumps({"channel": CHANNEL, "command": "set"}),
            "blocks": [{"type": "input", "block_id": "other"}, 7],
            "state": {"values": {"claimwatch_field_mute": {"value": [1]}}},
        },
        {**ours, "private_metadata": "{", "state": [1]},
    ]
    statuses = []
    for view in refused + odd:
        payload = {"type": "view_submission", "user": {"id": "U0ANN"}, "view": view}
        status, _ = await post_signed(live, urlencode({"payload": json.dumps(payload)}), FORM)
        statuses.append(status)
    await live.wait_idle()
    assert statuses == [400] * len(refused) + [200] * len(odd)
    assert fake.messages == [] and fake.ephemerals == []
