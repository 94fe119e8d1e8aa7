"""HTML articles: main text and metadata (title, date, site name, canonical URL) via trafilatura,
then the news heuristics (furniture, teasers, source lines) over its paragraphs.

trafilatura falls back to a flat one-paragraph "baseline" on very short pages; there the text
blocks of the page's own <article> (selectolax) keep the paragraph breaks it lost.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date as date_of_day

import htmldate
import trafilatura
from lxml.etree import _Element
from selectolax.lexbor import LexborHTMLParser
from trafilatura.settings import set_date_params

from retriever.errors import UnreadableInputError
from retriever.ingest.dates import find_date, is_date_line
from retriever.ingest.marks import drop_note_marks, drop_typed_marks
from retriever.ingest.news import ParsedText, parse_news_text
from retriever.ingest.page_boxes import drop_ads, drop_furniture, related_last
from retriever.ingest.sections import heads_text, reads_as_bold_heading
from retriever.ingest.tables import row_passages
from retriever.models import Paragraph
from retriever.text import collapse_spaces

log = logging.getLogger(__name__)

_BLOCKS = "h2, h3, h4, p, li, blockquote"
_DROP = "script, style, noscript, nav, header nav, footer, aside, form, iframe, svg, button, figcaption"
_TEXT_TAGS = {"p", "head", "item", "quote", "row"}


def parse_html(html: str, fallback_title: str = "") -> ParsedText:
    """Raises ValueError when the page holds no article text."""
    notes: list[str] = []
    html = _cleaned(html, notes)
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_tables=True, include_comments=False, include_images=False,
        date_extraction_params=set_date_params(extensive=False),
    )
    if not isinstance(extracted, trafilatura.settings.Document) or extracted.body is None:
        raise UnreadableInputError("not_article", "not an article: no main text found on the page")
    headings: set[str] = set()
    items: set[str] = set()
    blocks = _trafilatura_blocks(extracted.body, headings, items)
    own_headings: set[str] = set()
    bold: set[str] = set()
    own, in_article = _article_blocks(html, own_headings, items, set(blocks), bold)
    # a hand-made page without <article>: trafilatura may run it into one passage, or keep its paragraphs
    # and drop its section headings and lists ("Giấy tờ cần mang" and the three items under it). Read block
    # by block, the page gives them back; only where that reading holds all trafilatura kept, so that text
    # outside the page's blocks is not lost
    if own and (len(blocks) <= 1 or (not in_article and len(own) > len(blocks) and set(blocks) <= set(own))):
        blocks, headings = own, own_headings
    # "<p><strong>Đăng ký học phần</strong></p>" over ordinary paragraphs: a heading typed as a paragraph
    headings.update(block for block, heads in zip(blocks, heads_text([block in bold for block in blocks])) if heads)
    title = collapse_spaces(extracted.title or "")
    if len(title.split()) >= 4:
        # on a page without an <article>, trafilatura may run the headline into the first paragraph; a
        # paragraph of the page that opens with the headline's words ("Trung tâm Y tế phường Bến Thành khám
        # bệnh …") keeps them
        blocks = [block[len(title):].strip() if block.startswith(f"{title} ") and block not in own else block
                  for block in blocks]
    # the headline goes first so the text parser recognises it and keeps it out of the passages
    parsed = parse_news_text("\n\n".join([title, *blocks]), fallback_title, frozenset(headings), frozenset(items))
    if not parsed.paragraphs:
        raise UnreadableInputError("not_article", "not an article: no paragraphs of text on the page")
    # the page's markup (meta tags, <time>, the address) names its date; without it the date is the one its
    # text gives ("Hà Nội, ngày 12 tháng 5 năm 2025"). htmldate's search of the text read "năm 2025" in a
    # sentence as 2025-01-01. Without a date in the markup, the date htmldate reads may be the site header's,
    # today's ("Thứ Hai, 07/12/2026" over every page): then the article's own, under its headline, wins
    found = find_date(extracted.date or "")
    if found.endswith("-01") and _DOCUMENT_NUMBER.search(html) and not _marked_up(html):
        found = _unnumbered_date(html)
    if found == date_of_day.today().isoformat() and not _marked_up(html):
        found = _date_line(html) or parsed.date or found
    date = found or parsed.date or _date_line(html)
    if parsed.date and date.endswith("-01"):
        # a month alone ("tháng 6/2025" in the page's title) is read as its 1st: the text's own date line
        # ("Ngày đăng: 28/05/2025") says the day
        date = parsed.date
    source = parsed.source or collapse_spaces(extracted.sitename or "")
    # the page's notes after its text, as printed, and as a Word file's footnotes are read
    texts = {paragraph.text for paragraph in parsed.paragraphs}
    paragraphs = tuple(replace(paragraph, text=drop_typed_marks(paragraph.text)) for paragraph in parsed.paragraphs)
    paragraphs += tuple(Paragraph(note) for note in dict.fromkeys(notes) if note not in texts)
    return ParsedText(parsed.title or title, parsed.title_derived, date, source, paragraphs, url=extracted.url or "")


# a Vietnamese legal document's number: its serial, the year, its kind and issuer ("12/2024/TT-BGDĐT",
# "15/2020/NĐ-CP"), which htmldate reads as a month ("12/2024": 1 December 2024) in a page's title
_DOCUMENT_NUMBER = re.compile(r"\b(\d{1,4})/(\d{4})/(?=[A-ZĐ])")


def _unnumbered_date(html: str) -> str:
    """The date htmldate reads in `html` once its documents' numbers no longer look like dates ("")."""
    masked = _DOCUMENT_NUMBER.sub(lambda number: f"{number[1]}\u2215{number[2]}/", html)  # a division slash
    return find_date(htmldate.find_date(masked, **set_date_params(extensive=False)) or "")


def _date_line(html: str) -> str:
    """The date printed on a line of its own under the headline ("Thứ Năm, ngày 3 tháng 12 năm 2026 - 15:00"
    in a `<div class="meta">`), which neither the page's markup nor the extractor gave. Between the `<h1>`
    and the text only: a site's header shows today's date, and a sidebar the dates of other articles."""
    headline = False
    for node in LexborHTMLParser(html).css("h1, time, span, div, p, small"):
        if node.tag == "h1":
            headline = True
            continue
        line = collapse_spaces(node.text(deep=True))
        if not headline or not line:
            continue
        if len(line) > 80 and node.tag == "p":
            break  # the text has begun
        if len(line) <= 80 and is_date_line(line) and (found := find_date(line)):
            return found
    return ""


_DATE_MARKUP = (
    'meta[property$="published_time"], meta[itemprop="datePublished"], meta[name="pubdate"], '
    'meta[name="publishdate"], meta[name="date"], meta[property="og:updated_time"], '
    '[itemprop="datePublished"], time[datetime]'
)


def _marked_up(html: str) -> bool:
    """Whether the page's markup dates it (meta tags, `<time datetime>`), as htmldate reads first."""
    return LexborHTMLParser(html).css_first(_DATE_MARKUP) is not None


def _cleaned(html: str, notes: list[str]) -> str:
    """The page without its advertisements, footnote marks and notes (`retriever.ingest.marks`: `notes`
    gets those that are text), parsed once."""
    tree = LexborHTMLParser(html)
    changed = drop_ads(tree)
    changed = related_last(tree) or changed
    changed = drop_note_marks(tree, notes) or changed
    return (tree.html or html) if changed else html


def _trafilatura_blocks(body: _Element, headings: set[str], items: set[str]) -> list[str]:
    """The body's blocks of text; `headings` gets the section headings among them, `items` the list items."""
    blocks = []
    for node in body.iter():
        if node.tag == "table":
            # a row per passage, each value named by its column ("Loại vé: Vé cáp treo khứ hồi; Người lớn:
            # 950.000 đồng"), as Word's tables: joined bare, a price could not be told an adult's or a child's
            cells = [[cell for cell in row if cell.tag == "cell"] for row in node.iter("row")]
            rows = [[" ".join(t.strip() for t in cell.itertext() if t.strip()) for cell in row] for row in cells]
            heads = [[cell.get("role") == "head" for cell in row] for row in cells]
            blocks.extend(_table_passages(rows, _header(heads)))
            continue
        if node.tag not in _TEXT_TAGS or (node.tag == "p" and node.getparent() is not None
                                          and node.getparent().tag in {"item", "cell"}):
            continue
        if node.tag == "head" and node.get("rend") == "h1":
            continue  # the headline: trafilatura also gives it as the title
        if node.tag == "row" or any(parent.tag == "table" for parent in node.iterancestors()):
            continue  # read with its table
        text = collapse_spaces(" ".join(t.strip() for t in node.itertext() if t.strip()))
        if text:
            blocks.append(text)
            if node.tag == "head":
                headings.add(text)
            elif node.tag == "item":
                items.add(text)
    return blocks


def _article_blocks(
    html: str, headings: set[str], items: set[str], kept: set[str], bold: set[str]
) -> tuple[list[str], bool]:
    """The blocks of text of the page's <article>, else of the part of its body that holds the blocks
    trafilatura `kept`; and whether it has an <article>. `bold` gets the paragraphs set all in bold that
    read as headings."""
    tree = LexborHTMLParser(html)
    for node in tree.css(_DROP):
        node.decompose()
    drop_furniture(tree, kept, _BLOCKS)
    # a hand-made page has no <article>: its body, read block by block, rather than the one run of text
    # trafilatura gave (a heading, a table and a list in one passage); within the element that holds all
    # trafilatura kept (`<div id="main">`), not its menus, sidebars and footer
    article = tree.css_first("article")
    root = article or (tree.body and _holding(tree.body, kept)) or tree.body
    if root is None:
        return [], False
    blocks = []
    for node in root.css(f"{_BLOCKS}, table"):
        if node.tag == "table":
            cells = [row.css("th, td") for row in node.css("tr")]
            rows = [[collapse_spaces(cell.text(separator=" ")) for cell in row] for row in cells]
            blocks.extend(_table_passages(rows, _header([[cell.tag == "th" for cell in row] for row in cells])))
            continue
        if (node.tag == "li" and node.css_first("p")) or _in_table(node):
            continue
        text = collapse_spaces(node.text(separator=" "))
        if text:
            blocks.append(text)
            if node.tag == "p" and (strong := node.css_first("strong, b")) is not None and reads_as_bold_heading(
                text) and collapse_spaces(strong.text(separator=" ")) == text:
                bold.add(text)
            if node.tag in {"h2", "h3", "h4"}:
                headings.add(text)
            elif node.tag == "li":
                items.add(text)
    return blocks, article is not None


def _holding(body, kept: set[str]):
    """The innermost element holding every block of `body` whose text trafilatura kept (None: none found)."""
    found = [node for node in body.css(_BLOCKS) if collapse_spaces(node.text(separator=" ")) in kept]
    if not found:
        return None
    chains = [_ancestors(node) for node in found]
    others = [{ancestor.mem_id for ancestor in chain} for chain in chains[1:]]
    return next((node for node in chains[0] if all(node.mem_id in ids for ids in others)), None)


def _ancestors(node) -> list:
    chain = []
    while (node := node.parent) is not None:
        chain.append(node)
    return chain


def _in_table(node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "table":
            return True
        parent = parent.parent
    return False


def _header(heads: list[list[bool]]) -> bool | None:
    """What a table's header cells (`<th>`, each row's cells: whether one) say of its first row: a header
    (True); not one where they run down the first column instead, a form's labels ("Họ và tên", False);
    None where they say nothing, and the cells tell (`retriever.ingest.tables.is_key_value`)."""
    rows = [row for row in heads if row]
    if rows and all(rows[0]):
        return True
    if len(rows) >= 2 and all(row[0] and not any(row[1:]) for row in rows):
        return False
    return None


def _table_passages(rows: list[list[str]], header: bool | None) -> list[str]:
    """A data table's rows naming their columns, or a form's each a label and its value; a table of one
    column without header cells is layout (a page set in a table), its rows text as they are."""
    columns = max((len(row) for row in rows), default=0)
    return row_passages(rows, header) if columns >= 2 or header else [" ".join(row) for row in rows]
