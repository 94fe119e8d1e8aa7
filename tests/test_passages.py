"""Splitting counts a paragraph's tokens from its words' counts: the same count, the same passages."""

from __future__ import annotations

import json

from retriever.index.passages import WordCounts, split_long
from retriever.ingest.files import list_files, parse_source, read_source
from retriever.text import collapse_spaces
from tests.conftest import ROOT, SEED_DATA


def _paragraphs() -> list[str]:
    texts: list[str] = []
    paths, _ = list_files(SEED_DATA)
    for path in paths:
        texts += [p.text for document in parse_source(read_source(path, SEED_DATA)) for p in document.paragraphs]
    lines = (ROOT / "eval" / "xquad_vi" / "docs.jsonl").read_text("utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines[:30] if line.strip()]
    return [collapse_spaces(text) for text in texts if text.strip()]


def test_a_paragraphs_words_count_the_tokens_the_whole_paragraph_counts(e5):
    paragraphs = _paragraphs()
    estimate = WordCounts(e5.count_tokens)
    assert len(paragraphs) > 90
    assert [estimate(text) for text in paragraphs] == [e5.count_tokens(text) for text in paragraphs]


def test_estimated_and_counted_splits_give_the_same_passages(e5):
    for max_tokens in (e5.max_tokens - 8, 64):  # 64: most paragraphs split, pieces near the limit counted whole
        estimate = WordCounts(e5.count_tokens)
        for text in _paragraphs():
            assert split_long(text, max_tokens, e5.count_tokens, estimate) == split_long(
                text, max_tokens, e5.count_tokens
            ), text[:80]


def test_the_pieces_of_a_long_paragraph_say_where_it_goes_on() -> None:
    from retriever.index.passages import make_passages
    from retriever.models import Document, Paragraph

    sentences = " ".join(f"Câu thứ {n} nói về hồ Tơ Nưng ở Gia Lai." for n in range(400))
    document = Document(key="ho.txt", path="ho.txt", title="Hồ", title_derived=False, date="", source="", url="",
                        paragraphs=(Paragraph(sentences), Paragraph("Một đoạn ngắn.")), content_hash="h")
    passages = make_passages([document], 120, lambda text: len(text.split()) + 2)
    *pieces, short = [p.text for p in passages]
    assert len(pieces) > 2 and short == "Một đoạn ngắn."  # a whole paragraph is as written
    assert pieces[0].startswith("Câu thứ 0") and pieces[0].endswith(" …")
    assert all(p.startswith("… ") and p.endswith(" …") for p in pieces[1:-1])
    assert pieces[-1].startswith("… ") and pieces[-1].endswith("Câu thứ 399 nói về hồ Tơ Nưng ở Gia Lai.")
    assert all(len(p.split()) + 2 <= 120 for p in pieces)  # the marks fit within the encoder's tokens
