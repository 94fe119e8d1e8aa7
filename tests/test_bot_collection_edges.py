"""The rough edges an admin meets while changing the collection: dates, re-sends, feed links, errors said in
words, progress, paging and undoing /remove. Real bot and library; only Telegram is fake."""

from __future__ import annotations

import errno
import json
import logging
from pathlib import Path

import pytest
from telegram.ext import Application

from retriever import originals as originals_module
from retriever.index import passages
from tests.bot_fixtures import ADMIN_ID
from tests.collection_fixtures import Site, files_of, final_of, news_page, rss, trickling_server, upload, zipped
from tests.documents import DATELINE_TITLE, encode_cp1258, make_dateline_pdf
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import ask, buttons
from tests.test_bot_feedback import press

pytestmark = pytest.mark.asyncio


def article(title: str, sentence: str) -> bytes:
    return f"{title}\n\n{sentence}".encode()


async def test_a_pdf_takes_its_date_from_its_dateline_and_a_resend_says_the_indexed_date(
    admin_bot: Application, telegram: FakeTelegram, library: object, tmp_path: Path
) -> None:
    done = await final_of(telegram, await upload(telegram, "hop-tac.pdf", make_dateline_pdf(tmp_path / "a.pdf")
                                                 .read_bytes()))  # fmt: skip
    assert DATELINE_TITLE in done and "2025-03-14" in done and "2026-01-02" not in done

    body = article("Đà Lạt mở lễ hội hoa lần thứ mười", "Lễ hội hoa Đà Lạt năm nay kéo dài mười ngày với "
                   "hơn năm trăm nghìn chậu hoa dọc bờ hồ Xuân Hương.")  # fmt: skip
    first = await final_of(telegram, await upload(telegram, "le-hoi.txt", body, caption="date: 20/12/2024"))
    again = await final_of(telegram, await upload(telegram, "le-hoi.txt", body))
    assert "2024-12-20" in first and "2024-12-20" in again
    assert again.startswith("✅ Đã có sẵn trong bộ sưu tập") and "Đã thêm" not in again  # it said "Added"
    indexed = [i for i in library.articles() if i.document == "uploads/le-hoi.txt"]  # type: ignore[attr-defined]
    assert [i.date for i in indexed] == ["2024-12-20"]


async def test_a_feed_sent_to_add_suggests_feeds_add(
    admin_bot: Application, telegram: FakeTelegram, site: Site
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    feed = site.serve("/tin.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
                      "application/rss+xml")  # fmt: skip
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/add {feed}")
    refused = await final_of(telegram, status)
    assert f"/feeds add {feed}" in refused and "không dẫn tới trang web" not in refused


async def test_a_read_only_data_folder_is_said_in_words(
    admin_bot: Application, telegram: FakeTelegram, library: object, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def read_only(target: Path, raw: bytes) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(target.parent / f".{target.name}.partial"))

    monkeypatch.setattr(originals_module, "write_file", read_only)
    with caplog.at_level(logging.WARNING, logger="bot"):
        refused = await final_of(telegram, await upload(telegram, "moi.txt", article("Tin mới", "Một câu đủ dài "
                                                                                      "để thành một đoạn văn.")))
    data = library.config.data_dir  # type: ignore[attr-defined]
    assert f"thư mục dữ liệu chỉ cho đọc ({data}/uploads)" in refused
    assert "OSError" not in refused and "Errno" not in refused
    # the operator's log: one line saying what failed, not a 25-line traceback
    assert [r.levelname for r in caplog.records if "indexing job" in r.getMessage()] == ["WARNING"]
    assert not any(r.exc_info for r in caplog.records)


async def test_progress_counts_the_files_being_read_not_the_collection(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    members = {f"tin-{n}.txt": article(f"Bản tin thời tiết số {n}", f"Ngày thứ {n} trời nắng nhẹ, gió đông bắc "
                                       "cấp hai đến cấp ba.") for n in range(3)}  # fmt: skip
    since = telegram.mark()
    status = await upload(telegram, "thoi-tiet.zip", zipped(members))
    await final_of(telegram, status)
    shown = [c.params["text"] for c in telegram.calls[since:] if c.method == "editMessageText"]
    reading = [line for line in shown if "đọc tệp" in line]
    assert reading and all(line.endswith("/3") for line in reading), shown


async def test_remove_pages_through_matches_with_whole_words_and_can_be_undone(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    lines = [{"id": f"b{n}", "title": f"Bản tin giá nông sản tuần thứ {n} tại các tỉnh đồng bằng sông Cửu Long",
              "text": f"Tuần thứ {n}, giá lúa tại các tỉnh đồng bằng tăng nhẹ so với tuần trước."} for n in range(10)]
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    assert "✅" in await final_of(telegram, await upload(telegram, "gia-nong-san.jsonl", body))

    _, listing = await ask(telegram, chat, admin, "/remove ban tin gia nong san")
    first = listing.result["text"]
    assert "(10 kết quả)" in first and "Trang 1/2" in first
    keyboard = listing.params["reply_markup"]["inline_keyboard"]
    labels = [row[0]["text"] for row in keyboard if row[0]["callback_data"].startswith("rm:") and
              row[0]["callback_data"] != "rm:cancel"]  # fmt: skip
    assert len(labels) == 8 and all(label.endswith("…") for label in labels)
    assert all(label.removesuffix("…").split()[-1] in lines[0]["title"].split() for label in labels)  # whole words
    following = [d for d in buttons(listing) if d.startswith("rmp:")]
    assert following == ["rmp:1:ban tin gia nong san"]
    since = telegram.mark()
    await press(telegram, listing.result, following[0], admin)
    page = await telegram.wait_for(lambda c: c.method == "editMessageText" and "Trang 2/2" in c.params["text"], since)
    removable = [b["callback_data"] for row in page.params["reply_markup"]["inline_keyboard"] for b in row
                 if b["callback_data"].startswith("rm:") and b["callback_data"] != "rm:cancel"]  # fmt: skip
    assert len(removable) == 2

    await press(telegram, page.result, removable[0], admin)
    removed = await final_of(telegram, page)
    assert "Đã xóa" in removed and "Hoàn tác" in removed
    assert "uploads/gia-nong-san.jsonl" not in files_of(library)
    assert not any("nông sản" in info.title for info in library.articles())  # type: ignore[attr-defined]
    undo = next(c for c in reversed(telegram.calls) if c.method == "editMessageText" and "Đã xóa" in c.params["text"])
    [token] = [d for d in buttons(undo) if d.startswith("rmu:")]

    since = telegram.mark()
    await press(telegram, undo.result, token, admin)
    restored = await telegram.wait_for(lambda c: c.method == "editMessageText" and "↩" in c.params["text"]
                                       and "Đã khôi phục" in c.params["text"], since)  # fmt: skip
    assert "uploads/gia-nong-san.jsonl" in restored.params["text"]
    assert "uploads/gia-nong-san.jsonl" in files_of(library)
    assert sum("nông sản" in i.title for i in library.articles()) == 10  # type: ignore[attr-defined]
    since = telegram.mark()
    await press(telegram, undo.result, token, admin)  # a second press: the file is back, as the first one said
    await telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)
    await telegram.wait_for(lambda c: c.method == "editMessageText" and "Đã khôi phục" in c.params["text"], since)
    # it said "deleted for good" of the file it had just restored
    assert not any("Không hoàn tác" in c.params.get("text", "") for c in telegram.calls[since:])
    assert "uploads/gia-nong-san.jsonl" in files_of(library)


async def test_a_site_that_refuses_the_connection_is_named_not_the_exception(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    from tests.pg_fixtures import free_port

    admin = telegram.user(ADMIN_ID, "Admin")
    closed = f"http://127.0.0.1:{free_port()}/bai-bao.html"  # nothing listens there
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/add {closed}")
    refused = await final_of(telegram, status)
    assert "không kết nối được tới 127.0.0.1" in refused and "ConnectError" not in refused


async def test_a_feed_item_that_failed_for_a_passing_reason_is_fetched_again_at_the_next_poll(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    """503 (the site is down for now) is tried again; 404 (gone) stays seen and is not fetched again."""
    admin = telegram.user(ADMIN_ID, "Admin")
    site.serve("/f/lua.html", news_page("Lúa Đồng bằng sông Cửu Long được mùa",
                                        "Nông dân miền Tây thu hoạch lúa Đông Xuân với năng suất 7,2 tấn mỗi héc-ta."))
    site.serve("/f/ca-phe.html", "Service Unavailable", status=503)
    site.serve("/f/mat.html", "Not Found", status=404)
    items = [("/f/lua.html", "Lúa"), ("/f/ca-phe.html", "Cà phê"), ("/f/mat.html", "Mất")]
    feed = site.serve("/tin.xml", rss(site, items), "application/rss+xml")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/feeds add {feed}")
    assert "Lúa Đồng bằng sông Cửu Long" in await final_of(telegram, status)

    site.serve("/f/ca-phe.html", news_page("Giá cà phê Tây Nguyên tăng mạnh",
                                           "Giá cà phê nhân xô tại Đắk Lắk hôm nay lên 128.500 đồng mỗi ki-lô-gam."))
    site.serve("/f/mat.html", news_page("Bài đã gỡ quay lại", "Bài này đã trả lời 404 nên không được tải lại nữa."))
    [poll] = admin_bot.job_queue.get_jobs_by_name("poll-feeds")
    await poll.run(admin_bot)
    await admin_bot.bot_data.state.queue.idle()
    user = telegram.user(2005)
    _, reply = await ask(telegram, telegram.private_chat(user), user, "Giá cà phê nhân xô tại Đắk Lắk hôm nay?")
    assert "128.500 đồng mỗi ki-lô-gam" in reply.result["text"]
    assert not [path for path in files_of(library) if "mat" in path]


async def test_a_link_trickling_its_headers_is_refused_in_time_and_the_queue_goes_on(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    """A byte a second restarts the read timeout; the admin still hears within the whole-fetch deadline,
    and the file sent after the link is indexed (the queue is not held up for ever)."""
    admin = telegram.user(ADMIN_ID, "Admin")
    with trickling_server() as slow:
        link = slow + "/bai-bao.html"
        _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/add {link}")
        queued = await upload(telegram, "hoi-an-cham.txt", article(
            "Hội An mở phố đi bộ mới", "Thành phố Hội An mở thêm một tuyến phố đi bộ ven sông Hoài từ tháng này."))
        refused = await final_of(telegram, status, timeout=20)
        assert "Không thêm được" in refused and link in refused and "gửi dữ liệu quá chậm" in refused
        assert (await final_of(telegram, queued, timeout=30)).startswith("✅")


async def test_a_text_in_an_older_encoding_is_quoted_as_written_and_junk_is_refused(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    # Windows' Vietnamese code page and Notepad's "Unicode" (UTF-16): accents intact, not replaced
    title = "Làng gốm Bát Tràng đón đoàn khách Nhật Bản"
    sentence = "Làng gốm Bát Tràng sáng nay đón ba trăm khách Nhật Bản đến học nặn gốm."
    for name, content in (("gom.txt", encode_cp1258(f"{title}\n\n{sentence}")),
                          ("gom-unicode.txt", f"{title} lần hai\n\n{sentence} Lần hai.".encode("utf-16"))):
        done = await final_of(telegram, await upload(telegram, name, content))
        assert done.startswith("✅") and title in done and "\ufffd" not in done, done
    user = telegram.user(2010)
    question = "Làng gốm Bát Tràng đón bao nhiêu khách Nhật Bản?"
    _, reply = await ask(telegram, telegram.private_chat(user), user, question)
    assert "ba trăm khách Nhật Bản" in reply.result["text"] and "\ufffd" not in reply.result["text"]

    before = files_of(library)
    line = await final_of(telegram, await upload(telegram, "la.txt", bytes(range(128, 256)) * 20))
    assert line.startswith("❌") and "la.txt" in line and "không nhận ra bảng mã" in line and "UTF-8" in line, line
    assert files_of(library) == before


async def test_add_with_words_instead_of_a_link_gets_the_usage_and_a_pasted_ftp_link_is_refused(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    before = files_of(library)
    _, usage = await ask(telegram, chat, admin, "/add not a link")
    assert usage.params["text"].startswith("Cách dùng: <code>/add https://") and "not" not in usage.params["text"]
    # pasted alone it is a link to add, not a question to answer: one line saying which links are fetched
    _, status = await ask(telegram, chat, admin, "ftp://127.0.0.1/a.txt")
    line = await final_of(telegram, status)
    assert line.startswith("❌") and "chỉ thêm được đường liên kết http:// hoặc https://" in line, line
    assert files_of(library) == before


async def test_a_paragraph_cut_at_the_length_cap_is_said_in_the_upload_reply(
    admin_bot: Application, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passages, "MAX_PARAGRAPH_CHARS", 3_000)  # 200,000 in earnest: a smaller one encodes fast
    sentence = "Cột mốc số {} trên đường biên giới Việt Nam và Lào được xây bằng đá granite."
    long = " ".join(sentence.format(n) for n in range(50))  # one paragraph of 3,839 characters
    done = await final_of(telegram, await upload(telegram, "cot moc.txt", f"Các cột mốc\n\n{long}\n".encode()))
    assert done.startswith("✅")
    assert "⚠️ cot_moc.txt: một đoạn dài 3.839 ký tự bị cắt ở ký tự thứ 3.000; phần sau không tìm được" in done


async def test_a_title_and_source_a_page_long_still_let_every_answer_and_list_through(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    """A JSONL record's title of 5,000 characters (a Word file's first "heading" a paragraph long reads the
    same) made each answer from it too long to send: the reader got an apology, the admin a status stuck
    at ⏳."""
    title = "Báo cáo tổng kết công tác phòng chống thiên tai " * 100
    record = {"title": title, "source": "Sở Nông nghiệp " * 300,
              "text": "Năm 2024, tỉnh Quảng Bình hứng chịu 4 cơn bão, thiệt hại ước tính 1.200 tỷ đồng."}
    done = await final_of(telegram, await upload(telegram, "bao-cao.jsonl", json.dumps(record).encode()))
    assert "✅" in done and len(done) < 1000
    user = telegram.user(2301)
    question = "Năm 2024 Quảng Bình thiệt hại bao nhiêu do bão?"
    _, answer = await ask(telegram, telegram.private_chat(user), user, question)
    shown = answer.result["text"]
    assert "1.200 tỷ đồng" in shown and "Báo cáo tổng kết công tác" in shown and len(shown) < 1200
    _, listing = await ask(telegram, telegram.chats[ADMIN_ID], telegram.user(ADMIN_ID, "Admin"), "/remove bão")
    assert listing.error is None


async def test_a_remove_search_too_long_for_its_page_buttons_pages_through_the_same_search(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    """Its words dropped to fit a button's 64 bytes, page 2 listed every article with one of the first words,
    each with its 🗑."""
    admin = telegram.user(ADMIN_ID, "Admin")
    word = "congtrinhtrongdiemquocgiathuydiensongdabacbotaitinhhoabinh"
    lines = [{"id": f"d{n}", "title": f"Đập thủy điện số {n} {word} tiến độ", "text": f"Đập số {n} đã xong phần thân."}
             for n in range(10)]
    lines += [{"id": f"o{n}", "title": f"Đập thủy điện số {n} khác", "text": f"Đập khác số {n} đang xây."}
              for n in range(10)]
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    assert "✅" in await final_of(telegram, await upload(telegram, "dap.jsonl", body))
    _, listing = await ask(telegram, telegram.private_chat(admin), admin, f"/remove đập thủy điện {word} tiến độ")
    assert "(10 kết quả)" in listing.result["text"]
    [following] = [d for d in buttons(listing) if d.startswith("rmp:")]
    since = telegram.mark()
    await press(telegram, listing.result, following, admin)
    page = await telegram.wait_for(lambda c: c.method == "editMessageText", since)
    assert "Trang 2/2" in page.params["text"] and "khác" not in page.params["text"]


async def test_a_feed_item_behind_a_login_or_refused_is_quoted_from_its_summary(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site
) -> None:
    """A paywalled item: its page answers 403, or shows a login form; the feed's own summary holds the facts,
    and was thrown away while the login page was indexed as the article."""
    admin = telegram.user(ADMIN_ID, "Admin")
    site.serve("/p/lua.html", "Forbidden", status=403)
    site.serve("/p/ve-xe.html", news_page("Đăng nhập để đọc tiếp",
                                          "Bài viết dành cho thành viên trả phí. Vui lòng đăng nhập tài khoản."))
    entries = (
        ("/p/lua.html", "Giá lúa tại An Giang tăng",
         "Giá lúa IR 504 tại An Giang hôm nay tăng lên 8.200 đồng mỗi ki-lô-gam, cao nhất từ đầu năm."),
        ("/p/ve-xe.html", "Vé xe buýt điện TP.HCM",
         "Từ tháng sau, vé xe buýt điện tại TP.HCM là 50.000 đồng mỗi lượt cho tuyến sân bay Tân Sơn Nhất."),
    )
    items = "".join(f"<item><title>{title}</title><link>{site.url(path)}</link><description>{summary}"
                    f"</description></item>" for path, title, summary in entries)
    feed = site.serve("/tra-phi.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>Báo Trả Phí'
                      f"</title>{items}</channel></rss>", "application/rss+xml")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/feeds add {feed}")
    done = await final_of(telegram, status)
    assert "Giá lúa tại An Giang tăng" in done and "Vé xe buýt điện TP.HCM" in done and "Đăng nhập" not in done
    reader = telegram.user(2011)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, "Giá lúa IR 504 ở An Giang bao nhiêu?")
    assert "8.200 đồng" in reply.result["text"]
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, "Vé xe buýt điện tuyến sân bay bao nhiêu?")
    assert "50.000 đồng" in reply.result["text"]


async def test_remove_with_no_word_in_it_lists_nothing_to_remove(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    for typed in ("???", "*", "“…”"):
        _, reply = await ask(telegram, chat, admin, f"/remove {typed}")
        # no word to look for matched every title: the whole collection, each article with its 🗑
        assert "reply_markup" not in reply.params, typed
        assert f"chứa «{typed}»" in reply.result["text"]


async def test_a_zip_member_already_uploaded_alone_is_not_kept_twice(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    alone = article("Cầu Rồng phun lửa dịp lễ", "Cầu Rồng ở Đà Nẵng phun lửa và phun nước vào tối thứ bảy.")
    fresh = article("Chợ nổi Cái Răng đông khách", "Chợ nổi Cái Răng ở Cần Thơ đón nhiều du khách dịp cuối tuần.")
    assert "✅" in await final_of(telegram, await upload(telegram, "cau-rong.txt", alone))
    done = await final_of(telegram, await upload(telegram, "tuan-nay.zip",
                                                   zipped({"cau-rong.txt": alone, "cho-noi.txt": fresh})))
    assert "Chợ nổi Cái Răng đông khách" in done and "giống hệt tệp cau-rong.txt đã có" in done
    # the ZIP's copy was kept too, and readers were quoted the same paragraph twice
    assert "uploads/tuan-nay/cau-rong.txt" not in files_of(library)
    assert sum(i.title == "Cầu Rồng phun lửa dịp lễ" for i in library.articles()) == 1  # type: ignore[attr-defined]
    again = await final_of(telegram, await upload(telegram, "tuan-nay (1).zip",
                                                    zipped({"cau-rong.txt": alone, "cho-noi.txt": fresh})))
    assert again.startswith("✅ Đã có sẵn")
    assert not any(path.startswith("uploads/tuan-nay_1") for path in files_of(library))
