"""Two instances of the service on one database, each with its own Slack
adapter (HTTP mode behind a load balancer): Slack retries an event whose ack
was slow, and the retry may reach the other instance. It is answered once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.slack import SlackAdapter
from bot.runtime import Services
from tests.adapters import test_slack_ux
from tests.adapters.test_slack import event_body, post_signed, slack_settings
from tests.fakes.slack_server import BOT_USER_ID, FakeSlack

fake = test_slack_ux.fake  # the fake Slack


@pytest.fixture
async def replicas(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[list[SlackAdapter]]:
    settings = slack_settings(fake, database_url=f"sqlite:///{tmp_path / 'shared.db'}")
    running: list[tuple[SlackAdapter, Services]] = []
    for _ in range(2):
        slack = SlackAdapter(settings)
        services = await Services.open(settings, [slack])
        await slack.start(services.router, services.router.registry.menu())
        running.append((slack, services))
    yield [slack for slack, _ in running]
    for slack, services in running:
        await slack.stop()
        await services.close()


def mention(text: str) -> dict[str, object]:
    return {
        "type": "app_mention",
        "channel": "C0DESK",
        "user": "U0ANN",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": "1700000900.000100",
    }


async def test_a_retried_event_reaching_another_instance_is_answered_once(
    replicas: list[SlackAdapter],
    fake: FakeSlack,
) -> None:
    first, second = replicas
    body = event_body(mention("watch china"), "Ev0RETRY")
    assert (await post_signed(first, body, "application/json"))[0] == 200
    await first.wait_idle()
    assert (await post_signed(second, body, "application/json"))[0] == 200  # Slack's retry
    await second.wait_idle()
    await asyncio.sleep(0.2)
    answers = [m.text for m in fake.messages if m.channel == "C0DESK"]
    assert len(answers) == 1 and "China" in answers[0]
    # another event is a new command, whichever instance it reaches
    other = event_body(mention("unwatch china"), "Ev0NEXT")
    assert (await post_signed(second, other, "application/json"))[0] == 200
    await second.wait_idle()
    assert len([m for m in fake.messages if m.channel == "C0DESK"]) == 2
