"""End to end: an admin sends photos and scanned PDFs; they are read by OCR in the indexing queue while the
bot keeps answering, and readers get quotes marked as read by OCR. Real bot, library, model and Tesseract."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import pytest_asyncio
from telegram.ext import Application

from retriever.ingest import ocr
from tests.bot_fixtures import ADMIN_ID, StartBot
from tests.collection_fixtures import files_of, final_of, upload
from tests.fake_telegram import Call, FakeTelegram
from tests.scans import LETTER, REPORT, Scan, document_pages, encoded, page_image, png_bomb, scanned_pdf
from tests.test_bot_e2e import ask
from tests.test_ocr import picture

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def library(e5: object, seed_index: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests.conftest import open_seed_copy

    opened = open_seed_copy(e5, seed_index, tmp_path_factory.mktemp("scans"))  # type: ignore[arg-type]
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def admin_bot(start_bot: StartBot, telegram: FakeTelegram, library: object) -> Application:
    telegram.private_chat(telegram.user(ADMIN_ID, "Admin"))
    return await start_bot(library=library, progress_interval=0.0)


async def send_photo(telegram: FakeTelegram, content: bytes, user_id: int = ADMIN_ID) -> Call:
    user = telegram.user(user_id, "Admin" if user_id == ADMIN_ID else "Lan")
    chat = telegram.private_chat(user)
    since = telegram.mark()
    message = await telegram.send_photo(chat, user, content)
    return await telegram.wait_reply(message, since)


async def test_a_photo_of_a_letter_is_read_and_its_quotes_say_they_come_from_ocr(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    scan = Scan(dpi=300, angle=1.5, jpeg_quality=80)
    status = await send_photo(telegram, encoded(page_image(LETTER, scan), scan))
    done = await final_of(telegram, status)
    assert done.startswith("✅") and "5 đoạn" in done and "📷 Đọc bằng nhận dạng chữ (OCR): 1 trang" in done
    assert "⚠️" not in done  # a clean photo: no page named as doubtful
    # the bot downloaded the largest of the photo's sizes
    assert any(path.endswith(".jpg") for path in telegram.downloads)

    reader = telegram.user(3101)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader,
                         "Sở Nông nghiệp kiểm tra an toàn bao nhiêu hồ chứa thủy lợi?")
    shown = reply.result["text"]
    assert "74 hồ chứa thủy lợi" in shown and "🔍 Văn bản nhận dạng từ ảnh quét (OCR)" in shown


async def test_a_scanned_pdf_is_read_page_by_page_while_the_bot_keeps_answering(
    admin_bot: Application, telegram: FakeTelegram, library: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = threading.Event()
    read_page = ocr._read_page

    def held_after_the_first_page(image, number, options, dpi):  # type: ignore[no-untyped-def]
        if number == 1:
            assert answered.wait(60), "the reader's question was not answered while the scan was read"
        return read_page(image, number, options, dpi)

    monkeypatch.setattr(ocr, "_read_page", held_after_the_first_page)
    scan = Scan(dpi=200, angle=-0.8)
    status = await upload(telegram, "bao cao 2025.pdf", scanned_pdf(document_pages(REPORT, scan, 12), 200))
    status_id = status.result["message_id"]
    progress = await telegram.wait_for(
        lambda c: c.method == "editMessageText" and int(c.params["message_id"]) == status_id
        and "nhận dạng chữ (OCR), trang 1/3" in c.params["text"], timeout=60,
    )
    assert progress.error is None
    reader = telegram.user(3102)
    _, reply = await ask(telegram, telegram.private_chat(reader), reader, "Cà phê Đắk Lắk thu hoạch thế nào?")
    assert reply.error is None
    answered.set()
    done = await final_of(telegram, status, timeout=120)
    assert "📷 Đọc bằng nhận dạng chữ (OCR): 3 trang" in done and "8 đoạn" in done

    _, reply = await ask(telegram, telegram.private_chat(reader), reader,
                         "Bệnh viện Ung bướu có quy mô bao nhiêu giường bệnh?")
    assert "500 giường bệnh" in reply.result["text"] and "🔍" in reply.result["text"]


async def test_a_photo_without_text_gets_one_line_and_a_readers_photo_is_not_taken(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    before = files_of(library)
    status = await send_photo(telegram, picture())
    line = await final_of(telegram, status)
    assert line.startswith("❌") and "không nhận ra chữ nào trong ảnh" in line and "\n" not in line
    reply = await send_photo(telegram, picture(), user_id=3103)
    assert "Bot chỉ hiểu câu hỏi bằng chữ" in reply.params["text"]
    assert files_of(library) == before
    assert not [c for c in telegram.errors if "chat not found" not in (c.error or "")]


async def test_an_image_that_decodes_to_gigabytes_is_refused_as_too_large_with_its_size(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    before = files_of(library)
    status = await upload(telegram, "ban do.png", png_bomb(13_300, 13_300))  # 700 KB, 700 MB decoded
    line = await final_of(telegram, status)
    assert line.startswith("❌") and "ảnh quá lớn (13300×13300 điểm ảnh)" in line and "\n" not in line
    assert files_of(library) == before


async def test_a_photo_forwarded_from_a_channel_without_words_is_read_with_the_channel_as_source(
    admin_bot: Application, telegram: FakeTelegram, library: object
) -> None:
    scan = Scan(dpi=300, angle=0.5, jpeg_quality=85)
    office = telegram.channel(-1001555000333, "UBNDXaDakPlo", "UBND xã Đắk Plô", bot_is_admin=False)
    post = await telegram.post_to_channel(office, None, photo=encoded(page_image(LETTER, scan), scan))
    admin = telegram.user(ADMIN_ID, "Admin")
    before = files_of(library)
    since = telegram.mark()
    status = await telegram.wait_reply(await telegram.forward_to_bot(admin, post), since)
    done = await final_of(telegram, status)  # was: "the forwarded post has no words, not added"
    assert done.startswith("✅") and "📷 Đọc bằng nhận dạng chữ (OCR): 1 trang" in done
    from retriever.ingest.files import read_meta

    [added] = [name for name in files_of(library) - before if name.startswith("uploads/")]
    meta = read_meta(library.config.data_dir, added)  # type: ignore[attr-defined]
    assert meta.source == "UBND xã Đắk Plô" and meta.url == f"https://t.me/UBNDXaDakPlo/{post['message_id']}"
