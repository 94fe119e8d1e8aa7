"""The lexical index: the same scores as bm25s's own indexing, also when built from the previous one."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from retriever.index.local.lexical import LexicalIndex, build_lexical, top_positive
from retriever.text import lexical_tokens

TEXTS = [
    "Đường biên giới Việt Nam - Lào dài hơn 2.300 km.",
    "Hai nước ký hiệp định về quy chế quản lý biên giới và cửa khẩu.",
    "Thủ tướng Lào thăm chính thức Việt Nam, hội đàm về hợp tác kinh tế.",
    "",
    "Lào lào lào: một từ lặp lại nhiều lần trong câu để kiểm tra tần suất.",
    "Cầu hữu nghị bắc qua sông Mê Kông nối hai tỉnh biên giới.",
]
QUESTIONS = ["bien gioi Viet Lao dai bao nhieu km", "hiệp định cửa khẩu", "Lào", "sông Mê Kông", "không có gì"]


def _reference(texts: list[str]) -> bm25s.BM25:
    model = bm25s.BM25()
    model.index([lexical_tokens(text) or [""] for text in texts], show_progress=False)
    return model


def _scores(index: LexicalIndex, question: str) -> np.ndarray:
    return index.scores(lexical_tokens(question))


@pytest.mark.parametrize("question", QUESTIONS)
def test_scores_match_bm25s_indexing(tmp_path, question):
    build_lexical(tmp_path / "lex", TEXTS, np.arange(len(TEXTS)), len(TEXTS))
    ours = LexicalIndex.load(tmp_path / "lex")
    reference = _reference(TEXTS)
    ids = [reference.vocab_dict[t] for t in lexical_tokens(question) if t in reference.vocab_dict]
    expected = reference.get_scores(ids) if ids else np.zeros(len(TEXTS))
    np.testing.assert_allclose(_scores(ours, question), expected, rtol=1e-5, atol=1e-6)


AFTER = [TEXTS[0], *TEXTS[2:], "Biên giới Việt - Lào có nhiều cửa khẩu quốc tế.", "Một đoạn mới về kinh tế."]
PREVIOUS_ROWS = np.array([0, 2, 3, 4, 5, -1, -1])  # passage 1 removed, two new ones


def test_an_update_scores_like_a_fresh_build(tmp_path):
    build_lexical(tmp_path / "before", TEXTS, np.arange(len(TEXTS)), len(TEXTS))
    build_lexical(tmp_path / "updated", AFTER, np.arange(len(AFTER)), len(AFTER), tmp_path / "before", PREVIOUS_ROWS)
    build_lexical(tmp_path / "fresh", AFTER, np.arange(len(AFTER)), len(AFTER))
    updated, fresh = LexicalIndex.load(tmp_path / "updated"), LexicalIndex.load(tmp_path / "fresh")
    assert updated.num_docs == fresh.num_docs == len(AFTER)
    for question in QUESTIONS:
        np.testing.assert_allclose(_scores(updated, question), _scores(fresh, question), rtol=1e-6)
        np.testing.assert_allclose(updated.idf(lexical_tokens(question)), fresh.idf(lexical_tokens(question)))


def test_appending_scores_like_a_fresh_build(tmp_path):
    build_lexical(tmp_path / "before", TEXTS, np.arange(len(TEXTS)), len(TEXTS))
    after = [*TEXTS, *AFTER[-2:]]
    previous_rows = np.array([*range(len(TEXTS)), -1, -1])
    build_lexical(tmp_path / "appended", after, np.arange(len(after)), len(after), tmp_path / "before", previous_rows)
    build_lexical(tmp_path / "fresh", after, np.arange(len(after)), len(after))
    appended, fresh = LexicalIndex.load(tmp_path / "appended"), LexicalIndex.load(tmp_path / "fresh")
    for question in QUESTIONS:
        np.testing.assert_allclose(_scores(appended, question), _scores(fresh, question), rtol=1e-6)


def test_retired_rows_score_nothing_and_count_for_nothing(tmp_path, monkeypatch):
    build_lexical(tmp_path / "before", TEXTS, np.arange(len(TEXTS)), len(TEXTS))
    # survivors keep their rows, row 1 is retired, the new passages take rows 6 and 7
    rows = np.array([0, 2, 3, 4, 5, 6, 7])
    build_lexical(tmp_path / "updated", AFTER, rows, 8, tmp_path / "before", PREVIOUS_ROWS)
    build_lexical(tmp_path / "fresh", AFTER, np.arange(len(AFTER)), len(AFTER))
    updated, fresh = LexicalIndex.load(tmp_path / "updated"), LexicalIndex.load(tmp_path / "fresh")
    assert updated.num_docs == 8
    monkeypatch.setattr("retriever.index.local.lexical.POSTINGS_BUDGET", 0)  # rows are scored by looking them up
    for question in QUESTIONS:
        scores = _scores(updated, question)
        assert scores[1] == 0
        match = updated.search(lexical_tokens(question), 3)
        np.testing.assert_array_equal(updated.score_rows(match, np.arange(8)), scores)
        np.testing.assert_allclose(scores[rows], _scores(fresh, question), rtol=1e-6)
        np.testing.assert_allclose(updated.idf(lexical_tokens(question)), fresh.idf(lexical_tokens(question)))


def test_the_index_reloads_memory_mapped(tmp_path):
    build_lexical(tmp_path / "lex", TEXTS, np.arange(len(TEXTS)), len(TEXTS))
    mapped = LexicalIndex.load(tmp_path / "lex", mmap=True)
    match = mapped.search(lexical_tokens("cau huu nghi song Me Kong"), 2)
    assert match.rows[0] == 5 and mapped.score_rows(match, match.rows)[0] > 0


@pytest.mark.parametrize("question", QUESTIONS)
def test_scores_of_given_rows_are_the_full_scores(tmp_path, monkeypatch, question):
    rows = np.array([0, 2, 3, 4, 5, 6, 7])  # row 1 retired
    build_lexical(tmp_path / "lex", AFTER, rows, 8)
    index = LexicalIndex.load(tmp_path / "lex", mmap=True)
    everything, tokens = np.arange(8), lexical_tokens(question)
    exact = index.search(tokens, 3)
    assert exact.rows.tolist() == top_positive(_scores(index, question), 3).tolist()
    np.testing.assert_array_equal(index.score_rows(exact, everything), _scores(index, question))
    monkeypatch.setattr("retriever.index.local.lexical.POSTINGS_BUDGET", 0)  # rows are scored by looking them up
    np.testing.assert_array_equal(index.score_rows(index.search(tokens, 3), everything), _scores(index, question))



def _resident_kb(path: Path) -> int:
    """Resident kB of this process's mappings of `path` (/proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5:
            inside = head[-1] == str(path)
        elif inside and head[:1] == ["Rss:"]:
            total += int(head[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").is_file(), reason="reads Linux's /proc/self/smaps")
def test_a_large_index_reads_its_postings_without_keeping_them_mapped(tmp_path, monkeypatch):
    texts = [f"Tin số {i} về biên giới Việt Nam - Lào và hợp tác kinh tế năm {2000 + i % 25}." for i in range(20_000)]
    build_lexical(tmp_path / "lex", texts, np.arange(len(texts)), len(texts))
    in_memory, mapped = LexicalIndex.load(tmp_path / "lex"), LexicalIndex.load(tmp_path / "lex", mmap=True)
    monkeypatch.setattr("retriever.index.local.lexical.POSTINGS_BUDGET", 5_000)  # common tokens are looked up
    for question in ["biên giới Lào năm 2013", "hợp tác kinh tế", "Tin số 17"]:
        tokens = lexical_tokens(question)
        np.testing.assert_array_equal(mapped.scores(tokens), in_memory.scores(tokens))
        match, reference = mapped.search(tokens, 10), in_memory.search(tokens, 10)
        assert match.rows.tolist() == reference.rows.tolist()
        np.testing.assert_array_equal(mapped.score_rows(match, np.arange(0, 20_000, 7)),
                                      in_memory.score_rows(reference, np.arange(0, 20_000, 7)))
    for name in ("data.csc.index.npy", "indices.csc.index.npy"):  # 2.4 MB each: none of it resident
        assert _resident_kb(tmp_path / "lex" / name) == 0

# "Lào" is in a third of the passages, "tàu" in three: left out of choosing candidates, the more common
# token must still decide their order
NEWS = [f"Tin số {i} về Lào." for i in range(12)] + [f"Tin số {i} trong ngày." for i in range(12, 36)] + [
    "Tàu hỏa chạy tàu đêm.", "Tàu hỏa Lào - Trung Quốc.", "Một chuyến tàu đi qua núi và rừng.",
]


def test_leaving_common_tokens_out_of_choosing_keeps_the_order(tmp_path, monkeypatch):
    build_lexical(tmp_path / "lex", NEWS, np.arange(len(NEWS)), len(NEWS))
    index = LexicalIndex.load(tmp_path / "lex")
    tokens = lexical_tokens("tàu Lào")
    exact = index.search(tokens, 3).rows
    assert exact[0] == 37 and exact.tolist() != index.search(["tau"], 3).rows.tolist()  # "Lào" changes the order
    monkeypatch.setattr("retriever.index.local.lexical.POSTINGS_BUDGET", 3)  # only "tàu" chooses
    assert index.search(tokens, 3).rows.tolist() == exact.tolist()


@pytest.mark.parametrize("k", [1, 10, 50, 5000])
def test_top_k_is_exact(k):
    rng = np.random.default_rng(3)
    scores = np.where(rng.random(200_000) < 0.6, rng.gamma(2.0, 3.0, 200_000), 0).astype(np.float32)
    scores[:7] = 99.0  # ties at the top
    rows = top_positive(scores, k)
    assert np.all(scores[rows] > 0) and np.all(np.diff(scores[rows]) <= 0)
    np.testing.assert_array_equal(scores[rows], np.sort(scores[scores > 0])[::-1][:k])
    assert len(top_positive(np.zeros(100, dtype=np.float32), k)) == 0
