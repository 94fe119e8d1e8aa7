"""End to end: admins change the collection from Telegram (files, links, feeds, removal); users get the
quotes. Real bot, real library and model, pages and feeds served on 127.0.0.1; only Telegram is fake."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.collection_fixtures import ARTICLE, Site, files_of, final_of, news_page, rss, upload, zipped
from tests.documents import (
    PDF_HEADER,
    make_docx,
    make_docx_bomb,
    make_locked_pdf,
    make_pdf,
    make_pdf_bomb,
    make_scanned_pdf,
)
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import ask, buttons
from tests.test_formats import ARTICLE_HTML, NOT_AN_ARTICLE

pytestmark = pytest.mark.asyncio


async def test_admin_uploads_a_pdf_and_a_docx_and_users_get_quotes_from_both(
    admin_bot: Application, telegram: FakeTelegram, library: object, tmp_path: Path
) -> None:
    status = await upload(telegram, "ca-phe.pdf", make_pdf(tmp_path / "a.pdf").read_bytes())
    done = await final_of(telegram, status)
    assert "Cà phê Đắk Lắk bước vào mùa thu hoạch kỷ lục" in done and "2024-03-12" in done
    assert "5 đoạn" in done and "<blockquote>Niên vụ năm nay" in done

    status = await upload(telegram, "ho tieu.docx", make_docx(tmp_path / "b.docx").read_bytes(),
                          caption="source: Bộ Công Thương | date: 06/01/2025")
    done = await final_of(telegram, status)
    assert "Hồ tiêu Việt Nam trên thị trường thế giới" in done and "2025-01-06" in done and "6 đoạn" in done
    assert {"uploads/ca-phe.pdf", "uploads/ho_tieu.docx"} <= files_of(library)

    user = telegram.user(2001)
    chat = telegram.private_chat(user)
    _, reply = await ask(telegram, chat, user, "Tỉnh Đắk Lắk có bao nhiêu héc-ta cà phê?")
    assert "213.000 héc-ta" in reply.result["text"] and "📎 ca-phe.pdf" in reply.result["text"]
    _, reply = await ask(telegram, chat, user, "Sản lượng xuất khẩu hồ tiêu năm 2024 là bao nhiêu?")
    assert "Năm: 2024; Sản lượng xuất khẩu: 2.760 tấn" in reply.result["text"]
    assert "Bộ Công Thương" in reply.result["text"]
    _, reply = await ask(telegram, chat, user, "Chuỗi liên kết cà phê đã mở rộng ra bao nhiêu héc-ta?")
    # the paragraph that runs across the page break is quoted whole, without the running header
    assert "năm năm trước, và sẽ tiếp tục" in reply.result["text"]
    assert PDF_HEADER not in reply.result["text"] and "Trang 2" not in reply.result["text"]


async def test_a_zip_is_unpacked_with_safe_names_and_a_second_version_kept_apart(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    status = await upload(telegram, "gói.zip", zipped({"../../etc/hoi-an.txt": ARTICLE, "x.exe": b"MZ"}))
    done = await final_of(telegram, status)
    assert "Hội An đón vị khách quốc tế thứ một triệu" in done and "Bỏ qua x.exe: bot chưa đọc được" in done
    assert "uploads/gói/hoi-an.txt" in files_of(library)

    changed = ARTICLE.replace(b"hai th", b"ba th")
    done = await final_of(telegram, await upload(telegram, "hoi-an.txt", changed))
    again = await final_of(telegram, await upload(telegram, "hoi-an.txt", changed))
    assert "✅" in done and again.startswith("✅ Đã có sẵn")
    assert {"uploads/hoi-an.txt"} <= files_of(library) and "uploads/hoi-an-2.txt" not in files_of(library)
    third = ARTICLE.replace(b"hai th", "bốn th".encode())
    done = await final_of(telegram, await upload(telegram, "hoi-an.txt", third))
    assert "uploads/hoi-an-2.txt" in files_of(library)
    # the very same file as one there, under another name: told so, and not kept twice
    again = await final_of(telegram, await upload(telegram, "Hội An (bản sao).txt", ARTICLE))
    assert "giống hệt tệp hoi-an.txt đã có" in again and "Hội An (bản sao).txt" in again
    assert not any("bản sao" in path for path in files_of(library))


async def test_bad_files_get_one_line_each_and_change_nothing(
    admin_bot: Application, telegram: FakeTelegram, library: object, tmp_path: Path
) -> None:
    before = files_of(library)
    documents = library.info().documents  # type: ignore[attr-defined]
    bomb = zipped({"a.txt": b"a" * 150_000})
    many = zipped({f"{n}.txt": ARTICLE for n in range(7)})
    cases = {
        "scan.pdf": (make_scanned_pdf(tmp_path / "s.pdf").read_bytes(), "không nhận ra chữ nào"),
        "khoa.pdf": (make_locked_pdf(tmp_path / "l.pdf").read_bytes(), "có mật khẩu"),
        "hong.pdf": (b"%PDF-1.4\n1 0 obj <<", "PDF bị hỏng"),
        "hong.docx": (zipped({"word/x.xml": b"<x/>"}), "không đọc được tệp Word"),
        "rong.txt": (b"   \n\n ", "tệp trống"),
        "ngan.txt": ("Ngắn thôi.".encode(), "không tìm thấy đoạn văn"),
        "bom.zip": (bomb, "giải nén ra hơn 97 KB"),
        "nhieu.zip": (many, "chứa 7 tệp, quá giới hạn 5"),
        "bom.pdf": (make_pdf_bomb(), "giải nén ra hơn 64 MB (có thể là bom nén)"),
        "bom.docx": (make_docx_bomb(tmp_path / "seed.docx"), "tệp Word giải nén ra hơn 64 MB"),
    }
    for name, (content, reason) in cases.items():
        status = await upload(telegram, name, content)
        line = await final_of(telegram, status)
        assert line.startswith("❌") and name in line and reason in line and "\n" not in line, line

    unsupported = await upload(telegram, "virus.exe", b"MZ")
    assert "virus.exe" in unsupported.params["text"] and "PDF, DOCX" in unsupported.params["text"]
    # the files people have that the bot does not read are told the way to one it does
    for name, way in (("to-trinh.doc", "lưu lại dạng .docx"), ("bang-gia.xlsx", "xuất ra PDF"),
                      ("anh.HEIC", "gửi dạng ảnh")):
        said = (await upload(telegram, name, b"\xd0\xcf\x11\xe0")).params["text"]
        assert name in said and way in said and "\n" not in said, said
    since = telegram.mark()
    big = await upload(telegram, "lon.pdf", b"%PDF", claimed_size=25 * 1024 * 1024)
    assert "20 MB" in big.params["text"] and "lon.pdf" in big.params["text"]
    assert not any(c.method == "getFile" for c in telegram.calls[since:])
    just_over = await upload(telegram, "vua-qua.pdf", b"%PDF", claimed_size=20 * 1024 * 1024 + 1)
    assert "20.1 MB" in just_over.params["text"]  # it said "20.0 MB, over the 20 MB limit"
    # a client that leaves out the size: Telegram refuses the download, said as a file too big, in Vietnamese
    admin = telegram.user(ADMIN_ID, "Admin")
    unsized = await telegram.send_document(telegram.private_chat(admin), admin, "khong-co-co.txt", b"x",
                                           claimed_size=25 * 1024 * 1024, sized=False)
    said = await final_of(telegram, await telegram.wait_reply(unsized))
    assert "chia nhỏ" in said and "too big" not in said
    assert files_of(library) == before and library.info().documents == documents  # type: ignore[attr-defined]


async def test_non_admins_sending_files_or_links_are_refused_and_nothing_is_stored(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    before = files_of(library)
    refused = await upload(telegram, "hoi-an.txt", ARTICLE, user_id=2002)
    assert "Chỉ quản trị viên" in refused.params["text"]
    user = telegram.user(2002)
    _, link = await ask(telegram, telegram.private_chat(user), user, site.serve("/a.html", ARTICLE_HTML))
    _, add = await ask(telegram, telegram.private_chat(user), user, "/add " + site.url("/a.html"))
    assert "Chỉ quản trị viên" in link.params["text"] and "Chỉ quản trị viên" in add.params["text"]
    assert not telegram.downloads and files_of(library) == before


async def test_links_are_fetched_with_their_url_and_bad_links_say_why(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    url = site.serve("/sau-rieng.html", ARTICLE_HTML)
    _, status = await ask(telegram, chat, admin, url)
    done = await final_of(telegram, status)
    assert "Sầu riêng xuất khẩu lập kỷ lục trong tám tháng" in done and "2024-08-20" in done

    user = telegram.user(2003)
    _, reply = await ask(telegram, telegram.private_chat(user), user, "Kim ngạch xuất khẩu sầu riêng tám tháng?")
    assert "2,1 tỷ USD" in reply.result["text"]
    # the address it was fetched from is its link back, pointing at the quoted sentence
    assert f'<a href="{url}#:~:text=' in reply.params["text"] and "Báo Nông Thôn" in reply.result["text"]
    assert "📎" not in reply.result["text"]

    before = files_of(library)
    site.serve("/500", "oops", status=500)
    site.serve("/menu.html", NOT_AN_ARTICLE)
    cases = {
        site.url("/missing"): "lỗi HTTP 404",
        site.url("/500"): "lỗi HTTP 500",
        site.url("/hang"): "không trả lời trong 1 giây",
        site.url("/menu.html"): "không phải một bài báo",
        "ftp://127.0.0.1/a.html": "chỉ thêm được đường liên kết http:// hoặc https://",
    }
    for link, reason in cases.items():
        _, status = await ask(telegram, chat, admin, f"/add {link}")
        line = await final_of(telegram, status)
        assert line.startswith("❌") and link in line and reason in line, line
    # a link as long as a message may be: echoed shortened, so the status and the refusal still fit
    long_link = site.url("/missing?q=" + "a%26" * 1000)
    _, status = await ask(telegram, chat, admin, f"/add {long_link}")
    line = await final_of(telegram, status)
    assert line.startswith("❌") and "lỗi HTTP 404" in line and long_link[:60] in line and len(line) < 400, line
    assert files_of(library) == before


async def test_feeds_are_followed_polled_once_per_item_and_failures_reported_once(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    mango = news_page("Xoài Đồng Tháp sang thị trường Úc",
                      "Lô xoài cát Hòa Lộc đầu tiên của Đồng Tháp đã được xuất khẩu sang Úc với giá 90.000 đồng.")
    site.serve("/n/1.html", mango)
    site.serve("/n/1-copy.html", mango)  # the same article under another address
    feed = site.serve("/rss.xml", rss(site, [("/n/1.html", "Xoài"), ("/n/1-copy.html", "Xoài")]), "application/rss+xml")
    _, status = await ask(telegram, chat, admin, f"/feeds add {feed}")
    done = await final_of(telegram, status)
    assert "Xoài Đồng Tháp sang thị trường Úc" in done and done.count("• ") == 1

    _, listed = await ask(telegram, chat, admin, "/feeds")
    assert feed in listed.result["text"]
    site.serve("/n/2.html", news_page("Thanh long Bình Thuận vào mùa",
                                      "Nông dân Bình Thuận thu hoạch thanh long trái vụ với giá 25.000 đồng mỗi kg."))
    site.serve("/rss.xml", rss(site, [("/n/2.html", "Thanh long"), ("/n/1.html", "Xoài")]), "application/rss+xml")
    [poll] = admin_bot.job_queue.get_jobs_by_name("poll-feeds")
    await poll.run(admin_bot)
    await admin_bot.bot_data.state.queue.idle()
    user = telegram.user(2004)
    _, reply = await ask(telegram, telegram.private_chat(user), user, "Giá thanh long trái vụ ở Bình Thuận?")
    assert "25.000 đồng mỗi kg" in reply.result["text"]
    assert sum(path.startswith("links/127.0.0.1/") for path in files_of(library) if path.endswith(".html")) >= 2

    since = telegram.mark()
    site.serve("/rss.xml", "<html><body>Bảo trì</body></html>")
    store = admin_bot.bot_data.state.store
    store.save_chat_settings(ADMIN_ID, {"lang": "en"})  # the admin chose English: it was said in Vietnamese
    for _ in range(4):
        await poll.run(admin_bot)
        await admin_bot.bot_data.state.queue.idle()
    store.delete_chat_settings(ADMIN_ID)
    sent = [c for c in telegram.calls[since:] if c.method == "sendMessage" and not c.error]
    warnings = [c for c in sent if "failed" in c.params["text"]]
    assert len(warnings) == 1 and int(warnings[0].params["chat_id"]) == ADMIN_ID
    assert feed in warnings[0].params["text"] and "times in a row" in warnings[0].params["text"]

    site.serve("/menu-feed", "không phải XML", "text/plain")
    _, status = await ask(telegram, chat, admin, f"/feeds add {site.url('/menu-feed')}")
    line = await final_of(telegram, status)
    assert line.startswith("❌") and "/menu-feed" in line
    _, removed = await ask(telegram, chat, admin, "/feeds remove 1")
    assert f"Đã bỏ theo dõi {feed}" in removed.params["text"]
    assert "vẫn ở trong bộ sưu tập" in removed.params["text"]  # what it brought stays: the admin is not left guessing
    _, listed = await ask(telegram, chat, admin, "/feeds")
    assert "Chưa theo dõi nguồn tin nào" in listed.params["text"]


async def test_feeds_subcommands_are_read_in_any_case_and_list_is_the_list(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    for typed in ("/feeds list", "/feeds LIST"):  # each got the usage line
        _, listed = await ask(telegram, chat, admin, typed)
        assert "Chưa theo dõi nguồn tin nào" in listed.params["text"]
    _, removed = await ask(telegram, chat, admin, "/feeds Remove 3")
    assert "Cách dùng" not in removed.params["text"]


async def test_what_an_admin_is_told_unasked_is_in_their_telegrams_language(
    admin_bot: Application, telegram: FakeTelegram, site: Site
) -> None:
    from bot.chat_settings import settings_of

    state = admin_bot.bot_data.state
    admin = telegram.user(ADMIN_ID, "Admin", language_code="en")
    await ask(telegram, telegram.private_chat(admin), admin, "/feeds")
    # a feed failing is told with no message of the admin's at hand: it was said in Vietnamese
    assert (await settings_of(state, ADMIN_ID)).unasked == "en"
    state.store.delete_chat_settings(ADMIN_ID)
    assert (await settings_of(state, ADMIN_ID)).unasked == "vi"  # never seen: the collection's language


async def test_remove_asks_for_a_button_press_then_the_article_is_gone(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    renamed = ARTICLE.replace("Hội An".encode(), "Phố Hiến".encode())
    done = await final_of(telegram, await upload(telegram, "pho-co.txt", renamed))
    assert "Phố Hiến" in done
    _, answer = await ask(telegram, chat, admin, "Phố Hiến đón vị khách quốc tế thứ một triệu khi nào?")
    quoted = "sáng nay đón vị khách quốc tế thứ một triệu"
    assert quoted in answer.result["text"] and "Phố Hiến" in answer.result["text"]
    _, listing = await ask(telegram, chat, admin, "/remove pho hien")
    [choice] = [d for d in buttons(listing) if d != "rm:cancel"]

    stranger = telegram.user(2005)
    since = telegram.mark()
    await telegram.press(listing.result, choice, stranger)
    alert = await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)
    assert alert.params["show_alert"] is True and "uploads/pho-co.txt" in files_of(library)

    await telegram.press(listing.result, choice, admin)
    done = await final_of(telegram, listing)
    assert "Đã xóa «Phố Hiến" in done and "uploads/pho-co.txt" not in files_of(library)
    assert not any("Phố Hiến" in info.title for info in library.articles())  # type: ignore[attr-defined]

    # the older answer's buttons: the page is re-read and the removed passage is gone from it
    key = buttons(answer)[0].split(":")[1]
    since = telegram.mark()
    await telegram.press(answer.result, f"m:{key}:0", admin)
    page = await telegram.wait_for(lambda c: c.method == "editMessageText", since)
    quotes = page.params["text"].split("\n\n", 1)[1]  # below the question
    # other articles may share the sentence (earlier uploads of Hội An): the removed one's name is the test
    assert "Phố Hiến" not in quotes and "không còn trong bộ sưu tập" in quotes
    await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)
    since = telegram.mark()
    pressed = await telegram.press(answer.result, f"a:{key}:0", admin)
    alert = await telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.params["callback_query_id"] == pressed, since
    )
    assert "không còn trong bộ sưu tập" in alert.params["text"]
    assert not any(c.method in {"sendMessage", "sendDocument"} for c in telegram.calls[since:])


async def test_sources_pages_through_the_collection_with_buttons(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    user = telegram.user(2006)
    chat = telegram.private_chat(user)
    _, first = await ask(telegram, chat, user, "/sources")
    assert "Trang 1/" in first.result["text"] and buttons(first) == ["src:1"]
    since = telegram.mark()
    await telegram.press(first.result, "src:1", user)
    page = await telegram.wait_for(lambda c: c.method == "editMessageText" and c.error is None, since)
    assert "Trang 2/" in page.params["text"] and "4." in page.params["text"]


async def test_sources_lists_a_new_upload_first_by_its_date_not_its_file_name(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    dated = ARTICLE.replace(b"\n\n", "\n\nCập nhật 05/12/2026\n\n".encode(), 1)
    assert "Đã thêm" in await final_of(telegram, await upload(telegram, "zz-hoi-an.txt", dated))
    user = telegram.user(2008)
    _, first = await ask(telegram, telegram.private_chat(user), user, "/sources")
    lines = first.result["text"].splitlines()
    assert lines[1].startswith("1. Hội An đón vị khách") and "05/12/2026" in lines[1]


async def test_an_upload_waits_for_a_running_build_while_questions_are_answered(
    start_bot: StartBot, telegram: FakeTelegram, library: object
) -> None:
    from tests.test_bot_e2e import BORDER_QUESTION, GatedLibrary

    gated = GatedLibrary(library)
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    await start_bot(library=gated)
    (library.config.data_dir / "901_changed.txt").write_text(ARTICLE.decode() + "\n\nThêm một đoạn văn mới.", "utf-8")
    _, rebuild = await ask(telegram, chat, admin, "/reindex")
    assert await asyncio.to_thread(gated.entered.wait, 10)

    queued = await upload(telegram, "hue.txt", ARTICLE.replace("Hội An".encode(), "Cố đô Huế".encode()))
    assert "đang chờ 1 việc" in queued.params["text"]
    user = telegram.user(2007)
    _, answer = await ask(telegram, telegram.private_chat(user), user, BORDER_QUESTION)
    assert "2.300 km" in answer.result["text"]

    gated.gate.set()
    assert "Đã cập nhật" in await final_of(telegram, rebuild)
    done = await final_of(telegram, queued)
    assert "Cố đô Huế" in done and "uploads/hue.txt" in files_of(library)


async def test_inline_finds_an_article_as_soon_as_it_is_added(admin_bot: Application, telegram: FakeTelegram) -> None:
    """"Nothing found" was kept five minutes, by the bot for every user and by Telegram for each one, after
    an admin had added the article that answers."""
    article = ("Vịnh Lan Hạ đón tàu du lịch quốc tế đầu tiên\n\n"
               "Vịnh Lan Hạ sáng nay đón tàu du lịch quốc tế đầu tiên cập cảng với hơn hai nghìn hành khách.").encode()
    question = "Vịnh Lan Hạ đón tàu du lịch quốc tế đầu tiên bao nhiêu hành khách?"
    user = telegram.user(2009)
    before = await telegram.wait_inline(await telegram.inline(user, question))
    assert [r["id"] for r in before.params["results"]] == ["none"] and before.params["cache_time"] == 0
    assert "Đã thêm" in await final_of(telegram, await upload(telegram, "lan-ha.txt", article))
    after = await telegram.wait_inline(await telegram.inline(user, question))
    assert "Vịnh Lan Hạ" in after.params["results"][0]["title"]


async def test_what_admins_change_is_logged_for_the_operator_without_who(
    admin_bot: Application, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    article = "Chợ nổi Cái Răng mở cửa\n\nChợ nổi Cái Răng mở cửa đón khách từ bốn giờ sáng mỗi ngày.".encode()
    with caplog.at_level(logging.INFO, logger="bot.admins.jobs"):
        assert "Đã thêm" in await final_of(telegram, await upload(telegram, "cai-rang.txt", article))
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("collection updated")]
    assert "1 documents added" in line and str(ADMIN_ID) not in line


async def test_a_file_sent_without_an_extension_is_read_as_what_it_holds(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    # a phone or a chat app shares "baocao" without ".txt": it was refused as a type the bot does not read
    done = await final_of(telegram, await upload(telegram, "baocao", ARTICLE))
    assert done.startswith("✅") and "Hội An đón vị khách" in done  # read as text, whatever its name
    # Notepad's "Unicode" (UTF-16 with its byte-order mark), unnamed: refused as a type the bot cannot read
    notice = "Thông báo cắt điện\n\nXã Đắk Plô cắt điện từ 7 giờ đến 11 giờ sáng thứ Bảy để sửa đường dây."
    done = await final_of(telegram, await upload(telegram, "thong-bao", notice.encode("utf-16")))
    assert done.startswith("✅") and "Thông báo cắt điện" in done
    refused = await final_of(telegram, await upload(telegram, "du-lieu", bytes(range(256)) * 4))
    assert refused.startswith("❌") and "du-lieu" in refused and "Errno" not in refused


async def test_an_albums_caption_is_every_files_caption(admin_bot: Application, telegram: FakeTelegram) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    first = "Lịch tiêm chủng tháng 6\n\nTrạm y tế xã tiêm vắc xin sởi cho trẻ 9 tháng tuổi vào sáng thứ Hai.".encode()
    second = "Lịch khám sức khỏe người cao tuổi\n\nTrạm y tế xã khám miễn phí cho người trên 60 tuổi ngày 15.".encode()
    since = telegram.mark()
    # Telegram puts the album's caption on its first message only
    sent = [await telegram.send_document(chat, admin, "tiem-chung.txt", first,
                                         "nguồn: Trạm y tế xã Đắk Plô | ngày: 05/06/2025", album="a1"),
            await telegram.send_document(chat, admin, "kham-benh.txt", second, album="a1")]
    for message in sent:
        assert (await final_of(telegram, await telegram.wait_reply(message, since))).startswith("✅")
    reader = telegram.user(2011)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader,
                         "Người cao tuổi được khám sức khỏe miễn phí ngày nào?")
    # the second file has the album's source and date: it had neither
    assert "khám miễn phí" in reply.result["text"] and "Trạm y tế xã Đắk Plô" in reply.result["text"]
    assert "05/06/2025" in reply.result["text"] or "2025-06-05" in reply.result["text"]
