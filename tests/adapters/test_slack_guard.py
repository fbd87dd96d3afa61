"""The Slack front door's replay memory: as long as a signature is fresh, bounded."""

from __future__ import annotations

from bot.adapters.slack_guard import (
    REPLAY_CACHE_SIZE,
    REPLAY_WINDOW_SECONDS,
    TOLERANCE_SECONDS,
    RequestRefused,
    SlackGuard,
    sign,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_request_is_remembered_for_longer_than_its_signature_is_fresh() -> None:
    clock = Clock()
    guard = SlackGuard("secret", clock)
    body = b"command=%2Fclaimwatch&text=watch+china&trigger_id=1"
    headers = {
        "X-Slack-Request-Timestamp": str(int(clock.now)),
        "X-Slack-Signature": sign("secret", str(int(clock.now)), body),
    }
    key = guard.admit(headers, body).key
    assert guard.first_time(key)
    clock.now += TOLERANCE_SECONDS  # the last second the same signature is accepted
    assert guard.admit(headers, body).key == key
    assert not guard.first_time(key)
    clock.now += 1
    try:
        guard.admit(headers, body)
    except RequestRefused as exc:
        assert exc.status == 401
    else:
        raise AssertionError("a stale signature was accepted")
    assert REPLAY_WINDOW_SECONDS > TOLERANCE_SECONDS


def test_the_memory_is_bounded() -> None:
    clock = Clock()
    guard = SlackGuard("secret", clock)
    for n in range(REPLAY_CACHE_SIZE + 100):
        assert guard.first_time(f"k{n}")
    assert not guard.first_time(f"k{REPLAY_CACHE_SIZE + 99}")  # the newest is remembered
    assert guard.first_time("k0")  # the oldest gave way


def test_a_signed_body_whose_event_is_not_an_object_is_a_400() -> None:
    """Found by tests/fuzz: bolt's self-event middleware read ``event`` as an
    object and answered 500 for ``"event": null``."""
    import pytest

    from bot.adapters.slack_guard import parse_body

    for body in ('{"event": null}', '{"type": "event_callback", "event": [1]}', '{"event": "x"}'):
        with pytest.raises(RequestRefused) as refused:
            parse_body(body, "application/json")
        assert refused.value.status == 400
    assert parse_body('{"event": {"type": "app_mention"}}', "application/json")["event"]
