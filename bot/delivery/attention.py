"""How a follow-up reaches a chat: the first alert of an event is its living
summary; a major development replies in its thread with notification; lesser
news edits the summary in place (or, where it cannot be edited, replies
silently). The watch's level sets what counts as major (docs/delivery.md)."""

from __future__ import annotations

from enum import StrEnum

from bot.models import OutboxItem, WatchLevel


class Delivery(StrEnum):
    MESSAGE = "message"  # the event's first alert in the chat: a message of its own
    REPLY = "reply"  # a reply in the event's thread, with notification
    EDIT = "edit"  # update the first alert in place (silent reply when impossible)


def delivery(item: OutboxItem) -> Delivery:
    """How ``item`` goes out, from its alert's level and weight and the event's
    first alert in the chat (``item.reply_to``)."""
    alert = item.alert
    if item.reply_to is None:
        return Delivery.MESSAGE
    if alert.level is WatchLevel.ALL:
        return Delivery.REPLY
    if alert.level is WatchLevel.MAJOR and (alert.major or alert.new_event):
        return Delivery.REPLY
    return Delivery.EDIT
