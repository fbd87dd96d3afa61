"""Log redaction is an object per owner of secrets: several live in one process,
each taking out its own secrets and detaching only its own filter."""

from __future__ import annotations

import logging

import pytest

from bot.redaction import LogRedactor


def test_two_redactors_side_by_side(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.redaction.side_by_side")
    first = LogRedactor("111:AAfirst", loggers=lambda: [logger])
    second = LogRedactor("222:BBsecond", loggers=lambda: [logger])
    first.attach()
    second.attach()
    try:
        with caplog.at_level(logging.INFO, logger=logger.name):
            logger.info("GET /bot111:AAfirst/getMe and /bot222%3ABBsecond/getMe")
            assert "AAfirst" not in caplog.text and "BBsecond" not in caplog.text
            assert caplog.text.count("<redacted>") == 2
            first.detach()  # the first bot stopped: its filter goes, the second stays
            caplog.clear()
            logger.info("GET /bot111:AAfirst/getMe and /bot222:BBsecond/getMe")
            assert "111:AAfirst" in caplog.text and "BBsecond" not in caplog.text
    finally:
        first.detach()
        second.detach()
    assert logger.filters == []


def test_secrets_in_a_traceback_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.redaction.traceback")
    redactor = LogRedactor(loggers=lambda: [logger])
    redactor.add("s3cret-token", "")
    redactor.attach()
    try:
        with caplog.at_level(logging.INFO, logger=logger.name):
            try:
                raise RuntimeError("request to https://api/bots3cret-token failed")
            except RuntimeError:
                logger.exception("sending failed")
    finally:
        redactor.detach()
    assert "s3cret-token" not in caplog.text
    assert "<redacted>" in caplog.text
