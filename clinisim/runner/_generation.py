"""Generation defaults: a suite made ready for producing a dataset.

``clinisim generate`` is the benchmark runner with other defaults: a suite that
names only the default persona gets a seeded sample of its kind's persona or
style grid, a single trial becomes several, every judge the kind has (those
needing a judge model too, when one is given) scores each session besides the
suite's own rubrics, and spending
caps given on the command line go in the suite's budgets.
"""

from __future__ import annotations

from clinisim.engine import kind_named
from clinisim.judges import default_judge_names
from clinisim.schemas import PersonaSampling, Suite

__all__ = ["GENERATION_PERSONAS", "GENERATION_TRIALS", "generation_suite"]

GENERATION_PERSONAS = 8
"""Personas (or styles) drawn from the grid when a suite names none."""
GENERATION_TRIALS = 3
"""Trials per subject and persona when a suite asks for one."""


def generation_suite(
    suite: Suite,
    *,
    personas: int | None = None,
    trials: int | None = None,
    run_usd: float | None = None,
    run_tokens: int | None = None,
    session_usd: float | None = None,
) -> Suite:
    """``suite`` with the generation defaults (see the module docstring)."""
    kind = kind_named(suite.kind)
    update: dict[str, object] = {}
    only_default = isinstance(suite.personas, list) and all(not p for p in suite.personas)
    axes = {axis: values for axis, values in kind.persona_axes.items() if values}
    wanted = personas if personas is not None else GENERATION_PERSONAS
    if (only_default or personas is not None) and axes:
        grid = 1
        for values in axes.values():
            grid *= len(values)
        update["personas"] = PersonaSampling(
            axes={axis: "all" for axis in axes}, sample=min(wanted, grid)
        )
    update["trials"] = trials if trials is not None else max(suite.trials, GENERATION_TRIALS)
    every = default_judge_names(suite.models.judge != "offline", kind.name)
    update["rubrics"] = list(dict.fromkeys([*(suite.rubrics or []), *every]))
    budgets: dict[str, object] = {}
    if run_usd is not None:
        budgets["run_usd"] = run_usd
    if run_tokens is not None:
        budgets["run_tokens"] = run_tokens
    if session_usd is not None:
        budgets["session_usd"] = session_usd
    if budgets:
        update["budgets"] = suite.budgets.model_copy(update=budgets)
    # Re-validate, so the defaults get the same checks as a suite file.
    return Suite.model_validate(suite.model_copy(update=update).model_dump())
