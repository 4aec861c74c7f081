"""The case library: loading and validating cases, conditions and persona axes."""

from clinisim.library._case_library import CaseLibrary, parse_persona
from clinisim.library._yaml_file import describe_validation_error, load_model, read_yaml

__all__ = ["CaseLibrary", "describe_validation_error", "load_model", "parse_persona", "read_yaml"]
