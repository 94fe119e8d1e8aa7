"""StateStore in PostgreSQL: what several bot replicas share (a button pressed on replica B for an answer
replica A sent works), and what survives a restart of any of them. Same semantics as the SQLite store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

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
from bot.store.sources import HELD_POSTGRES, POSTGRES_SCHEMA, SourcesStore
from retriever.errors import newer_schema
from retriever.index.postgres.conninfo import location, passing, reason
from retriever.models import SearchResponse

# Each entry migrates the schema from version i to i + 1; never edit a shipped one.
MIGRATIONS = (
    """
    CREATE TABLE bot_searches (key TEXT PRIMARY KEY, chat_id BIGINT NOT NULL, user_id BIGINT,
                               created DOUBLE PRECISION NOT NULL, response TEXT NOT NULL);
    CREATE INDEX bot_searches_created ON bot_searches (created);
    CREATE TABLE bot_events (bucket TEXT NOT NULL, at DOUBLE PRECISION NOT NULL);
    CREATE INDEX bot_events_bucket ON bot_events (bucket, at);
    CREATE TABLE bot_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
    CREATE TABLE bot_latencies (id BIGSERIAL PRIMARY KEY, seconds DOUBLE PRECISION NOT NULL);
    CREATE TABLE bot_feeds (url TEXT PRIMARY KEY, added_by BIGINT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
                            reported BOOLEAN NOT NULL DEFAULT FALSE);
    CREATE TABLE bot_feed_items (key TEXT PRIMARY KEY);
    CREATE TABLE bot_chat_settings (chat_id BIGINT PRIMARY KEY, settings TEXT NOT NULL);
    CREATE TABLE bot_updates (update_id BIGINT PRIMARY KEY, claimed DOUBLE PRECISION NOT NULL,
                              done BOOLEAN NOT NULL DEFAULT FALSE);
    CREATE INDEX bot_updates_claimed ON bot_updates (claimed);
    CREATE TABLE bot_unanswered (id BIGSERIAL PRIMARY KEY, question TEXT NOT NULL, chat_type TEXT NOT NULL,
                                 at DOUBLE PRECISION NOT NULL, user_id BIGINT);
    CREATE INDEX bot_unanswered_at ON bot_unanswered (at);
    CREATE TABLE bot_votes (key TEXT NOT NULL, voter TEXT NOT NULL, up BOOLEAN NOT NULL, question TEXT NOT NULL,
                            chat_type TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, user_id BIGINT,
                            PRIMARY KEY (key, voter));
    CREATE INDEX bot_votes_at ON bot_votes (at);
    """,
    # 2: kept answers hold passage ids (they held texts and Telegram ids); rate windows and owners are keyed
    # by a keyed hash; old votes' pseudonyms (keyed with their own answer's key) are replaced by random ones
    """
    DELETE FROM bot_searches;
    DELETE FROM bot_events;
    UPDATE bot_votes SET voter = substr(md5(random()::text || key), 1, 24);
    """,
    # 3: Telegram channels followed as sources, and readers' follows (kept like feedback: text and time)
    POSTGRES_SCHEMA,
    # 4: files admins sent, kept as received until they are stored in the collection
    HELD_POSTGRES,
)
# every replica runs the migrations at start; this lock lets exactly one of them do it
MIGRATION_LOCK = 7_116_001
SCHEMA_TABLE = "CREATE TABLE IF NOT EXISTS bot_schema (version INTEGER NOT NULL)"


class PostgresStateStore(SourcesStore):
    _mark = "%s"
    _prefix = "bot_"

    def __init__(self, url: str, *, max_connections: int = 4, timeout: float = 5.0) -> None:
        try:  # one plain connection first: its error says why (refused, bad password, no such database)
            psycopg.connect(url, connect_timeout=int(timeout)).close()
        except psycopg.Error as error:
            # reached and refused (no such database or user, a wrong password) is a setting to fix, not an outage
            said = "cannot reach the database" if passing(error) else "the database refused the connection"
            raise StoreUnavailable(f"{said} at DATABASE_URL ({location(url)}): {reason(error)}",
                                   transient=passing(error)) from error
        # check_connection: after the database restarts, stale pooled connections are replaced, not handed out;
        # a short reconnect_timeout caps the pool's reconnection backoff, so it recovers seconds after the database
        self._pool = ConnectionPool(url, min_size=1, max_size=max_connections, timeout=timeout, open=True,
                                    reconnect_timeout=timeout, check=ConnectionPool.check_connection,
                                    kwargs={"autocommit": True})
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            db.execute(SCHEMA_TABLE)
            row = db.execute("SELECT version FROM bot_schema").fetchone()
            version = row[0] if row else 0
            if row is None:
                db.execute("INSERT INTO bot_schema VALUES (0)")
            newer_schema(version, len(MIGRATIONS), "state")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                db.execute(script.encode())
                db.execute("UPDATE bot_schema SET version = %s", (number,))

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        try:
            with self._pool.connection() as connection, connection.transaction():
                yield connection
        except (psycopg.OperationalError, PoolTimeout) as error:
            raise StoreUnavailable(f"the database is unreachable: {error}") from error

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._transaction() as db:
            cursor = db.execute(sql.encode(), params)
            return cursor.fetchall() if cursor.description else []

    # -- answers' buttons ------------------------------------------------------------------------
    def save_search(self, response: SearchResponse, owner: Owner, now: float, theirs: bool = False) -> str:
        key = new_key()
        row = (key, owner.chat_id, owner.user_id, now, dump_response(response, theirs))
        self._run("INSERT INTO bot_searches VALUES (%s, %s, %s, %s, %s)", row)
        return key

    def load_search(self, key: str, chat_id: int, user_id: int | None, now: float, ttl: float) -> SavedSearch | None:
        found = self._run("SELECT chat_id, user_id, created, response FROM bot_searches WHERE key = %s", (key,))
        if not found:
            return None
        owner_chat, owner_user, created, payload = found[0]
        if now - created > ttl or not Owner(owner_chat, owner_user).allows(chat_id, user_id):
            return None
        return load_response(payload)

    # -- limits and counters ---------------------------------------------------------------------
    def take(self, bucket: str, limit: int, window: float, now: float) -> float:
        with self._transaction() as db:
            # replicas count the same user's questions: one of them at a time per bucket
            db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (bucket,))
            db.execute("DELETE FROM bot_events WHERE bucket = %s AND at <= %s", (bucket, now - window))
            count, oldest = db.execute("SELECT COUNT(*), MIN(at) FROM bot_events WHERE bucket = %s",
                                       (bucket,)).fetchone() or (0, None)
            if count >= limit:
                return max(0.001, oldest + window - now)
            db.execute("INSERT INTO bot_events VALUES (%s, %s)", (bucket, now))
            return 0.0

    def give_back(self, bucket: str, now: float) -> None:
        self._run("DELETE FROM bot_events WHERE ctid IN (SELECT ctid FROM bot_events WHERE bucket = %s AND at = %s "
                  "LIMIT 1)", (bucket, now))

    def record_answer(self, seconds: float, abstained: bool) -> None:
        with self._transaction() as db:
            for name in ("answered", "abstained") if abstained else ("answered",):
                db.execute("INSERT INTO bot_counters VALUES (%s, 1) "
                           "ON CONFLICT (name) DO UPDATE SET value = bot_counters.value + 1", (name,))
            row = db.execute("INSERT INTO bot_latencies (seconds) VALUES (%s) RETURNING id", (seconds,)).fetchone()
            if row:
                db.execute("DELETE FROM bot_latencies WHERE id <= %s", (row[0] - LATENCY_WINDOW,))

    def answer_stats(self) -> AnswerStats:
        counters = dict(self._run("SELECT name, value FROM bot_counters"))
        return answer_stats(counters, (seconds for (seconds,) in self._run("SELECT seconds FROM bot_latencies")))

    # -- updates ---------------------------------------------------------------------------------
    def claim_update(self, update_id: int, now: float, lease: float) -> Claim:
        won = self._run(
            "INSERT INTO bot_updates (update_id, claimed) VALUES (%s, %s) ON CONFLICT (update_id) DO UPDATE "
            "SET claimed = excluded.claimed "
            "WHERE bot_updates.done = FALSE AND bot_updates.claimed < excluded.claimed - %s RETURNING update_id",
            (update_id, now, lease),
        )
        if won:
            return "process"
        done = self._run("SELECT done FROM bot_updates WHERE update_id = %s", (update_id,))
        return "done" if done and done[0][0] else "busy"

    def renew_update(self, update_id: int, now: float) -> None:
        self._run("UPDATE bot_updates SET claimed = %s WHERE update_id = %s AND done = FALSE", (now, update_id))

    def finish_update(self, update_id: int) -> None:
        self._run("UPDATE bot_updates SET done = TRUE WHERE update_id = %s", (update_id,))

    # -- what the collection lacks ---------------------------------------------------------------
    def record_unanswered(self, question: str, chat_type: str, now: float, user_id: int | None = None) -> None:
        self._run("INSERT INTO bot_unanswered (question, chat_type, at, user_id) VALUES (%s, %s, %s, %s)",
                  (question, chat_type, now, user_id))

    def record_vote(
        self, key: str, voter: str, up: bool, question: str, chat_type: str, now: float, user_id: int | None = None
    ) -> bool | None:
        with self._transaction() as db:
            found = db.execute("SELECT up FROM bot_votes WHERE key = %s AND voter = %s FOR UPDATE",
                               (key, voter)).fetchone()
            db.execute("INSERT INTO bot_votes VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (key, voter) DO UPDATE "
                       "SET up = excluded.up, at = excluded.at, user_id = excluded.user_id",
                       (key, voter, up, question, chat_type, now, user_id))
        return None if found is None else bool(found[0])

    def unanswered(self, since: float, limit: int) -> list[QuestionCount]:
        rows = self._run("SELECT question, COUNT(*), MAX(at) FROM bot_unanswered WHERE at >= %s GROUP BY question "
                         "ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT %s", (since, limit))
        return [QuestionCount(*row) for row in rows]

    def downvoted(self, since: float, limit: int) -> list[QuestionCount]:
        # "": a vote on an answer to someone else's message, whose words are not kept
        rows = self._run("SELECT question, COUNT(*), MAX(at) FROM bot_votes WHERE NOT up AND at >= %s "
                         "AND question <> '' GROUP BY question ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT %s",
                         (since, limit))
        return [QuestionCount(*row) for row in rows]

    # -- feeds -----------------------------------------------------------------------------------
    def add_feed(self, url: str, added_by: int) -> bool:
        return bool(self._run("INSERT INTO bot_feeds (url, added_by) VALUES (%s, %s) ON CONFLICT DO NOTHING "
                              "RETURNING url", (url, added_by)))

    def remove_feed(self, url: str) -> bool:
        return bool(self._run("DELETE FROM bot_feeds WHERE url = %s RETURNING url", (url,)))

    def feeds(self) -> list[Feed]:
        rows = self._run("SELECT url, added_by, failures, reported FROM bot_feeds ORDER BY url")
        return [Feed(url, added_by, failures, reported) for url, added_by, failures, reported in rows]

    def update_feed(self, url: str, failures: int, reported: bool) -> None:
        self._run("UPDATE bot_feeds SET failures = %s, reported = %s WHERE url = %s", (failures, reported, url))

    def remember_item(self, key: str) -> bool:
        return bool(self._run("INSERT INTO bot_feed_items VALUES (%s) ON CONFLICT DO NOTHING RETURNING key", (key,)))

    def forget_item(self, key: str) -> None:
        self._run("DELETE FROM bot_feed_items WHERE key = %s", (key,))

    # -- per-chat settings -----------------------------------------------------------------------
    def chat_settings(self, chat_id: int) -> dict[str, object]:
        found = self._run("SELECT settings FROM bot_chat_settings WHERE chat_id = %s", (chat_id,))
        return json.loads(found[0][0]) if found else {}

    def save_chat_settings(self, chat_id: int, settings: dict[str, object]) -> None:
        self._run("INSERT INTO bot_chat_settings VALUES (%s, %s) "
                  "ON CONFLICT (chat_id) DO UPDATE SET settings = excluded.settings",
                  (chat_id, json.dumps(settings, ensure_ascii=False)))

    def chats_with_settings(self) -> list[int]:
        return [chat_id for (chat_id,) in self._run("SELECT chat_id FROM bot_chat_settings")]

    def delete_chat_settings(self, chat_id: int) -> None:
        self._run("DELETE FROM bot_chat_settings WHERE chat_id = %s", (chat_id,))

    # -- housekeeping ----------------------------------------------------------------------------
    def prune(self, now: float, search_ttl: float) -> None:
        self._run("DELETE FROM bot_searches WHERE created < %s", (now - search_ttl,))
        self._run("DELETE FROM bot_events WHERE at < %s", (now - LONGEST_WINDOW,))
        self._run("DELETE FROM bot_updates WHERE claimed < %s", (now - UPDATE_MEMORY,))
        self._run("DELETE FROM bot_unanswered WHERE at < %s", (now - FEEDBACK_RETENTION,))
        self._run("DELETE FROM bot_votes WHERE at < %s", (now - FEEDBACK_RETENTION,))
        self.prune_follows(now)

    def ping(self) -> bool:
        try:
            self._run("SELECT 1")
        except StoreUnavailable:
            return False
        return True

    def close(self) -> None:
        self._pool.close()
