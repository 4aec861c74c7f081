"""The ``clinisim`` command line. Each command group lives in its own module."""

from clinisim.cli._app import app, main

__all__ = ["app", "main"]
