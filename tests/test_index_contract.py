"""The IndexBackend contract, run against every backend: the local files and PostgreSQL (pgvector).

Search is written once above the seam (`retriever.index.backend`), so each backend must answer these
questions the same way about the same small collection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from retriever.index.backend import IndexBackend
from retriever.library import Library, LibraryConfig
from retriever.query.other_names import UNKNOWN
from retriever.query.search import Searcher
from retriever.text import fold_word, lexical_tokens
from tests.fakes import HashEncoder

BORDER = "Biên giới Việt Nam – Lào dài 2.337 km. Hai nước có nhiều cửa khẩu quốc tế."
RIVER = "Sông Mê Kông chảy qua Lào và Campuchia."
TRAIN = "Tuyến đường sắt Viêng Chăn nối với Trung Quốc."
FERRY = "Phà qua sông chạy mỗi ngày."
BORDER_TITLE = "Biên giới Việt Nam – Lào và các cửa khẩu quốc tế"
TRAIN_TITLE = "Đường sắt Lào – Trung Quốc mở thêm tuyến mới"


@pytest.fixture(params=["local", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IndexBackend]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "bien-gioi.txt").write_text(f"{BORDER_TITLE}\n\n{BORDER}\n\n{RIVER}\n", "utf-8")
    (data / "duong-sat.txt").write_text(f"{TRAIN_TITLE}\n\n{TRAIN}\n\n{FERRY}\n", "utf-8")
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    library, _ = Library.open(LibraryConfig(data, tmp_path / "index", database_url=url), HashEncoder())
    yield library.searcher.store
    library.close()


def _row_of(backend: IndexBackend, text: str) -> int:
    rows = backend.passage_rows(list(range(backend.info.passages)))
    [row] = [row for row, fields in rows.items() if fields[0] == text]
    return row


def test_it_counts_and_describes_the_passages(backend: IndexBackend) -> None:
    assert backend.info.passages == 4
    fields = backend.passage_rows([_row_of(backend, TRAIN)])
    [(text, _, _, _, title, *_)] = fields.values()
    assert (text, title) == (TRAIN, TRAIN_TITLE)
    # the stable id reads the same passage back (what answers' buttons keep); an unknown id reads nothing
    passage_id = fields[_row_of(backend, TRAIN)][-1]
    again = backend.passages_by_id([passage_id, 12345])
    assert list(again) == [passage_id] and again[passage_id][:9] == fields[_row_of(backend, TRAIN)][:9]


def test_candidates_carry_both_rankers_scores(backend: IndexBackend) -> None:
    encoder = HashEncoder()
    question = "sông Mê Kông chảy qua đâu"
    [found] = backend.candidates([lexical_tokens(question)], encoder.encode([question], kind="query"), 10)
    river = _row_of(backend, RIVER)
    assert river in found.rows.tolist() and list(found.rows) == sorted(found.rows)
    position = found.rows.tolist().index(river)
    assert found.lexical[position] == found.lexical.max() > 0  # the only passage with these words
    assert found.dense[position] == pytest.approx(found.dense.max())
    assert found.removed == -1.0  # nothing was removed


def test_unaccented_forms(backend: IndexBackend) -> None:
    assert backend.accents(["bien gioi", "lao"]) == {"bien gioi": "biên giới", "lao": "lào"}


def test_a_word_the_collection_never_uses_is_rarest(backend: IndexBackend) -> None:
    idf = backend.idf([fold_word("Lào"), fold_word("Campuchia"), "paris", UNKNOWN])
    assert idf[0] < idf[1] <= idf[2] == idf[3]  # the search's stand-in for "unknown" reads as one


def test_a_question_naming_names_is_searched(backend: IndexBackend) -> None:
    """The names check asks the backend about the question's names (PostgreSQL refused a NUL stand-in,
    and every such question failed)."""
    searcher = Searcher(backend, HashEncoder())
    searcher.search("Biên giới Việt Nam Trung Quốc dài bao nhiêu km?")


def test_sentence_vectors_of_a_passage_of_several_sentences(backend: IndexBackend) -> None:
    vector = HashEncoder().encode(["Hai nước có nhiều cửa khẩu quốc tế."], kind="query")[0]
    rows = np.array([_row_of(backend, BORDER), _row_of(backend, TRAIN)])
    cosines = backend.sentence_cosines(rows, vector)
    assert cosines is not None
    border, train = cosines
    assert len(border) == 2 and border[1] > border[0] and len(train) == 0  # one sentence: its passage vector


def test_row_vectors_are_the_passage_and_sentence_vectors_the_cosines_come_from(backend: IndexBackend) -> None:
    vector = HashEncoder().encode(["Hai nước có nhiều cửa khẩu quốc tế."], kind="query")[0]
    rows = np.array([_row_of(backend, BORDER), _row_of(backend, TRAIN)])
    passages, sentences = backend.row_vectors(rows)
    assert passages.shape == (2, backend.info.dim)
    assert np.linalg.norm(passages, axis=1) == pytest.approx([1.0, 1.0], abs=1e-3)
    [candidates] = backend.candidates([[]], vector[None, :], backend.info.passages)
    dense = dict(zip(candidates.rows.tolist(), candidates.dense.tolist(), strict=True))
    assert passages @ vector == pytest.approx([dense[int(row)] for row in rows], abs=1e-3)
    cosines = backend.sentence_cosines(rows, vector)
    assert cosines is not None
    assert len(sentences[0]) == 2 and len(sentences[1]) == 0  # one sentence: its passage vector stands for it
    units = sentences[0] / np.linalg.norm(sentences[0], axis=1, keepdims=True)
    assert units @ vector == pytest.approx(cosines[0], abs=1e-3)


def test_articles_and_one_article(backend: IndexBackend) -> None:
    articles = {info.title: info for info in backend.articles()}
    assert set(articles) == {BORDER_TITLE, TRAIN_TITLE}
    assert articles[TRAIN_TITLE].passages == 2
    article = backend.article(articles[BORDER_TITLE].doc_id)
    assert article is not None and article.paragraphs == (BORDER, RIVER)
    assert backend.article(-1) is None


def _collection(kind: str, request: pytest.FixtureRequest, tmp_path: Path, files: dict[str, str]):
    """Writes `files` into a data folder and opens it with the `kind` of backend: (library, report)."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name, text in files.items():
        (data / name).write_text(text, "utf-8")
    url = request.getfixturevalue("pg_url") if kind == "postgres" else ""
    return Library.open(LibraryConfig(data, tmp_path / "index", database_url=url), HashEncoder())


@pytest.mark.parametrize("kind", ["local", "postgres"])
def test_a_file_it_cannot_read_is_named_again_while_nothing_changed(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    files = {"bien-gioi.txt": f"{BORDER_TITLE}\n\n{BORDER}\n", "ghi-chu.txt": "Ngắn thôi."}
    reports = []
    for _ in range(2):  # built, then found unchanged: the second run reads no file
        library, report = _collection(kind, request, tmp_path, files)
        library.close()
        reports.append(report)
    assert reports[1] is not None and reports[1].unchanged
    for report in reports:
        assert report is not None and [item.path for item in report.skipped] == ["ghi-chu.txt"]
        assert "no paragraph of text" in report.skipped[0].reason


@pytest.mark.parametrize("kind", ["local", "postgres"])
def test_a_section_heading_is_kept_with_its_paragraphs_and_in_the_article(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    files = {"bien-gioi.md": f"# {BORDER_TITLE}\n\n## Cửa khẩu\n\n{BORDER}\n\n## Sông ngòi\n\n{RIVER}\n"}
    for _ in range(2):  # built, then opened again with an update of one file that keeps the other's passages
        library, _ = _collection(kind, request, tmp_path, files)
        store = library.searcher.store
        rows = store.passage_rows(list(range(store.info.passages * 3)))  # an update's rows follow the old ones
        contexts = {fields[0]: fields[2] for fields in rows.values() if fields[0] != TRAIN}
        assert contexts == {BORDER: "Cửa khẩu", RIVER: "Sông ngòi"}
        [info] = [info for info in store.articles() if info.title == BORDER_TITLE]
        article = store.article(info.doc_id)
        assert article is not None and article.paragraphs == ("Cửa khẩu", BORDER, "Sông ngòi", RIVER)
        library.close()
        files = {"duong-sat.txt": f"{TRAIN_TITLE}\n\n{TRAIN}\n"}


@pytest.mark.parametrize("kind", ["local", "postgres"])
def test_a_cut_paragraph_is_in_the_report_of_the_build_that_read_it(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    from retriever.index.passages import MAX_PARAGRAPH_CHARS
    from retriever.models import CutParagraph

    long = " ".join(f"Câu thứ {n} của một đoạn dài không dứt." for n in range(30_000))
    library, report = _collection(kind, request, tmp_path, {"dai.txt": f"{BORDER_TITLE}\n\n{BORDER}\n\n{long}\n"})
    library.close()
    assert report is not None and report.cut == (CutParagraph("dai.txt", len(long), MAX_PARAGRAPH_CHARS),)
