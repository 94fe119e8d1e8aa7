"""Inline mode through the fake Bot API: valid results, the same quote card, caching, stale queries dropped."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID, BotLibrary, StartBot
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.telegram_rules import parse_html
from tests.test_bot_e2e import BORDER_QUESTION, BORDER_TITLE, OFF_TOPIC, FlakyLibrary, ask

pytestmark = pytest.mark.asyncio


def rejected(telegram: FakeTelegram) -> list[tuple[str, str | None]]:
    # admins who never started the bot make setMyCommands fail at start-up: expected, and tolerated
    return [(c.method, c.error) for c in telegram.errors if "chat not found" not in (c.error or "")]


class CountingLibrary(FlakyLibrary):
    def __init__(self, real: object) -> None:
        super().__init__(real)
        self.questions: list[str] = []

    def search_many(self, questions: list[str], k: int) -> object:
        self.questions.extend(questions)
        return self._real.search_many(questions, k)


async def test_inline_results_are_quote_cards_within_limits_and_cached(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    library = CountingLibrary(bot_library.library)
    await start_bot(library=library, inline_pause=0.05, inline_page=2)
    user = telegram.user(3001)
    query_id = await telegram.inline(user, BORDER_QUESTION)
    answer = await telegram.wait_inline(query_id)
    assert answer.error is None
    results = answer.params["results"]
    assert 1 <= len(results) <= 2 and int(answer.params["cache_time"]) > 0
    first = results[0]
    card = first["input_message_content"]
    assert card["parse_mode"] == "HTML" and "<blockquote" in card["message_text"] and "<b>" in card["message_text"]
    bold = card["message_text"].split("<b>", 1)[1].split("</b>", 1)[0]
    assert first["title"] == BORDER_TITLE and bold.startswith(first["description"].rstrip("…"))
    assert "2.300 km" in parse_html(card["message_text"])

    # "more": Telegram asks again with next_offset; the search is not repeated for it or for another user
    if answer.params.get("next_offset"):
        more_id = await telegram.inline(user, BORDER_QUESTION, offset=answer.params["next_offset"])
        more = await telegram.wait_inline(more_id)
        assert {r["id"] for r in more.params["results"]}.isdisjoint({r["id"] for r in results})
    other = await telegram.inline(telegram.user(3002), f"  {BORDER_QUESTION} ")
    assert (await telegram.wait_inline(other)).params["results"][0]["id"] == first["id"]
    assert library.questions == [BORDER_QUESTION]
    assert not rejected(telegram)


async def test_typing_drops_stale_queries_and_short_or_unknown_ones_get_one_note(
    start_bot: StartBot, telegram: FakeTelegram, bot_library: BotLibrary
) -> None:
    library = CountingLibrary(bot_library.library)
    await start_bot(library=library, inline_pause=0.3)
    user = telegram.user(3003)
    typing = [await telegram.inline(user, BORDER_QUESTION[:n]) for n in (8, 20, len(BORDER_QUESTION))]
    last = await telegram.wait_inline(typing[-1])
    assert last.params["results"][0]["title"] == BORDER_TITLE
    assert not any(c.method == "answerInlineQuery" and c.params["inline_query_id"] in typing[:2]
                   for c in telegram.calls)  # fmt: skip
    assert library.questions == [BORDER_QUESTION]

    # a prefix is dropped even when the full question comes from the cache, without a pause
    other = telegram.user(3006)
    prefix = await telegram.inline(other, BORDER_QUESTION[:12])
    cached = await telegram.wait_inline(await telegram.inline(other, BORDER_QUESTION))
    assert cached.params["results"][0]["title"] == BORDER_TITLE
    with pytest.raises(TimeoutError):  # waiting for something that must not happen: the pause, thrice
        await telegram.wait_inline(prefix, timeout=0.9)
    assert library.questions == [BORDER_QUESTION]

    hint = (await telegram.wait_inline(await telegram.inline(user, "ab"))).params["results"]
    assert [r["id"] for r in hint] == ["hint"] and f"@{BOT_USER['username']}" in hint[0]["description"]
    looked_up = (await telegram.wait_inline(await telegram.inline(user, "Lào"))).params["results"]
    assert [r["id"] for r in looked_up] != ["hint"]  # a short name is looked up
    nothing = (await telegram.wait_inline(await telegram.inline(user, OFF_TOPIC))).params["results"]
    assert [r["title"] for r in nothing] == ["Không tìm thấy"]
    # posted into a chat, it says what was asked: a bare "nothing found" told the chat nothing
    assert OFF_TOPIC in nothing[0]["input_message_content"]["message_text"]
    # asked in English by a Vietnamese user: the card and what it posts speak one language, English
    english = "Who won the Champions League final in 2019?"
    card = (await telegram.wait_inline(await telegram.inline(user, english))).params["results"][0]
    assert card["title"] == "Nothing found", card  # was "Không tìm thấy" over an English text
    assert "in Vietnamese" in card["input_message_content"]["message_text"]
    assert not rejected(telegram)


async def test_inline_queries_are_rate_limited(start_bot: StartBot, telegram: FakeTelegram) -> None:
    await start_bot(inline_pause=0.01, rate_limit_per_minute=1)
    user = telegram.user(3004)
    await telegram.wait_inline(await telegram.inline(user, OFF_TOPIC))
    limited = await telegram.wait_inline(await telegram.inline(user, "Ai là Đại sứ Việt Nam tại Lào?"))
    assert [r["id"] for r in limited.params["results"]] == ["limited"]
    assert limited.params["is_personal"] is True and int(limited.params["cache_time"]) == 0


async def test_the_fake_rejects_what_telegram_rejects(bot: Application, telegram: FakeTelegram) -> None:
    from tests.fake_readers import check_inline_results
    from tests.telegram_rules import ApiError

    article = {"type": "article", "id": "x", "title": "t", "input_message_content": {"message_text": "hi"}}
    for bad, error in [
        ([article] * 2, "RESULT_ID_DUPLICATE"),
        ([dict(article, id="x" * 65)], "RESULT_ID_INVALID"),
        ([dict(article, id=str(i)) for i in range(51)], "RESULTS_TOO_MUCH"),
        ([dict(article, input_message_content={"message_text": "x" * 4097})], "MESSAGE_TOO_LONG"),
    ]:
        with pytest.raises(ApiError, match=error):
            check_inline_results(bad)


async def test_help_tells_users_about_inline_mode_and_admins_how_to_switch_it_on(
    bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(3005, language_code="en")
    _, shown = await ask(telegram, telegram.private_chat(user), user, "/help")
    assert f"@{BOT_USER['username']} question" in shown.result["text"] and "/setinline" not in shown.result["text"]
    admin = telegram.user(ADMIN_ID, "Admin")
    _, admin_help = await ask(telegram, telegram.chats[ADMIN_ID], admin, "/help")
    assert "/setinline" in admin_help.result["text"] and "/gaps" in admin_help.result["text"]


async def test_inline_answers_are_cached_per_user_as_they_differ_by_language(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot(inline_pause=0.01)
    english, vietnamese = telegram.user(3010, language_code="en"), telegram.user(3011)
    for query in (BORDER_QUESTION, OFF_TOPIC, "ab"):
        answers = [(await telegram.wait_inline(await telegram.inline(u, query))).params for u in (english, vietnamese)]
        # Telegram would otherwise show the first user's cached answer, in their language, to everyone;
        # "nothing found" is not cached at all (an admin's next upload may answer it)
        assert all(a["is_personal"] is True for a in answers)
        assert all((int(a["cache_time"]) == 0) == (query == OFF_TOPIC) for a in answers)
    first, second = answers  # the hint: in each user's own language
    assert first["results"][0]["title"] != second["results"][0]["title"]
    assert not rejected(telegram)


async def test_inline_answers_are_in_the_language_the_user_chose_in_their_private_settings(
    start_bot: StartBot, telegram: FakeTelegram
) -> None:
    await start_bot(inline_pause=0.01)
    lan = telegram.user(3012)  # Telegram in Vietnamese, the bot set to English in their private chat
    chat = telegram.private_chat(lan)
    _, menu = await ask(telegram, chat, lan, "/settings")
    since = telegram.mark()
    await telegram.press(menu.result, "s:l:en", lan)
    await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)
    titles = [(await telegram.wait_inline(await telegram.inline(lan, query))).params["results"][0]["title"]
              for query in ("", OFF_TOPIC)]
    assert titles == ["Type a question to search", "Nothing found"]  # was: "Gõ câu hỏi để tra cứu", "Không tìm thấy"
    # another user's inline answers keep their own language
    other = await telegram.wait_inline(await telegram.inline(telegram.user(3013), ""))
    assert other.params["results"][0]["title"] == "Gõ câu hỏi để tra cứu"
    assert not rejected(telegram)
