"""`.npy` files written a block at a time, so that no build holds a whole collection's array.

The header is written first with room to grow (numpy pads it for that) and rewritten with the real
row count on close. Blocks go through ordinary writes, not a writable mapping: dirty mapped pages
would count in the build's resident memory until the file is closed, and that is what this avoids.
Rows of an earlier generation's file are copied by byte range inside the kernel (`copy_file_range`),
never through Python.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

import numpy as np

COPY_BYTES = 64 << 20  # per copy_file_range call


def npy_layout(path: Path) -> tuple[tuple[int, ...], np.dtype, int]:
    """(shape, dtype, offset of the first byte of data) of a C-ordered `.npy` file."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = header(handle)
        if fortran:
            raise ValueError(f"{path} is in Fortran order")
        return tuple(int(n) for n in shape), np.dtype(dtype), handle.tell()


class NpyAppender:
    """A `.npy` file of `dtype` rows of width `width` (1-D when `width` is None), appended to block by block."""

    def __init__(self, path: Path, dtype: np.dtype | type, width: int | None = None) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.width = width
        self.rows = 0
        self._handle = path.open("wb")
        self._header_bytes = self._write_header()
        self._closed = False

    @property
    def _row_shape(self) -> tuple[int, ...]:
        return () if self.width is None else (self.width,)

    def _header(self) -> dict:
        return {"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False,
                "shape": (self.rows,) if self.width is None else (self.rows, self.width)}

    def _write_header(self) -> int:
        self._handle.seek(0)
        np.lib.format.write_array_header_1_0(self._handle, self._header())
        return self._handle.tell()

    def append(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype=self.dtype)
        if block.shape[1:] != self._row_shape:
            raise ValueError(f"rows of shape {self._row_shape} expected, got {block.shape}")
        self._handle.write(block.tobytes())  # a chunk: the copy is small
        self.rows += len(block)

    def copy_rows(self, source: Path, start: int, end: int) -> None:
        """Append rows start:end of another `.npy` file of the same dtype and width, byte for byte."""
        shape, dtype, offset = npy_layout(source)
        if dtype != self.dtype or shape[1:] != self._row_shape or not 0 <= start <= end <= shape[0]:
            raise ValueError(f"{source} holds {dtype} {shape}: cannot copy rows {start}:{end} of width {self.width}")
        row_bytes = (self.width or 1) * self.dtype.itemsize
        self._handle.flush()
        copy_range(source, offset + start * row_bytes, self._handle.fileno(), (end - start) * row_bytes)
        self._handle.seek(0, os.SEEK_END)
        self.rows += end - start

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._write_header() != self._header_bytes:  # numpy leaves 21 digits of room: cannot happen
                raise ValueError(f"the header of {self.path} grew")
        finally:
            self._handle.close()

    def __enter__(self) -> NpyAppender:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self._closed = True
            self._handle.close()


def read_range(path: Path, start: int, end: int) -> np.ndarray:
    """Rows start:end of a `.npy` file, read (not mapped: mapped pages would stay in the process)."""
    shape, dtype, offset = npy_layout(path)
    end = min(end, shape[0])
    row = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
    if end <= start:
        return np.zeros((0, *shape[1:]), dtype=dtype)
    with path.open("rb") as handle:
        handle.seek(offset + start * row * dtype.itemsize)
        out = np.fromfile(handle, dtype=dtype, count=(end - start) * row)
    if len(out) != (end - start) * row:
        raise OSError(f"{path} is shorter than its header says")
    return out.reshape((end - start, *shape[1:]))


def copy_range(source: Path, offset: int, target_fd: int, length: int) -> None:
    """Append `length` bytes of `source` from `offset` to the open file `target_fd` (at its position)."""
    with source.open("rb") as handle:
        done = 0
        while done < length:
            try:
                got = os.copy_file_range(handle.fileno(), target_fd, min(COPY_BYTES, length - done), offset + done)
            except OSError:  # another filesystem or an old kernel: through a buffer
                handle.seek(offset + done)
                got = os.write(target_fd, handle.read(min(COPY_BYTES, length - done)))
            if got <= 0:
                raise OSError(f"{source} is shorter than its header says")
            done += got
