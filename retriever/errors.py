"""Domain errors. Each message says what went wrong and how to fix it."""


class TraCuuError(Exception):
    """Base class: the edges turn these into one-line messages."""


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


class ReindexBusyError(TraCuuError):
    pass


class EncoderLoadError(TraCuuError):
    pass


class IndexUnavailableError(TraCuuError):
    """The index database cannot be reached right now (INDEX_BACKEND=postgres); it may come back by itself."""
