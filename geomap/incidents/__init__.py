"""Stage 3, incidents: a report's text and mentions in, ``Incident`` records out.

- ``cues``: trigger words, counts, casualties, actors (word lists in ``geomap/data``);
- ``dates``: date phrases resolved against the published date;
- ``where``: the place a clause's event happened at;
- ``extract``: ``extract_incidents``, the stage as one call;
- ``geocode``: incident-table rows placed through the gazetteer, divisions filled;
- ``merge``: reports of one event folded into one incident.
"""

__all__: list[str] = []
