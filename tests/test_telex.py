"""Questions typed as raw Telex or VNI keystrokes ("bieen gioiws Vieetj Nam", "bie6n gio71i Vie65t Nam")
are searched as the Vietnamese they spell; English and Vietnamese typed without diacritics are not touched."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retriever.query.telex import from_keystrokes, syllable
from retriever.text import has_diacritics
from tests.conftest import SEED_DATA
from tests.keystrokes import typed_question, typed_word

BORDER_TELEX = "duwowngf bieen gioiws Vieetj Nam - Laof daif bao nhieeu km?"


def everything_known(words: list[str]) -> list[bool]:
    return [False] * len(words)


def nothing_known(words: list[str]) -> list[bool]:
    return [True] * len(words)


@pytest.mark.parametrize(("typed", "spelled"), [
    ("bieen", "biên"), ("gioiws", "giới"), ("Vieetj", "Việt"), ("Laof", "Lào"), ("nhieeu", "nhiêu"),
    ("dduwowngf", "đường"), ("duowngf", "dường"), ("nguoiwf", "người"),  # uow → ươ, w after the cluster
    ("tieengs", "tiếng"), ("tieesng", "tiếng"), ("tienges", "tiếng"),  # the tone, the circumflex, anywhere
    ("hoawjc", "hoặc"), ("quoocs", "quốc"), ("gif", "gì"), ("giuwax", "giữa"), ("nhw", "như"), ("w", "ư"),
    ("hoaf", "hòa"), ("thuyr", "thủy"), ("khoer", "khỏe"), ("ngoais", "ngoái"), ("quys", "quý"),
    ("VIEETJ", "VIỆT"), ("DDaij", "Đại"), ("baoz", "bao"), ("Nam", "Nam"),
])
def test_a_telex_word_is_the_syllable_it_spells(typed, spelled):
    assert syllable(typed) == unicodedata.normalize("NFC", spelled)


@pytest.mark.parametrize(("typed", "spelled"), [
    ("bie6n", "biên"), ("gio71i", "giới"), ("gio7i1", "giới"), ("Vie65t", "Việt"), ("Vie6t5", "Việt"),
    ("La2o", "Lào"), ("nhie6u", "nhiêu"), ("d9u7o7ng2", "đường"), ("duo7ng29", "đường"), ("hoa8c5", "hoặc"),
    ("quo6c1", "quốc"), ("hoa2", "hòa"), ("na8m", "năm"), ("VIE65T", "VIỆT"),
])
def test_a_vni_word_is_the_syllable_it_spells(typed, spelled):
    assert syllable(typed) == spelled


@pytest.mark.parametrize("typed", [
    "km", "Sonexay", "Thongloun", "Sisoulith", "2300", "U22", "35th", "what",  # no syllable
    "kiefc", "bieenss", "6a", "b9ien",  # a stop takes sắc or nặng only, two tones, a key with nothing to mark
])
def test_a_word_that_spells_no_syllable_is_none(typed):
    assert syllable(typed) is None


def test_a_telex_question_is_read_as_the_vietnamese_it_spells():
    assert from_keystrokes(BORDER_TELEX, everything_known) == "dường biên giới Việt Nam - Lào dài bao nhiêu km?"
    vni = "bie6n gio71i Vie65t Nam La2o da2i bao nhie6u km?"
    assert from_keystrokes(vni, everything_known) == "biên giới Việt Nam Lào dài bao nhiêu km?"
    # "been" is English's and Telex's "bên": outnumbered by the words the keys change, it is Telex
    telex = typed_question("Hai bên kỳ vọng quan hệ Việt Nam - Lào sẽ phát triển thế nào?", "telex")
    assert from_keystrokes(telex, everything_known) == "Hai bên kỳ vọng quan hệ Việt Nam - Lào sẽ phát triển thế nào?"


def test_keystrokes_of_words_the_collection_does_not_use_are_left_as_typed():
    assert from_keystrokes(BORDER_TELEX, nothing_known) == BORDER_TELEX


@pytest.mark.parametrize("question", [
    "How long is the Vietnam-Laos border?",  # "is" → "í", "Laos" → "Láo"
    "Has the demarcation of the Vietnam-Laos border been completed?",
    "Is the Vietnam-Laos border seen as a model of border cooperation?",
    "How much does a dorm room cost per month?",  # six words the keys would change
    "Which team won Super Bowl XXXIII?",
    "Vietnam Laos border length",
])
def test_an_english_question_is_unchanged(question):
    assert from_keystrokes(question, everything_known) == question


@pytest.mark.parametrize("question", [
    "Duong bien gioi Viet Nam - Lao dai bao nhieu km?",
    "sonexay siphandone la ai",
    "Bo truong Ngoai giao Lao sang tham Viet Nam vao nam nao",
    "ad oi, cho minh hoi viet nam va lao thiet lap quan he ngoai giao ngay nao vay",
    "Hiệp ước Hữu nghị ký năm nào?",  # its own diacritics
])
def test_vietnamese_typed_without_diacritics_is_unchanged(question):
    assert from_keystrokes(question, everything_known) == question


def _news_syllables() -> list[str]:
    words: set[str] = set()
    for path in SEED_DATA.glob("*.txt"):
        words |= set(re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", path.read_text("utf-8"))))
    # the tone of an open "oa", "oe", "uy" on its first vowel, as the news mostly writes it ("hòa", not "hoà")
    newer = re.compile(r"(o[\u0302-\u031b]?a|o[\u0302-\u031b]?e|uy)[\u0300\u0301\u0303\u0309\u0323]$")
    return sorted(
        word for word in words
        if has_diacritics(word) and not newer.search(unicodedata.normalize("NFD", word.lower()))
    )


@given(st.sampled_from(_news_syllables()), st.sampled_from(["telex", "vni"]))
def test_every_syllable_of_the_news_comes_back_from_its_keystrokes(word, scheme):
    assert syllable(typed_word(word, scheme)) == word


@pytest.mark.parametrize("question", [BORDER_TELEX, "d9u7o7ng2 bie6n gio71i Vie65t Nam - La2o da2i bao nhie6u km?"])
def test_a_question_typed_in_keystrokes_finds_its_answer(seed_library, question):
    """Before, it read as a foreign language and was declined."""
    response = seed_library.search(question)
    assert not response.abstained and "2.300 km" in response.results[0].text
    assert response.question == question  # shown as typed
