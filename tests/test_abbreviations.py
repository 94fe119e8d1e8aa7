"""Abbreviations readers type are looked up as the words they stand for."""

from __future__ import annotations

import pytest

from retriever.query.abbreviations import written_out


def everything_unused(words: list[str]) -> list[bool]:
    return [True] * len(words)


@pytest.mark.parametrize(("typed", "looked_up"), [
    ("VN và Lào lập quan hệ từ bao giờ?", "Việt Nam và Lào lập quan hệ từ bao giờ?"),
    ("bộ trưởng ngoại giao lào tên là j", "bộ trưởng ngoại giao lào tên là gì"),
    # typed without diacritics: written out without them, so the collection still restores the accents
    ("vn va lao lap quan he tu bao gio", "viet nam va lao lap quan he tu bao gio"),
    # a capital K may be a name's initial; "bn" is "bao nhiêu" and "bạn": both are left as typed
    ("Malcolm K. Brachman là ai", "Malcolm K. Brachman là ai"),
    ("bn có biết giá vé bn không", "bn có biết giá vé bn không"),
])
def test_abbreviations_are_written_out(typed, looked_up):
    assert written_out(typed, everything_unused) == looked_up


def test_an_abbreviation_the_collection_uses_is_searched_as_it_is():
    assert written_out("UBND tỉnh quyết định gì?", lambda words: [False] * len(words)) == "UBND tỉnh quyết định gì?"


@pytest.mark.parametrize(("question", "answer"), [
    ("VN và Lào lập quan hệ ngoại giao từ bao giờ?", "05/09/1962"),
    ("CHDCND Lào và VN thiết lập quan hệ ngoại giao năm nào", "05/09/1962"),
    ("k biết thứ trưởng ngoại giao lào là ai nhỉ", "Thứ trưởng Ngoại giao Lào"),
])
def test_a_question_with_abbreviations_is_answered_as_written_out(seed_library, question, answer):
    response = seed_library.search(question)
    assert not response.abstained and answer in response.results[0].text
    assert response.question == question  # the reader's words are shown as typed
