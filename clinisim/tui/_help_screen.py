"""The help screen (``?`` or F1): what each screen does and its keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

__all__ = ["HELP_TEXT", "HelpScreen"]

HELP_TEXT = """\
# clinisim practice

Practise a **consultation** (you are the doctor) or a **counseling session**
(you are the counselor) against a simulated patient or client, then read feedback
tied to the turns that earned it. Every session is saved as a standard session
record, like those of `clinisim run` and `clinisim counsel`.

## Everywhere
| key | does |
|---|---|
| `?` or `F1` | this help |
| `F2` | history: past sessions, feedback, resume |
| `Ctrl+Q` | quit (a session in progress is saved and can be resumed) |
| `Escape` | back / close a dialog |

## Start screen
Pick the mode in the tabs at the top, search (`Ctrl+S`) and filter, then press
`Enter` on a row (or `Ctrl+R` for a random one). The settings dialog sets the
persona or style, the model that plays the patient or client (`offline` needs no
network; any litellm model string works), the judge, and the budgets.

## Consultation
| key | does |
|---|---|
| `Enter` | ask the patient what you typed |
| `Ctrl+O` | order an examination or a test (results appear under Results) |
| `Ctrl+R` | show the results |
| `Ctrl+N` | notes and your working differential |
| `Ctrl+D` | submit the diagnosis and the rest of the differential |
| `Ctrl+L` | save and leave (resume later from history) |

## Counseling
| key | does |
|---|---|
| `Enter` | say what you typed to the client |
| `Ctrl+G` | the formulation form: core beliefs, situation, thought, emotions, behaviour |
| `Ctrl+T` | show or hide the client's live state (for educators) |
| `Ctrl+E` | say your last words (or a default goodbye) and end the session |
| `Ctrl+F` | score the session, with your formulation, and see the feedback |
| `Ctrl+L` | save and leave |

## Feedback
| key | does |
|---|---|
| `s` / `i` / `t` | summary / items / transcript |
| `w` | write the feedback as an HTML page beside the record |
| `n` | a new session |

In **Items**, move through the rows: the turns that are evidence for the item are
highlighted in the transcript below it.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and what each screen does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Markdown(HELP_TEXT)
