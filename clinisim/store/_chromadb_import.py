"""Import chromadb without the import-time signature checks of ``overrides``.

chromadb marks about 160 methods with ``@override`` from the ``overrides`` package.
That decorator, when a class is defined, disassembles the defining frame to find
the base classes and compares the type signatures of the two methods: about a
quarter of a second of every command that opens the record store on this
project's machine. The check guards chromadb's own development and changes nothing
once the classes exist. Before chromadb is first imported, this module puts in its
place a marker that sets the same ``__override__`` flag (the flag
``EnforceOverrides`` looks for) and returns the method unchanged. chromadb is the
only installed user of ``overrides`` here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["mark_override"]


def mark_override(method: Any = None, **_checks: bool) -> Any:
    """``@override`` / ``@override(check_signature=...)`` without the checks."""
    if method is None:
        return mark_override
    method.__override__ = True
    return method


def _light_overrides() -> None:
    if "chromadb" in sys.modules:
        return
    try:
        import overrides
    except ImportError:  # a chromadb that no longer uses it
        return
    light: Callable[..., Any] = mark_override
    overrides.override = light
    overrides.overrides = light


_light_overrides()
