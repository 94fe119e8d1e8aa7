"""What the bot does when handling an update fails: the one place failures are logged. The user gets a short
apology where one can reach them, in the chat's language, and the bot carries on."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError

from bot.chat_settings import language_of
from bot.context import Context
from bot.delivery.sender import said_anything
from bot.store import StoreUnavailable
from bot.texts import language, text
from retriever.errors import IndexUnavailableError

log = logging.getLogger(__name__)

# Telegram's refusals that say the chat takes no message from the bot now (a closed forum topic, a group that
# took its rights away): no fault of the bot's, and an apology there would be refused the same way
_CHAT_REFUSALS = ("topic_closed", "not enough rights", "chat_write_forbidden", "have no rights to send",
                  "message thread not found", "chat_restricted", "chat_send_plain_forbidden")


def refused_by_chat(error: BaseException | None) -> bool:
    if isinstance(error, Forbidden | ChatMigrated):
        return True
    return isinstance(error, BadRequest) and any(reason in error.message.lower() for reason in _CHAT_REFUSALS)


async def error_handler(update: object, context: Context) -> None:
    # a question that failed kept its place among its chat's answers (`answers.answer`): the apology takes it
    ticket = context.bot_data.state.sequencer.handed(update.update_id) if isinstance(update, Update) else None
    try:
        if ticket is not None:
            await ticket.turn()
        told = await _handled(update, context)
    finally:
        if ticket is not None:
            ticket.done()
    query = update.callback_query if isinstance(update, Update) else None
    if not told and query is not None:
        with contextlib.suppress(TelegramError):  # Telegram shows a spinner on the button until answered
            await query.answer()


async def _handled(update: object, context: Context) -> bool:
    """Log the failure; True when the user was told."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if refused_by_chat(error):
        # the user blocked the bot, it was removed from the group or may not write there: one line, no apology
        log.warning("update %s: %s", update_id, error)
        return False
    context.bot_data.state.metrics.errors.inc()
    if update is None and isinstance(error, NetworkError):
        # polling hiccups: PTB retries on its own, a traceback every time would only be noise
        log.warning("network error while polling: %s", error)
        return False
    unavailable = isinstance(error, StoreUnavailable | IndexUnavailableError)
    state = context.bot_data.state
    if unavailable and update_id in state.webhook_updates and not said_anything():
        # a webhook update: fail it instead of apologising, Telegram delivers it again and it is answered then.
        # Not once something was said (the first of two questions answered): the redelivery would say it again
        state.deferred.add(update_id)
        log.warning("update %s: %s: left for Telegram to deliver again", update_id, error)
        return False
    if unavailable:
        # the database went away: the bot keeps running and the pool reconnects when it is back
        log.warning("update %s: %s", update_id, error)
    elif isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # the Sender already retried what could be; what is left may have been delivered (at most once)
        # or Telegram is unreachable: an apology would be a second message, or fail the same way
        log.warning("update %s: Telegram call failed: %s", update_id, error)
        return False
    else:
        log.error("unhandled error for update %s", update_id, exc_info=error)
    # a channel's post failed to be stored: the channel's readers are not the ones to tell
    if isinstance(update, Update) and not (update.channel_post or update.edited_channel_post):
        await _apologise(update, context, "unavailable" if unavailable else "apology")
        return True
    return False


async def _apologise(update: Update, context: Context, reason: str) -> None:
    lang = language(update.effective_user)
    if not isinstance(context.error, StoreUnavailable):
        # the chat's own language, when /settings chose one; whatever fails there, the apology still goes out
        # (an error raised here was an error in the error handler: the reader got no reply at all)
        with contextlib.suppress(Exception):
            lang = await language_of(context.bot_data.state, update)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            # a button: told to whoever pressed it, not posted into a group for everyone
            await update.callback_query.answer(text(lang, reason), show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text(lang, reason))
