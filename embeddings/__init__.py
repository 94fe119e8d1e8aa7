"""Text to vectors: a small encoder interface and its backends."""

from embeddings.base import Encoder, encode_passages, encode_queries, encode_query
from embeddings.loader import BACKENDS, EncoderLoadError, load_encoder

__all__ = [
    "BACKENDS", "Encoder", "EncoderLoadError", "encode_passages", "encode_queries", "encode_query", "load_encoder",
]
