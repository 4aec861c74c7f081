"""Dataset export: session records to training data with provenance, filters,
near-duplicate removal, leak-free splits and a dataset card."""

from clinisim.export._dataset_export import (
    MARKER,
    ExportOptions,
    ExportReport,
    Progress,
    export_dataset,
)
from clinisim.export._dialogue import END_OF_CONVERSATION, Perspective, dialogue_example
from clinisim.export._formats import FORMATS, arrow_schema
from clinisim.export._near_duplicates import DEFAULT_THRESHOLD, near_duplicates
from clinisim.export._session_filter import SessionFilter, parse_filter
from clinisim.export._splits import SPLIT_NAMES, parse_ratios, split_subjects

__all__ = [
    "DEFAULT_THRESHOLD",
    "END_OF_CONVERSATION",
    "FORMATS",
    "MARKER",
    "SPLIT_NAMES",
    "ExportOptions",
    "ExportReport",
    "Perspective",
    "Progress",
    "SessionFilter",
    "arrow_schema",
    "dialogue_example",
    "export_dataset",
    "near_duplicates",
    "parse_filter",
    "parse_ratios",
    "split_subjects",
]
