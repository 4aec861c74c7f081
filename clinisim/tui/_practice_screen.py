"""The base of the app's full screens: typed access to the app that shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from clinisim.tui._app import PracticeApp

__all__ = ["PracticeScreen"]


class PracticeScreen(Screen[None]):
    """A screen of :class:`PracticeApp` (it defines no handlers, so no ``on_mount``)."""

    @property
    def practice_app(self) -> PracticeApp:
        """The app, typed."""
        from clinisim.tui._app import PracticeApp

        assert isinstance(self.app, PracticeApp)
        return self.app
