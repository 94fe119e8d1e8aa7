"""Bot building blocks that need neither the network nor the model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import BotConfig, validate_token
from bot.listing import format_article, format_sources, plain_parts
from bot.readers.pages import answer_page
from bot.render import MESSAGE_LIMIT, format_answer, shown_date, utf16_len
from bot.store.base import new_key
from retriever.models import Article, ArticleInfo, SearchResponse, SearchResult
from tests.telegram_rules import parse_html


def result(text: str, highlight: str = "", n: int = 0, **extra: object) -> SearchResult:
    values: dict = {
        "row": n,
        "text": text,
        "highlight": highlight,
        "score": 0.9,
        "title": "Tiêu đề <A&B>",
        "date": "2022-09-04",
        "source": "Báo Tin tức",
        "document": "003.txt",
        "doc_id": 3,
        "teaser": False,
    }
    values.update(extra)
    return SearchResult(**values)


def test_highlight_is_bold_inside_the_escaped_quote() -> None:
    text = "Hai nước có chung đường biên giới dài hơn 2.300 km. Câu <khác> & nữa."
    html = format_answer(
        "biên giới?", [result(text, "Hai nước có chung đường biên giới dài hơn 2.300 km.")], 0, 1, "vi"
    )
    assert (
        "<blockquote><b>Hai nước có chung đường biên giới dài hơn 2.300 km.</b> Câu &lt;khác&gt; &amp; nữa."
        in html
    )
    # dated as a Vietnamese reader writes it, as the quotes do ("05/09/1962"); ISO in English, unambiguous
    assert "<i>Tiêu đề &lt;A&amp;B&gt;</i> · 04/09/2022 · Báo Tin tức" in html
    assert text in parse_html(html)  # verbatim once Telegram renders it
    english = format_answer("border?", [result(text, "")], 0, 1, "en")
    assert "</i> · 2022-09-04 · Báo Tin tức" in english
    assert shown_date("2025-04", "vi") == "04/2025" and shown_date("2025", "vi") == "2025"


def test_long_paragraph_is_expandable_and_teaser_labelled() -> None:
    html = format_answer("q", [result("chữ " * 200, teaser=True, teaser_title="Bài khác")], 0, 1, "vi")
    assert "<blockquote expandable>" in html
    assert "Đoạn giới thiệu bài: Bài khác" in html


def test_page_never_exceeds_the_limit_and_stays_valid_html() -> None:
    huge = "Câu trả lời & <ý> " * 700  # far over 4096 once escaped
    results = [result(huge, "Câu trả lời & <ý>", n) for n in range(3)]
    html = format_answer("<b>" * 100, results, 3, 9, "en")
    assert utf16_len(parse_html(html)) <= MESSAGE_LIMIT  # what Telegram counts: the text it shows
    assert "Results 4–6 of 9" in html
    assert "(paragraph shortened, see the full article)" in html


def test_emoji_count_double_in_utf16() -> None:
    assert utf16_len("😀a") == 3


def test_article_split_at_paragraph_boundaries() -> None:
    paragraphs = tuple(f"Đoạn {i} " + "x" * 900 for i in range(12)) + ("y " * 5000,)
    info = ArticleInfo(
        doc_id=1, title="Bài <1>", date="2021-04-02", source="VTV", document="a.txt", passages=13
    )
    parts = format_article(Article(info, paragraphs), "vi")
    assert len(parts) > 3
    assert parts[0].startswith("<b>Bài &lt;1&gt;</b>\n02/04/2021 · VTV")
    linked = format_article(Article(replace(info, url="https://vtv.vn/a?b=1&c=2"), paragraphs[:1]), "vi")
    assert '· VTV · <a href="https://vtv.vn/a?b=1&amp;c=2">nguồn</a>' in linked[0]
    for part in parts:
        assert utf16_len(part) <= MESSAGE_LIMIT
        parse_html(part)
    joined = "\n\n".join(parts)
    for paragraph in paragraphs[:12]:
        assert paragraph in joined  # short paragraphs are never cut


def test_sources_list() -> None:
    infos = [ArticleInfo(i, f"Bài {i} & co", "", "", f"{i}.txt", i + 1) for i in range(3)]
    (message,) = format_sources(infos, "vi")
    assert "1. <b>Bài 0 &amp; co</b> — không rõ ngày · 1 đoạn" in message
    assert format_sources([], "en") == ["The collection is empty."]


def test_callback_data_is_short_and_holds_no_question() -> None:
    question = "Đường biên giới Việt Nam - Lào dài bao nhiêu km? " * 20
    response = SearchResponse(question, False, tuple(result(f"đoạn {i}", n=i, document=f"{i:03}.txt")
                                                     for i in range(9)))
    key = new_key()
    _, markup = answer_page(response, key, 1, 3, "vi")
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == [f"a:{key}:3", f"a:{key}:4", f"a:{key}:5", f"m:{key}:0:3:9", f"m:{key}:2:3:9", f"v:{key}:1",
                    f"v:{key}:0", f"f:{key}"]
    assert all(len(d.encode()) <= 64 for d in data)
    _, last = answer_page(response, key, 2, 3, "vi")
    assert [b.callback_data for b in last.inline_keyboard[-2]] == [f"m:{key}:1:3:9"]


def test_one_article_button_an_article_under_its_first_quote() -> None:
    documents = ["a.txt", "b.txt", "a.txt"]  # three quotes, two articles: three buttons sent the first twice
    response = SearchResponse("biên giới?", False, tuple(result(f"đoạn {i}", n=i, document=name)
                                                         for i, name in enumerate(documents)))
    _, markup = answer_page(response, "k", 0, 3, "vi")
    assert [b.text for b in markup.inline_keyboard[0]] == ["📄 Bài 1", "📄 Bài 2"]


@pytest.mark.parametrize("token", ["", "   ", "abc", "123:short", "12a:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_validate_token_rejects(token: str) -> None:
    with pytest.raises(ValueError) as error:
        validate_token(token)
    assert "\n" not in str(error.value)


def test_validate_token_accepts_and_config_hides_it() -> None:
    token = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"
    validate_token(token)
    assert token not in repr(BotConfig(token=token, admin_ids=frozenset({1})))


def test_fake_server_rejects_what_telegram_rejects() -> None:
    for bad in ["<p>x</p>", "<b>x", "<b><i>x</b></i>", "a & b", "1 < 2", "<span>x</span>", "&nbsp;"]:
        with pytest.raises(Exception, match="can't parse entities"):
            parse_html(bad)
    assert (
        parse_html('<blockquote expandable><b>a</b> &amp; &lt;b&gt;</blockquote><a href="x">l</a>')
        == "a & <b>l"
    )


def test_a_quotes_section_heading_comes_first_and_a_very_long_one_still_fits_one_message() -> None:
    from bot.render import MESSAGE_LIMIT, format_answer, format_result, utf16_len

    faq = result("Có. Mỗi năm trường dành 5 tỷ đồng.", teaser_title="Trường có học bổng không?")
    under = format_result(faq, 1, "vi")
    assert under.startswith("📑 Trường có học bổng không?\n<blockquote>")
    heading = "Cán bộ làm hư hỏng tài sản công phải bồi thường theo quy định " * 70  # 4,000+ characters
    quote = "Người làm hư hỏng tài sản phải bồi thường toàn bộ giá trị sửa chữa trong vòng 30 ngày."
    asked = "Làm hỏng tài sản có phải bồi thường không?"
    answer = format_answer(asked, [result(quote, teaser_title=heading)], 0, 1, "vi")
    assert utf16_len(answer) <= MESSAGE_LIMIT and quote in answer  # the quote whole, the heading shortened
    parse_html(answer)


def test_source_line_links_the_web_page_or_names_the_source_or_else_the_file() -> None:
    from bot.render import format_result

    web = format_result(result("Một đoạn văn.", "Một đoạn văn.", url="https://a.vn/x"), 1, "vi")
    assert '<a href="https://a.vn/x#:~:text=' in web and "Báo Tin tức" in web and "📎" not in web
    named = format_result(result("Một đoạn văn.", document="tham-khao-chinh-tri.txt"), 1, "vi")
    assert "Báo Tin tức" in named and "📎" not in named and ".txt" not in named
    local = format_result(result("Một đoạn văn.", document="uploads/bao-cao.pdf", source=""), 1, "vi")
    assert "📎 bao-cao.pdf" in local and "<a " not in local
    for html in (web, named, local):
        parse_html(html)


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "⚠️ dai.txt: một đoạn dài 235.889 ký tự bị cắt ở ký tự thứ 200.000"),
    ("en", "⚠️ dai.txt: a paragraph of 235,889 characters was cut at 200,000"),
])
def test_the_reindex_summary_names_a_file_whose_long_paragraph_was_cut(lang, said) -> None:
    from bot.admins.commands import summary
    from retriever.models import BuildReport, CutParagraph, SkippedFile

    report = BuildReport(3, 40, 1, 0, 0, 12, 0, 12, (SkippedFile("tin\nmới\u202e.txt", "binary"),), 1.5,
                         cut=(CutParagraph("tin/dai.txt", 235_889, 200_000),))
    shown = summary(report, lang)
    assert said in shown
    assert "\u202e" not in shown and "• tin mới.txt: binary" in shown  # a file's name on one line, no bidi
    parse_html(shown)  # Telegram would take it


def test_a_link_typed_without_its_scheme_is_https() -> None:
    from bot.admins.collection import with_scheme

    # "/add vnexpress.net/tin.html" was refused: no scheme, no link
    assert with_scheme("vnexpress.net/tin.html") == "https://vnexpress.net/tin.html"
    assert with_scheme("http://a.vn/x") == "http://a.vn/x" and with_scheme("") == ""


def test_a_long_alert_is_cut_between_words() -> None:
    from bot.readers.follows import _plain

    said = _plain("🔔 Đã theo dõi «biên giới». " + "Bot chỉ lưu nội dung này và thời điểm, trong một năm. " * 5)
    assert len(said) <= 200 and said.endswith("…") and said[:-1] == said[:-1].rstrip()
    assert ("Bot chỉ lưu nội dung này và thời điểm, trong một năm. " * 5).find(said[-8:-1]) >= 0


def test_the_index_database_stopping_midway_is_said_in_words_not_postgresqls() -> None:
    import psycopg

    from bot.admins.jobs import reason

    said = reason("vi", psycopg.errors.AdminShutdown("terminating connection due to administrator command"))
    assert said.startswith("cơ sở dữ liệu chỉ mục ngừng trả lời") and "terminating" not in said
    assert "kept" in reason("en", psycopg.OperationalError("server closed the connection unexpectedly"))


@pytest.mark.parametrize("caption", [
    "title: Dòng một | date: 07/01/2025 | source: Báo Nhiều Dòng",
    "title: Dòng một\ndate: 07/01/2025\nsource: Báo Nhiều Dòng",  # one line each, as typed on a phone
    "tiêu đề = Dòng một\nngày = 07/01/2025\nnguồn：Báo Nhiều Dòng",
])
def test_a_captions_title_date_and_source_are_read_however_they_are_set_apart(caption: str) -> None:
    from bot.admins.collection import parse_caption

    meta = parse_caption(caption)  # on separate lines, the date and source were read into the title
    assert (meta.title, meta.date, meta.source) == ("Dòng một", "07/01/2025", "Báo Nhiều Dòng")


def test_a_caption_value_may_hold_the_other_separator() -> None:
    from bot.admins.collection import parse_caption

    meta = parse_caption("title = Hội An: một triệu khách\nsource = https://baoquangnam.vn/a.html")
    assert (meta.title, meta.url) == ("Hội An: một triệu khách", "https://baoquangnam.vn/a.html")


def test_the_status_of_a_large_zip_sent_again_fits_one_telegram_message() -> None:
    from bot.admins.collection import added_text
    from retriever.collection import Added
    from retriever.models import BuildReport

    name = "Quyet-dinh-ve-viec-phe-duyet-ke-hoach-to-chuc-le-hoi-van-hoa-nam-2025-dot-{}"
    added = [Added(f"uploads/goi/{name.format(i)}-2.txt", (), False, beside=f"uploads/goi/{name.format(i)}.txt")
             for i in range(40)]
    report = BuildReport(40, 40, 0, 40, 0, 40, 40, 40)
    for lang in ("vi", "en"):
        said = added_text(added, [], report, lang)
        # a note per file made 11,230 characters: Telegram refused the edit, and "⏳" stayed for good
        assert len(said) <= 4096 and ("30 ghi chú khác" in said or "30 more notes" in said), said[-300:]


def test_a_reindex_summary_says_why_files_were_skipped_in_the_admins_language(tmp_path) -> None:
    from bot.admins.commands import summary
    from retriever.errors import UnreadableInputError
    from retriever.index.sources import skips_record, still_skipped
    from retriever.models import BuildReport, SkippedFile

    skipped = [SkippedFile.of("hong.pdf", UnreadableInputError("pdf_corrupt", "not a readable PDF (damaged)")),
               SkippedFile("cu.txt", "no paragraph of text found")]  # a manifest's record from before codes
    # an unchanged collection names them again from its last build's record, codes and all
    remembered = still_skipped(skips_record(skipped), [], {"hong.pdf": "h", "cu.txt": "c"})
    report = BuildReport(5, 66, 0, 0, 0, 0, 0, 0, skipped=remembered, unchanged=True)
    said = summary(report, "vi")
    assert "hong.pdf: tệp PDF bị hỏng" in said and "not a readable" not in said  # it was English
    assert "cu.txt: no paragraph of text found" in said  # no code: as it was said
    assert "hong.pdf: the PDF is damaged" in summary(report, "en")


def test_every_string_exists_in_both_languages_and_in_one_module_only() -> None:
    from bot import texts

    assert list(texts.VI) == list(texts.EN)  # a string missing in English would fail only when a reader meets it
    parts = [module.VI for module in texts._PARTS]  # noqa: SLF001
    assert sum(len(part) for part in parts) == len(texts.VI)  # a key in two modules: one would hide the other
    assert all(list(module.VI) == list(module.EN) for module in texts._PARTS)  # noqa: SLF001


def linked(n: int, length: int, **extra: object) -> SearchResult:
    """A web article's paragraph of `length` characters, its first sentence the highlight."""
    first = f"Bài {n}: giá vé tham quan phố cổ Hội An tăng từ ngày 1 tháng 6 năm nay."
    body = (first + " Du khách quốc tế trả 150.000 đồng, du khách Việt Nam trả 90.000 đồng." * 40)[:length]
    url = f"https://baoquangnam.vn/du-lich/hoi-an-tang-gia-ve-tham-quan-pho-co-tu-ngay-1-thang-6-nam-nay-bai-{n:03}.html"
    values: dict = {"url": url[:120], "document": f"{n:03}.jsonl", **extra}
    return result(body, first, n, **values)


def test_link_addresses_and_tags_are_not_counted_against_the_limit() -> None:
    # Telegram counts what it shows: an address in <a href> and the tags are not shown
    few = [linked(n, 800) for n in range(4)]
    html = format_answer("Giá vé tham quan phố cổ Hội An bao nhiêu?", few, 0, 4, "vi")
    shown = parse_html(html)
    assert "(đoạn văn bị cắt" not in shown and all(r.text in shown for r in few)  # each whole
    assert utf16_len(html) > MESSAGE_LIMIT >= utf16_len(shown)  # the HTML is longer than what is shown
    more = [linked(n, 800) for n in range(5)]  # together over a message: each shortened, by as little as fits
    shown = parse_html(format_answer("Giá vé tham quan phố cổ Hội An bao nhiêu?", more, 0, 5, "vi"))
    assert shown.count("(đoạn văn bị cắt") == 5 and 3600 < utf16_len(shown) <= MESSAGE_LIMIT


@pytest.mark.parametrize("count", [7, 10])
def test_a_page_of_many_results_with_long_titles_sources_and_headings_fits_one_message(count: int) -> None:
    extra = {"title": "Quy định mới về giá vé tham quan khu phố cổ Hội An và các di tích " * 5,
             "source": "Cổng thông tin điện tử thành phố Hội An, tỉnh Quảng Nam, Sở Du lịch " * 5,
             "teaser_title": "Điều 12. Giá vé tham quan, đối tượng được miễn giảm và thời gian áp dụng " * 4}
    results = [linked(n, 1500, **extra) for n in range(count)]
    for lang in ("vi", "en"):
        html = format_answer("Giá vé tham quan phố cổ Hội An bao nhiêu? " * 6, results, 0, count + 5, lang, 3)
        shown = parse_html(html)
        assert utf16_len(shown) <= MESSAGE_LIMIT  # was 6,000 and more, refused by Telegram
        assert all(f"{n + 1}. 📰 " in shown and f"Bài {n}: giá vé" in shown for n in range(count))  # none dropped


def test_a_quote_cut_short_on_a_crowded_page_still_bolds_its_answering_sentence() -> None:
    # Vietnamese news sentences run to several hundred characters; ten quotes share one message
    answer = ("Ngoại giao hai nước đã góp phần hoàn thành phân định biên giới, tăng dày và tôn tạo hệ thống mốc "
              "quốc giới, giải quyết vấn đề di cư tự do trong khu vực biên giới, thúc đẩy quy hoạch phát triển "
              "các cửa khẩu và xây dựng đường biên giới dài trên 2.300 km hòa bình, ổn định và phát triển.")
    body = "Câu mở đầu nói về nhiều chuyện khác của hai nước. " * 8 + answer + " Câu sau nói chuyện khác." * 10
    html = format_answer("biên giới dài bao nhiêu?", [result(body, answer, n) for n in range(10)], 0, 10, "vi")
    assert utf16_len(parse_html(html)) <= MESSAGE_LIMIT
    quotes = [block.split("</blockquote>")[0] for block in html.split("<blockquote")[1:]]
    # the sentence was cut by the window and, no longer found whole, not bolded at all
    assert len(quotes) == 10 and all("<b>Ngoại giao hai nước đã góp phần" in quote for quote in quotes)


def test_a_passage_removed_since_the_answer_gets_no_article_button() -> None:
    from bot.readers.saved import removed_result

    # re-read at a press after its document was removed: a 📄 under "(no longer in the collection)" only
    # said so again when pressed
    results = (removed_result(7, 0.9), result("Đoạn còn lại.", n=1, document="b.txt"), removed_result(8, 0.8))
    _, markup = answer_page(SearchResponse("biên giới?", False, results), "k", 0, 3, "vi")
    assert [b.text for b in markup.inline_keyboard[0]] == ["📄 Bài 2"]
    _, gone = answer_page(SearchResponse("biên giới?", False, results[::2]), "k", 0, 3, "en")
    assert not any(b.text.startswith("📄") for row in gone.inline_keyboard for b in row)


def test_one_weaker_result_is_told_of_in_the_singular() -> None:
    results = [result("Một đoạn văn ngắn.", "Một đoạn văn ngắn.", n) for n in range(2)]
    first = parse_html(format_answer("q", results[:1], 0, 2, "en", 1))
    assert "1 more is less related and may not answer the question" in first  # was "1 more are"
    second = parse_html(format_answer("q", results[1:], 1, 2, "en", 1))
    assert "the paragraph below is less related" in second
    assert "8 more are less related" in parse_html(format_answer("q", results[:1], 0, 9, "en", 1))
    assert "1 đoạn sau liên quan ít hơn" in parse_html(format_answer("q", results[:1], 0, 2, "vi", 1))
    assert "··· đoạn dưới đây liên quan ít hơn" in parse_html(format_answer("q", results[1:], 1, 2, "vi", 1))


def test_a_one_page_answer_is_known_by_its_language_without_paging_buttons() -> None:
    from datetime import UTC, datetime

    from telegram import Chat, Message

    from bot.readers.buttons import written_in

    # all of it on one page: no ▶ or ◀, and a 📄 pressed by a member in English sent the group's Vietnamese
    # answer's article with an English "source" link and caption
    response = SearchResponse("biên giới?", False, (result("Một đoạn văn.", n=0),))
    for lang in ("vi", "en"):
        _, markup = answer_page(response, "k", 0, 3, lang)
        message = Message(1, datetime.now(UTC), Chat(-5, "supergroup"), reply_markup=markup)
        assert written_in(message) == lang


def test_the_english_help_says_plainly_what_a_follow_up_asks() -> None:
    from bot.texts import text

    shown = parse_html(text("en", "help", mention="@bot", or_mention="", examples=""))
    # it read "to ask the question before again of another name"
    assert "to ask your previous question again about another name" in shown


def test_an_answering_sentence_that_fills_a_shortened_quote_keeps_its_last_word() -> None:
    from bot.render import _window

    answer = "Đường biên giới Việt Nam – Lào dài trên 2.300 km."
    before = "Theo đó, "  # as much context as the slice has room for before the sentence
    body = "Hai nước ký nhiều hiệp định. " * 4 + before + answer + " Câu sau nói chuyện khác." * 6
    size = len(answer) + len(before)
    shown, (start, end), _, cut = _window(result(body, answer), size)
    # the slice ended just after the sentence's full stop and was cut back to the space before "km."
    assert cut and shown.endswith(answer) and shown[start:end] == answer


def test_a_reply_refused_as_html_is_its_words_in_messages_telegram_takes() -> None:
    paragraph = "Đường biên giới &amp; <b>2.300 km</b> " + "chữ " * 700  # ~3,500 characters shown
    parts = plain_parts(f"<i>Câu hỏi?</i>\n\n{paragraph}\n\n{paragraph}\n\n<blockquote>{paragraph}</blockquote>")
    assert len(parts) == 3 and all(utf16_len(part) <= MESSAGE_LIMIT for part in parts)
    assert parts[0].startswith("Câu hỏi?\n\nĐường biên giới & 2.300 km chữ") and "<" not in "".join(parts)
    assert plain_parts("x" * 9000)[0] == "x" * len(plain_parts("x" * 9000)[0])  # no space to cut at: cut anyway
    assert all(utf16_len(part) <= MESSAGE_LIMIT for part in plain_parts("😀" * 5000))
