"""JSON Lines: one document per line (`text`; optional `id`, `title`, `url`, `date`, `source`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from retriever.errors import UnreadableInputError
from retriever.ingest.dates import find_date
from retriever.ingest.news import derive_title
from retriever.models import Document, Paragraph
from retriever.text import collapse_spaces, word_count

log = logging.getLogger(__name__)
VIETNAM = timezone(timedelta(hours=7))  # the date printed under a quote is the readers' calendar day

# optional fields and the JSON types they may have; anything else is a mistake in the file, not a value
# a date may be a number as exports write them: 20250306, or seconds since 1970 (1741248000); such a line
# was skipped whole as "not a document"
OPTIONAL = {"id": (str, int), "title": (str,), "url": (str,), "date": (str, int), "source": (str,)}
# the text's field: "text", or as scrapers' and CMS exports name it (WordPress, Scrapy items)
TEXT_FIELDS = ("text", "content", "body")
EPOCH_FROM = 10**9  # a number this large is seconds since 1970 (2001 on), not a YYYYMMDD date
SHOWN_LINES = 10  # line numbers named in a warning; the rest are counted


@dataclass
class JsonlNotes:
    """What reading a JSONL file left out without refusing it: the lines that are not documents (skipped),
    and those whose `date` was not understood (indexed without a date). Told to the admin who sent it."""

    skipped: list[int] = field(default_factory=list)
    undated: list[int] = field(default_factory=list)


def jsonl_documents(relative: str, text: str, notes: JsonlNotes | None = None) -> list[Document]:
    """One document per line that is one. A file without any is refused, naming its first bad line and
    what is wrong with it; a file with some bad lines is read, and those lines are logged and noted."""
    notes = notes if notes is not None else JsonlNotes()
    documents: list[Document] = []
    first_bad: UnreadableInputError | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            problem: UnreadableInputError | None = UnreadableInputError(
                "jsonl_json", f"no line is a document: line {number} is not valid JSON", line=number)
        else:
            name, why = _problem(record)
            problem = UnreadableInputError(
                "jsonl_field", f"no line is a document: line {number} {why}", line=number, field=name) if why else None
        if problem is not None:
            notes.skipped.append(number)
            first_bad = first_bad or problem
            continue
        document = _document(relative, number, line, record)
        if record.get("date") and not document.date:
            notes.undated.append(number)
        documents.append(document)
    if not documents and first_bad is not None:
        raise first_bad
    if notes.skipped:
        why = str(first_bad).removeprefix("no line is a document: ")
        log.warning("%s %s skipped, not documents (%s)", relative, _lines(notes.skipped), why)
    if notes.undated:
        log.warning("%s %s: the date is not understood; indexed without a date", relative, _lines(notes.undated))
    return documents


def _lines(numbers: list[int]) -> str:
    named = ", ".join(map(str, numbers[:SHOWN_LINES]))
    more = f" and {len(numbers) - SHOWN_LINES} more" if len(numbers) > SHOWN_LINES else ""
    return f"line {named}" if len(numbers) == 1 else f"lines {named}{more}"


def _document(relative: str, number: int, line: str, record: dict[str, object]) -> Document:
    body = str(record[_text_field(record)])
    record_id = str(record.get("id") or number)
    paragraphs = tuple(Paragraph(collapse_spaces(block)) for block in body.split("\n") if word_count(block) > 0)
    title = collapse_spaces(str(record.get("title") or "")).replace("_", " ")
    return Document(
        key=f"{relative}#{record_id}",
        path=relative,
        title=title or derive_title(paragraphs[0].text if paragraphs else ""),
        title_derived=not title,
        date=_record_day(record.get("date")),
        source=str(record.get("source") or ""),
        url=str(record.get("url") or ""),
        paragraphs=paragraphs,
        content_hash=hashlib.sha256(line.encode("utf-8")).hexdigest(),
    )


def _text_field(record: dict[str, object]) -> str:
    return next((name for name in TEXT_FIELDS if name in record), "text")


def _record_day(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= EPOCH_FROM:
        with contextlib.suppress(OverflowError, OSError, ValueError):
            return datetime.fromtimestamp(value, VIETNAM).date().isoformat()
    return record_date(str(value or ""))


def record_date(value: str) -> str:
    """A record's `date` as the day it names: a date or timestamp as an export writes it ("2025-03-06",
    "2025-03-06T15:00:00+07:00", "2025/03/06", or a feed's "Thu, 06 Mar 2025 15:00:00 +0700"), a timestamp
    with its time zone as the day in Vietnam (a feed in GMT dated a morning's news the day before), else a
    date as texts write it ("06/03/2025")."""
    text = value.strip()
    with contextlib.suppress(ValueError):
        return vietnam_day(datetime.fromisoformat(text.replace("/", "-")))
    with contextlib.suppress(TypeError, ValueError, IndexError):
        moment = parsedate_to_datetime(text)
        # "-0000" is UTC, its writer's own zone unsaid (RFC 5322): Python leaves it without a zone
        return vietnam_day(moment.replace(tzinfo=UTC) if text.endswith("-0000") else moment)
    return find_date(text)


def vietnam_day(moment: datetime) -> str:
    """The ISO day `moment` falls on in Vietnam (UTC+7); a moment without a zone, the day as written."""
    return (moment.astimezone(VIETNAM) if moment.tzinfo is not None else moment).date().isoformat()


def _problem(record: object) -> tuple[str, str]:
    """The field at fault and why `record` is not a document, or ("", "") when it is one (values are never
    stringified into text)."""
    if not isinstance(record, dict):
        return "text", f'is {_json_type(record)}, not a JSON object with a "text" field'
    name = _text_field(record)
    if name not in record:
        return "text", 'has no "text" field'
    if not isinstance(record[name], str):
        return name, f'has a "{name}" that is {_json_type(record[name])}, not a string'
    for name, types in OPTIONAL.items():
        value = record.get(name)
        # bool is an int in Python, but `"id": true` is no identifier
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            wanted = " or ".join(_NAMES[t] for t in types)
            return name, f'has a "{name}" that is {_json_type(value)}, not {wanted}'
    return "", ""


_NAMES = {str: "a string", int: "a number"}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), "a string"
    )
