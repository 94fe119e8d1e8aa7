"""Explicit bot configuration: the caller builds it from Settings, the bot never reads the environment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.delivery.sender import DeliveryPolicy
from retriever.collection import ZipLimits
from retriever.ingest.web import FetchLimits

_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")


# questions the bundled news answers: what /start, /help and the inline hint show until a deployment names
# questions its own collection answers (EXAMPLE_QUESTIONS)
DEFAULT_EXAMPLES = (
    "Đường biên giới Việt Nam - Lào dài bao nhiêu km?",
    "Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?",
    "Tham khảo chính trị Việt Nam - Lào lần thứ hai diễn ra ở đâu?",
)


@dataclass(frozen=True)
class BotConfig:
    token: str
    admin_ids: frozenset[int]
    top_k: int = 3
    api_base_url: str = ""
    rate_limit_per_minute: int = 20
    # one search fetches this many pages so "more results" needs no second search
    pages: int = 3
    max_question_chars: int = 1000
    examples: tuple[str, ...] = DEFAULT_EXAMPLES  # the first two in /start, three in /help, one elsewhere
    # Telegram tolerates about one edit a second per chat; two keeps the status message calm
    progress_interval: float = 2.0
    # how long an answer's buttons keep working (the searches live in the StateStore, across restarts)
    search_ttl: float = 48 * 3600.0
    # retries, timeouts and the outage deadline of every call to Telegram (bot/delivery/sender.py)
    delivery: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    # answer buttons one user may press per minute ("more", "full article"), beside the questions
    buttons_per_minute: int = 30
    # a longer article arrives as one .txt file instead of a flood of messages
    article_max_messages: int = 3
    # bot-wide cap on messages sent: Telegram's documented ~30/s for messages to many chats; 0 = none
    # (per-group limits and RetryAfter still apply)
    messages_per_second: float = 30.0
    # collection management: links and feeds are fetched by the server, uploads unpacked by it
    fetch: FetchLimits = FetchLimits()
    zip_limits: ZipLimits = ZipLimits()
    feed_interval_minutes: float = 30.0
    # a feed is reported to the admins after this many failed polls in a row (once per run of failures)
    feed_failures_reported: int = 3
    sources_per_page: int = 20
    removed_keep_seconds: float = 24 * 3600.0  # a removed file is set aside this long for "↩ Undo"; 0: none
    # inline mode: a query is searched only after the user paused typing this long (newer ones win)
    inline_pause: float = 0.4
    # how long Telegram (and the bot) may reuse the results for the same query text
    inline_cache_time: int = 300
    inline_page: int = 5  # results per inline page ("more" loads the next through next_offset)
    inline_results: int = 20  # results one inline search fetches, over all pages
    # feedback: keep the asker's Telegram id with unanswered questions and votes (off: text, chat type, time)
    store_user_ids: bool = False
    # the key of the user-id pseudonyms ("": derived from the token); never stored with the state
    user_id_secret: str = field(default="", repr=False)
    # follows: news messages one reader gets a day at most, follows one reader may keep, and their length
    follow_daily_limit: int = 5
    follows_per_reader: int = 20
    follow_min_chars: int = 3
    follow_max_chars: int = 300

    def __repr__(self) -> str:
        # the token must never reach logs or tracebacks
        return (
            f"BotConfig(token='***', admin_ids={sorted(self.admin_ids)}, top_k={self.top_k}, "
            f"api_base_url={self.api_base_url!r}, rate_limit_per_minute={self.rate_limit_per_minute})"
        )


def validate_token(token: str) -> None:
    """Raise ValueError with a one-line message when the token is missing or malformed."""
    if not token or not token.strip():
        raise ValueError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env"
        )
    if not _TOKEN_RE.match(token.strip()):
        raise ValueError(
            "TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<secret of 30 or more letters, digits, - or _>', "
            "copied whole from @BotFather"
        )
