"""Terminal rendering: answers as the bot would show them, build summaries, progress bars."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from retriever.models import BuildProgress, BuildReport, SearchResponse
from retriever.query.language import reads_english
from retriever.text import strip_controls
from tracuu import messages
from tracuu.messages import NOTHING, NOTHING_FOREIGN, STAGES

HEADING_SHOWN = 200  # characters of a quote's section heading: one may be a whole paragraph long


def terminal(text: str) -> str:
    """What may reach a terminal: a document's text or title must not ring its bell, move its cursor or
    reorder its line (escape sequences, control and bidi characters are dropped; lines and tabs stay)."""
    return strip_controls(text, keep="\n\t")


def print_json(payload: object) -> None:
    print(terminal(json.dumps(payload, ensure_ascii=False, indent=2)))


def source_line(title: str, date: str, source: str, document: str, url: str = "") -> str:
    """Title · date · source, then where the passage comes from: its web page, or else its file."""
    return " · ".join(part for part in (title, date, source, url or document) if part)


PLAIN_BOLD = ("**", "**")  # piped output; a terminal gets real bold
TERMINAL_BOLD = ("\033[1m", "\033[0m")


def _marked(text: str, highlight: str, bold: tuple[str, str]) -> str:
    """The paragraph with its best sentence in bold, as the bot shows it (shown once, not repeated)."""
    at = text.find(highlight) if highlight else -1
    if at < 0:
        return text
    end = at + len(highlight)
    return f"{text[:at]}{bold[0]}{text[at:end]}{bold[1]}{text[end:]}"


def format_response(
    response: SearchResponse, width: int = 100, bold: tuple[str, str] = PLAIN_BOLD, example: str = messages.EXAMPLE
) -> str:
    if response.abstained or not response.results:
        english = response.foreign and reads_english(response.question)  # as the bot says it
        return (NOTHING_FOREIGN.format(example=example) if english else NOTHING) + "\n"
    blocks = []
    for number, result in enumerate(response.results, start=1):
        marked = _marked(result.text, result.highlight, bold)
        quote = textwrap.fill(marked, width=width, initial_indent="  │ ", subsequent_indent="  │ ")
        label = ""
        if result.teaser:
            other = f": «{result.teaser_title}»" if result.teaser_title else ""
            label = messages.TEASER_LABEL.format(other=other)
        if result.ocr:
            label += messages.OCR_LABEL
        if result.teaser_title and not result.teaser:  # the section the paragraph sits under
            heading = textwrap.shorten(result.teaser_title, width=HEADING_SHOWN, placeholder="…")
            quote = f"  § {heading}\n{quote}"
        if number == response.shown + 1:  # the answer ends here: what follows did not pass the gate on its own
            blocks.append(messages.WEAKER)
        blocks.append(
            f"{number}. {source_line(result.title, result.date, result.source, result.document, result.url)}{label}\n"
            f"{quote}\n  (điểm {result.score:.2f})"
        )
    return terminal("\n\n".join(blocks) + "\n")


_ONE = re.compile(r"(?<![\d.,])1 (document|passage|file)s\b")


def format_report(report: BuildReport) -> str:
    if report.unchanged:
        head = messages.INDEX_UP_TO_DATE.format(documents=report.documents, passages=report.passages)
    else:
        head = messages.INDEXED.format(
            documents=report.documents, passages=report.passages, seconds=report.seconds, added=report.added,
            changed=report.changed, removed=report.removed, encoded=report.encoded,
        )
    # "1 documents", "1 passages encoded", "1 files skipped": a count of one takes the singular
    lines = [_ONE.sub(r"1 \1", head + messages.SKIPPED_COUNT.format(count=len(report.skipped)))]
    lines += [messages.SKIPPED_FILE.format(path=item.path, reason=item.reason) for item in report.skipped]
    lines += [messages.PARAGRAPH_CUT.format(path=item.path, chars=item.chars, kept=item.kept) for item in report.cut]
    if report.documents == 0:
        lines.append(messages.EMPTY_COLLECTION)
    return terminal("\n".join(lines))


@contextmanager
def progress_bar() -> Iterator[Callable[[BuildProgress], None]]:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(event: BuildProgress) -> None:
        if event.stage == "done" or event.total <= 0:
            return
        bar = bars.get(event.stage)
        if bar is None:
            bar = bars[event.stage] = tqdm(
                total=event.total, desc=STAGES.get(event.stage, event.stage), file=sys.stderr, leave=False,
                disable=not sys.stderr.isatty(),
            )
        bar.total = event.total
        bar.n = event.done
        bar.refresh()

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()
