"""With INDEX_BACKEND=postgres the database is the collection: replicas with different data folders (or none)
share every upload; a start-up never removes; `tracuu index` removes only its own folder's vanished files;
what an admin removed stays removed; the database alone rebuilds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from retriever.collection import remove_file, store_page, store_upload
from retriever.ingest.web import Fetched
from retriever.library import Library, LibraryConfig
from tests.collection_fixtures import news_page
from tests.conftest import SEED_DATA, copy_writable
from tests.fakes import HashEncoder

UPLOAD = "Cầu Nhật Tân\n\nCầu Nhật Tân dài 3.900 mét, có năm nhịp dây văng bắc qua sông Hồng.\n".encode()
QUESTION = "Cầu Nhật Tân dài bao nhiêu mét?"


@pytest.fixture
def replicas(pg_url: str, tmp_path: Path) -> Iterator[tuple[Library, LibraryConfig]]:
    """Replica A with the seed folder, open; replica B's config: its own, empty data folder."""
    a = LibraryConfig(copy_writable(SEED_DATA, tmp_path / "a"), tmp_path / "a-index", database_url=pg_url)
    (tmp_path / "b").mkdir()
    b = LibraryConfig(tmp_path / "b", tmp_path / "b-index", database_url=pg_url)
    library, _ = Library.open(a, HashEncoder())
    yield library, b
    library.close()


def _top(library: Library, question: str = QUESTION) -> str:
    results = library.search(question, 1).results
    return results[0].document if results else ""


def test_an_upload_on_one_replica_survives_another_starting_with_an_empty_folder(replicas, pg_url: str) -> None:
    a, b_config = replicas
    seeded = a.info().documents
    added, _ = store_upload(a.originals, "nhat-tan.txt", UPLOAD)
    assert not (a.config.data_dir / "uploads").exists()  # kept in the database, not in A's folder
    a.reindex()
    b, report = Library.open(b_config, HashEncoder())  # a start-up: imports an empty folder
    assert report is not None and report.removed == 0
    assert b.info().documents == seeded + 1 and _top(b) == added[0].relative
    [doc] = [info for info in b.articles() if info.document == added[0].relative]
    article = b.article(doc.doc_id)
    assert article is not None and "3.900 mét" in " ".join(article.paragraphs)  # the full article, from PG
    # `tracuu index` on B's empty folder removes nothing of A's folder, nor the upload
    assert b.reindex(prune=True).removed == 0 and b.counts()[0] == seeded + 1
    # a rebuild needs no folder: every original is in the database
    rebuilt = b.reindex(rebuild=True)
    assert rebuilt.documents == seeded + 1 and rebuilt.skipped == () and _top(b) == added[0].relative
    b.close()
    with psycopg.connect(pg_url) as db:
        origins = dict(db.execute("SELECT origin, COUNT(*) FROM idx_files GROUP BY 1").fetchall())
        assert db.execute("SELECT COUNT(*) FROM idx_files WHERE original IS NULL").fetchall() == [(0,)]
    assert origins == {"upload": 1, f"folder:{a.config.data_dir.resolve()}": seeded}


def test_only_tracuu_index_removes_and_only_its_own_folders_files(replicas) -> None:
    a, _ = replicas
    store_upload(a.originals, "nhat-tan.txt", UPLOAD)
    a.reindex()
    victim = sorted(a.config.data_dir.glob("*.txt"))[0]
    victim.unlink()
    before = a.info().documents
    assert a.reindex().removed == 0 and a.info().documents == before  # a start-up or /reindex: nothing goes
    report = a.reindex(prune=True)
    assert report.removed == 1 and a.info().documents == before - 1
    assert _top(a).startswith("uploads/")


def test_what_an_admin_removed_stays_removed_though_a_folder_still_holds_it(replicas) -> None:
    a, _ = replicas
    [doc] = [info for info in a.articles() if info.document == sorted(p.name for p in SEED_DATA.glob("*.txt"))[0]]
    remove_file(a.originals, doc.document)
    assert a.reindex().removed == 1
    assert (a.config.data_dir / doc.document).is_file()  # the folder is the operator's: never touched
    again, _ = Library.open(a.config, HashEncoder())  # the replica restarts with that file in its folder
    assert doc.document not in {info.document for info in again.articles()}
    # a changed file is new content: imported again
    path = a.config.data_dir / doc.document
    path.write_text(path.read_text("utf-8") + "\n\nMột đoạn mới được thêm vào bài.\n", "utf-8")
    assert again.reindex().added == 1
    again.close()


def test_a_second_upload_of_another_file_with_the_same_name_is_kept_apart(replicas) -> None:
    a, _ = replicas
    first, _ = store_upload(a.originals, "bai.txt", UPLOAD)
    a.reindex()
    same, _ = store_upload(a.originals, "bai.txt", UPLOAD)
    other, _ = store_upload(a.originals, "bai.txt", UPLOAD + "Thêm một câu nữa về cầu.\n".encode())
    assert same[0].duplicate and same[0].relative == first[0].relative
    assert other[0].relative == "uploads/bai-2.txt"


def test_a_pg_dump_restored_on_a_new_host_answers_the_same_without_any_folder(replicas, pg_cluster, tmp_path) -> None:
    """Backups and moves: `pg_dump -Fc` and `pg_restore` carry the whole collection, uploads included."""
    import subprocess

    a, _ = replicas
    store_upload(a.originals, "nhat-tan.txt", UPLOAD)
    a.reindex()
    dump = tmp_path / "tracuu.dump"
    subprocess.run([str(pg_cluster.bin_dir / "pg_dump"), "-Fc", "-f", str(dump), a.config.database_url], check=True)
    pg_cluster.execute("CREATE DATABASE moved TEMPLATE template0")
    subprocess.run([str(pg_cluster.bin_dir / "pg_restore"), "--no-owner", "-d", pg_cluster.url("moved"), str(dump)],
                   check=True)
    (tmp_path / "new-host").mkdir()
    moved, report = Library.open(LibraryConfig(tmp_path / "new-host", tmp_path / "nh-index",
                                               database_url=pg_cluster.url("moved")), HashEncoder())
    assert report is not None and report.removed == 0 and report.encoded == 0
    questions = [QUESTION, "Đường biên giới Việt Nam - Lào dài bao nhiêu km?", "Ai là chủ tịch nước?"]
    for question in questions:
        assert [r.text for r in moved.search(question, 3).results] == [r.text for r in a.search(question, 3).results]
    assert moved.reindex(rebuild=True).documents == a.info().documents  # the originals came along
    moved.close()


def test_a_deployment_from_before_originals_migrates_by_importing_its_folder_once(pg_url: str, tmp_path) -> None:
    """The old layout: uploads in the data folder, the database without originals. A replica with an empty
    folder removes nothing; one `tracuu index` of the old folder stores every original."""
    old = copy_writable(SEED_DATA, tmp_path / "old")
    store_upload(old, "nhat-tan.txt", UPLOAD)  # where the bot used to keep uploads
    library, _ = Library.open(LibraryConfig(old, tmp_path / "i", database_url=pg_url), HashEncoder())
    library.close()
    with psycopg.connect(pg_url, autocommit=True) as db:  # back to schema 4, as a database of that time
        db.execute("DROP TABLE idx_withdrawn")
        db.execute("ALTER TABLE idx_files DROP COLUMN origin, DROP COLUMN original, DROP COLUMN meta")
        db.execute("ALTER TABLE idx_paragraphs DROP COLUMN heading")  # schema 8
        db.execute("UPDATE idx_schema SET version = 4")
    (tmp_path / "empty").mkdir()
    fresh, report = Library.open(LibraryConfig(tmp_path / "empty", tmp_path / "j", database_url=pg_url), HashEncoder())
    assert report is not None and report.removed == 0 and _top(fresh) == "uploads/nhat-tan.txt"
    fresh.close()
    imported, report = Library.open(LibraryConfig(old, tmp_path / "k", database_url=pg_url), HashEncoder(),
                                    prune=True)
    assert report is not None and report.removed == 0 and report.encoded == 0  # vectors kept
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT COUNT(*) FROM idx_files WHERE original IS NULL").fetchall() == [(0,)]
        origin = db.execute("SELECT origin FROM idx_files WHERE path = 'uploads/nhat-tan.txt'").fetchall()
    assert origin == [("upload",)]
    assert _top(imported) == "uploads/nhat-tan.txt"
    imported.close()


def test_the_very_same_file_sent_under_another_name_is_kept_once(replicas) -> None:
    a, _ = replicas
    first, _ = store_upload(a.originals, "bai.txt", UPLOAD)
    pending, _ = store_upload(a.originals, "bai (1).txt", UPLOAD)  # before the reindex wrote the first
    a.reindex()
    again, _ = store_upload(a.originals, "bai (2).txt", UPLOAD)
    for copy, name in ((pending[0], "bai (1).txt"), (again[0], "bai (2).txt")):
        assert copy.duplicate and copy.relative == first[0].relative and copy.sent_as == name


def test_a_link_sent_again_in_another_form_is_the_page_the_database_holds(replicas) -> None:
    a, _ = replicas
    page = news_page("Cầu Nhật Tân", "Cầu Nhật Tân dài 3.900 mét, có năm nhịp dây văng bắc qua sông Hồng.").encode()
    first = store_page(a.originals, Fetched("https://example.vn/cau-nhat-tan", "text/html", page))
    # before the reindex wrote the first (it waits in this process), then after: the same page both times
    pending = store_page(a.originals, Fetched("https://example.vn/cau-nhat-tan/#anh", "text/html", page))
    a.reindex()
    again = store_page(a.originals, Fetched("http://WWW.example.vn/cau-nhat-tan?utm_source=zalo", "text/html", page))
    for copy in (pending, again):
        assert copy.duplicate and copy.relative == first.relative and copy.same_page == "https://example.vn/cau-nhat-tan"
    other = store_page(a.originals, Fetched("https://example.vn/cau-nhat-tan?id=2", "text/html", page))
    assert other.relative != first.relative and not other.same_page
    a.reindex()
    # two copies of the article in the database, quoted twice
    assert sorted(i.document for i in a.articles() if i.document.startswith("links/")) == sorted(
        [first.relative, other.relative])
    assert a.originals.meta(first.relative).url == "https://example.vn/cau-nhat-tan"  # the address first sent


def test_an_upload_outlives_the_replica_that_took_it_before_any_reindex(replicas) -> None:
    a, _ = replicas
    added, _ = store_upload(a.originals, "nhat-tan.txt", UPLOAD)
    gone = [info.document for info in a.articles()][0]
    remove_file(a.originals, gone)
    a.close()  # the replica dies before its reindex (killed, out of memory): its memory goes with it
    again, report = Library.open(a.config, HashEncoder())  # any replica's next start writes what waited
    assert report is not None and report.added == 1 and report.removed == 1
    assert _top(again) == added[0].relative and gone not in {info.document for info in again.articles()}
    assert again.reindex().unchanged  # written once: nothing waits any more
    again.close()


class _Status:
    """The admin's status message: what it was edited to."""

    def __init__(self) -> None:
        self.said: list[str] = []

    async def edit_text(self, html: str, reply_markup: object = None) -> None:
        self.said.append(html)


@pytest.mark.asyncio
async def test_an_upload_while_another_replica_reindexes_waits_for_it_and_is_written(replicas, pg_url: str) -> None:
    import asyncio

    from bot.admins.jobs import IndexingJob
    from retriever.index.postgres.sync import REINDEX_LOCK

    a, _ = replicas
    status = _Status()
    job = IndexingJob(a, status, "vi", 0.05, prepare=lambda _: store_upload(a.originals, "nhat-tan.txt", UPLOAD),
                      summarize=lambda added, _: f"✅ {added[0][0].relative}", refused=lambda why: f"❌ {why}")
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (REINDEX_LOCK,))  # another replica's reindex under way
        running = asyncio.create_task(job())
        waiting = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        for _ in range(600):  # until this replica's build waits for the lock (the database's state, no event)
            if other.execute(waiting).fetchone() == (1,):
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the upload's build never waited for the other replica's reindex")
        other.execute("SELECT pg_advisory_unlock(%s)", (REINDEX_LOCK,))
    await asyncio.wait_for(running, 60)
    # it waited and was written: it used to be told "a reindex is already running", and wait unindexed
    assert not any("already running" in said for said in status.said)
    assert status.said[-1] == "✅ uploads/nhat-tan.txt" and _top(a) == "uploads/nhat-tan.txt"


def test_a_channels_posts_are_counted_and_removed_on_every_replica(replicas) -> None:
    from retriever.channels import Post, posts_of, remove_channel_files, store_post

    a, b_config = replicas
    b, _ = Library.open(b_config, HashEncoder())
    post = "Phà Cát Lái tạm dừng hoạt động từ 22 giờ do gió lớn, người dân đi cầu Phú Mỹ."
    for replica, message_id in ((a, 1), (b, 2)):  # each post reached another replica
        store_post(replica.originals, Post("tintuc", message_id, post, "2026-12-01", "Tin Tức", f"https://t.me/tintuc/{message_id}"))
        replica.reindex()
    assert posts_of(a.originals, "tintuc") == posts_of(b.originals, "tintuc") == 2
    # "_" in a channel's name is itself, not LIKE's any character: @vn_news's posts are not @vnxnews's
    store_post(a.originals, Post("vn_news", 1, post, "2026-12-01", "VN News", "https://t.me/vn_news/1"))
    store_post(a.originals, Post("vnxnews", 1, post, "2026-12-01", "VNX News", "https://t.me/vnxnews/1"))
    a.reindex()
    assert posts_of(b.originals, "vn_news") == posts_of(b.originals, "vnxnews") == 1
    assert _top(a, "Phà Cát Lái có hoạt động không?").startswith("channels/tintuc/")
    assert remove_channel_files(a.originals, "tintuc") == 2
    a.reindex()
    assert posts_of(b.originals, "tintuc") == 0
    assert not _top(b, "Phà Cát Lái có hoạt động không?").startswith("channels/")
    b.close()


def test_a_restore_without_the_search_function_answers_after_a_start(replicas, caplog) -> None:
    """pg_restore run by the database's owner (not a superuser) cannot create the function that sets
    `hnsw.ef_search`; the next start makes it again instead of every search failing."""
    a, b_config = replicas
    with psycopg.connect(a.config.database_url, autocommit=True) as db:
        db.execute("DROP FUNCTION idx_lexical_top(sparsevec, integer)")
    b, _ = Library.open(b_config, HashEncoder())
    assert "Việt Nam" in b.search("Đường biên giới Việt Nam - Lào dài bao nhiêu km?", 1).results[0].text
    assert "search function was missing" in caplog.text
    b.close()
