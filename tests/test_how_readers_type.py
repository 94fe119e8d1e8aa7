"""How readers type: abbreviations are looked up as the words they stand for, and a question's greeting
and closing particles as nothing."""

from __future__ import annotations

import pytest

from retriever.query.abbreviations import written_out
from retriever.query.framing import without_framing


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
    # a letter after a foreign word, or an initial, is no shorthand
    ("vitamin k có tác dụng gì", "vitamin k có tác dụng gì"),
    ("j.k. rowling là ai", "j.k. rowling là ai"),
    # the Party's and the state's, as the press writes them, typed with "đ" or without
    ("Đại hội lần thứ mấy của ĐCS VN", "Đại hội lần thứ mấy của Đảng Cộng sản Việt Nam"),
    ("dai hoi cua DCS VN thong bao cho Dang NDCM Lao", "dai hoi cua dang cong san viet nam thong bao cho Dang "
     "nhan dan cach mang Lao"),
    ("PTT kiêm BNG là ai", "Phó Thủ tướng kiêm Bộ Ngoại giao là ai"),
    ("mối qh đặc biệt VN Lào", "mối qh đặc biệt Việt Nam Lào"),  # "quan hệ" or "Quốc hội": left as typed
])
def test_abbreviations_are_written_out(typed, looked_up):
    assert written_out(typed, everything_unused) == looked_up


def test_an_abbreviation_the_collection_uses_is_searched_as_it_is():
    assert written_out("UBND tỉnh quyết định gì?", lambda words: [False] * len(words)) == "UBND tỉnh quyết định gì?"


@pytest.mark.parametrize(("question", "answer"), [
    ("VN và Lào lập quan hệ ngoại giao từ bao giờ?", "05/09/1962"),
    ("CHDCND Lào và VN thiết lập quan hệ ngoại giao năm nào", "05/09/1962"),
    ("k biết thứ trưởng ngoại giao lào là ai nhỉ", "Thứ trưởng"),
])
def test_a_question_with_abbreviations_is_answered_as_written_out(seed_library, question, answer):
    response = seed_library.search(question)
    assert not response.abstained and answer in response.results[0].text
    assert response.question == question  # the reader's words are shown as typed


@pytest.mark.parametrize(("typed", "asked"), [
    ("Chào bot! Cho em hỏi Hiệp ước ký ngày nào?", "Hiệp ước ký ngày nào?"),
    ("Bot ơi, Lào có bao nhiêu tỉnh vậy?", "Lào có bao nhiêu tỉnh?"),
    ("cho mình hỏi biên giới dài bao nhiêu km ạ?", "biên giới dài bao nhiêu km?"),
    ("Chào mừng năm mới có gì?", "Chào mừng năm mới có gì?"),  # "chào mừng" greets no one
    ("Hiệp ước Hữu nghị ký năm nào?", "Hiệp ước Hữu nghị ký năm nào?"),  # "Hi" of "Hiệp" is no greeting
    ("cảm ơn", "cảm ơn"),  # nothing else: kept as typed
    ("Cho em hỏi ạ", ""),  # nothing asked yet
    ("Ai là vua Tây Ban Nha?", "Ai là vua Tây Ban Nha?"),  # a name, not the particle "nha"
    ("Tại sao lại như vậy?", "Tại sao lại như vậy?"),
    # whom the question turns to, thanks after it, the group asked: declined with them, answered without
    ("biên giới dài bao nhiêu km vậy bro?", "biên giới dài bao nhiêu km?"),
    ("biên giới dài bao nhiêu km nhé mọi người?", "biên giới dài bao nhiêu km?"),
    ("biên giới dài bao nhiêu km? thank you", "biên giới dài bao nhiêu km?"),
    ("biên giới dài bao nhiêu km, có ai biết ko?", "biên giới dài bao nhiêu km"),
    ("bro ơi biên giới dài bao nhiêu km", "biên giới dài bao nhiêu km"),
    ("Học bổng dành cho mọi người?", "Học bổng dành cho mọi người?"),  # what is asked about
    ("Học bổng dành cho mn?", "Học bổng dành cho mn?"),
    ("biên giới dài bao nhiêu km cả nhà ơi?", "biên giới dài bao nhiêu km?"),
    ("biên giới dài bao nhiêu km? cảm ơn nhiều ạ", "biên giới dài bao nhiêu km?"),
    ("What year was the treaty signed, bro?", "What year was the treaty signed?"),
    ("Cách nói cảm ơn?", "Cách nói cảm ơn?"),
    # as phones shorten them: "e" (em), "b"/"bn" (bạn)
    ("e hỏi chút: biên giới dài bao nhiêu km", "biên giới dài bao nhiêu km"),
    ("b ơi, biên giới dài bao nhiêu km?", "biên giới dài bao nhiêu km?"),
    ("biên giới dài bao nhiêu km vậy e?", "biên giới dài bao nhiêu km?"),
    ("Uống vitamin e?", "Uống vitamin e?"),  # no particle before it: what is asked about
    ("Nhóm máu hiếm nhất là A hay B ơi?", "Nhóm máu hiếm nhất là A hay B ơi?"),  # an option, in capitals
    ("Ăn gì để bổ sung vitamin à E?", "Ăn gì để bổ sung vitamin à E?"),
    # a teacher, "anh chị" called; what the reader says of themselves before the request to ask
    ("Thầy ơi cho em hỏi Chủ tịch nước tiếp ai?", "Chủ tịch nước tiếp ai?"),
    ("Chào anh chị, cho em hỏi biên giới dài bao nhiêu km ạ?", "biên giới dài bao nhiêu km?"),
    ("Em đang làm bài tập lịch sử. Cho em hỏi biên giới dài bao nhiêu km ạ?", "biên giới dài bao nhiêu km?"),
    ("Em là sinh viên năm 2, em muốn hỏi học phí một tín chỉ bao nhiêu?", "học phí một tín chỉ bao nhiêu?"),
    # the words before the request are the question's when they are not about the reader, or what
    # follows is no whole question; "là" is a word, not the start of "Lào"; a name may follow "anh"
    ("Hiệp ước Hữu nghị ký năm nào, em cần biết gấp", "Hiệp ước Hữu nghị ký năm nào, em cần biết gấp"),
    ("Đại sứ Việt Nam tại Lào, xin hỏi là ai?", "Đại sứ Việt Nam tại Lào, xin hỏi là ai?"),
    ("Cho em hỏi Lào và Việt Nam thiết lập quan hệ ngày nào", "Lào và Việt Nam thiết lập quan hệ ngày nào"),
    ("Chào anh Sơn, hiệp ước ký năm nào?", "Chào anh Sơn, hiệp ước ký năm nào?"),
    ("Bác Hồ và Hoàng thân Souphanouvong, cho em hỏi hai người gặp nhau lần đầu ở đâu?",
     "Bác Hồ và Hoàng thân Souphanouvong, cho em hỏi hai người gặp nhau lần đầu ở đâu?"),
    ("Con số 2.300 km, cho mình hỏi là chiều dài của biên giới nào?",
     "Con số 2.300 km, cho mình hỏi là chiều dài của biên giới nào?"),
    ("Cô Lan là ai?", "Cô Lan là ai?"),  # a name's title, not someone called
    ("Anh chị em ruột là gì?", "Anh chị em ruột là gì?"),
])
def test_a_questions_framing_is_not_looked_up(typed, asked):
    assert without_framing(typed) == asked


PASTED = ("Sáng 2/9, tại Hà Nội đã diễn ra nhiều hoạt động kỷ niệm. Các đại biểu ôn lại truyền thống tốt đẹp giữa hai"
          " dân tộc, khẳng định quyết tâm vun đắp mối quan hệ hữu nghị vĩ đại. Nhiều ý kiến nhấn mạnh vai trò của"
          " ngoại giao trong suốt chặng đường lịch sử. ")


@pytest.mark.parametrize(("typed", "asked"), [
    (PASTED + "Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?",
     "Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?"),
    (PASTED + "Vậy cho mình hỏi Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?",
     "Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?"),
    # the question points back at the paragraph, is too short to stand alone, or there is no paragraph
    (PASTED + "Hai nước thiết lập quan hệ ngoại giao ngày nào?", None),
    (PASTED + "Buổi lễ ấy diễn ra ở đâu?", None), (PASTED + "Ở đâu?", None),
    (PASTED + "Lễ kỷ niệm diễn ra ở đâu? Ai dự?", None), (PASTED.strip(), None),
    ("Lễ kỷ niệm diễn ra ở Hà Nội. Đại sứ đã phát biểu. Việt Nam và Lào thiết lập quan hệ ngày nào?", None),
])
def test_a_question_after_a_pasted_paragraph_is_looked_up_alone(typed, asked):
    assert without_framing(typed) == (asked or typed)


@pytest.mark.parametrize("typed", [
    "Biên giới Việt Nam Lào dài bao nhiêu km vậy bro?", "Biên giới Việt Nam Lào dài bao nhiêu km? thank you",
    "Biên giới Việt Nam Lào dài bao nhiêu km, có ai biết ko?",
])
def test_a_question_turned_to_someone_is_answered_as_the_bare_question(seed_library, typed):
    response = seed_library.search(typed)  # each was declined
    assert not response.abstained and "2.300 km" in response.results[0].text


def test_a_greeting_alone_is_no_question_to_look_up(seed_library):
    from retriever.errors import EmptyQuestionError

    with pytest.raises(EmptyQuestionError):  # it was searched as "ạ", and three unrelated quotes came at 1.00
        seed_library.search("Cho em hỏi ạ")


def test_a_greeting_before_the_question_does_not_weaken_its_answer(seed_library):
    plain = seed_library.search("Hiệp ước Hữu nghị và Hợp tác giữa Việt Nam với Lào ký ngày nào?")
    framed = seed_library.search(
        "Chào bot! Cho em hỏi Hiệp ước Hữu nghị và Hợp tác giữa Việt Nam với Lào ký ngày nào ạ?"
    )
    assert [r.passage_id for r in framed.results] == [r.passage_id for r in plain.results]
    assert framed.results[0].score == plain.results[0].score  # was 0.27 against 0.99


@pytest.mark.parametrize(("framed", "plain"), [
    ("ad oi, cho minh hoi viet nam va lao thiet lap quan he ngoai giao ngay nao vay",
     "viet nam va lao thiet lap quan he ngoai giao ngay nao"),
    ("Chào bot, mình muốn biết Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?",
     "Việt Nam và Lào thiết lập quan hệ ngoại giao ngày nào?"),
])
def test_a_question_framed_without_accents_or_with_muon_biet_is_searched_as_the_question(seed_library, framed, plain):
    # typed without accents, "ad oi, cho minh hoi … vay" was no framing the reader's way of asking was known
    # by, and "mình muốn biết" was not taken off either: each counted as words of the question
    asked, bare = seed_library.search(framed), seed_library.search(plain)
    assert not bare.abstained and [r.passage_id for r in asked.results] == [r.passage_id for r in bare.results]
    assert asked.results[0].score == pytest.approx(bare.results[0].score, abs=0.01)


def test_a_link_pasted_beside_the_question_is_not_looked_up(seed_library):
    linked = seed_library.search("https://vnexpress.net/bien-gioi-4567.html biên giới Việt Lào dài bao nhiêu km?")
    # "Không tìm thấy": the link's words counted as the question's, and no paragraph has them
    assert not linked.abstained and "2.300 km" in linked.results[0].text


@pytest.mark.parametrize(("message", "questions"), [
    ("Biên giới dài bao nhiêu km? Hiệp ước ký năm nào?", ["Biên giới dài bao nhiêu km?", "Hiệp ước ký năm nào?"]),
    # a sentence of context goes with the question after it, a thanks with the question before it
    ("Mình đọc báo hôm qua. Biên giới dài bao nhiêu km? Hiệp ước ký năm nào? Cảm ơn bot",
     ["Mình đọc báo hôm qua. Biên giới dài bao nhiêu km?", "Hiệp ước ký năm nào? Cảm ơn bot"]),
    # a remark, a single question, a list of more than three: the message as it is
    ("Thật à? Biên giới dài bao nhiêu km?", ["Thật à? Biên giới dài bao nhiêu km?"]),
    # typed without question marks: two clauses that each end asking, each long enough to be searched alone
    ("biên giới việt lào dài bao nhiêu km, hiệp ước hữu nghị ký năm nào",
     ["biên giới việt lào dài bao nhiêu km", "hiệp ước hữu nghị ký năm nào"]),
    ("Ai là người ký hiệp ước, và ký năm nào", ["Ai là người ký hiệp ước, và ký năm nào"]),
    ("Hai nước, Việt Nam và Lào, có chung đường biên giới dài bao nhiêu km",
     ["Hai nước, Việt Nam và Lào, có chung đường biên giới dài bao nhiêu km"]),
    ("quan hệ việt lào thế nào, có tốt không", ["quan hệ việt lào thế nào, có tốt không"]),
    ("Dù đóng học phí đủ hay chưa, sinh viên có được thi cuối kỳ không",
     ["Dù đóng học phí đủ hay chưa, sinh viên có được thi cuối kỳ không"]),
    # a clause that leans on the other: framed by it, or speaking of whom it named
    ("Trong các nước ASEAN nào, Việt Nam hợp tác với nước nào nhiều nhất",
     ["Trong các nước ASEAN nào, Việt Nam hợp tác với nước nào nhiều nhất"]),
    ("Thủ tướng Lào là ai, ông ấy sang Việt Nam khi nào", ["Thủ tướng Lào là ai, ông ấy sang Việt Nam khi nào"]),
    ("Biên giới dài bao nhiêu km? Cảm ơn bot nhé.", ["Biên giới dài bao nhiêu km? Cảm ơn bot nhé."]),
    ("Ai chủ trì hội nghị? Họp ở đâu vậy? Kéo dài bao lâu? Ký những văn kiện gì?",
     ["Ai chủ trì hội nghị? Họp ở đâu vậy? Kéo dài bao lâu? Ký những văn kiện gì?"]),
])
def test_a_message_of_several_questions_is_asked_as_each(message: str, questions: list[str]) -> None:
    from retriever.query.several import questions_in

    assert questions_in(message) == questions


@pytest.mark.parametrize("typed", [
    "𝐁𝐢𝐞̂𝐧 𝐠𝐢𝐨̛́𝐢 Việt Lào dài bao nhiêu km?",  # letters in a styled font, pasted from social media
    "**Biên giới** _Việt_ `Lào` [dài](http://x.vn/a) bao nhiêu km?",  # Markdown's marks, as chat apps send
    "Biên\x00giới Việt\x1b[31m Lào\x7f dài bao nhiêu km?",  # control characters between words
])
def test_a_question_is_read_as_the_words_a_reader_sees(typed: str) -> None:
    from retriever.query.prepare import typed_plain
    from retriever.text import collapse_spaces, nfc

    # each was declined: its words were not the collection's words
    assert collapse_spaces(nfc(typed_plain(typed))).split() == "Biên giới Việt Lào dài bao nhiêu km?".split()


def test_markdowns_marks_leave_no_space_before_punctuation() -> None:
    from retriever.query.prepare import typed_plain

    # the answer is headed by the question as read: it said "… bao nhiêu km ?"
    assert typed_plain("Biên giới dài bao nhiêu **km**?") == "Biên giới dài bao nhiêu km?"
