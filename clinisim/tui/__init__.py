"""The trainee app (``clinisim practice``): practise consultations and counseling
sessions in the terminal, with feedback grounded in evidence.

:class:`PracticeApp` is the Textual app; :class:`PracticeKit` and
:class:`PracticeSession` drive a trainee's session without any UI. They import the
session engine, so they load on first use: the app draws its start screen first.
"""

from typing import TYPE_CHECKING, Any

from clinisim.tui._app import PracticeApp, PracticeOptions

if TYPE_CHECKING:
    from clinisim.tui._practice_session import PracticeKit, PracticeSession, PracticeSetup

__all__ = ["PracticeApp", "PracticeKit", "PracticeOptions", "PracticeSession", "PracticeSetup"]

_ENGINE_BOUND = {"PracticeKit", "PracticeSession", "PracticeSetup"}


def __getattr__(name: str) -> Any:
    if name in _ENGINE_BOUND:
        from clinisim.tui import _practice_session

        return getattr(_practice_session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
