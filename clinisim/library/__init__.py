"""The case library: loading and validating cases, conditions and persona axes."""

from clinisim.library._agentclinic import (
    ImportFailure,
    ImportResult,
    complaint_in_own_words,
    convert_agentclinic_case,
    convert_nejm_case,
    import_agentclinic,
)
from clinisim.library._case_library import (
    CASES_DIR_ENV,
    CaseLibrary,
    case_dirs,
    client_dirs,
    parse_persona,
    resolve_library,
)
from clinisim.library._client_import import (
    CLIENT_FORMATS,
    ClientImportResult,
    import_clients,
    mindeval_client,
    patient_psi_client,
)
from clinisim.library._history_text import reads_as_finding, structure
from clinisim.library._library_checks import (
    check_library,
    diagnosis_leaks,
    finding_leaks,
    load_case_file,
)
from clinisim.library._transcript_import import (
    TRANSCRIPT_FORMATS,
    TranscriptImport,
    import_transcripts,
    ratings_of,
)
from clinisim.library._yaml_file import describe_validation_error, load_model, read_yaml

__all__ = [
    "CASES_DIR_ENV",
    "CLIENT_FORMATS",
    "TRANSCRIPT_FORMATS",
    "CaseLibrary",
    "ClientImportResult",
    "ImportFailure",
    "ImportResult",
    "TranscriptImport",
    "case_dirs",
    "check_library",
    "client_dirs",
    "complaint_in_own_words",
    "convert_agentclinic_case",
    "convert_nejm_case",
    "describe_validation_error",
    "diagnosis_leaks",
    "finding_leaks",
    "import_agentclinic",
    "import_clients",
    "import_transcripts",
    "load_case_file",
    "load_model",
    "mindeval_client",
    "parse_persona",
    "patient_psi_client",
    "ratings_of",
    "read_yaml",
    "reads_as_finding",
    "resolve_library",
    "structure",
]
