"""Admins' work held in the state store (files, links, feeds, removals) is taken up after a stop: by the
same bot after a restart, or by another replica once the lease of the one that stopped lapses. Real bot,
real library and model; only Telegram is fake."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.collection_fixtures import ARTICLE, Site, files_of, final_of, listed_for_removal, news_page, rss
from tests.fake_telegram import FakeTelegram
from tests.test_bot_e2e import ask, buttons

pytestmark = pytest.mark.asyncio


async def test_an_upload_held_for_an_admin_who_blocked_the_bot_is_indexed_and_let_go(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    import json

    from bot.admins.held import HELD_LEASE
    from tests.fake_telegram import Failure

    admin = telegram.user(ADMIN_ID, "Admin")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, "/help")
    record = {"chat": ADMIN_ID, "message": status.result["message_id"], "lang": "vi", "name": "chan-bot.txt",
              "meta": {"title": "", "date": "", "source": "", "url": ""}}
    state = admin_bot.bot_data.state
    # its own article: the module's collection is shared, and a copy of ARTICLE made its question ambiguous
    article = ("Quảng Ngãi mở tuyến xe buýt ra cảng Sa Kỳ\n\nTừ ngày 1/6, tuyến xe buýt số 9 nối trung tâm thành "
               "phố Quảng Ngãi với cảng Sa Kỳ, mỗi ngày 24 chuyến, giá vé 15.000 đồng.").encode()
    state.store.hold_upload("blocked-admin", json.dumps(record), article, time.time() - HELD_LEASE - 1)
    telegram.failures["editMessageText"] = [Failure(403, "Forbidden: bot was blocked by the user")] * 50
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    # the first edit's refusal escaped: the upload was neither run nor let go, and renewed here for good
    await job.run(admin_bot)
    await state.queue.idle()
    assert "blocked-admin" not in state.held
    assert state.store.take_held(time.time() + 10 * HELD_LEASE, HELD_LEASE) == []
    assert any(path.endswith("chan-bot.txt") for path in files_of(state.library))


async def test_an_upload_a_stopped_replica_held_is_indexed_under_its_status_after_a_restart(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    import json

    from bot.admins.held import HELD_LEASE
    from retriever.collection import store_upload

    admin = telegram.user(ADMIN_ID, "Admin")
    chat = telegram.private_chat(admin)
    _, status = await ask(telegram, chat, admin, "/help")  # stands for the "⏳" the admin was left with
    record = {"chat": ADMIN_ID, "message": status.result["message_id"], "lang": "vi", "name": "hoi-an.txt",
              "meta": {"title": "", "date": "", "source": "", "url": ""}}
    state = admin_bot.bot_data.state
    store = state.store
    # held when it arrived, by a replica killed before the file left the queue: it was lost for good. This one
    # had stored it, and died before its build: the file is there, its admin was never told
    store_upload(state.library.originals, "hoi-an.txt", ARTICLE)
    store.hold_upload("dead-replica", json.dumps(record), ARTICLE, time.time() - HELD_LEASE - 1)
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(admin_bot)
    done = await final_of(telegram, status)
    # news to its admin, though the file was stored before: not "already in the collection"
    assert done.startswith("✅ Đã thêm") and "Hội An đón vị khách quốc tế thứ một triệu" in done
    await admin_bot.bot_data.state.queue.idle()  # released once its admin has been told
    assert store.take_held(time.time() + 10 * HELD_LEASE, HELD_LEASE) == []  # stored: no longer held
    user = telegram.user(2010)
    _, reply = await ask(telegram, telegram.private_chat(user), user, "Hội An đón khách quốc tế thứ một triệu khi nào?")
    assert "sớm hơn hai tháng" in reply.result["text"]


async def test_an_upload_a_stopped_replica_held_is_taken_up_as_soon_as_a_bot_starts(
    start_bot: StartBot, telegram: FakeTelegram, library: object, tmp_path: Path
) -> None:
    import json

    from bot.admins.held import HELD_LEASE, RENEW_EVERY
    from bot.store.sqlite import SQLiteStateStore
    from tests.fake_telegram import BOT_USER, Call

    chat = telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    status = telegram._message(chat, BOT_USER, None, None)  # the "⏳" the stopped replica left its admin
    status["text"] = "⏳ Đang xử lý ha-giang.txt…"
    raw = ("Cao nguyên đá Đồng Văn ở Hà Giang đón hơn hai triệu lượt khách trong năm, nhiều nhất từ trước "
           "đến nay, nhờ mùa hoa tam giác mạch kéo dài.").encode()
    record = {"chat": ADMIN_ID, "message": status["message_id"], "lang": "vi", "name": "ha-giang.txt",
              "meta": {"title": "", "date": "", "source": "", "url": ""}}
    store = SQLiteStateStore(tmp_path / "replicas.sqlite")
    store.hold_upload("stopped-replica", json.dumps(record), raw, time.time() - HELD_LEASE - 1)
    since = telegram.mark()
    await start_bot(library=library, store=store)
    # taken up: its first look came a whole renewal later, as if the bot had started with nothing held
    await telegram.wait_for(lambda c: c.method == "editMessageText" and "khởi động lại" in c.params["text"],
                            since, timeout=RENEW_EVERY - 5)
    done = await final_of(telegram, Call("sendMessage", {}, status))
    assert done.startswith("✅ Đã thêm") and "Đồng Văn" in done


async def test_what_a_newer_version_held_is_left_for_it(admin_bot: Application, telegram: FakeTelegram) -> None:
    import json

    from bot.admins.held import HELD_LEASE

    admin = telegram.user(ADMIN_ID, "Admin")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, "/help")
    store = admin_bot.bot_data.state.store
    record = {"kind": "album", "chat": ADMIN_ID, "message": status.result["message_id"], "lang": "vi",
              "files": ["a.pdf", "b.pdf"]}  # a kind this version does not know, in a rolling deploy
    store.hold_upload("newer-replica", json.dumps(record), b"", time.time() - HELD_LEASE - 1)
    since = telegram.mark()
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(admin_bot)
    await admin_bot.bot_data.state.queue.idle()
    # it was dropped (its files' names unread) and let go, or added as an empty file named by its kind
    assert not [c for c in telegram.calls[since:] if c.method == "editMessageText"]
    [kept] = store.take_held(time.time() + 10 * HELD_LEASE, HELD_LEASE)
    assert kept.key == "newer-replica"


async def test_a_held_record_that_is_no_object_is_dropped_and_the_rest_taken_up(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    import json

    from bot.admins.held import HELD_LEASE

    admin = telegram.user(ADMIN_ID, "Admin")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, "/help")
    store = admin_bot.bot_data.state.store
    store.hold_upload("broken", json.dumps(["a.pdf"]), b"", time.time() - HELD_LEASE - 1)
    record = {"kind": "album", "chat": ADMIN_ID, "message": status.result["message_id"], "lang": "vi"}
    store.hold_upload("newer-replica", json.dumps(record), b"", time.time() - HELD_LEASE - 1)
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(admin_bot)  # the list stopped the round, and everything after it stayed where it was
    await admin_bot.bot_data.state.queue.idle()
    assert [held.key for held in store.take_held(time.time() + 10 * HELD_LEASE, HELD_LEASE)] == ["newer-replica"]


async def test_a_link_a_stopped_replica_held_is_fetched_and_indexed_after_a_restart(
    admin_bot: Application, telegram: FakeTelegram, site: Site
) -> None:
    import json

    from bot.admins.held import HELD_LEASE

    admin = telegram.user(ADMIN_ID, "Admin")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, "/help")
    url = site.serve("/tin/mang-tre.html", news_page("Măng tre Tây Bắc vào vụ",
                                                     "Măng tre Tây Bắc vào vụ thu hoạch với giá 18.000 đồng mỗi ký."))
    record = {"kind": "link", "chat": ADMIN_ID, "message": status.result["message_id"], "lang": "vi", "url": url}
    admin_bot.bot_data.state.store.hold_upload("dead-link", json.dumps(record), b"", time.time() - HELD_LEASE - 1)
    # another one, whose "⏳" its admin deleted while the bot was down: how it ended comes as a new message
    other = site.serve("/tin/che.html", news_page("Chè Shan tuyết Hà Giang", "Chè Shan tuyết được mùa."))
    gone = {**record, "message": status.result["message_id"] + 500, "url": other}
    admin_bot.bot_data.state.store.hold_upload("deleted-status", json.dumps(gone), b"", time.time() - HELD_LEASE - 1)
    since = telegram.mark()
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(admin_bot)
    assert "Măng tre Tây Bắc vào vụ" in await final_of(telegram, status)
    told = await telegram.wait_for(lambda c: c.method == "sendMessage" and "Chè Shan tuyết" in c.params["text"], since)
    assert int(told.params["chat_id"]) == ADMIN_ID and told.params["text"].startswith("✅")


async def test_a_feed_added_behind_other_jobs_when_the_bot_stopped_is_followed_after_the_restart(
    admin_bot: Application, telegram: FakeTelegram, library: object, site: Site, start_bot: StartBot,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.admins import uploads
    from retriever.ingest.web import FetchLimits
    from tests.bot_fixtures import stop_bot

    admin = telegram.user(ADMIN_ID, "Admin")
    site.serve("/ca-ngu", news_page("Phú Yên đón tàu cá ngừ đầu vụ", "Cảng cá Phú Yên đón 20 tàu cá ngừ đại dương."))
    feed = site.serve("/ca-ngu.rss", rss(site, [("/ca-ngu", "Cá ngừ")]), "application/rss+xml")
    state = admin_bot.bot_data.state
    state.queue.submit("upload", asyncio.Event().wait)  # another admin's file, indexed past the stop
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/feeds add {feed}")
    await stop_bot(admin_bot)
    state.queue._worker.cancel()  # type: ignore[union-attr]  # the process ends with its queue
    # waiting in this process's memory only, it was gone: not followed, and its "⏳" left for good
    monkeypatch.setattr(uploads, "HELD_LEASE", 0.0)  # the stopped process's lease has lapsed
    again = await start_bot(library=library, store=state.store,
                            fetch=FetchLimits(timeout=1.0, max_bytes=200_000, allow_private=True))
    [job] = again.job_queue.get_jobs_by_name("held-uploads")
    await job.run(again)
    assert (await final_of(telegram, status, timeout=20)).startswith("✅ Đã theo dõi")
    assert [f.url for f in again.bot_data.state.store.feeds()] == [feed]
    await again.bot_data.state.queue.idle()
    assert again.bot_data.state.store.take_held(time.time() + 3600, 1.0) == []


async def test_a_feed_followed_before_its_admin_was_told_says_it_is_followed_when_taken_up_again(
    admin_bot: Application, telegram: FakeTelegram, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from bot.admins import uploads

    admin = telegram.user(ADMIN_ID, "Admin")
    site.serve("/sen", news_page("Sen Đồng Tháp vào mùa", "Đầm sen Tháp Mười nở rộ đón khách tham quan."))
    feed = site.serve("/sen.rss", rss(site, [("/sen", "Sen")]), "application/rss+xml")
    _, status = await ask(telegram, telegram.private_chat(admin), admin, f"/feeds add {feed}")
    assert (await final_of(telegram, status, timeout=20)).startswith("✅ Đã theo dõi")
    # followed, then the bot stopped before its admin was told: what it held is taken up again
    state = admin_bot.bot_data.state
    record = {"kind": "feed", "lang": "vi", "url": feed, "added_by": ADMIN_ID, "chat": ADMIN_ID,
              "message": status.result["message_id"]}
    state.store.hold_upload("cut-off", json.dumps(record), b"", time.time() - 1000)
    monkeypatch.setattr(uploads, "HELD_LEASE", 0.0)
    since = telegram.mark()
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(admin_bot)
    again = await telegram.wait_for(lambda c: c.method == "editMessageText" and not c.params["text"].startswith("⏳"),
                                    since, timeout=20)
    # it said the feed was followed already, "nothing changed", to the admin who had just added it
    assert again.params["text"].startswith("✅ Đã theo dõi")


async def test_a_removal_behind_other_jobs_when_the_bot_stopped_is_done_after_the_restart(
    admin_bot: Application, telegram: FakeTelegram, library: object, start_bot: StartBot,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.admins import uploads
    from tests.bot_fixtures import stop_bot

    admin = telegram.user(ADMIN_ID, "Admin")
    article = "Đà Lạt mở lễ hội hoa mai anh đào lần thứ chín, kéo dài mười ngày quanh hồ Xuân Hương.".encode()
    listing, choice = await listed_for_removal(telegram, "mai-anh-dao.txt", article, "mai anh dao")
    state = admin_bot.bot_data.state
    state.queue.submit("upload", asyncio.Event().wait)  # another admin's file, indexed past the stop
    since = telegram.mark()
    await telegram.press(listing.result, choice, admin)
    await telegram.wait_for(lambda c: c.method == "editMessageText" and "Đang xóa" in c.params["text"], since)
    await stop_bot(admin_bot)
    state.queue._worker.cancel()  # type: ignore[union-attr]  # the process ends with its queue
    # waiting in this process's memory only, it was gone: the article stayed, "⏳ Đang xóa…" for good
    monkeypatch.setattr(uploads, "HELD_LEASE", 0.0)  # the stopped process's lease has lapsed
    again = await start_bot(library=library, store=state.store)
    [job] = again.job_queue.get_jobs_by_name("held-uploads")
    await job.run(again)
    done = await final_of(telegram, listing, timeout=20)
    assert "Đã xóa «" in done and "uploads/mai-anh-dao.txt" not in files_of(library)
    said = [c.params["text"] for c in telegram.calls if c.method == "editMessageText"]
    assert any(text.startswith("⏳ Bot vừa khởi động lại; đang xóa «Đà Lạt") for text in said)
    await again.bot_data.state.queue.idle()
    assert again.bot_data.state.store.take_held(time.time() + 3600, 1.0) == []


async def test_a_removal_run_again_after_its_file_was_set_aside_still_offers_undo(
    admin_bot: Application, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from bot.admins import uploads

    admin = telegram.user(ADMIN_ID, "Admin")
    article = "Đà Lạt mở lễ hội hoa mai anh đào lần thứ mười, kéo dài mười ngày quanh hồ Xuân Hương.".encode()
    listing, choice = await listed_for_removal(telegram, "mai-anh-dao-10.txt", article, "mai anh dao thu muoi")
    await telegram.press(listing.result, choice, admin)
    [undo] = buttons(await telegram.wait_for(
        lambda c: c.method == "editMessageText" and c.params["text"].startswith("🗑")))
    # the file set aside, then the bot stopped before its admin was told: what it held is taken up again
    state = admin_bot.bot_data.state
    record = {"kind": "remove", "lang": "vi", "name": "uploads/mai-anh-dao-10.txt", "title": "Đà Lạt",
              "token": undo.split(":")[1], "chat": ADMIN_ID, "message": listing.result["message_id"]}
    state.store.hold_upload("cut-off", json.dumps(record), b"", time.time() - 1000)
    monkeypatch.setattr(uploads, "HELD_LEASE", 0.0)
    since = telegram.mark()
    [job] = admin_bot.job_queue.get_jobs_by_name("held-uploads")
    await job.run(admin_bot)
    again = await telegram.wait_for(
        lambda c: c.method == "editMessageText" and c.params["text"].startswith(("🗑", "❌")), since, timeout=30)
    # the file was not there, and the admin was told it could not be undone though it was kept
    assert "Không hoàn tác được" not in again.params["text"] and buttons(again) == [undo]
