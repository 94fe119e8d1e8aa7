"""JSON Lines: one document per line (`id`, `title`, `text`, optional `url`, `date`, `source`)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator

from retriever.ingest.news import derive_title, find_date
from retriever.models import Document, Paragraph
from retriever.text import collapse_spaces, word_count

log = logging.getLogger(__name__)

# optional fields and the JSON types they may have; anything else is a mistake in the file, not a value
OPTIONAL = {"id": (str, int), "title": (str,), "url": (str,), "date": (str,), "source": (str,)}


def jsonl_documents(relative: str, text: str) -> Iterator[Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            log.warning("%s line %d skipped: not valid JSON (%s)", relative, number, error)
            continue
        problem = _problem(record)
        if problem:
            log.warning("%s line %d skipped: %s", relative, number, problem)
            continue
        body = record["text"]
        record_id = str(record.get("id") or number)
        paragraphs = tuple(Paragraph(collapse_spaces(block)) for block in body.split("\n") if word_count(block) > 0)
        title = collapse_spaces(str(record.get("title") or "")).replace("_", " ")
        line_hash = hashlib.sha256(line.encode("utf-8")).hexdigest()
        yield Document(
            key=f"{relative}#{record_id}",
            path=relative,
            title=title or derive_title(paragraphs[0].text if paragraphs else ""),
            title_derived=not title,
            date=find_date(str(record.get("date") or "")),
            source=str(record.get("source") or ""),
            url=str(record.get("url") or ""),
            paragraphs=paragraphs,
            content_hash=line_hash,
        )


def _problem(record: object) -> str:
    """Why `record` is not a document, or "" when it is (values are never stringified into text)."""
    if not isinstance(record, dict):
        return f"a JSON object with a 'text' field was expected, not {type(record).__name__}"
    if not isinstance(record.get("text"), str):
        return f"'text' must be a string, not {_json_type(record.get('text'))}"
    for name, types in OPTIONAL.items():
        value = record.get(name)
        # bool is an int in Python, but `"id": true` is no identifier
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            return f"'{name}' must be {' or '.join(_NAMES[t] for t in types)}, not {_json_type(value)}"
    return ""


_NAMES = {str: "a string", int: "a number"}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), "a string"
    )
