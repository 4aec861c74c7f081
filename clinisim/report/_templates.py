"""The Jinja2 environment for the report pages (templates in ``templates/``)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

__all__ = ["report_templates"]


@cache
def report_templates() -> Environment:
    """One autoescaping environment over the package's templates."""
    return Environment(
        loader=PackageLoader("clinisim.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
