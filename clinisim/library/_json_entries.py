"""Files of JSON entries (a JSON list, one object, or JSON Lines) converted one by one,
with each entry that fails reported by its number and the rest kept."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from clinisim.errors import InputError
from clinisim.library._yaml_file import describe_validation_error

__all__ = ["convert_entries", "json_entries"]

T = TypeVar("T")


def json_entries(path: Path) -> Iterator[tuple[int, Any]]:
    """(number, entry) pairs: items of a JSON list or object, else JSON lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", file=path) from exc
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg})", file=path, field=f"line {exc.lineno}"
            ) from exc
        yield from enumerate(data, start=1)
        return
    if stripped.startswith("{"):
        try:
            yield 1, json.loads(text)
            return
        except json.JSONDecodeError:
            pass  # JSON Lines
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, exc


def convert_entries(
    path: Path, convert: Callable[[int, dict[str, Any]], T], what: str
) -> tuple[list[T], list[tuple[int, str]]]:
    """Every entry of ``path`` through ``convert``: the results, and (number, problem)
    for each entry that is not JSON, not an object, or fails to convert. A file with
    no entries at all is an ``InputError`` naming ``what`` was expected."""
    results: list[T] = []
    failures: list[tuple[int, str]] = []
    for number, entry in json_entries(path):
        if isinstance(entry, Exception):
            failures.append((number, f"not valid JSON ({entry})"))
            continue
        if not isinstance(entry, dict):
            failures.append((number, "expected a JSON object"))
            continue
        try:
            results.append(convert(number, entry))
        except ValidationError as exc:
            where, problem = describe_validation_error(exc)
            failures.append((number, f"{where}: {problem}"))
        except (ValueError, TypeError, KeyError) as exc:
            failures.append((number, str(exc)))
    if not results and not failures:
        raise InputError(f"no {what} found (the file is empty)", file=path)
    return results, failures
