"""The Slack bot joining and leaving channels: the real bolt app against the
fake Slack Web API, events signed and posted as Slack posts them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.slack import SlackAdapter
from bot.models import ChatRef
from tests.adapters.test_slack import (
    CHANNEL,
    Recorder,
    event_body,
    post_signed,
    slack_settings,
)
from tests.fakes.slack_server import BOT_USER_ID, FakeSlack

Presence = tuple[ChatRef, bool, str]


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def presence() -> list[Presence]:
    return []


@pytest.fixture
def core() -> Recorder:
    return Recorder()


@pytest.fixture
async def adapter(
    fake: FakeSlack, core: Recorder, presence: list[Presence]
) -> AsyncIterator[SlackAdapter]:
    async def on_presence(chat: ChatRef, present: bool, why: str) -> None:
        presence.append((chat, present, why))

    slack = SlackAdapter(slack_settings(fake))
    slack.on_presence = on_presence
    await slack.start(core)
    yield slack
    await slack.stop()


async def test_invited_to_a_channel_the_bot_greets_it_and_resumes_its_watches(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack, presence: list[Presence]
) -> None:
    joined = {
        "type": "member_joined_channel",
        "user": BOT_USER_ID,
        "channel": CHANNEL,
        "channel_type": "C",
        "team": "T0TEAM",
        "inviter": "U0ANN",
    }
    status, _ = await post_signed(adapter, event_body(joined, "Ev1"), "application/json")
    assert status == 200
    [welcome] = await fake.wait_for_messages(1)
    await adapter.wait_idle()
    assert welcome.channel == CHANNEL
    [command] = core.commands
    assert (command.text, command.user_id, command.chat_id) == ("/start", "U0ANN", CHANNEL)
    assert presence == [(ChatRef("slack", CHANNEL), True, "added to the channel")]

    # Someone else joining is no news to the bot.
    other = {**joined, "user": "U0BOB"}
    await post_signed(adapter, event_body(other, "Ev2"), "application/json")
    await adapter.wait_idle()
    assert len(presence) == 1 and len(core.commands) == 1


async def test_removed_from_a_channel_the_bot_pauses_its_watches(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack, presence: list[Presence]
) -> None:
    left = {"type": "channel_left", "channel": CHANNEL, "actor_id": "U0ANN"}
    await post_signed(adapter, event_body(left, "Ev3"), "application/json")
    member_left = {"type": "member_left_channel", "user": BOT_USER_ID, "channel": "C0OTHER"}
    await post_signed(adapter, event_body(member_left, "Ev4"), "application/json")
    # Slack delivers an event again when it thinks the first try failed: once is enough.
    await post_signed(adapter, event_body(member_left, "Ev4"), "application/json")
    await adapter.wait_idle()
    assert presence == [
        (ChatRef("slack", CHANNEL), False, "removed from the channel"),
        (ChatRef("slack", "C0OTHER"), False, "removed from the channel"),
    ]
    assert fake.messages == [] and core.commands == []  # nothing posted where it cannot


def test_the_manifest_subscribes_to_the_membership_events() -> None:
    from tests.adapters.test_slack import ROOT

    manifest = (ROOT / "slack" / "manifest.yaml").read_text()
    for event in ("member_joined_channel", "member_left_channel", "channel_left"):
        assert f"- {event}" in manifest
