"""/settings: the chat's settings shown with buttons; in groups only its administrators (getChatMember) may
change them, in a private chat the user. Changes are saved at once and apply to the next question."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import asdict, replace

from telegram import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError

from bot.chat_settings import GROUP_LIMITS, TOP_K_CHOICES, ChatSettings, settings_of
from bot.context import Context, message_of, reply
from bot.readers.buttons import written_in
from bot.texts import TEXTS, language, text

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}
FROM_TELEGRAM = "tg"  # the language choice that clears the chat's language
ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}


async def _may_change(
    context: Context, chat_id: int, chat_type: str, user: User | None, sender_chat: Chat | None = None
) -> bool:
    if sender_chat is not None:
        # Telegram lets only the group's administrators write as the group (anonymously); a channel or
        # another chat writing there administers nothing
        return sender_chat.id == chat_id
    if user is None:
        return False
    if chat_type == ChatType.PRIVATE:
        return user.id == chat_id
    try:
        member = await context.bot.get_chat_member(chat_id, user.id)
    except TelegramError as error:
        log.warning("could not check whether a member administers chat %s: %s", chat_id, error)
        return False
    return member.status in ADMIN_STATUSES


def _mark(label: str, chosen: bool) -> str:
    return f"• {label} •" if chosen else label


def render(settings: ChatSettings, top_k: int, chat_type: str, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    shown_k = settings.top_k or top_k
    if settings.lang:
        language_name = LANGUAGE_NAMES[settings.lang]
    elif chat_type == ChatType.PRIVATE:  # `lang` is then the user's own Telegram language
        language_name = text(lang, "settings_language_auto", name=LANGUAGE_NAMES[lang])
    else:
        language_name = text(lang, "settings_language_each")
    close = [InlineKeyboardButton(text(lang, "close_button"), callback_data="s:x:0")]
    rows = [
        [InlineKeyboardButton(_mark(str(k), k == shown_k), callback_data=f"s:k:{k}") for k in TOP_K_CHOICES],
        [*(InlineKeyboardButton(_mark(name, code == settings.lang), callback_data=f"s:l:{code}")
           for code, name in LANGUAGE_NAMES.items()),
         # back to each user's own Telegram language, once a fixed one was chosen
         InlineKeyboardButton(_mark(text(lang, "settings_language_telegram"), settings.lang is None),
                              callback_data=f"s:l:{FROM_TELEGRAM}")],
    ]  # fmt: skip
    if chat_type == ChatType.PRIVATE:
        html = text(lang, "settings_private", top_k=shown_k, language=language_name)
        return html, InlineKeyboardMarkup([*rows, close])
    on_off = text(lang, "settings_on" if settings.mentions else "settings_off")
    rows.append([InlineKeyboardButton(text(lang, "settings_mentions", state=on_off),
                                      callback_data=f"s:m:{0 if settings.mentions else 1}")])  # fmt: skip
    rows.append([InlineKeyboardButton(_mark(_limit(n, lang), n == settings.group_limit), callback_data=f"s:g:{n}")
                 for n in GROUP_LIMITS])  # fmt: skip
    html = text(lang, "settings", top_k=shown_k, language=language_name, mentions=on_off,
                limit=_limit(settings.group_limit, lang))  # fmt: skip
    return html, InlineKeyboardMarkup([*rows, close])


def _limit(n: int, lang: str) -> str:
    return text(lang, "settings_per_minute", n=n) if n else text(lang, "settings_no_limit")


async def settings_command(update: Update, context: Context) -> None:
    message = message_of(update)
    state = context.bot_data.state
    settings = await settings_of(state, message.chat_id)
    lang = settings.language(update.effective_user)
    if not await _may_change(context, message.chat_id, message.chat.type, update.effective_user,
                             message.sender_chat):  # fmt: skip
        await reply(message, context, text(lang, "settings_admins_only"))
        return
    html, markup = render(settings, state.config.top_k, message.chat.type, lang)
    await reply(message, context, html, markup)


def _changed(settings: ChatSettings, field: str, value: str) -> ChatSettings | None:
    if not value.isdigit() and field != "l":
        return None
    if field == "k" and int(value) in TOP_K_CHOICES:
        return replace(settings, top_k=int(value))
    if field == "l" and value in TEXTS:
        return replace(settings, lang=value)
    if field == "l" and value == FROM_TELEGRAM:
        return replace(settings, lang=None)
    if field == "m":
        return replace(settings, mentions=value == "1")
    if field == "g" and int(value) in GROUP_LIMITS:
        return replace(settings, group_limit=int(value))
    return None


async def settings_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        raise ValueError(f"update {update.update_id} carries no callback query")
    notice, alert = text(language(update.effective_user), "expired"), True
    try:
        notice, alert = await _press(query, context)
    finally:
        with contextlib.suppress(TelegramError):
            await query.answer(notice or None, show_alert=alert)


async def _press(query: CallbackQuery, context: Context) -> tuple[str, bool]:
    state = context.bot_data.state
    message = query.message
    if not isinstance(message, Message):
        return text(language(query.from_user), "expired"), True
    if not await _may_change(context, message.chat_id, message.chat.type, query.from_user):
        settings = await settings_of(state, message.chat_id)
        return text(settings.language(query.from_user), "settings_admins_only"), True
    # read only after getChatMember: a tap answered while it was slow has saved its choice by now, and
    # writing back a record read before would undo that choice
    settings = await settings_of(state, message.chat_id)
    _, field, value = (query.data or "").split(":")
    if field == "x":  # close: the summary stays in the chat, the buttons go
        html, _ = render(settings, state.config.top_k, message.chat.type, _shown_in(message, settings, query))
        with contextlib.suppress(BadRequest):
            await message.edit_text(html, reply_markup=None)
        return "", False
    changed = _changed(settings, field, value)
    if changed is None:
        return text(settings.language(query.from_user), "expired"), True
    if changed == settings:  # the choice already made, tapped again: nothing to save or to redraw
        return text(settings.language(query.from_user), "settings_unchanged"), False
    await asyncio.to_thread(state.store.save_chat_settings, message.chat_id, asdict(changed))
    lang = changed.language(query.from_user)
    html, markup = render(changed, state.config.top_k, message.chat.type, _shown_in(message, changed, query))
    try:
        await message.edit_text(html, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error):  # the choice already shown was pressed again
            raise
    return text(lang, "settings_saved", what=_saved(changed, field, lang)), False


def _shown_in(message: Message, settings: ChatSettings, query: CallbackQuery) -> str:
    """The language the menu is redrawn in. A group's menu is read by everyone there: with no language chosen,
    it stays in the one it was written in (another admin's tap turned a Vietnamese menu into English); only
    the toast is the presser's."""
    if settings.lang is None and message.chat.type != ChatType.PRIVATE:
        return written_in(message, ("close_button",)) or settings.language(query.from_user)
    return settings.language(query.from_user)


def _saved(settings: ChatSettings, field: str, lang: str) -> str:
    """What the toast names: a tap on a small phone screen may land on the button beside the one meant."""
    if field == "k":
        return text(lang, "saved_top_k", n=settings.top_k)
    if field == "l":
        name = LANGUAGE_NAMES[settings.lang] if settings.lang else text(lang, "settings_language_telegram")
        return text(lang, "saved_language", name=name)
    if field == "m":
        return text(lang, "saved_mentions", state=text(lang, "settings_on" if settings.mentions else "settings_off"))
    return text(lang, "saved_limit", limit=_limit(settings.group_limit, lang))
