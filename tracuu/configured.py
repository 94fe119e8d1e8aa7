"""The encoder, reranker and library the settings name: what every command and the bot open first."""

from __future__ import annotations

import argparse
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from retriever.errors import DataFolderError, TraCuuError
from tracuu import messages
from tracuu.logs import notice
from tracuu.render import format_report, progress_bar
from tracuu.settings import Settings, load_settings

log = logging.getLogger(__name__)


def settings_for(args: argparse.Namespace) -> Settings:
    try:
        settings = load_settings(data_dir=getattr(args, "data", None), index_dir=getattr(args, "index", None))
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(map(str, first["loc"])).upper()
        message = first["msg"].removeprefix("Value error, ")  # what a model validator raised
        raise TraCuuError(messages.BAD_SETTING.format(name=name, reason=message) if name else message) from error
    from retriever.ingest.bounded import ParseLimits, configure

    # every parser of this process (builds, uploads, links, feeds) runs within these limits
    configure(ParseLimits(memory_mb=settings.parse_memory_mb, seconds=settings.parse_seconds))
    return settings


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


def ocr_options(settings: Settings):
    from retriever.ingest.ocr import OcrOptions

    return OcrOptions(
        language=settings.ocr_language, dpi=settings.ocr_dpi, page_seconds=settings.ocr_page_seconds,
        max_pixels=int(settings.ocr_max_megapixels * 1_000_000), max_pages=settings.ocr_max_pages,
        min_confidence=settings.ocr_min_confidence,
    )


def search_options(base, overrides: dict[str, str]):
    """`eval --option NAME=VALUE`: one field of SearchOptions, for ablations."""
    from dataclasses import fields
    from typing import get_type_hints

    hints = get_type_hints(type(base))
    names = {field.name for field in fields(base)}
    changes: dict[str, object] = {}
    for name, value in overrides.items():
        if name not in names:
            raise TraCuuError(messages.NOT_A_SEARCH_OPTION.format(name=name, names=", ".join(sorted(names))))
        changes[name] = _option_value(name, hints[name], value)
    return replace(base, **changes)


def _option_value(name: str, hint: object, text: str) -> object:
    """`text` as the option's type (`float | None` takes `none`); a word it is not is said in one line."""
    kinds = set(get_args(hint)) or {hint}
    word = text.strip().lower()
    if type(None) in kinds and word in {"none", ""}:
        return None
    if bool in kinds:
        if word in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
            return word in {"1", "true", "yes", "on"}
        wanted = "0 or 1"
    else:
        kind = int if int in kinds else float
        try:
            return kind(text)
        except ValueError:
            wanted = "a whole number" if kind is int else "a number"
        if type(None) in kinds:
            wanted += " or none"
    raise TraCuuError(messages.BAD_SEARCH_OPTION.format(name=name, value=text, wanted=wanted))


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
    fold_apart: bool = False,
):
    """Load the encoder and the index, building or updating the index from the data folder first.
    `fold_apart`: an update past the delta's bound is swapped in first and folded in a thread of its own
    (`Library.folding`), instead of being the fold itself."""
    from retriever.library import Library, LibraryConfig
    from retriever.query.search import SearchOptions

    postgres = settings.index_backend == "postgres"
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise DataFolderError(messages.DATA_FOLDER_IS_A_FILE.format(path=settings.data_dir))
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
        calibration=calibration, database_url=database_url, ocr=ocr_options(settings),
        build_memory_mb=settings.build_memory_mb, fold_in_background=fold_apart,
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
