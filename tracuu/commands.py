"""What each `tracuu` subcommand does; settings are read here and passed inward explicitly."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from retriever.errors import DataFolderError, TraCuuError
from retriever.explain import explain
from tracuu import messages
from tracuu.configured import configured_encoder, open_library, search_options, settings_for
from tracuu.logs import notice
from tracuu.render import PLAIN_BOLD, TERMINAL_BOLD, format_report, format_response, print_json, progress_bar

HIDDEN_FIELDS = {"row", "doc_id", "teaser_title", "passage_id"}


def cmd_index(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    # `index` may replace a damaged index or one built with another encoder; other commands refuse to.
    # PostgreSQL: only `index` removes the folder's documents that are gone from it (a start-up never does)
    library, report = open_library(settings, rebuild=args.rebuild, repair=True, prune=True, fold_apart=True)
    if library.stale:
        # the others may serve a stale index; building it is this command's whole job
        raise TraCuuError(messages.INDEX_NOT_UPDATED.format(path=settings.index_dir, reason=library.stale))
    if report is not None and report.unchanged:
        notice(format_report(report))
    if library.folding is not None:  # the update is in and searchable; its delta is folded before exiting
        notice(messages.FOLDING)
        library.folding.join()
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from retriever.errors import EmptyQuestionError

    settings = settings_for(args)
    question = readable(args.question)
    example = next(iter(settings.example_questions), messages.EXAMPLE)
    if not question.strip():
        raise TraCuuError(messages.EMPTY_QUESTION.format(example=example))
    library, _ = open_library(settings)
    try:
        response = library.search(question, args.k or settings.top_k)
    except EmptyQuestionError:
        raise TraCuuError(messages.NO_WORDS.format(example=example)) from None
    if args.json:
        print_json(
            {
                "question": response.question,
                "abstained": response.abstained,
                "shown": 0 if response.abstained else response.shown,  # the answer; the rest are weaker
                "results": [
                    {**{key: value for key, value in asdict(r).items() if key not in HIDDEN_FIELDS},
                     "heading": "" if r.teaser else r.teaser_title}  # the section the paragraph sits under
                    for r in response.results
                ],
            }
        )
    else:
        print(format_response(response, bold=_bold(), example=example))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from retriever.errors import EmptyQuestionError
    from retriever.query.followup import follow_up, naming, swapped_in

    settings = settings_for(args)
    library, _ = open_library(settings)
    example = next(iter(settings.example_questions), messages.EXAMPLE)
    interactive = sys.stdin.isatty()
    if interactive:
        print(messages.CHAT_GREETING)
    previous = ""
    while True:
        if interactive:
            print("> ", end="", flush=True)
        # read as bytes: a line that is not UTF-8 is asked with U+FFFD in place of its bad bytes, rather than
        # ending the session (a UTF-8 locale's stdin raises on it, a C locale's passes surrogates on)
        raw = sys.stdin.buffer.readline()
        if not raw:
            return 0
        question = raw.decode("utf-8", errors="replace").strip()
        leaned = follow_up(previous, question)  # "còn Campuchia thì sao?": the question before, of Cambodia
        if leaned is not None:
            print(f"({leaned})", flush=True)
        try:
            response = library.search(leaned or question, args.k or settings.top_k)
        except EmptyQuestionError:
            continue
        if leaned is not None:
            response = naming(response, swapped_in(question) or "")
        previous = leaned or question
        print(format_response(response, bold=_bold(), example=example), flush=True)


def readable(text: str) -> str:
    """A command-line argument as Python got it: bytes that are not UTF-8 arrive as lone surrogates, which
    nothing downstream can encode. They become U+FFFD, and the question is still asked."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def _bold() -> tuple[str, str]:
    return TERMINAL_BOLD if sys.stdout.isatty() else PLAIN_BOLD


def _readable_calibration(path: Path) -> None:
    """A file named on the command line is what the run is about: not read, it stops the run (beside an
    index, one fitted for another encoder is ignored with a warning, and the shipped gate used)."""
    try:
        data = json.loads(path.read_text("utf-8"))
        if not isinstance(data, dict) or "encoder" not in data:
            raise ValueError("no fitted gate in it")
    except (OSError, ValueError) as error:
        reason = explain(error) if isinstance(error, OSError) else str(error).split(":")[0]
        raise TraCuuError(f"--calibration {path} is not a file `tracuu calibrate` wrote ({reason})") from error


def cmd_eval(args: argparse.Namespace) -> int:
    from retriever.evaluate import evaluate, load_questions
    from retriever.query.options import SearchOptions

    settings = settings_for(args)
    questions = load_questions(args.questions)
    if args.calibration is not None:
        _readable_calibration(args.calibration)
    overrides = dict(option.split("=", 1) for option in args.option)
    search_options(SearchOptions(), overrides)  # a bad --option is said before the index is opened
    library, _ = open_library(
        settings, ranker=args.ranker, min_relevance=args.min_relevance, overrides=overrides,
        calibration=args.calibration,
    )
    report = evaluate(questions, lambda question: library.search(question, args.k))
    # with -k 2 no third result is asked for: hit@3 and hit@5 would only repeat hit@2
    shown = {key: value for key, value in report.as_json().items()
             if not (key.startswith("hit@") and int(key[4:]) > args.k)}
    if args.json:
        print_json(shown)
    else:
        for key, value in shown.items():
            print(f"{key:>18}: {value}")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from retriever.evaluate import load_questions
    from retriever.library import Library, LibraryConfig
    from retriever.query.calibrate import CalibrationSet, calibrate
    from retriever.query.relevance import CALIBRATION_FILE, EncoderKey, write_calibration
    from retriever.query.search import Searcher

    if len(args.set) < 2:
        raise TraCuuError(messages.CALIBRATE_NEEDS_SETS)
    settings = settings_for(args)
    # every set's folder and questions first: a missing one is said before any index is built
    asked = []
    for data, questions in args.set:
        data_dir = Path(data)
        if not data_dir.is_dir():
            raise DataFolderError((messages.SET_FOLDER_IS_A_FILE if data_dir.exists() else messages.NO_SET_FOLDER)
                                  .format(path=data_dir))
        asked.append((data_dir, Path(questions), load_questions(Path(questions))))
    encoder = configured_encoder(settings)
    sets = []
    searchers: dict[Path, Searcher] = {}  # sets over the same collection share its index
    for data_dir, questions_path, loaded in asked:
        if data_dir.resolve() not in searchers:
            work = args.work / f"set{len(searchers)}"
            config = LibraryConfig(data_dir, work, settings.dense_index, settings.batch_size)
            with progress_bar() as progress:
                library, _ = Library.open(config, encoder, refresh=True, repair=True, progress=progress)
            searchers[data_dir.resolve()] = library.searcher
        name = f"{data_dir.name}/{questions_path.name}"
        sets.append(CalibrationSet(name, searchers[data_dir.resolve()], loaded))
    calibrations, fitted_on = calibrate(
        sets, max_declined=args.max_declined, progress=lambda message: print(message, file=sys.stderr)
    )
    output = args.output or settings.index_dir / CALIBRATION_FILE
    output.parent.mkdir(parents=True, exist_ok=True)
    write_calibration(output, EncoderKey(encoder.backend, encoder.model, encoder.quantization), calibrations, fitted_on)
    print_json({"written": str(output), "fitted_on": fitted_on})
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    # benchmarks/ is not part of the installed package; an editable install run from a checkout finds it beside us
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "benchmarks" / "bench.py").is_file() and str(checkout) not in sys.path:
        sys.path.append(str(checkout))
    try:
        from benchmarks.bench import run_bench
    except ModuleNotFoundError as error:
        raise TraCuuError(messages.NOT_A_CHECKOUT) from error

    settings = settings_for(args)
    if getattr(args, "backend", "local") == "postgres":
        from benchmarks.pg_bench import run_pg_bench

        return run_pg_bench(settings, args.passages, args.work, as_json=args.json)
    return run_bench(settings, args.passages, args.work, as_json=args.json)


def cmd_serve(args: argparse.Namespace) -> int:
    from tracuu.serve import serve  # the bot's imports only when serving

    return serve(args)


def run(args: argparse.Namespace) -> int:
    handlers = {
        "index": cmd_index, "ask": cmd_ask, "calibrate": cmd_calibrate, "chat": cmd_chat,
        "eval": cmd_eval, "serve": cmd_serve, "bench": cmd_bench,
    }
    return handlers[args.command](args)


