"""Plain text and Markdown articles, read with the news heuristics."""

from __future__ import annotations

import re

from retriever.ingest.news import ParsedText, parse_news_text
from retriever.ingest.sections import heads_text, reads_as_bold_heading
from retriever.ingest.tables import row_passages
from retriever.text import collapse_spaces

_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")  # "## Đồ uống ##": the closing #s are markup
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")  # a line of = or - under a line of text makes it a heading
_MARKER = re.compile(r"^\s*(?:[-*+]|>+)\s+")  # a list item's bullet, a quotation's >
_BULLET = re.compile(r"^\s*[-*+•–]\s+")  # a plain text list's dash or bullet
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
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
    stripped, headings, items = read_markdown(text)
    return parse_news_text(stripped, fallback_title, headings, items)


def read_markdown(text: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """The text without its markup (headings' #s, emphasis, bullets, quotation markers; a table's rows as
    passages naming their columns, as Word's), its heading lines as left (the first, `# Title`, is read
    as the headline) and its list items. A short line all in bold over ordinary text is a heading too."""
    lines: list[str] = []
    headings: set[str] = set()
    items: set[str] = set()
    table: list[list[str]] = []
    bold: set[int] = set()  # which of `lines` were set all in bold

    def end_table() -> None:
        if table:
            lines.extend(f"\n{row}\n" for row in row_passages(table))
            table.clear()

    for line in text.splitlines():
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            if not _TABLE_RULE.match(line):  # "|---|:---:|" only says where the header ends
                table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
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
            line = _unemphasised(_MARKER.sub("", line))
            if bulleted:
                items.add(collapse_spaces(line))
        lines.append(line)
    end_table()
    shown = [i for i, line in enumerate(lines) if line.strip()]
    headings.update(collapse_spaces(lines[i]) for i, heads in zip(shown, heads_text([i in bold for i in shown]))
                    if heads)
    return "\n".join(lines), frozenset(headings), frozenset(items)


def _unemphasised(line: str) -> str:
    return line.replace("**", "").replace("__", "")
