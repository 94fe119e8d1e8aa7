"""A passage added to a PostgreSQL index after its HNSW graphs were built is found by its own question, even
where neither graph leads its walk to it: at 100k passages neither did for a new article's own question
(docs/performance-at-scale.md, PostgreSQL). A small collection cannot make a graph lose a row on demand, so
one case here blinds both walks (they return no row) and the rare-term route alone must bring the passage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retriever.index.postgres import query as pgquery
from retriever.library import Library, LibraryConfig
from tests.fakes import HashEncoder

COMMON = ("người dân địa phương cho biết năm nay mùa màng khá tốt nhờ thời tiết thuận lợi và sự hỗ trợ "
          "của chính quyền các cấp trong việc chăm lo đời sống hội nghị tỉnh ngày").split()
FACT = "Hội thảo quốc gia về thuỷ lợi vùng cát ven biển tỉnh Quảng Trị khai mạc ngày 14 tháng 3 năm 2024."
QUESTION = "Hội thảo quốc gia về thuỷ lợi vùng cát ven biển tỉnh Quảng Trị khai mạc ngày nào?"


def _collection(data: Path, articles: int, paragraphs: int) -> None:
    rng = np.random.default_rng(0)
    data.mkdir()
    for a in range(articles):
        body = [" ".join(rng.choice(COMMON, size=14)) + "." for _ in range(paragraphs)]
        (data / f"bai-{a:04d}.txt").write_text(f"Tin địa phương số {a}\n\n" + "\n\n".join(body) + "\n", "utf-8")


def _blind_walks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both HNSW walks of the candidates' statements return no row."""
    dense, lexical = pgquery.DENSE_ROWS, pgquery.LEXICAL_ROWS
    assert dense.count("LIMIT %(depth)s") == 1 and lexical.count("WHERE distance < 0") == 1
    monkeypatch.setattr(pgquery, "DENSE_ROWS", dense.replace("LIMIT %(depth)s", "LIMIT 0"))
    monkeypatch.setattr(pgquery, "LEXICAL_ROWS", lexical.replace("WHERE distance < 0", "WHERE false"))


@pytest.mark.parametrize("walks", ["as built", "blind"])
def test_an_article_added_after_the_build_answers_its_own_question(pg_url: str, tmp_path: Path, walks: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    _collection(data, 150, 10)
    library, report = Library.open(LibraryConfig(data, tmp_path / "unused", database_url=pg_url), HashEncoder())
    assert report is not None and report.passages >= 1000
    (data / "zz-hoi-thao.txt").write_text(f"Hội thảo thuỷ lợi\n\n{FACT}\n", "utf-8")
    assert library.reindex().passages_added == 1
    if walks == "blind":
        _blind_walks(monkeypatch)
        # the walks find nothing indeed: a word in every other passage is no rare term, and no candidate
        assert not library.search("người", 3).results
    answer = library.search(QUESTION, 3)
    assert answer.results and answer.results[0].text == FACT
    library.close()
