"""Telegram bot: answers questions by quoting the paragraphs of the collection that answer them."""

from bot.app import build_application, run_bot
from bot.config import BotConfig, validate_token

__all__ = ["BotConfig", "build_application", "run_bot", "validate_token"]
