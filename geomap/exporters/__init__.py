"""Stage 5, GIS files: the GeoDataFrame of ``geomap.frame`` written and read back.

- ``write``: ``export(gdf, path)``, every format, atomically and with a manifest;
- ``read``: ``read_incidents(path)``, any file ``export`` wrote (or an ACLED CSV);
- ``tables``: the typed Arrow tables the formats write;
- ``kml``, ``geojsonseq``: the two streamed writers;
- ``suspects``, ``bounds``: the point checks every row passes first.
"""

__all__: list[str] = []
