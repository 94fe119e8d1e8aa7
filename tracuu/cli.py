"""`tracuu`: index, ask, chat, eval, calibrate, serve, bench. Domain errors become one-line messages here."""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import NoReturn

from retriever.errors import TraCuuError, UnreachableError
from retriever.explain import UNKNOWN, explain
from tracuu import commands
from tracuu.flags import results, share
from tracuu.logs import notice, setup_logging
from tracuu.messages import UNEXPECTED, UNEXPECTED_BARE

log = logging.getLogger("tracuu")
# EX_TEMPFAIL (sysexits.h): Telegram or the index database did not answer; 2 is a setting, file or flag
EXIT_UNREACHABLE = 75
# commands that write (an index, a gate file, a benchmark's index) say when they are stopped before the end:
# killed by a service manager's SIGTERM, `tracuu index` would otherwise exit 143 with no line at all
_WRITES = {"index", "calibrate", "bench"}


class _Terminated(KeyboardInterrupt):
    """SIGTERM raised as an interrupt, so that the command unwinds (locks released, files closed)."""


def _on_sigterm(signum: int, frame: object) -> NoReturn:
    raise _Terminated


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, help="folder of articles (default: DATA_DIR or data/)")
    parser.add_argument("--index", type=Path, help="index folder (default: INDEX_DIR or .index/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _existing_file(text: str) -> Path:
    if not Path(text).is_file():
        raise argparse.ArgumentTypeError(f"{text} is not a file")
    return Path(text)


def _option(text: str) -> str:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    return text


class _OneLineParser(argparse.ArgumentParser):
    """A flag's bad value is one line naming the flag and where the usage is: argparse printed its whole
    usage block first (several lines of every flag the command has), and the line that mattered last."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tracuu")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="tracuu", description="Tra Cứu: quote the source paragraphs that answer a question."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    index = sub.add_parser("index", help="build or update the index from the data folder")
    _common(index)
    index.add_argument("--rebuild", action="store_true", help="re-encode everything instead of updating")
    ask = sub.add_parser("ask", help="answer one question")
    _common(ask)
    ask.add_argument("question", help="the question, in quotes (Vietnamese or English)")
    ask.add_argument("-k", type=results, help="results to show, 1-10 (default: TOP_K)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    chat = sub.add_parser("chat", help="ask questions line by line in the terminal")
    _common(chat)
    chat.add_argument("-k", type=results, help="results to show, 1-10 (default: TOP_K)")
    ev = sub.add_parser("eval", help="measure retrieval on a JSONL question set")
    _common(ev)
    ev.add_argument("questions", type=Path, help="JSONL file of questions and their answers (docs/evaluation.md)")
    ev.add_argument("-k", type=_positive, default=5, help="results per question (default 5)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--ranker", choices=["hybrid", "dense", "lexical"], default="hybrid", help="ablation: one ranker")
    ev.add_argument("--min-relevance", type=share, help="abstention threshold (0 never abstains)")
    ev.add_argument("--option", action="append", default=[], type=_option, metavar="NAME=VALUE",
                    help="ablation: set one search option, e.g. sentence_vectors=0, gate_depth=1, cross_language=0")
    ev.add_argument("--calibration", type=_existing_file,
                    help="gate weights to use instead of INDEX_DIR/calibration.json")
    cal = sub.add_parser("calibrate", help="fit the abstention gate for the configured encoder")
    cal.add_argument("--index", type=Path, help="index folder whose calibration.json to write (default: INDEX_DIR)")
    cal.add_argument("--set", nargs=2, action="append", required=True, metavar=("DATA_DIR", "QUESTIONS"),
                     help="a collection and its JSONL questions; give two or more (sets may share a collection)")
    cal.add_argument("--max-declined", type=share, default=0.01,
                     help="share of answerable questions the gate may decline (default 0.01): the threshold")
    cal.add_argument("--work", type=Path, default=Path(".calibrate"),
                     help="folder for the sets' indexes (default: .calibrate)")
    cal.add_argument("--output", type=Path, help="write here instead of INDEX_DIR/calibration.json")
    cal.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    serve = sub.add_parser("serve", help="run the Telegram bot (TELEGRAM_BOT_TOKEN and ADMIN_IDS from .env)")
    _common(serve)
    bench = sub.add_parser("bench", help="measure speed and memory at several collection sizes")
    # 10k by default: 100k takes minutes and ~1M about 20 minutes and 17 GB, never by surprise
    bench.add_argument("--passages", type=_positive, nargs="+", default=[10_000],
                       help="collection sizes (default 10000)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--backend", choices=["local", "postgres"], default="local",
                       help="index backend to measure (postgres: DATABASE_URL, a database the bench may empty)")
    bench.add_argument("--work", type=Path, default=Path(".bench"),
                       help="scratch folder for generated indexes (default: .bench)")
    bench.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # the answers are the output: log lines would land between them in a terminal (stderr shares it)
    quiet = args.command in {"ask", "eval", "chat"}
    setup_logging(logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO)
    # third-party chatter (and httpx request lines, which would carry the bot token) stays quiet
    # the job queue's scheduler says every run of a job (the held uploads' renewal: two lines every 20 s)
    for noisy in ("httpx", "httpcore", "sentence_transformers", "huggingface_hub", "faiss", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # PTB's debug lines print each update whole (a reader's id, name and question) and each request's
    # parameters: -v is for the operator's debugging, and keeps no reader's words or id without consent
    logging.getLogger("telegram").setLevel(logging.INFO)
    # psycopg's pool warns at every reconnection attempt while the database is down (40 lines in 45 s, each
    # over two): /healthz's change of state and the answers' own warnings say the outage once
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    # the hub's client warns at each retry of each file of a model it cannot reach (66 lines, over a minute,
    # before the one line that says the model cannot be loaded): -v shows them
    logging.getLogger("huggingface_hub.utils._http").setLevel(logging.WARNING if args.verbose else logging.ERROR)
    skips = logging.getLogger("retriever.skipped")
    level = skips.level
    if args.command != "serve" and not args.verbose:
        # `index` lists the files it left out in its summary; the others answer questions, and a file left out
        # is not news at every question (the server logs it: nothing else tells its operator)
        skips.setLevel(logging.ERROR)
    # signal handlers are set from the main thread only (tests call main() from others)
    writes = args.command in _WRITES and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if writes else None
    try:
        return _run(args)
    finally:
        skips.setLevel(level)  # for the process, not only this command (tests call main() many times)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        return commands.run(args)
    except UnreachableError as error:  # may pass by itself: deploy/tracuu.service restarts on this status
        notice(f"tracuu: {error}", logging.ERROR)
        return EXIT_UNREACHABLE
    except TraCuuError as error:  # a setting, file or flag to fix: restarting would only repeat it
        notice(f"tracuu: {error}", logging.ERROR)
        return 2
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, _Terminated)
        if args.command in _WRITES:  # running it again finishes: a local index swaps in only once built
            how = "by SIGTERM" if terminated else "by Ctrl-C"
            notice(f"tracuu: stopped {how} before `tracuu {args.command}` finished: run it again to finish",
                   logging.ERROR)
        return 143 if terminated else 130
    except BrokenPipeError:  # `tracuu ask … | head`: the reader has what it wanted; exit as Unix tools do
        with contextlib.suppress(OSError, ValueError):  # no second error when Python flushes at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:  # a folder that is read-only, full or not what a setting says: in words
        log.debug("file-system error", exc_info=True)
        notice(f"tracuu: {explain(error)}", logging.ERROR)
        return 2  # a folder to fix, as a setting is: restarting would find it the same
    except Exception as error:  # the edge: one line for the user, the traceback only with -v
        log.debug("unexpected error", exc_info=True)
        if isinstance(error, sqlite3.OperationalError) and "disk is full" in str(error):
            # SQLite's own words for ENOSPC, writing the index or the bot's state: a disk to free, as above
            notice(f"tracuu: {explain(OSError(errno.ENOSPC, str(error)))}", logging.ERROR)
            return 2
        detail = explain(error)
        line = UNEXPECTED_BARE if detail == UNKNOWN else UNEXPECTED.format(error=detail)
        notice(f"tracuu: {line}", logging.ERROR)
        return 1


if __name__ == "__main__":
    sys.exit(main())
