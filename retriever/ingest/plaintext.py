"""Plain text and Markdown articles, read with the news heuristics."""

from __future__ import annotations

import re
from dataclasses import replace

import yaml
from markdown_it import MarkdownIt

from retriever.ingest.dates import find_date
from retriever.ingest.news import ParsedText, ends_sentence, parse_news_text
from retriever.ingest.sections import heads_text, reads_as_bold_heading
from retriever.ingest.tables import row_passages
from retriever.text import collapse_spaces

_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")  # "## Đồ uống ##": the closing #s are markup
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")  # a line of = or - under a line of text makes it a heading
_MARKER = re.compile(r"^\s*(?:[-*+]|>+)\s+")  # a list item's bullet, a quotation's >
_BULLET = re.compile(r"^\s*[-*+•–]\s+")  # a plain text list's dash or bullet
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")  # a fenced code block's opening or closing line
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*(:?)\s*$")  # "**Hồ sơ gồm**:", a line all bold


def parse_text(text: str, fallback_title: str) -> ParsedText:
    """A list typed with dashes or bullets ("- Căn cước công dân", "• Ảnh 4x6"): its items are kept under their
    heading however short, without the bullet."""
    lines, items = [], set()
    for line in text.splitlines():
        if _BULLET.match(line):
            line = _BULLET.sub("", line)
            items.add(collapse_spaces(line))
        lines.append(line)
    return parse_news_text("\n".join(lines), fallback_title, items=frozenset(items))


def parse_markdown(text: str, fallback_title: str) -> ParsedText:
    meta, text = front_matter(text)
    stripped, headings, items = read_markdown(text)
    parsed = parse_news_text(stripped, fallback_title, headings, items)
    title, date, source = (_field(meta, key) for key in ("title", "date", "source"))
    return replace(parsed, title=title or parsed.title, title_derived=parsed.title_derived and not title,
                   date=find_date(date) or parsed.date, source=source or parsed.source)


# a static site's Markdown opens with YAML between "---" lines (Jekyll, Hugo, MkDocs): its title, date and
# source name the document. Read as text, "--- title: …" was the title and its lines quoted as passages
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER = 16 * 1024  # characters: metadata, not a document


def front_matter(text: str) -> tuple[dict, str]:
    """The front matter's fields (safe_load: plain data only) and the text after it; ({}, text) without one,
    or where it is no YAML mapping."""
    found = _FRONT.match(text)
    if found is None or len(found.group(1)) > MAX_FRONT_MATTER:
        return {}, text
    try:
        fields = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        return {}, text
    return (fields, text[found.end():]) if isinstance(fields, dict) else ({}, text)


def _field(meta: dict, key: str) -> str:
    value = meta.get(key)
    return collapse_spaces(str(value)) if isinstance(value, (str, int, float)) or hasattr(value, "isoformat") \
        else ""


def read_markdown(text: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """The text without its markup (headings' #s, emphasis, bullets, quotation markers; a table's rows as
    passages naming their columns, as Word's), its heading lines as left (the first, `# Title`, is read
    as the headline) and its list items. A short line all in bold over ordinary text is a heading too."""
    lines: list[str] = []
    headings: set[str] = set()
    items: set[str] = set()
    table: list[list[str]] = []
    bold: set[int] = set()  # which of `lines` were set all in bold
    wraps = False  # the last line is a paragraph's, which the next non-blank line continues

    def end_table() -> None:
        if table:
            lines.extend(f"\n{row}\n" for row in row_passages(table))
            table.clear()

    fenced = False  # inside a code block: its lines are shown as they are, a "#" there is no heading
    for line in text.splitlines():
        wrapped, wraps = wraps, False
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")  # the fence's marks are no text; the block stands apart from what is around it
            continue
        if fenced:
            lines.append(line)
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            if not _TABLE_RULE.match(line):  # "|---|:---:|" only says where the header ends
                table.append([_unemphasised(cell).strip() for cell in line.strip().strip("|").split("|")])
            continue
        end_table()
        if _SETEXT.match(line) and lines and lines[-1].strip():
            headings.add(collapse_spaces(lines[-1]))
            continue
        if atx := _ATX.match(line):
            line = _unemphasised(atx.group(2))
            headings.add(collapse_spaces(line))
        else:
            bulleted = bool(_MARKER.match(line))
            if not bulleted and (whole := _BOLD_LINE.match(line)) and reads_as_bold_heading(whole[2] + whole[3]):
                bold.add(len(lines))
            elif not bulleted and line.strip():
                wraps = True
                if wrapped and not ends_sentence(lines[-1].rstrip()):
                    # a paragraph's next line, as Markdown renders it: "… đón khoảng" / "1,2 triệu lượt khách"
                    lines[-1] = f"{lines[-1].rstrip()} {_unemphasised(line).strip()}"
                    continue
            line = _unemphasised(_MARKER.sub("", line))
            if bulleted:
                items.add(collapse_spaces(line))
        lines.append(line)
    end_table()
    shown = [i for i, line in enumerate(lines) if line.strip()]
    headings.update(collapse_spaces(lines[i]) for i, heads in zip(shown, heads_text([i in bold for i in shown]))
                    if heads)
    return "\n".join(lines), frozenset(headings), frozenset(items)


# CommonMark's inline syntax read by markdown-it-py, the parser mkdocs and rich use: what a reader of the
# rendered page sees is the text, so that is what is quoted: "_Tuy Hòa, ngày 5/4/2025_" is a dateline,
# "[Sở Văn hóa](https://…)" the words "Sở Văn hóa", `18%` "18%"; an image ("![ảnh](a.jpg)") and inline
# HTML tags show no text. Emphasis inside a word ("snake_case") stays, as CommonMark renders it
_INLINE = MarkdownIt("commonmark")
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\](?::\s*)?")  # "[^1]" in the text, "[^1]: " before the note


def _unemphasised(line: str) -> str:
    """`line` as its rendered Markdown reads."""
    if not line.strip():
        return line
    [inline] = _INLINE.parseInline(_FOOTNOTE_MARK.sub("", line))
    return "".join(
        token.content if token.type in ("text", "code_inline") else " " if token.type.endswith("break") else ""
        for token in inline.children or ()
    )
