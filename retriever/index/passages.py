"""Documents to passages: one per paragraph, long ones split at sentence boundaries, duplicates once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from retriever.index.lists import with_lists
from retriever.models import CutParagraph, Document
from retriever.text import collapse_spaces, fold, sentences

# Below this many characters a paragraph cannot exceed the encoder's limit (≥ 1 char per token
# for Vietnamese), so the tokenizer need not be asked.
CHARS_PER_TOKEN_FLOOR = 1.0
# a sentence with no end in sight is cut into windows of this many characters per token before counting,
# so that no single tokenizer call (nor any passage) grows with the input: splitting stays linear
CHARS_PER_TOKEN_WINDOW = 3
# no tokenizer averages more characters per token than this: a longer text is split without being counted
CHARS_PER_TOKEN_CEILING = 16
# a text whose words' counts add up to this much under the limit is taken to fit without counting it whole
# (`WordCounts`); closer to the limit, the whole text is counted
ESTIMATE_MARGIN = 16
# words' counts remembered at most (a collection's vocabulary of syllables, names and numbers)
WORDS_REMEMBERED = 500_000
# past this a "paragraph" is not prose (a dump, a log, a table flattened into one line): the rest is dropped.
# A bound on a file's reading time and passages (a 30 MB line would be 100,000 passages of noise), so it is
# kept, and said to the admin (`cut_paragraphs`, in the build's report) rather than only logged
MAX_PARAGRAPH_CHARS = 200_000

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Passage:
    passage_id: int  # stable: derived from the text alone
    doc_key: str
    ordinal: int
    text: str
    teaser: bool
    # a teaser's headline, or the section heading (`Paragraph.context`): searched with it, never quoted; stored
    # in the catalogs' `teaser_title` column
    context: str

    @property
    def searchable(self) -> str:
        return f"{self.context}. {self.text}" if self.context else self.text


def stable_id(text: str, bits: int = 62) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - bits)


# a piece of a paragraph too long for the encoder says so where it continues: quoted, the second piece read
# as a paragraph of its own, its first sentence in mid-argument, and the first as if it ended there
CONTINUED = "…"
MARK_TOKENS = 4  # what the two marks may cost in tokens: pieces are packed that much smaller


def continued(pieces: list[str]) -> list[str]:
    """The pieces of one paragraph, each marked where the paragraph goes on before or after it."""
    last = len(pieces) - 1
    return [f"{CONTINUED + ' ' if i else ''}{piece}{' ' + CONTINUED if i < last else ''}"
            for i, piece in enumerate(pieces)]


def passage_key(text: str) -> str:
    """Identity for deduplication: case, accents and spacing differences do not make a new passage."""
    return fold(text)


class WordCounts:
    """A text's token count from its words' counts, each counted once and remembered.

    Counting a whole paragraph was most of a rebuild's reading time: the bundled tokenizer's time grows
    faster than the text (0.16 ms for 100 characters, 1.9 ms for 640), and at 50k passages a quarter of
    the paragraphs are too long to be taken as fitting by their length alone (23 s of 38 s under the
    profiler). Tokenizers split text at spaces before anything else, so a text whose spaces are single
    (`collapse_spaces`) counts its words' tokens plus the specials: equal to the whole count for every
    paragraph of `data/`, the XQuAD-vi articles and the bench's collection tried (3,400), and checked in
    `tests/test_passages.py`. It only decides that a text fits with `ESTIMATE_MARGIN` to spare; pieces
    near the limit are counted whole as before.
    """

    def __init__(self, count_tokens: Callable[[str], int]) -> None:
        self._count = count_tokens
        self._words: dict[str, int] = {}
        self._specials: int | None = None

    def __call__(self, text: str) -> int:
        if self._specials is None:  # "a" is the specials and one token, "a a" the specials and two
            self._specials = 2 * self._count("a") - self._count("a a")
        words = self._words
        if len(words) > WORDS_REMEMBERED:
            words.clear()
        total = self._specials
        for word in text.split():
            found = words.get(word)
            if found is None:
                found = words[word] = self._count(word) - self._specials
            total += found
        return total


def split_long(
    text: str, max_tokens: int, count_tokens: Callable[[str], int], estimate: WordCounts | None = None
) -> list[str]:
    """Pack whole sentences into pieces of at most `max_tokens` (a lone longer sentence stays whole).
    `estimate`: where a text's words' counts leave `ESTIMATE_MARGIN` to spare, it is not counted whole."""
    if len(text) <= max_tokens * CHARS_PER_TOKEN_FLOOR:
        return [text]
    short = len(text) <= max_tokens * CHARS_PER_TOKEN_CEILING
    if short and estimate is not None and estimate(text) + ESTIMATE_MARGIN <= max_tokens:
        return [text]
    if short and count_tokens(text) <= max_tokens:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    used = 0  # tokens of `current`: exact, or an upper bound (two texts joined take at most their sum)
    for whole in sentences(text):
        for sentence, size in _bounded(whole, max_tokens, count_tokens):
            used = _add(pieces, current, used, sentence, size, max_tokens, count_tokens)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _add(
    pieces: list[str], current: list[str], used: int, sentence: str, size: int, max_tokens: int,
    count_tokens: Callable[[str], int],
) -> int:
    """Add `sentence` to the piece being packed, or close that piece and start the next; new `used`."""
    if current and used + size > max_tokens:
        # near the limit only: the exact count of the joined text decides (at most once per sentence)
        joined = count_tokens(" ".join([*current, sentence]))
        if joined > max_tokens:
            pieces.append(" ".join(current))
            current[:] = [sentence]
            return size
        used = joined - size
    current.append(sentence)
    return used + size


def _bounded(sentence: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[tuple[str, int]]:
    """`sentence` in pieces of at most `max_tokens`, with their token counts; cut at spaces (or anywhere, in a
    run without any)."""
    window = max_tokens * CHARS_PER_TOKEN_WINDOW
    if len(sentence) <= window:
        return _fit(sentence, max_tokens, count_tokens)
    return [piece for chunk in _windows(sentence, window) for piece in _fit(chunk, max_tokens, count_tokens)]


def _fit(chunk: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[tuple[str, int]]:
    size = count_tokens(chunk)
    if size <= max_tokens:
        return [(chunk, size)]
    # denser than a window assumes (digits, symbols): halves until each fits
    return [piece for half in _windows(chunk, (len(chunk) + 1) // 2) for piece in _fit(half, max_tokens, count_tokens)]


def _windows(text: str, size: int) -> list[str]:
    """Consecutive pieces of about `size` characters, each ending at a space when there is one."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            space = text.rfind(" ", start + size // 2, end)
            end = space if space > start else end
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def cut_paragraphs(documents: Iterable[Document]) -> list[CutParagraph]:
    """The paragraphs `make_passages` cuts at `MAX_PARAGRAPH_CHARS`, one per file at most (the longest)."""
    cut: dict[str, int] = {}
    for document in documents:
        for paragraph in document.paragraphs:
            text = paragraph.text
            if len(text) > MAX_PARAGRAPH_CHARS and (chars := len(collapse_spaces(text))) > MAX_PARAGRAPH_CHARS:
                cut[document.path] = max(cut.get(document.path, 0), chars)
    return [CutParagraph(path, chars, MAX_PARAGRAPH_CHARS) for path, chars in cut.items()]


def make_passages(
    documents: Iterable[Document],
    max_tokens: int,
    count_tokens: Callable[[str], int],
    known_whole: Container[str] = frozenset(),
    taken: Container[int] = frozenset(),
    dropped: list[tuple[int, str]] | None = None,
    estimate: WordCounts | None = None,
) -> list[Passage]:
    """`known_whole`: texts already known to fit the encoder (the previous build's passages), which
    need no tokenizer call; at 100k passages those calls are most of a rebuild's reading time.
    `taken`: ids of passages already in the collection (from unchanged files), not repeated.
    `dropped`: gets (passage id, file path) of each repeat left out, so that a later build knows which
    files would gain a passage if the file that has it changed.
    `estimate`: the words' counts of earlier calls, for a caller that splits a collection a file at a time."""
    seen: set[int] = set()
    passages: list[Passage] = []
    estimate = estimate or WordCounts(count_tokens)
    for document in documents:
        ordinal = 0
        for paragraph in with_lists(document.paragraphs):
            text = collapse_spaces(paragraph.text)
            if len(text) > MAX_PARAGRAPH_CHARS:
                cap = MAX_PARAGRAPH_CHARS
                log.warning("%s: a paragraph of %d characters is cut to its first %d", document.key, len(text), cap)
                text = text[:MAX_PARAGRAPH_CHARS]
            pieces = [text] if text in known_whole else split_long(text, max_tokens - MARK_TOKENS, count_tokens,
                                                                    estimate)
            if len(pieces) > 1:
                pieces = continued(pieces)
            for piece in pieces:
                key = passage_key(piece)
                context = paragraph.context
                passage_id = stable_id(f"{fold(context)}\n{key}")
                if not key:
                    continue
                if passage_id in seen or passage_id in taken:
                    if dropped is not None:
                        dropped.append((passage_id, document.path))
                    continue
                seen.add(passage_id)
                passages.append(
                    Passage(passage_id, document.key, ordinal, piece, paragraph.teaser, context)
                )
                ordinal += 1
    return passages
