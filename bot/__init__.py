"""Telegram bot: answers questions by quoting the paragraphs of the collection that answer them.

Grouped by whom it serves: `readers/` (answers, inline mode, articles, feedback, settings), `admins/`
(the collection, feeds, /stats and /reindex, /gaps, the one indexing queue), `delivery/` (the one Sender,
flood limits, batching, per-chat order), `web/` (webhook, health, metrics) and `store/` (what is
remembered across restarts and replicas). `app.py` is the one place where everything is wired."""

from bot.app import build_application, run_bot
from bot.config import BotConfig, validate_token

__all__ = ["BotConfig", "build_application", "run_bot", "validate_token"]
