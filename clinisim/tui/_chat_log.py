"""The transcript pane: one block per turn, the trainee's turns set apart.

Used live by the session screens (turns arrive as the session makes them, with a
"typing" line while a model is working) and by the feedback screen, which
highlights the turns that are evidence for the selected item.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from clinisim.schemas import CounselingTurnState, Turn

__all__ = ["ChatLog", "TurnView", "turn_text"]

_ORDER_PREFIX = "REQUEST TEST:"
_DIAGNOSIS_PREFIX = "DIAGNOSIS READY:"
_END_TAG = "[END SESSION]"


def turn_text(role: str, content: str) -> str:
    """What a turn says, with the kit's action tags read as plain words."""
    text = content.strip()
    if text.upper().startswith(_ORDER_PREFIX):
        return f"Orders: {text[len(_ORDER_PREFIX) :].strip()}"
    if text.upper().startswith(_DIAGNOSIS_PREFIX):
        return f"Diagnosis: {text[len(_DIAGNOSIS_PREFIX) :].strip()}"
    return text.replace(_END_TAG, "").strip() or text


class TurnView(Static):
    """One turn of the transcript."""

    def __init__(self, turn: Turn, *, trainee_role: str, show_state: bool = False) -> None:
        self.turn = turn
        self.trainee_role = trainee_role
        classes = f"turn role-{turn.role.value}"
        if turn.role.value == trainee_role:
            classes += " trainee"
        super().__init__(self._render_turn(show_state), classes=classes, id=f"turn-{turn.index}")

    def _render_turn(self, show_state: bool) -> Text:
        who = "You" if self.turn.role.value == self.trainee_role else self.turn.role.value.title()
        line = Text()
        line.append(f"{who}: ", style="bold")
        line.append(turn_text(self.turn.role.value, self.turn.content))
        state = self.turn.state
        if show_state and isinstance(state, CounselingTurnState):
            line.append(
                f"\n{state.emotion.value} {state.intensity:.1f} · trust {state.trust:.2f} · "
                f"resistance {state.resistance:.2f} · {state.disclosure.value}",
                style="dim italic",
            )
        return line

    def show_state(self, show: bool) -> None:
        """Show or hide the client's state under the turn."""
        self.update(self._render_turn(show))


class ChatLog(VerticalScroll):
    """The transcript, scrolled to its newest turn as turns arrive."""

    can_focus = True

    def __init__(self, trainee_role: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="chat-log")
        self.trainee_role = trainee_role
        self.states_shown = False
        self._typing: Static | None = None
        self._typing_role: str | None = None

    def add_turn(self, turn: Turn) -> None:
        """Append one turn (in place of any reply still streaming) and scroll to it."""
        view = TurnView(turn, trainee_role=self.trainee_role, show_state=self.states_shown)
        if self._typing is not None and self._typing_role == turn.role.value:
            self.set_typing(None)
        if self._typing is not None:
            self.mount(view, before=self._typing)
        else:
            self.mount(view)
        self.scroll_end(animate=False)

    def add_turns(self, turns: Iterable[Turn]) -> None:
        """Append several turns."""
        for turn in turns:
            self.add_turn(turn)

    def set_typing(self, who: str | None, text: str = "") -> None:
        """Show who is replying below the last turn, with the reply's text so far when
        it streams in; ``None`` removes the line."""
        self._typing_role = who
        if who is None:
            if self._typing is not None:
                self._typing.remove()
                self._typing = None
            return
        label = Text()
        if text:
            label.append(f"{who.title()}: ", style="bold")
            label.append(text)
            label.append(" ▌", style="dim")
        else:
            label.append(f"{who.title()} is replying…")
        if self._typing is None:
            self._typing = Static(label, classes="typing")
            self.mount(self._typing)
        else:
            self._typing.update(label)
        self.scroll_end(animate=False)

    def show_states(self, show: bool) -> None:
        """Show or hide the client's live state under each client turn."""
        self.states_shown = show
        for view in self.query(TurnView):
            view.show_state(show)

    def highlight(self, indices: Iterable[int]) -> None:
        """Mark the turns ``indices`` as evidence and scroll to the first of them."""
        wanted = set(indices)
        first: TurnView | None = None
        for view in self.query(TurnView):
            lit = view.turn.index in wanted
            view.set_class(lit, "evidence")
            if lit and first is None:
                first = view
        if first is not None:
            self.scroll_to_widget(first, animate=False, top=True)

    def highlighted(self) -> list[int]:
        """The turns marked as evidence."""
        return [view.turn.index for view in self.query(TurnView) if view.has_class("evidence")]
