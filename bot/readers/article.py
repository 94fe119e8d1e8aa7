"""The "full article" button's reply, bounded: a few messages, or one text file for a long article."""

from __future__ import annotations

from telegram import InputFile, Message

from bot.listing import format_article
from bot.render import MESSAGE_LIMIT, shown, utf16_len
from bot.texts import text
from retriever.models import Article

TITLE_IN_CAPTION = 300  # keeps the caption well under Telegram's 1024 characters


async def send_article(message: Message, article: Article, lang: str, max_messages: int) -> None:
    """One press sends at most `max_messages` messages; a longer article arrives as one .txt file, so a
    single button can never flood a chat (a 30 MB article would otherwise be thousands of messages)."""
    # measured before rendering: splitting a huge article into messages only to count them is wasted work
    size = sum(utf16_len(p) + 2 for p in article.paragraphs)
    # under the answer, not as replies to it; but in the comments under a channel's post (a thread that is no
    # forum topic) only a reply stays there: Telegram takes no thread to send into, and the article went to
    # the group's own chat, where no one reading the comments saw it
    in_comments = message.message_thread_id is not None and not message.is_topic_message
    if size <= max_messages * (MESSAGE_LIMIT - 200):
        parts = format_article(article, lang)
        if len(parts) <= max_messages:
            for part in parts:
                await message.reply_text(part, do_quote=in_comments)
            return
    title = article.info.title or article.info.document
    caption = text(lang, "article_file", title=shown(title[:TITLE_IN_CAPTION]))  # as titles are shown elsewhere
    await message.reply_document(
        InputFile(_plain(article).encode(), filename=_filename(article)), caption=caption
    )


def _plain(article: Article) -> str:
    meta = " · ".join(v for v in (article.info.date, article.info.source) if v)
    return "\n\n".join([article.info.title, *([meta] if meta else []), *article.paragraphs]) + "\n"


def _filename(article: Article) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in (article.info.title or "article")[:60]).strip("-")
    return f"{stem or 'article'}.txt"
