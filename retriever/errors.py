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


class IndexBusyError(TraCuuError):
    """Another process is building the same index folder."""
