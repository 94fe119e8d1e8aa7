"""Command-line values checked as argparse reads them: a value out of range stops the command before any
model or index is opened, with one line naming the flag (argparse prefixes it)."""

from __future__ import annotations

import argparse

from tracuu.settings import TOP_K_MAX


def share(text: str) -> float:
    """A threshold or share, 0..1: `--min-relevance 7` would decline every question."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:  # NaN too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return value


def results(text: str) -> int:
    """`ask -k`, `chat -k`: TOP_K's range."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= TOP_K_MAX:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of at least 1 and at most {TOP_K_MAX} (TOP_K's range)")
    return value
