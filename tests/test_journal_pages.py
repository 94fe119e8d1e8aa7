"""A journal's article in PDF: read as printed, whatever the page around it (contents, running header,
ragged columns, a headline over two lines, a byline)."""

from __future__ import annotations

from pathlib import Path

from retriever.ingest.files import parse_source, read_source
from tests.journal_pages import JOURNAL_PARAGRAPHS, JOURNAL_TITLE, make_journal_pdf


def test_a_journal_article_is_read_whole_in_order_under_its_headline(tmp_path: Path) -> None:
    path = make_journal_pdf(tmp_path / "tap-chi.pdf")
    [document] = parse_source(read_source(path, tmp_path))
    # the contents page's "MỤC LỤC" was the title, and the headline's second line the heading of every paragraph
    assert document.title == JOURNAL_TITLE and not document.title_derived
    assert document.date == "2024-03-20"  # from the byline, which is no paragraph
    # ragged left lines that reach into the gutter were read across the page, glued to the right column's
    assert [p.text for p in document.paragraphs] == list(JOURNAL_PARAGRAPHS)
    assert all(not p.context for p in document.paragraphs)  # the running header is no heading or paragraph


def test_a_footnote_at_the_foot_of_a_page_does_not_cut_the_paragraph_running_over_it(tmp_path: Path) -> None:
    from tests.journal_pages import FOOTNOTE, FOOTNOTED_PARAGRAPH, FOOTNOTED_TITLE, make_footnoted_pdf

    path = make_footnoted_pdf(tmp_path / "cat-lai.pdf")
    [document] = parse_source(read_source(path, tmp_path))
    assert document.title == FOOTNOTED_TITLE
    # the note sat between the paragraph's halves: quoted, the second half began mid-sentence
    assert [p.text for p in document.paragraphs] == [FOOTNOTED_PARAGRAPH, FOOTNOTE]
