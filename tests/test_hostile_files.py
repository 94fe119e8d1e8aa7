"""Parser bombs and parsers that never finish: refused with one line naming the file, within a memory
ceiling and a deadline, and never the end of a build or of the indexing queue."""

from __future__ import annotations

import os
import resource
import signal
import time
from pathlib import Path

import pytest

from retriever.collection import store_upload
from retriever.errors import UnreadableInputError
from retriever.index.local.build import build_index
from retriever.ingest import bounded
from retriever.ingest.bounded import ParseLimits, run_child
from retriever.ingest.parsers import parse_content
from tests.documents import make_docx_bomb, make_pdf, make_pdf_bomb
from tests.fakes import HashEncoder
from tests.scans import png_bomb


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_pdf_that_inflates_to_80_mb_is_refused_fast_and_in_little_memory(tmp_path: Path) -> None:
    bomb = make_pdf_bomb()
    assert len(bomb) < 300 * 1024
    before, started = peak_mb(), time.perf_counter()
    with pytest.raises(UnreadableInputError) as refused:
        store_upload(tmp_path, "bom.pdf", bomb)
    seconds = time.perf_counter() - started
    assert refused.value.code == "pdf_size" and "64 MB" in str(refused.value)
    assert seconds < 10 and peak_mb() - before < 50  # it drove the bot past 9 GB for 8.5 minutes
    assert not (tmp_path / "uploads").exists()


def test_a_word_file_whose_text_inflates_a_thousandfold_is_refused(tmp_path: Path) -> None:
    bomb = make_docx_bomb(tmp_path / "seed.docx")
    before = peak_mb()
    with pytest.raises(UnreadableInputError) as refused:
        store_upload(tmp_path / "data", "bom.docx", bomb)
    assert refused.value.code == "docx_size" and "64 MB" in str(refused.value)
    assert peak_mb() - before < 50  # 3 GB before it was refused


def test_a_parser_past_its_memory_or_time_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The content-size check is a fast path; the child's ceiling and deadline are the guarantee. A 40 MB
    content stream passes the check and is parsed until the ceiling (200 MB here) or the deadline stops it."""
    bomb = make_pdf_bomb(40 * 1024 * 1024)
    monkeypatch.setattr(bounded, "_limits", ParseLimits(memory_mb=200, seconds=120))
    before, started = peak_mb(), time.perf_counter()
    with pytest.raises(UnreadableInputError) as refused:
        store_upload(tmp_path, "bom.pdf", bomb)
    assert refused.value.code == "parse_memory" and "200 MB" in str(refused.value) and "\n" not in str(refused.value)
    assert time.perf_counter() - started < 60 and peak_mb() - before < 50

    monkeypatch.setattr(bounded, "_limits", ParseLimits(memory_mb=4096, seconds=0.5))
    started = time.perf_counter()
    with pytest.raises(UnreadableInputError) as stopped:
        store_upload(tmp_path, "cham.pdf", bomb)
    assert stopped.value.code == "parse_time" and "0.5 s" in str(stopped.value)
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "uploads").exists()


def test_a_normal_pdf_is_read_in_a_small_child(tmp_path: Path) -> None:
    raw = make_pdf(tmp_path / "a.pdf").read_bytes()
    report = run_child(parse_content, (".pdf", raw, "a"), ParseLimits(memory_mb=200, seconds=60))
    assert report.status == "ok" and report.payload.paragraphs and report.peak_mb < 200


def test_one_bomb_in_the_data_folder_is_skipped_and_the_build_goes_on(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "bom.pdf").write_bytes(make_pdf_bomb())
    (data_copy / "bom.docx").write_bytes(make_docx_bomb(tmp_path / "seed.docx"))
    report = build_index(data_copy, tmp_path / "index", HashEncoder())
    skipped = {item.path: item.reason for item in report.skipped}
    assert "unpacks to more than 64 MB" in skipped["bom.pdf"] and "unpacks to more than 64 MB" in skipped["bom.docx"]
    assert report.documents > 0 and report.passages > 0


@pytest.mark.parametrize(("width", "height"), [(13_300, 13_300), (20_000, 15_000)],
                         ids=["under Pillow's bomb limit", "over it"])
def test_a_png_that_decodes_to_gigabytes_is_refused_as_too_large_unread(tmp_path: Path, width: int,
                                                                        height: int) -> None:
    bomb = png_bomb(width, height)
    assert len(bomb) < 2 * 1024 * 1024
    before = peak_mb()
    with pytest.raises(UnreadableInputError) as refused:
        store_upload(tmp_path, "anh.png", bomb)
    # said as too large with its size, not as a damaged image; 13 300² took the bot from 300 MB to 1.27 GB
    assert refused.value.code == "image_huge" and f"{width}×{height} pixels" in str(refused.value)
    assert peak_mb() - before < 50


def test_an_image_is_decoded_in_the_limited_child(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Under the decode budget, a PNG is still decoded whole: the child's ceiling, not the bot, pays for it."""
    monkeypatch.setattr(bounded, "_limits", ParseLimits(memory_mb=100, seconds=120))
    before = peak_mb()
    with pytest.raises(UnreadableInputError) as refused:
        store_upload(tmp_path, "anh.png", png_bomb(6_000, 6_000, colour_type=2))  # 108 MB decoded
    assert refused.value.code == "parse_memory" and "100 MB" in str(refused.value)
    assert peak_mb() - before < 50


def _interrupted_read() -> str:
    # what Ctrl+C in the terminal that runs `tracuu serve` does: SIGINT to the whole foreground process group
    os.kill(os.getpid(), signal.SIGINT)
    return "read"


def test_ctrl_c_while_a_file_is_read_does_not_refuse_it() -> None:
    """The bot stops gracefully on Ctrl+C, finishing the upload it is reading; the parser child, which gets
    the same SIGINT, must finish it too rather than die and have the file refused as a memory bomb."""
    assert run_child(_interrupted_read, (), ParseLimits(memory_mb=1024, seconds=60)).payload == "read"
