"""The dataset formats: how one list of examples is written, split by split.

- ``messages``: JSONL, each line the whole example with ``messages`` as
  ``[{"role", "content"}]`` (the chat format of TRL and Hugging Face).
- ``sharegpt``: JSONL with ``conversations`` as ``[{"from", "value"}]``
  (``system``, ``human``, ``gpt``) and the same provenance fields.
- ``openai``: fine-tuning JSONL, each line ``{"messages": [...]}`` and nothing else.
- ``parquet``: one Parquet file per split, with :data:`ARROW_SCHEMA`.
- ``hf``: Parquet files under ``data/`` that the dataset card's ``configs`` point
  at, so ``datasets.load_dataset(folder)`` returns the splits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from clinisim.errors import InputError
from clinisim.export._dialogue import MODEL_ROLES, PERSONA_AXES

__all__ = ["FORMATS", "arrow_schema", "format_files", "write_format"]

FORMATS: tuple[str, ...] = ("messages", "sharegpt", "openai", "parquet", "hf")

_SHAREGPT_FROM = {"system": "system", "user": "human", "assistant": "gpt"}


def _messages_line(example: dict[str, Any]) -> dict[str, Any]:
    return example


def _sharegpt_line(example: dict[str, Any]) -> dict[str, Any]:
    line = {k: v for k, v in example.items() if k not in ("messages", "turn_annotations")}
    line["conversations"] = [
        {"from": _SHAREGPT_FROM[m["role"]], "value": m["content"]} for m in example["messages"]
    ]
    return line


def _openai_line(example: dict[str, Any]) -> dict[str, Any]:
    return {"messages": example["messages"]}


_JSONL: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "messages": _messages_line,
    "sharegpt": _sharegpt_line,
    "openai": _openai_line,
}


def arrow_schema() -> Any:
    """The one Arrow schema of Parquet and Hugging Face output."""
    import pyarrow as pa

    text = pa.string()
    annotation = pa.struct(
        [
            ("turn_index", pa.int32()),
            ("speaker", text),
            ("facts", pa.list_(text)),
            ("retrieved", pa.list_(text)),
            ("action", text),
            ("state", text),
        ]
    )
    score = pa.struct(
        [
            ("name", text),
            ("version", text),
            ("judge_model", text),
            ("value", pa.float64()),
            ("status", text),
        ]
    )
    return pa.schema(
        [
            ("id", text),
            ("session_id", text),
            ("kind", text),
            ("perspective", text),
            ("subject_id", text),
            ("split", text),
            ("messages", pa.list_(pa.struct([("role", text), ("content", text)]))),
            ("turn_annotations", pa.list_(annotation)),
            ("models", pa.struct([(role, text) for role in MODEL_ROLES])),
            ("persona", pa.struct([(axis, text) for axis in PERSONA_AXES])),
            ("seed", pa.int64()),
            ("run_id", text),
            ("suite", text),
            ("kit_version", text),
            ("status", text),
            ("termination_reason", text),
            ("correct", pa.bool_()),
            ("scores", pa.list_(score)),
            ("outcome", text),
            ("licence", text),
            ("source_file", text),
            ("started_at", text),
        ]
    )


def _json_dumps() -> Callable[[Any], bytes]:
    """One JSON line as UTF-8 bytes: orjson when it is installed (it is several times
    faster on 10,000 sessions), the standard library otherwise."""
    try:
        import orjson
    except ImportError:
        return lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8")
    dumps: Callable[[Any], bytes] = orjson.dumps
    return dumps


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(
            "Parquet and Hugging Face output need pyarrow: pip install 'clinisim[export]'",
            field="--format",
        ) from exc
    return pa, pq


def format_files(name: str, splits: Sequence[str]) -> dict[str, str]:
    """Split -> file path (relative to the output folder) that ``name`` writes."""
    match name:
        case "parquet":
            return {s: f"parquet/{s}.parquet" for s in splits}
        case "hf":
            return {s: f"data/{s}.parquet" for s in splits}
        case _:
            return {s: f"{name}/{s}.jsonl" for s in splits}


def write_format(
    name: str,
    folder: Path,
    by_split: dict[str, list[dict[str, Any]]],
    tables: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Write ``by_split`` in format ``name`` under ``folder``; split -> relative path.

    ``tables`` keeps the Arrow table of each split between calls, so ``parquet`` and
    ``hf`` build it once."""
    files = format_files(name, list(by_split))
    if name in _JSONL:
        line = _JSONL[name]
        dumps = _json_dumps()
        for split, examples in by_split.items():
            target = folder / files[split]
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                for example in examples:
                    handle.write(dumps(line(example)))
                    handle.write(b"\n")
        return files
    pa, pq = _pyarrow()
    schema = arrow_schema()
    for split, examples in by_split.items():
        target = folder / files[split]
        target.parent.mkdir(parents=True, exist_ok=True)
        table = tables.get(split) if tables is not None else None
        if table is None:
            table = pa.Table.from_pylist(examples, schema=schema)
            if tables is not None:
                tables[split] = table
        pq.write_table(table, target, compression="zstd")
    return files
