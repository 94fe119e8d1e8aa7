"""Property-based fuzzing (hypothesis) of the question path and of ingestion: no crash, nothing Telegram
would reject, bounded time. Example counts are small so the suite stays fast; HYPOTHESIS_PROFILE=long
runs many more."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import MESSAGE_LIMIT, format_answer
from retriever.errors import EmptyQuestionError, UnreadableInputError
from retriever.index.passages import make_passages
from retriever.ingest.files import SUPPORTED, SourceFile, parse_source
from tests.fakes import HashEncoder
from tests.telegram_rules import parse_html, utf16_len

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# what users paste: Vietnamese, control and zero-width characters, RTL marks, emoji, HTML-ish text
ODD = "\u200b\u200c\u200d\u2060\ufeff\u202e\u00ad\x00\x07\x1b\r\n\t<>&\"'/@#"
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ ?.,"
TEXTS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(VIETNAMESE + ODD), max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=3000),
)
SECONDS_PER_QUESTION = 15.0  # a hang or a quadratic path blows it; a loaded 2-core CI machine does not


@settings(max_examples=12)  # each is a real e5 search
@given(question=TEXTS)
def test_any_question_is_answered_or_refused_in_bounded_time(seed_library, question: str) -> None:
    started = time.perf_counter()
    try:
        response = seed_library.search(question, 9)
    except EmptyQuestionError:
        return
    assert time.perf_counter() - started < SECONDS_PER_QUESTION
    for lang in ("vi", "en"):
        html = format_answer(response.question, response.results[:3], 0, len(response.results), lang)
        shown = parse_html(html)  # raises as Telegram would reject it
        assert utf16_len(shown) <= MESSAGE_LIMIT


@settings(max_examples=150)
@given(raw=st.one_of(st.binary(max_size=4000), TEXTS.map(lambda text: text.encode("utf-8"))),
       suffix=st.sampled_from(sorted(SUPPORTED)))  # fmt: skip
def test_any_file_is_parsed_or_refused_with_a_reason(raw: bytes, suffix: str) -> None:
    source = SourceFile(Path(f"fuzz{suffix}"), f"fuzz{suffix}", "h", raw)
    started = time.perf_counter()
    try:
        documents = parse_source(source)
    except ValueError as error:  # the build names the file and this reason, and carries on
        assert str(error)
        return
    passages = make_passages(documents, 504, HashEncoder().count_tokens)
    assert time.perf_counter() - started < SECONDS_PER_QUESTION
    for document in documents:
        assert isinstance(document.title, str) and isinstance(document.url, str)
        assert all(paragraph.text.strip() for paragraph in document.paragraphs)
    assert all(passage.text for passage in passages)


@pytest.mark.parametrize("suffix", sorted(SUPPORTED))
def test_a_huge_single_line_file_is_processed_in_time(suffix: str) -> None:
    line = "biên giới Việt Nam Lào " * 200_000  # 4.6 MB, no sentence end, no line break
    raw = (json.dumps({"text": line}) if suffix == ".jsonl" else line).encode()
    started = time.perf_counter()
    try:
        documents = parse_source(SourceFile(Path(f"huge{suffix}"), f"huge{suffix}", "h", raw))
    except UnreadableInputError:
        # PDF, Word and image files are containers, and text without markup is no HTML article: under those names
        # plain text is refused with a reason, quickly
        assert suffix in {".pdf", ".docx", ".html", ".htm", ".jpg", ".jpeg", ".png", ".webp"}
    else:
        make_passages(documents, 504, HashEncoder().count_tokens)
    assert time.perf_counter() - started < 20


def _inflating(kind: str, size: int, filler: bytes, wrapped: str) -> bytes:
    """A small file that inflates to `size` bytes: a PDF content stream, a Word document's XML, a ZIP
    member, or a feed, each as a parser would meet it."""
    import io
    import zipfile

    from tests.documents import make_pdf_bomb

    body = (filler * (size // max(len(filler), 1) + 1))[:size]
    if kind == "pdf":
        return make_pdf_bomb(size)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(wrapped, b"<w:document><w:body>" + body + b"</w:body></w:document>")
    return out.getvalue()


@settings(max_examples=6)
@given(
    kind=st.sampled_from(["pdf", "docx"]),
    size=st.sampled_from([1_000, 100_000, 70 * 1024 * 1024]),  # under and over the 64 MB checks
    filler=st.sampled_from([b" ", b"<w:p/>", b"A"]),
    wrapped=st.sampled_from(["word/document.xml", "word/media/image1.png", "customXml/item1.xml"]),
)
def test_inflating_files_are_parsed_or_refused_within_limits(kind: str, size: int, filler: bytes,
                                                             wrapped: str) -> None:
    """Whatever they unpack to, within the parse limits (1 GB, 120 s by default) and quickly refused
    past the size checks: a reason, never a crash or a hang."""
    raw = _inflating(kind, size, filler, wrapped)
    started = time.perf_counter()
    try:
        parse_source(SourceFile(Path(f"bom.{kind}"), f"bom.{kind}", "h", raw))
    except UnreadableInputError as error:
        assert str(error) and "\n" not in str(error)
    assert time.perf_counter() - started < 60
