import pytest

from retriever.query.accents import restore_accents
from retriever.text import fold, has_diacritics, join_line, lexical_tokens, sentences, strip_format


def test_folding_strips_tones_and_d_bar():
    assert fold("Đường biên giới ĐÀ NẴNG") == "duong bien gioi da nang"


def test_unaccented_words_match_accented_ones_including_pairs():
    assert set(lexical_tokens("bien gioi")) <= set(lexical_tokens("đường biên giới dài"))
    assert "bien_gioi" in lexical_tokens("Biên giới")


def test_sentences_do_not_break_on_abbreviations():
    parts = sentences("Ngày 27/6 tại TP. Phú Quốc, ông A. Nguyễn phát biểu. Hai bên nhất trí! Còn gì nữa?")
    assert parts == ["Ngày 27/6 tại TP. Phú Quốc, ông A. Nguyễn phát biểu.", "Hai bên nhất trí!", "Còn gì nữa?"]


def test_has_diacritics():
    assert has_diacritics("biên giới") and not has_diacritics("bien gioi")


def test_accents_are_restored_from_the_collection_vocabulary():
    vocabulary = {"bien gioi": "biên giới", "duong bien": "đường biên", "duong": "đường", "dai": "dài"}

    def lookup(keys: list[str]) -> dict[str, str]:
        return {key: vocabulary[key] for key in keys if key in vocabulary}

    restored, changed = restore_accents("Duong bien gioi dai bao tu km?", lookup)
    assert changed
    assert restored.startswith("Đường biên giới dài")
    assert restored.endswith("bao tu km?")  # unknown words are left as typed


@pytest.mark.parametrize(("before", "after", "joined"), [
    ("chở con-", "tainer hàng", "chở container hàng"),  # a word split at the line end
    ("dài 66 ki-lô-", "mét", "dài 66 ki-lô-mét"),  # a loanword written syllable by syllable keeps its hyphens
    ("dài 66 ki-", "lô-mét", "dài 66 ki-lô-mét"),
    ("thủ đô Mát-", "xcơ-va", "thủ đô Mát-xcơ-va"),
    ("hai bên -", "nhất trí", "hai bên - nhất trí"),
])
def test_wrapped_lines_join_as_the_author_wrote_them(before, after, joined):
    assert join_line(before, after) == joined


def test_invisible_format_characters_inside_a_word_are_no_word_boundary_in_a_question() -> None:
    typed = "Đường bi\u00adên gi\u200cới Việt N\u2060am - L\u200bào\u200d dài\ufeff bao nhiêu km?\u202e"
    clean = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
    assert strip_format(typed) == clean and lexical_tokens(strip_format(typed)) == lexical_tokens(clean)
    assert strip_format("biên\ngiới\tLào") == "biên\ngiới\tLào"  # line breaks and tabs still part words


def test_a_questions_own_words_get_their_accents_from_the_language_not_the_collection():
    # a news collection says "báo" (newspaper), "nhiều", "khí", "đầu", never asks: restored from it alone
    # the question words came back as "báo nhiều", "khí nào", "ở đầu", and the question lost what it asks
    vocabulary = {"bao": "báo", "nhieu": "nhiều", "khi": "khí", "dau": "đầu", "ai": "ái", "ai cap": "Ai Cập",
                  "bien gioi": "biên giới", "ky": "ký"}

    def lookup(keys: list[str]) -> dict[str, str]:
        return {key: vocabulary[key] for key in keys if key in vocabulary}

    assert restore_accents("bien gioi dai bao nhieu km", lookup)[0] == "biên giới dai bao nhiêu km"
    assert restore_accents("hiep uoc ky khi nao, o dau", lookup)[0] == "hiep uoc ký khi nào, ở đâu"
    assert restore_accents("ai la dai su", lookup)[0] == "ai la dai su"
    assert restore_accents("Ai Cap o dau", lookup)[0] == "Ai Cập ở đâu"  # the collection's pair still first
