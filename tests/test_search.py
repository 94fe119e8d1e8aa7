"""Questions a reader would ask the default collection, through the real encoder and index."""

from __future__ import annotations

import pytest

from retriever.errors import EmptyQuestionError
from retriever.evaluate import comparable

BORDER = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"


def test_border_question_quotes_the_paragraph_with_its_article(seed_library):
    response = seed_library.search(BORDER, 3)
    assert not response.abstained
    top = response.results[0]
    assert "2.300 km" in top.text
    assert top.title == "Ngoại giao đóng góp to lớn cho quan hệ hữu nghị vĩ đại Lào - Việt Nam"
    assert top.date == "2022-09-04" and "Báo Tin tức" in top.source
    assert top.document.startswith("ngoai-giao-dong-gop") and not top.teaser
    assert top.highlight in top.text


@pytest.mark.parametrize("question", ["duong bien gioi viet nam lao dai bao nhieu km", "ĐƯỜNG BIÊN GIỚI dài bao nhiêu"])
def test_unaccented_and_shouting_questions_find_the_same_paragraph(seed_library, question):
    response = seed_library.search(question, 3)
    assert any("2.300 km" in result.text for result in response.results)


def test_quotes_are_verbatim_paragraphs_of_the_source(seed_library):
    response = seed_library.search("Năm 2017 là năm gì trong quan hệ Việt Nam - Lào?", 3)
    source = "".join(p.read_text("utf-8") for p in (seed_library.config.data_dir).glob("*.txt"))
    for result in response.results:
        assert comparable(result.text) in comparable(source)


@pytest.mark.parametrize("question", ["Cách nấu phở bò ngon tại nhà?", "Giá vàng SJC hôm nay là bao nhiêu?"])
def test_off_topic_questions_quote_nothing(seed_library, question):
    response = seed_library.search(question, 3)
    assert response.abstained and response.results == ()


def test_teasers_are_labelled_as_other_articles(seed_library):
    response = seed_library.search("Sân vận động nào đỏ rực màu cờ Việt Nam?", 3)
    stadium = next(r for r in response.results if "Rajamangala" in r.text)
    assert stadium.teaser and stadium.teaser_title.startswith("Sân vận động Rajamangala")


@pytest.mark.parametrize("question", ["", "   ", "?!"])
def test_empty_questions_are_refused(seed_library, question):
    with pytest.raises(EmptyQuestionError):
        seed_library.search(question, 3)


def test_sources_list_the_articles(seed_library):
    articles = seed_library.articles()
    assert len(articles) == 5
    assert all(a.passages > 0 for a in articles)
    article = seed_library.article(articles[0].doc_id)
    assert article is not None and article.paragraphs


def test_questions_searched_together_get_the_answers_they_get_alone(seed_library):
    questions = [BORDER, "?!", "Cách nấu phở bò ngon tại nhà?", "Năm 2017 là năm gì trong quan hệ Việt Nam - Lào?"]
    together = seed_library.search_many(questions, 3)
    assert isinstance(together[1], EmptyQuestionError)
    for question, response in zip(questions, together):
        if question != "?!":
            alone = seed_library.search(question, 3)
            assert response.abstained == alone.abstained
            assert [r.row for r in response.results] == [r.row for r in alone.results]


def test_a_one_word_lookup_quotes_only_what_names_it(seed_library):
    from retriever.text import fold

    response = seed_library.search("Campuchia", 9)
    # a weather forecast and a navy seminar, neither naming Cambodia, were quoted as passing the gate
    assert response.results and response.confident
    assert all("campuchia" in fold(f"{r.teaser_title} {r.text}") for r in response.results)


def test_a_particle_alone_asks_nothing_and_beside_a_question_changes_nothing(seed_library):
    for sound in ("hả?", "ơ", "ủa?", "à"):  # "hả?" was quoted paragraphs on Hà Nội and Hàn Quốc
        assert seed_library.search(sound, 3).abstained, sound
    plain, polite = seed_library.search(BORDER, 3), seed_library.search(f"{BORDER.rstrip('?')} vậy ạ?", 3)
    assert [r.row for r in polite.results][:1] == [r.row for r in plain.results][:1] != []
    assert not seed_library.search("ha noi", 3).abstained  # typed without marks, "ha" is "Hà": searched


def test_a_question_that_asks_is_no_one_word_lookup():
    from retriever.query.short import short_words
    from retriever.text import lexical_tokens

    # "tên" is its one content word, and the answer need not say it (a held-out XQuAD-vi answer was lost)
    assert short_words(lexical_tokens("Tên của thế mới nhất là gì?")) == frozenset()
    assert short_words(lexical_tokens("ten cua the moi nhat la gi")) == frozenset()
    assert short_words(lexical_tokens("Campuchia")) == {"campuchia"}
