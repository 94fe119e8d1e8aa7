"""An answer's pages, re-read from the index at every button press (the state keeps only passage ids).

A passage no longer in the collection (its document removed, or changed since) becomes a placeholder that
says so: an older answer's "more", "◀" and article buttons never show a removed document's text."""

from __future__ import annotations

from typing import Protocol

from bot.store.base import Hit, SavedSearch
from retriever.models import SearchResponse, SearchResult


class PassageSource(Protocol):
    def passages(self, passage_ids: list[int]) -> dict[int, tuple]: ...

    def marked(self, response: SearchResponse) -> SearchResponse: ...


def restore(saved: SavedSearch, library: PassageSource) -> SearchResponse:
    found = library.passages([hit.passage_id for hit in saved.hits])
    results = tuple(_result(hit, found.get(hit.passage_id)) for hit in saved.hits)
    return library.marked(SearchResponse(saved.question, False, results))  # quotes read by OCR say so again


def _result(hit: Hit, passage: tuple | None) -> SearchResult:
    if passage is None:
        return removed_result(hit.passage_id, hit.score)
    text, teaser, teaser_title, doc_id, title, date, source, path, url, passage_id = passage
    start, length = hit.highlight
    return SearchResult(-1, text, text[start : start + length], hit.score, title, date, source, path, doc_id,
                        bool(teaser), teaser_title, url, int(passage_id))


def removed_result(passage_id: int, score: float) -> SearchResult:
    """The place of a passage that left the collection: no text, no title, no document."""
    return SearchResult(-1, "", "", score, "", "", "", "", -1, False, "", "", passage_id)


def is_removed(result: SearchResult) -> bool:
    return not result.text and not result.document
