"""clinisim: clinical and counseling role-play simulation, offline by default."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clinisim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
