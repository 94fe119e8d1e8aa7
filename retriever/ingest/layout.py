"""Documents from positioned lines, page by page: what text PDFs and OCR'd scans share.

A page holds positioned lines, not paragraphs. Lines are joined into paragraphs where the layout
shows no break (same font size, usual line spacing, previous line running to the right margin);
lines repeated in the top or bottom margin of several pages (running headers, footers) and page
numbers are dropped; a paragraph left open at the foot of a page is continued on the next. OCR gives
whole paragraphs (`Line.whole`), joined only where OCR cut one in two.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from statistics import quantiles

from retriever.errors import UnreadableInputError
from retriever.ingest.dates import dateline_date, find_date, is_date_line
from retriever.ingest.news import (
    BYLINE_WORDS,
    HEADLINE_MAX_WORDS,
    ParsedText,
    derive_title,
    is_question,
    looks_like_headline,
    official_header,
    source_of,
)
from retriever.ingest.official import goes_on, is_form_line, is_letterhead, opens_recipients
from retriever.ingest.sections import (
    Sections,
    in_contents,
    is_section_label,
    join_bare_labels,
    title_in_capitals,
    worded,
)
from retriever.models import Paragraph
from retriever.text import ITEM_MARK, collapse_spaces, join_line, word_count

MARGIN_SHARE = 0.12  # top and bottom share of the page where running headers and footers live
PARAGRAPH_GAP = 1.4  # a line gap this many times the usual one starts a new paragraph
MARGIN_LINES = 0.05  # share of the lines that must reach the right margin for it to be one (at least 2)
MARGIN_POINTS = 8.0  # lines ending this close to one another end at the same margin
SHORT_LINE = 0.85  # a line ending before this share of the text width ends its paragraph
_PAGE_NUMBER = re.compile(
    r"^(trang|page|tr\.)?\s*[-–—]?\s*(\d{1,4}|[ivxlc]{1,6})\s*((/|of|trên)\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE
)
_OPEN_END = re.compile(r"[^.!?…:;\"”’)]$")
BODY_SIZE = 11.0  # points: the size given to OCR text, which has no font size

@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float
    whole: bool = False  # a whole paragraph (from OCR): never joined to its neighbours on the page
    row: bool = False  # a table's row: a passage of its own, on any page, and never a running header
    reach: float = 0.0  # a whole paragraph's widest line's right edge


PageLines = list[tuple[float, list[Line]]]  # each page's height and lines


@dataclass
class Block:
    text: str
    size: float
    page: int
    row: bool = False  # a table's row: a passage of its own (`Line.row`)


def parse_lines(pages: PageLines, metadata: dict, fallback_title: str) -> ParsedText:
    """A document from positioned lines, page by page."""
    lines = _drop_furniture(pages)
    if not lines:
        raise UnreadableInputError("no_paragraphs", "no text paragraphs found in this PDF")
    body_size = Counter(round(line.size) for line in lines).most_common(1)[0][0]
    blocks = _blocks(lines, _right_edge(lines), body_size)
    # from the page as printed: on page 1 the title may sit in the margin where later pages repeat it
    printed = [page for _, page in pages if page]
    title = _title(next((page for page in printed if not _contents_page(page)), printed[0]), body_size)
    return _document(blocks, body_size, title, metadata, fallback_title)


def _drop_furniture(pages: PageLines) -> list[Line]:
    """Page numbers, and margin lines that recur (digits aside) on more than one page."""

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", text.lower())

    def in_margin(line: Line, height: float) -> bool:
        return line.top < height * MARGIN_SHARE or line.top > height * (1 - MARGIN_SHARE)

    # a table's row is never a running header (a table printed in the margin of every page, a procedure's
    # "Mã số … | Trang: 1/3", is read as lines: `retriever.ingest.pdf`): a long table's rows, alike but for
    # their numbers, at the top of its next page were dropped as one
    recurring = Counter(
        shape(text) for height, lines in pages
        for text in {line.text for line in lines if in_margin(line, height) and not line.row}
    )
    kept = []
    for height, lines in pages:
        for line in lines:
            margin = in_margin(line, height) and not line.row
            if margin and (_PAGE_NUMBER.match(line.text) or (len(pages) > 1 and recurring[shape(line.text)] > 1)):
                continue
            kept.append(line)
    return kept


def _right_edge(lines: list[Line]) -> tuple[float, float]:
    """The text's left and right margins. The right one is where most full lines end, not the furthest
    end: one line running past the margin (a long link, a word the typesetter could not break) moved it,
    every line stopped counting as full, and a paragraph running over a page break was cut in two."""
    ends = sorted(max(line.x1, line.reach) for line in lines)
    enough = max(2, int(len(ends) * MARGIN_LINES))
    # the furthest end that enough lines reach (within a few points), or that enough lines go beyond: a
    # lone line past it is an overflow
    right = ends[-1]
    for index in range(len(ends) - 1, -1, -1):
        end = ends[index]
        if len(ends) - index >= enough or index + 1 - bisect_left(ends, end - MARGIN_POINTS) >= enough:
            right = end
            break
    return min(line.x0 for line in lines), right


def _notes_last(lines: list[Line], body_size: int) -> list[Line]:
    """Small print under a page's last line of text (its footnotes) moved after the text, as notes are
    read: a paragraph that runs over the page break was cut in two by the note between its halves."""
    per_page = Counter(line.page for line in lines)
    notes: list[int] = []
    foot: list[int] = []  # the current page's small lines since its last line of text
    for index, line in enumerate(lines):
        if index and line.page != lines[index - 1].page:
            foot = []
        foot = [*foot, index] if not line.whole and line.size < body_size - NOTE_SMALLER else []
        page_ends = index + 1 == len(lines) or lines[index + 1].page != line.page
        # not the last page's (nothing follows it to be cut), nor a page of small print only
        if page_ends and foot and index + 1 < len(lines) and len(foot) < per_page[line.page]:
            notes += foot
    kept = set(notes)
    return [line for i, line in enumerate(lines) if i not in kept] + [lines[i] for i in notes]


def _blocks(lines: list[Line], edges: tuple[float, float], body_size: int) -> list[Block]:
    lines = _notes_last(lines, body_size)
    left, right = edges
    # between lines of running text: a paragraph of OCR or a table row stands apart whatever its place
    gaps = [(round(a.size), b.top - a.top) for a, b in zip(lines, lines[1:])
            if a.page == b.page and abs(a.size - b.size) < 0.5 and not (a.whole or b.whole)]
    pitch = _pitch([g for _, g in gaps if g > 0])
    # each size of print has its own: under a page of 11-point text, notes set in 8 points made the pitch,
    # and every line of the text was a paragraph of its own
    pitches = {size: _pitch([g for s, g in gaps if s == size and g > 0]) for size, _ in gaps}
    blocks: list[Block] = []
    previous: Line | None = None
    for index, line in enumerate(lines):
        after = lines[index + 1] if index + 1 < len(lines) else None
        if previous is None or _breaks(previous, line, pitches.get(round(line.size)) or pitch, left, right) \
                or _indented(previous, line, after, right - left):
            blocks.append(Block(line.text, line.size, line.page, line.row))
        else:
            blocks[-1].text = join_line(blocks[-1].text, line.text)
        previous = line
    return blocks


def _pitch(gaps: list[float]) -> float:
    """The usual distance from one line to the next within a paragraph. The lower quartile, not the median:
    in a text of one- and two-line paragraphs half the gaps are between paragraphs, and with the median
    every paragraph ran into the next."""
    if not gaps:
        return 0.0
    return quantiles(gaps, n=4)[0] if len(gaps) >= 4 else min(gaps)


def _breaks(previous: Line, line: Line, pitch: float, left: float, right: float) -> bool:
    # a row ending in a figure "ran on" into the next page's first line ("…: 1.200 Điều 3. Tổ chức thực hiện")
    if previous.row or line.row or abs(previous.size - line.size) >= 0.5 or is_date_line(previous.text):
        return True
    runs_on = bool(_OPEN_END.search(previous.text)) and previous.x1 >= left + (right - left) * SHORT_LINE
    # "Điều 5. Công tác phí" set in the body's type, at its line pitch, is a line of its own: it was read as
    # the opening of the paragraph under it. A line of text that only starts with "Điều 5 của Luật …" after
    # a line running on is not one
    if line.page == previous.page and not line.whole and not previous.whole and (
        (is_section_label(previous.text) and not line.text[:1].islower())
        or (is_section_label(line.text) and not runs_on)
    ):
        return True
    if line.page == previous.page and (line.whole or previous.whole):
        # OCR's own paragraphs, except one it cut in two mid-sentence
        return not (runs_on and line.text[:1].islower())
    if line.page != previous.page:
        # a paragraph left open at the foot of a page goes on at the top of the next
        return not runs_on
    if pitch and line.top - previous.top > pitch * PARAGRAPH_GAP:
        return True
    if ITEM_MARK.match(line.text) and not _OPEN_END.search(previous.text):
        return True  # "2. …" after an item that ends a sentence at the margin: the list's next item
    short = previous.x1 < left + (right - left) * SHORT_LINE
    return short and not _OPEN_END.search(previous.text)




INDENT_SIZES = 0.8  # a first line set in by this many times its print size, at least, is indented
INDENT_WIDTH = 0.2  # and by no more than this share of the text's width (a centred line is no indent)
INDENT_BACK = 2.0  # points: the next line starts where the paragraph before did


def _indented(previous: Line, line: Line, after: Line | None, width: float) -> bool:
    """`line` opens a paragraph set in by a first-line indent, as Word's body style sets them, after a line
    that ends a sentence: justified, with no space between paragraphs, the paragraph before it ends at the
    margin and was run into it. The line after it goes back to where `previous` starts: a list's hanging
    indent (the number at 6 mm, its text wrapped at 13 mm) sets every line after the first in."""
    indent = line.x0 - previous.x0
    back = after is None or after.page != line.page or abs(after.x0 - previous.x0) <= INDENT_BACK
    # "1. …" over its wrapped text is a list's hanging indent, whatever follows it
    return (line.page == previous.page and not (line.whole or previous.whole) and back
            and not ITEM_MARK.match(previous.text)
            and line.size * INDENT_SIZES <= indent <= width * INDENT_WIDTH and not _OPEN_END.search(previous.text)
            and not line.text[:1].islower())


NOTE_SMALLER = 1.5  # points under the body text's size: a footnote's print (8 or 9 points under 10 to 12)
_CONTENTS_LABEL = re.compile(r"^(?:mục lục|contents|table of contents)$", re.IGNORECASE)


def _contents_page(page: list[Line]) -> bool:
    """A table of contents ("MỤC LỤC", entries with dot leaders and page numbers): a report or a journal
    opens with one, and its label in large print is no title."""
    return any(_CONTENTS_LABEL.match(line.text.strip()) for line in page[:5]) or sum(
        in_contents(line.text) for line in page) >= 3


def _title(first_page: list[Line], body_size: int) -> str:
    """The first run of lines in the largest font on the first page, when larger than the body text."""
    # of the lines with words: a screenshot's status bar ("10:45 4G 85%") is no title
    largest = max((line.size for line in first_page if worded(line.text)), default=0.0)
    if largest < body_size + 1:
        return ""
    start = next(i for i, line in enumerate(first_page) if line.size == largest and worded(line.text))
    run = [first_page[start].text]
    for line in first_page[start + 1 :]:
        if abs(line.size - largest) >= 0.5:
            break
        run.append(line.text)
    return " ".join(run)


def _document(blocks: list[Block], body_size: int, title: str, metadata: dict, fallback_title: str) -> ParsedText:
    title_derived = False
    date, source = "", ""
    sections = Sections()
    if official := official_header([block.text for block in blocks]):  # a decision, an official letter…
        title, date, start = official
        blocks = blocks[start:]
    closing = False  # in a document's closing block (recipients, signature)
    # small print over the headline is a journal's or a newspaper's running header ("TẠP CHÍ … · Số 87"),
    # printed on this page only when the pages before it are a cover or a table of contents
    heading_page = any(block.text in title and block.size >= body_size + 1 for block in blocks) and not official
    # "Chương I" and its name on the next line, one heading
    for block in join_bare_labels(blocks, lambda block: block.text, lambda after, label: replace(after, text=label)):
        # a headline over two lines is one title ("… xâm nhập mặn" / "mùa khô 2024"), each line a block
        in_title = block.size >= body_size + 1 and not sections.paragraphs and block.text in title
        if in_title or block.text == title:
            heading_page = False
            continue
        if heading_page and block.size < body_size and not sections.paragraphs:
            continue
        if not sections.paragraphs and not sections.waiting and not worded(block.text):
            continue  # over the text, a line without a word is furniture: a screenshot's "10:45 4G 85%"
        if is_letterhead(block.text) or in_contents(block.text):
            continue
        if _CONTENTS_LABEL.match(block.text.strip()):
            continue  # "MỤC LỤC" over a table of contents: its entries are left out as well
        # "Nơi nhận:" closes a notice typed in an office's form without the letterhead as it closes an
        # official letter
        closing = (closing or opens_recipients(block.text)) and (official is not None
                                                                  or not goes_on(block.text))
        form = official is not None and is_form_line(block.text, not sections.paragraphs)
        if (closing or form) and not is_section_label(block.text):
            continue  # the recipients and the signature up to an annex; the authority, "QUYẾT ĐỊNH:"
        closing = False
        # larger than the body text, a heading; a paragraph in larger print (a news PDF's lead) is text:
        # headings are short
        larger = block.size >= body_size + 1 and word_count(block.text) <= HEADLINE_MAX_WORDS
        if not title and not sections.paragraphs and not sections.waiting and title_in_capitals(block.text):
            title = block.text  # a scan's or a plain PDF's first line in capitals names it, as a larger one does
            continue
        if larger or is_question(block.text) or is_section_label(block.text):
            sections.open(block.text)
            continue
        # a short line with a date, or before any text a byline with one ("Ngày 20/03/2024 · Nguyễn Minh Tâm")
        # (a table's row is data: a form's "Ngày sinh: 01/02/1990" is no date of the document's)
        short = word_count(block.text) <= (BYLINE_WORDS if not sections.paragraphs else 6)
        if not block.row and (is_date_line(block.text) or (not date and short and find_date(block.text))):
            date = date or find_date(block.text)
            continue
        if found := source_of(block.text):
            source = source or found
            continue
        sections.add(Paragraph(block.text))
    sections.close()
    paragraphs = sections.paragraphs
    if not title:
        title = collapse_spaces(str(metadata.get("Title") or ""))
    if not title and len(paragraphs) > 1 and not paragraphs[0].context and looks_like_headline(paragraphs[0].text):
        # a scan's headline: OCR gives no print sizes, so it came as the first paragraph (a short line without a
        # sentence's end), and was quoted as text under a title made from itself
        title, paragraphs = paragraphs[0].text, paragraphs[1:]
    if not title:
        # from the first paragraph with words: a screenshot's status bar ("10:45 4G 85%") named it
        named = next((p.text for p in paragraphs if worded(p.text)), paragraphs[0].text if paragraphs else "")
        title, title_derived = (derive_title(named) if named else fallback_title), True
    # the article's own dateline says when it was written; the metadata only when the file was made
    date = date or next((found for p in paragraphs[:2] if (found := dateline_date(p.text))), "")
    return ParsedText(title, title_derived, date or _metadata_date(metadata), source, tuple(paragraphs))


def _metadata_date(metadata: dict) -> str:
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", str(metadata.get("CreationDate") or ""))
    return "-".join(match.groups()) if match else ""
