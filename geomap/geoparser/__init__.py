"""Stage 2, geoparsing: a report's text in, ``Mention`` records (place names with offsets,
resolved against the gazetteer) out.

- ``text``: the one tokenizer (tokens and sentences with their offsets);
- ``recognize``: where place names are (spans), and which spans are not places;
- ``resolve``: which place each span names, by ordered passes;
- ``unlisted``: names the gazetteer lacks, placed by what the report says around them;
- ``parse``: ``geoparse(text)``, the stage as one call.
"""

__all__: list[str] = []
