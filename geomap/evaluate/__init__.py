"""Scoring against gold: ``geoparse`` (recognition and resolution on a corpus)."""

__all__: list[str] = []
