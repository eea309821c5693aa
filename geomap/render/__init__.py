"""Stage 5, the map: the GeoDataFrame, the mentions and the credits in, one HTML page out.

- ``map``: ``make_map(gdf, ...)``, the folium map;
- ``payload``: report text made inert and the compact data the browser draws from;
- ``elements``: the folium elements (templates calling ``geomap/data/map.js``);
- ``regions``: incidents per first-level division;
- ``inputs``: the ``geomap map`` command's INPUT read as a GeoDataFrame.
"""

__all__: list[str] = []
