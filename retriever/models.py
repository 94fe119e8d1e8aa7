"""Typed records that flow between ingestion, the index, search and the edges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document as ingested, before indexing."""

    text: str
    teaser: bool = False  # a teaser of another article, not the host article's own text
    teaser_title: str = ""
    # the section heading the paragraph sits under ("Điều 12. Cảnh báo học tập", an FAQ's question): searched
    # with it and shown above its quote, never quoted as an answer itself
    heading: str = ""

    @property
    def context(self) -> str:
        """What is searched with the paragraph and stored beside it: a teaser's headline, or the heading."""
        return self.teaser_title if self.teaser else self.heading

    @classmethod
    def stored(cls, text: str, teaser: bool, context: str) -> Paragraph:
        """From a stored row, whose one column holds the `context`."""
        return cls(text, teaser, context if teaser else "", "" if teaser else context)


@dataclass(frozen=True)
class Document:
    """A parsed source file (or one line of a .jsonl file)."""

    key: str  # stable identity: relative path, plus "#id" for jsonl records
    path: str  # file relative to the data folder
    title: str
    title_derived: bool
    date: str  # ISO date ("2021-04-02", "2025-04") or ""
    source: str
    url: str
    paragraphs: tuple[Paragraph, ...]
    content_hash: str


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str  # in English, for logs and the command line
    code: str = ""  # `UnreadableInputError.code`, for the bot to say the reason in the admin's language
    details: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, path: str, error: BaseException) -> SkippedFile:
        from retriever.errors import UnreadableInputError

        if isinstance(error, UnreadableInputError):
            return cls(path, str(error), error.code, tuple((k, str(v)) for k, v in error.details.items()))
        return cls(path, str(error) or type(error).__name__)


@dataclass(frozen=True)
class CutParagraph:
    """A paragraph past `retriever.index.passages.MAX_PARAGRAPH_CHARS`: only its first `kept` characters
    are indexed."""

    path: str
    chars: int
    kept: int


@dataclass(frozen=True)
class SearchResult:
    row: int  # the passage's row in the index generation that answered (not a stable id)
    text: str  # the paragraph, verbatim
    highlight: str  # the sentence(s) of `text` that best match the question
    score: float
    title: str
    date: str
    source: str
    document: str  # file the paragraph comes from
    doc_id: int
    teaser: bool
    teaser_title: str = ""  # a teaser's headline; for the document's own paragraph, the heading it sits under
    url: str = ""  # the document's web address, when it has one: the source line links to the quote
    passage_id: int = 0  # stable across index generations (derived from the text): answers' buttons re-read by it
    ocr: bool = False  # the paragraph was read from a scan or photo by OCR: it may hold misread words


@dataclass(frozen=True)
class SearchResponse:
    question: str
    abstained: bool
    results: tuple[SearchResult, ...]
    query_ms: float = 0.0
    foreign: bool = False  # the question is not in the collection's language (in practice: English)
    # how many of `results`, from the first, pass the gate on their own: an answer shows these, and the
    # rest (weaker, still related) only behind "more results". None: all of them
    confident: int | None = None

    @property
    def shown(self) -> int:
        """How many results the first page of an answer shows."""
        return len(self.results) if self.confident is None else max(1, min(self.confident, len(self.results)))


@dataclass(frozen=True)
class ArticleInfo:
    doc_id: int
    title: str
    date: str
    source: str
    document: str
    passages: int
    url: str = ""


@dataclass(frozen=True)
class Article:
    info: ArticleInfo
    paragraphs: tuple[str, ...]


def with_headings(paragraphs: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """An article's lines from its (text, heading) paragraphs: each heading once, above its first paragraph."""
    lines: list[str] = []
    current = ""
    for text, heading in paragraphs:
        if heading and heading != current:
            lines.append(heading)
        current = heading
        lines.append(text)
    return tuple(lines)


@dataclass(frozen=True)
class IndexInfo:
    """What the manifest says about a built index."""

    backend: str
    model: str
    quantization: str
    dim: int
    documents: int
    passages: int
    built_at: str
    dense_index: str
    fingerprint: str


@dataclass(frozen=True)
class BuildProgress:
    stage: str  # "reading", "encoding", "indexing", "done"
    done: int
    total: int


@dataclass(frozen=True)
class BuildReport:
    documents: int
    passages: int
    added: int  # documents new since the last build
    changed: int
    removed: int
    passages_added: int
    passages_removed: int
    encoded: int  # passages that had to be embedded
    skipped: tuple[SkippedFile, ...] = field(default_factory=tuple)
    seconds: float = 0.0
    unchanged: bool = False  # nothing to do: the existing index was kept
    # the delta an update was written as is past its bound: fold it (`retriever.index.local.fold`)
    fold_due: bool = False
    cut: tuple[CutParagraph, ...] = ()  # paragraphs of the files read that were cut (said to the admin)
