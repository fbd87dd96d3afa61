"""Fuzzing rendering: replies and alerts of hostile spans for Telegram HTML and
Slack mrkdwn. Telegram gets well-formed HTML with only its own tags, whose text
is exactly the spans' text; Slack gets text where ``& < >`` are entities
outside our links and no character of the story formats."""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters import slack, telegram
from bot.models import Span
from tests.fuzz.strategies import text

RENDERINGS = 400

urls = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "https://n.example/a?x=1&y=<2>",
            'https://n.example/"onmouseover=alert(1)',
            "javascript:alert(1)",
            "https://n.example/a|b>c",
            "file.txt",
            " https://n.example/ spaced",
        ]
    ),
    text,
)
spans = st.builds(Span, text=text, url=urls, bold=st.booleans(), code=st.booleans())
lines = st.lists(st.lists(spans, min_size=1, max_size=5).map(tuple), min_size=1, max_size=5).map(
    tuple
)

TELEGRAM_TAGS = {"b", "code", "a"}


class Structure(HTMLParser):
    """The tags and text of Telegram HTML; fails on an unknown or unbalanced tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, tag
        if tag == "a":
            [(name, href)] = attrs
            assert name == "href" and href and href.startswith(("http://", "https://"))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_telegram_html_is_well_formed(tried: Counter[str]) -> None:
    @settings(max_examples=RENDERINGS)
    @given(lines=lines)
    def check(lines: tuple[tuple[Span, ...], ...]) -> None:
        tried["render: Telegram HTML"] += 1
        for message in telegram.render_messages(lines):
            parser = Structure()
            parser.feed(message)
            parser.close()
            assert parser.open == []
            assert telegram._utf16_len(message) <= telegram.MESSAGE_LIMIT
        whole = telegram.render_html(lines)
        parser = Structure()
        parser.feed(whole)
        expected = "\n".join("".join(s.text for s in line) for line in lines)
        assert "".join(parser.text) == expected

    check()


LINK = re.compile(r"<https?://[^<>|\s]+\|[^<>]*>")


def test_slack_mrkdwn_is_escaped(tried: Counter[str]) -> None:
    @settings(max_examples=RENDERINGS)
    @given(lines=lines)
    def check(lines: tuple[tuple[Span, ...], ...]) -> None:
        tried["render: Slack mrkdwn"] += 1
        for block in slack.render_blocks(lines):
            if block["type"] != "section":
                continue
            rendered = block["text"]["text"]
            outside = LINK.sub("", rendered)
            assert "<" not in outside and ">" not in outside, rendered
            assert not re.search(r"&(?!amp;|lt;|gt;)", rendered), rendered
        for line in lines:
            for span in line:
                if span.url or span.code:
                    continue
                out = slack.escape(span.text)
                visible = html.unescape(out.replace(slack.ZWSP, ""))
                assert visible == span.text.replace(slack.ZWSP, "")
                for m in re.finditer(r"[*_~`]", out):
                    if slack._URL_TOKEN.search(out):
                        break  # a web address is left whole for Slack to link
                    before = out[m.start() - 1] if m.start() else ""
                    after = out[m.end()] if m.end() < len(out) else ""
                    assert (before.isalnum() and after.isalnum()) or (
                        before == slack.ZWSP and after == slack.ZWSP
                    ), out

    check()
