"""The PostgreSQL + pgvector index backend against the local one: same answers on the seed questions,
incremental reindex, one reindex at a time, the encoder checked."""

from __future__ import annotations

import errno
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector

from retriever.errors import EncoderMismatchError, ReindexBusyError
from retriever.evaluate import evaluate, load_questions
from retriever.index.postgres import sync, write
from retriever.index.postgres.query import dense_rows
from retriever.library import Library, LibraryConfig
from tests.conftest import SEED_DATA, SeedDirs, copy_writable, open_seed_copy
from tests.fakes import HashEncoder
from tests.test_removed_documents import ABOUT_REMOVED, REMOVED

SEED_DEV = Path(__file__).resolve().parent.parent / "eval" / "seed_dev.jsonl"


@pytest.fixture
def pg_library(e5, seed_index: SeedDirs, pg_url: str, tmp_path: Path) -> Iterator[Library]:
    data = copy_writable(seed_index.data, tmp_path / "data")
    library, report = Library.open(LibraryConfig(data, tmp_path / "unused", database_url=pg_url), e5)
    assert report is not None and report.passages > 0 and report.encoded == report.passages
    yield library
    library.close()


def test_postgres_answers_as_the_local_index_does(pg_library: Library, seed_library: Library) -> None:
    questions = load_questions(SEED_DEV)
    local = evaluate(questions, lambda q: seed_library.search(q, 5))
    postgres = evaluate(questions, lambda q: pg_library.search(q, 5))
    assert abs(local.hit_at_1 - postgres.hit_at_1) <= 0.01 and local.false_answers == postgres.false_answers
    # both store the same sentence vectors: with the default options, the same passages with the same relevance
    for question in questions:
        a, b = seed_library.search(question.question, 3), pg_library.search(question.question, 3)
        assert [r.text for r in a.results] == [r.text for r in b.results], question.question
        assert [r.highlight for r in a.results] == [r.highlight for r in b.results], question.question
        # pgvector's and FAISS's float32 cosines differ in their last digits; the gate's slope is steepest
        # around 0.5, where that moves a relevance by up to ~0.002
        assert [r.score for r in a.results] == pytest.approx([r.score for r in b.results], abs=5e-3)
    assert pg_library.info().passages == seed_library.info().passages
    assert [a.title for a in pg_library.articles()] == [a.title for a in seed_library.articles()]
    # a first build's dense graph takes more candidates per insert than pgvector's default (recall at 1M)
    [(options,)] = pg_library.searcher.store.query(  # type: ignore[attr-defined]
        "SELECT reloptions FROM pg_class WHERE relname = 'idx_passages_dense'")
    assert "ef_construction=128" in options

    # the sentence cosines come with the candidates; asked for on their own they are the same
    store, searcher = pg_library.searcher.store, pg_library.searcher
    query = searcher.prepare(questions[0].question)
    vector = searcher.encoder.encode([query.dense_text], kind="query")
    [found] = store.candidates([query.tokens], vector, 50)
    with_candidates = store.sentence_cosines(found.rows, vector[0])
    alone = store.sentence_cosines(found.rows, vector[0])
    assert with_candidates is not None and alone is not None and any(len(c) for c in alone)
    assert [len(c) for c in with_candidates] == [len(c) for c in alone]
    assert np.concatenate(with_candidates) == pytest.approx(np.concatenate(alone), abs=1e-6)


def test_reindex_is_incremental_and_one_at_a_time(pg_library: Library, pg_url: str) -> None:
    data = pg_library.config.data_dir
    (data / "moi.txt").write_text("Tin mới\n\nCầu Long Biên dài 2.290 mét, bắc qua sông Hồng.\n", "utf-8")
    victim = sorted(data.glob("*.txt"))[0]
    victim.unlink()
    report = pg_library.reindex(prune=True)  # as `tracuu index`: the folder's own documents gone from it go
    assert (report.added, report.removed, report.encoded) == (1, 1, 1)  # only the new paragraph is encoded
    top = pg_library.search("Cầu Long Biên dài bao nhiêu mét?", 1).results[0]
    assert "2.290 mét" in top.text and top.document == "moi.txt"
    assert pg_library.reindex().unchanged

    with psycopg.connect(pg_url, autocommit=True) as other:  # another replica holds the reindex lock
        other.execute("SELECT pg_advisory_lock(7116004)")
        with pytest.raises(ReindexBusyError):
            pg_library.reindex(rebuild=True)
    with pytest.raises(EncoderMismatchError, match="rebuild"):
        Library.open(LibraryConfig(data, data, database_url=pg_url), HashEncoder(), refresh=False)


def test_a_failed_reindex_leaves_every_document_as_it_was(pg_url: str, tmp_path: Path) -> None:
    data = copy_writable(SEED_DATA, tmp_path / "data")
    config = LibraryConfig(data, tmp_path / "unused", database_url=pg_url)
    library, _ = Library.open(config, HashEncoder(fail_on="HỎNG"))
    before, articles = library.info(), library.articles()
    first = sorted(data.glob("*.txt"))[0]
    original = first.read_text("utf-8")
    first.write_text(original + "\n\nĐoạn mới: máy mã hoá HỎNG ở đây.\n", "utf-8")
    with pytest.raises(RuntimeError, match="on purpose"):
        library.reindex()
    assert library.info() == before and library.articles() == articles
    assert not any("HỎNG" in r.text for r in library.search("máy mã hoá hỏng", 5).results)
    library.close()


def test_a_reindex_that_fails_part_way_keeps_each_document_whole_and_the_next_one_goes_on_from_there(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import is written a batch of files at a time, a file's passages a chunk at a time inside
    its transaction: a failure in a later batch keeps what the earlier ones wrote (each document whole, old
    or new), and the next reindex encodes only the rest."""
    monkeypatch.setattr(sync, "FILES_PER_TRANSACTION", 1)
    monkeypatch.setattr(write, "CHUNK", 3)  # the failing file's first chunks are written, then rolled back
    data = copy_writable(SEED_DATA, tmp_path / "data")
    config = LibraryConfig(data, tmp_path / "unused", database_url=pg_url)
    library, _ = Library.open(config, HashEncoder(fail_on="HỎNG"))
    titles = sorted(a.title for a in library.articles())
    first, *_, last = sorted(data.glob("*.txt"))
    first.write_text(first.read_text("utf-8") + "\n\nĐoạn mới: cây cầu gỗ ba nhịp.\n", "utf-8")
    last.write_text(last.read_text("utf-8") + "\n\nĐoạn mới: máy mã hoá HỎNG ở đây.\n", "utf-8")
    with pytest.raises(RuntimeError, match="on purpose"):
        library.reindex()
    assert sorted(a.title for a in library.articles()) == titles
    assert "cây cầu gỗ" in library.search("cây cầu gỗ ba nhịp", 1).results[0].text  # the first file's batch
    assert not any("HỎNG" in r.text for r in library.search("máy mã hoá hỏng", 5).results)
    library.close()

    library, report = Library.open(config, HashEncoder())
    assert report is not None and (report.changed, report.encoded) == (1, 1)  # only the file left behind
    assert "HỎNG" in library.search("máy mã hoá hỏng", 1).results[0].text
    assert sorted(a.title for a in library.articles()) == titles
    library.close()


def test_a_full_temporary_disk_serves_the_collection_as_it_was_and_says_so(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replica whose own disk is full still starts: the database holds the collection."""
    data = copy_writable(SEED_DATA, tmp_path / "data")
    config = LibraryConfig(data, tmp_path / "unused", database_url=pg_url)
    Library.open(config, HashEncoder())[0].close()
    (data / "moi.txt").write_text("Tin mới\n\nCầu Long Biên dài 2.290 mét, bắc qua sông Hồng.\n", "utf-8")

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sync.tempfile, "TemporaryFile", lambda *args, **kwargs: FullDisk())
    library, report = Library.open(config, HashEncoder())
    assert report is None and library.stale == "the disk is full"
    assert library.search("biên giới Việt Nam Lào", 3).results  # still answers, from the collection as it was
    assert "moi.txt" not in {a.document for a in library.articles()}
    monkeypatch.undo()
    assert library.reindex().added == 1 and library.stale is None
    assert "moi.txt" in {a.document for a in library.articles()}
    library.close()


def test_a_database_from_before_sentence_vectors_gets_them_without_re_encoding_passages(
    pg_url: str, tmp_path: Path
) -> None:
    config, answers = _indexed_once(pg_url, tmp_path)
    with psycopg.connect(pg_url, autocommit=True) as db:  # schema version 1: no sentence table
        [(sentences,)] = db.execute("SELECT COUNT(*) FROM idx_sentences").fetchall()
        db.execute("DROP TABLE idx_sentences")
        db.execute("DROP FUNCTION idx_lexical_top")  # schema 3
        db.execute("DROP TABLE idx_removed")  # schema 4
        db.execute("DROP TABLE idx_withdrawn")  # schema 5
        db.execute("ALTER TABLE idx_files DROP COLUMN origin, DROP COLUMN original, DROP COLUMN meta")
        db.execute("ALTER TABLE idx_paragraphs DROP COLUMN heading")  # schema 8
        db.execute("UPDATE idx_schema SET version = 1")
    library, report = Library.open(config, HashEncoder())  # migrates, then the reindex at start
    assert report is not None and report.encoded == 0 and report.passages_added == 0
    with psycopg.connect(pg_url, autocommit=True) as db:
        assert db.execute("SELECT COUNT(*) FROM idx_sentences").fetchall() == [(sentences,)] and sentences > 0
    assert _shown(library) == answers and any(answers)
    library.close()


def test_a_database_with_a_dense_graph_over_full_vectors_walks_a_half_precision_one_after_migrating(
    pg_url: str, tmp_path: Path
) -> None:
    config, answers = _indexed_once(pg_url, tmp_path)
    dim = HashEncoder().dim
    walk = "EXPLAIN " + dense_rows(dim)
    with psycopg.connect(pg_url, autocommit=True) as db:  # schema version 6: the graph over `embedding` itself
        db.execute("DROP INDEX idx_passages_dense")
        db.execute("CREATE INDEX idx_passages_dense ON idx_passages USING hnsw (embedding vector_ip_ops)")
        db.execute("ALTER TABLE idx_paragraphs DROP COLUMN heading")  # schema 8
        db.execute("UPDATE idx_schema SET version = 6")
    library, report = Library.open(config, HashEncoder())
    assert report is not None and report.encoded == 0
    assert _shown(library) == answers and any(answers)
    library.close()
    with psycopg.connect(pg_url, autocommit=True) as db:
        register_vector(db)
        db.execute("SET enable_seqscan = off")  # a table this small is otherwise read whole by choice
        plan = " ".join(row for (row,) in db.execute(walk.encode(), {"vector": np.ones(dim, np.float32), "depth": 50}))
        assert "Index Scan using idx_passages_dense on idx_passages" in plan
        assert db.execute("SELECT COUNT(*) FROM pg_indexes WHERE indexname LIKE 'idx_passages_dense%'"
                          ).fetchall() == [(1,)]


def test_a_removed_article_abstains_as_on_the_local_index_and_answers_again_when_restored(
    pg_library: Library, seed_index: SeedDirs, e5, pg_url: str, tmp_path: Path
) -> None:
    local = open_seed_copy(e5, seed_index, tmp_path / "local")
    questions = [q.question for q in load_questions(SEED_DEV)]
    for library in (pg_library, local):
        (library.config.data_dir / REMOVED).unlink()
        assert library.reindex(prune=True).removed == 1
    with psycopg.connect(pg_url, autocommit=True) as db:
        [(remembered,)] = db.execute("SELECT COUNT(DISTINCT passage_id) FROM idx_removed").fetchall()
    assert remembered == len(local.searcher.store.removed_passages()) > 0  # type: ignore[attr-defined]
    for question in ABOUT_REMOVED:
        assert pg_library.search(question, 3).abstained and local.search(question, 3).abstained, question
    for question in questions:  # every seed question: quoted or not on both, the same quotes
        a, b = local.search(question, 3), pg_library.search(question, 3)
        assert [r.text for r in a.results] == [r.text for r in b.results], question

    (pg_library.config.data_dir / REMOVED).write_bytes((SEED_DATA / REMOVED).read_bytes())
    assert pg_library.reindex().added == 1
    with psycopg.connect(pg_url, autocommit=True) as db:
        assert db.execute("SELECT COUNT(*) FROM idx_removed").fetchall() == [(0,)]
    assert not any(pg_library.search(question, 3).abstained for question in ABOUT_REMOVED)
    local.close()


def _indexed_once(pg_url: str, tmp_path: Path) -> tuple[LibraryConfig, list[list[tuple[str, str, float]]]]:
    """The seed articles indexed into the database, and what the bot shows for the seed questions."""
    config = LibraryConfig(copy_writable(SEED_DATA, tmp_path / "data"), tmp_path / "unused", database_url=pg_url)
    library, _ = Library.open(config, HashEncoder())
    answers = _shown(library)
    library.close()
    return config, answers


def _shown(library: Library) -> list[list[tuple[str, str, float]]]:
    return [[(r.text, r.highlight, r.score) for r in library.search(q.question, 3).results]
            for q in load_questions(SEED_DEV)]


def test_a_database_without_the_vector_extension_says_who_must_create_it(pg_cluster, tmp_path: Path) -> None:
    """Reached, but its user may not create extensions: the one-time superuser step, not "cannot reach"."""
    from retriever.errors import TraCuuError
    from retriever.index.postgres.index import PostgresIndex

    pg_cluster.execute("CREATE ROLE plain LOGIN")
    pg_cluster.execute("CREATE DATABASE noext TEMPLATE template0")  # owned by postgres: plain may not create
    url = pg_cluster.url("noext").replace("postgres@", "plain@")
    with pytest.raises(TraCuuError) as raised:
        PostgresIndex(url, HashEncoder())
    said = str(raised.value)
    assert "cannot reach" not in said and "lacks the `vector` extension" in said
    assert "user plain may not create extensions" in said and "CREATE EXTENSION vector" in said


def test_a_database_a_newer_version_has_migrated_is_refused_by_an_older_replica(pg_url: str, tmp_path: Path) -> None:
    from bot.store.postgres import PostgresStateStore
    from retriever.errors import TraCuuError

    data = copy_writable(SEED_DATA, tmp_path / "data")
    config = LibraryConfig(data, tmp_path / "unused", database_url=pg_url)
    library, _ = Library.open(config, HashEncoder())
    library.close()
    PostgresStateStore(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as db:  # as a newer version's migration leaves them
        db.execute("UPDATE idx_schema SET version = version + 1")
        db.execute("UPDATE bot_schema SET version = version + 1")
    # it used to start, serve and write in the older layout without a word
    with pytest.raises(TraCuuError, match="newer than this Tra Cứu knows"):
        Library.open(config, HashEncoder())
    with pytest.raises(TraCuuError, match="state database's schema .* newer"):
        PostgresStateStore(pg_url)


def test_a_file_that_cannot_be_read_is_not_counted_added_at_every_build(pg_url: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture) -> None:
    from tracuu.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("Nội quy\n\nThư viện mở cửa từ 7 giờ đến 21 giờ các ngày trong tuần.", "utf-8")
    (data / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    monkeypatch.setenv("INDEX_BACKEND", "postgres")
    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.chdir(tmp_path)
    said = []
    for _ in range(2):
        assert main(["index", "--data", str(data)]) == 0
        said.append(next(line for line in capsys.readouterr().err.splitlines() if line.startswith("Indexed")))
    # the local index says the same; this said "2 added", then "1 added" at every build after
    assert "1 added" in said[0] and "0 added" in said[1] and all("1 file skipped" in line for line in said), said
