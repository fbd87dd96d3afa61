"""Slack views: a reply's :class:`~bot.models.Form` as a modal (``views.open``),
a submitted modal back to the command it stands for, and the App Home tab
(``views.publish``). Every piece of text shown as mrkdwn is escaped."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.adapters.slack.rendering import ACTION_PREFIX, escape, render_line
from bot.models import ChatSummary, Form, FormField, Reply

SETTINGS_VIEW = f"{ACTION_PREFIX}_settings"
FIELD_PREFIX = f"{ACTION_PREFIX}_field_"
VALUE_ACTION = "value"

# Slack's limits (https://docs.slack.dev/reference/views)
MAX_TITLE = 24
MAX_LABEL = 2000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_TEXT_INPUT = 3000
MAX_METADATA = 3000
MAX_VIEW_BLOCKS = 100
MAX_SECTION = 3000
MAX_ERROR = 300


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit), "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _plain(label, MAX_OPTION_TEXT), "value": _cut(value, MAX_OPTION_VALUE)}


def _input(field: FormField) -> dict[str, Any]:
    element: dict[str, Any]
    if field.choices:
        options = [_option(c.label, c.value) for c in field.choices[:100]]
        element = {"type": "static_select", "action_id": VALUE_ACTION, "options": options}
        current = next(
            (o for o, c in zip(options, field.choices, strict=False) if c.value == field.value),
            None,
        )
        if current is not None:
            element["initial_option"] = current
    else:
        element = {"type": "plain_text_input", "action_id": VALUE_ACTION}
        if field.value:
            element["initial_value"] = _cut(field.value, MAX_TEXT_INPUT)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": FIELD_PREFIX + field.name,
        "label": _plain(field.label, MAX_LABEL),
        "element": element,
        "optional": field.optional,
    }
    if field.hint:
        block["hint"] = _plain(field.hint, MAX_LABEL)
    return block


def form_view(form: Form, reply: Reply, channel: str) -> dict[str, Any]:
    """The modal for ``form``: the reply's first line as its text, one input per
    field; ``private_metadata`` keeps the channel and the command to run."""
    intro = render_line(reply.lines[0]) if reply.lines else ""
    blocks: list[dict[str, Any]] = []
    if intro.strip():
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(intro, MAX_SECTION)}}
        )
    blocks.extend(_input(field) for field in form.fields[: MAX_VIEW_BLOCKS - len(blocks)])
    metadata = json.dumps({"channel": channel, "command": form.command})
    return {
        "type": "modal",
        "callback_id": SETTINGS_VIEW,
        "title": _plain(form.title, MAX_TITLE),
        "submit": _plain("Save", MAX_TITLE),
        "close": _plain("Cancel", MAX_TITLE),
        "private_metadata": _cut(metadata, MAX_METADATA),
        "blocks": blocks,
    }


def submitted(view: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """A submitted modal as ``(channel, command text, first field's block id)``:
    ``/{command} NAME=VALUE ...`` in the order of its fields; None when it is
    not one of ours or is malformed."""
    try:
        meta = json.loads(str(view.get("private_metadata") or ""))
    except ValueError:
        return None
    if not isinstance(meta, dict):
        return None
    channel, command = meta.get("channel"), meta.get("command")
    if not isinstance(channel, str) or not isinstance(command, str) or not channel:
        return None
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        values = {}
    words = [f"/{command}"]
    first = ""
    blocks = view.get("blocks")
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict) or block.get("type") != "input":
            continue
        block_id = str(block.get("block_id") or "")
        if not block_id.startswith(FIELD_PREFIX):
            continue
        first = first or block_id
        value = _value(values.get(block_id))
        words.append(f"{block_id.removeprefix(FIELD_PREFIX)}={' '.join(value.split())}")
    return (channel, " ".join(words), first) if first else None


def _value(entry: Any) -> str:
    """What one input of a submitted modal holds ("" when nothing or malformed)."""
    state = entry.get(VALUE_ACTION) if isinstance(entry, dict) else None
    if not isinstance(state, dict):
        return ""
    if state.get("type") == "static_select":
        option = state.get("selected_option")
        return str(option.get("value") or "") if isinstance(option, dict) else ""
    return str(state.get("value") or "")


def view_errors(reply: Reply, view: Mapping[str, Any], first: str) -> dict[str, str]:
    """A refused submission as ``response_action: errors``: each field's reason
    under its input; a reason about no one field under the first."""
    known = {
        str(b.get("block_id"))
        for b in view.get("blocks") or []
        if isinstance(b, dict) and b.get("type") == "input"
    }
    errors: dict[str, str] = {}
    for name, why in reply.errors:
        block = FIELD_PREFIX + name if FIELD_PREFIX + name in known else first
        errors[block] = _cut(f"{errors[block]} {why}" if block in errors else why, MAX_ERROR)
    if not errors:
        why = " ".join(reply.plain.split()) or "That did not work."
        errors[first] = _cut(why, MAX_ERROR)
    return errors


def home_view(summaries: Sequence[tuple[str, ChatSummary]], command: str) -> dict[str, Any]:
    """The App Home tab: each ``(label, summary)`` as a heading and its lines."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain("Your channels with ClaimWatch", 150)},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": escape(
                        "Channels you and ClaimWatch are both in that watch something, "
                        f"with their settings. Change them there with {command} settings."
                    ),
                }
            ],
        },
    ]
    if not summaries:
        blocks.append(
            _mrkdwn(
                escape(
                    "None of them watches anything yet. In a channel, invite the bot "
                    f"(/invite @ClaimWatch) and send {command} watch china."
                )
            )
        )
    for label, summary in summaries:
        if len(blocks) + 3 > MAX_VIEW_BLOCKS:
            break
        text = "\n".join([f"*{escape(label)}*", *(render_line(line) for line in summary.lines)])
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}}
        )
    return {"type": "home", "blocks": blocks}
