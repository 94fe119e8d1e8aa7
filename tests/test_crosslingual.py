"""English questions over the Vietnamese news, as their askers see them: the Vietnamese paragraph that
answers, or one English line saying that the collection is in Vietnamese."""

from __future__ import annotations

import pytest

from retriever.query.crosslingual import names_restored

BUI = "When did Deputy Prime Minister Bui Thanh Son hold phone talks with the Lao foreign minister?"
BUI_ANSWER = "Chiều 28/7, tại Trụ sở Chính phủ, đồng chí Bùi Thanh Sơn"


def test_an_english_question_reaches_the_encoder_in_english_with_its_names_accented(seed_library):
    query = seed_library.searcher.prepare(BUI)
    assert query.foreign
    assert "Bùi Thanh Sơn" in query.dense_text
    # its English words stay English: every word restored read "with thế Lào"
    assert " with the Lào foreign minister" in query.dense_text


def test_a_vietnamese_question_typed_without_diacritics_gets_every_accent_back(seed_library):
    query = seed_library.searcher.prepare("duong bien gioi viet nam lao dai bao nhieu km")
    assert not query.foreign
    assert query.dense_text.startswith("đường biên giới việt nam lào")


def test_only_capitalised_words_keep_their_restored_accents():
    assert names_restored("the Lao to Son", "thế Lào tổ Sơn") == "the Lào to Sơn"
    # a restoration that does not line up word for word is not trusted
    assert names_restored("the Lao", "thế") == "the Lao"


@pytest.mark.asyncio
async def test_an_english_question_the_news_answers_gets_the_vietnamese_paragraph(bot, telegram):
    from tests.test_bot_e2e import ask

    user = telegram.user(1091, language_code="en")
    _, reply = await ask(telegram, telegram.private_chat(user), user, BUI)
    assert "<blockquote" in reply.params["text"]
    assert BUI_ANSWER in reply.result["text"]
    assert "collection is in Vietnamese" not in reply.params["text"]


@pytest.mark.asyncio
@pytest.mark.parametrize(("message", "said"), [
    # words of no language, without English's function words, are no English question: told in the asker's
    # Vietnamese (Telex typed without its conversion is now read as Vietnamese: tests/test_telex.py)
    ("qwrtz plkj vbnm", "Bộ sưu tập gồm các bài tiếng Việt, và không có đoạn nào trả lời rõ"),
    # only emoji or punctuation: nothing to look up, and no /ask usage for a private chat that needs none
    ("🤔🤔🇻🇳", "không có chữ nào để tra cứu"),
    ("???", "không có chữ nào để tra cứu"),
])
async def test_what_is_not_an_english_question_is_answered_in_the_askers_language(bot, telegram, message, said):
    from tests.test_bot_e2e import ask

    user = telegram.user(1093, language_code="vi")
    _, reply = await ask(telegram, telegram.private_chat(user), user, message)
    assert said in reply.params["text"]
    assert "collection is in Vietnamese" not in reply.params["text"] and "/ask" not in reply.params["text"]
