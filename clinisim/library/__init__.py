"""The case library: loading and validating cases, conditions and persona axes."""

from clinisim.library._agentclinic import (
    ImportFailure,
    ImportResult,
    convert_agentclinic_case,
    import_agentclinic,
)
from clinisim.library._case_library import CaseLibrary, parse_persona
from clinisim.library._library_checks import check_library, diagnosis_leaks, load_case_file
from clinisim.library._yaml_file import describe_validation_error, load_model, read_yaml

__all__ = [
    "CaseLibrary",
    "ImportFailure",
    "ImportResult",
    "check_library",
    "convert_agentclinic_case",
    "describe_validation_error",
    "diagnosis_leaks",
    "import_agentclinic",
    "load_case_file",
    "load_model",
    "parse_persona",
    "read_yaml",
]
