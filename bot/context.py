"""The callback context the handlers get: `context.bot_data` is a typed BotData, not a dict."""

from __future__ import annotations

from typing import TypeAlias

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.state import BotData

Context: TypeAlias = CallbackContext[ExtBot[None], dict, dict, BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
