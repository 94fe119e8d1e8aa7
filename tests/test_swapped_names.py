"""A question about another subject than the paragraph's, told by a name put in place of the paragraph's:
"Biên giới Việt Nam Campuchia" asked of "Biên giới Việt Nam - Lào dài 2.300 km" is not answered by it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from retriever.query.names import Swap, asked_numbers, asked_swaps, name_runs, renumbered, swapped
from retriever.text import lexical_tokens

SWAPPED = [
    "Biên giới Việt Nam Campuchia dài bao nhiêu km?",
    "Hiệp ước hữu nghị và hợp tác Việt Nam Campuchia ký năm nào?",
]


def test_a_run_of_capitalised_words_is_read_as_names() -> None:
    runs = name_runs("Biên giới Việt Nam Trung Quốc dài bao nhiêu km?")
    assert runs == [["viet", "nam", "trung", "quoc"]]
    assert asked_swaps(runs, {"viet_nam": True, "trung_quoc": True}) == [Swap("trung_quoc", ("viet", "nam"))]
    # a name the collection never uses is left to the gate ("Korea", a reader's spelling)
    assert asked_swaps(runs, {"viet_nam": True}) == []
    # a pair the collection knows comes first, and the word left over is a name of its own
    assert asked_swaps(name_runs("Hiệp ước Việt Nam Campuchia ký năm nào?"),
                       {"viet_nam": True, "campuchia": True}) == [Swap("campuchia", ("viet", "nam"))]
    assert asked_swaps(name_runs("Huấn luyện viên U22 Thái Lan là ai?"), {"thai_lan": True}) == [
        Swap("thai_lan", ("u22",))]
    # what stands before a name is a title, written otherwise by the paragraph ("Chủ tịch Hồ Chí Minh")
    assert asked_swaps(name_runs("truyền thống do Bác Hồ Chí Minh xây dựng là gì?"), {"ho_chi": True}) == [
        Swap("ho_chi", ("bac",))]
    # the first word is any sentence's capital; a name among lower-case words stands beside none
    assert name_runs("Lào có bao nhiêu tỉnh?") == []
    assert name_runs("ĐƯỜNG BIÊN GIỚI VIỆT LÀO DÀI BAO NHIÊU KM VẬY") == []  # capitals say nothing of names
    assert asked_swaps(name_runs("Lãnh đạo Tin lành Châu Âu nào khác học ở Paris?"), {"chau_au": True}) == []


def test_a_swap_needs_the_paragraph_to_name_something_else_there() -> None:
    swaps = [Swap("trung_quoc", ("viet", "nam"))]
    question = frozenset("bien gioi viet nam trung quoc dai bao nhieu km".split())
    border = "Biên giới Việt Nam - Lào dài 2.300 km."
    said = frozenset(lexical_tokens(border))
    assert swapped(swaps, said, border, question)
    # the same name spelt otherwise is no other name
    spelt = "Biên giới Việt Nam - Trung Quấc dài 1.449 km."
    assert not swapped(swaps, frozenset(lexical_tokens(spelt)) - {"trung_quoc"}, spelt, question)
    # a list of names, or a new sentence, joins nothing to "Việt Nam"; nor does "năm" fold to "Nam"
    listed = "Các nước có chung biên giới gồm Việt Nam, Lào và Campuchia."
    assert not swapped(swaps, frozenset(lexical_tokens(listed)), listed, question)
    years = "Việt Nam kỷ niệm 40 năm Đổi mới và 2.300 km biên giới."
    assert not swapped([Swap("bulgaria", ("nam",))], frozenset(lexical_tokens(years)), years, question)
    # the paragraph names nothing else after "Việt Nam": the question only adds to what it says
    alone = "Biên giới của Việt Nam dài 4.500 km trên đất liền."
    assert not swapped(swaps, frozenset(lexical_tokens(alone)), alone, question)


@pytest.mark.parametrize("question", SWAPPED)
def test_a_question_about_another_country_gets_no_quote_about_laos(seed_library, question: str) -> None:
    assert seed_library.search(question).abstained
    # what quoted Laos's paragraph before this check
    unchecked = replace(seed_library.searcher.options, swapped_names=False)
    searcher = seed_library.searcher
    try:
        searcher.options = unchecked
        assert not seed_library.search(question).abstained
    finally:
        searcher.options = replace(unchecked, swapped_names=True)


@pytest.mark.parametrize("question", [
    "Biên giới Việt Nam - Lào dài bao nhiêu km?", "Biên giới Việt Nam Lào dài bao nhiêu km?",
    "Hiệp ước hữu nghị và hợp tác Việt Nam Lào ký năm nào?",
    # a title before the name, as readers put it and the paragraph does not
    "truyền thống quan hệ do Bác Hồ Chí Minh và Kaysone Phomvihane xây dựng là gì?",
    "chủ tịch nước VN Lương Cường gửi điện mừng Vua Thái Maha Vajiralongkorn nhân dịp gì?",
    "bộ trưởng NG Lào Thongsavanh Phomvihane điện đàm với ai?",
])
def test_the_question_about_laos_is_still_answered(seed_library, question: str) -> None:
    assert not seed_library.search(question).abstained


def test_another_of_a_series_is_told_from_the_one_asked_about() -> None:
    second = "Cuộc họp Tham khảo chính trị lần thứ hai giữa hai Bộ Ngoại giao diễn ra tại Hà Nội."
    said = frozenset(lexical_tokens(second))
    assert asked_numbers("cuộc họp lần thứ nhất diễn ra khi nào") == ["1"]
    assert renumbered(asked_numbers("cuộc họp lần thứ nhất diễn ra khi nào"), said, second)
    assert renumbered(asked_numbers("Kỳ họp lần thứ 4 diễn ra ở đâu"), said, second)
    # the one the paragraph gives, in digits or in words; a paragraph that gives none
    assert not renumbered(asked_numbers("cuộc họp lần thứ 2 diễn ra ở đâu"), said, second)
    assert not renumbered(asked_numbers("cuộc họp lần thứ nhất diễn ra ở đâu"), frozenset(), "Hai bên đã họp.")
    first = "Lần đầu tiên Việt Nam giữ chức Chủ tịch Hội nghị lần thứ 35 của các quốc gia thành viên."
    assert not renumbered(["1"], frozenset(lexical_tokens(first)), first)  # "lần đầu" is the first
    # not a series: a weekday, a century, an order; two asked as either/or; one written out in words
    for words in ("Thứ Hai tuần trước ai chủ trì?", "đến thế kỷ thứ 19 phải không", "theo thứ tự nào",
                  "lần thứ hai hay lần thứ ba", "kỳ họp lần thứ bốn mươi tám do ai chủ trì",
                  "Đạo luật Scotland năm 1978 lập hội đồng khi nào?"):
        assert asked_numbers(words) == [], words


@pytest.mark.parametrize("question", [
    "cuộc họp tham khảo chính trị lần thứ nhất diễn ra khi nào",
    "Kỳ họp lần thứ 47 Ủy ban liên Chính phủ Việt Nam Lào tổ chức ở đâu",
])
def test_a_question_about_another_meeting_of_a_series_gets_no_quote(seed_library, question: str) -> None:
    assert seed_library.search(question).abstained


def test_the_meeting_the_collection_tells_of_is_still_answered(seed_library) -> None:
    found = seed_library.search("cuộc họp tham khảo chính trị lần thứ hai diễn ra khi nào")
    assert not found.abstained and "lần thứ hai" in found.results[0].text
