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


def jsonl_documents(relative: str, text: str) -> Iterator[Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            body = str(record["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            log.warning("%s line %d skipped: not a JSON object with a 'text' field (%s)", relative, number, error)
            continue
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
