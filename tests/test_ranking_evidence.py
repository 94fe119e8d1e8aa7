"""Ranking evidence: the sentence window that ranks the front, and the share of a question the
collection does not know at all."""

from __future__ import annotations

import numpy as np

from retriever.index.local.build import build_index
from retriever.index.local.storage import IndexStore
from retriever.query.options import SearchOptions
from retriever.query.search import Searcher
from retriever.query.sentences import best_sentence
from retriever.text import lexical_tokens
from tests.fakes import HashEncoder

QUESTION = "Nikola Tesla sinh năm nào ở Smiljan?"


def _match(text: str, window: int):
    tokens = lexical_tokens(QUESTION)
    syllables = np.array(["_" not in token for token in tokens], dtype=np.float64)  # pairs left out: simpler
    return best_sentence(text, tokens, syllables, np.zeros(0), window)


def test_a_window_counts_words_spread_over_neighbouring_sentences():
    spread = "Nikola Tesla là nhà phát minh. Ông sinh năm 1856. Nơi sinh là làng Smiljan."
    one = "Nikola Tesla sinh năm 1856. Ông làm việc tại Mỹ. Ông mất năm 1943."
    assert _match(spread, 3).window_share > _match(one, 3).window_share
    # one sentence alone would have ranked them the other way
    assert _match(spread, 1).share < _match(one, 1).share
    # the sentence shown in bold is still one sentence
    assert _match(spread, 3).sentence == "Nikola Tesla là nhà phát minh."


def test_words_only_a_removed_document_had_become_unknown(data_copy, tmp_path):
    """After `/remove`, a name only the removed article used counts as unknown to the gate, in an index
    updated incrementally (its passages retired) as in one built without it."""
    encoder, options = HashEncoder(), SearchOptions(candidates=8, rerank=8)
    question = "Đồng chí Sounthone Sayachak đánh giá cao việc gì?"

    def unknown(index: str) -> float:
        store = IndexStore.open(tmp_path / index, encoder)
        searcher = Searcher(store, encoder, options)
        query = searcher.prepare(question)
        share = searcher.rank(query, encoder.encode([query.dense_text], kind="query")[0]).evidence[0].unknown
        store.close()
        return share

    build_index(data_copy, tmp_path / "index", encoder)
    assert unknown("index") == 0.0
    [article] = [path for path in data_copy.glob("*.txt") if "Sounthone" in path.read_text("utf-8")]
    article.unlink()
    assert build_index(data_copy, tmp_path / "index", encoder).removed == 1
    build_index(data_copy, tmp_path / "fresh", encoder)
    assert unknown("index") == unknown("fresh") > 0.3
