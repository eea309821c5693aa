"""Stage 1, reading: report files and incident tables in, ``Report`` and ``Incident`` records out.

- ``reports``: text, Markdown with front matter, JSON Lines, folders; incident tables are
  handed to ``geomap.acled`` (ACLED and other CSV or XLSX tables).
"""

__all__: list[str] = []
