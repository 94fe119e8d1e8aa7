"""The names check as search runs it (`retriever.query.names`): which candidates name something else where the
question names what their article never mentions, read from the index backend, each article's words kept."""

from __future__ import annotations

from retriever.index.backend import IndexBackend
from retriever.query.names import (
    article_tokens,
    asked_numbers,
    asked_swaps,
    name_runs,
    renumbered,
    run_tokens,
    swapped,
)
from retriever.query.prepare import Query
from retriever.query.ranked import Ranked
from retriever.text import fold

UNKNOWN = "?"
ARTICLES_KEPT = 512  # articles whose words are kept for the names check: a few MB at most


class OtherNames:
    def __init__(self, store: IndexBackend) -> None:
        self.store = store
        self._articles: dict[int, frozenset[str]] = {}  # doc_id -> its words and pairs

    def declined(self, query: Query, ranked: Ranked, candidates: list[int], read: dict[int, tuple]) -> set[int]:
        """The candidates that name something else where the question names what their article never
        mentions though the collection does (`retriever.query.names`). The rows it reads go into `read`,
        for the quotes to be shown from."""
        asked = query.words or query.text
        runs, numbers = name_runs(asked), asked_numbers(asked)
        if not (runs or numbers) or not candidates:
            return set()
        tokens = sorted(run_tokens(runs))
        # the idf of a token no collection holds (not a word: lexical tokens are) is that of the unknown;
        # PostgreSQL's text refuses a NUL, which took the whole process down
        idf = self.store.idf([*tokens, UNKNOWN])
        known = {token: bool(value < idf[-1] - 1e-9) for token, value in zip(tokens, idf[:-1], strict=True)}
        swaps = asked_swaps(runs, known)  # names the collection knows only
        if not (swaps or numbers):
            return set()
        question = frozenset(fold(asked).split())
        rows = self.store.passage_rows([int(ranked.rows[i]) for i in candidates])
        read.update(rows)
        elsewhere = set()
        for i in candidates:
            text, _, teaser_title, doc_id, *_ = rows[int(ranked.rows[i])]
            # a teaser (a box about another article) is not in its article's text: it speaks for itself
            said = self._article_tokens(doc_id) | article_tokens(teaser_title, [text])
            if swapped(swaps, said, text, question) or renumbered(numbers, said, text):
                elsewhere.add(i)
        return elsewhere

    def _article_tokens(self, doc_id: int) -> frozenset[str]:
        if doc_id not in self._articles:
            if len(self._articles) >= ARTICLES_KEPT:
                self._articles.clear()
            article = self.store.article(doc_id)
            self._articles[doc_id] = (article_tokens(article.info.title, list(article.paragraphs))
                                      if article is not None else frozenset())
        return self._articles[doc_id]

