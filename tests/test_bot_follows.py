"""End to end: readers follow questions and words; newly indexed paragraphs that answer them (in the sense
of the answer gate) bring each follower one message, within a daily limit. Real bot, library and model."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.app import build_application, serving
from bot.config import BotConfig
from bot.readers import follows
from bot.store import SQLiteStateStore
from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.collection_fixtures import final_of, upload
from tests.fake_telegram import TOKEN, Call, FakeTelegram, Fault
from tests.test_bot_e2e import ask
from tests.test_bot_feedback import press

pytestmark = pytest.mark.asyncio

ARTICLE = (
    "Hội An cấm xe máy vào phố cổ\n\n"
    "Từ ngày 1 tháng 3, thành phố Hội An cấm xe máy đi vào khu phố cổ; du khách gửi xe tại bốn bãi đỗ quanh "
    "khu phố cổ rồi đi bộ hoặc đi xe đạp điện do thành phố bố trí."
).encode()
SECOND = (
    "Hội An mở thêm bãi đỗ xe cho du khách\n\n"
    "Thành phố Hội An mở thêm hai bãi đỗ xe máy và ô tô ở đường Hùng Vương, mỗi bãi chứa được khoảng 500 xe, "
    "để du khách gửi xe trước khi vào khu phố cổ đã cấm xe máy."
).encode()

TICKETS = (
    "Hội An tăng giá vé tham quan phố cổ\n\n"
    "Từ ngày 1 tháng 6, vé tham quan phố cổ Hội An cho du khách quốc tế tăng lên 150.000 đồng, du khách Việt Nam "
    "trả 90.000 đồng; tiền vé dùng để trùng tu các di tích trong khu phố cổ."
).encode()


@pytest.fixture(scope="module")
def library(e5: object, seed_index: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests.conftest import open_seed_copy

    opened = open_seed_copy(e5, seed_index, tmp_path_factory.mktemp("follows"))  # type: ignore[arg-type]
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def follow_bot(start_bot: StartBot, telegram: FakeTelegram, library: object) -> Application:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    return await start_bot(library=library, follow_daily_limit=1)


async def say(telegram: FakeTelegram, user: dict, words: str, chat: dict | None = None) -> str:
    chat = chat or telegram.private_chat(user)
    since = telegram.mark()
    call = await telegram.wait_reply(await telegram.send_text(chat, user, words), since)
    return str(call.result["text"])


async def matched() -> None:
    """Until the matching that the last indexing started has sent its messages."""
    await asyncio.gather(*follows._tasks)


def news_for(telegram: FakeTelegram, chat_id: int, since: int) -> list[Call]:
    return [c for c in telegram.sent()[since:] if int(c.params["chat_id"]) == chat_id
            and c.result["text"].startswith("🔔")]


async def test_a_follower_hears_once_about_new_paragraphs_that_answer_and_others_hear_nothing(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    lan, minh = telegram.user(5101, "Lan"), telegram.user(5102, "Minh")
    added = await say(telegram, lan, "/follow Hội An cấm xe máy vào phố cổ từ ngày nào?")
    assert added.startswith("🔔 Đã theo dõi «Hội An cấm xe máy vào phố cổ từ ngày nào?»") and "tối đa 1 tin" in added
    assert "1. Hội An cấm xe máy" in await say(telegram, lan, "/following")
    await say(telegram, minh, "/follow giá cà phê Robusta xuất khẩu")

    since = len(telegram.sent())
    await final_of(telegram, await upload(telegram, "hoi-an.txt", ARTICLE))
    await matched()
    [news] = news_for(telegram, lan["id"], since)
    assert "Hội An cấm xe máy vào phố cổ từ ngày nào?" in news.result["text"]
    assert "Từ ngày 1 tháng 3" in news.result["text"]
    assert news.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("m:")
    assert not news_for(telegram, minh["id"], since)

    # the button opens the full answer in place
    message = telegram.messages[(lan["id"], news.result["message_id"])]
    mark = telegram.mark()
    await telegram.press(message, news.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"], lan)
    shown = await telegram.wait_for(lambda c: c.method == "editMessageText", since=mark)
    assert shown.error is None and "🔎" in shown.params["text"] and "ngày 1 tháng 3" in shown.params["text"]

    # one a day: the next matching article waits for tomorrow
    since = len(telegram.sent())
    await final_of(telegram, await upload(telegram, "hoi-an-2.txt", SECOND))
    await matched()
    assert not news_for(telegram, lan["id"], since)

    assert await say(telegram, lan, "/unfollow 1") == "Đã thôi theo dõi: Hội An cấm xe máy vào phố cổ từ ngày nào?"
    assert (await say(telegram, lan, "/following")).startswith("Bạn chưa theo dõi")


async def test_the_bell_under_an_answer_follows_its_question(follow_bot: Application, telegram: FakeTelegram) -> None:
    hoa = telegram.user(5103, "Hoa")
    chat = telegram.private_chat(hoa)
    _, answer = await ask(telegram, chat, hoa, "Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?")
    bell = next(b for row in answer.params["reply_markup"]["inline_keyboard"] for b in row
                if b["callback_data"].startswith("f:"))
    assert bell["text"] == "🔔 Theo dõi"
    message = telegram.messages[(chat["id"], answer.result["message_id"])]
    query_id = await telegram.press(message, bell["callback_data"], hoa)
    alert = await telegram.wait_for(lambda c: c.method == "answerCallbackQuery"
                                    and c.params["callback_query_id"] == query_id)
    assert alert.params["text"].startswith("🔔 Đã theo dõi «Việt Nam và Lào có chung")
    # whole within an alert's 200 characters: it was cut before what is kept and for how long
    assert alert.params["text"].endswith("bỏ bằng /unfollow.") and "trong một năm" in alert.params["text"]
    assert "Việt Nam và Lào có chung" in await say(telegram, hoa, "/following")
    query_id = await telegram.press(message, bell["callback_data"], hoa)
    again = await telegram.wait_for(lambda c: c.method == "answerCallbackQuery"
                                    and c.params["callback_query_id"] == query_id)
    assert again.params["text"].startswith("🔔 Bạn đã theo dõi «Việt Nam và Lào có chung")


async def test_follows_that_cannot_be_kept_get_one_line_and_nothing_is_stored(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    tuan = telegram.user(5104, "Tuấn")
    cases = {
        "/follow a": "ít nhất 3 chữ cái",
        "/follow " + "giá vàng " * 250: "quá giới hạn 300",
        "/follow": "Cách dùng",
        "/unfollow 7": "Cách dùng",
    }
    for sent, expected in cases.items():
        answer = await say(telegram, tuan, sent)
        assert expected in answer and answer.count("\n") == 0, (sent, answer)
    group = telegram.group_chat(-100777, "Nhóm hỏi đáp")
    assert "chat riêng" in await say(telegram, tuan, "/follow giá vàng", chat=group)
    assert (await say(telegram, tuan, "/following")).startswith("Bạn chưa theo dõi")
    # and the bot keeps answering
    _, reply = await ask(telegram, telegram.private_chat(tuan), tuan, "Việt Nam và Lào chung bao nhiêu km biên giới?")
    assert reply.error is None


def bell_of(answer: Call) -> str:
    return next(b["callback_data"] for row in answer.params["reply_markup"]["inline_keyboard"] for b in row
                if b["callback_data"].startswith("f:"))


async def test_a_bell_in_a_group_from_someone_the_bot_cannot_message_asks_them_to_start_it_first(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    store = follow_bot.bot_data.state.store
    group, minh = telegram.group_chat(-1005201), telegram.user(5201, "Minh")
    telegram.unreachable.add(minh["id"])  # never opened a private chat with the bot: Telegram answers 403
    _, answer = await ask(telegram, group, minh, "/ask Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?")
    message = telegram.messages[(group["id"], answer.result["message_id"])]
    alert = await press(telegram, message, bell_of(answer), minh)
    assert alert["text"] == ("🔔 Bot chưa nhắn riêng cho bạn được: hãy mở chat riêng với @TraCuuTestBot, "
                             "bấm Bắt đầu (Start) rồi bấm 🔔 lần nữa.")
    assert store.follows_of(minh["id"]) == []  # nothing kept that could never be delivered

    # after Start in a private chat: followed, and confirmed there, where the news will come
    telegram.unreachable.discard(minh["id"])
    telegram.private_chat(minh)
    since = telegram.mark()
    alert = await press(telegram, message, bell_of(answer), minh)
    assert alert["text"].startswith("🔔 Đã theo dõi «Việt Nam và Lào có chung")
    [confirmed] = [c for c in telegram.calls[since:] if c.method == "sendMessage"
                   and int(c.params["chat_id"]) == minh["id"]]
    assert confirmed.result["text"].startswith("🔔 Đã theo dõi «Việt Nam và Lào có chung")
    assert "tối đa" in confirmed.result["text"]  # the private confirmation is the whole of it
    [followed] = store.follows_of(minh["id"])
    assert followed.query == "Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?"


async def test_news_refused_by_a_reader_who_blocked_the_bot_drops_the_follow_and_spends_no_share(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    state = follow_bot.bot_data.state
    lan = telegram.user(5202, "Lan")
    await say(telegram, lan, "/follow Vé tham quan phố cổ Hội An giá bao nhiêu?")
    telegram.unreachable.add(lan["id"])  # blocked the bot since

    since = telegram.mark()
    await final_of(telegram, await upload(telegram, "hoi-an-ve.txt", TICKETS))
    await matched()
    assert [c.error for c in telegram.calls[since:] if str(c.params.get("chat_id")) == str(lan["id"])] == [
        "Forbidden: bot can't initiate conversation with a user"
    ]
    assert state.store.follows_of(lan["id"]) == []
    # the day's one news message (follow_daily_limit=1) is still there to take
    assert state.store.take(f"follow:{lan['id']}", 1, follows.DAY, time.time()) == 0.0


async def test_a_document_sent_again_after_its_removal_is_no_news_twice(
    start_bot: StartBot, telegram: FakeTelegram, library: object
) -> None:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    await start_bot(library=library, follow_daily_limit=5)
    lan = telegram.user(5110, "Lan")
    ferry = ("Phà Cát Lái tăng chuyến dịp Tết\n\nTừ ngày 20 tháng Chạp, phà Cát Lái chạy thêm 12 chuyến mỗi ngày "
             "vào giờ cao điểm, nâng tổng số lên 180 chuyến để người dân về quê đón Tết.").encode()
    await say(telegram, lan, "/follow Phà Cát Lái chạy bao nhiêu chuyến mỗi ngày dịp Tết?")
    since = len(telegram.sent())
    await final_of(telegram, await upload(telegram, "pha-cat-lai.txt", ferry))
    await matched()
    assert len(news_for(telegram, lan["id"], since)) == 1
    # the same article again (an edited channel post, or a file removed and sent once more) told them again
    admin = telegram.user(ADMIN_ID, "Admin")
    listing = await telegram.wait_reply(await telegram.send_text(telegram.private_chat(admin), admin,
                                                                 "/remove pha cat lai tang chuyen"))
    [remove] = [b["callback_data"] for row in listing.params["reply_markup"]["inline_keyboard"] for b in row
                if b["callback_data"].startswith("rm:") and b["callback_data"] != "rm:cancel"]
    await press(telegram, listing.result, remove, admin)
    assert "Đã xóa" in await final_of(telegram, listing)
    since = len(telegram.sent())
    await final_of(telegram, await upload(telegram, "pha-cat-lai.txt", ferry))
    await matched()
    assert not news_for(telegram, lan["id"], since)


async def test_a_file_a_stopped_replica_stored_before_telling_anyone_is_news_when_taken_over(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    import json

    from bot.admins.held import HELD_LEASE
    from retriever.collection import store_upload

    mai = telegram.user(5107, "Mai")
    await say(telegram, mai, "/follow giá vé tham quan phố cổ Hội An")
    admin = telegram.user(ADMIN_ID, "Admin")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, "/help")  # stands for its "⏳"
    state = follow_bot.bot_data.state
    store_upload(state.library.originals, "ve-hoi-an.txt", TICKETS)  # stored, then the replica died: no one told
    record = {"chat": ADMIN_ID, "message": status.result["message_id"], "lang": "vi", "name": "ve-hoi-an.txt",
              "meta": {"title": "", "date": "", "source": "", "url": ""}}
    state.store.hold_upload("stored-untold", json.dumps(record), TICKETS, time.time() - HELD_LEASE - 1)
    since = len(telegram.sent())
    [job] = follow_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(follow_bot)
    assert (await final_of(telegram, status)).startswith("✅")
    await matched()
    [news] = news_for(telegram, mai["id"], since)  # was: none, the file being "already there"
    assert "150.000 đồng" in news.result["text"]


def long_subjects(count: int) -> list[str]:
    """Follows as long as a 🔔 under a long question makes them (the whole question, up to 300 characters)."""
    places = ["Hội An", "Huế", "Đà Lạt", "Sa Pa", "Hạ Long", "Phú Quốc", "Nha Trang", "Cần Thơ", "Vũng Tàu", "Quy Nhơn"]
    subjects = []
    for n in range(count):
        place = places[n % len(places)]
        subject = (f"Câu hỏi {n + 1}: từ năm nay {place} thay đổi những gì về giá vé tham quan, giờ mở cửa "
                   f"các di tích, bãi đỗ xe cho du khách, tuyến xe buýt nội thành, lệ phí vào khu phố cổ và quy "
                   f"định cấm xe máy trong dịp lễ hội, và người dân {place} cùng du khách cần chuẩn bị giấy tờ gì")
        subjects.append(subject[:290])
    return subjects


async def test_many_long_follows_are_listed_over_several_messages_and_all_removed_in_one_short_line(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    thu = telegram.user(5112, "Thu")
    chat = telegram.private_chat(thu)
    subjects = long_subjects(20)  # together far over one message's 4096 characters
    for subject in subjects:
        assert (await say(telegram, thu, f"/follow {subject}")).startswith("🔔 Đã theo dõi")

    since = telegram.mark()
    await telegram.send_text(chat, thu, "/following")
    await telegram.wait_for(lambda c: c.method == "sendMessage" and c.error is None
                            and subjects[-1] in c.result["text"], since, timeout=5)
    calls = [c for c in telegram.calls[since:] if c.method == "sendMessage"]
    assert [c.error for c in calls] == [None] * len(calls) and len(calls) > 1
    listed = "\n".join(c.result["text"] for c in calls)
    assert listed.startswith("Bạn đang theo dõi 20 chủ đề:")
    for n, subject in enumerate(subjects, 1):
        assert f"\n{n}. {subject}\n" in f"{listed}\n"  # whole, numbered as /unfollow N takes them

    removed = await say(telegram, thu, "/unfollow all")
    assert removed == "Đã thôi theo dõi cả 20 chủ đề."
    assert follow_bot.bot_data.state.store.follows_of(thu["id"]) == []
    assert (await say(telegram, thu, "/following")).startswith("Bạn chưa theo dõi")


async def test_news_of_a_long_paragraph_is_shortened_to_fit_under_its_heading(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    from retriever.follows import FollowMatch
    from retriever.models import SearchResponse, SearchResult
    from tests.telegram_rules import utf16_len

    state, vy = follow_bot.bot_data.state, telegram.user(5113, "Vy")
    # a long follow, as a 🔔 under a long question makes it: its words head the news
    asked = ("Từ ngày nào thành phố Hội An cấm xe máy đi vào khu phố cổ, du khách phải gửi xe máy ở những bãi đỗ nào "
             "quanh khu phố cổ, và sau khi gửi xe thì du khách đi bộ hay đi xe đạp điện do thành phố bố trí để vào "
             "tham quan khu phố cổ Hội An?")
    await say(telegram, vy, f"/follow {asked}")
    [followed] = state.store.follows_of(vy["id"])
    # a paragraph that alone, with its source, fits a message, but not under the words it answers
    text = " ".join(f"Theo quy định {n}, xe máy không được đi vào khu phố cổ Hội An; du khách gửi xe tại bãi số {n}."
                    for n in range(1, 50))[:3850]
    result = SearchResult(row=1, text=text, highlight=text[:80], score=0.9, title="Hội An cấm xe máy vào phố cổ",
                          date="2024-03-01", source="Báo Quảng Nam", document="hoi-an-cam-xe.txt", doc_id=99,
                          teaser=False)
    found = FollowMatch(followed.follow_id, vy["id"], asked, SearchResponse(asked, False, (result,)), result)
    since = len(telegram.sent())
    await follows._send(state, follow_bot.bot, found)
    [news] = news_for(telegram, vy["id"], since)  # was: refused by Telegram as too long, and never told
    shown = news.result["text"]
    assert shown.startswith(f"🔔 Có thông tin mới về «{asked}»:") and text[:80] in shown
    assert "(đoạn văn bị cắt, xem toàn bài)" in shown and 3500 < utf16_len(shown) <= 4096


async def test_a_reader_whose_several_follows_one_article_answers_is_told_once(
    start_bot: StartBot, telegram: FakeTelegram, library: object
) -> None:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    await start_bot(library=library, follow_daily_limit=5)
    lan, minh = telegram.user(5114, "Lan"), telegram.user(5115, "Minh")
    for words in ("Hội An cấm xe máy vào phố cổ", "hoi an cam xe may vao pho co", "xe máy phố cổ Hội An"):
        await say(telegram, lan, f"/follow {words}")
    await say(telegram, minh, "/follow xe máy phố cổ Hội An")
    since = len(telegram.sent())
    ban = ("Hội An cấm xe máy vào phố cổ từ mùa hè\n\nTừ ngày 1 tháng 7, thành phố Hội An cấm xe máy đi vào khu phố "
           "cổ cả ngày; người dân trong phố cổ được cấp thẻ để đi xe máy về nhà.").encode()
    await final_of(telegram, await upload(telegram, "hoi-an-he.txt", ban))
    await matched()
    [news] = news_for(telegram, lan["id"], since)  # was: three messages, one for each follow
    assert "1 tháng 7" in news.result["text"]
    assert len(news_for(telegram, minh["id"], since)) == 1  # another reader's follow is theirs


async def test_a_bell_pressed_again_in_a_group_is_confirmed_in_private_once(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    group, minh, hoa = telegram.group_chat(-1005202), telegram.user(5116, "Minh"), telegram.user(5117, "Hoa")
    telegram.private_chat(minh)
    telegram.private_chat(hoa)
    _, answer = await ask(telegram, group, minh, "/ask Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?")
    message = telegram.messages[(group["id"], answer.result["message_id"])]
    told = []
    for who in (minh, minh, hoa):  # twice by the one who asked, then by another member
        since = telegram.mark()
        alert = await press(telegram, message, bell_of(answer), who)
        private = [c.result["text"] for c in telegram.calls[since:] if c.method == "sendMessage"
                   and int(c.params["chat_id"]) == who["id"]]
        told.append((alert["text"].split("«")[0], len(private)))
    # was: the second press said "🔔 Đã theo dõi" in Minh's private chat again, of a follow he already had
    assert told == [("🔔 Đã theo dõi ", 1), ("🔔 Bạn đã theo dõi ", 0), ("🔔 Đã theo dõi ", 1)]


async def test_the_same_words_in_another_case_or_punctuation_are_followed_once(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    lan = telegram.user(5118, "Lan")
    assert (await say(telegram, lan, "/follow Giá vàng hôm nay")).startswith("🔔 Đã theo dõi «Giá vàng hôm nay»")
    # was: each kept as one more follow, in /following and against the reader's limit
    assert await say(telegram, lan, "/follow giá vàng hôm nay?") == (
        "🔔 Bạn đã theo dõi «Giá vàng hôm nay» rồi. Xem /following, bỏ bằng /unfollow.")
    assert [f.query for f in follow_bot.bot_data.state.store.follows_of(lan["id"])] == ["Giá vàng hôm nay"]
    assert (await say(telegram, lan, "/follow giá vàng SJC")).startswith("🔔 Đã theo dõi")  # other words: another


async def test_the_same_words_typed_with_separate_marks_are_followed_once(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    import unicodedata

    lan = telegram.user(5119, "Lan")
    assert (await say(telegram, lan, "/follow Giá vàng hôm nay")).startswith("🔔 Đã theo dõi «Giá vàng hôm nay»")
    # some Vietnamese keyboards type each mark as a character of its own ("a" + U+0301)
    decomposed = unicodedata.normalize("NFD", "giá vàng hôm nay")
    assert (await say(telegram, lan, f"/follow {decomposed}")).startswith("🔔 Bạn đã theo dõi «Giá vàng hôm nay»")
    # a mark or a number of its own makes other words
    for other in ("gia vang hom nay", "Giá vàng hôm nay 2"):
        assert (await say(telegram, lan, f"/follow {other}")).startswith("🔔 Đã theo dõi"), other
    assert len(follow_bot.bot_data.state.store.follows_of(lan["id"])) == 3


async def test_news_being_sent_as_the_bot_stops_is_delivered_once(
    telegram: FakeTelegram, library: object, tmp_path: Path
) -> None:
    admin, lan = telegram.user(ADMIN_ID, "Admin"), telegram.user(5130, "Lan")
    telegram.private_chat(admin)
    config = BotConfig(token=TOKEN, admin_ids=frozenset({ADMIN_ID}), api_base_url=telegram.base_url)
    application = build_application(config, library, SQLiteStateStore(tmp_path / "state.sqlite"))  # type: ignore[arg-type]
    bridge = ("Cầu Rồng Đà Nẵng phun lửa mỗi tối cuối tuần\n\nCầu Rồng bắc qua sông Hàn phun lửa và phun nước "
              "vào 21 giờ mỗi tối thứ Bảy và Chủ nhật, mỗi lần khoảng 15 phút.").encode()
    async with serving(application, None):  # as `tracuu serve` runs it, and stops it at a SIGTERM
        await say(telegram, lan, "/follow Cầu Rồng Đà Nẵng phun lửa lúc mấy giờ?")
        since = len(telegram.sent())
        await final_of(telegram, await upload(telegram, "cau-rong.txt", bridge))
        telegram.inject("sendMessage", Fault(delay_before=1.0))  # the news: Telegram slow to take it
    await asyncio.gather(*follows._tasks, return_exceptions=True)  # what the stop left, had it left any
    # the application stopped and closed its connection while the news was matched and sent: it never came
    assert len(news_for(telegram, lan["id"], since)) == 1


def private_to(telegram: FakeTelegram, user: dict, since: int) -> list[str]:
    return [c.result["text"] for c in telegram.calls[since:] if c.method == "sendMessage" and c.error is None
            and int(c.params["chat_id"]) == user["id"]]


async def test_a_bell_whose_alert_telegram_did_not_take_is_confirmed_in_the_private_chat(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    hoa = telegram.user(5120, "Hoa")
    chat = telegram.private_chat(hoa)
    _, answer = await ask(telegram, chat, hoa, "Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?")
    message = telegram.messages[(chat["id"], answer.result["message_id"])]
    telegram.fail_next("answerCallbackQuery", 429, retry_after=30)  # longer than a button's answer may wait
    since = telegram.mark()
    await telegram.press(message, bell_of(answer), hoa)
    told = await telegram.wait_for(lambda c: c.method == "sendMessage" and int(c.params["chat_id"]) == hoa["id"],
                                   since)
    # was: followed, and the reader never told so
    assert told.result["text"].startswith("🔔 Đã theo dõi «Việt Nam và Lào có chung")
    assert "tối đa" in told.result["text"]  # the whole confirmation: a message has room for it
    assert len(follow_bot.bot_data.state.store.follows_of(hoa["id"])) == 1

    # pressed again, the alert's connection dropped: "already followed" comes the same way
    telegram.inject("answerCallbackQuery", Fault(reset="before"))
    since = telegram.mark()
    await telegram.press(message, bell_of(answer), hoa)
    again = await telegram.wait_for(lambda c: c.method == "sendMessage" and int(c.params["chat_id"]) == hoa["id"],
                                    since)
    assert again.result["text"].startswith("🔔 Bạn đã theo dõi «Việt Nam và Lào có chung")


async def test_a_bell_in_a_group_whose_alert_failed_is_told_in_private_never_in_the_group_and_once(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    group, minh = telegram.group_chat(-1005203), telegram.user(5121, "Minh")
    telegram.private_chat(minh)
    _, answer = await ask(telegram, group, minh, "/ask Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?")
    message = telegram.messages[(group["id"], answer.result["message_id"])]
    told = []
    for _ in range(2):  # followed, then already followed
        telegram.fail_next("answerCallbackQuery", 429, retry_after=30)
        since = telegram.mark()
        query_id = await telegram.press(message, bell_of(answer), minh)
        await telegram.wait_for(lambda c, pressed=query_id: c.method == "answerCallbackQuery"
                                and c.params["callback_query_id"] == pressed, since)
        # what the press says once its alert failed goes to the private chat: its last word (the first press's
        # confirmation came there before the alert)
        await telegram.wait_for(lambda c: c.method == "sendMessage" and int(c.params["chat_id"]) == minh["id"],
                                since)
        assert not [c for c in telegram.calls[since:] if c.method == "sendMessage"
                    and int(c.params["chat_id"]) == group["id"]]
        told.append([t.split("«")[0] for t in private_to(telegram, minh, since)])
    # the first is confirmed there once, as every group follow is; the second was never told at all
    assert told == [["🔔 Đã theo dõi "], ["🔔 Bạn đã theo dõi "]]


async def test_a_double_tap_on_the_bell_in_a_group_follows_and_confirms_once(
    follow_bot: Application, telegram: FakeTelegram
) -> None:
    group, lan = telegram.group_chat(-1005204), telegram.user(5122, "Lan")
    telegram.private_chat(lan)
    _, answer = await ask(telegram, group, lan, "/ask Việt Nam và Lào có chung bao nhiêu ki-lô-mét biên giới?")
    message = telegram.messages[(group["id"], answer.result["message_id"])]
    since = telegram.mark()
    taps = await asyncio.gather(*(telegram.press(message, bell_of(answer), lan) for _ in range(2)))
    alerts = [await telegram.wait_for(lambda c, tap=tap: c.method == "answerCallbackQuery"
                                      and c.params["callback_query_id"] == tap, since) for tap in taps]
    # was: both said "followed", and the private chat was told so twice
    assert sorted(a.params["text"].split("«")[0] for a in alerts) == ["🔔 Bạn đã theo dõi ", "🔔 Đã theo dõi "]
    assert [t.split("«")[0] for t in private_to(telegram, lan, since)] == ["🔔 Đã theo dõi "]
    assert len(follow_bot.bot_data.state.store.follows_of(lan["id"])) == 1
