"""geomap: news reports to place mentions, incidents, maps and GIS files, offline."""

from importlib import metadata

from geomap.acled import incidents_to_acled_rows, read_acled, write_acled_csv
from geomap.export import export, read_incidents
from geomap.frame import SCHEMA, to_geodataframe
from geomap.incidents import (
    IncidentRun,
    RunSummary,
    incidents_from_reports,
    incidents_with_summary,
)
from geomap.ingest import ReadResult, Report, read_reports
from geomap.merge import merge_incidents, same_incident
from geomap.records import Incident, Mention
from geomap.render import make_map

try:
    __version__ = metadata.version("geomap")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "SCHEMA",
    "Incident",
    "IncidentRun",
    "Mention",
    "ReadResult",
    "Report",
    "RunSummary",
    "__version__",
    "export",
    "incidents_from_reports",
    "incidents_to_acled_rows",
    "incidents_with_summary",
    "make_map",
    "merge_incidents",
    "read_acled",
    "read_incidents",
    "read_reports",
    "same_incident",
    "to_geodataframe",
    "write_acled_csv",
]
