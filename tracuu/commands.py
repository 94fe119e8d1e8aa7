"""What each `tracuu` subcommand does; settings are read here and passed inward explicitly."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from retriever.errors import DataFolderError, TraCuuError
from tracuu import messages
from tracuu.logs import notice
from tracuu.render import format_report, format_response, print_json, progress_bar
from tracuu.settings import Settings, load_settings

HIDDEN_FIELDS = {"row", "doc_id", "teaser_title"}
log = logging.getLogger(__name__)


def settings_for(args: argparse.Namespace) -> Settings:
    try:
        return load_settings(data_dir=getattr(args, "data", None), index_dir=getattr(args, "index", None))
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(map(str, first["loc"])).upper()
        message = first["msg"].removeprefix("Value error, ")  # what a model validator raised
        raise TraCuuError(messages.BAD_SETTING.format(name=name, reason=message) if name else message) from error


RANKERS: dict[str, dict[str, Any]] = {
    "hybrid": {},
    "dense": {"lexical_weight": 0.0, "sentence_weight": 0.0},
    "lexical": {"dense_weight": 0.0, "sentence_weight": 0.0},
}


def configured_encoder(settings: Settings):
    from embeddings import EncoderLoadError, load_encoder

    try:
        return load_encoder(settings.embedding_backend, settings.embedding_model, device=settings.embedding_device)
    except EncoderLoadError as error:
        raise TraCuuError(str(error)) from error


def configured_reranker(settings: Settings):
    if not settings.reranker_model:
        return None
    from retriever.query.rerank import CrossEncoderReranker, RerankerLoadError

    try:
        return CrossEncoderReranker(settings.reranker_model, settings.reranker_device)
    except RerankerLoadError as error:
        raise TraCuuError(str(error)) from error


def search_options(base, overrides: dict[str, str]):
    """`eval --option NAME=VALUE`: one field of SearchOptions, for ablations."""
    from dataclasses import fields

    types = {field.name: type(getattr(base, field.name)) for field in fields(base)}
    changes: dict[str, object] = {}
    for name, value in overrides.items():
        if name not in types:
            raise TraCuuError(messages.NOT_A_SEARCH_OPTION.format(name=name, names=", ".join(sorted(types))))
        kind = types[name]
        changes[name] = value.lower() in {"1", "true", "yes", "on"} if kind is bool else kind(value)
    return replace(base, **changes)


def open_library(
    settings: Settings,
    *,
    refresh: bool = True,
    rebuild: bool = False,
    repair: bool = False,
    prune: bool = False,
    ranker: str = "hybrid",
    min_relevance: float | None = None,
    overrides: dict[str, str] | None = None,
    calibration: Path | None = None,
):
    """Load the encoder and the index, building or updating the index from the data folder first."""
    from retriever.library import Library, LibraryConfig
    from retriever.query.search import SearchOptions

    postgres = settings.index_backend == "postgres"
    if not settings.data_dir.is_dir():
        if not postgres:
            raise DataFolderError(messages.NO_DATA_FOLDER.format(path=settings.data_dir))
        # the database is the collection: a replica without a folder imports nothing and removes nothing
        log.info("no data folder at %s: nothing to import", settings.data_dir)
    encoder = configured_encoder(settings)
    threshold = settings.min_relevance if min_relevance is None else min_relevance
    options = search_options(replace(SearchOptions(min_relevance=threshold), **RANKERS[ranker]), overrides or {})
    database_url = (settings.index_database_url or settings.database_url) if postgres else ""
    config = LibraryConfig(
        settings.data_dir, settings.index_dir, settings.dense_index, settings.batch_size, options,
        calibration=calibration, database_url=database_url,
    )
    reranker = configured_reranker(settings)
    with progress_bar() as progress:
        library, report = Library.open(
            config, encoder, refresh=refresh, rebuild=rebuild, repair=repair, prune=prune, progress=progress,
            reranker=reranker,
        )
    if report is not None and not report.unchanged:
        notice(format_report(report))
    return library, report


def cmd_index(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    # `index` may replace a damaged index or one built with another encoder; other commands refuse to.
    # PostgreSQL: only `index` removes the folder's documents that are gone from it (a start-up never does)
    library, report = open_library(settings, rebuild=args.rebuild, repair=True, prune=True)
    if library.stale:
        # the others may serve a stale index; building it is this command's whole job
        raise TraCuuError(f"Could not update the index in {settings.index_dir}: {library.stale}")
    if report is not None and report.unchanged:
        notice(format_report(report))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if not args.question.strip():
        raise TraCuuError(messages.EMPTY_QUESTION)
    library, _ = open_library(settings)
    response = library.search(args.question, args.k or settings.top_k)
    if args.json:
        print_json(
            {
                "question": response.question,
                "abstained": response.abstained,
                "results": [
                    {key: value for key, value in asdict(r).items() if key not in HIDDEN_FIELDS}
                    for r in response.results
                ],
            }
        )
    else:
        print(format_response(response))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from retriever.errors import EmptyQuestionError

    settings = settings_for(args)
    library, _ = open_library(settings)
    interactive = sys.stdin.isatty()
    if interactive:
        print(messages.CHAT_GREETING)
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return 0
        try:
            response = library.search(line, args.k or settings.top_k)
        except EmptyQuestionError:
            continue
        print(format_response(response), flush=True)


def cmd_eval(args: argparse.Namespace) -> int:
    from retriever.evaluate import evaluate, load_questions

    settings = settings_for(args)
    questions = load_questions(args.questions)
    overrides = dict(option.split("=", 1) for option in args.option)
    library, _ = open_library(
        settings, ranker=args.ranker, min_relevance=args.min_relevance, overrides=overrides,
        calibration=args.calibration,
    )
    report = evaluate(questions, lambda question: library.search(question, args.k))
    if args.json:
        print_json(report.as_json())
    else:
        for key, value in report.as_json().items():
            print(f"{key:>18}: {value}")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from retriever.evaluate import load_questions
    from retriever.library import Library, LibraryConfig
    from retriever.query.calibrate import CalibrationSet, calibrate
    from retriever.query.relevance import CALIBRATION_FILE, EncoderKey, write_calibration

    if len(args.set) < 2:
        raise TraCuuError(messages.CALIBRATE_NEEDS_SETS)
    settings = settings_for(args)
    encoder = configured_encoder(settings)
    sets = []
    for number, (data, questions) in enumerate(args.set):
        data_dir, questions_path = Path(data), Path(questions)
        if not data_dir.is_dir():
            raise DataFolderError(messages.NO_SET_FOLDER.format(path=data_dir))
        config = LibraryConfig(data_dir, args.work / f"set{number}", settings.dense_index, settings.batch_size)
        with progress_bar() as progress:
            library, _ = Library.open(config, encoder, refresh=True, repair=True, progress=progress)
        name = f"{data_dir.name}/{questions_path.name}"
        sets.append(CalibrationSet(name, library.searcher, load_questions(questions_path)))
    calibrations, fitted_on = calibrate(
        sets, max_off_topic=args.max_off_topic, progress=lambda message: print(message, file=sys.stderr)
    )
    output = args.output or settings.index_dir / CALIBRATION_FILE
    output.parent.mkdir(parents=True, exist_ok=True)
    write_calibration(output, EncoderKey(encoder.backend, encoder.model, encoder.quantization), calibrations, fitted_on)
    print_json({"written": str(output), "calibration": asdict(calibrations), "fitted_on": fitted_on})
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


