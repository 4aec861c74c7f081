"""Command-line options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "Cache",
    "CasesDir",
    "CheckpointUrl",
    "Concurrency",
    "Executor",
    "ModelUnderTest",
    "RayAddress",
    "RoleMap",
    "RunId",
    "RunsDir",
    "StoreUrl",
    "role_map",
    "use_checkpoint_url",
    "use_store_url",
]

StoreUrl = Annotated[
    str | None,
    typer.Option(
        "--store-url",
        help="A chroma server as the record store (http://HOST:PORT; start one with "
        "'chroma run --path DIR'). Also CLINISIM_STORE_URL.",
        metavar="URL",
    ),
]


CheckpointUrl = Annotated[
    str | None,
    typer.Option(
        "--checkpoint-url",
        help="Keep session checkpoints in PostgreSQL (postgresql://USER@HOST:PORT/DB), so "
        "another machine can --resume them; pip install 'clinisim[postgres]'. "
        "Also CLINISIM_CHECKPOINT_URL.",
        metavar="URL",
    ),
]


def use_checkpoint_url(url: str | None) -> None:
    """Make ``--checkpoint-url`` this command's checkpoint store (it goes into
    ``CLINISIM_CHECKPOINT_URL``); a malformed URL, given or in the environment, is an
    ``InputError``."""
    import os

    from clinisim.engine._postgres_checkpoints import CHECKPOINT_URL_ENV, checkpoint_url

    checkpoint_url(url)
    if url is not None:
        os.environ[CHECKPOINT_URL_ENV] = url


def use_store_url(url: str | None) -> None:
    """Make ``--store-url`` the record store of this command and of every process it
    starts (it goes into ``CLINISIM_STORE_URL``); a malformed URL is an ``InputError``."""
    if url is None:
        return
    import os

    from clinisim.store._store_server import STORE_URL_ENV, store_server

    store_server(url)
    os.environ[STORE_URL_ENV] = url


RunId = Annotated[
    str | None,
    typer.Option(help="Run id (directory under --runs-dir); an existing run resumes."),
]
RunsDir = Annotated[Path | None, typer.Option("--runs-dir", help="Where runs live.")]
Executor = Annotated[
    str | None,
    typer.Option(
        help="Where sessions run: 'local' (this process) or 'ray' (a Ray cluster; "
        "pip install 'clinisim[ray]').",
        metavar="local|ray",
    ),
]
RayAddress = Annotated[
    str | None,
    typer.Option(
        help="With --executor ray: the cluster (HOST:PORT of its head, ray://HOST:PORT, "
        "auto); default: start one on this machine. Also RAY_ADDRESS.",
        metavar="ADDR",
    ),
]
Concurrency = Annotated[
    int | None, typer.Option(min=1, max=512, help="Sessions in flight at once.")
]
Cache = Annotated[
    bool | None,
    typer.Option("--cache/--no-cache", help="Reuse model replies from the on-disk cache."),
]

CasesDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--cases-dir",
        help="Extra case directory; repeat. Also CLINISIM_CASES_DIR. Imported cases "
        "(<data dir>/cases) are always included.",
    ),
]

ModelUnderTest = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="The model under test: plays the doctor (run) or the counselor (counsel).",
    ),
]

RoleMap = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        help="ROLE=MODEL for any role (doctor, patient, examiner, counselor, client, judge); "
        "repeat. A role's own flag (--judge...), where the command has one, wins over it.",
    ),
]


def role_map(
    assignments: list[str] | None,
    tested_role: str,
    under_test: str | None,
    named: dict[str, str | None],
) -> dict[str, str | None]:
    """Role to model string from ``--role`` pairs, ``--model`` and the named flags.

    A malformed pair, an unknown role, or two values for one role is an ``InputError``.
    """
    from clinisim.errors import InputError
    from clinisim.llm import ROLES

    out: dict[str, str | None] = {}
    for item in assignments or []:
        role, sep, model = (part.strip() for part in item.partition("="))
        if not sep or not role or not model:
            raise InputError(f"expected ROLE=MODEL, got {item!r}", field="--role")
        if role not in ROLES:
            raise InputError(f"unknown role {role!r} (roles: {', '.join(ROLES)})", field="--role")
        if role in out:
            raise InputError(f"role {role!r} given twice", field="--role")
        out[role] = model
    if under_test is not None:
        if named.get(tested_role) not in (None, under_test):
            raise InputError(f"--model and --{tested_role} name different models", field="--model")
        out[tested_role] = under_test
    for name, value in named.items():
        if value is not None:
            out[name] = value
    return out
