"""Command-line options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["CasesDir"]

CasesDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--cases-dir",
        help="Extra case directory; repeat. Also CLINISIM_CASES_DIR. Imported cases "
        "(<data dir>/cases) are always included.",
    ),
]
