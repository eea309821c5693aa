"""Imports into the gazetteer: GeoNames dumps, users' gazetteers, boundaries.

- ``importer``: ``import_files``, the entry point, with its options and report;
- ``geonames``, ``geonames_extras``: GeoNames dumps and their companion files;
- ``user_files``: CSV, GeoJSON and GeoPackage gazetteers and boundaries;
- ``db``: ``imports.sqlite``, kept beside the index;
- ``query``: what lookup asks of the imports;
- ``textfiles``, ``_workers``: streamed reading, and the parallel dump workers.
"""

__all__: list[str] = []
