"""The encoder, reranker and library the settings name: what every command and the bot open first."""

from __future__ import annotations

import argparse
import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import ValidationError

from retriever.errors import DataFolderError, IndexDatabaseUnreachableError, TraCuuError, UnreachableError
from retriever.explain import explain
from tracuu import messages
from tracuu.logs import notice
from tracuu.render import format_report, progress_bar
from tracuu.settings import Settings, load_settings

if TYPE_CHECKING:  # the imports themselves wait for the command that needs them: `--help` loads no model
    from embeddings.base import Encoder
    from retriever.ingest.ocr import OcrOptions
    from retriever.library import Library
    from retriever.models import BuildReport
    from retriever.query.options import SearchOptions
    from retriever.query.rerank import Reranker

log = logging.getLogger(__name__)


def settings_for(args: argparse.Namespace) -> Settings:
    if ENV_FILE.is_dir():  # read as no file at all, the defaults stood in for every setting without a word
        raise TraCuuError(messages.ENV_FOLDER.format(path=ENV_FILE.absolute()))
    try:
        settings = load_settings(data_dir=getattr(args, "data", None), index_dir=getattr(args, "index", None))
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(map(str, first["loc"])).upper()
        message = first["msg"].removeprefix("Value error, ")  # what a model validator raised
        if isinstance(first.get("input"), str) and " #" in first["input"]:
            message += messages.COMMENT_IN_VALUE
        raise TraCuuError(messages.BAD_SETTING.format(name=name, reason=message) if name else message) from error
    except UnicodeDecodeError as error:  # .env saved in another encoding (Windows-1258, UTF-16, ...)
        path = ENV_FILE.absolute()
        raise TraCuuError(messages.ENV_NOT_UTF8.format(path=path, line=_bad_line(ENV_FILE))) from error
    except OSError as error:  # .env is there but cannot be read (its permissions)
        reason = (error.strerror or explain(error)).lower()
        raise TraCuuError(messages.ENV_UNREADABLE.format(path=ENV_FILE.absolute(), reason=reason)) from error
    settings = _secrets_masked(settings, postgres=settings.index_backend == "postgres"
                               or getattr(args, "backend", "") == "postgres")
    from retriever.ingest.bounded import ParseLimits, configure

    # every parser of this process (builds, uploads, links, feeds) runs within these limits
    configure(ParseLimits(memory_mb=settings.parse_memory_mb, seconds=settings.parse_seconds))
    return settings


ENV_FILE = Path(".env")  # where pydantic-settings reads it (tracuu.env_file.CONFIG): the working directory


def _bad_line(path: Path) -> int:
    """The line of the first byte of `path` that is not UTF-8."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return raw[: error.start].count(b"\n") + 1
    return 1


def _secrets_masked(settings: Settings, *, postgres: bool) -> Settings:
    """Every secret the settings hold is registered to be masked in any output from now on; the database URLs
    a command uses are checked (and their spaces dropped) before libpq can quote one back."""
    from tracuu.redact import PASSWORD, SECRET, add_secret
    from tracuu.urls import database_url, secrets_of

    for url in (settings.database_url, settings.index_database_url):
        for secret in secrets_of(url.strip()):
            add_secret(secret, PASSWORD)
    add_secret(settings.webhook_secret, SECRET)
    add_secret(settings.user_id_secret, SECRET)
    if not postgres:
        return settings
    urls = {name: database_url(name.upper(), getattr(settings, name))
            for name in ("database_url", "index_database_url") if getattr(settings, name)}
    return settings.model_copy(update=urls)


RANKERS: dict[str, dict[str, Any]] = {
    "hybrid": {},
    "dense": {"lexical_weight": 0.0, "sentence_weight": 0.0},
    "lexical": {"dense_weight": 0.0, "sentence_weight": 0.0},
}


def configured_encoder(settings: Settings) -> Encoder:
    from embeddings import EncoderLoadError, load_encoder

    try:
        return load_encoder(settings.embedding_backend, settings.embedding_model, device=settings.embedding_device,
                            offline=settings.hf_hub_offline)
    except EncoderLoadError as error:
        raise TraCuuError(str(error)) from error


def configured_reranker(settings: Settings) -> Reranker | None:
    if not settings.reranker_model:
        return None
    from retriever.query.rerank import CrossEncoderReranker, RerankerLoadError

    try:
        return CrossEncoderReranker(settings.reranker_model, settings.reranker_device,
                                    offline=settings.hf_hub_offline)
    except RerankerLoadError as error:
        raise TraCuuError(str(error)) from error


def ocr_options(settings: Settings) -> OcrOptions:
    from retriever.ingest.ocr import OcrOptions, available, missing_languages

    if "ocr_language" in settings.model_fields_set and not available():
        raise TraCuuError(messages.NO_TESSERACT.format(value=settings.ocr_language))
    if missing := missing_languages(settings.ocr_language):
        # accepted at start, every scan then failed to read: said once, naming the setting and the fix. Set
        # by the operator, it stops the start; the default only warns (a collection may hold no scan)
        packages = " ".join(f"tesseract-ocr-{name.lower().replace('_', '-')}" for name in missing)
        said = messages.OCR_LANGUAGE_MISSING.format(
            value=settings.ocr_language, missing="+".join(missing), packages=packages)
        if "ocr_language" in settings.model_fields_set:
            raise TraCuuError(said)
        log.warning("%s", said)

    return OcrOptions(
        language=settings.ocr_language, dpi=settings.ocr_dpi, page_seconds=settings.ocr_page_seconds,
        max_pixels=int(settings.ocr_max_megapixels * 1_000_000), max_pages=settings.ocr_max_pages,
        min_confidence=settings.ocr_min_confidence,
    )


def search_options(base: SearchOptions, overrides: dict[str, str]) -> SearchOptions:
    """`eval --option NAME=VALUE`: one field of SearchOptions, for ablations."""
    from dataclasses import fields
    from typing import get_type_hints

    hints = get_type_hints(type(base))
    names = {field.name for field in fields(base)}
    changes: dict[str, Any] = {}  # each checked against its field's type by `_option_value`
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
        # every count is of passages or sentences (at least one), every weight, ratio and margin a share:
        # -5 or nan would rank or gate nonsense silently
        least = 1 if kind is int else 0
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is not None and value >= least and math.isfinite(value):
            return value
        wanted = f"a whole number of at least {least}" if kind is int else f"a number of at least {least}"
        if type(None) in kinds:
            wanted += " or none"
    raise TraCuuError(messages.BAD_SEARCH_OPTION.format(name=name, value=text, wanted=wanted))


def _index_folder(path: Path) -> None:
    """The local index's folder, checked before the model loads: "a file is where a folder was expected"
    and "a file or folder does not exist" named neither the folder nor its setting."""
    if path.exists() and not path.is_dir():
        raise DataFolderError(messages.INDEX_FOLDER_IS_A_FILE.format(path=path))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(messages.NO_INDEX_FOLDER.format(path=path, reason=explain(error))) from error


def _within(filename: object, folder: Path) -> bool:
    """Whether an error's file is the folder or lies in it: the setting that names the folder is then said."""
    if not isinstance(filename, str | Path):
        return False
    path, folder = Path(filename).absolute(), folder.absolute()
    return path == folder or folder in path.parents


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
) -> tuple[Library, BuildReport | None]:
    """Load the encoder and the index, building or updating the index from the data folder first.
    `fold_apart`: an update past the delta's bound is swapped in first and folded in a thread of its own
    (`Library.folding`), instead of being the fold itself."""
    from retriever.library import Library, LibraryConfig
    from retriever.query.options import SearchOptions

    postgres = settings.index_backend == "postgres"
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise DataFolderError(messages.DATA_FOLDER_IS_A_FILE.format(path=settings.data_dir))
    if not settings.data_dir.is_dir():
        if not postgres:
            raise DataFolderError(messages.NO_DATA_FOLDER.format(path=settings.data_dir))
        # the database is the collection: a replica without a folder imports nothing and removes nothing
        log.info("no data folder at %s: nothing to import", settings.data_dir)
    if not postgres:
        _index_folder(settings.index_dir)
    encoder = configured_encoder(settings)
    threshold = settings.min_relevance if min_relevance is None else min_relevance
    options = search_options(replace(SearchOptions(min_relevance=threshold), **RANKERS[ranker]), overrides or {})
    database_url = (settings.index_database_url or settings.database_url) if postgres else ""
    config = LibraryConfig(
        settings.data_dir, settings.index_dir, settings.dense_index, settings.batch_size, options=options,
        calibration=calibration, database_url=database_url, ocr=ocr_options(settings),
        build_memory_mb=settings.build_memory_mb, fold_in_background=fold_apart,
    )
    reranker = configured_reranker(settings)
    try:
        with progress_bar() as progress:
            library, report = Library.open(
                config, encoder, refresh=refresh, rebuild=rebuild, repair=repair, prune=prune, progress=progress,
                reranker=reranker,
            )
    except IndexDatabaseUnreachableError as error:  # the library has only the URL: the setting is named here
        from retriever.index.postgres.conninfo import location

        name = "INDEX_DATABASE_URL" if settings.index_database_url else "DATABASE_URL"
        said = messages.DATABASE_UNREACHABLE if error.transient else messages.DATABASE_REFUSED
        raise (UnreachableError if error.transient else TraCuuError)(said.format(
            name=name, where=f" ({location(database_url)})", reason=error.reason)) from error
    except OSError as error:  # an index folder that exists but cannot be written holds no index to serve
        if postgres or not _within(error.filename, settings.index_dir):
            raise
        raise DataFolderError(messages.INDEX_FOLDER_UNUSABLE.format(
            path=settings.index_dir, reason=explain(error))) from error
    if report is not None and not report.unchanged:
        notice(format_report(report))
    return library, report
