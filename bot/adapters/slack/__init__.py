"""Slack: the adapter (:mod:`.adapter`), Block Kit rendering (:mod:`.rendering`),
incoming text (:mod:`.incoming`), Slack's errors as ours (:mod:`.errors`) and the
Web API calls (:mod:`.transport`)."""

from bot.adapters.slack.adapter import SLASH_COMMAND, SlackAdapter, slack_limits
from bot.adapters.slack.errors import translate_error
from bot.adapters.slack.incoming import clean_incoming
from bot.adapters.slack.rendering import escape, render_alert, render_blocks

__all__ = [
    "SLASH_COMMAND",
    "SlackAdapter",
    "clean_incoming",
    "escape",
    "render_alert",
    "render_blocks",
    "slack_limits",
    "translate_error",
]
