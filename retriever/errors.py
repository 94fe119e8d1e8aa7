"""Domain errors. Each message says what went wrong and how to fix it."""


class TraCuuError(Exception):
    """Base class: the edges turn these into one-line messages."""


class UnreachableError(TraCuuError):
    """A service the bot needs (Telegram, the index database) did not answer: it may come back by itself, so a
    service manager should start the bot again, which it should not after a bad setting."""


class DataFolderError(TraCuuError):
    pass


class IndexMissingError(TraCuuError):
    pass


class IndexCorruptError(TraCuuError):
    pass


class EncoderMismatchError(TraCuuError):
    pass


class EmptyQuestionError(TraCuuError):
    pass


class GreetingOnlyError(EmptyQuestionError):
    """Only words that frame a question ("ad ơi, cho em hỏi ạ"): nothing asked yet."""


class ReindexBusyError(TraCuuError):
    pass


class EncoderLoadError(TraCuuError):
    pass


class UnreadableInputError(TraCuuError, ValueError):
    """A file, page or feed that cannot be added. `code` names the reason so that the edges can say it in
    the reader's language; the message says it in English (logs, the CLI). A ValueError, so that a build
    skips such a file like any other it cannot read."""

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


class DenseIndexError(TraCuuError):
    """The configured FAISS index cannot be made for this collection (an IVF index wants more passages to
    train on than a small collection has)."""


class IndexBusyError(TraCuuError):
    """Another process is building the same index folder."""


class IndexDatabaseUnreachableError(TraCuuError):
    """The index database refused the first connection (INDEX_BACKEND=postgres). `reason` is libpq's; the edge,
    which knows which setting holds the URL, names it. `transient`: the server did not answer or refused (it may
    be starting), as opposed to a setting to fix (a connection string libpq cannot read, a wrong password or
    database name: `retriever.index.postgres.conninfo.passing`)."""

    def __init__(self, reason: str, *, transient: bool = True) -> None:
        super().__init__(f"cannot reach the index database: {reason}")
        self.reason = reason
        self.transient = transient


class IndexUnavailableError(UnreachableError):
    """The index database cannot be reached right now (INDEX_BACKEND=postgres); it may come back by itself."""


def newer_schema(version: int, known: int, what: str) -> None:
    """Refuse a database a newer version of the product has migrated (`version` past the `known` migrations):
    an older replica started on it, in a rolling deploy or a rollback, would serve and write in the old
    layout without a word."""
    if version > known:
        raise TraCuuError(f"the {what} database's schema is version {version}, newer than this Tra Cứu knows "
                          f"({known}): a newer version has upgraded it; run that version here too")
