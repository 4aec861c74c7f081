"""The session settings: persona or style, the simulated roles' model, the budgets.

Opened from the start screen once a case or client is chosen; it returns a
:class:`PracticeSetup` (or ``None`` when cancelled). Bad values are named in the
dialog, and nothing starts until they are fixed.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from clinisim.errors import InputError
from clinisim.tui._practice_session import PracticeSetup

__all__ = ["SetupDialog"]


class SetupDialog(ModalScreen[PracticeSetup | None]):
    """Settings for one practice session."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        kind: str,
        subject_id: str,
        axes: dict[str, tuple[str, ...]],
        *,
        model: str = "offline",
        judge: str = "offline",
        seed: int = 0,
        api_base: str | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.subject_id = subject_id
        self.axes = axes
        self.defaults = {"model": model, "judge": judge, "seed": str(seed)}
        self.api_base = api_base

    def compose(self) -> ComposeResult:
        who = "patient" if self.kind == "consultation" else "client"
        own = "the case's" if self.kind == "consultation" else "the client's own"
        with Vertical(classes="dialog", id="setup"):
            yield Label(f"{self.kind.title()} · {self.subject_id}", classes="dialog-title")
            with Grid(id="setup-grid"):
                for axis, values in self.axes.items():
                    yield Label(axis.replace("_", " ").capitalize())
                    yield Select[str](
                        [(v.replace("_", " "), v) for v in values],
                        prompt=f"{own} / default",
                        id=f"axis-{axis}",
                        compact=True,
                    )
                yield Label(f"{who.title()} model")
                yield Input(self.defaults["model"], id="model", compact=True)
                yield Label("Judge model")
                yield Input(self.defaults["judge"], id="judge", compact=True)
                yield Label("Turn budget")
                yield Input("20", id="max-turns", type="integer", compact=True)
                if self.kind == "consultation":
                    yield Label("Tests budget")
                    yield Input("8", id="max-tests", type="integer", compact=True)
                yield Label("Minutes (blank: none)")
                yield Input("", id="minutes", type="integer", compact=True)
                yield Label("Seed")
                yield Input(self.defaults["seed"], id="seed", type="integer", compact=True)
            yield Static("", id="setup-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Begin", id="begin", variant="primary", compact=True)
                yield Button("Back", id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#begin", Button).focus()

    def _number(self, widget_id: str, name: str, low: int, high: int) -> int | None:
        text = self.query_one(f"#{widget_id}", Input).value.strip()
        if not text:
            return None
        try:
            value = int(text)
        except ValueError:
            raise InputError(f"{name} must be a whole number, not {text!r}", field=name) from None
        if not low <= value <= high:
            raise InputError(f"{name} must be from {low} to {high}", field=name)
        return value

    def setup(self) -> PracticeSetup:
        """The settings as entered (bad values are an ``InputError``)."""
        from clinisim.llm import check_model_string

        model = check_model_string(self.query_one("#model", Input).value, field="model")
        judge = check_model_string(self.query_one("#judge", Input).value, field="judge")
        if "human" in (model, judge):
            raise InputError("you are the only human here; pick a model", field="model")
        persona: dict[str, str | None] = {}
        for axis in self.axes:
            value = self.query_one(f"#axis-{axis}", Select).value
            persona[axis] = value if isinstance(value, str) else None
        max_tests = (
            self._number("max-tests", "tests budget", 0, 100)
            if self.kind == "consultation"
            else None
        )
        return PracticeSetup(
            kind=self.kind,
            subject_id=self.subject_id,
            persona=persona,
            model=model,
            judge=judge,
            max_turns=self._number("max-turns", "turn budget", 1, 200) or 20,
            max_tests=8 if max_tests is None else max_tests,
            minutes=self._number("minutes", "minutes", 1, 240),
            seed=self._number("seed", "seed", 0, 2**31 - 1) or 0,
            api_base=self.api_base,
        )

    @on(Button.Pressed, "#begin")
    @on(Input.Submitted)
    def begin(self) -> None:
        try:
            setup = self.setup()
        except InputError as exc:
            self.query_one("#setup-error", Static).update(exc.one_line())
            return
        self.dismiss(setup)

    @on(Button.Pressed, "#back")
    def action_cancel(self) -> None:
        self.dismiss(None)
