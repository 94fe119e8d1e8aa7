"""Documents to passages: one per paragraph, long ones split at sentence boundaries, duplicates once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from retriever.models import Document
from retriever.text import collapse_spaces, fold, sentences

# Below this many characters a paragraph cannot exceed the encoder's limit (≥ 1 char per token
# for Vietnamese), so the tokenizer need not be asked.
CHARS_PER_TOKEN_FLOOR = 1.0


@dataclass(frozen=True)
class Passage:
    passage_id: int  # stable: derived from the text alone
    doc_key: str
    ordinal: int
    text: str
    teaser: bool
    teaser_title: str
    context: str  # the headline the paragraph sits under: searched with it, never quoted

    @property
    def searchable(self) -> str:
        return f"{self.context}. {self.text}" if self.context else self.text


def stable_id(text: str, bits: int = 62) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - bits)


def passage_key(text: str) -> str:
    """Identity for deduplication: case, accents and spacing differences do not make a new passage."""
    return fold(text)


def split_long(text: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Pack whole sentences into pieces of at most `max_tokens` (a lone longer sentence stays whole)."""
    if len(text) <= max_tokens * CHARS_PER_TOKEN_FLOOR or count_tokens(text) <= max_tokens:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    for sentence in sentences(text):
        candidate = " ".join([*current, sentence])
        if current and count_tokens(candidate) > max_tokens:
            pieces.append(" ".join(current))
            current = [sentence]
        else:
            current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return pieces


def make_passages(
    documents: Iterable[Document],
    max_tokens: int,
    count_tokens: Callable[[str], int],
    known_whole: Container[str] = frozenset(),
    taken: Container[int] = frozenset(),
) -> list[Passage]:
    """`known_whole`: texts already known to fit the encoder (the previous build's passages), which
    need no tokenizer call; at 100k passages those calls are most of a rebuild's reading time.
    `taken`: ids of passages already in the collection (from unchanged files), not repeated."""
    seen: set[int] = set()
    passages: list[Passage] = []
    for document in documents:
        ordinal = 0
        for paragraph in document.paragraphs:
            text = collapse_spaces(paragraph.text)
            pieces = [text] if text in known_whole else split_long(text, max_tokens, count_tokens)
            for piece in pieces:
                key = passage_key(piece)
                context = paragraph.teaser_title if paragraph.teaser else ""
                passage_id = stable_id(f"{fold(context)}\n{key}")
                if not key or passage_id in seen or passage_id in taken:
                    continue
                seen.add(passage_id)
                passages.append(
                    Passage(passage_id, document.key, ordinal, piece, paragraph.teaser, paragraph.teaser_title, context)
                )
                ordinal += 1
    return passages
