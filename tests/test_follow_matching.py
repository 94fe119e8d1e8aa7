"""Follows matched against newly indexed paragraphs (retriever/follows.py), with the real encoder and a
search that answers as told: which follows are news, and with which quote."""

from __future__ import annotations

from retriever.follows import FollowIndex, StoredFollow, match, query_vector
from retriever.models import Document, Paragraph, SearchResponse, SearchResult

TICKETS = ("Từ ngày 1 tháng 6, vé tham quan phố cổ Hội An cho du khách quốc tế tăng lên 150.000 đồng, du khách Việt "
           "Nam trả 90.000 đồng; tiền vé dùng để trùng tu các di tích trong khu phố cổ.")
BAN = ("Từ ngày 1 tháng 3, thành phố Hội An cấm xe máy đi vào khu phố cổ; du khách gửi xe tại bốn bãi đỗ quanh khu "
       "phố cổ rồi đi bộ hoặc đi xe đạp điện do thành phố bố trí.")


def document(path: str, text: str) -> Document:
    return Document(path, path, "", True, "", "", "", (Paragraph(text),), path)


def result(path: str, text: str, score: float) -> SearchResult:
    return SearchResult(row=0, text=text, highlight=text[:60], score=score, title="", date="", source="",
                        document=path, doc_id=1, teaser=False)


def index_of(e5: object, *queries: str) -> FollowIndex:
    follows = FollowIndex()
    follows.update(StoredFollow(n, 100 + n, q, query_vector(e5, q)) for n, q in enumerate(queries, 1))  # type: ignore[arg-type]
    return follows


def test_a_new_paragraph_only_among_the_weaker_results_is_no_news(e5: object) -> None:
    asked = "Vé tham quan phố cổ Hội An cho du khách quốc tế giá bao nhiêu?"
    # the answer is an older article; the new one, about the same town, is among the weaker results after it
    answer = SearchResponse(asked, False, (result("cu.txt", TICKETS, 0.9), result("moi.txt", BAN, 0.1)), confident=1)
    found, _ = match(index_of(e5, asked), [document("moi.txt", BAN)], e5, lambda q: answer)  # type: ignore[arg-type]
    assert found == []  # was: news quoting the motorbike ban for a follow of ticket prices

    answered = SearchResponse(asked, False, (result("moi.txt", BAN, 0.9),), confident=1)
    found, _ = match(index_of(e5, asked), [document("moi.txt", BAN)], e5, lambda q: answered)  # type: ignore[arg-type]
    assert [f.result.document for f in found] == ["moi.txt"]


def test_a_follow_in_english_is_news_when_the_search_answers_it_from_a_new_paragraph(e5: object) -> None:
    asked = "How much is a ticket to the Hoi An old town for foreign tourists?"
    answer = SearchResponse(asked, False, (result("ve.txt", TICKETS, 0.8),), foreign=True, confident=1)
    searched: list[str] = []

    def search(question: str) -> SearchResponse:
        searched.append(question)
        return answer

    found, _ = match(index_of(e5, asked), [document("ve.txt", TICKETS)], e5, search)  # type: ignore[arg-type]
    # was: never searched, its English words being none of the paragraph's
    assert searched == [asked] and [f.chat_id for f in found] == [101]
