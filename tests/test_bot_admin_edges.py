"""An admin's second tries: a caption's date, the same link shared from an app, undo after a re-send, a
double tap, a file of many articles, and the language chosen in /settings."""

from __future__ import annotations

import asyncio
import io
import json
import time
from datetime import date, timedelta

import pytest
from PIL import Image
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID
from tests.collection_fixtures import Site, files_of, final_of, listed_for_removal, news_page, rss, upload
from tests.fake_telegram import Call, FakeTelegram
from tests.test_bot_e2e import BORDER_QUESTION, ask, buttons
from tests.test_bot_feedback import press

pytestmark = pytest.mark.asyncio

RICE = ("Giá lúa tại Cần Thơ tăng nhẹ", "Giá lúa IR50404 tại Cần Thơ tăng lên 7.200 đồng mỗi ký trong tuần này.")


async def test_a_caption_date_no_calendar_has_is_said_and_the_files_own_date_kept(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    body = "Giá cà phê Đắk Lắk lập kỷ lục\n\nNgày 12/03/2025\n\nGiá cà phê nhân xô tại Đắk Lắk lên 130.000 đồng mỗi ký."
    done = await final_of(telegram, await upload(telegram, "ca-phe.txt", body.encode(), caption="date: 31/02/2025"))
    # it was stored as "2025-02-31", or dropped without a word
    assert "31/02/2025" in done and "28/05/2025" in done and "2025-03-12" in done
    dates = [i.date for i in library.articles() if i.document == "uploads/ca-phe.txt"]  # type: ignore[attr-defined]
    assert dates == ["2025-03-12"]


async def test_a_link_shared_with_a_fragment_or_tracking_is_the_same_page(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    url = site.serve("/lua.html", news_page(*RICE))
    first = await final_of(telegram, (await ask(telegram, chat, admin, url))[1])
    again = await final_of(telegram, (await ask(telegram, chat, admin, f"{url}?utm_source=zalo#doan-2"))[1])
    # each was a second copy of the article, quoted twice
    assert "✅" in first and again.startswith("✅ Đã có sẵn")
    assert sum(path.startswith("links/") and "lua-" in path for path in files_of(library)) == 1


async def test_a_link_sent_again_with_a_slash_or_tracking_is_the_article_already_there(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    page = news_page("Giá sầu riêng Tiền Giang giảm", "Giá sầu riêng Ri6 tại Tiền Giang giảm còn 62.000 đồng mỗi ký.")
    url = site.serve("/sau-rieng", page)
    site.serve("/sau-rieng/", page)  # the same page, as most sites serve it
    first = await final_of(telegram, (await ask(telegram, chat, admin, url))[1])
    again = await final_of(telegram, (await ask(telegram, chat, admin, f"{url}/?utm_source=zalo&utm_medium=chat"))[1])
    # stored as a second article, and readers got the paragraph twice
    assert "✅" in first and again.startswith("✅ Đã có sẵn") and f"cùng một trang với {url} đã có" in again
    assert sum(path.startswith("links/") and "sau-rieng" in path for path in files_of(library)) == 1
    assert [i.url for i in library.articles() if i.title == "Giá sầu riêng Tiền Giang giảm"] == [url]  # type: ignore[attr-defined]


async def test_a_link_with_another_query_parameter_is_another_article(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    site.serve("/tin?id=1", news_page("Mưa lớn ở Huế", "Mưa lớn kéo dài khiến nhiều tuyến đường ở Huế ngập sâu."))
    site.serve("/tin?id=2", news_page("Nắng nóng ở Hà Nội", "Nhiệt độ ở Hà Nội lên tới 39 độ trong chiều nay."))
    for n in (1, 2):
        done = await final_of(telegram, (await ask(telegram, chat, admin, site.url(f"/tin?id={n}")))[1])
        assert "✅" in done and "đã có sẵn" not in done and "cùng một trang" not in done
    assert sum(path.startswith("links/") and "/tin-" in path for path in files_of(library)) == 2


async def test_a_feed_added_while_the_queue_is_busy_says_it_waits_and_is_followed_after(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    site.serve("/thanh-long", news_page("Thanh long Bình Thuận vào vụ", "Thanh long ruột đỏ giá 25.000 đồng."))
    feed = site.serve("/thanh-long.rss", rss(site, [("/thanh-long", "Thanh long")]), "application/rss+xml")
    busy = asyncio.Event()
    admin_bot.bot_data.state.queue.submit("upload", busy.wait)  # another admin's file, being indexed
    _, status = await ask(telegram, chat, admin, f"/feeds add {feed}")
    # it said "⏳ Processing" while it waited, where a link sent then said how many jobs were ahead of it
    assert "đang chờ 1 việc" in status.params["text"]
    busy.set()
    assert (await final_of(telegram, status)).startswith("✅ Đã theo dõi")


async def test_a_feed_that_cannot_be_stored_says_so_in_one_line(
    admin_bot: Application, telegram: FakeTelegram, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.admins import feeds

    def full(*_: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(feeds, "collect", full)
    admin = telegram.user(ADMIN_ID, "Admin")
    feed = site.serve("/sau-rieng.rss", rss(site, [("/sau-rieng", "Sầu riêng")]), "application/rss+xml")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/feeds add {feed}")
    done = await final_of(telegram, status)  # its "⏳" stayed for good
    assert done.startswith("❌ Không theo dõi được") and "\n" not in done and "OSError" not in done


async def test_a_feed_item_listed_again_in_another_form_and_a_feed_followed_again_so_are_taken_once(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    coffee = "Giá cà phê nhân xô tại Gia Lai lên 128.000 đồng mỗi ký"
    site.serve("/ca-phe", news_page("Giá cà phê hôm nay", f"{coffee}."))
    site.serve("/ca-phe/", news_page("Giá cà phê hôm nay", f"{coffee} (cập nhật 9 giờ)."))  # fetched later, edited
    feed = site.serve("/ca-phe.rss", rss(site, [("/ca-phe", "Cà phê"), ("/ca-phe/?utm_source=rss", "Cà phê")]),
                      "application/rss+xml")
    done = await final_of(telegram, (await ask(telegram, chat, admin, f"/feeds add {feed}"))[1])
    # both forms were stored, and readers got the price twice
    assert done.count("• ") == 1
    assert sum(path.startswith("links/") and "ca-phe-" in path for path in files_of(library)) == 1
    since = telegram.mark()
    await ask(telegram, chat, admin, f"/feeds add {feed}?utm_source=zalo")
    await telegram.wait_for(lambda c: c.method == "editMessageText" and "đã được theo dõi rồi" in c.params["text"],
                            since)
    assert [f.url for f in admin_bot.bot_data.state.store.feeds()] == [feed]


async def test_removing_one_article_of_a_file_of_many_says_so_and_a_double_tap_keeps_undo(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    lines = [{"id": f"v{n}", "title": f"Tin vắn thời tiết miền Tây số {n}",
              "text": f"Bản tin số {n}: mưa rào rải rác ở các tỉnh miền Tây vào chiều tối."} for n in range(3)]
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    assert "✅" in await final_of(telegram, await upload(telegram, "tin-van.jsonl", body))
    _, listing = await ask(telegram, chat, admin, "/remove tin van thoi tiet mien tay so 1")
    # the one line listed hid that the other two articles go with it
    assert "tệp này có 3 bài" in listing.result["text"]
    [remove] = [d for d in buttons(listing) if d.startswith("rm:") and d != "rm:cancel"]
    await press(telegram, listing.result, remove, admin)
    await press(telegram, listing.result, remove, admin)  # impatient
    removed = await final_of(telegram, listing)
    assert "Đã xóa" in removed
    status = telegram.messages[(admin["id"], listing.result["message_id"])]
    assert any(b["callback_data"].startswith("rmu:") for row in status["reply_markup"]["inline_keyboard"] for b in row)


async def removing(telegram: FakeTelegram, listing: Call, remove: str, admin: dict) -> None:
    """`admin` presses 🗑 on `listing`, until it says the removal is under way: a press is acknowledged before
    its article is looked up, and a second admin's press could overtake it and be the one that removes."""
    since = telegram.mark()
    await press(telegram, listing.result, remove, admin)
    await telegram.wait_for(lambda c: c.method == "editMessageText" and int(c.params["chat_id"]) == admin["id"]
                            and c.params["text"].startswith("⏳ Đang xóa"), since)


async def test_a_second_admin_removing_the_same_article_is_told_it_is_under_way(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    from tests.bot_fixtures import UNKNOWN_ADMIN_ID

    first, second = telegram.user(ADMIN_ID, "Admin"), telegram.user(UNKNOWN_ADMIN_ID, "Minh")
    body = "Cà phê Krông Pắc đạt giải vàng\n\nCà phê Krông Pắc đạt giải vàng tại hội chợ nông sản năm nay.".encode()
    assert "✅" in await final_of(telegram, await upload(telegram, "krong-pac.txt", body))
    lists = [(await ask(telegram, telegram.private_chat(a), a, "/remove ca phe krong pac dat giai vang"))[1]
             for a in (first, second)]
    [remove] = [d for d in buttons(lists[0]) if d.startswith("rm:") and d != "rm:cancel"]
    await removing(telegram, lists[0], remove, first)
    since = telegram.mark()
    await press(telegram, lists[1].result, remove, second)
    # the second press was acknowledged with nothing, and the list stayed as it was
    told = await telegram.wait_for(lambda c: c.method == "editMessageText"
                                   and int(c.params["message_id"]) == lists[1].result["message_id"], since)
    assert "đang được xóa" in told.params["text"]
    assert "Đã xóa" in await final_of(telegram, lists[0])


async def test_a_second_admin_whose_list_has_the_same_message_id_is_told_it_is_under_way(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    from tests.bot_fixtures import UNKNOWN_ADMIN_ID

    first, second = telegram.user(ADMIN_ID, "Admin"), telegram.user(UNKNOWN_ADMIN_ID, "Minh")
    body = "Lễ hội hoa Đà Lạt lần thứ mười\n\nLễ hội hoa Đà Lạt lần thứ mười khai mạc với hơn 300 loài hoa.".encode()
    assert "✅" in await final_of(telegram, await upload(telegram, "le-hoi-hoa.txt", body))
    words = "/remove le hoi hoa da lat lan thu muoi"
    _, listed = await ask(telegram, telegram.private_chat(first), first, words)
    # message ids are counted per chat: the second admin's list gets the very same id as the first one's
    other = (await ask(telegram, telegram.private_chat(second), second, words))[1]
    while other.result["message_id"] < listed.result["message_id"]:
        other = (await ask(telegram, telegram.private_chat(second), second, words))[1]
    assert other.result["message_id"] == listed.result["message_id"]
    [remove] = [d for d in buttons(listed) if d.startswith("rm:") and d != "rm:cancel"]
    await removing(telegram, listed, remove, first)
    since = telegram.mark()
    await press(telegram, other.result, remove, second)
    # taken for the first admin's own double tap: their list stayed as it was, without a word
    told = await telegram.wait_for(lambda c: c.method == "editMessageText" and int(c.params["chat_id"]) == second["id"]
                                   and int(c.params["message_id"]) == other.result["message_id"], since)
    assert "đang được xóa" in told.params["text"]
    assert "Đã xóa" in await final_of(telegram, listed)


async def test_undo_after_the_file_was_sent_again_says_what_to_do_in_words(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    body = "Giá tôm thẻ tại Cà Mau giảm\n\nGiá tôm thẻ loại 100 con mỗi ký tại Cà Mau giảm còn 95.000 đồng.".encode()
    listing, remove = await listed_for_removal(telegram, "tom-ca-mau.txt", body, "gia tom the ca mau")
    await press(telegram, listing.result, remove, admin)
    await final_of(telegram, listing)
    [undo] = [d for d in buttons_of(telegram, admin["id"], listing.result) if d.startswith("rmu:")]
    assert "✅" in await final_of(telegram, await upload(telegram, "tom-ca-mau.txt", body + b" "))
    since = telegram.mark()
    await press(telegram, listing.result, undo, admin)
    said = await telegram.wait_for(lambda c: c.method == "editMessageText" and "hoàn tác" in c.params["text"], since)
    # "❌ Không thêm được ↩: uploads/tom-ca-mau.txt exists again: remove or rename it first"
    assert "exists again" not in said.params["text"] and "/remove" in said.params["text"]


async def test_the_language_chosen_in_settings_is_the_admins_too(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    _, menu = await ask(telegram, chat, admin, "/settings")
    await press(telegram, menu.result, "s:l:en", admin)
    _, stats = await ask(telegram, chat, admin, "/stats")
    _, usage = await ask(telegram, chat, admin, "/remove")
    # they stayed in Vietnamese, the admin's Telegram language
    assert "Statistics" in stats.params["text"] and "Usage:" in usage.params["text"]


def buttons_of(telegram: FakeTelegram, chat_id: int, message: dict) -> list[str]:
    shown = telegram.messages[(chat_id, message["message_id"])]
    return [b["callback_data"] for row in shown.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def test_a_new_version_under_the_same_name_says_where_it_went_and_a_new_caption_is_no_copy(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    body = "Diện tích chè Thái Nguyên năm 2024\n\nDiện tích chè của tỉnh Thái Nguyên đạt 22.500 héc-ta.".encode()
    await final_of(telegram, await upload(telegram, "che-tn.txt", body))
    newer = await final_of(telegram, await upload(telegram, "che-tn.txt", body.replace(b"22.500", b"23.900")))
    # a plain "✅ Added", while readers got both figures in one answer
    assert "che-tn-2.txt" in newer and "che-tn.txt" in newer
    captioned = await final_of(telegram, await upload(telegram, "che-tn.txt", body, caption="source: Báo Thái Nguyên"))
    # "(already there, unchanged)", while its source did change
    assert "không đổi" not in captioned


async def test_a_feed_listing_its_oldest_item_first_still_delivers_the_newest_with_its_date_and_title(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    entries = []
    for n in range(1, 36):  # 35 items, oldest first: more than one poll takes
        day = date(2025, 10, 1) + timedelta(days=n)
        path = f"/tinh/{n}.html"
        site.serve(path, news_page(f"Bản tin tỉnh số {n}", f"Bản tin số {n} của tỉnh: mực nước sông Hậu đo được "
                                   f"{n * 10} cm tại trạm Châu Đốc trong ngày."))
        entries.append(f"<item><title>Bản tin {n}</title><link>{site.url(path)}</link>"
                       f"<pubDate>{day.strftime('%a, %d %b %Y')} 08:00:00 +0700</pubDate></item>")
    feed = site.serve("/tinh.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>Tin tỉnh An Giang'
                      f"</title>{''.join(entries)}</channel></rss>", "application/rss+xml")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/feeds add {feed}")
    await final_of(telegram, status)
    newest = [(i.date, i.source) for i in library.articles() if i.title == "Bản tin tỉnh số 35"]  # type: ignore[attr-defined]
    # the first 30 in the feed's order were taken, never the newest; and a page naming no date or site was
    # "no date", with no source line
    assert newest == [("2025-11-05", "Tin tỉnh An Giang")]


async def test_several_links_pasted_in_one_message_are_each_added(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    first = site.serve("/ca/1.html", news_page("Cá tra Đồng Tháp được mùa", "Giá cá tra nguyên liệu tại Đồng "
                                               "Tháp lên 31.000 đồng mỗi ký, cao nhất trong năm."))
    second = site.serve("/ca/2.html", news_page("Tôm hùm Phú Yên xuất khẩu", "Tôm hùm bông Phú Yên được xuất "
                                                "khẩu với giá 1,6 triệu đồng mỗi ký."))
    since = telegram.mark()
    await telegram.send_text(telegram.private_chat(admin), admin, f"{first}\n{second}")
    statuses = [await telegram.wait_for(lambda c, n=n: c.method == "sendMessage" and c.error is None and
                                        n in c.params["text"], since) for n in ("/ca/1.html", "/ca/2.html")]
    # it was taken for a question, and "Không tìm thấy" came back
    for status in statuses:
        assert "✅" in await final_of(telegram, status)
    titles = {i.title for i in library.articles()}  # type: ignore[attr-defined]
    assert {"Cá tra Đồng Tháp được mùa", "Tôm hùm Phú Yên xuất khẩu"} <= titles


def atom(site: Site, path: str, published: str, updated: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tin giá lúa'
            f'</title><entry><title>Giá lúa</title><link href="{site.url(path)}"/><id>{site.url(path)}</id>'
            f"<published>{published}</published><updated>{updated}</updated></entry></feed>")


async def test_a_feed_item_updated_after_it_was_published_replaces_its_page_unless_removed(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    site.serve("/gia-lua", news_page("Giá lúa Kiên Giang", "Giá lúa IR 504 tại Kiên Giang ở mức 6.200 đồng mỗi ký."))
    feed = site.serve("/lua.atom", atom(site, "/gia-lua", "2025-03-06T08:00:00+07:00", "2025-03-06T08:00:00+07:00"),
                      "application/atom+xml")
    await final_of(telegram, (await ask(telegram, chat, admin, f"/feeds add {feed}"))[1])
    site.serve("/gia-lua", news_page("Giá lúa Kiên Giang", "Giá lúa IR 504 tại Kiên Giang ở mức 6.500 đồng mỗi ký."))
    site.serve("/lua.atom", atom(site, "/gia-lua", "2025-03-06T08:00:00+07:00", "2025-03-06T15:30:00+07:00"),
               "application/atom+xml")
    [poll] = admin_bot.job_queue.get_jobs_by_name("poll-feeds")
    await poll.run(admin_bot)
    await admin_bot.bot_data.state.queue.idle()
    user = telegram.user(2301)
    _, reply = await ask(telegram, telegram.private_chat(user), user, "Giá lúa IR 504 tại Kiên Giang bao nhiêu?")
    # the edited figure; the item was seen, and its correction never reached readers
    assert "6.500 đồng" in reply.result["text"] and "6.200 đồng" not in reply.result["text"]
    assert sum(path.startswith("links/") and "gia-lua" in path for path in files_of(library)) == 1

    [held] = [path for path in files_of(library) if path.startswith("links/") and "gia-lua" in path]
    library.originals.remove(held)  # type: ignore[attr-defined]
    await asyncio.to_thread(library.reindex)  # type: ignore[attr-defined]
    site.serve("/lua.atom", atom(site, "/gia-lua", "2025-03-06T08:00:00+07:00", "2025-03-07T09:00:00+07:00"),
               "application/atom+xml")
    await poll.run(admin_bot)
    await admin_bot.bot_data.state.queue.idle()
    assert not [path for path in files_of(library) if path.startswith("links/") and "gia-lua" in path]  # stays removed



async def test_an_admins_file_captioned_with_a_question_is_answered_not_added(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    claim = "Tin đồn biên giới\n\nĐường biên giới Việt Nam - Lào dài 5.000 km, theo một bài đăng trên mạng xã hội.\n"
    before = files_of(library)
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    since = telegram.mark()
    message = await telegram.send_document(chat, admin, "tin-don.txt", claim.encode(),
                                           caption="Đường biên giới Việt Nam - Lào dài bao nhiêu km?")
    answer = await telegram.wait_reply(message, since)
    told = await telegram.wait_for(lambda c: c.method == "sendMessage" and "chưa thêm tệp" in c.params["text"], since)
    # the claim was added and quoted first to every reader
    assert "2.300" in answer.params["text"] and "5.000" not in answer.params["text"]
    assert "gửi lại tệp không kèm câu hỏi" in told.params["text"] and files_of(library) == before
    # a caption that titles the file still adds it, in the words a reader's caption may ask with too
    done = await final_of(telegram, await upload(telegram, "tin-don.txt", claim.encode(), caption="title: Tin đồn"))
    assert done.startswith("✅")
    rule = "Quy định không hút thuốc\n\nHọc sinh không hút thuốc lá trong khuôn viên trường học.\n".encode()
    done = await final_of(telegram, await upload(telegram, "quy-dinh.txt", rule, caption="Hỏi đáp: quy định không "
                                                 "hút thuốc lá trong trường học"))  # fmt: skip
    assert done.startswith("✅")


@pytest.mark.parametrize("sent", ["photo", "file"])
async def test_an_admins_caption_that_asks_keeps_its_place_among_the_chats_answers(
    admin_bot: Application, telegram: FakeTelegram, sent: str
) -> None:
    store = admin_bot.bot_data.state.store
    read, slow = store.chat_settings, [True]

    def slow_first(chat_id: int) -> dict[str, object]:  # the store slow to read the admin's settings once
        if slow and slow.pop():
            time.sleep(0.3)
        return read(chat_id)

    store.chat_settings = slow_first  # type: ignore[method-assign]
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(picture, "JPEG")
    since = telegram.mark()
    if sent == "photo":  # a screenshot with the question under it
        await telegram.send_photo(chat, admin, picture.getvalue(), caption=BORDER_QUESTION)
    else:
        await telegram.send_document(chat, admin, "tin-don.txt", "Tin đồn\n\nLào dài 5.000 km.\n".encode(),
                                     caption=BORDER_QUESTION)
    hello = await telegram.send_text(chat, admin, "xin chào")  # typed at once, while the settings are read
    await telegram.wait_reply(hello, since)
    said = [c.params["text"] for c in telegram.calls[since:] if c.method == "sendMessage"]
    # the greeting typed after it was answered first, and came between the answer and what it says of the file
    assert "2.300 km" in said[0] and "chưa thêm tệp" in said[1] and len(said) == 3, said
