"""A JSONL file's bad lines: a file with no document is refused naming its first bad line and what is
wrong with it; one with some is read, and the admin is told which lines were left out. Its records' dates,
and a feed's, as exports and feeds write them."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from telegram.ext import Application

from retriever.index.local.build import build_index
from tests.collection_fixtures import final_of, upload
from tests.fake_telegram import FakeTelegram
from tests.fakes import HashEncoder

GOOD = {"id": "gao", "title": "Giá gạo xuất khẩu tăng", "date": "2024-03-05",
        "text": "Giá gạo xuất khẩu của Việt Nam tăng lên 650 đô la mỗi tấn trong tuần này."}
BAD_DATE = {"id": "ca", "title": "Giá cá tra", "date": "hôm kia",
            "text": "Giá cá tra nguyên liệu ở Đồng Tháp giữ ở mức 28.000 đồng mỗi ki-lô-gam."}
NO_TEXT = json.dumps({"title": "Không có nội dung"}, ensure_ascii=False)


def lines(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def test_a_jsonl_file_without_a_document_is_skipped_naming_its_first_bad_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "hong.jsonl").write_text(lines("{không phải json", "[1, 2]"), "utf-8")
    (data / "thieu.jsonl").write_text("\n" + lines(NO_TEXT, {"text": 5}), "utf-8")
    (data / "tot.jsonl").write_text(lines(GOOD, "{hỏng", BAD_DATE, NO_TEXT), "utf-8")
    with caplog.at_level(logging.WARNING):
        report = build_index(data, tmp_path / "index", HashEncoder())
    assert {item.path: item.reason for item in report.skipped} == {
        "hong.jsonl": "no line is a document: line 1 is not valid JSON",
        "thieu.jsonl": 'no line is a document: line 2 has no "text" field',
    }
    assert report.documents == 2
    assert "tot.jsonl lines 2, 4 skipped, not documents (line 2 is not valid JSON)" in caplog.text
    assert "tot.jsonl line 3: the date is not understood" in caplog.text


@pytest.mark.asyncio
async def test_the_upload_reply_says_what_is_wrong_with_a_jsonl_file_and_which_lines_were_left_out(
    admin_bot: Application, telegram: FakeTelegram
) -> None:
    refused = await final_of(telegram, await upload(telegram, "hong.jsonl", lines("{không phải json").encode()))
    assert refused.startswith("❌") and "dòng 1 không phải JSON hợp lệ" in refused
    assert "dòng đầu được lấy làm tiêu đề" not in refused
    missing = await final_of(telegram, await upload(telegram, "thieu.jsonl", lines(NO_TEXT).encode()))
    assert 'dòng 1 thiếu trường "text"' in missing.replace("&quot;", '"')

    done = await final_of(telegram, await upload(telegram, "gia-ca.jsonl", lines(GOOD, "{hỏng", BAD_DATE).encode()))
    assert done.startswith("✅") and "Giá gạo xuất khẩu tăng" in done
    assert "gia-ca.jsonl: bỏ qua 1 dòng không phải một bài" in done and "dòng 2" in done
    assert "không đọc được ngày ở 1 dòng (3)" in done


@pytest.mark.parametrize("written", [
    "2025-03-06T15:00:00+07:00", "2025-03-06T08:00:00Z", "2025/03/06", "Thu, 06 Mar 2025 15:00:00 +0700",
    "06/03/2025", "2025-03-06",
])
def test_a_records_date_or_timestamp_is_the_day_it_names(written: str, tmp_path: Path) -> None:
    from retriever.ingest.files import parse_source, read_source

    line = {"title": "Giá xăng giảm", "date": written, "text": "Giá xăng RON95-III giảm 420 đồng mỗi lít từ chiều nay."}
    (tmp_path / "tin.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    [document] = parse_source(read_source(tmp_path / "tin.jsonl", tmp_path))
    assert document.date == "2025-03-06"  # a timestamp gave "2025-03", and a feed's date none


def test_a_feed_items_day_is_the_one_its_feed_writes_in_its_own_time_zone() -> None:
    from retriever.ingest.parsers import feed_items

    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title>'
            b"<item><link>http://tin.vn/a</link><pubDate>Thu, 06 Mar 2025 01:30:00 +0700</pubDate></item>"
            b"</channel></rss>")
    [item] = feed_items(feed)
    assert item.date == "2025-03-06"  # 2025-03-05 in UTC, which was shown under its quotes


@pytest.mark.parametrize("zone", ["GMT", "+0000", "-0000"])
def test_a_feed_in_gmt_dates_its_items_by_the_day_in_vietnam(zone: str) -> None:
    from retriever.ingest.parsers import feed_items

    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title>'
            b"<item><link>http://tin.vn/a</link><pubDate>Fri, 07 Mar 2025 23:30:00 " + zone.encode() +
            b"</pubDate></item></channel></rss>")
    [item] = feed_items(feed)
    assert item.date == "2025-03-08"  # half past six in the morning in Vietnam, dated the day before


def test_a_records_text_may_be_its_content_or_body_and_its_date_a_number() -> None:
    from retriever.ingest.jsonl import JsonlNotes, jsonl_documents

    records = [{"id": 1, "content": "Giá lúa IR 504 tại Kiên Giang ở mức 6.200 đồng mỗi ký.", "date": 20250306},
               {"id": 2, "body": "Giá cà phê nhân xô tại Gia Lai lên 128.000 đồng mỗi ký.", "date": 1741248000}]
    notes = JsonlNotes()
    found = jsonl_documents("xuat.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records), notes)
    # as scrapers and CMS exports write them: each line was skipped as "not a document"
    assert [(d.date, d.paragraphs[0].text[:10]) for d in found] == [("2025-03-06", "Giá lúa IR"),
                                                                    ("2025-03-06", "Giá cà phê")]
    assert notes.skipped == [] and notes.undated == []
