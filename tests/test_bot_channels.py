"""End to end: Telegram channels as a source. Real bot, library and model; the channel's posts, edits and
forwards come from the fake Bot API, checked against the published Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
import pytest_asyncio
from telegram.ext import Application

from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.collection_fixtures import files_of, final_of
from tests.fake_telegram import BOT_USER, Call, FakeTelegram
from tests.test_bot_e2e import ask

pytestmark = pytest.mark.asyncio

CHANNEL_ID = -1001987654321
POST = ("Thành phố Hội An sẽ cấm xe máy vào khu phố cổ từ ngày 1 tháng 3, du khách đi bộ hoặc "
        "đi xe đạp điện do thành phố bố trí tại bốn bãi gửi xe quanh khu phố cổ.")
EDITED = POST.replace("ngày 1 tháng 3", "ngày 15 tháng 4")
FORWARDED = ("Cầu Thuận Phước ở Đà Nẵng được sơn lại toàn bộ lan can màu xanh lam trong đợt bảo dưỡng kéo "
             "dài 45 ngày, hoàn thành trước mùa lễ hội pháo hoa quốc tế.")


@pytest.fixture(scope="module")
def library(e5: object, seed_index: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests.conftest import open_seed_copy

    opened = open_seed_copy(e5, seed_index, tmp_path_factory.mktemp("channels"))  # type: ignore[arg-type]
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def admin_bot(start_bot: StartBot, telegram: FakeTelegram, library: object) -> Application:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    return await start_bot(library=library)


class Indexed:
    """Awaits the indexing job a channel post queues (the bot sends nothing for it)."""

    def __init__(self, application: Application) -> None:
        self.state = application.bot_data.state
        self.submitted = asyncio.Event()
        submit = self.state.queue.submit

        def recording(kind: str, job: object) -> int:
            self.submitted.set()
            return submit(kind, job)  # type: ignore[arg-type]

        self.state.queue.submit = recording  # type: ignore[method-assign]

    async def wait(self) -> None:
        await asyncio.wait_for(self.submitted.wait(), 30)
        self.submitted.clear()
        await asyncio.wait_for(self.state.queue.idle(), 60)


async def command(telegram: FakeTelegram, text: str, user_id: int = ADMIN_ID) -> Call:
    user = telegram.user(user_id, "Admin")
    chat = telegram.private_chat(user)
    since = telegram.mark()
    return await telegram.wait_reply(await telegram.send_text(chat, user, text), since)


async def test_a_followed_channels_posts_and_edits_are_quoted_with_a_link_to_the_post(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    channel = telegram.channel(CHANNEL_ID, "TinTucHoiAn", "Tin tức Hội An")
    added = await command(telegram, "/channels add @tintuchoian")
    assert added.params["text"].startswith("✅") and "Tin tức Hội An" in added.params["text"]
    indexed = Indexed(admin_bot)
    post = await telegram.post_to_channel(channel, POST)
    await indexed.wait()

    reader = telegram.user(4101)
    chat = telegram.private_chat(reader)
    _, reply = await ask(telegram, chat, reader, "Hội An cấm xe máy vào phố cổ từ ngày nào?")
    shown = reply.params["text"]
    link = f'<a href="https://t.me/TinTucHoiAn/{post["message_id"]}">'
    assert "ngày 1 tháng 3" in reply.result["text"] and link in shown and "Tin tức Hội An" in shown

    await telegram.edit_channel_post(channel, post["message_id"], EDITED)
    await indexed.wait()
    _, reply = await ask(telegram, chat, reader, "Hội An cấm xe máy vào phố cổ từ ngày nào?")
    assert "ngày 15 tháng 4" in reply.result["text"] and "ngày 1 tháng 3" not in reply.result["text"]

    listing = await command(telegram, "/channels")
    assert "@TinTucHoiAn — Tin tức Hội An · 1 bài" in listing.result["text"] and "⚠️" not in listing.result["text"]
    # the channel's owner demotes the bot: its posts no longer come, and the list says so
    telegram.admins[CHANNEL_ID].discard(BOT_USER["id"])
    listing = await command(telegram, "/channels")
    assert "không còn là quản trị viên của @TinTucHoiAn" in listing.result["text"]
    telegram.admins[CHANNEL_ID].add(BOT_USER["id"])

    status = await command(telegram, "/channels remove @TinTucHoiAn")
    done = await final_of(telegram, status)
    assert "xóa 1 bài" in done and not any(f.startswith("channels/") for f in files_of(library))
    _, reply = await ask(telegram, chat, reader, "Hội An cấm xe máy vào phố cổ từ ngày nào?")
    assert "ngày 15 tháng 4" not in reply.result["text"]
    # no longer followed: a new post is not taken
    await telegram.post_to_channel(channel, POST)
    assert (await command(telegram, "/channels")).result["text"].startswith("Chưa lấy bài")


async def test_a_channel_the_bot_does_not_administer_is_refused_and_nothing_changes(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    telegram.channel(-1001000000777, "KenhKhac", "Kênh khác", bot_is_admin=False)
    telegram.group_chat(-1001000000888, "Nhóm bạn")
    telegram.chats[-1001000000888]["username"] = "nhomban"
    before = files_of(library)
    cases = {
        "/channels add @KenhKhac": "chưa là quản trị viên của @KenhKhac",
        "/channels add @khongcokenhnay": "Không tìm thấy kênh @khongcokenhnay",
        "/channels add @nhomban": "không phải một kênh",
        "/channels add @@!": "không phải tên kênh Telegram",
        "/channels remove @KenhKhac": "Không có kênh «@KenhKhac»",
    }
    for sent, expected in cases.items():
        answer = (await command(telegram, sent)).result["text"]
        assert expected in answer and "\n" not in answer, (sent, answer)
    refused = await command(telegram, "/channels add @KenhKhac", user_id=4102)
    assert "quản trị" in refused.result["text"]
    assert files_of(library) == before and (await command(telegram, "/channels")).result["text"].startswith("Chưa")


async def test_an_admin_forwards_a_channel_post_and_it_is_added_with_its_origin(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    other = telegram.channel(-1001555000111, "BaoDaNang", "Báo Đà Nẵng", bot_is_admin=False)
    post = await telegram.post_to_channel(other, FORWARDED)
    admin = telegram.user(ADMIN_ID, "Admin")
    since = telegram.mark()
    status = await telegram.wait_reply(await telegram.forward_to_bot(admin, post), since)
    done = await final_of(telegram, status)
    assert done.startswith("✅") and "Cầu Thuận Phước" in done

    reader = telegram.user(4103)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, "Lan can cầu Thuận Phước sơn màu gì?")
    assert "xanh lam" in reply.result["text"]
    assert f'href="https://t.me/BaoDaNang/{post["message_id"]}"' in reply.params["text"]
    assert "Báo Đà Nẵng" in reply.result["text"]

    before = files_of(library)
    # a photo without words is read by OCR (tests/test_bot_scans.py): this one Telegram cannot serve
    photo_only = await telegram.post_to_channel(other, None, photo=True)
    since = telegram.mark()
    refused = await final_of(telegram, await telegram.wait_reply(await telegram.forward_to_bot(admin, photo_only),
                                                                 since))
    assert refused.startswith("❌ Không tải được photo-")
    # a reader's forward is a question like any other message, never an addition
    since = telegram.mark()
    answered = await telegram.wait_reply(await telegram.forward_to_bot(reader, post), since)
    assert "🔎" in answered.result["text"] or "Không tìm thấy đoạn nào" in answered.result["text"]
    assert files_of(library) == before
    assert not [c for c in telegram.errors if "chat not found" not in (c.error or "")
                and c.params.get("file_id") != "chanphoto"]


async def test_posts_as_channels_write_them_are_quoted_and_a_caption_taken_off_withdraws_one(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    channel = telegram.channel(-1001000000999, "DienLucHN", "Điện lực Hà Nội")
    await command(telegram, "/channels add @DienLucHN")
    indexed = Indexed(admin_bot)
    posts = {  # a line without a full stop; hashtags; a photo's credit; a list
        "Từ 22h tối nay, trạm biến áp 110kV Đông Anh tạm ngừng cấp điện để bảo dưỡng": "trạm biến áp nào",
        "Giá vàng SJC sáng nay lên 86,5 triệu đồng/lượng bán ra. #vàng #giávàng": "giá vàng SJC",
        "Cầu Rồng phun lửa phục vụ du khách vào 21 giờ tối thứ Bảy. (Ảnh: Nguyễn Đông)": "Cầu Rồng phun lửa",
        "Lịch cắt điện ngày mai:\nQuận Ba Đình: 8h-12h\nQuận Hoàn Kiếm: 13h-17h": "Quận Hoàn Kiếm cắt điện",
    }
    for text in posts:
        await telegram.post_to_channel(channel, text)
        await indexed.wait()
    reader = telegram.user(4104)
    chat = telegram.private_chat(reader)
    # each was dropped without a word: a title with no paragraph, or taken for a photo's caption
    for text, asked in posts.items():
        _, reply = await ask(telegram, chat, reader, f"{asked} là gì, khi nào?")
        assert text.splitlines()[-1].split(" #")[0][:40] in reply.result["text"], text
    photo = await telegram.post_to_channel(channel, "Giá xăng RON95 giảm còn 20.500 đồng mỗi lít từ 15h", photo=True)
    await indexed.wait()
    await telegram.edit_channel_post(channel, photo["message_id"], None)
    await indexed.wait()
    _, reply = await ask(telegram, chat, reader, "Giá xăng RON95 giảm còn bao nhiêu?")
    assert "20.500" not in reply.result["text"]  # it was still quoted, its caption long gone


async def test_a_file_in_a_forwarded_channel_post_is_added_with_the_channel_as_its_source(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    office = telegram.channel(-1001555000222, "UBNDKonTum", "UBND tỉnh Kon Tum", bot_is_admin=False)
    letter = ("Công văn về diện tích cà phê\n\nTỉnh Kon Tum hiện có 27.400 héc-ta cà phê, trong đó 25.000 héc-ta "
              "đang cho thu hoạch; năng suất bình quân đạt 3,1 tấn nhân mỗi héc-ta.").encode()
    post = await telegram.post_to_channel(office, "Công văn số 123/UBND-KT về việc cà phê",
                                          document=("cv-123.txt", letter))
    admin = telegram.user(ADMIN_ID, "Admin")
    since = telegram.mark()
    status = await telegram.wait_reply(await telegram.forward_to_bot(admin, post), since)
    done = await final_of(telegram, status)  # was: the caption alone added, as a one-paragraph post
    assert done.startswith("✅") and "Công văn về diện tích cà phê" in done
    # a file that names no date of its own is dated by the post
    posted = datetime.fromtimestamp(post["date"], timezone(timedelta(hours=7))).date().isoformat()
    assert posted in done and "không rõ ngày" not in done

    reader = telegram.user(4104)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, "Kon Tum có bao nhiêu héc-ta cà phê?")
    assert "27.400 héc-ta" in reply.result["text"] and "UBND tỉnh Kon Tum" in reply.result["text"]
    assert f'href="https://t.me/UBNDKonTum/{post["message_id"]}"' in reply.params["text"]

    # a file the bot cannot take is said in one line, and the post's words are added all the same
    sheet = await telegram.post_to_channel(office, "Giá nước sinh hoạt ở Kon Tum từ tháng 7 là 8.500 đồng mỗi khối.",
                                           document=("bang-gia.xlsx", b"PK\x03\x04"))
    since = telegram.mark()
    said = await telegram.wait_reply(await telegram.forward_to_bot(admin, sheet), since)
    assert said.result["text"].startswith("❌ bang-gia.xlsx") and "PDF" in said.result["text"]
    added = await final_of(telegram, await telegram.wait_for(
        lambda c: c.method == "sendMessage" and c.result and c.result["message_id"] != said.result["message_id"]
        and int(c.params["chat_id"]) == ADMIN_ID, since))
    assert added.startswith("✅") and "8.500 đồng" in added  # was: nothing added


async def test_photos_of_a_forwarded_album_illustrate_its_caption(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    other = telegram.channel(-1001555000444, "BaoQuangNam", "Báo Quảng Nam", bot_is_admin=False)
    first = await telegram.post_to_channel(other, "Hội An mở phố đi bộ ven sông Hoài từ tối thứ Sáu đến Chủ nhật.",
                                           photo=True)
    second = await telegram.post_to_channel(other, None, photo=True)
    admin = telegram.user(ADMIN_ID, "Admin")
    since = telegram.mark()
    captioned = await telegram.forward_to_bot(admin, first, album="al1")
    photo = await telegram.forward_to_bot(admin, second, album="al1")
    assert (await final_of(telegram, await telegram.wait_reply(captioned, since))).startswith("✅")
    _, later = await ask(telegram, telegram.private_chat(admin), admin, "/sources")
    # the uncaptioned photo was read by OCR on its own, and refused as a picture without words
    assert not [c for c in telegram.calls[since:] if c.method == "sendMessage"
                and c.params.get("reply_parameters", {}).get("message_id") == photo["message_id"]]


async def test_a_notice_photographed_and_posted_without_words_is_read_and_quoted(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    from retriever.ingest import ocr
    from tests.scans import LETTER, Scan, encoded, page_image

    if not ocr.available():
        pytest.skip("Tesseract is not installed (.ci/run installs it)")
    channel = telegram.channel(-1001000000777, "PhuongHoaKhanh", "Phường Hòa Khánh Bắc")
    await command(telegram, "/channels add @PhuongHoaKhanh")
    indexed = Indexed(admin_bot)
    scan = Scan(dpi=150, header="", page_number=None)
    post = await telegram.post_to_channel(channel, None, photo=encoded(page_image(LETTER[3:], scan), scan))
    await indexed.wait()
    reader = telegram.user(4107)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader,
                         "Sở Nông nghiệp kiểm tra an toàn bao nhiêu hồ chứa thủy lợi?")
    # a photo alone was "nothing to quote", however much of a notice it showed
    assert "74 hồ chứa" in reply.result["text"], reply.result["text"]
    assert f'href="https://t.me/PhuongHoaKhanh/{post["message_id"]}"' in reply.params["text"]
    indexed.submitted.clear()
    await telegram.edit_channel_post(channel, post["message_id"],
                                     "Sở Nông nghiệp công bố lịch kiểm tra các hồ chứa trước mùa mưa bão.")
    await indexed.wait()
    _, again = await ask(telegram, telegram.private_chat(reader), reader,
                         "Sở Nông nghiệp kiểm tra an toàn bao nhiêu hồ chứa thủy lợi?")
    assert "74 hồ chứa" not in again.result["text"]  # a caption added: the post is its words, the photo illustrates
    _, caption = await ask(telegram, telegram.private_chat(reader), reader,
                           "Sở Nông nghiệp công bố lịch gì trước mùa mưa bão?")
    assert "lịch kiểm tra các hồ chứa" in caption.result["text"], caption.result["text"]


async def handled(application: Application, telegram: FakeTelegram) -> None:
    """Every update pushed so far fetched and handled, and the jobs they queued done."""
    calm = 0
    for _ in range(1200):
        busy = telegram._updates or application.update_processor.current_concurrent_updates \
            or not application.update_queue.empty()
        calm = 0 if busy else calm + 1
        if calm == 5:
            break
        await asyncio.sleep(0.05)
    await asyncio.wait_for(application.bot_data.state.queue.idle(), 60)


async def test_the_other_photos_of_a_followed_channels_album_illustrate_its_caption(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    from retriever.ingest import ocr
    from tests.scans import Scan, encoded, page_image

    if not ocr.available():
        pytest.skip("Tesseract is not installed (.ci/run installs it)")
    channel = telegram.channel(-1001000000888, "XaBinhLanh", "Xã Bình Lãnh")
    await command(telegram, "/channels add @XaBinhLanh")
    scan = Scan(dpi=150, header="", page_number=None)
    banner = encoded(page_image(("Chào mừng Đại hội đại biểu Hội Nông dân xã Bình Lãnh lần thứ XII.",), scan), scan)
    first = await telegram.post_to_channel(channel, "Sáng nay, Hội Nông dân xã Bình Lãnh tổ chức đại hội nhiệm kỳ "
                                           "2025 - 2030 với 120 đại biểu tham dự.", photo=True, album="dh1")
    second = await telegram.post_to_channel(channel, None, photo=banner, album="dh1")
    await handled(admin_bot, telegram)
    posts = sorted(f for f in files_of(library) if f.startswith("channels/xabinhlanh/"))
    # the banner in the hall, read by OCR, was a post of its own, quoted under the album's link
    assert posts == [f"channels/xabinhlanh/{first['message_id']}.txt"], (posts, second["message_id"])
