"""StateStore in one SQLite file (WAL), by default beside the local index. Safe to share between the
threads of one process and between processes on one machine."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.store.base import (
    FEEDBACK_RETENTION,
    LATENCY_WINDOW,
    LONGEST_WINDOW,
    UPDATE_MEMORY,
    AnswerStats,
    Claim,
    Feed,
    Owner,
    QuestionCount,
    SavedSearch,
    StoreUnavailable,
    answer_stats,
    dump_response,
    load_response,
    new_key,
)
from bot.store.sources import HELD_SQLITE, SQLITE_SCHEMA, SourcesStore
from retriever.errors import newer_schema
from retriever.models import SearchResponse

# Each entry migrates the schema from version i to i + 1 (PRAGMA user_version); never edit a shipped one.
MIGRATIONS = (
    """
    CREATE TABLE searches (key TEXT PRIMARY KEY, chat_id INTEGER NOT NULL, user_id INTEGER,
                           created REAL NOT NULL, response TEXT NOT NULL);
    CREATE INDEX searches_created ON searches (created);
    CREATE TABLE events (bucket TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX events_bucket ON events (bucket, at);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE latencies (id INTEGER PRIMARY KEY AUTOINCREMENT, seconds REAL NOT NULL);
    CREATE TABLE feeds (url TEXT PRIMARY KEY, added_by INTEGER NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
                        reported INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE feed_items (key TEXT PRIMARY KEY);
    CREATE TABLE chat_settings (chat_id INTEGER PRIMARY KEY, settings TEXT NOT NULL);
    """,
    # 2: feedback. Questions are kept as text, chat type and time; user_id stays NULL unless opted in
    """
    CREATE TABLE unanswered (id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL,
                             chat_type TEXT NOT NULL, at REAL NOT NULL, user_id INTEGER);
    CREATE INDEX unanswered_at ON unanswered (at);
    CREATE TABLE votes (key TEXT NOT NULL, voter TEXT NOT NULL, up INTEGER NOT NULL, question TEXT NOT NULL,
                        chat_type TEXT NOT NULL, at REAL NOT NULL, user_id INTEGER, PRIMARY KEY (key, voter));
    CREATE INDEX votes_at ON votes (at);
    """,
    # 3: which Telegram updates were claimed and answered (webhook replicas)
    """
    CREATE TABLE updates (update_id INTEGER PRIMARY KEY, claimed REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX updates_claimed ON updates (claimed);
    """,
    # 4: kept answers hold passage ids (they held texts and Telegram ids); rate windows and owners are keyed
    # by a keyed hash; old votes' pseudonyms (keyed with their own answer's key) are replaced by random ones
    """
    DELETE FROM searches;
    DELETE FROM events;
    UPDATE votes SET voter = lower(hex(randomblob(12)));
    """,
    # 5: Telegram channels followed as sources, and readers' follows (kept like feedback: text and time)
    SQLITE_SCHEMA,
    # 6: files admins sent, kept as received until they are stored in the collection
    HELD_SQLITE,
)


log = logging.getLogger(__name__)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


@contextmanager
def _unavailable() -> Iterator[None]:
    """The state file's failures as the store's (a full disk, a file made read-only, deleted or overwritten):
    the bot answers them as it does a database outage, quietly where an answer is already out, instead of
    an unhandled error's traceback at every update."""
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.DataError):
        raise  # the code's own mistakes, not the file's: they stay errors with their traceback
    except sqlite3.DatabaseError as error:  # OperationalError ("disk is full", "readonly") and "not a database"
        raise StoreUnavailable(f"the bot's state file cannot be used: {error}") from error


class SQLiteStateStore(SourcesStore):
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._path = path
        self._identity = _identity(path)
        self._told = False
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            newer_schema(version, len(MIGRATIONS), "state")  # a rollback would write in the old layout without a word
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self._db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock, _unavailable():
            return self._db.execute(sql, params).fetchall()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Statements written together, or not at all. One that failed (a full disk) would otherwise leave the
        connection inside its transaction: every later write would fail ("cannot start a transaction within a
        transaction") and every question get an apology until the bot was restarted."""
        with self._lock, _unavailable():
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- answers' buttons ------------------------------------------------------------------------
    def save_search(self, response: SearchResponse, owner: Owner, now: float, theirs: bool = False) -> str:
        key = new_key()
        row = (key, owner.chat_id, owner.user_id, now, dump_response(response, theirs))
        self._run("INSERT INTO searches VALUES (?, ?, ?, ?, ?)", row)
        return key

    def load_search(self, key: str, chat_id: int, user_id: int | None, now: float, ttl: float) -> SavedSearch | None:
        found = self._run("SELECT chat_id, user_id, created, response FROM searches WHERE key = ?", (key,))
        if not found:
            return None
        owner_chat, owner_user, created, payload = found[0]
        if now - created > ttl or not Owner(owner_chat, owner_user).allows(chat_id, user_id):
            return None
        return load_response(payload)

    # -- limits and counters ---------------------------------------------------------------------
    def take(self, bucket: str, limit: int, window: float, now: float) -> float:
        with self._transaction() as db:
            db.execute("DELETE FROM events WHERE bucket = ? AND at <= ?", (bucket, now - window))
            found = db.execute("SELECT COUNT(*), MIN(at) FROM events WHERE bucket = ?", (bucket,))
            count, oldest = found.fetchone()
            if count >= limit:
                return max(0.001, oldest + window - now)
            db.execute("INSERT INTO events VALUES (?, ?)", (bucket, now))
            return 0.0

    def give_back(self, bucket: str, now: float) -> None:
        self._run("DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE bucket = ? AND at = ? LIMIT 1)",
                  (bucket, now))

    def record_answer(self, seconds: float, abstained: bool) -> None:
        with self._transaction() as db:
            for name in ("answered", "abstained") if abstained else ("answered",):
                db.execute(
                    "INSERT INTO counters VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1", (name,)
                )
            row = db.execute("INSERT INTO latencies (seconds) VALUES (?) RETURNING id", (seconds,)).fetchone()
            db.execute("DELETE FROM latencies WHERE id <= ?", (row[0] - LATENCY_WINDOW,))

    def answer_stats(self) -> AnswerStats:
        counters = dict(self._run("SELECT name, value FROM counters"))
        return answer_stats(counters, (seconds for (seconds,) in self._run("SELECT seconds FROM latencies")))

    # -- updates ---------------------------------------------------------------------------------
    def claim_update(self, update_id: int, now: float, lease: float) -> Claim:
        won = self._run(
            "INSERT INTO updates (update_id, claimed) VALUES (?, ?) ON CONFLICT (update_id) DO UPDATE "
            "SET claimed = excluded.claimed WHERE updates.done = 0 AND updates.claimed < excluded.claimed - ? "
            "RETURNING update_id",
            (update_id, now, lease),
        )
        if won:
            return "process"
        done = self._run("SELECT done FROM updates WHERE update_id = ?", (update_id,))
        return "done" if done and done[0][0] else "busy"

    def renew_update(self, update_id: int, now: float) -> None:
        self._run("UPDATE updates SET claimed = ? WHERE update_id = ? AND done = 0", (now, update_id))

    def finish_update(self, update_id: int) -> None:
        self._run("UPDATE updates SET done = 1 WHERE update_id = ?", (update_id,))

    # -- feeds -----------------------------------------------------------------------------------
    def add_feed(self, url: str, added_by: int) -> bool:
        return bool(self._run("INSERT INTO feeds (url, added_by) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING url",
                              (url, added_by)))

    def remove_feed(self, url: str) -> bool:
        return bool(self._run("DELETE FROM feeds WHERE url = ? RETURNING url", (url,)))

    def feeds(self) -> list[Feed]:
        rows = self._run("SELECT url, added_by, failures, reported FROM feeds ORDER BY url")
        return [Feed(url, added_by, failures, bool(reported)) for url, added_by, failures, reported in rows]

    def update_feed(self, url: str, failures: int, reported: bool) -> None:
        self._run("UPDATE feeds SET failures = ?, reported = ? WHERE url = ?", (failures, int(reported), url))

    def remember_item(self, key: str) -> bool:
        return bool(self._run("INSERT INTO feed_items VALUES (?) ON CONFLICT DO NOTHING RETURNING key", (key,)))

    def forget_item(self, key: str) -> None:
        self._run("DELETE FROM feed_items WHERE key = ?", (key,))

    # -- what the collection lacks ---------------------------------------------------------------
    def record_unanswered(self, question: str, chat_type: str, now: float, user_id: int | None = None) -> None:
        self._run("INSERT INTO unanswered (question, chat_type, at, user_id) VALUES (?, ?, ?, ?)",
                  (question, chat_type, now, user_id))

    def record_vote(
        self, key: str, voter: str, up: bool, question: str, chat_type: str, now: float, user_id: int | None = None
    ) -> bool | None:
        with self._transaction() as db:
            found = db.execute("SELECT up FROM votes WHERE key = ? AND voter = ?", (key, voter)).fetchone()
            db.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, voter) DO UPDATE SET "
                "up = excluded.up, at = excluded.at, user_id = excluded.user_id",
                (key, voter, int(up), question, chat_type, now, user_id),
            )
        return None if found is None else bool(found[0])

    def unanswered(self, since: float, limit: int) -> list[QuestionCount]:
        rows = self._run(
            "SELECT question, COUNT(*), MAX(at) FROM unanswered WHERE at >= ? GROUP BY question "
            "ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT ?",
            (since, limit),
        )
        return [QuestionCount(*row) for row in rows]

    def downvoted(self, since: float, limit: int) -> list[QuestionCount]:
        rows = self._run(
            # "": a vote on an answer to someone else's message, whose words are not kept
            "SELECT question, COUNT(*), MAX(at) FROM votes WHERE up = 0 AND at >= ? AND question <> '' "
            "GROUP BY question "
            "ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT ?",
            (since, limit),
        )
        return [QuestionCount(*row) for row in rows]

    # -- per-chat settings -----------------------------------------------------------------------
    def chat_settings(self, chat_id: int) -> dict[str, object]:
        found = self._run("SELECT settings FROM chat_settings WHERE chat_id = ?", (chat_id,))
        return json.loads(found[0][0]) if found else {}

    def save_chat_settings(self, chat_id: int, settings: dict[str, object]) -> None:
        self._run(
            "INSERT INTO chat_settings VALUES (?, ?) ON CONFLICT (chat_id) DO UPDATE SET settings = excluded.settings",
            (chat_id, json.dumps(settings, ensure_ascii=False)),
        )

    def chats_with_settings(self) -> list[int]:
        return [chat_id for (chat_id,) in self._run("SELECT chat_id FROM chat_settings")]

    def delete_chat_settings(self, chat_id: int) -> None:
        self._run("DELETE FROM chat_settings WHERE chat_id = ?", (chat_id,))

    # -- housekeeping ----------------------------------------------------------------------------
    def prune(self, now: float, search_ttl: float) -> None:
        self._run("DELETE FROM searches WHERE created < ?", (now - search_ttl,))
        # the longest rate window is a day (a follower's news); older events count for nothing
        self._run("DELETE FROM events WHERE at < ?", (now - LONGEST_WINDOW,))
        self._run("DELETE FROM unanswered WHERE at < ?", (now - FEEDBACK_RETENTION,))
        self._run("DELETE FROM votes WHERE at < ?", (now - FEEDBACK_RETENTION,))
        self._run("DELETE FROM updates WHERE claimed < ?", (now - UPDATE_MEMORY,))
        self.prune_follows(now)
        self.ping()  # hourly, where no /healthz asks: the file deleted under the bot is said

    def ping(self) -> bool:
        """False once the state file was deleted or replaced under the bot: SQLite goes on writing to the
        file it opened, and all of it is gone at the next restart. Said once, as an error to act on."""
        if _identity(self._path) == self._identity:
            return True
        if not self._told:
            self._told = True
            log.error("the bot's state file %s was deleted or replaced while the bot ran: what it keeps now "
                      "(settings, follows, feeds) is lost at the next start; restart the bot now", self._path)
        return False

    def close(self) -> None:
        with self._lock:
            self._db.close()

