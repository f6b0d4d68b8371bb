"""Call, SMS, app-usage and billing records: schema, loaders and a simulator."""

from fanzha.calls.loaders import LoadReport, load_records
from fanzha.calls.schema import TABLES, TableSchema
from fanzha.calls.validation import QuarantinedRow

__all__ = ["TABLES", "LoadReport", "QuarantinedRow", "TableSchema", "load_records"]
