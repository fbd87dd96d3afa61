"""/watch with +/- terms (issue 14, "Exclusions and combinations"): one line per command."""

from __future__ import annotations

import pytest

from bot.runtime import Services
from handlers.watch_syntax import MAX_TERMS, Token, WatchSyntaxError, parse_terms, tokenise
from tests.fakes.chat import FakeChat


async def test_an_exclusion_is_its_own_watch_beside_the_plain_one(
    chat: FakeChat, services: Services
) -> None:
    reply = await chat.say("/watch china -taiwan")
    assert reply.ok and "Watching China -Taiwan" in reply.plain
    assert "skipping stories where Taiwan is a main subject" in reply.plain
    assert "already watch China -Taiwan" in (await chat.say("/watch China -Taipei")).plain
    assert "Watching China." in (await chat.say("/watch china")).plain  # distinct from it
    listed = (await chat.say("/watching")).plain
    assert "• China — entity" in listed and "• China -Taiwan — entity" in listed
    assert len(await services.store.chat_subscriptions(chat.ref)) == 2
    assert "China -Taiwan (major developments)" in (await chat.say("/status")).plain


async def test_help_tells_how_to_exclude_and_combine(chat: FakeChat) -> None:
    helped = (await chat.say("/help watch")).plain
    assert "/watch NAME [-NAME] [+NAME]" in helped and "-NAME: skip stories" in helped
    assert "/unwatch NAME [-NAME] [+NAME]" in (await chat.say("/help")).plain


async def test_a_combination_with_a_quoted_name_and_several_terms(chat: FakeChat) -> None:
    reply = await chat.say('/watch "north korea" +russia')
    assert reply.ok and "Watching North Korea +Russia" in reply.plain
    assert "only stories where Russia is a main subject too" in reply.plain
    both = await chat.say("/watch china +russia -taiwan -“south china sea”")
    assert both.ok
    assert 'China +Russia -Taiwan -"south china sea"' in both.plain
    assert "none where Taiwan or south china sea is a main subject" in both.plain
    # no entity is called that: the term is a phrase
    assert 'for -"south china sea" I look for the phrase “south china sea”' in both.plain
    # the same terms in another order are the same watch
    again = await chat.say('/watch china -"south china sea" -taiwan +russia')
    assert "already watch" in again.plain


async def test_a_term_unknown_as_an_entity_is_a_phrase_with_did_you_mean(chat: FakeChat) -> None:
    reply = await chat.say("/watch china -taiwn")
    assert reply.ok and "phrase “taiwn”" in reply.plain and "Did you mean: Taiwan" in reply.plain


async def test_unwatch_removes_exactly_that_watch(chat: FakeChat, services: Services) -> None:
    await chat.say("/watch china")
    await chat.say("/watch china -taiwan")
    await chat.say("/watch china +russia")
    assert "Stopped watching China -Taiwan." in (await chat.say("/unwatch china -Taipei")).plain
    assert "Stopped watching China." in (await chat.say("/unwatch china")).plain
    listed = (await chat.say("/watching")).plain
    assert "China +Russia" in listed and "China -Taiwan" not in listed
    # the one watch left on China: its name alone is enough
    assert "Stopped watching China +Russia." in (await chat.say("/unwatch china")).plain
    assert await services.store.chat_subscriptions(chat.ref) == []


async def test_unwatch_explains_what_to_type_when_ambiguous(chat: FakeChat) -> None:
    await chat.say("/watch china -taiwan")
    await chat.say("/watch china +russia")
    reply = await chat.say("/unwatch china")
    assert not reply.ok
    assert "watches China in 2 ways" in reply.plain
    assert "/unwatch China -Taiwan" in reply.plain and "/unwatch China +Russia" in reply.plain
    wrong = await chat.say("/unwatch china -russia")
    assert not wrong.ok and "/unwatch China -Taiwan" in wrong.plain
    assert "Stopped watching China +Russia" in (await chat.say("/unwatch China +Russia")).plain


async def test_the_alert_button_unwatches_the_filtered_watch(chat: FakeChat) -> None:
    await chat.say("/watch china")
    await chat.say('/watch china -taiwan -"south china sea"')
    # what an alert's Unwatch button sends for that watch (bot.watch.watch_spec)
    reply = await chat.say('/unwatch gpe:china -gpe:taiwan -"south china sea"')
    assert "Stopped watching China" in reply.plain and "-Taiwan" in reply.plain
    assert "• China — entity" in (await chat.say("/watching")).plain


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("/watch -taiwan", "Start with what to watch"),
        ("/watch +russia china", "Start with what to watch"),
        ("/watch china +", "“+” needs a name right after it"),
        ("/watch china - +russia", "“-” needs a name right after it"),
        ('/watch "north korea +russia', "A quote is not closed"),
        ("/watch china -“south china sea", "A quote is not closed"),
        ('/watch china -""', "nothing between the quotes"),
        ('/watch china -"south china"sea', "Leave a space after the closing quote"),
        ("/watch china -south china sea", 'goes in quotes, like -"south china sea"'),
        ("/watch china -china", "is what the watch is about"),
        ("/watch china -PRC", "is what the watch is about"),
        ("/watch china +russia -russia", "both required (+) and excluded (-)"),
        ("/watch china -the", "too common"),
        ("/watch china +x", "too short"),
        (
            "/watch china " + " ".join(f"-term{n}" for n in range(MAX_TERMS + 1)),
            f"at most {MAX_TERMS} +/- terms",
        ),
    ],
)
async def test_malformed_watches_are_refused_clearly(
    chat: FakeChat, services: Services, text: str, why: str
) -> None:
    reply = await chat.say(text)
    assert not reply.ok and why in reply.plain
    assert await services.store.chat_subscriptions(chat.ref) == []


async def test_a_lone_sign_takes_the_next_word(chat: FakeChat) -> None:
    assert "Watching China -Taiwan" in (await chat.say("/watch china - taiwan")).plain


def test_tokens_keep_quoted_names_and_leave_other_words_for_later_steps() -> None:
    tokens = tokenise('china -"south  china sea" +Russia all')
    assert tokens == [
        Token("china"),
        Token("south china sea", "-", quoted=True),
        Token("Russia", "+"),
        Token("all"),
    ]
    # a step that reads a trailing word (a watch level) takes it off before the terms
    words = parse_terms(tokens[:-1], lambda text: "/" + text)
    assert words.name == "china" and [(t.required, t.name) for t in words.terms] == [
        (False, "south china sea"),
        (True, "Russia"),
    ]
    with pytest.raises(WatchSyntaxError):
        parse_terms(tokens, lambda text: "/" + text)


async def test_a_level_word_after_the_terms_sets_that_watch_alone(chat: FakeChat) -> None:
    await chat.say("/watch china")
    reply = await chat.say("/watch china -taiwan events")
    assert reply.ok and "Watching China -Taiwan" in reply.plain and "new events only" in reply.plain
    listed = await chat.say("/watching")
    assert "• China — entity · major developments" in listed.plain
    assert "• China -Taiwan — entity · new events only" in listed.plain
    changed = await chat.say("/watch China -Taipei all")  # the same watch, by another name
    assert changed.ok and "China -Taiwan: every new" in changed.plain
    button = next(b for b in (await chat.say("/watching")).buttons if b.label.startswith("China -"))
    assert button.arg.startswith("gpe:china -gpe:taiwan ")  # the level buttons name the watch
    assert (await chat.say(f"/{button.action} {button.arg}")).ok
    listed = (await chat.say("/watching")).plain
    assert "• China — entity · major developments" in listed and listed.count("• China") == 2


async def test_settings_change_the_level_of_the_filtered_watch_alone(chat: FakeChat) -> None:
    await chat.say("/watch china")
    await chat.say("/watch china -taiwan")
    panel = await chat.say("/settings")
    by_label = {b.label: (b.action, b.arg) for b in panel.buttons}
    assert by_label["China -Taiwan: new events only"] == ("watch", "gpe:china -gpe:taiwan events")
    assert panel.form is not None
    field = next(f for f in panel.form.fields if f.label == "Level of China -Taiwan")
    assert (await chat.say(f"/set {field.name}=all")).ok
    listed = (await chat.say("/watching")).plain
    assert "• China -Taiwan — entity · every claim" in listed
    assert "• China — entity · major developments" in listed
