"""Channels followed as sources, and readers' follows: the same SQL for the SQLite and PostgreSQL stores
(each gives `_run`, its placeholder and its table prefix)."""

from __future__ import annotations

from dataclasses import dataclass

FOLLOW_RETENTION = 365 * 24 * 3600.0  # a follow is kept as long as feedback is: a year, then it lapses


@dataclass(frozen=True)
class Channel:
    chat_id: int
    username: str  # without "@"; "" for a channel without a public name
    title: str
    folder: str  # where its posts are stored under channels/
    added_by: int


@dataclass(frozen=True)
class Follow:
    """What a reader asked to be told about: the words as typed, and their query vector for matching."""

    follow_id: int
    chat_id: int  # the reader's private chat (in the store: its pseudonym, bot/store/pseudonyms.py)
    query: str
    created: float
    vector: bytes  # float16, the encoder's query embedding
    deliver_to: int = 0  # in the store: the chat id sealed with the pseudonyms' key; 0: chat_id itself


@dataclass(frozen=True)
class HeldUpload:
    """A file an admin sent, kept as received until it is stored in the collection: a replica killed while
    it waited in the queue lost it, and the admin's status stayed at "⏳" for good."""

    key: str
    record: str  # JSON: where its status message is, its name, caption and the admin's language
    raw: bytes


class SourcesStore:
    _mark = "?"
    _prefix = ""

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        raise NotImplementedError

    def _q(self, sql: str) -> str:
        return sql.replace("?", self._mark).replace("{t}", self._prefix)

    # -- channels --------------------------------------------------------------------------------
    def add_channel(self, channel: Channel) -> bool:
        """False when the channel is already followed."""
        return bool(self._run(self._q(
            "INSERT INTO {t}channels (chat_id, username, title, folder, added_by) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING chat_id"),
            (channel.chat_id, channel.username, channel.title, channel.folder, channel.added_by)))

    def remove_channel(self, chat_id: int) -> bool:
        return bool(self._run(self._q("DELETE FROM {t}channels WHERE chat_id = ? RETURNING chat_id"), (chat_id,)))

    def channels(self) -> list[Channel]:
        rows = self._run(self._q("SELECT chat_id, username, title, folder, added_by FROM {t}channels "
                                 "ORDER BY lower(username), chat_id"))
        return [Channel(*row) for row in rows]

    def rename_channel(self, chat_id: int, title: str) -> None:
        self._run(self._q("UPDATE {t}channels SET title = ? WHERE chat_id = ?"), (title, chat_id))

    # -- follows ---------------------------------------------------------------------------------
    def add_follow(self, chat_id: int, query: str, vector: bytes, now: float, deliver_to: int = 0) -> int:
        """The new follow's id (the same one when this chat already follows these exact words)."""
        found = self._run(self._q("SELECT follow_id FROM {t}follows WHERE chat_id = ? AND query = ?"),
                          (chat_id, query))
        if found:
            return int(found[0][0])
        row = self._run(self._q("INSERT INTO {t}follows (chat_id, query, created, vector, deliver_to) "
                                "VALUES (?, ?, ?, ?, ?) RETURNING follow_id"),
                        (chat_id, query, now, vector, deliver_to))
        return int(row[0][0])

    def remove_follow(self, chat_id: int, follow_id: int) -> bool:
        removed = bool(self._run(self._q("DELETE FROM {t}follows WHERE chat_id = ? AND follow_id = ? "
                                         "RETURNING follow_id"), (chat_id, follow_id)))
        if removed:
            self._forget_told([follow_id])
        return removed

    def _forget_told(self, follow_ids: list[int]) -> None:
        """What a follow was told (`told:<follow>:<document>`, bot/readers/follows.py) goes with it: kept, it
        outlived the follow for good."""
        for follow_id in follow_ids:
            self._run(self._q("DELETE FROM {t}feed_items WHERE key LIKE ?"), (f"told:{follow_id}:%",))

    def follows_of(self, chat_id: int) -> list[Follow]:
        rows = self._run(self._q("SELECT follow_id, chat_id, query, created, vector, deliver_to FROM {t}follows "
                                 "WHERE chat_id = ? ORDER BY follow_id"), (chat_id,))
        return [Follow(row[0], row[1], row[2], row[3], bytes(row[4]), row[5]) for row in rows]

    def all_follows(self, after: int = 0) -> list[Follow]:
        """Every follow with an id above `after`, in id order (the matcher keeps what it loaded)."""
        rows = self._run(self._q("SELECT follow_id, chat_id, query, created, vector, deliver_to FROM {t}follows "
                                 "WHERE follow_id > ? ORDER BY follow_id"), (after,))
        return [Follow(row[0], row[1], row[2], row[3], bytes(row[4]), row[5]) for row in rows]

    def follow_ids(self) -> set[int]:
        return {row[0] for row in self._run(self._q("SELECT follow_id FROM {t}follows"))}

    def prune_follows(self, now: float) -> None:
        lapsed = self._run(self._q("DELETE FROM {t}follows WHERE created < ? RETURNING follow_id"),
                           (now - FOLLOW_RETENTION,))
        self._forget_told([int(row[0]) for row in lapsed])


    # -- uploads received, not yet stored ---------------------------------------------------------
    def hold_upload(self, key: str, record: str, raw: bytes, now: float) -> None:
        self._run(self._q("INSERT INTO {t}held_uploads (key, record, raw, claimed) VALUES (?, ?, ?, ?)"),
                  (key, record, raw, now))

    def renew_held(self, keys: list[str], now: float) -> None:
        """The replica holding these is alive: nobody else takes them over."""
        for key in keys:
            self._run(self._q("UPDATE {t}held_uploads SET claimed = ? WHERE key = ?"), (now, key))

    def release_upload(self, key: str) -> None:
        self._run(self._q("DELETE FROM {t}held_uploads WHERE key = ?"), (key,))

    def take_held(self, now: float, lease: float) -> list[HeldUpload]:
        """The uploads whose replica has not renewed them for `lease` seconds (it died, or this is its
        restart), claimed by the caller: each is taken by one replica."""
        rows = self._run(self._q("UPDATE {t}held_uploads SET claimed = ? WHERE claimed < ? RETURNING key, record, raw"),
                         (now, now - lease))
        return [HeldUpload(key, record, bytes(raw)) for key, record, raw in rows]


SQLITE_SCHEMA = """
    CREATE TABLE channels (chat_id INTEGER PRIMARY KEY, username TEXT NOT NULL, title TEXT NOT NULL,
                           folder TEXT NOT NULL, added_by INTEGER NOT NULL);
    CREATE TABLE follows (follow_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL,
                          query TEXT NOT NULL, created REAL NOT NULL, vector BLOB NOT NULL,
                          deliver_to INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX follows_chat ON follows (chat_id);
    """
POSTGRES_SCHEMA = """
    CREATE TABLE bot_channels (chat_id BIGINT PRIMARY KEY, username TEXT NOT NULL, title TEXT NOT NULL,
                               folder TEXT NOT NULL, added_by BIGINT NOT NULL);
    CREATE TABLE bot_follows (follow_id BIGSERIAL PRIMARY KEY, chat_id BIGINT NOT NULL, query TEXT NOT NULL,
                              created DOUBLE PRECISION NOT NULL, vector BYTEA NOT NULL,
                              deliver_to BIGINT NOT NULL DEFAULT 0);
    CREATE INDEX bot_follows_chat ON bot_follows (chat_id);
    """
HELD_SQLITE = ("CREATE TABLE held_uploads (key TEXT PRIMARY KEY, record TEXT NOT NULL, raw BLOB NOT NULL, "
               "claimed REAL NOT NULL);")
HELD_POSTGRES = ("CREATE TABLE bot_held_uploads (key TEXT PRIMARY KEY, record TEXT NOT NULL, raw BYTEA NOT NULL, "
                 "claimed DOUBLE PRECISION NOT NULL);")
