import json
import logging

import pytest

from retriever.errors import DataFolderError, UnreadableInputError
from retriever.ingest.files import list_files, parse_source, read_source
from tests.documents import encode_cp1258


def write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def parse(folder, name):
    return parse_source(read_source(folder / name, folder))


def test_unknown_extensions_are_skipped_with_a_warning_naming_the_file(tmp_path, caplog):
    write(tmp_path, "a.txt", "Tiêu đề bài viết thử nghiệm\n\nMột đoạn văn đủ dài để được lập chỉ mục.")
    write(tmp_path, "sub/b.doc", b"\xd0\xcf\x11\xe0")
    with caplog.at_level(logging.WARNING):
        files, skipped = list_files(tmp_path)
    assert [f.name for f in files] == ["a.txt"]
    assert [s.path for s in skipped] == ["sub/b.doc"]
    assert "sub/b.doc" in caplog.text


def test_missing_data_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataFolderError, match="does not exist"):
        list_files(tmp_path / "nope")


def test_a_folder_this_user_cannot_read_stops_the_build_instead_of_emptying_the_index(tmp_path):
    """Skipped by rglob, its files looked deleted and a build removed them all from the index."""
    import os
    import shutil
    import subprocess
    import sys

    write(tmp_path, "data/a.txt", "Tiêu đề\n\nMột đoạn văn đủ dài để được lập chỉ mục ở đây.")
    write(tmp_path, "data/tin/b.txt", "Tiêu đề\n\nMột đoạn văn đủ dài để được lập chỉ mục ở đây.")
    (tmp_path / "data" / "tin").chmod(0)
    # root reads any folder: run as root without the capability to, as an ordinary user runs
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    if drop and not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is needed to read as an ordinary user")
    probe = ("import sys; from pathlib import Path; from retriever.ingest.files import list_files; "
             "list_files(Path(sys.argv[1]))")
    try:
        run = subprocess.run([*drop, sys.executable, "-c", probe, str(tmp_path / "data")],
                             capture_output=True, text=True)
    finally:
        (tmp_path / "data" / "tin").chmod(0o755)
    assert "DataFolderError" in run.stderr and f"{tmp_path / 'data' / 'tin'} cannot be read" in run.stderr


def test_text_is_nfc_and_bad_bytes_are_reported(tmp_path, caplog):
    decomposed = "Tie\u0302u đe\u0302\u0300 bài viết mới\n\nĐoạn văn thứ nhất có dấu tổ hợp nằm ở đây."
    write(tmp_path, "nfd.txt", decomposed.encode("utf-8") + b"\xff\xfe tail words here ok")
    with caplog.at_level(logging.WARNING):
        [document] = parse(tmp_path, "nfd.txt")
    assert document.title == "Tiêu đề bài viết mới"
    assert "nfd.txt" in caplog.text and "UTF-8" in caplog.text


LEGACY = "Phở Hà Nội đón khách quốc tế\n\nMột đoạn văn tiếng Việt đủ dài, có đủ các dấu hỏi, ngã, nặng."


def test_older_encodings_are_read_as_written(tmp_path):
    # Windows' Vietnamese code page, Notepad's "Unicode" (UTF-16 with its mark) and UTF-16 without one
    write(tmp_path, "cp1258.txt", encode_cp1258(LEGACY))
    write(tmp_path, "notepad.txt", LEGACY.encode("utf-16"))
    write(tmp_path, "no-mark.txt", LEGACY.encode("utf-16-le"))
    for name in ("cp1258.txt", "notepad.txt", "no-mark.txt"):
        [document] = parse(tmp_path, name)
        assert document.title == "Phở Hà Nội đón khách quốc tế", name
        assert document.paragraphs[0].text.startswith("Một đoạn văn tiếng Việt"), name


def test_bytes_no_encoding_reads_are_refused_with_the_reason(tmp_path):
    write(tmp_path, "junk.txt", bytes(range(128, 256)) * 20)
    with pytest.raises(UnreadableInputError) as refused:
        parse(tmp_path, "junk.txt")
    assert refused.value.code == "encoding" and "UTF-8" in str(refused.value)


def test_html_article(tmp_path):
    write(
        tmp_path,
        "a.html",
        "<html><head><meta property='og:site_name' content='VnExpress'></head><body><nav>Trang chủ Thời sự"
        "</nav><article><h1>Hà Nội mở rộng đường vành đai bốn</h1><time datetime='2024-03-05'>5/3</time>"
        "<p>Thành phố Hà Nội hôm nay khởi công đoạn đường mới dài 10 km.</p><script>var x = 1;</script>"
        "<p>Dự án dự kiến hoàn thành vào năm 2026 theo kế hoạch.</p></article></body></html>",
    )
    [document] = parse(tmp_path, "a.html")
    assert document.title == "Hà Nội mở rộng đường vành đai bốn"
    assert document.date == "2024-03-05"
    assert document.source == "VnExpress"
    assert [p.text for p in document.paragraphs] == [
        "Thành phố Hà Nội hôm nay khởi công đoạn đường mới dài 10 km.",
        "Dự án dự kiến hoàn thành vào năm 2026 theo kế hoạch.",
    ]


def test_markdown_heading_is_the_title(tmp_path):
    write(tmp_path, "a.md", "# Lễ hội pháo hoa Đà Nẵng\n\nLễ hội **năm nay** thu hút hàng nghìn du khách quốc tế.\n")
    [document] = parse(tmp_path, "a.md")
    assert document.title == "Lễ hội pháo hoa Đà Nẵng"
    assert document.paragraphs[0].text == "Lễ hội năm nay thu hút hàng nghìn du khách quốc tế."


def test_jsonl_records_and_a_bad_line(tmp_path, caplog):
    lines = [
        json.dumps(
            {"id": "x1", "title": "Super_Bowl_50", "text": "Trận đấu diễn ra tại sân Levi's.", "date": "2016-02-07"}
        ),
        "{not json",
        json.dumps({"id": "x2", "title": "Khác", "text": "Một văn bản khác.", "source": "Wikipedia"}),
    ]
    write(tmp_path, "docs.jsonl", "\n".join(lines))
    with caplog.at_level(logging.WARNING):
        documents = parse(tmp_path, "docs.jsonl")
    assert [d.key for d in documents] == ["docs.jsonl#x1", "docs.jsonl#x2"]
    assert documents[0].title == "Super Bowl 50" and documents[0].date == "2016-02-07"
    assert documents[1].source == "Wikipedia"
    assert "docs.jsonl line 2" in caplog.text
