"""What an answer checker that reads the question and the sentence together would cost here: the forward
pass of a cross-encoder shaped like e5-small (hidden 384, 12 heads, feed-forward 1,536), for the gate's
front 5 question–sentence pairs, by number of layers: in NumPy (the default install has no torch), or
(`--onnxruntime`) exported from torch to ONNX and run by onnxruntime in float32 and with its weights
quantised to int8 (`pip install onnx onnxruntime`: neither is a dependency).

    python -m benchmarks.cross_encoder_cost [--tokens 64] [--pairs 5] [--onnxruntime]

Random weights: the arithmetic, and so the time, is that of trained ones. The answer path's budget for
such a check is 30 ms p95 (docs/quality.md).
"""

from __future__ import annotations

import argparse
import os
import tempfile
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


def _timed(run, repeat: int) -> tuple[float, float]:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def onnx_costs(pairs: int, tokens: int, depth: int, repeat: int, folder: str) -> list[tuple[str, float, float]]:
    """p50 / p95 ms of a random-weight BERT of e5-small's shape in onnxruntime, float32 and int8 weights."""
    try:
        import onnxruntime
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import BertConfig, BertForSequenceClassification
    except ImportError as error:
        raise SystemExit(f"--onnxruntime needs torch, transformers, onnx and onnxruntime ({error.name} is missing): "
                         "pip install onnx onnxruntime") from None
    config = BertConfig(vocab_size=32000, hidden_size=HIDDEN, num_hidden_layers=depth, num_attention_heads=HEADS,
                        intermediate_size=FEED_FORWARD)
    config.num_labels = 1  # one logit: answers or not
    model = BertForSequenceClassification(config).eval()
    ids = torch.randint(5, 32000, (pairs, tokens))
    mask = torch.ones_like(ids)
    plain, quantised = f"{folder}/ce{depth}.onnx", f"{folder}/ce{depth}-int8.onnx"
    torch.onnx.export(model, (ids, mask), plain, input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={name: {0: "pairs", 1: "tokens"} for name in ("input_ids", "attention_mask")},
                      opset_version=17, dynamo=False)
    quantize_dynamic(plain, quantised, weight_type=QuantType.QInt8)
    feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    out = []
    for label, path in (("onnxruntime float32", plain), ("onnxruntime int8", quantised)):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = len(os.sched_getaffinity(0))
        session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        out.append((label, *_timed(lambda session=session: session.run(None, feed), repeat)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=64, help="tokens per question-sentence pair")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--onnxruntime", action="store_true", help="time onnxruntime instead of NumPy")
    args = parser.parse_args()
    if args.onnxruntime:
        with tempfile.TemporaryDirectory() as folder:
            for depth in (12, 6, 4, 2):
                for label, p50, p95 in onnx_costs(args.pairs, args.tokens, depth, args.repeat, folder):
                    print(f"{depth:2d} layers, {args.pairs} pairs of {args.tokens} tokens, {label}: "
                          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        return
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.pairs, args.tokens, HIDDEN)).astype(np.float32)
    for depth in (12, 6, 4, 2):
        layers = [_layer(rng) for _ in range(depth)]
        p50, p95 = _timed(lambda layers=layers: forward(x, layers), args.repeat)
        print(f"{depth:2d} layers, {args.pairs} pairs of {args.tokens} tokens: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
