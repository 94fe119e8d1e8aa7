"""Per-chat settings (results per answer, language, mentions, a group's question limit): stored in the
StateStore as a dict, read by the handlers on every question. The /settings menu is bot/readers/settings_menu.py."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass, replace

from telegram import Bot, Update, User

from bot.context import Context, reply
from bot.state import BotState
from bot.store import StoreUnavailable
from bot.texts import TEXTS, language, text

log = logging.getLogger(__name__)

TOP_K_CHOICES = (1, 2, 3, 4, 5)
GROUP_LIMITS = (0, 5, 10, 20, 30)  # questions per minute for a whole group; 0: no limit


@dataclass(frozen=True)
class ChatSettings:
    top_k: int | None = None  # None: the bot's TOP_K
    lang: str | None = None  # None: each user's Telegram language
    mentions: bool = True  # a mention of the bot in a group asks a question
    group_limit: int = 0  # questions per minute for the whole group; 0: none
    # a private chat's Telegram language, kept only where the bot writes unasked (an admin's, a follower's):
    # a feed's failures and a follow's news have no message of theirs to take it from
    seen_lang: str | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> ChatSettings:
        # stored JSON may come from an older version: keep only what is still valid
        top_k, lang, limit = raw.get("top_k"), raw.get("lang"), raw.get("group_limit")
        return cls(
            top_k=top_k if isinstance(top_k, int) and top_k in TOP_K_CHOICES else None,
            lang=lang if isinstance(lang, str) and lang in TEXTS else None,
            mentions=raw.get("mentions") is not False,
            group_limit=limit if isinstance(limit, int) and limit in GROUP_LIMITS else 0,
            seen_lang=seen if isinstance(seen := raw.get("seen_lang"), str) and seen in TEXTS else None,
        )

    def language(self, user: User | None) -> str:
        return self.lang or language(user)

    @property
    def unasked(self) -> str:
        """The language of what the bot says unasked in this (private) chat."""
        return self.lang or self.seen_lang or "vi"


async def settings_of(state: BotState, chat_id: int) -> ChatSettings:
    return ChatSettings.from_dict(await asyncio.to_thread(state.store.chat_settings, chat_id))


async def chat_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup, under a new chat id: its settings go with it. Telegram tells both chats
    (`migrate_to_chat_id` in the old one, `migrate_from_chat_id` in the new), so either message moves them,
    once: settings the new chat already has are kept."""
    message = update.effective_message
    if message is None:
        return
    old, new = ((message.chat_id, message.migrate_to_chat_id) if message.migrate_to_chat_id
                else (message.migrate_from_chat_id, message.chat_id))
    if not old or not new:
        return
    store = context.bot_data.state.store
    moved = await asyncio.to_thread(store.chat_settings, old)
    if moved and not await asyncio.to_thread(store.chat_settings, new):
        await asyncio.to_thread(store.save_chat_settings, new, moved)
    if moved:
        await asyncio.to_thread(store.delete_chat_settings, old)


async def note_language(state: BotState, chat_id: int, user: User | None) -> None:
    """Keep `user`'s Telegram language for what the bot will say unasked in their private chat `chat_id`; not
    while the state store is out (the next message keeps it)."""
    try:
        settings = await settings_of(state, chat_id)
        if user is not None and settings.seen_lang != (seen := language(user)):
            await asyncio.to_thread(state.store.save_chat_settings, chat_id,
                                    asdict(replace(settings, seen_lang=seen)))
    except StoreUnavailable as error:
        log.warning("the language of chat %s is not kept: %s", chat_id, error)


async def language_of(state: BotState, update: Update) -> str:
    """The language to answer `update` in, as the answers use it: the chat's /settings choice first, then the
    user's Telegram language (an inline query has no chat: only the latter)."""
    chat = update.effective_chat
    if chat is None:
        return language(update.effective_user)
    try:
        return (await settings_of(state, chat.id)).language(update.effective_user)
    except StoreUnavailable as error:
        # the user's own language while the state store is out: an admin's upload, which needs only the
        # language of its replies, went unread with a general apology, and is indexed all the same
        # (`bot.admins.held`). Settings read so are never written back: the chat's own would be lost
        log.warning("chat %s answered in its user's language: %s", chat.id, error)
        return language(update.effective_user)


async def joined(update: Update, context: Context) -> None:
    """The bot added to a group: it says once how to ask there, or members would find out by trying."""
    message = update.effective_message
    created = message is not None and bool(message.group_chat_created or message.supergroup_chat_created)
    if message is None or not (created or any(member.id == context.bot.id for member in message.new_chat_members)):
        return
    lang = await language_of(context.bot_data.state, update)
    settings = await settings_of(context.bot_data.state, message.chat_id)  # kept from before it was removed
    key = "group_welcome" if mentions_reach(context.bot, settings) else "group_welcome_no_mentions"
    await reply(message, context, text(lang, key, mention=f"@{context.bot.username}"))


def mentions_reach(bot: Bot, settings: ChatSettings) -> bool:
    """A mention of the bot is answered in the group: it gets them (BotFather's privacy mode off, as `getMe`
    says) and the group did not switch them off. Else telling members to mention it leads to silence."""
    return settings.mentions and bot.can_read_all_group_messages
