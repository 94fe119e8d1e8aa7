"""Word documents (python-docx): paragraphs, headings, lists and tables, in document order, then the
footnotes.

The first heading is the title; later headings name sections: searched with the paragraphs under them
and shown above their quotes, never quoted themselves. Offices often type a heading in the body style and
set it in bold: a short bold line over ordinary text heads it too. A table row
becomes one passage that names its columns ("Năm: 2024; Sản lượng: 2.760 tấn"), so the row
still says what its numbers are when quoted alone.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph as WordParagraph

from retriever.errors import UnreadableInputError
from retriever.ingest.dates import dateline_date, find_date, is_date_line, placed_date
from retriever.ingest.news import BYLINE_WORDS, ParsedText, derive_title, is_question, official_header, source_of
from retriever.ingest.official import MOTTO, goes_on, is_form_line, is_letterhead, opens_recipients
from retriever.ingest.sections import (
    Sections,
    heads_text,
    in_contents,
    is_section_label,
    join_bare_labels,
    reads_as_bold_heading,
    title_in_capitals,
)
from retriever.ingest.tables import row_passages
from retriever.models import Paragraph
from retriever.text import collapse_spaces, nfc, word_count

# what a Word file may unpack to before it is parsed: its text is XML that python-docx holds as a tree
# (several times its size), so a member that inflates a thousandfold must be refused while inflating
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024
FORM_ROWS = 4  # a letterhead or signature table is a few rows; a table of data has more


def parse_docx(raw: bytes, fallback_title: str) -> ParsedText:
    """Raises ValueError naming the reason when the file is not a readable .docx."""
    check_unpacked(raw)
    try:
        document = open_docx(io.BytesIO(raw))
        blocks = _bold_headings(list(_blocks(_body_items(document))))
        notes = _footnotes(document)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableInputError(
            "docx_corrupt",
            "not a readable Word .docx file (damaged, or an old .doc: save it as .docx and send it again)"
        ) from error
    title, date, source = "", "", ""
    rows: set[str] = set()  # the tables' rows
    sections = Sections()
    if official := official_header([text for _, text in blocks]):  # a decision, an official letter…
        title, date, start = official
        blocks = blocks[start:]
    closing = False  # in a document's closing block (recipients, signature)
    signing = False  # in the lines of a form under its date, once the text has begun: the signature
    for kind, text in join_bare_labels(blocks, lambda block: block[1], lambda _, label: ("heading", label)):
        in_form, kind = kind == "form", "text" if kind == "form" else kind
        signing = signing and in_form
        if is_letterhead(text) or in_contents(text) or signing:
            continue
        # "Tam Kỳ, ngày 5 tháng 9 năm 2025" over "CHỦ TỊCH" and a name, in a table or typed with line breaks:
        # the date of a notice, and its signer, who answers nothing
        signing = in_form and bool(sections.paragraphs) and is_date_line(text)
        # "Nơi nhận:" closes a notice or a guide typed in an office's form without the letterhead as it
        # closes an official letter: the recipients and the signature answer nothing in either
        closing = (closing or opens_recipients(text)) and (official is not None or not goes_on(text))
        form = official is not None and is_form_line(text, not sections.paragraphs)
        if (closing or form) and not is_section_label(text):
            continue  # the recipients and the signature up to an annex; the authority, "QUYẾT ĐỊNH:"
        closing = False
        # "Điều 12. Cảnh báo học tập" typed in the body style is a heading all the same, and a first line in
        # capitals before any text and any title is the title ("QUY CHẾ ĐÀO TẠO"), not a byline heading all
        if kind == "text" and (is_section_label(text) or (not title and not sections.paragraphs
                                                          and title_in_capitals(text))):
            kind = "heading"
        if kind == "heading" and not title and not sections.paragraphs:
            title = text  # a heading before any text names the document; later ones its sections
            continue
        if kind == "heading" or is_question(text):
            sections.open(text)
            continue
        # a date line, or a short line with a date before the text ("Cập nhật 10:30, 12/5/2025 bởi …"), is
        # the date; a paragraph that opens with a dateline ("Đà Lạt, ngày 12 tháng 5 năm 2025 – …") is text
        opening = kind == "text" and not date and not sections.paragraphs
        if kind == "text" and (is_date_line(text) or (opening and word_count(text) <= BYLINE_WORDS
                                                      and find_date(text))):
            date = date or find_date(text)
            continue
        if opening:
            date = dateline_date(text)
        if kind == "text" and (found := source_of(text)):
            source = source or found
            continue
        sections.add(Paragraph(text))
        if kind == "row":
            rows.add(text)
    sections.close()
    paragraphs = [*sections.paragraphs, *(Paragraph(note) for note in notes)]  # notes after the text, as printed
    properties = document.core_properties
    # when the text gives none, the day the file was last saved, as a PDF printed from it is dated: not the day
    # it was created, which a file started from a template or from last year's letter carries over from that
    if not date and properties.modified is not None:
        date = properties.modified.date().isoformat()
    derived = not title
    if derived:
        # a table's row ("Loại vé: Người lớn; Giá: 950.000 đồng") names no document: a file of tables alone
        # is named by its file name
        prose = next((p.text for p in paragraphs if p.text not in rows), "")
        title = collapse_spaces(properties.title or "") or (derive_title(prose) if prose else fallback_title)
    return ParsedText(title, derived, date, source, tuple(paragraphs))


def check_unpacked(raw: bytes) -> None:
    """Inflate every member as a stream and count (the sizes a ZIP declares may lie): UnreadableInputError
    past the limits, in a bounded amount of memory and time whatever the file claims."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return  # python-docx says it is not a .docx
    xml_total = total = 0
    with archive:
        for info in archive.infolist():
            is_xml = info.filename.endswith((".xml", ".rels"))
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        xml_total += len(chunk) if is_xml else 0
                        if xml_total > MAX_XML_BYTES:
                            raise _too_big(info.filename, MAX_XML_BYTES)
                        if total > MAX_UNPACKED_BYTES:
                            raise _too_big(info.filename, MAX_UNPACKED_BYTES)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError) as error:
                raise UnreadableInputError(
                    "docx_corrupt", f"not a readable Word .docx file ({info.filename} is damaged or encrypted)"
                ) from error


def _too_big(member: str, limit: int) -> UnreadableInputError:
    size = f"{limit // 1024 // 1024} MB"
    return UnreadableInputError(
        "docx_size", f"the Word file unpacks to more than {size} (at {member}): a compressed bomb?", size=size,
    )


def _body_items(document: WordDocument) -> Iterator[WordParagraph | Table]:
    """The body's paragraphs and tables in order, those inside content controls (`w:sdt`: forms and
    templates put whole paragraphs in them) included: python-docx's `iter_inner_content` passes over them."""
    body = document._body  # noqa: SLF001 - the parent python-docx gives its own paragraphs

    def walk(element) -> Iterator[WordParagraph | Table]:
        for child in element.iterchildren():
            if child.tag == _P:
                yield WordParagraph(child, body)
                # a text box anchored in the paragraph (a sidebar, a callout: "Giá vé 9.000 đồng") comes
                # after it; Word writes it twice, as a drawing and as a fallback shape, read once
                for box in child.iter(_TXBX):
                    if not any(above.tag in (_FALLBACK, _TXBX) for above in box.iterancestors()):
                        yield from walk(box)
            elif child.tag == _TBL:
                yield Table(child, body)
            elif child.tag == _SDT:
                yield from (item for content in child.iterchildren(_SDT_CONTENT) for item in walk(content))

    yield from walk(document.element.body)


_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TXBX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# what a paragraph shows, as Word does with its changes accepted: the text of tracked insertions (`w:ins`,
# which python-docx's `Paragraph.text` leaves out) and of inline content controls; not deleted or moved-away
# text, nor a text box's, which is a block of its own (`_body_items`)
_TEXT = qn("w:t")
_BREAK = qn("w:br")
_SHOWN = {qn("w:tab"): " ", _BREAK: " ", qn("w:cr"): " ", qn("w:noBreakHyphen"): "-"}
_HIDDEN = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:rPr"), qn("w:pPr")}


def paragraph_text(element, line_break: str = " ") -> str:
    """The text `element` (a `w:p`) shows, its tracked changes accepted; a line break within it
    (Shift+Enter) is `line_break`. Composed (NFC): Unikey's "Unicode tổ hợp" and macOS type Vietnamese
    decomposed, which no question typed composed matched, and no date or heading pattern read."""
    parts: list[str] = []
    shown = {**_SHOWN, _BREAK: line_break}

    def walk(node) -> None:
        for child in node.iterchildren():
            if child.tag in _HIDDEN:
                continue
            if child.tag == _TEXT:
                parts.append(child.text or "")
            elif child.tag in shown:
                parts.append(shown[child.tag])
            else:
                walk(child)

    walk(element)
    return nfc("".join(parts))


def _blocks(items: Iterator[WordParagraph | Table]) -> Iterator[tuple[str, str]]:
    """("heading" | "text" | "bold", text) in document order; a table gives one "row" per data row, or, laid
    out as a letterhead or a signature, one "form" a line."""
    for item in items:
        if isinstance(item, Table):
            if (lines := _form_lines(item)) is not None:
                yield from (("form", line) for line in lines)
            else:
                yield from (("row", row) for row in _table_rows(item))
            continue
        lines = [line for part in paragraph_text(item._p, "\n").split("\n") if (line := collapse_spaces(part))]  # noqa: SLF001
        if len(lines) > 1 and placed_date(lines[0]):  # the date over the signer, typed with line breaks
            yield from (("form", line) for line in lines)
            continue
        text = " ".join(lines)
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            yield "heading", text
        else:
            yield ("bold" if _bold_label(item, text) else "text"), text


def _bold_headings(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    heading = heads_text([kind == "bold" for kind, _ in blocks])
    return [("heading" if heads else "text", text) if kind == "bold" else (kind, text)
            for (kind, text), heads in zip(blocks, heading)]


def _bold_label(paragraph: WordParagraph, text: str) -> bool:
    """Every letter in bold, set on the runs or by the paragraph's style, and read as a heading."""
    if not reads_as_bold_heading(text):
        return False
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs or nfc(collapse_spaces("".join(run.text for run in paragraph.runs))) != text:
        return False  # text in a link or a field: not all of it is seen here
    styled = bool(paragraph.style is not None and paragraph.style.font.bold)
    return all(run.bold or (run.bold is None and (bool(run.style.font.bold) or styled)) for run in runs)


def _footnotes(document: WordDocument) -> list[str]:
    """The text of each footnote ("Thông tư này thay thế Thông tư số 12/2017/TT-BGTVT"): python-docx reads
    the body only, and a law's footnotes say what it replaces or amends."""
    for relationship in document.part.rels.values():
        if relationship.reltype == RT.FOOTNOTES and not relationship.is_external:
            notes = parse_xml(relationship.target_part.blob).findall(qn("w:footnote"))
            texts = [nfc("".join(node.text or "" for node in note.iter(qn("w:t")))) for note in notes
                     if note.get(qn("w:type")) is None]  # separators are typed; notes are not
            return [text for text in map(collapse_spaces, texts) if word_count(text) >= 2]
    return []


def _form_lines(table: Table) -> list[str] | None:
    """An official document's letterhead or signature laid out in a borderless table, as Word's templates
    for them do (the issuing body, its number and "V/v …" left, the motto and "Hà Nội, ngày …" right;
    "Nơi nhận:" left, "KT. CHỦ TỊCH" right): its lines, cell after cell, as if typed one under another,
    so that the letterhead names and dates the document and the closing block is left out. Read as a
    table's rows, the whole letterhead was quoted as one passage and the file's creation date was its date.
    None for any other table."""
    if len(table.rows) > FORM_ROWS:
        return None
    lines: list[str] = []
    # the cells' elements themselves, kept: a merged cell repeats, and an id alone is reused once lxml frees
    # the element's proxy (a second row's cell was taken for the first's and left out)
    seen: list[object] = []
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is other for other in seen):  # noqa: SLF001
                continue
            seen.append(cell._tc)  # noqa: SLF001
            # a line break within a cell's paragraph (Shift+Enter) is a line of the form too
            lines.extend(text for paragraph in cell.paragraphs
                         for line in paragraph_text(paragraph._p, "\n").split("\n")  # noqa: SLF001
                         if (text := collapse_spaces(line)))
    # a letterhead without the motto (a school's, a party committee's) or a signature block: the place and date
    form = any(MOTTO.match(line) or placed_date(line) for line in lines) or any(
        opens_recipients(line) for line in lines[:1])
    return lines if form else None


def _table_rows(table: Table) -> list[str]:
    """Its rows as passages; a first row that Word repeats atop each page (`w:tblHeader`) is the header,
    otherwise the cells tell a header from a form's labels down the first column."""
    rows = list(table.rows)
    marked = bool(rows) and rows[0]._tr.find(f"{_TR_PR}/{_TBL_HEADER}") is not None  # noqa: SLF001
    return row_passages([_cells(row.cells) for row in rows], True if marked else None)


_TR_PR, _TBL_HEADER = qn("w:trPr"), qn("w:tblHeader")


def _cells(cells: list) -> list[str]:
    """Cell texts; a merged cell repeats in python-docx and is kept once."""
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell is previous or (previous is not None and cell._tc is previous._tc):
            texts.append("")
        else:
            # its tracked changes accepted: python-docx's `cell.text` leaves out inserted text ("15.000 đồng")
            texts.append(collapse_spaces(" ".join(paragraph_text(p._p) for p in cell.paragraphs)))  # noqa: SLF001
        previous = cell
    return texts
