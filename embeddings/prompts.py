"""Per-model instruction prompts. Retrieval models are trained with these and lose accuracy without them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompts:
    query: str = ""
    passage: str = ""


_KNOWN: tuple[tuple[str, Prompts], ...] = (
    ("e5", Prompts("query: ", "passage: ")),
    ("bge-small-en", Prompts("Represent this sentence for searching relevant passages: ", "")),
    ("bge-base-en", Prompts("Represent this sentence for searching relevant passages: ", "")),
    ("bge-large-en", Prompts("Represent this sentence for searching relevant passages: ", "")),
    ("nomic-embed", Prompts("search_query: ", "search_document: ")),
)


def prompts_for(model: str, configured: dict[str, str] | None = None) -> Prompts:
    """Prompts the model's own config declares win; otherwise match the model family by name."""
    if configured and ("query" in configured or "document" in configured or "passage" in configured):
        return Prompts(configured.get("query", ""), configured.get("passage", configured.get("document", "")))
    name = model.lower().rstrip("/").rsplit("/", 1)[-1]
    for family, prompts in _KNOWN:
        if family in name:
            return prompts
    return Prompts()
