"""The :class:`~gazetteer.Gazetteer` methods for imported data: import, parents, divisions."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer.divisions import DivisionIndex, DivisionShape
from gazetteer.imports.db import ImportedData, Parent, SourceInfo
from gazetteer.records import Place

if TYPE_CHECKING:
    from gazetteer.imports.importer import ImportOptions, ImportReport, Progress

__all__ = ["BUILTIN_LICENCES", "ImportsMixin"]

logger = logging.getLogger(__name__)

#: Licence notes of the built-in data, by the ``source`` of its places.
BUILTIN_LICENCES: dict[str, str] = {
    "geonames": "GeoNames (www.geonames.org), CC BY 4.0",
    "countrystatecity": "countrystatecity-countries, ODbL 1.0",
    "airportsdata": "airportsdata, MIT",
    "zipcodes": "zipcodes (US ZIP code points, for county points), MIT",
}


class ImportsMixin:
    """Imported places, parents and boundaries, for :class:`gazetteer.Gazetteer`."""

    path: Path
    imports_path: Path
    _imported: ImportedData | None
    _division_index: dict[int, DivisionIndex]
    _fuzzy_keys: dict[str, list[str]] | None

    def _builtin_place(self, place_id: str) -> tuple[Place, float] | None:
        raise NotImplementedError

    def get(self, place_id: str) -> Place | None:
        raise NotImplementedError

    def clear_cache(self) -> None:
        raise NotImplementedError

    def _open_imports(self) -> None:
        """(Re)open the imports database, if there is one, and forget what depended on it."""
        old: ImportedData | None = getattr(self, "_imported", None)
        if old is not None:
            old.close()
        self._imported = None
        self._division_index = {}
        if self.imports_path.exists():
            self._imported = ImportedData(self.imports_path, self._builtin_place)
        self._fuzzy_keys = None
        self.clear_cache()

    @property
    def imported(self) -> ImportedData | None:
        """The imports database, or None when nothing was imported."""
        return self._imported

    def import_files(
        self,
        paths: Sequence[str | Path] = (),
        *,
        boundaries: Sequence[tuple[str | Path, int]] = (),
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> list[ImportReport]:
        """Import files into this gazetteer's imports database; see :func:`import_files`.

        >>> gaz.import_files(["IQ.zip", "admin1CodesASCII.txt"])   # doctest: +SKIP
        >>> gaz.import_files(boundaries=[("irq_adm1.geojson", 1)])  # doctest: +SKIP
        """
        from gazetteer.imports.importer import import_files

        if self._imported is not None:  # the file is replaced: let go of it (Windows)
            self._imported.close()
            self._imported = None
        try:
            return import_files(
                paths,
                index=self.path,
                imports=self.imports_path,
                boundaries=boundaries,
                options=options,
                progress=progress,
            )
        finally:
            self._open_imports()

    def imported_sources(self) -> list[SourceInfo]:
        """Every imported file, oldest first."""
        return self._imported.sources() if self._imported else []

    def attribution(self, sources: Iterable[str] | None = None) -> list[str]:
        """Licence notes to show with data from these sources (a candidate's ``source``).

        Without ``sources``, the notes of every imported file. Map footers and export
        metadata list them: GeoNames data is CC BY 4.0 and must be attributed. A source
        made of several joins their names with "+" ("countrystatecity+geonames").
        """
        imported = {s.name: s.licence for s in self.imported_sources()}
        if sources is None:
            wanted: Iterable[str] = imported
        else:
            wanted = sources
        parts = [part for s in wanted for part in (s.split("+") if s not in imported else [s])]
        notes = [imported.get(s) or BUILTIN_LICENCES.get(s, "") for s in parts]
        return list(dict.fromkeys(n for n in notes if n))

    def attribution_of(self, place_ids: Iterable[object]) -> list[str]:
        """Licence notes for the places with these ids (an incident table's ``place_id``).

        Empty and unknown ids are skipped. A map or an export of those places shows the notes.
        """
        sources = []
        for pid in dict.fromkeys(p for p in place_ids if p and isinstance(p, str)):
            place = self.get(pid)
            if place is not None:
                sources.append(place.source)
        return self.attribution(dict.fromkeys(sources))

    def parents(self, place_id: str) -> list[Parent]:
        """A place's country, first-level division and district, largest first.

        Empty for an unknown id. Imported GeoNames places get their district from
        ``admin2Codes.txt`` (or ``hierarchy.txt``) when those were imported.
        """
        place = self.get(place_id)
        if place is None:
            return []
        out: list[Parent] = []
        country = self.get(f"iso3166-1:{place.country}") if place.country else None
        if country is not None and place.feature != "country":
            out.append(Parent("country", country.name, country.country, country.id))
        found = self._imported.parents(place) if self._imported else []
        if found:
            return out + [p for p in found if p.level != "country" and p.id != place.id]
        if place.admin1_code and place.feature not in ("admin1", "region", "country"):
            division = self.get(f"iso3166-2:{place.admin1_code}")
            name = division.name if division else place.admin1
            out.append(Parent("admin1", name, place.admin1_code, division.id if division else ""))
        return out

    def geometry(self, place_id: str) -> Any:
        """The shape kept for a place (shapely, WGS84), or None for a point."""
        if self._imported is None:
            return None
        wkb = self._imported.geometry_wkb(place_id)
        if wkb is None:
            return None
        import shapely

        return shapely.from_wkb(wkb)

    def _divisions(self, level: int) -> DivisionIndex:
        if level not in (1, 2):
            msg = f"level must be 1 or 2, got {level!r}"
            raise ValueError(msg)
        index = self._division_index.get(level)
        if index is None:
            import shapely

            shapes = []
            data = self._imported
            rows = data.division_rows(level) if data else []
            for pid, wkb, code, source in rows:
                place = data.place_of_pid(pid) if data else None
                if place is not None:
                    shapes.append(
                        DivisionShape(place, level, shapely.from_wkb(wkb), code=code, source=source)
                    )
            index = self._division_index[level] = DivisionIndex(shapes)
            logger.debug("indexed %s level-%s divisions", len(shapes), level)
        return index

    def divisions(self, *, level: int = 1) -> list[DivisionShape]:
        """The imported boundaries of a level, each with its place and polygon."""
        return list(self._divisions(level).divisions)

    def division_at(self, lat: float, lon: float, *, level: int = 1) -> Place | None:
        """The division of an imported boundary file covering a point, or None.

        >>> gaz.division_at(33.42, 43.30, level=1).admin1_code    # doctest: +SKIP
        'IQ-AN'
        """
        found = self._divisions(level).at(lat, lon)
        return found.place if found else None

    def divisions_at(
        self, points: Iterable[tuple[float, float]], *, level: int = 1
    ) -> list[Place | None]:
        """The division of each ``(lat, lon)`` point (one STRtree query for all)."""
        return [d.place if d else None for d in self._divisions(level).at_many(points)]

    def choropleth(
        self, points: Iterable[tuple[float, float]], *, level: int = 1
    ) -> dict[str, Any]:
        """GeoJSON of the divisions of a level with the number of points in each.

        See :meth:`gazetteer.divisions.DivisionIndex.choropleth`; the map stage shades
        divisions by ``count``.
        """
        return self._divisions(level).choropleth(points)
