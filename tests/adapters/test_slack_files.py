"""/export and /import through Slack: the real bolt app and Web API client
against the fake Slack (the files.getUploadURLExternal → upload →
files.completeUploadExternal flow, files shared with a command, and JSON
pasted after ``/claimwatch import``), wired to the real router and store."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack import SlackAdapter
from tests.adapters import test_slack_ux
from tests.adapters.test_slack import event_body, post_signed, slash_body
from tests.fakes.slack_server import BOT_USER_ID, FakeSlack

FORM = "application/x-www-form-urlencoded"


# the fake Slack, and the adapter in front of the real services (router, store)
fake = test_slack_ux.fake
live = test_slack_ux.live


async def command(slack: SlackAdapter, text: str, channel: str = "C0NEWS") -> None:
    status, _ = await post_signed(slack, slash_body(text, channel=channel), FORM)
    assert status == 200
    await slack.wait_idle()


async def event(slack: SlackAdapter, payload: dict[str, Any], event_id: str) -> None:
    status, _ = await post_signed(slack, event_body(payload, event_id), "application/json")
    assert status == 200
    await slack.wait_idle()


def last_text(fake: FakeSlack, channel: str) -> str:
    """The last answer posted for the channel."""
    return [m.text for m in fake.messages if m.channel == channel][-1]


def last_private(fake: FakeSlack, channel: str) -> str:
    """The last answer only the asker saw (a read-only command's)."""
    return [m.text for m in fake.ephemerals if m.channel == channel][-1]


async def test_export_uploads_a_file_another_channel_imports_pasted(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    await command(live, "watch china")
    await command(live, "digest hourly")
    await command(live, "export")
    # the answer goes to the asker alone; a file cannot, so it is shared in the channel
    assert "/claimwatch import" in last_private(fake, "C0NEWS")
    [shared] = fake.files
    assert shared.channel == "C0NEWS" and shared.name.startswith("claimwatch-slack-C0NEWS-")
    assert [c.method for c in fake.calls if c.method.startswith("files.")] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    doc = json.loads(shared.data)
    assert doc["chats"][0]["watches"][0]["name"] == "China"

    # another channel pastes the file's text after /claimwatch import
    await command(live, "import " + shared.data.decode(), channel="C0OTHER")
    reply = last_text(fake, "C0OTHER")
    assert "Added 1: China" in reply and "Settings changed" in reply


async def test_a_file_shared_with_the_command_is_imported(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    doc = {
        "format": "claimwatch-watches",
        "version": 1,
        "chats": [{"chat": "slack:C0NEWS", "watches": [{"kind": "entity", "key": "gpe:japan"}]}],
    }
    data = json.dumps(doc).encode()
    # in a DM: the message with the file is subtype file_share
    dm = {
        "type": "message",
        "subtype": "file_share",
        "channel": "D0ANN",
        "channel_type": "im",
        "user": "U0ANN",
        "text": "import",
        "ts": "1700000100.000100",
        "files": [fake.shared_file("setup.json", data)],
    }
    await event(live, dm, "Ev0DM")
    assert "Added 1: Japan" in last_text(fake, "D0ANN")
    # in a channel: "@ClaimWatch import" with the file attached
    mention = {
        "type": "app_mention",
        "channel": "C0THIRD",
        "user": "U0ANN",
        "text": f"<@{BOT_USER_ID}> import",
        "ts": "1700000200.000100",
        "files": [fake.shared_file("setup.json", data)],
    }
    await event(live, mention, "Ev0MENTION")
    assert "Added 1: Japan" in last_text(fake, "C0THIRD")
    assert fake.downloads == ["setup.json", "setup.json"]


async def test_a_file_shared_with_another_command_is_not_downloaded(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    mention = {
        "type": "app_mention",
        "channel": "C0NEWS",
        "user": "U0ANN",
        "text": f"<@{BOT_USER_ID}> watching",
        "ts": "1700000500.000100",
        "files": [fake.shared_file("holiday-photos.zip", b"PK private")],
    }
    await event(live, mention, "Ev0OTHER")
    assert "watches nothing" in last_private(fake, "C0NEWS")
    assert fake.downloads == []  # only /import reads a file


async def test_a_file_elsewhere_or_not_json_changes_nothing(
    live: SlackAdapter, fake: FakeSlack
) -> None:
    elsewhere = fake.shared_file("setup.json", b"{}")
    elsewhere["url_private_download"] = "https://attacker.example/steal"
    mention = {
        "type": "app_mention",
        "channel": "C0NEWS",
        "user": "U0ANN",
        "text": f"<@{BOT_USER_ID}> import",
        "ts": "1700000300.000100",
        "files": [elsewhere],
    }
    await event(live, mention, "Ev0ELSEWHERE")
    assert "not on Slack" in last_private(fake, "C0NEWS")  # a refusal: to the asker
    mention["files"] = [fake.shared_file("notes.txt", b"*bold* <not> json")]
    mention["ts"] = "1700000400.000100"
    await event(live, mention, "Ev0BAD")
    reply = last_private(fake, "C0NEWS")
    assert "is not JSON" in reply and "Nothing was imported" in reply
    await command(live, "watching")
    assert "watches nothing" in last_private(fake, "C0NEWS")
