"""The trainee app (``clinisim practice``): practise consultations and counseling
sessions in the terminal, with feedback grounded in evidence.

:class:`PracticeApp` is the Textual app; :class:`PracticeKit` and
:class:`PracticeSession` drive a trainee's session without any UI.
"""

from clinisim.tui._app import PracticeApp, PracticeOptions
from clinisim.tui._practice_session import PracticeKit, PracticeSession, PracticeSetup

__all__ = ["PracticeApp", "PracticeKit", "PracticeOptions", "PracticeSession", "PracticeSetup"]
