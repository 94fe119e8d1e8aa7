"""What the bot remembers across restarts and replicas, behind one small interface."""

from bot.store.base import AnswerStats, Feed, Owner, QuestionCount, StateStore, StoreUnavailable
from bot.store.sources import Channel, Follow
from bot.store.sqlite import SQLiteStateStore

__all__ = [
    "AnswerStats", "Channel", "Feed", "Follow", "Owner", "QuestionCount", "SQLiteStateStore", "StateStore",
    "StoreUnavailable",
]
