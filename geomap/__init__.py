"""geomap: news reports to place mentions, incidents, maps and GIS files, offline."""

from geomap._version import __version__
from geomap.acled import incidents_to_acled_rows, read_acled, write_acled_csv
from geomap.exporters.write import export, read_incidents
from geomap.frame import SCHEMA, to_geodataframe
from geomap.geoparser.parse import geoparse
from geomap.incidents.merge import merge_incidents, same_incident
from geomap.pipeline import IncidentRun, RunSummary, incidents_from_reports, incidents_with_summary
from geomap.readers.reports import ReadResult, Report, read_reports
from geomap.records import Incident, Mention
from geomap.render.map import make_map

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
    "geoparse",
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
