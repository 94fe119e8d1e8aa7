"""What an answer checker that reads the question and the sentence together would cost here: the forward
pass of a cross-encoder shaped like e5-small (hidden 384, 12 heads, feed-forward 1,536), in NumPy (the
default install has no torch), for the gate's front 5 question–sentence pairs, by number of layers.

    python -m benchmarks.cross_encoder_cost [--tokens 64] [--pairs 5]

Random weights: the arithmetic, and so the time, is that of trained ones. The answer path's budget for
such a check is 30 ms p95 (docs/quality.md).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

HIDDEN, FEED_FORWARD, HEADS = 384, 1536, 12


def _layer(rng: np.random.Generator) -> list[np.ndarray]:
    shapes = ((HIDDEN, 3 * HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, FEED_FORWARD), (FEED_FORWARD, HIDDEN))
    return [(rng.standard_normal(shape) * 0.02).astype(np.float32) for shape in shapes]


def _norm(x: np.ndarray) -> np.ndarray:
    return (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-12)


def forward(x: np.ndarray, layers: list[list[np.ndarray]]) -> np.ndarray:
    pairs, tokens, _ = x.shape

    def heads(t: np.ndarray) -> np.ndarray:
        return t.reshape(pairs, tokens, HEADS, HIDDEN // HEADS).transpose(0, 2, 1, 3)

    for qkv, out, up, down in layers:
        q, k, v = np.split(x @ qkv, 3, axis=-1)
        scores = heads(q) @ heads(k).transpose(0, 1, 3, 2) / np.sqrt(HIDDEN // HEADS)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ heads(v)).transpose(0, 2, 1, 3).reshape(pairs, tokens, HIDDEN)
        x = _norm(x + context @ out)
        hidden = x @ up
        x = _norm(x + (0.5 * hidden * (1 + np.tanh(0.7978845608 * (hidden + 0.044715 * hidden**3)))) @ down)
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=64, help="tokens per question-sentence pair")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.pairs, args.tokens, HIDDEN)).astype(np.float32)
    for depth in (12, 6, 4, 2):
        layers = [_layer(rng) for _ in range(depth)]
        forward(x, layers)  # warm-up
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            forward(x, layers)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{depth:2d} layers, {args.pairs} pairs of {args.tokens} tokens: "
              f"p50 {np.percentile(times, 50):.1f} ms, p95 {np.percentile(times, 95):.1f} ms")


if __name__ == "__main__":
    main()
